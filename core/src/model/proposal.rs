//! The 2012 proposal (reference B1–B11, the mail in `seed/`): ring size decoupled from
//! `max_requests`, completions that find the ring full go on an overflow list, the list
//! drains on later completions, on syscalls and from a timer armed while it is
//! non-empty, and an optional flag next to the tail tells userspace the list is non-empty.
//!
//! The mail's own words are B1, B3, B4 and B6. Everything it leaves open is an option
//! below, defaulting to the reference's reading ([INTERP]); `MAIL_WORDS` and
//! `INTERPRETATIONS` let the UI say which is which.

use super::aio2012::AIO_MAX_NR;
use super::{check_range, Request, RequestKind, RingCtx, SetupInfo};
use crate::error::{ConfigError, Errno};
use crate::ring::{Completion, Ring};
use crate::spec::{field, Field, FieldTable};
use crate::trace::{FlushTrigger, SyscallKind, TraceKind};
use serde::{Deserialize, Serialize};

/// The parts of the model that are the mail's words: the rule id (for the code and
/// `docs/kernel-rules.md`) and what it says, as the app shows it.
pub const MAIL_WORDS: [(&str, &str); 4] = [
    ("B1", "The ring size is decoupled from max_requests."),
    ("B3", "When the ring is full, aio_complete puts the kiocb on a list."),
    (
        "B4",
        "The list drains on later completions, on a syscall, and from a timer flipped on while the list is non-empty.",
    ),
    ("B6", "An optional flag next to the tail pointer tells userspace to make the syscall."),
];

/// Sentences of the mail (`docs/mail-2012.txt`, verbatim but for line breaks and quote
/// markers) and the built-in lesson that demonstrates each, for the panel that quotes
/// the mail. The first two are Kent's words as Zach's reply quotes them; the third is Zach's question.
pub const MAIL_QUOTES: [(&str, &str); 7] = [
    ("Not if we decouple the ringbuffer size from max_requests.", "decoupled"),
    ("if the ringbuffer is full then the kiocb just goes on a linked list", "stuck"),
    ("How would completion events make their way from the list to the ring if an app is only checking the ring for completions from userspace?", "stuck"),
    ("we could maintain a flag next to the tail pointer in the ringbuffer that the kernel could maintain, if userspace wants to be able to avoid that syscall when it's not necessary.", "flag"),
    ("the ringbuffer fills up and stuff goes on the list, and then completions completely stop", "stuck"),
    ("a timer that gets flipped on when the list isn't empty.", "timer"),
    ("_all_ the reaping would have to be done from userspace - since existing libaio doesn't do that, there may not be any code out there which triggers it.", "libaio"),
];

/// The options that are this project's reading of what the mail leaves open: the
/// option's key, its rule id, and what it decides.
pub const INTERPRETATIONS: [(&str, &str, &str); 7] = [
    ("admission", "B2", "What counts against max_requests (in flight + list by default)."),
    ("append_behind", "B3", "Completions append behind a non-empty list, keeping completion order."),
    ("drain_on_completion", "B4a", "A completion drains the list before it is placed."),
    ("timer_ns", "B7", "The timer period (the mail gives none); 0 disables the timer."),
    ("timer_rearm", "B7", "The timer re-arms while the list stays non-empty."),
    ("flag", "B6", "Whether the flag exists (the mail says optional)."),
    ("ring_entries", "B1", "The ring's own size, aio layout with one slot kept empty."),
];

/// What counts against `max_requests` (B2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Admission {
    /// B2: requests in flight plus completions on the list (kiocbs still allocated).
    #[default]
    #[serde(rename = "in_flight+list")]
    InFlightAndList,
    /// B2 variant: also count events in the ring, bounding total memory like today's aio.
    #[serde(rename = "in_flight+list+ring")]
    InFlightListAndRing,
}

impl Admission {
    /// The name in files and links.
    pub fn name(self) -> &'static str {
        match self {
            Admission::InFlightAndList => "in_flight+list",
            Admission::InFlightListAndRing => "in_flight+list+ring",
        }
    }

    pub fn from_name(name: &str) -> Option<Admission> {
        [Admission::InFlightAndList, Admission::InFlightListAndRing].into_iter().find(|a| a.name() == name)
    }
}

