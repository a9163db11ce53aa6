//! The syscall counter split by what each call did (issue 15): `submit_calls` counts
//! `io_submit` and every `io_uring_enter` from the submit side (also one that adds
//! GETEVENTS to a submission, L1.6), `getevents_calls` counts `io_getevents` and the
//! `io_uring_enter` that submits nothing and only waits. Together they are `syscalls`.

use ringlab_core::bench::{heavy_model, heavy_scenario, Summary};
use ringlab_core::script::{Script, ScriptRun};
use ringlab_core::trace::Counters;
use ringlab_core::{lessons, ModelKind, ReaperPolicy, Sim};
use serde_json::json;

/// Runs the script's steps and returns the kernel's counters at the end.
fn counters_after(model: serde_json::Value, steps: serde_json::Value) -> Counters {
    let script: Script = serde_json::from_value(json!({"model": model, "steps": steps})).expect("valid script");
    let (mut run, _) = ScriptRun::setup(&script.model).expect("setup succeeds");
    for step in &script.steps {
        run.run_step(step);
    }
    run.kernel().counters().clone()
}

fn split(c: &Counters) -> (u64, u64, u64) {
    (c.submit_calls, c.getevents_calls, c.syscalls)
}

#[test]
fn aio_counts_io_submit_and_io_getevents_apart_and_userspace_reaps_as_neither() {
    let c = counters_after(
        json!({"kind": "aio", "nr_events": 8}),
        json!([
            {"op": "submit", "n": 4, "kind": "nop"},
            {"op": "submit", "n": 2, "kind": "io"},
            {"op": "getevents", "min": 0, "max": 2},
            {"op": "reap", "n": 2},
            {"op": "complete", "n": 2},
            {"op": "getevents", "min": 1}
        ]),
    );
    assert_eq!(split(&c), (2, 2, 4), "two io_submit, two io_getevents, the userspace reap is no call");
}

#[test]
fn the_proposal_and_aio_2012_count_the_same_way() {
    for model in [json!({"kind": "proposal"}), json!({"kind": "aio-2012", "nr_events": 16})] {
        let c = counters_after(
            model.clone(),
            json!([
                {"op": "submit", "n": 3, "kind": "nop"},
                {"op": "getevents", "min": 0},
                {"op": "getevents", "min": 0},
                {"op": "getevents", "min": 0}
            ]),
        );
        assert_eq!(split(&c), (1, 3, 4), "{model}");
    }
}

/// L1.6: liburing's `io_uring_submit` enters with GETEVENTS while the overflow flag is set.
/// An enter that submits counts as a submit call even then; one with nothing to submit
/// only waits, so it counts as a getevents call.
#[test]
fn io_uring_enter_counts_as_submit_when_it_submits_and_as_getevents_when_it_only_waits() {
    let c = counters_after(
        json!({"kind": "io_uring", "sq_entries": 4, "submit_getevents": true}),
        json!([
            {"op": "submit", "n": 4, "kind": "nop"},
            {"op": "submit", "n": 4, "kind": "nop"},
            {"op": "submit", "n": 4, "kind": "nop"},
            {"op": "reap", "n": 2},
            {"op": "submit", "n": 0},
            {"op": "submit", "n": 1, "kind": "nop"},
            {"op": "getevents", "min": 0}
        ]),
    );
    // Four enters that submitted (the last with GETEVENTS, the flag still set), the enter
    // with nothing to submit but GETEVENTS, and the explicit wait.
    assert_eq!(split(&c), (4, 2, 6));
}

/// Without `submit_getevents`, `io_uring_enter(fd, 0, 0, 0)` is still a call from the
/// submit side: it counts as a submit call, though it neither submits nor waits.
#[test]
fn io_uring_enter_with_nothing_to_do_counts_as_a_submit_call() {
    let c = counters_after(
        json!({"kind": "io_uring-5.5", "sq_entries": 4}),
        json!([{"op": "submit", "n": 0}, {"op": "submit", "n": 2, "kind": "nop"}, {"op": "getevents", "min": 0}]),
    );
    assert_eq!(split(&c), (2, 1, 3));
}

/// Every syscall is one or the other, in every model and under every reaper policy; the
/// ring-reading policy makes no getevents call, and libaio's skipped calls are neither.
#[test]
fn submit_and_getevents_calls_account_for_every_syscall_in_stochastic_runs() {
    for kind in ModelKind::ALL {
        for policy in ReaperPolicy::ALL {
            let mut scenario = heavy_scenario(heavy_model(kind));
            scenario.reaper.policy = policy;
            let mut sim = Sim::new(&scenario).expect("valid scenario");
            sim.run_until(200_000);
            let s = Summary::of(&sim);
            let case = format!("{} × {}", kind.name(), policy.name());
            assert!(s.submit_calls > 0, "{case}: the workload submits");
            assert_eq!(s.submit_calls + s.getevents_calls, s.syscalls, "{case}");
            match policy {
                ReaperPolicy::Ring => assert_eq!(s.getevents_calls, 0, "{case}: the ring reaper never calls"),
                ReaperPolicy::Syscall => assert!(s.getevents_calls > 0, "{case}: every reap is a call"),
                _ => {}
            }
        }
    }
    let mut sim = Sim::new(&lessons::default_scenario()).expect("valid scenario");
    sim.run_until(sim.end_ns());
    let c = sim.kernel().counters();
    assert_eq!(c.submit_calls + c.getevents_calls, c.syscalls, "default scenario");
}

#[test]
fn the_summary_json_carries_the_split() {
    let mut sim = Sim::new(&heavy_scenario(heavy_model(ModelKind::Aio))).expect("valid scenario");
    sim.run_until(100_000);
    let v = serde_json::to_value(Summary::of(&sim)).expect("summary serializes");
    let c = sim.kernel().counters();
    assert_eq!(v["submit_calls"], json!(c.submit_calls));
    assert_eq!(v["getevents_calls"], json!(c.getevents_calls));
    assert_eq!(v["syscalls"], json!(c.syscalls));
}
