//! What each model lets the controls change ([`Caps`]), and each number control's range
//! and hint, taken from the core's field tables and the model's [`ModelKind`].

use super::controls::Control;
use ringlab_core::model::proposal::ProposalSpec;
use ringlab_core::model::{ModelKind, ModelSpec};
use ringlab_core::spec::FieldTable;
use ringlab_core::workload::Phase;
use ringlab_core::ReaperSpec;

/// Whether a model has a flag next to the tail, and whether the user can turn it off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlagCap {
    None,
    Always,
    Optional,
}

/// What each model lets the controls change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Caps {
    /// What the model is, for the model picker.
    pub hint: &'static str,
    /// The ring-size control's label.
    pub ring_label: &'static str,
    pub ring_min: u64,
    pub ring_max: u64,
    pub ring_note: &'static str,
    pub max_requests: bool,
    pub timer: bool,
    pub flag: FlagCap,
}

impl Caps {
    pub fn of(kind: ModelKind) -> Caps {
        let ring = kind.ring_size();
        let defaults = ModelSpec::default_for(kind);
        Caps {
            hint: kind.hint(),
            ring_label: ring.label,
            ring_min: ring.min.into(),
            ring_max: ring.max.into(),
            ring_note: ring.note,
            max_requests: defaults.has_field("max_requests"),
            timer: defaults.has_field("timer_ns"),
            // The flag is optional in the proposal and on io_uring 5.5–5.12 (5.8+ has it).
            flag: match kind {
                ModelKind::Aio2012 | ModelKind::Aio | ModelKind::IoUring51 => FlagCap::None,
                ModelKind::IoUring => FlagCap::Always,
                ModelKind::Proposal | ModelKind::IoUring55 => FlagCap::Optional,
            },
        }
    }
}

/// The timer's line while no timer runs: the model has one and it is turned off
/// (`timer_ns` 0, B7), or the model has none.
pub fn timer_absent_text(caps: &Caps) -> &'static str {
    if caps.timer {
        "Timer: off (turned off in settings): only a later completion or a syscall flushes the list"
    } else {
        "Timer: this model has no flush timer"
    }
}

/// What a model without an overflow list does when its ring is full, in place of the
/// list's introduction; `None` for the models with a list.
pub fn full_ring_text(kind: ModelKind) -> Option<&'static str> {
    match kind {
        // A1.2: reqs_active plus the ring's events never exceed nr − 1.
        ModelKind::Aio2012 => Some(
            "aio has no overflow list. Every io_submit counts the requests in flight against the ring's free slots, \
             so io_submit refuses with EAGAIN before the ring can overflow.",
        ),
        // A3.3: each request takes its slot at submit, from a per-CPU cache or the global pool.
        ModelKind::Aio => Some(
            "aio has no overflow list. Each request reserves its ring slot at io_submit (from a per-CPU cache or \
             the global pool), so io_submit refuses with EAGAIN before the ring can overflow.",
        ),
        // U3.1, U5.3: no backlog on 5.1–5.4.
        ModelKind::IoUring51 => Some(
            "io_uring 5.1 has no overflow list. A completion that finds the CQ ring full is dropped and counted \
             in cq.overflow; submissions are never refused for it.",
        ),
        ModelKind::Proposal | ModelKind::IoUring | ModelKind::IoUring55 => None,
    }
}

/// The smallest time a µs control takes: 1 µs (its resolution; the core accepts less).
const MIN_CONTROL_NS: u64 = 1_000;

/// The range and meaning of field `name` in `S`'s field table.
fn field<S: FieldTable>(name: &str) -> ((u64, u64), &'static str) {
    let f = S::field(name).unwrap_or_else(|| panic!("{} has no field {name}", S::WHAT));
    (f.range.unwrap_or_else(|| panic!("{name} has no range")), f.hint)
}

