//! The kernel models. Each is a plain state machine over one [`RingCtx`] (ring, overflow
//! list, flag, counters, trace); a scenario picks one by name, a [`ModelKind`].
//!
//! | name           | what it models                                  | reference |
//! |----------------|-------------------------------------------------|-----------|
//! | `aio-2012`     | Linux aio of the mail's time (3.2–3.9)          | A.0, A.1  |
//! | `aio`          | today's aio (3.17+)                             | A.0, A.3  |
//! | `proposal`     | the 2012 mail: overflow list, timer, flag       | B1–B11    |
//! | `io_uring`     | today's io_uring (6.1+)                         | U1–U5     |
//! | `io_uring-5.5` | io_uring 5.5–5.12: backlog, flush at submit     | U3.2, U5.1|
//! | `io_uring-5.1` | io_uring 5.1–5.3: drop and count, 4096 entries  | U3.1, U1.2|

pub mod aio;
pub mod aio2012;
pub mod io_uring;
pub mod proposal;

use crate::error::{ConfigError, Errno};
pub use crate::kind::{Family, ModelKind};
use crate::ring::{Completion, Ring};
use crate::trace::{Counters, FlushTrigger, SyscallKind, Trace, TraceKind};
use crate::view::SlotPools;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// A model and its parameters, as written in scripts, scenario files and links.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind")]
pub enum ModelSpec {
    #[serde(rename = "aio-2012")]
    Aio2012(aio2012::Aio2012Spec),
    #[serde(rename = "aio")]
    Aio(aio::AioSpec),
    #[serde(rename = "proposal")]
    Proposal(proposal::ProposalSpec),
    #[serde(rename = "io_uring")]
    IoUring(io_uring::UringSpec),
    #[serde(rename = "io_uring-5.5")]
    IoUring55(io_uring::UringSpec),
    #[serde(rename = "io_uring-5.1")]
    IoUring51(io_uring::UringSpec),
}

/// Runs `$body` with `$s` bound to the spec inside `$spec` (a `&ModelSpec` or a
/// `&mut ModelSpec`), whatever its type: the one match over the spec types that code
/// reaching the field tables (`crate::spec`) needs.
macro_rules! with_spec {
    ($spec:expr, $s:ident => $body:expr) => {
        match $spec {
            ModelSpec::Aio2012($s) => $body,
            ModelSpec::Aio($s) => $body,
            ModelSpec::Proposal($s) => $body,
            ModelSpec::IoUring($s) | ModelSpec::IoUring55($s) | ModelSpec::IoUring51($s) => $body,
        }
    };
}
pub(crate) use with_spec;

impl ModelSpec {
    /// Every model name, as used in files and links ([`ModelKind::NAMES`]).
    pub const NAMES: [&'static str; 6] = ModelKind::NAMES;

    pub fn kind(&self) -> ModelKind {
        match self {
            ModelSpec::Aio2012(_) => ModelKind::Aio2012,
            ModelSpec::Aio(_) => ModelKind::Aio,
            ModelSpec::Proposal(_) => ModelKind::Proposal,
            ModelSpec::IoUring(_) => ModelKind::IoUring,
            ModelSpec::IoUring55(_) => ModelKind::IoUring55,
            ModelSpec::IoUring51(_) => ModelKind::IoUring51,
        }
    }

    pub fn name(&self) -> &'static str {
        self.kind().name()
    }

    /// A model with its default parameters, for pickers.
    pub fn default_for(kind: ModelKind) -> ModelSpec {
        match kind {
            ModelKind::Aio2012 => ModelSpec::Aio2012(Default::default()),
            ModelKind::Aio => ModelSpec::Aio(Default::default()),
            ModelKind::Proposal => ModelSpec::Proposal(Default::default()),
            ModelKind::IoUring => ModelSpec::IoUring(Default::default()),
            ModelKind::IoUring55 => ModelSpec::IoUring55(Default::default()),
            ModelKind::IoUring51 => ModelSpec::IoUring51(Default::default()),
        }
    }

    /// The model's fields as files and links write them: (name, text), in its field
    /// table's order, without those left out at their default.
    #[inline]
    pub fn field_texts(&self) -> Vec<(&'static str, String)> {
        with_spec!(self, s => crate::spec::texts(s))
    }

    /// Whether this model has a field named `name`.
    #[inline]
    pub fn has_field(&self, name: &str) -> bool {
        with_spec!(self, s => field_of(s, name).is_some())
    }

