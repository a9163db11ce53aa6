//! The sweep view as a user meets it: a link opens it, the cells arrive in any order, the
//! exports are the CLI's table, cancel stops, a cell opens its run.

use super::wire::{Reply, Request, Runner};
use super::*;
use crate::model::controls::Control;
use crate::model::{decode_link, Action};
use ringlab_core::sweep::Table;

const LINK: &str = "sweep_x=ring_entries:2:20:10&sweep_y=seed:1:3:3&sweep_models=proposal,io_uring&sweep_threshold=0";

fn opened(link: &str) -> AppModel {
    let decoded = decode_link(link);
    let mut app = AppModel::from_link(&decoded);
    app.open_link_sweep(&decoded);
    app
}

fn sweep(app: &AppModel) -> &Sweep {
    app.screen.sweep.as_ref().expect("the sweep view is open")
}

/// What the workers would answer, for these cells of the sweep shown.
fn replies(app: &AppModel, cells: impl IntoIterator<Item = usize>) -> Vec<Reply> {
    let s = sweep(app);
    let request = Request { generation: s.generation, cells: cells.into_iter().collect(), link: s.worker_link() };
    Runner::default().run(&request.encode()).iter().map(|t| Reply::decode(t).expect("a reply")).collect()
}

fn deliver(app: &mut AppModel, replies: Vec<Reply>) {
    app.update(Action::Sweep(SweepAction::Cells(Rc::new(replies))));
}

#[test]
fn a_sweep_link_opens_the_view_running_with_nothing_in() {
    let app = opened(LINK);
    let s = sweep(&app);
    assert_eq!(s.progress(), (0, 10 * 3 * 2));
    assert!(s.running());
    assert_eq!(s.draft.x.field, "ring_entries");
    assert_eq!(s.spec.threshold, Some(0.0));
    assert_eq!(s.csv(), None, "no export before every cell is in");
    assert!(opened("seed=3").screen.sweep.is_none(), "a link without sweep keys opens no sweep");
}

#[test]
fn cells_in_any_order_make_the_cli_table() {
    let mut app = opened(LINK);
    let total = sweep(&app).progress().1;
    let mut order: Vec<usize> = (0..total).collect();
    order.reverse();
    order.swap(3, 40);
    for batch in order.chunks(7) {
        let r = replies(&app, batch.iter().copied());
        deliver(&mut app, r);
    }
    let s = sweep(&app);
    assert_eq!(s.progress(), (total, total));
    assert_eq!(s.state, RunState::Done);
    let (base, spec) = wire::job_of_link(LINK).expect("a sweep link");
    let table = Table::run(&base, &spec).expect("the sweep runs");
    assert_eq!(s.csv().as_deref(), Some(table.to_csv().as_str()));
    assert_eq!(s.json().as_deref(), Some(table.to_json().as_str()));
    assert_eq!(s.value_text(5), Some(format!("{}", table.cells[5].value)));
}

#[test]
fn a_reply_of_an_older_run_is_ignored() {
    let mut app = opened(LINK);
    let mut old = replies(&app, [0, 1]);
    app.update(Action::Sweep(SweepAction::Restart));
    deliver(&mut app, old.clone());
    assert_eq!(sweep(&app).progress().0, 0);
    old.iter_mut().for_each(|r| r.generation = sweep(&app).generation);
    deliver(&mut app, old);
    assert_eq!(sweep(&app).progress().0, 2);
}

#[test]
fn cancel_stops_taking_cells_and_restart_runs_again() {
    let mut app = opened(LINK);
    let first = replies(&app, [0, 1, 2]);
    deliver(&mut app, first);
    app.update(Action::Sweep(SweepAction::Cancel));
    assert_eq!(sweep(&app).state, RunState::Cancelled);
    let more = replies(&app, [3, 4]);
    deliver(&mut app, more);
    assert_eq!(sweep(&app).progress().0, 3, "nothing arrives after cancel");
    app.update(Action::Sweep(SweepAction::Restart));
    assert!(sweep(&app).running());
    assert_eq!(sweep(&app).progress().0, 0);
}

