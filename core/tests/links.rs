//! Share links: round trips, frozen old links, and malformed links that must never break
//! the app (each problem named, the nearest valid scenario used).

use proptest::prelude::*;
use ringlab_core::lessons::{self, LESSONS};
use ringlab_core::link::{decode, encode, LinkState, MAX_LINK_BYTES};
use ringlab_core::{Scenario, Sim};

fn base() -> Scenario {
    lessons::default_scenario()
}

fn open(fragment: &str) -> ringlab_core::link::Decoded {
    decode(fragment, &base(), &lessons::lesson)
}

#[test]
fn every_lesson_and_the_default_round_trip() {
    let mut states = vec![LinkState::new(base())];
    for (name, _) in LESSONS {
        let mut s = LinkState::new(lessons::lesson(name).unwrap());
        s.time_ns = 123_456;
        s.paused = true;
        s.present = name.len() % 2 == 0;
        s.embed = name.len() % 3 == 0;
        s.note = format!("note for {name} <b>bold?</b>");
        states.push(s);
    }
    let mut compare = LinkState::new(base());
    compare.compare = vec!["proposal".into(), "io_uring".into(), "aio".into()];
    states.push(compare);
    for state in states {
        let link = encode(&state);
        let d = open(&format!("#{link}"));
        assert_eq!(d.problems, vec![], "{link}");
        let mut expected = state.clone();
        // Lessons travel by value, not by name: the decoded scenario carries no lesson text.
        expected.scenario.lesson = None;
        let mut got = d.state.clone();
        got.scenario.lesson = None;
        assert_eq!(got, expected, "{link}");
    }
}

#[test]
fn a_reopened_link_reproduces_the_run_hash() {
    let mut state = LinkState::new(lessons::lesson("timer").unwrap());
    state.time_ns = 1_500_000;
    let mut sim = Sim::new(&state.scenario).unwrap();
    sim.run_until(state.time_ns);
    let link = encode(&state);
    let d = open(&link);
    let mut again = Sim::new(&d.state.scenario).unwrap();
    again.run_until(d.state.time_ns);
    assert_eq!(sim.run_hash(), again.run_hash());
    // A different instant gives a different hash.
    again.run_until(d.state.time_ns + 1_000_000);
    assert_ne!(sim.run_hash(), again.run_hash());
}

/// Version 1 as first published: this exact link must keep opening the same run.
#[test]
fn frozen_v1_link_still_decodes() {
    let link = "v=1&title=Frozen&model=proposal&ring_entries=8&max_requests=32&flag=true&timer_ns=2000000\
                &admission=in_flight%2Blist&append_behind=true&drain_on_completion=true&timer_rearm=true\
                &reaper=ring%2Bflag&reap_interval_ns=100000&reap_batch=8&reap_blocking=0&seed=9\
                &p0.name=burst&p0.duration_ns=400000&p0.submit_rate=100000&p0.batch=4&p0.queue_depth=32\
                &p0.kind=io&p0.latency=uniform%3A20000%3A60000&p1.name=quiet&p1.duration_ns=10000000\
                &p1.submit_rate=0&p1.batch=1&p1.queue_depth=32&p1.kind=io&p1.latency=fixed%3A20000&t=250000&paused=1";
    let d = open(link);
    assert_eq!(d.problems, vec![]);
    let s = &d.state.scenario;
    assert_eq!(s.title, "Frozen");
    assert_eq!(s.seed, 9);
    assert_eq!(s.reaper.policy.name(), "ring+flag");
    assert_eq!(s.workload.phases.len(), 2);
    assert_eq!((d.state.time_ns, d.state.paused), (250_000, true));
    let mut sim = Sim::new(s).unwrap();
    sim.run_until(d.state.time_ns);
    assert_eq!(sim.run_hash(), "4b8df047", "the run behind a frozen link must not change");
}

