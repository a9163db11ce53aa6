//! Scenarios, models and step lists read from JSON by hand, over a parsed
//! [`serde_json::Value`]: the browser's only JSON input is the built-in scenarios
//! (`lessons`) and a link's step list and model fields (`link`).
//!
//! Why not the derived `Deserialize` impls (which the TOML files and the CLI's scripts
//! still use)? Instantiated for `serde_json`, they were about 40 KB of the gzipped wasm
//! bundle (internally tagged enums buffer their content, every struct also accepts a
//! sequence, ...); this reader is a few KB. It accepts what the derived impls accept for
//! JSON objects, with the same defaults, and refuses unknown fields and variants as they
//! do; `tests` checks both agree on every built-in scenario and on generated ones. Only
//! the error texts differ (they name the field).
//!
//! Every function here, in `link` and the JSON entry points (`Scenario::from_json_str`,
//! `lessons::lesson`, `lessons::default_scenario`) is `#[inline]`, not for speed: an
//! inline function is compiled in the crate that calls it, so in the browser build this
//! cold code is compiled with the app at opt-level "z" while the simulation's hot path is
//! compiled with the core at opt-level 3 (Cargo.toml, `[profile.wasm-release]`).

use crate::model::{with_spec, ModelKind, ModelSpec, RequestKind};
use crate::scenario::{Expect, Lesson, PausePoint, Scenario};
use crate::script::Step;
use crate::spec::{Field, FieldTable, Presence, Slot};
use crate::trace_file::TraceData;
use crate::workload::{Latency, Phase, Workload};
use serde_json::{Map, Value};

mod read;
mod write;
pub use read::parse;
pub use write::{quote, steps as write_steps};

type Fields = Map<String, Value>;

/// `v` as an object whose keys are all in `known`.
#[inline]
fn object<'a>(v: &'a Value, what: &str, known: &[&str]) -> Result<&'a Fields, String> {
    let map = v.as_object().ok_or_else(|| format!("expected {what} as an object, found {}", write::value(v)))?;
    match map.keys().find(|k| !known.contains(&k.as_str())) {
        Some(k) => Err(format!("unknown field `{k}` in {what}, expected one of {}", names(known))),
        None => Ok(map),
    }
}

#[inline]
fn names(list: &[&str]) -> String {
    list.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

/// Field `key` converted by `get` (`None` when absent); a wrong type or range is an error.
#[inline]
fn field<T>(m: &Fields, key: &str, what: &str, get: fn(&Value) -> Option<T>) -> Result<Option<T>, String> {
    m.get(key).map(|v| convert(v, key, what, get)).transpose()
}

/// The value `v` of field `key` converted by `get`; a wrong type or range is an error.
#[inline]
fn convert<T>(v: &Value, key: &str, what: &str, get: fn(&Value) -> Option<T>) -> Result<T, String> {
    get(v).ok_or_else(|| format!("invalid value for `{key}`: {}, expected {what}", write::value(v)))
}

/// An optional field: absent or `null` is `None`.
#[inline]
fn optional<T>(m: &Fields, key: &str, what: &str, get: fn(&Value) -> Option<T>) -> Result<Option<T>, String> {
    if m.get(key).is_some_and(Value::is_null) {
        return Ok(None);
    }
    field(m, key, what, get)
}

#[inline]
fn required<T>(m: &Fields, key: &str, what: &str, get: fn(&Value) -> Option<T>) -> Result<T, String> {
    field(m, key, what, get)?.ok_or_else(|| format!("missing field `{key}`"))
}

#[inline]
fn u64_of(v: &Value) -> Option<u64> {
    v.as_u64()
}
#[inline]
fn u32_of(v: &Value) -> Option<u32> {
    v.as_u64().and_then(|x| u32::try_from(x).ok())
}
#[inline]
fn bool_of(v: &Value) -> Option<bool> {
    v.as_bool()
}
#[inline]
fn f64_of(v: &Value) -> Option<f64> {
    v.as_f64()
}
#[inline]
fn string_of(v: &Value) -> Option<String> {
    v.as_str().map(str::to_string)
}
#[inline]
fn u64s_of(v: &Value) -> Option<Vec<u64>> {
    v.as_array()?.iter().map(Value::as_u64).collect()
}
#[inline]
fn u32s_of(v: &Value) -> Option<Vec<u32>> {
    v.as_array()?.iter().map(u32_of).collect()
}
#[inline]
fn kind_of(v: &Value) -> Option<RequestKind> {
    RequestKind::from_name(v.as_str()?)
}

const U64: &str = "a whole number";
const U32: &str = "a whole number below 2^32";

/// The variant named by the tag `tag` of an internally tagged enum.
#[inline]
fn tag<'a>(m: &'a Fields, tag: &str, variants: &[&str]) -> Result<&'a str, String> {
    let value = m.get(tag).ok_or_else(|| format!("missing field `{tag}`"))?;
    let name = value
        .as_str()
        .ok_or_else(|| format!("invalid value for `{tag}`: {}, expected a string", write::value(value)))?;
    if variants.contains(&name) {
        Ok(name)
    } else {
        Err(format!("unknown variant `{name}`, expected one of {}", names(variants)))
    }
}

