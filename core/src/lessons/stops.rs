//! Where a lesson's pause points fall on its run: a pause placed by clock (`at_ns`), by
//! scripted step (`after_step`) or by event (`at_event`, optionally its `nth` time and only
//! `after_ns`) stops right after that event, as an exact [`Stop`] (an event count and the
//! clock there) that playback, the lesson panel and [`crate::lessons::check`] all share.

use crate::scenario::{PausePoint, Scenario, PAUSE_EVENTS};
use crate::sim::Sim;
use crate::trace::{Counters, FlushTrigger, TraceKind};

/// Where a pause point falls: the state after `events` events (`Sim::events`), with the
/// simulated clock at `at_ns` (a pause by clock may stand between two events).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Stop {
    pub events: u64,
    pub at_ns: u64,
}

impl Stop {
    fn of(sim: &Sim) -> Stop {
        Stop { events: sim.events(), at_ns: sim.now() }
    }
}

/// One stop per pause of the lesson, in order, from one run of the scenario. A pause whose
/// event never happens on this run (a setting the user changed) stops at the run's end;
/// the lesson's own runs resolve every pause (`check` insists).
pub fn stops(scenario: &Scenario) -> Result<Vec<Stop>, String> {
    let mut out = Vec::new();
    walk(scenario, |_, sim, _| out.push(Stop::of(sim)))?;
    Ok(out)
}

/// Plays the lesson's run through its pauses: `at_pause(i, sim, happened)` at each, where
/// `happened` is false for a pause by event whose event never came (`sim` is then at the end).
pub(crate) fn walk(scenario: &Scenario, mut at_pause: impl FnMut(usize, &Sim, bool)) -> Result<Sim, String> {
    let lesson = scenario.lesson.as_ref().ok_or("not a lesson: no [lesson] table")?;
    let mut sim = Sim::new(scenario).map_err(|e| e.to_string())?;
    let mut tally = Tally::default();
    for (i, pause) in lesson.pauses.iter().enumerate() {
        if pause.event().is_some_and(|(name, _)| name == "last_completion") && tally.completions.is_none() {
            let mut rest = sim.clone();
            play_to_end(&mut rest);
            tally.completions = Some(rest.kernel().counters().completed);
        }
        let happened = play_to(&mut sim, pause, &mut tally);
        at_pause(i, &sim, happened);
    }
    Ok(sim)
}

/// Plays `sim` to the end of its run: the workload's end, or past its last scripted step.
pub fn play_to_end(sim: &mut Sim) {
    if sim.scenario().steps.is_some() {
        while sim.step().is_some() {}
    } else {
        sim.run_until(sim.end_ns());
    }
}

/// How often each event of [`PAUSE_EVENTS`] has happened on a run so far, and when: a
/// pause's `nth` counts from the run's start (or from its `after_ns`), not from the pause
/// before it.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    totals: [u64; PAUSE_EVENTS.len()],
    /// (time, totals after the steps at that time), at each step that changed a total.
    history: Vec<(u64, [u64; PAUSE_EVENTS.len()])>,
    /// The run's completions in all, for `last_completion`.
    completions: Option<u64>,
}

impl Tally {
    /// One step of `sim`, counted; false at the end of a scripted run.
    fn step(&mut self, sim: &mut Sim) -> bool {
        let before = sim.kernel().counters().clone();
        let traced = sim.trace().total();
        if sim.step().is_none() {
            return false;
        }
        self.record(sim, &before, traced);
        true
    }

    fn record(&mut self, sim: &Sim, before: &Counters, traced: u64) {
        let after = sim.kernel().counters();
        let new = (sim.trace().total() - traced).min(sim.trace().len() as u64) as usize;
        let mut changed = false;
        for (i, name) in PAUSE_EVENTS.iter().enumerate() {
            let kinds = sim.trace().events().rev().take(new).map(|e| e.kind);
            let n = occurrences(name, before, after, kinds, self.completions);
            self.totals[i] += n;
            changed |= n > 0;
        }
        if changed {
            self.history.push((sim.now(), self.totals));
        }
    }

    /// How often `name` happened at or after `from_ns`.
    fn since(&self, name: &str, from_ns: u64) -> u64 {
        let Some(i) = PAUSE_EVENTS.iter().position(|n| *n == name) else { return 0 };
        let before = self.history.iter().rev().find(|(t, _)| *t < from_ns).map_or(0, |(_, totals)| totals[i]);
        self.totals[i] - before
    }
}

/// Plays `sim` forward to `pause`; whether it got there (a pause by event whose event
/// does not come stops at the end: false). `tally` counts the events of the run so far.
pub fn play_to(sim: &mut Sim, pause: &PausePoint, tally: &mut Tally) -> bool {
    if let Some(t) = pause.at_ns {
        while sim.next_event_at().is_some_and(|at| at <= t) && tally.step(sim) {}
        sim.run_until(t); // the clock to `t`, and any idle timer fires up to it (B7)
    }
    if let Some(step) = pause.after_step {
        while sim.events() < u64::from(step) && tally.step(sim) {}
    }
    let Some((name, nth)) = pause.event() else { return true };
    let from = pause.after_ns.unwrap_or(0);
    while tally.since(name, from) < u64::from(nth) {
        if sim.scenario().steps.is_none() && sim.next_event_at().is_none_or(|at| at > sim.end_ns()) {
            play_to_end(sim);
            return false;
        }
        if !tally.step(sim) {
            return false;
        }
    }
    true
}

/// How many times event `name` happened in one step of the run, counted as the counter
/// the screen shows counts it (flushes and reaps: once per step that made one).
fn occurrences(
    name: &str,
    before: &Counters,
    after: &Counters,
    kinds: impl Iterator<Item = TraceKind>,
    completions: Option<u64>,
) -> u64 {
    let grew = |f: fn(&Counters) -> u64| f(after).saturating_sub(f(before));
    let once = |f: fn(&Counters) -> u64| u64::from(f(after) > f(before));
    let flushed = |t: FlushTrigger| u64::from(after.flushed_by(t) > before.flushed_by(t));
    match name {
        "overflow" => grew(|c| c.overflowed),
        "flush" => once(Counters::flushed_total),
        "flush_completion" => flushed(FlushTrigger::Completion),
        "flush_syscall" => flushed(FlushTrigger::Syscall),
        "flush_submit" => flushed(FlushTrigger::Submit),
        "flush_timer" => flushed(FlushTrigger::Timer),
        "timer_fire" => grew(|c| c.timer_fires),
        "eagain" => grew(|c| c.eagain),
        "ebusy" => grew(|c| c.ebusy),
        "drop" => grew(|c| c.dropped),
        "completion" => grew(|c| c.completed),
        "syscall" => grew(|c| c.syscalls),
        "reap" => once(Counters::reaped),
        "first_overflow" => 0, // counted as `overflow` (`PausePoint::event`)
        "last_completion" => {
            u64::from(completions.is_some_and(|n| n > 0 && after.completed >= n && before.completed < n))
        }
        "flag_set" => kinds.filter(|k| matches!(k, TraceKind::FlagSet)).count() as u64,
        "flag_clear" => kinds.filter(|k| matches!(k, TraceKind::FlagCleared)).count() as u64,
        _ => 0,
    }
}
