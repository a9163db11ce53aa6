//! The app's one state and its one reducer: the scenario, the running [`Timeline`], the
//! transport (playing, speed) and the controls. Data flows one way: an [`Action`] goes
//! in, a new [`AppState`] with a freshly built [`Frame`] comes out, the components draw it.

use crate::compare;
use crate::controls_model::{apply, Control, ControlValues};
use crate::format::{sim_ns_per_second, MAX_SPEED, MIN_SPEED};
use crate::lesson::{self, LessonView, Position};
use crate::narrate::{self, Context};
use ringlab_core::lessons;
use ringlab_core::link::{self, Decoded, LinkState};
use ringlab_core::stats::Sample;
use ringlab_core::trace::{FlushTrigger, TraceKind};
use ringlab_core::{Scenario, Sim, Timeline, ViewModel};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// Most events processed in one animation frame, so that a frame never stalls.
pub const MAX_EVENTS_PER_FRAME: u64 = 4_000;
/// Wall-clock milliseconds one animation frame may spend advancing the simulation (the
/// main run and the compared runs together); the rest of the frame is for drawing.
pub const FRAME_BUDGET_MS: f64 = 2.0;
/// Events advanced between two looks at the wall clock.
const EVENT_CHUNK: u64 = 128;
/// Lines kept in the event log (paused or stepping: scroll back through them).
pub const LOG_LINES: usize = 50;
/// Lines in the event log while playing: about what its box shows. Each new line shifts
/// the whole list, and fifty lines cost more to lay out than the rest of the frame;
/// pausing shows all [`LOG_LINES`] again.
pub const LOG_LINES_PLAYING: usize = 16;
/// Lines in the event log while playing so fast that more than twice as many events go
/// by in one animation frame (nobody reads them; the frame is `crowded`).
pub const LOG_LINES_FAST: usize = 8;
/// Points drawn per chart.
pub const CHART_POINTS: usize = 240;
/// While playing, the readouts (the clock's figures, the counters, the log, the charts,
/// the scrubber) and the compared runs' views are redrawn in turn, one turn every
/// `READOUT_MS / 5` of play and never two in one frame: each readout every READOUT_MS,
/// each of four compared runs as well (every 180 ms in all). The ring, the overflow
/// list, the actors and the flying tokens follow every event at once. Figures that change
/// sixty times a second cannot be read, and redrawing all of them with every event costs
/// most of a frame's layout and paint. Paused or stepping, everything is exact.
pub const READOUT_MS: f64 = 100.0;

/// What the view redraws on its own cadence while playing ([`READOUT_MS`]), in this turn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Readout {
    /// The simulated time and event count, the scrubber's thumb and the countdowns.
    Clock,
    Counters,
    Log,
    Charts,
    /// The scrubber's track (occupancy, markers).
    Scrubber,
}

impl Readout {
    pub const ALL: [Readout; 5] = [Readout::Clock, Readout::Counters, Readout::Log, Readout::Charts, Readout::Scrubber];
}

/// The frames the readouts draw: while playing, each at most [`READOUT_MS`] behind.
#[derive(Clone, Debug, PartialEq)]
pub struct Readouts {
    pub counters: Shared<Frame>,
    pub log: Shared<Frame>,
    pub charts: Shared<Frame>,
    pub scrubber: Shared<Frame>,
}

impl Readouts {
    fn all(frame: &Shared<Frame>) -> Readouts {
        Readouts { counters: frame.clone(), log: frame.clone(), charts: frame.clone(), scrubber: frame.clone() }
    }

    /// The frame `readout` draws (`None` for the clock's figures, which draw the clock).
    fn get(&self, readout: Readout) -> Option<&Shared<Frame>> {
        match readout {
            Readout::Clock => None,
            Readout::Counters => Some(&self.counters),
            Readout::Log => Some(&self.log),
            Readout::Charts => Some(&self.charts),
            Readout::Scrubber => Some(&self.scrubber),
        }
    }

    fn get_mut(&mut self, readout: Readout) -> Option<&mut Shared<Frame>> {
        match readout {
            Readout::Clock => None,
            Readout::Counters => Some(&mut self.counters),
            Readout::Log => Some(&mut self.log),
            Readout::Charts => Some(&mut self.charts),
            Readout::Scrubber => Some(&mut self.scrubber),
        }
    }
}

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

/// What moves on every animation frame, event or not: the simulated clock. Kept apart
/// from the [`Frame`] so that a frame without an event rebuilds nothing else (and the
/// components that draw the frame skip rendering: their `Shared<Frame>` is the same).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Clock {
    /// Simulated time in nanoseconds (the frame's `view.now_ns` is the time it was built).
    pub now_ns: u64,
    /// Events processed so far.
    pub events: u64,
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
    /// The run's fingerprint at this instant ([`Sim::run_hash`]).
    pub run_hash: String,
    /// A scripted scenario (its position is counted in steps).
    pub scripted: bool,
    /// The run is over: the workload's end, or the script's last step.
    pub finished: bool,
    /// The lesson panel, when the scenario is a lesson.
    pub lesson: Option<LessonView>,
    /// The newest trace events, for the movement layer ([`crate::components::motion`]).
    pub recent: crate::components::motion::Recent,
    /// The log holds fewer than [`LOG_LINES`] lines (built while playing).
    pub log_thinned: bool,
    /// Built while playing so fast that the frame brought dozens of events: the log holds
    /// [`LOG_LINES_FAST`] lines.
    pub crowded: bool,
}

impl Frame {
    pub fn build(sim: &Sim) -> Frame {
        Frame::build_with_log(sim, LOG_LINES)
    }

