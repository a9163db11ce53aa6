//! The app as a user drives it: journeys through [`AppModel::update`], checked on what
//! the screen would show.
use super::*;
use crate::DEFAULT_SCENARIO;

fn state() -> AppModel {
    AppModel::new(Scenario::from_toml_str(DEFAULT_SCENARIO).unwrap()).unwrap()
}

fn run(s: AppModel, actions: impl IntoIterator<Item = Action>) -> AppModel {
    actions.into_iter().fold(s, |s, a| s.reduce(a))
}

/// `update` as a function from one model to the next, as the journeys read.
trait Reduce {
    fn reduce(self, action: Action) -> Self;
}

impl Reduce for AppModel {
    fn reduce(mut self, action: Action) -> AppModel {
        self.update(action);
        self
    }
}

#[test]
fn ticks_while_paused_change_nothing() {
    let mut s = state();
    assert!(!s.update(Action::Tick(16.0)), "nothing to draw");
}

#[test]
fn playing_advances_simulated_time_by_wall_time_times_speed() {
    let s = run(state(), [Action::TogglePlay, Action::Tick(100.0)]);
    // ×1: 50 µs per second, so 100 ms of wall time is 5 µs.
    assert_eq!(s.clock.now_ns, 5_000);
    let s = run(s, [Action::Faster, Action::Faster, Action::Faster, Action::Tick(100.0)]);
    assert_eq!(s.clock.now_ns, 45_000);
}

#[test]
fn a_tick_without_an_event_moves_only_the_clock() {
    let mut s = run(state(), [Action::TogglePlay]);
    let mut quiet = 0;
    for _ in 0..200 {
        let before = s.clone();
        s = s.reduce(Action::Tick(1.0));
        assert!(s.clock.now_ns > before.clock.now_ns || s.at_end());
        if s.clock.events == before.clock.events && !s.at_end() {
            quiet += 1;
            assert!(s.screen.frame == before.screen.frame, "no event: the same frame");
        } else {
            assert!(s.screen.frame != before.screen.frame, "an event: a new frame");
            assert_eq!(s.screen.frame.view.now_ns, s.clock.now_ns);
        }
        assert_eq!(s.clock.events, s.screen.frame.view.events);
    }
    assert!(quiet > 0, "some ticks at ×1 see no event");
}

#[test]
fn playing_fast_thins_the_log_and_pausing_restores_it() {
    let mut s = run(state(), [Action::SetSpeed(MAX_SPEED), Action::TogglePlay]);
    let mut crowded = false;
    for _ in 0..50 {
        s = s.reduce(Action::Tick(16.0));
        if s.screen.frame.crowded {
            crowded = true;
            assert!(s.screen.frame.log_thinned);
            assert_eq!(s.screen.frame.log.len(), LOG_LINES_FAST);
            break;
        }
    }
    assert!(crowded, "a frame of thousands of events shows a short log");
    assert!(s.screen.fast, "and the view drops its entry animations");
    let s = s.reduce(Action::Pause);
    assert!(!s.screen.fast, "paused: animations again");
    assert!(!s.screen.frame.log_thinned && s.screen.frame.log.len() == LOG_LINES, "{}", s.screen.frame.log.len());
}

#[test]
fn playing_shows_the_lines_the_log_box_holds_and_pausing_all_of_them() {
    let mut s = run(state(), [Action::SetSpeed(4), Action::TogglePlay]);
    while s.screen.playing && s.screen.frame.view.events < 2 * LOG_LINES as u64 {
        s = s.reduce(Action::Tick(16.0));
        if s.screen.playing && s.screen.frame.view.events > 0 {
            assert!(s.screen.frame.log.len() <= LOG_LINES_PLAYING, "{}", s.screen.frame.log.len());
        }
    }
    assert!(s.screen.frame.view.events >= 2 * LOG_LINES as u64, "the run went far enough");
    let s = s.reduce(Action::Pause);
    assert_eq!(s.screen.frame.log.len(), LOG_LINES, "paused: the whole log, to scroll back");
    assert!(s.screen.readouts.log == s.screen.frame);
}

