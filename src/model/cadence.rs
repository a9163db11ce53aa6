//! Which readout redraws in this animation frame. While playing, the readouts (the
//! clock's figures, the counters, the log, the charts, the scrubber) and the compared
//! runs' views are redrawn in turn, one turn every `READOUT_MS / 5` of play and never two
//! in one frame; the ring, the overflow list, the actors and the flying tokens follow
//! every event at once. Paused or stepping, everything is exact.

use super::{AppModel, ById, Frame};

/// How often each readout is redrawn while playing: each readout every READOUT_MS, each
/// of four compared runs as well (every 180 ms in all). Figures that change sixty times a
/// second cannot be read, and redrawing all of them with every event costs most of a
/// frame's layout and paint.
pub const READOUT_MS: f64 = 100.0;

/// What the view redraws on its own cadence while playing ([`READOUT_MS`]).
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
    pub counters: ById<Frame>,
    pub log: ById<Frame>,
    pub charts: ById<Frame>,
    pub scrubber: ById<Frame>,
}

impl Readouts {
    pub fn all(frame: &ById<Frame>) -> Readouts {
        Readouts { counters: frame.clone(), log: frame.clone(), charts: frame.clone(), scrubber: frame.clone() }
    }

    /// The frame `readout` draws (`None` for the clock's figures, which draw the clock).
    fn get(&self, readout: Readout) -> Option<&ById<Frame>> {
        match readout {
            Readout::Clock => None,
            Readout::Counters => Some(&self.counters),
            Readout::Log => Some(&self.log),
            Readout::Charts => Some(&self.charts),
            Readout::Scrubber => Some(&self.scrubber),
        }
    }

    fn get_mut(&mut self, readout: Readout) -> Option<&mut ById<Frame>> {
        match readout {
            Readout::Clock => None,
            Readout::Counters => Some(&mut self.counters),
            Readout::Log => Some(&mut self.log),
            Readout::Charts => Some(&mut self.charts),
            Readout::Scrubber => Some(&mut self.scrubber),
        }
    }
}

/// Wall-clock ms played since the last turn, and whose turn is next (the readouts, then
/// the compared runs).
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Cadence {
    age_ms: f64,
    next: usize,
}

impl AppModel {
    /// Brings the readouts and the compared runs' views to the frame. After a user's
    /// action that leaves the run paused: the readouts at once (the compared runs were
    /// rebuilt already). While playing: the clock with every new frame, and one turn every
    /// `READOUT_MS / 5` of play. When playback stopped by itself (the end, a lesson's
    /// pause point): one turn per frame until all are exact, so that the frame where it
    /// stops is no heavier than the others.
    pub(super) fn follow_readouts(&mut self, new_frame: bool, tick: Option<f64>) {
        if new_frame {
            self.screen.shown = self.clock;
        }
        let Some(ms) = tick else {
            if !self.screen.playing {
                self.show_all();
            }
            return;
        };
        let turns = Readout::ALL.len() + self.lanes.len();
        let next = if self.screen.playing {
            self.cadence.age_ms += ms;
            let turn_ms = READOUT_MS / Readout::ALL.len() as f64;
            if self.cadence.age_ms < turn_ms {
                return;
            }
            self.cadence.age_ms = (self.cadence.age_ms - turn_ms).min(turn_ms);
            Some(self.cadence.next % turns)
        } else {
            (0..turns).map(|i| (self.cadence.next + i) % turns).find(|turn| !self.turn_done(*turn))
        };
        let Some(turn) = next else { return };
        self.cadence.next = (turn + 1) % turns;
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
            None => self.lane_current(turn - Readout::ALL.len()),
        }
    }

    /// Brings one readout to the frame (the clock's figures to the clock).
    fn show(&mut self, readout: Readout) {
        let frame = self.screen.frame.clone();
        match self.screen.readouts.get_mut(readout) {
            Some(shown) => *shown = frame,
            None => self.screen.shown = self.clock,
        }
    }

    /// Whether `readout` shows the frame (the clock's figures: the clock).
    pub fn is_shown(&self, readout: Readout) -> bool {
        match self.screen.readouts.get(readout) {
            Some(shown) => *shown == self.screen.frame,
            None => self.screen.shown == self.clock,
        }
    }

    /// Every readout shows the frame and the clock, and every compared run its instant:
    /// nothing is left to draw while paused.
    pub fn settled(&self) -> bool {
        Readout::ALL.iter().all(|r| self.is_shown(*r)) && self.lanes_current()
    }

    /// Every readout exact: the frame's and the clock's.
    pub(super) fn show_all(&mut self) {
        self.screen.readouts = Readouts::all(&self.screen.frame);
        self.screen.shown = self.clock;
        self.cadence.age_ms = 0.0;
    }
}
