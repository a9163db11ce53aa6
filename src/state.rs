//! The app's one state and its one reducer: the scenario, the running [`Timeline`], the
//! transport (playing, speed) and the controls. Data flows one way: an [`Action`] goes
//! in, a new [`AppState`] with a freshly built [`Frame`] comes out, the components draw it.

use crate::controls_model::{apply, Control, ControlValues};
use crate::format::{sim_ns_per_second, MAX_SPEED, MIN_SPEED};
use crate::narrate::{self, Context};
use ringlab_core::stats::Sample;
use ringlab_core::trace::{FlushTrigger, TraceKind};
use ringlab_core::{Scenario, Sim, Timeline, ViewModel};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// Most events processed in one animation frame, so that a frame never stalls.
pub const MAX_EVENTS_PER_FRAME: u64 = 4_000;
/// Lines kept in the event log.
pub const LOG_LINES: usize = 50;
/// Points drawn per chart.
pub const CHART_POINTS: usize = 240;

/// `Rc` compared by pointer: a frame is new exactly when the reducer built one.
#[derive(Debug)]
pub struct Shared<T>(pub Rc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Rc::clone(&self.0))
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// One line of the event log.
#[derive(Clone, Debug, PartialEq)]
pub struct LogLine {
    /// Position in the whole trace (a stable key).
    pub index: u64,
    pub at: u64,
    pub text: String,
    pub tone: &'static str,
}

/// The most recent flush, to label the movement from the list into the ring.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LastFlush {
    pub index: u64,
    pub moved: u32,
    pub trigger: FlushTrigger,
}

/// A point of interest on the scrubber's track.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkerKind {
    Full,
    Flush,
    Drop,
}

/// Everything the components draw, built once per state change.
#[derive(Debug, PartialEq)]
pub struct Frame {
    pub view: ViewModel,
    pub log: Vec<LogLine>,
    /// Evenly thinned samples of the run so far, for the charts and the scrubber.
    pub samples: Vec<Sample>,
    pub markers: Vec<(u64, MarkerKind)>,
    pub last_flush: Option<LastFlush>,
    /// The last few events taken by the reaper, newest last, with their trace index.
    pub reaped: Vec<(u64, u64)>,
    /// The flush timer's period (0: none), for the countdown bar.
    pub timer_period_ns: u64,
}

impl Frame {
    pub fn build(sim: &Sim) -> Frame {
        let view = sim.view();
        let ctx = Context::for_model(view.model, view.ring.entries);
        let trace = sim.trace();
        let first = trace.total() - trace.len() as u64;
        let skip = trace.len().saturating_sub(LOG_LINES);
        let log = trace
            .events()
            .enumerate()
            .skip(skip)
            .map(|(i, e)| LogLine {
                index: first + i as u64,
                at: e.at,
                text: narrate::narrate(&e.kind, ctx),
                tone: narrate::tone(&e.kind),
            })
            .collect();
        let mut last_flush = None;
        let mut reaped = Vec::new();
        let mut markers = Vec::new();
        for (i, e) in trace.events().enumerate() {
            match e.kind {
                TraceKind::Flushed { moved, trigger, .. } => {
                    last_flush = Some(LastFlush { index: first + i as u64, moved, trigger })
                }
                TraceKind::Dropped { .. } => markers.push((e.at, MarkerKind::Drop)),
                _ => {}
            }
        }
        for (i, e) in trace.events().enumerate().rev() {
            if let TraceKind::Reaped { user_data, .. } = e.kind {
                reaped.push((first + i as u64, user_data));
                if reaped.len() == 6 {
                    break;
                }
            }
        }
        reaped.reverse();
        let all = sim.series().samples();
        let capacity = view.ring.capacity;
        for w in all.windows(2) {
            if w[1].ring_len >= capacity && w[0].ring_len < capacity {
                markers.push((w[1].at, MarkerKind::Full));
            }
            if w[1].list_len < w[0].list_len {
                markers.push((w[1].at, MarkerKind::Flush));
            }
        }
        let stride = all.len().div_ceil(CHART_POINTS).max(1);
        let mut samples: Vec<Sample> = all.iter().step_by(stride).copied().collect();
        if let Some(last) = all.last() {
            if samples.last() != Some(last) {
                samples.push(*last);
            }
        }
        let timer_period_ns = match &sim.scenario().model {
            ringlab_core::ModelSpec::Proposal(p) => p.timer_ns,
            _ => 0,
        };
        Frame { view, log, samples, markers, last_flush, reaped, timer_period_ns }
    }
}

/// The whole app state.
pub struct AppState {
    /// The scenario as loaded (the controls edit a copy of it).
    pub base: Rc<Scenario>,
    pub scenario: Rc<Scenario>,
    /// The running simulation. Only the reducer touches it.
    timeline: Rc<RefCell<Timeline>>,
    pub frame: Shared<Frame>,
    pub controls: ControlValues,
    /// The control whose value was rejected, and why.
    pub error: Option<(Control, String)>,
    pub playing: bool,
    /// Step on the logarithmic speed scale (see [`crate::format::speed_label`]).
    pub speed: i32,
    pub shortcuts_open: bool,
}