/// Each readout, and whether it shows the frame (the clock).
fn readouts_of(s: &AppModel) -> Vec<(Readout, bool)> {
    Readout::ALL.iter().map(|r| (*r, s.is_shown(*r))).collect()
}

#[test]
fn readouts_follow_in_turn_while_playing_and_are_exact_when_paused() {
    let mut s = run(state(), [Action::SetSpeed(4), Action::TogglePlay]);
    let mut behind_ms = [0.0f64; 5];
    let mut lagged = 0;
    for _ in 0..60 {
        let before = s.clone();
        s = s.reduce(Action::Tick(16.0));
        let changed = [
            s.screen.shown != before.screen.shown && s.screen.frame == before.screen.frame,
            s.screen.readouts.counters != before.screen.readouts.counters,
            s.screen.readouts.log != before.screen.readouts.log,
            s.screen.readouts.charts != before.screen.readouts.charts,
            s.screen.readouts.scrubber != before.screen.readouts.scrubber,
        ];
        assert!(changed[1..].iter().filter(|c| **c).count() <= 1, "one readout per frame at most: {changed:?}");
        for (i, (readout, exact)) in readouts_of(&s).into_iter().enumerate() {
            behind_ms[i] = if exact { 0.0 } else { behind_ms[i] + 16.0 };
            assert!(behind_ms[i] <= READOUT_MS + 16.0, "{readout:?} {} ms behind", behind_ms[i]);
            if readout != Readout::Clock {
                lagged += usize::from(!exact);
            }
        }
        if s.screen.frame != before.screen.frame {
            assert!(s.screen.shown == s.clock, "an event shows the clock with the ring");
        }
    }
    assert!(lagged > 0, "at ×16 the ring runs ahead of the counters");
    assert!(s.screen.playing, "still playing");
    let s = s.reduce(Action::Pause);
    assert!(readouts_of(&s).iter().all(|(_, exact)| *exact), "paused: every readout is exact");
    let s = s.reduce(Action::Step);
    assert!(readouts_of(&s).iter().all(|(_, exact)| *exact), "a step shows everywhere at once");
}

#[test]
fn when_the_run_ends_by_itself_the_readouts_catch_up_one_per_frame() {
    for start in [state(), open("v=1&compare=proposal,io_uring,aio&paused=1")] {
        let mut s = run(start, [Action::SetSpeed(MAX_SPEED), Action::TogglePlay]);
        while s.screen.playing {
            s = s.reduce(Action::Tick(16.0));
        }
        assert!(s.at_end());
        let behind = |s: &AppModel| {
            readouts_of(s).iter().filter(|(_, exact)| !exact).count()
                + (0..s.lanes.len()).filter(|k| !s.lane_current(*k)).count()
        };
        let left = behind(&s);
        assert!(left > 0, "the frame where it stops redraws the ring, not every readout");
        for left in (0..left).rev() {
            s = s.reduce(Action::Tick(16.0));
            assert_eq!(behind(&s), left, "one readout or compared run per frame");
        }
        assert!(s.settled());
        assert!(!s.wants_frames(), "settled: the frame loop stops");
        assert!(!s.update(Action::Tick(16.0)), "and a tick changes nothing");
    }
}

#[test]
fn a_tick_between_readout_turns_without_an_event_draws_nothing() {
    // ×1: most frames see no event, and then only every READOUT_MS the clock's figures.
    let mut s = run(state(), [Action::TogglePlay]);
    let (mut quiet, mut redrawn) = (0, 0);
    for _ in 0..300 {
        let before = s.clone();
        s = s.reduce(Action::Tick(16.0));
        assert!(s.clock.now_ns > before.clock.now_ns || s.at_end(), "the run moves on");
        if s.screen == before.screen {
            quiet += 1;
            assert!(s.screen.frame == before.screen.frame && s.screen.shown == before.screen.shown);
        } else {
            redrawn += 1;
        }
    }
    assert!(quiet > redrawn, "{quiet} frames drew nothing, {redrawn} drew something");
    assert!(redrawn > 0);
}

