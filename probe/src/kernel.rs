//! Runs a script against the real kernel and reports what a program reading the shared
//! rings sees, as the same [`SetupLine`]/[`StepLine`] observations the simulator prints.
//!
//! Safe code only: every system call goes through [`crate::sys`].

#![forbid(unsafe_code)]

use crate::sys::aio::{AioContext, Iocb};
use crate::sys::io_uring::{
    IoUring, Sqe, IORING_ENTER_GETEVENTS, IORING_FEAT_EXT_ARG, IORING_OP_NOP, IORING_OP_POLL_ADD, IORING_SQ_CQ_OVERFLOW,
};
use crate::sys::{errno_name, pin_to_cpu, raise_nofile_limit, Pipe};
use ringlab_core::error::Errno;
use ringlab_core::model::aio::AioSpec;
use ringlab_core::model::io_uring::UringSpec;
use ringlab_core::model::{Family, ModelSpec, RequestKind, SetupInfo};
use ringlab_core::script::{Script, ScriptRun, SetupLine, Step, StepLine, StepResult};
use serde::Serialize;
use std::collections::VecDeque;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// How long a `getevents` step may wait (the kernel's timeout), and how long `complete`
/// waits for a completion to become visible.
pub const GETEVENTS_TIMEOUT_NS: u64 = 1_000_000;
pub const COMPLETE_WAIT: Duration = Duration::from_millis(100);

/// Why the probe could not run (all of) a script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProbeError {
    /// The script asks for something the probe cannot do on a real kernel.
    Unsupported(String),
    /// The interface is not available here (ENOSYS, EPERM, disabled by sysctl).
    Unavailable(String),
    /// A system call failed in a way the model has no name for, or a completion never
    /// became visible; the lines up to the failing step are kept.
    Failed(String),
}

impl std::fmt::Display for ProbeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProbeError::Unsupported(m) => write!(f, "not supported by the probe: {m}"),
            ProbeError::Unavailable(m) => write!(f, "not available on this machine: {m}"),
            ProbeError::Failed(m) => write!(f, "probe failed: {m}"),
        }
    }
}

/// The kernel's side of a run.
#[derive(Clone, Debug)]
pub struct KernelRun {
    pub setup: SetupLine,
    pub steps: Vec<StepLine>,
    /// The script's `destroy` step, when it has one: the probe tore the context or ring
    /// down there and ran no later step (see [`TeardownLine`]).
    pub teardown: Option<TeardownLine>,
    /// Set when the run stopped before the last step.
    pub stopped: Option<ProbeError>,
}

/// What the probe observes of a `destroy` step: only the call's result. After
/// `io_destroy` the aio ring is unmapped; after `close` the io_uring backlog (read from
/// the fd's fdinfo) is gone with the fd and the kernel tears the ring down
/// asynchronously. No later step is run: a call on the dead handle could reach another
/// file or context that reused its number or address (other threads keep opening them).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TeardownLine {
    pub step: u32,
    pub op: &'static str,
    pub result: StepResult,
}

/// Descriptors the probe keeps in reserve besides what a script needs: the ones this
/// process already has open are counted separately, this covers short-lived ones (the
/// fdinfo read, the CPU list) and the test harness's.
const SPARE_DESCRIPTORS: u64 = 16;

/// `RLIMIT_NOFILE` after raising the soft limit to the hard one, once per process:
/// `(soft, hard)`, or why it could not be read.
pub fn nofile_limit() -> Result<(u64, u64), String> {
    static LIMIT: OnceLock<Result<(u64, u64), String>> = OnceLock::new();
    LIMIT
        .get_or_init(|| {
            raise_nofile_limit().map_err(|e| format!("getrlimit(RLIMIT_NOFILE) failed with {}", errno_name(e)))
        })
        .clone()
}

/// Descriptors this process has open now (`/proc/self/fd`, less the one listing it).
fn open_descriptors() -> u64 {
    std::fs::read_dir("/proc/self/fd").map(|d| d.count().saturating_sub(1) as u64).unwrap_or(0)
}

