//! Recorded traces (`ringlab_core::trace_file`, docs/traces.md): the parsers on good and
//! malformed files, the built-in traces, a trace phase in runs, links, files and the
//! work ceiling, the CLI's `run --trace`, and the sizes the lesson `trace-ring-size` names.

use ringlab_core::link::{self, LinkState};
use ringlab_core::model::aio::AioSpec;
use ringlab_core::model::io_uring::UringSpec;
use ringlab_core::model::proposal::ProposalSpec;
use ringlab_core::trace_file::{self, Parser, TraceData, BUILTIN};
use ringlab_core::{lessons, ModelSpec, Scenario, Sim};
use std::path::{Path, PathBuf};
use std::process::Command;

fn traces_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios/traces")
}

fn file(name: &str) -> String {
    std::fs::read_to_string(traces_dir().join(name)).unwrap()
}

/// The error a file gives, as the CLI and the page show it.
fn error(text: &str) -> String {
    trace_file::parse_text(text).unwrap_err().in_file("bad.log")
}

#[test]
fn fio_logs_of_each_kind_parse() {
    // fio 3.33's default columns (time, latency, direction, block size, priority), the
    // total, completion and submission latency logs of one run, and log_offset=1's six.
    for name in ["randread-qd32.lat.log", "randread-qd32.clat.log", "randread-qd32.slat.log", "bursty.lat.log"] {
        let text = file(name);
        let data = trace_file::parse_text(&text).unwrap_or_else(|e| panic!("{}", e.in_file(name)));
        assert_eq!(data.len(), text.lines().count(), "{name}: one request a line");
        assert_eq!(data.requests()[0].0, 0, "{name}: timed from the first submission");
        assert!(data.requests().windows(2).all(|w| w[0].0 <= w[1].0), "{name}: in submission order");
    }
    // Older fio (no priority column), log_prio's hex priority, Windows line ends, and newer
    // fio's log_issue_time (a seventh column, the issue time in ns: not needed here).
    let old = trace_file::parse_text("2, 1500000, 0, 4096\n3, 500000, 1, 8192\n").unwrap();
    let prio = trace_file::parse_text("2, 1500000, 0, 4096, 0x2004\r\n3, 500000, 2, 4096, 0x0000\r\n").unwrap();
    let issue = "2, 1500000, 0, 4096, 8192, 0, 512000\n3, 500000, 1, 8192, 0, 0, 2510000\n";
    assert_eq!(old, prio);
    assert_eq!(old, trace_file::parse_text(issue).unwrap());
    // Each request completed at its time (ms) and was submitted its latency (ns) before.
    assert_eq!(old.requests(), [(0, 1_500_000), (2_000_000, 500_000)]);
    assert_eq!(old.span_ns(), 2_500_000);
}

#[test]
fn a_submission_before_the_jobs_start_is_timed_from_the_earliest() {
    // fio's time is whole milliseconds: a request logged at 0 ms with 0.6 ms of latency
    // was submitted "before" 0; the trace starts at the earliest submission.
    let data = trace_file::parse_text("0, 600000, 0, 4096, 0\n1, 10, 0, 4096, 0\n").unwrap();
    assert_eq!(data.requests(), [(0, 600_000), (1_599_990, 10)]);
}

#[test]
fn csv_traces_parse_with_and_without_a_header() {
    let text = file("randread-qd32.tracepoints.csv");
    assert!(text.starts_with("submit_ns,complete_ns\n"));
    let data = trace_file::parse_text(&text).unwrap();
    assert_eq!(data.len(), text.lines().count() - 1);
    let bare = trace_file::parse_text("# from somewhere\n1000,1500\n\n900,1000\n").unwrap();
    assert_eq!(bare.requests(), [(0, 100), (100, 500)]);
    assert_eq!(bare, trace_file::parse_text("submit_ns, complete_ns\n900,1000\n1000,1500\n").unwrap());
}

