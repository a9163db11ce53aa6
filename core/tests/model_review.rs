//! The deviations a review of the models found, each pinned by the rule it follows:
//! io_uring-5.5's enter with nothing to submit (U4.2a, U5.1), liburing's submit with
//! GETEVENTS (L1.6), teardown (B10, U4.2e), io_setup's errnos for the proposal and
//! aio-2012 (A1.1), and io_uring-5.1's 4096-entry limit (U1.2).

mod support;

use support::{count, err, ud};

use proptest::prelude::*;
use ringlab_core::link::{decode, encode, LinkState};
use ringlab_core::model::RequestKind;
use ringlab_core::script::{run, Script, ScriptRun, SetupLine, Step, StepLine, StepResult};
use ringlab_core::trace::{FlushTrigger, TraceKind};
use ringlab_core::{lessons, Errno, Latency, ModelSpec, Phase, ReaperPolicy, ReaperSpec, Scenario, Sim, Workload};
use serde_json::json;

fn script(model: serde_json::Value, steps: serde_json::Value) -> (SetupLine, Vec<StepLine>) {
    let script: Script = serde_json::from_value(json!({"model": model, "steps": steps})).expect("valid script");
    run(&script)
}

/// Runs `steps` and returns the runner too, for the kernel's counters.
fn script_run(model: serde_json::Value, steps: serde_json::Value) -> (ScriptRun, Vec<StepLine>) {
    let script: Script = serde_json::from_value(json!({"model": model, "steps": steps})).expect("valid script");
    let (mut run, _) = ScriptRun::setup(&script.model).expect("setup succeeds");
    let lines = script.steps.iter().map(|s| run.run_step(s)).collect();
    (run, lines)
}

fn nops(n: u32) -> serde_json::Value {
    json!({"op": "submit", "n": n, "kind": "nop"})
}

// ------------------------------------------------ io_uring-5.5: to_submit == 0 (U4.2a, U5.1)

/// U4.2a, U5.1: on 5.5–5.12 the flush (and -EBUSY) belong to the submit path, which
/// `io_uring_enter` runs only when `to_submit > 0`. An enter with nothing to submit leaves
/// the backlog alone and returns 0, even when the backlog could only be partly flushed;
/// a GETEVENTS wait still flushes (U4.2b) and never returns EBUSY.
#[test]
fn u4_2a_u5_1_io_uring_5_5_enter_with_nothing_to_submit_neither_flushes_nor_ebusy() {
    let (run, l) = script_run(
        json!({"kind": "io_uring-5.5", "sq_entries": 4}),
        json!([
            nops(4), nops(4), nops(4),
            {"op": "reap", "n": 2},
            {"op": "submit", "n": 0},
            {"op": "getevents", "min": 0},
            {"op": "submit", "n": 0},
            nops(1)
        ]),
    );
    assert_eq!((l[2].ring.clone(), l[2].backlog.clone()), (ud(0..8), ud(8..12)));
    // Two free slots, four on the backlog: a submit path would flush two and return EBUSY.
    assert_eq!(l[4].result, count(0), "nothing to submit: no EBUSY");
    assert_eq!(l[4].ring, ud(2..8), "no flush either");
    assert_eq!(l[4].backlog, ud(8..12));
    assert!(l[4].flag);
    // U4.2b: the GETEVENTS wait flushes what fits, and returns 0, not EBUSY.
    assert_eq!(l[5].result, count(0));
    assert_eq!((l[5].ring.clone(), l[5].backlog.clone()), (ud(2..10), vec![10, 11]));
    // The ring is full again: still no EBUSY without SQEs ...
    assert_eq!(l[6].result, count(0));
    // ... but a real submission cannot flush the backlog: U5.1.
    assert_eq!(l[7].result, err(Errno::EBUSY));
    assert_eq!(l[7].sq_pending, Some(1), "its SQE stays in the SQ ring");
    let c = run.kernel().counters();
    assert_eq!(c.ebusy, 1, "only the submission with an SQE was refused");
    assert_eq!(c.flushed_by(FlushTrigger::Submit), 0, "no submit path ran with the backlog flushable");
    assert_eq!(c.flushed_by(FlushTrigger::Syscall), 2);
}