fn yes() -> bool {
    true
}
fn default_ring_entries() -> u32 {
    8
}
fn default_max_requests() -> u32 {
    32
}
fn default_timer_ns() -> u64 {
    5_000_000
}

/// Longest timer period accepted: 10 s.
pub const MAX_TIMER_NS: u64 = 10_000_000_000;
/// Smallest ring accepted: aio's layout keeps one slot empty, so two slots hold one event.
pub const MIN_RING_ENTRIES: u32 = 2;
/// Largest ring accepted (the io_uring CQ limit, for comparable scales).
pub const MAX_RING_ENTRIES: u32 = 65536;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProposalSpec {
    /// Slots in the ring (aio layout: capacity `ring_entries − 1`).
    #[serde(default = "default_ring_entries")]
    pub ring_entries: u32,
    /// The `io_setup` argument: the request limit, no longer tied to the ring (B1).
    #[serde(default = "default_max_requests")]
    pub max_requests: u32,
    /// Whether the flag next to the tail exists (B6).
    #[serde(default = "yes")]
    pub flag: bool,
    /// Timer period in ns; 0 = no timer (B7).
    #[serde(default = "default_timer_ns")]
    pub timer_ns: u64,
    #[serde(default)]
    pub admission: Admission,
    /// Completions go behind a non-empty list even when the ring has room (B3, B9).
    #[serde(default = "yes")]
    pub append_behind: bool,
    /// A completion first drains the list (B4a).
    #[serde(default = "yes")]
    pub drain_on_completion: bool,
    /// The timer re-arms while the list is still non-empty after it fired (B7).
    #[serde(default = "yes")]
    pub timer_rearm: bool,
}

impl Default for ProposalSpec {
    fn default() -> Self {
        ProposalSpec {
            ring_entries: default_ring_entries(),
            max_requests: default_max_requests(),
            flag: yes(),
            timer_ns: default_timer_ns(),
            admission: Admission::default(),
            append_behind: yes(),
            drain_on_completion: yes(),
            timer_rearm: yes(),
        }
    }
}

/// The hint of the option `INTERPRETATIONS[i]`, which it names (a test checks).
const fn interpretation(i: usize) -> &'static str {
    INTERPRETATIONS[i].2
}

impl FieldTable for ProposalSpec {
    const WHAT: &'static str = "the model";
    const FIELDS: &'static [Field<Self>] = &[
        field!(ring_entries: U32, Defaulted, Some((MIN_RING_ENTRIES as u64, MAX_RING_ENTRIES as u64)), interpretation(6)),
        field!(max_requests: U32, Defaulted, Some((1, AIO_MAX_NR as u64)), "requests in flight (decoupled from the ring)"),
        field!(flag: Bool, Defaulted, None, interpretation(5)),
        field!(timer_ns: U64, Defaulted, Some((0, MAX_TIMER_NS)), interpretation(3)),
        field!(admission: Choice(Admission, "in_flight+list or in_flight+list+ring"), Defaulted, None, interpretation(0)),
        field!(append_behind: Bool, Defaulted, None, interpretation(1)),
        field!(drain_on_completion: Bool, Defaulted, None, interpretation(2)),
        field!(timer_rearm: Bool, Defaulted, None, interpretation(4)),
    ];
}

#[derive(Clone, Debug)]
pub struct Proposal {
    pub spec: ProposalSpec,
    /// When the armed timer fires; `None` while idle.
    timer: Option<u64>,
}

impl Proposal {
    pub fn setup(spec: &ProposalSpec) -> Result<(Proposal, Ring), ConfigError> {
        check_range("ring_entries", spec.ring_entries as u64, MIN_RING_ENTRIES as u64, MAX_RING_ENTRIES as u64)?;
        // B1: max_requests is the io_setup argument, so io_setup's bounds answer it (A1.1):
        // 0 or above 0x10000000/32 → EINVAL; above aio_max_nr → EAGAIN.
        let (n, max_nr) = (spec.max_requests, AIO_MAX_NR);
        if n == 0 || n > super::aio2012::AIO_NR_EVENTS_LIMIT {
            let message = format!("{n} is out of range; io_setup accepts 1 to {max_nr}");
            return Err(ConfigError::kernel(Errno::EINVAL, "max_requests", message));
        }
        if n > max_nr {
            let message = format!("{n} is above fs.aio-max-nr ({max_nr}); io_setup accepts 1 to {max_nr}");
            return Err(ConfigError::kernel(Errno::EAGAIN, "max_requests", message));
            // A1.1
        }
        check_range("timer_ns", spec.timer_ns, 0, MAX_TIMER_NS)?;
        Ok((Proposal { spec: spec.clone(), timer: None }, Ring::aio(spec.ring_entries)))
    }

