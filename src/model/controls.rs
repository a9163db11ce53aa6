//! The controls as the user typed them, and how they become a [`Scenario`].
//!
//! Each control keeps its text, so a rejected value stays visible next to its message.
//! [`apply`] is pure: it either returns the scenario to run or names the control that
//! is wrong and why (the core's own `validate()` has the last word).

use super::caps::{range, Caps, FlagCap};
use super::format::{parse_us, us_text};
use ringlab_core::model::{ModelKind, ModelSpec};
use ringlab_core::workload::Latency;
use ringlab_core::{ReaperPolicy, Scenario};

/// Every control, named as in its test hook `control-<name>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Control {
    Model,
    RingEntries,
    MaxRequests,
    SubmitRate,
    Batch,
    LatencyDist,
    Latency,
    ReaperPolicy,
    ReaperInterval,
    ReaperBatch,
    Timer,
    TimerPeriod,
    Flag,
    Seed,
}

impl Control {
    pub const ALL: [Control; 14] = [
        Control::Model,
        Control::RingEntries,
        Control::MaxRequests,
        Control::SubmitRate,
        Control::Batch,
        Control::LatencyDist,
        Control::Latency,
        Control::ReaperPolicy,
        Control::ReaperInterval,
        Control::ReaperBatch,
        Control::Timer,
        Control::TimerPeriod,
        Control::Flag,
        Control::Seed,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Control::Model => "model",
            Control::RingEntries => "ring-entries",
            Control::MaxRequests => "max-requests",
            Control::SubmitRate => "submit-rate",
            Control::Batch => "batch",
            Control::LatencyDist => "latency-dist",
            Control::Latency => "latency",
            Control::ReaperPolicy => "reaper-policy",
            Control::ReaperInterval => "reaper-interval",
            Control::ReaperBatch => "reaper-batch",
            Control::Timer => "timer",
            Control::TimerPeriod => "timer-period",
            Control::Flag => "flag",
            Control::Seed => "seed",
        }
    }
}

/// Latency distributions offered, all parameterised by their mean.
pub const LATENCY_DISTS: [&str; 4] = ["fixed", "uniform", "exponential", "bimodal"];

/// The text of every control.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ControlValues([String; 14]);

impl ControlValues {
    pub fn get(&self, c: Control) -> &str {
        &self.0[c as usize]
    }

    pub fn set(&mut self, c: Control, value: impl Into<String>) {
        self.0[c as usize] = value.into();
    }

    pub fn flag(&self, c: Control) -> bool {
        self.get(c) == "true"
    }

    /// The controls showing `scenario`.
    pub fn from_scenario(s: &Scenario) -> ControlValues {
        let mut v = ControlValues(Default::default());
        v.set(Control::Model, s.model.name());
        let caps = Caps::of(s.model.kind());
        v.set(Control::RingEntries, ring_entries(&s.model).to_string());
        let (max_requests, timer_ns, flag) = match &s.model {
            ModelSpec::Proposal(p) => (p.max_requests, p.timer_ns, p.flag),
            ModelSpec::IoUring55(u) => (0, 0, u.flag),
            _ => (0, 0, caps.flag == FlagCap::Always),
        };
        v.set(Control::MaxRequests, if caps.max_requests { max_requests.to_string() } else { String::new() });
        v.set(Control::Timer, (timer_ns > 0).to_string());
        v.set(Control::TimerPeriod, us_text(if timer_ns > 0 { timer_ns } else { 2_000_000 }));
        v.set(Control::Flag, flag.to_string());
        let phase = s.workload.phases.first();
        v.set(Control::SubmitRate, phase.map_or(0.0, |p| p.submit_rate).to_string());
        v.set(Control::Batch, phase.map_or(1, |p| p.batch).to_string());
        let latency = phase.map(|p| p.latency.clone()).unwrap_or_default();
        v.set(Control::LatencyDist, latency.name());
        v.set(Control::Latency, us_text(mean_latency(&latency)));
        v.set(Control::ReaperPolicy, s.reaper.policy.name());
        v.set(Control::ReaperInterval, us_text(s.reaper.interval_ns));
        v.set(Control::ReaperBatch, s.reaper.batch.to_string());
        v.set(Control::Seed, s.seed.to_string());
        v
    }
}

// The size the ring-size control edits (`nr_events`, ring entries, CQ entries or, on
// io_uring 5.1–5.3, SQ entries) is what a sweep's `ring_entries` axis sets: one definition,
// in the core. The core's validation decides whether the model allows a size.
pub use ringlab_core::sweep::{ring_size as ring_entries, set_ring_size as set_ring_entries};

/// The mean of a latency distribution, in ns.
pub fn mean_latency(l: &Latency) -> u64 {
    match *l {
        Latency::Fixed { ns } => ns,
        Latency::Uniform { min_ns, max_ns } => (min_ns + max_ns) / 2,
        Latency::Exponential { mean_ns } => mean_ns,
        Latency::Bimodal { fast_ns, slow_ns, slow_fraction } => {
            (fast_ns as f64 * (1.0 - slow_fraction) + slow_ns as f64 * slow_fraction) as u64
        }
    }
}

