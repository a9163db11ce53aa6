//! Stochastic workloads: phases on a timeline, each with a submit rate, a batch size,
//! a queue-depth target and a device latency distribution. Seeded, so the same
//! scenario and seed give the same run everywhere.

use crate::error::ConfigError;
use crate::model::RequestKind;
use crate::spec::{field, Field, FieldTable};
use crate::trace_file::TraceData;
use rand_core::{Rng, SeedableRng};
use rand_distr::{Distribution, Exp1};
use rand_pcg::Pcg64Mcg;
use serde::{Deserialize, Serialize};

/// The device's completion latency, in simulated nanoseconds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "dist", rename_all = "snake_case", deny_unknown_fields)]
pub enum Latency {
    Fixed {
        ns: u64,
    },
    Uniform {
        min_ns: u64,
        max_ns: u64,
    },
    Exponential {
        mean_ns: u64,
    },
    /// Mostly `fast_ns`, a fraction `slow_fraction` at `slow_ns`.
    Bimodal {
        fast_ns: u64,
        slow_ns: u64,
        slow_fraction: f64,
    },
}

impl Default for Latency {
    fn default() -> Self {
        Latency::Fixed { ns: 20_000 }
    }
}

/// Longest latency or phase accepted: 100 s of simulated time.
pub const MAX_NS: u64 = 100_000_000_000;
/// Highest submit rate accepted, in requests per second.
pub const MAX_RATE: f64 = 1e9;
/// A latency accepted, ns.
pub const LATENCY_RANGE: (u64, u64) = (0, MAX_NS);
/// A phase's length accepted, ns.
pub const DURATION_RANGE: (u64, u64) = (1, MAX_NS);
/// Requests per submit call accepted.
pub const BATCH_RANGE: (u64, u64) = (1, 65536);
/// Queue depths accepted.
pub const QUEUE_DEPTH_RANGE: (u64, u64) = (1, 1 << 20);

impl Latency {
    pub fn name(&self) -> &'static str {
        match self {
            Latency::Fixed { .. } => "fixed",
            Latency::Uniform { .. } => "uniform",
            Latency::Exponential { .. } => "exponential",
            Latency::Bimodal { .. } => "bimodal",
        }
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        let check = |field: &str, v: u64| crate::model::check_range(field, v, LATENCY_RANGE.0, LATENCY_RANGE.1);
        match *self {
            Latency::Fixed { ns } => check("ns", ns),
            Latency::Uniform { min_ns, max_ns } => {
                check("min_ns", min_ns)?;
                check("max_ns", max_ns)?;
                if min_ns > max_ns {
                    return Err(ConfigError::new("max_ns", format!("{max_ns} is below min_ns {min_ns}")));
                }
                Ok(())
            }
            Latency::Exponential { mean_ns } => check("mean_ns", mean_ns),
            Latency::Bimodal { fast_ns, slow_ns, slow_fraction } => {
                check("fast_ns", fast_ns)?;
                check("slow_ns", slow_ns)?;
                if !(0.0..=1.0).contains(&slow_fraction) {
                    return Err(ConfigError::new(
                        "slow_fraction",
                        format!("{slow_fraction} is out of range; allowed 0 to 1"),
                    ));
                }
                Ok(())
            }
        }
    }

    /// Draws one latency.
    pub fn sample(&self, rng: &mut Pcg64Mcg) -> u64 {
        match *self {
            Latency::Fixed { ns } => ns,
            Latency::Uniform { min_ns, max_ns } => min_ns + (unit(rng) * (max_ns - min_ns + 1) as f64) as u64,
            Latency::Exponential { mean_ns } => {
                let x: f64 = Exp1.sample(rng);
                (x * mean_ns as f64).min(MAX_NS as f64) as u64
            }
            Latency::Bimodal { fast_ns, slow_ns, slow_fraction } => {
                if unit(rng) < slow_fraction {
                    slow_ns
                } else {
                    fast_ns
                }
            }
        }
    }
}

/// A uniform draw in [0, 1) from the top 53 bits.
fn unit(rng: &mut Pcg64Mcg) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// The scenario's random-number generator.
pub fn seeded(seed: u64) -> Pcg64Mcg {
    Pcg64Mcg::seed_from_u64(seed)
}

fn default_batch() -> u32 {
    1
}
fn default_queue_depth() -> u32 {
    32
}
fn default_kind() -> RequestKind {
    RequestKind::Io
}
/// The length of a phase a link adds without saying (files must give it).
const NEW_PHASE_NS: u64 = 1_000_000;

