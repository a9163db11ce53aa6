//! The rules' test vectors (`docs/kernel-rules.md`, TV-*) and the measured observations
//! (on a real 6.18 kernel, by the probe), run through the script runner.

mod support;

use support::{count, err, ud};

use ringlab_core::script::{run, Script, SetupLine, StepLine};
use ringlab_core::Errno;
use serde_json::json;

fn script(model: serde_json::Value, steps: serde_json::Value) -> (SetupLine, Vec<StepLine>) {
    let script: Script = serde_json::from_value(json!({"model": model, "steps": steps})).expect("valid script");
    run(&script)
}

// ---------------------------------------------------------------- aio sizing (A0.7)

#[test]
fn tv_a1_ring_sizes_2012() {
    for (n, nr) in [(1, 127), (125, 127), (126, 255), (253, 255), (254, 383)] {
        let (setup, _) = script(json!({"kind": "aio-2012", "nr_events": n}), json!([]));
        assert_eq!(setup.result, count(0));
        assert_eq!(setup.info.ring_entries, Some(nr), "io_setup({n})");
    }
}

#[test]
fn observed_today_aio_sizes_with_two_cpus() {
    // kernel-observations: with 2 CPUs, n = 1, 2, 4, 8 → nr 127; n = 64 → nr 255.
    for (n, nr) in [(1, 127), (2, 127), (4, 127), (8, 127), (64, 255)] {
        let (setup, _) = script(json!({"kind": "aio", "nr_events": n, "cpus": 2}), json!([]));
        assert_eq!(setup.info.ring_entries, Some(nr), "io_setup({n})");
        assert_eq!(setup.info.req_batch, Some((nr - 1) / 8));
    }
}

#[test]
fn aio_setup_errors() {
    for kind in ["aio", "aio-2012"] {
        let (setup, lines) = script(json!({"kind": kind, "nr_events": 0}), json!([{"op": "submit", "n": 1}]));
        assert_eq!(setup.result, err(Errno::EINVAL));
        assert!(setup.error.as_deref().unwrap().contains("nr_events"));
        assert!(lines.is_empty(), "no steps run after a failed setup");
        let (setup, _) = script(json!({"kind": kind, "nr_events": 65537}), json!([]));
        assert_eq!(setup.result, err(Errno::EAGAIN), "{kind}: above aio-max-nr");
    }
}

#[test]
fn today_aio_setup_wraps_like_the_kernel() {
    // Found by ringlab-probe on 6.18: n' is doubled in 32-bit unsigned arithmetic.
    for (n, expected) in [
        (2_147_483_648u64, Errno::EAGAIN),
        (2_151_677_952, Errno::EAGAIN),
        (2_151_677_953, Errno::EINVAL),
        (4_194_305, Errno::EINVAL),
    ] {
        let (setup, _) = script(json!({"kind": "aio", "nr_events": n, "cpus": 2}), json!([]));
        assert_eq!(setup.result, err(expected), "io_setup({n})");
    }
}

// ---------------------------------------------------------------- aio admission

#[test]
fn tv_a2_2012_admission_and_partial_submit() {
    let (setup, l) = script(
        json!({"kind": "aio-2012", "nr_events": 4}),
        json!([
            {"op": "submit", "n": 200, "kind": "io"},
            {"op": "submit", "n": 1, "kind": "io"},
            {"op": "complete", "n": 10},
            {"op": "submit", "n": 1, "kind": "io"},
            {"op": "getevents", "min": 0, "max": 10},
            {"op": "submit", "n": 20, "kind": "io"}
        ]),
    );
    assert_eq!(setup.info.ring_entries, Some(127));
    assert_eq!(l[0].result, count(126));
    assert_eq!(l[1].result, err(Errno::EAGAIN));
    assert_eq!((l[2].tail, l[2].in_flight), (10, 116));
    assert_eq!(l[3].result, err(Errno::EAGAIN), "avail = 126 − 10 − 116 = 0");
    assert_eq!(l[4].result, count(10));
    assert_eq!(l[4].reaped, ud(0..10));
    assert_eq!(l[4].head, 10);
    assert_eq!(l[5].result, count(10));
}