    /// Whether any model has a field named `name` (a link's model keys).
    #[inline]
    pub fn is_field_name(name: &str) -> bool {
        ModelKind::ALL.into_iter().any(|k| ModelSpec::default_for(k).has_field(name))
    }
}

/// The field `name` of the table of `_spec`'s type.
pub(crate) fn field_of<S: crate::spec::FieldTable>(_spec: &S, name: &str) -> Option<&'static crate::spec::Field<S>> {
    S::field(name)
}

/// A request handed to the kernel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// Completes during the submit call itself.
    #[default]
    Nop,
    /// Stays in flight until the device completes it.
    Io,
}

impl RequestKind {
    /// The name in files and links.
    pub fn name(self) -> &'static str {
        match self {
            RequestKind::Nop => "nop",
            RequestKind::Io => "io",
        }
    }

    pub fn from_name(name: &str) -> Option<RequestKind> {
        [RequestKind::Io, RequestKind::Nop].into_iter().find(|k| k.name() == name)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Request {
    pub user_data: u64,
    pub kind: RequestKind,
}

/// What setup produced: the sizes the kernel chose.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SetupInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sq_entries: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cq_entries: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ring_entries: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub req_batch: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reqs_available: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_requests: Option<u32>,
}

/// The kernel's per-ring context (aio's `kioctx`, io_uring's `io_ring_ctx`) as far as
/// every model has it: the ring, the overflow list and its flag, the device's count,
/// counters and the trace. The per-model state machines act on it.
#[derive(Clone, Debug)]
pub struct RingCtx {
    pub ring: Ring,
    pub overflow_list: VecDeque<Completion>,
    /// The user-visible flag next to the tail (proposal B6; io_uring `IORING_SQ_CQ_OVERFLOW`).
    pub flag: bool,
    /// Requests submitted and not yet completed by the device.
    pub in_flight: u32,
    pub counters: Counters,
    pub trace: Trace,
}

impl RingCtx {
    fn new(ring: Ring) -> RingCtx {
        RingCtx {
            ring,
            overflow_list: VecDeque::new(),
            flag: false,
            in_flight: 0,
            counters: Counters::default(),
            trace: Trace::default(),
        }
    }

    fn syscall(&mut self, now: u64, call: SyscallKind) {
        self.syscall_counted_as(now, call, call);
    }

    /// A system call the trace shows as `traced` and the split counters count as `counted`
    /// (what the call did: an `io_uring_enter` that submits nothing only waits).
    fn syscall_counted_as(&mut self, now: u64, traced: SyscallKind, counted: SyscallKind) {
        self.counters.syscalls += 1;
        match counted {
            SyscallKind::Submit => self.counters.submit_calls += 1,
            SyscallKind::GetEvents => self.counters.getevents_calls += 1,
        }
        self.trace.push(now, TraceKind::Syscall { call: traced });
    }

    fn submitted(&mut self, now: u64, req: Request) {
        self.counters.submitted += 1;
        self.trace.push(now, TraceKind::Submitted { user_data: req.user_data });
        if req.kind == RequestKind::Io {
            self.in_flight += 1;
        }
    }

    /// Bookkeeping when a request completes (inline NOP or device).
    fn completed(&mut self, kind: RequestKind) {
        self.counters.completed += 1;
        if kind == RequestKind::Io {
            self.in_flight -= 1;
        }
    }

    #[inline]
    fn write_ring(&mut self, now: u64, c: Completion) {
        let tail = self.ring.tail();
        self.ring.push(c);
        self.counters.to_ring += 1;
        self.trace.push(now, TraceKind::ToRing { user_data: c.user_data, tail });
    }

    /// Appends to the overflow list; returns whether the list was empty before.
    fn push_list(&mut self, now: u64, c: Completion) -> bool {
        let was_empty = self.overflow_list.is_empty();
        self.overflow_list.push_back(c);
        let len = self.overflow_list.len() as u32;
        self.counters.overflowed += 1;
        self.counters.max_list = self.counters.max_list.max(len as u64);
        self.trace.push(now, TraceKind::ToList { user_data: c.user_data, list_len: len });
        was_empty
    }

    /// Moves events FIFO from the list head into the ring while it has room (B5, U4.1).
    #[inline]
    fn move_list_to_ring(&mut self, now: u64, trigger: FlushTrigger) -> u32 {
        // Under load the ring is full on nearly every call: nothing to move, nothing to record.
        if self.ring.is_full() || self.overflow_list.is_empty() {
            return 0;
        }
        self.move_some_to_ring(now, trigger)
    }

