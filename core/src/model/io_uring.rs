//! io_uring's completion queue (reference C.1–C.5): today's kernel (6.1+), 5.5–5.12
//! and 5.1–5.3, chosen by [`Version`]; plus liburing's submit (L1.6) as an option.

use super::{Request, RequestKind, RingCtx, SetupInfo};
use crate::error::{ConfigError, Errno};
use crate::ring::{Completion, Ring};
use crate::spec::{field, Field, FieldTable};
use crate::trace::{FlushTrigger, SyscallKind, TraceKind};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// Which kernel generation's rules apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    /// 5.1–5.3: a full CQ drops the CQE and counts it (U3.1), at most 4096 SQ entries
    /// (U1.2; 5.4 kept the drop but raised the limit to 32768, which this model does not).
    V5_1,
    /// 5.5–5.12: a backlog holding the request, flush at submit, `-EBUSY` (U3.2, U5.1).
    V5_5,
    /// 6.1 and later: allocated backlog entries, strict FIFO, `-EBADR` (U3.3–U3.6, U5.2).
    Now,
}

impl Version {
    /// `IORING_MAX_ENTRIES` (U1.2): 4096 in 5.1–5.3, 32768 from 5.4.
    pub fn max_sq_entries(self) -> u32 {
        match self {
            Version::V5_1 => 4096,
            _ => 32768,
        }
    }
}

/// `IORING_MAX_CQ_ENTRIES` (U1.2).
pub const MAX_CQ_ENTRIES: u32 = 65536;

fn yes() -> bool {
    true
}
fn default_sq_entries() -> u32 {
    4
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UringSpec {
    /// The `entries` argument of `io_uring_setup`.
    #[serde(default = "default_sq_entries")]
    pub sq_entries: u32,
    /// With a value, `IORING_SETUP_CQSIZE` and this CQ size (U1.6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cq_entries: Option<u32>,
    /// `IORING_SETUP_CLAMP` (U1.3).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub clamp: bool,
    /// io_uring-5.5 only: whether `IORING_SQ_CQ_OVERFLOW` exists (5.8–5.12: yes; 5.5–5.7: no).
    #[serde(default = "yes", skip_serializing_if = "Clone::clone")]
    pub flag: bool,
    /// The submitter is liburing ≥ 2.3's `io_uring_submit` (L1.6): while
    /// `IORING_SQ_CQ_OVERFLOW` is set it enters with `GETEVENTS` (wait 0), so the submit
    /// also flushes the backlog into whatever room the CQ has, and it enters even with
    /// nothing to submit. Off: a raw `io_uring_enter(to_submit, 0, 0)`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub submit_getevents: bool,
}

impl Default for UringSpec {
    fn default() -> Self {
        UringSpec {
            sq_entries: default_sq_entries(),
            cq_entries: None,
            clamp: false,
            flag: yes(),
            submit_getevents: false,
        }
    }
}

impl FieldTable for UringSpec {
    const WHAT: &'static str = "the model";
    const FIELDS: &'static [Field<Self>] = &[
        // U1.2: the most sq_entries the kernel takes depends on the version.
        field!(sq_entries: U32, Defaulted, None, "the entries argument of io_uring_setup (SQ ring size)"),
        field!(cq_entries: OptU32, OmittedAtDefault, Some((1, MAX_CQ_ENTRIES as u64)), "the CQ ring size (CQSIZE); unset: 2 × SQ"),
        field!(clamp: Bool, OmittedAtDefault, None, "IORING_SETUP_CLAMP: sizes above the limits are clamped, not refused"),
        field!(flag: Bool, OmittedAtDefault, None, "io_uring-5.5 only: whether IORING_SQ_CQ_OVERFLOW exists (5.8–5.12: yes; 5.5–5.7: no)"),
        field!(submit_getevents: Bool, OmittedAtDefault, None, "the submitter is liburing 2.3+'s io_uring_submit (flushes too)"),
    ];
}

