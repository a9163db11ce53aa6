#!/usr/bin/env bash
# Records the built-in traces: runs each job file here with fio on this machine and keeps
# its total-latency log as NAME.lat.log (randread-qd32 also keeps its _clat and _slat
# logs, for the parser's tests). Where the io_uring tracepoints can be read (root, tracefs),
# the same run is also written as NAME.tracepoints.csv (submit_ns,complete_ns, from
# io_uring:io_uring_submit_req and io_uring:io_uring_complete; docs/traces.md).
#   bash scenarios/traces/record.sh [DIR]
# DIR holds fio's 64 MiB data file; O_DIRECT needs a file system that supports it (ext4,
# xfs; not tmpfs): default /var/tmp/ringlab-fio. Not part of any test.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="${1:-/var/tmp/ringlab-fio}"
mkdir -p "$dir"
command -v fio >/dev/null || { echo "record.sh: fio is not installed (apt-get install fio)" >&2; exit 1; }
T=/sys/kernel/tracing
tracing=0
if [ -w "$T/events/io_uring/io_uring_submit_req/enable" ]; then tracing=1; fi

trace_on() {
  echo 0 >"$T/tracing_on"
  echo >"$T/trace"
  echo 1 >"$T/events/io_uring/io_uring_submit_req/enable"
  echo 1 >"$T/events/io_uring/io_uring_complete/enable"
  echo 1 >"$T/tracing_on"
}
trace_off() {
  echo 0 >"$T/tracing_on"
  echo 0 >"$T/events/io_uring/io_uring_submit_req/enable"
  echo 0 >"$T/events/io_uring/io_uring_complete/enable"
}
# The tracepoint script of docs/traces.md: one request a line, matched by `req`.
to_csv() {
  awk -v comm="$1" '
    BEGIN { print "submit_ns,complete_ns" }
    index($1, comm "-") == 1 && (/ io_uring_submit_req: / || / io_uring_complete: /) {
      for (i = 2; i <= NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) break
      split(substr($i, 1, length($i) - 1), t, ".")
      ns = t[1] * 1000000000 + t[2] * 1000
      for (j = i; j <= NF; j++) if ($j == "req") break
      req = $(j + 1)
      if ($(i + 1) == "io_uring_submit_req:") submitted[req] = ns
      else if (req in submitted) { printf "%.0f,%.0f\n", submitted[req], ns; delete submitted[req] }
    }' "$T/trace"
}

for job in randread-qd32 randread-qd128 bursty; do
  (cd "$dir" && rm -f "${job}"_*.log)
  [ "$tracing" = 1 ] && trace_on
  (cd "$dir" && fio --output=/dev/null "$here/$job.fio")
  if [ "$tracing" = 1 ]; then
    trace_off
    to_csv fio >"$here/$job.tracepoints.csv"
  fi
  cp "$dir/${job}_lat.1.log" "$here/$job.lat.log"
  if [ "$job" = randread-qd32 ]; then
    cp "$dir/${job}_clat.1.log" "$here/$job.clat.log"
    cp "$dir/${job}_slat.1.log" "$here/$job.slat.log"
  fi
  echo "$job: $(wc -l <"$here/$job.lat.log") I/Os"
done
echo "fio: $(fio --version); kernel: $(uname -r); $(date -u +%Y-%m-%d)"
