//! Sweeps: one metric over a grid of runs, two parameters on the axes, under one to four
//! models. Every cell is a full run of the scenario to its end with the cell's two values
//! set as a link or a scenario file would set them. What "how big must the ring be" reads
//! off (docs/sweeps.md).
//!
//! Everything here is deterministic and bit-identical natively and in WebAssembly: axis
//! values use only IEEE arithmetic (exactly rounded everywhere) and the `libm` crate's
//! `pow` (the same code on every target, not the platform's libm); tables are written with
//! Rust's `Display` for `f64`, which is exact and the same everywhere; no hash-map order
//! reaches any output.

use crate::model::{ModelKind, ModelSpec};
use crate::scenario::Scenario;
use crate::sim::Sim;
use crate::workload::Latency;
use std::fmt::Write;

/// Most steps on one axis.
pub const MAX_STEPS: u32 = 64;
/// Most models in one sweep.
pub const MAX_MODELS: usize = 4;
/// The largest whole-number axis value: every whole number up to it is exact in an f64.
const MAX_WHOLE: f64 = 9_007_199_254_740_992.0;

/// How an axis steps from `from` to `to`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// Equal differences.
    Linear,
    /// Equal ratios.
    Log,
}

impl Scale {
    pub fn name(self) -> &'static str {
        match self {
            Scale::Linear => "linear",
            Scale::Log => "log",
        }
    }
}

/// What an axis field sets in the scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    /// Each model's ring size, as the ring-size control sets it.
    RingSize,
    /// A field of the model's field table; models without it run unchanged.
    Model,
    /// The submit rate of every phase that submits.
    SubmitRate,
    /// The batch of every phase that does not replay a trace.
    Batch,
    /// The queue depth of every such phase.
    QueueDepth,
    /// Every such phase's latency distribution, scaled to this mean.
    MeanLatency,
    ReapInterval,
    ReapBatch,
    Seed,
}

/// An axis field: its name (as in links and scenario files), what it sets, what it is.
struct AxisField {
    name: &'static str,
    target: Target,
    /// Whole numbers: values are rounded to the nearest.
    integer: bool,
    hint: &'static str,
}

const FIELDS: [AxisField; 13] = [
    AxisField {
        name: "ring_entries",
        target: Target::RingSize,
        integer: true,
        hint: "each model's ring size: nr_events (aio), ring_entries (proposal), cq_entries (io_uring), sq_entries (io_uring-5.1)",
    },
    AxisField { name: "nr_events", target: Target::Model, integer: true, hint: "aio's io_setup(nr_events)" },
    AxisField { name: "cq_entries", target: Target::Model, integer: true, hint: "io_uring's CQ ring size" },
    AxisField { name: "sq_entries", target: Target::Model, integer: true, hint: "io_uring's SQ ring size" },
    AxisField { name: "max_requests", target: Target::Model, integer: true, hint: "the proposal's requests in flight" },
    AxisField { name: "timer_ns", target: Target::Model, integer: true, hint: "the proposal's flush timer period, ns" },
    AxisField {
        name: "submit_rate",
        target: Target::SubmitRate,
        integer: false,
        hint: "requests per second, in every phase that submits",
    },
    AxisField { name: "batch", target: Target::Batch, integer: true, hint: "requests per submit call, in every phase" },
    AxisField {
        name: "queue_depth",
        target: Target::QueueDepth,
        integer: true,
        hint: "requests outstanding at most, in every phase",
    },
    AxisField {
        name: "mean_latency_ns",
        target: Target::MeanLatency,
        integer: true,
        hint: "every phase's latency distribution scaled to this mean, ns",
    },
    AxisField {
        name: "reap_interval_ns",
        target: Target::ReapInterval,
        integer: true,
        hint: "the reaper's time between wake-ups, ns",
    },
    AxisField { name: "reap_batch", target: Target::ReapBatch, integer: true, hint: "events the reaper takes per wake-up" },
    AxisField { name: "seed", target: Target::Seed, integer: true, hint: "the random seed" },
];

fn axis_field(name: &str) -> Option<&'static AxisField> {
    FIELDS.iter().find(|f| f.name == name)
}

/// The fields an axis can sweep, with what each sets: (name, hint).
pub fn axis_fields() -> impl Iterator<Item = (&'static str, &'static str)> {
    FIELDS.iter().map(|f| (f.name, f.hint))
}

fn field_names() -> String {
    FIELDS.iter().map(|f| f.name).collect::<Vec<_>>().join(", ")
}

/// One axis: a field stepped from `from` to `to` in `steps` values.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    pub field: String,
    pub from: f64,
    pub to: f64,
    pub steps: u32,
    pub scale: Scale,
}

