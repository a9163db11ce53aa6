//! `ringlab-probe`: runs ringlab scripts against the real kernel.
//!
//! - `ringlab-probe script FILE.json`: the kernel's observation lines (JSON, one per line).
//! - `ringlab-probe compare FILE.json`: kernel vs simulator, step by step; exit 1 on any
//!   difference, 2 when the script cannot be run here.

#[cfg(target_os = "linux")]
fn main() -> std::process::ExitCode {
    linux::main()
}

#[cfg(not(target_os = "linux"))]
fn main() -> std::process::ExitCode {
    eprintln!("ringlab-probe: the probe needs Linux (it calls io_uring and aio system calls); nothing to do on this system");
    std::process::ExitCode::from(2)
}

#[cfg(target_os = "linux")]
mod linux {
    use ringlab_core::script::Script;
    use ringlab_probe::check::compare_script;
    use ringlab_probe::kernel::{run_script, ProbeError};
    use std::process::ExitCode;

    const USAGE: &str = "usage:
  ringlab-probe script FILE.json    run a script against this kernel, print one JSON observation per line
  ringlab-probe compare FILE.json   run it against this kernel and the simulator, compare step by step
                                    (exit 0: all match, 1: a difference, 2: cannot run here)";

    enum Failure {
        Differs,
        Usage(String),
    }

    pub fn main() -> ExitCode {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let result = match (args.first().map(String::as_str), &args[args.len().min(1)..]) {
            (Some("script"), [path]) => cmd_script(path),
            (Some("compare"), [path]) => cmd_compare(path),
            (Some("-h" | "--help"), _) => {
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

    fn load(path: &str) -> Result<Script, Failure> {
        let text = std::fs::read_to_string(path).map_err(|e| Failure::Usage(format!("cannot read {path}: {e}")))?;
        Script::from_json(&text).map_err(|e| Failure::Usage(format!("{path}: {e}")))
    }

    fn refused(path: &str, e: ProbeError) -> Failure {
        Failure::Usage(format!("{path}: {e}"))
    }

    fn cmd_script(path: &str) -> Result<(), Failure> {
        let script = load(path)?;
        if let Err(e) = ringlab_probe::check::check_cpus(&script) {
            eprintln!("ringlab-probe: warning: {e}");
        }
        let run = run_script(&script).map_err(|e| refused(path, e))?;
        println!("{}", serde_json::to_string(&run.setup).expect("serializes"));
        for line in &run.steps {
            println!("{}", serde_json::to_string(line).expect("serializes"));
        }
        match run.stopped {
            None => Ok(()),
            Some(e) => {
                eprintln!("ringlab-probe: {path}: {e}");
                Err(Failure::Differs)
            }
        }
    }

    fn cmd_compare(path: &str) -> Result<(), Failure> {
        let script = load(path)?;
        let report = compare_script(&script).map_err(|e| refused(path, e))?;
        let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
        println!("{path}: model {} against Linux {}", report.kind, release.trim());
        for line in report.render() {
            println!("{line}");
        }
        if report.all_match() {
            Ok(())
        } else {
            Err(Failure::Differs)
        }
    }
}
