//! Field tables: each spec's fields written once, with their name, how files and links
//! may leave them out, the range they accept and a hint, and how to read and set them.
//!
//! The structs keep their serde derive (TOML files and the CLI read them through it);
//! the defaults live in each struct's `Default` impl, whose functions the serde
//! attributes name too. The JSON reader the browser uses (`crate::json`), the share
//! links (`crate::link`) and the app's controls go through the tables.
//!
//! The functions here are `#[inline]` so that the browser build compiles this cold code
//! with the app at opt-level "z", not with the core at 3: see `crate::json`.

/// How a field may be missing from a file or a link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    /// Must be given (no default in files).
    Required,
    /// Absent means its default; always written.
    Defaulted,
    /// Absent means its default, and it is left out where it has its default value
    /// (serde's `skip_serializing_if` on the struct says the same; a test checks).
    OmittedAtDefault,
}

/// How a field's value is read and set: its type, with a getter and a setter.
pub enum Slot<S> {
    U32(fn(&S) -> u32, fn(&mut S, u32)),
    U64(fn(&S) -> u64, fn(&mut S, u64)),
    /// A whole number below 2^32, or nothing.
    OptU32(fn(&S) -> Option<u32>, fn(&mut S, Option<u32>)),
    Bool(fn(&S) -> bool, fn(&mut S, bool)),
    F64(fn(&S) -> f64, fn(&mut S, f64)),
    Text(fn(&S) -> String, fn(&mut S, String)),
    /// One of a few names: `set` returns whether the name is one; `expected` lists them.
    Choice {
        get: fn(&S) -> &'static str,
        set: fn(&mut S, &str) -> bool,
        expected: &'static str,
    },
    /// A latency distribution.
    Latency(fn(&S) -> crate::workload::Latency, fn(&mut S, crate::workload::Latency)),
}

/// One field of a spec.
pub struct Field<S: 'static> {
    /// The key in files and links.
    pub name: &'static str,
    pub presence: Presence,
    /// The whole numbers it accepts, inclusive, where the range does not depend on
    /// other fields (the setup's checks have the last word).
    pub range: Option<(u64, u64)>,
    /// What it sets, as the controls and hints say it.
    pub hint: &'static str,
    pub slot: Slot<S>,
}

/// One row of a field table, the struct field named once:
/// `field!(name: Kind, Presence, range, hint)`, where `Kind` is the [`Slot`] the struct's
/// field `name` is read and set as (`Choice(Enum, "expected")` for an enum with `name`
/// and `from_name`) and `Presence` one of [`Presence`]'s variants.
macro_rules! field {
    ($f:ident: Choice($ty:ty, $expected:expr), $presence:ident, $range:expr, $hint:expr) => {
        $crate::spec::field!(@row $f, $presence, $range, $hint, $crate::spec::Slot::Choice {
            get: |s| s.$f.name(),
            set: |s, name| <$ty>::from_name(name).map(|v| s.$f = v).is_some(),
            expected: $expected,
        })
    };
    ($f:ident: $slot:ident(clone), $presence:ident, $range:expr, $hint:expr) => {
        $crate::spec::field!(@row $f, $presence, $range, $hint, $crate::spec::Slot::$slot(|s| s.$f.clone(), |s, v| s.$f = v))
    };
    ($f:ident: $slot:ident, $presence:ident, $range:expr, $hint:expr) => {
        $crate::spec::field!(@row $f, $presence, $range, $hint, $crate::spec::Slot::$slot(|s| s.$f, |s, v| s.$f = v))
    };
    (@row $f:ident, $presence:ident, $range:expr, $hint:expr, $slot:expr) => {
        $crate::spec::Field {
            name: stringify!($f),
            presence: $crate::spec::Presence::$presence,
            range: $range,
            hint: $hint,
            slot: $slot,
        }
    };
}
pub(crate) use field;

/// A spec with a field table.
pub trait FieldTable: Default + Clone + 'static {
    /// What the table describes, for messages ("the model", "a phase", ...).
    const WHAT: &'static str;
    const FIELDS: &'static [Field<Self>];

    /// The field named `name`.
    #[inline]
    fn field(name: &str) -> Option<&'static Field<Self>> {
        Self::FIELDS.iter().find(|f| f.name == name)
    }
}

impl<S> Field<S> {
    /// The field's value as text, as links write it (`None`: an unset optional).
    #[inline]
    pub fn text(&self, s: &S) -> Option<String> {
        Some(match &self.slot {
            Slot::U32(get, _) => get(s).to_string(),
            Slot::U64(get, _) => get(s).to_string(),
            Slot::OptU32(get, _) => get(s)?.to_string(),
            Slot::Bool(get, _) => get(s).to_string(),
            Slot::F64(get, _) => get(s).to_string(),
            Slot::Text(get, _) => get(s),
            Slot::Choice { get, .. } => get(s).to_string(),
            Slot::Latency(get, _) => latency_text(&get(s)),
        })
    }
}

