//! The sweep view: the form (axes, metric, models, threshold), the progress bar with
//! cancel, one heatmap per model ([`grid_plot`]: the cells' colours in a colour-blind-safe
//! ramp on a canvas (components/heatmap_canvas.rs) under an SVG with a `<rect>` per cell,
//! the axis values and the boundary where the metric crosses the threshold), the legend,
//! the exact value of the hovered or focused cell, and the exports. The cells are
//! focusable with a roving tabindex: arrows move, Enter (or a click) opens the cell's run
//! in the main view. Test hooks: docs/test-hooks.md ("Sweep").

use crate::model::sweep::{can_add_model, model_choices, RunState, Side, Sweep, SweepAction, SweepEdit};
use crate::model::{Action, ById, Screen};
use crate::web::browser;
use crate::web::components::heatmap_canvas::{pixels, ramp, HeatmapCanvas};
use crate::web::components::timeline;
use ringlab_core::sweep::{axis_fields, Axis, Boundary, Metric};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct SweepProps {
    pub sweep: ById<Sweep>,
    pub on_action: Callback<Action>,
}

/// The plot's size in SVG units (the SVG scales to the panel's width).
const PLOT_W: f64 = 320.0;
const PLOT_H: f64 = 200.0;
const LEFT: f64 = 52.0;
const BOTTOM: f64 = 34.0;
const TOP: f64 = 8.0;
const RIGHT: f64 = 10.0;

/// The indexes of at most `most` labels along `n` steps, the first and the last included.
fn label_steps(n: u32, most: u32) -> Vec<u32> {
    let every = n.div_ceil(most.max(1)).max(1);
    let mut out: Vec<u32> = (0..n).step_by(every as usize).collect();
    if out.last() != Some(&(n - 1)) {
        if out.len() as u32 >= most {
            out.pop();
        }
        out.push(n - 1);
    }
    out
}

fn short(v: f64) -> String {
    if v >= 1e6 && v.fract() == 0.0 {
        format!("{}M", v / 1e6)
    } else if v >= 1e4 && v.fract() == 0.0 {
        format!("{}k", v / 1e3)
    } else {
        format!("{v}")
    }
}

#[derive(Properties, PartialEq, Clone)]
pub struct RowProps {
    pub model: &'static str,
    pub iy: u32,
    /// The table index of the row's first cell.
    pub first: usize,
    /// Each cell's value, once computed.
    pub values: Rc<Vec<Option<f64>>>,
    /// The focused cell's x step, when it is in this row, and what it says.
    pub focus: Option<u32>,
    pub focus_label: Option<AttrValue>,
    pub cw: f64,
    pub ch: f64,
}

/// One row of a heatmap: its cells, each with its exact value (`data-value`, as the CLI's
/// table writes it), transparent over the canvas that shows their colours. Only the focused
/// cell is in the tab order (roving tabindex): it alone carries the whole description (the
/// arrows move the focus, and the description with it).
#[component]
pub fn SweepRow(p: &RowProps) -> Html {
    let (w, h) = (format!("{:.2}", p.cw), format!("{:.2}", p.ch));
    let y = format!("{:.2}", TOP + PLOT_H - f64::from(p.iy + 1) * p.ch);
    let iy = p.iy.to_string();
    html! {
        <g>
            { for p.values.iter().enumerate().map(|(ix, value)| {
                let index = p.first + ix;
                let focused = p.focus == Some(ix as u32);
                let text = value.map(|v| format!("{v}"));
                // The focused cell says where it is and its value; the others (out of the tab
                // order) only their value.
                let label: AttrValue = match (focused, &p.focus_label, &text) {
                    (true, Some(l), _) => l.clone(),
                    (_, _, Some(t)) => AttrValue::from(t.clone()),
                    _ => AttrValue::Static("not computed yet"),
                };
                html! {
                    <rect class={classes!("sweep__cell", value.is_none().then_some("sweep__cell--pending"), focused.then_some("sweep__cell--focus"))}
                          id={format!("sweep-cell-{index}")} data-testid="sweep-cell" data-model={p.model} data-ix={ix.to_string()}
                          data-iy={iy.clone()} data-index={index.to_string()} data-value={text}
                          x={format!("{:.2}", LEFT + ix as f64 * p.cw)} y={y.clone()} width={w.clone()} height={h.clone()}
                          role="button" tabindex={if focused { "0" } else { "-1" }}
                          aria-label={label} />
                }
            }) }
        </g>
    }
}

