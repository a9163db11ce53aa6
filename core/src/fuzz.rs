//! The fuzz run (issue 13, "no link, control or script can freeze ringlab"): generated
//! inputs through decoding, validation and a bounded run, checking that nothing panics
//! and that the ledger balances after every step.
//!
//! The inputs, each from its own seeded generator (so input `i` of seed `s` is the same on
//! every machine and in any order):
//!
//! - share links: the README's, each lesson's, and links [`link::encode`] and
//!   [`link::encode_short`] write for the default scenario and every lesson at a few
//!   instants, mutated: keys dropped, duplicated, swapped, renamed to other real keys (the
//!   model, reaper and phase field tables, the link's own keys), values replaced by extreme
//!   ones (huge, negative, NaN, empty, unicode, percent junk), step lists re-encoded;
//! - scripts (JSON): generated models and steps with extreme counts and times, and the
//!   kernel scripts of `scenarios/kernel/` with their numbers replaced;
//! - scenario files, TOML and JSON: the lessons and the default scenario with values
//!   and keys replaced, and generated ones.
//!
//! Each decodes as the app and the CLI decode it ([`link::decode`], [`Script::from_json`]
//! and serde without validation, [`Scenario::from_json_str`], [`Scenario::from_toml_str`]);
//! what decodes to a valid scenario runs for at most `max_events` events. The serde
//! reader and the hand-written JSON reader are compared on the same text.
//!
//! Not part of the library (it reads no clock either): the `fuzz` binary
//! (`core/src/bin/fuzz.rs`, which times each input) and the `fuzz_sample` test include it
//! by path.

use ringlab_core::link::{self, LinkState};
use ringlab_core::model::aio::AioSpec;
use ringlab_core::model::aio2012::Aio2012Spec;
use ringlab_core::model::io_uring::UringSpec;
use ringlab_core::model::proposal::ProposalSpec;
use ringlab_core::reaper::ReaperPolicy;
use ringlab_core::script::{Script, ScriptRun};
use ringlab_core::spec::FieldTable;
use ringlab_core::workload::Phase;
use ringlab_core::{lessons, Kernel, ModelKind, ReaperSpec, Scenario, Sim, Timeline};
use std::cell::RefCell;
use std::fmt::Write;
use std::panic::{self, AssertUnwindSafe};

/// A seeded generator (splitmix64).
pub struct Rng(u64);

impl Rng {
    /// The generator of input `index` of run `seed`.
    pub fn for_input(seed: u64, index: u64) -> Rng {
        let mut r = Rng(seed ^ index.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        r.next();
        Rng(r.next() ^ index)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// True with probability 1/n.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    pub fn word(&mut self, items: &[&'static str]) -> &'static str {
        items[self.below(items.len())]
    }
}

/// What an input is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Link,
    Script,
    Toml,
    Json,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Link, Kind::Script, Kind::Toml, Kind::Json];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Link => "link",
            Kind::Script => "script",
            Kind::Toml => "scenario (TOML)",
            Kind::Json => "scenario (JSON)",
        }
    }
}

/// What a field takes, read from its field table, for values a reader accepts.
#[derive(Clone, Debug)]
enum Plausible {
    /// A whole number in the range (inclusive).
    Number(u64, u64),
    Bool,
    Rate,
    Text,
    Choice(Vec<&'static str>),
    Latency,
}

/// How a value is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Syntax {
    Link,
    Json,
    Toml,
}

/// A field of a table: its name and what it takes.
#[derive(Clone, Debug)]
struct FieldInfo {
    name: &'static str,
    takes: Plausible,
}

fn fields<S: FieldTable>() -> Vec<FieldInfo> {
    use ringlab_core::spec::Slot;
    S::FIELDS
        .iter()
        .map(|f| {
            let (lo, hi) = f.range.unwrap_or((0, u32::MAX as u64));
            let takes = match &f.slot {
                Slot::U32(..) | Slot::U64(..) | Slot::OptU32(..) => Plausible::Number(lo, hi),
                Slot::Bool(..) => Plausible::Bool,
                Slot::F64(..) => Plausible::Rate,
                Slot::Text(..) => Plausible::Text,
                Slot::Choice { expected, .. } => {
                    Plausible::Choice(expected.split([',', ' ']).filter(|w| !w.is_empty() && *w != "or").collect())
                }
                Slot::Latency(..) => Plausible::Latency,
            };
            FieldInfo { name: f.name, takes }
        })
        .collect()
}

