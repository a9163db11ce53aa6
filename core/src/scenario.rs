//! Scenario files: a model, a workload (or a script of steps), a reaper and a seed,
//! plus optional lesson text. TOML on disk, the same structure as JSON.

use crate::error::ConfigError;
use crate::model::{Kernel, ModelSpec};
use crate::reaper::ReaperSpec;
use crate::script::{Script, Step};
use crate::view::ViewModel;
use crate::workload::{Workload, MAX_EVENTS};
use serde::{Deserialize, Serialize};

fn default_seed() -> u64 {
    1
}

/// What must hold at a pause point or at the reveal; every field is optional.
/// Tests check these for every lesson, so a lesson cannot claim what its run does not show.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    pub ring_len: Option<u32>,
    pub ring_len_min: Option<u32>,
    /// Exact user data in the ring, head to tail.
    pub ring: Option<Vec<u64>>,
    pub list_len: Option<u64>,
    pub list_len_min: Option<u64>,
    /// Exact user data on the overflow list, oldest first.
    pub list: Option<Vec<u64>>,
    pub flag: Option<bool>,
    pub in_flight: Option<u32>,
    pub dropped: Option<u64>,
    pub dropped_min: Option<u64>,
    pub overflowed_min: Option<u64>,
    pub eagain: Option<u64>,
    pub eagain_min: Option<u64>,
    pub ebusy_min: Option<u64>,
    pub timer_fires_min: Option<u64>,
    pub flushed_timer_min: Option<u64>,
    pub flushed_syscall_min: Option<u64>,
    pub syscalls_skipped_min: Option<u64>,
    /// Every submitted request has been reaped.
    pub all_reaped: Option<bool>,
}

impl Expect {
    /// Checks the expectation against what the view shows; the error names each miss.
    pub fn check(&self, v: &ViewModel) -> Result<(), String> {
        use crate::trace::FlushTrigger;
        let c = &v.counters;
        let ring: Vec<u64> = v.ring.slots_user_data();
        let mut misses = Vec::new();
        let mut eq = |name: &str, want: Option<String>, got: String| {
            if let Some(want) = want {
                if want != got {
                    misses.push(format!("{name} is {got}, expected {want}"));
                }
            }
        };
        eq("ring length", self.ring_len.map(|x| x.to_string()), v.ring.len.to_string());
        eq("ring", self.ring.as_ref().map(|x| format!("{x:?}")), format!("{ring:?}"));
        eq("list length", self.list_len.map(|x| x.to_string()), v.overflow_list.len().to_string());
        eq("list", self.list.as_ref().map(|x| format!("{x:?}")), format!("{:?}", v.overflow_list));
        eq("flag", self.flag.map(|x| format!("{x:?}")), format!("{:?}", v.flag.unwrap_or(false)));
        eq("in flight", self.in_flight.map(|x| x.to_string()), v.in_flight.to_string());
        eq("dropped", self.dropped.map(|x| x.to_string()), c.dropped.to_string());
        eq("EAGAIN", self.eagain.map(|x| x.to_string()), c.eagain.to_string());
        eq("all reaped", self.all_reaped.map(|x| x.to_string()), (c.reaped() == c.submitted).to_string());
        let mut at_least = |name: &str, want: Option<u64>, got: u64| {
            if let Some(want) = want {
                if got < want {
                    misses.push(format!("{name} is {got}, expected at least {want}"));
                }
            }
        };
        at_least("ring length", self.ring_len_min.map(u64::from), v.ring.len as u64);
        at_least("list length", self.list_len_min, v.overflow_list.len() as u64);
        at_least("dropped", self.dropped_min, c.dropped);
        at_least("overflowed", self.overflowed_min, c.overflowed);
        at_least("EAGAIN", self.eagain_min, c.eagain);
        at_least("EBUSY", self.ebusy_min, c.ebusy);
        at_least("timer fires", self.timer_fires_min, c.timer_fires);
        at_least("flushed by the timer", self.flushed_timer_min, c.flushed_by(FlushTrigger::Timer));
        at_least("flushed by a syscall", self.flushed_syscall_min, c.flushed_by(FlushTrigger::Syscall));
        at_least("syscalls skipped", self.syscalls_skipped_min, c.syscalls_skipped);
        if misses.is_empty() {
            Ok(())
        } else {
            Err(misses.join("; "))
        }
    }
}

