//! Compare mode: which scenario each compared model runs, and the counters table.
//!
//! The rule: every model gets the current scenario's workload (or steps), reaper and
//! seed, with that model's default parameters; its ring size is set to the current
//! ring size when the model allows that size (the core's validation decides), and is
//! the model's default otherwise. The current model itself runs the current scenario
//! unchanged.

use crate::controls_model::{ring_entries, set_ring_entries};
use ringlab_core::model::{ModelKind, ModelSpec};
use ringlab_core::view::ViewModel;
use ringlab_core::Scenario;

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
    let pick = |name: &'static str, f: &dyn Fn(&ViewModel) -> u64| Row { name, values: views.iter().map(|v| f(v)).collect() };
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
        assert_eq!(lane_scenario(&current, &current.model.name().to_string()), Some(current.clone()));
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
