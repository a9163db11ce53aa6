//! What the browser draws: a plain, owned snapshot of the simulation, computed by the
//! core so that the app decides nothing about the ring (Crux's `ViewModel`).

use serde::Serialize;

/// One slot of the completion ring as the user sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SlotView {
    /// Index of the slot in the ring (0..entries).
    pub index: u32,
    /// The user data of the event held there, `None` when the slot is free.
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
    /// Every slot, in index order. Only slots between head and tail hold an event.
    pub slots: Vec<SlotView>,
    /// One sentence on the capacity rule, for the legend.
    pub capacity_rule: &'static str,
}

/// Everything the main view shows at one instant.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ViewModel {
    /// The model's name as used in files and links (`proposal`, `io_uring`, ...).
    pub model: &'static str,
    /// Simulated time in nanoseconds.
    pub now_ns: u64,
    pub ring: RingView,
    /// User data on the overflow list, oldest first.
    pub overflow_list: Vec<u64>,
    /// The flag next to the tail, `None` where the model has none.
    pub flag: Option<bool>,
    /// When the flush timer fires next, `None` while idle or where the model has no timer.
    pub timer_deadline_ns: Option<u64>,
    /// Requests the device is working on.
    pub in_flight: u32,
}