#[derive(Clone, Debug)]
pub struct IoUring {
    pub version: Version,
    sq_entries: u32,
    /// SQEs queued in the SQ ring and not yet consumed by the kernel.
    pub sq_pending: VecDeque<Request>,
    /// `IO_CHECK_CQ_DROPPED_BIT` (5.19+).
    dropped_bit: bool,
    /// `cq.overflow` (U5.3).
    pub cq_overflow: u32,
    /// The next backlog allocation fails (U3.3 drop injection).
    pub fail_next_alloc: bool,
    flag_exists: bool,
    /// liburing ≥ 2.3's `io_uring_submit` (L1.6).
    submit_getevents: bool,
}

fn einval(field: &str, message: String) -> ConfigError {
    ConfigError::kernel(Errno::EINVAL, field, message)
}

impl IoUring {
    pub fn setup(spec: &UringSpec, version: Version) -> Result<(IoUring, Ring), ConfigError> {
        let max_sq = version.max_sq_entries();
        if version == Version::V5_1 && (spec.cq_entries.is_some() || spec.clamp) {
            // CQSIZE and CLAMP came in 5.5/5.6; older kernels reject unknown setup flags.
            let field = if spec.clamp { "clamp" } else { "cq_entries" };
            return Err(einval(field, "io_uring 5.1–5.3 has no IORING_SETUP_CQSIZE or IORING_SETUP_CLAMP".into()));
        }
        let mut entries = spec.sq_entries;
        if entries == 0 {
            return Err(einval("sq_entries", format!("0 is out of range; allowed 1 to {max_sq}")));
            // U1.1
        }
        if entries > max_sq {
            if !spec.clamp {
                return Err(einval(
                    "sq_entries",
                    format!("{entries} is out of range; allowed 1 to {max_sq} (or set clamp)"),
                )); // U1.3
            }
            entries = max_sq; // U1.3: CLAMP
        }
        let sq = entries.next_power_of_two(); // U1.4
        let cq = match spec.cq_entries {
            None => 2 * sq, // U1.5
            Some(0) => return Err(einval("cq_entries", format!("0 is out of range; allowed 1 to {MAX_CQ_ENTRIES}"))), // U1.6
            Some(c) => {
                let c = if c > MAX_CQ_ENTRIES {
                    if !spec.clamp {
                        return Err(einval(
                            "cq_entries",
                            format!("{c} is out of range; allowed 1 to {MAX_CQ_ENTRIES} (or set clamp)"),
                        )); // U1.6
                    }
                    MAX_CQ_ENTRIES
                } else {
                    c
                };
                let c = c.next_power_of_two(); // U1.6
                if c < sq {
                    // U1.6: compared after rounding (88ec3211); present by 5.10, so io_uring-5.5 applies it too.
                    return Err(einval(
                        "cq_entries",
                        format!("{c} (rounded up) is smaller than sq_entries {sq}; the CQ must be at least as large"),
                    ));
                }
                c
            }
        };
        let flag_exists = match version {
            Version::V5_1 => false,
            Version::V5_5 => spec.flag,
            Version::Now => true,
        };
        let uring = IoUring {
            version,
            sq_entries: sq,
            sq_pending: VecDeque::new(),
            dropped_bit: false,
            cq_overflow: 0,
            fail_next_alloc: false,
            flag_exists,
            submit_getevents: spec.submit_getevents,
        };
        Ok((uring, Ring::uring(cq)))
    }

    pub fn setup_info(&self, k: &RingCtx) -> SetupInfo {
        SetupInfo { sq_entries: Some(self.sq_entries), cq_entries: Some(k.ring.entries()), ..Default::default() }
    }

    pub fn sq_room(&self) -> u32 {
        self.sq_entries - self.sq_pending.len() as u32
    }

    pub fn has_flag(&self) -> bool {
        self.flag_exists
    }

