//! The banner for a bad share link: each problem, what was used instead, and a way to
//! dismiss it. The text comes from the link, so it is shown as text, never as markup.

use crate::model::Action;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct LinkBannerProps {
    pub problems: Vec<String>,
    pub on_action: Callback<Action>,
}

pub fn link_banner(props: &LinkBannerProps) -> Html {
    if props.problems.is_empty() {
        return html! {};
    }
    let dismiss = {
        let cb = props.on_action.clone();
        Callback::from(move |_: MouseEvent| cb.emit(Action::DismissLinkProblems))
    };
    let n = props.problems.len();
    html! {
        <section class="link-error" role="alert" data-testid="link-error" data-count={n.to_string()}>
            <div class="link-error__text">
                <strong>{ if n == 1 { "Something in this link was not right; the app runs the nearest valid scenario:".to_string() }
                          else { format!("{n} things in this link were not right; the app runs the nearest valid scenario:") } }</strong>
                <ul>
                    { for props.problems.iter().map(|p| html! { <li data-testid="link-problem">{ p }</li> }) }
                </ul>
            </div>
            <button type="button" class="btn" data-testid="link-error-dismiss" onclick={dismiss}
                    aria-label="Dismiss the link problems">{ "Dismiss" }</button>
        </section>
    }
}