/// One stretch of the timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    #[serde(default)]
    pub name: String,
    pub duration_ns: u64,
    /// Requests per second the submitter aims for; 0 = no submissions in this phase.
    #[serde(default)]
    pub submit_rate: f64,
    /// Requests per submit call.
    #[serde(default = "default_batch")]
    pub batch: u32,
    /// The submitter keeps at most this many requests outstanding (submitted, not yet reaped).
    #[serde(default = "default_queue_depth")]
    pub queue_depth: u32,
    #[serde(default)]
    pub latency: Latency,
    /// `io` requests go to the device; `nop`s complete inside the submit call.
    #[serde(default = "default_kind")]
    pub kind: RequestKind,
    /// A recorded trace replayed instead of the rate, batch, queue depth, latency and kind
    /// above: the name of a built-in trace (`crate::trace_file::BUILTIN`), or in files a
    /// path (the CLI loads it). Each request is submitted at its recorded instant and
    /// completes after its recorded latency; the queue depth does not hold any back.
    /// With `duration_ns` 0 the phase lasts the trace's span (times the scale).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub trace: String,
    /// The trace's time scale: instants and latencies times this, 0.1 to 10.
    #[serde(default = "default_trace_scale", skip_serializing_if = "is_default_trace_scale")]
    pub trace_scale: f64,
    /// Plays the trace again and again (one pass every span × scale) until the phase ends.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub trace_loop: bool,
    /// The trace's requests when they come with the scenario (a file the CLI or the page
    /// loaded, or a scenario file that bundles them): `[[submit_ns, latency_ns], ...]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace_data: Option<TraceData>,
}

fn default_trace_scale() -> f64 {
    1.0
}
fn is_default_trace_scale(scale: &f64) -> bool {
    *scale == 1.0
}
/// Trace time scales accepted.
pub const TRACE_SCALE_RANGE: (f64, f64) = (0.1, 10.0);

/// Names a trace; naming another one drops the requests that came with the old name.
fn set_trace(p: &mut Phase, name: String) {
    if p.trace != name {
        p.trace_data = None;
    }
    p.trace = name;
}

/// A new phase: nothing submitted for 1 ms, the other fields at their defaults.
impl Default for Phase {
    fn default() -> Self {
        Phase {
            name: String::new(),
            duration_ns: NEW_PHASE_NS,
            submit_rate: 0.0,
            batch: default_batch(),
            queue_depth: default_queue_depth(),
            latency: Latency::default(),
            kind: default_kind(),
            trace: String::new(),
            trace_scale: default_trace_scale(),
            trace_loop: false,
            trace_data: None,
        }
    }
}

/// In the order links write them (a trace before the duration, which may then be 0:
/// the trace's span).
impl FieldTable for Phase {
    const WHAT: &'static str = "a phase";
    const FIELDS: &'static [Field<Self>] = &[
        field!(name: Text(clone), OmittedAtDefault, None, "what the phase is called"),
        field!(@row trace, OmittedAtDefault, None, "a recorded trace replayed instead of rate, batch and latency (a built-in trace's name)",
            crate::spec::Slot::Text(|s| s.trace.clone(), set_trace)),
        field!(trace_scale: F64, OmittedAtDefault, Some((0, 10)), "the trace's time scale, 0.1 to 10"),
        field!(trace_loop: Bool, OmittedAtDefault, None, "replay the trace until the phase ends"),
        field!(duration_ns: U64, Required, Some(DURATION_RANGE), "how long the phase lasts"),
        field!(submit_rate: F64, Defaulted, Some((0, MAX_RATE as u64)), "requests per second"),
        field!(batch: U32, Defaulted, Some(BATCH_RANGE), "per call"),
        field!(queue_depth: U32, Defaulted, Some(QUEUE_DEPTH_RANGE), "requests outstanding at most (submitted, not reaped)"),
        field!(kind: Choice(RequestKind, "io or nop"), Defaulted, None, "io goes to the device; a nop completes in the submit"),
        field!(latency: Latency(clone), Defaulted, Some(LATENCY_RANGE), "the device's completion latency"),
    ];
}

impl Phase {
    /// Time between submit calls, in ns (`None` when the phase submits nothing).
    pub fn submit_period_ns(&self) -> Option<u64> {
        (self.submit_rate > 0.0).then(|| ((self.batch as f64 * 1e9 / self.submit_rate) as u64).max(1))
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.trace.is_empty() && self.trace_data.is_none() {
            crate::model::check_range("duration_ns", self.duration_ns, DURATION_RANGE.0, DURATION_RANGE.1)?;
        } else {
            self.validate_trace()?;
        }
        if !self.submit_rate.is_finite() || !(0.0..=MAX_RATE).contains(&self.submit_rate) {
            return Err(ConfigError::new(
                "submit_rate",
                format!("{} is out of range; allowed 0 to {MAX_RATE} requests per second", self.submit_rate),
            ));
        }
        crate::model::check_range("batch", self.batch as u64, BATCH_RANGE.0, BATCH_RANGE.1)?;
        crate::model::check_range("queue_depth", self.queue_depth as u64, QUEUE_DEPTH_RANGE.0, QUEUE_DEPTH_RANGE.1)?;
        self.latency.validate().map_err(|e| e.within("latency"))
    }
}

