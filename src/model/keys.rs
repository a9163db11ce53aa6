//! Keyboard shortcuts: which key does what (the web shell's listener asks).

use super::Action;

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
