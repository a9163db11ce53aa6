//! The event log's plain language: one sentence per trace event of the core.
//! Pure, so it is unit-tested natively.

use super::format::format_ns;
use ringlab_core::trace::{FlushTrigger, SyscallKind, TraceKind};
use ringlab_core::{Family, ModelKind};

/// What a sentence needs to know about the ring it talks about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Context {
    /// Slots in the ring (to say which slot a tail value masks to).
    pub entries: u32,
    /// io_uring names its calls differently from aio.
    pub uring: bool,
}

impl Context {
    pub fn for_model(model: ModelKind, entries: u32) -> Context {
        Context { entries: entries.max(1), uring: model.family() == Family::IoUring }
    }
}

/// What made the kernel move events from the overflow list into the ring.
pub fn trigger_text(trigger: FlushTrigger) -> &'static str {
    match trigger {
        FlushTrigger::Completion => "a later completion",
        FlushTrigger::Syscall => "a syscall",
        FlushTrigger::Submit => "a submit call",
        FlushTrigger::Timer => "the timer",
    }
}

fn events(n: u32) -> String {
    if n == 1 {
        "1 event".to_string()
    } else {
        format!("{n} events")
    }
}

/// One trace event as a sentence.
pub fn narrate(kind: &TraceKind, ctx: Context) -> String {
    let (submit, getevents) = if ctx.uring {
        ("io_uring_enter(to_submit)", "io_uring_enter(GETEVENTS)")
    } else {
        ("io_submit", "io_getevents")
    };
    match *kind {
        TraceKind::Submitted { user_data } => format!("request #{user_data} submitted to the device"),
        TraceKind::ToRing { user_data, tail } => format!(
            "completion #{user_data} written at tail {tail} (slot {}); tail moves to {}",
            tail % ctx.entries,
            tail.wrapping_add(1)
        ),
        TraceKind::ToList { user_data, list_len: 1 } => {
            format!("tail met head: ring full, completion #{user_data} goes to the overflow list")
        }
        TraceKind::ToList { user_data, list_len } => format!(
            "completion #{user_data} queues on the overflow list behind {} ({list_len} waiting)",
            events(list_len - 1)
        ),
        TraceKind::Flushed { moved, trigger, list_len: 0 } => format!(
            "flush by {}: {} moved from the list into the ring; the list is empty",
            trigger_text(trigger),
            events(moved)
        ),
        TraceKind::Flushed { moved, trigger, list_len } => format!(
            "flush by {}: {} moved from the list into the ring; {list_len} still waiting",
            trigger_text(trigger),
            events(moved)
        ),
        TraceKind::Reaped { user_data, syscall: false } => {
            format!("the reaper took #{user_data} from the ring at head, without a syscall")
        }
        TraceKind::Reaped { user_data, syscall: true } => {
            format!("the reaper took #{user_data} from the ring inside {getevents}")
        }
        TraceKind::Syscall { call: SyscallKind::Submit } => format!("syscall: {submit}"),
        TraceKind::Syscall { call: SyscallKind::GetEvents } => format!("syscall: {getevents}"),
        TraceKind::SyscallSkipped => {
            "libaio saw head == tail and skipped the syscall: the ring looks empty".to_string()
        }
        TraceKind::TimerArmed { deadline } => format!("timer armed: it fires at {}", format_ns(deadline)),
        TraceKind::TimerFired { moved: 0 } => "the timer fired and found nothing to move".to_string(),
        TraceKind::TimerFired { moved } => format!("the timer fired and rescued {}", events(moved)),
        TraceKind::FlagSet => "flag set next to the tail: completions wait on the overflow list".to_string(),
        TraceKind::FlagCleared => "flag cleared: the overflow list is empty".to_string(),
        TraceKind::Dropped { user_data } => format!("completion #{user_data} dropped: it is lost"),
        TraceKind::Eagain => "submit refused with EAGAIN: no room for another request".to_string(),
        TraceKind::Ebusy => "submit refused with EBUSY: the backlog could not be flushed".to_string(),
        TraceKind::Ebadr => "a wait returned EBADR: a completion was dropped".to_string(),
    }
}

/// How a log line is styled: what kind of thing happened.
pub fn tone(kind: &TraceKind) -> &'static str {
    match kind {
        TraceKind::ToList { .. } | TraceKind::FlagSet => "overflow",
        TraceKind::Flushed { .. } | TraceKind::TimerFired { .. } | TraceKind::FlagCleared => "rescue",
        TraceKind::Dropped { .. } | TraceKind::Eagain | TraceKind::Ebusy | TraceKind::Ebadr => "error",
        TraceKind::Reaped { .. } => "reap",
        TraceKind::Syscall { .. } | TraceKind::SyscallSkipped => "syscall",
        _ => "plain",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AIO: Context = Context { entries: 8, uring: false };

    #[test]
    fn a_full_ring_sends_the_completion_to_the_list() {
        let s = narrate(&TraceKind::ToList { user_data: 9, list_len: 1 }, AIO);
        assert_eq!(s, "tail met head: ring full, completion #9 goes to the overflow list");
        let s = narrate(&TraceKind::ToList { user_data: 10, list_len: 3 }, AIO);
        assert!(s.contains("behind 2 events") && s.contains("3 waiting"), "{s}");
    }

    #[test]
    fn writes_name_the_slot_the_tail_masks_to() {
        let ctx = Context::for_model(ModelKind::IoUring, 8);
        let s = narrate(&TraceKind::ToRing { user_data: 3, tail: 13 }, ctx);
        assert_eq!(s, "completion #3 written at tail 13 (slot 5); tail moves to 14");
    }

    #[test]
    fn flushes_say_what_rescued_them() {
        let s = narrate(&TraceKind::Flushed { moved: 2, trigger: FlushTrigger::Timer, list_len: 0 }, AIO);
        assert_eq!(s, "flush by the timer: 2 events moved from the list into the ring; the list is empty");
        let s = narrate(&TraceKind::Flushed { moved: 1, trigger: FlushTrigger::Syscall, list_len: 4 }, AIO);
        assert!(s.starts_with("flush by a syscall: 1 event moved") && s.ends_with("4 still waiting"), "{s}");
    }

    #[test]
    fn syscalls_use_the_models_names() {
        let uring = Context::for_model(ModelKind::IoUring55, 4);
        assert_eq!(
            narrate(&TraceKind::Syscall { call: SyscallKind::GetEvents }, uring),
            "syscall: io_uring_enter(GETEVENTS)"
        );
        assert_eq!(narrate(&TraceKind::Syscall { call: SyscallKind::Submit }, AIO), "syscall: io_submit");
        assert!(narrate(&TraceKind::TimerArmed { deadline: 2_000_000 }, AIO).ends_with("2.000 ms"));
        // The proposal is aio with a list: it makes aio's calls.
        for kind in ModelKind::ALL {
            assert_eq!(Context::for_model(kind, 4).uring, kind.name().starts_with("io_uring"), "{kind}");
        }
    }

    #[test]
    fn every_kind_has_a_tone() {
        assert_eq!(tone(&TraceKind::Dropped { user_data: 1 }), "error");
        assert_eq!(tone(&TraceKind::FlagCleared), "rescue");
        assert_eq!(tone(&TraceKind::Submitted { user_data: 1 }), "plain");
    }
}
