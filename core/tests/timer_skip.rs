//! B7: the flush timer costs nothing while nothing changes. Fires that cannot move anything
//! (the ring full, the list non-empty, the timer re-arming) run in bulk; these tests run
//! the same scripts and scenarios fire by fire (`set_timer_skip(false)`) and in bulk, and
//! check that everything but the step count agrees: observation lines, counters, the
//! ring and the list, the flag, the trace, reap latencies.

use ringlab_core::model::proposal::{Admission, ProposalSpec};
use ringlab_core::model::RequestKind;
use ringlab_core::reaper::ReaperPolicy;
use ringlab_core::script::{self, ScriptRun, Step};
use ringlab_core::workload::{Latency, Phase};
use ringlab_core::{Kernel, ModelSpec, ReaperSpec, Scenario, Script, Sim, Timeline, Workload};

/// A small deterministic generator (splitmix64), so the cases need no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn coin(&mut self) -> bool {
        self.next() & 1 == 1
    }
}

fn proposal(rng: &mut Rng) -> ProposalSpec {
    ProposalSpec {
        ring_entries: 2 + rng.below(8) as u32,
        max_requests: 1 + rng.below(40) as u32,
        flag: rng.coin(),
        timer_ns: [0, 1, 1, 2, 3, 7, 100][rng.below(7) as usize],
        admission: if rng.coin() { Admission::InFlightAndList } else { Admission::InFlightListAndRing },
        append_behind: rng.below(4) != 0,
        drain_on_completion: rng.below(4) != 0,
        timer_rearm: rng.below(5) != 0,
    }
}

fn step(rng: &mut Rng) -> Step {
    match rng.below(20) {
        0..=4 => {
            Step::Submit { n: rng.below(20) as u32, kind: if rng.coin() { RequestKind::Io } else { RequestKind::Nop } }
        }
        5..=7 => Step::Complete { n: rng.below(12) as u32 },
        8..=9 => Step::Reap { n: rng.below(6) as u32 },
        10 => Step::Getevents { min: 0, max: rng.below(10) as u32 },
        11 => Step::Destroy {},
        _ => Step::Advance { ns: [0, 1, 2, 3, 5, 99, 100, 101, 1_000, 12_345][rng.below(10) as usize] },
    }
}

/// Every step's observation, and what the kernel holds after it, as text.
fn script_run(model: &ModelSpec, steps: &[Step], skip: bool, trace_capacity: usize) -> Vec<String> {
    let (mut run, setup) = ScriptRun::setup(model).expect("a valid model");
    run.set_timer_skip(skip);
    run.set_trace_capacity(trace_capacity);
    let mut out = vec![serde_json::to_string(&setup).unwrap()];
    for s in steps {
        let line = run.run_step(s);
        out.push(serde_json::to_string(&line).unwrap());
        out.push(kernel_state(run.kernel()));
    }
    out
}

fn kernel_state(k: &Kernel) -> String {
    format!(
        "{:?} deadline {:?} trace {} {:?}",
        k.counters(),
        k.next_deadline(),
        k.trace().total(),
        k.trace().events().collect::<Vec<_>>()
    )
}

#[test]
fn scripts_observe_the_same_with_and_without_the_skip() {
    let mut rng = Rng(7);
    let mut skipped_some = 0;
    for case in 0..400 {
        let model = ModelSpec::Proposal(proposal(&mut rng));
        let steps: Vec<Step> = (0..1 + rng.below(30)).map(|_| step(&mut rng)).collect();
        let capacity = [0, 1, 3, 64, 2048][rng.below(5) as usize];
        let bulk = script_run(&model, &steps, true, capacity);
        let fire_by_fire = script_run(&model, &steps, false, capacity);
        assert_eq!(bulk, fire_by_fire, "case {case}: {model:?} {steps:?} trace capacity {capacity}");
        // The observation lines the CLI prints are the same too.
        let script = Script { model: model.clone(), steps: steps.clone() };
        assert_eq!(script::run_to_json_lines(&script).len(), steps.len() + 1);
        let (mut run, _) = ScriptRun::setup(&model).unwrap();
        steps.iter().for_each(|s| drop(run.run_step(s)));
        skipped_some += (run.kernel().counters().timer_fires_empty > 1) as u32;
    }
    assert!(skipped_some > 50, "the cases exercise runs of idle fires ({skipped_some})");
}