/// The most file descriptors `script` makes the probe hold at once, predicted by running
/// it in the simulator: two per `io` request (the pipe that is its device) from the moment
/// it is queued until a `complete` step finishes it, plus the ring's own (io_uring: its fd;
/// aio: the always-readable pipe of `nop` requests). aio makes the pipes of a whole `submit`
/// before `io_submit` says how many it accepts; io_uring only for the SQEs that fit.
pub fn descriptors_needed(script: &Script) -> u64 {
    let fixed = match script.model.kind().family() {
        Family::Aio | Family::Proposal => 2,
        Family::IoUring => 1,
    };
    let Ok((mut run, _)) = ScriptRun::setup(&script.model) else { return fixed };
    let held = |run: &ScriptRun| {
        let k = run.kernel();
        k.in_flight() as u64 + k.sq_pending().unwrap_or(0) as u64
    };
    let mut most = 0;
    for step in &script.steps {
        if let Step::Submit { n, kind: RequestKind::Io } = *step {
            let made = run.kernel().sq_room().map_or(n, |room| n.min(room)) as u64;
            most = most.max(held(&run) + made);
        }
        if matches!(step, Step::Destroy {}) {
            break; // the probe runs nothing after it
        }
        run.run_step(step);
        most = most.max(held(&run));
    }
    fixed + 2 * most
}

/// Whether `needed` descriptors fit next to `open` ones under the soft limit `soft`
/// (`hard` names the hard limit in the refusal).
pub fn check_descriptors(needed: u64, open: u64, soft: u64, hard: u64) -> Result<(), ProbeError> {
    let total = needed + open + SPARE_DESCRIPTORS;
    if total <= soft {
        return Ok(());
    }
    Err(ProbeError::Unavailable(format!(
        "the script needs {needed} file descriptors (two per io request it keeps in flight, and the ring's), \
         {total} with the {open} open now and {SPARE_DESCRIPTORS} spare, but RLIMIT_NOFILE allows {soft} \
         (hard limit {hard}); raise the hard limit to at least {total} (ulimit -Hn, or LimitNOFILE)"
    )))
}

/// `num_possible_cpus()`, from `/sys/devices/system/cpu/possible` (e.g. `0-1`, `0,2-3`).
pub fn possible_cpus() -> Result<u32, String> {
    let path = "/sys/devices/system/cpu/possible";
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    parse_cpu_list(text.trim()).ok_or_else(|| format!("cannot parse {path}: {:?}", text.trim()))
}

pub fn parse_cpu_list(list: &str) -> Option<u32> {
    let mut count = 0u32;
    for part in list.split(',').filter(|p| !p.is_empty()) {
        count += match part.split_once('-') {
            Some((a, b)) => b.trim().parse::<u32>().ok()?.checked_sub(a.trim().parse::<u32>().ok()?)? + 1,
            None => {
                part.trim().parse::<u32>().ok()?;
                1
            }
        };
    }
    (count > 0).then_some(count)
}

/// Whether io_uring can be used here; `Err` says why not.
pub fn io_uring_available() -> Result<(), String> {
    let disabled = std::fs::read_to_string("/proc/sys/kernel/io_uring_disabled").ok().map(|s| s.trim().to_string());
    if disabled.as_deref() == Some("2") {
        return Err("io_uring disabled by kernel.io_uring_disabled=2".into());
    }
    match IoUring::setup(1, None, false) {
        Ok(_) => Ok(()),
        Err(e) if e == libc::ENOSYS => Err("io_uring_setup returned ENOSYS (kernel built without io_uring)".into()),
        Err(e) if e == libc::EPERM => Err(format!(
            "io_uring_setup returned EPERM (kernel.io_uring_disabled={}, or a seccomp filter)",
            disabled.as_deref().unwrap_or("?")
        )),
        Err(e) => Err(format!("io_uring_setup(1) failed with {}", errno_name(e))),
    }
}

/// Whether legacy aio can be used here; `Err` says why not.
pub fn aio_available() -> Result<(), String> {
    match AioContext::setup(1) {
        Ok(_) => Ok(()),
        Err(e) if e == libc::ENOSYS => Err("io_setup returned ENOSYS (kernel built without CONFIG_AIO)".into()),
        Err(e) if e == libc::EPERM => Err("io_setup returned EPERM (a seccomp filter?)".into()),
        Err(e) if e == libc::EAGAIN => Err("io_setup(1) returned EAGAIN (fs.aio-nr has reached fs.aio-max-nr)".into()),
        Err(e) => Err(format!("io_setup(1) failed with {}", errno_name(e))),
    }
}

