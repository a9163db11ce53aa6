//! The sweep view: one metric over a grid of full runs of a base scenario, two settings on
//! the axes, under one to four models (`ringlab_core::sweep`, docs/sweeps.md). [`Sweep`]
//! holds the form as the user types it (checked into a [`SweepSpec`], or an error that says
//! what is wrong), the cells as the workers finish them (in any order; a reply of an older
//! run is ignored by its generation), the progress, cancel and restart, the focused cell,
//! the legend's range, the boundary where the metric crosses the threshold, the exports
//! (the core's table: the CLI's bytes) and the sweep's link. [`SweepAction`]s reach it
//! through [`AppModel::update`]; "open this cell" loads the cell's run into the main view.
//!
//! The cells themselves run off the main thread (`web::sweep_pool`); [`wire`] is what
//! the workers are told and answer.

pub mod wire;

use super::{AppModel, ById};
use ringlab_core::link::{self, Decoded, LinkState};
use ringlab_core::sweep::{self, Axis, Boundary, Cell, Metric, SweepSpec, Table, MAX_MODELS};
use ringlab_core::{lessons, ModelKind, Scenario};
use std::rc::Rc;
use std::sync::atomic::{AtomicU32, Ordering};
use wire::Reply;

/// The next run's generation: unique in the page, so that workers started for one sweep
/// never serve another (a new link, a reopened view).
static NEXT_RUN: AtomicU32 = AtomicU32::new(1);

/// A finished cell: the metric's value and the run's hash.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepCell {
    pub value: f64,
    pub run_hash: Rc<str>,
}

/// Where the sweep's run stands.
#[derive(Clone, Debug, PartialEq)]
pub enum RunState {
    /// Cells are being computed.
    Running,
    /// Every cell is in.
    Done,
    /// The user stopped it; the cells so far stay.
    Cancelled,
    /// A cell could not run (the message says which and why).
    Failed(String),
}

/// One of the two axes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    X,
    Y,
}

/// A change the user makes in the sweep's form (texts as typed).
#[derive(Clone, Debug, PartialEq)]
pub enum SweepEdit {
    Field(Side, String),
    From(Side, String),
    To(Side, String),
    Steps(Side, String),
    Log(Side, bool),
    Metric(String),
    /// A model's check box.
    Model(String, bool),
    /// Empty: no threshold.
    Threshold(String),
}

/// What the user (or the workers) can do to the sweep view.
#[derive(Clone, Debug, PartialEq)]
pub enum SweepAction {
    /// Open the view over the current scenario: this sweep, or the one shown last (or a
    /// first one) when `None`.
    Open(Option<SweepSpec>),
    /// Open the sweep of the lesson being played (its `sweep` link keys).
    OpenLesson,
    Close,
    Edit(SweepEdit),
    /// Replies of the workers (once per animation frame).
    Cells(Rc<Vec<Reply>>),
    Cancel,
    /// Run again from the start (after a cancel).
    Restart,
    /// Hover or keyboard focus on a cell (its table index).
    Focus(usize),
    /// Open a cell's run in the main view.
    OpenCell(usize),
}

/// One axis of the form, as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct AxisDraft {
    pub field: String,
    pub from: String,
    pub to: String,
    pub steps: String,
    pub log: bool,
}

impl AxisDraft {
    fn of(a: &Axis) -> AxisDraft {
        AxisDraft {
            field: a.field.clone(),
            from: a.from.to_string(),
            to: a.to.to_string(),
            steps: a.steps.to_string(),
            log: a.scale == sweep::Scale::Log,
        }
    }

    fn parse(&self, side: Side) -> Result<Axis, String> {
        let log = if self.log { ":log" } else { "" };
        let text = format!("{}={}:{}:{}{log}", self.field, self.from.trim(), self.to.trim(), self.steps.trim());
        Axis::parse(&text).map_err(|e| format!("{} axis: {e}", side_name(side)))
    }
}

