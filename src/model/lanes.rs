//! Compare mode: other models run the same workload side by side, each in its own
//! [`Timeline`], moved to the main run's instant (the shared clock). The runs live in the
//! model ([`LaneRun`]); what is drawn of them is the [`Comparison`], with its counters
//! table ([`rows`]).
//!
//! Which scenario each compared model runs: the current scenario's workload (or steps),
//! reaper and seed, with that model's default parameters; its ring size is set to the
//! current ring size when the model allows that size (the core's validation decides), and
//! is the model's default otherwise. The current model itself runs the current scenario
//! unchanged.

use super::counter_rows::shared_call_labels;
use super::{AppModel, ById};
use ringlab_core::model::{ModelKind, ModelSpec};
use ringlab_core::{ReaperPolicy, Scenario, Sim, Timeline, ViewModel};
use std::rc::Rc;

/// What a compared run is: its model, and its reaper when the lanes compare reapers.
#[derive(Clone, Debug, PartialEq)]
struct LaneName {
    model: String,
    reaper: Option<String>,
    label: String,
}

/// One compared run.
#[derive(Clone, Debug)]
pub(super) struct LaneRun {
    name: LaneName,
    timeline: Timeline,
}

impl LaneRun {
    fn new(name: LaneName, scenario: &Scenario) -> Option<LaneRun> {
        Some(LaneRun { name, timeline: Timeline::new(Sim::new(scenario).ok()?) })
    }

    /// Moves this run to the main run's instant: the same simulated time, or for scripted
    /// runs the same number of steps.
    fn seek(&mut self, scripted: bool, now_ns: u64, events: u64) {
        if scripted {
            self.timeline.seek_events(events);
        } else {
            self.timeline.seek_time(now_ns);
        }
    }

    /// Up to `max` events towards the main run's instant; whether it is there.
    fn advance(&mut self, scripted: bool, now_ns: u64, events: u64, max: u64) -> bool {
        let tl = &mut self.timeline;
        if scripted {
            tl.rewind_to_events(events);
            for _ in 0..max {
                if tl.sim().events() >= events || tl.step().is_none() {
                    break;
                }
            }
            tl.sim().events() >= events || tl.sim().is_finished()
        } else {
            tl.rewind_to_time(now_ns);
            tl.advance_to(now_ns, max) < max
        }
    }

    /// Whether this run is at the main run's instant.
    fn at(&self, scripted: bool, now_ns: u64, events: u64) -> bool {
        let sim = self.timeline.sim();
        if scripted {
            sim.events() == events || (sim.events() < events && sim.is_finished())
        } else {
            sim.now() == now_ns && sim.next_event_at().is_none_or(|at| at > now_ns)
        }
    }

    fn view(&self) -> LaneView {
        let sim = self.timeline.sim();
        let name = self.name.clone();
        LaneView {
            model: name.model,
            reaper: name.reaper,
            label: name.label,
            view: Rc::new(sim.view()),
            run_hash: sim.run_hash(),
        }
    }

    /// Whether `view` shows this run's instant.
    fn shows(&self, view: &LaneView) -> bool {
        let sim = self.timeline.sim();
        (view.view.now_ns, view.view.events) == (sim.now(), sim.events())
    }
}

/// What is drawn of one compared run.
#[derive(Clone, Debug, PartialEq)]
pub struct LaneView {
    /// The run's model (its name).
    pub model: String,
    /// The run's reaper policy, when the lanes compare reapers on one model.
    pub reaper: Option<String>,
    /// How the lane is labelled: the model, or the reaper policy.
    pub label: String,
    pub view: Rc<ViewModel>,
    pub run_hash: String,
}

/// The compared models side by side (empty: compare mode is off).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Comparison {
    pub lanes: Vec<LaneView>,
}

impl AppModel {
    /// Starts the compared runs afresh for `screen.compare` (models) or, when it names
    /// reaper policies instead, `screen.compare_reapers` (the current model under each
    /// policy). Each list is cleaned up: known names, no repeats, at most [`MAX_MODELS`];
    /// fewer than two is no comparison.
    pub(super) fn rebuild_comparison(&mut self) {
        let screen = &mut self.screen;
        screen.compare.retain(|m| ModelKind::from_name(m).is_some());
        screen.compare.dedup();
        screen.compare.truncate(MAX_MODELS);
        screen.compare_reapers.retain(|p| reaper_lane(&screen.scenario, p).is_some());
        screen.compare_reapers.dedup();
        screen.compare_reapers.truncate(MAX_MODELS);
        let lanes = lanes_of(&screen.scenario, &screen.compare, &screen.compare_reapers);
        self.lanes = lanes.into_iter().filter_map(|(name, s)| LaneRun::new(name, &s)).collect();
        let lanes = self.lanes.iter().map(LaneRun::view).collect();
        self.screen.comparison = ById::new(Comparison { lanes });
        if !self.seeking() {
            self.catch_up_lanes(); // the new runs start at 0
        }
    }

