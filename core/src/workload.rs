//! Stochastic workloads: phases on a timeline, each with a submit rate, a batch size,
//! a queue-depth target and a device latency distribution. Seeded, so the same
//! scenario and seed give the same run everywhere.

use crate::error::ConfigError;
use crate::model::RequestKind;
use crate::spec::{field, Field, FieldTable};
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
        }
    }
}

/// In the order links write them.
impl FieldTable for Phase {
    const WHAT: &'static str = "a phase";
    const FIELDS: &'static [Field<Self>] = &[
        field!(name: Text(clone), OmittedAtDefault, None, "what the phase is called"),
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
        crate::model::check_range("duration_ns", self.duration_ns, DURATION_RANGE.0, DURATION_RANGE.1)?;
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
        self.phases.iter().map(|p| p.duration_ns).sum()
    }

    /// Requests each phase submits at most: its rate times its length (the queue depth
    /// and the device's latency may keep it lower).
    pub fn requests_per_phase(&self) -> Vec<f64> {
        self.phases.iter().map(|p| p.submit_rate * p.duration_ns as f64 / 1e9).collect()
    }
}

/// The most events a scenario may ask for, estimated from its rates and durations
/// ([`crate::Scenario::check_work`]): about a minute of simulation in the browser with a
/// progress bar, a few seconds natively. Each request costs about two events (its
/// completion and its reap) plus its share of a submit call; each reaper wake-up is one.
pub const MAX_EVENTS: f64 = 1e8;