/// U4.2a: SQEs left in the SQ ring by an EBUSY are still to be submitted, so an enter
/// with no new SQE runs the submit path: flush first, then the queued SQEs (TV-U4, 5.5).
#[test]
fn u4_2a_queued_sqes_after_ebusy_still_take_the_submit_path() {
    let (_, l) = script(
        json!({"kind": "io_uring-5.5", "sq_entries": 4}),
        json!([nops(4), nops(4), nops(4), nops(4), {"op": "submit", "n": 0}, {"op": "reap", "n": 8}, {"op": "submit", "n": 0}]),
    );
    assert_eq!(l[3].result, err(Errno::EBUSY));
    assert_eq!(l[3].sq_pending, Some(4));
    assert_eq!(l[4].result, err(Errno::EBUSY), "to_submit = 4 queued SQEs: the flush is tried and fails");
    assert_eq!(l[6].result, count(4));
    assert_eq!(l[6].ring, ud(8..16), "the flush moved 8..11, then the queued NOPs 12..15 followed");
    assert!(l[6].backlog.is_empty() && !l[6].flag);
    assert_eq!(l[6].sq_pending, Some(0));
}

// ------------------------------------------------ liburing's submit with GETEVENTS (L1.6)

fn uring(kind: &str, submit_getevents: bool) -> serde_json::Value {
    json!({"kind": kind, "sq_entries": 4, "submit_getevents": submit_getevents})
}

/// L1.6 (today's kernel): with the overflow flag set, liburing's `io_uring_submit` enters
/// with GETEVENTS. The NOP it submits goes behind the backlog (U3.6), then the wait's
/// flush moves what fits, in order.
#[test]
fn l1_6_liburing_submit_flushes_the_backlog_after_submitting() {
    let steps = json!([nops(4), nops(4), nops(4), {"op": "reap", "n": 3}, nops(1)]);
    let (_, raw) = script(uring("io_uring", false), steps.clone());
    let (_, lib) = script(uring("io_uring", true), steps);
    // Up to the reap both runs are the same: the third batch found the flag clear.
    for i in 0..4 {
        assert_eq!(
            (raw[i].ring.clone(), raw[i].backlog.clone()),
            (lib[i].ring.clone(), lib[i].backlog.clone()),
            "step {}",
            i + 1
        );
    }
    assert_eq!(raw[4].result, count(1));
    assert_eq!((raw[4].ring.clone(), raw[4].backlog.clone()), (ud(3..8), ud(8..13)), "raw enter: no flush");
    assert_eq!(lib[4].result, count(1), "the call returns the submit count");
    assert_eq!(lib[4].ring, ud(3..11), "5 old CQEs, then 8, 9, 10 flushed");
    assert_eq!(lib[4].backlog, vec![11, 12], "12 went behind the backlog before the flush");
    assert!(lib[4].flag, "the backlog is not empty yet");
}

/// TV-U4, the liburing variant: every submit of the overflow sequence with the flag set
/// adds GETEVENTS, but the CQ is full, so the flush moves nothing: the same end state.
#[test]
fn l1_6_tv_u4_submit_with_a_full_cq_ends_as_without_getevents() {
    let steps = json!([nops(4), nops(4), nops(4), nops(4)]);
    let (_, raw) = script(uring("io_uring", false), steps.clone());
    let (_, lib) = script(uring("io_uring", true), steps);
    for (a, b) in raw.iter().zip(&lib) {
        assert_eq!((a.result, &a.ring, &a.backlog, a.flag), (b.result, &b.ring, &b.backlog, b.flag), "step {}", a.step);
    }
    assert_eq!(lib[3].backlog, ud(8..16));
}