fn side_name(side: Side) -> &'static str {
    match side {
        Side::X => "x",
        Side::Y => "y",
    }
}

/// The whole form, as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    pub x: AxisDraft,
    pub y: AxisDraft,
    pub metric: Metric,
    pub models: Vec<ModelKind>,
    pub threshold: String,
}

impl Draft {
    fn of(spec: &SweepSpec) -> Draft {
        Draft {
            x: AxisDraft::of(&spec.x),
            y: AxisDraft::of(&spec.y),
            metric: spec.metric,
            models: spec.models.clone(),
            threshold: spec.threshold.map(|t| t.to_string()).unwrap_or_default(),
        }
    }

    fn axis_mut(&mut self, side: Side) -> &mut AxisDraft {
        match side {
            Side::X => &mut self.x,
            Side::Y => &mut self.y,
        }
    }

    /// The sweep the form describes; the error says what is wrong.
    fn spec(&self) -> Result<SweepSpec, String> {
        let threshold = match self.threshold.trim() {
            "" => None,
            t => Some(
                ringlab_core::decimal::parse_f64(t)
                    .filter(|v| v.is_finite())
                    .ok_or_else(|| format!("threshold: `{t}` is not a number"))?,
            ),
        };
        let spec = SweepSpec {
            x: self.x.parse(Side::X)?,
            y: self.y.parse(Side::Y)?,
            metric: self.metric,
            models: self.models.clone(),
            threshold,
        };
        spec.validate()?;
        Ok(spec)
    }
}

/// The first sweep a user sees: ring size against seed, overflow share, "no overflow" as
/// the threshold, under the scenario's model. (Axes written out, not parsed: the first
/// bundle, which hands this sweep over, carries no axis parser.)
pub fn first_spec(base: &Scenario) -> SweepSpec {
    let axis = |field: &str, from: f64, to: f64, steps: u32| Axis {
        field: field.to_string(),
        from,
        to,
        steps,
        scale: ringlab_core::sweep::Scale::Linear,
    };
    SweepSpec {
        x: axis("ring_entries", 2.0, 32.0, 16),
        y: axis("seed", 1.0, 8.0, 8),
        metric: Metric::OverflowShare,
        models: vec![base.model.kind()],
        threshold: Some(0.0),
    }
}

/// The sweep view's state.
#[derive(Clone, Debug)]
pub struct Sweep {
    /// The scenario every cell starts from.
    pub base: Rc<Scenario>,
    /// The sweep the cells belong to.
    pub spec: SweepSpec,
    pub draft: Draft,
    /// What is wrong with the form (the cells shown are still `spec`'s).
    pub error: Option<String>,
    /// Which run the cells belong to (each start is a new one, unique in the page).
    pub generation: u32,
    cells: Vec<Option<SweepCell>>,
    pub done: usize,
    pub state: RunState,
    /// The focused cell (table index).
    pub focus: usize,
    /// The sweep's link ([`Sweep::link`]), written when the sweep changes (not on every
    /// redraw: a link is encoded and read back to check it).
    link: Rc<str>,
}

impl Sweep {
    /// `spec` over `base`, running (failed at once if the spec is not valid).
    pub fn new(base: Rc<Scenario>, spec: SweepSpec) -> Sweep {
        let mut s = Sweep {
            draft: Draft::of(&spec),
            base,
            spec,
            error: None,
            generation: 0,
            cells: Vec::new(),
            done: 0,
            state: RunState::Running,
            focus: 0,
            link: Rc::from(""),
        };
        s.start();
        s
    }

    /// Runs the sweep from the start, as a new generation.
    fn start(&mut self) {
        self.write_link();
        self.generation = NEXT_RUN.fetch_add(1, Ordering::Relaxed);
        self.cells = vec![None; self.spec.cell_count()];
        self.done = 0;
        self.focus = self.focus.min(self.cells.len().saturating_sub(1));
        // The spec alone: building every cell's scenario here would stall the main thread
        // (16,384 of them at most); a cell that cannot run fails in its worker, by name.
        self.state = match self.spec.validate() {
            Ok(()) => RunState::Running,
            Err(e) => RunState::Failed(e),
        };
    }

