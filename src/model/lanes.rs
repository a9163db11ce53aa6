//! Compare mode: other models run the same workload side by side, each in its own
//! [`Timeline`], moved to the main run's instant (the shared clock). The runs live in the
//! model ([`LaneRun`]); what is drawn of them is the [`Comparison`].

use super::{AppModel, ById};
use crate::compare;
use ringlab_core::{Scenario, Sim, Timeline, ViewModel};
use std::rc::Rc;

/// One compared model's run.
#[derive(Clone, Debug)]
pub(super) struct LaneRun {
    timeline: Timeline,
}

impl LaneRun {
    fn new(current: &Scenario, model: &str) -> Option<LaneRun> {
        let scenario = compare::lane_scenario(current, model)?;
        let sim = Sim::new(&scenario).ok()?;
        Some(LaneRun { timeline: Timeline::new(sim) })
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

    fn view(&self, model: &str) -> LaneView {
        let sim = self.timeline.sim();
        LaneView { model: model.to_string(), view: Rc::new(sim.view()), run_hash: sim.run_hash() }
    }

    /// Whether `view` shows this run's instant.
    fn shows(&self, view: &LaneView) -> bool {
        let sim = self.timeline.sim();
        (view.view.now_ns, view.view.events) == (sim.now(), sim.events())
    }
}

/// What is drawn of one compared model.
#[derive(Clone, Debug, PartialEq)]
pub struct LaneView {
    pub model: String,
    pub view: Rc<ViewModel>,
    pub run_hash: String,
}

/// The compared models side by side (empty: compare mode is off).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Comparison {
    pub lanes: Vec<LaneView>,
}

impl AppModel {
    /// Starts the compared runs afresh for `screen.compare` (cleaned up: known models,
    /// no repeats, at most [`compare::MAX_MODELS`]; fewer than two is no comparison).
    pub(super) fn rebuild_comparison(&mut self) {
        let names = &mut self.screen.compare;
        names.retain(|m| ringlab_core::ModelKind::from_name(m).is_some());
        names.dedup();
        names.truncate(compare::MAX_MODELS);
        let runs: Vec<(String, LaneRun)> = if names.len() >= compare::MIN_MODELS {
            names.iter().filter_map(|m| Some((m.clone(), LaneRun::new(&self.screen.scenario, m)?))).collect()
        } else {
            Vec::new()
        };
        let lanes = runs.iter().map(|(m, run)| run.view(m)).collect();
        self.lanes = runs.into_iter().map(|(_, run)| run).collect();
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
        let changed: Vec<bool> =
            self.lanes.iter().zip(old).map(|(run, view)| rebuild || run.timeline.sim().events() != view.view.events).collect();
        if !changed.contains(&true) {
            return;
        }
        let lanes = self
            .lanes
            .iter()
            .zip(old)
            .zip(changed)
            .map(|((run, view), changed)| if changed { run.view(&view.model) } else { view.clone() })
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
            .map(|(k, view)| if k == i { self.lanes[k].view(&view.model) } else { view.clone() })
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
