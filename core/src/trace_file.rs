//! Recorded I/O traces replayed as a workload phase: each request submitted at its
//! recorded instant and completed after its recorded latency, optionally time-scaled
//! and looped (a phase's `trace`, `trace_scale`, `trace_loop`; see `crate::workload`).
//!
//! - The formats (fio latency logs, a plain CSV) and the parser: [`parse`] (the file
//!   `trace_file/parse.rs`, which build.rs shares). docs/traces.md says how to record each.
//! - [`TraceData`]: a trace's requests, shared (`Arc`) so that the `Sim` clones a
//!   `Timeline` keeps as snapshots stay cheap.
//! - The built-in traces, recorded with fio on a real device (`scenarios/traces/`),
//!   embedded at build time in a compact form ([`parse::encode`]): [`builtin`], [`BUILTIN`].
//! - [`Replay`]: where a trace phase's submitter stands.
//!
//! Named `trace_file`, not `trace`: `crate::trace` is the run's event trace.

pub mod parse;

pub use parse::{Parser, TraceError, CSV_HEADER, MAX_REQUESTS};

use crate::scenario::Scenario;
use crate::workload::Phase;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::sync::{Arc, OnceLock};

/// A trace's requests: `(submit_ns, latency_ns)` in the order of their submissions, the
/// first submitted at 0. Cheap to clone.
#[derive(Clone, Debug)]
pub struct TraceData {
    requests: Arc<[(u64, u64)]>,
    /// When the last request completes: the trace's span, ns.
    span_ns: u64,
}

impl TraceData {
    /// A trace of these `(submit_ns, latency_ns)` pairs, in any order and from any
    /// start: ordered by submission (stable) and timed from the earliest.
    pub fn from_pairs(mut pairs: Vec<(u64, u64)>) -> TraceData {
        let first = pairs.iter().map(|p| p.0).min().unwrap_or(0);
        for p in &mut pairs {
            p.0 -= first;
        }
        parse::sort_by_submit(&mut pairs);
        let span_ns = pairs.iter().map(|p| p.0.saturating_add(p.1)).max().unwrap_or(0);
        TraceData { requests: pairs.into(), span_ns }
    }

    /// A trace file's records (`(complete_ns, latency_ns)`, as [`Parser`] reads them).
    pub fn from_records(records: &[(u64, u64)]) -> TraceData {
        TraceData::from_pairs(parse::requests(records))
    }

    pub fn requests(&self) -> &[(u64, u64)] {
        &self.requests
    }

    pub fn len(&self) -> usize {
        self.requests.len()
    }

    pub fn is_empty(&self) -> bool {
        self.requests.is_empty()
    }

    /// From the first submission to the last completion, ns.
    pub fn span_ns(&self) -> u64 {
        self.span_ns
    }
}

/// Reads a whole trace file (fio latency log or CSV); the error names the line.
#[inline]
pub fn parse_text(text: &str) -> Result<TraceData, TraceError> {
    parse::parse(text).map(|records| TraceData::from_records(&records))
}

impl PartialEq for TraceData {
    fn eq(&self, other: &TraceData) -> bool {
        Arc::ptr_eq(&self.requests, &other.requests) || self.requests == other.requests
    }
}

/// As a list of `[submit_ns, latency_ns]` pairs (the `trace_data` of a scenario file).
impl Serialize for TraceData {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.requests.iter())
    }
}

impl<'de> Deserialize<'de> for TraceData {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<TraceData, D::Error> {
        Vec::<(u64, u64)>::deserialize(d).map(TraceData::from_pairs)
    }
}

// BUILTIN_DATA: each `scenarios/traces/NAME.lat.log` in the compact form, with the first
// comment line of `NAME.fio`; BUILTIN_NAMES (build.rs).
include!(concat!(env!("OUT_DIR"), "/traces.rs"));

/// A built-in trace: its name (in links and scenario files), what its fio job did, and
/// the log it was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Builtin {
    pub name: &'static str,
    pub about: &'static str,
    pub file: &'static str,
}

/// The built-in traces, by name.
pub const BUILTIN: [Builtin; BUILTIN_DATA.len()] = {
    let mut out = [Builtin { name: "", about: "", file: "" }; BUILTIN_DATA.len()];
    let mut i = 0;
    while i < out.len() {
        let (name, about, file, _) = BUILTIN_DATA[i];
        out[i] = Builtin { name, about, file };
        i += 1;
    }
    out
};

/// A built-in trace's requests by name (decoded once).
pub fn builtin(name: &str) -> Option<TraceData> {
    static DECODED: [OnceLock<TraceData>; BUILTIN_DATA.len()] = [const { OnceLock::new() }; BUILTIN_DATA.len()];
    let i = BUILTIN_DATA.iter().position(|b| b.0 == name)?;
    Some(DECODED[i].get_or_init(|| TraceData::from_records(&parse::decode(BUILTIN_DATA[i].3))).clone())
}