    pub fn running(&self) -> bool {
        self.state == RunState::Running
    }

    /// Cells in, cells in all.
    pub fn progress(&self) -> (usize, usize) {
        (self.done, self.cells.len())
    }

    /// Applies a change of the form: a valid sweep that differs from the one shown starts
    /// again; an invalid one is kept as typed, with the error.
    pub fn edit(&mut self, edit: SweepEdit) {
        let d = &mut self.draft;
        match edit {
            SweepEdit::Field(side, v) => d.axis_mut(side).field = v,
            SweepEdit::From(side, v) => d.axis_mut(side).from = v,
            SweepEdit::To(side, v) => d.axis_mut(side).to = v,
            SweepEdit::Steps(side, v) => d.axis_mut(side).steps = v,
            SweepEdit::Log(side, on) => d.axis_mut(side).log = on,
            SweepEdit::Metric(name) => {
                if let Some(m) = Metric::from_name(&name) {
                    d.metric = m;
                }
            }
            SweepEdit::Model(name, on) => {
                let Some(kind) = ModelKind::from_name(&name) else { return };
                d.models.retain(|&k| k != kind);
                if on {
                    d.models.push(kind);
                    // Table order follows the models' own order.
                    d.models.sort_by_key(|k| ModelKind::ALL.iter().position(|a| a == k));
                }
            }
            SweepEdit::Threshold(t) => d.threshold = t,
        }
        match self.draft.spec() {
            Err(e) => self.error = Some(e),
            Ok(spec) => {
                self.error = None;
                let cells_same = (&spec.x, &spec.y, spec.metric, &spec.models)
                    == (&self.spec.x, &self.spec.y, self.spec.metric, &self.spec.models);
                self.spec = spec;
                self.write_link();
                if !cells_same {
                    self.start();
                }
            }
        }
    }

    /// Takes the workers' replies; returns whether any was this run's.
    pub fn receive(&mut self, replies: &[Reply]) -> bool {
        let mut any = false;
        for r in replies {
            if r.generation != self.generation || !self.running() {
                continue;
            }
            let Some(slot) = self.cells.get_mut(r.index) else { continue };
            match &r.outcome {
                Ok((value, hash)) => {
                    if slot.is_none() {
                        self.done += 1;
                    }
                    *slot = Some(SweepCell { value: *value, run_hash: hash.clone() });
                }
                Err(e) => {
                    let (m, ix, iy) = self.spec.cell_at(r.index);
                    self.state = RunState::Failed(format!("cell {} failed: {e}", self.cell_name(m, ix, iy)));
                }
            }
            any = true;
        }
        if self.running() && self.done == self.cells.len() {
            self.state = RunState::Done;
        }
        any
    }

    pub fn cancel(&mut self) {
        if self.running() {
            self.state = RunState::Cancelled;
        }
    }

    pub fn restart(&mut self) {
        self.start();
    }

    /// A cell by table index.
    pub fn cell(&self, index: usize) -> Option<&SweepCell> {
        self.cells.get(index)?.as_ref()
    }

    /// A cell's value as the CLI's table writes it.
    pub fn value_text(&self, index: usize) -> Option<String> {
        self.cell(index).map(|c| format!("{}", c.value))
    }

    /// "proposal, ring_entries 14, seed 1".
    fn cell_name(&self, model: usize, ix: u32, iy: u32) -> String {
        let (x, y) = (&self.spec.x, &self.spec.y);
        format!(
            "{}, {} {}, {} {}",
            self.spec.models[model],
            x.field,
            x.values()[ix as usize],
            y.field,
            y.values()[iy as usize]
        )
    }

