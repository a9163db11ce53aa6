//! Userspace reaper policies: how the application collects completions.

use crate::error::ConfigError;
use crate::spec::{field, Field, FieldTable};
use crate::workload::MAX_NS;
use serde::{Deserialize, Serialize};

/// How the reaper looks for completions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum ReaperPolicy {
    /// libaio's `io_getevents` with a zero timeout: returns 0 without a syscall when
    /// head == tail (A4.1), otherwise makes the syscall.
    #[default]
    #[serde(rename = "libaio")]
    Libaio,
    /// Reads events straight from the ring and advances head, never a syscall (A4.2, A4.3).
    #[serde(rename = "ring")]
    Ring,
    /// As `ring`, but when the ring is empty and the flag is set, makes the syscall
    /// (liburing's peek, L1.3; the flag-aware libaio of B8.ii).
    #[serde(rename = "ring+flag")]
    RingFlag,
    /// Every reap is a syscall (`io_getevents` / `io_uring_enter(GETEVENTS)`).
    #[serde(rename = "syscall")]
    Syscall,
}

impl ReaperPolicy {
    pub const ALL: [ReaperPolicy; 4] =
        [ReaperPolicy::Libaio, ReaperPolicy::Ring, ReaperPolicy::RingFlag, ReaperPolicy::Syscall];

    pub fn name(self) -> &'static str {
        match self {
            ReaperPolicy::Libaio => "libaio",
            ReaperPolicy::Ring => "ring",
            ReaperPolicy::RingFlag => "ring+flag",
            ReaperPolicy::Syscall => "syscall",
        }
    }

    pub fn from_name(name: &str) -> Option<ReaperPolicy> {
        Self::ALL.into_iter().find(|p| p.name() == name)
    }

    /// What the policy does, for the policy picker.
    pub fn hint(self) -> &'static str {
        match self {
            ReaperPolicy::Libaio => {
                "syscall only when head ≠ tail; never reads the flag, but each syscall refills the ring from the list"
            }
            ReaperPolicy::Ring => "reads the ring from userspace, never a syscall",
            ReaperPolicy::RingFlag => "reads the ring; syscall when empty and the flag is set",
            ReaperPolicy::Syscall => "every reap is a syscall, which flushes the list",
        }
    }
}

/// Time between wake-ups accepted, ns.
pub const INTERVAL_RANGE: (u64, u64) = (1, MAX_NS);
/// Events per wake-up accepted.
pub const BATCH_RANGE: (u64, u64) = (1, 65536);

fn default_interval() -> u64 {
    100_000
}
fn default_batch() -> u32 {
    8
}

/// The reaper's settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReaperSpec {
    #[serde(default)]
    pub policy: ReaperPolicy,
    /// Time between wake-ups, in ns.
    #[serde(default = "default_interval")]
    pub interval_ns: u64,
    /// Most events taken per wake-up.
    #[serde(default = "default_batch")]
    pub batch: u32,
    /// When a wake-up finds nothing, wait in the kernel (min 1) until a completion
    /// arrives instead of sleeping until the next interval.
    #[serde(default)]
    pub blocking: bool,
}

impl Default for ReaperSpec {
    fn default() -> Self {
        ReaperSpec {
            policy: ReaperPolicy::default(),
            interval_ns: default_interval(),
            batch: default_batch(),
            blocking: false,
        }
    }
}

impl FieldTable for ReaperSpec {
    const WHAT: &'static str = "the reaper";
    const FIELDS: &'static [Field<Self>] = &[
        field!(policy: Choice(ReaperPolicy, "libaio, ring, ring+flag or syscall"), Defaulted, None, "how it looks for completions"),
        field!(interval_ns: U64, Defaulted, Some(INTERVAL_RANGE), "between wake-ups"),
        field!(batch: U32, Defaulted, Some(BATCH_RANGE), "per wake-up"),
        field!(blocking: Bool, Defaulted, None, "a wake-up that finds nothing waits in the kernel for a completion"),
    ];
}

impl ReaperSpec {
    pub fn validate(&self) -> Result<(), ConfigError> {
        crate::model::check_range("interval_ns", self.interval_ns, INTERVAL_RANGE.0, INTERVAL_RANGE.1)?;
        crate::model::check_range("batch", self.batch as u64, BATCH_RANGE.0, BATCH_RANGE.1)
    }
}
