//! What a user changed from a lesson as written, in words a reveal can show: one line per
//! changed setting, "reaper policy: ring → syscall", "timer: 2 ms → off", "ring size: 8 → 16",
//! named by the settings' field tables (`crate::spec`).

use crate::scenario::Scenario;
use crate::spec::texts;

/// One line per setting of `current` that differs from `lesson` (the lesson as written):
/// the model, its fields, the reaper, the seed, the workload's phases, the scripted steps.
pub fn setting_changes(lesson: &Scenario, current: &Scenario) -> Vec<String> {
    let mut out = Vec::new();
    let (was, now) = (&lesson.model, &current.model);
    if was.kind() != now.kind() {
        out.push(format!("model: {} → {}", was.name(), now.name()));
    } else {
        changed(&mut out, "", &was.field_texts(), &now.field_texts());
    }
    changed(&mut out, "reaper ", &texts(&lesson.reaper), &texts(&current.reaper));
    if lesson.seed != current.seed {
        out.push(format!("seed: {} → {}", lesson.seed, current.seed));
    }
    let (a, b) = (&lesson.workload.phases, &current.workload.phases);
    if a.len() != b.len() {
        out.push(format!("phases: {} → {}", a.len(), b.len()));
    }
    for (i, (p, q)) in a.iter().zip(b).enumerate() {
        let prefix = if a.len() == 1 { String::new() } else { format!("phase {} ", i + 1) };
        changed(&mut out, &prefix, &texts(p), &texts(q));
    }
    if lesson.steps != current.steps {
        out.push("the scripted steps".to_string());
    }
    out
}

/// Appends "label: old → new" for each field whose text differs (a field left out at its
/// default reads "default").
fn changed(out: &mut Vec<String>, prefix: &str, was: &[(&'static str, String)], now: &[(&'static str, String)]) {
    let mut names: Vec<&str> = was.iter().map(|(n, _)| *n).collect();
    names.extend(now.iter().map(|(n, _)| *n).filter(|n| !was.iter().any(|(m, _)| m == n)));
    let text =
        |list: &[(&'static str, String)], name: &str| list.iter().find(|(n, _)| *n == name).map(|(_, t)| t.clone());
    for name in names {
        let (a, b) = (text(was, name), text(now, name));
        if a != b {
            let show = |t: Option<String>| t.map_or("default".to_string(), |t| value(name, &t));
            out.push(format!("{prefix}{}: {} → {}", label(name), show(a), show(b)));
        }
    }
}

/// A field's name as the controls say it.
fn label(name: &str) -> String {
    match name {
        "policy" => "policy",
        "interval_ns" => "interval",
        "timer_ns" => "timer",
        "ring_entries" | "nr_events" => "ring size",
        "cq_entries" => "CQ size",
        "sq_entries" => "SQ size",
        "max_requests" => "max requests",
        "duration_ns" => "duration",
        "submit_rate" => "submit rate",
        "queue_depth" => "queue depth",
        other => return other.replace('_', " "),
    }
    .to_string()
}

/// A field's value as people read it: times in ns, µs, ms or s; the timer at 0 is "off";
/// true and false are "on" and "off".
fn value(name: &str, text: &str) -> String {
    match (name.ends_with("_ns"), text.parse::<u64>()) {
        (true, Ok(0)) if name == "timer_ns" => "off".to_string(),
        (true, Ok(ns)) => duration(ns),
        _ => match text {
            "true" => "on".to_string(),
            "false" => "off".to_string(),
            _ => text.to_string(),
        },
    }
}

/// `750 ns`, `20 µs`, `2 ms`, `1.5 s`.
pub(crate) fn duration(ns: u64) -> String {
    let (unit, scale) = match ns {
        0..1_000 => return format!("{ns} ns"),
        1_000..1_000_000 => ("µs", 1e3),
        1_000_000..1_000_000_000 => ("ms", 1e6),
        _ => ("s", 1e9),
    };
    let v = ns as f64 / scale;
    let text = format!("{v:.3}");
    format!("{} {unit}", text.trim_end_matches('0').trim_end_matches('.'))
}

#[cfg(test)]
mod tests {
    use super::duration;

    #[test]
    fn durations_read_in_the_largest_whole_unit() {
        assert_eq!(duration(750), "750 ns");
        assert_eq!(duration(20_000), "20 µs");
        assert_eq!(duration(2_000_000), "2 ms");
        assert_eq!(duration(2_303_000), "2.303 ms");
        assert_eq!(duration(1_500_000_000), "1.5 s");
    }
}