    /// [`Frame::build`] with the last `log_lines` lines in the log.
    pub fn build_with_log(sim: &Sim, log_lines: usize) -> Frame {
        let view = sim.view();
        let ctx = Context::for_model(view.model, view.ring.entries);
        let trace = sim.trace();
        let first = trace.total() - trace.len() as u64;
        let skip = trace.len().saturating_sub(log_lines);
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
        let scripted = sim.scenario().steps.is_some();
        let finished = if scripted { sim.is_finished() } else { view.now_ns >= view.end_ns };
        let position = Position { scripted, now_ns: view.now_ns, events: view.events, finished };
        let lesson = sim.scenario().lesson.as_ref().map(|l| LessonView::new(l, position));
        Frame {
            run_hash: sim.run_hash(),
            view,
            log,
            samples,
            markers,
            last_flush,
            reaped,
            timer_period_ns,
            scripted,
            finished,
            lesson,
            recent: crate::components::motion::Recent::of(trace),
            log_thinned: log_lines < LOG_LINES,
            crowded: log_lines <= LOG_LINES_FAST,
        }
    }

    pub fn position(&self) -> Position {
        Position { scripted: self.scripted, now_ns: self.view.now_ns, events: self.view.events, finished: self.finished }
    }
}

/// One model in compare mode: its own run, moved to the shared clock.
#[derive(Clone)]
pub struct Lane {
    pub model: String,
    timeline: Rc<RefCell<Timeline>>,
    pub view: Rc<ViewModel>,
    pub run_hash: String,
}

impl Lane {
    fn new(current: &Scenario, model: &str) -> Option<Lane> {
        let scenario = compare::lane_scenario(current, model)?;
        let sim = Sim::new(&scenario).ok()?;
        Some(Lane {
            model: model.to_string(),
            view: Rc::new(sim.view()),
            run_hash: sim.run_hash(),
            timeline: Rc::new(RefCell::new(Timeline::new(sim))),
        })
    }

    /// Moves this run to the leading run's instant: the same simulated time, or for
    /// scripted runs the same number of steps. Its view is rebuilt when `rebuild` or
    /// when the run processed an event; otherwise `None` (the lane's view stands).
    fn follow(&self, scripted: bool, now_ns: u64, events: u64, rebuild: bool) -> Option<Lane> {
        self.seek(scripted, now_ns, events);
        let moved = self.timeline.borrow().sim().events() != self.view.events;
        (rebuild || moved).then(|| self.rebuilt())
    }

    /// Whether the view shows the run's instant.
    fn is_current(&self) -> bool {
        let tl = self.timeline.borrow();
        (self.view.now_ns, self.view.events) == (tl.sim().now(), tl.sim().events())
    }

    /// This run with its view rebuilt at the run's instant.
    fn rebuilt(&self) -> Lane {
        let tl = self.timeline.borrow();
        let sim = tl.sim();
        Lane { model: self.model.clone(), view: Rc::new(sim.view()), run_hash: sim.run_hash(), timeline: self.timeline.clone() }
    }

    /// Moves this run to the leading run's instant without rebuilding its view.
    fn seek(&self, scripted: bool, now_ns: u64, events: u64) {
        let mut tl = self.timeline.borrow_mut();
        if scripted {
            tl.seek_events(events);
        } else {
            tl.seek_time(now_ns);
        }
    }
}

/// The models compared side by side.
pub struct Comparison {
    pub lanes: Vec<Lane>,
}

impl std::fmt::Debug for Comparison {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.lanes.iter().map(|l| (&l.model, &l.run_hash))).finish()
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
    /// The frames the readouts draw (see [`READOUT_MS`]).
    pub readouts: Readouts,
    /// The clock the view draws: `clock` at the last event or readout turn.
    pub shown: Clock,
    /// Wall-clock ms played since the last turn, and whose turn is next (the readouts,
    /// then the compared runs).
    readout_age_ms: f64,
    readout_next: usize,
    /// The simulated clock, updated on every tick (the frame only when an event happened).
    pub clock: Clock,
    /// Frames have brought dozens of events (`crowded`) since the user last paused or
    /// changed the speed: the view drops its entry animations, which would only restart
    /// on every frame.
    pub fast: bool,
    pub controls: ControlValues,
    /// The control whose value was rejected, and why.
    pub error: Option<(Control, String)>,
    pub playing: bool,
    /// Step on the logarithmic speed scale (see [`crate::format::speed_label`]).
    pub speed: i32,
    pub shortcuts_open: bool,
    /// The lesson the run comes from (its link name), if any.
    pub lesson_name: Option<String>,
    /// A note carried by the link, shown as text.
    pub note: String,
    /// What was wrong with the link that opened this run (the banner).
    pub link_problems: Vec<String>,
    /// Presenter mode: large type, high contrast, transport only, captions.
    pub present: bool,
    /// Embed mode: only the view and the transport.
    pub embed: bool,
    /// The presenter blanked the screen.
    pub blank: bool,
    /// Compare mode: the models side by side, moved by the shared clock.
    pub compare: Vec<String>,
    pub comparison: Shared<Comparison>,
    /// Wall-clock ms not yet spent on scripted steps while playing.
    carry_ms: f64,
}

