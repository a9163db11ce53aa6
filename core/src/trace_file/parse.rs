//! Reading trace files, and the compact form the built-in traces are embedded in.
//!
//! Plain `std` only: `core/build.rs` includes this file (`#[path]`) to turn
//! `scenarios/traces/*.lat.log` into the compact form at build time, with the very
//! parser the CLI and the page use on a file. The functions are `#[inline]` so that the
//! browser build compiles this cold code with the app at opt-level "z" (see `crate::json`).
//!
//! Two formats, told apart by their first line (see docs/traces.md):
//!
//! - **fio latency logs** (`write_lat_log` with `log_avg_msec=0`, one line per I/O):
//!   `time (ms), value (ns), direction, block size[, offset][, priority][, issue time]`, 4 to 7
//!   columns. `time` is when the I/O's sample was logged, in whole milliseconds since the
//!   job started; `value` the latency in ns. A request completed at `time` and was
//!   submitted `value` before it.
//! - **plain CSV**: `submit_ns,complete_ns`, one request a line, with an optional header
//!   line `submit_ns,complete_ns`; instants in ns on any common clock.
//!
//! Blank lines and lines starting with `#` are skipped in both.

use std::fmt;

/// Most requests a trace may hold (the message below says it in words).
pub const MAX_REQUESTS: usize = 10_000_000;
/// Longest latency accepted, ns (100 s, as for the workload's phases).
pub const MAX_LATENCY_NS: u64 = 100_000_000_000;
/// The CSV format's header line.
pub const CSV_HEADER: &str = "submit_ns,complete_ns";

/// What is wrong with a trace file, and on which line (1-based; 0: the file as a whole).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceError {
    pub line: usize,
    pub message: String,
}

impl TraceError {
    /// The message with the file's name first, as the CLI and the page both show it:
    /// `NAME: line N: what is wrong`.
    #[inline]
    pub fn in_file(&self, name: &str) -> String {
        format!("{name}: {self}")
    }
}

impl fmt::Display for TraceError {
    #[inline]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            f.write_str(&self.message)
        } else {
            write!(f, "line {}: {}", self.line, self.message)
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    /// A fio latency log with this many columns (4 to 7).
    Fio(usize),
    Csv,
}

/// Reads a trace file line by line, fed in pieces of any size (the page feeds a large
/// file a slice per animation frame). Each record is `(complete_ns, latency_ns)`.
#[derive(Clone, Debug, Default)]
pub struct Parser {
    format: Option<Format>,
    /// The line last read (1-based).
    line: usize,
    /// The start of a line whose end has not been fed yet.
    pending: String,
    records: Vec<(u64, u64)>,
}

const FIO_COLUMNS: &str = "time (ms), latency (ns), direction, block size[, offset][, priority][, issue time]";

/// What is wrong with a column: `column N (what): `text` is not EXPECTED`.
#[inline]
fn bad(column: usize, what: &str, text: &str, expected: &str) -> String {
    format!("column {column} ({what}): `{text}` is not {expected}")
}

#[inline]
fn whole(text: &str, column: usize, what: &str) -> Result<u64, String> {
    text.parse::<u64>().map_err(|_| bad(column, what, text, "a whole number"))
}

impl Parser {
    #[inline]
    pub fn new() -> Parser {
        Parser::default()
    }

    /// Requests read so far.
    #[inline]
    pub fn requests(&self) -> usize {
        self.records.len()
    }

    /// Reads `text`, the next piece of the file: every line it completes (a line's start
    /// may have come with the previous piece; its unfinished end waits for the next).
    #[inline]
    pub fn feed(&mut self, text: &str) -> Result<(), TraceError> {
        let mut rest = text;
        while let Some(end) = rest.find('\n') {
            let (line, next) = rest.split_at(end);
            rest = &next[1..];
            if self.pending.is_empty() {
                self.read_line(line)?;
            } else {
                let mut whole = std::mem::take(&mut self.pending);
                whole.push_str(line);
                self.read_line(&whole)?;
            }
        }
        self.pending.push_str(rest);
        Ok(())
    }