    /// Posting a CQE, by version (U3.1–U3.6).
    fn post_cqe(&mut self, k: &mut RingCtx, now: u64, c: Completion) {
        match self.version {
            Version::V5_1 => {
                if k.ring.is_full() {
                    // U3.1: drop and count.
                    self.cq_overflow = self.cq_overflow.wrapping_add(1);
                    k.drop_completion(now, c);
                } else {
                    k.write_ring(now, c);
                }
            }
            Version::V5_5 => {
                // U3.2: only a full ring sends the CQE to the backlog; with room it goes
                // straight in even when the backlog is non-empty (reordering possible).
                if k.ring.is_full() {
                    let was_empty = k.push_list(now, c);
                    if was_empty && self.flag_exists {
                        k.set_flag(now, true); // U3.2 (5.8+): IORING_SQ_CQ_OVERFLOW
                    }
                } else {
                    k.write_ring(now, c);
                }
            }
            Version::Now => {
                // U3.6: while the backlog is non-empty every new CQE is forced onto it.
                if k.ring.is_full() || !k.overflow_list.is_empty() {
                    if self.fail_next_alloc {
                        // U3.3: allocation failed → drop, cq.overflow += 1, DROPPED bit; no flag (U3.5).
                        self.fail_next_alloc = false;
                        self.cq_overflow = self.cq_overflow.wrapping_add(1);
                        self.dropped_bit = true;
                        k.drop_completion(now, c);
                    } else {
                        let was_empty = k.push_list(now, c);
                        if was_empty {
                            k.set_flag(now, true); // U3.5: set when the list goes non-empty
                        }
                    }
                } else {
                    k.write_ring(now, c);
                }
            }
        }
    }

    /// U4.1 `__io_cqring_overflow_flush`; returns whether the backlog is now empty.
    fn flush(&mut self, k: &mut RingCtx, now: u64, trigger: FlushTrigger) -> bool {
        if k.overflow_list.is_empty() {
            return true;
        }
        if k.ring.is_full() {
            return false; // U4.1.1: a full ring → nothing to do
        }
        k.move_list_to_ring(now, trigger); // U4.1.2: FIFO while space remains
        if k.overflow_list.is_empty() {
            k.set_flag(now, false); // U4.1.3, U3.5: cleared in the flush that empties it
            return true;
        }
        false
    }

    /// Queues new SQEs (as far as the SQ ring has room), then `io_uring_enter(to_submit =
    /// everything queued, 0, 0)`; with `submit_getevents`, as liburing's `io_uring_submit`
    /// (L1.6), `GETEVENTS` is added while the overflow flag is set.
    pub fn submit(
        &mut self,
        k: &mut RingCtx,
        now: u64,
        reqs: &[Request],
        started: &mut Vec<u64>,
    ) -> Result<u32, Errno> {
        // The SQEs queued now; they join `sq_pending` only if this call leaves them there.
        let queued = &reqs[..reqs.len().min(self.sq_room() as usize)];
        let to_submit = self.sq_pending.len() + queued.len();
        // L1.6, L1.2: liburing adds GETEVENTS when sq_flags has IORING_SQ_CQ_OVERFLOW (never
        // set where the flag does not exist), and enters only if SQEs are pending or it does.
        let getevents = self.submit_getevents && k.flag;
        if self.submit_getevents && to_submit == 0 && !getevents {
            return Ok(0); // L1.6: nothing to submit and no flag → no system call
        }
        // An enter that submits nothing and waits (GETEVENTS) counts as a getevents call; an
        // enter that submits, with or without GETEVENTS, or does neither, as a submit call.
        let counted = if to_submit == 0 && getevents { SyscallKind::GetEvents } else { SyscallKind::Submit };
        k.syscall_counted_as(now, SyscallKind::Submit, counted);
        let mut n = 0;
        // U4.2a, U5.1: the submit path (and with it the 5.5 flush and EBUSY) runs only when
        // to_submit > 0; an enter with nothing to submit goes straight to the wait, if any.
        if to_submit == 0 {
            if getevents {
                self.flush(k, now, FlushTrigger::Submit); // L1.6, U4.2b: the GETEVENTS wait flushes
            }
            return Ok(0);
        }
        if self.version == Version::V5_5 && !k.overflow_list.is_empty() {
            // U4.2a: flush at the start of every submission; U5.1: -EBUSY if it cannot fully flush.
            if !self.flush(k, now, FlushTrigger::Submit) {
                k.counters.ebusy += 1;
                k.trace.push(now, TraceKind::Ebusy);
                self.sq_pending.extend(queued.iter().copied()); // the SQEs stay in the SQ ring
                return Err(Errno::EBUSY); // U2.4: submitted != to_submit, so the wait is skipped
            }
        }
        // U3.4 (5.13+): CQ state does not affect submission at all. The kernel consumes
        // every SQE, oldest first: those left from earlier calls, then the new ones.
        while let Some(req) = self.sq_pending.pop_front() {
            self.submit_one(k, now, req, started);
            n += 1;
        }
        for &req in queued {
            self.submit_one(k, now, req, started);
            n += 1;
        }
        if getevents {
            // L1.6, U4.2b: GETEVENTS with wait 0 after the submission: flush what fits. The
            // flag was read before the call, as liburing reads sq_flags before entering.
            self.flush(k, now, FlushTrigger::Submit);
        }
        Ok(n)
    }

