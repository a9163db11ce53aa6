//! Where a run stands in its lesson: which pause points it has passed, the narration to
//! show, whether the question (before playing) or the reveal (at the end) is due, and
//! whether what the lesson says still holds on this run.
//!
//! The pause points are resolved once per scenario to exact [`Stop`]s (an event count
//! and the clock there; `ringlab_core::lessons::stops`), so a pause placed by event
//! (the timer's fire, a flush) stops on that event, and the position in a lesson is
//! counted in events (the clock only breaks ties). Everything shown is derived from the
//! lesson text, the stops and the run's position, so stepping back, scrubbing or
//! reopening a link shows the right narration without extra state.
//!
//! When the user changed a setting of the lesson (a control, or a link key such as
//! `reaper=syscall`), the pause's and the reveal's expectations are checked on this run:
//! where one no longer holds, the text says which setting changed and what the counters
//! show instead of the lesson's claim.

use super::{AppModel, ById, Frame, Target};
use ringlab_core::lessons::{self, Stop};
use ringlab_core::scenario::{Lesson, PausePoint};
use ringlab_core::view::ViewModel;
use ringlab_core::Scenario;

/// The position of a run: its clock and event count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub scripted: bool,
    pub now_ns: u64,
    pub events: u64,
    /// The run is over (its workload's end, or its last step).
    pub finished: bool,
}

impl Position {
    /// Whether the run has reached `stop`: more events, or as many and the clock there.
    pub fn reached(self, stop: &Stop) -> bool {
        (self.events, self.now_ns) >= (stop.events, stop.at_ns)
    }

    /// Whether the run stands exactly on `stop`.
    pub fn on(self, stop: &Stop) -> bool {
        self.events == stop.events && (self.scripted || self.now_ns == stop.at_ns)
    }
}

/// The most events a lesson's runs may take for their stops to be resolved by playing
/// them through at once (the built-in lessons take a few thousand).
pub const MAX_PLAN_EVENTS: f64 = 2e5;

/// Where a pause point is by its own text (the clock, or a scripted step), for a lesson
/// whose stops are not resolved (a pause placed by event is then never reached).
fn written_stop(pause: &PausePoint) -> Stop {
    if pause.at_event.is_some() {
        return Stop { events: u64::MAX, at_ns: u64::MAX };
    }
    Stop { events: pause.after_step.map_or(0, u64::from), at_ns: pause.at_ns.unwrap_or(0) }
}

/// A lesson as this run plays it: its stops, the settings changed from the lesson as
/// written (empty when the run is the lesson's own), and then what the compared runs show
/// instead of the lesson's claims about them (`expect_lanes`), at each stop and at the end.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LessonPlan {
    pub stops: Vec<Stop>,
    pub changes: Vec<String>,
    pub lane_misses: Vec<Vec<String>>,
}

impl LessonPlan {
    /// The plan of `scenario`, opened as lesson `name`, with `lanes` compared beside it
    /// (named as the lesson names them).
    pub fn of(scenario: &Scenario, name: Option<&str>, lanes: &[(String, Scenario)]) -> LessonPlan {
        let Some(lesson) = &scenario.lesson else { return LessonPlan::default() };
        let changes = name
            .and_then(lessons::lesson)
            .map(|written| lessons::setting_changes(&written, scenario))
            .unwrap_or_default();
        // Resolving the stops plays the run (and the compared runs) through: done only
        // when that is a moment's work, so that no setting can freeze the page (a lesson
        // made huge keeps its pauses by the clock; those by event are then not reached).
        let light =
            [scenario].into_iter().chain(lanes.iter().map(|(_, s)| s)).all(|s| s.estimated_events() <= MAX_PLAN_EVENTS);
        // A pause whose event never happens on this run (a changed setting) stops at the
        // end (`lessons::stops`).
        let resolved = if light { lessons::stops(scenario).ok() } else { None };
        let stops = resolved.unwrap_or_else(|| lesson.pauses.iter().map(written_stop).collect());
        let lane_misses = if changes.is_empty() || !light { Vec::new() } else { lane_misses(lesson, &stops, lanes) };
        LessonPlan { stops, changes, lane_misses }
    }

    /// How many stops the run has reached.
    pub fn passed(&self, pos: Position) -> usize {
        self.stops.iter().filter(|s| pos.reached(s)).count()
    }

    /// The first stop ahead of the run.
    pub fn next(&self, pos: Position) -> Option<Stop> {
        self.stops.iter().find(|s| !pos.reached(s)).copied()
    }