#[test]
fn a_bad_form_says_why_and_keeps_the_cells() {
    let mut app = opened(LINK);
    let r = replies(&app, [0]);
    deliver(&mut app, r);
    let generation = sweep(&app).generation;
    app.update(Action::Sweep(SweepAction::Edit(SweepEdit::Steps(Side::X, "100".into()))));
    let s = sweep(&app);
    assert!(s.error.as_deref().is_some_and(|e| e.contains("x axis") && e.contains("1 to 64")), "{:?}", s.error);
    assert_eq!((s.generation, s.progress().0), (generation, 1));
    app.update(Action::Sweep(SweepAction::Edit(SweepEdit::Field(Side::Y, "ring_entries".into()))));
    assert!(sweep(&app).error.as_deref().is_some_and(|e| e.contains("x axis")), "the first problem is named first");
    app.update(Action::Sweep(SweepAction::Edit(SweepEdit::Steps(Side::X, "4".into()))));
    assert!(sweep(&app).error.as_deref().is_some_and(|e| e.contains("both set ring_entries")));
    app.update(Action::Sweep(SweepAction::Edit(SweepEdit::Field(Side::Y, "batch".into()))));
    let s = sweep(&app);
    assert_eq!(s.error, None);
    assert_ne!(s.generation, generation, "a valid change starts again");
    assert_eq!(s.progress(), (0, 4 * 3 * 2));
    let generation = s.generation;
    app.update(Action::Sweep(SweepAction::Edit(SweepEdit::Threshold("0.5".into()))));
    assert_eq!(sweep(&app).generation, generation, "a new threshold redraws the boundary, runs nothing");
    assert_eq!(sweep(&app).spec.threshold, Some(0.5));
    app.update(Action::Sweep(SweepAction::Edit(SweepEdit::Threshold("lots".into()))));
    assert!(sweep(&app).error.as_deref().is_some_and(|e| e.contains("threshold")));
}

#[test]
fn models_are_one_to_four() {
    let mut app = opened(LINK);
    app.update(Action::Sweep(SweepAction::Edit(SweepEdit::Model("proposal".into(), false))));
    app.update(Action::Sweep(SweepAction::Edit(SweepEdit::Model("io_uring".into(), false))));
    assert!(sweep(&app).error.as_deref().is_some_and(|e| e.contains("1 to 4")));
    app.update(Action::Sweep(SweepAction::Edit(SweepEdit::Model("aio".into(), true))));
    assert_eq!(sweep(&app).spec.models, vec![ModelKind::Aio]);
}

#[test]
fn the_boundary_separates_overflowing_rings_from_big_enough_ones() {
    let mut app = opened(LINK);
    let total = sweep(&app).progress().1;
    let r = replies(&app, 0..total);
    deliver(&mut app, r);
    let s = sweep(&app);
    let boundary = s.boundary();
    assert_eq!(boundary.len(), 2);
    let proposal = &boundary[0];
    assert!(!proposal.edges.is_empty(), "small rings overflow, big ones do not");
    // Seed 1 (the first row): the proposal needs 14 entries (the lesson's reveal).
    let xs = s.spec.x.values();
    let from = proposal.good_from_x[0].expect("a big enough ring in the row");
    assert!(xs[from as usize] >= 14.0 && xs[from as usize - 1] < 14.0, "{xs:?} from {from}");
    let (lo, hi) = s.legend().expect("cells are in");
    assert_eq!(lo, 0.0);
    assert!(hi > 0.5, "a 2-entry ring overflows most completions: {hi}");
}

#[test]
fn hover_and_focus_say_the_exact_value_with_its_unit() {
    let mut app = opened(LINK);
    assert!(sweep(&app).describe(0).contains("not computed yet"));
    let r = replies(&app, [0]);
    deliver(&mut app, r);
    let s = sweep(&app);
    let text = s.describe(0);
    assert_eq!(text, format!("proposal, ring_entries 2, seed 1: overflow_share = {} share", s.value_text(0).unwrap()));
}

#[test]
fn arrows_move_the_focus_within_a_grid() {
    let mut app = opened(LINK);
    let s = sweep(&app);
    assert_eq!(s.focus_after("ArrowLeft"), None, "the left edge");
    assert_eq!(s.focus_after("ArrowDown"), None, "the bottom edge");
    assert_eq!(s.focus_after("ArrowRight"), Some(1));
    assert_eq!(s.focus_after("ArrowUp"), Some(10));
    assert_eq!(s.focus_after("End"), Some(29));
    app.update(Action::Sweep(SweepAction::Focus(39)));
    let s = sweep(&app);
    assert_eq!(s.spec.cell_at(39), (1, 9, 0));
    assert_eq!(s.focus_after("ArrowRight"), None, "the right edge of the second model's grid");
    assert_eq!(s.focus_after("Home"), Some(30), "its own grid's first cell");
}

