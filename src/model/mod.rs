//! The app model: plain Rust, no yew. [`AppModel`] owns the running [`Timeline`] (and
//! the compared runs'), the transport and the user's settings; [`AppModel::update`]
//! takes an [`Action`] and says whether anything drawn changed; [`Screen`] is what the
//! web shell draws. Tested natively as user journeys.
//!
//! | file | concept |
//! | --- | --- |
//! | `action.rs` | the [`Action`]s |
//! | `frame.rs` | what one state of the run draws ([`Frame`], [`Clock`]) |
//! | `run.rs` | the main run: step, step back, seek, restart, rebuilding the frame |
//! | `playback.rs` | playing in wall time, bounded per animation frame |
//! | `seek.rs` | going to an instant in slices, with progress and cancel |
//! | `cadence.rs` | which readout redraws in this animation frame |
//! | `lanes.rs` | compare mode: the compared runs on the shared clock, and their counters table |
//! | `controls.rs` | the controls' form state and the scenario it describes |
//! | `caps.rs` | what each model lets the controls change; each control's range and hint |
//! | `narrate.rs` | trace events as sentences |
//! | `keys.rs` | which key does what |
//! | `live.rs` | what a screen reader hears while playing: a summary at most once a second |
//! | `share_link.rs` | opening a share link, and writing one |
//! | `lesson.rs` | where a run stands in its lesson: its stops, the next pause point, whether its claims hold |
//! | `lecture.rs` | a lecture: lessons in order, and where the class stands |
//! | `sweep.rs` | the sweep view: its form, the cells as workers finish them, boundary, exports, link |
//! | `trace_load.rs` | loading a recorded trace: a file parsed in slices, with progress; built-in traces; the bundle |
//! | `by_id.rs` | [`ById`]: shared values compared by identity |
//! | `format.rs`, `export.rs` | numbers and times as text; the exports |

mod action;
mod by_id;
mod cadence;
pub mod caps;
pub mod controls;
pub mod counter_rows;
pub mod export;
pub mod format;
mod frame;
pub mod keys;
pub mod lanes;
pub mod lecture;
pub mod lesson;
pub mod live;
pub mod narrate;
mod playback;
mod run;
mod seek;
mod share_link;
pub mod sweep;
pub mod trace_load;

pub use action::Action;
pub use by_id::ById;
pub use cadence::{Readout, Readouts, READOUT_MS};
pub use frame::{Clock, Frame, LastFlush, LogLine, MarkerKind, Recent, LOG_LINES, LOG_LINES_FAST, LOG_LINES_PLAYING};
pub use lanes::{Comparison, LaneView};
pub use playback::{FRAME_BUDGET_MS, MAX_EVENTS_PER_FRAME, SCRIPT_STEP_MS};
pub use seek::{SeekProgress, Target, PROGRESS_AFTER_MS, SEEK_BUDGET_MS};
pub use share_link::decode_link;

use cadence::Cadence;
use controls::{Control, ControlValues};
use format::{MAX_SPEED, MIN_SPEED};
use lanes::LaneRun;
use ringlab_core::{lessons, Scenario, Sim, Timeline};

/// The speed a new app starts at (×1; see [`format::speed_label`]).
pub const DEFAULT_SPEED: i32 = 0;

