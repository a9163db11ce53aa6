//! `ringlab-probe`: runs ringlab scripts against the real kernel.
//!
//! - `ringlab-probe script FILE.json`: the kernel's observation lines (JSON, one per line).
//! - `ringlab-probe compare FILE.json`: kernel vs simulator, step by step; exit 1 on any
//!   difference, 2 when the script cannot be run here.

#![forbid(unsafe_code)]

#[cfg(target_os = "linux")]
fn main() -> std::process::ExitCode {
    linux::main()
}

#[cfg(not(target_os = "linux"))]
fn main() -> std::process::ExitCode {
    eprintln!(
        "ringlab-probe: the probe needs Linux (it calls io_uring and aio system calls); nothing to do on this system"
    );
    std::process::ExitCode::from(2)
}

#[cfg(target_os = "linux")]
mod linux {
    use ringlab_core::script::Script;
    use ringlab_probe::check::{check_cpus, compare_script, with_machine_cpus};
    use ringlab_probe::kernel::{nofile_limit, run_script, ProbeError};
    use std::process::ExitCode;

    const USAGE: &str = "usage:
  ringlab-probe script FILE.json
      run a script against this kernel, print one JSON observation per line
  ringlab-probe compare [--machine-cpus] FILE.json...
      run each script against this kernel and in the simulator, compare step by step;
      --machine-cpus runs aio scripts with this machine's possible-CPU count instead of
      refusing a script whose \"cpus\" differs from it
      exit 0: every line matches; 1: a difference; 2: a script could not be run here";

    enum Failure {
        Differs,
        Usage(String),
    }

    pub fn main() -> ExitCode {
        let args: Vec<String> = std::env::args().skip(1).collect();
        // Every `io` request holds a pipe: raise RLIMIT_NOFILE to the hard limit before
        // anything runs (a script that still does not fit is refused with its count).
        if let Err(e) = nofile_limit() {
            eprintln!("ringlab-probe: warning: {e}");
        }
        let result = match args.first().map(String::as_str) {
            Some("script") if args.len() == 2 => cmd_script(&args[1]),
            Some("compare") if args.len() >= 2 => cmd_compare(&args[1..]),
            Some("-h" | "--help") => {
                println!("{USAGE}");
                Ok(())
            }
            _ => Err(Failure::Usage(USAGE.to_string())),
        };
        match result {
            Ok(()) => ExitCode::SUCCESS,
            Err(Failure::Differs) => ExitCode::from(1),
            Err(Failure::Usage(message)) => {
                eprintln!("ringlab-probe: {message}");
                ExitCode::from(2)
            }
        }
    }

    fn load(path: &str) -> Result<Script, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
        Script::from_json(&text).map_err(|e| format!("{path}: {e}"))
    }

    fn refused(path: &str, e: ProbeError) -> String {
        format!("{path}: {e}")
    }

    fn cmd_script(path: &str) -> Result<(), Failure> {
        let script = load(path).map_err(Failure::Usage)?;
        if let Err(e) = check_cpus(&script) {
            eprintln!("ringlab-probe: warning: {e}");
        }
        let run = run_script(&script).map_err(|e| Failure::Usage(refused(path, e)))?;
        println!("{}", serde_json::to_string(&run.setup).expect("serializes"));
        for line in &run.steps {
            println!("{}", serde_json::to_string(line).expect("serializes"));
        }
        if let Some(t) = &run.teardown {
            println!("{}", serde_json::to_string(t).expect("serializes"));
            let left = script.steps.len() as u32 - t.step;
            if left > 0 {
                eprintln!(
                    "ringlab-probe: {path}: the destroy in step {} tore the context down; the {left} steps after it were not run",
                    t.step
                );
            }
        }
        match run.stopped {
            None => Ok(()),
            Some(e) => {
                eprintln!("ringlab-probe: {path}: {e}");
                Err(Failure::Differs)
            }
        }
    }

    /// Whether one script matched; `Err` when it could not be run.
    fn compare_one(path: &str, machine_cpus: bool) -> Result<bool, String> {
        let mut script = load(path)?;
        if machine_cpus {
            script = with_machine_cpus(&script).map_err(|e| refused(path, e))?;
        }
        let report = compare_script(&script).map_err(|e| refused(path, e))?;
        let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
        println!("{path}: model {} against Linux {}", report.kind, release.trim());
        for line in report.render() {
            println!("{line}");
        }
        Ok(report.all_match())
    }

    fn cmd_compare(args: &[String]) -> Result<(), Failure> {
        let machine_cpus = args.iter().any(|a| a == "--machine-cpus");
        let paths: Vec<&String> = args.iter().filter(|a| *a != "--machine-cpus").collect();
        if paths.is_empty() {
            return Err(Failure::Usage(USAGE.to_string()));
        }
        let (mut matched, mut differ, mut refused) = (0, Vec::new(), Vec::new());
        for (i, path) in paths.iter().enumerate() {
            if i > 0 {
                println!();
            }
            match compare_one(path, machine_cpus) {
                Ok(true) => matched += 1,
                Ok(false) => differ.push(path.as_str()),
                Err(message) => {
                    eprintln!("ringlab-probe: {message}");
                    refused.push(path.as_str());
                }
            }
        }
        if paths.len() > 1 {
            println!();
            println!(
                "{} scripts: {matched} match, {} differ, {} could not run here",
                paths.len(),
                differ.len(),
                refused.len()
            );
            if !differ.is_empty() {
                println!("differ: {}", differ.join(" "));
            }
            if !refused.is_empty() {
                println!("could not run: {}", refused.join(" "));
            }
        }
        if !differ.is_empty() {
            Err(Failure::Differs)
        } else if !refused.is_empty() {
            Err(Failure::Usage(format!("{} of {} scripts could not be run here", refused.len(), paths.len())))
        } else {
            Ok(())
        }
    }
}