#[test]
fn step_back_restores_the_counters_exactly() {
    let s = run(state(), (0..30).map(|_| Action::Step));
    let before = s.screen.frame.view.counters.clone();
    let s = run(s, [Action::Step, Action::StepBack]);
    assert_eq!(s.screen.frame.view.counters, before);
    assert_eq!(s.screen.frame.view.events, 30);
}

#[test]
fn playing_to_the_end_fills_the_ring_and_a_flush_rescues_the_list() {
    let mut s = run(state(), [Action::SetSpeed(4), Action::TogglePlay]);
    let mut saw_list = false;
    for _ in 0..10_000 {
        s = s.reduce(Action::Tick(16.0));
        saw_list |= !s.screen.frame.view.overflow_list.is_empty();
        if !s.screen.playing {
            break;
        }
    }
    assert!(s.at_end(), "playback stops at the end");
    assert!(saw_list, "completions spilled onto the list");
    let c = &s.screen.frame.view.counters;
    assert!(c.flushed_total() > 0, "something brought the list back: {c:?}");
    assert!(s.screen.frame.view.ledger.holds);
    assert!(!s.screen.frame.log.is_empty() && s.screen.frame.log.len() <= LOG_LINES);
}

#[test]
fn a_rejected_control_keeps_the_run_and_says_why() {
    let s = run(state(), [Action::Step, Action::Step]);
    let s = run(s, [Action::SetControl(Control::RingEntries, "0".into())]);
    assert_eq!(s.screen.frame.view.events, 2, "the run goes on");
    assert_eq!(s.screen.error.as_ref().map(|e| e.0), Some(Control::RingEntries));
    let s = run(s, [Action::SetControl(Control::RingEntries, "4".into())]);
    assert!(s.screen.error.is_none());
    assert_eq!(s.screen.frame.view.ring.entries, 4);
    assert_eq!(s.screen.frame.view.events, 0, "a new control value resets the run");
}

#[test]
fn changing_the_model_takes_its_names() {
    let s = run(state(), [Action::SetControl(Control::Model, "io_uring".into())]);
    assert!(s.screen.error.is_none(), "{:?}", s.screen.error);
    assert_eq!(s.screen.frame.view.model, ringlab_core::ModelKind::IoUring);
    assert_eq!(s.screen.frame.view.ring.entries, 8);
    let s = run(s, [Action::SetControl(Control::Model, "aio".into())]);
    assert_eq!(s.screen.frame.view.model, ringlab_core::ModelKind::Aio);
}

#[test]
fn a_ring_at_the_kernel_limit_draws_as_64_arcs() {
    let s = run(
        state(),
        [
            Action::SetControl(Control::Model, "io_uring".into()),
            Action::SetControl(Control::RingEntries, "65536".into()),
        ],
    );
    assert_eq!(s.screen.frame.view.ring.entries, 65536);
    assert_eq!(s.screen.frame.view.ring.slots.len(), 64);
}

fn open(fragment: &str) -> AppModel {
    AppModel::from_link(&decode_link(fragment))
}

#[test]
fn a_copied_link_reopens_at_the_same_instant_with_the_same_hash() {
    let s = run(state(), (0..40).map(|_| Action::Step));
    let again = open(&s.link());
    assert_eq!(again.screen.frame.run_hash, s.screen.frame.run_hash);
    assert_eq!(again.screen.frame.view.events, 40);
    assert!(!again.screen.playing, "copied while paused, opens paused");
    assert!(again.screen.link_problems.is_empty(), "{:?}", again.screen.link_problems);
    assert_eq!(again.screen.shown, s.clock, "the page shows the link's instant");
    assert!(readouts_of(&again).iter().all(|(_, exact)| *exact), "and every readout at it");
    let playing = open(&s.link().replace("paused=1", "paused=0"));
    assert!(playing.screen.playing);
    assert!(readouts_of(&playing).iter().all(|(_, exact)| *exact), "also when it opens playing");
    // A scripted lesson in the middle of its steps (all at time 0) reopens exactly.
    let s = run(open("#v=1&lesson=reorder&paused=1"), [Action::LessonNext]);
    assert_eq!(s.screen.frame.view.events, 2);
    let again = open(&s.link());
    assert_eq!((again.screen.frame.view.events, &again.screen.frame.run_hash), (2, &s.screen.frame.run_hash));
}