    /// Moves every compared run to the shared clock. With `rebuild`, every lane's view is
    /// rebuilt; otherwise only those of the runs that processed an event (and the
    /// comparison stays the same if none did).
    pub(super) fn follow(&mut self, rebuild: bool) {
        if self.lanes.is_empty() {
            return;
        }
        self.follow_lazy();
        let old = &self.screen.comparison.lanes;
        let changed: Vec<bool> = self
            .lanes
            .iter()
            .zip(old)
            .map(|(run, view)| rebuild || run.timeline.sim().events() != view.view.events)
            .collect();
        if !changed.contains(&true) {
            return;
        }
        let lanes = self
            .lanes
            .iter()
            .zip(old)
            .zip(changed)
            .map(|((run, view), changed)| if changed { run.view() } else { view.clone() })
            .collect();
        self.screen.comparison = ById::new(Comparison { lanes });
    }

    /// Up to `max` events of each compared run towards the shared clock (a slice of a
    /// seek); whether all are there.
    pub(super) fn lanes_slice(&mut self, max: u64) -> bool {
        let (scripted, clock) = (self.screen.frame.scripted, self.clock);
        let mut all = true;
        for run in &mut self.lanes {
            all &= run.advance(scripted, clock.now_ns, clock.events, max);
        }
        all
    }

    /// Whether every compared run is at the shared clock.
    pub(super) fn lanes_at_clock(&self) -> bool {
        let (scripted, clock) = (self.screen.frame.scripted, self.clock);
        self.lanes.iter().all(|run| run.at(scripted, clock.now_ns, clock.events))
    }

    /// Moves every compared run to the shared clock but keeps their views (while playing,
    /// between two turns); [`AppModel::rebuild_lane`] rebuilds them.
    pub(super) fn follow_lazy(&mut self) {
        let (scripted, clock) = (self.screen.frame.scripted, self.clock);
        for run in &mut self.lanes {
            run.seek(scripted, clock.now_ns, clock.events);
        }
    }

    /// Rebuilds the view of compared run `i` at its run's instant.
    pub(super) fn rebuild_lane(&mut self, i: usize) {
        let lanes = self
            .screen
            .comparison
            .lanes
            .iter()
            .enumerate()
            .map(|(k, view)| if k == i { self.lanes[k].view() } else { view.clone() })
            .collect();
        self.screen.comparison = ById::new(Comparison { lanes });
    }

    /// Whether compared run `i`'s view shows its run's instant (true past the last run).
    pub(super) fn lane_current(&self, i: usize) -> bool {
        match (self.lanes.get(i), self.screen.comparison.lanes.get(i)) {
            (Some(run), Some(view)) => run.shows(view),
            _ => true,
        }
    }

    /// Whether every compared run's view is at its run's instant.
    pub(super) fn lanes_current(&self) -> bool {
        (0..self.lanes.len()).all(|i| self.lane_current(i))
    }
}

/// Most models shown side by side.
pub const MAX_MODELS: usize = 4;
/// Fewest models that make a comparison.
pub const MIN_MODELS: usize = 2;

/// The scenario `model` runs in a comparison with `current`, or `None` for an unknown model.
pub fn lane_scenario(current: &Scenario, model: &str) -> Option<Scenario> {
    // The core's definition, so that a lesson's checked lanes are the lanes on screen.
    let s = ringlab_core::sweep::with_model(current, ModelKind::from_name(model)?);
    s.validate().is_ok().then_some(s)
}

/// The compared runs beside `current`: under each reaper policy of `reapers` when it
/// names two or more, otherwise each model of `models` (fewer than two: none).
fn lanes_of(current: &Scenario, models: &[String], reapers: &[String]) -> Vec<(LaneName, Scenario)> {
    if reapers.len() >= MIN_MODELS {
        reapers.iter().filter_map(|p| reaper_lane(current, p)).collect()
    } else if models.len() >= MIN_MODELS {
        models.iter().filter_map(|m| model_lane(current, m)).collect()
    } else {
        Vec::new()
    }
}

