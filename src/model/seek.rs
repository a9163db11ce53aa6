//! Seeking in slices. Going to an instant (the scrubber, Back, a lesson's pause point, a
//! link's instant) re-simulates from the nearest snapshot; when that needs more than one
//! frame's budget, the rest runs a slice per animation frame, the page stays responsive,
//! a progress bar appears after half a second, and Pause or Escape cancels it, leaving
//! the run at the instant reached. A seek that completes lands exactly where an
//! uninterrupted one would (the same steps, in slices).

use super::format::format_ns;
use super::playback::wall_clock_ms;
use super::{AppModel, Clock};

/// Wall-clock milliseconds of simulation per animation frame while seeking.
pub const SEEK_BUDGET_MS: f64 = 8.0;
/// A seek that has run this long shows its progress.
pub const PROGRESS_AFTER_MS: f64 = 500.0;
/// Events simulated between two looks at the wall clock.
const CHUNK: u64 = 256;

/// Where a seek goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// The state after every event at or before this simulated time.
    Time(u64),
    /// Exactly this many events into the run.
    Events(u64),
    /// Exactly `events` events, then the clock on to `t` if no event is due before it (a
    /// link's instant, or where a Step started).
    EventsThenTime { events: u64, t: u64 },
}

/// A seek under way.
#[derive(Clone, Copy, Debug)]
pub(super) struct SeekJob {
    target: Target,
    from: Clock,
    started_ms: f64,
    /// The main run has arrived; the compared runs are following it.
    main_done: bool,
}

/// What the progress bar shows.
#[derive(Clone, Debug, PartialEq)]
pub struct SeekProgress {
    /// How far, from 0 to 1 (in simulated time or in events, as the target is given).
    pub fraction: f64,
    /// Where the seek goes, as text ("1.500 s", "event 40,000").
    pub target: String,
    /// Wall-clock milliseconds left, estimated from the pace so far.
    pub eta_ms: Option<f64>,
}

impl Target {
    fn text(self) -> String {
        match self {
            Target::Time(t) | Target::EventsThenTime { t, .. } => format_ns(t),
            Target::Events(e) => format!("event {e}"),
        }
    }
}

impl AppModel {
    /// Starts a seek to `target`, paused, and runs its first slice at once (a short seek
    /// is over before the next frame).
    pub(super) fn seek_to(&mut self, target: Target) {
        self.back_to.clear();
        self.screen.playing = false;
        self.screen.notice = None;
        match target {
            Target::Time(t) => self.timeline.rewind_to_time(t),
            Target::Events(events) | Target::EventsThenTime { events, .. } => self.timeline.rewind_to_events(events),
        }
        self.job = Some(SeekJob {
            target,
            from: Clock::of(self.timeline.sim()),
            started_ms: wall_clock_ms(),
            main_done: false,
        });
        self.seek_slice();
    }

    /// Brings new compared runs to the shared clock: at once when that fits in a
    /// frame's budget, otherwise as a seek of its own (paused, with progress).
    pub(super) fn catch_up_lanes(&mut self) {
        let here = Target::EventsThenTime { events: self.clock.events, t: self.clock.now_ns };
        self.job = Some(SeekJob { target: here, from: self.clock, started_ms: wall_clock_ms(), main_done: true });
        self.seek_slice();
        if self.seeking() {
            self.screen.playing = false;
        }
    }

    /// Whether a seek is under way.
    pub fn seeking(&self) -> bool {
        self.job.is_some()
    }

    /// One frame's slice of the seek under way (the main run first, then each compared
    /// run); the frame shows the instant reached.
    pub(super) fn seek_slice(&mut self) {
        let Some(mut job) = self.job else { return };
        let started = wall_clock_ms();
        let in_budget = || wall_clock_ms() - started < SEEK_BUDGET_MS;
        while !job.main_done {
            job.main_done = self.main_slice(job.target);
            // The compared runs keep up, so that stopping half-way leaves little to follow.
            self.clock = Clock::of(self.timeline.sim());
            self.lanes_slice(CHUNK);
            if !job.main_done && !in_budget() {
                break;
            }
        }
        self.refresh();
        if job.main_done {
            while !self.lanes_slice(CHUNK) {
                if !in_budget() {
                    break;
                }
            }
            if self.lanes_at_clock() {
                self.job = None;
                self.screen.seeking = None;
                self.follow(true);
                return;
            }
        }
        self.job = Some(job);
        let elapsed = wall_clock_ms() - job.started_ms;
        self.screen.seeking = (elapsed >= PROGRESS_AFTER_MS).then(|| self.progress(&job, elapsed));
    }

    /// Up to [`CHUNK`] events of the main run towards `target`; whether it has arrived.
    fn main_slice(&mut self, target: Target) -> bool {
        let tl = &mut self.timeline;
        match target {
            Target::Time(t) => tl.advance_to(t, CHUNK) < CHUNK,
            Target::Events(events) | Target::EventsThenTime { events, .. } => {
                for _ in 0..CHUNK {
                    if tl.sim().events() >= events || tl.step().is_none() {
                        break;
                    }
                }
                let arrived = tl.sim().events() >= events || tl.sim().is_finished();
                if let (true, Target::EventsThenTime { t, .. }) = (arrived, target) {
                    let due_before_t = tl.sim().next_event_at().is_some_and(|at| at <= t);
                    if !due_before_t && t > tl.sim().now() && tl.sim().scenario().steps.is_none() {
                        tl.advance_to(t, u64::MAX); // the clock only: no event is due before t
                    }
                }
                arrived
            }
        }
    }