#[test]
fn tv_a3_2012_userspace_reaping_frees_capacity() {
    let (_, l) = script(
        json!({"kind": "aio-2012", "nr_events": 4}),
        json!([
            {"op": "submit", "n": 200, "kind": "io"},
            {"op": "complete", "n": 10},
            {"op": "reap", "n": 10},
            {"op": "submit", "n": 20, "kind": "io"}
        ]),
    );
    assert_eq!(l[2].head, 10);
    assert_eq!(l[3].result, count(10));
}

#[test]
fn tv_a5_today_one_cpu_strands_slots() {
    let (setup, l) = script(
        json!({"kind": "aio", "nr_events": 4, "cpus": 1}),
        json!([{"op": "submit", "n": 200, "kind": "io"}, {"op": "submit", "n": 1, "kind": "io"}]),
    );
    assert_eq!(setup.info.ring_entries, Some(127));
    assert_eq!(setup.info.reqs_available, Some(126));
    assert_eq!(setup.info.req_batch, Some(31));
    assert_eq!(l[0].result, count(124), "four batches of 31, 2 stranded");
    assert_eq!(l[1].result, err(Errno::EAGAIN));
}

#[test]
fn tv_a6_today_more_cpus() {
    let (setup, l) =
        script(json!({"kind": "aio", "nr_events": 4, "cpus": 4}), json!([{"op": "submit", "n": 200, "kind": "io"}]));
    assert_eq!(setup.info.req_batch, Some(7));
    assert_eq!(l[0].result, count(126));
    // kernel-observations: 2 CPUs, io_setup(1) → 120 in flight, then EAGAIN.
    let (setup, l) = script(
        json!({"kind": "aio", "nr_events": 1, "cpus": 2}),
        json!([{"op": "submit", "n": 200, "kind": "io"}, {"op": "submit", "n": 1, "kind": "io"}]),
    );
    assert_eq!(setup.info.req_batch, Some(15));
    assert_eq!(l[0].result, count(120));
    assert_eq!(l[1].result, err(Errno::EAGAIN));
}

#[test]
fn tv_a7_today_lazy_refill() {
    let (_, l) = script(
        json!({"kind": "aio", "nr_events": 4, "cpus": 1}),
        json!([
            {"op": "submit", "n": 200, "kind": "io"},
            {"op": "complete", "n": 2},
            {"op": "reap", "n": 2},
            {"op": "complete", "n": 1},
            {"op": "submit", "n": 3, "kind": "io"}
        ]),
    );
    assert_eq!(l[1].tail, 2);
    assert_eq!(l[2].head, 2);
    assert_eq!(l[3].tail, 3);
    assert_eq!(l[4].result, count(2), "the third finds kcpu = 0 and global 2 < 31");
}

#[test]
fn tv_a8_today_refill_on_submit() {
    let (_, l) = script(
        json!({"kind": "aio", "nr_events": 4, "cpus": 1}),
        json!([
            {"op": "submit", "n": 200, "kind": "io"},
            {"op": "complete", "n": 124},
            {"op": "submit", "n": 1, "kind": "io"},
            {"op": "reap", "n": 124},
            {"op": "submit", "n": 1, "kind": "io"}
        ]),
    );
    assert_eq!(l[2].result, err(Errno::EAGAIN), "completed but unreaped events still hold their slots");
    assert_eq!(l[3].head, 124);
    assert_eq!(l[4].result, count(1));
}

#[test]
fn observed_today_reaping_k_frees_exactly_k() {
    // kernel-observations: reaping k events, by io_getevents or by head, makes exactly k available.
    for reap in [json!({"op": "getevents", "min": 0, "max": 5}), json!({"op": "reap", "n": 5})] {
        let (_, l) = script(
            json!({"kind": "aio", "nr_events": 1, "cpus": 2}),
            json!([
                {"op": "submit", "n": 200, "kind": "io"},
                {"op": "complete", "n": 120},
                reap,
                {"op": "submit", "n": 200, "kind": "io"}
            ]),
        );
        assert_eq!(l[0].result, count(120));
        assert_eq!(l[3].result, count(5));
    }
}

#[test]
fn aio_completion_order_is_ring_order() {
    let (_, l) = script(
        json!({"kind": "aio", "nr_events": 1, "cpus": 2}),
        json!([{"op": "submit", "n": 3, "kind": "io"}, {"op": "complete", "n": 3}, {"op": "getevents", "min": 1, "max": 8}]),
    );
    assert_eq!(l[2].reaped, vec![0, 1, 2]);
    assert_eq!(l[2].result, count(3));
}