/// The issue's script: 16 NOPs into a 7-slot ring, then 1000 s with a 1 ns timer. Fire by
/// fire that was 10^12 loop turns (about two hours natively); in bulk it is immediate.
#[test]
fn a_one_ns_timer_on_a_stuck_ring_for_1000_s_finishes() {
    let text = r#"{"model": {"kind": "proposal", "ring_entries": 8, "max_requests": 32, "timer_ns": 1},
        "steps": [{"op":"submit","n":16,"kind":"nop"}, {"op": "advance", "ns": 1000000000000}]}"#;
    let script = Script::from_json(text).unwrap();
    let (mut run, _) = ScriptRun::setup(&script.model).unwrap();
    let lines: Vec<_> = script.steps.iter().map(|s| run.run_step(s)).collect();
    let c = run.kernel().counters();
    // Armed at 0 by the first completion that found the ring full: fires at 1, 2, …, 10^12.
    assert_eq!(c.timer_fires, 1_000_000_000_000);
    assert_eq!(c.timer_fires_empty, c.timer_fires, "the ring stayed full: no fire moved anything");
    assert_eq!(run.kernel().next_deadline(), Some(1_000_000_000_001));
    let last = serde_json::to_string(&lines[1]).unwrap();
    assert_eq!(
        last,
        r#"{"step":2,"op":"advance","result":0,"head":0,"tail":7,"ring":[0,1,2,3,4,5,6],"backlog":[7,8,9,10,11,12,13,14,15],"flag":true,"overflow":0,"in_flight":0,"reaped":[],"time_ns":1000000000000}"#
    );
    // The trace holds the newest fires, each at its own time, as fire by fire.
    let trace: Vec<_> = run.kernel().trace().events().rev().take(2).collect();
    assert_eq!(trace[0].at, 1_000_000_000_000);
    assert_eq!(run.kernel().trace().total(), 16 + 1 + 9 + 7 + 2 + 2 * 1_000_000_000_000);
    // The same, shorter, fire by fire: the same lines.
    let short = |skip: bool| {
        let (mut run, _) = ScriptRun::setup(&script.model).unwrap();
        run.set_timer_skip(skip);
        let steps =
            [script.steps[0].clone(), Step::Advance { ns: 100_000 }, Step::Reap { n: 3 }, Step::Advance { ns: 5 }];
        let lines: Vec<_> = steps.iter().map(|s| serde_json::to_string(&run.run_step(s)).unwrap()).collect();
        (lines, kernel_state(run.kernel()))
    };
    assert_eq!(short(true), short(false));
}

#[test]
fn advance_to_the_end_of_time_stops_there() {
    // The fire whose re-arm would pass u64::MAX ns leaves the timer idle, as a deadline
    // no clock reaches; nothing overflows.
    for ns in [u64::MAX, u64::MAX - 1, u64::MAX / 2] {
        let model = ModelSpec::Proposal(ProposalSpec { timer_ns: 3, ..Default::default() });
        let (mut run, _) = ScriptRun::setup(&model).unwrap();
        run.run_step(&Step::Submit { n: 20, kind: RequestKind::Nop });
        for _ in 0..3 {
            run.run_step(&Step::Advance { ns });
        }
        let c = run.kernel().counters().clone();
        // Fires at 3, 6, …, u64::MAX (a multiple of 3); the last one's re-arm does not fit.
        assert_eq!(c.timer_fires, u64::MAX / 3, "ns {ns}");
        assert_eq!(run.kernel().next_deadline(), None);
        // At the end of time the list empties, and fills again: the timer cannot be armed.
        let line = run.run_step(&Step::Getevents { min: 0, max: 100 });
        assert_eq!((line.reaped.len(), line.backlog.len()), (20, 0));
        let line = run.run_step(&Step::Submit { n: 20, kind: RequestKind::Nop });
        assert_eq!((line.backlog.len(), line.flag, line.time_ns), (13, true, u64::MAX));
        assert_eq!(run.kernel().next_deadline(), None);
    }
}

fn phase(rng: &mut Rng, duration_ns: u64) -> Phase {
    Phase {
        duration_ns,
        submit_rate: [0.0, 1e5, 1e6, 5e6][rng.below(4) as usize],
        batch: 1 + rng.below(8) as u32,
        queue_depth: 1 + rng.below(64) as u32,
        latency: match rng.below(3) {
            0 => Latency::Fixed { ns: rng.below(5_000) },
            1 => Latency::Uniform { min_ns: 100, max_ns: 100 + rng.below(20_000) },
            _ => Latency::Exponential { mean_ns: 1 + rng.below(10_000) },
        },
        kind: if rng.below(4) == 0 { RequestKind::Nop } else { RequestKind::Io },
        ..Phase::default() // the name, and whatever else phases gain
    }
}