    /// Reads the last line (one without a line end) and returns the records, in the
    /// file's order. A file without a single request is an error.
    #[inline]
    pub fn finish(mut self) -> Result<Vec<(u64, u64)>, TraceError> {
        if !self.pending.is_empty() {
            let last = std::mem::take(&mut self.pending);
            self.read_line(&last)?;
        }
        if self.records.is_empty() {
            let message = match self.format {
                None => "the file holds no requests: it is empty",
                Some(_) => "the file holds no requests: only a header",
            };
            return Err(TraceError { line: 0, message: message.to_string() });
        }
        Ok(self.records)
    }

    #[inline]
    fn read_line(&mut self, line: &str) -> Result<(), TraceError> {
        self.line += 1;
        let at = self.line;
        self.record(line.trim()).map_err(|message| TraceError { line: at, message })
    }

    #[inline]
    fn record(&mut self, line: &str) -> Result<(), String> {
        if line.is_empty() || line.starts_with('#') {
            return Ok(());
        }
        let header = line.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
        if header {
            let words: String = line.chars().filter(|c| !c.is_whitespace()).collect();
            if self.format.is_none() && words == CSV_HEADER {
                self.format = Some(Format::Csv);
                return Ok(());
            }
            let shown: String = line.chars().take(40).collect();
            return Err(format!(
                "`{shown}` is not a trace line: expected a fio latency log ({FIO_COLUMNS}) or a CSV \
                 ({CSV_HEADER}, its header on the first line only)"
            ));
        }
        let columns: Vec<&str> = line.split(',').map(str::trim).collect();
        let format = match self.format {
            Some(f) => f,
            None => {
                let f = match columns.len() {
                    2 => Format::Csv,
                    4..=7 => Format::Fio(columns.len()),
                    n => {
                        return Err(format!(
                            "{n} columns: a fio latency log has 4 to 7 ({FIO_COLUMNS}), a CSV 2 ({CSV_HEADER})"
                        ))
                    }
                };
                self.format = Some(f);
                f
            }
        };
        let expected = match format {
            Format::Fio(n) => n,
            Format::Csv => 2,
        };
        if columns.len() != expected {
            let kind = if format == Format::Csv { "this CSV's" } else { "this fio log's" };
            return Err(format!("{} columns where {kind} lines have {expected}", columns.len()));
        }
        if self.records.len() >= MAX_REQUESTS {
            return Err("more than 10,000,000 requests: a trace may hold at most that many".to_string());
        }
        let (complete, latency) = match format {
            Format::Fio(_) => {
                let time_ms = whole(columns[0], 1, "time, ms")?;
                let latency = whole(columns[1], 2, "latency, ns")?;
                if !matches!(columns[2], "0" | "1" | "2") {
                    return Err(bad(3, "direction", columns[2], "0 (read), 1 (write) or 2 (trim)"));
                }
                if whole(columns[3], 4, "block size, bytes")? == 0 {
                    return Err(bad(
                        4,
                        "block size, bytes",
                        "0",
                        "an I/O's size: this is a windowed log \
                        (log_avg_msec above 0), which averages several I/Os a line; record with log_avg_msec=0",
                    ));
                }
                for (i, text) in columns.iter().enumerate().skip(4) {
                    // A byte offset, or a priority (with log_prio, in hex: 0x...).
                    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_hexdigit() || b == b'x') {
                        return Err(bad(i + 1, "offset, priority or issue time", text, "a number"));
                    }
                }
                (time_ms.checked_mul(1_000_000).ok_or_else(|| bad(1, "time, ms", columns[0], "a time in ms"))?, latency)
            }
            Format::Csv => {
                let submit = whole(columns[0], 1, "submit_ns")?;
                let complete = whole(columns[1], 2, "complete_ns")?;
                if complete < submit {
                    return Err(bad(2, "complete_ns", columns[1], "at or after submit_ns"));
                }
                (complete, complete - submit)
            }
        };
        if latency > MAX_LATENCY_NS {
            let what = if format == Format::Csv { "complete_ns less submit_ns" } else { "latency, ns" };
            return Err(bad(2, what, &latency.to_string(), "100 s or less"));
        }
        self.records.push((complete, latency));
        Ok(())
    }
}

