//! The main run: stepping, stepping back, seeking and restarting the [`Timeline`], and
//! keeping the drawn [`Frame`] and [`Clock`] in step with it after every action.

use super::controls::{apply, Control, ControlValues};
use super::{AppModel, ById, Clock, Frame, Target, LOG_LINES, LOG_LINES_FAST, LOG_LINES_PLAYING};
use ringlab_core::{ModelSpec, Scenario, Sim, Timeline};

/// How many Steps Back can retrace exactly.
const MAX_BACK_STEPS: usize = 10_000;

impl AppModel {
    /// Runs `change` (a user's action), then brings the frame, the compared runs and the
    /// readouts to the new instant.
    pub(super) fn settle_after(&mut self, change: impl FnOnce(&mut AppModel)) {
        self.settle(None, change);
    }

    /// Runs `change` in an animation frame of `wall_ms`, during which the readouts and
    /// the compared runs' views may lag (see [`super::READOUT_MS`]).
    pub(super) fn settle_after_tick(&mut self, wall_ms: f64, change: impl FnOnce(&mut AppModel)) {
        self.settle(Some(wall_ms), change);
    }

    fn settle(&mut self, tick: Option<f64>, change: impl FnOnce(&mut AppModel)) {
        let (frame_before, clock_before, speed_before) = (self.screen.frame.clone(), self.clock, self.screen.speed);
        change(self);
        if !self.screen.playing && (self.clock.now_ns != self.screen.frame.view.now_ns || self.screen.frame.log_thinned)
        {
            // Paused: the frame (its run hash, lesson position, whole log) is the clock's.
            self.refresh();
        }
        if (tick.is_none() && !self.screen.playing) || self.screen.speed != speed_before {
            self.screen.fast = false; // a pause, a step, a seek or another speed: animations again
        }
        if self.screen.playing && tick.is_some() && self.screen.frame.crowded {
            self.screen.fast = true;
        }
        let new_frame = self.screen.frame != frame_before;
        let clock_moved = self.clock != clock_before;
        if self.seeking() {
            // The compared runs follow in the seek's own slices (seek.rs).
        } else if self.screen.playing || tick.is_some() {
            // Playing, or catching up after playback stopped by itself: every compared run
            // follows the clock at once; its view is rebuilt in its turn (cadence.rs).
            if new_frame || clock_moved {
                self.follow_lazy();
            }
        } else if new_frame || !self.lanes_current() {
            self.follow(true);
        } else if clock_moved {
            self.follow(false);
        }
        self.follow_readouts(new_frame, tick);
    }

    /// Rebuilds the frame and the clock at the run's instant.
    pub(super) fn refresh(&mut self) {
        let sim = self.timeline.sim();
        self.clock = Clock::of(sim);
        self.screen.frame = self.framed(Frame::build(sim));
    }

    /// After playing on: a new frame if an event happened (or the run reached its end or
    /// a pause point), otherwise only the clock moves and the frame stays the same.
    pub(super) fn sync_after_play(&mut self, stopped_at_pause: bool) {
        let clock = Clock::of(self.timeline.sim());
        let frame = &self.screen.frame;
        let at_end = !frame.scripted && clock.now_ns >= frame.view.end_ns;
        if stopped_at_pause || at_end || clock.events != frame.view.events {
            let crowded = clock.events.saturating_sub(frame.view.events) > 2 * LOG_LINES_FAST as u64;
            let log_lines = match (stopped_at_pause || at_end, crowded) {
                (true, _) => LOG_LINES,
                (false, true) => LOG_LINES_FAST,
                (false, false) => LOG_LINES_PLAYING,
            };
            self.screen.frame = self.framed(Frame::build_with_log(self.timeline.sim(), log_lines));
        }
        self.clock = clock;
    }

    /// One event forward, paused; Back returns to the instant the user was at.
    pub(super) fn step(&mut self) {
        self.cancel_seek();
        self.screen.playing = false;
        let before = self.clock;
        if self.timeline.step().is_some() {
            if self.back_to.len() == MAX_BACK_STEPS {
                self.back_to.remove(0);
            }
            self.back_to.push(before);
        }
        self.refresh();
    }

    /// Back to where the last Step started (its instant exactly, even between two events);
    /// without one, to the previous event.
    pub(super) fn step_back(&mut self) {
        self.screen.playing = false;
        self.cancel_seek();
        let mut rest = std::mem::take(&mut self.back_to);
        let target = match rest.pop() {
            Some(at) => Target::EventsThenTime { events: at.events, t: at.now_ns },
            None if self.clock.events > 0 => Target::Events(self.clock.events - 1),
            None => return,
        };
        self.seek_to(target); // clears the Steps to retrace: the rest are put back
        self.back_to = rest;
    }

    /// Starts `scenario` from its beginning (the base scenario and the lesson stay).
    pub(super) fn restart(&mut self, scenario: Scenario) {
        if let Ok(sim) = Sim::new(&scenario) {
            self.back_to.clear();
            self.job = None;
            self.screen.seeking = None;
            self.timeline = Timeline::new(sim);
            self.screen.scenario = ById::new(scenario);
            self.plan_lesson(); // the stops on this run, and what changed from the lesson
            self.rebuild_comparison();
        }
    }

    /// A control changed: the scenario it describes restarts, or the control says why not.
    /// A new model whose ring size does not fit falls back to that model's defaults.
    pub(super) fn set_control(&mut self, control: Control, value: String) {
        let mut values = self.screen.controls.clone();
        values.set(control, value);
        let accepted = match apply(&self.screen.base, &values) {
            Ok(scenario) if control == Control::Model => Ok(scenario),
            Ok(scenario) => {
                self.screen.controls = values;
                return self.start_over(scenario);
            }
            Err(rejected) if control == Control::Model => {
                self.model_defaults(values.get(Control::Model)).ok_or(rejected)
            }
            Err(rejected) => Err(rejected),
        };
        match accepted {
            Ok(scenario) => {
                // The new model's own names and units for the ring size.
                self.screen.controls = ControlValues::from_scenario(&scenario);
                self.start_over(scenario);
            }
            Err(rejected) => {
                self.screen.controls = values;
                self.screen.error = Some(rejected);
            }
        }
    }

    fn start_over(&mut self, scenario: Scenario) {
        self.screen.error = None;
        self.screen.playing = false;
        self.restart(scenario);
    }

    /// The running scenario with `model` at its default parameters, if that is valid.
    fn model_defaults(&self, model: &str) -> Option<Scenario> {
        let mut fallback = (*self.screen.scenario).clone();
        fallback.model = ModelSpec::default_for(ringlab_core::ModelKind::from_name(model)?);
        fallback.validate().is_ok().then_some(fallback)
    }
}
