//! Step-by-step comparison of two runs of the same script (the simulator's and the
//! kernel's), as JSON values, field by field. Platform independent.

#![forbid(unsafe_code)]

use ringlab_core::{Family, ModelKind};
use serde_json::Value;

/// Fields never compared: human text and the script's virtual clock.
pub const IGNORED: &[(&str, &str)] = &[
    ("error", "human-readable text"),
    ("time_ns", "the simulator's virtual clock; the probe only adds up `advance` steps"),
];

/// Setup fields the real kernel does not expose, per model kind: the probe leaves them
/// out and the comparison ignores them (and says so).
pub fn unobservable_setup_fields(kind: ModelKind) -> &'static [&'static str] {
    match kind {
        // Only the ring header (nr, head, tail) is visible; the slot accounting
        // (ctx->req_batch, ctx->reqs_available) and ctx->max_reqs are kernel-internal.
        // req_batch shows indirectly in how many submits succeed before EAGAIN.
        ModelKind::Aio => &["req_batch", "reqs_available", "max_requests"],
        ModelKind::Aio2012 | ModelKind::Proposal | ModelKind::IoUring | ModelKind::IoUring55 | ModelKind::IoUring51 => {
            &[]
        }
    }
}

/// The fields of a `destroy` line that a real kernel lets the probe observe: the call's
/// result. Nothing after the teardown is observable (see [`teardown_note`]).
pub const DESTROY_OBSERVED: &[&str] = &["step", "op", "result"];

/// Why nothing but a destroy's result is compared, per model kind.
pub fn teardown_note(kind: ModelKind) -> &'static str {
    match kind.family() {
        Family::Aio | Family::Proposal => "io_destroy unmapped the ring",
        Family::IoUring => {
            "the ring fd is closed, its backlog (fdinfo) with it, and the kernel tears the ring down asynchronously"
        }
    }
}

/// The order in which fields are checked (the observation lines' own order).
const FIELD_ORDER: &[&str] = &[
    "step",
    "op",
    "result",
    "sq_entries",
    "cq_entries",
    "ring_entries",
    "req_batch",
    "reqs_available",
    "max_requests",
    "head",
    "tail",
    "ring",
    "backlog",
    "flag",
    "overflow",
    "in_flight",
    "reaped",
    "sq_pending",
];

/// The verdict for one line (step 0 is setup).
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Match,
    /// The first field that differs; `None` means the field is absent on that side.
    Differs {
        field: String,
        kernel: Option<Value>,
        simulator: Option<Value>,
    },
    /// The line exists on one side only.
    OnlyKernel,
    OnlySimulator,
    /// A `destroy` line: the fields a real kernel shows ([`DESTROY_OBSERVED`]) match; the
    /// rest are not observable after a teardown, for the reason given.
    MatchObservable(&'static str),
    /// A step after a `destroy`: the probe runs nothing on a torn-down context or ring, so
    /// there is nothing to compare (the reason says which step tore it down).
    NotObservable(String),
}