/// A number as axes and tables write it: Rust's shortest exact form (`4`, `0.5`, `1e-7`).
fn number_text(v: f64) -> String {
    format!("{v}")
}

/// `v` to three significant digits, exactly as its decimal text says (no libm).
fn three_digits(v: f64) -> f64 {
    crate::decimal::parse_f64(&format!("{v:.2e}")).unwrap_or(v)
}

impl Axis {
    /// Reads `FIELD=FROM:TO:STEPS[:log|:linear]` (the CLI's form; `FIELD:FROM:...`, the
    /// link's, too), or `FIELD=VALUE` for one step. The error names the bad part and, for
    /// an unknown field, the fields there are.
    pub fn parse(text: &str) -> Result<Axis, String> {
        let text = text.trim();
        let split = text
            .find(['=', ':'])
            .ok_or_else(|| format!("`{text}` is not FIELD=FROM:TO:STEPS[:log] (fields: {})", field_names()))?;
        let (field, rest) = (&text[..split], &text[split + 1..]);
        let known = axis_field(field).ok_or_else(|| format!("unknown field `{field}`; one of {}", field_names()))?;
        let number = |part: &str, what: &str| -> Result<f64, String> {
            let v = crate::decimal::parse_f64(&part.replace('_', ""))
                .ok_or_else(|| format!("{field}: {what} `{part}` is not a number"))?;
            if !v.is_finite() || v < 0.0 {
                return Err(format!("{field}: {what} `{part}` is not a number from 0 up"));
            }
            if known.integer && v > MAX_WHOLE {
                return Err(format!("{field}: {what} `{part}` is above 2^53, where whole numbers stop being exact"));
            }
            Ok(v)
        };
        let parts: Vec<&str> = rest.split(':').collect();
        let (from, to, steps, scale) = match parts[..] {
            [value] => {
                let v = number(value, "VALUE")?;
                (v, v, 1, Scale::Linear)
            }
            [from, to, steps] | [from, to, steps, _] => {
                let scale = match parts.get(3) {
                    None | Some(&"linear") => Scale::Linear,
                    Some(&"log") => Scale::Log,
                    Some(other) => return Err(format!("{field}: scale `{other}` is not log or linear")),
                };
                let n =
                    steps.parse::<u32>().ok().filter(|n| (1..=MAX_STEPS).contains(n)).ok_or_else(|| {
                        format!("{field}: STEPS `{steps}` is not a whole number from 1 to {MAX_STEPS}")
                    })?;
                (number(from, "FROM")?, number(to, "TO")?, n, scale)
            }
            _ => return Err(format!("{field}: `{rest}` is not FROM:TO:STEPS[:log] or a single VALUE")),
        };
        if steps == 1 && from != to {
            return Err(format!("{field}: one step takes FROM equal to TO (or write {field}={from})"));
        }
        if steps > 1 && from >= to {
            return Err(format!("{field}: FROM {from} must be below TO {to}"));
        }
        if scale == Scale::Log && from <= 0.0 {
            return Err(format!("{field}: a log axis starts above 0 (FROM is {from})"));
        }
        Ok(Axis { field: field.to_string(), from, to, steps, scale })
    }

    /// Whether the field takes whole numbers (its values are rounded).
    pub fn is_integer(&self) -> bool {
        axis_field(&self.field).is_none_or(|f| f.integer)
    }

    /// The `steps` values, first `from` and last `to`. Linear steps are
    /// `from + (to - from) × i / (steps - 1)`; log steps `from × (to / from)^(i / (steps - 1))`
    /// with `libm::pow`. Whole-number fields round each value to the nearest whole number
    /// (two steps can then give the same value: both are kept, so the grid keeps its
    /// shape); a log axis of a fractional field (submit_rate) rounds to three significant
    /// digits.
    pub fn values(&self) -> Vec<f64> {
        let n = self.steps.max(1);
        let last = f64::from(n - 1);
        let integer = self.is_integer();
        (0..n)
            .map(|i| {
                let v = if i == 0 {
                    self.from
                } else if i == n - 1 {
                    self.to
                } else {
                    let t = f64::from(i) / last;
                    match self.scale {
                        Scale::Linear => self.from + (self.to - self.from) * f64::from(i) / last,
                        Scale::Log => {
                            let v = self.from * libm::pow(self.to / self.from, t);
                            if integer {
                                v
                            } else {
                                three_digits(v)
                            }
                        }
                    }
                };
                if integer {
                    v.round()
                } else {
                    v
                }
            })
            .collect()
    }

