//! The lessons shipped in `scenarios/lessons/`, built into the binary so the app works
//! offline, and the check that each lesson's run shows what its text claims.

mod changes;
mod lecture;
mod stops;

pub use changes::setting_changes;
pub use lecture::{Lecture, LECTURES};
pub use stops::{play_to, play_to_end, stops, Stop, Tally};

use crate::kind::ModelKind;
use crate::reaper::ReaperPolicy;
use crate::scenario::{Expect, PausePoint, Scenario};
use crate::sim::Sim;
use std::collections::BTreeMap;

/// Every lesson by link name, in teaching order.
pub const LESSONS: [(&str, &str); 16] = [
    ("stuck", include_str!("../../scenarios/lessons/stuck.toml")),
    ("timer", include_str!("../../scenarios/lessons/timer.toml")),
    ("flag", include_str!("../../scenarios/lessons/flag.toml")),
    ("libaio", include_str!("../../scenarios/lessons/libaio.toml")),
    ("aio-2012-coupled", include_str!("../../scenarios/lessons/aio-2012-coupled.toml")),
    ("decoupled", include_str!("../../scenarios/lessons/decoupled.toml")),
    ("aio-2012-eagain", include_str!("../../scenarios/lessons/aio-2012-eagain.toml")),
    ("aio-oversize", include_str!("../../scenarios/lessons/aio-oversize.toml")),
    ("io_uring-backlog", include_str!("../../scenarios/lessons/io_uring-backlog.toml")),
    ("io_uring-5.1-drops", include_str!("../../scenarios/lessons/io_uring-5.1-drops.toml")),
    ("reorder", include_str!("../../scenarios/lessons/reorder.toml")),
    ("reorder-fixed", include_str!("../../scenarios/lessons/reorder-fixed.toml")),
    ("io_uring-5.5-ebusy", include_str!("../../scenarios/lessons/io_uring-5.5-ebusy.toml")),
    ("trace-ring-size", include_str!("../../scenarios/lessons/trace-ring-size.toml")),
    ("four-models", include_str!("../../scenarios/lessons/four-models.toml")),
    ("ring-size-sweep", include_str!("../../scenarios/lessons/ring-size-sweep.toml")),
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

/// Plays `sim` forward to a pause point (see [`play_to`]; a pause by event counts its
/// `nth` from here, and `last_completion` needs the whole run: [`stops`] has both right).
pub fn run_to_pause(sim: &mut Sim, pause: &PausePoint) {
    play_to(sim, pause, &mut Tally::default());
}

/// Plays a lesson's run through its pause points to the end and checks every expectation,
/// at each pause on the run and in each compared run (`compare`, `compare_reapers`) at the
/// pause's instant; the error names the pause, the run and what differed.
pub fn check(scenario: &Scenario) -> Result<(), String> {
    let lesson = scenario.lesson.as_ref().ok_or("not a lesson: no [lesson] table")?;
    let lanes = lanes(scenario)?;
    let mut failure = None;
    let mut sim = stops::walk(scenario, |i, sim, happened| {
        let pause = &lesson.pauses[i];
        let at = format!("pause {} ({})", i + 1, short(&pause.narration));
        let result = if !happened {
            Err(format!("{at}: the run has no {:?} event to stop on", pause.at_event.as_deref().unwrap_or("")))
        } else {
            check_lanes(&pause.expect, &pause.expect_lanes, sim, &lanes, Some(sim.now()))
                .map_err(|e| format!("{at}: {e}"))
        };
        failure = failure.take().or(result.err());
    })?;
    if let Some(e) = failure {
        return Err(e);
    }
    play_to_end(&mut sim);
    check_lanes(&lesson.reveal_expect, &lesson.reveal_expect_lanes, &sim, &lanes, None)
        .map_err(|e| format!("reveal: {e}"))
}

/// The compared runs a lesson opens with, by name: each compared model with the lesson's
/// workload (`crate::sweep::with_model`, as compare mode builds them), or the lesson's model
/// under each compared reaper policy.
fn lanes(scenario: &Scenario) -> Result<Vec<(String, Scenario)>, String> {
    let lesson = scenario.lesson.as_ref().ok_or("not a lesson")?;
    let mut out = Vec::new();
    for name in &lesson.compare {
        let kind = ModelKind::from_name(name).ok_or_else(|| format!("compare: no model {name:?}"))?;
        out.push((name.clone(), crate::sweep::with_model(scenario, kind)));
    }
    for name in &lesson.compare_reapers {
        let policy = ReaperPolicy::from_name(name).ok_or_else(|| format!("compare_reapers: no policy {name:?}"))?;
        let mut s = scenario.clone();
        s.reaper.policy = policy;
        out.push((name.clone(), s));
    }
    let named = lesson.pauses.iter().flat_map(|p| p.expect_lanes.keys()).chain(lesson.reveal_expect_lanes.keys());
    for name in named {
        if !out.iter().any(|(n, _)| n == name) {
            return Err(format!("expectations for {name:?}, which the lesson does not compare"));
        }
    }
    Ok(out)
}

/// Checks `expect` on `sim`, and each compared run's expectation on that run at `at`
/// (the shared clock) or, with `None`, at its end.
fn check_lanes(
    expect: &Expect,
    by_lane: &BTreeMap<String, Expect>,
    sim: &Sim,
    lanes: &[(String, Scenario)],
    at: Option<u64>,
) -> Result<(), String> {
    expect.check(&sim.view())?;
    for (name, want) in by_lane {
        let Some((_, scenario)) = lanes.iter().find(|(n, _)| n == name) else { continue };
        let mut lane = Sim::new(scenario).map_err(|e| format!("{name}: {e}"))?;
        match at {
            Some(t) => lane.run_until(t),
            None => play_to_end(&mut lane),
        }
        want.check(&lane.view()).map_err(|e| format!("in the {name} run, {e}"))?;
    }
    Ok(())
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
