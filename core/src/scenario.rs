//! Scenario files: a model, a workload (or a script of steps), a reaper and a seed,
//! plus optional lesson text. TOML on disk, the same structure as JSON.

use crate::error::ConfigError;
use crate::model::{Kernel, ModelSpec};
use crate::reaper::ReaperSpec;
use crate::script::{Script, Step};
use crate::view::ViewModel;
use crate::workload::{Workload, MAX_EVENTS};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
    pub overflowed: Option<u64>,
    pub flushed_syscall: Option<u64>,
    pub flushed_submit_min: Option<u64>,
    pub flushed_completion_min: Option<u64>,
    pub timer_fires: Option<u64>,
    pub ebusy: Option<u64>,
    pub submitted: Option<u64>,
    pub reaped: Option<u64>,
    pub reaped_min: Option<u64>,
    /// io_uring's own drop counter, `cq.overflow` (the view's `overflow_counter`).
    pub cq_overflow: Option<u64>,
    /// aio 2012: kiocbs allocated and not yet freed (`reqs_active`, the global count).
    pub reqs_active: Option<u32>,
    /// Today's aio: free slots in the global pool (`reqs_available`).
    pub global_pool: Option<u32>,
    /// Today's aio: free slots in each CPU's cache, CPU 0 first.
    pub cpu_cache: Option<Vec<u32>>,
}

impl Expect {
    /// One sentence per expectation that does not hold on `v`, saying what the view shows
    /// instead ("the overflow list holds 0, not 5"); empty when everything holds.
    pub fn misses(&self, v: &ViewModel) -> Vec<String> {
        use crate::trace::FlushTrigger;
        let c = &v.counters;
        let mut misses = Vec::new();
        let mut exactly = |what: &str, want: Option<String>, got: String| {
            if let Some(want) = want.filter(|w| *w != got) {
                misses.push(format!("{what} {got}, not {want}"));
            }
        };
        let n = |x: Option<u64>| x.map(|x| x.to_string());
        exactly("the ring holds", self.ring_len.map(|x| x.to_string()), v.ring.len.to_string());
        exactly(
            "the ring holds",
            self.ring.as_ref().map(|x| format!("{x:?}")),
            format!("{:?}", v.ring.slots_user_data()),
        );
        exactly("the overflow list holds", n(self.list_len), v.overflow_list.len().to_string());
        exactly(
            "the overflow list holds",
            self.list.as_ref().map(|x| format!("{x:?}")),
            format!("{:?}", v.overflow_list),
        );
        let flag = |set: bool| if set { "set" } else { "clear" }.to_string();
        exactly("the flag is", self.flag.map(flag), flag(v.flag.unwrap_or(false)));
        exactly("in flight reads", self.in_flight.map(|x| x.to_string()), v.in_flight.to_string());
        exactly("dropped reads", n(self.dropped), c.dropped.to_string());
        exactly("EAGAIN reads", n(self.eagain), c.eagain.to_string());
        exactly("EBUSY reads", n(self.ebusy), c.ebusy.to_string());
        exactly("overflowed reads", n(self.overflowed), c.overflowed.to_string());
        exactly("flushed by syscall reads", n(self.flushed_syscall), c.flushed_by(FlushTrigger::Syscall).to_string());
        exactly("timer fires reads", n(self.timer_fires), c.timer_fires.to_string());
        exactly("submitted reads", n(self.submitted), c.submitted.to_string());
        exactly("reaped reads", n(self.reaped), c.reaped().to_string());
        exactly("cq.overflow reads", n(self.cq_overflow), v.overflow_counter.to_string());
        use crate::view::SlotPools;
        let (active, global, cpus) = match &v.slot_pools {
            Some(SlotPools::Global { reqs_active, .. }) => (Some(*reqs_active), None, None),
            Some(SlotPools::PerCpu { global, cpus, .. }) => (None, Some(*global), Some(cpus.clone())),
            None => (None, None, None),
        };
        let shown = |x: Option<String>| x.unwrap_or_else(|| "not drawn for this model".into());
        exactly("reqs_active reads", self.reqs_active.map(|x| x.to_string()), shown(active.map(|x| x.to_string())));
        exactly("the global pool holds", self.global_pool.map(|x| x.to_string()), shown(global.map(|x| x.to_string())));
        exactly(
            "the CPU caches hold",
            self.cpu_cache.as_ref().map(|x| format!("{x:?}")),
            shown(cpus.map(|x| format!("{x:?}"))),
        );
        if self.all_reaped.is_some_and(|all| all != (c.reaped() == c.submitted)) {
            misses.push(if c.reaped() == c.submitted {
                format!("every request was reaped ({} of {})", c.reaped(), c.submitted)
            } else {
                format!("{} of {} requests were reaped", c.reaped(), c.submitted)
            });
        }
        let mut at_least = |what: &str, want: Option<u64>, got: u64| {
            if let Some(want) = want.filter(|w| got < *w) {
                misses.push(format!("{what} {got}, not at least {want}"));
            }
        };
        at_least("the ring holds", self.ring_len_min.map(u64::from), u64::from(v.ring.len));
        at_least("the overflow list holds", self.list_len_min, v.overflow_list.len() as u64);
        at_least("dropped reads", self.dropped_min, c.dropped);
        at_least("overflowed reads", self.overflowed_min, c.overflowed);
        at_least("EAGAIN reads", self.eagain_min, c.eagain);
        at_least("EBUSY reads", self.ebusy_min, c.ebusy);
        at_least("timer fires reads", self.timer_fires_min, c.timer_fires);
        at_least("flushed by the timer reads", self.flushed_timer_min, c.flushed_by(FlushTrigger::Timer));
        at_least("flushed by syscall reads", self.flushed_syscall_min, c.flushed_by(FlushTrigger::Syscall));
        at_least("flushed by submit reads", self.flushed_submit_min, c.flushed_by(FlushTrigger::Submit));
        at_least("flushed by completion reads", self.flushed_completion_min, c.flushed_by(FlushTrigger::Completion));
        at_least("syscalls skipped reads", self.syscalls_skipped_min, c.syscalls_skipped);
        at_least("reaped reads", self.reaped_min, c.reaped());
        misses
    }

