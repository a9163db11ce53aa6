//! [`Frame`]: everything one state of the run draws, built from the core's view model
//! and trace, and the [`Clock`] that moves on every animation frame between frames.

use super::lesson::{LessonView, Position};
use super::narrate::{self, Context};
use ringlab_core::stats::Sample;
use ringlab_core::trace::{FlushTrigger, Trace, TraceKind};
use ringlab_core::{Sim, ViewModel};

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
/// Trace events the frame keeps for the movement layer.
pub const RECENT: usize = 16;
/// Reaped events the reaper's box shows.
const REAPED_SHOWN: usize = 6;

/// What moves on every animation frame, event or not: the simulated clock. Kept apart
/// from the [`Frame`] so that a frame without an event rebuilds nothing else.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Clock {
    /// Simulated time in nanoseconds (the frame's `view.now_ns` is the time it was built).
    pub now_ns: u64,
    /// Events processed so far.
    pub events: u64,
}

impl Clock {
    pub fn of(sim: &Sim) -> Clock {
        Clock { now_ns: sim.now(), events: sim.events() }
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

/// The newest trace events (oldest first) and how many were ever recorded: what the
/// movement layer turns into flying tokens.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Recent {
    pub total: u64,
    pub events: Vec<TraceKind>,
}

impl Recent {
    pub fn of(trace: &Trace) -> Recent {
        let skip = trace.len().saturating_sub(RECENT);
        Recent { total: trace.total(), events: trace.events().skip(skip).map(|e| e.kind).collect() }
    }
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
    /// The newest trace events, for the movement layer.
    pub recent: Recent,
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
        let trace = sim.trace();
        let (last_flush, mut markers) = flushes_and_drops(trace);
        markers.extend(fills_and_flushes(sim, view.ring.capacity));
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
            log: log(trace, Context::for_model(view.model, view.ring.entries), log_lines),
            samples: thinned(sim.series().samples()),
            markers,
            last_flush,
            reaped: last_reaped(trace),
            timer_period_ns,
            scripted,
            finished,
            lesson,
            recent: Recent::of(trace),
            log_thinned: log_lines < LOG_LINES,
            crowded: log_lines <= LOG_LINES_FAST,
            view,
        }
    }

    pub fn position(&self) -> Position {
        Position {
            scripted: self.scripted,
            now_ns: self.view.now_ns,
            events: self.view.events,
            finished: self.finished,
        }
    }
}

/// The last `lines` trace events, narrated.
fn log(trace: &Trace, ctx: Context, lines: usize) -> Vec<LogLine> {
    let first = trace.total() - trace.len() as u64;
    let skip = trace.len().saturating_sub(lines);
    trace
        .events()
        .enumerate()
        .skip(skip)
        .map(|(i, e)| LogLine {
            index: first + i as u64,
            at: e.at,
            text: narrate::narrate(&e.kind, ctx),
            tone: narrate::tone(&e.kind),
        })
        .collect()
}

/// The newest flush in the trace, and a marker for every drop.
fn flushes_and_drops(trace: &Trace) -> (Option<LastFlush>, Vec<(u64, MarkerKind)>) {
    let first = trace.total() - trace.len() as u64;
    let mut last_flush = None;
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
    (last_flush, markers)
}

/// The last events the reaper took, oldest first, with their trace index.
fn last_reaped(trace: &Trace) -> Vec<(u64, u64)> {
    let first = trace.total() - trace.len() as u64;
    let mut reaped = Vec::new();
    for (i, e) in trace.events().enumerate().rev() {
        if let TraceKind::Reaped { user_data, .. } = e.kind {
            reaped.push((first + i as u64, user_data));
            if reaped.len() == REAPED_SHOWN {
                break;
            }
        }
    }
    reaped.reverse();
    reaped
}

/// Markers where the ring became full and where the list shrank, from the samples.
fn fills_and_flushes(sim: &Sim, capacity: u32) -> Vec<(u64, MarkerKind)> {
    let mut markers = Vec::new();
    for w in sim.series().samples().windows(2) {
        if w[1].ring_len >= capacity && w[0].ring_len < capacity {
            markers.push((w[1].at, MarkerKind::Full));
        }
        if w[1].list_len < w[0].list_len {
            markers.push((w[1].at, MarkerKind::Flush));
        }
    }
    markers
}

/// At most [`CHART_POINTS`] evenly spaced samples, always ending with the newest.
fn thinned(all: &[Sample]) -> Vec<Sample> {
    let stride = all.len().div_ceil(CHART_POINTS).max(1);
    let mut samples: Vec<Sample> = all.iter().step_by(stride).copied().collect();
    if let Some(last) = all.last() {
        if samples.last() != Some(last) {
            samples.push(*last);
        }
    }
    samples
}