#[inline]
pub fn scenario(v: &Value) -> Result<Scenario, String> {
    let known = ["title", "seed", "model", "reaper", "workload", "steps", "lesson"];
    let m = object(v, "the scenario", &known)?;
    Ok(Scenario {
        title: field(m, "title", "a string", string_of)?.unwrap_or_default(),
        seed: field(m, "seed", U64, u64_of)?.unwrap_or(1),
        model: model(m.get("model").ok_or("missing field `model`")?)?,
        reaper: m.get("reaper").map(|r| record(r, None)).transpose()?.unwrap_or_default(),
        workload: m.get("workload").map(workload).transpose()?.unwrap_or_default(),
        steps: m.get("steps").filter(|v| !v.is_null()).map(steps).transpose()?,
        lesson: m.get("lesson").filter(|v| !v.is_null()).map(lesson).transpose()?,
    })
}

/// A model: `kind` and that model's fields, as its field table lists them.
#[inline]
pub fn model(v: &Value) -> Result<ModelSpec, String> {
    let m = v.as_object().ok_or_else(|| format!("expected the model as an object, found {}", write::value(v)))?;
    let kind = tag(m, "kind", &ModelKind::NAMES)?;
    let mut spec = ModelSpec::default_for(ModelKind::from_name(kind).expect("a model name"));
    with_spec!(&mut spec, s => *s = record(v, Some("kind"))?);
    Ok(spec)
}

/// Sets the field `key` of `spec` from `value`, as [`model`] reads it. `Ok(false)`: the
/// model has no such field.
#[inline]
pub fn set_model_field(spec: &mut ModelSpec, key: &str, value: &Value) -> Result<bool, String> {
    with_spec!(spec, s => match crate::model::field_of(s, key) {
        Some(f) => read_field(f, s, value).map(|()| true),
        None => Ok(false),
    })
}

/// A spec read through its field table: the fields given are read, the others keep
/// their defaults; `tag` is the one other key allowed (an enum's tag).
#[inline]
fn record<S: FieldTable>(v: &Value, tag: Option<&str>) -> Result<S, String> {
    let known: Vec<&str> = S::FIELDS.iter().map(|f| f.name).chain(tag).collect();
    let m = object(v, S::WHAT, &known)?;
    let mut s = S::default();
    for f in S::FIELDS {
        match m.get(f.name) {
            Some(value) => read_field(f, &mut s, value)?,
            None if f.presence == Presence::Required => return Err(format!("missing field `{}`", f.name)),
            None => {}
        }
    }
    Ok(s)
}

/// Sets field `f` of `s` from `value`; a wrong type or name is an error naming the field.
#[inline]
fn read_field<S>(f: &Field<S>, s: &mut S, value: &Value) -> Result<(), String> {
    let key = f.name;
    match &f.slot {
        Slot::U32(_, set) => set(s, convert(value, key, U32, u32_of)?),
        Slot::U64(_, set) => set(s, convert(value, key, U64, u64_of)?),
        // An optional field: `null` is `None`.
        Slot::OptU32(_, set) => set(s, (!value.is_null()).then(|| convert(value, key, U32, u32_of)).transpose()?),
        Slot::Bool(_, set) => set(s, convert(value, key, "true or false", bool_of)?),
        Slot::F64(_, set) => set(s, convert(value, key, "a number", f64_of)?),
        Slot::Text(_, set) => set(s, convert(value, key, "a string", string_of)?),
        Slot::Choice { set, expected, .. } => {
            if !value.as_str().is_some_and(|name| set(s, name)) {
                return Err(format!("invalid value for `{key}`: {}, expected {expected}", write::value(value)));
            }
        }
        Slot::Latency(_, set) => set(s, latency(value)?),
    }
    Ok(())
}

#[inline]
fn workload(v: &Value) -> Result<Workload, String> {
    let m = object(v, "the workload", &["phases"])?;
    let phases = match m.get("phases") {
        Some(v) => array(v, "phases")?.iter().map(phase).collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    Ok(Workload { phases })
}

/// A phase: its field table, and the requests of a trace that comes with it.
#[inline]
fn phase(v: &Value) -> Result<Phase, String> {
    let mut p: Phase = record(v, Some("trace_data"))?;
    if let Some(data) = v.get("trace_data").filter(|d| !d.is_null()) {
        let list = array(data, "trace_data")?;
        let mut pairs = Vec::with_capacity(list.len());
        for r in list {
            match r.as_array().map(Vec::as_slice) {
                Some([Value::Number(a), Value::Number(b)]) if a.is_u64() && b.is_u64() => {
                    pairs.push((a.as_u64().unwrap_or(0), b.as_u64().unwrap_or(0)))
                }
                _ => {
                    return Err(format!(
                        "invalid value for `trace_data`: {}, expected a [submit_ns, latency_ns] pair",
                        write::value(r)
                    ))
                }
            }
        }
        p.trace_data = Some(TraceData::from_pairs(pairs));
    }
    Ok(p)
}

#[inline]
fn array<'a>(v: &'a Value, what: &str) -> Result<&'a Vec<Value>, String> {
    v.as_array().ok_or_else(|| format!("expected {what} as a list, found {}", write::value(v)))
}