/// [`lanes_of`] named as a lesson's `expect_lanes` name them: by reaper policy, or model.
pub(super) fn lane_scenarios(current: &Scenario, models: &[String], reapers: &[String]) -> Vec<(String, Scenario)> {
    lanes_of(current, models, reapers).into_iter().map(|(n, s)| (n.reaper.unwrap_or(n.model), s)).collect()
}

/// A lane for `model` beside `current` (its scenario, and its label), if the model exists.
fn model_lane(current: &Scenario, model: &str) -> Option<(LaneName, Scenario)> {
    let s = lane_scenario(current, model)?;
    Some((LaneName { model: model.to_string(), reaper: None, label: model.to_string() }, s))
}

/// A lane for the current scenario under reaper `policy`, if the policy exists: the
/// same model, workload and seed, reaped another way. `policy/timer` and `policy/no-timer`
/// also turn the proposal's flush timer on (at the model's default period) or off, so
/// that an option is compared on the same run too.
fn reaper_lane(current: &Scenario, lane: &str) -> Option<(LaneName, Scenario)> {
    let (policy, toggle) = lane.split_once('/').map_or((lane, None), |(p, t)| (p, Some(t)));
    let mut s = current.clone();
    s.reaper.policy = ReaperPolicy::from_name(policy)?;
    let mut label = format!("{policy} reaper");
    if let Some(toggle) = toggle {
        let ModelSpec::Proposal(p) = &mut s.model else { return None };
        let ModelSpec::Proposal(default) = ModelSpec::default_for(ModelKind::Proposal) else { return None };
        (p.timer_ns, label) = match toggle {
            "timer" => (p.timer_ns.max(default.timer_ns), label + ", timer on"),
            "no-timer" => (0, label + ", no timer"),
            _ => return None,
        };
    }
    let name = LaneName { model: s.model.name().to_string(), reaper: Some(lane.to_string()), label };
    Some((name, s))
}

/// The compared reaper policies after toggling `policy`: at most [`MAX_MODELS`], in the
/// order of `ReaperPolicy::ALL`.
pub fn toggle_reaper(policies: &[String], policy: &str) -> Vec<String> {
    let mut next: Vec<String> = policies.to_vec();
    if let Some(i) = next.iter().position(|p| p == policy) {
        next.remove(i);
    } else if next.len() < MAX_MODELS && ReaperPolicy::from_name(policy).is_some() {
        next.push(policy.to_string());
    }
    in_order(next, &|p| ReaperPolicy::ALL.iter().position(|a| a.name() == p).unwrap_or(usize::MAX))
}

/// The compared models after toggling `model` in `models`: at most [`MAX_MODELS`], in
/// the order the models are listed in `ModelKind::ALL`.
pub fn toggle_model(models: &[String], model: &str) -> Vec<String> {
    let mut next: Vec<String> = models.to_vec();
    if let Some(i) = next.iter().position(|m| m == model) {
        next.remove(i);
    } else if next.len() < MAX_MODELS && ModelKind::from_name(model).is_some() {
        next.push(model.to_string());
    }
    in_order(next, &|m| ModelKind::from_name(m).map_or(usize::MAX, |k| k as usize))
}

/// `names` sorted by `rank`, stably: one sort for both toggles (each `sort_by_key` with its
/// own closure was another copy of the standard library's sort in the wasm bundle).
fn in_order(names: Vec<String>, rank: &dyn Fn(&str) -> usize) -> Vec<String> {
    let mut ranked: Vec<(usize, String)> = names.into_iter().map(|n| (rank(&n), n)).collect();
    ranked.sort_by_key(|r| r.0);
    ranked.into_iter().map(|r| r.1).collect()
}

/// One row of the counters table: a name and one value per model.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub name: &'static str,
    pub values: Vec<u64>,
}

impl Row {
    /// Whether the models disagree on this counter (the row is highlighted).
    pub fn differs(&self) -> bool {
        self.values.windows(2).any(|w| w[0] != w[1])
    }
}

