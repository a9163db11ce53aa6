//! `ringlab`: run scripts and scenarios from the command line.
//!
//! - `ringlab script FILE.json`: one JSON observation per line (setup, then each step).
//! - `ringlab run SCENARIO.toml [--json]`: runs a stochastic scenario and prints a summary.
//! - `ringlab bench`: simulated completions per second next to a bare ring loop.

use ringlab_core::script::{self, Script};
use std::process::ExitCode;

const USAGE: &str = "usage:
  ringlab script FILE.json          run a script, print one JSON observation per line
  ringlab run SCENARIO.toml [--json] run a stochastic scenario, print a summary
  ringlab bench [--completions N]   measure simulated completions per second";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("script") => cmd_script(&args[1..]),
        Some("-h" | "--help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("{USAGE}")),
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