    /// What hover and focus show of a cell: where it is and its exact value with the unit.
    pub fn describe(&self, index: usize) -> String {
        if index >= self.cells.len() {
            return String::new();
        }
        let (m, ix, iy) = self.spec.cell_at(index);
        let unit = self.spec.metric.unit();
        let value = match self.cell(index) {
            Some(c) => format!("{} = {} {unit}", self.spec.metric.name(), c.value),
            None => format!("{}: not computed yet", self.spec.metric.name()),
        };
        format!("{}: {value}", self.cell_name(m, ix, iy))
    }

    /// The legend's range: the smallest and largest value of the cells in so far.
    pub fn legend(&self) -> Option<(f64, f64)> {
        self.cells.iter().flatten().fold(None, |range, c| match range {
            None => Some((c.value, c.value)),
            Some((lo, hi)) => Some((c.value.min(lo), c.value.max(hi))),
        })
    }

    /// The cells in so far, as the core's table (in table order); without their run
    /// hashes unless `hashes` (the boundary needs none, and is drawn on every redraw).
    fn partial_table(&self, hashes: bool) -> Table {
        let (xs, ys) = (self.spec.x.values(), self.spec.y.values());
        let cells = self
            .cells
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                let c = c.as_ref()?;
                let (m, ix, iy) = self.spec.cell_at(i);
                Some(Cell {
                    model: self.spec.models[m],
                    ix,
                    iy,
                    x: xs[ix as usize],
                    y: ys[iy as usize],
                    value: c.value,
                    run_hash: if hashes { c.run_hash.to_string() } else { String::new() },
                })
            })
            .collect();
        Table { spec: self.spec.clone(), cells }
    }

    /// Where the metric crosses the threshold, per model (none without a threshold).
    pub fn boundary(&self) -> Vec<Boundary> {
        match self.spec.threshold {
            Some(t) => sweep::boundary(&self.partial_table(false), t),
            None => Vec::new(),
        }
    }

    /// The finished table (`None` until every cell is in).
    pub fn table(&self) -> Option<Table> {
        (self.state == RunState::Done).then(|| self.partial_table(true))
    }

    /// The export as CSV: the CLI's `--csv` bytes.
    pub fn csv(&self) -> Option<String> {
        self.table().map(|t| t.to_csv())
    }

    /// The export as JSON: the CLI's `--json` bytes.
    pub fn json(&self) -> Option<String> {
        self.table().map(|t| t.to_json())
    }

    /// The export's file name: `ringlab-sweep-<metric>.<ext>`.
    pub fn file_name(&self, ext: &str) -> String {
        format!("ringlab-sweep-{}.{ext}", self.spec.metric.name())
    }

    /// What the workers are told: the base scenario key by key, and the sweep.
    pub fn worker_link(&self) -> String {
        wire::worker_link(&self.base, &self.spec)
    }

    /// The sweep's link: the base scenario's keys (by lesson name when it is one) and the
    /// `sweep_*` keys: what reopens this view.
    pub fn link(&self) -> &str {
        &self.link
    }

    fn write_link(&mut self) {
        let mut state = LinkState::new((*self.base).clone());
        state.sweep = Some(self.spec.clone());
        self.link = Rc::from(link::encode_short(&state, &lessons::default_scenario(), &lessons::lesson));
    }

    /// The cell an arrow key moves the focus to: left and right along x, up (higher y)
    /// and down within the model's grid; Home and End to the grid's first and last cell.
    pub fn focus_after(&self, key: &str) -> Option<usize> {
        let (m, ix, iy) = self.spec.cell_at(self.focus);
        let (nx, ny) = (self.spec.x.steps, self.spec.y.steps);
        let (ix, iy) = match key {
            "ArrowLeft" => (ix.checked_sub(1)?, iy),
            "ArrowRight" => (Some(ix + 1).filter(|&i| i < nx)?, iy),
            "ArrowDown" => (ix, iy.checked_sub(1)?),
            "ArrowUp" => (ix, Some(iy + 1).filter(|&i| i < ny)?),
            "Home" => (0, 0),
            "End" => (nx - 1, ny - 1),
            _ => return None,
        };
        Some(self.spec.index_of(m, ix, iy))
    }
}