#[test]
fn aio_getevents_min_above_max_is_einval() {
    for kind in ["aio", "aio-2012", "proposal"] {
        let model = if kind == "proposal" { json!({"kind": kind}) } else { json!({"kind": kind, "nr_events": 4}) };
        let (_, l) = script(model, json!([{"op": "getevents", "min": 5, "max": 4}]));
        assert_eq!(l[0].result, err(Errno::EINVAL), "{kind}");
    }
}

// ---------------------------------------------------------------- the proposal (B)

fn proposal() -> serde_json::Value {
    json!({"kind": "proposal", "ring_entries": 8, "max_requests": 32, "timer_ns": 5_000_000})
}

#[test]
fn tv_k1_overflow_and_flag() {
    let (_, l) =
        script(proposal(), json!([{"op": "submit", "n": 16, "kind": "nop"}, {"op": "submit", "n": 30, "kind": "io"}]));
    assert_eq!(l[0].ring, ud(0..7));
    assert_eq!(l[0].backlog, ud(7..16));
    assert!(l[0].flag);
    assert_eq!(l[0].in_flight, 0);
    assert_eq!(l[1].result, count(23), "9 on the list + 23 in flight = 32");
}

#[test]
fn tv_k2_stuck_events_rescued_by_the_timer() {
    let (_, l) = script(
        proposal(),
        json!([
            {"op": "submit", "n": 16, "kind": "nop"},
            {"op": "reap", "n": 7},
            {"op": "advance", "ns": 4_999_999},
            {"op": "advance", "ns": 1},
            {"op": "reap", "n": 7},
            {"op": "advance", "ns": 5_000_000}
        ]),
    );
    assert_eq!(l[1].ring, Vec::<u64>::new(), "head == tail: libaio would skip the syscall");
    assert_eq!(l[1].backlog.len(), 9, "although 9 events exist");
    assert_eq!(l[2].backlog.len(), 9, "the timer has not fired yet");
    assert_eq!(l[3].ring, ud(7..14));
    assert_eq!(l[3].backlog, vec![14, 15]);
    assert!(l[3].flag);
    assert_eq!(l[5].ring, vec![14, 15]);
    assert!(l[5].backlog.is_empty());
    assert!(!l[5].flag);
}

/// TV-K3: the flag-aware reaper's syscall is a refilling read (B4b): it drains e7..e13,
/// copies them out, refills e14 and e15 into the freed room and copies e14.
#[test]
fn tv_k3_flag_aware_syscall_is_a_refilling_read() {
    let stuck = json!([{"op": "submit", "n": 16, "kind": "nop"}, {"op": "reap", "n": 7}]);
    for min in [0, 1, 8] {
        let mut steps = stuck.clone();
        steps.as_array_mut().unwrap().push(json!({"op": "getevents", "min": min, "max": 8}));
        let (_, l) = script(proposal(), steps);
        assert_eq!(l[1].ring, Vec::<u64>::new(), "head == tail with 9 events on the list");
        assert!(l[1].flag);
        assert_eq!(l[2].result, count(8), "min {min} decides only whether it waits, not how much it copies");
        assert_eq!(l[2].reaped, ud(7..15), "e7..e14");
        assert_eq!(l[2].ring, vec![15], "the freed room took e14 and e15; e15 stays in the ring");
        assert!(l[2].backlog.is_empty());
        assert!(!l[2].flag, "the list is empty: flag cleared");
    }
    // With max ≥ 9 one call returns all nine.
    let mut steps = stuck.clone();
    steps.as_array_mut().unwrap().push(json!({"op": "getevents", "min": 0, "max": 128}));
    let (_, l) = script(proposal(), steps);
    assert_eq!(l[2].result, count(9));
    assert_eq!(l[2].reaped, ud(7..16));
    assert!(l[2].ring.is_empty() && l[2].backlog.is_empty() && !l[2].flag);
}