/// The requests of a file's records: `(submit_ns, latency_ns)`, each submitted at its
/// completion less its latency, timed from the earliest submission, in the file's order
/// ([`sort_by_submit`] puts them in the order of their submissions).
pub fn requests(records: &[(u64, u64)]) -> Vec<(u64, u64)> {
    // A fio log's time is whole milliseconds, so a submit instant can fall before the
    // job's start: signed, then timed from the earliest.
    let submit = |&(complete, latency): &(u64, u64)| complete as i128 - latency as i128;
    let first = records.iter().map(submit).min().unwrap_or(0);
    records.iter().map(|r| ((submit(r) - first) as u64, r.1)).collect()
}

/// Orders `(submit_ns, latency_ns)` pairs by submission, equal instants in their order:
/// a bottom-up merge sort (std's stable sort costs several KB of the wasm bundle).
pub fn sort_by_submit(v: &mut [(u64, u64)]) {
    if v.windows(2).all(|w| w[0].0 <= w[1].0) {
        return;
    }
    let n = v.len();
    let mut merged = v.to_vec();
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let (mid, end) = ((start + width).min(n), (start + 2 * width).min(n));
            let (mut a, mut b) = (start, mid);
            for slot in &mut merged[start..end] {
                if b >= end || (a < mid && v[a].0 <= v[b].0) {
                    *slot = v[a];
                    a += 1;
                } else {
                    *slot = v[b];
                    b += 1;
                }
            }
            start = end;
        }
        v.copy_from_slice(&merged);
        width *= 2;
    }
}

/// Reads a whole file.
#[inline]
pub fn parse(text: &str) -> Result<Vec<(u64, u64)>, TraceError> {
    let mut parser = Parser::new();
    parser.feed(text)?;
    parser.finish()
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

#[inline]
fn varint(bytes: &[u8], at: &mut usize) -> u64 {
    let mut v = 0u64;
    let mut shift = 0;
    loop {
        let b = bytes[*at];
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return v;
        }
        shift += 7;
    }
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// The compact form of a file's records (the built-in traces, embedded by build.rs):
/// the count, the largest unit dividing every completion instant (10^6 for fio's
/// milliseconds), the completion instants as zigzag varint steps in that unit, then the
/// latencies byte plane by byte plane (low bytes of all, then the next bytes, ...), which
/// gzip (the bundle's transfer) packs well.
pub fn encode(records: &[(u64, u64)]) -> Vec<u8> {
    let mut out = Vec::new();
    let unit = records.iter().fold(0, |g, r| gcd(g, r.0)).max(1);
    put_varint(&mut out, records.len() as u64);
    put_varint(&mut out, unit);
    let mut previous = 0i128;
    for r in records {
        let at = (r.0 / unit) as i128;
        let step = (at - previous) as i64;
        put_varint(&mut out, ((step << 1) ^ (step >> 63)) as u64);
        previous = at;
    }
    let max = records.iter().map(|r| r.1).max().unwrap_or(0);
    let planes = (64 - max.leading_zeros()).div_ceil(8) as usize;
    out.push(planes as u8);
    for plane in 0..planes {
        out.extend(records.iter().map(|r| (r.1 >> (8 * plane)) as u8));
    }
    out
}

/// The records [`encode`] wrote.
#[inline]
pub fn decode(bytes: &[u8]) -> Vec<(u64, u64)> {
    let mut at = 0;
    let n = varint(bytes, &mut at) as usize;
    let unit = varint(bytes, &mut at);
    let mut records = Vec::with_capacity(n);
    let mut instant = 0i128;
    for _ in 0..n {
        let z = varint(bytes, &mut at);
        instant += ((z >> 1) as i64 ^ -((z & 1) as i64)) as i128;
        records.push((instant as u64 * unit, 0u64));
    }
    let planes = bytes[at] as usize;
    at += 1;
    for plane in 0..planes {
        for (i, r) in records.iter_mut().enumerate() {
            r.1 |= u64::from(bytes[at + plane * n + i]) << (8 * plane);
        }
    }
    records
}