/// A distribution named `dist` with mean `mean` ns: uniform spans ±50 %, bimodal is
/// 90 % at half the mean and 10 % at 5.5 × the mean.
pub fn latency_with_mean(dist: &str, mean: u64) -> Option<Latency> {
    Some(match dist {
        "fixed" => Latency::Fixed { ns: mean },
        "uniform" => Latency::Uniform { min_ns: mean / 2, max_ns: mean + mean / 2 },
        "exponential" => Latency::Exponential { mean_ns: mean },
        "bimodal" => Latency::Bimodal { fast_ns: mean / 2, slow_ns: mean * 11 / 2, slow_fraction: 0.1 },
        _ => return None,
    })
}

type Rejected = (Control, String);

fn int(c: Control, text: &str, min: u64, max: u64, unit: &str) -> Result<u64, Rejected> {
    let range = || format!("allowed {min} to {max}{unit}");
    let v: u64 =
        text.trim().parse().map_err(|_| (c, format!("“{}” is not a whole number; {}", text.trim(), range())))?;
    if v < min || v > max {
        return Err((c, format!("{v} is out of range; {}", range())));
    }
    Ok(v)
}

fn micros(c: Control, text: &str, min_ns: u64, max_ns: u64) -> Result<u64, Rejected> {
    let range = || format!("allowed {} to {} µs", us_text(min_ns), us_text(max_ns));
    let v = parse_us(text).ok_or_else(|| (c, format!("“{}” is not a number of µs; {}", text.trim(), range())))?;
    if v < min_ns || v > max_ns {
        return Err((c, format!("{} µs is out of range; {}", us_text(v), range())));
    }
    Ok(v)
}

/// The scenario the controls describe, starting from `base` (which keeps the phases'
/// other settings and the lesson text).
pub fn apply(base: &Scenario, v: &ControlValues) -> Result<Scenario, Rejected> {
    let mut s = base.clone();
    let model = v.get(Control::Model);
    let kind = ModelKind::from_name(model).ok_or((Control::Model, format!("unknown model “{model}”")))?;
    let mut spec = ModelSpec::default_for(kind);
    let caps = Caps::of(kind);
    let limits = |c: Control| range(c, &caps).expect("a number control");
    let number = |c: Control, unit: &str| {
        let (min, max) = limits(c);
        int(c, v.get(c), min, max, unit)
    };
    let time = |c: Control| {
        let (min, max) = limits(c);
        micros(c, v.get(c), min, max)
    };
    let entries = number(Control::RingEntries, "")? as u32;
    let timer_ns = if caps.timer && v.flag(Control::Timer) { time(Control::TimerPeriod)? } else { 0 };
    set_ring_entries(&mut spec, entries);
    match &mut spec {
        ModelSpec::Proposal(p) => {
            p.max_requests = number(Control::MaxRequests, "")? as u32;
            p.flag = v.flag(Control::Flag);
            p.timer_ns = timer_ns;
        }
        ModelSpec::IoUring55(u) => u.flag = v.flag(Control::Flag),
        _ => {}
    }
    // Options without a control of their own (liburing's submit, L1.6) stay as the
    // scenario has them while the model stays the same.
    if let (
        ModelSpec::IoUring(u) | ModelSpec::IoUring55(u) | ModelSpec::IoUring51(u),
        ModelSpec::IoUring(b) | ModelSpec::IoUring55(b) | ModelSpec::IoUring51(b),
    ) = (&mut spec, &base.model)
    {
        if base.model.kind() == kind {
            u.submit_getevents = b.submit_getevents;
        }
    }
    s.model = spec;

    let (min_rate, max_rate) = limits(Control::SubmitRate);
    let rate: f64 = ringlab_core::decimal::parse_f64(v.get(Control::SubmitRate).trim())
        .filter(|r: &f64| r.is_finite() && (min_rate as f64..=max_rate as f64).contains(r))
        .ok_or((Control::SubmitRate, format!("allowed {min_rate} to {max_rate} requests per second")))?;
    let batch = number(Control::Batch, " requests")? as u32;
    let mean = time(Control::Latency)?;
    let latency = latency_with_mean(v.get(Control::LatencyDist), mean)
        .ok_or((Control::LatencyDist, format!("unknown distribution “{}”", v.get(Control::LatencyDist))))?;
    if let Some(first) = s.workload.phases.first_mut() {
        first.submit_rate = rate;
        first.batch = batch;
    }
    // The device's latency, for every phase that submits (the first always counts).
    for (i, phase) in s.workload.phases.iter_mut().enumerate() {
        if i == 0 || phase.submit_rate > 0.0 {
            phase.latency = latency.clone();
        }
    }

    let policy = v.get(Control::ReaperPolicy);
    s.reaper.policy =
        ReaperPolicy::from_name(policy).ok_or((Control::ReaperPolicy, format!("unknown policy “{policy}”")))?;
    s.reaper.interval_ns = time(Control::ReaperInterval)?;
    s.reaper.batch = number(Control::ReaperBatch, " events")? as u32;
    s.seed = number(Control::Seed, "")?;

    s.validate().and_then(|()| s.check_work()).map_err(|e| (control_for_field(&e.field), e.to_string()))?;
    Ok(s)
}