#[test]
fn a_lesson_walks_its_pause_points_then_reveals() {
    let s = open("v=1&lesson=stuck&paused=1");
    let lesson = s.screen.frame.lesson.clone().expect("a lesson");
    assert!(lesson.at_start && !lesson.question.is_empty());
    assert_eq!(s.screen.lesson_name.as_deref(), Some("stuck"));
    let pauses = s.screen.scenario.lesson.clone().unwrap().pauses;
    let mut s = s;
    for (i, p) in pauses.iter().enumerate() {
        s = s.reduce(Action::LessonNext);
        let l = s.screen.frame.lesson.clone().unwrap();
        assert_eq!(l.narration, Some((i + 1, p.narration.clone())));
        p.expect.check(&s.screen.frame.view).expect("the lesson's claim holds at its pause");
    }
    s = s.reduce(Action::LessonNext);
    assert!(s.screen.frame.lesson.as_ref().unwrap().revealed);
}

#[test]
fn playing_a_lesson_stops_at_each_pause_point() {
    for name in ["stuck", "reorder"] {
        let mut s = run(open(&format!("v=1&lesson={name}&paused=1")), [Action::SetSpeed(4), Action::TogglePlay]);
        for _ in 0..100_000 {
            s = s.reduce(Action::Tick(50.0));
            if !s.screen.playing {
                break;
            }
        }
        let l = s.screen.frame.lesson.clone().unwrap();
        assert_eq!(l.passed, 1, "{name}: paused at the first pause point");
        assert!(l.narration.is_some());
        let first = &s.screen.scenario.lesson.as_ref().unwrap().pauses[0];
        first.expect.check(&s.screen.frame.view).unwrap();
    }
}

#[test]
fn a_bad_link_is_reported_and_the_app_runs() {
    for bad in
        ["v=9&model=nope", "v=1&ring_entries=-3&title=%3Cscript%3Ealert(1)%3C/script%3E", "%%%&&==", "v=1&lesson=nope"]
    {
        let s = open(bad);
        assert!(!s.screen.link_problems.is_empty(), "{bad}");
        let s = run(s, [Action::Step, Action::Step]);
        assert!(s.screen.frame.view.events > 0 || s.screen.frame.finished, "{bad}");
    }
    let s = open("v=1&title=%3Cscript%3Ex%3C/script%3E");
    assert_eq!(s.screen.base.title, "<script>x</script>", "kept as text; the view escapes it");
    let s = run(s, [Action::DismissLinkProblems]);
    assert!(s.screen.link_problems.is_empty());
}

#[test]
fn compared_models_follow_the_shared_clock() {
    let s = open("v=1&compare=proposal,io_uring,aio&paused=1");
    assert_eq!(s.screen.comparison.lanes.len(), 3);
    let s = run(s, (0..25).map(|_| Action::Step));
    for lane in &s.screen.comparison.lanes {
        assert_eq!(lane.view.now_ns, s.screen.frame.view.now_ns, "{}", lane.model);
    }
    let t = s.screen.frame.view.now_ns;
    let s = run(s, [Action::StepBack]);
    assert!(s
        .screen
        .comparison
        .lanes
        .iter()
        .all(|l| l.view.now_ns <= t && l.view.now_ns == s.screen.frame.view.now_ns));
    let s = run(s, [Action::SetCompare(vec![])]);
    assert!(s.screen.comparison.lanes.is_empty());
}