/// A value the field accepts (mostly: the setup's checks across fields have the last say).
fn plausible(rng: &mut Rng, takes: &Plausible, syntax: Syntax) -> String {
    let text = |s: &str| if syntax == Syntax::Link { s.to_string() } else { quote(s) };
    match takes {
        Plausible::Number(lo, hi) => {
            // Mostly small (log-uniform up to the top of the range), sometimes its ends.
            let v = match rng.below(6) {
                0 => *lo,
                1 => *hi,
                _ => {
                    let bits = rng.below(64 - (hi - lo).leading_zeros() as usize + 1);
                    lo + (rng.next() & ((1u64 << bits.min(63)).wrapping_sub(1))).min(hi - lo)
                }
            };
            v.to_string()
        }
        Plausible::Bool => match syntax {
            Syntax::Link => rng.word(&["0", "1", "true", "false"]).to_string(),
            _ => rng.word(&["true", "false"]).to_string(),
        },
        Plausible::Rate => {
            let r = [0.0, 1e-300, 1e-3, 1.0, 1e3, 1e5, 1e6, 3.3e6, 1e9][rng.below(9)];
            if syntax == Syntax::Link {
                format!("{r}")
            } else {
                format!("{r:.1}")
            }
        }
        Plausible::Text => text(rng.word(&["burst", "quiet", "", "phase é"])),
        Plausible::Choice(names) => text(rng.word(names)),
        Plausible::Latency => {
            let n = |rng: &mut Rng| rng.next() % 200_000;
            let (a, b) = (n(rng), n(rng));
            let (a, b) = (a.min(b), a.max(b));
            let frac = rng.word(&["0", "0.1", "0.5", "1"]);
            match syntax {
                Syntax::Link => match rng.below(4) {
                    0 => format!("fixed:{a}"),
                    1 => format!("uniform:{a}:{b}"),
                    2 => format!("exponential:{b}"),
                    _ => format!("bimodal:{a}:{b}:{frac}"),
                },
                _ => {
                    let eq = if syntax == Syntax::Toml { " =" } else { ":" };
                    match rng.below(4) {
                        0 => format!("{{\"dist\"{eq} \"fixed\", \"ns\"{eq} {a}}}"),
                        1 => format!("{{\"dist\"{eq} \"uniform\", \"min_ns\"{eq} {a}, \"max_ns\"{eq} {b}}}"),
                        2 => format!("{{\"dist\"{eq} \"exponential\", \"mean_ns\"{eq} {b}}}"),
                        _ => format!(
                            "{{\"dist\"{eq} \"bimodal\", \"fast_ns\"{eq} {a}, \"slow_ns\"{eq} {b}, \"slow_fraction\"{eq} {frac}}}"
                        ),
                    }
                }
            }
        }
    }
}

/// One generated input.
#[derive(Clone, Debug)]
pub struct Input {
    pub kind: Kind,
    pub text: String,
}

/// The real inputs the mutations start from, and the real keys and values they use.
pub struct Corpus {
    links: Vec<String>,
    scripts: Vec<String>,
    tomls: Vec<String>,
    jsons: Vec<String>,
    /// Every key a link reads (`p<i>.` keys with their field names).
    link_keys: Vec<String>,
    /// Every model field name, every phase field and every reaper field, for files.
    model_keys: Vec<&'static str>,
    phase_keys: Vec<&'static str>,
    /// Each model's fields, by model name; the phase's and the reaper's.
    model_fields: Vec<(&'static str, Vec<FieldInfo>)>,
    phase_fields: Vec<FieldInfo>,
    reaper_fields: Vec<FieldInfo>,
}

/// The README's links, and the heavy ones of issue 13.
const README_LINKS: [&str; 5] = [
    "#v=1&lesson=stuck&t=300000&paused=1&present=1",
    "#v=1&model=proposal&ring_entries=16&max_requests=32&flag=true&timer_ns=2000000&seed=7&t=1500000&paused=1",
    "#v=1&p0.duration_ns=100000000000&p0.submit_rate=1000000000&p0.kind=nop&p0.queue_depth=1048576&t=100000000000&paused=1",
    "#v=1&p0.duration_ns=100000000000&p0.submit_rate=1000000000&p0.kind=nop&events=18446744073709551615&paused=1",
    "v=1&title=Frozen&model=proposal&ring_entries=8&max_requests=32&flag=true&timer_ns=2000000\
     &admission=in_flight%2Blist&append_behind=true&drain_on_completion=true&timer_rearm=true\
     &reaper=ring%2Bflag&reap_interval_ns=100000&reap_batch=8&reap_blocking=0&seed=9\
     &p0.name=burst&p0.duration_ns=400000&p0.submit_rate=100000&p0.batch=4&p0.queue_depth=32\
     &p0.kind=io&p0.latency=uniform%3A20000%3A60000&p1.name=quiet&p1.duration_ns=10000000\
     &p1.submit_rate=0&p1.batch=1&p1.queue_depth=32&p1.kind=io&p1.latency=fixed%3A20000&t=250000&paused=1",
];

/// Kernel scripts from `scenarios/kernel/` (what the probe compares against real kernels).
const KERNEL_SCRIPTS: [&str; 10] = [
    include_str!("../../scenarios/kernel/aio-wrap.json"),
    include_str!("../../scenarios/kernel/aio-eagain.json"),
    include_str!("../../scenarios/kernel/aio-destroy.json"),
    include_str!("../../scenarios/kernel/aio-size-2147483648.json"),
    include_str!("../../scenarios/kernel/io_uring-overflow.json"),
    include_str!("../../scenarios/kernel/io_uring-destroy.json"),
    include_str!("../../scenarios/kernel/io_uring-submit-with-backlog.json"),
    include_str!("../../scenarios/kernel/io_uring-cqsize-70000-clamp.json"),
    include_str!("../../scenarios/kernel/io_uring-getevents-min.json"),
    include_str!("../../scenarios/kernel/io_uring-sq-room.json"),
];

/// Link keys that are not field-table keys.
const LINK_KEYS: [&str; 18] = [
    "v",
    "lesson",
    "title",
    "note",
    "model",
    "reaper",
    "reap_interval_ns",
    "reap_batch",
    "reap_blocking",
    "seed",
    "phases",
    "steps",
    "t",
    "events",
    "paused",
    "present",
    "embed",
    "compare",
];

fn names<S: FieldTable>() -> Vec<&'static str> {
    S::FIELDS.iter().map(|f| f.name).collect()
}