    /// The axis as links write it: `FIELD:FROM:TO:STEPS[:log]`.
    pub fn link_text(&self) -> String {
        let log = if self.scale == Scale::Log { ":log" } else { "" };
        format!("{}:{}:{}:{}{log}", self.field, number_text(self.from), number_text(self.to), self.steps)
    }

    /// The axis as the CLI takes it: `FIELD=FROM:TO:STEPS[:log]`.
    pub fn arg_text(&self) -> String {
        let log = if self.scale == Scale::Log { ":log" } else { "" };
        format!("{}={}:{}:{}{log}", self.field, number_text(self.from), number_text(self.to), self.steps)
    }

    /// A one-step axis: the scenario's own seed (a sweep without a y axis is one row).
    pub fn single_seed(seed: u64) -> Axis {
        Axis { field: "seed".into(), from: seed as f64, to: seed as f64, steps: 1, scale: Scale::Linear }
    }
}

/// What a cell shows. Lower is better for every metric (a threshold's good side is at or
/// below it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Metric {
    /// Completions that went to the overflow list, over all completions (0 to 1).
    OverflowShare,
    /// The overflow list's longest length (`max|L|`, B11).
    LongestList,
    /// Simulated ns during which at least one event waited on the overflow list while the
    /// ring was empty (the mail's worry: a reaper that reads the ring finds nothing).
    StrandedNs,
    /// The 99th percentile of reap latency (completion to reap), ns.
    ReapP99Ns,
    /// System calls over completions.
    SyscallsPerCompletion,
    /// Submissions refused: EAGAIN plus EBUSY.
    Refused,
    /// Completions lost.
    Dropped,
}

impl Metric {
    pub const ALL: [Metric; 7] = [
        Metric::OverflowShare,
        Metric::LongestList,
        Metric::StrandedNs,
        Metric::ReapP99Ns,
        Metric::SyscallsPerCompletion,
        Metric::Refused,
        Metric::Dropped,
    ];

    /// The name in the CLI, links and tables.
    pub fn name(self) -> &'static str {
        match self {
            Metric::OverflowShare => "overflow_share",
            Metric::LongestList => "longest_list",
            Metric::StrandedNs => "stranded_ns",
            Metric::ReapP99Ns => "reap_p99_ns",
            Metric::SyscallsPerCompletion => "syscalls_per_completion",
            Metric::Refused => "refused",
            Metric::Dropped => "dropped",
        }
    }

    pub fn from_name(name: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.name() == name)
    }

    /// What a legend says.
    pub fn label(self) -> &'static str {
        match self {
            Metric::OverflowShare => "share of completions that overflowed",
            Metric::LongestList => "longest overflow list",
            Metric::StrandedNs => "time events spent stranded with the ring empty",
            Metric::ReapP99Ns => "p99 reap latency",
            Metric::SyscallsPerCompletion => "syscalls per completion",
            Metric::Refused => "submissions refused (EAGAIN or EBUSY)",
            Metric::Dropped => "completions dropped",
        }
    }

    /// The unit ("" for a pure number).
    pub fn unit(self) -> &'static str {
        match self {
            Metric::OverflowShare => "share",
            Metric::LongestList => "events",
            Metric::StrandedNs | Metric::ReapP99Ns => "ns",
            Metric::SyscallsPerCompletion => "per completion",
            Metric::Refused => "submissions",
            Metric::Dropped => "completions",
        }
    }

    fn names() -> String {
        Metric::ALL.map(Metric::name).join(", ")
    }
}

/// Every metric of one finished run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Measures {
    pub completed: u64,
    pub overflowed: u64,
    pub longest_list: u64,
    /// Measured only when asked for ([`measure`]).
    pub stranded_ns: Option<u64>,
    pub reap_p99_ns: u64,
    pub syscalls: u64,
    pub refused: u64,
    pub dropped: u64,
}

impl Measures {
    /// The metric's value (NaN for `stranded_ns` when it was not measured).
    pub fn get(&self, metric: Metric) -> f64 {
        let share = |n: u64| if self.completed == 0 { 0.0 } else { n as f64 / self.completed as f64 };
        match metric {
            Metric::OverflowShare => share(self.overflowed),
            Metric::LongestList => self.longest_list as f64,
            Metric::StrandedNs => self.stranded_ns.map_or(f64::NAN, |ns| ns as f64),
            Metric::ReapP99Ns => self.reap_p99_ns as f64,
            Metric::SyscallsPerCompletion => share(self.syscalls),
            Metric::Refused => self.refused as f64,
            Metric::Dropped => self.dropped as f64,
        }
    }
}