#[test]
fn playing_rebuilds_compared_runs_in_turn_with_the_readouts_and_pausing_catches_up() {
    let s = open("v=1&compare=proposal,io_uring,aio&paused=1");
    let mut s = run(s, [Action::SetSpeed(4), Action::TogglePlay]);
    let mut behind_ms = [0.0f64; 3];
    let mut lagged = false;
    for i in 0..60 {
        let before = s.clone();
        s = s.reduce(Action::Tick(16.0));
        assert!(s.screen.playing, "stopped at tick {i}");
        let rebuilt = s
            .screen
            .comparison
            .lanes
            .iter()
            .zip(&before.screen.comparison.lanes)
            .filter(|(a, b)| !std::rc::Rc::ptr_eq(&a.view, &b.view))
            .count();
        let readouts = [
            s.screen.readouts.counters != before.screen.readouts.counters,
            s.screen.readouts.log != before.screen.readouts.log,
            s.screen.readouts.charts != before.screen.readouts.charts,
            s.screen.readouts.scrubber != before.screen.readouts.scrubber,
        ];
        let turns = rebuilt + readouts.iter().filter(|r| **r).count();
        assert!(turns <= 1, "one turn per frame at most: {rebuilt} runs, readouts {readouts:?}");
        // Five readouts and three compared runs take turns every READOUT_MS / 5.
        let cycle_ms = READOUT_MS / 5.0 * 8.0;
        for (k, lane) in s.screen.comparison.lanes.iter().enumerate() {
            let current = s.lane_current(k);
            lagged |= !current;
            behind_ms[k] = if current { 0.0 } else { behind_ms[k] + 16.0 };
            assert!(behind_ms[k] <= cycle_ms + 32.0, "{} is {} ms behind", lane.model, behind_ms[k]);
        }
    }
    assert!(lagged, "while playing, the compared views lag between turns");
    let s = s.reduce(Action::Pause);
    for lane in &s.screen.comparison.lanes {
        assert_eq!(lane.view.now_ns, s.screen.frame.view.now_ns, "{}", lane.model);
    }
    assert!(s.settled());
    let s = s.reduce(Action::Step);
    assert!(s.screen.comparison.lanes.iter().all(|l| l.view.now_ns == s.screen.frame.view.now_ns));
}

#[test]
fn the_readme_examples_open_without_problems() {
    for link in [
        "#v=1&lesson=stuck&t=300000&paused=1&present=1",
        "#v=1&model=proposal&ring_entries=16&max_requests=32&flag=true&timer_ns=2000000&seed=7&t=1500000&paused=1",
    ] {
        let s = open(link);
        assert!(s.screen.link_problems.is_empty(), "{link}: {:?}", s.screen.link_problems);
    }
    let s = open("#v=1&lesson=stuck&t=300000&paused=1&present=1");
    assert_eq!(s.screen.frame.lesson.as_ref().unwrap().passed, 1);
    assert!(s.screen.present);
}

#[test]
fn a_link_opens_paused_unless_it_says_paused_0() {
    assert!(!open("").screen.playing);
    assert!(!open("v=1&t=1000").screen.playing);
    assert!(open("v=1&t=1000&paused=0").screen.playing);
    assert!(!open("v=1&paused=0&paused=1").screen.playing);
}

#[test]
fn presenter_keys_change_only_the_presentation() {
    let s = run(state(), [Action::TogglePresent, Action::ToggleBlank]);
    assert!(s.screen.present && s.screen.blank);
    let s = run(s, [Action::TogglePlay]);
    assert!(!s.screen.blank && s.screen.playing);
    let s = run(s, [Action::Pause]);
    assert!(!s.screen.playing);
    assert!(s.link().contains("present=1"));
}

#[test]
fn back_returns_to_the_instant_the_user_was_at() {
    // Paused between two events (the scrubber), then Step, then Back: the same instant.
    let s = run(state(), [Action::Seek(104_895)]);
    let at = s.clock;
    assert!(s.timeline.sim().next_event_at().is_some_and(|t| t > at.now_ns), "between two events");
    let s = run(s, [Action::Step]);
    assert!(s.clock.now_ns > at.now_ns);
    let s = run(s, [Action::StepBack]);
    assert_eq!(s.clock, at, "Back undoes the Step exactly");
    assert_eq!(s.screen.shown, at);
    // Several Steps retrace one by one; past them, Back goes to the previous event.
    let s = run(s, [Action::Step, Action::Step, Action::Step]);
    let s = run(s, [Action::StepBack, Action::StepBack, Action::StepBack]);
    assert_eq!(s.clock, at);
    let s = run(s, [Action::StepBack]);
    assert_eq!(s.clock.events, at.events - 1, "no Step to undo: the previous event");
}

