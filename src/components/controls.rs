//! The controls: each with a label, its units and valid range, and the reason next to
//! it when a value is rejected. Changing one rebuilds the scenario and resets the run.

use crate::components::timeline::input_value;
use crate::components::transport::{Transport, TransportProps};
use crate::controls_model::{Caps, Control, ControlValues, FlagCap, LATENCY_DISTS};
use crate::model::Action;
use ringlab_core::{ModelSpec, ReaperPolicy};
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct ControlsProps {
    pub values: ControlValues,
    pub error: Option<(Control, String)>,
    pub transport: TransportProps,
    pub on_action: Callback<Action>,
}

struct Ctx<'a> {
    values: &'a ControlValues,
    error: &'a Option<(Control, String)>,
    on_action: &'a Callback<Action>,
}

impl Ctx<'_> {
    fn on_change(&self, c: Control) -> Callback<Event> {
        let cb = self.on_action.clone();
        Callback::from(move |e: Event| {
            if let Some(v) = input_value(&e) {
                cb.emit(Action::SetControl(c, v));
            }
        })
    }

    fn message(&self, c: Control) -> Html {
        match self.error {
            Some((bad, msg)) if *bad == c => html! {
                <span class="control__error" role="alert" id={format!("{}-error", c.name())}
                      data-testid={format!("error-{}", c.name())}>{ msg }</span>
            },
            _ => html! {},
        }
    }

    fn invalid(&self, c: Control) -> bool {
        matches!(self.error, Some((bad, _)) if *bad == c)
    }

    /// A text field for a number: `hint` gives the units and range.
    fn number(&self, c: Control, label: &str, hint: &str, disabled: bool) -> Html {
        let id = format!("control-{}", c.name());
        html! {
            <div class={classes!("control", self.invalid(c).then_some("control--invalid"))}>
                <label for={id.clone()}>{ label }</label>
                <input id={id.clone()} type="text" inputmode="decimal" data-testid={id}
                       value={self.values.get(c).to_string()} onchange={self.on_change(c)} disabled={disabled}
                       aria-invalid={self.invalid(c).to_string()} aria-describedby={format!("{}-hint {}-error", c.name(), c.name())} />
                <span class="control__hint" id={format!("{}-hint", c.name())}>{ hint }</span>
                { self.message(c) }
            </div>
        }
    }

    fn select(&self, c: Control, label: &str, options: &[&str], hint: &str) -> Html {
        let id = format!("control-{}", c.name());
        let current = self.values.get(c);
        html! {
            <div class="control">
                <label for={id.clone()}>{ label }</label>
                <select id={id.clone()} data-testid={id} onchange={self.on_change(c)}>
                    { for options.iter().map(|o| html! { <option value={o.to_string()} selected={*o == current}>{ *o }</option> }) }
                </select>
                if !hint.is_empty() { <span class="control__hint">{ hint }</span> }
                { self.message(c) }
            </div>
        }
    }

    fn checkbox(&self, c: Control, label: &str, hint: &str, disabled: bool) -> Html {
        let id = format!("control-{}", c.name());
        html! {
            <div class="control control--check">
                <input id={id.clone()} type="checkbox" data-testid={id.clone()} checked={self.values.flag(c)}
                       onchange={self.on_change(c)} disabled={disabled} />
                <label for={id}>{ label }</label>
                <span class="control__hint">{ hint }</span>
                { self.message(c) }
            </div>
        }
    }
}

#[component]
pub fn Controls(props: &ControlsProps) -> Html {
    html! {
        <aside class="controls" aria-label="Controls" data-testid="controls">
            <ControlsForm values={props.values.clone()} error={props.error.clone()} on_action={props.on_action.clone()} />
            <section class="controls__transport">
                <h2>{ "Transport" }</h2>
                <Transport ..props.transport.clone() />
                <p class="muted small">{ "Press " }<kbd>{ "?" }</kbd>{ " for keyboard shortcuts." }</p>
            </section>
        </aside>
    }
}

#[derive(Properties, PartialEq, Clone)]
struct FormProps {
    values: ControlValues,
    error: Option<(Control, String)>,
    on_action: Callback<Action>,
}

