//! What the core's test files share: random script steps, and the short names their
//! assertions on observation lines use. (Each test file uses some of them.)
#![allow(dead_code)]

use proptest::prelude::*;
use ringlab_core::model::RequestKind;
use ringlab_core::script::{Step, StepResult};
use ringlab_core::Errno;

/// A step's result: `n` accepted, reaped or moved.
pub fn count(n: u32) -> StepResult {
    StepResult::Count(n)
}

/// A step's result: the call failed with `e`.
pub fn err(e: Errno) -> StepResult {
    StepResult::Error(e)
}

/// User data `range`, as the observation lines list them.
pub fn ud(range: std::ops::Range<u64>) -> Vec<u64> {
    range.collect()
}

/// A random script step of every kind but `destroy` (which ends a run: tests that want
/// it add it), with small counts and short advances.
pub fn step_strategy() -> BoxedStrategy<Step> {
    prop_oneof![
        (0u32..12, any::<bool>())
            .prop_map(|(n, io)| Step::Submit { n, kind: if io { RequestKind::Io } else { RequestKind::Nop } }),
        (0u32..12).prop_map(|n| Step::Complete { n }),
        (0u32..12).prop_map(|n| Step::Reap { n }),
        (0u32..4, 0u32..16).prop_map(|(min, max)| Step::Getevents { min, max }),
        (0u64..4000).prop_map(|ns| Step::Advance { ns }),
        Just(Step::FailNextAlloc {}),
    ]
    .boxed()
}