impl Phase {
    /// The trace this phase replays (a built-in one by name, or the requests that came
    /// with it), if any.
    pub fn trace_requests(&self) -> Option<TraceData> {
        if self.trace.is_empty() {
            return None;
        }
        self.trace_data.clone().or_else(|| crate::trace_file::builtin(&self.trace))
    }

    /// How long the phase lasts: `duration_ns`, or for a trace played once with
    /// `duration_ns` 0, the trace's span times its scale.
    pub fn length_ns(&self) -> u64 {
        match self.trace_requests() {
            Some(data) if self.duration_ns == 0 => crate::trace_file::scaled(self.trace_scale, data.span_ns()).max(1),
            _ => self.duration_ns,
        }
    }

    /// Requests a trace phase submits: the trace's, times the passes that start within
    /// the phase.
    fn trace_request_count(&self, data: &TraceData) -> f64 {
        if !self.trace_loop {
            return data.len() as f64;
        }
        let period = crate::trace_file::scaled(self.trace_scale, data.span_ns()).max(1);
        data.len() as f64 * self.length_ns().div_ceil(period) as f64
    }

    fn validate_trace(&self) -> Result<(), ConfigError> {
        if self.trace.is_empty() {
            return Err(ConfigError::new("trace", "trace_data needs a trace name"));
        }
        let Some(data) = self.trace_requests() else {
            return Err(ConfigError::new(
                "trace",
                format!(
                    "`{}` is not a built-in trace ({}); a file's trace is loaded by the CLI or the page",
                    self.trace,
                    crate::trace_file::BUILTIN_NAMES
                ),
            ));
        };
        if data.is_empty() {
            return Err(ConfigError::new("trace_data", "the trace holds no requests"));
        }
        let (min, max) = TRACE_SCALE_RANGE;
        if !(min..=max).contains(&self.trace_scale) {
            return Err(ConfigError::new(
                "trace_scale",
                format!("{} is out of range; allowed {min} to {max}", self.trace_scale),
            ));
        }
        if self.duration_ns == 0 {
            if self.trace_loop {
                return Err(ConfigError::new(
                    "duration_ns",
                    "0 (the trace's span) is for a trace played once; a looping trace needs the phase's length",
                ));
            }
            if crate::trace_file::scaled(self.trace_scale, data.span_ns()) > MAX_NS {
                return Err(ConfigError::new("trace", "the trace, times its scale, spans over 100 s (a phase's most)"));
            }
            return Ok(());
        }
        crate::model::check_range("duration_ns", self.duration_ns, DURATION_RANGE.0, DURATION_RANGE.1)
    }
}

/// The submitter's timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Workload {
    #[serde(default)]
    pub phases: Vec<Phase>,
}

/// Most phases accepted.
pub const MAX_PHASES: usize = 64;

impl Workload {
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.phases.len() > MAX_PHASES {
            return Err(ConfigError::new("phases", format!("{} phases; at most {MAX_PHASES}", self.phases.len())));
        }
        for (i, p) in self.phases.iter().enumerate() {
            p.validate().map_err(|e| e.within(&format!("phases[{i}]")))?;
        }
        Ok(())
    }

    /// Total length of the timeline in ns.
    pub fn duration_ns(&self) -> u64 {
        self.phases.iter().map(Phase::length_ns).sum()
    }

    /// Requests each phase submits at most: its rate times its length (the queue depth
    /// and the device's latency may keep it lower).
    pub fn requests_per_phase(&self) -> Vec<f64> {
        self.phases
            .iter()
            .map(|p| match p.trace_requests() {
                Some(data) => p.trace_request_count(&data),
                None => p.submit_rate * p.duration_ns as f64 / 1e9,
            })
            .collect()
    }
}

/// The most events a scenario may ask for, estimated from its rates and durations
/// ([`crate::Scenario::check_work`]): about a minute of simulation in the browser with a
/// progress bar, a few seconds natively. Each request costs about two events (its
/// completion and its reap) plus its share of a submit call; each reaper wake-up is one.
pub const MAX_EVENTS: f64 = 1e8;
