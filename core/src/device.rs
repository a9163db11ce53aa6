//! The device's queue: the requests in flight, taken in completion order.
//!
//! Each request is keyed by `completion time << 64 | user data`: one u128 compare
//! orders two requests, and on a tie in time the older request (lower user data) comes
//! first. Keys are unique, so the order in which [`Device::pop`] hands them out depends on
//! nothing but the keys: any correct priority queue gives the same run.
//!
//! The queue is a calendar (R. Brown, 1988) in front of a binary heap. Time is cut into
//! buckets of `2^shift` ns. The bucket being drained, `current`, is sorted; the next 63
//! buckets wait unsorted in `slots`; whatever lies beyond them goes to the heap `far`.
//! Starting a request is a push onto its bucket, a completion is a `Vec::pop`, and a
//! bucket is sorted when its turn comes (a few keys). The next completion is the smaller
//! of `current`'s last key and the heap's top, so a key may sit in either without
//! changing the order: the bucket width only decides the cost. It follows the latencies
//! (their geometric mean), so that most requests land in the 64 buckets; with none there
//! it is the plain binary heap this replaced. In the benchmark's heavy scenario that heap
//! (about 80 requests) took six dependent steps per completion, and its sift-up was a
//! branch the processor mispredicted about once per request.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Buckets in the calendar: `current`'s and the 63 after it (one bit each in a u64).
const BUCKETS: u64 = 64;

/// `current` takes keys for its own bucket by sorted insertion up to this length; past
/// it they go to the heap.
const CURRENT_MAX: usize = 32;

/// A bucket is sorted by insertion when it becomes `current`, up to this many keys; a
/// fuller one goes to the heap instead. (Insertion sort, not `sort_unstable`: a few keys,
/// mostly in order, and the browser's first bundle is kept small.)
const SORT_MAX: usize = 64;

/// The requests in flight on the device.
#[derive(Clone, Debug)]
pub(crate) struct Device {
    /// Buckets are `2^shift` ns wide.
    shift: u32,
    /// The bucket `current` drains.
    cur: u64,
    /// Keys of bucket `cur` or earlier, sorted in descending order (the next is last).
    /// Not empty while any slot is occupied.
    current: Vec<u128>,
    /// Keys of buckets `cur + 1 ..= cur + 63`, unsorted: bucket `b` in `slots[b % 64]`.
    slots: Vec<Vec<u128>>,
    /// Bit `i` set when `slots[i]` holds keys.
    occupied: u64,
    /// Keys past the calendar, and those that found `current` full.
    far: BinaryHeap<Reverse<u128>>,
    /// `log2` of the latencies started since the width was last looked at (every 64
    /// requests or so): their sum and count.
    log_sum: u64,
    log_count: u64,
    /// A moving average of those means, times 64 (`None` until the first submit call
    /// sets the width): the width follows it.
    log_mean: Option<u64>,
    /// Requests started since the calendar was last re-bucketed.
    since_rebucket: usize,
}

impl Default for Device {
    fn default() -> Device {
        Device {
            shift: 0,
            cur: 0,
            current: Vec::new(),
            slots: vec![Vec::new(); BUCKETS as usize],
            occupied: 0,
            far: BinaryHeap::new(),
            log_sum: 0,
            log_count: 0,
            log_mean: None,
            since_rebucket: 0,
        }
    }
}

/// The key of a request: completion time, then user data.
fn key(done: u64, user_data: u64) -> u128 {
    ((done as u128) << 64) | user_data as u128
}

impl Device {
    /// When the next request completes, if any is in flight.
    #[inline]
    pub fn next_done(&self) -> Option<u64> {
        let near = self.current.last().copied();
        let far = self.far.peek().map(|&Reverse(key)| key);
        let next = match (near, far) {
            (Some(near), Some(far)) => near.min(far),
            (near, far) => near.or(far)?,
        };
        Some((next >> 64) as u64)
    }