#[test]
fn malformed_links_name_the_problem_and_what_was_used() {
    let cases: &[(&str, &str, &str)] = &[
        ("v=1&model=proposal&ring_entries=0", "ring_entries", "0 is out of range; allowed 2 to 65536; used 8 instead"),
        ("v=1&model=warp", "model", "unknown model `warp`"),
        ("v=1&colour=blue", "colour", "unknown key; used nothing (ignored) instead"),
        ("v=2&seed=5", "v", "link version `2` is not known"),
        ("seed=5", "v", "the link has no version"),
        ("v=1&seed=minus", "seed", "`minus` is not a whole number"),
        ("v=1&model=io_uring&sq_entries=40000", "sq_entries", "40000 is out of range"),
        ("v=1&model=io_uring&ring_entries=8", "ring_entries", "the io_uring model has no option `ring_entries`"),
        ("v=1&reaper=psychic", "reaper", "unknown reaper policy `psychic`"),
        ("v=1&p0.submit_rate=NaN", "p0.submit_rate", "NaN is out of range"),
        ("v=1&p5.batch=3", "p5.batch", "phase 5 does not follow"),
        ("v=1&p0.latency=gaussian:5", "p0.latency", "expected fixed:NS"),
        ("v=1&steps=%%%%", "steps", "garbled"),
        ("v=1&steps=bm90IGpzb24", "steps", "not a step list"),
        ("v=1&t=-4", "t", "is not a time"),
        ("v=1&paused=maybe", "paused", "is not 0 or 1"),
        ("v=1&lesson=nope", "lesson", "there is no lesson `nope`"),
        ("v=1&compare=proposal", "compare", "1 models; compare takes 2 to 4"),
    ];
    for (link, key, message) in cases {
        let d = open(link);
        let found = d.problems.iter().find(|p| p.key == *key).unwrap_or_else(|| panic!("{link}: {:?}", d.problems));
        assert!(found.to_string().contains(message), "{link}: {found}");
        d.state.scenario.validate().unwrap();
    }
    // What was valid in a partly bad link is kept.
    let d = open("v=1&model=proposal&ring_entries=0&max_requests=64&seed=77");
    assert_eq!(d.problems.len(), 1);
    assert_eq!(d.state.scenario.seed, 77);
    let ringlab_core::ModelSpec::Proposal(p) = &d.state.scenario.model else { panic!() };
    assert_eq!((p.ring_entries, p.max_requests), (8, 64));
}

#[test]
fn oversized_and_empty_links() {
    let long = format!("v=1&title={}", "x".repeat(MAX_LINK_BYTES));
    let d = open(&long);
    assert_eq!(d.problems[0].key, "link");
    assert!(d.problems[0].to_string().contains("at most 8192"));
    assert_eq!(d.state.scenario, base());
    let d = open("");
    assert!(d.problems.is_empty());
    assert_eq!(d.state.scenario, base());
}

#[test]
fn text_from_a_link_is_kept_as_plain_text() {
    let d = open("v=1&title=%3Cscript%3Ealert(1)%3C%2Fscript%3E%0A%07&note=%3Cimg%20src%3Dx%3E");
    assert_eq!(d.state.scenario.title, "<script>alert(1)</script>", "control characters are dropped, the rest is text");
    assert_eq!(d.state.note, "<img src=x>");
    let d = open(&format!("v=1&title={}", "t".repeat(500)));
    assert_eq!(d.state.scenario.title.chars().count(), 200);
}