impl Corpus {
    pub fn new() -> Corpus {
        let default = lessons::default_scenario();
        let mut scenarios: Vec<(Option<&str>, Scenario)> = vec![(None, default.clone())];
        for (name, _) in lessons::LESSONS {
            scenarios.extend(lessons::lesson(name).map(|s| (Some(name), s)));
        }
        let mut links: Vec<String> = README_LINKS.iter().map(|l| l.to_string()).collect();
        for (name, scenario) in &scenarios {
            if let Some(name) = name {
                links.push(format!("#v=1&lesson={name}"));
            }
            let end = scenario.workload.duration_ns();
            for (time_ns, events) in [(0, None), (250_000, None), (end / 2, Some(3)), (end, None)] {
                let mut state = LinkState::new(scenario.clone());
                state.lesson = name.map(str::to_string);
                state.time_ns = time_ns;
                state.events = events;
                state.paused = time_ns > 0;
                links.push(link::encode(&state));
                links.push(link::encode_short(&state, &default, &lessons::lesson));
            }
            let mut compare = LinkState::new(scenario.clone());
            compare.compare = vec!["proposal".into(), "io_uring".into()];
            compare.compare_reapers = vec!["ring".into(), "libaio".into()];
            links.push(link::encode(&compare));
        }
        let mut model_keys = names::<ProposalSpec>();
        model_keys.extend(names::<AioSpec>());
        model_keys.extend(names::<Aio2012Spec>());
        model_keys.extend(names::<UringSpec>());
        model_keys.sort();
        model_keys.dedup();
        let phase_keys = names::<Phase>();
        let model_fields = ModelKind::NAMES
            .iter()
            .map(|&name| {
                let table = match name {
                    "proposal" => fields::<ProposalSpec>(),
                    "aio" => fields::<AioSpec>(),
                    "aio-2012" => fields::<Aio2012Spec>(),
                    _ => fields::<UringSpec>(),
                };
                (name, table)
            })
            .collect();
        let mut link_keys: Vec<String> = LINK_KEYS.iter().map(|k| k.to_string()).collect();
        link_keys.push("compare_reapers".into());
        link_keys.extend(model_keys.iter().map(|k| k.to_string()));
        for i in [0, 1, 2, 63] {
            link_keys.extend(phase_keys.iter().map(|f| format!("p{i}.{f}")));
        }
        let mut tomls = vec![lessons::DEFAULT_SCENARIO.to_string()];
        tomls.extend(lessons::LESSONS.iter().map(|(_, text)| text.to_string()));
        let mut jsons = vec![lessons::DEFAULT_SCENARIO_JSON.to_string()];
        jsons.extend(lessons::LESSONS_JSON.iter().map(|(_, text)| text.to_string()));
        jsons.extend(scenarios.iter().filter_map(|(_, s)| serde_json::to_string(s).ok()));
        Corpus {
            links,
            scripts: KERNEL_SCRIPTS.iter().map(|s| s.to_string()).collect(),
            tomls,
            jsons,
            link_keys,
            model_keys,
            phase_keys,
            model_fields,
            phase_fields: fields::<Phase>(),
            reaper_fields: fields::<ReaperSpec>(),
        }
    }

    /// The field named `key` in any table.
    fn field(&self, key: &str) -> Option<&FieldInfo> {
        let models = self.model_fields.iter().flat_map(|(_, f)| f.iter());
        models.chain(&self.phase_fields).chain(&self.reaper_fields).find(|f| f.name == key)
    }

    /// A value `key` accepts, or an extreme one if no table has it.
    fn value_for(&self, rng: &mut Rng, key: &str, syntax: Syntax) -> String {
        let key = key.rsplit('.').next().unwrap_or(key);
        let takes = match key {
            "reap_interval_ns" | "interval_ns" => Some(Plausible::Number(1, 1_000_000)),
            "reap_batch" => Some(Plausible::Number(1, 64)),
            "seed" | "t" | "events" => Some(Plausible::Number(0, 20_000_000)),
            "reaper" => Some(Plausible::Choice(ReaperPolicy::ALL.map(|p| p.name()).to_vec())),
            "model" => Some(Plausible::Choice(ModelKind::NAMES.to_vec())),
            "phases" => Some(Plausible::Number(0, 4)),
            "reap_blocking" | "paused" | "present" | "embed" => Some(Plausible::Bool),
            _ => self.field(key).map(|f| f.takes.clone()),
        };
        match takes {
            Some(takes) => plausible(rng, &takes, syntax),
            None if syntax == Syntax::Link => extreme(rng),
            None => json_value(rng),
        }
    }

    /// Input `index` of run `seed`.
    pub fn generate(&self, seed: u64, index: u64) -> Input {
        let mut rng = Rng::for_input(seed, index);
        let kind = match rng.below(20) {
            0..=7 => Kind::Link,
            8..=12 => Kind::Script,
            13..=16 => Kind::Toml,
            _ => Kind::Json,
        };
        let text = match kind {
            Kind::Link => self.link(&mut rng),
            Kind::Script => self.script(&mut rng),
            Kind::Toml => self.toml(&mut rng),
            Kind::Json => self.json(&mut rng),
        };
        Input { kind, text }
    }