#[test]
fn opening_a_cell_runs_it_in_the_main_view() {
    let mut app = opened(LINK);
    let cell = sweep(&app).spec.index_of(1, 6, 2); // io_uring, ring_entries 14, seed 3
    app.update(Action::Sweep(SweepAction::OpenCell(cell)));
    assert_eq!(app.screen.controls.get(Control::Model), "io_uring");
    assert_eq!(app.screen.controls.get(Control::RingEntries), "14");
    assert_eq!(app.screen.controls.get(Control::Seed), "3");
    let s = sweep(&app);
    assert_eq!(s.focus, cell, "the sweep stays open, on that cell");
    assert!(!app.address_link().contains("sweep_x"), "the main run is no longer the sweep's base");
}

#[test]
fn the_address_is_the_sweeps_link_and_reopens_it() {
    let app = opened(&format!("seed=5&{LINK}"));
    let link = app.address_link();
    assert!(link.contains("seed=5") && link.contains("sweep_x=ring_entries"), "{link}");
    let again = opened(&link);
    assert_eq!(sweep(&again).spec, sweep(&app).spec);
    assert_eq!(*sweep(&again).base, *sweep(&app).base);
    assert_eq!(wire::job_of_link(&sweep(&app).worker_link()).map(|j| j.1), Ok(sweep(&app).spec.clone()));
}

#[test]
fn the_sweep_button_opens_a_first_sweep_of_the_scenario_and_closes() {
    let mut app = opened("seed=4");
    app.update(Action::Sweep(SweepAction::Open(None)));
    let s = sweep(&app);
    assert_eq!(s.base.seed, 4);
    assert_eq!(s.spec.metric, Metric::OverflowShare);
    assert!(s.running());
    app.update(Action::Sweep(SweepAction::Close));
    assert!(app.screen.sweep.is_none());
}

#[test]
fn the_sizing_lesson_opens_its_sweep() {
    let mut app = opened("lesson=ring-size-sweep");
    app.update(Action::Sweep(SweepAction::OpenLesson));
    let s = sweep(&app);
    assert_eq!(s.spec.models.len(), 3);
    assert_eq!(s.progress().1, 32 * 8 * 3);
    assert_eq!(s.spec.threshold, Some(0.0));
}

#[test]
fn a_cell_the_model_refuses_stops_the_sweep_and_names_it() {
    let mut app = opened("sweep_x=ring_entries:0:8:3&sweep_models=proposal");
    assert!(sweep(&app).running(), "the spec itself is valid");
    let r = replies(&app, [1, 0]);
    deliver(&mut app, r);
    let s = sweep(&app);
    match &s.state {
        RunState::Failed(e) => assert!(e.contains("proposal, ring_entries 0") && e.contains("ring_entries = 0"), "{e}"),
        other => panic!("expected a failed sweep, got {other:?}"),
    }
    assert_eq!(s.progress().0, 1, "the cell that ran is kept");
    assert!(!s.running());
}

/// The workers leave the page a core while it animates (web/sweep_pool.rs): that is only
/// worth it if a sweep alone never makes the page animate, and playing does.
#[test]
fn cells_arriving_do_not_make_the_page_animate_and_playing_does() {
    let mut app = opened(LINK);
    for _ in 0..100 {
        if !app.wants_frames() {
            break;
        }
        app.update(Action::Tick(16.0));
    }
    assert!(!app.wants_frames(), "a sweep link opens a still page");
    let r = replies(&app, 0..7);
    deliver(&mut app, r);
    assert!(!app.wants_frames(), "cells arriving with the main view still");
    assert_eq!(sweep(&app).progress().0, 7);
    app.update(Action::TogglePlay);
    assert!(app.wants_frames(), "the main view playing");
}

/// The first sweep's axes are written out (the first bundle has no axis parser): they are
/// the ones their link text says.
#[test]
fn the_first_sweep_is_ring_size_against_seed() {
    let spec = first_spec(&ringlab_core::lessons::default_scenario());
    assert_eq!(spec.x, Axis::parse("ring_entries=2:32:16").unwrap());
    assert_eq!(spec.y, Axis::parse("seed=1:8:8").unwrap());
}
