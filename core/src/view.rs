//! What the browser draws: a plain, owned snapshot of the simulation, computed by the
//! core so that the app decides nothing about the ring (Crux's `ViewModel`).

use crate::kind::ModelKind;
use crate::stats::Percentiles;
use crate::trace::Counters;
use serde::Serialize;

/// One drawn segment of the completion ring: a single slot, or (on large rings) an arc
/// of `slots` consecutive slots.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SlotView {
    /// Index of the (first) slot in the ring (0..entries).
    pub index: u32,
    /// Slots in this segment (1 on rings of up to 64 slots).
    pub slots: u32,
    /// Slots in this segment that hold an event.
    pub occupied: u32,
    /// The user data of the event held there, for single-slot segments; `None` when free.
    pub user_data: Option<u64>,
}

/// The completion ring: slots, the two pointers and the capacity rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RingView {
    /// Slots in the ring (aio: `nr`, io_uring: `cq_entries`).
    pub entries: u32,
    /// Events the ring can hold at once: aio keeps one slot empty (`nr − 1`), io_uring does not.
    pub capacity: u32,
    /// `head` as the model stores it (aio: an index in `[0, nr)`; io_uring: a free-running u32).
    pub head: u32,
    /// `tail` as the model stores it.
    pub tail: u32,
    /// The slot `head` points at.
    pub head_slot: u32,
    /// The slot `tail` points at.
    pub tail_slot: u32,
    /// Events between head and tail.
    pub len: u32,
    /// Drawn segments in slot order.
    pub slots: Vec<SlotView>,
    /// One sentence on the capacity rule, for the legend.
    pub capacity_rule: &'static str,
}

impl RingView {
    /// User data in the ring, head to tail (single-slot segments only).
    pub fn slots_user_data(&self) -> Vec<u64> {
        let n = self.entries;
        (0..self.len)
            .filter_map(|i| {
                let slot = (self.head_slot + i) % n;
                self.slots.iter().find(|s| s.index == slot && s.slots == 1).and_then(|s| s.user_data)
            })
            .collect()
    }
}

/// submitted = in flight + in ring + in list + reaped + dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Ledger {
    pub submitted: u64,
    pub in_flight: u64,
    pub in_ring: u64,
    pub in_list: u64,
    pub reaped: u64,
    pub dropped: u64,
    /// Whether the sum balances.
    pub holds: bool,
}

impl Ledger {
    /// The right-hand side of the ledger.
    pub fn accounted(&self) -> u64 {
        self.in_flight + self.in_ring + self.in_list + self.reaped + self.dropped
    }
}

/// aio's slot accounting: what `io_submit` checks before it accepts a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum SlotPools {
    /// Today's aio (A3.3): free slots in the global pool (`reqs_available`) and in each
    /// CPU's cache, which refills from the pool only in whole batches of `batch`.
    PerCpu { global: u32, cpus: Vec<u32>, batch: u32 },
    /// aio 2012 (A1.2): kiocbs allocated and not yet freed (`reqs_active`); with the events
    /// in the ring they may not exceed `limit` (`nr − 1`).
    Global { reqs_active: u32, limit: u32 },
}

/// The reaper as an actor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReaperView {
    pub policy: &'static str,
    /// Sleeping in the kernel until a completion arrives.
    pub blocked: bool,
    pub next_wake_ns: Option<u64>,
}

/// Everything the main view shows at one instant.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ViewModel {
    /// The model (written as its name in files and links: `proposal`, `io_uring`, ...).
    pub model: ModelKind,
    /// Simulated time in nanoseconds.
    pub now_ns: u64,
    /// Events processed so far.
    pub events: u64,
    pub ring: RingView,
    /// User data on the overflow list, oldest first.
    pub overflow_list: Vec<u64>,
    /// Whether the model has an overflow list at all (aio has none; io_uring 5.1 drops).
    pub has_overflow_list: bool,
    /// The flag next to the tail, `None` where the model has none.
    pub flag: Option<bool>,
    /// When the flush timer fires next, `None` while idle or where the model has no timer.
    pub timer_deadline_ns: Option<u64>,
    pub has_timer: bool,
    /// Requests the device is working on.
    pub in_flight: u32,
    pub counters: Counters,
    /// The model's own drop counter (io_uring `cq.overflow`).
    pub overflow_counter: u32,
    /// Where aio's submit finds its ring slots; `None` for the other models.
    pub slot_pools: Option<SlotPools>,
    pub ledger: Ledger,
    /// Time from completion to reap, in ns.
    pub reap_latency: Percentiles,
    pub reaper: ReaperView,
    /// The current workload phase's name.
    pub phase: Option<String>,
    /// Where the scenario's timeline ends, ns.
    pub end_ns: u64,
}
