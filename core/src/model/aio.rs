//! Today's Linux aio, 3.17+ (reference A.0, A.3).
//!
//! The ring is oversized (doubling and a 4·cpus minimum) and every request reserves its
//! slot at submit, through per-CPU caches filled in batches of `req_batch`; slots come
//! back lazily, credited from the user-visible `head`. The ring cannot overflow.

use super::aio2012::{ring_nr, AIO_MAX_NR, AIO_NR_EVENTS_LIMIT};
use super::{check_range, Request, RequestKind, RingCtx, SetupInfo};
use crate::error::{ConfigError, Errno};
use crate::ring::{Completion, Ring};
use crate::spec::{field, Field, FieldTable};
use crate::trace::SyscallKind;
use serde::{Deserialize, Serialize};

/// Most possible CPUs the model accepts.
pub const MAX_CPUS: u32 = 1024;

fn default_cpus() -> u32 {
    2
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AioSpec {
    /// The `nr_events` argument of `io_setup`.
    pub nr_events: u32,
    /// `num_possible_cpus()`.
    #[serde(default = "default_cpus")]
    pub cpus: u32,
    /// The CPU the submitting task is pinned to.
    #[serde(default)]
    pub submit_cpu: u32,
    /// The CPU device completions run on (defaults to `submit_cpu`; Q8 in the reference).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complete_cpu: Option<u32>,
}

impl Default for AioSpec {
    fn default() -> Self {
        AioSpec { nr_events: 4, cpus: default_cpus(), submit_cpu: 0, complete_cpu: None }
    }
}

impl FieldTable for AioSpec {
    const WHAT: &'static str = "the model";
    const FIELDS: &'static [Field<Self>] = &[
        field!(nr_events: U32, Required, Some((1, AIO_MAX_NR as u64)), "the nr_events argument of io_setup"),
        field!(cpus: U32, Defaulted, Some((1, MAX_CPUS as u64)), "possible CPUs (num_possible_cpus)"),
        field!(submit_cpu: U32, Defaulted, None, "the CPU the submitting task is pinned to, below cpus"),
        field!(complete_cpu: OptU32, OmittedAtDefault, None, "the CPU completions run on, below cpus (unset: submit_cpu)"),
    ];
}

#[derive(Clone, Debug)]
pub struct Aio {
    max_reqs: u32,
    /// Global pool of free slots (`ctx->reqs_available`).
    reqs_available: u32,
    /// Per-CPU caches (`kcpu->reqs_available`).
    kcpu: Vec<u32>,
    req_batch: u32,
    /// Completions not yet credited back (`ctx->completed_events`).
    completed_events: u32,
    submit_cpu: usize,
    complete_cpu: usize,
}

impl Aio {
    pub fn setup(spec: &AioSpec) -> Result<(Aio, Ring), ConfigError> {
        check_range("cpus", spec.cpus as u64, 1, MAX_CPUS as u64)?;
        check_range("submit_cpu", spec.submit_cpu as u64, 0, spec.cpus as u64 - 1)?;
        let complete_cpu = spec.complete_cpu.unwrap_or(spec.submit_cpu);
        check_range("complete_cpu", complete_cpu as u64, 0, spec.cpus as u64 - 1)?;
        let n = spec.nr_events;
        let p = spec.cpus;
        // A3.1: n' = max(n, 4·P)·2, in the kernel's 32-bit unsigned arithmetic: a huge
        // n wraps (2^31 → 0), passes the size check and then fails with EAGAIN.
        let doubled = n.max(4 * p).wrapping_mul(2);
        if n == 0 || doubled > AIO_NR_EVENTS_LIMIT {
            return Err(ConfigError::kernel(
                Errno::EINVAL,
                "nr_events",
                format!("{n} is out of range; io_setup accepts 1 to {AIO_MAX_NR}"),
            ));
        }
        // A3.1: the original n is compared with aio_max_nr (and a wrapped n' of 0 too).
        if doubled == 0 || n > AIO_MAX_NR {
            return Err(ConfigError::kernel(
                Errno::EAGAIN,
                "nr_events",
                format!("{n} is above fs.aio-max-nr ({AIO_MAX_NR}); io_setup accepts 1 to {AIO_MAX_NR}"),
            ));
        }
        let nr = ring_nr(doubled); // A0.7 with m_in = n'
        let req_batch = ((nr - 1) / (4 * p)).max(1); // A3.1
        let aio = Aio {
            max_reqs: n,
            reqs_available: nr - 1, // A3.1
            kcpu: vec![0; p as usize],
            req_batch,
            completed_events: 0,
            submit_cpu: spec.submit_cpu as usize,
            complete_cpu: complete_cpu as usize,
        };
        Ok((aio, Ring::aio(nr)))
    }

