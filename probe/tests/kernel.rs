//! The scripts in `scenarios/kernel/` against this machine's kernel, compared with the
//! simulator step by step; plus checks of the kernel's own numbers (independent of the
//! simulator) and of the probe's refusals.
//!
//! Where io_uring or aio is unavailable (ENOSYS, EPERM, kernel.io_uring_disabled) the
//! tests that need it print `SKIP ...: why` to stderr and return.
#![cfg(target_os = "linux")]

use ringlab_core::model::ModelSpec;
use ringlab_core::script::{self, Script, Step, StepResult};
use ringlab_probe::check::{check_cpus, compare_script, with_machine_cpus};
use ringlab_probe::compare::{compare_runs, Outcome};
use ringlab_probe::kernel::{
    aio_available, check_descriptors, descriptors_needed, io_uring_available, nofile_limit, possible_cpus, run_script,
    ProbeError,
};
use serde_json::Value;
use std::path::PathBuf;

fn scenario_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scenarios/kernel")
}

/// Every script in scenarios/kernel whose model is `kind`.
fn scenarios(kind: &str) -> Vec<(String, Script)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(scenario_dir()).expect("scenarios/kernel exists") {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let script = Script::from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if script.model.name() == kind {
            out.push((path.file_name().unwrap().to_string_lossy().into_owned(), script));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Prints to the real stderr: libtest captures `eprintln!` of passing tests, and a skip
/// must be visible in a plain `cargo test` run.
fn say(message: String) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{message}");
}

fn skip_unless(available: Result<(), String>, test: &str) -> bool {
    match available {
        Ok(()) => false,
        Err(why) => {
            say(format!("SKIP {test}: {why}"));
            true
        }
    }
}

fn load(name: &str) -> Script {
    Script::from_json(&std::fs::read_to_string(scenario_dir().join(name)).unwrap()).unwrap()
}

/// Compares every script of `kind`; panics with the full report of each that differs.
fn compare_all(kind: &str, adapt_cpus: bool) {
    let scripts = scenarios(kind);
    assert!(scripts.len() >= 10, "expected the {kind} scripts in scenarios/kernel, found {}", scripts.len());
    let mut failures = Vec::new();
    for (name, script) in &scripts {
        let script = if adapt_cpus { with_machine_cpus(script).unwrap() } else { script.clone() };
        match compare_script(&script) {
            Ok(report) if report.all_match() => {}
            Ok(report) => failures.push(format!("{name}:\n  {}", report.render().join("\n  "))),
            Err(ProbeError::Unavailable(why)) => say(format!("SKIP {kind} script {name}: {why}")),
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} {kind} scripts differ from the kernel:\n{}",
        failures.len(),
        scripts.len(),
        failures.join("\n")
    );
}

#[test]
fn io_uring_scripts_match_the_kernel() {
    if skip_unless(io_uring_available(), "io_uring_scripts_match_the_kernel") {
        return;
    }
    compare_all("io_uring", false);
}

#[test]
fn aio_scripts_match_the_kernel() {
    if skip_unless(aio_available(), "aio_scripts_match_the_kernel") {
        return;
    }
    let cpus = possible_cpus().unwrap();
    if cpus != 2 {
        // The scripts say "cpus": 2 (the machine they were written on). The simulator's
        // prediction for this machine's count is what the kernel must match.
        say(format!(
            "NOTE aio_scripts_match_the_kernel: running the cpus=2 scripts with cpus={cpus}, this machine's count"
        ));
    }
    compare_all("aio", true);
}

fn count(r: StepResult) -> u32 {
    match r {
        StepResult::Count(n) => n,
        StepResult::Error(e) => panic!("expected a count, got {e}"),
    }
}

/// TV-U4 on the real kernel, checked against the reference's numbers, not the simulator.
#[test]
fn io_uring_overflow_sequence_on_the_kernel() {
    if skip_unless(io_uring_available(), "io_uring_overflow_sequence_on_the_kernel") {
        return;
    }
    let run = run_script(&load("io_uring-overflow.json")).unwrap();
    assert!(run.stopped.is_none(), "{:?}", run.stopped);
    assert_eq!((run.setup.info.sq_entries, run.setup.info.cq_entries), (Some(4), Some(8)));
    let s = &run.steps;
    // Four batches of 4 NOPs: every submit returns 4; tail 4, 8, 8, 8; backlog 0, 0, 4, 8.
    for (i, (tail, backlog)) in [(4, 0), (8, 0), (8, 4), (8, 8)].into_iter().enumerate() {
        assert_eq!(count(s[i].result), 4);
        assert_eq!((s[i].tail, s[i].backlog.len()), (tail, backlog), "after batch {}", i + 1);
        assert_eq!(s[i].flag, backlog > 0, "IORING_SQ_CQ_OVERFLOW after batch {}", i + 1);
        assert_eq!(s[i].overflow, 0);
    }
    assert_eq!(s[3].backlog, (8..16).collect::<Vec<u64>>());
    // GETEVENTS on a full CQ moves nothing.
    assert_eq!((s[4].tail, s[5].tail, s[5].backlog.len()), (8, 8, 8));
    // head += 3 from userspace: the tail does not move until GETEVENTS, which moves exactly 3.
    assert_eq!((s[6].head, s[6].tail), (3, 8));
    assert_eq!(
        (s[7].tail, s[7].ring.as_slice(), s[7].backlog.len(), s[7].flag),
        (11, &[3, 4, 5, 6, 7, 8, 9, 10][..], 5, true)
    );
    // The flush that empties the backlog clears the flag; then an empty wait times out.
    assert_eq!((s[9].backlog.len(), s[9].flag, s[9].tail), (0, false, 16));
    assert_eq!(s[11].result, StepResult::Error(ringlab_core::Errno::ETIME));
    // Every user_data arrives once, in order.
    let reaped: Vec<u64> = s.iter().flat_map(|l| l.reaped.iter().copied()).collect();
    assert_eq!(reaped, (0..16).collect::<Vec<u64>>());
}

/// Today's aio: nr = 127 for small n; a thread pinned to one CPU gets
/// req_batch * floor((nr - 1) / req_batch) slots, req_batch = (nr - 1) / (4 * cpus).
#[test]
fn aio_submission_limit_on_the_kernel() {
    if skip_unless(aio_available(), "aio_submission_limit_on_the_kernel") {
        return;
    }
    let script = with_machine_cpus(&load("aio-size-1.json")).unwrap();
    let run = run_script(&script).unwrap();
    let cpus = possible_cpus().unwrap();
    let nr = run.setup.info.ring_entries.unwrap();
    let expected_nr = 128 * ((2 * 1u32.max(4 * cpus) + 2 + 3).div_ceil(128)) - 1;
    assert_eq!(nr, expected_nr);
    let batch = ((nr - 1) / (4 * cpus)).max(1);
    assert_eq!(count(run.steps[0].result), batch * ((nr - 1) / batch));
    assert_eq!(run.steps[1].result, StepResult::Error(ringlab_core::Errno::EAGAIN));
    assert_eq!((run.steps[1].head, run.steps[1].tail), (0, 0));
}

/// The comparison is not vacuous: the kernel's run of the overflow script differs from the
/// 5.1–5.4 model (drop and count) at the first overflowing batch.
#[test]
fn comparison_reports_a_model_that_disagrees() {
    if skip_unless(io_uring_available(), "comparison_reports_a_model_that_disagrees") {
        return;
    }
    let script = load("io_uring-overflow.json");
    let run = run_script(&script).unwrap();
    let mut old = script.clone();
    let ModelSpec::IoUring(spec) = &script.model else { panic!("io_uring script") };
    old.model = ModelSpec::IoUring51(spec.clone());
    let (setup, steps) = script::run(&old);
    let sim: Vec<Value> = std::iter::once(serde_json::to_value(&setup).unwrap())
        .chain(steps.iter().map(|s| serde_json::to_value(s).unwrap()))
        .collect();
    let kernel: Vec<Value> = std::iter::once(serde_json::to_value(&run.setup).unwrap())
        .chain(run.steps.iter().map(|s| serde_json::to_value(s).unwrap()))
        .collect();
    let verdicts = compare_runs(ringlab_core::ModelKind::IoUring, &kernel, &sim);
    let first = verdicts.iter().find(|v| v.outcome != Outcome::Match).expect("5.1 semantics differ from today's");
    assert_eq!(first.step, 3);
    assert_eq!(
        first.outcome,
        Outcome::Differs {
            field: "backlog".into(),
            kernel: Some(serde_json::json!([8, 9, 10, 11])),
            simulator: Some(serde_json::json!([]))
        }
    );
}

#[test]
fn refuses_what_it_cannot_run() {
    let mut s = load("aio-eagain.json");
    if let ModelSpec::Aio(spec) = &mut s.model {
        spec.cpus = possible_cpus().unwrap() + 1;
    }
    match check_cpus(&s) {
        Err(ProbeError::Unsupported(m)) => assert!(m.contains("possible CPUs"), "{m}"),
        other => panic!("a cpus mismatch must be refused, got {other:?}"),
    }
    let proposal = Script::from_json(r#"{"model": {"kind": "proposal"}, "steps": []}"#).unwrap();
    assert!(matches!(run_script(&proposal), Err(ProbeError::Unsupported(_))));
    let alloc = Script::from_json(r#"{"model": {"kind": "io_uring"}, "steps": [{"op": "fail_next_alloc"}]}"#).unwrap();
    match run_script(&alloc) {
        Err(ProbeError::Unsupported(m)) => assert!(m.contains("fail_next_alloc"), "{m}"),
        other => panic!("fail_next_alloc must be refused, got {other:?}"),
    }
}

fn probe_bin(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_ringlab-probe")).args(args).output().unwrap()
}

#[test]
fn cli_compare_exits_zero_on_a_match_and_two_on_a_refusal() {
    if skip_unless(io_uring_available(), "cli_compare_exits_zero_on_a_match_and_two_on_a_refusal") {
        return;
    }
    let path = scenario_dir().join("io_uring-overflow.json");
    let out = probe_bin(&["compare", path.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("step 4   submit     match"), "{stdout}");
    assert!(stdout.contains("result: every line matches (setup and 12 steps)"), "{stdout}");

    let out = probe_bin(&["script", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let lines: Vec<Value> =
        String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 13);
    assert_eq!(lines[3]["backlog"], serde_json::json!([8, 9, 10, 11]));

    let bad = std::env::temp_dir().join(format!("ringlab-probe-cpus-{}.json", std::process::id()));
    let cpus = possible_cpus().unwrap() + 1;
    std::fs::write(&bad, format!(r#"{{"model": {{"kind": "aio", "nr_events": 1, "cpus": {cpus}}}, "steps": []}}"#))
        .unwrap();
    let out = probe_bin(&["compare", bad.to_str().unwrap()]);
    std::fs::remove_file(&bad).ok();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("possible CPUs"));
}

/// For nr_events in [2^31, 2^31 + 4194304] the kernel's u32 doubling wraps and io_setup
/// returns EAGAIN (found by this probe; the model now wraps the same way). Checks the
/// kernel's answer and that `compare` agrees.
#[test]
fn aio_setup_with_a_wrapping_size() {
    if skip_unless(aio_available(), "aio_setup_with_a_wrapping_size") {
        return;
    }
    let cpus = possible_cpus().unwrap();
    let text = format!(r#"{{"model": {{"kind": "aio", "nr_events": 2147483648, "cpus": {cpus}}}, "steps": []}}"#);
    let script = Script::from_json(&text).unwrap();
    let run = run_script(&script).unwrap();
    assert_eq!(run.setup.result, StepResult::Error(ringlab_core::Errno::EAGAIN));
    let report = compare_script(&script).unwrap();
    assert!(report.all_match(), "{}", report.render().join("\n"));
    let path = std::env::temp_dir().join(format!("ringlab-probe-wrap-{}.json", std::process::id()));
    std::fs::write(&path, &text).unwrap();
    let out = probe_bin(&["compare", path.to_str().unwrap()]);
    std::fs::remove_file(&path).ok();
    assert_eq!(out.status.code(), Some(0));
}

/// B10, U4.2e on the real kernel: the probe tears the context or ring down at a `destroy`
/// step, compares that call's result, and says of every later step that it was not run,
/// rather than failing or reporting a difference.
#[test]
fn destroy_compares_the_teardown_result_and_names_what_is_not_observable() {
    for (name, available) in [("io_uring-destroy.json", io_uring_available()), ("aio-destroy.json", aio_available())] {
        if skip_unless(available, "destroy_compares_the_teardown_result_and_names_what_is_not_observable") {
            continue;
        }
        let script = with_machine_cpus(&load(name)).unwrap();
        let at = script.steps.iter().position(|s| matches!(s, Step::Destroy {})).expect("a destroy step") + 1;
        let report = compare_script(&script).unwrap();
        assert!(report.all_match(), "{name}:\n{}", report.render().join("\n"));
        let teardown = report.kernel.teardown.as_ref().expect("the probe performed the destroy");
        assert_eq!((teardown.step as usize, teardown.result), (at, StepResult::Count(0)), "{name}");
        assert_eq!(report.kernel.steps.len(), at - 1, "{name}: nothing runs after the teardown");
        assert!(
            matches!(report.verdicts[at].outcome, Outcome::MatchObservable(_)),
            "{name}: {:?}",
            report.verdicts[at]
        );
        for v in &report.verdicts[at + 1..] {
            assert!(
                matches!(&v.outcome, Outcome::NotObservable(why) if why.contains(&format!("step {at}"))),
                "{name}: {v:?}"
            );
        }
        assert_eq!(report.not_observed(), script.steps.len() - at);
        assert!(report.render().last().unwrap().contains("after the destroy not run on the kernel"), "{name}");
        // Before the teardown the kernel had the backlog the simulator discards (io_uring).
        if name.starts_with("io_uring") {
            assert_eq!(report.kernel.steps[at - 2].backlog, vec![8, 9, 10, 11]);
        }
    }
    if io_uring_available().is_ok() {
        let path = scenario_dir().join("io_uring-destroy.json");
        let out = probe_bin(&["script", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(stdout.lines().last(), Some(r#"{"step":6,"op":"destroy","result":0}"#), "{stdout}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("the 2 steps after it were not run"));
        let out = probe_bin(&["compare", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0));
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("step 7   submit     not compared: the destroy in step 6")
        );
    }
}

/// L1.6 on the real kernel, checked against the reference's numbers: liburing's submit
/// with the overflow flag set enters with GETEVENTS, so after userspace frees 3 slots a
/// one-NOP submit flushes exactly 3, in order, the new NOP behind the backlog (U3.6).
#[test]
fn liburing_submit_flushes_the_backlog_on_the_kernel() {
    if skip_unless(io_uring_available(), "liburing_submit_flushes_the_backlog_on_the_kernel") {
        return;
    }
    let run = run_script(&load("io_uring-submit-getevents.json")).unwrap();
    assert!(run.stopped.is_none(), "{:?}", run.stopped);
    let s = &run.steps;
    assert_eq!((s[0].result, s[0].tail), (StepResult::Count(0), 0), "nothing to submit, no flag: nothing happens");
    assert_eq!(
        (s[4].tail, s[4].backlog.clone()),
        (8, (8..16).collect::<Vec<u64>>()),
        "a full CQ: the flush is a no-op"
    );
    assert_eq!(s[6].result, StepResult::Count(1));
    assert_eq!(s[6].ring, (3..11).collect::<Vec<u64>>());
    assert_eq!(s[6].backlog, (11..17).collect::<Vec<u64>>());
    // With nothing to submit but the flag set, the enter flushes the whole backlog.
    assert_eq!((s[10].tail, s[10].backlog.len(), s[10].flag), (18, 0, false));
}

/// Every `io` request holds a pipe. The probe raises RLIMIT_NOFILE's soft limit to the
/// hard one before running, and refuses a script that still does not fit, up front,
/// naming how many descriptors it needs.
#[test]
fn descriptors_for_io_requests_are_checked_before_running() {
    let (soft, hard) = nofile_limit().unwrap();
    let limits = std::fs::read_to_string("/proc/self/limits").unwrap();
    let line = limits.lines().find(|l| l.starts_with("Max open files")).unwrap();
    let fields: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(fields[3].parse::<u64>().ok(), Some(soft), "{line}");
    if fields[4] != "unlimited" {
        assert_eq!(soft, hard, "the soft limit is raised to the hard one: {line}");
    }
    // aio-admission-4096: the most in flight at once is 8412 (6312 + a submit of 2100),
    // two descriptors each, plus the always-readable pipe.
    let script = load("aio-admission-4096.json");
    assert_eq!(descriptors_needed(&script), 2 + 2 * 8412);
    match check_descriptors(16826, 5, 4096, 4096) {
        Err(ProbeError::Unavailable(m)) => {
            assert!(m.contains("needs 16826 file descriptors") && m.contains("RLIMIT_NOFILE allows 4096"), "{m}")
        }
        other => panic!("a script that cannot fit must be refused, got {other:?}"),
    }
    assert!(check_descriptors(16826, 5, 20000, 20000).is_ok());
    // io_uring makes pipes only for the SQEs that fit: 2 per queued io SQE plus the ring fd.
    let io = Script::from_json(
        r#"{"model": {"kind": "io_uring", "sq_entries": 4}, "steps": [{"op": "submit", "n": 100, "kind": "io"}]}"#,
    )
    .unwrap();
    assert_eq!(descriptors_needed(&io), 1 + 2 * 4);
}
