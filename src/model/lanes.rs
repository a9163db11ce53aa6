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

use super::controls::{ring_entries, set_ring_entries};
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
        screen.compare_reapers.retain(|p| ReaperPolicy::from_name(p).is_some());
        screen.compare_reapers.dedup();
        screen.compare_reapers.truncate(MAX_MODELS);
        let current = &screen.scenario;
        let lanes: Vec<(LaneName, Scenario)> = if screen.compare_reapers.len() >= MIN_MODELS {
            screen.compare_reapers.iter().filter_map(|p| reaper_lane(current, p)).collect()
        } else if screen.compare.len() >= MIN_MODELS {
            screen.compare.iter().filter_map(|m| model_lane(current, m)).collect()
        } else {
            Vec::new()
        };
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
    if current.model.name() == model {
        return Some(current.clone());
    }
    let mut s = current.clone();
    s.model = ModelSpec::default_for(ModelKind::from_name(model)?);
    let default = s.clone();
    set_ring_entries(&mut s.model, ring_entries(&current.model));
    if s.validate().is_ok() {
        Some(s)
    } else if default.validate().is_ok() {
        Some(default)
    } else {
        None
    }
}

/// A lane for `model` beside `current` (its scenario, and its label), if the model exists.
fn model_lane(current: &Scenario, model: &str) -> Option<(LaneName, Scenario)> {
    let s = lane_scenario(current, model)?;
    Some((LaneName { model: model.to_string(), reaper: None, label: model.to_string() }, s))
}

/// A lane for the current scenario under reaper `policy`, if the policy exists: the
/// same model, workload and seed, reaped another way.
fn reaper_lane(current: &Scenario, policy: &str) -> Option<(LaneName, Scenario)> {
    let mut s = current.clone();
    s.reaper.policy = ReaperPolicy::from_name(policy)?;
    let name = LaneName {
        model: s.model.name().to_string(),
        reaper: Some(policy.to_string()),
        label: format!("{policy} reaper"),
    };
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
    let order = |p: &String| ReaperPolicy::ALL.iter().position(|a| a.name() == p).unwrap_or(usize::MAX);
    next.sort_by_key(order);
    next
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
    let order = |m: &String| ModelKind::from_name(m).map_or(usize::MAX, |k| k as usize);
    next.sort_by_key(order);
    next
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
        pick("syscalls skipped", &|v| v.counters.syscalls_skipped),
        pick("timer fires", &|v| v.counters.timer_fires),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
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
