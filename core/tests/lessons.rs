//! Every scenario file loads, and every lesson's run shows what its text claims.

use ringlab_core::lessons::{self, Stop, LECTURES, LESSONS};
use ringlab_core::scenario::Expect;
use ringlab_core::trace::{FlushTrigger, TraceKind};
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
    assert!(e.contains("pause 2") && e.contains("no \"timer_fire\" event"), "{e}");
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

/// Runs `scenario` to the end of its workload.
fn run_to_end(scenario: &Scenario) -> Sim {
    let mut sim = Sim::new(scenario).unwrap();
    lessons::play_to_end(&mut sim);
    sim
}

/// The run of `scenario` after exactly `events` events.
fn after_events(scenario: &Scenario, events: u64) -> Sim {
    let mut sim = Sim::new(scenario).unwrap();
    while sim.events() < events {
        sim.step().unwrap();
    }
    sim
}

#[test]
fn a_changed_reaper_makes_the_stuck_reveal_miss_and_says_what_the_counters_show() {
    let written = lessons::lesson("stuck").unwrap();
    let mut s = written.clone();
    s.reaper.policy = ReaperPolicy::Syscall;
    let reveal = &written.lesson.as_ref().unwrap().reveal_expect;
    assert_eq!(reveal.misses(&run_to_end(&written).view()), Vec::<String>::new(), "the lesson's own run holds");
    let misses = reveal.misses(&run_to_end(&s).view());
    assert!(misses.contains(&"the overflow list holds 0, not 5".to_string()), "{misses:?}");
    assert!(misses.contains(&"every request was reaped (40 of 40)".to_string()), "{misses:?}");
    assert!(misses.contains(&"the flag is clear, not set".to_string()), "{misses:?}");
    assert_eq!(lessons::setting_changes(&written, &s), ["reaper policy: ring → syscall"]);
    assert!(lessons::check(&s).is_err());
}

#[test]
fn setting_changes_name_each_changed_setting_in_the_controls_words() {
    let timer = lessons::lesson("timer").unwrap();
    assert_eq!(lessons::setting_changes(&timer, &timer), Vec::<String>::new());
    let mut s = timer.clone();
    if let ringlab_core::ModelSpec::Proposal(p) = &mut s.model {
        p.timer_ns = 0;
        p.ring_entries = 16;
    }
    s.reaper.interval_ns = 50_000;
    s.seed = 9;
    s.workload.phases[0].queue_depth = 8;
    assert_eq!(
        lessons::setting_changes(&timer, &s),
        [
            "ring size: 8 → 16",
            "timer: 2 ms → off",
            "reaper interval: 100 µs → 50 µs",
            "seed: 1 → 9",
            "phase 1 queue depth: 32 → 8",
        ]
    );
    let mut other = timer.clone();
    other.model = ringlab_core::ModelSpec::default_for(ringlab_core::ModelKind::IoUring);
    assert_eq!(lessons::setting_changes(&timer, &other), ["model: proposal → io_uring"]);
}

#[test]
fn pauses_by_event_stop_right_after_their_event() {
    // `timer`: pause 2 is the timer's fire at 2.303 ms, the step that moved the five.
    let timer = lessons::lesson("timer").unwrap();
    let stops = lessons::stops(&timer).unwrap();
    assert_eq!(stops[1].at_ns, 2_303_211);
    let (before, at) = (after_events(&timer, stops[1].events - 1), after_events(&timer, stops[1].events));
    assert_eq!((before.kernel().counters().timer_fires, at.kernel().counters().timer_fires), (0, 1));
    assert_eq!(at.now(), stops[1].at_ns);
    // `stuck`: the first overflow, and the last completion.
    let stuck = lessons::lesson("stuck").unwrap();
    let stops = lessons::stops(&stuck).unwrap();
    let overflowed = |n| after_events(&stuck, n).kernel().counters().overflowed;
    assert_eq!((overflowed(stops[0].events - 1), overflowed(stops[0].events)), (0, 1));
    let completed = |n| after_events(&stuck, n).kernel().counters().completed;
    assert_eq!((completed(stops[1].events - 1), completed(stops[1].events)), (39, 40));
    assert_eq!(stops[2], Stop { events: 57, at_ns: 650_000 }, "a pause by clock stands between two wake-ups");
    // `flag`: the syscall that flushed the list, and `libaio`: the one after 299 µs.
    let flag = lessons::lesson("flag").unwrap();
    let flush = lessons::stops(&flag).unwrap()[2];
    assert_eq!(after_events(&flag, flush.events).kernel().counters().flushed_by(FlushTrigger::Syscall), 5);
    assert_eq!(after_events(&flag, flush.events - 1).kernel().counters().flushed_by(FlushTrigger::Syscall), 0);
    let libaio = lessons::lesson("libaio").unwrap();
    assert_eq!(lessons::stops(&libaio).unwrap()[1].at_ns, 300_000, "after_ns skips the earlier syscall flush");
    // `nth` counts from the start of the run: aio-oversize's second EAGAIN is step 2's.
    let oversize = lessons::lesson("aio-oversize").unwrap();
    assert_eq!(lessons::stops(&oversize).unwrap()[1], Stop { events: 2, at_ns: 0 });
}

