//! Both sides of a script: the simulator (`ringlab_core::script::run`) and the kernel
//! ([`crate::kernel::run_script`]), compared step by step.

#![forbid(unsafe_code)]

use crate::compare::{compare_runs, ignored_note, render, Outcome, Verdict};
use crate::kernel::{possible_cpus, run_script, KernelRun, ProbeError};
use ringlab_core::model::{ModelKind, ModelSpec};
use ringlab_core::script::{self, Script};
use serde_json::Value;

/// The result of `compare`.
#[derive(Clone, Debug)]
pub struct Report {
    pub kind: ModelKind,
    pub kernel: KernelRun,
    pub kernel_lines: Vec<Value>,
    pub simulator_lines: Vec<Value>,
    pub verdicts: Vec<Verdict>,
}

impl Report {
    /// True when every line the kernel shows matches and the kernel run completed (lines
    /// after a `destroy`, which the probe cannot observe, say so and do not count).
    pub fn all_match(&self) -> bool {
        self.kernel.stopped.is_none() && self.differences().next().is_none()
    }

    pub fn differences(&self) -> impl Iterator<Item = &Verdict> {
        self.verdicts.iter().filter(|v| v.outcome.is_difference())
    }

    /// Lines not compared because the probe ran nothing after a teardown.
    pub fn not_observed(&self) -> usize {
        self.verdicts.iter().filter(|v| matches!(v.outcome, Outcome::NotObservable(_))).count()
    }

    /// The human report: a header, one line per step, a summary.
    pub fn render(&self) -> Vec<String> {
        let mut out = vec![ignored_note(self.kind)];
        out.extend(self.verdicts.iter().map(render));
        if let Some(e) = &self.kernel.stopped {
            out.push(format!("the kernel run stopped early: {e}"));
        }
        let differing = self.differences().count();
        let unseen = self.not_observed();
        out.push(if self.all_match() && unseen > 0 {
            format!(
                "result: every observable line matches (setup and {} steps; {unseen} after the destroy not run on the kernel)",
                self.verdicts.len() - 1
            )
        } else if self.all_match() {
            format!("result: every line matches (setup and {} steps)", self.verdicts.len() - 1)
        } else {
            format!(
                "result: {differing} of {} lines differ (setup and {} steps)",
                self.verdicts.len(),
                self.verdicts.len() - 1
            )
        });
        out
    }
}

/// Refuses an aio script written for a different number of possible CPUs than this
/// machine has: today's aio sizes its ring and batches from that number.
pub fn check_cpus(script: &Script) -> Result<(), ProbeError> {
    if let ModelSpec::Aio(spec) = &script.model {
        let here = possible_cpus().map_err(ProbeError::Unavailable)?;
        if spec.cpus != here {
            return Err(ProbeError::Unsupported(format!(
                "the script models {} possible CPUs but this machine has {here} (/sys/devices/system/cpu/possible); \
                 today's aio sizes its ring and slot batches from that number, so set \"cpus\": {here} to compare here",
                spec.cpus
            )));
        }
    }
    Ok(())
}

/// The same script with `cpus` set to this machine's count (aio only).
pub fn with_machine_cpus(script: &Script) -> Result<Script, ProbeError> {
    let mut s = script.clone();
    if let ModelSpec::Aio(spec) = &mut s.model {
        spec.cpus = possible_cpus().map_err(ProbeError::Unavailable)?;
    }
    Ok(s)
}

/// Runs `script` on the kernel and in the simulator and compares the two.
pub fn compare_script(script: &Script) -> Result<Report, ProbeError> {
    check_cpus(script)?;
    let kernel = run_script(script)?;
    let (sim_setup, sim_steps) = script::run(script);
    let to_value = |v: Result<Value, serde_json::Error>| v.expect("observation lines serialize");
    let mut simulator_lines = vec![to_value(serde_json::to_value(&sim_setup))];
    simulator_lines.extend(sim_steps.iter().map(|s| to_value(serde_json::to_value(s))));
    let mut kernel_lines = vec![to_value(serde_json::to_value(&kernel.setup))];
    kernel_lines.extend(kernel.steps.iter().map(|s| to_value(serde_json::to_value(s))));
    kernel_lines.extend(kernel.teardown.iter().map(|t| to_value(serde_json::to_value(t))));
    let kind = script.model.kind();
    let verdicts = compare_runs(kind, &kernel_lines, &simulator_lines);
    Ok(Report { kind, kernel, kernel_lines, simulator_lines, verdicts })
}
