//! The lessons shipped in `scenarios/lessons/`, built into the binary so the app works
//! offline, and the check that each lesson's run shows what its text claims.

use crate::scenario::{PausePoint, Scenario};
use crate::sim::Sim;

/// Every lesson by link name, in teaching order.
pub const LESSONS: [(&str, &str); 13] = [
    ("stuck", include_str!("../../scenarios/lessons/stuck.toml")),
    ("timer", include_str!("../../scenarios/lessons/timer.toml")),
    ("flag", include_str!("../../scenarios/lessons/flag.toml")),
    ("libaio", include_str!("../../scenarios/lessons/libaio.toml")),
    ("decoupled", include_str!("../../scenarios/lessons/decoupled.toml")),
    ("aio-2012-eagain", include_str!("../../scenarios/lessons/aio-2012-eagain.toml")),
    ("aio-oversize", include_str!("../../scenarios/lessons/aio-oversize.toml")),
    ("io_uring-backlog", include_str!("../../scenarios/lessons/io_uring-backlog.toml")),
    ("io_uring-5.1-drops", include_str!("../../scenarios/lessons/io_uring-5.1-drops.toml")),
    ("reorder", include_str!("../../scenarios/lessons/reorder.toml")),
    ("reorder-fixed", include_str!("../../scenarios/lessons/reorder-fixed.toml")),
    ("io_uring-5.5-ebusy", include_str!("../../scenarios/lessons/io_uring-5.5-ebusy.toml")),
    ("trace-ring-size", include_str!("../../scenarios/lessons/trace-ring-size.toml")),
];

/// The default scenario (`scenarios/default.toml`).
pub const DEFAULT_SCENARIO: &str = include_str!("../../scenarios/default.toml");

// DEFAULT_SCENARIO_JSON and LESSONS_JSON: the same files converted to JSON by build.rs,
// so that no TOML parser is needed at run time (the browser build has none).
include!(concat!(env!("OUT_DIR"), "/scenarios_json.rs"));

/// A lesson's scenario by link name. (`#[inline]`: see `crate::json`.)
#[inline]
pub fn lesson(name: &str) -> Option<Scenario> {
    // The same names as LESSONS (the test below checks it), without the TOML text.
    LESSONS_JSON.iter().find(|(n, _)| *n == name).and_then(|(_, json)| Scenario::from_json_str(json).ok())
}

/// The default scenario, parsed. (`#[inline]`: see `crate::json`.)
#[inline]
pub fn default_scenario() -> Scenario {
    Scenario::from_json_str(DEFAULT_SCENARIO_JSON).expect("scenarios/default.toml is valid")
}

/// Plays `sim` forward to a pause point: a simulated time, or a scripted step.
pub fn run_to_pause(sim: &mut Sim, pause: &PausePoint) {
    if let Some(t) = pause.at_ns {
        sim.run_until(t);
    }
    if let Some(step) = pause.after_step {
        while sim.events() < step as u64 {
            if sim.step().is_none() {
                break;
            }
        }
    }
}

/// Plays a lesson's run through its pause points to the end and checks every
/// expectation; the error names the pause and what differed.
pub fn check(scenario: &Scenario) -> Result<(), String> {
    let lesson = scenario.lesson.as_ref().ok_or("not a lesson: no [lesson] table")?;
    let mut sim = Sim::new(scenario).map_err(|e| e.to_string())?;
    for (i, pause) in lesson.pauses.iter().enumerate() {
        run_to_pause(&mut sim, pause);
        pause.expect.check(&sim.view()).map_err(|e| format!("pause {} ({}): {e}", i + 1, short(&pause.narration)))?;
    }
    if scenario.steps.is_some() {
        while sim.step().is_some() {}
    } else {
        sim.run_until(sim.end_ns());
    }
    lesson.reveal_expect.check(&sim.view()).map_err(|e| format!("reveal: {e}"))
}

fn short(text: &str) -> String {
    text.chars().take(40).collect::<String>() + "…"
}

#[cfg(all(test, feature = "toml"))]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_json_is_the_toml() {
        assert_eq!(default_scenario(), Scenario::from_toml_str(DEFAULT_SCENARIO).unwrap());
        assert_eq!(LESSONS.len(), LESSONS_JSON.len(), "every lesson file is listed in LESSONS");
        for (name, text) in LESSONS {
            assert_eq!(lesson(name), Some(Scenario::from_toml_str(text).unwrap()), "{name}");
        }
        assert_eq!(lesson("nope"), None);
    }
}