#[test]
fn a_file_fed_in_pieces_reads_as_a_whole() {
    let text = file("bursty.lat.log");
    let whole = trace_file::parse_text(&text).unwrap();
    for piece in [1, 7, 64, 1000] {
        let mut parser = Parser::new();
        let bytes = text.as_bytes();
        for chunk in bytes.chunks(piece) {
            parser.feed(std::str::from_utf8(chunk).unwrap()).unwrap();
        }
        assert_eq!(TraceData::from_records(&parser.finish().unwrap()), whole, "pieces of {piece} bytes");
    }
}

#[test]
fn malformed_files_name_the_line_and_what_is_wrong() {
    let cases = [
        ("0, 10, 0, 4096, 0\n1, x, 0, 4096, 0\n", "bad.log: line 2: column 2 (latency, ns): `x` is not a whole number"),
        ("0, 10, 7, 4096, 0\n", "bad.log: line 1: column 3 (direction): `7` is not 0 (read), 1 (write) or 2 (trim)"),
        (
            "5, 1234, 0, 0, 0\n",
            "bad.log: line 1: column 4 (block size, bytes): `0` is not an I/O's size: this is a windowed log \
             (log_avg_msec above 0), which averages several I/Os a line; record with log_avg_msec=0",
        ),
        ("0, 10, 0, 4096, 0\n\n0, 10, 0, 4096\n", "bad.log: line 3: 4 columns where this fio log's lines have 5"),
        (
            "1,2,3\n",
            "bad.log: line 1: 3 columns: a fio latency log has 4 to 7 (time (ms), latency (ns), direction, block \
             size[, offset][, priority][, issue time]), a CSV 2 (submit_ns,complete_ns)",
        ),
        ("0, 10, 0, 4096, zz\n", "bad.log: line 1: column 5 (offset, priority or issue time): `zz` is not a number"),
        ("0, 200000000000, 0, 4096\n", "bad.log: line 1: column 2 (latency, ns): `200000000000` is not 100 s or less"),
        (
            "submit_ns,complete_ns\n100,50\n",
            "bad.log: line 2: column 2 (complete_ns): `50` is not at or after submit_ns",
        ),
        ("submit_ns,complete_ns\n100,150\n1,2,3\n", "bad.log: line 3: 3 columns where this CSV's lines have 2"),
        (
            "hello, world\n",
            "bad.log: line 1: `hello, world` is not a trace line: expected a fio latency log (time (ms), latency \
             (ns), direction, block size[, offset][, priority][, issue time]) or a CSV (submit_ns,complete_ns, \
             its header on the first line only)",
        ),
        ("", "bad.log: the file holds no requests: it is empty"),
        ("submit_ns,complete_ns\n", "bad.log: the file holds no requests: only a header"),
    ];
    for (text, message) in cases {
        assert_eq!(error(text), message, "{text:?}");
    }
}

#[test]
fn every_built_in_trace_is_its_file_with_its_job() {
    assert!(BUILTIN.len() >= 3);
    for b in BUILTIN {
        let text = file(b.file);
        assert_eq!(trace_file::builtin(b.name), Some(trace_file::parse_text(&text).unwrap()), "{}", b.name);
        let job = file(&format!("{}.fio", b.name));
        assert!(job.contains("ioengine=io_uring") && job.contains("direct=1"), "{}", b.name);
        assert!(job.contains(&format!("write_lat_log={}", b.name)), "{}", b.name);
        assert!(job.contains("log_avg_msec=0"), "{}: one line per I/O", b.name);
        assert!(!b.about.is_empty());
        let readme = file("README.md");
        assert!(readme.contains(b.file), "scenarios/traces/README.md lists {}", b.file);
    }
    let names: Vec<&str> = BUILTIN.iter().map(|b| b.name).collect();
    assert!(names.contains(&"randread-qd32") && names.contains(&"randread-qd128") && names.contains(&"bursty"));
}