/// `base` replaying one trace: its model, reaper and seed, and one phase that replays
/// the trace once (`data`: the requests of a file; `None`: the built-in trace `name`).
/// The CLI's `run --trace` and the page's trace loader both build their run with it.
#[inline]
pub fn scenario_with_trace(base: &Scenario, name: &str, data: Option<TraceData>) -> Scenario {
    let mut s = base.clone();
    s.title = format!("Trace: {name}");
    s.steps = None;
    s.lesson = None;
    s.workload.phases =
        vec![Phase { name: "trace".into(), duration_ns: 0, trace: name.into(), trace_data: data, ..Phase::default() }];
    s
}

/// Where a trace phase's submitter stands: the next request and how many times the
/// trace has been played.
#[derive(Clone, Debug)]
pub(crate) struct Replay {
    data: TraceData,
    scale: f64,
    looping: bool,
    /// One pass of the trace, scaled, ns (at least 1).
    period: u64,
    /// When the phase began.
    start: u64,
    next: usize,
    lap: u64,
}

impl Replay {
    /// The replay of `phase` begun at `start`, when it is a trace phase.
    pub(crate) fn of(phase: &Phase, start: u64) -> Option<Replay> {
        let data = phase.trace_requests()?;
        let scale = phase.trace_scale;
        let period = scaled(scale, data.span_ns()).max(1);
        Some(Replay { data, scale, looping: phase.trace_loop, period, start, next: 0, lap: 0 })
    }

    /// When the next request is submitted.
    pub(crate) fn next_at(&self) -> Option<u64> {
        let &(at, _) = self.data.requests.get(self.next)?;
        Some(self.start + self.lap * self.period + scaled(self.scale, at))
    }

    /// Takes the requests submitted at `now` (at most `max`): their latencies, scaled.
    pub(crate) fn take_due(&mut self, now: u64, max: usize, latencies: &mut Vec<u64>) {
        latencies.clear();
        while latencies.len() < max && self.next_at().is_some_and(|at| at <= now) {
            latencies.push(scaled(self.scale, self.data.requests[self.next].1));
            self.next += 1;
            if self.next == self.data.len() && self.looping {
                self.next = 0;
                self.lap += 1;
            }
        }
    }
}

/// `ns` × `scale`, rounded (exactly `ns` at scale 1).
pub(crate) fn scaled(scale: f64, ns: u64) -> u64 {
    if scale == 1.0 {
        ns
    } else {
        (ns as f64 * scale).round() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_merge_sort_is_stable() {
        let mut v: Vec<(u64, u64)> = (0..1000u64).map(|i| ((i * 7919) % 13, i)).collect();
        let mut expected = v.clone();
        expected.sort_by_key(|p| p.0);
        parse::sort_by_submit(&mut v);
        assert_eq!(v, expected);
    }

    #[test]
    fn the_compact_form_gives_back_the_records() {
        let records = [(6_000_000, 6_676_875), (0, 522_164), (22_000_000, 94_822), (1, 0), (3, u64::MAX >> 8)];
        assert_eq!(parse::decode(&parse::encode(&records)), records);
        assert_eq!(parse::decode(&parse::encode(&[])), []);
    }

    #[test]
    fn every_built_in_trace_decodes() {
        assert!(BUILTIN.len() >= 3);
        for b in BUILTIN {
            let data = builtin(b.name).expect("a built-in trace");
            assert!(!data.is_empty() && data.span_ns() > 0, "{}", b.name);
            assert!(!b.about.is_empty(), "{}: its job file has no first comment line", b.name);
            assert!(data.requests().windows(2).all(|w| w[0].0 <= w[1].0), "{}", b.name);
            assert_eq!(data.requests()[0].0, 0, "{}", b.name);
        }
        assert_eq!(builtin("nope"), None);
    }

    #[test]
    fn a_replay_scales_and_loops() {
        let data = TraceData::from_pairs(vec![(100, 10), (100, 20), (150, 50)]);
        assert_eq!(data.requests(), [(0, 10), (0, 20), (50, 50)]);
        assert_eq!(data.span_ns(), 100);
        let phase =
            Phase { trace: "t".into(), trace_data: Some(data), trace_scale: 2.0, trace_loop: true, ..Phase::default() };
        let mut r = Replay::of(&phase, 1000).unwrap();
        let mut lat = Vec::new();
        assert_eq!(r.next_at(), Some(1000));
        r.take_due(1000, 1, &mut lat);
        assert_eq!(lat, [20]);
        r.take_due(1000, 10, &mut lat);
        assert_eq!(lat, [40]);
        assert_eq!(r.next_at(), Some(1100));
        r.take_due(1100, 10, &mut lat);
        assert_eq!(lat, [100]);
        assert_eq!(r.next_at(), Some(1200), "the second lap: one period (span × scale) later");
    }
}