    /// The kernel consumes one SQE: a NOP completes at once, an I/O goes to the device.
    #[inline]
    fn submit_one(&mut self, k: &mut RingCtx, now: u64, req: Request, started: &mut Vec<u64>) {
        k.submitted(now, req);
        match req.kind {
            RequestKind::Nop => {
                self.complete(k, now, Completion { user_data: req.user_data, completed_at: now }, RequestKind::Nop)
            }
            RequestKind::Io => started.push(req.user_data),
        }
    }

    /// Ring teardown (`close` of the ring fd; liburing's `io_uring_queue_exit`): the dying
    /// flush frees the backlog without posting it; SQEs not yet consumed go with the ring.
    /// Returns how many backlog entries were discarded.
    pub fn destroy(&mut self, k: &mut RingCtx, now: u64) -> u32 {
        self.sq_pending.clear();
        let mut discarded = 0;
        while let Some(c) = k.overflow_list.pop_front() {
            k.drop_completion(now, c); // U4.2e, U4.1.2: a dying flush frees entries without posting them
            discarded += 1;
        }
        if self.version == Version::V5_5 {
            // U4.1, U5.3 (5.5–5.12): a forced flush counts what it could not post in cq.overflow.
            self.cq_overflow = self.cq_overflow.wrapping_add(discarded);
        }
        k.set_flag(now, false); // U4.1.3: the flush that empties the list clears the flag
        discarded
    }

    pub fn complete(&mut self, k: &mut RingCtx, now: u64, c: Completion, kind: RequestKind) {
        k.completed(kind);
        self.post_cqe(k, now, c);
    }

    /// `io_uring_enter(fd, 0, min, GETEVENTS)` with a timeout that expires at once.
    pub fn getevents(&mut self, k: &mut RingCtx, now: u64, min: u32) -> Result<u32, Errno> {
        k.syscall(now, SyscallKind::GetEvents);
        let min = min.min(k.ring.entries()); // U2.4: min clamped to cq_entries
        if self.version != Version::V5_1 {
            self.flush(k, now, FlushTrigger::Syscall); // U4.2b: flush in every GETEVENTS wait
        }
        if k.ring.len() >= min {
            return Ok(0); // U2.4: enough CQEs → returns 0
        }
        // The waiter would sleep: today's kernel reports a drop here (U5.2), else the timeout.
        let ret = if self.version == Version::Now && self.dropped_bit { Errno::EBADR } else { Errno::ETIME };
        if !k.ring.is_empty() {
            return Ok(0); // C.4: returns the error only if the CQ is empty
        }
        if ret == Errno::EBADR {
            self.dropped_bit = false; // U5.2: cleared when -EBADR is returned
            k.counters.ebadr += 1;
            k.trace.push(now, TraceKind::Ebadr);
        }
        Err(ret)
    }
}
