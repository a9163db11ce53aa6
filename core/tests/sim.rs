//! User journeys through stochastic runs: what a person watching the playground sees.

use ringlab_core::trace::FlushTrigger;
use ringlab_core::{Scenario, Sim, Timeline};

const DEFAULT: &str = include_str!("../../scenarios/default.toml");

fn scenario(extra: &str) -> Scenario {
    Scenario::from_toml_str(&format!("{DEFAULT}\n{extra}")).expect("valid scenario")
}

fn with(model: &str, reaper: &str) -> Scenario {
    let text = DEFAULT.split("[model]").next().unwrap().to_string()
        + model
        + "\n"
        + reaper
        + "\n"
        + &DEFAULT[DEFAULT.find("[[workload.phases]]").unwrap()..];
    Scenario::from_toml_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

#[test]
fn default_scenario_fills_the_ring_and_spills_onto_the_list() {
    let mut sim = Sim::new(&scenario("")).unwrap();
    let mut saw_full = false;
    let mut saw_list = false;
    while sim.now() < sim.end_ns() {
        sim.step();
        let v = sim.view();
        saw_full |= v.ring.len == v.ring.capacity;
        saw_list |= !v.overflow_list.is_empty();
        assert_eq!(v.flag, Some(!v.overflow_list.is_empty()));
        assert!(v.ledger.holds, "{:?}", v.ledger);
    }
    assert!(saw_full && saw_list);
    let v = sim.view();
    assert_eq!(v.counters.dropped, 0, "the proposal never loses a completion");
    assert_eq!(v.counters.reaped(), v.counters.submitted, "everything is eventually reaped");
    // The mail's case: all reaping is done from userspace, so once completions stop the
    // reaper sees an empty ring while events wait on the list, until the timer flushes them.
    assert_eq!(sim.scenario().reaper.policy, ringlab_core::ReaperPolicy::Ring);
    assert_eq!(v.counters.flushed_by(FlushTrigger::Timer), 5, "{:?}", v.counters);
    assert!(v.reap_latency.max >= 1_900_000, "some events waited a timer period");
}

#[test]
fn userspace_reaper_misses_the_list_until_the_timer_fires_libaio_does_not() {
    let model = "[model]\nkind = \"proposal\"\nring_entries = 8\nmax_requests = 64\ntimer_ns = 3_000_000\n";
    let reaper = "[reaper]\npolicy = \"ring\"\ninterval_ns = 1_000_000\nbatch = 64\n";
    let mut sim = Sim::new(&with(model, reaper)).unwrap();
    sim.run_until(40_000_000);
    let v = sim.view();
    let c = v.counters.clone();
    assert!(c.flushed_by(FlushTrigger::Timer) > 0, "the timer rescued them: {c:?}");
    assert!(v.overflow_list.is_empty());
    assert_eq!(c.reaped(), c.submitted);

    // The same without a timer: events stay stuck on the list.
    let model = "[model]\nkind = \"proposal\"\nring_entries = 8\nmax_requests = 64\ntimer_ns = 0\n";
    let mut sim = Sim::new(&with(model, reaper)).unwrap();
    sim.run_until(sim.end_ns());
    let v = sim.view();
    assert!(!v.overflow_list.is_empty(), "events stuck on the list");
    assert_eq!(v.ring.len, 0, "while the ring looks empty");
    assert_eq!(v.flag, Some(true));

    // libaio, no timer: its syscalls refill the ring as they copy out (B4b, B8.i), so
    // it never sees head == tail while events wait.
    let libaio = "[reaper]\npolicy = \"libaio\"\ninterval_ns = 1_000_000\nbatch = 64\n";
    let mut sim = Sim::new(&with(model, libaio)).unwrap();
    sim.run_until(sim.end_ns());
    let v = sim.view();
    assert!(v.counters.overflowed > 0);
    assert!(v.overflow_list.is_empty(), "nothing stranded under libaio");
    assert_eq!(v.counters.reaped(), v.counters.submitted);

    // The flag-aware reaper rescues them with a syscall.
    let reaper = "[reaper]\npolicy = \"ring+flag\"\ninterval_ns = 1_000_000\nbatch = 64\n";
    let mut sim = Sim::new(&with(model, reaper)).unwrap();
    sim.run_until(sim.end_ns());
    let v = sim.view();
    assert!(v.overflow_list.is_empty());
    assert!(v.counters.flushed_by(FlushTrigger::Syscall) > 0);
}

#[test]
fn io_uring_5_1_drops_and_counts() {
    let model = "[model]\nkind = \"io_uring-5.1\"\nsq_entries = 2\n";
    let reaper = "[reaper]\npolicy = \"ring\"\ninterval_ns = 1_000_000\nbatch = 2\n";
    let mut sim = Sim::new(&with(model, reaper)).unwrap();
    sim.run_until(sim.end_ns());
    let v = sim.view();
    assert!(v.counters.dropped > 0);
    assert_eq!(v.counters.dropped, v.overflow_counter as u64);
    assert!(v.ledger.holds);
    assert_eq!(v.flag, None);
}

#[test]
fn step_back_restores_the_previous_state_exactly() {
    let mut timeline = Timeline::new(Sim::new(&scenario("")).unwrap());
    let mut views = vec![timeline.sim().view()];
    for _ in 0..300 {
        timeline.step();
        views.push(timeline.sim().view());
    }
    for expected in views.iter().rev().skip(1) {
        assert!(timeline.step_back());
        assert_eq!(&timeline.sim().view(), expected);
    }
    assert!(!timeline.step_back(), "nothing before the start");
    timeline.seek_events(150);
    assert_eq!(timeline.sim().view(), views[150]);
    let t = views[200].now_ns;
    timeline.seek_time(t);
    assert_eq!(timeline.sim().view().counters, views[200..].iter().rev().find(|v| v.now_ns <= t).unwrap().counters);
}

#[test]
fn large_rings_aggregate_into_arcs_with_exact_occupancy() {
    let model = "[model]\nkind = \"io_uring\"\nsq_entries = 32768\ncq_entries = 65536\n";
    let reaper = "[reaper]\npolicy = \"ring\"\ninterval_ns = 100_000_000\nbatch = 1\n";
    let mut sim = Sim::new(&with(model, reaper)).unwrap();
    sim.run_until(300_000);
    let v = sim.view();
    assert_eq!(v.ring.entries, 65536);
    assert_eq!(v.ring.slots.len(), 64);
    assert!(v.ring.slots.iter().all(|s| s.slots == 1024));
    let occupied: u32 = v.ring.slots.iter().map(|s| s.occupied).sum();
    assert_eq!(occupied, v.ring.len);
    assert!(v.ring.len > 0);
}

#[test]
fn bad_scenarios_name_the_field_and_range() {
    let cases = [
        (
            "[model]\nkind = \"proposal\"\nring_entries = 0\n",
            "model.ring_entries: 0 is out of range; allowed 2 to 65536",
        ),
        ("[model]\nkind = \"io_uring\"\nsq_entries = 0\n", "model.sq_entries: 0 is out of range"),
        (
            "[model]\nkind = \"io_uring\"\nsq_entries = 4\ncq_entries = 70000\n",
            "model.cq_entries: 70000 is out of range; allowed 1 to 65536",
        ),
        ("[model]\nkind = \"aio\"\nnr_events = 70000\n", "model.nr_events"),
        ("[model]\nkind = \"uring\"\n", "unknown variant `uring`"),
        ("[model]\nkind = \"proposal\"\nflags = true\n", "unknown field `flags`"),
    ];
    for (model, expected) in cases {
        let e = Scenario::from_toml_str(&format!("{model}\n[[workload.phases]]\nduration_ns = 1000\n"))
            .unwrap_err()
            .to_string();
        assert!(e.contains(expected), "{model}: {e}");
    }
    let base = "[model]\nkind = \"proposal\"\n[[workload.phases]]\nduration_ns = 1000\n";
    for (extra, expected) in [
        ("submit_rate = nan\n", "workload.phases[0].submit_rate: NaN is out of range"),
        ("submit_rate = -5.0\n", "workload.phases[0].submit_rate: -5 is out of range"),
        ("latency = { dist = \"uniform\", min_ns = 10, max_ns = 5 }\n", "workload.phases[0].latency.max_ns"),
        (
            "latency = { dist = \"bimodal\", fast_ns = 1, slow_ns = 9, slow_fraction = 1.5 }\n",
            "slow_fraction: 1.5 is out of range",
        ),
    ] {
        let e = Scenario::from_toml_str(&format!("{base}{extra}")).unwrap_err().to_string();
        assert!(e.contains(expected), "{extra}: {e}");
    }
    let e = Scenario::from_toml_str("[model]\nkind = \"proposal\"\n").unwrap_err().to_string();
    assert!(e.contains("at least one phase"), "{e}");
}

#[test]
fn trace_and_series_stay_bounded_on_long_runs() {
    let mut sim = Sim::new(&scenario("")).unwrap();
    let mut s = sim.scenario().clone();
    s.workload.phases[0].duration_ns = 2_000_000_000;
    s.workload.phases[0].queue_depth = 32;
    sim = Sim::new(&s).unwrap();
    sim.run_until(2_000_000_000);
    assert!(sim.view().counters.completed > 50_000);
    assert!(sim.trace().len() <= ringlab_core::trace::Trace::DEFAULT_CAPACITY);
    assert!(sim.series().samples().len() <= ringlab_core::stats::Series::DEFAULT_CAPACITY);
}

/// The CLI and the browser read files through the same check: a scenario over the work
/// ceiling is refused with the fields to lower.
#[test]
fn a_scenario_file_over_the_work_ceiling_is_refused() {
    let text = "[model]\nkind = \"proposal\"\n[[workload.phases]]\nduration_ns = 50_000_000_000\nsubmit_rate = 100_000_000.0\n";
    let e = ringlab_core::Scenario::from_toml_str(text).unwrap_err().to_string();
    assert!(e.contains("workload.phases[0]") && e.contains("submit_rate") && e.contains("duration_ns"), "{e}");
    let json = r#"{"model": {"kind": "proposal"}, "reaper": {"interval_ns": 1}, "workload": {"phases": [{"duration_ns": 1000000000}]}}"#;
    let e = ringlab_core::Scenario::from_json_str(json).unwrap_err().to_string();
    assert!(e.contains("interval_ns") && e.contains("at most"), "{e}");
}
