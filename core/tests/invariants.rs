//! Property tests over random scripts and scenarios, per model: nothing lost but counted
//! drops, nothing duplicated, order as promised, the ring within capacity, the flag
//! equal to "list non-empty", and determinism.

mod support;

use proptest::prelude::*;
use ringlab_core::model::RequestKind;
use ringlab_core::script::{Script, ScriptRun};
use ringlab_core::trace::TraceKind;
use ringlab_core::{Latency, ModelSpec, Phase, ReaperPolicy, ReaperSpec, Scenario, Sim, Workload};
use serde_json::json;
use std::collections::HashSet;
use support::step_strategy;

fn model_strategy() -> impl Strategy<Value = ModelSpec> {
    let aio2012 = (1u32..300).prop_map(|n| json!({"kind": "aio-2012", "nr_events": n}));
    let aio = (1u32..300, 1u32..5).prop_map(|(n, cpus)| json!({"kind": "aio", "nr_events": n, "cpus": cpus}));
    let proposal =
        (2u32..20, 1u32..64, any::<bool>(), 0u64..3, any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>())
            .prop_map(|(ring, max, flag, timer, append, drain, rearm, ring_admission)| {
                json!({"kind": "proposal", "ring_entries": ring, "max_requests": max, "flag": flag,
                   "timer_ns": timer * 1000, "append_behind": append, "drain_on_completion": drain,
                   "timer_rearm": rearm,
                   "admission": if ring_admission { "in_flight+list+ring" } else { "in_flight+list" }})
            });
    let uring = (
        prop_oneof![Just("io_uring"), Just("io_uring-5.5"), Just("io_uring-5.1")],
        1u32..9,
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(kind, sq, big_cq, flag)| {
            let mut m = json!({"kind": kind, "sq_entries": sq});
            if big_cq && kind != "io_uring-5.1" {
                m["cq_entries"] = json!(sq * 4);
            }
            if kind == "io_uring-5.5" {
                m["flag"] = json!(flag);
            }
            m
        });
    prop_oneof![aio2012, aio, proposal, uring].prop_map(|m| serde_json::from_value(m).expect("valid model"))
}

/// Whether the model promises delivery in completion order.
fn promises_fifo(model: &ModelSpec) -> bool {
    match model {
        ModelSpec::Proposal(p) => p.append_behind && p.drain_on_completion,
        ModelSpec::IoUring55(_) => false, // U3.2: reordering possible
        _ => true,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn scripts_keep_the_invariants(model in model_strategy(), steps in prop::collection::vec(step_strategy(), 0..60)) {
        let script = Script { model: model.clone(), steps };
        let Ok((mut run, _)) = ScriptRun::setup(&script.model) else { return Ok(()) };
        run.set_trace_capacity(1 << 20);
        let mut delivered: Vec<u64> = Vec::new();
        for step in &script.steps {
            let line = run.run_step(step);
            delivered.extend(&line.reaped);
            let k = run.kernel();
            // The ring never holds more than it can.
            prop_assert!(k.ring().len() <= k.ring().capacity());
            prop_assert_eq!(line.ring.len() as u32, k.ring().len());
            // The flag equals "list non-empty" where the model has one.
            if let Some(flag) = k.flag() {
                prop_assert_eq!(flag, !line.backlog.is_empty(), "flag at step {}", line.step);
            }
            // The ledger balances.
            let c = k.counters();
            prop_assert_eq!(
                c.submitted,
                k.in_flight() as u64 + line.ring.len() as u64 + line.backlog.len() as u64 + c.reaped() + c.dropped
            );
            // Nothing duplicated.
            let mut seen = HashSet::new();
            for ud in delivered.iter().chain(&line.ring).chain(&line.backlog) {
                prop_assert!(seen.insert(*ud), "user data {} appears twice", ud);
            }
            prop_assert_eq!(c.dropped, k.overflow_counter() as u64, "every drop is counted");
        }
        // Delivery order: completion order minus drops, for models that promise it.
        let k = run.kernel();
        let completion_order: Vec<u64> = k.trace().events().filter_map(|e| match e.kind {
            TraceKind::ToRing { user_data, .. } | TraceKind::ToList { user_data, .. } => Some(user_data),
            _ => None,
        }).collect();
        let mut all: Vec<u64> = delivered.clone();
        all.extend(k.ring().iter().map(|c| c.user_data));
        all.extend(k.overflow_list().iter().map(|c| c.user_data));
        if promises_fifo(&model) {
            prop_assert_eq!(&all, &completion_order);
        } else {
            let mut a = all.clone();
            a.sort_unstable();
            let mut b = completion_order.clone();
            b.sort_unstable();
            prop_assert_eq!(a, b);
        }
    }

    #[test]
    fn same_seed_same_run(model in model_strategy(), seed in any::<u64>(), policy in 0usize..4, blocking in any::<bool>()) {
        let scenario = Scenario {
            title: String::new(),
            seed,
            model,
            reaper: ReaperSpec { policy: ReaperPolicy::ALL[policy], interval_ns: 3_000, batch: 4, blocking },
            workload: Workload { phases: vec![
                Phase { name: "burst".into(), duration_ns: 50_000, submit_rate: 2e6, batch: 4, queue_depth: 48,
                        latency: Latency::Exponential { mean_ns: 4_000 }, kind: RequestKind::Io, ..Phase::default() },
                Phase { name: "quiet".into(), duration_ns: 50_000, submit_rate: 0.0, batch: 1, queue_depth: 1,
                        latency: Latency::Fixed { ns: 1 }, kind: RequestKind::Io, ..Phase::default() },
            ]},
            steps: None,
            lesson: None,
        };
        let Ok(mut a) = Sim::new(&scenario) else { return Ok(()) };
        let mut b = Sim::new(&scenario).unwrap();
        a.run_until(100_000);
        b.run_until(100_000);
        prop_assert_eq!(a.view(), b.view());
        prop_assert!(a.ledger().holds);
        let ta: Vec<_> = a.trace().events().copied().collect();
        let tb: Vec<_> = b.trace().events().copied().collect();
        prop_assert_eq!(ta, tb);
    }
}
