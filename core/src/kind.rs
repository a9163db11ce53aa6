//! Which kernel model: the six models as a type. Everything that differs by model and
//! is not a rule of the model itself hangs off [`ModelKind`]: its public name (files,
//! links, scripts, test hooks), its family, the ring size it accepts and one line that
//! says what it is. Every `match` over it is exhaustive, so a seventh model does not
//! compile until each place that must handle it does.

use crate::model::aio2012::AIO_MAX_NR;
use crate::model::io_uring::{Version, MAX_CQ_ENTRIES};
use crate::model::proposal::{MAX_RING_ENTRIES, MIN_RING_ENTRIES};
use serde::{Serialize, Serializer};
use std::fmt;

/// A kernel model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ModelKind {
    /// Linux aio of the mail's time (3.2–3.9).
    Aio2012,
    /// Today's aio (3.17+).
    Aio,
    /// The 2012 mail: overflow list, timer, flag.
    Proposal,
    /// Today's io_uring (6.1+).
    IoUring,
    /// io_uring 5.5–5.12.
    IoUring55,
    /// io_uring 5.1–5.3.
    IoUring51,
}

/// The interface a model belongs to: its calls, its ring layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Family {
    /// `io_setup`/`io_submit`/`io_getevents`; the ring keeps one slot empty.
    Aio,
    /// aio's calls and ring with the mail's overflow list, flag and timer.
    Proposal,
    /// `io_uring_setup`/`io_uring_enter`; free-running head and tail.
    IoUring,
}

/// The ring size a model accepts, as the ring-size control edits it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RingSize {
    /// What the size is called in this model.
    pub label: &'static str,
    pub min: u32,
    pub max: u32,
    /// How the model turns it into slots.
    pub note: &'static str,
}

impl ModelKind {
    /// Every model, in the order pickers list them.
    pub const ALL: [ModelKind; 6] = [
        ModelKind::Aio2012,
        ModelKind::Aio,
        ModelKind::Proposal,
        ModelKind::IoUring,
        ModelKind::IoUring55,
        ModelKind::IoUring51,
    ];

    /// Every model's name, in the order of [`ModelKind::ALL`].
    pub const NAMES: [&'static str; 6] = {
        let mut names = [""; 6];
        let mut i = 0;
        while i < names.len() {
            names[i] = ModelKind::ALL[i].name();
            i += 1;
        }
        names
    };

    /// The name used in files, links, scripts and test hooks (a contract: never change one).
    pub const fn name(self) -> &'static str {
        match self {
            ModelKind::Aio2012 => "aio-2012",
            ModelKind::Aio => "aio",
            ModelKind::Proposal => "proposal",
            ModelKind::IoUring => "io_uring",
            ModelKind::IoUring55 => "io_uring-5.5",
            ModelKind::IoUring51 => "io_uring-5.1",
        }
    }

    pub fn from_name(name: &str) -> Option<ModelKind> {
        ModelKind::ALL.into_iter().find(|k| k.name() == name)
    }

    pub const fn family(self) -> Family {
        match self {
            ModelKind::Aio2012 | ModelKind::Aio => Family::Aio,
            ModelKind::Proposal => Family::Proposal,
            ModelKind::IoUring | ModelKind::IoUring55 | ModelKind::IoUring51 => Family::IoUring,
        }
    }

    /// One line on what the model is, for the model picker: how it keeps a full ring from
    /// losing completions, and what flushes its list (rule ids in docs/kernel-rules.md).
    pub const fn hint(self) -> &'static str {
        match self {
            // A1.1, A1.2: ring from nr_events; reqs_active checked against head and tail on every submit.
            ModelKind::Aio2012 => {
                "Linux aio of 2012 (3.2–3.9): io_submit checks its global reqs_active count against head and \
                 tail on every call and refuses with EAGAIN, so the ring never overflows; no overflow list"
            }
            // A3.1, A3.3: doubled ring; slots reserved at submit from per-CPU caches and a global pool.
            ModelKind::Aio => {
                "today's aio (3.17+): an oversized ring; io_submit reserves each slot from a per-CPU cache \
                 refilled in batches from a global pool, else EAGAIN, so the ring never overflows; no overflow list"
            }
            // B1, B3, B4a–c, B6: decoupled ring, list, three drain triggers, optional flag.
            ModelKind::Proposal => {
                "the 2012 mail: ring size decoupled from max_requests; a full ring spills to an overflow list, \
                 drained by later completions, by io_submit and io_getevents, and by a flush timer; optional flag \
                 next to the tail"
            }
            // U3.3, U3.6, U3.4, U4.2b: backlog in order; only a GETEVENTS wait flushes it.
            ModelKind::IoUring => {
                "today's io_uring (6.1+): a full CQ ring spills to an overflow backlog (flag set, later CQEs queue \
                 behind it in order); io_uring_enter(GETEVENTS) flushes it, never at submit"
            }
            // U3.2, U4.2a, U4.2b, U5.1: backlog flushed at submit and in waits; EBUSY; no ordering fix.
            ModelKind::IoUring55 => {
                "io_uring 5.5–5.12: a full CQ ring spills to an overflow backlog, flushed at every submit and in \
                 GETEVENTS waits; a submit that cannot flush it fails with EBUSY; CQEs can overtake it"
            }
            // U3.1, U5.3: no backlog; a full CQ ring drops the CQE and counts it in cq.overflow.
            ModelKind::IoUring51 => {
                "io_uring 5.1–5.3: no overflow list; a completion that finds the CQ ring full is dropped and \
                 counted in cq.overflow"
            }
        }
    }

    /// The ring size the model accepts: `nr_events` (aio), `ring_entries` (the
    /// proposal), `cq_entries` (io_uring, 5.5) or `sq_entries` (5.1, which has no CQSIZE).
    pub fn ring_size(self) -> RingSize {
        let (label, min, max, note) = match self {
            ModelKind::Aio2012 | ModelKind::Aio => {
                ("nr_events (io_setup)", 1, AIO_MAX_NR, "the kernel rounds the ring up to whole pages")
            }
            ModelKind::Proposal => {
                ("Ring entries", MIN_RING_ENTRIES, MAX_RING_ENTRIES, "slots in the ring; capacity is one less")
            }
            ModelKind::IoUring | ModelKind::IoUring55 => {
                ("CQ entries", 1, MAX_CQ_ENTRIES, "rounded up to a power of two")
            }
            ModelKind::IoUring51 => {
                let note = "the 5.1–5.3 limit (5.4 raised it to 32768); no CQSIZE: the CQ ring is 2 × SQ";
                ("SQ entries", 1, Version::V5_1.max_sq_entries(), note)
            }
        };
        RingSize { label, min, max, note }
    }
}

