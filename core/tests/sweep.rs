//! Sweeps (`ringlab_core::sweep`, `ringlab sweep`): axes, metrics, tables, boundaries,
//! links, and the sizing lesson's numbers.

use ringlab_core::link::{self, LinkState};
use ringlab_core::sweep::{self, boundary, Axis, Cell, Edge, Metric, Scale, SweepSpec, Table};
use ringlab_core::workload::Latency;
use ringlab_core::{lessons, ModelKind, Sim};
use std::process::Command;

fn axis(text: &str) -> Axis {
    Axis::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn spec(x: &str, y: &str, metric: Metric, models: &[ModelKind]) -> SweepSpec {
    SweepSpec { x: axis(x), y: axis(y), metric, models: models.to_vec(), threshold: None }
}

/// The golden sweep: `core/tests/data/sweep-small.csv` was written by
/// `ringlab sweep --x ring_entries=4:32:4:log --y submit_rate=30000:200000:3:log
/// --metric overflow_share --models proposal,io_uring --csv`; tests/web.rs computes it in wasm.
fn small() -> SweepSpec {
    spec(
        "ring_entries=4:32:4:log",
        "submit_rate=30000:200000:3:log",
        Metric::OverflowShare,
        &[ModelKind::Proposal, ModelKind::IoUring],
    )
}

const GOLDEN: &str = include_str!("data/sweep-small.csv");

#[test]
fn linear_and_log_axes_step_exactly_from_end_to_end() {
    assert_eq!(axis("ring_entries=4:64:5:log").values(), [4.0, 8.0, 16.0, 32.0, 64.0]);
    assert_eq!(axis("reap_interval_ns=0:100000:5").values(), [0.0, 25_000.0, 50_000.0, 75_000.0, 100_000.0]);
    // A fractional field on a log axis: three significant digits.
    assert_eq!(axis("submit_rate=1000:1000000:4:log").values(), [1e3, 1e4, 1e5, 1e6]);
    assert_eq!(axis("submit_rate=30000:200000:3:log").values(), [30_000.0, 77_500.0, 200_000.0]);
    assert_eq!(axis("submit_rate=0.5:2:4").values(), [0.5, 1.0, 1.5, 2.0]);
    // Whole-number fields round (half away from zero); repeats are kept, the grid keeps its shape.
    assert_eq!(axis("batch=1:3:5").values(), [1.0, 2.0, 2.0, 3.0, 3.0]);
    assert_eq!(axis("ring_entries=2:128:8:log").values(), [2.0, 4.0, 7.0, 12.0, 22.0, 39.0, 71.0, 128.0]);
    // One step.
    let one = axis("seed=7");
    assert_eq!((one.steps, one.values()), (1, vec![7.0]));
    // The link's form reads the same, and both forms write back what was read.
    let log = axis("ring_entries:4:64:16:log");
    assert_eq!(log, axis("ring_entries=4:64:16:log"));
    assert_eq!(
        (log.scale, log.link_text(), log.arg_text()),
        (Scale::Log, "ring_entries:4:64:16:log".into(), "ring_entries=4:64:16:log".into())
    );
    assert_eq!(axis("submit_rate=1_000:2e5:3").link_text(), "submit_rate:1000:200000:3");
}

#[test]
fn a_bad_axis_says_which_part_is_wrong() {
    let err = |text: &str| Axis::parse(text).unwrap_err();
    let unknown = err("ring_size=4:64:4");
    assert!(unknown.contains("unknown field `ring_size`"), "{unknown}");
    for field in [
        "ring_entries",
        "max_requests",
        "submit_rate",
        "batch",
        "mean_latency_ns",
        "reap_interval_ns",
        "reap_batch",
        "timer_ns",
    ] {
        assert!(unknown.contains(field), "{field} missing from: {unknown}");
    }
    assert!(err("ring_entries=4:x:4").contains("TO `x` is not a number"));
    assert!(err("ring_entries=4:64:0").contains("STEPS `0` is not a whole number from 1 to 64"));
    assert!(err("ring_entries=4:64:65").contains("STEPS `65`"));
    assert!(err("ring_entries=0:64:4:log").contains("a log axis starts above 0"));
    assert!(err("ring_entries=64:4:4").contains("FROM 64 must be below TO 4"));
    assert!(err("ring_entries=4:64:4:cubic").contains("scale `cubic` is not log or linear"));
    assert!(err("ring_entries=4:64:1").contains("one step takes FROM equal to TO"));
    assert!(err("ring_entries=-4:64:4").contains("FROM `-4` is not a number from 0 up"));
    assert!(err("ring_entries").contains("is not FIELD=FROM:TO:STEPS"));
    assert!(err("seed=1:1e16:3").contains("TO `1e16` is above 2^53"));
}

#[test]
fn metrics_have_names_labels_and_units() {
    let names: Vec<&str> = Metric::ALL.iter().map(|m| m.name()).collect();
    assert_eq!(
        names,
        [
            "overflow_share",
            "longest_list",
            "stranded_ns",
            "reap_p99_ns",
            "syscalls_per_completion",
            "refused",
            "dropped"
        ]
    );
    for m in Metric::ALL {
        assert_eq!(Metric::from_name(m.name()), Some(m));
        assert!(!m.label().is_empty() && !m.unit().is_empty(), "{m:?}");
    }
    assert_eq!(Metric::from_name("overflow"), None);
}

#[test]
fn a_bigger_ring_never_overflows_more_under_the_default_workload() {
    let base = lessons::default_scenario();
    let models = [ModelKind::Proposal, ModelKind::IoUring, ModelKind::Aio];
    let s = spec("ring_entries=4:32:3:log", "reap_batch=4:16:3:log", Metric::OverflowShare, &models);
    let table = Table::run(&base, &s).unwrap();
    assert_eq!(table.cells.len(), 27);
    for (m, model) in models.iter().enumerate() {
        for iy in 0..3 {
            let row: Vec<f64> = (0..3).map(|ix| table.cell(m, ix, iy).unwrap().value).collect();
            assert!(row.windows(2).all(|w| w[0] >= w[1]), "{model} row {iy}: {row:?}");
        }
        // A reaper that takes more per wake-up never lets more overflow.
        for ix in 0..3 {
            let column: Vec<f64> = (0..3).map(|iy| table.cell(m, ix, iy).unwrap().value).collect();
            assert!(column.windows(2).all(|w| w[0] >= w[1]), "{model} column {ix}: {column:?}");
        }
    }
    // aio has no overflow list: nothing ever overflows; the proposal's 4-entry ring does.
    assert!(table.cells.iter().filter(|c| c.model == ModelKind::Aio).all(|c| c.value == 0.0));
    assert!(table.cell(0, 0, 0).unwrap().value > 0.5);
    // Cells come in table order: model, then y, then x.
    let order: Vec<(ModelKind, u32, u32)> = table.cells.iter().map(|c| (c.model, c.iy, c.ix)).collect();
    let mut sorted = order.clone();
    sorted.sort_by_key(|&(m, iy, ix)| (models.iter().position(|k| *k == m), iy, ix));
    assert_eq!(order, sorted);
}

#[test]
fn the_default_runs_cell_is_the_default_run() {
    let base = lessons::default_scenario();
    let s = spec("ring_entries=4:12:3", "seed=1", Metric::OverflowShare, &[ModelKind::Proposal]);
    let cell = sweep::run_cell(&base, &s, 0, 1, 0).unwrap();
    assert_eq!((cell.x, cell.y), (8.0, 1.0));
    // `ringlab run scenarios/default.toml`: 22 of 40 completions overflowed.
    assert_eq!(cell.value, 22.0 / 40.0);
    let mut sim = Sim::new(&base).unwrap();
    sim.run_until(sim.end_ns());
    assert_eq!(cell.run_hash, sim.run_hash());
    // The cell's scenario is the run the app opens: the same run, the same hash.
    let opened = s.cell_scenario(&base, 0, 1, 0).unwrap();
    assert_eq!((opened.model.clone(), opened.workload.clone()), (base.model.clone(), base.workload.clone()));
    assert!(opened.title.contains("ring_entries 8"), "{}", opened.title);
    let mut sim = Sim::new(&opened).unwrap();
    sim.run_until(sim.end_ns());
    assert_eq!(sim.run_hash(), cell.run_hash);
    // Other metrics of the same run, as `ringlab run` counts them.
    let value = |m: Metric| sweep::run_cell(&base, &SweepSpec { metric: m, ..s.clone() }, 0, 1, 0).unwrap().value;
    assert_eq!(value(Metric::LongestList), 9.0);
    assert_eq!(value(Metric::SyscallsPerCompletion), 10.0 / 40.0);
    assert_eq!(value(Metric::ReapP99Ns), 1_966_080.0);
    assert_eq!(value(Metric::Refused), 0.0);
    assert_eq!(value(Metric::Dropped), 0.0);
}

#[test]
fn events_strand_until_the_timer_flushes_them() {
    // The default run's reaper reads the ring only: events wait on the list with the ring
    // empty until the flush timer fires; without a timer, until the run's end.
    let base = lessons::default_scenario();
    let s = spec("timer_ns=0:2000000:3", "reap_interval_ns=100000", Metric::StrandedNs, &[ModelKind::Proposal]);
    let t = Table::run(&base, &s).unwrap();
    let stranded: Vec<f64> = t.cells.iter().map(|c| c.value).collect();
    assert!(stranded[0] > 9_000_000.0 && stranded[0] < base.workload.duration_ns() as f64, "{stranded:?}");
    assert!(stranded[1] < stranded[2] && stranded[2] < stranded[0], "{stranded:?}");
    // A timer 1 ms sooner strands them 1 ms less.
    assert_eq!(stranded[2] - stranded[1], 1_000_000.0);
    // Measuring it steps event by event: the same run, the same other measures.
    let (stepped, with) = sweep::measure(&base, true).unwrap();
    let (straight, without) = sweep::measure(&base, false).unwrap();
    assert_eq!(stepped.run_hash(), straight.run_hash());
    assert_eq!((with.stranded_ns.is_some(), without.stranded_ns), (true, None));
    assert_eq!(sweep::Measures { stranded_ns: None, ..with }, without);
    // A libaio reaper strands nothing: each io_getevents refills the ring from the list.
    let mut libaio = base.clone();
    libaio.reaper.policy = ringlab_core::ReaperPolicy::Libaio;
    assert!(Table::run(&libaio, &s).unwrap().cells.iter().all(|c| c.value == 0.0));
}

#[test]
fn refusals_and_drops_are_counted_where_the_kernel_makes_them() {
    let base = lessons::default_scenario();
    let s = spec("ring_entries=2:8:4", "seed=1", Metric::Dropped, &[ModelKind::IoUring51, ModelKind::IoUring55]);
    let dropped = Table::run(&base, &s).unwrap();
    // io_uring 5.1 drops a completion that finds the CQ ring full; 5.5 keeps a backlog.
    assert!(dropped.cells.iter().filter(|c| c.model == ModelKind::IoUring51).any(|c| c.value > 0.0));
    assert!(dropped.cells.iter().filter(|c| c.model == ModelKind::IoUring55).all(|c| c.value == 0.0));
    let refused = Table::run(&base, &SweepSpec { metric: Metric::Refused, ..s }).unwrap();
    // 5.5 refuses submissions with EBUSY while its backlog is not empty.
    assert!(refused.cells.iter().filter(|c| c.model == ModelKind::IoUring55).all(|c| c.value > 0.0));
}

#[test]
fn axis_fields_set_the_scenario_as_documented() {
    let base = lessons::default_scenario();
    let cell =
        |x: &str, models: &[ModelKind]| spec(x, "seed=1", Metric::OverflowShare, models).cell_scenario(&base, 0, 0, 0);
    // The mean latency scales the distribution, keeping its shape.
    let s = cell("mean_latency_ns=80000", &[ModelKind::Proposal]).unwrap();
    assert_eq!(s.workload.phases[0].latency, Latency::Uniform { min_ns: 40_000, max_ns: 120_000 });
    // The submit rate is every submitting phase's; the quiet phase stays quiet.
    let s = cell("submit_rate=50000", &[ModelKind::Proposal]).unwrap();
    assert_eq!((s.workload.phases[0].submit_rate, s.workload.phases[1].submit_rate), (50_000.0, 0.0));
    // Batch and queue depth are every phase's.
    let s = cell("batch=2", &[ModelKind::Proposal]).unwrap();
    assert!(s.workload.phases.iter().all(|p| p.batch == 2));
    let s = cell("queue_depth=8", &[ModelKind::Proposal]).unwrap();
    assert!(s.workload.phases.iter().all(|p| p.queue_depth == 8));
    // A phase replaying a trace keeps it: with only a trace submitting, a rate has nothing to set.
    let traced = lessons::lesson("trace-ring-size").unwrap();
    let rate = spec("submit_rate=1000", "seed=1", Metric::OverflowShare, &[ModelKind::Proposal]);
    let e = rate.cell_scenario(&traced, 0, 0, 0).unwrap_err();
    assert_eq!(e, "submit_rate = 1000 under proposal: no phase of the scenario submits at a rate");
    // ring_entries is each model's ring size.
    let s = cell("ring_entries=16", &[ModelKind::IoUring]).unwrap();
    assert_eq!(
        s.model,
        ringlab_core::ModelSpec::IoUring(ringlab_core::model::io_uring::UringSpec {
            cq_entries: Some(16),
            ..Default::default()
        })
    );
    assert_eq!(sweep::ring_size(&cell("ring_entries=16", &[ModelKind::Aio]).unwrap().model), 16);
    // A model field the model lacks leaves it unchanged.
    let s = spec("max_requests=64", "seed=1", Metric::OverflowShare, &[ModelKind::Proposal, ModelKind::IoUring]);
    assert_eq!(s.cell_scenario(&base, 1, 0, 0).unwrap().model, sweep::with_model(&base, ModelKind::IoUring).model);
    // The reaper's fields and the seed.
    let s = cell("reap_interval_ns=50000", &[ModelKind::Proposal]).unwrap();
    assert_eq!(s.reaper.interval_ns, 50_000);
    let seed = spec("seed=9", "batch=4", Metric::Dropped, &[ModelKind::Proposal]).cell_scenario(&base, 0, 0, 0);
    assert_eq!(seed.unwrap().seed, 9);
    // A lesson's text does not come along.
    let lesson = lessons::lesson("stuck").unwrap();
    let s = spec("ring_entries=8", "seed=1", Metric::OverflowShare, &[ModelKind::Proposal]);
    assert_eq!(s.cell_scenario(&lesson, 0, 0, 0).unwrap().lesson, None);
}

#[test]
fn a_value_a_model_refuses_is_an_error_not_clamped() {
    let base = lessons::default_scenario();
    let s = spec("ring_entries=1:8:8", "seed=1", Metric::OverflowShare, &[ModelKind::Aio, ModelKind::Proposal]);
    // aio takes io_setup(1); the proposal's ring needs 2 entries.
    assert!(s.cell_scenario(&base, 0, 0, 0).is_ok());
    let err = s.check(&base).unwrap_err();
    assert!(err.starts_with("ring_entries = 1 under proposal:") && err.contains("allowed 2 to 65536"), "{err}");
    assert_eq!(Table::run(&base, &s).unwrap_err(), err);
    // A field no model in the sweep has, and axes that set the same field.
    let e = spec("max_requests=1:2:2", "seed=1", Metric::OverflowShare, &[ModelKind::IoUring]).validate().unwrap_err();
    assert!(e.contains("no model in the sweep has max_requests") && e.contains("proposal"), "{e}");
    let e = spec("seed=1:2:2", "seed=3", Metric::OverflowShare, &[ModelKind::IoUring]).validate().unwrap_err();
    assert_eq!(e, "x and y both set seed");
    // Too much work is refused as a scenario file's would be.
    let mut long = base.clone();
    long.workload.phases[0].duration_ns = 1_000_000_000;
    let e = spec("submit_rate=1e9", "seed=1", Metric::OverflowShare, &[ModelKind::Proposal]).check(&long).unwrap_err();
    assert!(e.starts_with("submit_rate = 1000000000 under proposal:") && e.contains("at most about"), "{e}");
    // A script of steps cannot be swept.
    let script = lessons::LESSONS.iter().filter_map(|(n, _)| lessons::lesson(n)).find(|s| s.steps.is_some());
    let e = spec("seed=1", "batch=1", Metric::Dropped, &[ModelKind::Proposal]).check(&script.unwrap()).unwrap_err();
    assert!(e.contains("script of steps"), "{e}");
}

#[test]
fn parallel_and_serial_give_the_same_table() {
    let base = lessons::default_scenario();
    let s = spec(
        "ring_entries=4:24:6",
        "mean_latency_ns=10000:80000:4:log",
        Metric::ReapP99Ns,
        &[ModelKind::Proposal, ModelKind::IoUring55, ModelKind::Aio2012],
    );
    let serial = Table::run(&base, &s).unwrap();
    let parallel = Table::run_parallel(&base, &s).unwrap();
    assert_eq!(serial, parallel);
    assert_eq!(serial.to_csv(), parallel.to_csv());
    assert_eq!(serial.to_json(), parallel.to_json());
}

#[test]
fn the_golden_table_is_what_the_library_computes() {
    let table = Table::run(&lessons::default_scenario(), &small()).unwrap();
    assert_eq!(table.to_csv(), GOLDEN);
    assert_eq!(GOLDEN.lines().count(), 1 + 24);
}

fn ringlab(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ringlab")).args(args).output().expect("ringlab runs");
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (out.status.code().unwrap_or(-1), text(out.stdout), text(out.stderr))
}

#[test]
fn the_cli_prints_the_librarys_table() {
    let s = small();
    let table = Table::run(&lessons::default_scenario(), &s).unwrap();
    let args = [
        "sweep",
        "--x",
        "ring_entries=4:32:4:log",
        "--y",
        "submit_rate=30000:200000:3:log",
        "--metric",
        "overflow_share",
        "--models",
        "proposal,io_uring",
    ];
    let run = |extra: &[&str]| {
        let (code, out, err) = ringlab(&[&args[..], extra].concat());
        assert_eq!((code, err.as_str()), (0, ""), "{extra:?}");
        out
    };
    assert_eq!(run(&["--csv"]), GOLDEN);
    assert_eq!(run(&["--json"]), table.to_json());
    let lines: Vec<String> = table.cells.iter().map(|c| c.to_json(&s)).collect();
    assert_eq!(run(&[]), lines.join("\n") + "\n");
    assert_eq!(run(&["--csv", "--serial"]), GOLDEN);
    // Each JSON line is JSON, naming its axes by field.
    let first: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
    assert_eq!(first["ring_entries"], 4);
    assert_eq!(first["submit_rate"], 30000);
    assert_eq!(first["model"], "proposal");
    let json: serde_json::Value = serde_json::from_str(&table.to_json()).unwrap();
    assert_eq!(json["x"]["values"], serde_json::json!([4, 8, 16, 32]));
    assert_eq!(json["cells"].as_array().unwrap().len(), 24);
    // A scenario file, and a share link carrying the sweep, give the same table.
    assert_eq!(run(&[concat!(env!("CARGO_MANIFEST_DIR"), "/../scenarios/default.toml"), "--csv"]), GOLDEN);
    let state = LinkState { sweep: Some(s.clone()), ..LinkState::new(lessons::default_scenario()) };
    let url = format!("http://127.0.0.1:8080/#{}", link::encode(&state));
    let (code, out, err) = ringlab(&["sweep", &url, "--csv"]);
    assert_eq!((code, err.as_str(), out.as_str()), (0, "", GOLDEN));
}

#[test]
fn the_cli_refuses_a_bad_argument_in_one_line_naming_it() {
    let cases: [(&[&str], &str); 6] = [
        (&["sweep", "--x", "ring_size=1:2:2"], "ringlab: --x: unknown field `ring_size`"),
        (&["sweep", "--x", "ring_entries=1:8:8"], "ringlab: --x: ring_entries = 1 under proposal:"),
        (&["sweep", "--x", "seed=1:2:2", "--y", "batch=0:4:2"], "ringlab: --y: batch = 0 under proposal:"),
        (&["sweep", "--x", "seed=1:2:2", "--metric", "latency"], "ringlab: --metric: unknown metric `latency`"),
        (&["sweep", "--x", "seed=1:2:2", "--models", "proposal,linux"], "ringlab: --models: unknown model `linux`"),
        (&["sweep", "--y", "seed=1:2:2"], "ringlab: sweep: --x FIELD=FROM:TO:STEPS[:log] is required"),
    ];
    for (args, start) in cases {
        let (code, out, err) = ringlab(args);
        assert_eq!((code, out.as_str()), (2, ""), "{args:?}");
        assert!(err.starts_with(start) && err.lines().count() == 1, "{args:?}: {err}");
    }
}

#[test]
fn a_sweep_link_carries_the_scenario_and_the_sweep() {
    let default = lessons::default_scenario();
    let mut scenario = default.clone();
    scenario.reaper.batch = 4;
    let sweep = SweepSpec { threshold: Some(0.0), ..small() };
    let state = LinkState { sweep: Some(sweep.clone()), ..LinkState::new(scenario) };
    for encoded in [link::encode(&state), link::encode_short(&state, &default, &lessons::lesson)] {
        assert!(encoded.contains("sweep_x=ring_entries%3A4%3A32%3A4%3Alog"), "{encoded}");
        let decoded = link::decode(&encoded, &default, &lessons::lesson);
        assert_eq!(decoded.problems, []);
        assert_eq!(decoded.state, state);
    }
    let short = link::encode_short(&state, &default, &lessons::lesson);
    assert!(short.contains("reap_batch=4") && short.contains("sweep_threshold=0"), "{short}");
    // Written by hand: the axis in the CLI's form, y, metric and models left to their defaults.
    let d = link::decode("v=1&model=io_uring&seed=3&sweep_x=ring_entries=2:16:3", &default, &lessons::lesson);
    assert_eq!(d.problems, []);
    let got = d.state.sweep.unwrap();
    assert_eq!((got.y.field.as_str(), got.y.values()), ("seed", vec![3.0]));
    assert_eq!((got.metric, got.models, got.threshold), (Metric::OverflowShare, vec![ModelKind::IoUring], None));
    // A bad sweep key is reported; the scenario still opens, without a sweep.
    let d = link::decode("v=1&reap_batch=4&sweep_x=ring_entries:4:64:4&sweep_metric=speed", &default, &lessons::lesson);
    assert_eq!(d.state.scenario.reaper.batch, 4);
    assert_eq!(d.state.sweep, None);
    assert_eq!(d.problems.len(), 1);
    assert_eq!(d.problems[0].key, "sweep_metric");
    assert!(d.problems[0].to_string().contains("unknown metric `speed`") && d.problems[0].used_instead == "no sweep");
    let d = link::decode("v=1&sweep_metric=dropped", &default, &lessons::lesson);
    assert_eq!((d.problems[0].key.as_str(), d.state.sweep.is_none()), ("sweep_metric", true));
    // Without sweep keys a link has no sweep, and writes none.
    let plain = LinkState::new(default.clone());
    assert!(!link::encode(&plain).contains("sweep"));
    assert_eq!(link::decode(&link::encode(&plain), &default, &lessons::lesson).state.sweep, None);
    // The sweep's own keys alone, as a lesson names its sweep.
    assert_eq!(SweepSpec::from_link_query(&sweep.link_query(), ModelKind::Aio, 1), Ok(Some(sweep)));
}

#[test]
fn the_boundary_follows_the_threshold_between_cells() {
    // Proposal: overflow under 0 at ring 16 and up in the first row, at 32 in the second.
    let s = spec("ring_entries=4:32:4:log", "submit_rate=1:2:2", Metric::OverflowShare, &[ModelKind::Proposal]);
    let values = [[0.5, 0.1, 0.0, 0.0], [0.9, 0.5, 0.2, 0.0]];
    let mut cells: Vec<Cell> = Vec::new();
    for (iy, row) in values.iter().enumerate() {
        for (ix, &value) in row.iter().enumerate() {
            let (x, y) = (s.x.values()[ix], s.y.values()[iy]);
            cells.push(Cell {
                model: ModelKind::Proposal,
                ix: ix as u32,
                iy: iy as u32,
                x,
                y,
                value,
                run_hash: String::new(),
            });
        }
    }
    let table = Table { spec: s.clone(), cells };
    let b = &boundary(&table, 0.0)[0];
    assert_eq!(b.model, ModelKind::Proposal);
    assert_eq!(b.good_from_x, [Some(2), Some(3)]);
    assert_eq!(b.good_from_y, [None, None, None, Some(0)]);
    let e = |x0, y0, x1, y1| Edge { x0, y0, x1, y1 };
    // A step: up the side of the cell before x = 2 in row 0, x = 3 in row 1, and across
    // the top of cell (2, 0), good below, bad above.
    assert_eq!(b.edges, [e(2, 0, 2, 1), e(3, 1, 3, 2), e(2, 1, 3, 1)]);
    // A looser threshold moves it; an unfinished cell is neither side.
    assert_eq!(boundary(&table, 0.1)[0].good_from_x, [Some(1), Some(3)]);
    let mut partial = table.clone();
    partial.cells.retain(|c| !(c.ix == 2 && c.iy == 1));
    let p = &boundary(&partial, 0.0)[0];
    assert_eq!(p.edges, [e(2, 0, 2, 1)]);
    assert_eq!(p.good_from_x, [Some(2), Some(3)]);
    // Cells that arrive in any order are put in table order.
    let mut shuffled = table.clone();
    shuffled.cells.reverse();
    shuffled.sort();
    assert_eq!(shuffled, table);
}

/// The sizing lesson's sweep, run: the reveal's numbers, model by model.
#[test]
fn the_sizing_lesson_reveals_what_its_sweep_shows() {
    let scenario = lessons::lesson("ring-size-sweep").expect("the lesson is built in");
    lessons::check(&scenario).unwrap();
    let lesson = scenario.lesson.as_ref().unwrap();
    let reveal = &lesson.reveal;
    let query = lesson.sweep.as_deref().expect("the lesson names its sweep");
    let spec = SweepSpec::from_link_query(query, scenario.model.kind(), scenario.seed).unwrap().unwrap();
    assert_eq!(spec.models, [ModelKind::Proposal, ModelKind::IoUring, ModelKind::Aio]);
    assert_eq!((spec.metric, spec.threshold), (Metric::OverflowShare, Some(0.0)));
    let table = Table::run_parallel(&scenario, &spec).unwrap();
    let bounds = boundary(&table, 0.0);
    let xs = spec.x.values();
    let seed_row = spec.y.values().iter().position(|&s| s == scenario.seed as f64).unwrap();
    // The smallest size with no overflow, for this run's seed and for every seed.
    let smallest = |m: usize| {
        let rows = &bounds[m].good_from_x;
        let this = xs[rows[seed_row].unwrap() as usize];
        let all = rows.iter().map(|r| xs[r.unwrap() as usize]).fold(0.0, f64::max);
        (this as u32, all as u32)
    };
    let (p, p_all) = smallest(0);
    assert_eq!((p, p_all), (14, 17));
    assert!(
        reveal.contains("the proposal needs 14 ring entries (13 usable")
            && reveal.contains("13 still overflows one completion"),
        "{reveal}"
    );
    let before = table.cell(0, xs.iter().position(|&x| x == 13.0).unwrap() as u32, seed_row as u32).unwrap();
    assert_eq!(before.value * 40.0, 1.0);
    assert!(reveal.contains("Across the eight seeds it needs 17"), "{reveal}");
    let (u, u_all) = smallest(1);
    assert_eq!((u, u_all), (9, 9));
    let cq = |n: u32| {
        let s = spec.cell_scenario(&scenario, 1, xs.iter().position(|&x| x == n as f64).unwrap() as u32, 0).unwrap();
        Sim::new(&s).unwrap().kernel().ring().entries()
    };
    assert_eq!((cq(9), cq(16), cq(8)), (16, 16, 8));
    let eight = table.cell(1, xs.iter().position(|&x| x == 8.0).unwrap() as u32, seed_row as u32).unwrap();
    assert_eq!(eight.value * 40.0, 16.0);
    assert!(
        reveal
            .contains("io_uring needs 16 CQ entries: every size from 9 up rounds to 16, and 8 overflows 16 of the 40"),
        "{reveal}"
    );
    assert_eq!(smallest(2), (2, 2));
    let aio = spec.cell_scenario(&scenario, 2, 0, 0).unwrap();
    assert_eq!(Sim::new(&aio).unwrap().kernel().ring().entries(), 127);
    assert!(reveal.contains("even io_setup(2) gets a page-sized ring of 127 slots"), "{reveal}");
    // The question's numbers: this run.
    let mut sim = Sim::new(&scenario).unwrap();
    sim.run_until(sim.end_ns());
    let c = sim.kernel().counters();
    assert_eq!((c.completed, c.overflowed), (40, 22));
    assert!(lesson.question.contains("so 22 of the 40 completions overflow"));
}

#[test]
fn a_scenario_without_a_y_axis_is_one_row() {
    let base = lessons::default_scenario();
    let s = SweepSpec {
        x: axis("ring_entries=8:16:2"),
        y: Axis::single_seed(base.seed),
        metric: Metric::LongestList,
        models: vec![ModelKind::Proposal],
        threshold: None,
    };
    assert_eq!(s.cell_count(), 2);
    let t = Table::run(&base, &s).unwrap();
    assert_eq!(t.cells[0].value, 9.0);
}