impl Outcome {
    /// Whether this outcome is a difference (the probe's verdict "differs").
    pub fn is_difference(&self) -> bool {
        matches!(self, Outcome::Differs { .. } | Outcome::OnlyKernel | Outcome::OnlySimulator)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    pub step: usize,
    pub op: String,
    pub outcome: Outcome,
}

/// Compares two lines; returns the first differing field, if any.
pub fn first_difference(
    kind: ModelKind,
    kernel: &Value,
    simulator: &Value,
) -> Option<(String, Option<Value>, Option<Value>)> {
    let empty = serde_json::Map::new();
    let k = kernel.as_object().unwrap_or(&empty);
    let s = simulator.as_object().unwrap_or(&empty);
    let is_setup = s.get("op").or_else(|| k.get("op")).and_then(Value::as_str) == Some("setup");
    let skip = |f: &str| {
        IGNORED.iter().any(|(name, _)| *name == f) || (is_setup && unobservable_setup_fields(kind).contains(&f))
    };
    let mut rest: Vec<&String> = k.keys().chain(s.keys()).filter(|f| !FIELD_ORDER.contains(&f.as_str())).collect();
    rest.sort();
    rest.dedup();
    let fields = FIELD_ORDER.iter().copied().chain(rest.iter().map(|f| f.as_str()));
    for field in fields {
        if skip(field) {
            continue;
        }
        let (kv, sv) = (k.get(field), s.get(field));
        if kv != sv {
            return Some((field.to_string(), kv.cloned(), sv.cloned()));
        }
    }
    None
}

/// `line` with only the fields in `keep`.
fn only(line: &Value, keep: &[&str]) -> Value {
    let mut out = serde_json::Map::new();
    for (k, v) in line.as_object().into_iter().flatten() {
        if keep.contains(&k.as_str()) {
            out.insert(k.clone(), v.clone());
        }
    }
    Value::Object(out)
}

/// Compares two runs line by line. From the first `destroy` step on, the kernel shows only
/// that call's result, and the probe runs no later step: those lines are reported as not
/// observable rather than as differences.
pub fn compare_runs(kind: ModelKind, kernel: &[Value], simulator: &[Value]) -> Vec<Verdict> {
    let op_of = |v: &Value| v.get("op").and_then(Value::as_str).unwrap_or("?").to_string();
    let mut torn_down: Option<usize> = None;
    (0..kernel.len().max(simulator.len()))
        .map(|i| match (kernel.get(i), simulator.get(i)) {
            (Some(k), Some(s)) => {
                let destroy = torn_down.is_none() && op_of(s) == "destroy" && op_of(k) == "destroy";
                let (k, s) = if destroy {
                    (only(k, DESTROY_OBSERVED), only(s, DESTROY_OBSERVED))
                } else {
                    (k.clone(), s.clone())
                };
                let outcome = match first_difference(kind, &k, &s) {
                    None if destroy => Outcome::MatchObservable(teardown_note(kind)),
                    None => Outcome::Match,
                    Some((field, kernel, simulator)) => Outcome::Differs { field, kernel, simulator },
                };
                if destroy {
                    torn_down = Some(i);
                }
                Verdict { step: i, op: op_of(&s), outcome }
            }
            (Some(k), None) => Verdict { step: i, op: op_of(k), outcome: Outcome::OnlyKernel },
            (None, Some(s)) => Verdict {
                step: i,
                op: op_of(s),
                outcome: match torn_down {
                    Some(at) => Outcome::NotObservable(format!(
                        "the destroy in step {at} tore the {} down; the probe runs nothing after it",
                        match kind.family() {
                            Family::Aio | Family::Proposal => "context",
                            Family::IoUring => "ring",
                        }
                    )),
                    None => Outcome::OnlySimulator,
                },
            },
            (None, None) => unreachable!(),
        })
        .collect()
}

fn show(v: &Option<Value>) -> String {
    match v {
        Some(v) => v.to_string(),
        None => "(absent)".to_string(),
    }
}

/// One line of the report, e.g. `step 3  reap       DIFFERS at ring: kernel [3,4], simulator [3]`.
pub fn render(v: &Verdict) -> String {
    let what = match &v.outcome {
        Outcome::Match => "match".to_string(),
        Outcome::Differs { field, kernel, simulator } => {
            format!("DIFFERS at {field}: kernel {}, simulator {}", show(kernel), show(simulator))
        }
        Outcome::OnlyKernel => "DIFFERS: only the kernel has this step".to_string(),
        Outcome::OnlySimulator => "DIFFERS: only the simulator has this step".to_string(),
        Outcome::MatchObservable(why) => format!("match (result; nothing else is observable: {why})"),
        Outcome::NotObservable(why) => format!("not compared: {why}"),
    };
    format!("step {:<3} {:<10} {what}", v.step, v.op)
}

/// The header line naming what is not compared for this model kind.
pub fn ignored_note(kind: ModelKind) -> String {
    let mut s =
        format!("ignored: {}", IGNORED.iter().map(|(f, why)| format!("{f} ({why})")).collect::<Vec<_>>().join(", "));
    let hidden = unobservable_setup_fields(kind);
    if !hidden.is_empty() {
        s.push_str(&format!(
            "; not observable on a real kernel: {}",
            hidden.iter().map(|f| format!("setup.{f}")).collect::<Vec<_>>().join(", ")
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reports_the_first_differing_field_in_line_order() {
        let k = json!({"step": 2, "op": "reap", "result": 2, "head": 2, "tail": 4, "ring": [2, 3], "time_ns": 5});
        let s = json!({"step": 2, "op": "reap", "result": 2, "head": 2, "tail": 5, "ring": [2, 3, 4], "time_ns": 0});
        let d = first_difference(ModelKind::IoUring, &k, &s).expect("differs");
        assert_eq!(d, ("tail".to_string(), Some(json!(4)), Some(json!(5))));
    }

    #[test]
    fn ignores_time_error_and_unobservable_setup_fields_only() {
        let k = json!({"step": 0, "op": "setup", "result": 0, "ring_entries": 127});
        let s = json!({"step": 0, "op": "setup", "result": 0, "ring_entries": 127, "req_batch": 15,
                       "reqs_available": 126, "max_requests": 1, "error": "x"});
        assert_eq!(first_difference(ModelKind::Aio, &k, &s), None);
        // The same fields are not ignored for io_uring, nor on step lines.
        assert!(first_difference(ModelKind::IoUring, &k, &s).is_some());
        let k2 = json!({"step": 1, "op": "submit", "result": 3});
        let s2 = json!({"step": 1, "op": "submit", "result": 3, "req_batch": 15});
        assert_eq!(first_difference(ModelKind::Aio, &k2, &s2).map(|d| d.0), Some("req_batch".to_string()));
    }

    #[test]
    fn a_destroy_compares_its_result_and_what_follows_is_not_observable() {
        let setup = json!({"step": 0, "op": "setup", "result": 0});
        let sim = vec![
            setup.clone(),
            json!({"step": 1, "op": "destroy", "result": 0, "head": 0, "tail": 8, "ring": [0], "backlog": [], "flag": false}),
            json!({"step": 2, "op": "submit", "result": "EBADF", "head": 0, "tail": 8}),
        ];
        let kernel = vec![setup.clone(), json!({"step": 1, "op": "destroy", "result": 0})];
        let v = compare_runs(ModelKind::IoUring, &kernel, &sim);
        assert_eq!(v[1].outcome, Outcome::MatchObservable(teardown_note(ModelKind::IoUring)));
        assert!(matches!(&v[2].outcome, Outcome::NotObservable(why) if why.contains("step 1")), "{:?}", v[2]);
        assert!(v.iter().all(|v| !v.outcome.is_difference()));
        assert_eq!(
            render(&v[1]),
            format!(
                "step 1   destroy    match (result; nothing else is observable: {})",
                teardown_note(ModelKind::IoUring)
            )
        );
        assert!(render(&v[2]).starts_with("step 2   submit     not compared: "), "{}", render(&v[2]));
        // The result itself is still compared.
        let kernel = vec![setup.clone(), json!({"step": 1, "op": "destroy", "result": "EINVAL"})];
        let v = compare_runs(ModelKind::Aio, &kernel, &sim);
        assert!(v[1].outcome.is_difference());
        // Without a destroy, a missing kernel line is a difference.
        let sim = vec![setup.clone(), json!({"step": 1, "op": "reap"})];
        let v = compare_runs(ModelKind::Aio, std::slice::from_ref(&setup), &sim);
        assert_eq!(v[1].outcome, Outcome::OnlySimulator);
    }

    #[test]
    fn missing_lines_are_differences() {
        let a = vec![json!({"step": 0, "op": "setup", "result": 0})];
        let b = vec![json!({"step": 0, "op": "setup", "result": 0}), json!({"step": 1, "op": "submit", "result": 1})];
        let v = compare_runs(ModelKind::IoUring, &a, &b);
        assert_eq!(v[0].outcome, Outcome::Match);
        assert_eq!(v[1].outcome, Outcome::OnlySimulator);
        assert_eq!(render(&v[1]), "step 1   submit     DIFFERS: only the simulator has this step");
        let v = compare_runs(ModelKind::IoUring, &b, &a);
        assert_eq!(v[1].outcome, Outcome::OnlyKernel);
    }
}
