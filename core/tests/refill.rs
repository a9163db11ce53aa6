//! The proposal's `io_getevents` is a refilling read (B4b): after every syscall, a
//! non-empty overflow list means a full ring. Checked over random scripts and over
//! stochastic runs under every reaper policy, and the consequence the mail draws from it
//! (B8.i): a reaper that only uses libaio never strands events, however hard the ring
//! overflows.

mod support;

use proptest::prelude::*;
use ringlab_core::model::RequestKind;
use ringlab_core::script::{ScriptRun, Step, StepResult};
use ringlab_core::{Kernel, Latency, ModelSpec, Phase, ReaperPolicy, ReaperSpec, Scenario, Sim, Workload};
use serde_json::json;
use support::step_strategy;

/// Every option of the proposal, drawn at random.
fn proposal_strategy() -> impl Strategy<Value = ModelSpec> {
    (2u32..20, 1u32..64, any::<bool>(), 0u64..3, any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()).prop_map(
        |(ring, max, flag, timer, append, drain, rearm, ring_admission)| {
            serde_json::from_value(json!({"kind": "proposal", "ring_entries": ring, "max_requests": max, "flag": flag,
                "timer_ns": timer * 1000, "append_behind": append, "drain_on_completion": drain, "timer_rearm": rearm,
                "admission": if ring_admission { "in_flight+list+ring" } else { "in_flight+list" }}))
            .expect("valid proposal")
        },
    )
}

/// B4: `|L| > 0` ⇒ the ring is full.
fn list_means_full(k: &Kernel) -> bool {
    k.overflow_list().is_empty() || k.ring().is_full()
}

/// A burst that overflows the ring, then a quiet phase long enough for any reaper to
/// collect everything it can.
fn burst_then_quiet(model: ModelSpec, seed: u64, policy: ReaperPolicy, batch: u32, blocking: bool) -> Scenario {
    Scenario {
        title: String::new(),
        seed,
        model,
        reaper: ReaperSpec { policy, interval_ns: 3_000, batch, blocking },
        workload: Workload {
            phases: vec![
                Phase {
                    name: "burst".into(),
                    duration_ns: 50_000,
                    submit_rate: 2e6,
                    batch: 4,
                    queue_depth: 48,
                    latency: Latency::Exponential { mean_ns: 4_000 },
                    kind: RequestKind::Io,
                    ..Phase::default()
                },
                Phase {
                    name: "quiet".into(),
                    duration_ns: 2_000_000,
                    submit_rate: 0.0,
                    batch: 1,
                    queue_depth: 1,
                    latency: Latency::Fixed { ns: 1 },
                    kind: RequestKind::Io,
                    ..Phase::default()
                },
            ],
        },
        steps: None,
        lesson: None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn after_every_syscall_a_list_means_a_full_ring(model in proposal_strategy(), steps in prop::collection::vec(step_strategy(), 0..60)) {
        let Ok((mut run, _)) = ScriptRun::setup(&model) else { return Ok(()) };
        for step in &steps {
            let line = run.run_step(step);
            let syscall = matches!(step, Step::Submit { .. } | Step::Getevents { .. });
            if syscall && !matches!(line.result, StepResult::Error(ringlab_core::Errno::EINVAL)) {
                prop_assert!(list_means_full(run.kernel()),
                    "step {} ({:?}): ring {:?}, list {:?}", line.step, step, line.ring, line.backlog);
            }
        }
    }

    #[test]
    fn stochastic_runs_keep_it_under_every_reaper(model in proposal_strategy(), seed in any::<u64>(), policy in 0usize..4,
                                                   batch in 1u32..12, blocking in any::<bool>()) {
        let scenario = burst_then_quiet(model, seed, ReaperPolicy::ALL[policy], batch, blocking);
        let Ok(mut sim) = Sim::new(&scenario) else { return Ok(()) };
        let end = sim.end_ns();
        while sim.now() <= end {
            let before = sim.kernel().counters().syscalls;
            let Some(event) = sim.step() else { break };
            if sim.kernel().counters().syscalls > before {
                prop_assert!(list_means_full(sim.kernel()), "after {:?} at {} ns", event, sim.now());
            }
        }
        prop_assert!(sim.ledger().holds);
    }

    /// B8.i: libaio alone never strands events. With no timer at all, every completion
    /// is reaped, and at no instant is the ring empty while the list is not.
    #[test]
    fn libaio_alone_never_strands(model in proposal_strategy(), seed in any::<u64>(), batch in 1u32..12) {
        let mut scenario = burst_then_quiet(model, seed, ReaperPolicy::Libaio, batch, false);
        if let ModelSpec::Proposal(p) = &mut scenario.model {
            p.timer_ns = 0;
        }
        let Ok(mut sim) = Sim::new(&scenario) else { return Ok(()) };
        let end = sim.end_ns();
        while sim.now() <= end {
            let Some(event) = sim.step() else { break };
            let k = sim.kernel();
            prop_assert!(k.overflow_list().is_empty() || !k.ring().is_empty(), "stranded after {:?} at {} ns", event, sim.now());
        }
        let c = sim.kernel().counters();
        prop_assert_eq!(c.reaped(), c.submitted, "every completion reaped; {} still on the list", sim.kernel().overflow_list().len());
    }
}

/// The contrast the mail draws, on the default scenario's burst: all reaping done from
/// userspace (`ring`) with no timer leaves events on the list for good; libaio on the
/// same run strands nothing.
#[test]
fn a_userspace_reaper_without_timer_strands_events_libaio_does_not() {
    let run = |policy: ReaperPolicy| {
        let mut scenario = ringlab_core::lessons::default_scenario();
        scenario.reaper.policy = policy;
        if let ModelSpec::Proposal(p) = &mut scenario.model {
            p.timer_ns = 0;
        }
        let mut sim = Sim::new(&scenario).unwrap();
        sim.run_until(sim.end_ns());
        sim
    };
    let sim = run(ReaperPolicy::Ring);
    let k = sim.kernel();
    assert!(!k.overflow_list().is_empty(), "events wait on the list");
    assert!(k.ring().is_empty(), "with the ring empty");
    assert_eq!(k.in_flight(), 0, "although the device has finished");
    assert!(k.counters().reaped() < k.counters().submitted);

    let sim = run(ReaperPolicy::Libaio);
    let c = sim.kernel().counters();
    assert!(c.overflowed > 0, "the ring overflowed under libaio too");
    assert!(sim.kernel().overflow_list().is_empty(), "libaio, same run: nothing stranded");
    assert_eq!(c.reaped(), c.submitted);
}
