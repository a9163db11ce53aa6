//! The `?` dialog listing the keyboard shortcuts.

use crate::model::Action;
use yew::prelude::*;

/// Every shortcut, as shown in the dialog.
pub const SHORTCUTS: [(&str, &str); 10] = [
    ("Space", "play / pause"),
    ("→  PageDown", "step one event (presenter clickers send PageDown)"),
    ("←  PageUp", "step back one event"),
    (".", "pause"),
    ("n", "lesson: go on to the next pause point"),
    ("p", "presenter mode on / off"),
    ("b", "blank the screen (b again, or Space, brings it back)"),
    ("[  ]", "slower / faster"),
    ("r", "reset"),
    ("?", "this list (Esc closes it)"),
];

#[derive(Properties, PartialEq, Clone)]
pub struct ShortcutsProps {
    pub on_action: Callback<Action>,
}

#[component]
pub fn Shortcuts(props: &ShortcutsProps) -> Html {
    let close = {
        let cb = props.on_action.clone();
        Callback::from(move |_: MouseEvent| cb.emit(Action::CloseShortcuts))
    };
    html! {
        <div class="dialog-backdrop">
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="shortcuts-heading" data-testid="shortcuts">
                <h2 id="shortcuts-heading">{ "Keyboard shortcuts" }</h2>
                <dl class="shortcuts">
                    { for SHORTCUTS.iter().map(|(k, what)| html! { <><dt><kbd>{ *k }</kbd></dt><dd>{ *what }</dd></> }) }
                </dl>
                <p class="muted">{ "Keys are ignored while you type in a field. Tab reaches every control." }</p>
                <button type="button" class="btn" onclick={close} autofocus=true>{ "Close" }</button>
            </div>
        </div>
    }
}