/// TV-K3b: libaio alone never strands events (B4b, B8.i). Sixteen completions, no
/// userspace reaping: each `io_getevents(0, 8)` refills the ring as it copies out, so
/// the ring is never empty after a syscall while the list is not.
#[test]
fn tv_k3b_libaio_alone_never_strands() {
    let (_, l) = script(
        proposal(),
        json!([
            {"op": "submit", "n": 16, "kind": "nop"},
            {"op": "getevents", "min": 0, "max": 8},
            {"op": "getevents", "min": 0, "max": 8}
        ]),
    );
    assert_eq!(l[1].result, count(8));
    assert_eq!(l[1].reaped, ud(0..8), "e0..e6 copied, e7..e13 refilled, e7 copied");
    assert_eq!(l[1].ring, ud(8..15), "the ring is full again: e8..e14");
    assert_eq!(l[1].backlog, vec![15]);
    assert!(l[1].flag);
    assert_eq!(l[2].result, count(8));
    assert_eq!(l[2].reaped, ud(8..16));
    assert!(l[2].ring.is_empty() && l[2].backlog.is_empty() && !l[2].flag);
    for line in &l[1..] {
        assert!(line.backlog.is_empty() || line.ring.len() == 7, "step {}: list non-empty ⇒ ring full", line.step);
    }
}

#[test]
fn tv_k4_drain_on_completion_keeps_order() {
    let steps = json!([
        {"op": "submit", "n": 8, "kind": "io"},
        {"op": "complete", "n": 8},
        {"op": "reap", "n": 3},
        {"op": "submit", "n": 1, "kind": "io"},
        {"op": "complete", "n": 1}
    ]);
    let mut model = proposal();
    model["timer_ns"] = json!(0);
    let (_, l) = script(model.clone(), steps.clone());
    assert_eq!(l[1].backlog, vec![7]);
    // The submit is a syscall too (B4b): it drains e7 before e8 exists.
    assert_eq!(l[3].ring, ud(3..8));
    assert_eq!(l[4].ring, ud(3..9), "e3..e8 in order");

    // Without append-behind and without drains on completion or submit, e8 overtakes e7.
    let steps = json!([
        {"op": "submit", "n": 9, "kind": "io"},
        {"op": "complete", "n": 8},
        {"op": "reap", "n": 3},
        {"op": "complete", "n": 1}
    ]);
    model["append_behind"] = json!(false);
    model["drain_on_completion"] = json!(false);
    let (_, l) = script(model, steps);
    assert_eq!(l[3].ring, vec![3, 4, 5, 6, 8], "reordered: e8 is in the ring before e7");
    assert_eq!(l[3].backlog, vec![7]);
}

#[test]
fn tv_k5_today_oversizes_instead_of_overflowing() {
    let (setup, l) = script(
        json!({"kind": "aio", "nr_events": 32, "cpus": 1}),
        json!([{"op": "submit", "n": 16, "kind": "nop"}, {"op": "submit", "n": 30, "kind": "io"}]),
    );
    assert_eq!(setup.info.ring_entries, Some(127));
    assert_eq!(l[0].ring.len(), 16);
    assert!(l[0].backlog.is_empty());
    assert_eq!(l[1].result, count(30));
}

#[test]
fn proposal_timer_without_rearm_waits_for_a_syscall() {
    let mut model = proposal();
    model["timer_rearm"] = json!(false);
    let (_, l) = script(
        model,
        json!([
            {"op": "submit", "n": 16, "kind": "nop"},
            {"op": "advance", "ns": 5_000_000},
            {"op": "reap", "n": 7},
            {"op": "advance", "ns": 50_000_000},
            {"op": "getevents", "min": 0, "max": 100}
        ]),
    );
    assert_eq!(l[1].backlog.len(), 9, "the ring was full when the timer fired: nothing moved");
    assert_eq!(l[3].backlog.len(), 9, "no re-arm: the list stays stuck");
    assert_eq!(l[4].reaped, ud(7..16), "the syscall's refilling read takes all nine (B4b)");
    assert!(l[4].backlog.is_empty());
}

#[test]
fn proposal_admission_variant_counts_the_ring() {
    let mut model = proposal();
    model["admission"] = json!("in_flight+list+ring");
    let (_, l) =
        script(model, json!([{"op": "submit", "n": 16, "kind": "nop"}, {"op": "submit", "n": 30, "kind": "io"}]));
    assert_eq!(l[1].result, count(16), "7 in ring + 9 on the list + 16 in flight = 32");
}

// ---------------------------------------------------------------- io_uring sizing (U1)

