//! The share bar: the scenario picker, the copy-link button (with a text field to copy
//! by hand when the clipboard is refused), the run hash, presenter mode, the compare
//! picker and the exports (trace CSV/JSON, view SVG, link QR code).

use crate::model::Action;
use crate::web::components::compare_view::ComparePicker;
use ringlab_core::lessons::{self, LESSONS};
use yew::prelude::*;

/// What the bar asks of the component that holds the model: each needs the current
/// state (its link or its trace) and the browser.
pub enum ShareRequest {
    /// Copy the link; `done` gets `Ok`, or the address to copy by hand when the
    /// clipboard is refused.
    CopyLink(Callback<Result<(), String>>),
    /// The link as a QR code (`done` gets an image URL, empty if the link is too long).
    Qr(Callback<String>),
    TraceCsv,
    TraceJson,
    RingSvg,
}

#[derive(Properties, PartialEq, Clone)]
pub struct ShareBarProps {
    pub on_action: Callback<Action>,
    pub on_share: Callback<ShareRequest>,
    /// What the bar draws: the lesson picked (`None`: the default scenario), presenter
    /// mode and the compared models.
    pub lesson_name: Option<String>,
    /// The lecture being stepped through, if any (it is what the picker shows then).
    #[prop_or_default]
    pub lecture_name: Option<String>,
    pub present: bool,
    pub compare: Vec<String>,
    pub compare_reapers: Vec<String>,
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
    // What the copy button did: None, Some(Ok) copied, Some(Err(url)) refused: copy by hand.
    let copied = use_state(|| None::<Result<(), String>>);
    let qr = use_state(|| None::<String>);
    let titles = use_memo((), |_| LESSON_NAMES.iter().map(|n| (n.to_string(), lesson_title(n))).collect::<Vec<_>>());

    let on_pick = {
        let cb = props.on_action.clone();
        Callback::from(move |e: Event| {
            if let Some(v) = crate::web::components::timeline::input_value(&e) {
                cb.emit(Action::ChooseScenario((v != "default").then_some(v)));
            }
        })
    };
    let on_copy = {
        let (on_share, copied) = (props.on_share.clone(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            let copied = copied.clone();
            on_share.emit(ShareRequest::CopyLink(Callback::from(move |result| copied.set(Some(result)))));
        })
    };
    let download = |request: fn() -> ShareRequest| {
        let on_share = props.on_share.clone();
        Callback::from(move |_: MouseEvent| on_share.emit(request()))
    };
    let on_qr = {
        let (on_share, qr) = (props.on_share.clone(), qr.clone());
        Callback::from(move |_: MouseEvent| {
            if qr.is_some() {
                qr.set(None);
            } else {
                let qr = qr.clone();
                on_share.emit(ShareRequest::Qr(Callback::from(move |url| qr.set(Some(url)))));
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
                <summary>{ "Compare, teach and export" }</summary>
                <ComparePicker compare={props.compare.clone()} compare_reapers={props.compare_reapers.clone()} on_action={props.on_action.clone()} />
                <div class="share__row" role="group" aria-label="Lectures">
                    <span>{ "Teach: " }</span>
                    // A lecture steps through its lessons in order (PageDown from a reveal opens the next).
                    { for lessons::LECTURES.iter().map(|l| {
                        let on = props.lecture_name.as_deref() == Some(l.name);
                        let cb = props.on_action.clone();
                        html! {
                            <button type="button" class="btn" data-testid={format!("lecture-{}", l.name)} aria-pressed={on.to_string()}
                                    title={format!("{} lessons in order, about {} minutes", l.lessons.len(), l.minutes)}
                                    onclick={Callback::from(move |_: MouseEvent| cb.emit(Action::ChooseScenario(Some(l.name.to_string()))))}>
                                { format!("Lecture: {}", l.title) }
                            </button>
                        }
                    }) }
                </div>
                <div class="share__row" role="group" aria-label="Export">
                    <span>{ "Export: " }</span>
                    <button type="button" class="btn" data-testid="export-csv" onclick={download(|| ShareRequest::TraceCsv)}>{ "Trace CSV" }</button>
                    <button type="button" class="btn" data-testid="export-json" onclick={download(|| ShareRequest::TraceJson)}>{ "Trace JSON" }</button>
                    <button type="button" class="btn" data-testid="export-svg" onclick={download(|| ShareRequest::RingSvg)}>{ "Ring SVG" }</button>
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