impl<S: FieldTable> Field<S> {
    /// The default as text (`None`: unset); the struct's `Default` impl, which serde's
    /// default attributes call too, is where each default is written.
    #[inline]
    pub fn default_text(&self) -> Option<String> {
        self.text(&S::default())
    }

    /// Whether `s` writes this field: not where it may be left out at its default and has it.
    #[inline]
    pub fn written(&self, s: &S) -> bool {
        self.presence != Presence::OmittedAtDefault || self.text(s) != self.default_text()
    }
}

/// The fields `s` writes, as (name, text), in table order.
#[inline]
pub fn texts<S: FieldTable>(s: &S) -> Vec<(&'static str, String)> {
    S::FIELDS.iter().filter(|f| f.written(s)).filter_map(|f| Some((f.name, f.text(s)?))).collect()
}

/// A latency as links write it: `fixed:NS`, `uniform:MIN:MAX`, `exponential:MEAN`,
/// `bimodal:FAST:SLOW:FRACTION`.
#[inline]
pub fn latency_text(l: &crate::workload::Latency) -> String {
    use crate::workload::Latency;
    match *l {
        Latency::Fixed { ns } => format!("fixed:{ns}"),
        Latency::Uniform { min_ns, max_ns } => format!("uniform:{min_ns}:{max_ns}"),
        Latency::Exponential { mean_ns } => format!("exponential:{mean_ns}"),
        Latency::Bimodal { fast_ns, slow_ns, slow_fraction } => format!("bimodal:{fast_ns}:{slow_ns}:{slow_fraction}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::aio::AioSpec;
    use crate::model::aio2012::Aio2012Spec;
    use crate::model::io_uring::UringSpec;
    use crate::model::proposal::{ProposalSpec, INTERPRETATIONS};
    use crate::reaper::ReaperSpec;
    use crate::workload::Phase;

    /// Names are unique, and each default lies within its field's range.
    fn check<S: FieldTable>() {
        let defaults = S::default();
        for (i, f) in S::FIELDS.iter().enumerate() {
            assert!(S::FIELDS[..i].iter().all(|g| g.name != f.name), "{}: {} twice", S::WHAT, f.name);
            assert!(!f.hint.is_empty(), "{}: {} has no hint", S::WHAT, f.name);
            let whole = match &f.slot {
                Slot::U32(get, _) => Some(get(&defaults) as u64),
                Slot::U64(get, _) => Some(get(&defaults)),
                Slot::F64(get, _) => Some(get(&defaults) as u64),
                _ => None,
            };
            if let (Some(v), Some((min, max))) = (whole, f.range) {
                assert!((min..=max).contains(&v), "{}: {} defaults to {v}, outside {min} to {max}", S::WHAT, f.name);
            }
            assert!(f.written(&defaults) == (f.presence != Presence::OmittedAtDefault), "{}: {}", S::WHAT, f.name);
        }
    }

    #[test]
    fn every_table_is_consistent() {
        check::<Aio2012Spec>();
        check::<AioSpec>();
        check::<ProposalSpec>();
        check::<UringSpec>();
        check::<ReaperSpec>();
        check::<Phase>();
    }

    #[test]
    fn the_proposals_interpretations_are_its_fields_hints() {
        for (key, _, what) in INTERPRETATIONS {
            assert_eq!(ProposalSpec::field(key).map(|f| f.hint), Some(what), "{key}");
        }
    }

    #[test]
    fn texts_leave_out_what_is_at_an_omitted_default() {
        let mut u = UringSpec::default();
        assert_eq!(texts(&u), [("sq_entries", "4".to_string())]);
        u.cq_entries = Some(16);
        u.flag = false;
        assert_eq!(texts(&u), [("sq_entries", "4".into()), ("cq_entries", "16".into()), ("flag", "false".into())]);
        let p = Phase { name: "burst".into(), ..Phase::default() };
        assert_eq!(texts(&p)[0], ("name", "burst".to_string()));
        assert_eq!(texts(&Phase::default())[0].0, "duration_ns");
        assert_eq!(texts(&p).last(), Some(&("latency", "fixed:20000".to_string())));
        assert_eq!(Phase::field("queue_depth").and_then(|f| f.default_text()).as_deref(), Some("32"));
        assert_eq!(UringSpec::field("cq_entries").and_then(|f| f.default_text()), None);
    }
}
