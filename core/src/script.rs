//! Scripted runs: an explicit list of steps against one model, printing one observation
//! per step. The same scripts run against a real kernel with `ringlab-probe`.
//!
//! ```json
//! {"model": {"kind": "io_uring", "sq_entries": 4, "cq_entries": 8},
//!  "steps": [{"op": "submit", "n": 4, "kind": "nop"}, {"op": "getevents", "min": 0}]}
//! ```

use crate::error::{ConfigError, Errno};
use crate::model::{Kernel, ModelSpec, Request, RequestKind, SetupInfo};
use crate::ring::Completion;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// One step of a script.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Step {
    /// Submit `n` requests; a `nop` completes during the submit, an `io` stays in flight.
    Submit {
        n: u32,
        #[serde(default)]
        kind: RequestKind,
    },
    /// The device completes the `n` oldest in-flight requests.
    Complete { n: u32 },
    /// Userspace takes up to `n` events from the ring and advances head (no syscall).
    Reap { n: u32 },
    /// The reaping syscall: `io_getevents(min, max)` or `io_uring_enter(0, min, GETEVENTS)`.
    Getevents {
        #[serde(default)]
        min: u32,
        #[serde(default = "default_max")]
        max: u32,
    },
    /// Simulated time passes; timers that fall due fire.
    Advance { ns: u64 },
    /// The next backlog allocation fails (io_uring 5.13+).
    FailNextAlloc {},
    /// `io_destroy` / closing the ring fd: the overflow list is discarded (counted as
    /// dropped), requests in flight are cancelled, and later calls fail (EINVAL for aio,
    /// EBADF for io_uring).
    Destroy {},
}

fn default_max() -> u32 {
    u32::MAX
}

impl Step {
    pub fn op(&self) -> &'static str {
        match self {
            Step::Submit { .. } => "submit",
            Step::Complete { .. } => "complete",
            Step::Reap { .. } => "reap",
            Step::Getevents { .. } => "getevents",
            Step::Advance { .. } => "advance",
            Step::FailNextAlloc {} => "fail_next_alloc",
            Step::Destroy {} => "destroy",
        }
    }
}

/// The most steps a script may have, and the most requests one step may name.
pub const MAX_STEPS: usize = 100_000;
pub const MAX_STEP_COUNT: u32 = 1 << 20;

/// A model and the steps to run against it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Script {
    pub model: ModelSpec,
    pub steps: Vec<Step>,
}

impl Script {
    pub fn from_json(text: &str) -> Result<Script, ConfigError> {
        let script: Script =
            serde_json::from_str(text).map_err(|e| ConfigError::new("", format!("bad script: {e}")))?;
        script.validate()?;
        Ok(script)
    }

    /// Checks sizes that would make a run unreasonably large; model values are checked
    /// by setup, as the kernel does.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.steps.len() > MAX_STEPS {
            return Err(ConfigError::new("steps", format!("{} steps; at most {MAX_STEPS} allowed", self.steps.len())));
        }
        for (i, step) in self.steps.iter().enumerate() {
            let n = match step {
                Step::Submit { n, .. } | Step::Complete { n } | Step::Reap { n } => *n,
                _ => 0,
            };
            if n > MAX_STEP_COUNT {
                return Err(ConfigError::new(
                    format!("steps[{i}].n"),
                    format!("{n} is out of range; allowed 0 to {MAX_STEP_COUNT}"),
                ));
            }
        }
        Ok(())
    }
}

/// A step's return value: a count, or an error name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum StepResult {
    Count(u32),
    Error(Errno),
}

impl From<Result<u32, Errno>> for StepResult {
    fn from(r: Result<u32, Errno>) -> Self {
        match r {
            Ok(n) => StepResult::Count(n),
            Err(e) => StepResult::Error(e),
        }
    }
}

/// The first line of a run: what setup did.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SetupLine {
    pub step: u32,
    pub op: &'static str,
    pub result: StepResult,
    #[serde(flatten)]
    pub info: SetupInfo,
    /// Why setup failed, for people (not compared against the kernel).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// What a step left behind, as a program reading the shared ring would see it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StepLine {
    pub step: u32,
    pub op: &'static str,
    pub result: StepResult,
    /// `head` as the model stores it (aio: index in `[0, nr)`; io_uring: free-running u32).
    pub head: u32,
    pub tail: u32,
    /// User data in the ring from head to tail.
    pub ring: Vec<u64>,
    /// User data on the overflow list, oldest first.
    pub backlog: Vec<u64>,
    /// The flag next to the tail (false where the model has none).
    pub flag: bool,
    /// The drop counter (io_uring `cq.overflow`).
    pub overflow: u32,
    pub in_flight: u32,
    /// User data returned by this step.
    pub reaped: Vec<u64>,
    /// SQEs still queued after the step (io_uring only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sq_pending: Option<u32>,
    pub time_ns: u64,
}

/// Runs a script with its own device and clock.
#[derive(Clone, Debug)]
pub struct ScriptRun {
    kernel: Kernel,
    /// In-flight requests, oldest first: `complete {n}` finishes the front.
    device: VecDeque<u64>,
    next_user_data: u64,
    now: u64,
    step: u32,
    started: Vec<u64>,
    out: Vec<Completion>,
    reqs: Vec<Request>,
}