    fn link(&self, rng: &mut Rng) -> String {
        let base = rng.pick(&self.links).clone();
        let (hash, body) = match base.strip_prefix('#') {
            Some(body) => ("#", body.to_string()),
            None => ("", base),
        };
        let mut pairs: Vec<(String, String)> = body
            .split('&')
            .map(|p| match p.split_once('=') {
                Some((k, v)) => (k.to_string(), v.to_string()),
                None => (p.to_string(), String::new()),
            })
            .collect();
        if rng.one_in(3) {
            // Mild: one key set to a value it accepts, or dropped; maybe one key added.
            let i = rng.below(pairs.len().max(1));
            match pairs.get(i).map(|(k, _)| k.clone()) {
                Some(key) if rng.below(4) != 0 => pairs[i].1 = self.value_for(rng, &key, Syntax::Link),
                Some(_) => drop(pairs.remove(i)),
                None => {}
            }
            if rng.one_in(2) {
                let key = rng.pick(&self.link_keys).clone();
                let value = self.value_for(rng, &key, Syntax::Link);
                pairs.push((key, value));
            }
            return hash.to_string() + &pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
        }
        for _ in 0..1 + rng.below(4) {
            let i = rng.below(pairs.len().max(1));
            match rng.below(12) {
                0 if !pairs.is_empty() => drop(pairs.remove(i)),
                1 if !pairs.is_empty() => pairs.push(pairs[i].clone()),
                2 if !pairs.is_empty() => {
                    let j = rng.below(pairs.len());
                    pairs.swap(i, j);
                }
                3 | 4 if !pairs.is_empty() => pairs[i].1 = extreme(rng),
                5 if !pairs.is_empty() => pairs[i].0 = rng.pick(&self.link_keys).clone(),
                6 | 7 => pairs.push((rng.pick(&self.link_keys).clone(), extreme(rng))),
                8 => {
                    let index = *rng.pick(&["0", "1", "5", "63", "64", "999999999999999999999", "-1", ""]);
                    pairs.push((format!("p{index}.{}", rng.pick(&self.phase_keys)), extreme(rng)))
                }
                9 => pairs.push(("steps".into(), steps_b64(rng))),
                10 if !pairs.is_empty() => pairs[i].1 = nudge_number(rng, &pairs[i].1),
                _ => pairs.push(("model".into(), rng.pick(&ModelKind::NAMES).to_string())),
            }
        }
        let mut text: String =
            hash.to_string() + &pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
        if rng.one_in(6) {
            text = mangle_text(rng, &text);
        }
        text
    }

    fn script(&self, rng: &mut Rng) -> String {
        if rng.one_in(3) {
            let text = rng.pick(&self.scripts).clone();
            return mutate_text(rng, &text);
        }
        let model = object(&self.model_json(rng, Syntax::Json));
        let steps = steps_json(rng);
        let text = format!("{{\"model\": {model}, \"steps\": {steps}}}");
        if rng.one_in(5) {
            mutate_text(rng, &text)
        } else {
            text
        }
    }

    fn toml(&self, rng: &mut Rng) -> String {
        if rng.one_in(3) {
            return self.generated_scenario(rng, true);
        }
        let text = rng.pick(&self.tomls).clone();
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let mutations = if rng.one_in(2) { 1 } else { 1 + rng.below(4) };
        for _ in 0..mutations {
            let i = rng.below(lines.len().max(1));
            match rng.below(8) {
                0 if !lines.is_empty() => drop(lines.remove(i)),
                1 if !lines.is_empty() => lines.insert(i, lines[i].clone()),
                2 => lines.insert(i.min(lines.len()), "[[workload.phases]]".into()),
                3 => {
                    let key = self.any_key(rng);
                    lines.insert(i.min(lines.len()), format!("{key} = {}", toml_value(rng)));
                }
                _ => {
                    // Replace the value of a `key = value` line.
                    let assigned: Vec<usize> = (0..lines.len()).filter(|&j| lines[j].contains(" = ")).collect();
                    if let Some(&j) = assigned.get(rng.below(assigned.len().max(1))) {
                        let key = lines[j].split(" = ").next().unwrap_or_default().trim().to_string();
                        let v = if rng.one_in(2) { self.value_for(rng, &key, Syntax::Toml) } else { toml_value(rng) };
                        lines[j] = format!("{key} = {v}");
                    }
                }
            }
        }
        let text = lines.join("\n");
        if rng.one_in(8) {
            mangle_text(rng, &text)
        } else {
            text
        }
    }

    fn json(&self, rng: &mut Rng) -> String {
        if rng.one_in(2) {
            let text = self.generated_scenario(rng, false);
            return if rng.one_in(4) { mutate_text(rng, &text) } else { text };
        }
        let text = rng.pick(&self.jsons).clone();
        mutate_text(rng, &text)
    }