impl PartialEq for AppState {
    fn eq(&self, other: &Self) -> bool {
        self.frame == other.frame
            && self.controls == other.controls
            && self.error == other.error
            && self.playing == other.playing
            && self.speed == other.speed
            && self.shortcuts_open == other.shortcuts_open
    }
}

/// What can happen to the state.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// An animation frame; wall-clock milliseconds since the previous one.
    Tick(f64),
    TogglePlay,
    Step,
    StepBack,
    Reset,
    SetSpeed(i32),
    Faster,
    Slower,
    /// Go to simulated time `t` ns (the scrubber).
    Seek(u64),
    SetControl(Control, String),
    ToggleShortcuts,
    CloseShortcuts,
}

pub const DEFAULT_SPEED: i32 = 0;

impl AppState {
    pub fn new(scenario: Scenario) -> Result<AppState, String> {
        let sim = Sim::new(&scenario).map_err(|e| format!("the scenario is not valid: {e}"))?;
        let frame = Shared(Rc::new(Frame::build(&sim)));
        Ok(AppState {
            controls: ControlValues::from_scenario(&scenario),
            base: Rc::new(scenario.clone()),
            scenario: Rc::new(scenario),
            timeline: Rc::new(RefCell::new(Timeline::new(sim))),
            frame,
            error: None,
            playing: false,
            speed: DEFAULT_SPEED,
            shortcuts_open: false,
        })
    }

    fn with(&self, f: impl FnOnce(&mut AppState)) -> Rc<AppState> {
        let mut next = AppState {
            base: self.base.clone(),
            scenario: self.scenario.clone(),
            timeline: self.timeline.clone(),
            frame: self.frame.clone(),
            controls: self.controls.clone(),
            error: self.error.clone(),
            playing: self.playing,
            speed: self.speed,
            shortcuts_open: self.shortcuts_open,
        };
        f(&mut next);
        Rc::new(next)
    }

    fn refresh(&mut self) {
        self.frame = Shared(Rc::new(Frame::build(self.timeline.borrow().sim())));
    }

    /// Where playback stops.
    pub fn end_ns(&self) -> u64 {
        self.frame.view.end_ns
    }

    pub fn at_end(&self) -> bool {
        self.frame.view.now_ns >= self.end_ns()
    }

