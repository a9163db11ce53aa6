//! Lectures: ordered paths through the lessons (link key `lecture=<name>`), each lesson's
//! goal opening where the previous one's reveal left the story.

/// An ordered path through lessons, for a class.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lecture {
    /// Link name (`lecture=class-50`).
    pub name: &'static str,
    pub title: &'static str,
    /// About how long the class takes, in minutes: the sum of `lesson_minutes`.
    pub minutes: u32,
    /// Lesson link names, in order.
    pub lessons: &'static [&'static str],
    /// About how long each lesson takes, in minutes, in the order of `lessons`.
    pub lesson_minutes: &'static [u32],
}

/// Every lecture.
pub const LECTURES: &[Lecture] = &[Lecture {
    name: "class-50",
    title: "A 50-minute class",
    minutes: 50,
    // The mail's story in order: why decouple (2012 aio's admission), the list, the case
    // it strands, its two rescues, why libaio never hit it, io_uring without and with the
    // list, and the four kernels side by side. Each goal opens on the previous reveal.
    lessons: &[
        "aio-2012-coupled",
        "decoupled",
        "stuck",
        "timer",
        "flag",
        "libaio",
        "io_uring-5.1-drops",
        "io_uring-backlog",
        "four-models",
    ],
    lesson_minutes: &[6, 5, 7, 5, 6, 5, 4, 5, 7],
}];