impl ScriptRun {
    /// Sets the model up; an `Err` carries the setup line reporting the kernel's refusal.
    pub fn setup(model: &ModelSpec) -> Result<(ScriptRun, SetupLine), SetupLine> {
        match Kernel::setup(model) {
            Ok(kernel) => {
                let line = SetupLine {
                    step: 0,
                    op: "setup",
                    result: StepResult::Count(0),
                    info: kernel.setup_info(),
                    error: None,
                };
                let run = ScriptRun {
                    kernel,
                    device: VecDeque::new(),
                    next_user_data: 0,
                    now: 0,
                    step: 0,
                    started: Vec::new(),
                    out: Vec::new(),
                    reqs: Vec::new(),
                };
                Ok((run, line))
            }
            Err(e) => Err(SetupLine {
                step: 0,
                op: "setup",
                result: StepResult::Error(e.errno.unwrap_or(Errno::EINVAL)),
                info: SetupInfo::default(),
                error: Some(e.to_string()),
            }),
        }
    }

    pub fn kernel(&self) -> &Kernel {
        &self.kernel
    }

    pub fn set_trace_capacity(&mut self, capacity: usize) {
        self.kernel.set_trace_capacity(capacity);
    }

    /// See [`Kernel::set_timer_skip`]: off, `advance` runs the timer fire by fire.
    #[doc(hidden)]
    pub fn set_timer_skip(&mut self, on: bool) {
        self.kernel.set_timer_skip(on);
    }

    /// Runs one step and reports the state after it.
    pub fn run_step(&mut self, step: &Step) -> StepLine {
        self.step += 1;
        self.out.clear();
        self.started.clear();
        let now = self.now;
        if let Some(e) = self.kernel.teardown_errno() {
            // B10, U4.2e: the context or ring fd is gone. Time still passes, and the device
            // has nothing left to complete (the teardown cancelled it); every other step
            // acts on the dead handle or the unmapped ring.
            if !matches!(step, Step::Advance { .. } | Step::Complete { .. }) {
                return self.observe(step.op(), StepResult::Error(e));
            }
        }
        let result: StepResult = match *step {
            Step::Submit { n, kind } => {
                // No model takes more than a ring's or an SQ ring's worth in one call (at
                // most 2^18), so the requests past MAX_STEP_COUNT + 1 would only be refused:
                // leaving them out changes no result and keeps the step bounded for any `n`
                // (a script that skipped `Script::validate`).
                let made = n.min(MAX_STEP_COUNT + 1);
                self.reqs.clear();
                self.reqs.extend((0..made as u64).map(|i| Request { user_data: self.next_user_data + i, kind }));
                // io_uring numbers every SQE that fits in the SQ ring, even if the enter
                // then fails; aio numbers only the iocbs the kernel accepted.
                let queued = self.kernel.sq_room().map(|room| n.min(room));
                let r = self.kernel.submit(now, &self.reqs, &mut self.started);
                self.next_user_data += queued.unwrap_or(*r.as_ref().unwrap_or(&0)) as u64;
                self.device.extend(self.started.iter().copied());
                r.into()
            }
            Step::Complete { n } => {
                let mut done = 0;
                while done < n {
                    let Some(ud) = self.device.pop_front() else { break };
                    self.kernel.complete(now, ud);
                    done += 1;
                }
                StepResult::Count(done)
            }
            Step::Reap { n } => StepResult::Count(self.kernel.reap(now, n, &mut self.out)),
            Step::Getevents { min, max } => self.kernel.getevents(now, min, max, &mut self.out).into(),
            Step::Advance { ns } => {
                // B7: every timer fire due by then, the idle ones in bulk: O(1) for any
                // `ns` and period (a 1 ns timer on a stuck full ring fires 10^12 times in
                // 1000 s, all counted).
                let target = self.now.saturating_add(ns);
                self.kernel.run_timer_until(target);
                self.now = target;
                StepResult::Count(0)
            }
            Step::FailNextAlloc {} => {
                self.kernel.fail_next_alloc();
                StepResult::Count(0)
            }
            Step::Destroy {} => {
                let in_flight: Vec<u64> = self.device.drain(..).collect();
                self.kernel.destroy(now, &in_flight).into()
            }
        };
        self.observe(step.op(), result)
    }

    fn observe(&self, op: &'static str, result: StepResult) -> StepLine {
        let k = &self.kernel;
        StepLine {
            step: self.step,
            op,
            result,
            head: k.ring().head(),
            tail: k.ring().tail(),
            ring: k.ring().iter().map(|c| c.user_data).collect(),
            backlog: k.overflow_list().iter().map(|c| c.user_data).collect(),
            flag: k.flag().unwrap_or(false),
            overflow: k.overflow_counter(),
            in_flight: k.in_flight(),
            reaped: self.out.iter().map(|c| c.user_data).collect(),
            sq_pending: k.sq_pending(),
            time_ns: self.now,
        }
    }
}

/// Runs a whole script: the setup line, then one line per step (none if setup failed).
pub fn run(script: &Script) -> (SetupLine, Vec<StepLine>) {
    match ScriptRun::setup(&script.model) {
        Err(line) => (line, Vec::new()),
        Ok((mut run, line)) => {
            let steps = script.steps.iter().map(|s| run.run_step(s)).collect();
            (line, steps)
        }
    }
}

/// Runs a script and renders it as JSON lines (what `ringlab script` prints).
pub fn run_to_json_lines(script: &Script) -> Vec<String> {
    let (setup, steps) = run(script);
    let mut lines = vec![serde_json::to_string(&setup).expect("setup line serializes")];
    lines.extend(steps.iter().map(|s| serde_json::to_string(s).expect("step line serializes")));
    lines
}