/// The model's name for a kernel error, if it has one.
fn model_errno(e: i32) -> Option<Errno> {
    Some(match e {
        libc::EINVAL => Errno::EINVAL,
        libc::EAGAIN => Errno::EAGAIN,
        libc::EBUSY => Errno::EBUSY,
        libc::EBADR => Errno::EBADR,
        libc::ETIME => Errno::ETIME,
        libc::EBADF => Errno::EBADF,
        _ => return None,
    })
}

fn step_error(step: u32, op: &str, call: &str, e: i32) -> ProbeError {
    ProbeError::Failed(format!(
        "step {step} ({op}): {call} failed with {}, which the model has no name for",
        errno_name(e)
    ))
}

/// Checks that the probe can perform every step of `script` (before touching the kernel).
pub fn check_supported(script: &Script) -> Result<(), ProbeError> {
    match &script.model {
        ModelSpec::IoUring(_) => {}
        ModelSpec::Aio(spec) => {
            let complete = spec.complete_cpu.unwrap_or(spec.submit_cpu);
            if complete != spec.submit_cpu {
                return Err(ProbeError::Unsupported(format!(
                    "complete_cpu {complete} differs from submit_cpu {}: the probe completes requests from the submitting thread",
                    spec.submit_cpu
                )));
            }
        }
        other
        @ (ModelSpec::Aio2012(_) | ModelSpec::Proposal(_) | ModelSpec::IoUring55(_) | ModelSpec::IoUring51(_)) => {
            return Err(ProbeError::Unsupported(format!(
                "model {:?}: the probe runs today's kernel, so only the models \"io_uring\" and \"aio\"",
                other.name()
            )))
        }
    }
    if let Some(i) = script.steps.iter().position(|s| matches!(s, Step::FailNextAlloc {})) {
        return Err(ProbeError::Unsupported(format!(
            "steps[{i}] fail_next_alloc: a real allocation failure needs a memory-cgroup limit, which the probe does not set up"
        )));
    }
    Ok(())
}

/// Runs `script` against the running kernel, after raising `RLIMIT_NOFILE` to the hard
/// limit and refusing the script up front when even that is too low for it.
pub fn run_script(script: &Script) -> Result<KernelRun, ProbeError> {
    check_supported(script)?;
    let (soft, hard) = nofile_limit().map_err(ProbeError::Unavailable)?;
    check_descriptors(descriptors_needed(script), open_descriptors(), soft, hard)?;
    match &script.model {
        ModelSpec::IoUring(spec) => UringProbe::run(spec, &script.steps),
        ModelSpec::Aio(spec) => AioProbe::run(spec, &script.steps),
        ModelSpec::Aio2012(_) | ModelSpec::Proposal(_) | ModelSpec::IoUring55(_) | ModelSpec::IoUring51(_) => {
            unreachable!("check_supported admits io_uring and aio only")
        }
    }
}

fn setup_failed(errno: Errno, message: String) -> SetupLine {
    SetupLine {
        step: 0,
        op: "setup",
        result: StepResult::Error(errno),
        info: SetupInfo::default(),
        error: Some(message),
    }
}

/// A request the probe handed to the kernel that stays in flight until its pipe is written.
struct InFlight {
    user_data: u64,
    pipe: Pipe,
}

/// Waits (spinning, bounded) until `visible()` holds.
fn wait_until(mut visible: impl FnMut() -> Result<bool, ProbeError>) -> Result<bool, ProbeError> {
    let start = Instant::now();
    loop {
        if visible()? {
            return Ok(true);
        }
        if start.elapsed() > COMPLETE_WAIT {
            return Ok(false);
        }
        std::thread::sleep(Duration::from_micros(20));
    }
}

