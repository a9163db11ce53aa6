//! Stochastic and scripted runs in virtual time.
//!
//! A [`Sim`] owns a [`Kernel`], a device that completes requests after a sampled
//! latency, a submitter that follows the workload's phases, and a reaper that follows
//! its policy. [`Sim::step`] processes exactly one event, the earliest due (quinn's
//! "jump to the next wake-up"); [`Timeline`] adds snapshots so a run can step back
//! and seek exactly, by re-simulating from the nearest snapshot.

use crate::device::Device;
use crate::error::ConfigError;
use crate::kind::Family;
use crate::model::{Kernel, Request, RequestKind};
use crate::reaper::{ReaperPolicy, ReaperSpec};
use crate::ring::Completion;
use crate::scenario::Scenario;
use crate::script::{ScriptRun, StepLine};
use crate::stats::{Histogram, Sample, Series};
use crate::trace::Trace;
use crate::trace_file::Replay;
use crate::view::{Ledger, ReaperView, RingView, SlotView, ViewModel};
use crate::workload::seeded;
use rand_pcg::Pcg64Mcg;
use serde::Serialize;
use std::sync::Arc;

/// What one [`Sim::step`] did.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum SimEvent {
    /// The device completed a request.
    Completion { user_data: u64 },
    /// The proposal's flush timer fired; when that fire and the ones after it could move
    /// nothing (B7: the ring full, the list waiting), every such fire up to the next other
    /// event, in one event at the last of them.
    Timer,
    /// A new workload phase began.
    PhaseStart { index: usize },
    /// The submitter made a submit call for `requested` requests.
    Submit { requested: u32, accepted: u32 },
    /// The reaper woke and took `reaped` events.
    Reap { reaped: u32 },
    /// A scripted step ran.
    ScriptStep { index: usize, line: Box<StepLine> },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Due {
    Completion,
    Timer,
    Phase,
    Submit,
    Reap,
}

/// The stochastic driver: device, submitter and reaper around a kernel.
#[derive(Clone, Debug)]
struct Stochastic {
    kernel: Kernel,
    rng: Pcg64Mcg,
    /// In-flight requests, in completion order (ties go to the older request).
    device: Device,
    next_user_data: u64,
    /// Index of the current phase (== phases.len() once the timeline is over).
    phase: usize,
    phase_end: Option<u64>,
    next_submit: Option<u64>,
    next_reap: Option<u64>,
    reaper_blocked: bool,
    /// The earliest of the three above (phase end, submit, reap: see [`Stochastic::own_due`]),
    /// kept up to date by [`Stochastic::handle`]: a completion, the most frequent event,
    /// changes none of them unless it wakes the reaper.
    own_due: Option<(u64, Due)>,
    reqs: Vec<Request>,
    started: Vec<u64>,
    out: Vec<Completion>,
    /// The trace the current phase replays, and where it stands (`crate::trace_file`).
    replay: Option<Replay>,
    /// Trace requests accepted but not yet started (io_uring's SQ): user data, latency.
    queued: Vec<(u64, u64)>,
    latencies: Vec<u64>,
}

#[derive(Clone, Debug)]
struct Scripted {
    run: ScriptRun,
    next: usize,
}

#[derive(Clone, Debug)]
enum Driver {
    Stochastic(Box<Stochastic>),
    Scripted(Box<Scripted>),
}

/// A run of one scenario. `Clone` is the snapshot.
#[derive(Clone, Debug)]
pub struct Sim {
    scenario: Arc<Scenario>,
    driver: Driver,
    now: u64,
    events: u64,
    reap_latency: Histogram,
    series: Series,
}

