//! A lecturer's journeys through the lessons, driven through [`AppModel::update`] as the
//! keys and buttons drive it: pauses on their exact events, PageDown from pause to pause
//! to the reveal, reveals that notice changed settings, a lecture's path.
use super::lecture::lecture;
use super::lesson::LessonView;
use super::*;
use keys::action_for_key;
use ringlab_core::lessons::{stops, LECTURES, LESSONS};

fn open(fragment: &str) -> AppModel {
    AppModel::from_link(&decode_link(fragment))
}

fn act(s: &mut AppModel, action: Action) {
    s.update(action);
    while s.seeking() {
        s.update(Action::Tick(16.0));
    }
}

/// The presenter's clicker.
fn key(s: &mut AppModel, k: &str) {
    act(s, action_for_key(k, "BODY", false, true).expect("a shortcut"));
}

fn view(s: &AppModel) -> LessonView {
    s.screen.frame.lesson.clone().expect("a lesson")
}

fn at(s: &AppModel) -> (u64, u64) {
    (s.screen.frame.view.events, s.screen.frame.view.now_ns)
}

#[test]
fn page_down_visits_every_pause_on_its_event_then_the_reveal() {
    for (name, _) in LESSONS {
        let mut s = open(&format!("v=1&lesson={name}&paused=1&present=1"));
        let scenario = s.screen.scenario.clone();
        let lesson = scenario.lesson.clone().unwrap();
        let stops = stops(&scenario).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(stops.len(), lesson.pauses.len(), "{name}");
        assert_eq!(
            view(&s).caption(),
            Some(lesson.question.as_str()).filter(|q| !q.is_empty()),
            "{name}: the question first"
        );
        for (i, (pause, stop)) in lesson.pauses.iter().zip(&stops).enumerate() {
            key(&mut s, "PageDown");
            assert_eq!(at(&s), (stop.events, stop.at_ns), "{name}: pause {} on its stop", i + 1);
            let v = view(&s);
            assert_eq!(v.narration, Some((i + 1, pause.narration.clone())), "{name}");
            assert!(v.at_pause && v.changed.is_none(), "{name}: settled, and the lesson's own run holds");
            assert_eq!(v.caption(), Some(pause.narration.as_str()));
        }
        key(&mut s, "PageDown");
        let v = view(&s);
        assert!(v.revealed && v.at_pause, "{name}: the reveal");
        assert_eq!(
            (v.caption(), v.changed.as_deref()),
            (Some(lesson.reveal.as_str()), None),
            "{name}: the caption is the reveal"
        );
        assert_eq!(v.passed, lesson.pauses.len());
    }
}

#[test]
fn page_up_goes_back_pause_by_pause_and_the_arrows_step_single_events() {
    let mut s = open("v=1&lesson=stuck&paused=1");
    let stops = stops(&s.screen.scenario).unwrap();
    key(&mut s, "PageDown");
    key(&mut s, "PageDown");
    assert_eq!(view(&s).passed, 2);
    key(&mut s, "ArrowRight");
    assert_eq!(s.screen.frame.view.events, stops[1].events + 1, "→ is one event");
    key(&mut s, "PageUp");
    assert_eq!(at(&s), (stops[1].events, stops[1].at_ns), "back onto pause 2");
    key(&mut s, "PageUp");
    assert_eq!(at(&s), (stops[0].events, stops[0].at_ns), "then pause 1");
    key(&mut s, "PageUp");
    assert_eq!(s.screen.frame.view.events, 0, "then the start");
    assert!(view(&s).at_start);
}

#[test]
fn playing_stops_exactly_on_each_pause_event() {
    for (name, _) in LESSONS {
        let mut s = open(&format!("v=1&lesson={name}&paused=1"));
        let stops = stops(&s.screen.scenario).unwrap();
        s.update(Action::SetSpeed(6));
        for (i, stop) in stops.iter().enumerate() {
            s.update(Action::TogglePlay);
            for _ in 0..100_000 {
                s.update(Action::Tick(50.0));
                if !s.screen.playing {
                    break;
                }
            }
            assert_eq!(at(&s), (stop.events, stop.at_ns), "{name}: play stops on pause {}", i + 1);
            assert!(view(&s).at_pause);
        }
    }
}

#[test]
fn a_changed_setting_makes_the_reveal_say_what_changed_and_what_the_counters_show() {
    let mut s = open("v=1&lesson=stuck&reaper=syscall&paused=1");
    assert_eq!(s.screen.lesson_name.as_deref(), Some("stuck"));
    let written = s.screen.scenario.lesson.clone().unwrap();
    let last = written.pauses.len();
    for _ in 0..last {
        key(&mut s, "PageDown");
    }
    let v = view(&s);
    let (n, text) = v.narration.clone().unwrap();
    assert_eq!(n, last);
    assert!(v.changed.is_some() && text != written.pauses[last - 1].narration, "pause {n} notices too: {text}");
    key(&mut s, "PageDown");
    let written = written.reveal;
    let v = view(&s);
    assert!(v.revealed);
    let changed = v.changed.clone().expect("the reveal notices the changed reaper");
    assert!(changed.contains("reaper") && changed.contains("syscall"), "{changed}");
    assert_ne!(v.reveal, written, "not the lesson's claim");
    let c = &s.screen.frame.view.counters;
    assert!(v.reveal.contains(&c.reaped().to_string()), "what the counters show: {}", v.reveal);
    assert_eq!(v.caption(), Some(v.reveal.as_str()));

    // The same change made with the control, in the page.
    let mut s = open("v=1&lesson=stuck&paused=1");
    act(&mut s, Action::SetControl(controls::Control::ReaperPolicy, "syscall".into()));
    let end = s.end_ns();
    act(&mut s, Action::Seek(end));
    assert!(view(&s).changed.is_some_and(|c| c.contains("syscall")));
    // A change that keeps the claim says nothing.
    let mut s = open("v=1&lesson=stuck&seed=1&paused=1");
    let end = s.end_ns();
    act(&mut s, Action::Seek(end));
    assert_eq!(view(&s).changed, None);
}