/// `complete {n}`: writes the pipes of the `n` oldest in-flight requests, one at a time,
/// and waits until each completion shows (`posted()` grows); returns how many completed.
fn complete_oldest(
    device: &mut VecDeque<InFlight>,
    n: u32,
    index: u32,
    posted: impl Fn() -> Result<u64, ProbeError>,
) -> Result<u32, ProbeError> {
    let mut done = 0;
    while done < n {
        let Some(mut req) = device.pop_front() else { break };
        let before = posted()?;
        req.pipe.fire().map_err(|e| ProbeError::Failed(format!("step {index} (complete): pipe write: {e}")))?;
        if !wait_until(|| Ok(posted()? > before))? {
            return Err(ProbeError::Failed(format!(
                "step {index} (complete): the completion of user data {} did not appear within {:?}",
                req.user_data, COMPLETE_WAIT
            )));
        }
        done += 1;
    }
    Ok(done)
}

// ---------------------------------------------------------------------------------------
// io_uring

struct UringProbe {
    ring: IoUring,
    /// SQEs queued in the SQ ring, not yet consumed (with their pipe, for `io`).
    queued: VecDeque<(u64, Option<Pipe>)>,
    device: VecDeque<InFlight>,
    next_user_data: u64,
    /// Submit as liburing ≥ 2.3 does (L1.6).
    submit_getevents: bool,
}

/// The user data on the CQ overflow list, from `/proc/self/fdinfo/<fd>` (`CqOverflowList:`).
fn read_backlog(fd: i32) -> Result<Vec<u64>, ProbeError> {
    let path = format!("/proc/self/fdinfo/{fd}");
    // fdinfo prints nothing ring-specific when it cannot take the ring lock; retry briefly.
    for _ in 0..100 {
        let text =
            std::fs::read_to_string(&path).map_err(|e| ProbeError::Failed(format!("cannot read {path}: {e}")))?;
        if let Some(list) = parse_overflow_list(&text) {
            return Ok(list);
        }
        std::thread::sleep(Duration::from_micros(100));
    }
    Err(ProbeError::Failed(format!("{path} has no CqOverflowList section")))
}

/// Parses the `CqOverflowList:` section of an io_uring fdinfo: lines such as
/// `  user_data=8, res=0, flags=0`. `None` when the section is missing.
pub fn parse_overflow_list(fdinfo: &str) -> Option<Vec<u64>> {
    let mut lines = fdinfo.lines();
    lines.by_ref().find(|l| l.trim_start().starts_with("CqOverflowList:"))?;
    let mut out = Vec::new();
    for line in lines {
        let Some(rest) = line.trim_start().strip_prefix("user_data=") else { break };
        let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        out.push(digits.parse().ok()?);
    }
    Some(out)
}

impl UringProbe {
    fn run(spec: &UringSpec, steps: &[Step]) -> Result<KernelRun, ProbeError> {
        let ring = match IoUring::setup(spec.sq_entries, spec.cq_entries, spec.clamp) {
            Ok(ring) => ring,
            Err(e) if e == libc::ENOSYS || e == libc::EPERM => {
                return Err(ProbeError::Unavailable(format!("io_uring_setup returned {}", errno_name(e))))
            }
            Err(e) => {
                let line = match model_errno(e) {
                    Some(errno) => setup_failed(errno, format!("io_uring_setup returned {}", errno_name(e))),
                    None => return Err(ProbeError::Failed(format!("io_uring_setup failed with {}", errno_name(e)))),
                };
                return Ok(KernelRun { setup: line, steps: Vec::new(), teardown: None, stopped: None });
            }
        };
        let p = ring.params();
        if p.features & IORING_FEAT_EXT_ARG == 0 {
            return Err(ProbeError::Unavailable(
                "this kernel lacks IORING_FEAT_EXT_ARG (5.11+), needed for a getevents wait with a timeout".into(),
            ));
        }
        let setup = SetupLine {
            step: 0,
            op: "setup",
            result: StepResult::Count(0),
            info: SetupInfo { sq_entries: Some(p.sq_entries), cq_entries: Some(p.cq_entries), ..Default::default() },
            error: None,
        };
        let mut probe = UringProbe {
            ring,
            queued: VecDeque::new(),
            device: VecDeque::new(),
            next_user_data: 0,
            submit_getevents: spec.submit_getevents,
        };
        let mut run = KernelRun { setup, steps: Vec::new(), teardown: None, stopped: None };
        let mut now = 0u64;
        for (i, step) in steps.iter().enumerate() {
            let index = i as u32 + 1;
            if matches!(step, Step::Destroy {}) {
                run.teardown = Some(probe.destroy(index));
                break;
            }
            match probe.step(index, step, &mut now) {
                Ok(line) => run.steps.push(line),
                Err(e) => {
                    run.stopped = Some(e);
                    break;
                }
            }
        }
        Ok(run)
    }