impl PartialEq for AppState {
    fn eq(&self, other: &Self) -> bool {
        // Not `clock`: between two readout turns it moves without anything to redraw.
        self.frame == other.frame
            && self.readouts == other.readouts
            && self.shown == other.shown
            && self.fast == other.fast
            && self.controls == other.controls
            && self.error == other.error
            && self.playing == other.playing
            && self.speed == other.speed
            && self.shortcuts_open == other.shortcuts_open
            && self.link_problems == other.link_problems
            && self.present == other.present
            && self.embed == other.embed
            && self.blank == other.blank
            && self.compare == other.compare
            && self.comparison == other.comparison
            && self.note == other.note
            && self.lesson_name == other.lesson_name
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
    /// Stop playing (the presenter's `.` key); nothing else changes.
    Pause,
    /// Go on to the lesson's next pause point; after the last, to the end (the reveal).
    LessonNext,
    /// Load the default scenario (`None`) or a lesson by its link name.
    ChooseScenario(Option<String>),
    /// Open a decoded share link (at start, or a pasted link on `hashchange`).
    OpenLink(Rc<Decoded>),
    DismissLinkProblems,
    TogglePresent,
    ToggleBlank,
    /// Compare these models (fewer than two: compare mode off).
    SetCompare(Vec<String>),
}

/// A monotonic wall clock in milliseconds (`performance.now()` in the browser), only to
/// bound the work of one frame; the simulation itself never reads it.
#[cfg(target_arch = "wasm32")]
fn wall_clock_ms() -> f64 {
    #[wasm_bindgen::prelude::wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_namespace = performance, js_name = now)]
        fn performance_now() -> f64;
    }
    performance_now()
}

#[cfg(not(target_arch = "wasm32"))]
fn wall_clock_ms() -> f64 {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed().as_secs_f64() * 1e3
}

/// Milliseconds of wall time per scripted step at speed ×1.
pub const SCRIPT_STEP_MS: f64 = 700.0;

/// Opens a link fragment (with or without `#`) against the default scenario and the lessons.
/// The app opens a link paused unless it says `paused=0` (so the bare page, or a
/// hand-written link without the key, waits for the user to press play).
pub fn decode_link(fragment: &str) -> Decoded {
    let mut decoded = link::decode(fragment, &lessons::default_scenario(), &lessons::lesson);
    let says_play = fragment
        .trim_start_matches('#')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .filter(|(k, _)| *k == "paused")
        .last()
        .is_some_and(|(_, v)| v == "0" || v == "false");
    decoded.state.paused |= !says_play;
    decoded
}

pub const DEFAULT_SPEED: i32 = 0;

impl AppState {
    pub fn new(scenario: Scenario) -> Result<AppState, String> {
        let sim = Sim::new(&scenario).map_err(|e| format!("the scenario is not valid: {e}"))?;
        let frame = Shared(Rc::new(Frame::build(&sim)));
        let clock = Clock { now_ns: sim.now(), events: sim.events() };
        Ok(AppState {
            clock,
            controls: ControlValues::from_scenario(&scenario),
            base: Rc::new(scenario.clone()),
            scenario: Rc::new(scenario),
            timeline: Rc::new(RefCell::new(Timeline::new(sim))),
            readouts: Readouts::all(&frame),
            shown: clock,
            fast: false,
            readout_age_ms: 0.0,
            readout_next: 0,
            frame,
            error: None,
            playing: false,
            speed: DEFAULT_SPEED,
            shortcuts_open: false,
            lesson_name: None,
            note: String::new(),
            link_problems: Vec::new(),
            present: false,
            embed: false,
            blank: false,
            compare: Vec::new(),
            comparison: Shared(Rc::new(Comparison { lanes: Vec::new() })),
            carry_ms: 0.0,
        })
    }

    /// The state a share link describes: its scenario at its instant, playing unless
    /// `paused`, every problem listed for the banner. Never fails: a scenario the core
    /// refuses falls back to the default one, and says so.
    pub fn from_link(decoded: &Decoded) -> AppState {
        let l = &decoded.state;
        let mut problems: Vec<String> = decoded.problems.iter().map(|p| p.to_string()).collect();
        let mut state = AppState::new(l.scenario.clone()).unwrap_or_else(|e| {
            problems.push(format!("link: {e}; used the default scenario instead"));
            AppState::new(lessons::default_scenario()).expect("the default scenario is valid")
        });
        state.lesson_name = l.lesson.clone().filter(|_| state.scenario.lesson.is_some());
        state.note = l.note.clone();
        state.present = l.present;
        state.embed = l.embed;
        state.link_problems = problems;
        state.compare = l.compare.clone();
        state.open_at(l.time_ns, l.events);
        state.playing = !l.paused && !state.frame.finished;
        state.rebuild_comparison();
        state.show_all();
        state
    }

    /// The share link of this state (the fragment, without `#`).
    pub fn link(&self) -> String {
        let sim_ref = self.timeline.borrow();
        let sim = sim_ref.sim();
        let mut l = LinkState::new((*self.scenario).clone());
        l.lesson = self.lesson_name.clone();
        l.note = self.note.clone();
        l.time_ns = sim.now();
        // The time alone is exact unless more events are due at this very instant.
        l.events = (sim.next_event_at() == Some(sim.now())).then(|| sim.events());
        l.paused = !self.playing;
        l.present = self.present;
        l.embed = self.embed;
        l.compare = self.compare.clone();
        link::encode(&l)
    }

    /// The trace kept so far, for the exports.
    pub fn with_trace<R>(&self, f: impl FnOnce(&ringlab_core::trace::Trace) -> R) -> R {
        f(self.timeline.borrow().sim().trace())
    }

    /// Goes to a link's instant: exactly `events` events when given (then the clock moves
    /// on to `t` if no event is due before it), otherwise the state after every event at
    /// or before `t`.
    fn open_at(&mut self, t: u64, events: Option<u64>) {
        {
            let mut tl = self.timeline.borrow_mut();
            match events {
                Some(e) => {
                    tl.seek_events(e);
                    let due_before_t = tl.sim().next_event_at().is_some_and(|at| at <= t);
                    if !due_before_t && t > tl.sim().now() && tl.sim().scenario().steps.is_none() {
                        tl.advance_to(t, u64::MAX);
                    }
                }
                None if t > 0 => {
                    let end = tl.sim().end_ns();
                    tl.seek_time(t.min(end));
                }
                None => {}
            }
        }
        self.refresh();
    }