#[inline]
fn latency(v: &Value) -> Result<Latency, String> {
    let m = v.as_object().ok_or_else(|| format!("expected the latency as an object, found {}", write::value(v)))?;
    let dist = tag(m, "dist", &["fixed", "uniform", "exponential", "bimodal"])?;
    let fields = |known: &[&str]| -> Result<&Fields, String> {
        let known: Vec<&str> = known.iter().copied().chain(["dist"]).collect();
        object(v, "the latency", &known)
    };
    Ok(match dist {
        "fixed" => Latency::Fixed { ns: required(fields(&["ns"])?, "ns", U64, u64_of)? },
        "uniform" => {
            let m = fields(&["min_ns", "max_ns"])?;
            Latency::Uniform {
                min_ns: required(m, "min_ns", U64, u64_of)?,
                max_ns: required(m, "max_ns", U64, u64_of)?,
            }
        }
        "exponential" => Latency::Exponential { mean_ns: required(fields(&["mean_ns"])?, "mean_ns", U64, u64_of)? },
        _ => {
            let m = fields(&["fast_ns", "slow_ns", "slow_fraction"])?;
            Latency::Bimodal {
                fast_ns: required(m, "fast_ns", U64, u64_of)?,
                slow_ns: required(m, "slow_ns", U64, u64_of)?,
                slow_fraction: required(m, "slow_fraction", "a number", f64_of)?,
            }
        }
    })
}

/// A scripted step list.
#[inline]
pub fn steps(v: &Value) -> Result<Vec<Step>, String> {
    array(v, "the steps")?.iter().map(step).collect()
}

#[inline]
fn step(v: &Value) -> Result<Step, String> {
    let m = v.as_object().ok_or_else(|| format!("expected a step as an object, found {}", write::value(v)))?;
    let op = tag(m, "op", &["submit", "complete", "reap", "getevents", "advance", "fail_next_alloc", "destroy"])?;
    let fields = |known: &[&str]| -> Result<&Fields, String> {
        let known: Vec<&str> = known.iter().copied().chain(["op"]).collect();
        object(v, "a step", &known)
    };
    Ok(match op {
        "submit" => {
            let m = fields(&["n", "kind"])?;
            Step::Submit {
                n: required(m, "n", U32, u32_of)?,
                kind: field(m, "kind", "io or nop", kind_of)?.unwrap_or_default(),
            }
        }
        "complete" => Step::Complete { n: required(fields(&["n"])?, "n", U32, u32_of)? },
        "reap" => Step::Reap { n: required(fields(&["n"])?, "n", U32, u32_of)? },
        "getevents" => {
            let m = fields(&["min", "max"])?;
            Step::Getevents {
                min: field(m, "min", U32, u32_of)?.unwrap_or(0),
                max: field(m, "max", U32, u32_of)?.unwrap_or(u32::MAX),
            }
        }
        "advance" => Step::Advance { ns: required(fields(&["ns"])?, "ns", U64, u64_of)? },
        "destroy" => {
            fields(&[])?;
            Step::Destroy {}
        }
        _ => {
            fields(&[])?;
            Step::FailNextAlloc {}
        }
    })
}

