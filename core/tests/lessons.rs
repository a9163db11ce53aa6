//! Every scenario file loads, and every lesson's run shows what its text claims.

use ringlab_core::lessons::{self, LESSONS};
use ringlab_core::Scenario;
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
    assert!(e.contains("reveal") && e.contains("all reaped is false, expected true"), "{e}");
    // The stuck lesson with a timer: nothing stays stuck.
    let mut s = lessons::lesson("stuck").unwrap();
    if let ringlab_core::ModelSpec::Proposal(p) = &mut s.model {
        p.timer_ns = 1_000_000;
    }
    assert!(lessons::check(&s).is_err());
}