/// The model, workload and reaper fields: a component of their own, so that play and
/// pause (the transport) do not redraw the whole form.
#[component]
fn ControlsForm(props: &FormProps) -> Html {
    let ctx = Ctx { values: &props.values, error: &props.error, on_action: &props.on_action };
    let model = props.values.get(Control::Model);
    let caps = Caps::of(model);
    let policies: Vec<&str> = ReaperPolicy::ALL.iter().map(|p| p.name()).collect();
    let (flag_hint, flag_disabled) = match caps.flag {
        FlagCap::None => ("this model has no flag", true),
        FlagCap::Always => ("always there in this model", true),
        FlagCap::Optional => ("set while the overflow list is non-empty", false),
    };
    html! {
        <>
            <section>
                <h2>{ "Model" }</h2>
                { ctx.select(Control::Model, "Kernel model", &ModelSpec::NAMES, model_hint(model)) }
                { ctx.number(Control::RingEntries, caps.ring_label,
                             &format!("{} to {}; {}", caps.ring_min, caps.ring_max, caps.ring_note), false) }
                { ctx.number(Control::MaxRequests, "max_requests",
                             if caps.max_requests { "1 to 65536 requests in flight (decoupled from the ring)" } else { "only the proposal decouples it from the ring" },
                             !caps.max_requests) }
                <div class="control-row">
                    { ctx.checkbox(Control::Timer, "Flush timer", if caps.timer { "flushes the list when completions stop" } else { "this model has no timer" }, !caps.timer) }
                    { ctx.checkbox(Control::Flag, "Flag next to the tail", flag_hint, flag_disabled) }
                </div>
                { ctx.number(Control::TimerPeriod, "Timer period (µs)", "1 to 10000000 µs", !(caps.timer && props.values.flag(Control::Timer))) }
            </section>
            <section>
                <h2>{ "Workload" }</h2>
                <div class="control-row">
                    { ctx.number(Control::SubmitRate, "Submit rate (req/s)", "0 to 1e9, first phase", false) }
                    { ctx.number(Control::Batch, "Batch (requests)", "1 to 65536 per call", false) }
                </div>
                <div class="control-row">
                    { ctx.select(Control::LatencyDist, "Latency distribution", &LATENCY_DISTS, "") }
                    { ctx.number(Control::Latency, "Mean latency (µs)", "0 to 1e8 µs", false) }
                </div>
                { ctx.number(Control::Seed, "Random seed", "any whole number 0 to 2^64−1", false) }
            </section>
            <section>
                <h2>{ "Reaper" }</h2>
                { ctx.select(Control::ReaperPolicy, "Policy", &policies, policy_hint(props.values.get(Control::ReaperPolicy))) }
                <div class="control-row">
                    { ctx.number(Control::ReaperInterval, "Interval (µs)", "1 to 1e8 µs between wake-ups", false) }
                    { ctx.number(Control::ReaperBatch, "Batch (events)", "1 to 65536 per wake-up", false) }
                </div>
            </section>
        </>
    }
}

fn model_hint(model: &str) -> &'static str {
    match model {
        "aio-2012" => "Linux aio as in 2012: the ring is sized to max_requests, no overflow",
        "aio" => "today's aio: per-CPU request slots, still no overflow list",
        "proposal" => "the 2012 mail: overflow list, flag next to the tail, flush timer",
        "io_uring" => "today's io_uring: overflow backlog and flag; a waiting enter (GETEVENTS) flushes it",
        "io_uring-5.5" => "io_uring 5.5–5.12: backlog flushed at submit; EBUSY",
        "io_uring-5.1" => "io_uring 5.1–5.3: a full CQ ring drops the completion",
        _ => "",
    }
}

fn policy_hint(policy: &str) -> &'static str {
    match policy {
        "libaio" => "syscall only when head ≠ tail; never reads the flag, but each syscall refills the ring from the list",
        "ring" => "reads the ring from userspace, never a syscall",
        "ring+flag" => "reads the ring; syscall when empty and the flag is set",
        "syscall" => "every reap is a syscall, which flushes the list",
        _ => "",
    }
}