    fn move_some_to_ring(&mut self, now: u64, trigger: FlushTrigger) -> u32 {
        let moved = self.ring.push_from(&mut self.overflow_list);
        if moved > 0 {
            self.counters.flushed[trigger as usize] += moved as u64;
            self.trace.push(now, TraceKind::Flushed { moved, trigger, list_len: self.overflow_list.len() as u32 });
        }
        moved
    }

    fn set_flag(&mut self, now: u64, on: bool) {
        if self.flag != on {
            self.flag = on;
            self.trace.push(now, if on { TraceKind::FlagSet } else { TraceKind::FlagCleared });
        }
    }

    fn drop_completion(&mut self, now: u64, c: Completion) {
        self.counters.dropped += 1;
        self.trace.push(now, TraceKind::Dropped { user_data: c.user_data });
    }

    /// Takes up to `max` events from the ring, oldest first.
    fn take_from_ring(&mut self, now: u64, max: u32, syscall: bool, out: &mut Vec<Completion>) -> u32 {
        let from = out.len();
        let n = self.ring.pop_into(max, out);
        if syscall {
            self.counters.reaped_syscall += n as u64;
        } else {
            self.counters.reaped_user += n as u64;
        }
        let taken = &out[from..];
        self.trace
            .push_many(n as u64, |i| (now, TraceKind::Reaped { user_data: taken[i as usize].user_data, syscall }));
        n
    }

    fn eagain(&mut self, now: u64) -> Errno {
        self.counters.eagain += 1;
        self.trace.push(now, TraceKind::Eagain);
        Errno::EAGAIN
    }
}

#[derive(Clone, Debug)]
#[repr(u8)] // a plain tag byte: every kernel call dispatches on it (a niche took a decode)
enum Model {
    Aio2012(aio2012::Aio2012),
    Aio(aio::Aio),
    Proposal(proposal::Proposal),
    IoUring(io_uring::IoUring),
}

/// A kernel's completion side, under one of the models, driven by explicit calls in
/// virtual time: no I/O, no clock of its own.
#[derive(Clone, Debug)]
pub struct Kernel {
    spec: ModelSpec,
    model: Model,
    ctx: RingCtx,
    /// Set by [`Kernel::destroy`]: the context or ring is gone.
    destroyed: bool,
    /// What the teardown threw away (B11's `dropped_on_destroy`; also counted in `dropped`).
    dropped_on_destroy: u64,
    /// Whether idle timer fires run in bulk (B7, [`Kernel::skip_idle_fires`]); off only to
    /// compare against the fire-by-fire run ([`Kernel::set_timer_skip`]).
    timer_skip: bool,
}

impl Kernel {
    /// `io_setup` / `io_uring_setup`: validates the spec the way the kernel does.
    pub fn setup(spec: &ModelSpec) -> Result<Kernel, ConfigError> {
        let (model, ring) = match spec {
            ModelSpec::Aio2012(s) => {
                let (m, ring) = aio2012::Aio2012::setup(s)?;
                (Model::Aio2012(m), ring)
            }
            ModelSpec::Aio(s) => {
                let (m, ring) = aio::Aio::setup(s)?;
                (Model::Aio(m), ring)
            }
            ModelSpec::Proposal(s) => {
                let (m, ring) = proposal::Proposal::setup(s)?;
                (Model::Proposal(m), ring)
            }
            ModelSpec::IoUring(s) => {
                let (m, ring) = io_uring::IoUring::setup(s, io_uring::Version::Now)?;
                (Model::IoUring(m), ring)
            }
            ModelSpec::IoUring55(s) => {
                let (m, ring) = io_uring::IoUring::setup(s, io_uring::Version::V5_5)?;
                (Model::IoUring(m), ring)
            }
            ModelSpec::IoUring51(s) => {
                let (m, ring) = io_uring::IoUring::setup(s, io_uring::Version::V5_1)?;
                (Model::IoUring(m), ring)
            }
        };
        Ok(Kernel {
            spec: spec.clone(),
            model,
            ctx: RingCtx::new(ring),
            destroyed: false,
            dropped_on_destroy: 0,
            timer_skip: true,
        })
    }

    pub fn spec(&self) -> &ModelSpec {
        &self.spec
    }

    pub fn kind(&self) -> ModelKind {
        self.spec.kind()
    }