impl fmt::Display for ModelKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Written as its name, as in files and links.
impl Serialize for ModelKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_published_ones_and_read_back() {
        assert_eq!(ModelKind::NAMES, ["aio-2012", "aio", "proposal", "io_uring", "io_uring-5.5", "io_uring-5.1"]);
        for kind in ModelKind::ALL {
            assert_eq!(ModelKind::from_name(kind.name()), Some(kind));
            assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{kind}\""));
        }
        assert_eq!(ModelKind::from_name("io_uring-6.1"), None);
        // Pickers sort by a kind's place in `ALL`, which is its declaration order.
        for (i, kind) in ModelKind::ALL.into_iter().enumerate() {
            assert_eq!(kind as usize, i);
        }
        assert_eq!(ModelKind::from_name(""), None);
    }

    #[test]
    fn families_group_the_interfaces() {
        let of = |f: Family| ModelKind::ALL.into_iter().filter(|k| k.family() == f).collect::<Vec<_>>();
        assert_eq!(of(Family::Aio), [ModelKind::Aio2012, ModelKind::Aio]);
        assert_eq!(of(Family::Proposal), [ModelKind::Proposal]);
        assert_eq!(of(Family::IoUring), [ModelKind::IoUring, ModelKind::IoUring55, ModelKind::IoUring51]);
    }

    /// Runs the model's default ring into overload with NOPs and no reaping, then frees one
    /// slot from userspace and submits once more: what the one-line description must say.
    fn full_ring_behaviour(kind: ModelKind) -> (crate::trace::Counters, bool) {
        use crate::model::{Kernel, ModelSpec, Request, RequestKind};
        let mut k = Kernel::setup(&ModelSpec::default_for(kind)).unwrap();
        let mut started = vec![];
        let mut next = 0..;
        let mut submit = |k: &mut Kernel| {
            let req = Request { user_data: next.next().unwrap(), kind: RequestKind::Nop };
            let _ = k.submit(0, &[req], &mut started);
        };
        for _ in 0..300 {
            submit(&mut k);
        }
        let had_list = !k.overflow_list().is_empty();
        k.reap(0, 1, &mut vec![]);
        submit(&mut k);
        (k.counters().clone(), had_list)
    }

    #[test]
    fn descriptions_say_what_a_full_ring_does_in_that_model() {
        for kind in ModelKind::ALL {
            let hint = kind.hint();
            let (c, listed) = full_ring_behaviour(kind);
            let has = |words: &str| hint.contains(words);
            // Where completions go when the ring is full: a list, a drop, or no overflow at all.
            assert_eq!(has("spills to an overflow"), listed, "{kind}: {hint}");
            assert_eq!(has("no overflow list"), !listed, "{kind}: {hint}");
            assert_eq!(has("dropped"), c.dropped > 0, "{kind}: {hint}");
            assert_eq!(has("never overflows"), !listed && c.dropped == 0 && c.eagain > 0, "{kind}: {hint}");
            assert_eq!(has("EBUSY"), c.ebusy > 0, "{kind}: {hint}");
            // Whether a submit flushes the list (U4.2a on 5.5–5.12, B4b in the proposal; never
            // on today's io_uring, U3.4): the claim the picker once got wrong.
            let submit_flushes = c.flushed_by(crate::trace::FlushTrigger::Submit) > 0;
            assert_eq!(listed && !submit_flushes, has("never at submit"), "{kind}: {hint}");
            assert!(!has("any enter"), "{kind}: {hint}");
        }
    }
}