/// The default scenario replaying `name` (a built-in trace).
fn with_trace(name: &str) -> Scenario {
    trace_file::scenario_with_trace(&lessons::default_scenario(), name, None)
}

fn run_to_end(s: &Scenario) -> Sim {
    let mut sim = Sim::new(s).unwrap();
    sim.run_until(sim.end_ns());
    sim
}

#[test]
fn a_trace_phase_submits_each_request_at_its_instant() {
    // A CSV of three requests on a model that refuses nothing.
    let mut base = lessons::default_scenario();
    base.model = ModelSpec::Proposal(ProposalSpec { ring_entries: 64, max_requests: 4096, ..ProposalSpec::default() });
    let data = trace_file::parse_text("1000,31000\n1000,6000\n21000,22000\n").unwrap();
    let s = trace_file::scenario_with_trace(&base, "three.csv", Some(data));
    assert_eq!(s.workload.duration_ns(), 30_000, "the phase lasts the trace's span");
    let mut sim = Sim::new(&s).unwrap();
    let mut seen = Vec::new();
    while let Some(event) = sim.step() {
        if let ringlab_core::SimEvent::Submit { requested, accepted } = event {
            seen.push((sim.now(), requested, accepted));
        }
        if let ringlab_core::SimEvent::Completion { user_data } = event {
            seen.push((sim.now(), 100 + user_data as u32, 0));
        }
        if sim.now() > 40_000 {
            break;
        }
    }
    // Two requests at 0 (one submit call), one at 20 µs; completions after 30, 5 and 1 µs.
    assert_eq!(seen, [(0, 2, 2), (5_000, 101, 0), (20_000, 1, 1), (21_000, 102, 0), (30_000, 100, 0)]);
}

#[test]
fn scale_and_loop_stretch_and_repeat_the_trace() {
    let mut base = lessons::default_scenario();
    base.model = ModelSpec::Proposal(ProposalSpec { ring_entries: 256, max_requests: 4096, ..ProposalSpec::default() });
    let once = trace_file::scenario_with_trace(&base, "randread-qd32", None);
    let span = trace_file::builtin("randread-qd32").unwrap().span_ns();
    let mut slow = once.clone();
    slow.workload.phases[0].trace_scale = 2.0;
    assert_eq!(slow.workload.duration_ns(), span * 2);
    let mut looped = once.clone();
    looped.workload.phases[0].trace_loop = true;
    looped.workload.phases[0].duration_ns = span * 3;
    let n = trace_file::builtin("randread-qd32").unwrap().len() as u64;
    let submitted = |s: &Scenario| {
        let sim = run_to_end(s);
        assert_eq!(sim.kernel().counters().eagain, 0);
        sim.kernel().counters().submitted
    };
    assert_eq!(submitted(&once), n, "every request is offered once");
    assert_eq!(submitted(&slow), n);
    assert_eq!(submitted(&looped), 3 * n, "three passes in three spans");
    // A looping trace needs the phase's length; the scale's range is checked.
    looped.workload.phases[0].duration_ns = 0;
    assert!(looped.validate().unwrap_err().to_string().contains("a looping trace needs the phase's length"));
    slow.workload.phases[0].trace_scale = 20.0;
    assert!(slow.validate().unwrap_err().to_string().contains("20 is out of range; allowed 0.1 to 10"));
}

#[test]
fn the_work_ceiling_counts_a_traces_requests_and_its_passes() {
    let mut s = with_trace("randread-qd32");
    s.workload.phases[0].trace_loop = true;
    s.workload.phases[0].trace_scale = 0.1;
    s.workload.phases[0].duration_ns = 100_000_000_000; // 100 s of passes of about 0.25 ms
    s.reaper.blocking = true;
    let e = s.check_work().unwrap_err();
    assert_eq!(e.field, "workload.phases[0]");
    assert!(e.message.contains("the trace looped for duration_ns 100000000000"), "{e}");
    s.workload.phases[0].duration_ns = 10_000_000;
    s.check_work().unwrap();
}

