//! Share links: the whole scenario plus the current instant as readable `key=value`
//! pairs in the URL fragment, with a version key.
//!
//! Version 1 (`v=1`), key by key:
//!
//! | key | meaning |
//! |-----|---------|
//! | `v` | link version, `1` |
//! | `lesson` | start from this lesson (file name in `scenarios/lessons/` without `.toml`) |
//! | `lecture` | the lesson is part of this lecture (`crate::lessons::LECTURES`); without `lesson`, the lecture's first |
//! | `title`, `note` | text shown with the run (always as text) |
//! | `model` | model name (`proposal`, `io_uring`, ...) |
//! | model fields | by their names in the model's field table (`crate::spec`): `ring_entries`, `max_requests`, `flag`, `timer_ns`, `admission`, `append_behind`, `drain_on_completion`, `timer_rearm`, `nr_events`, `cpus`, `submit_cpu`, `complete_cpu`, `sq_entries`, `cq_entries`, `clamp`, `submit_getevents` |
//! | `reaper`, `reap_interval_ns`, `reap_batch`, `reap_blocking` | the reaper |
//! | `seed` | random seed |
//! | `phases` | how many workload phases there are (phases beyond it are dropped) |
//! | `p<i>.name`, `p<i>.duration_ns`, `p<i>.submit_rate`, `p<i>.batch`, `p<i>.queue_depth`, `p<i>.kind`, `p<i>.latency` | workload phase `i`, by the phase's field table (latency: `fixed:NS`, `uniform:MIN:MAX`, `exponential:MEAN`, `bimodal:FAST:SLOW:FRACTION`) |
//! | `p<i>.trace`, `p<i>.trace_scale`, `p<i>.trace_loop` | phase `i` replays a built-in trace (`crate::trace_file::BUILTIN`), time-scaled (0.1 to 10), looped (`0`/`1`); without `p<i>.duration_ns` the phase lasts the trace's span. A trace loaded from a file is not carried by a link (a scenario file bundles it) |
//! | `steps` | a scripted step list: base64url of its JSON |
//! | `t` | simulated time to open at, ns |
//! | `events` | events processed at that instant (optional): opens at exactly this step, for runs with several events at one time (scripted lessons) |
//! | `paused` | `1` to open paused |
//! | `present`, `embed` | `1` for presenter or embed mode |
//! | `compare` | models to compare side by side, comma-separated |
//! | `compare_reapers` | reaper policies to compare side by side on the link's model, comma-separated; `ring/timer` or `ring/no-timer` also turns the proposal's flush timer on or off in that lane |
//! | `sweep_x`, `sweep_y`, `sweep_metric`, `sweep_models`, `sweep_threshold` | a sweep of the link's scenario (`crate::sweep`, docs/sweeps.md): axes as `FIELD:FROM:TO:STEPS[:log]`, a metric name, models comma-separated, the threshold whose crossing is drawn |
//!
//! Decoding never fails: each bad key is reported with what was used instead, and the
//! result is the nearest valid scenario.
//!
//! The functions here are `#[inline]` so that the browser build compiles this cold code
//! with the app at opt-level "z", not with the core at 3: see `crate::json`.

use crate::model::{Kernel, ModelKind, ModelSpec};
use crate::reaper::ReaperPolicy;
use crate::scenario::Scenario;
use crate::script::Script;
use crate::spec::{FieldTable, Slot};
use crate::workload::{Latency, Phase, MAX_NS, MAX_PHASES};
use serde_json::Value;
use std::fmt;

/// The current link version.
pub const VERSION: u32 = 1;
/// Longest fragment accepted.
pub const MAX_LINK_BYTES: usize = 8 * 1024;
/// Longest title or note kept.
pub const MAX_TEXT_CHARS: usize = 200;

