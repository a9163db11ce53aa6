//! The trace loader: replay a recorded I/O trace through the current model, reaper and
//! seed. A fio latency log or a `submit_ns,complete_ns` CSV is read from a file picker or
//! a drop (it never leaves the machine) and parsed a slice per frame by the app model
//! (`model::trace_load`). For a trace from a file (which a link cannot carry) it offers
//! the scenario file that bundles it.
//!
//! Built-in traces are replayed by link (`#v=1&phases=1&p0.trace=bursty`) or the lesson
//! `trace-ring-size` (a picker for them cost more of the bundle than it was worth).
//!
//! Test hooks: `trace-drop` (the drop zone, the whole fold), `trace-file` (the
//! `<input type=file>`), and one status line: `trace-progress` (`aria-valuenow` in %),
//! `trace-error` (`role="alert"`) or `trace-loaded` (`data-name`, `data-requests`);
//! `trace-link-note` with `trace-bundle` (the download) for a trace a link cannot carry.

use crate::model::format::format_ns;
use crate::model::trace_load::{self, TraceStatus};
use crate::model::{Action, ById};
use crate::web::browser::{self, FileText};
use ringlab_core::Scenario;
use std::rc::Rc;
use yew::prelude::*;

/// The loader for the running `scenario` (which trace it replays, if any) and the
/// model's trace `status`. A plain function, not a component type of its own: yew's
/// per-component machinery would cost the bundle more than this markup (the playground
/// redraws it with the page, a dozen nodes).
pub fn trace_loader(scenario: &ById<Scenario>, status: &TraceStatus, on_action: &Callback<Action>) -> Html {
    let read = {
        let cb = on_action.clone();
        Callback::from(move |(name, text): FileText| cb.emit(Action::LoadTrace { name, text: text.map(Rc::from) }))
    };
    let on_file = {
        let read = read.clone();
        Callback::from(move |e: Event| browser::read_input_file(&e, read.clone()))
    };
    let on_drop = Callback::from(move |e: DragEvent| {
        e.prevent_default();
        browser::read_dropped_file(&e, read.clone());
    });
    let loaded = trace_load::loaded(scenario);
    let on_bundle = {
        let scenario = scenario.clone();
        Callback::from(move |_: MouseEvent| {
            let (name, json) = trace_load::bundle(&scenario);
            browser::download(&name, "application/json", &json);
        })
    };
    let s = status;
    // One status line: reading (with progress), what was wrong, or the trace replayed.
    let (testid, text, percent) = match (&s.loading, &s.error, &loaded) {
        (Some((name, fraction)), _, _) => {
            let percent = format!("{:.0}", fraction * 100.0);
            ("trace-progress", format!("Reading {name}: {percent} %"), Some(percent))
        }
        (_, Some(error), _) => ("trace-error", error.clone(), None),
        (_, _, Some(t)) => (
            "trace-loaded",
            format!(
                "Replaying {}: {} requests over {}.",
                t.name,
                t.requests,
                format_ns(scenario.workload.duration_ns())
            ),
            None,
        ),
        _ => ("", String::new(), None),
    };
    html! {
        <details class="fold fold--trace" data-testid="trace-drop" open={!testid.is_empty()}
                 ondragover={Callback::from(|e: DragEvent| e.prevent_default())} ondrop={on_drop}>
            <summary>{ "Replay a recorded trace" }</summary>
            <p>
                { "A fio latency log (write_lat_log, log_avg_msec=0) or a CSV of submit_ns,complete_ns, dropped here or \
                   chosen (it is read here and stays on this machine): " }
                <input type="file" data-testid="trace-file" aria-label="Trace file" onchange={on_file} />
            </p>
            if !testid.is_empty() {
                <p class="notice" data-testid={testid} role={if testid == "trace-error" { "alert" } else { "status" }}
                   aria-valuenow={percent} data-name={loaded.as_ref().map(|t| t.name.clone())}
                   data-requests={loaded.as_ref().map(|t| t.requests.to_string())}>
                    { text }
                </p>
            }
            if let Some(note) = loaded.as_ref().and_then(trace_load::link_note).filter(|_| s.loading.is_none()) {
                <p class="notice" data-testid="trace-link-note">
                    { note }{ " " }
                    <button type="button" class="btn" data-testid="trace-bundle" onclick={on_bundle}>
                        { "Download the scenario with its trace" }
                    </button>
                </p>
            }
        </details>
    }
}
