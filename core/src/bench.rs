//! Run summaries and the throughput benchmark (`ringlab run`, `ringlab bench`).

use crate::model::{ModelSpec, RequestKind};
use crate::reaper::{ReaperPolicy, ReaperSpec};
use crate::ring::{Completion, Ring};
use crate::scenario::Scenario;
use crate::sim::Sim;
use crate::stats::Percentiles;
use crate::workload::{Latency, Phase, Workload};
use serde::Serialize;
use std::fmt::Write;
use std::time::Instant;

/// What `ringlab run` prints.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub model: &'static str,
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
    pub timer_fires: u64,
    pub max_list: u64,
    /// Left at the end: in flight, in the ring, on the list.
    pub in_flight: u64,
    pub in_ring: u64,
    pub in_list: u64,
    pub reap_latency_ns: Percentiles,
}

impl Summary {
    pub fn of(sim: &Sim) -> Summary {
        let k = sim.kernel();
        let c = k.counters();
        let ledger = sim.ledger();
        Summary {
            model: k.model_name(),
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
            timer_fires: c.timer_fires,
            max_list: c.max_list,
            in_flight: ledger.in_flight,
            in_ring: ledger.in_ring,
            in_list: ledger.in_list,
            reap_latency_ns: sim.reap_latency().percentiles(),
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
            }],
        },
        steps: None,
        lesson: None,
    }
}

/// One benchmark figure.
#[derive(Clone, Debug, Serialize)]
pub struct Figure {
    pub name: String,
    pub value: f64,
    pub unit: &'static str,
    pub goal: Option<f64>,
    pub met: Option<bool>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub figures: Vec<Figure>,
}

impl Report {
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "{:<44} {:>16} {:<14} {:>12}  met", "figure", "value", "unit", "goal");
        for f in &self.figures {
            let goal = f.goal.map_or("-".to_string(), |g| format!("{g:.0}"));
            let goal = if f.unit == "KiB" && f.goal.is_some() { format!("<= {goal}") } else { goal };
            let met = match f.met {
                Some(true) => "yes",
                Some(false) => "NO",
                None => "-",
            };
            let value = if f.value < 100.0 { format!("{:.2}", f.value) } else { format!("{:.0}", f.value) };
            let _ = writeln!(s, "{:<44} {:>16} {:<14} {:>12}  {met}", f.name, value, f.unit, goal);
        }
        s
    }
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

/// Resident memory of this process in KiB (`VmRSS`, or `VmHWM` for the peak), where the
/// platform tells (Linux).
pub fn memory_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs `completions` through the heavy proposal scenario with the default trace and
/// series, and reports resident memory after a tenth of the run and at the end: a
/// bounded core keeps the two close.
pub fn memory_run(completions: u64) -> Vec<Figure> {
    let mut model = ModelSpec::default_for("proposal").expect("proposal exists");
    if let ModelSpec::Proposal(p) = &mut model {
        p.ring_entries = 128;
        p.max_requests = 512;
        p.timer_ns = 50_000;
    }
    let mut sim = Sim::new(&heavy_scenario(model)).expect("the heavy scenario is valid");
    let mut early = None;
    while sim.kernel().counters().completed < completions {
        if early.is_none() && sim.kernel().counters().completed >= completions / 10 {
            early = memory_kib("VmRSS:");
        }
        if sim.step().is_none() {
            break;
        }
    }
    let (Some(early), Some(late), Some(peak)) = (early, memory_kib("VmRSS:"), memory_kib("VmHWM:")) else {
        return Vec::new();
    };
    let growth = late as f64 - early as f64;
    vec![
        Figure { name: format!("core memory: peak RSS over {completions} completions"), value: peak as f64, unit: "KiB", goal: None, met: None },
        Figure {
            name: "core memory: growth from 10% to 100% of the run".into(),
            value: growth,
            unit: "KiB",
            goal: Some(1024.0),
            met: Some(growth <= 1024.0),
        },
    ]
}

/// The model as the benchmark sizes it: a ring of about 128 slots.
pub fn heavy_model(name: &str) -> Option<ModelSpec> {
    let mut model = ModelSpec::default_for(name)?;
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
    Some(model)
}

/// Simulated completions per second of the heavy scenario for `model`, with no trace
/// (what the UI's fast-forward and the CLI pay per event).
pub fn completions_per_second(model: ModelSpec, completions: u64) -> f64 {
    let mut sim = Sim::new(&heavy_scenario(model)).expect("the heavy scenario is valid");
    sim.set_trace_capacity(0);
    let start = Instant::now();
    while sim.kernel().counters().completed < completions {
        if sim.step().is_none() {
            break;
        }
    }
    sim.kernel().counters().completed as f64 / start.elapsed().as_secs_f64()
}

/// Simulated completions per second for the heavy scenario of each model (or of
/// `only`), next to a bare ring push/pop loop over the same count, in one run. Each
/// figure is the best of `repeats` runs: on a shared machine the best run is the one
/// least disturbed by other processes.
pub fn run(completions: u64, repeats: u32, only: Option<&str>) -> Report {
    const GOAL: f64 = 10_000_000.0;
    let repeats = repeats.max(1);
    let best = |f: &dyn Fn() -> f64| (0..repeats).map(|_| f()).fold(0.0, f64::max);
    let mut figures = Vec::new();
    let bare = best(&|| {
        let start = Instant::now();
        std::hint::black_box(bare_ring_loop(std::hint::black_box(completions)));
        completions as f64 / start.elapsed().as_secs_f64()
    });
    figures.push(Figure { name: "bare ring push/pop".into(), value: bare, unit: "ops/s", goal: None, met: None });
    for name in ModelSpec::NAMES.into_iter().filter(|n| only.is_none_or(|o| o == *n)) {
        let model = heavy_model(name).expect("every name has a default");
        let rate = best(&|| completions_per_second(model.clone(), completions));
        figures.push(Figure {
            name: format!("core {name}: simulated completions"),
            value: rate,
            unit: "completions/s",
            goal: Some(GOAL),
            met: Some(rate >= GOAL),
        });
        figures.push(Figure {
            name: format!("core {name}: ratio to bare ring (%)"),
            value: 100.0 * rate / bare,
            unit: "%",
            goal: None,
            met: None,
        });
    }
    Report { figures }
}