    pub fn setup_info(&self, k: &RingCtx) -> SetupInfo {
        SetupInfo {
            ring_entries: Some(k.ring.entries()),
            max_requests: Some(self.spec.max_requests),
            ..Default::default()
        }
    }

    pub fn timer_deadline(&self) -> Option<u64> {
        self.timer
    }

    /// B2: the count held against max_requests.
    fn admission_count(&self, k: &RingCtx) -> u64 {
        let held = k.in_flight as u64 + k.overflow_list.len() as u64;
        match self.spec.admission {
            Admission::InFlightAndList => held,
            Admission::InFlightListAndRing => held + k.ring.len() as u64,
        }
    }

    /// B5: drain the list into the ring; clear the flag and disarm the timer once empty.
    #[inline]
    fn drain(&mut self, k: &mut RingCtx, now: u64, trigger: FlushTrigger) -> u32 {
        // B5.2: an empty list or a full ring (nearly every call under load): nothing moves,
        // and a list that was not empty stays so.
        if k.overflow_list.is_empty() || k.ring.is_full() {
            return 0;
        }
        self.drain_some(k, now, trigger)
    }

    fn drain_some(&mut self, k: &mut RingCtx, now: u64, trigger: FlushTrigger) -> u32 {
        let moved = k.move_some_to_ring(now, trigger); // B5.1–B5.4
        if k.overflow_list.is_empty() {
            k.set_flag(now, false); // B5.5, B6
            self.timer = None; // B5.5
        }
        moved
    }

    fn arm_timer(&mut self, k: &mut RingCtx, now: u64) {
        if self.spec.timer_ns > 0 {
            // A deadline past the end of simulated time (u64 ns) never comes: the timer
            // stays idle, as an expiry that no clock reaches would.
            self.timer = now.checked_add(self.spec.timer_ns);
            if let Some(deadline) = self.timer {
                k.trace.push(now, TraceKind::TimerArmed { deadline });
            }
        }
    }

    pub fn submit(
        &mut self,
        k: &mut RingCtx,
        now: u64,
        reqs: &[Request],
        started: &mut Vec<u64>,
    ) -> Result<u32, Errno> {
        k.syscall(now, SyscallKind::Submit);
        self.drain(k, now, FlushTrigger::Submit); // B4b: io_submit is a syscall
        let mut i = 0;
        for req in reqs {
            if self.admission_count(k) >= self.spec.max_requests as u64 {
                break; // B2: over max_requests → EAGAIN
            }
            k.submitted(now, *req);
            match req.kind {
                RequestKind::Nop => {
                    self.complete(k, now, Completion { user_data: req.user_data, completed_at: now }, RequestKind::Nop)
                }
                RequestKind::Io => started.push(req.user_data),
            }
            i += 1;
        }
        if i < reqs.len() {
            let e = k.eagain(now);
            if i == 0 {
                return Err(e);
            }
        }
        Ok(i as u32) // A1.3: partial success
    }

    pub fn complete(&mut self, k: &mut RingCtx, now: u64, c: Completion, kind: RequestKind) {
        k.completed(kind);
        if self.spec.drain_on_completion {
            self.drain(k, now, FlushTrigger::Completion); // B4a: drain first, then place
        }
        // B3: ring full → list; [INTERP] also behind a non-empty list (append_behind).
        let behind = self.spec.append_behind && !k.overflow_list.is_empty();
        if k.ring.is_full() || behind {
            let was_empty = k.push_list(now, c);
            if was_empty {
                if self.spec.flag {
                    k.set_flag(now, true); // B6: set on empty → non-empty
                }
                self.arm_timer(k, now); // B7: armed on empty → non-empty
            }
        } else {
            k.write_ring(now, c);
        }
    }

