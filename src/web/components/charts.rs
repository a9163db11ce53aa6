//! Live charts (hand-written SVG polylines) of the run so far: ring occupancy, list
//! length, in-flight requests, reap latency percentiles and syscalls per second.

use super::FrameProps;
use crate::model::format::{format_ns, format_span};
use ringlab_core::stats::Sample;
use std::fmt::Write;
use yew::prelude::*;

const W: f64 = 240.0;
const H: f64 = 64.0;

/// Points of a polyline for `ys` over `xs`, scaled into a `w × h` box (y up).
pub fn points(xs: &[f64], ys: &[f64], x_max: f64, y_max: f64, w: f64, h: f64) -> String {
    let mut out = String::with_capacity(xs.len() * 12);
    let (x_max, y_max) = (x_max.max(1e-9), y_max.max(1e-9));
    for (x, y) in xs.iter().zip(ys) {
        let px = (x / x_max).clamp(0.0, 1.0) * w;
        let py = h - (y / y_max).clamp(0.0, 1.0) * h;
        let _ = write!(out, "{px:.1},{py:.1} ");
    }
    out.pop();
    out
}

/// Syscalls per second between consecutive samples (the first point repeats the second).
pub fn rate_per_second(samples: &[Sample]) -> Vec<f64> {
    let mut out: Vec<f64> = samples
        .windows(2)
        .map(|w| {
            let dt = w[1].at.saturating_sub(w[0].at).max(1) as f64 / 1e9;
            w[1].syscalls.saturating_sub(w[0].syscalls) as f64 / dt
        })
        .collect();
    if let Some(&first) = out.first() {
        out.insert(0, first);
    }
    out
}

struct Series<'a> {
    label: &'a str,
    class: &'static str,
    ys: Vec<f64>,
}

/// The time axis every chart shares: the samples' instants and the run's instant.
struct TimeAxis<'a> {
    xs: &'a [f64],
    max: f64,
}

/// The y axis of one chart: its top value and how the scale labels it.
struct YAxis {
    max: f64,
    label: String,
}

fn chart(testid: &str, title: &str, now: String, x: &TimeAxis, y: YAxis, series: Vec<Series>) -> Html {
    let (xs, x_max, y_max) = (x.xs, x.max, y.max);
    html! {
        <figure class="chart" data-testid={testid.to_string()}>
            <figcaption>
                <span class="chart__title">{ title }</span>
                <span class="chart__now">{ now }</span>
            </figcaption>
            <svg viewBox={format!("0 0 {W} {H}")} preserveAspectRatio="none" role="img" aria-label={title.to_string()}>
                <line class="chart__axis" x1="0" y1={H.to_string()} x2={W.to_string()} y2={H.to_string()} />
                { for series.iter().map(|s| html! {
                    <polyline class={classes!("chart__line", s.class)} points={points(xs, &s.ys, x_max, y_max, W, H)}>
                        <title>{ s.label }</title>
                    </polyline>
                }) }
            </svg>
            <div class="chart__scale"><span>{ y.label }</span><span>{ "0" }</span></div>
        </figure>
    }
}

#[component]
pub fn Charts(props: &FrameProps) -> Html {
    let f = &props.frame;
    let s = &f.samples;
    let v = &f.view;
    let x_max = v.now_ns.max(1) as f64;
    let xs: Vec<f64> = s.iter().map(|p| p.at as f64).collect();
    let col = |g: fn(&Sample) -> f64| s.iter().map(g).collect::<Vec<f64>>();
    let ring = col(|p| p.ring_len as f64);
    let list = col(|p| p.list_len as f64);
    let flight = col(|p| p.in_flight as f64);
    let p50 = col(|p| p.p50_ns as f64);
    let p99 = col(|p| p.p99_ns as f64);
    let sys = rate_per_second(s);
    let x = TimeAxis { xs: &xs, max: x_max };
    let max = |ys: &[f64]| ys.iter().cloned().fold(1.0, f64::max);
    let cap = v.ring.capacity.max(1) as f64;
    let list_max = max(&list).max(4.0);
    let flight_max = max(&flight).max(4.0);
    let lat_max = max(&p99).max(1_000.0);
    let sys_max = max(&sys).max(1.0);
    let last_sys = sys.last().copied().unwrap_or(0.0);
    html! {
        <section class="charts" aria-label="Charts">
            { chart("chart-ring", "Ring occupancy", format!("{} / {}", v.ring.len, v.ring.capacity), &x, YAxis { max: cap, label: format!("{}", v.ring.capacity) },
                    vec![Series { label: "events in the ring", class: "chart__line--ring", ys: ring }]) }
            { chart("chart-list", "Overflow list length", v.overflow_list.len().to_string(), &x, YAxis { max: list_max, label: format!("{}", list_max) },
                    vec![Series { label: "events on the list", class: "chart__line--list", ys: list }]) }
            { chart("chart-in-flight", "In flight", v.in_flight.to_string(), &x, YAxis { max: flight_max, label: format!("{}", flight_max) },
                    vec![Series { label: "requests at the device", class: "chart__line--flight", ys: flight }]) }
            { chart("chart-latency", "Reap latency p50 / p99",
                    format!("{} / {}", format_ns(v.reap_latency.p50), format_ns(v.reap_latency.p99)), &x, YAxis { max: lat_max, label: format_span(lat_max) },
                    vec![
                        Series { label: "p50", class: "chart__line--p50", ys: p50 },
                        Series { label: "p99", class: "chart__line--p99", ys: p99 },
                    ]) }
            { chart("chart-syscalls", "Syscalls per second", format!("{:.0}/s", last_sys), &x, YAxis { max: sys_max, label: format!("{:.0}/s", sys_max) },
                    vec![Series { label: "syscalls per second", class: "chart__line--sys", ys: sys }]) }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_scale_into_the_box_with_y_up() {
        assert_eq!(points(&[0.0, 10.0], &[0.0, 4.0], 10.0, 4.0, 100.0, 50.0), "0.0,50.0 100.0,0.0");
        assert_eq!(points(&[], &[], 0.0, 0.0, 100.0, 50.0), "");
    }

    #[test]
    fn syscall_rate_is_per_simulated_second() {
        let s = [
            Sample { at: 0, syscalls: 0, ..Default::default() },
            Sample { at: 1_000_000, syscalls: 5, ..Default::default() },
        ];
        assert_eq!(rate_per_second(&s), vec![5000.0, 5000.0]);
    }
}