    /// The last stop behind the run (not the one it stands on).
    pub fn previous(&self, pos: Position) -> Option<Stop> {
        self.stops.iter().rev().find(|s| pos.reached(s) && !pos.on(s)).copied()
    }
}

/// For each stop and then the end, what the compared runs show instead of the lesson's
/// claims about them: each run as the compare view moves it, to the stop's clock (its
/// steps, for a script) and then to its end.
fn lane_misses(lesson: &Lesson, stops: &[Stop], lanes: &[(String, Scenario)]) -> Vec<Vec<String>> {
    let mut out = vec![Vec::new(); stops.len() + 1];
    let expects: Vec<_> = lesson.pauses.iter().map(|p| &p.expect_lanes).chain([&lesson.reveal_expect_lanes]).collect();
    for (name, scenario) in lanes {
        let Ok(mut sim) = ringlab_core::Sim::new(scenario) else { continue };
        for (i, expect) in expects.iter().enumerate() {
            match stops.get(i) {
                Some(stop) if scenario.steps.is_some() => while sim.events() < stop.events && sim.step().is_some() {},
                Some(stop) => sim.run_until(stop.at_ns),
                None => lessons::play_to_end(&mut sim),
            }
            if let Some(want) = expect.get(name) {
                out[i].extend(want.misses(&sim.view()).into_iter().map(|m| format!("in the {name} run, {m}")));
            }
        }
    }
    out
}

/// What the lesson panel shows.
#[derive(Clone, Debug, PartialEq)]
pub struct LessonView {
    pub goal: String,
    pub question: String,
    /// The reveal, or on a run with changed settings where it no longer holds, what the
    /// counters show instead.
    pub reveal: String,
    pub total: usize,
    pub passed: usize,
    /// The narration of the last pause point reached, numbered from 1.
    pub narration: Option<(usize, String)>,
    /// Before the first event: ask the question.
    pub at_start: bool,
    /// At the end of the run: show the reveal.
    pub revealed: bool,
    /// The run stands on a pause point, or at its end: the view is settled there.
    pub at_pause: bool,
    /// What the user changed from the lesson, when the claim shown no longer holds
    /// ("You changed reaper policy: ring → syscall.").
    pub changed: Option<String>,
    /// In a lecture: "lesson 3 of 8", and whether another lesson follows this one.
    pub lecture: Option<(String, bool)>,
}

impl LessonView {
    /// A provisional view by the pause points' own text, exact for scripted lessons (the
    /// frame's; the app model replaces it with [`LessonView::placed`] on the run's stops).
    pub fn new(lesson: &Lesson, pos: Position) -> LessonView {
        let stops = lesson.pauses.iter().map(written_stop).collect();
        let plan = LessonPlan { stops, ..Default::default() };
        LessonView::placed(lesson, &plan, pos, None)
    }

    /// The view at `pos` with the lesson's resolved stops; with `view`, the claim shown is
    /// checked on it when the plan has changed settings.
    pub fn placed(lesson: &Lesson, plan: &LessonPlan, pos: Position, view: Option<&ViewModel>) -> LessonView {
        let passed = plan.passed(pos).min(lesson.pauses.len());
        let on_stop = passed.checked_sub(1).is_some_and(|i| pos.on(&plan.stops[i]));
        let mut narration = passed.checked_sub(1).map(|i| (i + 1, lesson.pauses[i].narration.clone()));
        let mut reveal = lesson.reveal.clone();
        let mut changed = None;
        if let (Some(view), false) = (view, plan.changes.is_empty()) {
            let expect = if pos.finished {
                Some(&lesson.reveal_expect)
            } else if on_stop {
                Some(&lesson.pauses[passed - 1].expect)
            } else {
                None
            };
            let mut misses = expect.map(|e| e.misses(view)).unwrap_or_default();
            let at = if pos.finished { Some(plan.stops.len()) } else { on_stop.then(|| passed - 1) };
            misses.extend(at.and_then(|i| plan.lane_misses.get(i)).into_iter().flatten().cloned());
            if !misses.is_empty() {
                changed = Some(format!("You changed {}.", plan.changes.join("; ")));
                let instead = format!("On this run the lesson's claim does not hold: {}.", misses.join("; "));
                match (pos.finished, &mut narration) {
                    (true, _) => reveal = instead,
                    (false, Some((_, text))) => *text = instead,
                    (false, None) => {}
                }
            }
        }
        LessonView {
            goal: lesson.goal.clone(),
            question: lesson.question.clone(),
            reveal,
            total: lesson.pauses.len(),
            passed,
            narration,
            at_start: pos.events == 0 && passed == 0,
            revealed: pos.finished,
            at_pause: on_stop || pos.finished,
            changed,
            lecture: None,
        }
    }

