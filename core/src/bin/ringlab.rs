//! `ringlab`: run scripts and scenarios from the command line.
//!
//! - `ringlab script FILE.json`: one JSON observation per line (setup, then each step).
//! - `ringlab run SCENARIO.toml [--json]`: runs a stochastic scenario and prints a summary.
//! - `ringlab run --trace FILE [SCENARIO] [--json]`: replays a recorded trace (a fio latency
//!   log, a `submit_ns,complete_ns` CSV, or a built-in trace's name) with the default
//!   scenario's (or SCENARIO's) model, reaper and seed.
//! - `ringlab bench`: simulated completions per second next to a bare ring loop.
//! - `ringlab sweep [SCENARIO] --x ... --y ... --metric NAME`: a sweep's table (docs/sweeps.md).

// The timing and the memory readings: the binary's, not the library's (no clock, no I/O there).
#[path = "ringlab/measure.rs"]
mod measure;
#[path = "ringlab/sweep.rs"]
mod sweep;

use ringlab_core::script::{self, Script};
use ringlab_core::trace_file::{self, TraceData};
use ringlab_core::{bench, lessons, ModelKind, Scenario, Sim};
use std::path::Path;
use std::process::ExitCode;

const USAGE: &str = "usage:
  ringlab script FILE.json          run a script, print one JSON observation per line
  ringlab run SCENARIO.toml [--json] run a stochastic scenario, print a summary
                                    (TOML, or JSON such as the page's scenario with a trace)
  ringlab run --trace FILE [SCENARIO] [--json]
                                    replay a recorded trace (fio latency log, a CSV of
                                    submit_ns,complete_ns, or a built-in trace's name) with
                                    the model, reaper and seed of SCENARIO or the default
  ringlab bench [--completions N] [--repeats R] [--model NAME] [--memory N] [--json FILE]
                                    measure simulated completions per second, best of R
                                    runs (default 3), for every model or one (and, with
                                    --memory, resident memory over an N-completion run);
                                    --json writes the figures as [{name, value, unit, goal, met}]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("script") => cmd_script(&args[1..]),
        Some("run") => cmd_run(&args[1..]),
        Some("bench") => cmd_bench(&args[1..]),
        Some("sweep") => sweep::cmd(&args[1..]),
        Some("-h" | "--help") => {
            println!("{USAGE}\n{}", sweep::USAGE);
            Ok(())
        }
        _ => Err(format!("{USAGE}\n{}", sweep::USAGE)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("ringlab: {message}");
            ExitCode::from(2)
        }
    }
}

fn read(path: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))
}

fn cmd_script(args: &[String]) -> Result<(), String> {
    let [path] = args else { return Err(format!("script takes one FILE.json\n{USAGE}")) };
    let script = Script::from_json(&read(path)?).map_err(|e| format!("{path}: {e}"))?;
    for line in script::run_to_json_lines(&script) {
        println!("{line}");
    }
    Ok(())
}

/// A trace file read whole; the error names the file and the line, as the page does.
fn read_trace(path: &Path) -> Result<TraceData, String> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {shown}: {e}"))?;
    trace_file::parse_text(&text).map_err(|e| e.in_file(&shown))
}

/// A scenario file (TOML, or JSON when it ends in `.json`), with the trace files its
/// phases name read from next to it.
fn read_scenario(path: &str) -> Result<Scenario, String> {
    let text = read(path)?;
    let parsed =
        if path.ends_with(".json") { Scenario::parse_json_str(&text) } else { Scenario::parse_toml_str(&text) };
    let mut scenario = parsed.map_err(|e| format!("{path}: {e}"))?;
    let dir = Path::new(path).parent().unwrap_or(Path::new(""));
    scenario.load_traces(&mut |name| read_trace(&dir.join(name))).map_err(|e| e.message)?;
    scenario.validate().and_then(|()| scenario.check_work()).map_err(|e| format!("{path}: {e}"))?;
    Ok(scenario)
}

fn cmd_run(args: &[String]) -> Result<(), String> {
    let mut json = false;
    let mut trace: Option<String> = None;
    let mut paths: Vec<&String> = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--json" => json = true,
            "--trace" => trace = Some(it.next().ok_or(format!("--trace takes a FILE\n{USAGE}"))?.clone()),
            flag if flag.starts_with("--trace=") => trace = Some(flag["--trace=".len()..].to_string()),
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}\n{USAGE}")),
            _ => paths.push(arg),
        }
    }
    let scenario = match (trace.as_deref(), &paths[..]) {
        (None, [path]) => read_scenario(path)?,
        (Some(file), [] | [_]) => {
            let base = match paths.first() {
                Some(path) => read_scenario(path)?,
                None => lessons::default_scenario(),
            };
            // A file, or else a built-in trace's name.
            let (name, data) = if Path::new(file).exists() || trace_file::builtin(file).is_none() {
                let path = Path::new(file);
                let name = path.file_name().map_or(file.to_string(), |n| n.to_string_lossy().into_owned());
                (name, Some(read_trace(path)?))
            } else {
                (file.to_string(), None)
            };
            let scenario = trace_file::scenario_with_trace(&base, &name, data);
            scenario.validate().and_then(|()| scenario.check_work()).map_err(|e| format!("{file}: {e}"))?;
            scenario
        }
        _ => return Err(format!("run takes one SCENARIO.toml, or --trace FILE and at most one SCENARIO\n{USAGE}")),
    };
    let path = paths.first().map_or_else(|| trace.unwrap_or_default(), |p| (*p).clone());
    let mut sim = Sim::new(&scenario).map_err(|e| format!("{path}: {e}"))?;
    if scenario.steps.is_some() {
        while sim.step().is_some() {}
    } else {
        sim.run_until(sim.end_ns());
    }
    let summary = bench::Summary::of(&sim);
    if json {
        println!("{}", serde_json::to_string(&summary).expect("summary serializes"));
    } else {
        print!("{}", summary.to_text(&scenario.title));
    }
    Ok(())
}

fn cmd_bench(args: &[String]) -> Result<(), String> {
    let mut completions: u64 = 2_000_000;
    let mut memory: Option<u64> = None;
    let mut json: Option<String> = None;
    let mut repeats: u64 = 3;
    let mut only: Option<ModelKind> = None;
    let mut it = args.iter();
    let count = |v: Option<&String>, flag: &str| {
        v.and_then(|v| v.replace('_', "").parse::<u64>().ok())
            .filter(|n| *n > 0)
            .ok_or(format!("{flag} takes a positive whole number"))
    };
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--completions" => completions = count(it.next(), "--completions")?,
            "--memory" => memory = Some(count(it.next(), "--memory")?),
            "--json" => json = Some(it.next().ok_or("--json takes a file name")?.clone()),
            "--repeats" => repeats = count(it.next(), "--repeats")?,
            "--model" => {
                let name = it.next().ok_or("--model takes a model name")?;
                let kind = ModelKind::from_name(name);
                only = Some(kind.ok_or(format!("unknown model {name}; one of {}", ModelKind::NAMES.join(", ")))?);
            }
            other => return Err(format!("unknown option {other}\n{USAGE}")),
        }
    }
    let mut report = measure::run(completions, repeats.min(100) as u32, only);
    if let Some(n) = memory {
        report.figures.extend(measure::memory_run(n));
    }
    print!("{}", report.to_text());
    if let Some(path) = json {
        let text = serde_json::to_string_pretty(&report.figures).expect("figures serialize");
        if let Some(dir) = std::path::Path::new(&path).parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        std::fs::write(&path, text + "\n").map_err(|e| format!("cannot write {path}: {e}"))?;
    }
    Ok(())
}