    fn rebuild_comparison(&mut self) {
        self.compare.retain(|m| ringlab_core::ModelSpec::default_for(m).is_some());
        self.compare.dedup();
        self.compare.truncate(compare::MAX_MODELS);
        let lanes = if self.compare.len() >= compare::MIN_MODELS {
            self.compare.iter().filter_map(|m| Lane::new(&self.scenario, m)).collect()
        } else {
            Vec::new()
        };
        self.comparison = Shared(Rc::new(Comparison { lanes }));
        self.follow(true);
    }

    /// Moves every compared model to the leading run's instant (the shared clock). With
    /// `rebuild`, every lane's view is rebuilt; otherwise only those of the lanes that
    /// processed an event (and the comparison stays the same `Rc` if none did).
    fn follow(&mut self, rebuild: bool) {
        if self.comparison.lanes.is_empty() {
            return;
        }
        let Clock { now_ns, events } = self.clock;
        let moved: Vec<Option<Lane>> =
            self.comparison.lanes.iter().map(|l| l.follow(self.frame.scripted, now_ns, events, rebuild)).collect();
        if moved.iter().all(Option::is_none) {
            return;
        }
        let lanes = moved
            .into_iter()
            .zip(&self.comparison.lanes)
            .map(|(m, old)| m.unwrap_or_else(|| old.clone()))
            .collect();
        self.comparison = Shared(Rc::new(Comparison { lanes }));
    }

    /// Moves every compared model to the shared clock but keeps their views (while
    /// playing, between two turns); [`AppState::rebuild_lane`] rebuilds them.
    fn follow_lazy(&mut self) {
        if self.comparison.lanes.is_empty() {
            return;
        }
        let Clock { now_ns, events } = self.clock;
        for lane in &self.comparison.lanes {
            lane.seek(self.frame.scripted, now_ns, events);
        }
    }

    /// Rebuilds the view of compared run `i` at its run's instant.
    fn rebuild_lane(&mut self, i: usize) {
        let lanes = self
            .comparison
            .lanes
            .iter()
            .enumerate()
            .map(|(k, lane)| if k == i { lane.rebuilt() } else { lane.clone() })
            .collect();
        self.comparison = Shared(Rc::new(Comparison { lanes }));
    }

    /// Whether every compared run's view is at its run's instant.
    fn lanes_current(&self) -> bool {
        self.comparison.lanes.iter().all(Lane::is_current)
    }

    fn with(&self, f: impl FnOnce(&mut AppState)) -> Rc<AppState> {
        self.with_tick(None, f)
    }

    /// [`AppState::with`]; `tick` is the wall-clock ms of an animation frame, during which
    /// the compared runs' views may lag (see [`LANE_REBUILD_MS`]).
    fn with_tick(&self, tick: Option<f64>, f: impl FnOnce(&mut AppState)) -> Rc<AppState> {
        let mut next = AppState {
            base: self.base.clone(),
            scenario: self.scenario.clone(),
            timeline: self.timeline.clone(),
            frame: self.frame.clone(),
            readouts: self.readouts.clone(),
            shown: self.shown,
            fast: self.fast,
            readout_age_ms: self.readout_age_ms,
            readout_next: self.readout_next,
            clock: self.clock,
            controls: self.controls.clone(),
            error: self.error.clone(),
            playing: self.playing,
            speed: self.speed,
            shortcuts_open: self.shortcuts_open,
            lesson_name: self.lesson_name.clone(),
            note: self.note.clone(),
            link_problems: self.link_problems.clone(),
            present: self.present,
            embed: self.embed,
            blank: self.blank,
            compare: self.compare.clone(),
            comparison: self.comparison.clone(),
            carry_ms: self.carry_ms,
        };
        let (before, clock_before) = (next.frame.clone(), next.clock);
        f(&mut next);
        if !next.playing && (next.clock.now_ns != next.frame.view.now_ns || next.frame.log_thinned) {
            // Paused: the frame (its run hash, lesson position, whole log) is the clock's.
            next.refresh();
        }
        if (tick.is_none() && !next.playing) || next.speed != self.speed {
            next.fast = false; // a pause, a step, a seek or another speed: animations again
        }
        if next.playing && tick.is_some() && next.frame.crowded {
            next.fast = true;
        }
        let clock_moved = next.clock != clock_before;
        if next.playing || tick.is_some() {
            // Playing, or catching up after playback stopped by itself: every compared run
            // follows the clock at once; its view is rebuilt in its turn (follow_readouts).
            if next.frame != before || clock_moved {
                next.follow_lazy();
            }
        } else if next.frame != before || !next.lanes_current() {
            next.follow(true);
        } else if clock_moved {
            next.follow(false);
        }
        next.follow_readouts(next.frame != before, tick);
        Rc::new(next)
    }

    /// Brings the readouts and the compared runs' views to the frame (see [`READOUT_MS`]).
    /// After a user's action that leaves the run paused: the readouts at once (the
    /// compared runs were rebuilt already). While playing: the clock with every new frame,
    /// and one turn every `READOUT_MS / 5` of play. When playback stopped by itself (the
    /// end, a lesson's pause point): one turn per frame until all are exact, so that the
    /// frame where it stops is no heavier than the others.
    fn follow_readouts(&mut self, new_frame: bool, tick: Option<f64>) {
        if new_frame {
            self.shown = self.clock;
        }
        let Some(ms) = tick else {
            if !self.playing {
                self.show_all();
            }
            return;
        };
        let turns = Readout::ALL.len() + self.comparison.lanes.len();
        let next = if self.playing {
            self.readout_age_ms += ms;
            let turn_ms = READOUT_MS / Readout::ALL.len() as f64;
            if self.readout_age_ms < turn_ms {
                return;
            }
            self.readout_age_ms = (self.readout_age_ms - turn_ms).min(turn_ms);
            Some(self.readout_next % turns)
        } else {
            (0..turns).map(|i| (self.readout_next + i) % turns).find(|turn| !self.turn_done(*turn))
        };
        let Some(turn) = next else { return };
        self.readout_next = (turn + 1) % turns;
        match Readout::ALL.get(turn) {
            Some(readout) => self.show(*readout),
            None if !self.turn_done(turn) => self.rebuild_lane(turn - Readout::ALL.len()),
            None => {}
        }
    }