/// Runs `scenario` to the end of its workload and returns the finished run (its hash is
/// the one `run_until(end_ns)` gives) and its measures. With `stranded`, it steps event by
/// event to integrate the time events wait on the overflow list with the ring empty (the
/// state after each event holds until the next); without, it runs straight to the end and
/// leaves `stranded_ns` out.
pub fn measure(scenario: &Scenario, stranded: bool) -> Result<(Sim, Measures), String> {
    let mut sim = Sim::new(scenario).map_err(|e| e.to_string())?;
    let end = sim.end_ns();
    let mut stranded_ns = None;
    if stranded {
        let is_stranded = |sim: &Sim| {
            let k = sim.kernel();
            k.ring().is_empty() && !k.overflow_list().is_empty()
        };
        let mut total = 0u64;
        while let Some(at) = sim.next_event_at().filter(|&at| at <= end) {
            if is_stranded(&sim) {
                total += at.saturating_sub(sim.now());
            }
            sim.step();
        }
        if is_stranded(&sim) {
            total += end.saturating_sub(sim.now());
        }
        stranded_ns = Some(total);
    }
    sim.run_until(end);
    let c = sim.kernel().counters();
    let m = Measures {
        completed: c.completed,
        overflowed: c.overflowed,
        longest_list: c.max_list,
        stranded_ns,
        reap_p99_ns: sim.reap_latency().quantile(0.99),
        syscalls: c.syscalls,
        refused: c.eagain + c.ebusy,
        dropped: c.dropped,
    };
    Ok((sim, m))
}

/// A sweep: two axes, a metric, the models, and optionally the threshold whose crossing
/// is drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepSpec {
    pub x: Axis,
    pub y: Axis,
    pub metric: Metric,
    pub models: Vec<ModelKind>,
    pub threshold: Option<f64>,
}

/// `scenario` under `kind`: itself when it is already that model; otherwise the model's
/// defaults with the scenario's ring size where the model allows it (as the app's
/// compare mode does).
pub fn with_model(scenario: &Scenario, kind: ModelKind) -> Scenario {
    if scenario.model.kind() == kind {
        return scenario.clone();
    }
    let mut s = scenario.clone();
    s.model = ModelSpec::default_for(kind);
    let default = s.model.clone();
    set_ring_size(&mut s.model, ring_size(&scenario.model));
    if s.validate().is_err() {
        s.model = default;
    }
    s
}

/// Sets the model's ring size: `nr_events` (aio), `ring_entries` (the proposal),
/// `cq_entries` (io_uring, 5.5; the SQ shrinks to fit under it) or `sq_entries` (5.1,
/// which has no CQSIZE). The setup's checks decide whether the model allows it.
pub fn set_ring_size(spec: &mut ModelSpec, entries: u32) {
    match spec {
        ModelSpec::Aio2012(a) => a.nr_events = entries,
        ModelSpec::Aio(a) => a.nr_events = entries,
        ModelSpec::Proposal(p) => p.ring_entries = entries,
        ModelSpec::IoUring(u) | ModelSpec::IoUring55(u) => {
            u.cq_entries = Some(entries);
            u.sq_entries = u.sq_entries.min(entries.next_power_of_two());
        }
        ModelSpec::IoUring51(u) => u.sq_entries = entries,
    }
}

/// The model's ring size, as [`set_ring_size`] sets it.
pub fn ring_size(spec: &ModelSpec) -> u32 {
    match spec {
        ModelSpec::Aio2012(a) => a.nr_events,
        ModelSpec::Aio(a) => a.nr_events,
        ModelSpec::Proposal(p) => p.ring_entries,
        ModelSpec::IoUring(u) | ModelSpec::IoUring55(u) => u.cq_entries.unwrap_or(2 * u.sq_entries.next_power_of_two()),
        ModelSpec::IoUring51(u) => u.sq_entries,
    }
}

/// `latency` scaled to mean `mean` ns (its shape kept: the same spread relative to the mean).
fn with_mean(latency: &Latency, mean: u64) -> Latency {
    let scale = |ns: u64, of: f64| if of > 0.0 { (ns as f64 * mean as f64 / of).round() as u64 } else { mean };
    match *latency {
        Latency::Fixed { .. } => Latency::Fixed { ns: mean },
        Latency::Exponential { .. } => Latency::Exponential { mean_ns: mean },
        Latency::Uniform { min_ns, max_ns } => {
            let of = (min_ns as f64 + max_ns as f64) / 2.0;
            Latency::Uniform { min_ns: scale(min_ns, of), max_ns: scale(max_ns, of) }
        }
        Latency::Bimodal { fast_ns, slow_ns, slow_fraction } => {
            let of = fast_ns as f64 * (1.0 - slow_fraction) + slow_ns as f64 * slow_fraction;
            Latency::Bimodal { fast_ns: scale(fast_ns, of), slow_ns: scale(slow_ns, of), slow_fraction }
        }
    }
}