/// L1.6: liburing enters only when SQEs are pending or the CQ needs a flush. With nothing
/// to submit and the flag clear there is no system call; with the flag set it enters with
/// GETEVENTS and flushes.
#[test]
fn l1_6_liburing_enters_with_nothing_to_submit_only_for_the_flag() {
    let (run, l) = script_run(
        uring("io_uring", true),
        json!([{"op": "submit", "n": 0}, nops(4), nops(4), nops(4), {"op": "reap", "n": 8}, {"op": "submit", "n": 0}]),
    );
    assert_eq!(l[0].result, count(0));
    assert_eq!(l[5].result, count(0));
    assert_eq!(l[5].ring, ud(8..12), "the wait flushed the backlog into the emptied CQ");
    assert!(l[5].backlog.is_empty() && !l[5].flag);
    let c = run.kernel().counters();
    assert_eq!(c.syscalls, 4, "three submits and the flushing enter; the first submit made no call");
    assert_eq!(c.flushed_by(FlushTrigger::Submit), 4);
    // A raw io_uring_enter(0, 0, 0) is still a system call, and flushes nothing.
    let (raw, l) = script_run(
        uring("io_uring", false),
        json!([nops(4), nops(4), nops(4), {"op": "reap", "n": 8}, {"op": "submit", "n": 0}]),
    );
    assert_eq!(l[4].backlog, ud(8..12));
    assert_eq!(raw.kernel().counters().syscalls, 4);
}

/// L1.6 on 5.5–5.12: liburing returns the kernel's EBUSY (U5.1), and the wait is skipped
/// when the submission failed (U2.4): the backlog is not touched beyond the submit path.
#[test]
fn l1_6_on_5_5_ebusy_skips_the_wait() {
    let steps = json!([nops(4), nops(4), nops(4), {"op": "reap", "n": 2}, nops(4)]);
    let (_, raw) = script(uring("io_uring-5.5", true), steps.clone());
    assert_eq!(raw[4].result, err(Errno::EBUSY));
    assert_eq!(
        (raw[4].ring.clone(), raw[4].backlog.clone()),
        (ud(2..10), vec![10, 11]),
        "the submit path's flush only"
    );
    assert_eq!(raw[4].sq_pending, Some(4));
    // 5.5–5.7 (no flag) and 5.1–5.3 (no flag, no backlog): liburing never adds GETEVENTS.
    let (run, l) = script_run(
        json!({"kind": "io_uring-5.5", "sq_entries": 4, "flag": false, "submit_getevents": true}),
        json!([nops(4), nops(4), nops(4), {"op": "reap", "n": 8}, {"op": "submit", "n": 0}]),
    );
    assert_eq!(l[4].backlog, ud(8..12), "no flag, so no enter and no flush");
    assert_eq!(run.kernel().counters().syscalls, 3);
    let (run, _) =
        script_run(uring("io_uring-5.1", true), json!([nops(4), nops(4), nops(4), {"op": "submit", "n": 0}]));
    assert_eq!(run.kernel().counters().syscalls, 3);
    assert_eq!(run.kernel().counters().dropped, 4);
}

fn stochastic(submit_getevents: bool) -> Scenario {
    Scenario {
        title: String::new(),
        seed: 3,
        model: serde_json::from_value(
            json!({"kind": "io_uring", "sq_entries": 4, "submit_getevents": submit_getevents}),
        )
        .unwrap(),
        // Reads the CQ ring from userspace and never enters the kernel.
        reaper: ReaperSpec { policy: ReaperPolicy::Ring, interval_ns: 20_000, batch: 8, blocking: false },
        workload: Workload {
            phases: vec![Phase {
                name: "nops".into(),
                duration_ns: 2_000_000,
                submit_rate: 400_000.0,
                batch: 4,
                queue_depth: 64,
                latency: Latency::Fixed { ns: 1_000 },
                kind: RequestKind::Nop,
                ..Phase::default()
            }],
        },
        steps: None,
        lesson: None,
    }
}