/// Opens `fragment`, runs `actions`, copies the link and opens it again: the same
/// instant and the same run hash.
fn reopens_exactly(fragment: &str, actions: &[Action]) -> String {
    let s = run(open(fragment), actions.iter().cloned());
    let link = s.link();
    let again = open(&link);
    assert!(again.screen.link_problems.is_empty(), "{link}: {:?}", again.screen.link_problems);
    assert_eq!(again.clock, s.clock, "{fragment} {actions:?} → {link}");
    assert_eq!(again.screen.frame.run_hash, s.screen.frame.run_hash, "{fragment} {actions:?} → {link}");
    link
}

#[test]
fn links_reopen_exactly_through_the_first_events_of_every_lesson() {
    let lessons = ringlab_core::lessons::LESSONS.iter().map(|(n, _)| format!("v=1&lesson={n}&paused=1"));
    for fragment in std::iter::once("v=1&paused=1".to_string()).chain(lessons) {
        for steps in 0..12 {
            reopens_exactly(&fragment, &vec![Action::Step; steps]);
        }
    }
    // Step and Back from a paused instant between two events.
    reopens_exactly("v=1&t=104895&paused=1", &[Action::Step, Action::StepBack]);
    reopens_exactly("v=1&t=104895&paused=1", &[Action::Step, Action::Step, Action::StepBack]);
}

#[test]
fn links_name_only_what_differs_from_their_base() {
    // The default scenario after one step: a few dozen characters, not the whole scenario.
    let link = reopens_exactly("v=1&paused=1", &[Action::Step]);
    assert!(link.len() <= 40, "{link} ({} characters)", link.len());
    assert_eq!(link, "v=1&events=1&paused=1");
    // A lesson names itself and its instant; a changed control names that field alone.
    let link = reopens_exactly("v=1&lesson=timer&paused=1", &[Action::LessonNext]);
    let first = lessons::stops(&lessons::lesson("timer").unwrap()).unwrap()[0];
    assert_eq!(link, format!("v=1&lesson=timer&t={}&paused=1", first.at_ns));
    let link = reopens_exactly("v=1&paused=1", &[Action::SetControl(Control::RingEntries, "16".into())]);
    assert_eq!(link, "v=1&ring_entries=16&paused=1");
    let link = reopens_exactly("v=1&paused=1", &[Action::SetControl(Control::Model, "io_uring".into())]);
    assert!(link.starts_with("v=1&model=io_uring&") && link.len() < 60, "{link}");
}

#[test]
fn reaper_policies_side_by_side_show_the_mails_contrast() {
    // The stuck lesson's run under a userspace reaper and under libaio, on one clock.
    let mut s = open("v=1&lesson=stuck&compare_reapers=ring,libaio&paused=1");
    let lanes = &s.screen.comparison.lanes;
    assert_eq!(lanes.iter().map(|l| l.label.as_str()).collect::<Vec<_>>(), ["ring reaper", "libaio reaper"]);
    assert!(lanes.iter().all(|l| l.model == "proposal"));
    s.update(Action::Seek(s.end_ns()));
    while s.seeking() {
        s.update(Action::Tick(16.0));
    }
    let lanes = &s.screen.comparison.lanes;
    assert_eq!(lanes[0].view.overflow_list.len(), 5, "the userspace reaper strands five");
    assert!(lanes[1].view.overflow_list.is_empty(), "libaio, beside it, strands none");
    assert_eq!(lanes[1].view.counters.reaped(), lanes[1].view.counters.submitted);
    // The link keeps the comparison; choosing models instead replaces it.
    let link = s.link();
    assert!(link.contains("compare_reapers=ring%2Clibaio") || link.contains("compare_reapers=ring,libaio"), "{link}");
    assert_eq!(open(&link).screen.comparison.lanes.len(), 2);
    let s = run(s, [Action::SetCompare(vec!["proposal".into(), "io_uring".into()])]);
    assert!(s.screen.compare_reapers.is_empty());
    assert_eq!(s.screen.comparison.lanes[1].label, "io_uring");
    assert_eq!(lanes::toggle_reaper(&["ring".into()], "libaio"), ["libaio", "ring"]);
}