    /// Whether turn `turn` (a readout, then the compared runs) has nothing to redraw.
    fn turn_done(&self, turn: usize) -> bool {
        match Readout::ALL.get(turn) {
            Some(readout) => self.is_shown(*readout),
            None => self.comparison.lanes.get(turn - Readout::ALL.len()).is_none_or(Lane::is_current),
        }
    }

    /// Brings one readout to the frame (the clock's figures to the clock).
    fn show(&mut self, readout: Readout) {
        let frame = self.frame.clone();
        match self.readouts.get_mut(readout) {
            Some(shown) => *shown = frame,
            None => self.shown = self.clock,
        }
    }

    /// Whether `readout` shows the frame (the clock's figures: the clock).
    pub fn is_shown(&self, readout: Readout) -> bool {
        match self.readouts.get(readout) {
            Some(shown) => *shown == self.frame,
            None => self.shown == self.clock,
        }
    }

    /// Every readout shows the frame and the clock, and every compared run its instant:
    /// nothing is left to draw while paused.
    pub fn settled(&self) -> bool {
        Readout::ALL.iter().all(|r| self.is_shown(*r)) && self.lanes_current()
    }

    /// Every readout exact: the frame's and the clock's.
    fn show_all(&mut self) {
        self.readouts = Readouts::all(&self.frame);
        self.shown = self.clock;
        self.readout_age_ms = 0.0;
    }

    fn refresh(&mut self) {
        let tl = self.timeline.borrow();
        let sim = tl.sim();
        self.frame = Shared(Rc::new(Frame::build(sim)));
        self.clock = Clock { now_ns: sim.now(), events: sim.events() };
    }

    /// After playing on: a new frame if an event happened (or the run reached its end or
    /// a pause point), otherwise only the clock moves and the frame stays the same `Rc`.
    fn sync_after_play(&mut self, stopped_at_pause: bool) {
        let clock = {
            let tl = self.timeline.borrow();
            Clock { now_ns: tl.sim().now(), events: tl.sim().events() }
        };
        let at_end = !self.frame.scripted && clock.now_ns >= self.frame.view.end_ns;
        if stopped_at_pause || at_end || clock.events != self.frame.view.events {
            let crowded = clock.events.saturating_sub(self.frame.view.events) > 2 * LOG_LINES_FAST as u64;
            let log_lines = match (stopped_at_pause || at_end, crowded) {
                (true, _) => LOG_LINES,
                (false, true) => LOG_LINES_FAST,
                (false, false) => LOG_LINES_PLAYING,
            };
            self.frame = Shared(Rc::new(Frame::build_with_log(self.timeline.borrow().sim(), log_lines)));
        }
        self.clock = clock;
    }

    /// Where the run stands now (the clock, which may be ahead of the frame).
    pub fn position(&self) -> Position {
        Position { now_ns: self.clock.now_ns, events: self.clock.events, ..self.frame.position() }
    }

    /// Where playback stops.
    pub fn end_ns(&self) -> u64 {
        self.frame.view.end_ns
    }

    pub fn at_end(&self) -> bool {
        self.frame.finished
    }

    fn restart(&mut self, scenario: Scenario) {
        if let Ok(sim) = Sim::new(&scenario) {
            self.timeline = Rc::new(RefCell::new(Timeline::new(sim)));
            self.scenario = Rc::new(scenario);
            self.refresh();
            self.rebuild_comparison();
        }
    }

    /// Plays on by `wall_ms` of wall time at the current speed, stopping at the lesson's
    /// next pause point; returns whether it stopped there.
    fn play_for(&mut self, wall_ms: f64) -> bool {
        let wall_ms = wall_ms.clamp(0.0, 250.0);
        let pos = self.position();
        let next_pause = self.scenario.lesson.as_ref().and_then(|l| lesson::next_pause(l, pos)).map(|(_, p)| p.clone());
        let mut tl = self.timeline.borrow_mut();
        if pos.scripted {
            // One step at a time, so that each step can be seen.
            let per_step = SCRIPT_STEP_MS * sim_ns_per_second(DEFAULT_SPEED) / sim_ns_per_second(self.speed);
            self.carry_ms += wall_ms;
            let stop = next_pause.as_ref().map(|p| lesson::pause_at(p, true));
            while self.carry_ms >= per_step {
                self.carry_ms -= per_step;
                if tl.step().is_none() {
                    break;
                }
                if stop.is_some_and(|s| tl.sim().events() >= s) {
                    self.carry_ms = 0.0;
                    return true;
                }
            }
            false
        } else {
            let now = pos.now_ns;
            let advance = (wall_ms / 1e3 * sim_ns_per_second(self.speed)) as u64;
            let mut target = now.saturating_add(advance.max(1)).min(self.frame.view.end_ns);
            let stop = next_pause.as_ref().map(|p| lesson::pause_at(p, false));
            if let Some(stop) = stop {
                target = target.min(stop);
            }
            // Bounded work per frame: at most MAX_EVENTS_PER_FRAME events, and no more
            // than this run's share of FRAME_BUDGET_MS (the compared runs follow it to
            // the same instant and cost about as much each).
            let budget = FRAME_BUDGET_MS / (1 + self.comparison.lanes.len()) as f64;
            let started = wall_clock_ms();
            let mut done = 0;
            loop {
                let chunk = EVENT_CHUNK.min(MAX_EVENTS_PER_FRAME - done);
                let n = tl.advance_to(target, chunk);
                done += n;
                if n < chunk || done >= MAX_EVENTS_PER_FRAME || wall_clock_ms() - started >= budget {
                    break;
                }
            }
            stop.is_some_and(|s| tl.sim().now() >= s)
        }
    }