/// Sets `field` to `value` in `s` (a whole number when the field takes one). A model
/// field the model lacks leaves it unchanged. The error says what is wrong.
fn set_field(s: &mut Scenario, field: &str, value: f64) -> Result<(), String> {
    let known = axis_field(field).ok_or_else(|| format!("unknown field `{field}`; one of {}", field_names()))?;
    let whole = value as u64;
    let u32_of = || u32::try_from(whole).map_err(|_| format!("{whole} is too large"));
    match known.target {
        Target::RingSize => set_ring_size(&mut s.model, u32_of()?),
        Target::Model => {
            let mut model = s.model.clone();
            if crate::json::set_model_field(&mut model, field, &serde_json::Value::from(whole))? {
                s.model = model;
            }
        }
        Target::SubmitRate => {
            let submitting = s.workload.phases.iter_mut().filter(|p| p.trace.is_empty() && p.submit_rate > 0.0);
            let mut n = 0;
            for p in submitting {
                p.submit_rate = value;
                n += 1;
            }
            if n == 0 {
                return Err("no phase of the scenario submits at a rate".into());
            }
        }
        Target::Batch | Target::QueueDepth | Target::MeanLatency => {
            let v = if known.target == Target::MeanLatency { 0 } else { u32_of()? };
            let mut phases = s.workload.phases.iter_mut().filter(|p| p.trace.is_empty()).peekable();
            if phases.peek().is_none() {
                return Err("every phase replays a trace".into());
            }
            for p in phases {
                match known.target {
                    Target::Batch => p.batch = v,
                    Target::QueueDepth => p.queue_depth = v,
                    _ => p.latency = with_mean(&p.latency, whole),
                }
            }
        }
        Target::ReapInterval => s.reaper.interval_ns = whole,
        Target::ReapBatch => s.reaper.batch = u32_of()?,
        Target::Seed => s.seed = whole,
    }
    Ok(())
}

impl SweepSpec {
    /// Cells in all: x steps × y steps × models.
    pub fn cell_count(&self) -> usize {
        self.x.steps as usize * self.y.steps as usize * self.models.len()
    }

    /// The cell at `index` in table order (model, then y, then x): (model, ix, iy).
    pub fn cell_at(&self, index: usize) -> (usize, u32, u32) {
        let nx = self.x.steps as usize;
        let per_model = nx * self.y.steps as usize;
        (index / per_model, (index % nx) as u32, ((index % per_model) / nx) as u32)
    }

    /// The index of a cell in table order.
    pub fn index_of(&self, model: usize, ix: u32, iy: u32) -> usize {
        (model * self.y.steps as usize + iy as usize) * self.x.steps as usize + ix as usize
    }

    /// Checks the spec alone: models, axes' fields (the axes differ; some model has each
    /// model field), the threshold.
    pub fn validate(&self) -> Result<(), String> {
        if self.models.is_empty() || self.models.len() > MAX_MODELS {
            return Err(format!("models: {} given; a sweep takes 1 to {MAX_MODELS}", self.models.len()));
        }
        if let Some(m) = self.models.iter().enumerate().find(|(i, m)| self.models[..*i].contains(m)) {
            return Err(format!("models: {} twice", m.1));
        }
        if self.x.field == self.y.field {
            return Err(format!("x and y both set {}", self.x.field));
        }
        for (axis, which) in [(&self.x, "x"), (&self.y, "y")] {
            let known = axis_field(&axis.field).ok_or_else(|| format!("{which}: unknown field `{}`", axis.field))?;
            if axis.steps == 0 || axis.steps > MAX_STEPS {
                return Err(format!("{which}: {} steps; an axis takes 1 to {MAX_STEPS}", axis.steps));
            }
            if known.target == Target::Model
                && !self.models.iter().any(|&k| ModelSpec::default_for(k).has_field(&axis.field))
            {
                let having: Vec<&str> = ModelKind::ALL
                    .iter()
                    .filter(|&&k| ModelSpec::default_for(k).has_field(&axis.field))
                    .map(|k| k.name())
                    .collect();
                return Err(format!(
                    "{which}: no model in the sweep has {} (the models with it: {}); ring_entries sets every model's ring size",
                    axis.field,
                    having.join(", ")
                ));
            }
        }
        if let Some(t) = self.threshold.filter(|t| !t.is_finite()) {
            return Err(format!("threshold: {t} is not a number"));
        }
        Ok(())
    }