fn uring_setup(kind: &str, sq: u32, cq: Option<u32>, clamp: bool) -> SetupLine {
    let mut model = json!({"kind": kind, "sq_entries": sq, "clamp": clamp});
    if let Some(cq) = cq {
        model["cq_entries"] = json!(cq);
    }
    script(model, json!([])).0
}

#[test]
fn tv_u1_sizes() {
    let sizes = |s: SetupLine| (s.info.sq_entries, s.info.cq_entries);
    assert_eq!(sizes(uring_setup("io_uring", 4, None, false)), (Some(4), Some(8)));
    assert_eq!(sizes(uring_setup("io_uring", 5, None, false)), (Some(8), Some(16)));
    for (req, sq) in [(1, 1), (3, 4), (4, 4), (5, 8)] {
        assert_eq!(uring_setup("io_uring", req, None, false).info.sq_entries, Some(sq));
    }
    assert_eq!(uring_setup("io_uring", 0, None, false).result, err(Errno::EINVAL));
    assert_eq!(uring_setup("io_uring", 40000, None, false).result, err(Errno::EINVAL));
    assert_eq!(sizes(uring_setup("io_uring", 40000, None, true)), (Some(32768), Some(65536)));
    assert_eq!(uring_setup("io_uring-5.1", 5000, None, false).result, err(Errno::EINVAL));
    assert_eq!(sizes(uring_setup("io_uring", 4, Some(64), false)), (Some(4), Some(64)));
    assert_eq!(uring_setup("io_uring", 4, Some(0), false).result, err(Errno::EINVAL));
    assert_eq!(uring_setup("io_uring", 8, Some(4), false).result, err(Errno::EINVAL));
    assert_eq!(uring_setup("io_uring", 8, Some(4), true).result, err(Errno::EINVAL), "CLAMP does not rescue cq < sq");
    assert_eq!(sizes(uring_setup("io_uring", 100, Some(100), false)), (Some(128), Some(128)));
    assert_eq!(sizes(uring_setup("io_uring", 4, Some(7), false)), (Some(4), Some(8)));
    assert_eq!(uring_setup("io_uring", 4, Some(70000), false).result, err(Errno::EINVAL));
    assert_eq!(sizes(uring_setup("io_uring", 4, Some(70000), true)), (Some(4), Some(65536)));
    assert_eq!(uring_setup("io_uring-5.1", 4, Some(8), false).result, err(Errno::EINVAL), "no CQSIZE before 5.5");
}

fn batches_of_four(kind: &str, batches: usize) -> Vec<StepLine> {
    let steps: Vec<_> = (0..batches).map(|_| json!({"op": "submit", "n": 4, "kind": "nop"})).collect();
    script(json!({"kind": kind, "sq_entries": 4}), json!(steps)).1
}

#[test]
fn tv_u4_overflow_sequence_5_1_drops() {
    let l = batches_of_four("io_uring-5.1", 4);
    assert!(l.iter().all(|s| s.result == count(4)));
    assert_eq!(l[3].ring, ud(0..8));
    assert_eq!(l[3].overflow, 8);
    assert!(l[3].backlog.is_empty() && !l[3].flag);
}

#[test]
fn tv_u4_overflow_sequence_5_5_ebusy() {
    let mut steps: Vec<_> = (0..4).map(|_| json!({"op": "submit", "n": 4, "kind": "nop"})).collect();
    steps.push(json!({"op": "reap", "n": 8}));
    steps.push(json!({"op": "submit", "n": 0}));
    let (_, l) = script(json!({"kind": "io_uring-5.5", "sq_entries": 4}), json!(steps));
    assert_eq!(l[2].result, count(4));
    assert_eq!(l[3].result, err(Errno::EBUSY));
    assert_eq!(l[3].sq_pending, Some(4), "its SQEs stay in the SQ");
    assert_eq!(l[3].ring, ud(0..8));
    assert_eq!(l[3].backlog, ud(8..12));
    assert!(l[3].flag);
    assert_eq!(l[3].overflow, 0);
    assert_eq!(l[5].result, count(4), "after reaping, the flush succeeds and the 4 NOPs submit");
    assert_eq!(l[5].ring, ud(8..16));
}