/// A point in a lesson where playback pauses and narration is shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PausePoint {
    /// Simulated time of the pause, in ns (stochastic scenarios).
    #[serde(default)]
    pub at_ns: Option<u64>,
    /// For scripted scenarios: pause after this step (1-based).
    #[serde(default)]
    pub after_step: Option<u32>,
    pub narration: String,
    #[serde(default)]
    pub expect: Expect,
}

/// Teaching text around a scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    #[serde(default)]
    pub goal: String,
    /// A question to ask before playing.
    #[serde(default)]
    pub question: String,
    #[serde(default)]
    pub pauses: Vec<PausePoint>,
    /// What the run shows, revealed at the end.
    #[serde(default)]
    pub reveal: String,
    /// What holds at the end of the run (the workload's end, or after the last step).
    #[serde(default)]
    pub reveal_expect: Expect,
}

/// Everything that determines a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    #[serde(default)]
    pub title: String,
    #[serde(default = "default_seed")]
    pub seed: u64,
    pub model: ModelSpec,
    #[serde(default)]
    pub reaper: ReaperSpec,
    #[serde(default)]
    pub workload: Workload,
    /// A scripted scenario: these steps instead of the stochastic workload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steps: Option<Vec<Step>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lesson: Option<Lesson>,
}

impl Scenario {
    /// Parses and validates a scenario file (feature `toml`, on by default).
    #[cfg(feature = "toml")]
    pub fn from_toml_str(text: &str) -> Result<Scenario, ConfigError> {
        let scenario = Scenario::parse_toml_str(text)?;
        scenario.validate()?;
        scenario.check_work()?;
        Ok(scenario)
    }

    /// Parses a scenario file without checking it: the CLI loads the trace files it names
    /// ([`Scenario::load_traces`]) before [`Scenario::validate`] and [`Scenario::check_work`].
    #[cfg(feature = "toml")]
    pub fn parse_toml_str(text: &str) -> Result<Scenario, ConfigError> {
        toml::from_str(text).map_err(|e| {
            let message = e.message().to_string();
            ConfigError::new("", format!("bad scenario file: {message}"))
        })
    }

    /// Gives each phase that names a trace neither built in nor come with the scenario
    /// the requests `load` reads for that name (the CLI reads the file it names; the
    /// library has no I/O). The error is `load`'s message, for the phase's `trace`.
    pub fn load_traces(
        &mut self,
        load: &mut dyn FnMut(&str) -> Result<crate::trace_file::TraceData, String>,
    ) -> Result<(), ConfigError> {
        for (i, p) in self.workload.phases.iter_mut().enumerate() {
            if !p.trace.is_empty() && p.trace_requests().is_none() {
                let data = load(&p.trace).map_err(|e| ConfigError::new(format!("workload.phases[{i}].trace"), e))?;
                p.trace_data = Some(data);
            }
        }
        Ok(())
    }

    /// Parses and validates a scenario written as JSON. (`#[inline]`: compiled in the
    /// caller's crate, at its opt-level; see `crate::json`.)
    #[inline]
    pub fn from_json_str(text: &str) -> Result<Scenario, ConfigError> {
        let scenario = Scenario::parse_json_str(text)?;
        scenario.validate()?;
        scenario.check_work()?;
        Ok(scenario)
    }

    /// Parses a scenario written as JSON without checking it (see [`Scenario::parse_toml_str`]).
    #[inline]
    pub fn parse_json_str(text: &str) -> Result<Scenario, ConfigError> {
        // Read by hand from a `Value` (crate::json), not with the derived impls: the
        // browser's copy of them was ~40 KB of the gzipped bundle. from_slice, not
        // from_str: one copy of the `Value` parser, the one link.rs uses for step lists.
        let bad = |e: String| ConfigError::new("", format!("bad scenario: {e}"));
        let value: serde_json::Value = serde_json::from_slice(text.as_bytes()).map_err(|e| bad(e.to_string()))?;
        crate::json::scenario(&value).map_err(bad)
    }