    fn restart(&mut self, scenario: Scenario) {
        if let Ok(sim) = Sim::new(&scenario) {
            self.timeline = Rc::new(RefCell::new(Timeline::new(sim)));
            self.scenario = Rc::new(scenario);
            self.refresh();
        }
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match action {
            Action::Tick(wall_ms) => {
                if !self.playing {
                    return self; // same Rc: yew skips the render
                }
                let now = self.frame.view.now_ns;
                let end = self.end_ns();
                let advance = (wall_ms.clamp(0.0, 250.0) / 1e3 * sim_ns_per_second(self.speed)) as u64;
                let target = now.saturating_add(advance.max(1)).min(end);
                self.timeline.borrow_mut().advance_to(target, MAX_EVENTS_PER_FRAME);
                self.with(|s| {
                    s.refresh();
                    if s.at_end() {
                        s.playing = false;
                    }
                })
            }
            Action::TogglePlay => self.with(|s| {
                if !s.playing && s.at_end() {
                    s.timeline.borrow_mut().seek_events(0);
                    s.refresh();
                }
                s.playing = !s.playing;
            }),
            Action::Step => self.with(|s| {
                s.playing = false;
                s.timeline.borrow_mut().step();
                s.refresh();
            }),
            Action::StepBack => self.with(|s| {
                s.playing = false;
                s.timeline.borrow_mut().step_back();
                s.refresh();
            }),
            Action::Reset => self.with(|s| {
                s.playing = false;
                s.timeline.borrow_mut().seek_events(0);
                s.refresh();
            }),
            Action::SetSpeed(k) => self.with(|s| s.speed = k.clamp(MIN_SPEED, MAX_SPEED)),
            Action::Faster => self.with(|s| s.speed = (s.speed + 1).min(MAX_SPEED)),
            Action::Slower => self.with(|s| s.speed = (s.speed - 1).max(MIN_SPEED)),
            Action::Seek(t) => self.with(|s| {
                s.playing = false;
                s.timeline.borrow_mut().seek_time(t.min(s.end_ns()));
                s.refresh();
            }),
            Action::SetControl(control, value) => self.with(|s| {
                let mut values = s.controls.clone();
                values.set(control, value);
                match apply(&s.base, &values) {
                    Ok(scenario) => {
                        if control == Control::Model {
                            // The new model's own names and units for the ring size.
                            values = ControlValues::from_scenario(&scenario);
                        }
                        s.controls = values;
                        s.error = None;
                        s.playing = false;
                        s.restart(scenario);
                    }
                    Err(rejected) if control == Control::Model => {
                        // The old ring size does not fit the new model: take its defaults.
                        let mut fallback = (*s.scenario).clone();
                        if let Some(spec) = ringlab_core::ModelSpec::default_for(values.get(Control::Model)) {
                            fallback.model = spec;
                        }
                        if fallback.validate().is_ok() {
                            s.controls = ControlValues::from_scenario(&fallback);
                            s.error = None;
                            s.playing = false;
                            s.restart(fallback);
                        } else {
                            s.controls = values;
                            s.error = Some(rejected);
                        }
                    }
                    Err(rejected) => {
                        s.controls = values;
                        s.error = Some(rejected);
                    }
                }
            }),
            Action::ToggleShortcuts => self.with(|s| s.shortcuts_open = !s.shortcuts_open),
            Action::CloseShortcuts => {
                if !self.shortcuts_open {
                    return self;
                }
                self.with(|s| s.shortcuts_open = false)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DEFAULT_SCENARIO;

    fn state() -> Rc<AppState> {
        Rc::new(AppState::new(Scenario::from_toml_str(DEFAULT_SCENARIO).unwrap()).unwrap())
    }

    fn run(s: Rc<AppState>, actions: impl IntoIterator<Item = Action>) -> Rc<AppState> {
        actions.into_iter().fold(s, |s, a| s.reduce(a))
    }

    #[test]
    fn ticks_while_paused_change_nothing() {
        let s = state();
        let next = s.clone().reduce(Action::Tick(16.0));
        assert!(Rc::ptr_eq(&s, &next));
    }

    #[test]
    fn playing_advances_simulated_time_by_wall_time_times_speed() {
        let s = run(state(), [Action::TogglePlay, Action::Tick(100.0)]);
        // ×1: 50 µs per second, so 100 ms of wall time is 5 µs.
        assert_eq!(s.frame.view.now_ns, 5_000);
        let s = run(s, [Action::Faster, Action::Faster, Action::Faster, Action::Tick(100.0)]);
        assert_eq!(s.frame.view.now_ns, 45_000);
    }

    #[test]
    fn step_back_restores_the_counters_exactly() {
        let s = run(state(), (0..30).map(|_| Action::Step));
        let before = s.frame.view.counters.clone();
        let s = run(s, [Action::Step, Action::StepBack]);
        assert_eq!(s.frame.view.counters, before);
        assert_eq!(s.frame.view.events, 30);
    }

    #[test]
    fn playing_to_the_end_fills_the_ring_and_a_flush_rescues_the_list() {
        let mut s = run(state(), [Action::SetSpeed(4), Action::TogglePlay]);
        let mut saw_list = false;
        for _ in 0..10_000 {
            s = s.reduce(Action::Tick(16.0));
            saw_list |= !s.frame.view.overflow_list.is_empty();
            if !s.playing {
                break;
            }
        }
        assert!(s.at_end(), "playback stops at the end");
        assert!(saw_list, "completions spilled onto the list");
        let c = &s.frame.view.counters;
        assert!(c.flushed_total() > 0, "something brought the list back: {c:?}");
        assert!(s.frame.view.ledger.holds);
        assert!(!s.frame.log.is_empty() && s.frame.log.len() <= LOG_LINES);
    }

    #[test]
    fn a_rejected_control_keeps_the_run_and_says_why() {
        let s = run(state(), [Action::Step, Action::Step]);
        let s = run(s, [Action::SetControl(Control::RingEntries, "0".into())]);
        assert_eq!(s.frame.view.events, 2, "the run goes on");
        assert_eq!(s.error.as_ref().map(|e| e.0), Some(Control::RingEntries));
        let s = run(s, [Action::SetControl(Control::RingEntries, "4".into())]);
        assert!(s.error.is_none());
        assert_eq!(s.frame.view.ring.entries, 4);
        assert_eq!(s.frame.view.events, 0, "a new control value resets the run");
    }

    #[test]
    fn changing_the_model_takes_its_names() {
        let s = run(state(), [Action::SetControl(Control::Model, "io_uring".into())]);
        assert!(s.error.is_none(), "{:?}", s.error);
        assert_eq!(s.frame.view.model, "io_uring");
        assert_eq!(s.frame.view.ring.entries, 8);
        let s = run(s, [Action::SetControl(Control::Model, "aio".into())]);
        assert_eq!(s.frame.view.model, "aio");
    }

    #[test]
    fn a_ring_at_the_kernel_limit_draws_as_64_arcs() {
        let s = run(state(), [
            Action::SetControl(Control::Model, "io_uring".into()),
            Action::SetControl(Control::RingEntries, "65536".into()),
        ]);
        assert_eq!(s.frame.view.ring.entries, 65536);
        assert_eq!(s.frame.view.ring.slots.len(), 64);
    }
}