    /// The label of the button that goes on.
    pub fn next_label(&self) -> &'static str {
        if !self.revealed {
            if self.passed < self.total {
                "Next pause ▶"
            } else {
                "Reveal ▶"
            }
        } else if self.lecture.as_ref().is_some_and(|(_, more)| *more) {
            "Next lesson ▶"
        } else {
            "Start again"
        }
    }

    /// What the presenter's caption says now: the question before playing, the narration
    /// at a pause, the reveal at the end.
    pub fn caption(&self) -> Option<&str> {
        if self.revealed {
            Some(&self.reveal)
        } else if let Some((_, text)) = &self.narration {
            Some(text)
        } else {
            (self.at_start && !self.question.is_empty()).then_some(self.question.as_str())
        }
    }
}

impl AppModel {
    /// Resolves the running lesson's stops and changed settings (after the scenario or
    /// the lesson's name changed), and redraws the lesson's view.
    pub(super) fn plan_lesson(&mut self) {
        let s = &self.screen;
        let lanes = super::lanes::lane_scenarios(&s.scenario, &s.compare, &s.compare_reapers);
        let plan = LessonPlan::of(&s.scenario, s.lesson_name.as_deref(), &lanes);
        if s.scenario.lesson.is_none() && plan == self.lesson_plan {
            return; // not a lesson: nothing to redraw
        }
        self.lesson_plan = plan;
        self.refresh();
        if !self.screen.playing {
            self.show_all(); // paused: every readout exact at once
        }
    }

    /// `frame` with the lesson's view at its instant.
    pub(super) fn framed(&self, mut frame: Frame) -> ById<Frame> {
        let lesson = self.screen.scenario.lesson.as_ref();
        frame.lesson = lesson.map(|l| {
            let mut v = LessonView::placed(l, &self.lesson_plan, frame.position(), Some(&frame.view));
            v.lecture = self.lecture_progress();
            v
        });
        ById::new(frame)
    }

    /// The runs compared beside lesson `next` as it opens: its own (`compare`,
    /// `compare_reapers`); without them, the user's choice, unless that was the open
    /// lesson's own.
    pub(super) fn lesson_compare(&self, next: &Scenario) -> (Vec<String>, Vec<String>) {
        let own = |s: &Scenario| s.lesson.as_ref().map(|l| (l.compare.clone(), l.compare_reapers.clone()));
        let chosen = (self.screen.compare.clone(), self.screen.compare_reapers.clone());
        match own(next) {
            Some(c) if !c.0.is_empty() || !c.1.is_empty() => c,
            _ if own(&self.screen.scenario).is_some_and(|c| c == chosen) => Default::default(),
            _ => chosen,
        }
    }

    /// Jumps to the lesson's next pause point, or to the end after the last one; from the
    /// end, to the next lesson of the lecture, or back to the start. Leaves the run
    /// paused. Outside a lesson, steps one event (a presenter's clicker sends PageDown).
    pub(super) fn lesson_next(&mut self) {
        if self.screen.scenario.lesson.is_none() {
            return self.step();
        }
        let pos = self.position();
        if pos.finished {
            if !self.lecture_next() {
                self.seek_to(Target::Events(0));
            }
            return;
        }
        let target = match self.lesson_plan.next(pos) {
            Some(stop) => Target::EventsThenTime { events: stop.events, t: stop.at_ns },
            None if pos.scripted => Target::Events(u64::MAX),
            None => Target::Time(self.end_ns()),
        };
        self.seek_to(target);
    }