    /// Checks the expectation against what the view shows; the error names each miss.
    pub fn check(&self, v: &ViewModel) -> Result<(), String> {
        let misses = self.misses(v);
        if misses.is_empty() {
            Ok(())
        } else {
            Err(misses.join("; "))
        }
    }
}

/// What a pause point may stop on (`at_event`), right after the event of the run that
/// makes it happen (`crate::lessons::stops`). `first_overflow` is `overflow` with `nth = 1`;
/// `flush` is a flush by any trigger, `flush_<trigger>` one by that trigger.
pub const PAUSE_EVENTS: [&str; 17] = [
    "overflow",
    "first_overflow",
    "flush",
    "flush_completion",
    "flush_syscall",
    "flush_submit",
    "flush_timer",
    "timer_fire",
    "flag_set",
    "flag_clear",
    "eagain",
    "ebusy",
    "drop",
    "completion",
    "last_completion",
    "reap",
    "syscall",
];

/// A point in a lesson where playback pauses and narration is shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct PausePoint {
    /// Simulated time of the pause, in ns (stochastic scenarios).
    #[serde(default)]
    pub at_ns: Option<u64>,
    /// For scripted scenarios: pause after this step (1-based).
    #[serde(default)]
    pub after_step: Option<u32>,
    /// Pause right after this event of the run (one of [`PAUSE_EVENTS`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_event: Option<String>,
    /// With `at_event`: its `nth` time (1-based, default 1), as the counter shown counts it
    /// (timer fires, overflowed completions, EAGAINs...; flushes, reaps and syscalls by
    /// the event of the run that made them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nth: Option<u32>,
    /// With `at_event`: count only what happens at or after this simulated time, ns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_ns: Option<u64>,
    pub narration: String,
    #[serde(default)]
    pub expect: Expect,
    /// In a lesson that compares runs (`compare`, `compare_reapers`): what holds in each
    /// compared run at this pause's instant, by the run's model or reaper policy.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub expect_lanes: BTreeMap<String, Expect>,
}