#[test]
fn a_pause_whose_event_never_comes_stops_at_the_end() {
    let mut s = lessons::lesson("timer").unwrap();
    if let ringlab_core::ModelSpec::Proposal(p) = &mut s.model {
        p.timer_ns = 0;
    }
    let end = run_to_end(&s);
    assert_eq!(lessons::stops(&s).unwrap()[1], Stop { events: end.events(), at_ns: end.now() });
}

#[test]
fn pause_points_name_exactly_one_place_and_a_known_event() {
    let text = lessons::LESSONS.iter().find(|(n, _)| *n == "timer").unwrap().1;
    let both = text.replacen("at_event = \"timer_fire\"", "at_event = \"timer_fire\"\nat_ns = 5", 1);
    let e = Scenario::from_toml_str(&both).unwrap_err().to_string();
    assert!(e.contains("lesson.pauses[1]") && e.contains("exactly one of"), "{e}");
    let unknown = text.replacen("at_event = \"timer_fire\"", "at_event = \"timer_fired\"", 1);
    let e = Scenario::from_toml_str(&unknown).unwrap_err().to_string();
    assert!(e.contains("no event \"timer_fired\"") && e.contains("timer_fire"), "{e}");
    let stray = text.replacen("at_ns = 1_050_000", "at_ns = 1_050_000\nnth = 2", 1);
    assert!(Scenario::from_toml_str(&stray).unwrap_err().to_string().contains("nth and after_ns go with at_event"));
}

#[test]
fn compared_runs_are_checked_in_each_lane() {
    let four = lessons::lesson("four-models").unwrap();
    let l = four.lesson.as_ref().unwrap();
    assert_eq!(l.compare, ["aio-2012", "proposal", "io_uring-5.1", "io_uring"]);
    assert_eq!(l.reveal_expect_lanes.len(), 4, "the reveal holds in every lane");
    assert!(l.pauses.iter().all(|p| p.expect_lanes.len() == 3), "each pause checks the three other lanes");
    let mut lie = four.clone();
    let lane = lie.lesson.as_mut().unwrap().reveal_expect_lanes.get_mut("io_uring-5.1").unwrap();
    lane.dropped = Some(0);
    let e = lessons::check(&lie).unwrap_err();
    assert_eq!(e, "reveal: in the io_uring-5.1 run, dropped reads 9, not 0");
    let mut unknown = four.clone();
    unknown.lesson.as_mut().unwrap().reveal_expect_lanes.insert("aio".into(), Expect::default());
    assert!(lessons::check(&unknown).unwrap_err().contains("\"aio\", which the lesson does not compare"));
    // `libaio` opens beside the ring reaper of `stuck`, and each lane shows its claim.
    let libaio = lessons::lesson("libaio").unwrap();
    assert_eq!(libaio.lesson.as_ref().unwrap().compare_reapers, ["ring", "libaio"]);
    let mut lie = libaio.clone();
    lie.lesson.as_mut().unwrap().reveal_expect_lanes.get_mut("ring").unwrap().list_len = Some(0);
    assert!(lessons::check(&lie).unwrap_err().contains("in the ring run, the overflow list holds 5, not 0"));
}

#[test]
fn the_decoupling_lesson_shows_the_cost_of_2012_admission_against_the_proposal() {
    let coupled = lessons::lesson("aio-2012-coupled").unwrap();
    let aio = run_to_end(&coupled);
    let decoupled = lessons::lesson("decoupled").unwrap();
    let proposal = run_to_end(&decoupled);
    // The same workload, and the same seed: only the kernel differs.
    assert_eq!(
        (&coupled.workload, coupled.seed, &coupled.reaper),
        (&decoupled.workload, decoupled.seed, &decoupled.reaper)
    );
    assert_eq!((aio.kernel().counters().eagain, proposal.kernel().counters().eagain), (4, 0));
    // `decoupled`'s 2012 lane is that lesson's run.
    let lane = ringlab_core::sweep::with_model(&decoupled, ringlab_core::ModelKind::Aio2012);
    assert_eq!(lane.model, coupled.model);
}

#[test]
fn every_lecture_is_a_path_through_built_in_lessons() {
    let class = LECTURES.iter().find(|l| l.name == "class-50").expect("the 50-minute class");
    assert_eq!(class.title, "A 50-minute class");
    for lecture in LECTURES {
        assert_eq!(lecture.lessons.len(), lecture.lesson_minutes.len(), "{}", lecture.name);
        assert_eq!(lecture.lesson_minutes.iter().sum::<u32>(), lecture.minutes, "{}", lecture.name);
        for (i, name) in lecture.lessons.iter().enumerate() {
            assert!(lessons::lesson(name).is_some(), "{}: no lesson {name}", lecture.name);
            assert!(!lecture.lessons[..i].contains(name), "{}: {name} twice", lecture.name);
        }
    }
    assert!((45..=55).contains(&class.minutes));
    assert_eq!(class.lessons.first(), Some(&"aio-2012-coupled"), "the class starts where the mail starts");
    assert_eq!(class.lessons.last(), Some(&"four-models"), "and closes on the four kernels side by side");
}
