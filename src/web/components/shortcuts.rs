//! The keyboard shortcuts: a native `<dialog>`, opened as a modal (`showModal`, by the
//! shell once it is drawn: the page behind it is inert, Tab stays inside, Escape closes
//! it and focus returns to what opened it), with a switch to turn the single-key
//! shortcuts off (WCAG 2.1.4; remembered in localStorage by the shell).

use crate::model::Action;
use yew::prelude::*;

/// Every shortcut, as shown in the dialog.
pub const SHORTCUTS: [(&str, &str); 11] = [
    ("Space", "play / pause"),
    ("→", "step one event"),
    ("←", "step back one event"),
    ("PageDown  n", "lesson: next pause point, then the reveal, then the lecture's next lesson (clickers send PageDown; outside a lesson, one event)"),
    ("PageUp", "lesson: previous pause point (outside a lesson, back one event)"),
    (".", "pause"),
    ("p", "presenter mode on / off"),
    ("b", "blank the screen (b again, or Space, brings it back)"),
    ("-  +  (or [  ])", "slower / faster (= also goes faster)"),
    ("r", "reset"),
    ("?", "this list (Esc closes it)"),
];

#[derive(Properties, PartialEq, Clone)]
pub struct ShortcutsProps {
    /// The `<dialog>`'s id (the shell opens it as a modal by id).
    pub id: AttrValue,
    pub on_action: Callback<Action>,
    /// Whether the single-key shortcuts act.
    pub enabled: bool,
}

#[component]
pub fn Shortcuts(props: &ShortcutsProps) -> Html {
    let close = props.on_action.reform(|_: MouseEvent| Action::CloseShortcuts);
    // The native dialog closed itself (Escape while a field inside has focus): the model
    // follows.
    let on_close = props.on_action.reform(|_: Event| Action::CloseShortcuts);
    let on_toggle = {
        let cb = props.on_action.clone();
        Callback::from(move |e: Event| {
            if let Some(v) = crate::web::components::timeline::input_value(&e) {
                cb.emit(Action::SetShortcutsEnabled(v == "true"));
            }
        })
    };
    html! {
        <dialog id={props.id.clone()} class="dialog" aria-labelledby="shortcuts-heading" data-testid="shortcuts" onclose={on_close}>
            <h2 id="shortcuts-heading">{ "Keyboard shortcuts" }</h2>
            <p class="dialog__switch">
                <input type="checkbox" id="shortcuts-enabled" data-testid="shortcuts-enabled" checked={props.enabled}
                       onchange={on_toggle} aria-describedby="shortcuts-enabled-hint" />
                <label for="shortcuts-enabled">{ "Single-key shortcuts on" }</label>
                <span id="shortcuts-enabled-hint" class="muted small">
                    { " Off: the keys below do nothing (Esc still closes a dialog); remembered on this device." }
                </span>
            </p>
            <dl class={classes!("shortcuts", (!props.enabled).then_some("shortcuts--off"))}>
                { for SHORTCUTS.iter().map(|(k, what)| html! { <><dt><kbd>{ *k }</kbd></dt><dd>{ *what }</dd></> }) }
            </dl>
            <p class="muted small">{ "Keys are ignored while you type in a field. Tab reaches every control." }</p>
            <button type="button" class="btn" onclick={close} autofocus=true>{ "Close" }</button>
        </dialog>
    }
}