    pub fn setup_info(&self) -> SetupInfo {
        match &self.model {
            Model::Aio2012(m) => m.setup_info(&self.ctx),
            Model::Aio(m) => m.setup_info(&self.ctx),
            Model::Proposal(m) => m.setup_info(&self.ctx),
            Model::IoUring(m) => m.setup_info(&self.ctx),
        }
    }

    /// Submits requests (`io_submit`, or queueing SQEs then `io_uring_enter(to_submit)`).
    /// Returns the count accepted or an error; the user data of requests that entered the
    /// device are appended to `started`.
    pub fn submit(&mut self, now: u64, reqs: &[Request], started: &mut Vec<u64>) -> Result<u32, Errno> {
        if let Some(e) = self.teardown_errno() {
            return Err(e);
        }
        let k = &mut self.ctx;
        match &mut self.model {
            Model::Aio2012(m) => m.submit(k, now, reqs, started),
            Model::Aio(m) => m.submit(k, now, reqs, started),
            Model::Proposal(m) => m.submit(k, now, reqs, started),
            Model::IoUring(m) => m.submit(k, now, reqs, started),
        }
    }

    /// The device completed the in-flight request `user_data` at `now`.
    #[inline]
    pub fn complete(&mut self, now: u64, user_data: u64) {
        if self.destroyed {
            return; // the teardown cancelled every request in flight (see `destroy`)
        }
        let c = Completion { user_data, completed_at: now };
        let k = &mut self.ctx;
        match &mut self.model {
            Model::Aio2012(m) => m.complete(k, now, c, RequestKind::Io),
            Model::Aio(m) => m.complete(k, now, c, RequestKind::Io),
            Model::Proposal(m) => m.complete(k, now, c, RequestKind::Io),
            Model::IoUring(m) => m.complete(k, now, c, RequestKind::Io),
        }
    }

    /// Userspace reads up to `max` events straight from the ring and advances `head`:
    /// no system call (fio's `user_io_getevents`, QEMU, liburing's `cqe_seen`).
    pub fn reap(&mut self, now: u64, max: u32, out: &mut Vec<Completion>) -> u32 {
        if self.destroyed {
            return 0; // the ring is unmapped: nothing to read
        }
        // A1.6, A3.5, B5.1, U2.1: userspace writes head; models read it live.
        self.ctx.take_from_ring(now, max, false, out)
    }

    /// The reaping system call: `io_getevents(min, max)` for aio models, which copies
    /// events out into `out`; `io_uring_enter(0, min, GETEVENTS)` for io_uring, which
    /// only waits (and flushes) and returns no events. A wait that would sleep returns at
    /// once as a timed-out wait would: nothing else happens while a script waits.
    pub fn getevents(&mut self, now: u64, min: u32, max: u32, out: &mut Vec<Completion>) -> Result<u32, Errno> {
        if let Some(e) = self.teardown_errno() {
            return Err(e);
        }
        let k = &mut self.ctx;
        match &mut self.model {
            Model::Aio2012(m) => m.getevents(k, now, min, max, out),
            Model::Aio(m) => m.getevents(k, now, min, max, out),
            Model::Proposal(m) => m.getevents(k, now, min, max, out),
            Model::IoUring(m) => m.getevents(k, now, min),
        }
    }

    /// When the model next wants to run on its own (the proposal's flush timer).
    pub fn next_deadline(&self) -> Option<u64> {
        if self.destroyed {
            return None; // B10: io_destroy disarms the flush timer with the context
        }
        match &self.model {
            Model::Proposal(m) => m.timer_deadline(),
            Model::Aio2012(_) | Model::Aio(_) | Model::IoUring(_) => None,
        }
    }

    /// Runs what is due at `now` (timer fires). Call with `now >= next_deadline()`.
    pub fn on_deadline(&mut self, now: u64) {
        if self.destroyed {
            return;
        }
        if let Model::Proposal(m) = &mut self.model {
            m.on_timer(&mut self.ctx, now);
        }
    }

    /// Runs every timer fire at or before `until`, each at its own deadline, with nothing
    /// else happening in between (a script's `advance`). A fire that moves events runs
    /// on its own ([`Kernel::on_deadline`]); the idle fires after it, while the ring stays
    /// full, run in bulk ([`Kernel::skip_idle_fires`]), so this is O(1) whatever the
    /// period: at most one fire can move anything before the ring is full or the list
    /// empty. Returns the fires run.
    pub fn run_timer_until(&mut self, until: u64) -> u64 {
        let mut fires = 0;
        while let Some(deadline) = self.next_deadline().filter(|&d| d <= until) {
            let skipped = self.skip_idle_fires(until);
            if skipped == 0 {
                self.on_deadline(deadline);
                fires += 1;
            }
            fires += skipped;
        }
        fires
    }