    pub fn setup_info(&self, k: &RingCtx) -> SetupInfo {
        SetupInfo {
            ring_entries: Some(k.ring.entries()),
            req_batch: Some(self.req_batch),
            reqs_available: Some(self.reqs_available),
            max_requests: Some(self.max_reqs),
            ..Default::default()
        }
    }

    /// Slots in the global pool and in each CPU's cache (for the view).
    pub fn slot_pools(&self) -> (u32, &[u32]) {
        (self.reqs_available, &self.kcpu)
    }

    /// A3.3 `__get_reqs_available` on `cpu`.
    fn try_get_slot(&mut self, cpu: usize) -> bool {
        if self.kcpu[cpu] == 0 {
            if self.reqs_available < self.req_batch {
                return false; // A3.3: only whole batches move from the global pool
            }
            self.reqs_available -= self.req_batch;
            self.kcpu[cpu] += self.req_batch;
        }
        self.kcpu[cpu] -= 1;
        true
    }

    /// A3.4 `put_reqs_available`.
    fn put_slots(&mut self, cpu: usize, n: u32) {
        self.kcpu[cpu] += n;
        while self.kcpu[cpu] >= 2 * self.req_batch {
            self.kcpu[cpu] -= self.req_batch;
            self.reqs_available += self.req_batch;
        }
    }

    /// A3.5 `refill_reqs_available`, reading the user-visible head.
    fn refill(&mut self, k: &RingCtx, cpu: usize) {
        let in_ring = k.ring.len();
        if self.completed_events > in_ring {
            let credit = self.completed_events - in_ring;
            self.completed_events -= credit;
            self.put_slots(cpu, credit);
        }
    }

    /// A3.3 `get_reqs_available`: fast path, then one user refill (A3.5b) and a retry.
    fn get_slot(&mut self, k: &RingCtx, cpu: usize) -> bool {
        if self.try_get_slot(cpu) {
            return true;
        }
        if self.completed_events != 0 {
            self.refill(k, cpu);
        }
        self.try_get_slot(cpu)
    }

    pub fn submit(
        &mut self,
        k: &mut RingCtx,
        now: u64,
        reqs: &[Request],
        started: &mut Vec<u64>,
    ) -> Result<u32, Errno> {
        k.syscall(now, SyscallKind::Submit);
        // A3.2: nr is clamped to the ring size first.
        let nr = reqs.len().min(k.ring.entries() as usize);
        let cpu = self.submit_cpu;
        let mut i = 0;
        while i < nr {
            if !self.get_slot(k, cpu) {
                let e = k.eagain(now); // A3.2: no slot → EAGAIN for this iocb
                return if i == 0 { Err(e) } else { Ok(i as u32) };
            }
            let req = reqs[i];
            k.submitted(now, req);
            match req.kind {
                RequestKind::Nop => self.complete_on(
                    k,
                    now,
                    Completion { user_data: req.user_data, completed_at: now },
                    RequestKind::Nop,
                    cpu,
                ),
                RequestKind::Io => started.push(req.user_data),
            }
            i += 1;
        }
        Ok(i as u32) // A3.2: i ? i : err
    }

    pub fn complete(&mut self, k: &mut RingCtx, now: u64, c: Completion, kind: RequestKind) {
        self.complete_on(k, now, c, kind, self.complete_cpu);
    }

    /// A3.6 `aio_complete` on `cpu`.
    fn complete_on(&mut self, k: &mut RingCtx, now: u64, c: Completion, kind: RequestKind, cpu: usize) {
        k.completed(kind);
        k.write_ring(now, c); // A3.6: no full check; admission protects the ring
        self.completed_events += 1;
        if self.completed_events > 1 {
            self.refill(k, cpu); // A3.5(a)
        }
    }

    pub fn getevents(
        &mut self,
        k: &mut RingCtx,
        now: u64,
        min: u32,
        max: u32,
        out: &mut Vec<Completion>,
    ) -> Result<u32, Errno> {
        // A3.7: min_nr > nr → EINVAL.
        if min > max {
            return Err(Errno::EINVAL);
        }
        k.syscall(now, SyscallKind::GetEvents);
        // A3.7: copy runs from head; slots are not returned here (A3.5 does it lazily).
        Ok(k.take_from_ring(now, max, true, out))
    }
}
