//! `ringlab sweep`: a sweep's table, computed across cores with rayon (docs/sweeps.md).
//! The same table, bit for bit, as the browser's: the library computes it, in table order
//! whatever the threads' order.

use ringlab_core::link;
use ringlab_core::sweep::{parse_models, Axis, Metric, SweepSpec, Table};
use ringlab_core::{lessons, Scenario};

pub const USAGE: &str = "  ringlab sweep [SCENARIO] --x FIELD=FROM:TO:STEPS[:log] [--y FIELD=FROM:TO:STEPS[:log]]
              [--metric NAME] [--models a,b] [--threshold V] [--csv | --json] [--serial]
                                    run the scenario (a file, a share link, or the default)
                                    once per cell of the grid, under each model; print one
                                    JSON line per cell, or the table as CSV or JSON";

enum Output {
    Lines,
    Csv,
    Json,
}

/// The scenario and the sweep a SCENARIO argument names: a file, or a share link (with or
/// without its address; its `sweep_*` keys are the sweep's defaults).
fn read_base(arg: Option<&str>) -> Result<(Scenario, Option<SweepSpec>), String> {
    let Some(arg) = arg else { return Ok((lessons::default_scenario(), None)) };
    if std::path::Path::new(arg).exists() || !arg.contains('=') {
        return Ok((crate::read_scenario(arg)?, None));
    }
    let fragment = arg.rsplit_once('#').map_or(arg, |(_, f)| f);
    let decoded = link::decode(fragment, &lessons::default_scenario(), &lessons::lesson);
    if let Some(p) = decoded.problems.first() {
        return Err(format!("the link's {}: {}", p.key, p.message));
    }
    Ok((decoded.state.scenario, decoded.state.sweep))
}

pub fn cmd(args: &[String]) -> Result<(), String> {
    let mut scenario_arg: Option<&str> = None;
    let (mut x, mut y, mut metric, mut models, mut threshold) = (None, None, None, None, None);
    let mut output = Output::Lines;
    let mut serial = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = || inline.clone().or_else(|| it.next().cloned()).ok_or(format!("{flag} takes a value"));
        match flag {
            "--x" => x = Some(Axis::parse(&value()?).map_err(|e| format!("--x: {e}"))?),
            "--y" => y = Some(Axis::parse(&value()?).map_err(|e| format!("--y: {e}"))?),
            "--metric" => {
                let name = value()?;
                let names = Metric::ALL.map(Metric::name).join(", ");
                metric =
                    Some(Metric::from_name(&name).ok_or(format!("--metric: unknown metric `{name}`; one of {names}"))?);
            }
            "--models" => models = Some(parse_models(&value()?).map_err(|e| format!("--models: {e}"))?),
            "--threshold" => {
                let text = value()?;
                let t = text.parse::<f64>().ok().filter(|t| t.is_finite());
                threshold = Some(t.ok_or(format!("--threshold: `{text}` is not a number"))?);
            }
            "--csv" => output = Output::Csv,
            "--json" => output = Output::Json,
            "--serial" => serial = true,
            f if f.starts_with("--") => return Err(format!("sweep: unknown option {f}")),
            _ if scenario_arg.is_none() => scenario_arg = Some(arg),
            _ => return Err(format!("sweep: a second SCENARIO `{arg}`; give one")),
        }
    }
    let (base, from_link) = read_base(scenario_arg)?;
    let x = x.or(from_link.as_ref().map(|s| s.x.clone())).ok_or("sweep: --x FIELD=FROM:TO:STEPS[:log] is required")?;
    let y = y.or(from_link.as_ref().map(|s| s.y.clone())).unwrap_or_else(|| Axis::single_seed(base.seed));
    let spec = SweepSpec {
        x,
        y,
        metric: metric.or(from_link.as_ref().map(|s| s.metric)).unwrap_or(Metric::OverflowShare),
        models: models.or(from_link.as_ref().map(|s| s.models.clone())).unwrap_or_else(|| vec![base.model.kind()]),
        threshold: threshold.or(from_link.as_ref().and_then(|s| s.threshold)),
    };
    // Each message names the argument it is about.
    let named = |e: String| {
        let arg = if e.starts_with(&format!("{} ", spec.x.field)) || e.starts_with("x:") {
            "--x"
        } else if e.starts_with(&format!("{} ", spec.y.field)) || e.starts_with("y:") {
            "--y"
        } else if e.starts_with("models:") {
            "--models"
        } else {
            scenario_arg.unwrap_or("the default scenario")
        };
        let e = e.split_once(": ").filter(|(k, _)| ["x", "y", "models"].contains(k)).map_or(e.as_str(), |(_, m)| m);
        format!("{arg}: {e}")
    };
    spec.validate().map_err(named)?;
    let table = if serial { Table::run(&base, &spec) } else { Table::run_parallel(&base, &spec) };
    let table = table.map_err(named)?;
    match output {
        Output::Lines => {
            for cell in &table.cells {
                println!("{}", cell.to_json(&spec));
            }
        }
        Output::Csv => print!("{}", table.to_csv()),
        Output::Json => print!("{}", table.to_json()),
    }
    Ok(())
}