    /// B7: runs at once every timer fire at or before `until` that cannot move anything,
    /// counting each in `timer_fires` and `timer_fires_empty` and recording its trace
    /// entries, and leaves the timer armed at the first fire after `until`: the state
    /// fire-by-fire firing would leave, in O(1) (plus the trace entries kept, at most the
    /// trace's capacity). A fire is idle when the ring is full and the list is not empty
    /// and the timer re-arms; nothing but a reap, a syscall or a completion changes that,
    /// so the caller must know none happens up to `until`. Returns the fires run (0 when
    /// the next fire is not idle, not due by `until`, or the skip is off).
    pub fn skip_idle_fires(&mut self, until: u64) -> u64 {
        match &mut self.model {
            Model::Proposal(m) if self.timer_skip && !self.destroyed => m.skip_idle_fires(&mut self.ctx, until),
            _ => 0,
        }
    }

    /// B7: when the next timer fire is idle (see [`Kernel::skip_idle_fires`]), the time of
    /// the last fire before `before` that a bulk run would reach; `None` otherwise (the
    /// next fire moves events, none is due before `before`, or the skip is off). A
    /// stochastic run schedules this as the timer's event when nothing else happens
    /// before `before`.
    pub fn last_idle_fire_before(&self, before: u64) -> Option<u64> {
        let (Model::Proposal(m), true, false) = (&self.model, self.timer_skip, self.destroyed) else { return None };
        let fires = m.idle_fires_until(&self.ctx, before.checked_sub(1)?);
        let first = m.timer_deadline()?;
        (fires > 0).then(|| first + (fires - 1) * m.spec.timer_ns)
    }

    /// Turns the bulk run of idle timer fires ([`Kernel::skip_idle_fires`]) on (the
    /// default) or off. Off, every fire is its own step: only for tests that compare the
    /// two, and for timing the difference.
    #[doc(hidden)]
    pub fn set_timer_skip(&mut self, on: bool) {
        self.timer_skip = on;
    }

    /// The reaper skipped a syscall because head == tail (libaio's fast path, A4.1).
    pub fn note_syscall_skipped(&mut self, now: u64) {
        self.ctx.counters.syscalls_skipped += 1;
        self.ctx.trace.push(now, TraceKind::SyscallSkipped);
    }

    /// `io_destroy` (aio models, the proposal) or closing the ring fd (io_uring): the
    /// overflow list is discarded and counted as dropped (B10, U4.2e), the flag clears, the
    /// timer is disarmed, and the requests still in flight, `in_flight` (their user data,
    /// as the device holds them), are cancelled: their completions never reach the
    /// application, so they count as dropped too. Later calls on the dead handle fail with
    /// [`Kernel::teardown_errno`]. Returns 0, as both calls do.
    pub fn destroy(&mut self, now: u64, in_flight: &[u64]) -> Result<u32, Errno> {
        if let Some(e) = self.teardown_errno() {
            return Err(e);
        }
        let k = &mut self.ctx;
        let discarded = match &mut self.model {
            Model::IoUring(m) => m.destroy(k, now) as u64,
            Model::Aio2012(_) | Model::Aio(_) | Model::Proposal(_) => {
                let mut n = 0;
                while let Some(c) = k.overflow_list.pop_front() {
                    k.drop_completion(now, c); // B10: the list is discarded with its kiocbs
                    n += 1;
                }
                k.set_flag(now, false); // B6: F == (|L| > 0)
                n
            }
        };
        let mut cancelled = 0;
        for &user_data in in_flight.iter().take(k.in_flight as usize) {
            // B10, U4.2e: teardown cancels what is in flight; nothing of it reaches the ring.
            k.in_flight -= 1;
            k.drop_completion(now, Completion { user_data, completed_at: now });
            cancelled += 1;
        }
        debug_assert_eq!(k.in_flight, 0, "destroy needs the user data of every request in flight");
        self.dropped_on_destroy += discarded + cancelled;
        self.destroyed = true;
        Ok(0)
    }