/// Everything a link carries.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkState {
    pub scenario: Scenario,
    pub lesson: Option<String>,
    /// The lecture the lesson belongs to (`crate::lessons::LECTURES`, by name).
    pub lecture: Option<String>,
    pub note: String,
    /// Simulated time to open at, ns.
    pub time_ns: u64,
    /// Events processed at that instant, when the link names one (exact position for
    /// runs with several events at the same simulated time, e.g. scripted steps).
    pub events: Option<u64>,
    pub paused: bool,
    pub present: bool,
    pub embed: bool,
    /// Models to compare side by side (empty: no compare mode).
    pub compare: Vec<String>,
    /// Reaper policies to compare side by side on the scenario's model.
    pub compare_reapers: Vec<String>,
    /// A sweep of the scenario (`sweep_*` keys).
    pub sweep: Option<crate::sweep::SweepSpec>,
}

impl LinkState {
    #[inline]
    pub fn new(scenario: Scenario) -> LinkState {
        LinkState {
            scenario,
            lesson: None,
            lecture: None,
            note: String::new(),
            time_ns: 0,
            events: None,
            paused: false,
            present: false,
            embed: false,
            compare: Vec::new(),
            compare_reapers: Vec::new(),
            sweep: None,
        }
    }
}

/// One thing wrong with a link, and what was used instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkProblem {
    pub key: String,
    pub message: String,
    pub used_instead: String,
}

impl fmt::Display for LinkProblem {
    #[inline]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}; used {} instead", self.key, self.message, self.used_instead)
    }
}

/// A decoded link: the nearest valid state and the problems met on the way.
#[derive(Clone, Debug, PartialEq)]
pub struct Decoded {
    pub state: LinkState,
    pub problems: Vec<LinkProblem>,
    /// Whether the link has `sweep_*` keys: read into `state.sweep` by [`decode`], left
    /// unread by [`decode_without_sweep`].
    pub sweep_keys: bool,
}

#[inline]
fn parse_latency(text: &str) -> Result<Latency, String> {
    let parts: Vec<&str> = text.split(':').collect();
    let num = |s: &str| s.parse::<u64>().map_err(|_| format!("`{s}` is not a whole number of ns"));
    let latency = match parts[..] {
        ["fixed", ns] => Latency::Fixed { ns: num(ns)? },
        ["uniform", a, b] => Latency::Uniform { min_ns: num(a)?, max_ns: num(b)? },
        ["exponential", m] => Latency::Exponential { mean_ns: num(m)? },
        ["bimodal", a, b, f] => Latency::Bimodal {
            fast_ns: num(a)?,
            slow_ns: num(b)?,
            slow_fraction: crate::decimal::parse_f64(f).ok_or_else(|| format!("`{f}` is not a fraction"))?,
        },
        _ => {
            return Err("expected fixed:NS, uniform:MIN:MAX, exponential:MEAN or bimodal:FAST:SLOW:FRACTION".to_string())
        }
    };
    latency.validate().map_err(|e| e.to_string())?;
    Ok(latency)
}

/// A link value as JSON: booleans, numbers, or text.
#[inline]
fn json_value(text: &str) -> Value {
    match text {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        _ => text
            .parse::<u64>()
            .map(Value::from)
            .or_else(|_| text.parse::<i64>().map(Value::from))
            .unwrap_or_else(|_| Value::String(text.to_string())),
    }
}

#[inline]
fn flag_text(b: bool) -> &'static str {
    if b {
        "1"
    } else {
        "0"
    }
}

#[inline]
fn parse_flag(text: &str) -> Option<bool> {
    match text {
        "1" | "true" => Some(true),
        "0" | "false" => Some(false),
        _ => None,
    }
}

/// A compared lane's name: a reaper policy, optionally with `/timer` or `/no-timer`
/// (the proposal's flush timer turned on or off for that lane, on the same run).
fn is_reaper_lane(name: &str) -> bool {
    let (policy, toggle) = name.split_once('/').map_or((name, None), |(p, t)| (p, Some(t)));
    ReaperPolicy::from_name(policy).is_some() && matches!(toggle, None | Some("timer" | "no-timer"))
}

#[inline]
fn clean_text(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).take(MAX_TEXT_CHARS).collect()
}