impl PausePoint {
    /// `at_event`'s name with `first_overflow` read as `overflow`, and the nth time.
    pub fn event(&self) -> Option<(&str, u32)> {
        let name = self.at_event.as_deref()?;
        Some(match name {
            "first_overflow" => ("overflow", 1),
            _ => (name, self.nth.unwrap_or(1).max(1)),
        })
    }
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
    /// The sweep that shows the answer, as its link keys (`sweep_x=...&sweep_models=...`,
    /// docs/sweeps.md): the app opens it at the reveal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sweep: Option<String>,
    /// Models the lesson opens side by side (compare mode), by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub compare: Vec<String>,
    /// Reaper policies the lesson opens side by side on its model, by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub compare_reapers: Vec<String>,
    /// What holds at the end in each compared run, by its model or reaper policy.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub reveal_expect_lanes: BTreeMap<String, Expect>,
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
        // browser's copy of them was ~40 KB of the gzipped bundle. The text itself is
        // parsed by crate::json::parse, as link.rs parses step lists (not serde_json's
        // generic deserializer).
        let bad = |e: String| ConfigError::new("", format!("bad scenario: {e}"));
        let value = crate::json::parse(text.as_bytes()).map_err(bad)?;
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
                let at = format!("lesson.pauses[{i}]");
                let given = [p.at_ns.is_some(), p.after_step.is_some(), p.at_event.is_some()];
                if given.iter().filter(|g| **g).count() != 1 {
                    return Err(ConfigError::new(
                        at,
                        "give exactly one of at_ns (stochastic runs), after_step (scripted runs) or at_event",
                    ));
                }
                if let Some(name) = p.at_event.as_deref().filter(|n| !PAUSE_EVENTS.contains(n)) {
                    let known = PAUSE_EVENTS.join(", ");
                    return Err(ConfigError::new(at, format!("no event {name:?}; at_event is one of {known}")));
                }
                if p.at_event.is_none() && (p.nth.is_some() || p.after_ns.is_some()) {
                    return Err(ConfigError::new(at, "nth and after_ns go with at_event"));
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

    /// About how many events a run to its end takes (0 for a script, whose steps are few):
    /// what [`Scenario::check_work`] bounds, and what tells the app whether a whole run can
    /// be played within one frame's work.
    pub fn estimated_events(&self) -> f64 {
        if self.steps.is_some() {
            return 0.0;
        }
        let (request_events, wakeups) = self.work_estimate();
        request_events + wakeups
    }

    /// The events of the requests (submit, completion and a share of each batch's submit
    /// call) and the reaper's wake-ups.
    fn work_estimate(&self) -> (f64, f64) {
        let requests = self.workload.requests_per_phase();
        let per_request: Vec<f64> =
            self.workload.phases.iter().map(|p| 2.0 + 1.0 / f64::from(p.batch.max(1))).collect();
        let request_events: f64 = requests.iter().zip(&per_request).map(|(r, k)| r * k).sum();
        let duration = self.workload.duration_ns();
        let wakeups = if self.reaper.blocking { 0.0 } else { duration as f64 / self.reaper.interval_ns.max(1) as f64 };
        (request_events, wakeups)
    }

    /// Refuses a scenario whose work, estimated from its rates and durations, is over
    /// [`MAX_EVENTS`]: it would take minutes to hours to reach its end. The message names
    /// the fields to lower. Files, links and the controls are checked; the benchmarks,
    /// which build their long runs in code, are not.
    pub fn check_work(&self) -> Result<(), ConfigError> {
        if self.steps.is_some() {
            return Ok(()); // a script's steps are bounded one by one (crate::script)
        }
        let (request_events, wakeups) = self.work_estimate();
        let requests = self.workload.requests_per_phase();
        let duration = self.workload.duration_ns();
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