    /// The full run behind one cell: `base` under the cell's model with its x and y values
    /// set, checked as a link or a scenario file is (a value the model refuses is an
    /// error naming the field, the value and the model; nothing is clamped). The title
    /// says which cell; a lesson's text is left out.
    pub fn cell_scenario(&self, base: &Scenario, model: usize, ix: u32, iy: u32) -> Result<Scenario, String> {
        self.validate()?;
        if base.steps.is_some() {
            return Err("a sweep runs a stochastic scenario; this one is a script of steps".into());
        }
        let kind = *self.models.get(model).ok_or_else(|| format!("no model {model} in the sweep"))?;
        let x = *self.x.values().get(ix as usize).ok_or_else(|| format!("no x step {ix}"))?;
        let y = *self.y.values().get(iy as usize).ok_or_else(|| format!("no y step {iy}"))?;
        let mut s = with_model(base, kind);
        s.lesson = None;
        for (axis, v) in [(&self.x, x), (&self.y, y)] {
            let at = |e: String| format!("{} = {} under {kind}: {e}", axis.field, number_text(v));
            set_field(&mut s, &axis.field, v).map_err(at)?;
            s.validate().and_then(|()| s.check_work()).map_err(|e| at(e.to_string()))?;
        }
        s.title = format!(
            "{} ({kind}, {} {}, {} {})",
            base.title,
            self.x.field,
            number_text(x),
            self.y.field,
            number_text(y)
        );
        Ok(s)
    }

    /// Checks the spec and builds every cell's scenario (no runs): the first cell that
    /// cannot run is the error.
    pub fn check(&self, base: &Scenario) -> Result<(), String> {
        self.validate()?;
        (0..self.cell_count()).try_for_each(|i| {
            let (m, ix, iy) = self.cell_at(i);
            self.cell_scenario(base, m, ix, iy).map(|_| ())
        })
    }

    /// The sweep's own link keys, in this order: `sweep_x`, `sweep_y`, `sweep_metric`,
    /// `sweep_models`, and `sweep_threshold` when there is one.
    pub fn link_params(&self) -> Vec<(String, String)> {
        let mut out = vec![
            ("sweep_x".to_string(), self.x.link_text()),
            ("sweep_y".to_string(), self.y.link_text()),
            ("sweep_metric".to_string(), self.metric.name().to_string()),
            ("sweep_models".to_string(), self.models.iter().map(|k| k.name()).collect::<Vec<_>>().join(",")),
        ];
        if let Some(t) = self.threshold {
            out.push(("sweep_threshold".to_string(), number_text(t)));
        }
        out
    }

    /// The link keys as one `k=v&...` string (for a lesson's `sweep`).
    pub fn link_query(&self) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        for (k, v) in self.link_params() {
            out.append_pair(&k, &v);
        }
        out.finish()
    }

    /// Reads the sweep from link pairs (others are ignored; the last of a key wins):
    /// `None` when no `sweep_x` is given. `sweep_y` left out is one row at `seed`;
    /// `sweep_metric` left out is `overflow_share`; `sweep_models` left out is `default_model`.
    /// The error names the key.
    pub fn from_link_params(
        pairs: &[(String, String)],
        default_model: ModelKind,
        seed: u64,
    ) -> Result<Option<SweepSpec>, String> {
        let get = |key: &str| pairs.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
        let Some(x) = get("sweep_x") else {
            return match pairs.iter().find(|(k, _)| k.starts_with("sweep_")) {
                Some((k, _)) => Err(format!("{k}: a sweep needs sweep_x")),
                None => Ok(None),
            };
        };
        let x = Axis::parse(x).map_err(|e| format!("sweep_x: {e}"))?;
        let y = match get("sweep_y") {
            Some(y) => Axis::parse(y).map_err(|e| format!("sweep_y: {e}"))?,
            None => Axis::single_seed(seed),
        };
        let metric = match get("sweep_metric") {
            Some(name) => Metric::from_name(name)
                .ok_or_else(|| format!("sweep_metric: unknown metric `{name}`; one of {}", Metric::names()))?,
            None => Metric::OverflowShare,
        };
        let models = match get("sweep_models") {
            Some(text) => parse_models(text).map_err(|e| format!("sweep_models: {e}"))?,
            None => vec![default_model],
        };
        let threshold = match get("sweep_threshold") {
            Some(t) => Some(
                crate::decimal::parse_f64(t)
                    .filter(|t| t.is_finite())
                    .ok_or_else(|| format!("sweep_threshold: `{t}` is not a number"))?,
            ),
            None => None,
        };
        let spec = SweepSpec { x, y, metric, models, threshold };
        spec.validate().map_err(|e| format!("sweep: {e}"))?;
        Ok(Some(spec))
    }

    /// Reads a `k=v&...` string of link keys (a lesson's `sweep`), as [`SweepSpec::from_link_params`].
    pub fn from_link_query(query: &str, default_model: ModelKind, seed: u64) -> Result<Option<SweepSpec>, String> {
        let pairs: Vec<(String, String)> =
            form_urlencoded::parse(query.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        SweepSpec::from_link_params(&pairs, default_model, seed)
    }
}