#[test]
fn a_link_names_a_built_in_trace() {
    let default = lessons::default_scenario();
    let d = link::decode("#v=1&phases=1&p0.trace=randread-qd128", &default, &lessons::lesson);
    assert_eq!(d.problems, []);
    let p = &d.state.scenario.workload.phases[0];
    assert_eq!((p.trace.as_str(), p.duration_ns), ("randread-qd128", 0), "the phase lasts the trace's span");
    assert_eq!(d.state.scenario, with_trace("randread-qd128").tap_title(&default.title).tap_phase_name("burst"));
    // Scale and loop, and the short link of such a state reopens it.
    let d = link::decode(
        "#v=1&p0.trace=bursty&p0.trace_scale=0.5&p0.trace_loop=1&p0.duration_ns=9000000",
        &default,
        &lessons::lesson,
    );
    assert_eq!(d.problems, []);
    let p = &d.state.scenario.workload.phases[0];
    assert_eq!((p.trace_scale, p.trace_loop, p.duration_ns), (0.5, true, 9_000_000));
    let mut state = LinkState::new(d.state.scenario.clone());
    state.time_ns = 1_000_000;
    let short = link::encode_short(&state, &default, &lessons::lesson);
    assert!(short.contains("p0.trace=bursty"), "{short}");
    assert_eq!(link::decode(&short, &default, &lessons::lesson).state, state);
    // A trace a link cannot carry: the name of a file.
    let d = link::decode("#v=1&phases=1&p0.trace=mine.lat.log", &default, &lessons::lesson);
    assert_eq!(d.problems.len(), 1, "{:?}", d.problems);
    let problem = d.problems[0].to_string();
    assert!(
        problem.starts_with(
            "p0.trace: trace: `mine.lat.log` is not a built-in trace (bursty, randread-qd128, randread-qd32)"
        ),
        "{problem}"
    );
    assert!(problem.ends_with("used none instead"), "{problem}");
    assert_eq!(d.state.scenario.workload.phases[0].trace, "");
}

/// Small helpers for comparing a decoded link with a built scenario.
trait Tap {
    fn tap_title(self, title: &str) -> Self;
    fn tap_phase_name(self, name: &str) -> Self;
}

impl Tap for Scenario {
    fn tap_title(mut self, title: &str) -> Self {
        self.title = title.to_string();
        self
    }
    fn tap_phase_name(mut self, name: &str) -> Self {
        self.workload.phases[0].name = name.to_string();
        let d = lessons::default_scenario();
        let p = &mut self.workload.phases[0];
        let q = &d.workload.phases[0];
        (p.submit_rate, p.batch, p.queue_depth, p.latency, p.kind) =
            (q.submit_rate, q.batch, q.queue_depth, q.latency.clone(), q.kind);
        self
    }
}