impl AppModel {
    /// The link that opens what `action` asks for in the sweep bundle, when this app was
    /// built without the sweep view (`sweep-view` feature off; src/web/handover.rs): the
    /// run's own link with the sweep's keys. `None` for an action with nothing to open.
    pub fn sweep_link(&self, action: &SweepAction) -> Option<String> {
        let s = &self.screen.scenario;
        let keys = match action {
            SweepAction::Open(Some(spec)) => spec.link_query(),
            SweepAction::Open(None) => first_spec(s).link_query(),
            SweepAction::OpenLesson => s.lesson.as_ref()?.sweep.clone()?,
            _ => return None,
        };
        let run = self.link();
        Some(if run.is_empty() { keys } else { format!("{run}&{keys}") })
    }
}

impl AppModel {
    /// Applies a sweep action.
    pub(super) fn sweep_action(&mut self, action: SweepAction) {
        let sweep = self.screen.sweep.take();
        self.screen.sweep = match action {
            SweepAction::Open(spec) => {
                let base = Rc::new((*self.screen.scenario).clone());
                let spec = spec.or_else(|| sweep.as_ref().map(|s| s.spec.clone())).unwrap_or_else(|| first_spec(&base));
                Some(ById::new(Sweep::new(base, spec)))
            }
            SweepAction::OpenLesson => {
                let s = &self.screen.scenario;
                let lesson = s.lesson.as_ref().and_then(|l| l.sweep.as_deref());
                match lesson.map(|q| SweepSpec::from_link_query(q, s.model.kind(), s.seed)) {
                    Some(Ok(Some(spec))) => Some(ById::new(Sweep::new(Rc::new((**s).clone()), spec))),
                    _ => sweep,
                }
            }
            SweepAction::Close => None,
            SweepAction::OpenCell(index) => {
                if let Some(s) = &sweep {
                    let (m, ix, iy) = s.spec.cell_at(index);
                    if let Ok(scenario) = s.spec.cell_scenario(&s.base, m, ix, iy) {
                        self.open_scenario(scenario, None);
                    }
                }
                sweep.map(|s| {
                    let mut s = (*s.0).clone();
                    s.focus = index.min(s.cells.len().saturating_sub(1));
                    ById::new(s)
                })
            }
            other => sweep.map(|s| {
                let mut s = Rc::unwrap_or_clone(s.0);
                match other {
                    SweepAction::Edit(e) => s.edit(e),
                    SweepAction::Cells(replies) => {
                        s.receive(&replies);
                    }
                    SweepAction::Cancel => s.cancel(),
                    SweepAction::Restart => s.restart(),
                    SweepAction::Focus(i) if i < s.cells.len() => s.focus = i,
                    _ => {}
                }
                ById::new(s)
            }),
        };
    }

    /// Opens the sweep a link names (`sweep_*` keys), over the link's scenario.
    pub fn open_link_sweep(&mut self, decoded: &Decoded) {
        if let Some(spec) = &decoded.state.sweep {
            self.sweep_action(SweepAction::Open(Some(spec.clone())));
        }
    }

    /// The link the address bar shows: the sweep's while the main view runs its base
    /// scenario, otherwise the run's own.
    pub fn address_link(&self) -> String {
        let run = self.link();
        match &self.screen.sweep {
            Some(s) if *s.base == *self.screen.scenario => {
                let keys = s.spec.link_query();
                if run.is_empty() {
                    keys
                } else {
                    format!("{run}&{keys}")
                }
            }
            _ => run,
        }
    }
}

/// Models a sweep can take, for the form's check boxes: every model, at most [`MAX_MODELS`] checked.
pub fn model_choices() -> impl Iterator<Item = ModelKind> {
    ModelKind::ALL.into_iter()
}

/// Whether one more model may be checked.
pub fn can_add_model(draft: &Draft) -> bool {
    draft.models.len() < MAX_MODELS
}

#[cfg(test)]
mod tests;