/// Reads `a,b,...` model names.
pub fn parse_models(text: &str) -> Result<Vec<ModelKind>, String> {
    text.split(',')
        .map(|name| {
            ModelKind::from_name(name.trim())
                .ok_or_else(|| format!("unknown model `{name}`; one of {}", ModelKind::NAMES.join(", ")))
        })
        .collect()
}

/// One finished cell.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub model: ModelKind,
    pub ix: u32,
    pub iy: u32,
    pub x: f64,
    pub y: f64,
    /// The metric's value.
    pub value: f64,
    /// The run's hash at its end ([`Sim::run_hash`]): the cell's run opened in the main
    /// view ends with the same hash.
    pub run_hash: String,
}

impl Cell {
    /// The cell as one JSON line (the CLI's default output; the table's JSON cells).
    pub fn to_json(&self, spec: &SweepSpec) -> String {
        format!(
            r#"{{"model":"{}","ix":{},"iy":{},"{}":{},"{}":{},"metric":"{}","value":{},"run_hash":"{}"}}"#,
            self.model,
            self.ix,
            self.iy,
            spec.x.field,
            number_text(self.x),
            spec.y.field,
            number_text(self.y),
            spec.metric.name(),
            number_text(self.value),
            self.run_hash
        )
    }
}

/// Runs one cell to its end.
pub fn run_cell(base: &Scenario, spec: &SweepSpec, model: usize, ix: u32, iy: u32) -> Result<Cell, String> {
    let scenario = spec.cell_scenario(base, model, ix, iy)?;
    let (sim, measures) = measure(&scenario, spec.metric == Metric::StrandedNs)?;
    Ok(Cell {
        model: spec.models[model],
        ix,
        iy,
        x: spec.x.values()[ix as usize],
        y: spec.y.values()[iy as usize],
        value: measures.get(spec.metric),
        run_hash: sim.run_hash(),
    })
}

/// A sweep's cells, in table order (model, then y, then x); a table the browser is
/// still filling may lack some.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub spec: SweepSpec,
    pub cells: Vec<Cell>,
}

impl Table {
    /// Runs every cell, one after another (after [`SweepSpec::check`]).
    pub fn run(base: &Scenario, spec: &SweepSpec) -> Result<Table, String> {
        spec.check(base)?;
        let cells = (0..spec.cell_count())
            .map(|i| {
                let (m, ix, iy) = spec.cell_at(i);
                run_cell(base, spec, m, ix, iy)
            })
            .collect::<Result<_, _>>()?;
        Ok(Table { spec: spec.clone(), cells })
    }

    /// Runs every cell on rayon's threads; the same table as [`Table::run`] (feature
    /// `parallel`, native only).
    #[cfg(all(feature = "parallel", not(target_arch = "wasm32")))]
    pub fn run_parallel(base: &Scenario, spec: &SweepSpec) -> Result<Table, String> {
        use rayon::prelude::*;
        spec.check(base)?;
        let cells = (0..spec.cell_count())
            .into_par_iter()
            .map(|i| {
                let (m, ix, iy) = spec.cell_at(i);
                run_cell(base, spec, m, ix, iy)
            })
            .collect::<Result<_, _>>()?;
        Ok(Table { spec: spec.clone(), cells })
    }

    /// Puts the cells in table order (the browser's cells arrive as workers finish).
    pub fn sort(&mut self) {
        let spec = &self.spec;
        let index = |c: &Cell| spec.index_of(spec.models.iter().position(|m| *m == c.model).unwrap_or(0), c.ix, c.iy);
        self.cells.sort_by_key(index);
    }

    /// The cell at (model, ix, iy), if it is there.
    pub fn cell(&self, model: usize, ix: u32, iy: u32) -> Option<&Cell> {
        let kind = *self.spec.models.get(model)?;
        let at = self.spec.index_of(model, ix, iy);
        match self.cells.get(at) {
            Some(c) if c.model == kind && c.ix == ix && c.iy == iy => Some(c),
            _ => self.cells.iter().find(|c| c.model == kind && c.ix == ix && c.iy == iy),
        }
    }

