//! A long seek's progress bar, and the note left when one was stopped.
//!
//! Test hooks: `seek-progress` (a `progressbar` with `aria-valuenow` in %), `notice`.

use crate::model::{Action, SeekProgress};
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct SeekStatusProps {
    pub seeking: Option<SeekProgress>,
    pub notice: Option<String>,
    pub on_action: Callback<Action>,
}

/// Wall-clock milliseconds as a person reads them ("3 s", "2 min").
pub fn format_wall(ms: f64) -> String {
    let s = (ms / 1e3).ceil().max(1.0);
    if s < 90.0 {
        format!("{s:.0} s")
    } else {
        format!("{:.0} min", (s / 60.0).ceil())
    }
}

pub fn seek_status(props: &SeekStatusProps) -> Html {
    html! {
        <>
            if let Some(p) = &props.seeking {
                <div class="seek-progress" data-testid="seek-progress" role="progressbar" aria-label={format!("Going to {}", p.target)}
                     aria-valuemin="0" aria-valuemax="100" aria-valuenow={format!("{:.0}", p.fraction * 100.0)}>
                    <div class="seek-progress__bar" style={format!("width: {:.1}%", p.fraction * 100.0)} />
                    <p class="seek-progress__text">
                        { format!("Going to {}: {:.0} %", p.target, p.fraction * 100.0) }
                        { p.eta_ms.map(|ms| format!(", about {} left", format_wall(ms))).unwrap_or_default() }
                        { ". Pause or Escape stops here." }
                    </p>
                </div>
            }
            if let Some(text) = &props.notice {
                <p class="notice" data-testid="notice" role="status">
                    { text }
                    { " " }
                    <button type="button" class="btn" onclick={props.on_action.reform(|_| Action::DismissNotice)}>{ "OK" }</button>
                </p>
            }
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_left_reads_in_seconds_then_minutes() {
        assert_eq!(format_wall(10.0), "1 s");
        assert_eq!(format_wall(2_400.0), "3 s");
        assert_eq!(format_wall(200_000.0), "4 min");
    }
}