/// L1.6 in the stochastic simulator: the submitter is the only caller that enters the
/// kernel. As a raw `io_uring_enter` it never flushes, so once the backlog forms, every
/// later CQE joins it (U3.6) and a ring-only reaper starves; as liburing's submit it
/// flushes the backlog on every call while the flag is set, and the reaper keeps up.
#[test]
fn l1_6_the_stochastic_submitter_flushes_what_a_ring_only_reaper_never_would() {
    let mut raw = Sim::new(&stochastic(false)).unwrap();
    raw.run_until(2_000_000);
    let mut lib = Sim::new(&stochastic(true)).unwrap();
    lib.run_until(2_000_000);
    let (r, l) = (raw.view(), lib.view());
    assert!(!r.overflow_list.is_empty(), "raw enter: the backlog is stuck: {:?}", r.counters);
    assert_eq!(r.counters.flushed_total(), 0);
    assert!(r.ledger.holds && l.ledger.holds);
    assert!(l.counters.flushed_by(FlushTrigger::Submit) > 0, "{:?}", l.counters);
    assert_eq!(l.counters.flushed_total(), l.counters.flushed_by(FlushTrigger::Submit), "only the submitter flushes");
    assert!(
        l.counters.reaped() > 2 * r.counters.reaped(),
        "liburing's submit keeps the reaper fed: {} vs {}",
        l.counters.reaped(),
        r.counters.reaped()
    );
    assert_eq!(l.counters.dropped, 0);
}

/// The option travels in links (as `submit_getevents`), and is left out when off, so every
/// existing link and run hash stays as it was.
#[test]
fn l1_6_the_option_round_trips_through_a_link() {
    let mut state = LinkState::new(stochastic(true));
    state.time_ns = 500_000;
    let link = encode(&state);
    assert!(link.contains("submit_getevents=true"), "{link}");
    let d = decode(&link, &lessons::default_scenario(), &lessons::lesson);
    assert_eq!(d.problems, vec![]);
    assert_eq!(d.state.scenario.model, state.scenario.model);
    let off = encode(&LinkState::new(stochastic(false)));
    assert!(!off.contains("submit_getevents"), "{off}");
    // Set by its own key on an io_uring model; refused (and named) on another model.
    let d = decode("v=1&model=io_uring-5.5&submit_getevents=true", &lessons::default_scenario(), &lessons::lesson);
    assert_eq!(d.problems, vec![]);
    match &d.state.scenario.model {
        ModelSpec::IoUring55(u) => assert!(u.submit_getevents),
        other => panic!("{other:?}"),
    }
    let d = decode("v=1&model=aio&submit_getevents=true", &lessons::default_scenario(), &lessons::lesson);
    assert_eq!(d.problems.len(), 1, "{:?}", d.problems);
    assert!(d.problems[0].to_string().contains("has no option `submit_getevents`"), "{}", d.problems[0]);
}

// ------------------------------------------------ teardown (B10, U4.2e)

/// B10: io_destroy discards the proposal's overflow list; each discarded completion is
/// counted as dropped and traced; the flag clears and the timer is disarmed.
#[test]
fn b10_destroy_discards_the_proposals_list_as_dropped() {
    let (run, l) = script_run(
        json!({"kind": "proposal", "ring_entries": 8, "max_requests": 32, "timer_ns": 5_000_000}),
        json!([nops(16), {"op": "destroy"}, {"op": "advance", "ns": 20_000_000}]),
    );
    assert_eq!(l[0].backlog, ud(7..16));
    assert!(l[0].flag);
    assert_eq!(l[1].op, "destroy");
    assert_eq!(l[1].result, count(0));
    assert!(l[1].backlog.is_empty(), "the list is gone");
    assert!(!l[1].flag);
    assert_eq!(l[1].ring, ud(0..7), "what the ring held stays as it was");
    let k = run.kernel();
    assert_eq!(k.next_deadline(), None, "the timer went with the context");
    assert_eq!(l[2].ring, ud(0..7), "no timer flush after the destroy");
    assert_eq!(k.counters().dropped, 9);
    assert_eq!(k.dropped_on_destroy(), 9);
    let dropped: Vec<u64> = k
        .trace()
        .events()
        .filter_map(|e| match e.kind {
            TraceKind::Dropped { user_data } => Some(user_data),
            _ => None,
        })
        .collect();
    assert_eq!(dropped, ud(7..16), "one trace entry per discarded completion, oldest first");
}

