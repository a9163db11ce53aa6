//! What happened, as typed events in a bounded trace, plus running counters.

use serde::Serialize;
use std::collections::VecDeque;

/// Why events moved from the overflow list into the ring.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FlushTrigger {
    /// A later completion arrived (B4a).
    Completion,
    /// A system call: io_getevents / io_uring_enter(GETEVENTS) (B4b, U4.2b).
    Syscall,
    /// A submission (`io_submit` in the proposal, B4b; `io_uring_enter` on 5.5–5.12, U4.2a).
    Submit,
    /// The flush timer fired (B4c, B7).
    Timer,
}

impl FlushTrigger {
    pub const ALL: [FlushTrigger; 4] =
        [FlushTrigger::Completion, FlushTrigger::Syscall, FlushTrigger::Submit, FlushTrigger::Timer];

    pub fn name(self) -> &'static str {
        match self {
            FlushTrigger::Completion => "completion",
            FlushTrigger::Syscall => "syscall",
            FlushTrigger::Submit => "submit",
            FlushTrigger::Timer => "timer",
        }
    }
}

/// Which system call was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SyscallKind {
    /// `io_submit` / `io_uring_enter(to_submit)`.
    Submit,
    /// `io_getevents` / `io_uring_enter(GETEVENTS)`.
    GetEvents,
}

/// One thing that happened to an event or to the ring.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TraceKind {
    /// A request entered the kernel.
    Submitted {
        user_data: u64,
    },
    /// A completion was written into the ring at `tail` (the value before the write).
    ToRing {
        user_data: u64,
        tail: u32,
    },
    /// A completion found the ring full (or the list non-empty) and went on the overflow list.
    ToList {
        user_data: u64,
        list_len: u32,
    },
    /// `moved` events went from the overflow list into the ring.
    Flushed {
        moved: u32,
        trigger: FlushTrigger,
        list_len: u32,
    },
    /// An event left the ring; `syscall` tells whether the kernel's reaping call took it.
    Reaped {
        user_data: u64,
        syscall: bool,
    },
    /// A system call was made.
    Syscall {
        call: SyscallKind,
    },
    /// The reaper skipped a syscall because head == tail (libaio's fast path, A4.1).
    SyscallSkipped,
    TimerArmed {
        deadline: u64,
    },
    TimerFired {
        moved: u32,
    },
    FlagSet,
    FlagCleared,
    /// A completion was lost (io_uring 5.1 full ring, or a failed backlog allocation).
    Dropped {
        user_data: u64,
    },
    /// A submission was refused for lack of a slot.
    Eagain,
    /// A 5.5–5.12 io_uring submission was refused because the backlog could not be flushed.
    Ebusy,
    /// A wait reported a dropped completion.
    Ebadr,
}

/// A trace event with its simulated time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct TraceEvent {
    pub at: u64,
    #[serde(flatten)]
    pub kind: TraceKind,
}

/// The newest `capacity` trace events; older ones are forgotten (counted in `forgotten`).
#[derive(Clone, Debug)]
pub struct Trace {
    events: VecDeque<TraceEvent>,
    capacity: usize,
    forgotten: u64,
}

impl Trace {
    pub const DEFAULT_CAPACITY: usize = 2048;

    pub fn with_capacity(capacity: usize) -> Trace {
        Trace { events: VecDeque::with_capacity(capacity.min(4096)), capacity, forgotten: 0 }
    }

    #[inline]
    pub fn push(&mut self, at: u64, kind: TraceKind) {
        if self.capacity == 0 {
            self.forgotten += 1;
            return;
        }
        self.keep(at, kind);
    }

    /// [`Trace::push`] with a capacity: a call of its own, so that the check above is all
    /// the models' hot paths carry when the trace is off (benchmarks, sweeps).
    #[inline(never)]
    fn keep(&mut self, at: u64, kind: TraceKind) {
        if self.events.len() == self.capacity {
            self.events.pop_front();
            self.forgotten += 1;
        }
        self.events.push_back(TraceEvent { at, kind });
    }