/// Encodes a state as a fragment (without the leading `#`).
#[inline]
pub fn encode(state: &LinkState) -> String {
    let s = &state.scenario;
    let mut out = form_urlencoded::Serializer::new(String::new());
    out.append_pair("v", &VERSION.to_string());
    if let Some(lesson) = &state.lesson {
        out.append_pair("lesson", lesson);
    }
    if let Some(lecture) = &state.lecture {
        out.append_pair("lecture", lecture);
    }
    if !s.title.is_empty() {
        out.append_pair("title", &s.title);
    }
    if !state.note.is_empty() {
        out.append_pair("note", &state.note);
    }
    out.append_pair("model", s.model.name());
    let mut fields = s.model.field_texts();
    fields.sort(); // in name order, as links have always written them
    for (key, text) in fields {
        out.append_pair(key, &text);
    }
    out.append_pair("reaper", s.reaper.policy.name());
    out.append_pair("reap_interval_ns", &s.reaper.interval_ns.to_string());
    out.append_pair("reap_batch", &s.reaper.batch.to_string());
    out.append_pair("reap_blocking", flag_text(s.reaper.blocking));
    out.append_pair("seed", &s.seed.to_string());
    out.append_pair("phases", &s.workload.phases.len().to_string());
    for (i, p) in s.workload.phases.iter().enumerate() {
        for (field, text) in crate::spec::texts(p) {
            out.append_pair(&format!("p{i}.{field}"), &text);
        }
    }
    if let Some(steps) = &s.steps {
        let json = crate::json::write_steps(steps);
        out.append_pair("steps", &crate::base64url::encode(json.as_bytes()));
    }
    out.append_pair("t", &state.time_ns.to_string());
    append_instant_and_view(&mut out, state);
    out.finish()
}

/// The keys after the time, as both forms write them: the event count, paused, the
/// presentation and the comparison.
#[inline]
fn append_instant_and_view(out: &mut form_urlencoded::Serializer<String>, state: &LinkState) {
    if let Some(events) = state.events {
        out.append_pair("events", &events.to_string());
    }
    out.append_pair("paused", flag_text(state.paused));
    if state.present {
        out.append_pair("present", "1");
    }
    if state.embed {
        out.append_pair("embed", "1");
    }
    if !state.compare.is_empty() {
        out.append_pair("compare", &state.compare.join(","));
    }
    if !state.compare_reapers.is_empty() {
        out.append_pair("compare_reapers", &state.compare_reapers.join(","));
    }
    if let Some(sweep) = &state.sweep {
        for (key, value) in sweep.link_params() {
            out.append_pair(&key, &value);
        }
    }
}

/// Encodes a state naming only what differs from the scenario its reader starts from
/// (the named lesson, or `default`): a short link, readable on a slide and as a QR code.
/// It falls back to the full [`encode`] whenever the short form would not decode to
/// exactly `state`, so a short link always reopens the same run; and always with a sweep,
/// which the short form leaves out (so the check needs no sweep keys read: a bundle
/// without the sweep view carries none of their parsing).
#[inline]
pub fn encode_short(state: &LinkState, default: &Scenario, lessons: &dyn Fn(&str) -> Option<Scenario>) -> String {
    let base = state.lesson.as_deref().and_then(lessons).unwrap_or_else(|| default.clone());
    let short = short_form(state, &base);
    let reopened = decode_without_sweep(&short, default, lessons);
    if state.sweep.is_none() && reopened.problems.is_empty() && reopened.state == *state {
        short
    } else {
        encode(state)
    }
}

