//! The shared completion ring: slots, `head` and `tail`, in the two arithmetics the
//! kernels use.

use std::collections::VecDeque;
use std::ops::Range;

/// A completion as it sits in the ring or on the overflow list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Completion {
    /// The request's user data (aio `data`, io_uring `user_data`): numbered from 0 in submission order.
    pub user_data: u64,
    /// Simulated time at which the device completed the request, in ns.
    pub completed_at: u64,
}

/// How `head` and `tail` map to slots.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Indexing {
    /// aio: indices in `[0, nr)`, one slot always stays empty (A0.4).
    Modulo,
    /// io_uring: free-running u32 counters masked by `entries − 1`; every slot usable (U2.1).
    FreeRunning,
}

/// A completion ring as userspace sees it: the kernel writes `tail`, userspace (or the
/// kernel's own reaping syscall) writes `head`.
#[derive(Clone, Debug)]
pub struct Ring {
    slots: Vec<Completion>,
    head: u32,
    tail: u32,
    indexing: Indexing,
}

const EMPTY: Completion = Completion { user_data: 0, completed_at: 0 };

impl Ring {
    /// An aio ring of `nr` slots, capacity `nr − 1` (A0.4).
    pub fn aio(nr: u32) -> Ring {
        assert!(nr >= 2, "an aio ring needs at least 2 slots");
        Ring { slots: vec![EMPTY; nr as usize], head: 0, tail: 0, indexing: Indexing::Modulo }
    }

    /// An io_uring CQ ring of `entries` slots (a power of two), capacity `entries` (U2.1).
    pub fn uring(entries: u32) -> Ring {
        assert!(entries.is_power_of_two(), "io_uring ring sizes are powers of two");
        Ring { slots: vec![EMPTY; entries as usize], head: 0, tail: 0, indexing: Indexing::FreeRunning }
    }

    pub fn indexing(&self) -> Indexing {
        self.indexing
    }

    /// Number of slots.
    pub fn entries(&self) -> u32 {
        self.slots.len() as u32
    }

    /// How many events the ring can hold at once.
    pub fn capacity(&self) -> u32 {
        match self.indexing {
            Indexing::Modulo => self.entries() - 1,  // A0.4
            Indexing::FreeRunning => self.entries(), // U2.1
        }
    }

    pub fn head(&self) -> u32 {
        self.head
    }

    pub fn tail(&self) -> u32 {
        self.tail
    }

    /// The slot a pointer value refers to.
    pub fn slot_of(&self, counter: u32) -> u32 {
        match self.indexing {
            // aio stores head and tail already reduced mod nr (A0.4); only a foreign
            // value needs the division.
            Indexing::Modulo if counter < self.entries() => counter,
            Indexing::Modulo => counter % self.entries(),
            Indexing::FreeRunning => counter & (self.entries() - 1), // U2.1
        }
    }

    /// Events between head and tail.
    pub fn len(&self) -> u32 {
        match self.indexing {
            Indexing::Modulo => {
                // A0.4: (tail − head + nr) mod nr, without the division.
                if self.tail >= self.head {
                    self.tail - self.head
                } else {
                    self.tail + self.entries() - self.head
                }
            }
            Indexing::FreeRunning => self.tail.wrapping_sub(self.head), // U2.1
        }
    }

    pub fn is_empty(&self) -> bool {
        self.head == self.tail
    }

    pub fn is_full(&self) -> bool {
        self.len() >= self.capacity()
    }

    /// Free slots for new events.
    pub fn free(&self) -> u32 {
        self.capacity().saturating_sub(self.len())
    }

    fn advance(&self, counter: u32) -> u32 {
        match self.indexing {
            Indexing::Modulo => {
                if counter + 1 >= self.entries() {
                    0
                } else {
                    counter + 1
                }
            }
            Indexing::FreeRunning => counter.wrapping_add(1),
        }
    }

    /// The kernel writes an event at `tail` and moves `tail` on. Callers check for room:
    /// neither kernel checks here (A1.4, A3.6), they rely on admission or the overflow path.
    pub fn push(&mut self, c: Completion) {
        debug_assert!(!self.is_full(), "ring overrun");
        let slot = self.slot_of(self.tail) as usize;
        self.slots[slot] = c;
        self.tail = self.advance(self.tail);
    }

    /// Takes the event at `head` and moves `head` on (userspace reaping, or the kernel's
    /// reaping syscall).
    pub fn pop(&mut self) -> Option<Completion> {
        if self.is_empty() {
            return None;
        }
        let c = self.slots[self.slot_of(self.head) as usize];
        self.head = self.advance(self.head);
        Some(c)
    }

    /// Takes up to `max` events from `head` on, oldest first, onto `out`, and moves `head`
    /// past them (what `max` calls of [`Ring::pop`] would do); returns how many.
    pub fn pop_into(&mut self, max: u32, out: &mut Vec<Completion>) -> u32 {
        let n = max.min(self.len());
        let (first, second) = self.slot_runs(self.head, n);
        out.extend_from_slice(&self.slots[first]);
        out.extend_from_slice(&self.slots[second]);
        self.head = self.advance_by(self.head, n);
        n
    }