#[test]
fn tv_u4_and_observed_overflow_sequence_today() {
    let l = batches_of_four("io_uring", 6);
    let tails: Vec<u32> = l.iter().map(|s| s.tail).collect();
    let backlogs: Vec<usize> = l.iter().map(|s| s.backlog.len()).collect();
    assert_eq!(tails, vec![4, 8, 8, 8, 8, 8]);
    assert_eq!(backlogs, vec![0, 0, 4, 8, 12, 16]);
    assert!(l.iter().all(|s| s.result == count(4)), "no EBUSY, never throttled");
    assert_eq!(l.iter().map(|s| s.flag).collect::<Vec<_>>(), vec![false, false, true, true, true, true]);
    assert!(l.iter().all(|s| s.overflow == 0));
}

#[test]
fn tv_u4_today_flush_only_into_free_slots() {
    let mut steps: Vec<_> = (0..4).map(|_| json!({"op": "submit", "n": 4, "kind": "nop"})).collect();
    steps.extend([
        json!({"op": "getevents", "min": 0}),
        json!({"op": "getevents", "min": 1}),
        json!({"op": "reap", "n": 3}),
        json!({"op": "getevents", "min": 0}),
        json!({"op": "reap", "n": 8}),
        json!({"op": "getevents", "min": 0}),
        json!({"op": "getevents", "min": 0}),
    ]);
    let (_, l) = script(json!({"kind": "io_uring", "sq_entries": 4, "cq_entries": 8}), json!(steps));
    assert_eq!((l[4].result, l[4].tail), (count(0), 8), "GETEVENTS on a full CQ moves nothing");
    assert_eq!((l[5].result, l[5].tail), (count(0), 8));
    assert_eq!(l[6].tail, 8, "advancing head does not move the tail");
    assert_eq!(l[7].tail, 11, "head += 3, then GETEVENTS → tail moves by exactly 3");
    assert_eq!(l[7].ring, ud(3..11));
    assert_eq!(l[7].backlog, ud(11..16));
    assert!(l[7].flag);
    assert_eq!(l[9].ring, ud(11..16));
    assert!(l[9].backlog.is_empty());
    assert!(!l[9].flag, "the flag clears in the flush that empties the backlog");
}

#[test]
fn tv_u4_min_clamped_to_cq_entries() {
    let mut steps: Vec<_> = (0..4).map(|_| json!({"op": "submit", "n": 4, "kind": "nop"})).collect();
    steps.extend([json!({"op": "reap", "n": 8}), json!({"op": "getevents", "min": 9})]);
    let (_, l) = script(json!({"kind": "io_uring", "sq_entries": 4}), json!(steps));
    assert_eq!(l[5].result, count(0));
    assert_eq!(l[5].ring, ud(8..16));
}

#[test]
fn tv_u5_ordering_by_version() {
    // CQ=[0..7] full, BL=[8]; head += 4; submit NOP 9; GETEVENTS.
    let steps = json!([
        {"op": "submit", "n": 4}, {"op": "submit", "n": 4}, {"op": "submit", "n": 1},
        {"op": "reap", "n": 4}, {"op": "submit", "n": 1}, {"op": "getevents", "min": 0}
    ]);
    let (_, now) = script(json!({"kind": "io_uring", "sq_entries": 4}), steps.clone());
    assert_eq!(now[4].backlog, vec![8, 9], "6.1+: ud 9 goes behind the backlog");
    assert_eq!(now[5].ring, vec![4, 5, 6, 7, 8, 9]);
    let (_, old) = script(json!({"kind": "io_uring-5.5", "sq_entries": 4}), steps);
    assert_eq!(old[4].ring, vec![4, 5, 6, 7, 8, 9], "5.5–5.12: the submit flushes first");
}

#[test]
fn tv_u6_ebusy_edge() {
    let (_, l) = script(
        json!({"kind": "io_uring-5.5", "sq_entries": 4}),
        json!([
            {"op": "submit", "n": 4}, {"op": "submit", "n": 4}, {"op": "submit", "n": 1},
            {"op": "reap", "n": 1}, {"op": "submit", "n": 1}
        ]),
    );
    assert_eq!(l[4].result, count(1));
    assert_eq!(l[4].ring, ud(1..9));
    assert_eq!(l[4].backlog, vec![9]);
}