    fn progress(&self, job: &SeekJob, elapsed_ms: f64) -> SeekProgress {
        let now = Clock::of(self.timeline.sim());
        let span = |from: u64, to: u64, at: u64| {
            if to > from {
                (at.saturating_sub(from)) as f64 / (to - from) as f64
            } else {
                1.0
            }
        };
        let fraction = match job.target {
            Target::Time(t) => span(job.from.now_ns, t, now.now_ns),
            Target::Events(e) | Target::EventsThenTime { events: e, .. } => span(job.from.events, e, now.events),
        }
        .clamp(0.0, 1.0);
        let eta_ms = (fraction > 0.0).then(|| elapsed_ms * (1.0 - fraction) / fraction);
        SeekProgress { fraction, target: job.target.text(), eta_ms }
    }

    /// Stops the seek under way (Pause, Escape): the run stays at the instant reached,
    /// and a note says so.
    pub(super) fn cancel_seek(&mut self) {
        let Some(job) = self.job.take() else { return };
        self.screen.seeking = None;
        self.refresh();
        self.follow(true); // the compared runs kept up: at most a slice behind
        self.screen.notice = Some(format!(
            "Stopped at {} (event {}): going to {} was cancelled.",
            format_ns(self.clock.now_ns),
            self.clock.events,
            job.target.text()
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{decode_link, Action};
    use ringlab_core::{Sim, Timeline};

    /// About 200,000 requests in 100 ms of simulated time: far more than one frame's
    /// budget of simulation, natively as in the browser.
    const HEAVY: &str = "v=1&p0.duration_ns=100000000&p0.submit_rate=2000000&p0.queue_depth=64&paused=1";

    fn open(fragment: &str) -> AppModel {
        AppModel::from_link(&decode_link(fragment))
    }

    #[test]
    fn a_far_seek_runs_in_slices_and_lands_exactly() {
        let mut s = open(HEAVY);
        let end = s.end_ns();
        s.update(Action::Seek(end));
        assert!(s.seeking(), "one frame's budget does not reach the end");
        assert!(s.wants_frames());
        let mut frames = 0;
        while s.seeking() {
            s.update(Action::Tick(16.0));
            frames += 1;
            assert!(frames < 1_000_000);
        }
        assert!(frames >= 1);
        let mut direct = Timeline::new(Sim::new(&s.screen.scenario).unwrap());
        direct.seek_time(end);
        assert_eq!(s.screen.frame.run_hash, direct.sim().run_hash(), "the same instant as an uninterrupted seek");
        assert_eq!(s.clock.now_ns, end);
        assert!(s.screen.seeking.is_none() && s.screen.notice.is_none());
    }

    #[test]
    fn pause_stops_a_seek_where_it_got_to_and_says_so() {
        let mut s = open(HEAVY);
        let end = s.end_ns();
        s.update(Action::Seek(end));
        s.update(Action::Tick(16.0));
        assert!(s.seeking());
        s.update(Action::Pause);
        assert!(!s.seeking() && !s.wants_frames());
        assert!(s.clock.now_ns > 0 && s.clock.now_ns < end, "{}", s.clock.now_ns);
        assert_eq!(s.screen.frame.view.now_ns, s.clock.now_ns, "the frame shows the instant reached");
        let note = s.screen.notice.clone().expect("a note says the seek stopped");
        assert!(note.contains("cancelled") && note.contains(&format_ns(end)), "{note}");
        s.update(Action::DismissNotice);
        assert!(s.screen.notice.is_none());
        // Escape does the same.
        s.update(Action::Seek(end));
        s.update(Action::CloseShortcuts);
        assert!(!s.seeking() && s.screen.notice.is_some());
    }

    #[test]
    fn a_heavy_link_opens_at_once_and_reaches_its_instant_in_slices() {
        let t = 90_000_000;
        let mut s = open(&format!("{HEAVY}&t={t}"));
        assert!(s.seeking(), "the page draws a ring first, then seeks");
        assert!(!s.screen.playing);
        while s.seeking() {
            s.update(Action::Tick(16.0));
        }
        assert_eq!(s.clock.now_ns, t);
        // A link that says play plays once it has arrived.
        let mut s = open(&format!("{HEAVY}&t={t}").replace("paused=1", "paused=0"));
        while s.seeking() {
            assert!(!s.screen.playing);
            s.update(Action::Tick(16.0));
        }
        assert!(s.screen.playing);
    }

    #[test]
    fn compared_runs_follow_a_far_seek_in_the_same_slices() {
        let mut s = open(&HEAVY.replace("paused=1", "compare=proposal,io_uring&paused=1"));
        assert_eq!(s.screen.comparison.lanes.len(), 2);
        s.update(Action::Seek(50_000_000));
        while s.seeking() {
            s.update(Action::Tick(16.0));
        }
        for lane in &s.screen.comparison.lanes {
            assert_eq!(lane.view.now_ns, 50_000_000, "{}", lane.model);
        }
        assert!(s.settled());
    }
}
