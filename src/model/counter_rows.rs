//! The counters panel's rows for one model: which counters it shows, and under which
//! names: the kernel's own where it has one (`io_submit`, `io_uring_enter`, `cq.overflow`).
//! Pure, so it is unit-tested natively.

use ringlab_core::trace::FlushTrigger;
use ringlab_core::{Family, ModelKind, ViewModel};

/// One counter as the panel shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CounterRow {
    /// The test hook's suffix: `metric-<hook>` (a contract: never change one).
    pub hook: &'static str,
    pub label: &'static str,
    pub value: u64,
    /// The tooltip: what exactly is counted.
    pub title: String,
}

/// The model's names for its submit call and its reaping call (U2.4, A0.1).
pub fn call_labels(kind: ModelKind) -> (&'static str, &'static str) {
    match kind.family() {
        Family::IoUring => ("io_uring_enter (submit)", "io_uring_enter (GETEVENTS)"),
        Family::Aio | Family::Proposal => ("io_submit", "io_getevents"),
    }
}

/// The same names for a row shared by several models (compare mode's table).
pub fn shared_call_labels(kinds: &[ModelKind]) -> (&'static str, &'static str) {
    let uring = |k: &ModelKind| k.family() == Family::IoUring;
    if kinds.iter().all(uring) || !kinds.iter().any(uring) {
        kinds.first().map_or(("submit calls", "getevents calls"), |k| call_labels(*k))
    } else {
        ("io_submit / io_uring_enter (submit)", "io_getevents / io_uring_enter (GETEVENTS)")
    }
}

/// What io_uring's `cq.overflow` counts on this version (U5.3); `None` where there is none.
pub fn cq_overflow_meaning(kind: ModelKind) -> Option<&'static str> {
    match kind {
        ModelKind::IoUring51 => Some("every CQE dropped because the CQ ring was full (5.1–5.4 have no backlog)"),
        ModelKind::IoUring55 => {
            Some("only CQEs dropped at ring teardown; a full CQ ring goes to the backlog, so it stays 0")
        }
        ModelKind::IoUring => Some("only CQEs dropped when a backlog entry could not be allocated"),
        ModelKind::Aio2012 | ModelKind::Aio | ModelKind::Proposal => None,
    }
}