#[inline]
fn lesson(v: &Value) -> Result<Lesson, String> {
    const KNOWN: [&str; 9] = [
        "goal",
        "question",
        "pauses",
        "reveal",
        "reveal_expect",
        "sweep",
        "compare",
        "compare_reapers",
        "reveal_expect_lanes",
    ];
    let m = object(v, "the lesson", &KNOWN)?;
    let names = |key: &str| field(m, key, "a list of names", strings_of).map(Option::unwrap_or_default);
    let pauses = match m.get("pauses") {
        Some(v) => array(v, "pauses")?.iter().map(pause).collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    Ok(Lesson {
        goal: field(m, "goal", "a string", string_of)?.unwrap_or_default(),
        question: field(m, "question", "a string", string_of)?.unwrap_or_default(),
        pauses,
        reveal: field(m, "reveal", "a string", string_of)?.unwrap_or_default(),
        reveal_expect: m.get("reveal_expect").map(expect).transpose()?.unwrap_or_default(),
        sweep: field(m, "sweep", "a string", string_of)?,
        compare: names("compare")?,
        compare_reapers: names("compare_reapers")?,
        reveal_expect_lanes: m.get("reveal_expect_lanes").map(expect_lanes).transpose()?.unwrap_or_default(),
    })
}

#[inline]
fn strings_of(v: &Value) -> Option<Vec<String>> {
    v.as_array()?.iter().map(|s| s.as_str().map(str::to_string)).collect()
}

/// Expectations by compared run (`expect_lanes`, `reveal_expect_lanes`).
#[inline]
fn expect_lanes(v: &Value) -> Result<std::collections::BTreeMap<String, Expect>, String> {
    let m =
        v.as_object().ok_or_else(|| format!("expected expectations by run as a table, found {}", write::value(v)))?;
    m.iter().map(|(lane, e)| Ok((lane.clone(), expect(e).map_err(|e| format!("{lane}: {e}"))?))).collect()
}

#[inline]
fn pause(v: &Value) -> Result<PausePoint, String> {
    const KNOWN: [&str; 8] =
        ["at_ns", "after_step", "at_event", "nth", "after_ns", "narration", "expect", "expect_lanes"];
    let m = object(v, "a pause point", &KNOWN)?;
    Ok(PausePoint {
        at_ns: optional(m, "at_ns", U64, u64_of)?,
        after_step: optional(m, "after_step", U32, u32_of)?,
        at_event: optional(m, "at_event", "a string", string_of)?,
        nth: optional(m, "nth", U32, u32_of)?,
        after_ns: optional(m, "after_ns", U64, u64_of)?,
        narration: required(m, "narration", "a string", string_of)?,
        expect: m.get("expect").map(expect).transpose()?.unwrap_or_default(),
        expect_lanes: m.get("expect_lanes").map(expect_lanes).transpose()?.unwrap_or_default(),
    })
}

#[inline]
fn expect(v: &Value) -> Result<Expect, String> {
    // Each field with where it goes, in the declared order (which decides the error a
    // text with two bad fields gets); one loop, not a read per field (2 KB of wasm).
    enum Target {
        Count(fn(&mut Expect) -> &mut Option<u64>),
        Small(fn(&mut Expect) -> &mut Option<u32>),
        Flag(fn(&mut Expect) -> &mut Option<bool>),
        Counts(fn(&mut Expect) -> &mut Option<Vec<u64>>),
        Smalls(fn(&mut Expect) -> &mut Option<Vec<u32>>),
    }
    use Target::{Count, Counts, Flag, Small, Smalls};
    const FIELDS: [(&str, Target); 32] = [
        ("ring_len", Small(|e| &mut e.ring_len)),
        ("ring_len_min", Small(|e| &mut e.ring_len_min)),
        ("ring", Counts(|e| &mut e.ring)),
        ("list_len", Count(|e| &mut e.list_len)),
        ("list_len_min", Count(|e| &mut e.list_len_min)),
        ("list", Counts(|e| &mut e.list)),
        ("flag", Flag(|e| &mut e.flag)),
        ("in_flight", Small(|e| &mut e.in_flight)),
        ("dropped", Count(|e| &mut e.dropped)),
        ("dropped_min", Count(|e| &mut e.dropped_min)),
        ("overflowed_min", Count(|e| &mut e.overflowed_min)),
        ("eagain", Count(|e| &mut e.eagain)),
        ("eagain_min", Count(|e| &mut e.eagain_min)),
        ("ebusy_min", Count(|e| &mut e.ebusy_min)),
        ("timer_fires_min", Count(|e| &mut e.timer_fires_min)),
        ("flushed_timer_min", Count(|e| &mut e.flushed_timer_min)),
        ("flushed_syscall_min", Count(|e| &mut e.flushed_syscall_min)),
        ("syscalls_skipped_min", Count(|e| &mut e.syscalls_skipped_min)),
        ("all_reaped", Flag(|e| &mut e.all_reaped)),
        ("overflowed", Count(|e| &mut e.overflowed)),
        ("flushed_syscall", Count(|e| &mut e.flushed_syscall)),
        ("flushed_submit_min", Count(|e| &mut e.flushed_submit_min)),
        ("flushed_completion_min", Count(|e| &mut e.flushed_completion_min)),
        ("timer_fires", Count(|e| &mut e.timer_fires)),
        ("ebusy", Count(|e| &mut e.ebusy)),
        ("submitted", Count(|e| &mut e.submitted)),
        ("reaped", Count(|e| &mut e.reaped)),
        ("reaped_min", Count(|e| &mut e.reaped_min)),
        ("cq_overflow", Count(|e| &mut e.cq_overflow)),
        ("reqs_active", Small(|e| &mut e.reqs_active)),
        ("global_pool", Small(|e| &mut e.global_pool)),
        ("cpu_cache", Smalls(|e| &mut e.cpu_cache)),
    ];
    let known = FIELDS.map(|(key, _)| key);
    let m = object(v, "an expectation", &known)?;
    let mut e = Expect::default();
    for (key, target) in FIELDS {
        let numbers = "a list of whole numbers";
        match target {
            Count(at) => *at(&mut e) = optional(m, key, U64, u64_of)?,
            Small(at) => *at(&mut e) = optional(m, key, U32, u32_of)?,
            Flag(at) => *at(&mut e) = optional(m, key, "true or false", bool_of)?,
            Counts(at) => *at(&mut e) = optional(m, key, numbers, u64s_of)?,
            Smalls(at) => *at(&mut e) = optional(m, key, numbers, u32s_of)?,
        }
    }
    Ok(e)
}

/// A scenario as JSON, written by hand from the fields the links write (the browser's
/// bundle has no derived `Serialize` for scenarios): title, seed, model, reaper and
/// workload, with each phase's trace requests (`trace_data`, `[[submit_ns, latency_ns],
/// ...]`). Not the steps or the lesson: this is for the page's "scenario with its trace"
/// file, which [`scenario`] and the derived impls (the CLI) read back.
#[inline]
pub fn write_scenario(s: &Scenario) -> String {
    use std::fmt::Write;
    let mut out = format!(r#"{{"title":{},"seed":{},"model":"#, quote(&s.title), s.seed);
    write_fields(&mut out, Some(s.model.name()), s.model.field_texts());
    let r = &s.reaper;
    let _ = write!(
        out,
        r#","reaper":{{"policy":"{}","interval_ns":{},"batch":{},"blocking":{}}}"#,
        r.policy.name(),
        r.interval_ns,
        r.batch,
        r.blocking
    );
    out.push_str(r#","workload":{"phases":["#);
    for (i, p) in s.workload.phases.iter().enumerate() {
        out.push_str(if i == 0 { "" } else { "," });
        write_fields(&mut out, None, crate::spec::texts(p));
        if let Some(data) = &p.trace_data {
            out.pop(); // the record's `}`
            out.push_str(r#","trace_data":["#);
            for (j, (submit, latency)) in data.requests().iter().enumerate() {
                let _ = write!(out, "{}[{submit},{latency}]", if j == 0 { "" } else { "," });
            }
            out.push_str("]}");
        }
    }
    out.push_str("]}}");
    out
}

/// `{"kind": KIND, "key": value, ...}` from a spec's field texts (as links write them):
/// numbers and booleans bare, names quoted, a latency (`uniform:MIN:MAX`, ...) as its
/// object.
#[inline]
fn write_fields(out: &mut String, kind: Option<&str>, fields: Vec<(&'static str, String)>) {
    let mut sep = '{';
    if let Some(kind) = kind {
        out.push_str("{\"kind\":\"");
        out.push_str(kind); // a model's name: no escaping needed
        out.push('"');
        sep = ',';
    }
    for (key, text) in fields {
        out.push(sep);
        sep = ',';
        out.push('"');
        out.push_str(key);
        out.push_str("\":");
        let first = text.bytes().next().unwrap_or(b'"');
        if key == "latency" {
            let mut parts = text.split(':');
            let dist = parts.next().unwrap_or_default();
            let keys: &[&str] = match dist {
                "fixed" => &["ns"],
                "uniform" => &["min_ns", "max_ns"],
                "exponential" => &["mean_ns"],
                _ => &["fast_ns", "slow_ns", "slow_fraction"],
            };
            out.push_str("{\"dist\":\"");
            out.push_str(dist);
            out.push('"');
            for (k, v) in keys.iter().zip(parts) {
                out.push_str(",\"");
                out.push_str(k);
                out.push_str("\":");
                out.push_str(v);
            }
            out.push('}');
        } else if key != "name"
            && key != "trace"
            && (first.is_ascii_digit() || first == b'-' || text == "true" || text == "false")
        {
            out.push_str(&text);
        } else {
            out.push_str(&quote(&text));
        }
    }
    if sep == '{' {
        out.push('{');
    }
    out.push('}');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::aio::AioSpec;
    use crate::model::aio2012::Aio2012Spec;
    use crate::model::io_uring::UringSpec;
    use crate::model::proposal::{Admission, ProposalSpec};
    use crate::reaper::{ReaperPolicy, ReaperSpec};
    use proptest::prelude::*;

    /// What the derived impls make of `text`, next to what this reader makes of it.
    fn both(text: &str) -> (Result<Scenario, String>, Result<Scenario, String>) {
        let derived = serde_json::from_str::<Scenario>(text).map_err(|e| e.to_string());
        let by_hand = serde_json::from_str::<Value>(text).map_err(|e| e.to_string()).and_then(|v| scenario(&v));
        (derived, by_hand)
    }

    #[test]
    fn every_built_in_scenario_reads_as_the_derived_impls_read_it() {
        let all =
            std::iter::once(crate::lessons::DEFAULT_SCENARIO_JSON).chain(crate::lessons::LESSONS_JSON.map(|(_, j)| j));
        for text in all {
            let (derived, by_hand) = both(text);
            assert_eq!(by_hand, Ok(derived.expect("built-in scenarios parse")));
        }
    }

    #[test]
    fn what_the_derived_impls_refuse_is_refused() {
        let model = r#""model": {"kind": "proposal"}"#;
        let bad = [
            r#"{"model": {"kind": "proposal", "flags": true}}"#.to_string(),
            r#"{"model": {"kind": "warp"}}"#.into(),
            r#"{"model": {"kind": "aio"}}"#.into(),
            r#"{"model": {"kind": "io_uring", "sq_entries": 4294967296}}"#.into(),
            r#"{"model": {"kind": "io_uring", "sq_entries": -1}}"#.into(),
            r#"{"model": {"kind": "io_uring", "sq_entries": 4.5}}"#.into(),
            r#"{"model": {"kind": "io_uring", "clamp": null}}"#.into(),
            r#"{"model": {"kind": "io_uring", "submit_getevents": 1}}"#.into(),
            r#"{"model": {"kind": "aio", "nr_events": 4, "submit_getevents": true}}"#.into(),
            r#"{"model": {"nr_events": 4}}"#.into(),
            r#"{"seed": 1}"#.into(),
            r#"[]"#.into(),
            format!(r#"{{{model}, "colour": 1}}"#),
            format!(r#"{{{model}, "title": 5}}"#),
            format!(r#"{{{model}, "reaper": {{"policy": "psychic"}}}}"#),
            format!(r#"{{{model}, "reaper": {{"batch": "8"}}}}"#),
            format!(r#"{{{model}, "workload": {{"phases": [{{}}]}}}}"#),
            format!(r#"{{{model}, "workload": {{"phases": [{{"duration_ns": 1, "rate": 5}}]}}}}"#),
            format!(r#"{{{model}, "workload": {{"phases": [{{"duration_ns": 1, "kind": "disk"}}]}}}}"#),
            format!(r#"{{{model}, "workload": {{"phases": [{{"duration_ns": 1, "latency": {{"dist": "fixed"}}}}]}}}}"#),
            format!(
                r#"{{{model}, "workload": {{"phases": [{{"duration_ns": 1, "latency": {{"dist": "fixed", "ns": 1, "mean_ns": 2}}}}]}}}}"#
            ),
            format!(
                r#"{{{model}, "workload": {{"phases": [{{"duration_ns": 1, "latency": {{"dist": "gauss", "ns": 1}}}}]}}}}"#
            ),
            format!(r#"{{{model}, "steps": [{{"op": "submit"}}]}}"#),
            format!(r#"{{{model}, "steps": [{{"op": "jump"}}]}}"#),
            format!(r#"{{{model}, "steps": [{{"op": "fail_next_alloc", "n": 1}}]}}"#),
            format!(r#"{{{model}, "steps": [{{"op": "destroy", "n": 1}}]}}"#),
            format!(r#"{{{model}, "steps": [{{"op": "destroy", "kind": "io"}}]}}"#),
            format!(r#"{{{model}, "steps": [{{"op": "reap", "n": 1, "min": 0}}]}}"#),
            format!(r#"{{{model}, "lesson": {{"pauses": [{{"at_ns": 5}}]}}}}"#),
            format!(r#"{{{model}, "lesson": {{"pauses": [{{"narration": "x", "expect": {{"rings": []}}}}]}}}}"#),
            format!(r#"{{{model}, "lesson": {{"reveal_expect": {{"ring": [1, -2]}}}}}}"#),
            format!(r#"{{{model}, "lesson": {{"topic": ""}}}}"#),
        ];
        for text in &bad {
            let (derived, by_hand) = both(text);
            assert!(derived.is_err(), "{text}: the derived impls accept it");
            assert!(by_hand.is_err(), "{text}: read as {by_hand:?}");
        }
        // null is "absent" for an optional field, as with the derived impls.
        let text = format!(
            r#"{{{model}, "steps": null, "lesson": {{"pauses": [{{"narration": "x", "at_ns": null, "after_step": 3}}]}}}}"#
        );
        let (derived, by_hand) = both(&text);
        assert_eq!(by_hand, Ok(derived.unwrap()));
    }

    #[test]
    fn the_submit_option_and_destroy_read_as_the_derived_impls_read_them() {
        // L1.6's submitter option on each io_uring model, and a destroy step (B10, U4.2e).
        for kind in ["io_uring", "io_uring-5.5", "io_uring-5.1"] {
            for on in [true, false] {
                let text = format!(
                    r#"{{"model": {{"kind": "{kind}", "sq_entries": 4, "submit_getevents": {on}}},
                        "steps": [{{"op": "submit", "n": 4}}, {{"op": "destroy"}}, {{"op": "reap", "n": 1}}]}}"#
                );
                let (derived, by_hand) = both(&text);
                let derived = derived.expect("the derived impls accept it");
                assert_eq!(by_hand.as_ref(), Ok(&derived));
                match &derived.model {
                    ModelSpec::IoUring(u) | ModelSpec::IoUring55(u) | ModelSpec::IoUring51(u) => {
                        assert_eq!(u.submit_getevents, on)
                    }
                    other => panic!("{other:?}"),
                }
                assert_eq!(derived.steps.as_ref().unwrap()[1], Step::Destroy {});
            }
        }
        // Absent means off, and off is not written out (links and files stay as they were).
        let text = r#"{"model": {"kind": "io_uring"}}"#;
        let (derived, by_hand) = both(text);
        assert_eq!(by_hand, Ok(derived.unwrap()));
        let written = serde_json::to_value(ModelSpec::IoUring(UringSpec::default())).unwrap();
        assert!(written.get("submit_getevents").is_none(), "{written}");
    }

    #[test]
    fn absent_fields_read_as_the_defaults_both_ways() {
        // What a file leaves out is the default in the field tables' structs and for
        // serde alike: the model (its required fields given), the reaper, a phase.
        for kind in ModelKind::ALL {
            let default = ModelSpec::default_for(kind);
            let required: String = default
                .field_texts()
                .into_iter()
                .filter(|(k, _)| *k == "nr_events")
                .map(|(k, v)| format!(r#", "{k}": {v}"#))
                .collect();
            let text = format!(
                r#"{{"model": {{"kind": "{kind}"{required}}}, "workload": {{"phases": [{{"duration_ns": 1000000}}]}}}}"#
            );
            let (derived, by_hand) = both(&text);
            let derived = derived.expect("the derived impls accept it");
            assert_eq!(by_hand.as_ref(), Ok(&derived), "{text}");
            assert_eq!(derived.model, default, "{kind}");
            assert_eq!(derived.model.kind(), kind);
            assert_eq!(derived.reaper, ReaperSpec::default());
            assert_eq!(derived.workload.phases, [Phase::default()]);
        }
        // A field that must be given is missing for both.
        let (derived, by_hand) = both(r#"{"model": {"kind": "aio-2012"}}"#);
        assert!(derived.is_err());
        assert_eq!(by_hand, Err("missing field `nr_events`".to_string()));
    }

    #[test]
    fn the_serde_tag_is_the_kinds_name() {
        for kind in ModelKind::ALL {
            let written = serde_json::to_value(ModelSpec::default_for(kind)).unwrap();
            assert_eq!(written["kind"], kind.name());
        }
    }

    fn latency_strategy() -> impl Strategy<Value = Latency> {
        prop_oneof![
            any::<u64>().prop_map(|ns| Latency::Fixed { ns }),
            (any::<u64>(), any::<u64>()).prop_map(|(min_ns, max_ns)| Latency::Uniform { min_ns, max_ns }),
            any::<u64>().prop_map(|mean_ns| Latency::Exponential { mean_ns }),
            (any::<u64>(), any::<u64>(), any::<f64>().prop_filter("finite", |f| f.is_finite()))
                .prop_map(|(fast_ns, slow_ns, slow_fraction)| Latency::Bimodal { fast_ns, slow_ns, slow_fraction }),
        ]
    }

    fn model_strategy() -> impl Strategy<Value = ModelSpec> {
        let uring = (any::<u32>(), any::<Option<u32>>(), any::<[bool; 3]>()).prop_map(|(sq_entries, cq_entries, b)| {
            UringSpec { sq_entries, cq_entries, clamp: b[0], flag: b[1], submit_getevents: b[2] }
        });
        let proposal =
            (any::<[u32; 2]>(), any::<u64>(), any::<[bool; 5]>()).prop_map(|(n, timer_ns, b)| ProposalSpec {
                ring_entries: n[0],
                max_requests: n[1],
                flag: b[0],
                timer_ns,
                admission: if b[1] { Admission::InFlightAndList } else { Admission::InFlightListAndRing },
                append_behind: b[2],
                drain_on_completion: b[3],
                timer_rearm: b[4],
            });
        prop_oneof![
            any::<u32>().prop_map(|nr_events| ModelSpec::Aio2012(Aio2012Spec { nr_events })),
            (any::<[u32; 3]>(), any::<Option<u32>>()).prop_map(|(n, complete_cpu)| ModelSpec::Aio(AioSpec {
                nr_events: n[0],
                cpus: n[1],
                submit_cpu: n[2],
                complete_cpu
            })),
            proposal.prop_map(ModelSpec::Proposal),
            uring.clone().prop_map(ModelSpec::IoUring),
            uring.clone().prop_map(ModelSpec::IoUring55),
            uring.prop_map(ModelSpec::IoUring51),
        ]
    }

    /// Any scripted step (also `json::write`'s tests).
    pub(super) fn step_strategy() -> impl Strategy<Value = Step> {
        prop_oneof![
            (any::<u32>(), any::<bool>())
                .prop_map(|(n, io)| Step::Submit { n, kind: if io { RequestKind::Io } else { RequestKind::Nop } }),
            any::<u32>().prop_map(|n| Step::Complete { n }),
            any::<u32>().prop_map(|n| Step::Reap { n }),
            (any::<u32>(), any::<u32>()).prop_map(|(min, max)| Step::Getevents { min, max }),
            any::<u64>().prop_map(|ns| Step::Advance { ns }),
            Just(Step::FailNextAlloc {}),
            Just(Step::Destroy {}),
        ]
    }

    fn expect_strategy() -> BoxedStrategy<Expect> {
        (
            (any::<Option<u32>>(), any::<Option<u32>>(), any::<Option<Vec<u64>>>(), any::<Option<Vec<u64>>>()),
            (any::<Option<bool>>(), any::<Option<u32>>(), any::<Option<bool>>()),
            prop::collection::vec(any::<Option<u64>>(), 22),
            (any::<Option<u32>>(), any::<Option<u32>>(), any::<Option<Vec<u32>>>()),
        )
            .prop_map(|((ring_len, ring_len_min, ring, list), (flag, in_flight, all_reaped), n, pools)| Expect {
                ring_len,
                ring_len_min,
                ring,
                list_len: n[0],
                list_len_min: n[1],
                list,
                flag,
                in_flight,
                dropped: n[2],
                dropped_min: n[3],
                overflowed_min: n[4],
                eagain: n[5],
                eagain_min: n[6],
                ebusy_min: n[7],
                timer_fires_min: n[8],
                flushed_timer_min: n[9],
                flushed_syscall_min: n[10],
                syscalls_skipped_min: n[11],
                all_reaped,
                overflowed: n[12],
                flushed_syscall: n[13],
                flushed_submit_min: n[14],
                flushed_completion_min: n[15],
                timer_fires: n[16],
                ebusy: n[17],
                submitted: n[18],
                reaped: n[19],
                reaped_min: n[20],
                cq_overflow: n[21],
                reqs_active: pools.0,
                global_pool: pools.1,
                cpu_cache: pools.2,
            })
            .boxed()
    }

    fn phase_strategy() -> impl Strategy<Value = Phase> {
        let trace =
            (".{0,4}", 0.1..10f64, any::<bool>(), prop::option::of(prop::collection::vec(any::<(u64, u64)>(), 0..4)));
        (".{0,8}", any::<[u64; 1]>(), 0.0..1e9f64, any::<[u32; 2]>(), latency_strategy(), any::<bool>(), trace)
            .prop_map(|(name, d, submit_rate, n, latency, io, (trace, trace_scale, trace_loop, data))| Phase {
                name,
                duration_ns: d[0],
                submit_rate,
                batch: n[0],
                queue_depth: n[1],
                latency,
                kind: if io { RequestKind::Io } else { RequestKind::Nop },
                trace,
                trace_scale,
                trace_loop,
                trace_data: data.map(TraceData::from_pairs),
            })
    }

    fn scenario_strategy() -> impl Strategy<Value = Scenario> {
        let phase = phase_strategy();
        let lanes = || prop::collection::btree_map("[a-z.+-]{1,8}", expect_strategy(), 0..2);
        let event =
            prop::option::of(prop::sample::select(crate::scenario::PAUSE_EVENTS.to_vec()).prop_map(String::from));
        let pause = (
            (any::<Option<u64>>(), any::<Option<u32>>(), event, any::<Option<u32>>(), any::<Option<u64>>()),
            ".{0,8}",
            expect_strategy(),
            lanes(),
        )
            .prop_map(|((at_ns, after_step, at_event, nth, after_ns), narration, expect, expect_lanes)| PausePoint {
                at_ns,
                after_step,
                at_event,
                nth,
                after_ns,
                narration,
                expect,
                expect_lanes,
            });
        let names = || prop::collection::vec("[a-z.+-]{1,8}", 0..3);
        let lesson = (
            (".{0,8}", ".{0,8}", prop::collection::vec(pause, 0..3), ".{0,8}", expect_strategy()),
            (names(), names(), lanes()),
        )
            .prop_map(|((goal, question, pauses, reveal, reveal_expect), (compare, compare_reapers, lanes))| Lesson {
                goal,
                question,
                pauses,
                reveal,
                reveal_expect,
                compare,
                compare_reapers,
                reveal_expect_lanes: lanes,
                ..Lesson::default()
            })
            .boxed();
        let reaper =
            (0usize..4, any::<u64>(), any::<u32>(), any::<bool>()).prop_map(|(p, interval_ns, batch, blocking)| {
                ReaperSpec { policy: ReaperPolicy::ALL[p], interval_ns, batch, blocking }
            });
        (
            (".{0,8}", any::<u64>(), model_strategy(), reaper),
            prop::collection::vec(phase, 0..3),
            prop::option::of(prop::collection::vec(step_strategy(), 0..6)),
            prop::option::of(lesson),
        )
            .prop_map(|((title, seed, model, reaper), phases, steps, lesson)| Scenario {
                title,
                seed,
                model,
                reaper,
                workload: Workload { phases },
                steps,
                lesson,
            })
    }

    proptest! {
        #[test]
        fn any_scenario_written_as_json_reads_back_the_same(s in scenario_strategy()) {
            let text = serde_json::to_string(&s).unwrap();
            // (Compared with the derived impls, not with `s`: serde_json's float parsing
            // need not give back the very same f64.)
            let (derived, by_hand) = both(&text);
            prop_assert!(derived.is_ok(), "{}: {:?}", text, derived);
            prop_assert_eq!(by_hand, derived);
        }

        #[test]
        fn the_field_tables_write_what_serde_writes(model in model_strategy(), phase in phase_strategy()) {
            // Links write a spec through its field table; it leaves out what serde's
            // `skip_serializing_if` leaves out, and each value reads as serde writes it.
            let text = |v: &Value| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let Value::Object(written) = serde_json::to_value(&model).unwrap() else { panic!() };
            let serde: Vec<(String, String)> =
                written.iter().filter(|(k, _)| *k != "kind").map(|(k, v)| (k.clone(), text(v))).collect();
            let mut table: Vec<(String, String)> = model.field_texts().into_iter().map(|(k, v)| (k.to_string(), v)).collect();
            table.sort(); // serde_json's map is in name order
            prop_assert_eq!(table, serde);
            // Each field set alone from what serde wrote gives the spec back.
            let mut rebuilt = ModelSpec::default_for(model.kind());
            for (key, value) in written.iter().filter(|(k, _)| *k != "kind") {
                prop_assert_eq!(set_model_field(&mut rebuilt, key, value), Ok(true));
            }
            prop_assert_eq!(&rebuilt, &model);
            prop_assert_eq!(set_model_field(&mut rebuilt, "colour", &Value::Null), Ok(false));
            // A phase: every field the table names is one serde writes.
            let Value::Object(written) = serde_json::to_value(&phase).unwrap() else { panic!() };
            // (The trace's fields are left out at their defaults; its requests are no field.)
            let trace_at_default = |f: &&Field<Phase>| f.name.starts_with("trace") && !f.written(&phase);
            let mut names: Vec<&str> = Phase::FIELDS.iter().filter(|f| !trace_at_default(f)).map(|f| f.name).collect();
            let mut keys: Vec<&str> = written.keys().map(String::as_str).filter(|k| *k != "trace_data").collect();
            names.sort();
            keys.sort();
            prop_assert_eq!(names, keys);
        }

        #[test]
        fn any_step_list_reads_back_the_same(steps_in in prop::collection::vec(step_strategy(), 0..12)) {
            let v = serde_json::to_value(&steps_in).unwrap();
            prop_assert_eq!(steps(&v), Ok(steps_in));
        }
    }
}