/// One model's heatmap: `model` is its place in the sweep's models. The canvas with the
/// colours sits under the SVG exactly over the plot area (both scale with the panel's
/// width; the canvas's place is the plot's in % of the SVG's viewBox).
pub fn grid_plot(sweep: &Sweep, model: usize, boundary: Option<&Boundary>, legend: Option<(f64, f64)>) -> Html {
    let spec = &sweep.spec;
    let (nx, ny) = (spec.x.steps, spec.y.steps);
    let (cw, ch) = (PLOT_W / f64::from(nx), PLOT_H / f64::from(ny));
    let (xs, ys) = (spec.x.values(), spec.y.values());
    let name = spec.models[model].name();
    let first = spec.index_of(model, 0, 0);
    let values: Vec<Option<f64>> =
        (first..first + (nx * ny) as usize).map(|i| sweep.cell(i).map(|c| c.value)).collect();
    let image = Rc::new(pixels(&values, nx, ny, legend));
    // One component per row: a redraw skips the rows whose cells and focus are unchanged
    // (cells arrive row by row), so a 64 × 64 grid costs a few rows per redraw.
    let rows = values.chunks(nx as usize).zip(0..ny).map(|(row, iy)| {
        let first = spec.index_of(model, 0, iy);
        let focus = (first..first + nx as usize).contains(&sweep.focus).then(|| (sweep.focus - first) as u32);
        html! {
            <SweepRow key={iy} model={name} iy={iy} first={first} values={Rc::new(row.to_vec())}
                      focus={focus} focus_label={focus.map(|_| AttrValue::from(sweep.describe(sweep.focus)))} cw={cw} ch={ch} />
        }
    });
    let x_labels = label_steps(nx, 6).into_iter().map(|ix| {
        html! {
            <text class="sweep__tick" x={format!("{:.1}", LEFT + (f64::from(ix) + 0.5) * cw)} y={format!("{}", TOP + PLOT_H + 13.0)}
                  text-anchor="middle">{ short(xs[ix as usize]) }</text>
        }
    });
    let y_labels = label_steps(ny, 6).into_iter().map(|iy| {
        html! {
            <text class="sweep__tick" x={format!("{}", LEFT - 4.0)} y={format!("{:.1}", TOP + PLOT_H - (f64::from(iy) + 0.5) * ch + 4.0)}
                  text-anchor="end">{ short(ys[iy as usize]) }</text>
        }
    });
    let lines = boundary.map(|b| {
        let px = |x: u32| LEFT + f64::from(x) * cw;
        let py = |y: u32| TOP + PLOT_H - f64::from(y) * ch;
        html! {
            <g class="sweep__boundary" data-testid="sweep-boundary" data-model={name} data-edges={b.edges.len().to_string()}>
                { for b.edges.iter().map(|e| html! {
                    <line x1={format!("{:.2}", px(e.x0))} y1={format!("{:.2}", py(e.y0))} x2={format!("{:.2}", px(e.x1))} y2={format!("{:.2}", py(e.y1))} />
                }) }
            </g>
        }
    });
    let width = LEFT + PLOT_W + RIGHT;
    let height = TOP + PLOT_H + BOTTOM;
    let pct = |v: f64, of: f64| format!("{:.3}%", v * 100.0 / of);
    let place = format!(
        "left:{};top:{};width:{};height:{}",
        pct(LEFT, width),
        pct(TOP, height),
        pct(PLOT_W, width),
        pct(PLOT_H, height)
    );
    html! {
        <div class="sweep__plot">
            <HeatmapCanvas nx={nx} ny={ny} pixels={image} style={place} />
            <svg class="sweep__svg" viewBox={format!("0 0 {width} {height}")} role="group"
                 aria-label={format!("{name}: {} by {} and {}", spec.metric.label(), spec.x.field, spec.y.field)}>
                { for rows }
                { lines.unwrap_or_default() }
                { for x_labels }
                { for y_labels }
                <text class="sweep__axis" x={format!("{}", LEFT + PLOT_W / 2.0)} y={format!("{}", height - 4.0)} text-anchor="middle">
                    { axis_title(&spec.x) }
                </text>
                <text class="sweep__axis" transform={format!("translate(11 {}) rotate(-90)", TOP + PLOT_H / 2.0)} text-anchor="middle">
                    { axis_title(&spec.y) }
                </text>
            </svg>
        </div>
    }
}

fn axis_title(a: &Axis) -> String {
    match a.scale {
        ringlab_core::sweep::Scale::Log => format!("{} (log)", a.field),
        ringlab_core::sweep::Scale::Linear => a.field.clone(),
    }
}

