//! A lecture: an ordered path through lessons (`ringlab_core::lessons::LECTURES`, link key
//! `lecture=<name>`). Each lesson opens at its start with its goal; at a lesson's reveal,
//! "next" opens the next lesson of the path, and the lesson panel says where the class
//! stands ("lesson 3 of 8").

use super::AppModel;
use ringlab_core::lessons::{self, Lecture, LECTURES};

/// Where a run stands in a lecture.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LecturePos {
    /// The lecture's link name.
    pub name: String,
    /// Which of its lessons is open, from 0.
    pub index: usize,
}

/// A lecture by its link name.
pub fn lecture(name: &str) -> Option<&'static Lecture> {
    LECTURES.iter().find(|l| l.name == name)
}

impl AppModel {
    /// "Class: lesson 3 of 8", and whether another lesson follows this one.
    pub(super) fn lecture_progress(&self) -> Option<(String, bool)> {
        let at = self.screen.lecture.as_ref()?;
        let l = lecture(&at.name)?;
        let n = l.lessons.len();
        Some((format!("{}: lesson {} of {n}", l.title, at.index + 1), at.index + 1 < n))
    }

    /// From a lesson's reveal, opens the next lesson of the lecture; whether there was one.
    pub(super) fn lecture_next(&mut self) -> bool {
        self.lecture_move(1)
    }

    /// From a lesson's start, opens the previous lesson of the lecture.
    pub(super) fn lecture_previous(&mut self) {
        self.lecture_move(-1);
    }

    fn lecture_move(&mut self, by: isize) -> bool {
        let Some(at) = self.screen.lecture.clone() else { return false };
        at.index.checked_add_signed(by).is_some_and(|i| self.open_lecture(&at.name, i))
    }

    /// Opens lesson `index` of lecture `name` at its start, keeping the presentation;
    /// whether there is such a lesson.
    pub(super) fn open_lecture(&mut self, name: &str, index: usize) -> bool {
        let Some(lesson) = lecture(name).and_then(|l| l.lessons.get(index)) else { return false };
        let Some(scenario) = lessons::lesson(lesson) else { return false };
        self.open_scenario(scenario, Some(lesson.to_string()));
        self.join_lecture(name);
        true
    }

    /// Marks the open lesson as part of lecture `name` (nothing when it is not one of its
    /// lessons), and redraws the panel's progress.
    pub(super) fn join_lecture(&mut self, name: &str) {
        let lesson = self.screen.lesson_name.as_deref();
        let index = lecture(name).and_then(|l| l.lessons.iter().position(|n| Some(*n) == lesson));
        self.screen.lecture = index.map(|index| LecturePos { name: name.to_string(), index });
        self.refresh();
    }
}

impl AppModel {
    /// A link's `lecture=<name>`: its lesson, when it is one of the lecture's, is that
    /// lesson of the lecture; otherwise the lecture opens at its first lesson.
    pub(super) fn open_link_lecture(&mut self, name: &str) {
        self.join_lecture(name);
        if self.screen.lecture.is_none() {
            let note = std::mem::take(&mut self.screen.note);
            let problems = std::mem::take(&mut self.screen.link_problems);
            self.open_lecture(name, 0);
            (self.screen.note, self.screen.link_problems) = (note, problems);
        }
    }
}