    /// Jumps to the lesson's next pause point, or to the end after the last one.
    fn lesson_next(&mut self) {
        let pos = self.position();
        let Some(lesson) = self.scenario.lesson.clone() else { return };
        {
            let mut tl = self.timeline.borrow_mut();
            if pos.finished {
                tl.seek_events(0);
            } else {
                match lesson::next_pause(&lesson, pos) {
                    Some((_, p)) if pos.scripted => tl.seek_events(lesson::pause_at(p, true)),
                    Some((_, p)) => tl.seek_time(lesson::pause_at(p, false)),
                    None if pos.scripted => tl.seek_events(u64::MAX),
                    None => {
                        let end = tl.sim().end_ns();
                        tl.seek_time(end)
                    }
                }
            }
        }
        self.playing = false;
        self.refresh();
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match action {
            Action::Tick(wall_ms) => {
                if !self.playing {
                    if self.settled() {
                        return self; // same Rc: yew skips the render
                    }
                    return self.with_tick(Some(wall_ms), |_| {}); // the readouts catch up
                }
                self.with_tick(Some(wall_ms), |s| {
                    let paused_at_lesson_point = s.play_for(wall_ms);
                    s.sync_after_play(paused_at_lesson_point);
                    if s.at_end() || paused_at_lesson_point {
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
                s.carry_ms = 0.0;
                s.blank = false;
            }),
            Action::Pause => {
                if !self.playing {
                    return self;
                }
                self.with(|s| s.playing = false)
            }
            Action::LessonNext => self.with(|s| s.lesson_next()),
            Action::ChooseScenario(name) => {
                let scenario = match &name {
                    Some(n) => lessons::lesson(n),
                    None => Some(lessons::default_scenario()),
                };
                let Some(scenario) = scenario else { return self };
                let Ok(mut next) = AppState::new(scenario) else { return self };
                next.lesson_name = name;
                next.present = self.present;
                next.embed = self.embed;
                next.speed = self.speed;
                next.compare = self.compare.clone();
                next.rebuild_comparison();
                Rc::new(next)
            }
            Action::OpenLink(decoded) => {
                let mut next = AppState::from_link(&decoded);
                next.speed = self.speed;
                Rc::new(next)
            }
            Action::DismissLinkProblems => self.with(|s| s.link_problems.clear()),
            Action::TogglePresent => self.with(|s| {
                s.present = !s.present;
                s.blank = false;
            }),
            Action::ToggleBlank => self.with(|s| s.blank = !s.blank),
            Action::SetCompare(models) => self.with(|s| {
                s.compare = models;
                s.rebuild_comparison();
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
        assert_eq!(s.clock.now_ns, 5_000);
        let s = run(s, [Action::Faster, Action::Faster, Action::Faster, Action::Tick(100.0)]);
        assert_eq!(s.clock.now_ns, 45_000);
    }

    #[test]
    fn a_tick_without_an_event_moves_only_the_clock() {
        let mut s = run(state(), [Action::TogglePlay]);
        let mut quiet = 0;
        for _ in 0..200 {
            let before = s.clone();
            s = s.reduce(Action::Tick(1.0));
            assert!(s.clock.now_ns > before.clock.now_ns || s.at_end());
            if s.clock.events == before.clock.events && !s.at_end() {
                quiet += 1;
                assert!(s.frame == before.frame, "no event: the same frame");
            } else {
                assert!(s.frame != before.frame, "an event: a new frame");
                assert_eq!(s.frame.view.now_ns, s.clock.now_ns);
            }
            assert_eq!(s.clock.events, s.frame.view.events);
        }
        assert!(quiet > 0, "some ticks at ×1 see no event");
    }

    #[test]
    fn playing_fast_thins_the_log_and_pausing_restores_it() {
        let mut s = run(state(), [Action::SetSpeed(MAX_SPEED), Action::TogglePlay]);
        let mut crowded = false;
        for _ in 0..50 {
            s = s.reduce(Action::Tick(16.0));
            if s.frame.crowded {
                crowded = true;
                assert!(s.frame.log_thinned);
                assert_eq!(s.frame.log.len(), LOG_LINES_FAST);
                break;
            }
        }
        assert!(crowded, "a frame of thousands of events shows a short log");
        assert!(s.fast, "and the view drops its entry animations");
        let s = s.reduce(Action::Pause);
        assert!(!s.fast, "paused: animations again");
        assert!(!s.frame.log_thinned && s.frame.log.len() == LOG_LINES, "{}", s.frame.log.len());
    }

    #[test]
    fn playing_shows_the_lines_the_log_box_holds_and_pausing_all_of_them() {
        let mut s = run(state(), [Action::SetSpeed(4), Action::TogglePlay]);
        while s.playing && s.frame.view.events < 2 * LOG_LINES as u64 {
            s = s.reduce(Action::Tick(16.0));
            if s.playing && s.frame.view.events > 0 {
                assert!(s.frame.log.len() <= LOG_LINES_PLAYING, "{}", s.frame.log.len());
            }
        }
        assert!(s.frame.view.events >= 2 * LOG_LINES as u64, "the run went far enough");
        let s = s.reduce(Action::Pause);
        assert_eq!(s.frame.log.len(), LOG_LINES, "paused: the whole log, to scroll back");
        assert!(s.readouts.log == s.frame);
    }

    /// Each readout, and whether it shows the frame (the clock).
    fn readouts_of(s: &AppState) -> Vec<(Readout, bool)> {
        Readout::ALL.iter().map(|r| (*r, s.is_shown(*r))).collect()
    }

    #[test]
    fn readouts_follow_in_turn_while_playing_and_are_exact_when_paused() {
        let mut s = run(state(), [Action::SetSpeed(4), Action::TogglePlay]);
        let mut behind_ms = [0.0f64; 5];
        let mut lagged = 0;
        for _ in 0..60 {
            let before = s.clone();
            s = s.reduce(Action::Tick(16.0));
            let changed = [
                s.shown != before.shown && s.frame == before.frame,
                s.readouts.counters != before.readouts.counters,
                s.readouts.log != before.readouts.log,
                s.readouts.charts != before.readouts.charts,
                s.readouts.scrubber != before.readouts.scrubber,
            ];
            assert!(changed[1..].iter().filter(|c| **c).count() <= 1, "one readout per frame at most: {changed:?}");
            for (i, (readout, exact)) in readouts_of(&s).into_iter().enumerate() {
                behind_ms[i] = if exact { 0.0 } else { behind_ms[i] + 16.0 };
                assert!(behind_ms[i] <= READOUT_MS + 16.0, "{readout:?} {} ms behind", behind_ms[i]);
                if readout != Readout::Clock {
                    lagged += usize::from(!exact);
                }
            }
            if s.frame != before.frame {
                assert!(s.shown == s.clock, "an event shows the clock with the ring");
            }
        }
        assert!(lagged > 0, "at ×16 the ring runs ahead of the counters");
        assert!(s.playing, "still playing");
        let s = s.reduce(Action::Pause);
        assert!(readouts_of(&s).iter().all(|(_, exact)| *exact), "paused: every readout is exact");
        let s = s.reduce(Action::Step);
        assert!(readouts_of(&s).iter().all(|(_, exact)| *exact), "a step shows everywhere at once");
    }

    #[test]
    fn when_the_run_ends_by_itself_the_readouts_catch_up_one_per_frame() {
        for start in [state(), open("v=1&compare=proposal,io_uring,aio&paused=1")] {
            let mut s = run(start, [Action::SetSpeed(MAX_SPEED), Action::TogglePlay]);
            while s.playing {
                s = s.reduce(Action::Tick(16.0));
            }
            assert!(s.at_end());
            let behind = |s: &AppState| {
                readouts_of(s).iter().filter(|(_, exact)| !exact).count()
                    + s.comparison.lanes.iter().filter(|l| !l.is_current()).count()
            };
            let left = behind(&s);
            assert!(left > 0, "the frame where it stops redraws the ring, not every readout");
            for left in (0..left).rev() {
                s = s.reduce(Action::Tick(16.0));
                assert_eq!(behind(&s), left, "one readout or compared run per frame");
            }
            assert!(s.settled());
            let again = s.clone().reduce(Action::Tick(16.0));
            assert!(Rc::ptr_eq(&s, &again), "settled: a tick changes nothing (and the frame loop stops)");
        }
    }

    #[test]
    fn a_tick_between_readout_turns_without_an_event_draws_nothing() {
        // ×1: most frames see no event, and then only every READOUT_MS the clock's figures.
        let mut s = run(state(), [Action::TogglePlay]);
        let (mut quiet, mut redrawn) = (0, 0);
        for _ in 0..300 {
            let before = s.clone();
            s = s.reduce(Action::Tick(16.0));
            assert!(s.clock.now_ns > before.clock.now_ns || s.at_end(), "the run moves on");
            if *s == *before {
                quiet += 1;
                assert!(s.frame == before.frame && s.shown == before.shown);
            } else {
                redrawn += 1;
            }
        }
        assert!(quiet > redrawn, "{quiet} frames drew nothing, {redrawn} drew something");
        assert!(redrawn > 0);
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

    fn open(fragment: &str) -> Rc<AppState> {
        Rc::new(AppState::from_link(&decode_link(fragment)))
    }

    #[test]
    fn a_copied_link_reopens_at_the_same_instant_with_the_same_hash() {
        let s = run(state(), (0..40).map(|_| Action::Step));
        let again = open(&s.link());
        assert_eq!(again.frame.run_hash, s.frame.run_hash);
        assert_eq!(again.frame.view.events, 40);
        assert!(!again.playing, "copied while paused, opens paused");
        assert!(again.link_problems.is_empty(), "{:?}", again.link_problems);
        assert_eq!(again.shown, s.clock, "the page shows the link's instant");
        assert!(readouts_of(&again).iter().all(|(_, exact)| *exact), "and every readout at it");
        let playing = open(&s.link().replace("paused=1", "paused=0"));
        assert!(playing.playing);
        assert!(readouts_of(&playing).iter().all(|(_, exact)| *exact), "also when it opens playing");
        // A scripted lesson in the middle of its steps (all at time 0) reopens exactly.
        let s = run(open("#v=1&lesson=reorder&paused=1"), [Action::LessonNext]);
        assert_eq!(s.frame.view.events, 2);
        let again = open(&s.link());
        assert_eq!((again.frame.view.events, &again.frame.run_hash), (2, &s.frame.run_hash));
    }

    #[test]
    fn a_lesson_walks_its_pause_points_then_reveals() {
        let s = open("v=1&lesson=stuck&paused=1");
        let lesson = s.frame.lesson.clone().expect("a lesson");
        assert!(lesson.at_start && !lesson.question.is_empty());
        assert_eq!(s.lesson_name.as_deref(), Some("stuck"));
        let pauses = s.scenario.lesson.clone().unwrap().pauses;
        let mut s = s;
        for (i, p) in pauses.iter().enumerate() {
            s = s.reduce(Action::LessonNext);
            let l = s.frame.lesson.clone().unwrap();
            assert_eq!(l.narration, Some((i + 1, p.narration.clone())));
            p.expect.check(&s.frame.view).expect("the lesson's claim holds at its pause");
        }
        s = s.reduce(Action::LessonNext);
        assert!(s.frame.lesson.as_ref().unwrap().revealed);
    }

    #[test]
    fn playing_a_lesson_stops_at_each_pause_point() {
        for name in ["stuck", "reorder"] {
            let mut s = run(open(&format!("v=1&lesson={name}&paused=1")), [Action::SetSpeed(4), Action::TogglePlay]);
            for _ in 0..100_000 {
                s = s.reduce(Action::Tick(50.0));
                if !s.playing {
                    break;
                }
            }
            let l = s.frame.lesson.clone().unwrap();
            assert_eq!(l.passed, 1, "{name}: paused at the first pause point");
            assert!(l.narration.is_some());
            let first = &s.scenario.lesson.as_ref().unwrap().pauses[0];
            first.expect.check(&s.frame.view).unwrap();
        }
    }

    #[test]
    fn a_bad_link_is_reported_and_the_app_runs() {
        for bad in ["v=9&model=nope", "v=1&ring_entries=-3&title=%3Cscript%3Ealert(1)%3C/script%3E", "%%%&&==", "v=1&lesson=nope"] {
            let s = open(bad);
            assert!(!s.link_problems.is_empty(), "{bad}");
            let s = run(s, [Action::Step, Action::Step]);
            assert!(s.frame.view.events > 0 || s.frame.finished, "{bad}");
        }
        let s = open("v=1&title=%3Cscript%3Ex%3C/script%3E");
        assert_eq!(s.base.title, "<script>x</script>", "kept as text; the view escapes it");
        let s = run(s, [Action::DismissLinkProblems]);
        assert!(s.link_problems.is_empty());
    }

    #[test]
    fn compared_models_follow_the_shared_clock() {
        let s = open("v=1&compare=proposal,io_uring,aio&paused=1");
        assert_eq!(s.comparison.lanes.len(), 3);
        let s = run(s, (0..25).map(|_| Action::Step));
        for lane in &s.comparison.lanes {
            assert_eq!(lane.view.now_ns, s.frame.view.now_ns, "{}", lane.model);
        }
        let t = s.frame.view.now_ns;
        let s = run(s, [Action::StepBack]);
        assert!(s.comparison.lanes.iter().all(|l| l.view.now_ns <= t && l.view.now_ns == s.frame.view.now_ns));
        let s = run(s, [Action::SetCompare(vec![])]);
        assert!(s.comparison.lanes.is_empty());
    }

    #[test]
    fn playing_rebuilds_compared_runs_in_turn_with_the_readouts_and_pausing_catches_up() {
        let s = open("v=1&compare=proposal,io_uring,aio&paused=1");
        let mut s = run(s, [Action::SetSpeed(4), Action::TogglePlay]);
        let mut behind_ms = [0.0f64; 3];
        let mut lagged = false;
        for i in 0..60 {
            let before = s.clone();
            s = s.reduce(Action::Tick(16.0));
            assert!(s.playing, "stopped at tick {i}");
            let rebuilt = s.comparison.lanes.iter().zip(&before.comparison.lanes).filter(|(a, b)| !Rc::ptr_eq(&a.view, &b.view)).count();
            let readouts = [
                s.readouts.counters != before.readouts.counters,
                s.readouts.log != before.readouts.log,
                s.readouts.charts != before.readouts.charts,
                s.readouts.scrubber != before.readouts.scrubber,
            ];
            let turns = rebuilt + readouts.iter().filter(|r| **r).count();
            assert!(turns <= 1, "one turn per frame at most: {rebuilt} runs, readouts {readouts:?}");
            // Five readouts and three compared runs take turns every READOUT_MS / 5.
            let cycle_ms = READOUT_MS / 5.0 * 8.0;
            for (k, lane) in s.comparison.lanes.iter().enumerate() {
                let current = lane.is_current();
                lagged |= !current;
                behind_ms[k] = if current { 0.0 } else { behind_ms[k] + 16.0 };
                assert!(behind_ms[k] <= cycle_ms + 32.0, "{} is {} ms behind", lane.model, behind_ms[k]);
            }
        }
        assert!(lagged, "while playing, the compared views lag between turns");
        let s = s.reduce(Action::Pause);
        for lane in &s.comparison.lanes {
            assert_eq!(lane.view.now_ns, s.frame.view.now_ns, "{}", lane.model);
        }
        assert!(s.settled());
        let s = s.reduce(Action::Step);
        assert!(s.comparison.lanes.iter().all(|l| l.view.now_ns == s.frame.view.now_ns));
    }

    #[test]
    fn the_readme_examples_open_without_problems() {
        for link in [
            "#v=1&lesson=stuck&t=300000&paused=1&present=1",
            "#v=1&model=proposal&ring_entries=16&max_requests=32&flag=true&timer_ns=2000000&seed=7&t=1500000&paused=1",
        ] {
            let s = open(link);
            assert!(s.link_problems.is_empty(), "{link}: {:?}", s.link_problems);
        }
        let s = open("#v=1&lesson=stuck&t=300000&paused=1&present=1");
        assert_eq!(s.frame.lesson.as_ref().unwrap().passed, 1);
        assert!(s.present);
    }

    #[test]
    fn a_link_opens_paused_unless_it_says_paused_0() {
        assert!(!open("").playing);
        assert!(!open("v=1&t=1000").playing);
        assert!(open("v=1&t=1000&paused=0").playing);
        assert!(!open("v=1&paused=0&paused=1").playing);
    }

    #[test]
    fn presenter_keys_change_only_the_presentation() {
        let s = run(state(), [Action::TogglePresent, Action::ToggleBlank]);
        assert!(s.present && s.blank);
        let s = run(s, [Action::TogglePlay]);
        assert!(!s.blank && s.playing);
        let s = run(s, [Action::Pause]);
        assert!(!s.playing);
        assert!(s.link().contains("present=1"));
    }
}
