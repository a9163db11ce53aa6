//! Compare mode: the chosen models side by side on one shared clock, each ring drawn
//! small, and their counters in one table with the rows that differ highlighted.

use crate::model::lanes::{rows, toggle_model, toggle_reaper, MAX_MODELS};
use crate::model::{Action, ById, Comparison};
use crate::web::components::ring;
use ringlab_core::view::ViewModel;
use ringlab_core::{ModelSpec, ReaperPolicy};
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct CompareProps {
    pub comparison: ById<Comparison>,
}

#[component]
pub fn CompareView(props: &CompareProps) -> Html {
    let lanes = &props.comparison.lanes;
    if lanes.is_empty() {
        return html! {};
    }
    let views: Vec<_> = lanes.iter().map(|l| &*l.view).collect();
    let table = rows(&views);
    html! {
        <section class="compare" data-testid="compare" data-models={lanes.iter().map(|l| l.model.clone()).collect::<Vec<_>>().join(",")}
                 aria-labelledby="compare-heading">
            <h3 id="compare-heading">
                { if lanes.iter().any(|l| l.reaper.is_some()) {
                    "Compare: the same model, workload and seed under each reaper"
                } else {
                    "Compare: the same workload, reaper and seed on each model"
                } }
            </h3>
            <div class="compare__lanes">
                { for lanes.iter().map(|l| html! {
                    <CompareLane key={l.label.clone()} model={l.model.clone()} reaper={l.reaper.clone()} label={l.label.clone()}
                                 view={ById(l.view.clone())} run_hash={l.run_hash.clone()} />
                }) }
            </div>
            <table class="compare__table" data-testid="compare-table">
                <thead><tr><th scope="col">{ "counter" }</th>
                    { for lanes.iter().map(|l| html! { <th scope="col">{ &l.label }</th> }) }</tr></thead>
                <tbody>
                    { for table.iter().map(|r| {
                        let differs = r.differs();
                        html! {
                            <tr class={classes!(differs.then_some("compare__row--differs"))} data-testid="compare-row"
                                data-name={r.name} data-differs={differs.to_string()}>
                                <th scope="row">{ r.name }{ if differs { " ≠" } else { "" } }</th>
                                { for r.values.iter().map(|v| html! { <td>{ v }</td> }) }
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            <p class="muted small">{ "One clock: play, step, step back and the scrubber move the main run; every model here is moved to the same simulated time (scripted runs: the same step). Rows marked ≠ differ." }</p>
        </section>
    }
}

#[derive(Properties, PartialEq, Clone)]
struct LaneProps {
    model: String,
    reaper: Option<String>,
    label: String,
    view: ById<ViewModel>,
    run_hash: String,
}

/// One compared run: a component, so that rebuilding one run's view (they take turns
/// while playing) redraws only its ring.
#[component]
fn CompareLane(props: &LaneProps) -> Html {
    let v = &props.view;
    html! {
        <figure class="compare__lane" data-testid="compare-lane" data-model={props.model.clone()} data-reaper={props.reaper.clone()}>
            <figcaption><strong>{ &props.label }</strong>
                <span class="muted small">{ format!(" · {} slots · hash ", v.ring.entries) }</span>
                <code data-testid="compare-hash">{ &props.run_hash }</code>
            </figcaption>
            <div class="compare__ring">{ ring::render(&v.ring, v.flag) }</div>
        </figure>
    }
}

#[derive(Properties, PartialEq, Clone)]
pub struct ComparePickerProps {
    pub compare: Vec<String>,
    pub compare_reapers: Vec<String>,
    pub on_action: Callback<Action>,
}

/// Checkboxes for the models to compare (two to four).
#[component]
pub fn ComparePicker(props: &ComparePickerProps) -> Html {
    let current = props.compare.clone();
    html! {
        <fieldset class="compare-picker" data-testid="compare-picker">
            <legend>{ format!("Compare models (2 to {MAX_MODELS})") }</legend>
            { for ModelSpec::NAMES.iter().map(|name| {
                let checked = current.contains(&name.to_string());
                let full = !checked && current.len() >= MAX_MODELS;
                let onchange = {
                    let cb = props.on_action.clone();
                    let current = current.clone();
                    Callback::from(move |_: Event| cb.emit(Action::SetCompare(toggle_model(&current, name))))
                };
                let id = format!("compare-model-{name}");
                html! {
                    <label class="compare-picker__item" for={id.clone()}>
                        <input type="checkbox" id={id.clone()} data-testid={id} checked={checked} disabled={full} {onchange} />
                        { *name }
                    </label>
                }
            }) }
            if current.len() == 1 {
                <p class="muted small">{ "Pick one more model to compare." }</p>
            }
            <p class="compare-picker__or">{ "or the current model under each reaper:" }</p>
            { for ReaperPolicy::ALL.iter().map(|policy| {
                let name = policy.name();
                let reapers = &props.compare_reapers;
                let checked = reapers.iter().any(|p| p == name);
                let full = !checked && reapers.len() >= MAX_MODELS;
                let onchange = {
                    let cb = props.on_action.clone();
                    let reapers = reapers.clone();
                    Callback::from(move |_: Event| cb.emit(Action::SetCompareReapers(toggle_reaper(&reapers, name))))
                };
                let id = format!("compare-reaper-{name}");
                html! {
                    <label class="compare-picker__item" for={id.clone()}>
                        <input type="checkbox" id={id.clone()} data-testid={id} checked={checked} disabled={full} {onchange} />
                        { name }
                    </label>
                }
            }) }
        </fieldset>
    }
}