    /// After [`Kernel::destroy`], the error a call on the dead handle returns: `EINVAL` for
    /// an aio context (A1.5, A3.7: `lookup_ioctx` finds no context), `EBADF` for a closed
    /// io_uring fd (U4.2e); `None` while the kernel is alive.
    pub fn teardown_errno(&self) -> Option<Errno> {
        self.destroyed.then_some(match &self.model {
            Model::IoUring(_) => Errno::EBADF,
            Model::Aio2012(_) | Model::Aio(_) | Model::Proposal(_) => Errno::EINVAL,
        })
    }

    /// Completions the teardown threw away: the overflow list and the requests in flight.
    pub fn dropped_on_destroy(&self) -> u64 {
        self.dropped_on_destroy
    }

    /// Makes the next backlog allocation fail (io_uring 5.13+; no effect elsewhere).
    pub fn fail_next_alloc(&mut self) {
        if let Model::IoUring(m) = &mut self.model {
            m.fail_next_alloc = true;
        }
    }

    pub fn ring(&self) -> &Ring {
        &self.ctx.ring
    }

    pub fn overflow_list(&self) -> &VecDeque<Completion> {
        &self.ctx.overflow_list
    }

    /// The flag next to the tail: `None` where the model has none.
    pub fn flag(&self) -> Option<bool> {
        let has = match &self.model {
            Model::Proposal(m) => m.spec.flag,
            Model::IoUring(m) => m.has_flag(),
            Model::Aio2012(_) | Model::Aio(_) => false,
        };
        has.then_some(self.ctx.flag)
    }

    /// The model's drop counter (io_uring `cq.overflow`; 0 elsewhere).
    pub fn overflow_counter(&self) -> u32 {
        match &self.model {
            Model::IoUring(m) => m.cq_overflow,
            Model::Aio2012(_) | Model::Aio(_) | Model::Proposal(_) => 0,
        }
    }

    /// aio's slot accounting (A1.2, A3.3): what a submit checks; `None` for the other models.
    pub fn slot_pools(&self) -> Option<SlotPools> {
        match &self.model {
            Model::Aio2012(m) => {
                Some(SlotPools::Global { reqs_active: m.reqs_active(), limit: self.ctx.ring.capacity() })
            }
            Model::Aio(m) => {
                let (global, cpus) = m.slot_pools();
                let batch = m.setup_info(&self.ctx).req_batch.unwrap_or(1);
                Some(SlotPools::PerCpu { global, cpus: cpus.to_vec(), batch })
            }
            Model::Proposal(_) | Model::IoUring(_) => None,
        }
    }

    /// SQEs queued but not consumed (io_uring after `EBUSY`).
    pub fn sq_pending(&self) -> Option<u32> {
        match &self.model {
            Model::IoUring(m) => Some(m.sq_pending.len() as u32),
            Model::Aio2012(_) | Model::Aio(_) | Model::Proposal(_) => None,
        }
    }

    /// Free SQ ring entries (io_uring only).
    pub fn sq_room(&self) -> Option<u32> {
        match &self.model {
            Model::IoUring(m) => Some(m.sq_room()),
            Model::Aio2012(_) | Model::Aio(_) | Model::Proposal(_) => None,
        }
    }

    pub fn in_flight(&self) -> u32 {
        self.ctx.in_flight
    }

    pub fn counters(&self) -> &Counters {
        &self.ctx.counters
    }

    pub fn trace(&self) -> &Trace {
        &self.ctx.trace
    }

    /// Replaces the trace (for example with a larger or zero capacity).
    pub fn set_trace_capacity(&mut self, capacity: usize) {
        self.ctx.trace = Trace::with_capacity(capacity);
    }

    /// Whether the model has an overflow list at all.
    pub fn has_overflow_list(&self) -> bool {
        match &self.model {
            Model::Proposal(_) => true,
            Model::IoUring(m) => m.version != io_uring::Version::V5_1,
            Model::Aio2012(_) | Model::Aio(_) => false,
        }
    }

    /// Whether the model has a flush timer (and it is enabled).
    pub fn has_timer(&self) -> bool {
        matches!(&self.model, Model::Proposal(m) if m.spec.timer_ns > 0)
    }
}

/// Checks a numeric field against an inclusive range, naming it in the error.
pub(crate) fn check_range(field: &str, value: u64, min: u64, max: u64) -> Result<(), ConfigError> {
    if value < min || value > max {
        return Err(ConfigError::new(field, format!("{value} is out of range; allowed {min} to {max}")));
    }
    Ok(())
}
