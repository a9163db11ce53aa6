//! aio's slot accounting beside the ring: today's global pool and per-CPU caches (A3.3),
//! or 2012's single `reqs_active` count (A1.2). Drawn only for the aio models.

use crate::model::Frame;
use ringlab_core::view::SlotPools as Pools;
use yew::prelude::*;

/// CPU caches drawn; the rest are summed up.
const MAX_CPUS: usize = 16;

fn pool(testid: &'static str, name: String, count: u32, class: Option<&'static str>, note: &str) -> Html {
    html! {
        <li class={classes!("slot-pool", class)} data-testid={testid} data-count={count.to_string()}>
            <span class="slot-pool__name">{ name }</span>
            <strong class="slot-pool__count">{ count }</strong>
            <span class="slot-pool__note">{ note }</span>
        </li>
    }
}

/// The pools beside the ring (nothing for the other models). A plain function, not a
/// component: it is drawn exactly when the ring figure is, and a component's own
/// lifecycle code cost the bundle about 650 bytes gzip.
pub fn slot_pools(frame: &Frame) -> Html {
    let v = &frame.view;
    let Some(pools) = &v.slot_pools else { return html! {} };
    let (intro, items) = match pools {
        Pools::PerCpu { global, cpus, batch } => {
            // A3.3: a cache takes from the pool only a whole batch; less than that is stranded.
            let stranded = *global < *batch;
            let note = if stranded { " free, less than a batch: no CPU can take them" } else { " free" };
            let more = cpus.len().saturating_sub(MAX_CPUS);
            let rest: u32 = cpus.iter().skip(MAX_CPUS).sum();
            let intro = format!(
                "io_submit reserves each request's ring slot from its CPU's cache; an empty cache takes {batch} \
                 from the global pool, or the submit fails with EAGAIN."
            );
            let items = html! {
                <>
                    { pool("slot-pool-global", "global pool".into(), *global, stranded.then_some("slot-pool--stranded"), note) }
                    { for cpus.iter().take(MAX_CPUS).enumerate().map(|(i, n)| pool("slot-pool-cpu", format!("CPU {i} cache"), *n, None, " free")) }
                    if more > 0 {
                        <li class="slot-pool muted">{ format!("+{more} more CPUs holding {rest}") }</li>
                    }
                </>
            };
            (intro, items)
        }
        Pools::Global { reqs_active, limit } => {
            // A1.2: every submit checks events in the ring + reqs_active against nr − 1.
            let intro = format!(
                "Every io_submit checks one global count: events in the ring ({}) + reqs_active ({reqs_active}) \
                 may not exceed {limit}, else EAGAIN.",
                v.ring.len
            );
            let note = " allocated, not yet completed";
            (intro, pool("slot-pool-global", "reqs_active".into(), *reqs_active, None, note))
        }
    };
    html! {
        <section class="slot-pools" aria-labelledby="slot-pools-heading">
            <h3 id="slot-pools-heading">{ "Ring slots io_submit can reserve" }</h3>
            <p class="muted small">{ intro }</p>
            <ul class="slot-pools__list">{ items }</ul>
        </section>
    }
}