/// The legend: the ramp from the smallest value in to the largest, with the unit.
fn legend_html(metric: Metric, legend: Option<(f64, f64)>, threshold: Option<f64>) -> Html {
    let stops = (0..=8).map(|i| {
        let t = f64::from(i) / 8.0;
        html! { <stop offset={format!("{}%", i * 100 / 8)} stop-color={ramp(t)} /> }
    });
    let (lo, hi) =
        legend.map_or((String::from("–"), String::from("–")), |(lo, hi)| (format!("{lo}"), format!("{hi}")));
    html! {
        <figure class="sweep__legend" data-testid="sweep-legend" data-min={lo.clone()} data-max={hi.clone()}>
            <svg viewBox="0 0 200 14" class="sweep__ramp" aria-hidden="true">
                <defs><linearGradient id="sweep-ramp">{ for stops }</linearGradient></defs>
                <rect x="0" y="0" width="200" height="14" fill="url(#sweep-ramp)" />
            </svg>
            <figcaption>
                <span>{ lo }</span>
                <span class="sweep__legend-label">{ format!("{} ({})", metric.label(), metric.unit()) }</span>
                <span>{ hi }</span>
            </figcaption>
            if let Some(t) = threshold {
                <p class="small">{ format!("Boundary: where the value crosses {t} (at or below is on the good side).") }</p>
            }
        </figure>
    }
}

/// What the grid's own events carry: the cell under the pointer or with focus.
fn cell_index(e: &Event) -> Option<usize> {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        let el = e.target()?.dyn_into::<web_sys::Element>().ok()?;
        el.get_attribute("data-index")?.parse().ok()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = e;
        None
    }
}

/// Calls an element's method without arguments: `focus` on a cell (after an arrow key
/// redrew the roving tabindex; an SVG element's, which web-sys's HtmlElement lacks),
/// `scrollIntoView` on the view when it opens.
fn call_on(id: &str, method: &str) {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        let el = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id));
        if let Some(el) = el {
            if let Ok(f) = js_sys::Reflect::get(&el, &method.into()).and_then(|f| f.dyn_into::<js_sys::Function>()) {
                let _ = f.call0(&el);
            }
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (id, method);
}

pub enum Msg {
    Key(KeyboardEvent),
    Act(Action),
    Export(&'static str),
}

/// The sweep view's component: it keeps which cell must take keyboard focus once drawn.
pub struct SweepView {
    focus_pending: Option<usize>,
}

impl Component for SweepView {
    type Message = Msg;
    type Properties = SweepProps;

    fn create(_ctx: &Context<Self>) -> Self {
        SweepView { focus_pending: None }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        let sweep = &ctx.props().sweep;
        let act = |a: SweepAction| ctx.props().on_action.emit(Action::Sweep(a));
        match msg {
            Msg::Act(a) => ctx.props().on_action.emit(a),
            Msg::Key(e) => {
                let key = e.key();
                // The grid's keys are the grid's: not Step, Back or Play as well.
                if key == "Enter" || key == " " {
                    e.prevent_default();
                    e.stop_propagation();
                    act(SweepAction::OpenCell(sweep.focus));
                } else if matches!(key.as_str(), "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown" | "Home" | "End")
                {
                    e.prevent_default();
                    e.stop_propagation();
                    if let Some(next) = sweep.focus_after(&key) {
                        self.focus_pending = Some(next);
                        act(SweepAction::Focus(next));
                    }
                }
            }
            Msg::Export(ext) => {
                let (text, mime) = match ext {
                    "csv" => (sweep.csv(), "text/csv"),
                    _ => (sweep.json(), "application/json"),
                };
                if let Some(text) = text {
                    browser::download(&sweep.file_name(ext), mime, &text);
                }
            }
        }
        false
    }