/// U4.2e, U4.1: ring teardown on today's kernel frees the backlog without posting it and
/// clears the flag; cq.overflow does not count it (U5.3: only allocation failures). On
/// 5.5–5.12 the forced flush counts what it could not post in cq.overflow (U4.1, U5.3).
#[test]
fn u4_2e_teardown_discards_the_backlog_by_version() {
    let steps = json!([nops(4), nops(4), nops(4), nops(1), {"op": "destroy"}]);
    let (run, l) = script_run(uring("io_uring", false), steps.clone());
    assert_eq!(l[3].backlog, ud(8..13));
    assert_eq!(l[4].result, count(0));
    assert!(l[4].backlog.is_empty() && !l[4].flag);
    assert_eq!(l[4].overflow, 0, "today: teardown drops are not counted in cq.overflow");
    assert_eq!(l[4].sq_pending, Some(0));
    assert_eq!((run.kernel().counters().dropped, run.kernel().dropped_on_destroy()), (5, 5));

    let (run, l) = script_run(uring("io_uring-5.5", false), steps);
    assert_eq!(l[3].result, err(Errno::EBUSY), "5.5: the fourth submit could not flush");
    assert_eq!(l[3].sq_pending, Some(1));
    assert!(l[4].backlog.is_empty() && !l[4].flag);
    assert_eq!(l[4].overflow, 4, "5.5–5.12: the forced flush counts the unposted entries");
    assert_eq!(l[4].sq_pending, Some(0), "the SQE never consumed goes with the ring");
    assert_eq!(run.kernel().counters().dropped, 4);
}

/// B10, U4.2e: requests still in flight are cancelled at teardown and never reach the
/// application (counted as dropped: the ledger still balances); calls on the dead handle
/// fail, EINVAL for an aio context (A1.5, A3.7), EBADF for a closed ring fd; time still
/// passes and the device has nothing left to complete.
#[test]
fn b10_u4_2e_after_destroy_calls_fail_and_nothing_changes() {
    for (model, dead) in [
        (json!({"kind": "aio", "nr_events": 4, "cpus": 2}), Errno::EINVAL),
        (json!({"kind": "aio-2012", "nr_events": 4}), Errno::EINVAL),
        (json!({"kind": "proposal"}), Errno::EINVAL),
        (uring("io_uring", false), Errno::EBADF),
        (uring("io_uring-5.5", false), Errno::EBADF),
        (uring("io_uring-5.1", false), Errno::EBADF),
    ] {
        let name = model["kind"].clone();
        let (run, l) = script_run(
            model,
            json!([
                {"op": "submit", "n": 3, "kind": "io"},
                {"op": "complete", "n": 1},
                {"op": "destroy"},
                {"op": "submit", "n": 1, "kind": "nop"},
                {"op": "getevents", "min": 0, "max": 8},
                {"op": "reap", "n": 8},
                {"op": "complete", "n": 2},
                {"op": "fail_next_alloc"},
                {"op": "destroy"},
                {"op": "advance", "ns": 1000}
            ]),
        );
        assert_eq!(l[2].result, count(0), "{name}");
        assert_eq!(l[2].in_flight, 0, "{name}: the two in flight were cancelled");
        assert_eq!(l[2].ring, vec![0], "{name}");
        for line in &l[3..6] {
            assert_eq!(line.result, err(dead), "{name}: {} after destroy", line.op);
        }
        assert_eq!(l[6].result, count(0), "{name}: nothing left in flight to complete");
        assert_eq!((l[7].result, l[8].result), (err(dead), err(dead)), "{name}");
        assert_eq!(l[9].result, count(0), "{name}: time passes");
        assert_eq!(l[9].time_ns, 1000);
        for line in &l[3..] {
            assert_eq!(
                (&line.ring, &line.backlog, line.in_flight, line.flag),
                (&l[2].ring, &l[2].backlog, 0, false),
                "{name}"
            );
            assert!(line.reaped.is_empty(), "{name}");
        }
        let c = run.kernel().counters();
        assert_eq!((c.submitted, c.dropped, c.reaped()), (3, 2, 0), "{name}");
        assert_eq!(run.kernel().dropped_on_destroy(), 2, "{name}");
        assert_eq!(run.kernel().teardown_errno(), Some(dead));
    }
}