    /// `destroy`: liburing's `io_uring_queue_exit` (unmap, then close the ring fd); the
    /// requests in flight go with the ring, their pipes with the probe.
    fn destroy(self, index: u32) -> TeardownLine {
        let result = match self.ring.close() {
            Ok(r) => StepResult::Count(r),
            Err(e) => StepResult::Error(model_errno(e).unwrap_or(Errno::EINVAL)),
        };
        TeardownLine { step: index, op: "destroy", result }
    }

    /// Completions posted so far, wherever they went (ring, backlog, dropped).
    fn posted(ring: &IoUring) -> Result<u64, ProbeError> {
        Ok(ring.cq_tail() as u64 + read_backlog(ring.raw_fd())?.len() as u64 + ring.cq_overflow() as u64)
    }

    fn step(&mut self, index: u32, step: &Step, now: &mut u64) -> Result<StepLine, ProbeError> {
        let mut reaped = Vec::new();
        let result = match *step {
            Step::Submit { n, kind } => {
                let k = n.min(self.ring.sq_space());
                for _ in 0..k {
                    let user_data = self.next_user_data;
                    self.next_user_data += 1;
                    let (sqe, pipe) = match kind {
                        RequestKind::Nop => (Sqe { opcode: IORING_OP_NOP, user_data, ..Default::default() }, None),
                        RequestKind::Io => {
                            let pipe = Pipe::new().map_err(|e| step_error(index, "submit", "pipe2", e))?;
                            let sqe = Sqe {
                                opcode: IORING_OP_POLL_ADD,
                                fd: pipe.read_fd(),
                                // poll32_events: the kernel swaps its halfwords on big-endian.
                                op_flags: if cfg!(target_endian = "big") {
                                    (libc::POLLIN as u32).rotate_left(16)
                                } else {
                                    libc::POLLIN as u32
                                },
                                user_data,
                                ..Default::default()
                            };
                            (sqe, Some(pipe))
                        }
                    };
                    let queued = self.ring.push_sqe(sqe);
                    assert!(queued, "sq_space() promised room");
                    self.queued.push_back((user_data, pipe));
                }
                let before = self.ring.sq_head();
                let to_submit = self.ring.sq_pending();
                // L1.6: liburing's io_uring_submit adds GETEVENTS (wait 0) while
                // IORING_SQ_CQ_OVERFLOW is set, and with nothing to submit enters only then.
                let getevents = self.submit_getevents && self.ring.sq_flags() & IORING_SQ_CQ_OVERFLOW != 0;
                let r = if self.submit_getevents && to_submit == 0 && !getevents {
                    Ok(0)
                } else {
                    self.ring.enter(to_submit, 0, if getevents { IORING_ENTER_GETEVENTS } else { 0 }, None)
                };
                let consumed = self.ring.sq_head().wrapping_sub(before);
                for _ in 0..consumed {
                    let (user_data, pipe) = self.queued.pop_front().expect("the kernel consumed only queued SQEs");
                    if let Some(pipe) = pipe {
                        self.device.push_back(InFlight { user_data, pipe });
                    }
                }
                match r {
                    Ok(c) => StepResult::Count(c),
                    Err(e) => StepResult::Error(
                        model_errno(e).ok_or_else(|| step_error(index, "submit", "io_uring_enter", e))?,
                    ),
                }
            }
            Step::Complete { n } => {
                let ring = &self.ring;
                StepResult::Count(complete_oldest(&mut self.device, n, index, || Self::posted(ring))?)
            }
            Step::Reap { n } => {
                let head = self.ring.cq_head();
                let tail = self.ring.cq_tail();
                let k = n.min(tail.wrapping_sub(head));
                reaped.extend((0..k).map(|i| self.ring.cqe(head.wrapping_add(i)).user_data));
                self.ring.set_cq_head(head.wrapping_add(k));
                StepResult::Count(k)
            }
            Step::Getevents { min, .. } => {
                match self.ring.enter(0, min, IORING_ENTER_GETEVENTS, Some(GETEVENTS_TIMEOUT_NS)) {
                    Ok(c) => StepResult::Count(c),
                    Err(e) => StepResult::Error(
                        model_errno(e).ok_or_else(|| step_error(index, "getevents", "io_uring_enter", e))?,
                    ),
                }
            }
            Step::Advance { ns } => {
                *now = now.saturating_add(ns);
                StepResult::Count(0)
            }
            Step::FailNextAlloc {} => unreachable!("refused by check_supported"),
            Step::Destroy {} => unreachable!("run tears the ring down itself"),
        };
        self.observe(index, step.op(), result, reaped, *now)
    }