/// The keys of `state` that differ from `base`, in the order [`encode`] writes them.
#[inline]
fn short_form(state: &LinkState, base: &Scenario) -> String {
    let s = &state.scenario;
    let mut out = form_urlencoded::Serializer::new(String::new());
    out.append_pair("v", &VERSION.to_string());
    if let Some(lesson) = &state.lesson {
        out.append_pair("lesson", lesson);
    }
    if let Some(lecture) = &state.lecture {
        out.append_pair("lecture", lecture);
    }
    if s.title != base.title {
        out.append_pair("title", &s.title);
    }
    if !state.note.is_empty() {
        out.append_pair("note", &state.note);
    }
    // The model: its name when it changes (the reader then starts from its defaults),
    // then each field whose text differs from where the reader starts.
    let start = if s.model.kind() == base.model.kind() {
        base.model.clone()
    } else {
        out.append_pair("model", s.model.name());
        ModelSpec::default_for(s.model.kind())
    };
    let was = start.field_texts();
    let mut fields = s.model.field_texts();
    fields.sort(); // in name order, as `encode` writes them
    for (key, text) in fields {
        if !was.iter().any(|(k, t)| *k == key && *t == text) {
            out.append_pair(key, &text);
        }
    }
    let (r, b) = (&s.reaper, &base.reaper);
    if r.policy != b.policy {
        out.append_pair("reaper", r.policy.name());
    }
    if r.interval_ns != b.interval_ns {
        out.append_pair("reap_interval_ns", &r.interval_ns.to_string());
    }
    if r.batch != b.batch {
        out.append_pair("reap_batch", &r.batch.to_string());
    }
    if r.blocking != b.blocking {
        out.append_pair("reap_blocking", flag_text(r.blocking));
    }
    if s.seed != base.seed {
        out.append_pair("seed", &s.seed.to_string());
    }
    let phases = &s.workload.phases;
    if phases.len() != base.workload.phases.len() {
        out.append_pair("phases", &phases.len().to_string());
    }
    for (i, p) in phases.iter().enumerate() {
        // A phase the base lacks is written whole: the reader adds it on its first key.
        let was = base.workload.phases.get(i).map(crate::spec::texts).unwrap_or_default();
        for (field, text) in crate::spec::texts(p) {
            if !was.iter().any(|(k, t)| *k == field && *t == text) {
                out.append_pair(&format!("p{i}.{field}"), &text);
            }
        }
    }
    if let Some(steps) = s.steps.as_ref().filter(|_| s.steps != base.steps) {
        let json = crate::json::write_steps(steps);
        out.append_pair("steps", &crate::base64url::encode(json.as_bytes()));
    }
    if state.time_ns != 0 {
        out.append_pair("t", &state.time_ns.to_string());
    }
    append_instant_and_view(&mut out, state);
    out.finish()
}

struct Decoder {
    state: LinkState,
    problems: Vec<LinkProblem>,
}

impl Decoder {
    #[inline]
    fn problem(&mut self, key: &str, message: impl Into<String>, used_instead: impl Into<String>) {
        self.problems.push(LinkProblem {
            key: key.to_string(),
            message: message.into(),
            used_instead: used_instead.into(),
        });
    }

    /// Sets one field of the model, read as the JSON reader reads it (`crate::json`).
    #[inline]
    fn set_model_field(&mut self, key: &str, text: &str) {
        let current = &self.state.scenario.model;
        let previous = current.field_texts().into_iter().find(|(k, _)| *k == key).map(|(_, t)| t);
        let previous = previous.unwrap_or_else(|| "the default".into());
        let mut model = current.clone();
        let candidate = match crate::json::set_model_field(&mut model, key, &json_value(text)) {
            Ok(true) => Kernel::setup(&model).map(|_| model).map_err(|e| e.to_string()),
            Ok(false) => Err(format!("the {} model has no option `{key}`", current.name())),
            Err(e) => Err(format!("`{text}` is not a valid value ({e})")),
        };
        match candidate {
            Ok(model) => self.state.scenario.model = model,
            Err(message) => self.problem(key, message, previous),
        }
    }