/// The counters of each model's view, one row per counter.
pub fn rows(views: &[&ViewModel]) -> Vec<Row> {
    let pick =
        |name: &'static str, f: &dyn Fn(&ViewModel) -> u64| Row { name, values: views.iter().map(|v| f(v)).collect() };
    let (submit, getevents) = shared_call_labels(&views.iter().map(|v| v.model).collect::<Vec<_>>());
    vec![
        pick("ring size", &|v| v.ring.entries as u64),
        pick("in ring", &|v| v.ring.len as u64),
        pick("on the list", &|v| v.overflow_list.len() as u64),
        pick("in flight", &|v| v.in_flight as u64),
        pick("submitted", &|v| v.counters.submitted),
        pick("completed", &|v| v.counters.completed),
        pick("reaped", &|v| v.counters.reaped()),
        pick("overflowed", &|v| v.counters.overflowed),
        pick("flushed", &|v| v.counters.flushed_total()),
        pick("dropped", &|v| v.counters.dropped),
        pick("EAGAIN", &|v| v.counters.eagain),
        pick("EBUSY", &|v| v.counters.ebusy),
        pick("syscalls", &|v| v.counters.syscalls),
        pick(submit, &|v| v.counters.submit_calls),
        pick(getevents, &|v| v.counters.getevents_calls),
        pick("syscalls skipped", &|v| v.counters.syscalls_skipped),
        pick("timer fires", &|v| v.counters.timer_fires),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::controls::{ring_entries, set_ring_entries};
    use ringlab_core::lessons::default_scenario;
    use ringlab_core::Sim;

    #[test]
    fn each_model_keeps_the_workload_reaper_and_seed() {
        let current = default_scenario();
        for name in ModelSpec::NAMES {
            let s = lane_scenario(&current, name).expect(name);
            assert_eq!(s.model.name().to_string(), name.to_string());
            assert_eq!((s.seed, &s.reaper, &s.workload), (current.seed, &current.reaper, &current.workload));
            Sim::new(&s).expect("a compared scenario is valid");
        }
        assert_eq!(lane_scenario(&current, current.model.name()), Some(current.clone()));
        assert_eq!(lane_scenario(&current, "nope"), None);
    }

    #[test]
    fn the_ring_size_is_matched_where_the_model_allows_it() {
        let mut current = default_scenario();
        current.model = ModelSpec::default_for(ModelKind::Proposal);
        set_ring_entries(&mut current.model, 16);
        let uring = lane_scenario(&current, "io_uring").unwrap();
        assert_eq!(ring_entries(&uring.model), 16);
        let aio = lane_scenario(&current, "aio").unwrap();
        assert_eq!(ring_entries(&aio.model), 16);
    }

    #[test]
    fn toggling_keeps_at_most_four_in_a_fixed_order() {
        let mut m: Vec<String> = vec![];
        for name in ModelSpec::NAMES {
            m = toggle_model(&m, name);
        }
        assert_eq!(m.len(), MAX_MODELS);
        let m2 = toggle_model(&m, &m[0].clone());
        assert_eq!(m2.len(), MAX_MODELS - 1);
        assert_eq!(toggle_model(&[], "bogus"), Vec::<String>::new());
    }

    #[test]
    fn a_reaper_lane_can_turn_the_timer_on_or_off() {
        let stuck = ringlab_core::lessons::lesson("stuck").unwrap(); // the proposal, no timer
        let (name, on) = reaper_lane(&stuck, "ring/timer").unwrap();
        assert_eq!(name.label, "ring reaper, timer on");
        let (_, off) = reaper_lane(&on, "ring/no-timer").unwrap();
        let timer = |s: &Scenario| match &s.model {
            ModelSpec::Proposal(p) => p.timer_ns,
            _ => unreachable!(),
        };
        assert!(timer(&on) > 0 && timer(&off) == 0);
        assert_eq!((on.workload, on.seed), (stuck.workload.clone(), stuck.seed), "the same run");
        assert!(reaper_lane(&stuck, "ring/bogus").is_none());
        let uring = lane_scenario(&stuck, "io_uring").unwrap();
        assert!(reaper_lane(&uring, "ring/timer").is_none(), "only the proposal has the timer");
        // Side by side, the timer rescues what the ring reaper strands.
        let mut m = AppModel::new(stuck).unwrap();
        m.update(crate::model::Action::SetCompareReapers(vec!["ring".into(), "ring/timer".into()]));
        m.update(crate::model::Action::Seek(m.end_ns()));
        let lanes = &m.screen.comparison.lanes;
        assert_eq!(lanes.len(), 2);
        let list = |i: usize| lanes[i].view.overflow_list.len();
        assert!(list(0) > 0 && list(1) == 0, "stranded without the timer, none with it");
    }

    #[test]
    fn rows_flag_differences() {
        let a = Sim::new(&default_scenario()).unwrap().view();
        let mut b = a.clone();
        b.counters.dropped += 1;
        let rows = rows(&[&a, &b]);
        let dropped = rows.iter().find(|r| r.name == "dropped").unwrap();
        assert!(dropped.differs());
        assert!(!rows.iter().find(|r| r.name == "submitted").unwrap().differs());
    }
}
