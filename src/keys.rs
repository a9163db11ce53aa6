//! Keyboard shortcuts: which key does what (pure, tested natively), and the document
//! listener that dispatches them (browser only).

use crate::state::Action;

/// The action for `key`, or `None`; `target` is the focused element's tag name, and
/// keys are ignored while the user types in a field or works a button or a select.
pub fn action_for_key(key: &str, target: &str, modifiers: bool) -> Option<Action> {
    if modifiers {
        return None;
    }
    let target = target.to_ascii_uppercase();
    if matches!(target.as_str(), "INPUT" | "TEXTAREA" | "SELECT") {
        return None;
    }
    if target == "BUTTON" && matches!(key, " " | "Enter") {
        return None; // the button's own click
    }
    Some(match key {
        " " | "k" => Action::TogglePlay,
        "ArrowRight" | "PageDown" => Action::Step,
        "ArrowLeft" | "PageUp" => Action::StepBack,
        "[" => Action::Slower,
        "]" => Action::Faster,
        "r" => Action::Reset,
        "." => Action::Pause,
        "b" => Action::ToggleBlank,
        "p" => Action::TogglePresent,
        "n" => Action::LessonNext,
        "?" => Action::ToggleShortcuts,
        "Escape" => Action::CloseShortcuts,
        _ => return None,
    })
}

/// Listens for `keydown` on the document while the returned value lives.
#[cfg(target_arch = "wasm32")]
pub fn listen(dispatch: yew::Callback<Action>) -> Option<gloo_events::EventListener> {
    use wasm_bindgen::JsCast;
    let document = web_sys::window()?.document()?;
    let options = gloo_events::EventListenerOptions::enable_prevent_default();
    Some(gloo_events::EventListener::new_with_options(&document, "keydown", options, move |event| {
        let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() else { return };
        let target = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .map(|e| e.tag_name())
            .unwrap_or_default();
        let modifiers = event.ctrl_key() || event.meta_key() || event.alt_key();
        if let Some(action) = action_for_key(&event.key(), &target, modifiers) {
            event.prevent_default();
            dispatch.emit(action);
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_map_to_transport_actions() {
        assert_eq!(action_for_key(" ", "BODY", false), Some(Action::TogglePlay));
        assert_eq!(action_for_key("ArrowRight", "BODY", false), Some(Action::Step));
        assert_eq!(action_for_key("ArrowLeft", "div", false), Some(Action::StepBack));
        assert_eq!(action_for_key("]", "BODY", false), Some(Action::Faster));
        assert_eq!(action_for_key("[", "BODY", false), Some(Action::Slower));
        assert_eq!(action_for_key("?", "BODY", false), Some(Action::ToggleShortcuts));
        assert_eq!(action_for_key("x", "BODY", false), None);
        // Presenter clickers send PageUp/PageDown; `.` pauses, `b` blanks the screen.
        assert_eq!(action_for_key("PageDown", "BODY", false), Some(Action::Step));
        assert_eq!(action_for_key("PageUp", "BODY", false), Some(Action::StepBack));
        assert_eq!(action_for_key(".", "BODY", false), Some(Action::Pause));
        assert_eq!(action_for_key("b", "BODY", false), Some(Action::ToggleBlank));
        assert_eq!(action_for_key("p", "BODY", false), Some(Action::TogglePresent));
        assert_eq!(action_for_key("n", "BODY", false), Some(Action::LessonNext));
    }

    #[test]
    fn keys_are_ignored_while_typing_or_with_modifiers() {
        assert_eq!(action_for_key(" ", "INPUT", false), None);
        assert_eq!(action_for_key("ArrowLeft", "select", false), None);
        assert_eq!(action_for_key(" ", "BUTTON", false), None);
        assert_eq!(action_for_key("ArrowRight", "BUTTON", false), Some(Action::Step));
        assert_eq!(action_for_key("r", "BODY", true), None);
    }
}