    pub fn on_timer(&mut self, k: &mut RingCtx, now: u64) {
        let Some(deadline) = self.timer else { return };
        if now < deadline {
            return;
        }
        self.timer = None;
        let moved = self.drain(k, now, FlushTrigger::Timer); // B4c, B7
        k.counters.timer_fires += 1;
        if moved == 0 {
            k.counters.timer_fires_empty += 1;
        }
        k.trace.push(now, TraceKind::TimerFired { moved });
        if !k.overflow_list.is_empty() && self.spec.timer_rearm {
            self.arm_timer(k, deadline); // B7: re-arm while the list stays non-empty
        }
    }

    /// B7: whether the armed timer's next fire is *idle*: the ring is full and the list is
    /// not empty, so the drain moves nothing (B5.2), the flag stays set and the timer
    /// re-arms for one period later. Until something else happens (a reap, a syscall, a
    /// completion), every later fire is idle too.
    pub fn timer_idle(&self, k: &RingCtx) -> bool {
        self.timer.is_some() && self.spec.timer_rearm && k.ring.is_full() && !k.overflow_list.is_empty()
    }

    /// B7: the most idle fires [`Proposal::skip_idle_fires`] may run with nothing else
    /// happening up to `until`: every fire at or before `until` whose re-arm stays within
    /// simulated time. 0 when the next fire is not idle or not due.
    pub fn idle_fires_until(&self, k: &RingCtx, until: u64) -> u64 {
        let Some(deadline) = self.timer.filter(|&d| d <= until && self.timer_idle(k)) else { return 0 };
        let period = self.spec.timer_ns;
        ((until - deadline) / period + 1).min((u64::MAX - deadline) / period)
    }

    /// B7: runs every idle fire at or before `until` at once, as [`Proposal::on_timer`]
    /// fire by fire would: each counts in `timer_fires` and `timer_fires_empty`, moves
    /// nothing, and re-arms one period later. The trace gets what those fires would have
    /// written, each at its own time (`TimerFired { moved: 0 }`, `TimerArmed`), but only
    /// the entries it keeps are made: O(min(fires, trace capacity)). Only valid while
    /// nothing else happens up to `until`. Returns the fires run.
    pub fn skip_idle_fires(&mut self, k: &mut RingCtx, until: u64) -> u64 {
        let fires = self.idle_fires_until(k, until);
        let Some(first) = self.timer.filter(|_| fires > 0) else { return 0 };
        let period = self.spec.timer_ns;
        k.counters.timer_fires += fires;
        k.counters.timer_fires_empty += fires;
        k.trace.push_many(2 * fires, |i| {
            let at = first + (i / 2) * period;
            match i % 2 {
                0 => (at, TraceKind::TimerFired { moved: 0 }),
                _ => (at, TraceKind::TimerArmed { deadline: at + period }),
            }
        });
        self.timer = Some(first + fires * period); // fits: idle_fires_until keeps it in range
        fires
    }

    /// `io_getevents(min, max)` as a refilling read (B4b): drain before copying out and
    /// again each time copying out frees room, until `max` events are copied or both the
    /// ring and the list are empty. `min` only decides whether the call would wait, and a
    /// wait returns at once here (nothing else happens while a script waits), so it never
    /// changes how much is copied. Afterwards a non-empty list means a full ring.
    pub fn getevents(
        &mut self,
        k: &mut RingCtx,
        now: u64,
        min: u32,
        max: u32,
        out: &mut Vec<Completion>,
    ) -> Result<u32, Errno> {
        if min > max {
            return Err(Errno::EINVAL); // A1.5
        }
        k.syscall(now, SyscallKind::GetEvents);
        let mut got = 0;
        loop {
            self.drain(k, now, FlushTrigger::Syscall); // B4b: drain before copying, and when copying freed room
            if got == max {
                break;
            }
            let copied = k.take_from_ring(now, max - got, true, out);
            if copied == 0 {
                break; // B4b: ring and list both empty
            }
            got += copied;
        }
        debug_assert!(k.overflow_list.is_empty() || k.ring.is_full(), "B4: |L| > 0 ⇒ ring full after a syscall");
        Ok(got)
    }
}