    /// Takes the request that completes next: its user data.
    #[inline]
    pub fn pop(&mut self) -> Option<u64> {
        let near = self.current.last().copied();
        let key = match (near, self.far.peek()) {
            (Some(near), Some(&Reverse(far))) if far < near => self.far.pop().map(|Reverse(key)| key),
            (Some(_), _) => {
                let key = self.current.pop();
                if self.current.is_empty() {
                    self.advance();
                }
                key
            }
            (None, _) => self.far.pop().map(|Reverse(key)| key),
        }?;
        Some(key as u64)
    }

    /// Starts the requests of one submit call made at `now`: (completion time, user
    /// data) each, none due before `now`.
    pub fn start(&mut self, now: u64, requests: impl IntoIterator<Item = (u64, u64)>) {
        if self.current.is_empty() {
            // Nothing near (no slot is occupied either): the calendar starts just before
            // `now`, so that even the keys due in `now`'s bucket wait in a slot, to be
            // sorted once when `advance` makes it current.
            self.cur = (now >> self.shift).saturating_sub(1);
        }
        let (mut log_sum, mut count) = (0, 0);
        for (done, user_data) in requests {
            log_sum += (done.saturating_sub(now) | 1).ilog2() as u64;
            count += 1;
            self.place(key(done, user_data));
        }
        self.log_sum += log_sum;
        self.log_count += count;
        self.since_rebucket += count as usize;
        if count > 0 && (self.log_mean.is_none() || self.log_count >= 64) {
            self.resize(now);
        }
        if self.current.is_empty() {
            self.advance();
        }
    }

    /// Looks at the bucket width: 64 buckets should span about eight times the geometric
    /// mean of the latencies (a mean would follow the slow mode of a bimodal device, and
    /// leave the fast one, most of the requests, in one bucket). The first submit call
    /// sets it; later, a width two powers of two off re-buckets, once as many requests
    /// have started as the calendar holds, so that it costs O(1) per request however the
    /// latencies go.
    fn resize(&mut self, now: u64) {
        let mean = 64 * self.log_sum / self.log_count;
        let (average, off) = match self.log_mean {
            Some(average) => ((3 * average + mean) / 4, 2),
            None => (mean, 1),
        };
        self.log_mean = Some(average);
        self.log_sum = 0;
        self.log_count = 0;
        let shift = ((average + 32) / 64).saturating_sub(3) as u32;
        if shift.abs_diff(self.shift) >= off && self.since_rebucket >= self.calendar_len() {
            self.rebucket(shift, now);
        }
    }

    /// Keys in `current` and the slots.
    fn calendar_len(&self) -> usize {
        self.current.len() + self.slots.iter().map(Vec::len).sum::<usize>()
    }

    /// Puts a key in its bucket, `current` (kept sorted) or the heap.
    fn place(&mut self, key: u128) {
        let bucket = ((key >> 64) as u64) >> self.shift;
        if bucket <= self.cur {
            if self.current.len() < CURRENT_MAX {
                let at = self.current.partition_point(|&k| k > key);
                self.current.insert(at, key);
                return;
            }
        } else if bucket - self.cur < BUCKETS {
            let slot = bucket % BUCKETS;
            self.slots[slot as usize].push(key);
            self.occupied |= 1 << slot;
            return;
        }
        self.far.push(Reverse(key));
    }

    /// With `current` empty: the next occupied slot becomes the current bucket (and the
    /// one after, if that one went to the heap).
    fn advance(&mut self) {
        while self.current.is_empty() && self.occupied != 0 {
            let from = ((self.cur + 1) % BUCKETS) as u32;
            self.cur += 1 + self.occupied.rotate_right(from).trailing_zeros() as u64;
            let slot = self.cur % BUCKETS;
            std::mem::swap(&mut self.current, &mut self.slots[slot as usize]);
            self.occupied &= !(1 << slot);
            self.sort_current();
        }
    }