    #[inline]
    fn set_phase_field(&mut self, index: usize, field: &str, key: &str, text: &str) {
        let phases = &mut self.state.scenario.workload.phases;
        if index > phases.len() || index >= MAX_PHASES {
            let n = phases.len();
            self.problem(key, format!("phase {index} does not follow the {n} before it"), "no such phase");
            return;
        }
        if index == phases.len() {
            phases.push(Phase::default());
        }
        let Some(f) = Phase::field(field) else {
            self.problem(key, format!("phases have no field `{field}`"), "nothing");
            return;
        };
        let mut phase = phases[index].clone();
        let set = |phase: &mut Phase| -> Result<(), String> {
            let int = |t: &str| t.parse::<u64>().map_err(|_| format!("`{t}` is not a whole number"));
            let u32_of = |t: &str| u32::try_from(int(t)?).map_err(|_| "too large".to_string());
            match &f.slot {
                Slot::U32(_, set) => set(phase, u32_of(text)?),
                Slot::U64(_, set) => set(phase, int(text)?),
                Slot::OptU32(_, set) => set(phase, Some(u32_of(text)?)),
                Slot::Bool(_, set) => set(phase, parse_flag(text).ok_or(format!("`{text}` is not 0 or 1"))?),
                Slot::F64(_, set) => {
                    set(phase, crate::decimal::parse_f64(text).ok_or_else(|| format!("`{text}` is not a number"))?)
                }
                Slot::Text(_, set) => set(phase, clean_text(text)),
                Slot::Choice { set, expected, .. } => {
                    if !set(phase, text) {
                        return Err(format!("`{text}` is not {expected}"));
                    }
                }
                Slot::Latency(_, set) => set(phase, parse_latency(text)?),
            }
            phase.validate().map_err(|e| e.to_string())
        };
        match set(&mut phase) {
            Ok(()) => self.state.scenario.workload.phases[index] = phase,
            Err(message) => {
                let previous = f.text(&self.state.scenario.workload.phases[index]).unwrap_or_default();
                let previous = if previous.is_empty() { "none".to_string() } else { previous };
                self.problem(key, message, previous);
            }
        }
    }

