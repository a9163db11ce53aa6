//! The share bar: the scenario picker, the copy-link button (with a text field to copy
//! by hand when the clipboard is refused), the run hash, presenter mode, the compare
//! picker and the exports (trace CSV/JSON, view SVG, link QR code).

use crate::browser;
use crate::components::compare::ComparePicker;
use crate::export;
use crate::state::{Action, AppState};
use ringlab_core::lessons::{self, LESSONS};
use yew::prelude::*;

#[derive(Properties, Clone)]
pub struct ShareBarProps {
    /// Read when a button is pressed (a handle always reads the current state).
    pub state: UseReducerHandle<AppState>,
    pub on_action: Callback<Action>,
    /// What the bar draws: the lesson picked (`None`: the default scenario), presenter
    /// mode and the compared models.
    pub lesson_name: Option<String>,
    pub present: bool,
    pub compare: Vec<String>,
}

impl PartialEq for ShareBarProps {
    /// Equal while what the bar draws is the same, whatever the state handle holds: the
    /// frames of a run do not redraw the bar.
    fn eq(&self, other: &Self) -> bool {
        (&self.lesson_name, self.present, &self.compare, &self.on_action)
            == (&other.lesson_name, other.present, &other.compare, &other.on_action)
    }
}

/// The lessons' link names in teaching order, taken from `LESSONS` at compile time (so
/// that the bundle does not carry the lessons' TOML text; the core embeds them as JSON).
const LESSON_NAMES: [&str; LESSONS.len()] = {
    let mut names = [""; LESSONS.len()];
    let mut i = 0;
    while i < LESSONS.len() {
        names[i] = LESSONS[i].0;
        i += 1;
    }
    names
};

/// A lesson's title (its scenario's title), for the picker.
fn lesson_title(name: &str) -> String {
    lessons::lesson(name).map(|s| s.title).unwrap_or_else(|| name.to_string())
}

#[component]
pub fn ShareBar(props: &ShareBarProps) -> Html {
    let state = &props.state;
    // What the copy button did: None, Some(Ok) copied, Some(Err(url)) refused: copy by hand.
    let copied = use_state(|| None::<Result<(), String>>);
    let qr = use_state(|| None::<String>);
    let titles = use_memo((), |_| LESSON_NAMES.iter().map(|n| (n.to_string(), lesson_title(n))).collect::<Vec<_>>());

    let on_pick = {
        let cb = props.on_action.clone();
        Callback::from(move |e: Event| {
            if let Some(v) = crate::components::timeline::input_value(&e) {
                cb.emit(Action::ChooseScenario((v != "default").then_some(v)));
            }
        })
    };
    let on_copy = {
        let state = state.clone();
        let copied = copied.clone();
        Callback::from(move |_: MouseEvent| {
            let url = browser::url_with_fragment(&state.link());
            browser::replace_fragment(&state.link());
            let copied = copied.clone();
            let fallback = url.clone();
            browser::copy_text(url, Callback::from(move |ok: bool| {
                copied.set(Some(if ok { Ok(()) } else { Err(fallback.clone()) }))
            }));
        })
    };
    let download = |kind: &'static str| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let model = state.frame.view.model;
            let hash = state.frame.run_hash.clone();
            match kind {
                "csv" => {
                    let text = state.with_trace(|t| export::trace_csv(t.events()));
                    browser::download(&export::file_name(model, &hash, "csv"), "text/csv", &text);
                }
                "json" => {
                    let text = state.with_trace(|t| export::trace_json(t.events()));
                    browser::download(&export::file_name(model, &hash, "json"), "application/json", &text);
                }
                _ => {
                    if let Some(svg) = browser::outer_html("ring") {
                        let text = export::standalone_svg(&svg);
                        browser::download(&export::file_name(model, &hash, "svg"), "image/svg+xml", &text);
                    }
                }
            }
        })
    };
    let on_qr = {
        let state = state.clone();
        let qr = qr.clone();
        Callback::from(move |_: MouseEvent| {
            if qr.is_some() {
                qr.set(None);
            } else {
                let url = browser::url_with_fragment(&state.link());
                qr.set(Some(export::qr_svg(&url).map(|svg| export::svg_data_url(&svg)).unwrap_or_default()));
            }
        })
    };
    let on_present = {
        let cb = props.on_action.clone();
        Callback::from(move |_: MouseEvent| cb.emit(Action::TogglePresent))
    };
    let current = props.lesson_name.clone().unwrap_or_else(|| "default".into());
    html! {
        <section class="share" aria-label="Scenario, share link and exports">
            <div class="share__row">
                <label class="share__picker" for="scenario-picker">
                    <span>{ "Scenario" }</span>
                    <select id="scenario-picker" data-testid="scenario-picker" onchange={on_pick}>
                        <option value="default" selected={current == "default"}>{ "The default scenario" }</option>
                        { for titles.iter().map(|(name, title)| html! {
                            <option value={name.clone()} selected={*name == current}>{ format!("Lesson: {title}") }</option>
                        }) }
                    </select>
                </label>
                <button type="button" class="btn btn--primary" data-testid="copy-link" onclick={on_copy}
                        title="Copy a link to this scenario at this instant">{ "Copy link" }</button>
                <button type="button" class="btn" data-testid="present" onclick={on_present} aria-pressed={props.present.to_string()}
                        title="Presenter mode: large type, high contrast, transport only (P)">{ "Present" }</button>
            </div>
            { match &*copied {
                Some(Ok(())) => html! { <p class="share__status" role="status" data-testid="copy-status">{ "Link copied." }</p> },
                Some(Err(url)) => html! {
                    <p class="share__status" role="status" data-testid="copy-status">
                        <label for="copy-fallback">{ "The clipboard was refused; copy the link by hand: " }</label>
                        <input id="copy-fallback" data-testid="copy-fallback" type="text" readonly=true value={url.clone()}
                               onfocus={Callback::from(|e: FocusEvent| select_all(&e))} />
                    </p>
                },
                None => html! {},
            } }
            <details class="share__more">
                <summary>{ "Compare models and export" }</summary>
                <ComparePicker compare={props.compare.clone()} on_action={props.on_action.clone()} />
                <div class="share__row" role="group" aria-label="Export">
                    <span>{ "Export: " }</span>
                    <button type="button" class="btn" data-testid="export-csv" onclick={download("csv")}>{ "Trace CSV" }</button>
                    <button type="button" class="btn" data-testid="export-json" onclick={download("json")}>{ "Trace JSON" }</button>
                    <button type="button" class="btn" data-testid="export-svg" onclick={download("svg")}>{ "Ring SVG" }</button>
                    <button type="button" class="btn" data-testid="export-qr" onclick={on_qr} aria-pressed={qr.is_some().to_string()}>{ "Link QR code" }</button>
                </div>
                if let Some(url) = &*qr {
                    if url.is_empty() {
                        <p class="muted">{ "This link is too long for a QR code." }</p>
                    } else {
                        <img class="share__qr" data-testid="qr" src={url.clone()} alt="QR code of the share link" width="240" height="240" />
                    }
                }
            </details>
        </section>
    }
}

fn select_all(e: &FocusEvent) {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        if let Some(input) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
            input.select();
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = e;
}
