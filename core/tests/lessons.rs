//! Every scenario file loads, and every lesson's run shows what its text claims.

use ringlab_core::lessons::{self, LESSONS};
use ringlab_core::trace::TraceKind;
use ringlab_core::{ReaperPolicy, Scenario, Sim};
use std::path::Path;

fn scenario_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            scenario_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

#[test]
fn every_scenario_file_loads() {
    let mut files = Vec::new();
    scenario_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios"), &mut files);
    assert!(files.len() >= 10, "{files:?}");
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        Scenario::from_toml_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

#[test]
fn every_lesson_file_is_built_in_and_has_its_text() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios/lessons");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path().file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut built_in: Vec<String> = LESSONS.iter().map(|(n, _)| n.to_string()).collect();
    built_in.sort();
    assert_eq!(files, built_in, "scenarios/lessons/ and lessons::LESSONS must list the same lessons");
    assert!(LESSONS.len() >= 8);
    for (name, _) in LESSONS {
        let s = lessons::lesson(name).unwrap_or_else(|| panic!("{name} does not parse"));
        let l = s.lesson.as_ref().unwrap_or_else(|| panic!("{name} has no [lesson]"));
        assert!(!s.title.is_empty() && !l.goal.is_empty() && !l.question.is_empty() && !l.reveal.is_empty(), "{name}");
        assert!(!l.pauses.is_empty(), "{name} has no pause points");
    }
}

#[test]
fn every_lesson_shows_what_it_claims() {
    for (name, _) in LESSONS {
        let s = lessons::lesson(name).unwrap();
        lessons::check(&s).unwrap_or_else(|e| panic!("lesson {name}: {e}"));
    }
}

#[test]
fn the_checks_catch_a_lesson_that_lies() {
    // The timer lesson without its timer: the stranded events are never rescued.
    let mut s = lessons::lesson("timer").unwrap();
    if let ringlab_core::ModelSpec::Proposal(p) = &mut s.model {
        p.timer_ns = 0;
    }
    let e = lessons::check(&s).unwrap_err();
    assert!(e.contains("pause 2") && e.contains("timer fires is 0, expected at least 1"), "{e}");
    // The stuck lesson with a timer: nothing stays stuck.
    let mut s = lessons::lesson("stuck").unwrap();
    if let ringlab_core::ModelSpec::Proposal(p) = &mut s.model {
        p.timer_ns = 1_000_000;
    }
    assert!(lessons::check(&s).is_err());
}

/// Runs lesson `name` to its end with another reaper policy and no other change.
fn run_with_reaper(name: &str, policy: ReaperPolicy) -> Sim {
    let mut s = lessons::lesson(name).unwrap();
    s.reaper.policy = policy;
    let mut sim = Sim::new(&s).unwrap();
    sim.run_until(sim.end_ns());
    sim
}

/// The mail's three claims, as the lessons state them about runs they do not show.
#[test]
fn the_mail_claims_hold_beside_each_lesson() {
    // `stuck`: the same run under libaio strands nothing (the mail's last paragraph).
    let libaio = run_with_reaper("stuck", ReaperPolicy::Libaio);
    let c = libaio.kernel().counters();
    assert_eq!((c.reaped(), c.submitted), (40, 40));
    assert!(libaio.kernel().overflow_list().is_empty());
    // `libaio` is that run: the stuck lesson's burst, model and seed, under libaio.
    let (stuck, lib) = (lessons::lesson("stuck").unwrap(), lessons::lesson("libaio").unwrap());
    assert_eq!((&stuck.model, &stuck.workload, stuck.seed), (&lib.model, &lib.workload, lib.seed));
    assert_eq!((stuck.reaper.policy, lib.reaper.policy), (ReaperPolicy::Ring, ReaperPolicy::Libaio));
    assert_eq!(c.overflowed, 14, "the libaio lesson says the ring overflowed 14 times");
    // `flag`: 11 syscalls (10 io_submit, 1 io_getevents) against 114 for a reaper that
    // always makes the syscall, and five stranded for one that ignores the flag.
    let flag = run_with_reaper("flag", ReaperPolicy::RingFlag);
    assert_eq!(flag.kernel().counters().syscalls, 11);
    assert_eq!(flag.kernel().counters().reaped(), 40);
    let syscall = run_with_reaper("flag", ReaperPolicy::Syscall);
    assert_eq!(syscall.kernel().counters().syscalls, 114);
    let ring = run_with_reaper("flag", ReaperPolicy::Ring);
    assert_eq!(ring.kernel().overflow_list().len(), 5);
    // `timer`: the fire at 2.303 ms and the reap at 2.4 ms that the reveal names.
    let timer = run_with_reaper("timer", ReaperPolicy::Ring);
    let fired = timer.trace().events().find(|e| matches!(e.kind, TraceKind::TimerFired { .. })).map(|e| e.at);
    assert_eq!(fired, Some(2_303_211));
}

/// The panel that quotes the mail: every quote is the mail's own words (line breaks and
/// quote markers aside) and links to a built-in lesson.
#[test]
fn every_mail_quote_is_in_the_mail_and_has_its_lesson() {
    use ringlab_core::model::proposal::MAIL_QUOTES;
    let mail = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/mail-2012.txt")).unwrap();
    let flat = |text: &str| -> String {
        let words = text.lines().map(|l| l.trim_start_matches(['>', ' '])).collect::<Vec<_>>().join(" ");
        words.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let mail = flat(&mail);
    let mut shown: Vec<&str> = Vec::new();
    for (quote, lesson) in MAIL_QUOTES {
        assert!(mail.contains(&flat(quote)), "not in the mail: {quote}");
        assert!(lessons::lesson(lesson).is_some(), "{quote}: no lesson {lesson}");
        shown.push(lesson);
    }
    for claim in ["libaio", "stuck", "timer", "flag"] {
        assert!(shown.contains(&claim), "the mail's claims each have a quote: {claim}");
    }
}