/// The values a number control accepts (ns for the µs controls), from the field it
/// sets in the core's field tables; `None` for the other controls.
pub fn range(c: Control, caps: &Caps) -> Option<(u64, u64)> {
    let at_least_1us = |(min, max): (u64, u64)| (min.max(MIN_CONTROL_NS), max);
    Some(match c {
        Control::RingEntries => (caps.ring_min, caps.ring_max),
        Control::MaxRequests => field::<ProposalSpec>("max_requests").0,
        Control::TimerPeriod => at_least_1us(field::<ProposalSpec>("timer_ns").0),
        Control::SubmitRate => field::<Phase>("submit_rate").0,
        Control::Batch => field::<Phase>("batch").0,
        Control::Latency => field::<Phase>("latency").0,
        Control::ReaperInterval => at_least_1us(field::<ReaperSpec>("interval_ns").0),
        Control::ReaperBatch => field::<ReaperSpec>("batch").0,
        Control::Seed => (0, u64::MAX),
        Control::Model | Control::LatencyDist | Control::ReaperPolicy | Control::Timer | Control::Flag => return None,
    })
}

/// A bound as a hint writes it: `1e9` for large powers of ten, `2^64−1` for the largest.
fn bound(n: u64) -> String {
    match n {
        u64::MAX => "2^64−1".into(),
        n if n >= 1_000_000 && n.to_string().trim_start_matches('1').bytes().all(|b| b == b'0') => {
            format!("1e{}", n.ilog10())
        }
        n => n.to_string(),
    }
}