fn valid_link() -> String {
    let mut state = LinkState::new(lessons::lesson("io_uring-backlog").unwrap());
    state.time_ns = 5;
    encode(&state) + "&" + &encode(&LinkState::new(base()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn random_fragments_never_break_the_app(fragment in ".{0,400}") {
        let d = open(&fragment);
        prop_assert!(d.state.scenario.validate().is_ok());
        prop_assert!(Sim::new(&d.state.scenario).is_ok());
    }

    #[test]
    fn random_key_values_never_break_the_app(
        pairs in prop::collection::vec(("[a-z_0-9.]{1,16}", "[ -~]{0,24}"), 0..12)
    ) {
        let fragment: String = std::iter::once("v=1".to_string())
            .chain(pairs.iter().map(|(k, v)| format!("{k}={}", v.replace('&', "%26"))))
            .collect::<Vec<_>>()
            .join("&");
        let d = open(&fragment);
        prop_assert!(Sim::new(&d.state.scenario).is_ok());
    }

    #[test]
    fn truncated_or_garbled_links_never_break_the_app(cut in 0usize..2000, flip in 0usize..2000, byte in 32u8..127) {
        let link = valid_link();
        let mut bytes = link.into_bytes();
        bytes.truncate(cut.min(bytes.len()));
        if !bytes.is_empty() {
            let i = flip % bytes.len();
            bytes[i] = byte;
        }
        let fragment = String::from_utf8_lossy(&bytes).into_owned();
        let d = open(&fragment);
        prop_assert!(Sim::new(&d.state.scenario).is_ok());
    }
}

#[test]
fn the_events_key_round_trips_and_a_bad_one_is_reported() {
    let mut state = LinkState::new(lessons::lesson("reorder").unwrap());
    state.lesson = Some("reorder".into());
    state.events = Some(2);
    state.paused = true;
    let link = encode(&state);
    assert!(link.contains("events=2"), "{link}");
    let d = open(&link);
    assert_eq!(d.problems, vec![]);
    assert_eq!(d.state.events, Some(2));
    let d = open("v=1&events=two");
    assert_eq!(d.state.events, None);
    assert_eq!(d.problems.len(), 1);
    assert_eq!(d.problems[0].key, "events");
}

/// A scenario whose work, estimated from its rates and durations, is over the ceiling
/// is refused with a message naming the fields to lower; the app opens the default.
#[test]
fn links_over_the_work_ceiling_are_refused_naming_the_fields() {
    for (fragment, names) in [
        (
            "v=1&p0.duration_ns=100000000000&p0.submit_rate=1000000000&p0.kind=nop&p0.queue_depth=1048576&t=100000000000&paused=1",
            ["p0.submit_rate", "p0.duration_ns"],
        ),
        (
            "v=1&p0.duration_ns=100000000000&p0.submit_rate=1000000000&p0.kind=nop&events=18446744073709551615&paused=1",
            ["submit_rate", "duration_ns"],
        ),
        ("v=1&reap_interval_ns=1&p0.duration_ns=100000000000&paused=1", ["reap_interval_ns", "duration_ns"]),
    ] {
        let d = open(fragment);
        let problem = d.problems.iter().find(|p| p.key == "link").unwrap_or_else(|| panic!("{fragment}: {:?}", d.problems));
        assert!(problem.message.contains("at most about 1e8 events"), "{problem}");
        for name in names {
            assert!(problem.message.contains(name), "{problem} should name {name}");
        }
        assert_eq!(d.state.scenario, base(), "the default scenario instead");
    }
    // Just under the ceiling is fine; so is every built-in scenario.
    assert!(open("v=1&p0.duration_ns=1000000000&p0.submit_rate=20000000&paused=1").problems.is_empty());
    for (name, _) in ringlab_core::lessons::LESSONS {
        ringlab_core::lessons::lesson(name).unwrap().check_work().unwrap();
    }
}

#[test]
fn a_lecture_is_a_link() {
    let mut state = LinkState::new(lessons::lesson("stuck").unwrap());
    state.lesson = Some("stuck".into());
    state.lecture = Some("class-50".into());
    let link = encode(&state);
    assert!(link.contains("lesson=stuck&lecture=class-50"), "{link}");
    let d = open(&format!("#{link}"));
    assert_eq!((d.problems, d.state.lecture.as_deref()), (vec![], Some("class-50")));
    let d = open("#v=1&lecture=class-51");
    assert_eq!(d.state.lecture, None);
    assert_eq!(d.problems.len(), 1);
    assert_eq!(
        (d.problems[0].key.as_str(), d.problems[0].message.as_str()),
        ("lecture", "there is no lecture `class-51`")
    );
}

#[test]
fn compared_reaper_lanes_may_toggle_the_timer_and_round_trip() {
    let d = open("v=1&compare_reapers=ring,ring/no-timer,ring/timer");
    assert!(d.problems.is_empty(), "{:?}", d.problems);
    assert_eq!(d.state.compare_reapers, ["ring", "ring/no-timer", "ring/timer"]);
    assert_eq!(open(&encode(&d.state)).state, d.state);
    for bad in ["ring/sometimes", "nope/timer", "ring/"] {
        let d = open(&format!("v=1&compare_reapers=libaio,{bad}"));
        assert!(d.state.compare_reapers.is_empty(), "{bad} was accepted");
        let problem = format!("{:?}", d.problems);
        assert!(problem.contains("unknown reaper policy") && problem.contains("/no-timer"), "{bad}: {problem}");
    }
}

/// The app's first bundle reads links without the sweep's keys (it hands a sweep over to
/// the bundle with the sweep view): it must still notice them, and read the rest the same.
#[test]
fn sweep_keys_are_noticed_without_being_read() {
    use ringlab_core::link::{decode_without_sweep, encode_short};
    let link = "v=1&seed=9&sweep_x=ring_entries:2:20:10&sweep_y=seed:1:3:3&sweep_models=proposal";
    let full = open(link);
    let first = decode_without_sweep(link, &base(), &lessons::lesson);
    assert!(full.sweep_keys && first.sweep_keys);
    assert!(full.state.sweep.is_some() && first.state.sweep.is_none());
    assert_eq!(first.state.scenario, full.state.scenario);
    assert_eq!(first.problems, []);
    // A bad sweep key: a problem where the sweep is read, none where it is only noticed.
    let bad = "v=1&sweep_x=ring_entries:2:20";
    assert_eq!(open(bad).problems.len(), 1);
    assert_eq!(decode_without_sweep(bad, &base(), &lessons::lesson).problems, []);
    assert!(!open("v=1&seed=9").sweep_keys);
    // A short link keeps the sweep (the short form falls back to the full one).
    let short = encode_short(&full.state, &base(), &lessons::lesson);
    assert_eq!(open(&short).state, full.state);
}