    /// Moves events from the front of `list` to `tail` while the ring has room, oldest
    /// first (what [`Ring::push`] of each would do); returns how many.
    pub fn push_from(&mut self, list: &mut VecDeque<Completion>) -> u32 {
        let n = (self.free() as usize).min(list.len()) as u32;
        let (first, second) = self.slot_runs(self.tail, n);
        let (front, back) = self.slots.split_at_mut(first.start);
        let slots = back[..first.len()].iter_mut().chain(&mut front[second]);
        for (slot, c) in slots.zip(list.drain(..n as usize)) {
            *slot = c;
        }
        self.tail = self.advance_by(self.tail, n);
        n
    }

    /// The slots of `n` events from the pointer value `from` on: the run up to the last
    /// slot, then the run from slot 0 (empty unless the events wrap around).
    fn slot_runs(&self, from: u32, n: u32) -> (Range<usize>, Range<usize>) {
        let start = self.slot_of(from) as usize;
        let first = (n as usize).min(self.slots.len() - start);
        (start..start + first, 0..n as usize - first)
    }

    /// A pointer value moved on by `n` ≤ `entries` events.
    fn advance_by(&self, counter: u32, n: u32) -> u32 {
        match self.indexing {
            Indexing::Modulo => {
                // A0.4: head and tail stay below nr, so one subtraction reduces the sum.
                let c = counter + n;
                if c >= self.entries() {
                    c - self.entries()
                } else {
                    c
                }
            }
            Indexing::FreeRunning => counter.wrapping_add(n), // U2.1
        }
    }

    /// Events from head to tail, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = &Completion> + '_ {
        let head = self.head;
        (0..self.len()).map(move |i| {
            let counter = match self.indexing {
                Indexing::Modulo => (head + i) % self.entries(),
                Indexing::FreeRunning => head.wrapping_add(i),
            };
            &self.slots[self.slot_of(counter) as usize]
        })
    }

    /// The event held in a slot, if the slot lies between head and tail.
    pub fn occupant(&self, slot: u32) -> Option<&Completion> {
        let offset = match self.indexing {
            Indexing::Modulo => (slot + self.entries() - self.head % self.entries()) % self.entries(),
            Indexing::FreeRunning => slot.wrapping_sub(self.head) & (self.entries() - 1),
        };
        (offset < self.len()).then(|| &self.slots[slot as usize])
    }

    /// Places both pointers at `counter` (an empty ring); for tests of wrap-around.
    pub fn reset_to(&mut self, counter: u32) {
        let c = match self.indexing {
            Indexing::Modulo => counter % self.entries(),
            Indexing::FreeRunning => counter,
        };
        self.head = c;
        self.tail = c;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(ud: u64) -> Completion {
        Completion { user_data: ud, completed_at: 0 }
    }

    #[test]
    fn aio_ring_keeps_one_slot_empty() {
        let mut r = Ring::aio(4);
        for ud in 0..3 {
            r.push(c(ud));
        }
        assert!(r.is_full());
        assert_eq!(r.len(), 3);
        assert_eq!(r.tail(), 3);
        assert_eq!(r.pop().unwrap().user_data, 0);
        r.push(c(3));
        assert_eq!(r.tail(), 0, "aio tail wraps to index 0");
        assert_eq!(r.iter().map(|c| c.user_data).collect::<Vec<_>>(), vec![1, 2, 3]);
        assert_eq!(r.occupant(3).unwrap().user_data, 3);
        assert!(r.occupant(0).is_none());
    }

    /// The bulk moves do what one `push` or `pop` per event would, across the wrap-around
    /// of either arithmetic.
    #[test]
    fn bulk_moves_match_one_event_at_a_time() {
        for (mut bulk, start) in [(Ring::aio(7), 5), (Ring::uring(8), 0xFFFF_FFFD)] {
            bulk.reset_to(start);
            let mut single = bulk.clone();
            let mut next = 0;
            for round in 0..40u64 {
                let mut list: VecDeque<Completion> = (next..next + round % 11).map(c).collect();
                next += round % 11;
                let mut rest = list.clone();
                let moved = bulk.push_from(&mut list);
                let mut pushed = 0;
                while !single.is_full() {
                    let Some(e) = rest.pop_front() else { break };
                    single.push(e);
                    pushed += 1;
                }
                assert_eq!((moved, &list), (pushed, &rest));
                let (mut taken, mut popped) = (Vec::new(), Vec::new());
                let max = (round % 5) as u32;
                assert_eq!(bulk.pop_into(max, &mut taken), single.len().min(max));
                for _ in 0..max {
                    popped.extend(single.pop());
                }
                assert_eq!(taken, popped);
                assert_eq!((bulk.head(), bulk.tail()), (single.head(), single.tail()));
                assert_eq!(bulk.iter().collect::<Vec<_>>(), single.iter().collect::<Vec<_>>());
            }
        }
    }

    /// TV-U2: cq_entries=8, head=0xFFFFFFFE, tail=6 → ready 8, full, both pointers at slot 6.
    #[test]
    fn tv_u2_u32_wrap_arithmetic() {
        let mut r = Ring::uring(8);
        r.reset_to(0xFFFF_FFFE);
        for ud in 0..8 {
            r.push(c(ud));
        }
        assert_eq!(r.tail(), 6);
        assert_eq!(r.len(), 8);
        assert!(r.is_full());
        assert_eq!(r.slot_of(r.head()), 6);
        assert_eq!(r.slot_of(r.tail()), 6);
        assert_eq!(r.occupant(6).unwrap().user_data, 0);
        assert_eq!(r.iter().map(|c| c.user_data).collect::<Vec<_>>(), (0..8).collect::<Vec<_>>());
    }
}
