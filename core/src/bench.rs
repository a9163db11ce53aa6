//! Run summaries (`ringlab run`) and the benchmark's workloads (`ringlab bench`, and the
//! app's `bench` feature): pure builders only. The timing and the memory readings live
//! in the `ringlab` binary (`src/bin/ringlab/measure.rs`): the library has no clock and
//! no I/O.

use crate::model::{ModelKind, ModelSpec, RequestKind};
use crate::reaper::{ReaperPolicy, ReaperSpec};
use crate::ring::{Completion, Ring};
use crate::scenario::Scenario;
use crate::sim::Sim;
use crate::stats::Percentiles;
use crate::workload::{Latency, Phase, Workload};
use serde::Serialize;
use std::fmt::Write;

/// What `ringlab run` prints.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub model: ModelKind,
    pub sim_time_ns: u64,
    pub events: u64,
    pub submitted: u64,
    pub completed: u64,
    pub reaped: u64,
    pub overflowed: u64,
    pub flushed: u64,
    pub dropped: u64,
    pub eagain: u64,
    pub ebusy: u64,
    pub syscalls: u64,
    pub syscalls_skipped: u64,
    /// `syscalls` split by what each call did (see `Counters::submit_calls`).
    pub submit_calls: u64,
    pub getevents_calls: u64,
    pub timer_fires: u64,
    pub max_list: u64,
    /// Left at the end: in flight, in the ring, on the list.
    pub in_flight: u64,
    pub in_ring: u64,
    pub in_list: u64,
    pub reap_latency_ns: Percentiles,
    /// The requests the scenario's traces hold (each trace phase's trace once), when it
    /// replays any (`crate::trace_file`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace_requests: Option<u64>,
}

impl Summary {
    pub fn of(sim: &Sim) -> Summary {
        let k = sim.kernel();
        let c = k.counters();
        let ledger = sim.ledger();
        Summary {
            model: k.kind(),
            sim_time_ns: sim.now(),
            events: sim.events(),
            submitted: c.submitted,
            completed: c.completed,
            reaped: c.reaped(),
            overflowed: c.overflowed,
            flushed: c.flushed_total(),
            dropped: c.dropped,
            eagain: c.eagain,
            ebusy: c.ebusy,
            syscalls: c.syscalls,
            syscalls_skipped: c.syscalls_skipped,
            submit_calls: c.submit_calls,
            getevents_calls: c.getevents_calls,
            timer_fires: c.timer_fires,
            max_list: c.max_list,
            in_flight: ledger.in_flight,
            in_ring: ledger.in_ring,
            in_list: ledger.in_list,
            reap_latency_ns: sim.reap_latency().percentiles(),
            trace_requests: sim
                .scenario()
                .workload
                .phases
                .iter()
                .filter_map(|p| p.trace_requests().map(|d| d.len() as u64))
                .reduce(|a, b| a + b),
        }
    }

    pub fn to_text(&self, title: &str) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "{title} ({}), {} ns simulated, {} events", self.model, self.sim_time_ns, self.events);
        let rows: [(&str, u64); 17] = [
            ("submitted", self.submitted),
            ("completed", self.completed),
            ("reaped", self.reaped),
            ("overflowed", self.overflowed),
            ("flushed", self.flushed),
            ("dropped", self.dropped),
            ("EAGAIN", self.eagain),
            ("EBUSY", self.ebusy),
            ("syscalls", self.syscalls),
            ("syscalls skipped", self.syscalls_skipped),
            ("timer fires", self.timer_fires),
            ("max list length", self.max_list),
            ("left in flight", self.in_flight),
            ("left in ring", self.in_ring),
            ("left on list", self.in_list),
            ("reap latency p50 ns", self.reap_latency_ns.p50),
            ("reap latency p99 ns", self.reap_latency_ns.p99),
        ];
        for (name, value) in rows {
            let _ = writeln!(s, "  {name:<20} {value:>12}");
        }
        if let Some(n) = self.trace_requests {
            let _ = writeln!(s, "  {:<20} {n:>12}", "trace requests");
        }
        s
    }
}

/// A heavy stochastic scenario for `model`: a deep queue, a small ring, exponential
/// latencies and a syscall reaper, so completions overflow and flush all the time.
pub fn heavy_scenario(model: ModelSpec) -> Scenario {
    Scenario {
        title: format!("heavy {}", model.name()),
        seed: 7,
        model,
        reaper: ReaperSpec { policy: ReaperPolicy::Syscall, interval_ns: 2_000, batch: 32, blocking: false },
        workload: Workload {
            phases: vec![Phase {
                name: "load".into(),
                duration_ns: crate::workload::MAX_NS,
                submit_rate: 20_000_000.0,
                batch: 16,
                queue_depth: 256,
                latency: Latency::Exponential { mean_ns: 5_000 },
                kind: RequestKind::Io,
                ..Phase::default()
            }],
        },
        steps: None,
        lesson: None,
    }
}

/// The model as the benchmark sizes it: a ring of about 128 slots.
pub fn heavy_model(kind: ModelKind) -> ModelSpec {
    let mut model = ModelSpec::default_for(kind);
    match &mut model {
        ModelSpec::Aio2012(s) => s.nr_events = 256,
        ModelSpec::Aio(s) => s.nr_events = 128,
        ModelSpec::Proposal(s) => {
            s.ring_entries = 128;
            s.max_requests = 512;
            s.timer_ns = 50_000;
        }
        ModelSpec::IoUring(s) | ModelSpec::IoUring55(s) | ModelSpec::IoUring51(s) => s.sq_entries = 64,
    }
    model
}

/// The bare baseline: push and pop `count` completions through a ring, nothing else.
pub fn bare_ring_loop(count: u64) -> u64 {
    let mut ring = Ring::uring(256);
    let mut sum = 0u64;
    let mut i = 0;
    while i < count {
        while !ring.is_full() && i < count {
            ring.push(Completion { user_data: i, completed_at: i });
            i += 1;
        }
        while let Some(c) = ring.pop() {
            sum = sum.wrapping_add(c.user_data);
        }
    }
    sum
}