    fn observe(
        &self,
        step: u32,
        op: &'static str,
        result: StepResult,
        reaped: Vec<u64>,
        now: u64,
    ) -> Result<StepLine, ProbeError> {
        let head = self.ring.cq_head();
        let tail = self.ring.cq_tail();
        let ring = (0..tail.wrapping_sub(head)).map(|i| self.ring.cqe(head.wrapping_add(i)).user_data).collect();
        Ok(StepLine {
            step,
            op,
            result,
            head,
            tail,
            ring,
            backlog: read_backlog(self.ring.raw_fd())?,
            flag: self.ring.sq_flags() & IORING_SQ_CQ_OVERFLOW != 0,
            overflow: self.ring.cq_overflow(),
            in_flight: self.device.len() as u32,
            reaped,
            sq_pending: Some(self.ring.sq_pending()),
            time_ns: now,
        })
    }
}

// ---------------------------------------------------------------------------------------
// aio

struct AioProbe {
    // Field order is drop order: io_destroy (cancels the polls) before the pipes close.
    ctx: AioContext,
    /// Always readable: a poll on it completes during io_submit (the model's `nop`).
    ready: Pipe,
    device: VecDeque<InFlight>,
    next_user_data: u64,
}

impl AioProbe {
    fn run(spec: &AioSpec, steps: &[Step]) -> Result<KernelRun, ProbeError> {
        // The model's submitting task and device both run on `submit_cpu` (CPU 0 by default).
        pin_to_cpu(spec.submit_cpu as usize).map_err(|e| {
            ProbeError::Unavailable(format!(
                "cannot pin to CPU {}: sched_setaffinity returned {}",
                spec.submit_cpu,
                errno_name(e)
            ))
        })?;
        let ctx = match AioContext::setup(spec.nr_events) {
            Ok(ctx) => ctx,
            Err(e) if e == libc::ENOSYS || e == libc::EPERM => {
                return Err(ProbeError::Unavailable(format!("io_setup returned {}", errno_name(e))))
            }
            Err(e) => {
                let line = match model_errno(e) {
                    Some(errno) => setup_failed(errno, format!("io_setup returned {}", errno_name(e))),
                    None => return Err(ProbeError::Failed(format!("io_setup failed with {}", errno_name(e)))),
                };
                return Ok(KernelRun { setup: line, steps: Vec::new(), teardown: None, stopped: None });
            }
        };
        let mut ready = Pipe::new().map_err(|e| ProbeError::Failed(format!("pipe2 failed with {}", errno_name(e))))?;
        ready.fire().map_err(|e| ProbeError::Failed(format!("pipe write: {e}")))?;
        let setup = SetupLine {
            step: 0,
            op: "setup",
            result: StepResult::Count(0),
            // Only nr is visible (the ring header); req_batch, reqs_available and max_requests
            // are kernel-internal, so the probe leaves them out rather than computing them.
            info: SetupInfo { ring_entries: Some(ctx.nr()), ..Default::default() },
            error: None,
        };
        let mut probe = AioProbe { ctx, ready, device: VecDeque::new(), next_user_data: 0 };
        let mut run = KernelRun { setup, steps: Vec::new(), teardown: None, stopped: None };
        let mut now = 0u64;
        for (i, step) in steps.iter().enumerate() {
            if matches!(step, Step::Destroy {}) {
                run.teardown = Some(probe.destroy(i as u32 + 1));
                break;
            }
            match probe.step(i as u32 + 1, step, &mut now) {
                Ok(line) => run.steps.push(line),
                Err(e) => {
                    run.stopped = Some(e);
                    break;
                }
            }
        }
        Ok(run)
    }