/// What the web shell draws. Cheap to clone (frames are shared), and compared after an
/// update to decide whether anything needs drawing.
#[derive(Clone, Debug, PartialEq)]
pub struct Screen {
    /// The scenario as loaded (the controls edit a copy of it).
    pub base: ById<Scenario>,
    /// The scenario running now.
    pub scenario: ById<Scenario>,
    pub frame: ById<Frame>,
    /// The frames the readouts draw (see [`READOUT_MS`]).
    pub readouts: Readouts,
    /// The clock the view draws: the run's clock at the last event or readout turn.
    pub shown: Clock,
    /// Frames have brought dozens of events (`crowded`) since the user last paused or
    /// changed the speed: the view drops its entry animations, which would only restart
    /// on every frame.
    pub fast: bool,
    pub controls: ControlValues,
    /// The control whose value was rejected, and why.
    pub error: Option<(Control, String)>,
    pub playing: bool,
    /// Step on the logarithmic speed scale (see [`format::speed_label`]).
    pub speed: i32,
    pub shortcuts_open: bool,
    /// The single-key shortcuts act (the user can turn them off; Escape always acts).
    pub shortcuts_enabled: bool,
    /// What the screen reader hears (a polite live region): a summary at most once a
    /// second while playing, where the run stands when it stops (see `live.rs`).
    pub live_summary: String,
    /// The lesson the run comes from (its link name), if any.
    pub lesson_name: Option<String>,
    /// The lecture the lesson is part of, and which of its lessons it is.
    pub lecture: Option<lecture::LecturePos>,
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
    /// Compare mode by reaper: the current model under these reaper policies.
    pub compare_reapers: Vec<String>,
    pub comparison: ById<Comparison>,
    /// A seek that has run for a while: its progress bar.
    pub seeking: Option<SeekProgress>,
    /// A note for the user about what just happened (a cancelled seek).
    pub notice: Option<String>,
    /// The trace loader: a file being read, or why the last one could not be used.
    pub trace: trace_load::TraceStatus,
    /// The sweep view, when open (see `sweep.rs`).
    pub sweep: Option<ById<sweep::Sweep>>,
}

/// The whole app state: what is drawn, and the runs behind it.
#[derive(Clone, Debug)]
pub struct AppModel {
    pub screen: Screen,
    /// The running simulation.
    timeline: Timeline,
    /// The simulated clock, updated on every tick (the frame only when an event happened).
    clock: Clock,
    /// The compared runs, one per lane of `screen.comparison`.
    lanes: Vec<LaneRun>,
    cadence: Cadence,
    /// Wall-clock ms not yet spent on scripted steps while playing.
    carry_ms: f64,
    /// Where each Step since the last other move started, so that Back returns there.
    back_to: Vec<Clock>,
    /// A seek under way (see `seek.rs`).
    job: Option<seek::SeekJob>,
    /// Play once the seek under way arrives (a link that says `paused=0`).
    play_after_seek: bool,
    /// The live summary's throttle (see `live.rs`).
    live: live::Live,
    /// A trace file being read (see `trace_load.rs`).
    trace_job: Option<trace_load::TraceJob>,
    /// The lesson's stops and changed settings (see `lesson.rs`).
    lesson_plan: lesson::LessonPlan,
}

impl AppModel {
    pub fn new(scenario: Scenario) -> Result<AppModel, String> {
        let sim = Sim::new(&scenario).map_err(|e| format!("the scenario is not valid: {e}"))?;
        let frame = ById::new(Frame::build(&sim));
        let clock = Clock::of(&sim);
        let scenario = ById::new(scenario);
        let mut model = AppModel {
            screen: Screen {
                controls: ControlValues::from_scenario(&scenario),
                base: scenario.clone(),
                scenario,
                readouts: Readouts::all(&frame),
                frame,
                shown: clock,
                fast: false,
                error: None,
                playing: false,
                speed: DEFAULT_SPEED,
                shortcuts_open: false,
                shortcuts_enabled: true,
                live_summary: String::new(),
                lesson_name: None,
                lecture: None,
                note: String::new(),
                link_problems: Vec::new(),
                present: false,
                embed: false,
                blank: false,
                compare: Vec::new(),
                compare_reapers: Vec::new(),
                comparison: ById::new(Comparison::default()),
                seeking: None,
                notice: None,
                trace: trace_load::TraceStatus::default(),
                sweep: None,
            },
            timeline: Timeline::new(sim),
            clock,
            lanes: Vec::new(),
            cadence: Cadence::default(),
            carry_ms: 0.0,
            back_to: Vec::new(),
            job: None,
            play_after_seek: false,
            live: live::Live::default(),
            trace_job: None,
            lesson_plan: lesson::LessonPlan::default(),
        };
        model.plan_lesson();
        Ok(model)
    }

