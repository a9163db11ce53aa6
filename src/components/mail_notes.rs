//! "What the mail says / what ringlab assumes": for the 2012 proposal, the rules that are
//! the mail's own words ([`MAIL_WORDS`]) beside the options that are this project's
//! reading of what it leaves open ([`INTERPRETATIONS`]), each with its value in the
//! current scenario.
//!
//! Test hook: `data-testid="mail-notes"`; each interpretation is a `mail-notes-option`
//! with `data-key` and `data-value`.

use crate::format::format_ns;
use ringlab_core::model::proposal::{Admission, ProposalSpec, INTERPRETATIONS, MAIL_WORDS};
use ringlab_core::{ModelSpec, Scenario};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct MailNotesProps {
    pub scenario: Rc<Scenario>,
}

/// Draws nothing unless the scenario's model is the proposal.
#[component]
pub fn MailNotes(props: &MailNotesProps) -> Html {
    let ModelSpec::Proposal(spec) = &props.scenario.model else { return html! {} };
    html! {
        <section class="mail-notes" data-testid="mail-notes" aria-labelledby="mail-notes-heading">
            <h3 id="mail-notes-heading">{ "What the mail says / what ringlab assumes" }</h3>
            <div class="mail-notes__cols">
                <div>
                    <h4>{ "The mail's words" }</h4>
                    <ul class="mail-notes__words">
                        { for MAIL_WORDS.iter().map(|w| html! { <li data-testid="mail-notes-word">{ *w }</li> }) }
                    </ul>
                </div>
                <div>
                    <h4>{ "ringlab's reading (options)" }</h4>
                    <ul class="mail-notes__options">
                        { for INTERPRETATIONS.iter().map(|(key, what)| {
                            let value = option_value(spec, key);
                            html! {
                                <li data-testid="mail-notes-option" data-key={*key} data-value={value.clone()}>
                                    <code>{ format!("{key}: ") }<strong>{ value }</strong></code>
                                    <span class="mail-notes__what">{ format!(" — {what}") }</span>
                                </li>
                            }
                        }) }
                    </ul>
                </div>
            </div>
        </section>
    }
}

fn on_off(b: bool) -> String {
    if b { "on" } else { "off" }.to_string()
}

/// The current value of the option named `key` (a key of [`INTERPRETATIONS`]), as shown.
pub fn option_value(spec: &ProposalSpec, key: &str) -> String {
    match key {
        "admission" => match spec.admission {
            Admission::InFlightAndList => "in_flight+list".into(),
            Admission::InFlightListAndRing => "in_flight+list+ring".into(),
        },
        "append_behind" => on_off(spec.append_behind),
        "drain_on_completion" => on_off(spec.drain_on_completion),
        "timer_ns" if spec.timer_ns == 0 => "0 (no timer)".into(),
        "timer_ns" => format_ns(spec.timer_ns),
        "timer_rearm" => on_off(spec.timer_rearm),
        "flag" => on_off(spec.flag),
        "ring_entries" => format!("{} (capacity {})", spec.ring_entries, spec.ring_entries.saturating_sub(1)),
        _ => "?".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_interpretation_shows_its_value() {
        let spec = ProposalSpec::default();
        for (key, _) in INTERPRETATIONS {
            assert_ne!(option_value(&spec, key), "?", "{key} has no value to show");
        }
        assert_eq!(option_value(&spec, "timer_rearm"), "on");
        assert_eq!(option_value(&spec, "ring_entries"), "8 (capacity 7)");
        let spec = ProposalSpec { timer_rearm: false, timer_ns: 0, admission: Admission::InFlightListAndRing, ..spec };
        assert_eq!(option_value(&spec, "timer_rearm"), "off");
        assert_eq!(option_value(&spec, "timer_ns"), "0 (no timer)");
        assert_eq!(option_value(&spec, "admission"), "in_flight+list+ring");
    }
}