    fn any_key(&self, rng: &mut Rng) -> &'static str {
        match rng.below(3) {
            0 => rng.word(&self.model_keys),
            1 => rng.word(&self.phase_keys),
            _ => rng.pick(&self.reaper_fields).name,
        }
    }

    /// A model as JSON: a kind and some of the fields (of any model), mostly plausible.
    fn model_json(&self, rng: &mut Rng, syntax: Syntax) -> Vec<(String, String)> {
        let (kind, table) = rng.pick(&self.model_fields);
        let kind = if rng.one_in(40) { "nonsense" } else { kind };
        let mut fields = vec![("kind".to_string(), quote(kind))];
        for _ in 0..rng.below(4) {
            if rng.one_in(6) {
                // Any model's field, any value.
                fields.push((rng.word(&self.model_keys).to_string(), value(rng, syntax == Syntax::Toml)));
            } else {
                let f = rng.pick(table);
                if !fields.iter().any(|(k, _)| k == f.name) {
                    fields.push((f.name.to_string(), plausible(rng, &f.takes, syntax)));
                }
            }
        }
        fields
    }

    /// A whole scenario, generated: TOML or JSON text.
    fn generated_scenario(&self, rng: &mut Rng, toml: bool) -> String {
        let mut top: Vec<(String, String)> = Vec::new();
        if rng.one_in(2) {
            top.push(("seed".into(), value(rng, toml)));
        }
        if rng.one_in(3) {
            top.push(("title".into(), string_value(rng, toml)));
        }
        let syntax = if toml { Syntax::Toml } else { Syntax::Json };
        let wild = rng.one_in(3); // values of any kind, or ones the fields accept
        let model = self.model_json(rng, syntax);
        let mut reaper: Vec<(String, String)> = Vec::new();
        for _ in 0..rng.below(4) {
            let f = rng.pick(&self.reaper_fields);
            let v = if wild { value(rng, toml) } else { plausible(rng, &f.takes, syntax) };
            if !reaper.iter().any(|(k, _)| k == f.name) {
                reaper.push((f.name.to_string(), v));
            }
        }
        let mut phases = Vec::new();
        let scripted = rng.one_in(4);
        for _ in 0..if scripted { rng.below(2) } else { 1 + rng.below(3) } {
            let mut phase = vec![("duration_ns".to_string(), plausible_ns(rng))];
            for _ in 0..rng.below(5) {
                let f = rng.pick(&self.phase_fields);
                let v = match f.name {
                    "latency" if wild && toml => latency_toml(rng),
                    "latency" if wild => latency_json(rng),
                    "kind" if wild => quote(rng.word(&["io", "nop", "neither"])),
                    _ if wild => value(rng, toml),
                    _ => plausible(rng, &f.takes, syntax),
                };
                if !phase.iter().any(|(k, _)| k == f.name) {
                    phase.push((f.name.to_string(), v));
                }
            }
            phases.push(phase);
        }
        let steps = scripted.then(|| steps_json(rng));
        if toml {
            let table = |out: &mut String, pairs: &[(String, String)]| {
                for (k, v) in pairs {
                    let _ = writeln!(out, "{k} = {v}");
                }
            };
            let mut out = String::new();
            table(&mut out, &top);
            if let Some(steps) = &steps {
                // JSON arrays of inline objects are TOML too, but for the `key: value` syntax.
                let _ = writeln!(out, "steps = {}", steps.replace("\":", "\" ="));
            }
            out.push_str("[model]\n");
            table(&mut out, &model);
            if !reaper.is_empty() {
                out.push_str("[reaper]\n");
                table(&mut out, &reaper);
            }
            for phase in &phases {
                out.push_str("[[workload.phases]]\n");
                table(&mut out, phase);
            }
            out
        } else {
            let mut all = top.clone();
            all.push(("model".into(), object(&model)));
            if !reaper.is_empty() {
                all.push(("reaper".into(), object(&reaper)));
            }
            let phases: Vec<String> = phases.iter().map(|p| object(p)).collect();
            all.push(("workload".into(), format!("{{\"phases\": [{}]}}", phases.join(", "))));
            if let Some(steps) = steps {
                all.push(("steps".into(), steps));
            }
            object(&all)
        }
    }
}

impl Default for Corpus {
    fn default() -> Self {
        Corpus::new()
    }
}

/// `{"k": v, …}` from pairs whose values are JSON already.
fn object(pairs: &[(String, String)]) -> String {
    let inner: Vec<String> = pairs.iter().map(|(k, v)| format!("\"{k}\": {v}")).collect();
    format!("{{{}}}", inner.join(", "))
}

fn quote(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

/// Numbers at the edges: the types' limits and their neighbours, the ranges' limits.
const EDGES: [&str; 28] = [
    "0",
    "1",
    "2",
    "7",
    "8",
    "64",
    "4096",
    "32768",
    "65536",
    "65537",
    "1048576",
    "1048577",
    "2147483648",
    "4294967295",
    "4294967296",
    "10000000000",
    "100000000000",
    "100000000001",
    "1000000000000",
    "9223372036854775807",
    "9223372036854775808",
    "18446744073709551615",
    "18446744073709551616",
    "99999999999999999999999999",
    "-1",
    "-9223372036854775808",
    "1000000000",
    "1000000001",
];

/// A value for a link: an edge number, a random number, or text that is not a number.
fn extreme(rng: &mut Rng) -> String {
    match rng.below(10) {
        0..=3 => rng.pick(&EDGES).to_string(),
        4 => rng.next().to_string(),
        5 => (rng.next() % 100_000).to_string(),
        6 => rng
            .pick(&[
                "NaN", "nan", "inf", "-inf", "1e308", "1e-308", "0.5", "-0.0", "1.5", "1e9", "", "%", "%ZZ", "%00",
                "%FF%FE", "+", "%2B", "true", "false", "null", "yes", "é", "💥", "\u{0}", "\u{202e}", "a=b", "&", "#",
                "0x10", "1_000", " 1", "1 ",
            ])
            .to_string(),
        7 => rng
            .pick(&[
                "fixed:0",
                "fixed:100000000000",
                "fixed:100000000001",
                "uniform:5:1",
                "uniform:0:18446744073709551615",
                "exponential:100000000000",
                "exponential:0",
                "bimodal:1:2:NaN",
                "bimodal:1:2:0.5",
                "bimodal:1:2:-1",
                "bimodal:0:100000000000:1",
                "fixed",
                "uniform:1",
            ])
            .to_string(),
        8 => {
            let names = ModelKind::NAMES;
            let policies = ReaperPolicy::ALL.map(|p| p.name());
            let list: Vec<&str> = (0..rng.below(6))
                .map(|_| if rng.one_in(2) { *rng.pick(&names) } else { *rng.pick(&policies) })
                .collect();
            list.join(",")
        }
        _ => "x".repeat(rng.below(300)) + &"é".repeat(rng.below(3)),
    }
}

/// A number changed a little: a digit dropped, doubled, or ones appended.
fn nudge_number(rng: &mut Rng, text: &str) -> String {
    match rng.below(4) {
        0 => text.chars().skip(1).collect(),
        1 => format!("{text}{text}"),
        2 => format!("{text}9999999999"),
        _ => format!("-{text}"),
    }
}

/// Random damage to text, at char boundaries: truncation, a char inserted or deleted.
fn mangle_text(rng: &mut Rng, text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.is_empty() {
        return "=".into();
    }
    let i = rng.below(chars.len());
    let junk = *rng.pick(&['=', '&', '%', '#', '"', '{', '}', '[', ']', ',', ':', '\n', 'é', '\u{0}', '9', '-']);
    match rng.below(3) {
        0 => chars[..i].iter().collect(),
        1 => chars[..i].iter().chain([junk].iter()).chain(chars[i..].iter()).collect(),
        _ => chars[..i].iter().chain(chars[i + 1..].iter()).collect(),
    }
}

/// Replaces numbers in the text with edge values, or mangles it.
fn mutate_text(rng: &mut Rng, text: &str) -> String {
    let mut out = text.to_string();
    for _ in 0..1 + rng.below(3) {
        if rng.one_in(5) {
            out = mangle_text(rng, &out);
            continue;
        }
        // The byte ranges of the digit runs (ASCII, so the slicing is at char boundaries).
        let bytes = out.as_bytes();
        let mut runs = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i].is_ascii_digit() {
                let start = i;
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
                runs.push((start, i));
            } else {
                i += 1;
            }
        }
        if runs.is_empty() {
            out = mangle_text(rng, &out);
            continue;
        }
        let (a, b) = *rng.pick(&runs);
        let replacement = match rng.below(4) {
            0 => "1.5".to_string(),
            1 => "\"7\"".to_string(),
            _ => rng.pick(&EDGES).to_string(),
        };
        out = format!("{}{replacement}{}", &out[..a], &out[b..]);
    }
    out
}