/// Which control a core validation error belongs to.
pub fn control_for_field(field: &str) -> Control {
    let last = field.rsplit('.').next().unwrap_or(field);
    match last {
        "max_requests" => Control::MaxRequests,
        "timer_ns" => Control::TimerPeriod,
        "submit_rate" => Control::SubmitRate,
        "batch" if field.starts_with("reaper") => Control::ReaperBatch,
        "batch" => Control::Batch,
        "interval_ns" => Control::ReaperInterval,
        _ if field.contains("latency") => Control::Latency,
        // The work ceiling names a whole phase: its rate is what the controls change.
        _ if field.starts_with("workload.phases") => Control::SubmitRate,
        _ => Control::RingEntries,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DEFAULT_SCENARIO;

    fn base() -> Scenario {
        Scenario::from_toml_str(DEFAULT_SCENARIO).unwrap()
    }

    #[test]
    fn the_controls_round_trip_the_default_scenario() {
        let s = base();
        let v = ControlValues::from_scenario(&s);
        assert_eq!(v.get(Control::Model), "proposal");
        assert_eq!(v.get(Control::RingEntries), "8");
        assert_eq!(v.get(Control::Latency), "40");
        assert_eq!(apply(&s, &v).unwrap(), s);
    }

    #[test]
    fn bad_values_name_their_control_and_the_range() {
        let s = base();
        let mut v = ControlValues::from_scenario(&s);
        v.set(Control::RingEntries, "1");
        let (c, msg) = apply(&s, &v).unwrap_err();
        assert_eq!(c, Control::RingEntries);
        assert!(msg.contains("allowed 2 to 65536"), "{msg}");
        v.set(Control::RingEntries, "eight");
        assert!(apply(&s, &v).unwrap_err().1.contains("not a whole number"));
        let mut v = ControlValues::from_scenario(&s);
        v.set(Control::SubmitRate, "-5");
        assert_eq!(apply(&s, &v).unwrap_err().0, Control::SubmitRate);
        let mut v = ControlValues::from_scenario(&s);
        v.set(Control::Seed, "99999999999999999999999");
        assert_eq!(apply(&s, &v).unwrap_err().0, Control::Seed);
    }

    #[test]
    fn every_model_accepts_a_small_ring_and_the_kernel_limit() {
        let s = base();
        for model in ModelKind::ALL {
            for entries in ["4", &Caps::of(model).ring_max.to_string()] {
                let mut v = ControlValues::from_scenario(&s);
                v.set(Control::Model, model.name());
                v.set(Control::RingEntries, entries);
                let out = apply(&s, &v);
                assert!(out.is_ok(), "{model} {entries}: {out:?}");
                assert_eq!(out.unwrap().model.kind(), model);
            }
        }
    }

    #[test]
    fn the_timer_switch_sets_the_period_or_zero() {
        let s = base();
        let mut v = ControlValues::from_scenario(&s);
        v.set(Control::Timer, "false");
        match apply(&s, &v).unwrap().model {
            ModelSpec::Proposal(p) => assert_eq!(p.timer_ns, 0),
            other => panic!("{other:?}"),
        }
        v.set(Control::Timer, "true");
        v.set(Control::TimerPeriod, "0.5");
        assert_eq!(apply(&s, &v).unwrap_err().0, Control::TimerPeriod);
    }

    #[test]
    fn liburing_submit_option_survives_other_controls() {
        // L1.6: the option has no control; changing another control keeps it, changing
        // the model starts from that model's defaults.
        let mut s = base();
        s.model = ModelSpec::IoUring(ringlab_core::model::io_uring::UringSpec {
            submit_getevents: true,
            ..Default::default()
        });
        let mut v = ControlValues::from_scenario(&s);
        v.set(Control::RingEntries, "16");
        match apply(&s, &v).unwrap().model {
            ModelSpec::IoUring(u) => assert!(u.submit_getevents && u.cq_entries == Some(16), "{u:?}"),
            other => panic!("{other:?}"),
        }
        v.set(Control::Model, "io_uring-5.5");
        match apply(&s, &v).unwrap().model {
            ModelSpec::IoUring55(u) => assert!(!u.submit_getevents),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn latency_means_are_kept() {
        for dist in LATENCY_DISTS {
            let l = latency_with_mean(dist, 40_000).unwrap();
            assert_eq!(l.name(), dist);
            assert_eq!(mean_latency(&l), 40_000, "{dist}");
        }
    }
}