    /// Records `count` events, the `i`-th being `event(i)` (its time and kind), exactly as
    /// `count` calls of [`Trace::push`] would, but makes only the ones the trace keeps:
    /// O(min(count, capacity)). For runs of events the model skips in bulk (the idle
    /// fires of the proposal's timer, B7).
    pub fn push_many(&mut self, count: u64, mut event: impl FnMut(u64) -> (u64, TraceKind)) {
        let capacity = self.capacity as u64;
        let first_kept = count.saturating_sub(capacity);
        if first_kept > 0 {
            // Everything held now, and the first `first_kept` new events, are pushed out.
            self.forgotten += self.events.len() as u64 + first_kept;
            self.events.clear();
        }
        for i in first_kept..count {
            let (at, kind) = event(i);
            self.push(at, kind);
        }
    }

    pub fn events(&self) -> impl DoubleEndedIterator<Item = &TraceEvent> + ExactSizeIterator + '_ {
        self.events.iter()
    }

    /// Every event ever recorded, including forgotten ones.
    pub fn total(&self) -> u64 {
        self.forgotten + self.events.len() as u64
    }

    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }
}

impl Default for Trace {
    fn default() -> Self {
        Trace::with_capacity(Self::DEFAULT_CAPACITY)
    }
}

/// Running totals since setup (B11 and the usual io counters).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counters {
    /// Requests accepted by the kernel.
    pub submitted: u64,
    /// Requests the device (or an inline NOP) completed.
    pub completed: u64,
    /// Completions written straight into the ring.
    pub to_ring: u64,
    /// Completions routed to the overflow list (`overflowed_total`, B11).
    pub overflowed: u64,
    /// Events moved from the list into the ring, by trigger (indexed like `FlushTrigger::ALL`).
    pub flushed: [u64; 4],
    /// Events taken from the ring by userspace (no syscall).
    pub reaped_user: u64,
    /// Events taken from the ring by the kernel's io_getevents.
    pub reaped_syscall: u64,
    /// Completions lost (counted drops).
    pub dropped: u64,
    pub eagain: u64,
    pub ebusy: u64,
    pub ebadr: u64,
    /// System calls made (submits and waits): always `submit_calls + getevents_calls`.
    pub syscalls: u64,
    /// Submit calls: `io_submit`, or an `io_uring_enter` from the submit side, also when
    /// it adds GETEVENTS to a submission (liburing's `io_uring_submit`, L1.6) or has nothing
    /// to submit and no GETEVENTS.
    pub submit_calls: u64,
    /// Calls that only reaped: `io_getevents`, or an `io_uring_enter` with GETEVENTS and
    /// nothing to submit.
    pub getevents_calls: u64,
    /// Syscalls the libaio fast path skipped (B11).
    pub syscalls_skipped: u64,
    pub timer_fires: u64,
    /// Timer fires that moved nothing (B11).
    pub timer_fires_empty: u64,
    /// Longest the overflow list has been (`max|L|`, B11).
    pub max_list: u64,
}

impl Counters {
    pub fn flushed_by(&self, trigger: FlushTrigger) -> u64 {
        self.flushed[trigger as usize]
    }

    pub fn flushed_total(&self) -> u64 {
        self.flushed.iter().sum()
    }

    pub fn reaped(&self) -> u64 {
        self.reaped_user + self.reaped_syscall
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_many_keeps_what_pushing_one_by_one_keeps() {
        let event =
            |i: u64| (i, if i.is_multiple_of(2) { TraceKind::TimerFired { moved: 0 } } else { TraceKind::FlagSet });
        for capacity in [0, 1, 2, 5, 8] {
            for held in [0, 1, 3, 8] {
                for count in [0, 1, 2, 4, 5, 9, 20] {
                    let mut one_by_one = Trace::with_capacity(capacity);
                    let mut many = Trace::with_capacity(capacity);
                    for i in 0..held {
                        one_by_one.push(100 + i, TraceKind::Eagain);
                        many.push(100 + i, TraceKind::Eagain);
                    }
                    for i in 0..count {
                        let (at, kind) = event(i);
                        one_by_one.push(at, kind);
                    }
                    many.push_many(count, event);
                    let case = format!("capacity {capacity}, {held} held, {count} pushed");
                    assert_eq!(many.events().collect::<Vec<_>>(), one_by_one.events().collect::<Vec<_>>(), "{case}");
                    assert_eq!(many.total(), one_by_one.total(), "{case}");
                }
            }
        }
    }
}
