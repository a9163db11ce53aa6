//! Share links: opening one (its scenario at its instant, with every problem listed for
//! the banner) and writing the link of the current state.

use super::{AppModel, Target};
use ringlab_core::lessons;
use ringlab_core::link::{self, Decoded, LinkState};

/// Opens a link fragment (with or without `#`) against the default scenario and the lessons.
/// The app opens a link paused unless it says `paused=0` (so the bare page, or a
/// hand-written link without the key, waits for the user to press play).
/// Built without the sweep view, the sweep keys are only noticed (`sweep_keys`: the link
/// is handed over to the bundle with the view, web/handover.rs).
pub fn decode_link(fragment: &str) -> Decoded {
    #[cfg(feature = "sweep-view")]
    let read = link::decode;
    #[cfg(not(feature = "sweep-view"))]
    let read = link::decode_without_sweep;
    let mut decoded = read(fragment, &lessons::default_scenario(), &lessons::lesson);
    let says_play = fragment
        .trim_start_matches('#')
        .rsplit('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == "paused")
        .is_some_and(|(_, v)| v == "0" || v == "false");
    decoded.state.paused |= !says_play;
    decoded
}

impl AppModel {
    /// The state a share link describes: its scenario at its instant, playing unless
    /// `paused`, every problem listed for the banner. Never fails: a scenario the core
    /// refuses falls back to the default one, and says so.
    pub fn from_link(decoded: &Decoded) -> AppModel {
        let l = &decoded.state;
        let mut problems: Vec<String> = decoded.problems.iter().map(|p| p.to_string()).collect();
        let mut model = AppModel::new(l.scenario.clone()).unwrap_or_else(|e| {
            problems.push(format!("link: {e}; used the default scenario instead"));
            AppModel::new(lessons::default_scenario()).expect("the default scenario is valid")
        });
        let screen = &mut model.screen;
        screen.lesson_name = l.lesson.clone().filter(|_| screen.scenario.lesson.is_some());
        screen.note = l.note.clone();
        screen.present = l.present;
        screen.embed = l.embed;
        screen.link_problems = problems;
        screen.compare = l.compare.clone();
        screen.compare_reapers = l.compare_reapers.clone();
        if let Some(lesson) =
            screen.scenario.lesson.as_ref().filter(|_| l.compare.is_empty() && l.compare_reapers.is_empty())
        {
            // A lesson that compares runs opens with its lanes, unless the link names others.
            (screen.compare, screen.compare_reapers) = (lesson.compare.clone(), lesson.compare_reapers.clone());
        }
        model.plan_lesson();
        if let Some(name) = &l.lecture {
            model.open_link_lecture(name);
        }
        model.rebuild_comparison();
        model.open_at(l.time_ns, l.events);
        let play = !l.paused;
        if model.seeking() {
            model.play_after_seek = play; // once the link's instant is reached
        } else {
            model.screen.playing = play && !model.screen.frame.finished;
        }
        model.show_all();
        model
    }

    /// The share link of this state (the fragment, without `#`).
    pub fn link(&self) -> String {
        let sim = self.timeline.sim();
        let screen = &self.screen;
        let mut l = LinkState::new((*screen.scenario).clone());
        l.lesson = screen.lesson_name.clone();
        l.lecture = screen.lecture.as_ref().map(|at| at.name.clone());
        l.note = screen.note.clone();
        l.time_ns = sim.now();
        // The time alone opens after every event at or before it (at 0: before any), so
        // the link names the event count when that is not where the run stands.
        let time_alone_is_exact =
            if sim.now() == 0 { sim.events() == 0 } else { sim.next_event_at() != Some(sim.now()) };
        l.events = (!time_alone_is_exact).then(|| sim.events());
        l.paused = !screen.playing;
        l.present = screen.present;
        l.embed = screen.embed;
        l.compare = screen.compare.clone();
        l.compare_reapers = screen.compare_reapers.clone();
        link::encode_short(&l, &lessons::default_scenario(), &lessons::lesson)
    }

    /// Goes to a link's instant: exactly `events` events when given (then the clock moves
    /// on to `t` if no event is due before it), otherwise the state after every event at
    /// or before `t` (a seek in slices when it is far).
    fn open_at(&mut self, t: u64, events: Option<u64>) {
        match events {
            Some(events) => self.seek_to(Target::EventsThenTime { events, t }),
            None if t > 0 => self.seek_to(Target::Time(t.min(self.timeline.sim().end_ns()))),
            None => {}
        }
    }
}
