//! Running counters and the ledger line: submitted = in flight + in ring + in list +
//! reaped + dropped, red if it ever fails.

use super::FrameProps;
use crate::model::counter_rows::{counter_rows, CounterRow};
use ringlab_core::trace::FlushTrigger;
use yew::prelude::*;

fn metric(r: CounterRow) -> Html {
    html! {
        <div class="metric" data-testid={format!("metric-{}", r.hook)} data-value={r.value.to_string()} title={r.title}>
            <dt>{ r.label }</dt>
            <dd>{ r.value }</dd>
        </div>
    }
}

#[component]
pub fn Counters(props: &FrameProps) -> Html {
    let v = &props.frame.view;
    let c = &v.counters;
    let l = &v.ledger;
    let by_trigger =
        FlushTrigger::ALL.iter().map(|t| format!("{} {}", t.name(), c.flushed_by(*t))).collect::<Vec<_>>().join(", ");
    let ledger_text = format!(
        "submitted {} = in flight {} + in ring {} + in list {} + reaped {} + dropped {}",
        l.submitted, l.in_flight, l.in_ring, l.in_list, l.reaped, l.dropped
    );
    html! {
        <section class="counters" aria-labelledby="counters-heading">
            <h3 id="counters-heading">{ "Counters" }</h3>
            <dl class="metrics">
                { for counter_rows(v).into_iter().map(metric) }
            </dl>
            <p class="flush-breakdown muted">{ format!("flushed by trigger: {by_trigger}") }</p>
            <p class={classes!("ledger", (!l.holds).then_some("ledger--broken"))} data-testid="ledger"
               data-holds={l.holds.to_string()}>
                <span aria-hidden="true">{ if l.holds { "✓ " } else { "✗ " } }</span>
                { ledger_text }
                if !l.holds { <strong>{ format!(" — does not balance (right side {})", l.accounted()) }</strong> }
            </p>
        </section>
    }
}