    fn rendered(&mut self, _ctx: &Context<Self>, first: bool) {
        if first {
            call_on("sweep", "scrollIntoView");
        }
        if let Some(index) = self.focus_pending.take() {
            call_on(&format!("sweep-cell-{index}"), "focus");
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let s = &*ctx.props().sweep;
        let on_action = &ctx.props().on_action;
        let edit = |f: fn(String) -> SweepEdit| {
            on_action.reform(move |e: Event| {
                let value = input_value(&e);
                Action::Sweep(SweepAction::Edit(f(value)))
            })
        };
        let (done, total) = s.progress();
        let legend = s.legend();
        let boundaries = s.boundary();
        let state = match &s.state {
            RunState::Running => "running",
            RunState::Done => "done",
            RunState::Cancelled => "cancelled",
            RunState::Failed(_) => "failed",
        };
        let status = match &s.state {
            RunState::Running => format!("{done} of {total} runs"),
            RunState::Done => format!("All {total} runs done"),
            RunState::Cancelled => format!("Cancelled: {done} of {total} runs"),
            RunState::Failed(e) => format!("Stopped: {e}"),
        };
        let complete = s.state == RunState::Done;
        let grid_events = ctx.link().callback(Msg::Key);
        let on_click = on_action.reform(|e: MouseEvent| {
            let index = cell_index(&e).unwrap_or(usize::MAX);
            act(if index == usize::MAX { SweepAction::Focus(usize::MAX) } else { SweepAction::OpenCell(index) })
        });
        let on_over = on_action.reform(|e: MouseEvent| act(SweepAction::Focus(cell_index(&e).unwrap_or(usize::MAX))));
        let on_focus = on_action.reform(|e: FocusEvent| act(SweepAction::Focus(cell_index(&e).unwrap_or(usize::MAX))));
        html! {
            <section class="sweep" id="sweep" data-testid="sweep" data-state={state} aria-labelledby="sweep-heading">
                <div class="sweep__head">
                    <h3 id="sweep-heading">{ format!("Sweep: {}", s.spec.metric.label()) }</h3>
                    <a class="btn" data-testid="sweep-link" href={format!("#{}", s.link())}>{ "Link to this sweep" }</a>
                    <button type="button" class="btn" data-testid="sweep-close" onclick={on_action.reform(move |_| act(SweepAction::Close))}>
                        { "Close sweep" }
                    </button>
                </div>
                <p class="small muted">{ format!("Every cell is a full run of “{}” with its two values set.", s.base.title) }</p>
                <div class="sweep__form">
                    { axis_form(s, Side::X, on_action) }
                    { axis_form(s, Side::Y, on_action) }
                    <label class="sweep__field">{ "Metric " }
                        <select data-testid="sweep-metric" onchange={edit(SweepEdit::Metric)}>
                            { for Metric::ALL.iter().map(|m| html! {
                                <option value={m.name()} selected={*m == s.draft.metric}>{ format!("{} ({})", m.label(), m.name()) }</option>
                            }) }
                        </select>
                    </label>
                    <fieldset class="sweep__models" data-testid="sweep-models">
                        <legend>{ "Models (1 to 4)" }</legend>
                        { for model_choices().map(|k| {
                            let on = s.draft.models.contains(&k);
                            let name = k.name();
                            html! {
                                <label><input type="checkbox" data-testid="sweep-model" data-model={name} checked={on}
                                              disabled={!on && !can_add_model(&s.draft)}
                                              onchange={on_action.reform(move |e: Event| act(SweepAction::Edit(SweepEdit::Model(name.to_string(), input_checked(&e)))))} />
                                    { format!(" {name}") }</label>
                            }
                        }) }
                    </fieldset>
                    <label class="sweep__field">{ "Threshold " }
                        <input type="text" inputmode="decimal" size="8" data-testid="sweep-threshold" value={s.draft.threshold.clone()}
                               placeholder="none" onchange={edit(SweepEdit::Threshold)} />
                    </label>
                </div>
                if let Some(e) = &s.error {
                    <p class="sweep__error" role="alert" data-testid="sweep-error">{ e }</p>
                }
                <div class="sweep__progress" data-testid="sweep-progress" data-done={done.to_string()} data-total={total.to_string()} data-state={state}>
                    <progress max={total.max(1).to_string()} value={done.to_string()} aria-label="Runs done" />
                    <span role="status">{ status }</span>
                    if s.running() {
                        <button type="button" class="btn" data-testid="sweep-cancel" onclick={on_action.reform(move |_| act(SweepAction::Cancel))}>{ "Cancel" }</button>
                    } else {
                        <button type="button" class="btn" data-testid="sweep-restart" onclick={on_action.reform(move |_| act(SweepAction::Restart))}>{ "Run again" }</button>
                    }
                </div>
                <div class="sweep__grids" onkeydown={grid_events} onclick={on_click} onmouseover={on_over} onfocusin={on_focus}>
                    { for (0..s.spec.models.len()).map(|m| html! {
                        <figure class="sweep__grid" data-testid="sweep-grid" data-model={s.spec.models[m].name()}>
                            <figcaption>{ s.spec.models[m].name() }</figcaption>
                            { grid_plot(s, m, boundaries.get(m).filter(|_| s.spec.threshold.is_some()), legend) }
                        </figure>
                    }) }
                </div>
                { legend_html(s.spec.metric, legend, s.spec.threshold) }
                <p class="sweep__readout" data-testid="sweep-readout" aria-live="polite">{ s.describe(s.focus) }</p>
                <p class="small muted">{ "Arrows move between cells; Enter or a click opens the cell's run above." }</p>
                <div class="sweep__exports">
                    <button type="button" class="btn" data-testid="sweep-export-csv" disabled={!complete}
                            onclick={ctx.link().callback(|_| Msg::Export("csv"))}>{ "Export CSV" }</button>
                    <button type="button" class="btn" data-testid="sweep-export-json" disabled={!complete}
                            onclick={ctx.link().callback(|_| Msg::Export("json"))}>{ "Export JSON" }</button>
                    <button type="button" class="btn" data-testid="sweep-open" onclick={on_action.reform({
                        let focus = s.focus;
                        move |_| act(SweepAction::OpenCell(focus))
                    })}>{ "Open this cell's run" }</button>
                </div>
            </section>
        }
    }
}

fn act(a: SweepAction) -> Action {
    Action::Sweep(a)
}

/// One axis's inputs: field, from, to, steps, log.
fn axis_form(s: &Sweep, side: Side, on_action: &Callback<Action>) -> Html {
    let (d, name) = match side {
        Side::X => (&s.draft.x, "x"),
        Side::Y => (&s.draft.y, "y"),
    };
    let edit = move |f: fn(Side, String) -> SweepEdit| {
        on_action.reform(move |e: Event| Action::Sweep(SweepAction::Edit(f(side, input_value(&e)))))
    };
    html! {
        <fieldset class="sweep__axis-form" data-testid={format!("sweep-{name}")}>
            <legend>{ format!("{} axis", name.to_uppercase()) }</legend>
            <select data-testid={format!("sweep-{name}-field")} aria-label={format!("{name} axis field")} onchange={edit(SweepEdit::Field)}>
                { for axis_fields().map(|(f, hint)| html! { <option value={f} title={hint} selected={f == d.field}>{ f }</option> }) }
            </select>
            <label>{ " from " }<input type="text" inputmode="decimal" size="7" data-testid={format!("sweep-{name}-from")} value={d.from.clone()} onchange={edit(SweepEdit::From)} /></label>
            <label>{ " to " }<input type="text" inputmode="decimal" size="7" data-testid={format!("sweep-{name}-to")} value={d.to.clone()} onchange={edit(SweepEdit::To)} /></label>
            <label>{ " steps " }<input type="number" min="1" max="64" data-testid={format!("sweep-{name}-steps")} value={d.steps.clone()} onchange={edit(SweepEdit::Steps)} /></label>
            <label><input type="checkbox" data-testid={format!("sweep-{name}-log")} checked={d.log}
                          onchange={on_action.reform(move |e: Event| Action::Sweep(SweepAction::Edit(SweepEdit::Log(side, input_checked(&e)))))} />{ " log" }</label>
        </fieldset>
    }
}

fn input_value(e: &Event) -> String {
    timeline::input_value(e).unwrap_or_default()
}

fn input_checked(e: &Event) -> bool {
    input_value(e) == "true"
}

/// The "Sweep" button under the scrubber, beside the compared runs: opens the view over
/// the current scenario, or closes it.
pub fn sweep_toggle(screen: &Screen, on_action: &Callback<Action>) -> Html {
    let open = screen.sweep.is_some();
    let action = if open { SweepAction::Close } else { SweepAction::Open(None) };
    html! {
        <button type="button" class="btn sweep-toggle" data-testid="sweep-toggle" aria-pressed={open.to_string()}
                onclick={on_action.reform(move |_| Action::Sweep(action.clone()))}>
            { "Sweep: a metric over two settings" }
        </button>
    }
}

/// A lesson that names a sweep: the button that shows it (at the reveal, or any time).
pub fn lesson_sweep_button(screen: &Screen, on_action: &Callback<Action>) -> Html {
    let has = screen.scenario.lesson.as_ref().is_some_and(|l| l.sweep.is_some());
    if !has || screen.sweep.is_some() {
        return html! {};
    }
    html! {
        <button type="button" class="btn btn--primary" data-testid="lesson-sweep"
                onclick={on_action.reform(|_| Action::Sweep(SweepAction::OpenLesson))}>
            { "Show the sweep" }
        </button>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_labels_are_few_and_include_both_ends() {
        assert_eq!(label_steps(24, 6), vec![0, 4, 8, 12, 16, 23]);
        assert_eq!(label_steps(3, 6), vec![0, 1, 2]);
        assert_eq!(label_steps(1, 6), vec![0]);
        assert_eq!(short(100000.0), "100k");
        assert_eq!(short(2000000.0), "2M");
        assert_eq!(short(0.25), "0.25");
    }
}