    #[inline]
    fn apply(&mut self, key: &str, text: &str) {
        let s = &mut self.state.scenario;
        match key {
            "v" | "lesson" | "model" => {} // handled first
            "sweep_x" | "sweep_y" | "sweep_metric" | "sweep_models" | "sweep_threshold" => {} // read last
            "lecture" => match crate::lessons::LECTURES.iter().find(|l| l.name == text) {
                Some(l) => self.state.lecture = Some(l.name.to_string()),
                None => self.problem("lecture", format!("there is no lecture `{}`", clean_text(text)), "no lecture"),
            },
            "title" => s.title = clean_text(text),
            "note" => self.state.note = clean_text(text),
            "reaper" => match ReaperPolicy::from_name(text) {
                Some(p) => s.reaper.policy = p,
                None => {
                    let used = s.reaper.policy.name();
                    self.problem(
                        key,
                        format!("unknown reaper policy `{text}` (libaio, ring, ring+flag, syscall)"),
                        used,
                    )
                }
            },
            "reap_interval_ns" | "reap_batch" => {
                let mut reaper = s.reaper.clone();
                let parsed = text.parse::<u64>();
                let ok = match (key, parsed) {
                    ("reap_interval_ns", Ok(v)) => {
                        reaper.interval_ns = v;
                        reaper.validate()
                    }
                    ("reap_batch", Ok(v)) => {
                        reaper.batch = u32::try_from(v).unwrap_or(u32::MAX);
                        reaper.validate()
                    }
                    _ => Err(crate::error::ConfigError::new(key, format!("`{text}` is not a whole number"))),
                };
                let used =
                    if key == "reap_batch" { s.reaper.batch.to_string() } else { s.reaper.interval_ns.to_string() };
                match ok {
                    Ok(()) => s.reaper = reaper,
                    Err(e) => self.problem(key, e.message, used),
                }
            }
            "reap_blocking" | "paused" | "present" | "embed" => match parse_flag(text) {
                Some(b) => match key {
                    "reap_blocking" => s.reaper.blocking = b,
                    "paused" => self.state.paused = b,
                    "present" => self.state.present = b,
                    _ => self.state.embed = b,
                },
                None => self.problem(key, format!("`{text}` is not 0 or 1"), "0"),
            },
            "seed" => match text.parse::<u64>() {
                Ok(seed) => s.seed = seed,
                Err(_) => {
                    let used = s.seed.to_string();
                    self.problem(key, format!("`{text}` is not a whole number from 0 to {}", u64::MAX), used)
                }
            },
            "t" => match text.parse::<u64>() {
                Ok(t) if t <= MAX_NS => self.state.time_ns = t,
                _ => self.problem(key, format!("`{text}` is not a time from 0 to {MAX_NS} ns"), "0"),
            },
            "events" => match text.parse::<u64>() {
                Ok(n) => self.state.events = Some(n),
                Err(_) => self.problem(key, format!("`{text}` is not a whole number of events"), "the time `t` alone"),
            },
            "steps" => {
                let decoded = crate::base64url::decode(text.trim_end_matches('='))
                    .ok_or_else(|| "garbled (not base64url)".to_string())
                    .and_then(|bytes| {
                        crate::json::parse(&bytes)
                            .and_then(|v| crate::json::steps(&v))
                            .map_err(|e| format!("not a step list ({e})"))
                    })
                    .and_then(|steps| {
                        Script { model: s.model.clone(), steps: steps.clone() }
                            .validate()
                            .map(|_| steps)
                            .map_err(|e| e.to_string())
                    });
                match decoded {
                    Ok(steps) => s.steps = Some(steps),
                    Err(message) => {
                        let used = if s.steps.is_some() { "the lesson's steps" } else { "the workload" };
                        self.problem(key, message, used)
                    }
                }
            }
            "phases" => match text.parse::<usize>() {
                Ok(n) if n <= MAX_PHASES => s.workload.phases.truncate(n),
                _ => {
                    let used = s.workload.phases.len().to_string();
                    self.problem(key, format!("`{text}` is not a phase count from 0 to {MAX_PHASES}"), used)
                }
            },
            "compare" => {
                let names: Vec<String> = text.split(',').map(str::to_string).collect();
                let unknown: Vec<&String> = names.iter().filter(|n| ModelKind::from_name(n).is_none()).collect();
                if !unknown.is_empty() {
                    self.problem(key, format!("unknown model `{}`", unknown[0]), "no comparison");
                } else if !(2..=4).contains(&names.len()) {
                    self.problem(key, format!("{} models; compare takes 2 to 4", names.len()), "no comparison");
                } else {
                    self.state.compare = names;
                }
            }
            "compare_reapers" => {
                let names: Vec<String> = text.split(',').map(str::to_string).collect();
                let unknown: Vec<&String> = names.iter().filter(|n| !is_reaper_lane(n)).collect();
                if let Some(bad) = unknown.first() {
                    let known = ReaperPolicy::ALL.map(|p| p.name()).join(", ");
                    self.problem(
                        key,
                        format!("unknown reaper policy `{}` ({known}; add /timer or /no-timer to toggle the proposal's flush timer)", clean_text(bad)),
                        "no comparison",
                    );
                } else if !(2..=4).contains(&names.len()) {
                    self.problem(key, format!("{} policies; compare takes 2 to 4", names.len()), "no comparison");
                } else {
                    self.state.compare_reapers = names;
                }
            }
            _ if ModelSpec::is_field_name(key) => self.set_model_field(key, text),
            _ => {
                if let Some((index, field)) = key.strip_prefix('p').and_then(|rest| rest.split_once('.')) {
                    if let Ok(index) = index.parse::<usize>() {
                        self.set_phase_field(index, field, key, text);
                        return;
                    }
                }
                self.problem(key, "unknown key", "nothing (ignored)");
            }
        }
    }
}

/// Decodes a fragment (with or without the leading `#`). `base` is the scenario used
/// when the link says nothing (the default scenario); `lessons` finds a lesson by name.
#[inline]
pub fn decode(fragment: &str, base: &Scenario, lessons: &dyn Fn(&str) -> Option<Scenario>) -> Decoded {
    read(fragment, base, lessons, true)
}