    /// Sorts `current` in descending order (the next key last), or moves it to the heap
    /// when it holds more than SORT_MAX keys. Its keys were mostly pushed in ascending
    /// order (a batch's requests, one latency), so they are reversed first and the
    /// insertion sort has little to move.
    fn sort_current(&mut self) {
        if self.current.len() > SORT_MAX {
            for key in self.current.drain(..) {
                self.far.push(Reverse(key));
            }
            return;
        }
        let keys = &mut self.current;
        keys.reverse();
        for i in 1..keys.len() {
            let key = keys[i];
            let mut j = i;
            while j > 0 && keys[j - 1] < key {
                keys[j] = keys[j - 1];
                j -= 1;
            }
            keys[j] = key;
        }
    }

    /// Re-buckets the calendar at a new width (the heap keeps its keys).
    fn rebucket(&mut self, shift: u32, now: u64) {
        let mut keys = std::mem::take(&mut self.current);
        for slot in &mut self.slots {
            keys.append(slot);
        }
        self.occupied = 0;
        self.shift = shift;
        self.since_rebucket = 0;
        // The calendar starts at the earliest key's bucket (at `now`'s when there is none).
        let first = keys.iter().min().map_or(now, |&key| (key >> 64) as u64);
        self.cur = first >> shift;
        for &key in &keys {
            let bucket = ((key >> 64) as u64) >> shift;
            if bucket <= self.cur {
                self.current.push(key);
            } else {
                self.place(key);
            }
        }
        self.sort_current();
        self.advance();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The device hands requests out exactly as one heap of all keys would, ties in time
    /// included, whatever the latencies: from a few ns (everything in `current`) through
    /// the calendar's range to far beyond it (everything in the heap), changing as it runs.
    #[test]
    fn pops_in_key_order_like_one_heap() {
        let mut device = Device::default();
        let mut reference = BinaryHeap::new();
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let (mut now, mut user_data) = (0u64, 0u64);
        for round in 0..200_000u64 {
            let scale = [4, 64, 5_000, 1 << 20, 1 << 36][(round / 20_000 % 5) as usize];
            if round % 5 == 0 || device.next_done().is_none() {
                let size = [0, 1, 3, 16, 40][(next() % 5) as usize];
                let batch: Vec<(u64, u64)> = (0..size)
                    .map(|_| {
                        user_data += 1;
                        // Mostly near, a few much later; some ties in time.
                        let latency = if next() % 8 == 0 { next() % (scale * 64) } else { next() % scale };
                        (now + latency, user_data)
                    })
                    .collect();
                reference.extend(batch.iter().map(|&(done, ud)| Reverse(key(done, ud))));
                device.start(now, batch);
            }
            assert_eq!(device.next_done(), reference.peek().map(|Reverse(k)| (k >> 64) as u64));
            if let Some(Reverse(k)) = reference.pop() {
                now = (k >> 64) as u64;
                assert_eq!(device.pop(), Some(k as u64));
            }
            assert!(device.occupied == 0 || !device.current.is_empty());
        }
    }

    /// A bucket with more keys than an insertion sort should take goes to the heap, and
    /// the order is still the keys' (one latency for a whole batch: every key in one bucket).
    #[test]
    fn a_crowded_bucket_goes_to_the_heap_in_order() {
        let mut device = Device::default();
        device.start(0, (0..200).map(|ud| (1_000, 199 - ud)).chain([(999, 500), (1_001, 7)]));
        assert_eq!(device.pop(), Some(500));
        assert!(device.far.len() >= 200, "the crowded bucket waits in the heap");
        let order: Vec<u64> = std::iter::from_fn(|| device.pop()).collect();
        let mut want: Vec<u64> = (0..200).collect();
        want.push(7);
        assert_eq!(order, want);
    }

    #[test]
    fn ties_in_time_go_to_the_older_request() {
        let mut device = Device::default();
        device.start(0, [(5, 7), (5, 3), (4, 9)]);
        device.start(1, [(5, 1)]);
        let order: Vec<u64> = std::iter::from_fn(|| device.pop()).collect();
        assert_eq!(order, vec![9, 1, 3, 7]);
        assert_eq!(device.next_done(), None);
    }
}