#[test]
fn tv_u8_drop_and_ebadr() {
    let (_, l) = script(
        json!({"kind": "io_uring", "sq_entries": 4}),
        json!([
            {"op": "submit", "n": 4}, {"op": "submit", "n": 4},
            {"op": "fail_next_alloc"},
            {"op": "submit", "n": 1},
            {"op": "getevents", "min": 1},
            {"op": "reap", "n": 8},
            {"op": "getevents", "min": 1},
            {"op": "getevents", "min": 1}
        ]),
    );
    assert_eq!(l[3].overflow, 1, "exactly that one completion is lost and counted");
    assert!(l[3].backlog.is_empty());
    assert!(!l[3].flag, "a drop does not set the overflow flag");
    assert_eq!(l[4].result, count(0), "CQEs available: the report stays pending");
    assert_eq!(l[6].result, err(Errno::EBADR));
    assert_eq!(l[7].result, err(Errno::ETIME), "reported once");
}

#[test]
fn tv_u14_cq_ready_and_advance() {
    let (_, l) = script(
        json!({"kind": "io_uring", "sq_entries": 4}),
        json!([
            {"op": "submit", "n": 4}, {"op": "reap", "n": 4}, {"op": "submit", "n": 4},
            {"op": "reap", "n": 1}, {"op": "reap", "n": 2}, {"op": "reap", "n": 1}
        ]),
    );
    let ready: Vec<usize> = l.iter().map(|s| s.ring.len()).collect();
    assert_eq!(ready, vec![4, 0, 4, 3, 1, 0]);
    assert_eq!(l[1].reaped, ud(0..4));
}

#[test]
fn io_uring_submit_is_limited_by_the_sq_ring() {
    let (_, l) = script(
        json!({"kind": "io_uring", "sq_entries": 4}),
        json!([{"op": "submit", "n": 10}, {"op": "submit", "n": 1}]),
    );
    assert_eq!(l[0].result, count(4));
    assert_eq!(l[1].ring, ud(0..5), "user data continue from the SQEs that fit");
}

#[test]
fn in_flight_io_completes_in_device_order() {
    let (_, l) = script(
        json!({"kind": "io_uring", "sq_entries": 8}),
        json!([{"op": "submit", "n": 3, "kind": "io"}, {"op": "complete", "n": 2}, {"op": "complete", "n": 5}]),
    );
    assert_eq!(l[0].in_flight, 3);
    assert_eq!(l[1].ring, vec![0, 1]);
    assert_eq!((l[2].result, l[2].in_flight), (count(1), 0));
}

#[test]
fn json_lines_match_the_documented_format() {
    let script = Script::from_json(
        r#"{"model": {"kind": "io_uring", "sq_entries": 4, "cq_entries": 8}, "steps": [{"op": "submit", "n": 4, "kind": "nop"}]}"#,
    )
    .unwrap();
    let lines = ringlab_core::script::run_to_json_lines(&script);
    assert_eq!(lines[0], r#"{"step":0,"op":"setup","result":0,"sq_entries":4,"cq_entries":8}"#);
    let step: serde_json::Value = serde_json::from_str(&lines[1]).unwrap();
    assert_eq!(step["result"], 4);
    assert_eq!(step["ring"], json!([0, 1, 2, 3]));
    assert_eq!(step["backlog"], json!([]));
    assert_eq!(step["flag"], false);
    for key in ["step", "op", "head", "tail", "overflow", "in_flight", "reaped"] {
        assert!(step.get(key).is_some(), "missing {key}");
    }
}

#[test]
fn bad_scripts_get_clear_errors() {
    let cases = [
        (r#"{"model": {"kind": "io_uring2"}, "steps": []}"#, "unknown variant `io_uring2`"),
        (r#"{"model": {"kind": "io_uring", "sq_entrys": 4}, "steps": []}"#, "unknown field `sq_entrys`"),
        (r#"{"model": {"kind": "io_uring"}, "steps": [{"op": "submit"}]}"#, "missing field `n`"),
        (r#"{"model": {"kind": "io_uring"}, "steps": [{"op": "jump"}]}"#, "unknown variant `jump`"),
        (r#"{"model": {"kind": "io_uring"}, "steps": [{"op": "submit", "n": -1}]}"#, "invalid value"),
        (r#"{"model": {"kind": "io_uring"}, "steps": [{"op": "submit", "n": 99999999}]}"#, "steps[0].n"),
        (r#"{"model": {"kind": "io_uring"}"#, "EOF"),
    ];
    for (text, expected) in cases {
        let e = Script::from_json(text).expect_err(text).to_string();
        assert!(e.contains(expected), "{text}: {e}");
    }
}