#[test]
fn a_scenario_file_bundles_its_trace_and_reads_back() {
    let text = file("randread-qd32.clat.log");
    let data = trace_file::parse_text(&text).unwrap();
    let s = trace_file::scenario_with_trace(&lessons::default_scenario(), "randread-qd32.clat.log", Some(data));
    let json = s.to_json_string();
    assert!(
        json.contains(r#""trace":"randread-qd32.clat.log""#) && json.contains(r#","trace_data":[[0,"#),
        "{}",
        &json[..400]
    );
    assert_eq!(Scenario::from_json_str(&json).unwrap(), s, "the page's reader");
    assert_eq!(serde_json::from_str::<Scenario>(&json).unwrap(), s, "serde's (the CLI's TOML and JSON types)");
    assert_eq!(
        Sim::new(&s).unwrap().run_hash(),
        Sim::new(&Scenario::from_json_str(&json).unwrap()).unwrap().run_hash()
    );
    // Every built-in scenario writes and reads back too (no steps, no lesson in the file).
    for s in std::iter::once(lessons::default_scenario())
        .chain(lessons::LESSONS.iter().filter_map(|(n, _)| lessons::lesson(n)))
    {
        let plain = Scenario { steps: None, lesson: None, ..s };
        if plain.workload.phases.is_empty() {
            continue;
        }
        assert_eq!(Scenario::from_json_str(&plain.to_json_string()).unwrap(), plain, "{}", plain.title);
    }
}

fn ringlab(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ringlab")).args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

fn json_field(json: &str, key: &str) -> u64 {
    let v: serde_json::Value = serde_json::from_str(json.trim()).unwrap();
    v[key].as_u64().unwrap_or_else(|| panic!("{key} in {json}"))
}

#[test]
fn the_cli_replays_a_trace_file_a_built_in_trace_and_a_bundle() {
    let path = traces_dir().join("randread-qd32.lat.log");
    let (code, out, err) = ringlab(&["run", "--trace", path.to_str().unwrap(), "--json"]);
    assert_eq!(code, 0, "{err}");
    let n = file("randread-qd32.lat.log").lines().count() as u64;
    assert_eq!(json_field(&out, "trace_requests"), n);
    // The same counters as the library's run of the same scenario (what the page runs).
    let data = trace_file::parse_text(&file("randread-qd32.lat.log")).unwrap();
    let s = trace_file::scenario_with_trace(&lessons::default_scenario(), "randread-qd32.lat.log", Some(data));
    let expected = serde_json::to_string(&ringlab_core::bench::Summary::of(&run_to_end(&s))).unwrap();
    assert_eq!(out.trim(), expected);
    // The built-in trace by name: the same requests, the same counters.
    let (code, by_name, _) = ringlab(&["run", "--trace", "randread-qd32", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(by_name, out);
    // The text summary names the trace's requests.
    let (_, text, _) = ringlab(&["run", "--trace", path.to_str().unwrap()]);
    let row = ["trace", "requests", &n.to_string()];
    assert!(text.starts_with("Trace: randread-qd32.lat.log (proposal)"), "{text}");
    assert!(text.lines().any(|l| l.split_whitespace().eq(row)), "{text}");

    // A scenario file naming a trace by a path next to it, and the bundle of that run.
    let dir = std::env::temp_dir().join(format!("ringlab-traces-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(&path, dir.join("mine.lat.log")).unwrap();
    let toml = "title = \"mine\"\n[model]\nkind = \"io_uring\"\nsq_entries = 32\ncq_entries = 64\n\n\
                [[workload.phases]]\nduration_ns = 0\ntrace = \"mine.lat.log\"\n";
    std::fs::write(dir.join("mine.toml"), toml).unwrap();
    let (code, from_file, err) = ringlab(&["run", dir.join("mine.toml").to_str().unwrap(), "--json"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(json_field(&from_file, "trace_requests"), n);
    let mut s = Scenario::parse_toml_str(toml).unwrap();
    s.workload.phases[0].trace_data = Some(trace_file::parse_text(&file("randread-qd32.lat.log")).unwrap());
    std::fs::write(dir.join("bundle.json"), s.to_json_string()).unwrap();
    let (code, from_bundle, err) = ringlab(&["run", dir.join("bundle.json").to_str().unwrap(), "--json"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(from_bundle, from_file);
    // --trace with a scenario file: its model and reaper, the trace's phase.
    let (code, with_scenario, _) =
        ringlab(&["run", "--trace", "randread-qd32", dir.join("mine.toml").to_str().unwrap(), "--json"]);
    assert_eq!(code, 0);
    assert_eq!(with_scenario, from_file);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_cli_refuses_a_malformed_trace_with_the_pages_message() {
    let dir = std::env::temp_dir().join(format!("ringlab-bad-trace-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.log");
    std::fs::write(&bad, "0, 10, 0, 4096, 0\n1, x, 0, 4096, 0\n").unwrap();
    let shown = bad.to_str().unwrap();
    let (code, out, err) = ringlab(&["run", "--trace", shown, "--json"]);
    assert_eq!((code, out.as_str()), (2, ""));
    let page = trace_file::parse_text(&std::fs::read_to_string(&bad).unwrap()).unwrap_err().in_file(shown);
    assert_eq!(err.trim(), format!("ringlab: {page}"));
    assert_eq!(page, format!("{shown}: line 2: column 2 (latency, ns): `x` is not a whole number"));
    // A scenario file naming a malformed or missing trace.
    std::fs::write(
        dir.join("s.toml"),
        "[model]\nkind = \"proposal\"\n[[workload.phases]]\nduration_ns = 0\ntrace = \"bad.log\"\n",
    )
    .unwrap();
    let (code, _, err) = ringlab(&["run", dir.join("s.toml").to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("bad.log: line 2: column 2 (latency, ns): `x` is not a whole number"), "{err}");
    let (code, _, err) = ringlab(&["run", "--trace", dir.join("nope.log").to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read") && err.contains("nope.log"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The lesson's scenario with `model` instead of its own.
fn lesson_with(model: ModelSpec) -> Option<Sim> {
    let mut s = lessons::lesson("trace-ring-size").unwrap();
    s.model = model;
    s.validate().ok()?;
    let mut sim = Sim::new(&s).ok()?;
    sim.run_until(sim.end_ns());
    Some(sim)
}

/// The smallest size in `sizes` for which the lesson's trace runs clean on `model(size)`.
fn smallest(sizes: impl Iterator<Item = u32>, model: impl Fn(u32) -> ModelSpec) -> (u32, u64) {
    let mut last_overflow = 0;
    for n in sizes {
        let Some(sim) = lesson_with(model(n)) else { continue };
        let c = sim.kernel().counters();
        if c.overflowed == 0 && c.eagain == 0 && c.dropped == 0 {
            return (n, last_overflow);
        }
        last_overflow = c.overflowed;
    }
    panic!("no size runs clean");
}

#[test]
fn the_ring_sizes_the_lesson_reveals_are_the_smallest_without_overflow() {
    let s = lessons::lesson("trace-ring-size").unwrap();
    let reveal = &s.lesson.as_ref().unwrap().reveal;
    let proposal =
        |n| ModelSpec::Proposal(ProposalSpec { ring_entries: n, max_requests: 4096, ..ProposalSpec::default() });
    let (p, p_before) = smallest(2..=1024, proposal);
    assert_eq!((p, p_before), (65, 2), "one fewer slot overflows one completion per burst");
    assert!(reveal.contains("The proposal needs 65 slots") && reveal.contains("64 still overflows one"), "{reveal}");
    let uring = |n: u32| ModelSpec::IoUring(UringSpec { sq_entries: 4, cq_entries: Some(n), ..UringSpec::default() });
    let (u, u_before) = smallest((2..=12).map(|k| 1 << k), uring);
    assert_eq!((u, u_before), (64, 64), "a 32-entry CQ overflows half of each of the two bursts");
    assert!(
        reveal.contains("io_uring 64 CQ entries") && reveal.contains("32 overflows half of each burst"),
        "{reveal}"
    );
    let aio = |n| ModelSpec::Aio(AioSpec { nr_events: n, ..AioSpec::default() });
    let (a, _) = smallest(1..=1024, aio);
    assert_eq!(a, 1);
    assert_eq!(lesson_with(aio(1)).unwrap().kernel().ring().entries(), 127);
    assert!(reveal.contains("(127 slots, 120 for one CPU)"), "{reveal}");
    assert!(reveal.contains("even io_setup(1) gets a page-sized ring"), "{reveal}");
    // The lesson's own ring of 32 overflows 33 of each burst (its pause points).
    let c = lesson_with(s.model.clone()).unwrap().kernel().counters().clone();
    assert_eq!(c.overflowed, 66);
}