    /// Applies `action`; returns whether anything the shell draws changed.
    pub fn update(&mut self, action: Action) -> bool {
        let before = self.screen.clone();
        let wall_ms = if let Action::Tick(ms) = action { ms } else { 0.0 };
        self.apply(action);
        self.follow_live(before.playing, wall_ms);
        self.screen != before
    }

    fn apply(&mut self, action: Action) {
        match action {
            Action::Tick(_) if self.trace_job.is_some() => self.trace_slice(),
            Action::Tick(wall_ms) => self.tick(wall_ms),
            Action::TogglePlay if self.seeking() => self.settle_after(|m| m.cancel_seek()),
            Action::TogglePlay => self.settle_after(|m| m.toggle_play()),
            Action::Pause if self.seeking() => self.settle_after(|m| m.cancel_seek()),
            Action::Pause => {
                if self.screen.playing {
                    self.settle_after(|m| m.screen.playing = false);
                }
            }
            Action::LessonNext => self.settle_after(|m| m.lesson_next()),
            Action::LessonPrevious => self.settle_after(|m| m.lesson_previous()),
            Action::ChooseScenario(name) => self.choose_scenario(name),
            Action::OpenLink(decoded) => {
                let (speed, shortcuts) = (self.screen.speed, self.screen.shortcuts_enabled);
                *self = AppModel::from_link(&decoded);
                self.screen.speed = speed;
                self.screen.shortcuts_enabled = shortcuts;
                #[cfg(feature = "sweep-view")]
                self.open_link_sweep(&decoded);
            }
            Action::DismissLinkProblems => self.settle_after(|m| m.screen.link_problems.clear()),
            Action::TogglePresent => self.settle_after(|m| {
                m.screen.present = !m.screen.present;
                m.screen.blank = false;
            }),
            Action::ToggleBlank => self.settle_after(|m| m.screen.blank = !m.screen.blank),
            Action::SetCompare(models) => self.settle_after(|m| {
                m.screen.compare = models;
                m.screen.compare_reapers.clear();
                m.rebuild_comparison();
                m.plan_lesson(); // the lesson's claims about the compared runs
            }),
            Action::SetCompareReapers(policies) => self.settle_after(|m| {
                m.screen.compare_reapers = policies;
                m.screen.compare.clear();
                m.rebuild_comparison();
                m.plan_lesson();
            }),
            Action::Step => self.settle_after(|m| m.step()),
            Action::StepBack => self.settle_after(|m| m.step_back()),
            Action::Reset => self.settle_after(|m| m.seek_to(Target::Events(0))),
            Action::Seek(t) => self.settle_after(|m| m.seek_to(Target::Time(t.min(m.end_ns())))),
            Action::SetSpeed(k) => self.settle_after(|m| m.screen.speed = k.clamp(MIN_SPEED, MAX_SPEED)),
            Action::Faster => self.settle_after(|m| m.screen.speed = (m.screen.speed + 1).min(MAX_SPEED)),
            Action::Slower => self.settle_after(|m| m.screen.speed = (m.screen.speed - 1).max(MIN_SPEED)),
            Action::SetControl(control, value) => self.settle_after(|m| m.set_control(control, value)),
            Action::ToggleShortcuts => self.settle_after(|m| m.screen.shortcuts_open = !m.screen.shortcuts_open),
            Action::SetShortcutsEnabled(on) => self.screen.shortcuts_enabled = on,
            Action::CloseShortcuts => {
                // Escape: closes the shortcuts, and stops a seek under way.
                if self.screen.shortcuts_open || self.seeking() {
                    self.settle_after(|m| {
                        m.screen.shortcuts_open = false;
                        m.cancel_seek();
                    });
                }
            }
            Action::DismissNotice => self.settle_after(|m| m.screen.notice = None),
            Action::LoadTrace { name, text } => self.load_trace(name, text),
            Action::ChooseTrace(name) => self.replay_trace(&name, None),
            // Without the sweep view, the shell hands a sweep over to the sweep bundle
            // (`sweep_link`, src/web/handover.rs) and no sweep action reaches the model.
            #[cfg(feature = "sweep-view")]
            Action::Sweep(a) => self.sweep_action(a),
            #[cfg(not(feature = "sweep-view"))]
            Action::Sweep(_) => {}
        }
    }

