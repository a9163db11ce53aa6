//! [`Action`]: everything the user (or the animation frame) can do to the app model.

use super::controls::Control;
use ringlab_core::link::Decoded;
use std::rc::Rc;

/// What can happen to the app model ([`super::AppModel::update`]).
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// An animation frame; wall-clock milliseconds since the previous one.
    Tick(f64),
    TogglePlay,
    Step,
    StepBack,
    Reset,
    SetSpeed(i32),
    Faster,
    Slower,
    /// Go to simulated time `t` ns (the scrubber).
    Seek(u64),
    SetControl(Control, String),
    ToggleShortcuts,
    /// Turn the single-key shortcuts on or off (Escape always acts).
    SetShortcutsEnabled(bool),
    /// Escape: close the shortcuts, and stop a seek under way.
    CloseShortcuts,
    /// Hide the note about what just happened.
    DismissNotice,
    /// Stop playing (the presenter's `.` key); nothing else changes.
    Pause,
    /// Go on to the lesson's next pause point; after the last, to the end (the reveal);
    /// from the reveal, to the lecture's next lesson. Outside a lesson: one Step.
    LessonNext,
    /// Back to the lesson's previous pause point (or its start; from the start, the
    /// lecture's previous lesson). Outside a lesson: one Step back.
    LessonPrevious,
    /// Load the default scenario (`None`) or a lesson by its link name.
    ChooseScenario(Option<String>),
    /// Open a decoded share link (at start, or a pasted link on `hashchange`).
    OpenLink(Rc<Decoded>),
    DismissLinkProblems,
    TogglePresent,
    ToggleBlank,
    /// Compare these models (fewer than two: compare mode off).
    SetCompare(Vec<String>),
    /// Compare the current model under these reaper policies (fewer than two: off).
    SetCompareReapers(Vec<String>),
    /// A file's text, read by the shell from the trace loader (or why it could not be
    /// read): a trace to replay (parsed a slice per frame, see `trace_load.rs`) or a
    /// scenario file that bundles one.
    LoadTrace {
        name: String,
        text: Result<Rc<str>, String>,
    },
    /// Replay a built-in trace by name.
    ChooseTrace(String),
    /// The sweep view (`sweep.rs`): open, edit, cells in, cancel, open a cell's run.
    Sweep(super::sweep::SweepAction),
}
