//! Bounded statistics: a log-linear latency histogram and down-sampled time series.
//!
//! Hand-written rather than a histogram crate: it is ~40 lines, `Clone` is a memcpy
//! (snapshots clone it often), and it keeps the wasm bundle small.

use serde::Serialize;

const SUB_BITS: u32 = 4;
const SUB: u64 = 1 << SUB_BITS;
const BUCKETS: usize = (SUB as usize) * (64 - SUB_BITS as usize + 1);

/// Latencies in ns, bucketed with 16 sub-buckets per power of two (relative error ≤ 6%).
#[derive(Clone, Debug)]
pub struct Histogram {
    counts: Box<[u64; BUCKETS]>,
    total: u64,
    max: u64,
}

impl Default for Histogram {
    fn default() -> Self {
        Histogram { counts: Box::new([0; BUCKETS]), total: 0, max: 0 }
    }
}

fn bucket(v: u64) -> usize {
    if v < SUB {
        return v as usize;
    }
    let exp = 63 - v.leading_zeros(); // ≥ SUB_BITS
    let sub = (v >> (exp - SUB_BITS)) & (SUB - 1);
    (SUB as usize) * (exp - SUB_BITS + 1) as usize + sub as usize
}

fn bucket_low(i: usize) -> u64 {
    if i < SUB as usize {
        return i as u64;
    }
    let exp = (i / SUB as usize) as u32 + SUB_BITS - 1;
    let sub = (i % SUB as usize) as u64;
    (SUB + sub) << (exp - SUB_BITS)
}

impl Histogram {
    #[inline]
    pub fn record(&mut self, v: u64) {
        self.counts[bucket(v)] += 1;
        self.total += 1;
        self.max = self.max.max(v);
    }

    pub fn count(&self) -> u64 {
        self.total
    }

    /// The value at quantile `q` (0..=1), as the lower bound of its bucket; 0 when empty.
    pub fn quantile(&self, q: f64) -> u64 {
        if self.total == 0 {
            return 0;
        }
        let rank = ((q.clamp(0.0, 1.0) * self.total as f64).ceil() as u64).max(1);
        let mut seen = 0;
        for (i, &c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= rank {
                return bucket_low(i).min(self.max);
            }
        }
        self.max
    }

    pub fn percentiles(&self) -> Percentiles {
        Percentiles {
            count: self.total,
            p50: self.quantile(0.5),
            p90: self.quantile(0.9),
            p99: self.quantile(0.99),
            max: self.max,
        }
    }
}

/// Summary of a latency distribution, in ns.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Percentiles {
    pub count: u64,
    pub p50: u64,
    pub p90: u64,
    pub p99: u64,
    pub max: u64,
}

/// One sample of the run's state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Sample {
    pub at: u64,
    pub ring_len: u32,
    pub list_len: u32,
    pub in_flight: u32,
    /// Syscalls made so far (the chart derives the rate).
    pub syscalls: u64,
    /// Events reaped so far.
    pub reaped: u64,
    /// Reap latency p50/p99 so far, in ns.
    pub p50_ns: u64,
    pub p99_ns: u64,
}

/// Samples at a fixed simulated interval; when full, every other sample is dropped and
/// the interval doubles, so memory stays bounded on any run length.
#[derive(Clone, Debug)]
pub struct Series {
    samples: Vec<Sample>,
    interval_ns: u64,
    next_at: u64,
    capacity: usize,
}

impl Series {
    pub const DEFAULT_CAPACITY: usize = 1024;

    pub fn new(interval_ns: u64, capacity: usize) -> Series {
        Series {
            samples: Vec::with_capacity(capacity),
            interval_ns: interval_ns.max(1),
            next_at: 0,
            capacity: capacity.max(2),
        }
    }

    /// Whether a sample is due at `now`.
    #[inline]
    pub fn due(&self, now: u64) -> bool {
        now >= self.next_at
    }

    pub fn push(&mut self, sample: Sample) {
        if self.samples.len() == self.capacity {
            let mut i = 0;
            self.samples.retain(|_| {
                i += 1;
                i % 2 == 1
            });
            self.interval_ns *= 2;
        }
        self.next_at = (sample.at / self.interval_ns + 1) * self.interval_ns;
        self.samples.push(sample);
    }

    pub fn samples(&self) -> &[Sample] {
        &self.samples
    }

    pub fn interval_ns(&self) -> u64 {
        self.interval_ns
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_quantiles_are_within_bucket_error() {
        let mut h = Histogram::default();
        for v in 1..=1000u64 {
            h.record(v * 1000);
        }
        let p50 = h.quantile(0.5) as f64;
        assert!((p50 - 500_000.0).abs() / 500_000.0 < 0.07, "p50 {p50}");
        let p99 = h.quantile(0.99) as f64;
        assert!((p99 - 990_000.0).abs() / 990_000.0 < 0.07, "p99 {p99}");
        assert_eq!(h.percentiles().max, 1_000_000);
        assert_eq!(Histogram::default().quantile(0.5), 0);
    }

    #[test]
    fn bucket_bounds_round_trip() {
        for v in [0u64, 1, 15, 16, 17, 31, 32, 1000, 123_456_789, u64::MAX] {
            let low = bucket_low(bucket(v));
            assert!(low <= v, "{v} low {low}");
            assert!(v - low <= v / 16 + 1, "{v} low {low}");
        }
    }

    #[test]
    fn series_stays_bounded_and_keeps_order() {
        let mut s = Series::new(10, 8);
        for t in 0..10_000u64 {
            if s.due(t) {
                s.push(Sample { at: t, ..Default::default() });
            }
        }
        assert!(s.samples().len() <= 8);
        assert!(s.samples().windows(2).all(|w| w[0].at < w[1].at));
        assert!(s.samples().last().unwrap().at > 5_000);
    }
}
