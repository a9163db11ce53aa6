//! What a screen reader hears while the run plays: at most one sentence a second
//! ([`LIVE_MS`]), a summary of what changed since the last one, instead of every line of
//! the event log (which is a live region only while paused). When playback stops, one
//! sentence says where the run stands.

use super::format::format_ns;
use super::AppModel;
use ringlab_core::trace::Counters;
use ringlab_core::ViewModel;

/// Wall-clock milliseconds between two summaries while playing.
pub const LIVE_MS: f64 = 1_000.0;

/// The throttle: wall time since the last summary, and the counters it described.
#[derive(Clone, Debug, Default)]
pub struct Live {
    since_ms: f64,
    mark: Counters,
}

fn count(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// One sentence on what changed between `before` and `after` (counters of the same run),
/// at simulated time `now_ns`; `None` when nothing did.
pub fn live_summary(before: &Counters, after: &Counters, now_ns: u64) -> Option<String> {
    let d = |f: fn(&Counters) -> u64| f(after).saturating_sub(f(before));
    let parts: Vec<String> = [
        (d(|c| c.to_ring), "completion went into the ring", "completions went into the ring"),
        (d(|c| c.overflowed), "completion moved to the overflow list", "completions moved to the overflow list"),
        (d(Counters::flushed_total), "moved back into the ring", "moved back into the ring"),
        (d(Counters::reaped), "reaped", "reaped"),
        (d(|c| c.dropped), "dropped", "dropped"),
        (d(|c| c.eagain), "submission refused (EAGAIN)", "submissions refused (EAGAIN)"),
    ]
    .into_iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|(n, one, many)| count(n, one, many))
    .collect();
    (!parts.is_empty()).then(|| format!("At {}: {}.", format_ns(now_ns), parts.join("; ")))
}

/// Where the run stands, for the moment playback stops.
pub fn paused_summary(view: &ViewModel) -> String {
    let list = if view.has_overflow_list {
        format!(", {} on the overflow list", view.overflow_list.len())
    } else {
        String::new()
    };
    format!(
        "Paused at {}: {} in the ring{list}, {} reaped.",
        format_ns(view.now_ns),
        view.ring.len,
        view.counters.reaped()
    )
}

impl AppModel {
    /// After an action: while playing, a summary once [`LIVE_MS`] of wall time (`wall_ms`
    /// of this action, an animation frame's) have passed; when playback stops, where the
    /// run stands. `was_playing`: whether it played before the action.
    pub(super) fn follow_live(&mut self, was_playing: bool, wall_ms: f64) {
        let counters = &self.screen.frame.view.counters;
        if !self.screen.playing {
            if was_playing {
                self.screen.live_summary = paused_summary(&self.screen.frame.view);
            }
            return;
        }
        if !was_playing {
            self.live = Live { since_ms: 0.0, mark: counters.clone() };
            return;
        }
        self.live.since_ms += wall_ms;
        if self.live.since_ms < LIVE_MS {
            return;
        }
        self.live.since_ms = 0.0;
        if let Some(text) = live_summary(&self.live.mark, counters, self.screen.frame.view.now_ns) {
            self.screen.live_summary = text;
            self.live.mark = counters.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Action;
    use ringlab_core::lessons;

    #[test]
    fn a_summary_counts_what_changed() {
        let before = Counters { to_ring: 4, overflowed: 1, reaped_user: 2, ..Default::default() };
        let after = Counters { to_ring: 5, overflowed: 4, reaped_user: 6, reaped_syscall: 1, ..Default::default() };
        assert_eq!(
            live_summary(&before, &after, 1_500_000).as_deref(),
            Some("At 1.500 ms: 1 completion went into the ring; 3 completions moved to the overflow list; 5 reaped.")
        );
        assert_eq!(live_summary(&after, &after, 1_500_000), None, "nothing changed: nothing to say");
        let flushed = Counters { flushed: [1, 0, 2, 0], dropped: 1, ..after.clone() };
        assert_eq!(
            live_summary(&after, &flushed, 2_000).as_deref(),
            Some("At 2 µs: 3 moved back into the ring; 1 dropped.")
        );
    }

    #[test]
    fn playing_announces_at_most_once_a_second_and_pausing_says_where_it_stands() {
        let mut m = AppModel::new(lessons::default_scenario()).unwrap();
        m.update(Action::SetSpeed(4));
        m.update(Action::TogglePlay);
        let mut changes = Vec::new();
        let mut last = m.screen.live_summary.clone();
        // Five seconds of 60 Hz frames.
        for frame in 0..300 {
            m.update(Action::Tick(1000.0 / 60.0));
            if m.screen.live_summary != last {
                last = m.screen.live_summary.clone();
                changes.push(frame);
            }
            if !m.screen.playing {
                break;
            }
        }
        assert!(!changes.is_empty(), "something was announced while playing");
        for w in changes.windows(2) {
            assert!(w[1] - w[0] >= 59, "two summaries within a second: frames {w:?}");
        }
        assert!(changes.len() <= 5, "{changes:?}");
        if m.screen.playing {
            m.update(Action::TogglePlay);
        }
        assert!(m.screen.live_summary.starts_with("Paused at "), "{}", m.screen.live_summary);
        assert!(m.screen.live_summary.contains("in the ring"), "{}", m.screen.live_summary);
    }
}