/// A JSON value for a field: mostly plausible numbers, sometimes extreme or mistyped.
fn json_value(rng: &mut Rng) -> String {
    match rng.below(10) {
        0..=4 => (rng.next() % [10, 100, 100_000, 10_000_000][rng.below(4)]).to_string(),
        5 | 6 => rng.pick(&EDGES).to_string(),
        7 => rng.pick(&["true", "false", "null", "1.5", "-0.0", "1e400", "[]", "{}", "\"in_flight+list\""]).to_string(),
        8 => quote(rng.word(&["in_flight+list+ring", "ring", "io", "", "é💥", "1"])),
        _ => rng.pick(&["false", "true"]).to_string(),
    }
}

/// A value for a file: JSON's, or the TOML spelling of the same (TOML integers are i64).
fn value(rng: &mut Rng, toml: bool) -> String {
    let v = json_value(rng);
    if toml {
        match v.as_str() {
            "null" => "nan".into(),
            "1e400" => "inf".into(),
            _ => v,
        }
    } else {
        v
    }
}

fn toml_value(rng: &mut Rng) -> String {
    match rng.below(8) {
        0 => latency_toml(rng),
        1 => quote(rng.word(&["proposal", "io_uring", "ring", "libaio", "nop", "io", "", "💥"])),
        _ => value(rng, true),
    }
}

fn string_value(rng: &mut Rng, _toml: bool) -> String {
    quote(&extreme(rng))
}

fn plausible_ns(rng: &mut Rng) -> String {
    match rng.below(6) {
        0 => rng.pick(&EDGES).to_string(),
        _ => (1 + rng.next() % 20_000_000).to_string(),
    }
}

fn latency_json(rng: &mut Rng) -> String {
    let n =
        |rng: &mut Rng| if rng.one_in(4) { rng.pick(&EDGES).to_string() } else { (rng.next() % 100_000).to_string() };
    match rng.below(5) {
        0 => format!("{{\"dist\": \"fixed\", \"ns\": {}}}", n(rng)),
        1 => format!("{{\"dist\": \"uniform\", \"min_ns\": {}, \"max_ns\": {}}}", n(rng), n(rng)),
        2 => format!("{{\"dist\": \"exponential\", \"mean_ns\": {}}}", n(rng)),
        3 => format!(
            "{{\"dist\": \"bimodal\", \"fast_ns\": {}, \"slow_ns\": {}, \"slow_fraction\": {}}}",
            n(rng),
            n(rng),
            rng.pick(&["0.5", "0", "1", "1.5", "-1", "1e400"])
        ),
        _ => "{\"dist\": \"pareto\"}".into(),
    }
}

fn latency_toml(rng: &mut Rng) -> String {
    latency_json(rng).replace("\":", "\" =").replace("1e400", "inf")
}

/// A JSON step list: every op, counts and times mostly small, sometimes at the limits.
fn steps_json(rng: &mut Rng) -> String {
    let count = |rng: &mut Rng| -> String {
        match rng.below(40) {
            0 => {
                rng.pick(&["1048576", "1048577", "4294967295", "4294967296", "-1", "1.5", "\"3\"", "null"]).to_string()
            }
            _ => (rng.next() % 40).to_string(),
        }
    };
    let ns = |rng: &mut Rng| -> String {
        match rng.below(6) {
            0 => rng.pick(&EDGES).to_string(),
            1 => "1000000000000".into(),
            _ => (rng.next() % 10_000_000).to_string(),
        }
    };
    let n = rng.below(25);
    let steps: Vec<String> = (0..n)
        .map(|_| match if rng.one_in(40) { 15 } else { rng.below(15) } {
            0..=3 => format!(
                "{{\"op\": \"submit\", \"n\": {}, \"kind\": \"{}\"}}",
                count(rng),
                if rng.one_in(30) { "disk" } else { rng.word(&["nop", "io", "io"]) }
            ),
            4 | 5 => format!("{{\"op\": \"complete\", \"n\": {}}}", count(rng)),
            6 | 7 => format!("{{\"op\": \"reap\", \"n\": {}}}", count(rng)),
            8 => format!("{{\"op\": \"getevents\", \"min\": {}, \"max\": {}}}", count(rng), count(rng)),
            9 => "{\"op\": \"getevents\"}".into(),
            10..=12 => format!("{{\"op\": \"advance\", \"ns\": {}}}", ns(rng)),
            13 => "{\"op\": \"fail_next_alloc\"}".into(),
            14 => "{\"op\": \"destroy\"}".into(),
            _ => rng
                .pick(&[
                    "{\"op\": \"explode\"}",
                    "{\"op\": \"submit\"}",
                    "{}",
                    "7",
                    "{\"op\": \"reap\", \"n\": 1, \"x\": 2}",
                ])
                .to_string(),
        })
        .collect();
    format!("[{}]", steps.join(", "))
}