    /// Back to the previous pause point, or to the start; at the start of a lesson in a
    /// lecture, to the previous lesson. Outside a lesson, steps back one event.
    pub(super) fn lesson_previous(&mut self) {
        if self.screen.scenario.lesson.is_none() {
            return self.step_back();
        }
        let pos = self.position();
        match self.lesson_plan.previous(pos) {
            Some(stop) => self.seek_to(Target::EventsThenTime { events: stop.events, t: stop.at_ns }),
            None if pos.events == 0 => self.lecture_previous(),
            None => self.seek_to(Target::Events(0)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_lesson_resolves_its_stops_and_a_huge_one_keeps_its_clock() {
        for (name, _) in lessons::LESSONS {
            let s = lessons::lesson(name).unwrap();
            assert!(s.estimated_events() <= MAX_PLAN_EVENTS, "{name}: {} events", s.estimated_events());
            assert_eq!(LessonPlan::of(&s, Some(name), &[]).stops, lessons::stops(&s).unwrap(), "{name}");
        }
        // `stuck` with a workload of a million requests: its pauses by event are not
        // played out (the page would freeze), the plan says so by never reaching them.
        let mut s = lessons::lesson("stuck").unwrap();
        s.workload.phases[0].duration_ns *= 100_000;
        assert!(s.estimated_events() > MAX_PLAN_EVENTS);
        let plan = LessonPlan::of(&s, Some("stuck"), &[]);
        assert!(!plan.changes.is_empty());
        let by_event = s.lesson.as_ref().unwrap().pauses.iter().filter(|p| p.at_event.is_some()).count();
        assert!(by_event > 0);
        assert_eq!(plan.stops.iter().filter(|st| st.events == u64::MAX).count(), by_event);
    }

    fn lesson(scripted: bool) -> Lesson {
        let pause = |n: u64, text: &str| PausePoint {
            at_ns: (!scripted).then_some(n),
            after_step: scripted.then_some(n as u32),
            narration: text.into(),
            ..Default::default()
        };
        Lesson {
            goal: "g".into(),
            question: "q?".into(),
            pauses: vec![pause(2, "first"), pause(5, "second")],
            reveal: "r".into(),
            ..Default::default()
        }
    }

    fn at(events: u64, now_ns: u64, finished: bool) -> Position {
        Position { scripted: false, now_ns, events, finished }
    }

    fn plan() -> LessonPlan {
        let stops = vec![Stop { events: 3, at_ns: 20 }, Stop { events: 7, at_ns: 50 }];
        LessonPlan { stops, ..Default::default() }
    }

    #[test]
    fn the_position_is_counted_in_events_and_the_clock_breaks_ties() {
        let (l, p) = (lesson(false), plan());
        let v = |pos| LessonView::placed(&l, &p, pos, None);
        assert_eq!(
            (v(at(2, 20, false)).passed, v(at(2, 20, false)).narration),
            (0, None),
            "event 3 is still due at 20"
        );
        assert_eq!(v(at(3, 19, false)).passed, 0, "three events, but the stop's clock is later");
        let on = v(at(3, 20, false));
        assert_eq!((on.narration.clone(), on.at_pause), (Some((1, "first".into())), true));
        assert_eq!(on.next_label(), "Next pause ▶");
        let after = v(at(4, 20, false));
        assert_eq!(
            (after.passed, after.at_pause),
            (1, false),
            "one event on: the narration stays, the pause is behind"
        );
        assert_eq!(v(at(9, 60, false)).next_label(), "Reveal ▶");
        let end = v(at(9, 90, true));
        assert!(end.revealed && end.at_pause);
        assert_eq!(end.caption(), Some("r"), "the caption at the end is the reveal, not pause 2's narration");
        assert_eq!(p.next(at(3, 20, false)), Some(p.stops[1]));
        assert_eq!(p.previous(at(3, 20, false)), None, "on the first stop: none behind it");
        assert_eq!(p.previous(at(5, 30, false)), Some(p.stops[0]));
        assert_eq!(p.next(at(7, 50, false)), None);
    }

    #[test]
    fn a_scripted_lesson_is_placed_by_its_written_steps() {
        let l = lesson(true);
        let pos = |events: u64| Position { scripted: true, now_ns: 0, events, finished: false };
        assert_eq!(LessonView::new(&l, pos(1)).passed, 0);
        assert_eq!(LessonView::new(&l, pos(2)).narration, Some((1, "first".into())));
        assert_eq!(LessonView::new(&l, pos(9)).narration, Some((2, "second".into())));
    }

    #[test]
    fn the_question_comes_before_the_first_event_and_is_the_first_caption() {
        let l = lesson(true);
        let v = LessonView::new(&l, Position { scripted: true, now_ns: 0, events: 0, finished: false });
        assert!(v.at_start);
        assert_eq!(v.caption(), Some("q?"));
        assert!(!LessonView::new(&l, Position { scripted: true, now_ns: 0, events: 1, finished: false }).at_start);
    }
}