    /// CSV: a header `model,ix,iy,<x field>,<y field>,<metric>,run_hash`, then one row
    /// per cell in the table's order; numbers in Rust's shortest exact form.
    pub fn to_csv(&self) -> String {
        let s = &self.spec;
        let mut out = format!("model,ix,iy,{},{},{},run_hash\n", s.x.field, s.y.field, s.metric.name());
        for c in &self.cells {
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{}",
                c.model,
                c.ix,
                c.iy,
                number_text(c.x),
                number_text(c.y),
                number_text(c.value),
                c.run_hash
            );
        }
        out
    }

    /// JSON: the sweep (axes with their values, metric, models, threshold) and its cells,
    /// each as [`Cell::to_json`] writes it. One line, ending in a newline.
    pub fn to_json(&self) -> String {
        let s = &self.spec;
        let axis = |a: &Axis| {
            let values: Vec<String> = a.values().into_iter().map(number_text).collect();
            format!(
                r#"{{"field":"{}","from":{},"to":{},"steps":{},"scale":"{}","values":[{}]}}"#,
                a.field,
                number_text(a.from),
                number_text(a.to),
                a.steps,
                a.scale.name(),
                values.join(",")
            )
        };
        let models: Vec<String> = s.models.iter().map(|m| format!("\"{m}\"")).collect();
        let cells: Vec<String> = self.cells.iter().map(|c| c.to_json(s)).collect();
        let threshold = s.threshold.map_or("null".to_string(), number_text);
        format!(
            r#"{{"x":{},"y":{},"metric":"{}","unit":"{}","models":[{}],"threshold":{},"cells":[{}]}}"#,
            axis(&s.x),
            axis(&s.y),
            s.metric.name(),
            s.metric.unit(),
            models.join(","),
            threshold,
            cells.join(",")
        ) + "\n"
    }
}

/// Whether a value is on the threshold's good side (every metric: lower is better).
pub fn is_good(value: f64, threshold: f64) -> bool {
    value <= threshold
}

/// One segment of a boundary, in cell-edge coordinates: cell (ix, iy) spans ix to ix + 1
/// across and iy to iy + 1 up, so (x0, y0)–(x1, y1) is a cell side, one unit long.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Edge {
    pub x0: u32,
    pub y0: u32,
    pub x1: u32,
    pub y1: u32,
}

/// Where one model's metric crosses the threshold.
#[derive(Clone, Debug, PartialEq)]
pub struct Boundary {
    pub model: ModelKind,
    /// Every cell side between a good and a bad cell (both finished): what the heatmap
    /// draws. Vertical sides first (by x, then y), then horizontal ones (by y, then x).
    pub edges: Vec<Edge>,
    /// Per x step: the smallest y step from which every finished cell up the column is
    /// good (`None`: the top cell is bad, or the column has no cell yet).
    pub good_from_y: Vec<Option<u32>>,
    /// Per y step: the smallest x step from which every finished cell along the row is
    /// good ("how big must the ring be", read across a row).
    pub good_from_x: Vec<Option<u32>>,
}

/// Where the metric crosses `threshold`, for each of the table's models (cells not yet
/// finished count as neither side).
pub fn boundary(table: &Table, threshold: f64) -> Vec<Boundary> {
    let spec = &table.spec;
    let (nx, ny) = (spec.x.steps, spec.y.steps);
    (0..spec.models.len())
        .map(|m| {
            let good = |ix: u32, iy: u32| table.cell(m, ix, iy).map(|c| is_good(c.value, threshold));
            let differ = |a: Option<bool>, b: Option<bool>| matches!((a, b), (Some(a), Some(b)) if a != b);
            let mut edges = Vec::new();
            for ix in 1..nx {
                for iy in 0..ny {
                    if differ(good(ix - 1, iy), good(ix, iy)) {
                        edges.push(Edge { x0: ix, y0: iy, x1: ix, y1: iy + 1 });
                    }
                }
            }
            for iy in 1..ny {
                for ix in 0..nx {
                    if differ(good(ix, iy - 1), good(ix, iy)) {
                        edges.push(Edge { x0: ix, y0: iy, x1: ix + 1, y1: iy });
                    }
                }
            }
            // The first index from which every finished cell to the end is good.
            let good_from = |n: u32, at: &dyn Fn(u32) -> Option<bool>| {
                let mut from = None;
                for i in (0..n).rev() {
                    match at(i) {
                        Some(true) => from = Some(i),
                        Some(false) => break,
                        None => {}
                    }
                }
                from
            };
            Boundary {
                model: spec.models[m],
                edges,
                good_from_y: (0..nx).map(|ix| good_from(ny, &|iy| good(ix, iy))).collect(),
                good_from_x: (0..ny).map(|iy| good_from(nx, &|ix| good(ix, iy))).collect(),
            }
        })
        .collect()
}
