//! What the property tests share: random script steps.

use proptest::prelude::*;
use ringlab_core::model::RequestKind;
use ringlab_core::script::Step;

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