/// The panel's rows for view `v`, in order.
pub fn counter_rows(v: &ViewModel) -> Vec<CounterRow> {
    let c = &v.counters;
    let l = &v.ledger;
    let row = |hook, label, value, title: String| CounterRow { hook, label, value, title };
    let by_trigger =
        FlushTrigger::ALL.iter().map(|t| format!("{} {}", t.name(), c.flushed_by(*t))).collect::<Vec<_>>().join(", ");
    let (submit, getevents) = call_labels(v.model);
    let call_titles = match v.model.family() {
        Family::IoUring => (
            "io_uring_enter calls that submit (also when liburing's io_uring_submit adds GETEVENTS, L1.6)",
            "io_uring_enter calls with GETEVENTS and nothing to submit: they wait (and flush a backlog, U4.2b)",
        ),
        Family::Aio | Family::Proposal => ("io_submit calls", "io_getevents calls"),
    };
    let mut rows = vec![
        row("submitted", "submitted", c.submitted, "requests accepted by the kernel".into()),
        row("completed", "completed", c.completed, "requests the device completed".into()),
        row(
            "reaped",
            "reaped",
            c.reaped(),
            format!("{} from userspace, {} inside a syscall", c.reaped_user, c.reaped_syscall),
        ),
    ];
    if v.has_overflow_list {
        let title = format!("completions sent to the overflow list; longest list {}", c.max_list);
        rows.push(row("overflowed", "overflowed", c.overflowed, title));
    }
    rows.extend([
        row("flushed", "flushed", c.flushed_total(), format!("by trigger: {by_trigger}")),
        row("dropped", "dropped", c.dropped, "completions lost".into()),
    ]);
    if let Some(meaning) = cq_overflow_meaning(v.model) {
        // U2.3, U5.3: the kernel's own counter, as userspace reads it (liburing's *cq.koverflow).
        let title = format!("the kernel's cq.overflow counter: {meaning}");
        rows.push(row("cq-overflow", "cq.overflow", v.overflow_counter.into(), title));
    }
    rows.extend([
        row("eagain", "EAGAIN", c.eagain, "submissions refused for lack of a slot".into()),
        row("ebusy", "EBUSY", c.ebusy, "submissions refused: backlog not flushed".into()),
        row(
            "syscalls",
            "syscalls",
            c.syscalls,
            format!(
                "{submit} {} + {getevents} {}; {} skipped by libaio's fast path",
                c.submit_calls, c.getevents_calls, c.syscalls_skipped
            ),
        ),
        row("submit-calls", submit, c.submit_calls, call_titles.0.into()),
        row("getevents-calls", getevents, c.getevents_calls, call_titles.1.into()),
        row("timer-fires", "timer fires", c.timer_fires, format!("{} moved nothing", c.timer_fires_empty)),
        row("in-flight", "in flight", l.in_flight, "requests at the device".into()),
        row("in-ring", "in ring", l.in_ring, "events between head and tail".into()),
        row("in-list", "in list", l.in_list, "events on the overflow list".into()),
    ]);
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use ringlab_core::lessons::lesson;
    use ringlab_core::model::ModelSpec;
    use ringlab_core::{Scenario, Sim};

    fn view_of(kind: ModelKind) -> ViewModel {
        let mut s = ringlab_core::lessons::default_scenario();
        s.model = ModelSpec::default_for(kind);
        let mut sim = Sim::new(&s).unwrap();
        for _ in 0..2_000 {
            sim.step();
        }
        sim.view()
    }

    fn find<'a>(rows: &'a [CounterRow], hook: &str) -> Option<&'a CounterRow> {
        rows.iter().find(|r| r.hook == hook)
    }

    #[test]
    fn the_drops_lesson_shows_cq_overflow_beside_the_drops_and_no_list_counter() {
        let s: Scenario = lesson("io_uring-5.1-drops").unwrap();
        let mut sim = Sim::new(&s).unwrap();
        while sim.step().is_some() {}
        let rows = counter_rows(&sim.view());
        let cq = find(&rows, "cq-overflow").expect("io_uring-5.1 shows cq.overflow");
        assert_eq!((cq.label, cq.value), ("cq.overflow", 8));
        assert!(cq.title.contains("every CQE dropped"), "{}", cq.title);
        assert_eq!(find(&rows, "dropped").unwrap().value, 8);
        assert_eq!(find(&rows, "overflowed"), None, "5.1 has no list to overflow to");
    }

    #[test]
    fn each_model_shows_its_own_counters_under_its_kernel_names() {
        for kind in ModelKind::ALL {
            let v = view_of(kind);
            let rows = counter_rows(&v);
            let hooks: Vec<_> = rows.iter().map(|r| r.hook).collect();
            assert_eq!(hooks.contains(&"overflowed"), v.has_overflow_list, "{kind}");
            assert_eq!(hooks.contains(&"cq-overflow"), kind.family() == Family::IoUring, "{kind}");
            let (submit, getevents) = (find(&rows, "submit-calls").unwrap(), find(&rows, "getevents-calls").unwrap());
            let uring = kind.family() == Family::IoUring;
            assert_eq!(submit.label, if uring { "io_uring_enter (submit)" } else { "io_submit" }, "{kind}");
            assert_eq!(getevents.label, if uring { "io_uring_enter (GETEVENTS)" } else { "io_getevents" }, "{kind}");
            // The split keeps the total.
            let total = find(&rows, "syscalls").unwrap().value;
            assert!(total > 0, "{kind}: the default workload makes syscalls");
            assert_eq!(submit.value + getevents.value, total, "{kind}");
        }
        assert!(find(&counter_rows(&view_of(ModelKind::IoUring55)), "cq-overflow").unwrap().title.contains("teardown"));
    }

    #[test]
    fn a_shared_row_names_both_calls_only_when_the_families_mix() {
        use ModelKind::*;
        assert_eq!(shared_call_labels(&[Aio, Proposal]), ("io_submit", "io_getevents"));
        assert_eq!(shared_call_labels(&[IoUring, IoUring51]).0, "io_uring_enter (submit)");
        assert_eq!(shared_call_labels(&[Aio, IoUring]).0, "io_submit / io_uring_enter (submit)");
    }
}
