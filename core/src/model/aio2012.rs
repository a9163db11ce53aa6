//! Linux aio of the mail's time, 3.2–3.9 (reference A.0, A.1).
//!
//! Admission reads the live ring `head`, so a ring can never overflow and userspace
//! reaping frees capacity at once (A1.6).

use super::{Request, RequestKind, RingCtx, SetupInfo};
use crate::error::{ConfigError, Errno};
use crate::ring::{Completion, Ring};
use crate::spec::{field, Field, FieldTable};
use crate::trace::SyscallKind;
use serde::{Deserialize, Serialize};

/// `aio_max_nr`, the system-wide default limit (A1.1).
pub const AIO_MAX_NR: u32 = 0x10000;
/// `0x10000000 / sizeof(io_event)`: above this `io_setup` fails with EINVAL (A1.1, A3.1).
pub const AIO_NR_EVENTS_LIMIT: u32 = 0x1000_0000 / 32;
/// kiocbs allocated per batch in `kiocb_batch_refill` (A1.2).
const KIOCB_BATCH: usize = 32;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aio2012Spec {
    /// The `nr_events` argument of `io_setup`.
    pub nr_events: u32,
}

impl Default for Aio2012Spec {
    fn default() -> Self {
        Aio2012Spec { nr_events: 4 }
    }
}

impl FieldTable for Aio2012Spec {
    const WHAT: &'static str = "the model";
    const FIELDS: &'static [Field<Self>] =
        &[field!(nr_events: U32, Required, Some((1, AIO_MAX_NR as u64)), "the nr_events argument of io_setup")];
}

/// Ring slots for an `io_setup` value `m_in` (A0.7): `m += 2`, whole 4 KiB pages of
/// 32-byte events behind a 32-byte header, so `nr = 128·pages − 1`.
pub fn ring_nr(m_in: u32) -> u32 {
    let m = m_in as u64 + 2; // A0.7 "1 is required, 2 for good luck"
    let size = 32 + 32 * m;
    let pages = size.div_ceil(4096);
    ((4096 * pages - 32) / 32) as u32
}

#[derive(Clone, Debug)]
pub struct Aio2012 {
    max_reqs: u32,
    /// kiocbs allocated and not yet freed (A.1 state).
    reqs_active: u32,
}

impl Aio2012 {
    pub fn setup(spec: &Aio2012Spec) -> Result<(Aio2012, Ring), ConfigError> {
        let n = spec.nr_events;
        // A1.1: n == 0 or n > 0x10000000/32 → EINVAL; n > aio_max_nr → EAGAIN.
        if n == 0 || n > AIO_NR_EVENTS_LIMIT {
            return Err(ConfigError::kernel(
                Errno::EINVAL,
                "nr_events",
                format!("{n} is out of range; io_setup accepts 1 to {AIO_MAX_NR}"),
            ));
        }
        if n > AIO_MAX_NR {
            return Err(ConfigError::kernel(
                Errno::EAGAIN,
                "nr_events",
                format!("{n} is above fs.aio-max-nr ({AIO_MAX_NR}); io_setup accepts 1 to {AIO_MAX_NR}"),
            ));
        }
        // A1.1: the ring gets m_in = n, no doubling, no per-CPU minimum.
        Ok((Aio2012 { max_reqs: n, reqs_active: 0 }, Ring::aio(ring_nr(n))))
    }

    pub fn setup_info(&self, k: &RingCtx) -> SetupInfo {
        SetupInfo { ring_entries: Some(k.ring.entries()), max_requests: Some(self.max_reqs), ..Default::default() }
    }

    /// kiocbs allocated and not yet freed (for the view).
    pub fn reqs_active(&self) -> u32 {
        self.reqs_active
    }

    pub fn submit(
        &mut self,
        k: &mut RingCtx,
        now: u64,
        reqs: &[Request],
        started: &mut Vec<u64>,
    ) -> Result<u32, Errno> {
        k.syscall(now, SyscallKind::Submit);
        let mut i = 0;
        while i < reqs.len() {
            // A1.2: a batch of up to 32 kiocbs, trimmed to the live ring space minus reqs_active.
            let want = (reqs.len() - i).min(KIOCB_BATCH);
            let avail = k.ring.free().saturating_sub(self.reqs_active) as usize;
            let take = want.min(avail);
            if take == 0 {
                break; // A1.2: nothing allocated → this iocb gets EAGAIN
            }
            self.reqs_active += take as u32;
            for req in &reqs[i..i + take] {
                k.submitted(now, *req);
                match req.kind {
                    RequestKind::Nop => self.complete(
                        k,
                        now,
                        Completion { user_data: req.user_data, completed_at: now },
                        RequestKind::Nop,
                    ),
                    RequestKind::Io => started.push(req.user_data),
                }
            }
            i += take;
        }
        if i < reqs.len() {
            let e = k.eagain(now);
            if i == 0 {
                return Err(e);
            }
        }
        Ok(i as u32) // A1.3: i ? i : err
    }

    pub fn complete(&mut self, k: &mut RingCtx, now: u64, c: Completion, kind: RequestKind) {
        k.completed(kind);
        // A1.4: write at tail with no full check (admission is the only protection), then
        // the last kiocb reference goes and reqs_active drops.
        k.write_ring(now, c);
        self.reqs_active -= 1;
    }

    pub fn getevents(
        &mut self,
        k: &mut RingCtx,
        now: u64,
        min: u32,
        max: u32,
        out: &mut Vec<Completion>,
    ) -> Result<u32, Errno> {
        // A1.5: min_nr > nr → EINVAL.
        if min > max {
            return Err(Errno::EINVAL);
        }
        k.syscall(now, SyscallKind::GetEvents);
        // A1.5: copy events one at a time while head != tail; each frees its slot at once.
        Ok(k.take_from_ring(now, max, true, out))
    }
}