fn steps_b64(rng: &mut Rng) -> String {
    use base64::Engine;
    let json = steps_json(rng);
    let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json);
    if rng.one_in(5) {
        mangle_text(rng, &encoded)
    } else {
        encoded
    }
}

/// What one input did.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    /// It decoded to at least one valid scenario or script, which ran.
    pub valid: bool,
    /// The panic's message, if anything panicked.
    pub panic: Option<String>,
    /// A run whose ledger did not balance: what, and when.
    pub ledger: Option<String>,
    /// Events (steps) run, over all its runs.
    pub events: u64,
    /// The serde and the hand-written JSON reader disagreed on it.
    pub disagreement: Option<String>,
    /// A link that did not reopen as the state it decoded to.
    pub round_trip: Option<String>,
}

thread_local! {
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Replaces the panic hook with one that keeps the message (and where) for [`check`],
/// silently: a panic is reported with its input, not on stderr.
pub fn quiet_panics() {
    panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(no message)".into());
        let place = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("{message}{place}")));
    }));
}

/// Decodes, validates and runs one input (at most `max_events` events per run), catching
/// any panic.
pub fn check(input: &Input, max_events: u64) -> Outcome {
    let mut outcome = Outcome::default();
    let result = panic::catch_unwind(AssertUnwindSafe(|| match input.kind {
        Kind::Link => check_link(&input.text, max_events, &mut outcome),
        Kind::Script => check_script(&input.text, max_events, &mut outcome),
        Kind::Toml => check_toml(&input.text, max_events, &mut outcome),
        Kind::Json => check_json(&input.text, max_events, &mut outcome),
    }));
    if result.is_err() {
        let message = LAST_PANIC.with(|p| p.borrow_mut().take()).unwrap_or_else(|| "a panic".into());
        outcome.panic = Some(message);
    }
    outcome
}

fn check_link(text: &str, max_events: u64, outcome: &mut Outcome) {
    let default = lessons::default_scenario();
    let decoded = link::decode(text, &default, &lessons::lesson);
    let state = &decoded.state;
    outcome.valid = decoded.problems.is_empty();
    // The app opens the link: at its event count, or at its time (bounded here).
    let mut sim = Sim::new(&state.scenario).expect("decode returns a valid scenario");
    match state.events {
        Some(events) => {
            while sim.events() < events && outcome.events < max_events && sim.step().is_some() {
                outcome.events += 1;
                ledger(&sim, "opening at the link's events", outcome);
            }
        }
        None => run_bounded(&mut sim, state.time_ns, max_events, outcome),
    }
    let _ = (sim.view(), sim.run_hash(), sim.ring_view(16));
    // Half the time, the timeline too: seek there, one back, and half way.
    if text.len().is_multiple_of(2) {
        let mut tl = Timeline::new(Sim::new(&state.scenario).expect("valid"));
        let n = tl.advance_to(state.time_ns, max_events / 4);
        outcome.events += n;
        tl.step_back();
        tl.seek_events(tl.sim().events() / 2);
        ledger(tl.sim(), "timeline seek", outcome);
    }
    // The share link of that state reopens it.
    let short = link::encode_short(state, &default, &lessons::lesson);
    let again = link::decode(&short, &default, &lessons::lesson);
    if (again.problems.is_empty(), &again.state) != (true, state) && outcome.round_trip.is_none() {
        outcome.round_trip = Some(format!("{short} → {:?}", again.problems));
    }
}

/// Steps a run towards simulated time `t` (a scripted run: to its end), at most
/// `max_events` events, checking the ledger after each.
fn run_bounded(sim: &mut Sim, t: u64, max_events: u64, outcome: &mut Outcome) {
    let mut n = 0;
    while n < max_events && sim.next_event_at().is_some_and(|at| at <= t) {
        sim.step();
        n += 1;
        ledger(sim, "a run", outcome);
    }
    outcome.events += n;
    if n < max_events {
        sim.run_until(t); // nothing is due by `t`: the clock only (and idle timer fires)
        ledger(sim, "the clock at the end", outcome);
    }
}

fn ledger(sim: &Sim, when: &str, outcome: &mut Outcome) {
    let l = sim.ledger();
    if !l.holds && outcome.ledger.is_none() {
        outcome.ledger = Some(format!("{when}, after {} events at {} ns: {l:?}", sim.events(), sim.now()));
    }
}

fn kernel_ledger(k: &Kernel, when: &str, outcome: &mut Outcome) {
    let c = k.counters();
    let held = k.in_flight() as u64 + k.ring().len() as u64 + k.overflow_list().len() as u64;
    if c.submitted != held + c.reaped() + c.dropped && outcome.ledger.is_none() {
        outcome.ledger = Some(format!("{when}: {c:?}, {held} held"));
    }
}

fn run_scenario(scenario: &Scenario, max_events: u64, outcome: &mut Outcome) {
    let mut sim = Sim::new(scenario).expect("a validated scenario sets up");
    let end = if scenario.steps.is_some() { u64::MAX } else { sim.end_ns() };
    run_bounded(&mut sim, end, max_events, outcome);
    let _ = (sim.view(), sim.run_hash());
    outcome.valid = true;
}

fn check_script(text: &str, max_events: u64, outcome: &mut Outcome) {
    // The CLI's reader (serde and the script's checks)...
    match Script::from_json(text) {
        Ok(script) => {
            run_script(&script, max_events, outcome);
            outcome.valid = true;
        }
        Err(_) => {
            // ...and a script that skipped the checks (built by hand): still bounded.
            if let Ok(script) = serde_json::from_str::<Script>(text) {
                if script.steps.len() <= 64 {
                    run_script(&script, max_events, outcome);
                }
            }
        }
    }
    // The hand-written reader reads a script as a scripted scenario.
    check_json(text, max_events, outcome);
}