impl Sim {
    pub fn new(scenario: &Scenario) -> Result<Sim, ConfigError> {
        scenario.validate()?;
        let scenario = Arc::new(scenario.clone());
        let driver = match scenario.script() {
            Some(script) => {
                let (run, _) = ScriptRun::setup(&script.model)
                    .map_err(|line| ConfigError::new("model", line.error.unwrap_or_else(|| "setup failed".into())))?;
                Driver::Scripted(Box::new(Scripted { run, next: 0 }))
            }
            None => {
                let kernel = Kernel::setup(&scenario.model).map_err(|e| e.within("model"))?;
                let first = &scenario.workload.phases[0];
                let replay = Replay::of(first, 0);
                let mut stochastic = Box::new(Stochastic {
                    kernel,
                    rng: seeded(scenario.seed),
                    device: Device::default(),
                    next_user_data: 0,
                    phase: 0,
                    phase_end: Some(first.length_ns()),
                    next_submit: match &replay {
                        Some(r) => r.next_at(),
                        None => first.submit_period_ns().map(|_| 0),
                    },
                    next_reap: Some(scenario.reaper.interval_ns),
                    reaper_blocked: false,
                    own_due: None,
                    reqs: Vec::new(),
                    started: Vec::new(),
                    out: Vec::new(),
                    replay,
                    queued: Vec::new(),
                    latencies: Vec::new(),
                });
                stochastic.own_due = stochastic.own_due();
                Driver::Stochastic(stochastic)
            }
        };
        let interval = (scenario.workload.duration_ns() / 512).max(1_000);
        let mut sim = Sim {
            scenario,
            driver,
            now: 0,
            events: 0,
            reap_latency: Histogram::default(),
            series: Series::new(interval, Series::DEFAULT_CAPACITY),
        };
        sim.sample();
        Ok(sim)
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    pub fn kernel(&self) -> &Kernel {
        match &self.driver {
            Driver::Stochastic(s) => &s.kernel,
            Driver::Scripted(s) => s.run.kernel(),
        }
    }

    /// Simulated time, ns.
    pub fn now(&self) -> u64 {
        self.now
    }

    /// Events processed so far (the step counter).
    pub fn events(&self) -> u64 {
        self.events
    }

    /// Where the scenario's timeline ends: the workload's length (0 for a scripted
    /// scenario, which ends after its last step: see [`Sim::is_finished`]).
    pub fn end_ns(&self) -> u64 {
        self.scenario.workload.duration_ns()
    }

    pub fn trace(&self) -> &Trace {
        self.kernel().trace()
    }

    /// Keeps only the newest `capacity` trace events (0: none, for benchmarks).
    pub fn set_trace_capacity(&mut self, capacity: usize) {
        match &mut self.driver {
            Driver::Stochastic(s) => s.kernel.set_trace_capacity(capacity),
            Driver::Scripted(s) => s.run.set_trace_capacity(capacity),
        }
    }

    pub fn series(&self) -> &Series {
        &self.series
    }

    pub fn reap_latency(&self) -> &Histogram {
        &self.reap_latency
    }

    /// Whether a scripted scenario has run all its steps.
    pub fn is_finished(&self) -> bool {
        match &self.driver {
            Driver::Scripted(s) => s.next >= self.scenario.steps.as_ref().map_or(0, Vec::len),
            Driver::Stochastic(_) => false,
        }
    }

    /// When the next event is due, if any.
    pub fn next_event_at(&self) -> Option<u64> {
        match &self.driver {
            Driver::Stochastic(s) => s.next_due().map(|(at, _)| at),
            Driver::Scripted(_) => (!self.is_finished()).then_some(self.now),
        }
    }

    /// Processes the earliest due event.
    pub fn step(&mut self) -> Option<SimEvent> {
        self.step_due_by(u64::MAX)
    }

    /// Processes the earliest due event if it is due at or before `t` (a script's next
    /// step is due now), finding it once: `run_until` and `Timeline::advance_to` would
    /// otherwise look for it twice per event, in `next_event_at` and in `step`.
    fn step_due_by(&mut self, t: u64) -> Option<SimEvent> {
        let event = match &mut self.driver {
            Driver::Stochastic(s) => {
                let (at, due) = s.next_due().filter(|&(at, _)| at <= t)?;
                self.now = at.max(self.now);
                s.handle(due, self.now, &self.scenario, &mut self.reap_latency)
            }
            Driver::Scripted(s) => {
                if self.now > t {
                    return None;
                }
                let steps = self.scenario.steps.as_deref().unwrap_or(&[]);
                let step = steps.get(s.next)?;
                let line = s.run.run_step(step);
                self.now = line.time_ns;
                let index = s.next;
                s.next += 1;
                SimEvent::ScriptStep { index, line: Box::new(line) }
            }
        };
        self.events += 1;
        if self.series.due(self.now) {
            self.sample();
        }
        Some(event)
    }

    /// Runs every event due at or before `t`, then sets the clock to `t`.
    pub fn run_until(&mut self, t: u64) {
        while self.step_due_by(t).is_some() {}
        if let Driver::Stochastic(s) = &mut self.driver {
            // B7: the next event may be a bulk run of idle timer fires ending after `t`;
            // the fires at or before `t` have happened by `t` (nothing else is due before
            // the run ends, so they are all idle). They are part of that event, not one
            // of their own: `events` does not move.
            s.kernel.skip_idle_fires(t);
            self.now = self.now.max(t);
        }
    }

    /// See [`Kernel::set_timer_skip`]: off, every timer fire is an event of its own.
    #[doc(hidden)]
    pub fn set_timer_skip(&mut self, on: bool) {
        match &mut self.driver {
            Driver::Stochastic(s) => s.kernel.set_timer_skip(on),
            Driver::Scripted(s) => s.run.set_timer_skip(on),
        }
    }

    fn sample(&mut self) {
        let k = self.kernel();
        let c = k.counters();
        // `Series::push` schedules the next sample an interval (or two, when it thins out)
        // after this one: at the end of simulated time (a script's `advance` by u64::MAX
        // ns) the sample is dated that much earlier, so that nothing overflows.
        let margin = self.series.interval_ns().saturating_mul(2);
        let sample = Sample {
            at: self.now.min(u64::MAX - margin),
            ring_len: k.ring().len(),
            list_len: k.overflow_list().len() as u32,
            in_flight: k.in_flight(),
            syscalls: c.syscalls,
            reaped: c.reaped(),
            p50_ns: self.reap_latency.quantile(0.5),
            p99_ns: self.reap_latency.quantile(0.99),
        };
        self.series.push(sample);
    }

    /// A short fingerprint of the run at this instant: the same link gives the same hash
    /// on every machine (FNV-1a over time, counters, pointers and the queued user data).
    pub fn run_hash(&self) -> String {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut eat = |v: u64| {
            for b in v.to_le_bytes() {
                h ^= b as u64;
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
        };
        let k = self.kernel();
        let c = k.counters();
        for v in [
            self.now,
            self.events,
            c.submitted,
            c.completed,
            c.overflowed,
            c.reaped(),
            c.dropped,
            c.syscalls,
            c.eagain,
            c.ebusy,
        ] {
            eat(v);
        }
        eat(k.ring().head() as u64);
        eat(k.ring().tail() as u64);
        for c in k.ring().iter().chain(k.overflow_list().iter()) {
            eat(c.user_data);
        }
        format!("{:08x}", (h >> 32) ^ (h & 0xffff_ffff))
    }

    /// The ledger: every submitted request is in flight, in the ring, on the list,
    /// reaped or dropped.
    pub fn ledger(&self) -> Ledger {
        let k = self.kernel();
        let c = k.counters();
        let ledger = Ledger {
            submitted: c.submitted,
            in_flight: k.in_flight() as u64,
            in_ring: k.ring().len() as u64,
            in_list: k.overflow_list().len() as u64,
            reaped: c.reaped(),
            dropped: c.dropped,
            holds: false,
        };
        Ledger { holds: ledger.submitted == ledger.accounted(), ..ledger }
    }

    /// The ring as drawn: one segment per slot up to `max_segments` slots, otherwise
    /// arcs of equal size whose occupancy is counted exactly.
    pub fn ring_view(&self, max_segments: u32) -> RingView {
        let ring = self.kernel().ring();
        let entries = ring.entries();
        let per = entries.div_ceil(max_segments.max(1)).max(1);
        let mut slots = Vec::with_capacity(entries.div_ceil(per) as usize);
        let mut first = 0;
        while first < entries {
            let count = per.min(entries - first);
            let (occupied, user_data) = if count == 1 {
                let occupant = ring.occupant(first).map(|c| c.user_data);
                (occupant.is_some() as u32, occupant)
            } else {
                ((first..first + count).filter(|&s| ring.occupant(s).is_some()).count() as u32, None)
            };
            slots.push(SlotView { index: first, slots: count, occupied, user_data });
            first += count;
        }
        RingView {
            entries,
            capacity: ring.capacity(),
            head: ring.head(),
            tail: ring.tail(),
            head_slot: ring.slot_of(ring.head()),
            tail_slot: ring.slot_of(ring.tail()),
            len: ring.len(),
            slots,
            capacity_rule: match ring.indexing() {
                crate::ring::Indexing::Modulo => {
                    "aio keeps one slot empty: capacity is nr − 1, head == tail means empty"
                }
                crate::ring::Indexing::FreeRunning => {
                    "io_uring uses every slot: head and tail are free-running u32 counters, masked to a slot"
                }
            },
        }
    }

    /// Everything the main view draws, with per-slot detail up to 64 slots.
    pub fn view(&self) -> ViewModel {
        let k = self.kernel();
        let (reaper, phase) = match &self.driver {
            Driver::Stochastic(s) => (
                ReaperView {
                    policy: self.scenario.reaper.policy.name(),
                    blocked: s.reaper_blocked,
                    next_wake_ns: s.next_reap,
                },
                self.scenario.workload.phases.get(s.phase).map(|p| p.name.clone()),
            ),
            Driver::Scripted(_) => (ReaperView { policy: "script", blocked: false, next_wake_ns: None }, None),
        };
        ViewModel {
            model: k.kind(),
            now_ns: self.now,
            events: self.events,
            ring: self.ring_view(64),
            overflow_list: k.overflow_list().iter().map(|c| c.user_data).collect(),
            has_overflow_list: k.has_overflow_list(),
            flag: k.flag(),
            timer_deadline_ns: k.next_deadline(),
            has_timer: k.has_timer(),
            in_flight: k.in_flight(),
            counters: k.counters().clone(),
            overflow_counter: k.overflow_counter(),
            slot_pools: k.slot_pools(),
            ledger: self.ledger(),
            reap_latency: self.reap_latency.percentiles(),
            reaper,
            phase,
            end_ns: self.end_ns(),
        }
    }
}

impl Stochastic {
    fn next_due(&self) -> Option<(u64, Due)> {
        // Candidates in priority order: on a tie the earlier one wins (completion, phase,
        // submit, reap). This runs once per event: the last three are `own_due`.
        let mut best = self.own_due;
        if let Some(at) = self.device.next_done() {
            if best.is_none_or(|(b, _)| at <= b) {
                best = Some((at, Due::Completion));
            }
        }
        // The timer comes second in the tie order: after a completion, before the rest.
        if let Some(deadline) = self.kernel.next_deadline() {
            let at = self.timer_due(deadline, best.map(|(at, _)| at));
            match best {
                Some((other, due)) if other < at || (other == at && due == Due::Completion) => {}
                _ => best = Some((at, Due::Timer)),
            }
        }
        best
    }

    /// The earliest of the phase's end, the next submit and the reaper's next wake-up
    /// (a blocked reaper has none), the earlier one on a tie.
    fn own_due(&self) -> Option<(u64, Due)> {
        let mut best: Option<(u64, Due)> = None;
        let reap = if self.reaper_blocked { None } else { self.next_reap };
        for (at, due) in [(self.phase_end, Due::Phase), (self.next_submit, Due::Submit), (reap, Due::Reap)] {
            if let Some(at) = at {
                if best.is_none_or(|(b, _)| at < b) {
                    best = Some((at, due));
                }
            }
        }
        best
    }

    /// When the timer's event is: its deadline, or, when that fire and the next ones
    /// cannot move anything (B7: ring full, list non-empty, the timer re-arming) and
    /// nothing else happens before `other`, the last of those fires before `other`: one
    /// event runs them all (see [`Kernel::skip_idle_fires`]). Each fire would wake a
    /// blocked reaper, which would then run between two fires: no bulk run then.
    fn timer_due(&self, deadline: u64, other: Option<u64>) -> u64 {
        match other {
            Some(other) if other > deadline && !self.reaper_blocked => {
                self.kernel.last_idle_fire_before(other).unwrap_or(deadline)
            }
            _ => deadline,
        }
    }

    fn handle(&mut self, due: Due, now: u64, scenario: &Scenario, latency: &mut Histogram) -> SimEvent {
        let event = self.handle_due(due, now, scenario, latency);
        if due != Due::Completion {
            self.own_due = self.own_due();
        }
        event
    }

    fn handle_due(&mut self, due: Due, now: u64, scenario: &Scenario, latency: &mut Histogram) -> SimEvent {
        match due {
            Due::Completion => {
                let user_data = self.device.pop().expect("a completion was due");
                self.kernel.complete(now, user_data);
                self.wake_reaper(now);
                SimEvent::Completion { user_data }
            }
            Due::Timer => {
                // B7: the fire at the deadline, and the idle fires up to `now` if `next_due`
                // bundled them (nothing else is due before `now`).
                self.kernel.run_timer_until(now);
                self.wake_reaper(now);
                SimEvent::Timer
            }
            Due::Phase => {
                self.phase += 1;
                match scenario.workload.phases.get(self.phase) {
                    Some(p) => {
                        self.phase_end = Some(now + p.length_ns());
                        self.replay = Replay::of(p, now);
                        self.next_submit = match &self.replay {
                            Some(r) => r.next_at(),
                            None => p.submit_period_ns().map(|_| now),
                        };
                    }
                    None => {
                        self.phase_end = None;
                        self.next_submit = None;
                        self.replay = None;
                    }
                }
                SimEvent::PhaseStart { index: self.phase }
            }
            Due::Submit if self.replay.is_some() => self.submit_trace(now),
            Due::Submit => {
                let phase = &scenario.workload.phases[self.phase];
                // A period past the end of simulated time (a rate of 1e-300 per second is
                // valid) means no further submission, not an overflow.
                self.next_submit = phase.submit_period_ns().and_then(|p| now.checked_add(p));
                let c = self.kernel.counters();
                let outstanding = c.submitted - c.reaped() - c.dropped;
                let n = (phase.batch as u64).min((phase.queue_depth as u64).saturating_sub(outstanding)) as u32;
                if n == 0 {
                    return SimEvent::Submit { requested: 0, accepted: 0 };
                }
                self.reqs.clear();
                let first = self.next_user_data;
                self.reqs.extend((0..n as u64).map(|i| Request { user_data: first + i, kind: phase.kind }));
                let queued = self.kernel.sq_room().map(|room| n.min(room));
                self.started.clear();
                // L1.6: with the model's `submit_getevents` this is liburing's io_uring_submit,
                // which also flushes the backlog (a blocked reaper needs no wake-up for it: it
                // blocks only once ring and backlog are empty, and what fills them wakes it).
                let result = self.kernel.submit(now, &self.reqs, &mut self.started);
                let accepted = *result.as_ref().unwrap_or(&0);
                self.next_user_data += queued.unwrap_or(accepted) as u64;
                let rng = &mut self.rng;
                self.device.start(now, self.started.iter().map(|&ud| (now + phase.latency.sample(rng), ud)));
                if phase.kind == RequestKind::Nop {
                    self.wake_reaper(now);
                }
                SimEvent::Submit { requested: n, accepted }
            }
            Due::Reap => {
                let reaped = self.reap(now, &scenario.reaper, latency);
                SimEvent::Reap { reaped }
            }
        }
    }

    fn wake_reaper(&mut self, now: u64) {
        if self.reaper_blocked {
            self.reaper_blocked = false;
            self.next_reap = Some(now);
            self.own_due = self.own_due();
        }
    }

    /// The reaping syscall as the policy's library makes it: `io_getevents(min, batch)`
    /// for aio, or `io_uring_enter(GETEVENTS, min)` and then reading the CQ ring.
    fn syscall_reap(&mut self, now: u64, min: u32, batch: u32) -> u32 {
        let is_uring = self.kernel.kind().family() == Family::IoUring;
        if is_uring {
            let _ = self.kernel.getevents(now, min, batch, &mut self.out);
            self.kernel.reap(now, batch, &mut self.out)
        } else {
            self.kernel.getevents(now, min.min(batch), batch, &mut self.out).unwrap_or(0)
        }
    }

    fn reap(&mut self, now: u64, spec: &ReaperSpec, latency: &mut Histogram) -> u32 {
        self.out.clear();
        let batch = spec.batch;
        let mut got = match spec.policy {
            ReaperPolicy::Libaio => {
                if self.kernel.ring().is_empty() {
                    self.kernel.note_syscall_skipped(now); // A4.1: head == tail → 0, no syscall
                    0
                } else {
                    self.syscall_reap(now, 0, batch)
                }
            }
            ReaperPolicy::Ring => self.kernel.reap(now, batch, &mut self.out), // A4.2, A4.3
            ReaperPolicy::RingFlag => {
                let got = self.kernel.reap(now, batch, &mut self.out);
                if got == 0 && self.kernel.flag() == Some(true) {
                    self.syscall_reap(now, 0, batch) // L1.3, B8.ii: empty ring + flag → syscall
                } else {
                    got
                }
            }
            ReaperPolicy::Syscall => self.syscall_reap(now, 0, batch),
        };
        if got == 0 && spec.blocking {
            got = self.syscall_reap(now, 1, batch);
            if got == 0 {
                self.reaper_blocked = true; // sleeps in the kernel until a completion arrives
            }
        }
        for c in &self.out {
            latency.record(now - c.completed_at);
        }
        self.next_reap = if self.reaper_blocked { None } else { Some(now + spec.interval_ns) };
        got
    }
}

impl Stochastic {
    /// A trace phase's submit call: the requests recorded at `now` (the queue depth holds
    /// none back), as many as io_uring's SQ has room for (the rest in the next call, at
    /// the same instant); a request the kernel refuses (EAGAIN, EBUSY) is not retried.
    /// Each started request completes after its latency (one an earlier, non-trace phase
    /// left in the SQ, at once).
    fn submit_trace(&mut self, now: u64) -> SimEvent {
        let room = self.kernel.sq_room().map_or(crate::workload::BATCH_RANGE.1 as usize, |r| r.max(1) as usize);
        let replay = self.replay.as_mut().expect("a trace phase");
        replay.take_due(now, room, &mut self.latencies);
        self.next_submit = replay.next_at();
        let first = self.next_user_data;
        self.reqs.clear();
        let n = self.latencies.len() as u64;
        self.reqs.extend((0..n).map(|i| Request { user_data: first + i, kind: RequestKind::Io }));
        let queued = self.kernel.sq_room().map(|room| room.min(self.reqs.len() as u32));
        self.started.clear();
        let result = self.kernel.submit(now, &self.reqs, &mut self.started);
        let accepted = *result.as_ref().unwrap_or(&0);
        let took = queued.unwrap_or(accepted) as usize;
        self.queued.extend((0..took).map(|i| (first + i as u64, self.latencies[i])));
        self.next_user_data += took as u64;
        let queued = &mut self.queued;
        self.device.start(
            now,
            self.started.iter().map(|&ud| {
                let at = queued.iter().position(|q| q.0 == ud);
                let latency = at.map_or(0, |i| queued.swap_remove(i).1);
                (now + latency, ud)
            }),
        );
        SimEvent::Submit { requested: self.reqs.len() as u32, accepted }
    }
}

/// A run with snapshots, so that it can step back and seek exactly.
#[derive(Clone, Debug)]
pub struct Timeline {
    current: Sim,
    /// Snapshots in event order; the first is the start of the run.
    snapshots: Vec<Sim>,
    /// A snapshot is kept every `every` events.
    every: u64,
}

impl Timeline {
    const MAX_SNAPSHOTS: usize = 128;

    pub fn new(sim: Sim) -> Timeline {
        Timeline { snapshots: vec![sim.clone()], current: sim, every: 64 }
    }

    pub fn sim(&self) -> &Sim {
        &self.current
    }

    /// Forward one event.
    pub fn step(&mut self) -> Option<SimEvent> {
        self.step_due_by(u64::MAX)
    }

    /// Forward one event, if it is due at or before `t`.
    fn step_due_by(&mut self, t: u64) -> Option<SimEvent> {
        let event = self.current.step_due_by(t)?;
        if self.current.events().is_multiple_of(self.every) {
            self.keep_snapshot();
        }
        Some(event)
    }

    fn keep_snapshot(&mut self) {
        if self.snapshots.len() >= Self::MAX_SNAPSHOTS {
            // Keep the start and every other snapshot; space them twice as far apart.
            let mut i = 0;
            self.snapshots.retain(|_| {
                i += 1;
                i % 2 == 1
            });
            self.every *= 2;
        }
        if self.snapshots.last().is_some_and(|s| s.events() < self.current.events()) {
            self.snapshots.push(self.current.clone());
        }
    }

    /// Plays forward to simulated time `t` (events at or before `t`), or until `max_events`.
    pub fn advance_to(&mut self, t: u64, max_events: u64) -> u64 {
        let mut n = 0;
        while n < max_events && self.step_due_by(t).is_some() {
            n += 1;
        }
        if n < max_events {
            self.current.run_until(t);
        }
        n
    }

    /// Goes to exactly `events` processed events, re-simulating from the nearest snapshot.
    pub fn seek_events(&mut self, events: u64) {
        self.rewind_to_events(events);
        while self.current.events() < events {
            if self.step().is_none() {
                break;
            }
        }
    }

    /// When `events` is behind the run, goes back to the newest snapshot at or before it
    /// (no simulation: the rest of a seek is [`Timeline::step`]s, which a caller can
    /// spread over several animation frames).
    pub fn rewind_to_events(&mut self, events: u64) {
        if events < self.current.events() {
            let i = self.snapshots.partition_point(|s| s.events() <= events).saturating_sub(1);
            self.current = self.snapshots[i].clone();
        }
    }

    /// When `t` is behind the run, goes back to the newest snapshot at or before it (the
    /// rest of a seek is [`Timeline::advance_to`]).
    pub fn rewind_to_time(&mut self, t: u64) {
        if t < self.current.now() {
            let i = self.snapshots.partition_point(|s| s.now() <= t).saturating_sub(1);
            self.current = self.snapshots[i].clone();
        }
    }

    /// One event back (exact).
    pub fn step_back(&mut self) -> bool {
        let events = self.current.events();
        if events == 0 {
            return false;
        }
        self.seek_events(events - 1);
        true
    }

    /// Goes to simulated time `t`: the state after every event at or before `t`.
    pub fn seek_time(&mut self, t: u64) {
        self.rewind_to_time(t);
        self.advance_to(t, u64::MAX);
    }
}
