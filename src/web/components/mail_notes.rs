//! "What the mail says / what ringlab assumes": for the 2012 proposal, sentences of the
//! mail, each linked to the lesson that demonstrates it ([`MAIL_QUOTES`]); the rules that
//! are the mail's own words ([`MAIL_WORDS`]); and beside them the options that are this
//! project's reading of what it leaves open ([`INTERPRETATIONS`]), each with its value
//! in the current scenario. Rule ids stay out of the text (they are for the code and
//! `docs/kernel-rules.md`).
//!
//! Test hooks: `data-testid="mail-notes"`; each quote is a `mail-notes-quote` with
//! `data-lesson` and a link to `#v=1&lesson=NAME`; each rule a `mail-notes-word`; each
//! interpretation a `mail-notes-option` with `data-key` and `data-value`.

use crate::model::format::format_ns;
use ringlab_core::lessons;
use ringlab_core::model::proposal::{ProposalSpec, INTERPRETATIONS, MAIL_QUOTES, MAIL_WORDS};
use ringlab_core::spec::{FieldTable, Slot};
use ringlab_core::{ModelSpec, Scenario};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct MailNotesProps {
    pub scenario: Rc<Scenario>,
    /// Whether the notes start unfolded (a wide window; folded on a phone or a tablet).
    #[prop_or(true)]
    pub open: bool,
}

/// Draws nothing unless the scenario's model is the proposal.
#[component]
pub fn MailNotes(props: &MailNotesProps) -> Html {
    let ModelSpec::Proposal(spec) = &props.scenario.model else { return html! {} };
    html! {
        <details class="mail-notes fold" data-testid="mail-notes" open={props.open}>
            <summary id="mail-notes-heading">{ "What the mail says / what ringlab assumes" }</summary>
            <ul class="mail-notes__quotes">
                { for MAIL_QUOTES.iter().map(|(quote, lesson)| html! {
                    <li data-testid="mail-notes-quote" data-lesson={*lesson}>
                        <q>{ *quote }</q>
                        { " " }
                        <a href={lesson_href(lesson)}>{ format!("See it: {}", lesson_title(lesson)) }</a>
                    </li>
                }) }
            </ul>
            <div class="mail-notes__cols">
                <div>
                    <h4>{ "The mail's words" }</h4>
                    <ul class="mail-notes__words">
                        { for MAIL_WORDS.iter().map(|(_, w)| html! { <li data-testid="mail-notes-word">{ *w }</li> }) }
                    </ul>
                </div>
                <div>
                    <h4>{ "ringlab's reading (options)" }</h4>
                    <ul class="mail-notes__options">
                        { for INTERPRETATIONS.iter().map(|(key, _, what)| {
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
        </details>
    }
}

/// The link that opens a built-in lesson from its start. The lessons about who reaps
/// (`stuck`, `libaio`) open with a userspace reaper and libaio side by side, the mail's
/// contrast: the first strands events, the second does not.
pub fn lesson_href(lesson: &str) -> String {
    match lesson {
        "stuck" | "libaio" => format!("#v=1&lesson={lesson}&compare_reapers=ring,libaio&paused=1"),
        _ => format!("#v=1&lesson={lesson}&paused=1"),
    }
}

/// A lesson's title, or its link name where it has none.
fn lesson_title(lesson: &str) -> String {
    lessons::lesson(lesson).map(|s| s.title).filter(|t| !t.is_empty()).unwrap_or_else(|| lesson.to_string())
}

fn on_off(b: bool) -> String {
    if b { "on" } else { "off" }.to_string()
}

/// The current value of the option named `key` (a key of [`INTERPRETATIONS`]), as shown:
/// switches as on or off, the rest as the proposal's field table writes them.
pub fn option_value(spec: &ProposalSpec, key: &str) -> String {
    match key {
        "timer_ns" if spec.timer_ns == 0 => "0 (no timer)".into(),
        "timer_ns" => format_ns(spec.timer_ns),
        "ring_entries" => format!("{} (capacity {})", spec.ring_entries, spec.ring_entries.saturating_sub(1)),
        _ => match ProposalSpec::field(key) {
            Some(f) => match &f.slot {
                Slot::Bool(get, _) => on_off(get(spec)),
                _ => f.text(spec).unwrap_or_default(),
            },
            None => "?".into(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_interpretation_shows_its_value() {
        let spec = ProposalSpec::default();
        for (key, _, _) in INTERPRETATIONS {
            assert_ne!(option_value(&spec, key), "?", "{key} has no value to show");
        }
        assert_eq!(option_value(&spec, "timer_rearm"), "on");
        assert_eq!(option_value(&spec, "ring_entries"), "8 (capacity 7)");
        let admission = ringlab_core::model::proposal::Admission::InFlightListAndRing;
        let spec = ProposalSpec { timer_rearm: false, timer_ns: 0, admission, ..spec };
        assert_eq!(option_value(&spec, "timer_rearm"), "off");
        assert_eq!(option_value(&spec, "timer_ns"), "0 (no timer)");
        assert_eq!(option_value(&spec, "admission"), "in_flight+list+ring");
    }

    #[test]
    fn each_quote_links_to_its_lesson_by_title() {
        for (_, lesson) in MAIL_QUOTES {
            let opened = crate::model::decode_link(&lesson_href(lesson));
            assert_eq!(opened.state.lesson.as_deref(), Some(lesson), "{lesson}");
            assert!(opened.problems.is_empty(), "{lesson}");
            assert_ne!(lesson_title(lesson), lesson, "{lesson} has a title");
        }
        assert_eq!(lesson_title("libaio"), "libaio alone never strands events");
    }

    #[test]
    fn no_rule_id_in_the_shown_text() {
        let ids = has_rule_id;
        for (_, w) in MAIL_WORDS {
            assert!(!ids(w), "{w}");
        }
        for (_, _, what) in INTERPRETATIONS {
            assert!(!ids(what), "{what}");
        }
    }

    /// Whether `text` holds a token shaped like a rule id (B1, B4a, …).
    fn has_rule_id(text: &str) -> bool {
        text.split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| w.len() >= 2 && w.starts_with(['A', 'B', 'U', 'L']) && w[1..2].chars().all(|c| c.is_ascii_digit()))
    }
}