fn run_script(script: &Script, max_events: u64, outcome: &mut Outcome) {
    let Ok((mut run, _)) = ScriptRun::setup(&script.model) else { return };
    for step in script.steps.iter().take(max_events as usize) {
        let line = run.run_step(step);
        let _ = serde_json::to_string(&line).expect("a step line serializes");
        outcome.events += 1;
        kernel_ledger(run.kernel(), "a script step", outcome);
    }
}

fn check_toml(text: &str, max_events: u64, outcome: &mut Outcome) {
    #[cfg(feature = "toml")]
    if let Ok(scenario) = Scenario::from_toml_str(text) {
        run_scenario(&scenario, max_events, outcome);
    }
    #[cfg(not(feature = "toml"))]
    let _ = (text, max_events, outcome);
}

fn check_json(text: &str, max_events: u64, outcome: &mut Outcome) {
    let hand = Scenario::from_json_str(text);
    if let Ok(scenario) = &hand {
        run_scenario(scenario, max_events, outcome);
    }
    // serde's derived reader, with the same checks, reads the same scenario.
    let serde =
        serde_json::from_str::<Scenario>(text).ok().filter(|s| s.validate().and_then(|()| s.check_work()).is_ok());
    match (&hand, &serde) {
        (Ok(a), Some(b)) if a != b => {
            outcome.disagreement = Some(format!("the hand reader read {a:?}, serde {b:?}"));
        }
        (Err(e), Some(_)) => {
            outcome.disagreement = Some(format!("the hand reader refused it ({e}), serde read it"));
        }
        (Ok(_), None) => outcome.disagreement = Some("the hand reader read it, serde refused it".into()),
        _ => {}
    }
}

/// The counts over a run of inputs.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// Per [`Kind::ALL`]: inputs, valid ones.
    pub inputs: [u64; 4],
    pub valid: [u64; 4],
    pub events: u64,
    /// The first few of each failure, with their input.
    pub panics: Vec<(Input, String)>,
    pub panic_count: u64,
    pub ledger_failures: Vec<(Input, String)>,
    pub ledger_count: u64,
    pub disagreements: Vec<(Input, String)>,
    pub disagreement_count: u64,
    pub round_trips: Vec<(Input, String)>,
    pub round_trip_count: u64,
}

impl Summary {
    const KEEP: usize = 5;

    pub fn add(&mut self, input: &Input, outcome: &Outcome) {
        let k = input.kind as usize;
        self.inputs[k] += 1;
        self.valid[k] += outcome.valid as u64;
        self.events += outcome.events;
        let keep = |list: &mut Vec<(Input, String)>, count: &mut u64, what: &Option<String>| {
            if let Some(what) = what {
                *count += 1;
                if list.len() < Self::KEEP {
                    list.push((input.clone(), what.clone()));
                }
            }
        };
        keep(&mut self.panics, &mut self.panic_count, &outcome.panic);
        keep(&mut self.ledger_failures, &mut self.ledger_count, &outcome.ledger);
        keep(&mut self.disagreements, &mut self.disagreement_count, &outcome.disagreement);
        keep(&mut self.round_trips, &mut self.round_trip_count, &outcome.round_trip);
    }

    pub fn merge(&mut self, other: Summary) {
        for k in 0..4 {
            self.inputs[k] += other.inputs[k];
            self.valid[k] += other.valid[k];
        }
        self.events += other.events;
        let join = |a: &mut Vec<(Input, String)>, b: Vec<(Input, String)>| {
            a.extend(b);
            a.truncate(Self::KEEP);
        };
        join(&mut self.panics, other.panics);
        join(&mut self.ledger_failures, other.ledger_failures);
        join(&mut self.disagreements, other.disagreements);
        join(&mut self.round_trips, other.round_trips);
        self.panic_count += other.panic_count;
        self.ledger_count += other.ledger_count;
        self.disagreement_count += other.disagreement_count;
        self.round_trip_count += other.round_trip_count;
    }

    pub fn total(&self) -> u64 {
        self.inputs.iter().sum()
    }

    /// The summary as text: counts by kind, then each kind of failure with examples.
    pub fn report(&self) -> String {
        let mut out = String::new();
        let total = self.total();
        let valid: u64 = self.valid.iter().sum();
        let _ = writeln!(out, "{total} inputs, {valid} valid, {} invalid, {} events run", total - valid, self.events);
        for kind in Kind::ALL {
            let (n, v) = (self.inputs[kind as usize], self.valid[kind as usize]);
            let _ = writeln!(out, "  {:<16} {n:>9} inputs {v:>9} valid {:>9} invalid", kind.name(), n - v);
        }
        let mut section = |title: &str, count: u64, list: &[(Input, String)]| {
            let _ = writeln!(out, "{title}: {count}");
            for (input, what) in list {
                let _ = writeln!(out, "  - {} input: {}\n    {what}", input.kind.name(), shorten(&input.text, 600));
            }
        };
        section("panics", self.panic_count, &self.panics);
        section("ledger failures", self.ledger_count, &self.ledger_failures);
        section("JSON readers disagreeing (serde vs hand-written)", self.disagreement_count, &self.disagreements);
        section("links that do not reopen as decoded", self.round_trip_count, &self.round_trips);
        out
    }
}

/// At most `max` chars of `text`, saying how many were left out.
pub fn shorten(text: &str, max: usize) -> String {
    let n = text.chars().count();
    if n <= max {
        text.to_string()
    } else {
        format!("{}… ({} more chars)", text.chars().take(max).collect::<String>(), n - max)
    }
}