/// The destroy step is read by serde (files, the CLI) and refused with a field; it travels
/// in a link's step list, which the hand-written reader reads (`crate::json`'s own tests
/// check it against serde).
#[test]
fn b10_destroy_step_in_files_and_links() {
    let s = Script::from_json(r#"{"model": {"kind": "aio", "nr_events": 1}, "steps": [{"op": "destroy"}]}"#).unwrap();
    assert_eq!(s.steps, vec![Step::Destroy {}]);
    assert!(Script::from_json(r#"{"model": {"kind": "aio", "nr_events": 1}, "steps": [{"op": "destroy", "n": 1}]}"#)
        .is_err());
    let mut scenario = lessons::default_scenario();
    scenario.steps = Some(vec![Step::Submit { n: 16, kind: RequestKind::Nop }, Step::Destroy {}]);
    let link = encode(&LinkState::new(scenario.clone()));
    let d = decode(&link, &lessons::default_scenario(), &lessons::lesson);
    assert_eq!(d.problems, vec![]);
    assert_eq!(d.state.scenario.steps, scenario.steps);
    // And the scripted run in the app's simulator shows the empty list after it.
    let mut sim = Sim::new(&d.state.scenario).unwrap();
    while sim.step().is_some() {}
    let v = sim.view();
    assert!(v.overflow_list.is_empty());
    assert_eq!(v.flag, Some(false));
    assert!(v.ledger.holds, "{:?}", v.ledger);
    assert_eq!(v.counters.dropped, 9);
}

fn any_model() -> impl Strategy<Value = serde_json::Value> {
    prop_oneof![
        (1u32..300).prop_map(|n| json!({"kind": "aio-2012", "nr_events": n})),
        (1u32..300, 1u32..5).prop_map(|(n, cpus)| json!({"kind": "aio", "nr_events": n, "cpus": cpus})),
        (2u32..20, 1u32..64, 0u64..3).prop_map(|(ring, max, timer)| {
            json!({"kind": "proposal", "ring_entries": ring, "max_requests": max, "timer_ns": timer * 1000})
        }),
        (prop_oneof![Just("io_uring"), Just("io_uring-5.5"), Just("io_uring-5.1")], 1u32..9, any::<bool>())
            .prop_map(|(kind, sq, lib)| json!({"kind": kind, "sq_entries": sq, "submit_getevents": lib})),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    /// B10, U4.2e, L1.6 over random scripts: the ledger balances through a destroy and
    /// liburing's submit; after a destroy the list is empty, nothing is in flight, and no
    /// later step changes what is observed (only the clock moves).
    #[test]
    fn destroy_and_liburing_submit_keep_the_ledger(model in any_model(), steps in prop::collection::vec(any_step(), 0..40)) {
        let model: ModelSpec = serde_json::from_value(model).unwrap();
        let Ok((mut run, _)) = ScriptRun::setup(&model) else { return Ok(()) };
        let mut after_destroy: Option<StepLine> = None;
        for step in &steps {
            let line = run.run_step(step);
            let k = run.kernel();
            let c = k.counters();
            prop_assert_eq!(
                c.submitted,
                k.in_flight() as u64 + line.ring.len() as u64 + line.backlog.len() as u64 + c.reaped() + c.dropped
            );
            if let Some(flag) = k.flag() {
                prop_assert_eq!(flag, !line.backlog.is_empty());
            }
            if let Some(first) = &after_destroy {
                prop_assert_eq!((&line.ring, &line.backlog, line.in_flight, line.head, line.tail),
                                (&first.ring, &first.backlog, 0, first.head, first.tail));
                prop_assert!(line.reaped.is_empty());
                if !matches!(step, Step::Advance { .. } | Step::Complete { .. }) {
                    prop_assert_eq!(line.result, StepResult::Error(k.teardown_errno().unwrap()));
                }
            } else if matches!(step, Step::Destroy {}) {
                prop_assert_eq!(line.result, StepResult::Count(0));
                prop_assert!(line.backlog.is_empty());
                prop_assert_eq!(line.in_flight, 0);
                prop_assert!(k.dropped_on_destroy() <= c.dropped);
                after_destroy = Some(line.clone());
            }
        }
    }
}

// ------------------------------------------------ io_setup's errnos (A1.1)

/// A1.1 through B1: the proposal's max_requests is the io_setup argument, so its bounds
/// answer with io_setup's errnos, and the script's setup line shows them.
#[test]
fn a1_1_proposal_max_requests_out_of_range_returns_io_setups_errno() {
    for (n, expected) in [
        (0u64, Some(Errno::EINVAL)),
        (1, None),
        (65536, None),
        (65537, Some(Errno::EAGAIN)),
        (8_388_608, Some(Errno::EAGAIN)),
        (8_388_609, Some(Errno::EINVAL)),
    ] {
        let (setup, lines) = script(json!({"kind": "proposal", "max_requests": n}), json!([nops(1)]));
        match expected {
            None => assert_eq!(setup.result, count(0), "max_requests {n}"),
            Some(e) => {
                assert_eq!(setup.result, err(e), "max_requests {n}");
                let why = setup.error.as_deref().unwrap();
                assert!(why.contains("max_requests") && why.contains(&format!("the kernel returns {e}")), "{why}");
                assert!(lines.is_empty());
            }
        }
    }
    // A simulator parameter that is no io_setup argument has no kernel errno.
    let (setup, _) = script(json!({"kind": "proposal", "ring_entries": 1}), json!([]));
    assert!(!setup.error.unwrap().contains("the kernel returns"));
}

/// A1.1: aio-2012's io_setup: 0 and above 0x10000000/32 → EINVAL, above aio_max_nr → EAGAIN,
/// on the setup line as the probe reports the real kernel's.
#[test]
fn a1_1_aio_2012_io_setup_bounds() {
    for (n, expected) in [
        (0u64, err(Errno::EINVAL)),
        (1, count(0)),
        (65536, count(0)),
        (65537, err(Errno::EAGAIN)),
        (8_388_608, err(Errno::EAGAIN)),
        (8_388_609, err(Errno::EINVAL)),
        (4_294_967_295, err(Errno::EINVAL)),
    ] {
        let (setup, _) = script(json!({"kind": "aio-2012", "nr_events": n}), json!([]));
        assert_eq!(setup.result, expected, "io_setup({n})");
    }
    let lines = ringlab_core::script::run_to_json_lines(
        &Script::from_json(r#"{"model": {"kind": "aio-2012", "nr_events": 65537}, "steps": []}"#).unwrap(),
    );
    let setup: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
    assert_eq!(setup["result"], json!("EAGAIN"));
}

// ------------------------------------------------ io_uring-5.1 is 5.1–5.3 (U1.2)

/// U1.2: 4096 entries is the limit of 5.1–5.3 (5.4 raised it to 32768), which is what the
/// io_uring-5.1 model stands for.
#[test]
fn u1_2_io_uring_5_1_stands_for_5_1_to_5_3() {
    let setup = |kind: &str, sq: u32| script(json!({"kind": kind, "sq_entries": sq}), json!([])).0;
    assert_eq!(setup("io_uring-5.1", 4096).info.sq_entries, Some(4096));
    let refused = setup("io_uring-5.1", 4097);
    assert_eq!(refused.result, err(Errno::EINVAL));
    assert!(refused.error.unwrap().contains("allowed 1 to 4096"));
    assert_eq!(setup("io_uring-5.5", 32768).info.sq_entries, Some(32768));
}

/// Any step, `destroy` included.
fn any_step() -> impl Strategy<Value = Step> {
    prop_oneof![support::step_strategy(), Just(Step::Destroy {})]
}
