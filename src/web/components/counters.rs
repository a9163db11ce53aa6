//! Running counters and the ledger line: submitted = in flight + in ring + in list +
//! reaped + dropped, red if it ever fails.

use super::FrameProps;
use ringlab_core::trace::FlushTrigger;
use yew::prelude::*;

fn metric(name: &'static str, label: &'static str, value: u64, title: String) -> Html {
    html! {
        <div class="metric" data-testid={format!("metric-{name}")} data-value={value.to_string()} title={title}>
            <dt>{ label }</dt>
            <dd>{ value }</dd>
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
                { metric("submitted", "submitted", c.submitted, "requests accepted by the kernel".into()) }
                { metric("completed", "completed", c.completed, "requests the device completed".into()) }
                { metric("reaped", "reaped", c.reaped(), format!("{} from userspace, {} inside a syscall", c.reaped_user, c.reaped_syscall)) }
                { metric("overflowed", "overflowed", c.overflowed, format!("completions sent to the overflow list; longest list {}", c.max_list)) }
                { metric("flushed", "flushed", c.flushed_total(), format!("by trigger: {by_trigger}")) }
                { metric("dropped", "dropped", c.dropped, "completions lost".into()) }
                { metric("eagain", "EAGAIN", c.eagain, "submissions refused for lack of a slot".into()) }
                { metric("ebusy", "EBUSY", c.ebusy, "submissions refused: backlog not flushed".into()) }
                { metric("syscalls", "syscalls", c.syscalls, format!("{} skipped by libaio's fast path", c.syscalls_skipped)) }
                { metric("timer-fires", "timer fires", c.timer_fires, format!("{} moved nothing", c.timer_fires_empty)) }
                { metric("in-flight", "in flight", l.in_flight, "requests at the device".into()) }
                { metric("in-ring", "in ring", l.in_ring, "events between head and tail".into()) }
                { metric("in-list", "in list", l.in_list, "events on the overflow list".into()) }
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