    /// `destroy`: `io_destroy`, which cancels the polls in flight and waits for them, then
    /// unmaps the ring; the pipes close after it.
    fn destroy(self, index: u32) -> TeardownLine {
        let AioProbe { ctx, ready, device, .. } = self;
        let result = match ctx.destroy() {
            Ok(r) => StepResult::Count(r),
            Err(e) => StepResult::Error(model_errno(e).unwrap_or(Errno::EINVAL)),
        };
        drop(device);
        drop(ready);
        TeardownLine { step: index, op: "destroy", result }
    }

    /// Events in the ring (the ring cannot overflow, so a new completion always shows here).
    fn in_ring(&self) -> u32 {
        Self::events_in_ring(&self.ctx)
    }

    fn events_in_ring(ctx: &AioContext) -> u32 {
        let nr = ctx.nr();
        (ctx.tail() % nr + nr - ctx.head() % nr) % nr
    }

    fn step(&mut self, index: u32, step: &Step, now: &mut u64) -> Result<StepLine, ProbeError> {
        let mut reaped = Vec::new();
        let result = match *step {
            Step::Submit { n, kind } => {
                let mut iocbs = Vec::with_capacity(n as usize);
                let mut pipes = Vec::new();
                for i in 0..n as u64 {
                    let data = self.next_user_data + i;
                    let fd = match kind {
                        RequestKind::Nop => self.ready.read_fd(),
                        RequestKind::Io => {
                            let pipe = Pipe::new().map_err(|e| step_error(index, "submit", "pipe2", e))?;
                            let fd = pipe.read_fd();
                            pipes.push(InFlight { user_data: data, pipe });
                            fd
                        }
                    };
                    iocbs.push(Iocb::poll_in(fd, data));
                }
                match self.ctx.submit(&iocbs) {
                    Ok(k) => {
                        // Only iocbs the kernel accepted consume user data.
                        self.next_user_data += k as u64;
                        self.device.extend(pipes.into_iter().filter(|p| p.user_data < self.next_user_data));
                        StepResult::Count(k)
                    }
                    Err(e) => {
                        StepResult::Error(model_errno(e).ok_or_else(|| step_error(index, "submit", "io_submit", e))?)
                    }
                }
            }
            Step::Complete { n } => {
                let ctx = &self.ctx;
                StepResult::Count(complete_oldest(&mut self.device, n, index, || Ok(Self::events_in_ring(ctx) as u64))?)
            }
            Step::Reap { n } => {
                let nr = self.ctx.nr();
                let head = self.ctx.head() % nr;
                let k = n.min(self.in_ring());
                reaped.extend((0..k).map(|i| self.ctx.event((head + i) % nr).data));
                self.ctx.set_head((head + k) % nr);
                StepResult::Count(k)
            }
            Step::Getevents { min, max } => match self.ctx.getevents(min, max, GETEVENTS_TIMEOUT_NS) {
                Ok(events) => {
                    reaped.extend(events.iter().map(|e| e.data));
                    StepResult::Count(events.len() as u32)
                }
                Err(e) => {
                    StepResult::Error(model_errno(e).ok_or_else(|| step_error(index, "getevents", "io_getevents", e))?)
                }
            },
            Step::Advance { ns } => {
                *now = now.saturating_add(ns);
                StepResult::Count(0)
            }
            Step::FailNextAlloc {} => unreachable!("refused by check_supported"),
            Step::Destroy {} => unreachable!("run tears the context down itself"),
        };
        let nr = self.ctx.nr();
        let head = self.ctx.head();
        let tail = self.ctx.tail();
        let ring = (0..self.in_ring()).map(|i| self.ctx.event((head % nr + i) % nr).data).collect();
        Ok(StepLine {
            step: index,
            op: step.op(),
            result,
            head,
            tail,
            ring,
            backlog: Vec::new(),
            flag: false,
            overflow: 0,
            in_flight: self.device.len() as u32,
            reaped,
            sq_pending: None,
            time_ns: *now,
        })
    }
}
