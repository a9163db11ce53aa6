//! The controls: each with a label, its units and valid range, and the reason next to
//! it when a value is rejected. Changing one rebuilds the scenario and resets the run.
//! With them, the transport: beside the stage on a wide window (one sticky column), above
//! it on a phone or a tablet, where the model, workload and reaper fields fold away.

use crate::model::caps::{hint, Caps, FlagCap};
use crate::model::controls::{Control, ControlValues, LATENCY_DISTS};
use crate::model::Action;
use crate::web::components::timeline::input_value;
use crate::web::components::transport::{Transport, TransportProps};
use ringlab_core::{ModelKind, ReaperPolicy};
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct ControlsProps {
    pub values: ControlValues,
    pub error: Option<(Control, String)>,
    pub transport: TransportProps,
    pub on_action: Callback<Action>,
    /// Whether the model, workload and reaper fields start unfolded (a wide window).
    #[prop_or(true)]
    pub open: bool,
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
        <div class="side" data-testid="controls">
            <section class="side__transport controls__transport" aria-labelledby="transport-heading">
                <h2 id="transport-heading">{ "Transport" }</h2>
                <Transport ..props.transport.clone() />
                <p class="side__hint muted small">{ "Press " }<kbd>{ "?" }</kbd>{ " for keyboard shortcuts." }</p>
            </section>
            <aside class="controls" aria-label="Model, workload and reaper">
                <details class="controls__fold" open={props.open}>
                    <summary>{ "Model, workload and reaper" }</summary>
                    <ControlsForm values={props.values.clone()} error={props.error.clone()} on_action={props.on_action.clone()} />
                </details>
            </aside>
        </div>
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
    // The model picker only offers known names; an unknown one shows the default's caps.
    let kind = ModelKind::from_name(props.values.get(Control::Model)).unwrap_or(ModelKind::Proposal);
    let caps = Caps::of(kind);
    let hint_of = |c: Control| hint(c, &caps);
    let policies: Vec<&str> = ReaperPolicy::ALL.iter().map(|p| p.name()).collect();
    let policy_hint = ReaperPolicy::from_name(props.values.get(Control::ReaperPolicy)).map_or("", ReaperPolicy::hint);
    let flag_disabled = caps.flag != FlagCap::Optional;
    html! {
        <>
            <section>
                <h2>{ "Model" }</h2>
                { ctx.select(Control::Model, "Kernel model", &ModelKind::NAMES, &hint_of(Control::Model)) }
                { ctx.number(Control::RingEntries, caps.ring_label, &hint_of(Control::RingEntries), false) }
                { ctx.number(Control::MaxRequests, "max_requests", &hint_of(Control::MaxRequests), !caps.max_requests) }
                <div class="control-row">
                    { ctx.checkbox(Control::Timer, "Flush timer", &hint_of(Control::Timer), !caps.timer) }
                    { ctx.checkbox(Control::Flag, "Flag next to the tail", &hint_of(Control::Flag), flag_disabled) }
                </div>
                { ctx.number(Control::TimerPeriod, "Timer period (µs)", &hint_of(Control::TimerPeriod), !(caps.timer && props.values.flag(Control::Timer))) }
            </section>
            <section>
                <h2>{ "Workload" }</h2>
                <div class="control-row">
                    { ctx.number(Control::SubmitRate, "Submit rate (req/s)", &hint_of(Control::SubmitRate), false) }
                    { ctx.number(Control::Batch, "Batch (requests)", &hint_of(Control::Batch), false) }
                </div>
                <div class="control-row">
                    { ctx.select(Control::LatencyDist, "Latency distribution", &LATENCY_DISTS, "") }
                    { ctx.number(Control::Latency, "Mean latency (µs)", &hint_of(Control::Latency), false) }
                </div>
                { ctx.number(Control::Seed, "Random seed", &hint_of(Control::Seed), false) }
            </section>
            <section>
                <h2>{ "Reaper" }</h2>
                { ctx.select(Control::ReaperPolicy, "Policy", &policies, policy_hint) }
                <div class="control-row">
                    { ctx.number(Control::ReaperInterval, "Interval (µs)", &hint_of(Control::ReaperInterval), false) }
                    { ctx.number(Control::ReaperBatch, "Batch (events)", &hint_of(Control::ReaperBatch), false) }
                </div>
            </section>
        </>
    }
}
