//! Where a run stands in its lesson: which pause points it has passed, the narration to
//! show, whether the question (before playing) or the reveal (at the end) is due.
//!
//! Everything here is derived from the lesson text and the run's position, so stepping
//! back, scrubbing or reopening a link shows the right narration without extra state.
//! A stochastic lesson's position is simulated time (pauses at `at_ns`); a scripted
//! lesson's position is the number of steps run (pauses `after_step`).

use super::{AppModel, Target};
use ringlab_core::scenario::{Lesson, PausePoint};

/// The position of a run, in the unit its lesson's pause points use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub scripted: bool,
    pub now_ns: u64,
    pub events: u64,
    /// The run is over (its workload's end, or its last step).
    pub finished: bool,
}

impl Position {
    fn value(self) -> u64 {
        if self.scripted {
            self.events
        } else {
            self.now_ns
        }
    }
}

/// Where a pause point is, in the unit of `Position::value`.
pub fn pause_at(pause: &PausePoint, scripted: bool) -> u64 {
    if scripted {
        pause.after_step.map_or(0, u64::from)
    } else {
        pause.at_ns.unwrap_or(0)
    }
}

/// How many pause points the run has reached.
pub fn passed(lesson: &Lesson, pos: Position) -> usize {
    lesson.pauses.iter().filter(|p| pause_at(p, pos.scripted) <= pos.value()).count()
}

/// The next pause point ahead of the run, with its index.
pub fn next_pause(lesson: &Lesson, pos: Position) -> Option<(usize, &PausePoint)> {
    lesson.pauses.iter().enumerate().find(|(_, p)| pause_at(p, pos.scripted) > pos.value())
}

/// What the lesson panel shows.
#[derive(Clone, Debug, PartialEq)]
pub struct LessonView {
    pub goal: String,
    pub question: String,
    pub reveal: String,
    pub total: usize,
    pub passed: usize,
    /// The narration of the last pause point reached, numbered from 1.
    pub narration: Option<(usize, String)>,
    /// Before the first event: ask the question.
    pub at_start: bool,
    /// At the end of the run: show the reveal.
    pub revealed: bool,
}

impl LessonView {
    pub fn new(lesson: &Lesson, pos: Position) -> LessonView {
        let passed = passed(lesson, pos);
        let narration = passed.checked_sub(1).map(|i| (i + 1, lesson.pauses[i].narration.clone()));
        LessonView {
            goal: lesson.goal.clone(),
            question: lesson.question.clone(),
            reveal: lesson.reveal.clone(),
            total: lesson.pauses.len(),
            passed,
            narration,
            at_start: pos.events == 0 && passed == 0,
            revealed: pos.finished,
        }
    }

    /// The label of the button that goes on.
    pub fn next_label(&self) -> &'static str {
        if self.revealed {
            "Start again"
        } else if self.passed < self.total {
            "Next pause ▶"
        } else {
            "Reveal ▶"
        }
    }
}

impl AppModel {
    /// Jumps to the lesson's next pause point, or to the end after the last one; from
    /// the end, back to the start. Leaves the run paused.
    pub(super) fn lesson_next(&mut self) {
        let pos = self.position();
        let Some(lesson) = self.screen.scenario.lesson.clone() else { return };
        let target = if pos.finished {
            Target::Events(0)
        } else {
            match next_pause(&lesson, pos) {
                Some((_, p)) if pos.scripted => Target::Events(pause_at(p, true)),
                Some((_, p)) => Target::Time(pause_at(p, false)),
                None if pos.scripted => Target::Events(u64::MAX),
                None => Target::Time(self.end_ns()),
            }
        };
        self.seek_to(target);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lesson(scripted: bool) -> Lesson {
        let pause = |n: u64, text: &str| PausePoint {
            at_ns: (!scripted).then_some(n),
            after_step: scripted.then_some(n as u32),
            narration: text.into(),
            expect: Default::default(),
        };
        Lesson {
            goal: "g".into(),
            question: "q?".into(),
            pauses: vec![pause(2, "first"), pause(5, "second")],
            reveal: "r".into(),
            reveal_expect: Default::default(),
        }
    }

    fn at(scripted: bool, value: u64, finished: bool) -> Position {
        Position {
            scripted,
            now_ns: if scripted { 0 } else { value },
            events: if scripted { value } else { 1 },
            finished,
        }
    }

    #[test]
    fn narration_follows_the_position_both_ways() {
        for scripted in [false, true] {
            let l = lesson(scripted);
            let v = LessonView::new(&l, at(scripted, 1, false));
            assert_eq!((v.passed, v.narration.clone()), (0, None));
            let v = LessonView::new(&l, at(scripted, 2, false));
            assert_eq!(v.narration, Some((1, "first".into())));
            assert_eq!(v.next_label(), "Next pause ▶");
            let v = LessonView::new(&l, at(scripted, 9, false));
            assert_eq!(v.narration, Some((2, "second".into())));
            assert_eq!(v.next_label(), "Reveal ▶");
            let v = LessonView::new(&l, at(scripted, 9, true));
            assert!(v.revealed);
            assert_eq!(next_pause(&l, at(scripted, 3, false)).map(|(i, _)| i), Some(1));
            assert_eq!(next_pause(&l, at(scripted, 5, false)), None);
        }
    }

    #[test]
    fn the_question_comes_before_the_first_event() {
        let l = lesson(true);
        assert!(LessonView::new(&l, at(true, 0, false)).at_start);
        assert!(!LessonView::new(&l, at(true, 1, false)).at_start);
    }
}