#[test]
fn a_lecture_link_steps_through_its_lessons_in_order() {
    let l = LECTURES.first().expect("a lecture");
    let mut s = open(&format!("v=1&lecture={}&paused=1&present=1", l.name));
    assert!(s.screen.link_problems.is_empty(), "{:?}", s.screen.link_problems);
    assert_eq!(s.screen.lesson_name.as_deref(), Some(l.lessons[0]));
    let progress = view(&s).lecture.unwrap();
    assert!(progress.0.contains(&format!("lesson 1 of {}", l.lessons.len())), "{progress:?}");
    let pauses = s.screen.scenario.lesson.as_ref().unwrap().pauses.len();
    for _ in 0..=pauses {
        key(&mut s, "PageDown");
    }
    let v = view(&s);
    assert!(v.revealed);
    assert_eq!(v.next_label(), "Next lesson ▶");
    key(&mut s, "PageDown");
    assert_eq!(s.screen.lesson_name.as_deref(), Some(l.lessons[1]), "the second lesson");
    assert!(s.screen.present, "still presenting");
    let v = view(&s);
    assert!(v.at_start && !v.goal.is_empty(), "it opens at its start, with its goal");
    assert!(v.lecture.unwrap().0.contains("lesson 2 of"));
    let link = s.link();
    assert!(link.contains(&format!("lecture={}", l.name)), "{link}");
    let again = open(&link);
    assert_eq!(
        (again.screen.lesson_name.clone(), again.screen.lecture.clone()),
        (s.screen.lesson_name.clone(), s.screen.lecture.clone())
    );
    key(&mut s, "PageUp");
    assert_eq!(s.screen.lesson_name.as_deref(), Some(l.lessons[0]), "PageUp at a lesson's start: the previous lesson");
    // The picker's entry opens the lecture at its first lesson.
    let mut s = open("v=1&paused=1");
    act(&mut s, Action::ChooseScenario(Some(l.name.to_string())));
    assert_eq!(
        (s.screen.lesson_name.as_deref(), s.screen.lecture.as_ref().map(|a| a.index)),
        (Some(l.lessons[0]), Some(0))
    );
    assert!(lecture(l.name).is_some());
}

#[test]
fn the_last_lesson_of_a_lecture_starts_again() {
    let l = LECTURES.first().unwrap();
    let last = l.lessons.len() - 1;
    let mut s = open(&format!("v=1&lecture={}&lesson={}&paused=1", l.name, l.lessons[last]));
    assert_eq!(s.screen.lecture.as_ref().map(|a| a.index), Some(last));
    let end = s.end_ns();
    act(&mut s, Action::Seek(end));
    if !view(&s).revealed {
        while !s.at_end() {
            act(&mut s, Action::LessonNext);
        }
    }
    assert_eq!(view(&s).next_label(), "Start again");
    key(&mut s, "PageDown");
    assert_eq!(s.screen.lesson_name.as_deref(), Some(l.lessons[last]));
    assert_eq!(s.screen.frame.view.events, 0);
}

#[test]
fn a_lesson_that_compares_opens_with_its_lanes_on_one_clock() {
    let mut stuck = ringlab_core::lessons::lesson("stuck").unwrap();
    stuck.lesson.as_mut().unwrap().compare_reapers = vec!["libaio".into(), "ring".into()];
    let mut s = open("v=1&paused=1");
    s.open_scenario(stuck, Some("stuck".into()));
    assert_eq!(s.screen.compare_reapers, ["libaio", "ring"]);
    let lanes = |s: &AppModel| s.screen.comparison.lanes.iter().map(|l| l.label.clone()).collect::<Vec<_>>();
    assert_eq!(lanes(&s), ["libaio reaper", "ring reaper"]);
    key(&mut s, "PageDown");
    assert!(s.screen.comparison.lanes.iter().all(|l| l.view.now_ns == s.screen.frame.view.now_ns), "one clock");
    // A lesson without comparison, chosen next, drops the lanes that came with the last one;
    // lanes the user chose stay.
    act(&mut s, Action::ChooseScenario(Some("reorder".into())));
    assert!(s.screen.comparison.lanes.is_empty());
    act(&mut s, Action::SetCompare(vec!["proposal".into(), "aio".into()]));
    act(&mut s, Action::ChooseScenario(Some("timer".into())));
    assert_eq!(s.screen.compare, ["proposal", "aio"]);
    // The lessons that compare open so from their links.
    for (name, _) in LESSONS {
        let s = open(&format!("v=1&lesson={name}&paused=1"));
        let lesson = s.screen.scenario.lesson.clone().unwrap();
        assert_eq!(
            (&s.screen.compare, &s.screen.compare_reapers),
            (&lesson.compare, &lesson.compare_reapers),
            "{name}"
        );
    }
}

#[test]
fn a_changed_setting_is_checked_in_the_compared_runs_too() {
    // libaio's lesson compares the ring and libaio reapers; a timer rescues the ring reaper.
    let mut s = open("v=1&lesson=libaio&timer_ns=2000000&paused=1");
    assert_eq!(s.screen.comparison.lanes.len(), 2);
    let end = s.end_ns();
    act(&mut s, Action::Seek(end));
    let v = view(&s);
    assert!(v.changed.as_deref().is_some_and(|c| c.contains("timer")), "{:?}", v.changed);
    assert!(v.reveal.contains("in the ring run, the overflow list holds 0"), "{}", v.reveal);
}