/// As [`decode`], but the sweep keys are only noticed (`sweep_keys`), not read: the app's
/// first bundle, which has no sweep view, hands such a link over to the bundle that has
/// one (and so carries none of the sweep's parsing).
pub fn decode_without_sweep(fragment: &str, base: &Scenario, lessons: &dyn Fn(&str) -> Option<Scenario>) -> Decoded {
    read(fragment, base, lessons, false)
}

fn read(fragment: &str, base: &Scenario, lessons: &dyn Fn(&str) -> Option<Scenario>, read_sweep: bool) -> Decoded {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let fragment = fragment.strip_prefix('/').unwrap_or(fragment);
    let fragment = fragment.strip_prefix('?').unwrap_or(fragment);
    let mut d = Decoder { state: LinkState::new(base.clone()), problems: Vec::new() };
    if fragment.is_empty() {
        return Decoded { state: d.state, problems: d.problems, sweep_keys: false };
    }
    if fragment.len() > MAX_LINK_BYTES {
        d.problem(
            "link",
            format!("it is {} bytes; at most {MAX_LINK_BYTES} are read", fragment.len()),
            "the default scenario",
        );
        return Decoded { state: d.state, problems: d.problems, sweep_keys: false };
    }
    let pairs: Vec<(String, String)> =
        form_urlencoded::parse(fragment.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let get = |key: &str| pairs.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    match get("v") {
        Some("1") => {}
        Some(other) => {
            d.problem("v", format!("link version `{other}` is not known (this app reads version 1)"), "version 1")
        }
        None => d.problem("v", "the link has no version", "version 1"),
    }
    if let Some(name) = get("lesson") {
        match lessons(name) {
            Some(lesson) => {
                d.state.scenario = lesson;
                d.state.lesson = Some(name.to_string());
            }
            None => d.problem("lesson", format!("there is no lesson `{}`", clean_text(name)), "the default scenario"),
        }
    }
    if let Some(kind) = get("model") {
        match ModelKind::from_name(kind) {
            Some(kind) if kind != d.state.scenario.model.kind() => {
                d.state.scenario.model = ModelSpec::default_for(kind)
            }
            Some(_) => {}
            None => {
                let used = d.state.scenario.model.name();
                d.problem(
                    "model",
                    format!("unknown model `{}` ({})", clean_text(kind), ModelKind::NAMES.join(", ")),
                    used,
                )
            }
        }
    }
    if let Some(n) = get("phases") {
        d.apply("phases", n);
    }
    // The last occurrence of a key wins; earlier ones are ignored.
    let mut applied: std::collections::HashSet<String> = ["phases".to_string()].into();
    for (i, (key, value)) in pairs.iter().enumerate() {
        let last = pairs.iter().rposition(|(k, _)| k == key) == Some(i);
        if last && applied.insert(key.clone()) {
            d.apply(key, value);
        }
    }
    // A phase the link gives a trace lasts the trace's span (duration_ns 0) unless the
    // link says how long, or the trace loops.
    for (i, p) in d.state.scenario.workload.phases.iter_mut().enumerate() {
        let given = |key: &str| applied.contains(&format!("p{i}.{key}"));
        if given("trace") && !given("duration_ns") && !p.trace.is_empty() && !p.trace_loop {
            p.duration_ns = 0;
        }
    }
    if let Err(e) = d.state.scenario.validate().and_then(|()| d.state.scenario.check_work()) {
        d.problem("link", e.to_string(), "the default scenario");
        d.state.scenario = base.clone();
    }
    // The sweep: over the scenario read so far (its model and seed are the defaults).
    let sweep_keys = pairs.iter().any(|(key, _)| key.starts_with("sweep_"));
    let s = &d.state.scenario;
    if read_sweep {
        match crate::sweep::SweepSpec::from_link_params(&pairs, s.model.kind(), s.seed) {
            Ok(sweep) => d.state.sweep = sweep,
            Err(e) => {
                let (key, message) = e.split_once(": ").unwrap_or(("sweep", e.as_str()));
                d.problem(key, message, "no sweep");
            }
        }
    }
    Decoded { state: d.state, problems: d.problems, sweep_keys }
}