/// The hint next to control `c`: its range and units, or what it does in this model.
/// (The reaper policy's hint depends on the policy chosen: see the component.)
pub fn hint(c: Control, caps: &Caps) -> String {
    let numbers = || {
        let (min, max) = range(c, caps).expect("a number control");
        format!("{} to {}", bound(min), bound(max))
    };
    let micros = || {
        let (min, max) = range(c, caps).expect("a µs control");
        format!("{} to {} µs", bound(min / 1_000), bound(max / 1_000))
    };
    match c {
        Control::Model => caps.hint.into(),
        Control::RingEntries => format!("{}; {}", numbers(), caps.ring_note),
        Control::MaxRequests if caps.max_requests => {
            format!("{} {}", numbers(), field::<ProposalSpec>("max_requests").1)
        }
        Control::MaxRequests => "only the proposal decouples it from the ring".into(),
        Control::Timer if caps.timer => "flushes the list when completions stop".into(),
        Control::Timer => "this model has no timer".into(),
        Control::Flag => match caps.flag {
            FlagCap::None => "this model has no flag",
            FlagCap::Always => "always there in this model",
            FlagCap::Optional => "set while the overflow list is non-empty",
        }
        .into(),
        Control::TimerPeriod | Control::Latency => micros(),
        Control::SubmitRate => format!("{} {}, first phase", numbers(), field::<Phase>("submit_rate").1),
        Control::Batch => format!("{} {}", numbers(), field::<Phase>("batch").1),
        Control::ReaperInterval => format!("{} {}", micros(), field::<ReaperSpec>("interval_ns").1),
        Control::ReaperBatch => format!("{} {}", numbers(), field::<ReaperSpec>("batch").1),
        Control::Seed => format!("any whole number {}", numbers()),
        Control::LatencyDist | Control::ReaperPolicy => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::controls::{apply, ControlValues};
    use ringlab_core::Scenario;

    #[test]
    fn ranges_and_hints_come_from_the_cores_field_tables() {
        let proposal = Caps::of(ModelKind::Proposal);
        assert_eq!(range(Control::Batch, &proposal), Some(ringlab_core::workload::BATCH_RANGE));
        assert_eq!(range(Control::ReaperBatch, &proposal), Some(ringlab_core::reaper::BATCH_RANGE));
        assert_eq!(range(Control::TimerPeriod, &proposal), Some((1_000, ringlab_core::model::proposal::MAX_TIMER_NS)));
        assert_eq!(hint(Control::MaxRequests, &proposal), "1 to 65536 requests in flight (decoupled from the ring)");
        assert_eq!(hint(Control::RingEntries, &proposal), "2 to 65536; slots in the ring; capacity is one less");
        assert_eq!(hint(Control::TimerPeriod, &proposal), "1 to 1e7 µs");
        assert_eq!(hint(Control::Latency, &proposal), "0 to 1e8 µs");
        assert_eq!(hint(Control::SubmitRate, &proposal), "0 to 1e9 requests per second, first phase");
        assert_eq!(hint(Control::Seed, &proposal), "any whole number 0 to 2^64−1");
        assert_eq!(hint(Control::Model, &proposal), ModelKind::Proposal.hint());
        let aio = Caps::of(ModelKind::Aio);
        assert_eq!(hint(Control::MaxRequests, &aio), "only the proposal decouples it from the ring");
        assert_eq!(hint(Control::Flag, &aio), "this model has no flag");
        // Every number control has a range, and each hint says something.
        for kind in ModelKind::ALL {
            let caps = Caps::of(kind);
            for c in Control::ALL {
                let numeric = !matches!(
                    c,
                    Control::Model | Control::LatencyDist | Control::ReaperPolicy | Control::Timer | Control::Flag
                );
                assert_eq!(range(c, &caps).is_some(), numeric, "{kind} {c:?}");
                assert_eq!(
                    hint(c, &caps).is_empty(),
                    matches!(c, Control::LatencyDist | Control::ReaperPolicy),
                    "{kind} {c:?}"
                );
            }
        }
        // A value out of a table's range is refused with that range.
        let s = Scenario::from_toml_str(crate::DEFAULT_SCENARIO).unwrap();
        let mut v = ControlValues::from_scenario(&s);
        v.set(Control::Batch, "65537");
        assert_eq!(
            apply(&s, &v).unwrap_err(),
            (Control::Batch, "65537 is out of range; allowed 1 to 65536 requests".into())
        );
    }

    #[test]
    fn what_each_model_lets_the_controls_change() {
        let caps = |k| Caps::of(k);
        assert!(caps(ModelKind::Proposal).max_requests && caps(ModelKind::Proposal).timer);
        for k in [ModelKind::Aio2012, ModelKind::Aio, ModelKind::IoUring, ModelKind::IoUring55, ModelKind::IoUring51] {
            assert!(!caps(k).max_requests && !caps(k).timer, "{k}");
        }
        assert_eq!(caps(ModelKind::IoUring51).ring_max, 4096);
        assert_eq!(caps(ModelKind::IoUring55).flag, FlagCap::Optional);
        assert_eq!(caps(ModelKind::IoUring).flag, FlagCap::Always);
    }

    #[test]
    fn a_timer_turned_off_is_not_a_model_without_one() {
        let off = timer_absent_text(&Caps::of(ModelKind::Proposal));
        assert!(off.contains("turned off in settings") && !off.contains("no flush timer"), "{off}");
        for kind in [ModelKind::Aio2012, ModelKind::Aio, ModelKind::IoUring, ModelKind::IoUring55, ModelKind::IoUring51]
        {
            assert_eq!(timer_absent_text(&Caps::of(kind)), "Timer: this model has no flush timer", "{kind}");
        }
    }

    #[test]
    fn models_without_a_list_say_what_a_full_ring_does_instead() {
        for kind in ModelKind::ALL {
            let mut s = ringlab_core::lessons::default_scenario();
            s.model = ModelSpec::default_for(kind);
            let has_list = ringlab_core::Sim::new(&s).unwrap().view().has_overflow_list;
            let text = full_ring_text(kind);
            assert_eq!(text.is_none(), has_list, "{kind}");
            if let Some(text) = text {
                assert!(text.contains("no overflow list"), "{kind}: {text}");
                let (says, never) =
                    if kind == ModelKind::IoUring51 { ("dropped", "EAGAIN") } else { ("EAGAIN", "dropped") };
                assert!(text.contains(says) && !text.contains(never), "{kind}: {text}");
            }
        }
    }
}