fn stochastic(rng: &mut Rng) -> Scenario {
    let mut spec = proposal(rng);
    spec.timer_ns = [1, 1, 2, 5, 40, 1_000][rng.below(6) as usize];
    spec.max_requests = spec.max_requests.max(8);
    let duration = 50_000 + rng.below(150_000);
    Scenario {
        title: String::new(),
        seed: rng.next(),
        model: ModelSpec::Proposal(spec),
        reaper: ReaperSpec {
            policy: ReaperPolicy::ALL[rng.below(4) as usize],
            interval_ns: [1, 50, 3_000, 20_000, 100_000][rng.below(5) as usize],
            batch: 1 + rng.below(8) as u32,
            blocking: rng.coin(),
        },
        workload: Workload { phases: (0..1 + rng.below(3)).map(|_| phase(rng, duration)).collect() },
        steps: None,
        lesson: None,
    }
}

/// What a view shows of a stochastic run, but the step count (and the run hash, which
/// covers it): the bulk run is one step where fire by fire takes one per fire.
fn sim_state(sim: &Sim) -> String {
    let v = sim.view();
    format!(
        "now {} {:?} ring {:?} list {:?} flag {:?} in flight {} latency {:?} ledger {:?} reaper {:?} {}",
        v.now_ns,
        v.counters,
        v.ring.slots,
        v.overflow_list,
        v.flag,
        v.in_flight,
        v.reap_latency,
        v.ledger,
        v.reaper,
        kernel_state(sim.kernel())
    )
}

fn compare_runs(scenario: &Scenario, times: &[u64]) -> (u64, u64) {
    let mut bulk = Sim::new(scenario).unwrap();
    let mut fire_by_fire = Sim::new(scenario).unwrap();
    fire_by_fire.set_timer_skip(false);
    for &t in times {
        bulk.run_until(t);
        fire_by_fire.run_until(t);
        assert_eq!(sim_state(&bulk), sim_state(&fire_by_fire), "at {t} ns: {scenario:?}");
        assert!(bulk.events() <= fire_by_fire.events());
    }
    (bulk.events(), fire_by_fire.events())
}

#[test]
fn stochastic_runs_are_the_same_with_and_without_the_skip() {
    let mut rng = Rng(11);
    let (mut bulk_events, mut fire_events) = (0, 0);
    for _ in 0..120 {
        let scenario = stochastic(&mut rng);
        let end = scenario.workload.duration_ns();
        let mut times: Vec<u64> = (0..12).map(|_| rng.below(end + end / 4)).collect();
        times.sort();
        times.push(end + end / 4);
        let (b, f) = compare_runs(&scenario, &times);
        bulk_events += b;
        fire_events += f;
    }
    assert!(fire_events > 2 * bulk_events, "idle fires were bundled: {bulk_events} vs {fire_events} events");
}

/// A userspace reaper (`ring`) that reads too slowly for the device: the ring is full
/// nearly all the time and the 1 ns timer keeps firing over a stuck list.
fn stranding() -> Scenario {
    let text = r#"
        seed = 5
        [model]
        kind = "proposal"
        ring_entries = 8
        max_requests = 64
        timer_ns = 1
        [reaper]
        policy = "ring"
        interval_ns = 100_000
        batch = 4
        [[workload.phases]]
        duration_ns = 10_000_000
        submit_rate = 1_000_000.0
        batch = 4
        queue_depth = 64
        latency = { dist = "uniform", min_ns = 1_000, max_ns = 20_000 }
    "#;
    Scenario::from_toml_str(text).unwrap()
}

#[test]
fn a_one_ns_timer_under_a_ring_reaper_runs_10_ms_in_few_events() {
    let scenario = stranding();
    // Fire by fire for 1 ms (a million timer events) agrees with the bulk run.
    let times: Vec<u64> = (1..=10).map(|i| i * 100_000 - 7).chain([1_000_000]).collect();
    let (bulk, fire_by_fire) = compare_runs(&scenario, &times);
    assert!(fire_by_fire > 900_000 && bulk < 20_000, "{bulk} vs {fire_by_fire} events");
    // The whole 10 ms in bulk: one event per stretch between other events.
    let mut sim = Sim::new(&scenario).unwrap();
    sim.run_until(sim.end_ns());
    let c = sim.kernel().counters();
    assert!(c.timer_fires > 9_000_000, "{c:?}");
    assert!(c.timer_fires_empty > 9_000_000);
    assert!(sim.events() < 200_000, "{} events", sim.events());
    assert!(sim.ledger().holds);
    // Seeking and stepping back stay exact.
    let mut tl = Timeline::new(Sim::new(&scenario).unwrap());
    tl.seek_time(7_654_321);
    let mut direct = Sim::new(&scenario).unwrap();
    direct.run_until(7_654_321);
    assert_eq!(sim_state(tl.sim()), sim_state(&direct));
    assert_eq!(tl.sim().run_hash(), direct.run_hash());
    let events = tl.sim().events();
    tl.step_back();
    assert_eq!(tl.sim().events(), events - 1);
}