    /// An animation frame of `wall_ms`: plays on while playing; otherwise lets the
    /// readouts catch up (nothing at all once they have).
    fn tick(&mut self, wall_ms: f64) {
        if self.seeking() {
            self.settle_after(|m| {
                m.seek_slice();
                if !m.seeking() && std::mem::take(&mut m.play_after_seek) {
                    m.screen.playing = !m.at_end();
                }
            });
            return;
        }
        if !self.screen.playing {
            if !self.settled() {
                self.settle_after_tick(wall_ms, |_| {});
            }
            return;
        }
        self.settle_after_tick(wall_ms, |m| {
            let paused_at_lesson_point = m.play_for(wall_ms);
            m.sync_after_play(paused_at_lesson_point);
            if m.at_end() || paused_at_lesson_point {
                m.screen.playing = false;
            }
        });
    }

    fn toggle_play(&mut self) {
        if !self.screen.playing && self.at_end() {
            self.timeline.seek_events(0);
            self.refresh();
        }
        self.screen.playing = !self.screen.playing;
        self.back_to.clear();
        self.carry_ms = 0.0;
        self.screen.blank = false;
    }

    /// The default scenario (`None`) or a lesson, keeping the presentation, the speed and
    /// the compared models.
    fn choose_scenario(&mut self, name: Option<String>) {
        if let Some(lecture) = name.as_deref().filter(|n| lecture::lecture(n).is_some()) {
            self.open_lecture(lecture, 0);
            return;
        }
        let scenario = match &name {
            Some(n) => lessons::lesson(n),
            None => Some(lessons::default_scenario()),
        };
        if let Some(scenario) = scenario {
            self.open_scenario(scenario, name);
        }
    }

    /// Runs `scenario` (from lesson `name`, if any), keeping the presentation, the speed
    /// and the compared models.
    fn open_scenario(&mut self, scenario: Scenario, name: Option<String>) {
        let Ok(mut next) = AppModel::new(scenario) else { return };
        next.screen.lesson_name = name;
        next.screen.present = self.screen.present;
        next.screen.embed = self.screen.embed;
        next.screen.speed = self.screen.speed;
        next.screen.shortcuts_enabled = self.screen.shortcuts_enabled;
        (next.screen.compare, next.screen.compare_reapers) = self.lesson_compare(&next.screen.scenario);
        next.plan_lesson();
        next.rebuild_comparison();
        *self = next;
    }

    /// Where the run stands now (the clock, which may be ahead of the frame).
    pub fn position(&self) -> lesson::Position {
        lesson::Position { now_ns: self.clock.now_ns, events: self.clock.events, ..self.screen.frame.position() }
    }

    /// The simulated clock right now (the shell draws `screen.shown`, which may lag it).
    pub fn clock(&self) -> Clock {
        self.clock
    }

    /// Where playback stops.
    pub fn end_ns(&self) -> u64 {
        self.screen.frame.view.end_ns
    }

    pub fn at_end(&self) -> bool {
        self.screen.frame.finished
    }

    /// Whether the shell needs animation frames: while playing, and after playback
    /// stopped by itself until every readout has caught up.
    pub fn wants_frames(&self) -> bool {
        self.screen.playing || self.seeking() || !self.settled() || self.trace_job.is_some()
    }

    /// The trace kept so far, for the exports.
    pub fn trace(&self) -> &ringlab_core::trace::Trace {
        self.timeline.sim().trace()
    }
}

#[cfg(test)]
mod journeys;
#[cfg(test)]
mod journeys_lessons;
