//! What `ringlab bench` measures: wall-clock time and this process's resident memory.
//! Here, in the binary, because the library reads no clock and does no I/O; the
//! workloads it times are the library's (`ringlab_core::bench`).

use ringlab_core::bench::{bare_ring_loop, heavy_model, heavy_scenario};
use ringlab_core::{ModelKind, ModelSpec, Sim};
use serde::Serialize;
use std::fmt::Write;
use std::time::Instant;

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
    let model = heavy_model(ModelKind::Proposal);
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
        Figure {
            name: format!("core memory: peak RSS over {completions} completions"),
            value: peak as f64,
            unit: "KiB",
            goal: None,
            met: None,
        },
        Figure {
            name: "core memory: growth from 10% to 100% of the run".into(),
            value: growth,
            unit: "KiB",
            goal: Some(1024.0),
            met: Some(growth <= 1024.0),
        },
    ]
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
pub fn run(completions: u64, repeats: u32, only: Option<ModelKind>) -> Report {
    // Issue 16: at least 20 M simulated completions per second for every model.
    const GOAL: f64 = 20_000_000.0;
    let repeats = repeats.max(1);
    let best = |f: &dyn Fn() -> f64| (0..repeats).map(|_| f()).fold(0.0, f64::max);
    let mut figures = Vec::new();
    let bare = best(&|| {
        let start = Instant::now();
        std::hint::black_box(bare_ring_loop(std::hint::black_box(completions)));
        completions as f64 / start.elapsed().as_secs_f64()
    });
    figures.push(Figure { name: "bare ring push/pop".into(), value: bare, unit: "ops/s", goal: None, met: None });
    for kind in ModelKind::ALL.into_iter().filter(|k| only.is_none_or(|o| o == *k)) {
        let model = heavy_model(kind);
        let rate = best(&|| completions_per_second(model.clone(), completions));
        figures.push(Figure {
            name: format!("core {kind}: simulated completions"),
            value: rate,
            unit: "completions/s",
            goal: Some(GOAL),
            met: Some(rate >= GOAL),
        });
        figures.push(Figure {
            name: format!("core {kind}: ratio to bare ring (%)"),
            value: 100.0 * rate / bare,
            unit: "%",
            goal: None,
            met: None,
        });
    }
    Report { figures }
}