    /// The scenario as JSON with its traces' requests inline (no steps, no lesson): the
    /// file the page offers for a trace a link cannot carry; [`Scenario::from_json_str`]
    /// and the CLI read it back.
    #[inline]
    pub fn to_json_string(&self) -> String {
        crate::json::write_scenario(self)
    }

    #[cfg(feature = "toml")]
    pub fn to_toml_string(&self) -> String {
        toml::to_string(self).expect("a scenario serializes to TOML")
    }

    /// Checks every field, including what the kernel would refuse at setup.
    pub fn validate(&self) -> Result<(), ConfigError> {
        Kernel::setup(&self.model).map_err(|e| e.within("model"))?;
        self.reaper.validate().map_err(|e| e.within("reaper"))?;
        self.workload.validate().map_err(|e| e.within("workload"))?;
        if let Some(lesson) = &self.lesson {
            for (i, p) in lesson.pauses.iter().enumerate() {
                if p.at_ns.is_some() == p.after_step.is_some() {
                    return Err(ConfigError::new(
                        format!("lesson.pauses[{i}]"),
                        "give exactly one of at_ns (stochastic runs) or after_step (scripted runs)",
                    ));
                }
            }
        }
        if let Some(steps) = &self.steps {
            Script { model: self.model.clone(), steps: steps.clone() }.validate()?;
        } else if self.workload.phases.is_empty() {
            return Err(ConfigError::new("workload.phases", "a scenario needs at least one phase, or a list of steps"));
        }
        Ok(())
    }

    /// Refuses a scenario whose work, estimated from its rates and durations, is over
    /// [`MAX_EVENTS`]: it would take minutes to hours to reach its end. The message names
    /// the fields to lower. Files, links and the controls are checked; the benchmarks,
    /// which build their long runs in code, are not.
    pub fn check_work(&self) -> Result<(), ConfigError> {
        if self.steps.is_some() {
            return Ok(()); // a script's steps are bounded one by one (crate::script)
        }
        let requests = self.workload.requests_per_phase();
        let per_request: Vec<f64> =
            self.workload.phases.iter().map(|p| 2.0 + 1.0 / f64::from(p.batch.max(1))).collect();
        let request_events: f64 = requests.iter().zip(&per_request).map(|(r, k)| r * k).sum();
        let duration = self.workload.duration_ns();
        let wakeups = if self.reaper.blocking { 0.0 } else { duration as f64 / self.reaper.interval_ns.max(1) as f64 };
        let events = request_events + wakeups;
        if events <= MAX_EVENTS {
            return Ok(());
        }
        let at_most = format!("a scenario may run at most about {MAX_EVENTS:.0e} events");
        if wakeups >= request_events {
            let interval = self.reaper.interval_ns;
            return Err(ConfigError::new(
                "reaper.interval_ns",
                format!(
                    "a wake-up every {interval} ns for duration_ns {duration} is about {wakeups:.1e} reaper wake-ups; \
                     {at_most}: raise reaper interval_ns (link key reap_interval_ns) or lower the phases' duration_ns"
                ),
            ));
        }
        let (i, busiest) =
            requests.iter().enumerate().fold((0, 0.0), |best, (i, r)| if *r > best.1 { (i, *r) } else { best });
        let p = &self.workload.phases[i];
        if !p.trace.is_empty() {
            return Err(ConfigError::new(
                format!("workload.phases[{i}]"),
                format!(
                    "the trace looped for duration_ns {} is about {busiest:.1e} requests, about {events:.1e} \
                     events in all; {at_most}: lower duration_ns (link key p{i}.duration_ns)",
                    p.duration_ns
                ),
            ));
        }
        Err(ConfigError::new(
            format!("workload.phases[{i}]"),
            format!(
                "submit_rate {} per second for duration_ns {} is about {busiest:.1e} requests, about {events:.1e} events \
                 in all; {at_most}: lower submit_rate or duration_ns (link keys p{i}.submit_rate, p{i}.duration_ns)",
                p.submit_rate, p.duration_ns
            ),
        ))
    }

    /// The scenario as a script, when it is one.
    pub fn script(&self) -> Option<Script> {
        self.steps.as_ref().map(|steps| Script { model: self.model.clone(), steps: steps.clone() })
    }
}
