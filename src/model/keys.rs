//! Keyboard shortcuts: which key does what (the web shell's listener asks).
//!
//! Every shortcut is a single key, so they can be turned off (WCAG 2.1.4): the shell
//! passes `enabled`, and when it is off only Escape (close a dialog, stop a seek) acts.
//! Speed has keys that every common layout types without AltGr: `[`/`]` (US, UK), and
//! `-`/`+` (German, French, Nordic; `=` is `+` without Shift on US and French layouts).
//! A presenter's clicker sends PageDown/PageUp: they go to the lesson's next/previous
//! pause point (outside a lesson, one event); the arrows step single events.

use super::Action;

/// The action for `key`, or `None`; `target` is the focused element's tag name, and
/// keys are ignored while the user types in a field or works a button or a select.
/// With `enabled` false (the user turned the shortcuts off) only Escape acts.
pub fn action_for_key(key: &str, target: &str, modifiers: bool, enabled: bool) -> Option<Action> {
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
    if !enabled && key != "Escape" {
        return None;
    }
    Some(match key {
        " " | "k" => Action::TogglePlay,
        "ArrowRight" => Action::Step,
        "ArrowLeft" => Action::StepBack,
        "PageDown" | "n" => Action::LessonNext,
        "PageUp" => Action::LessonPrevious,
        "[" | "-" => Action::Slower,
        "]" | "+" | "=" => Action::Faster,
        "r" => Action::Reset,
        "." => Action::Pause,
        "b" => Action::ToggleBlank,
        "p" => Action::TogglePresent,
        "?" => Action::ToggleShortcuts,
        "Escape" => Action::CloseShortcuts,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: &str) -> Option<Action> {
        action_for_key(k, "BODY", false, true)
    }

    #[test]
    fn keys_map_to_transport_actions() {
        assert_eq!(key(" "), Some(Action::TogglePlay));
        assert_eq!(key("ArrowRight"), Some(Action::Step));
        assert_eq!(action_for_key("ArrowLeft", "div", false, true), Some(Action::StepBack));
        assert_eq!(key("]"), Some(Action::Faster));
        assert_eq!(key("["), Some(Action::Slower));
        assert_eq!(key("?"), Some(Action::ToggleShortcuts));
        assert_eq!(key("x"), None);
        // Presenter clickers send PageUp/PageDown: pause point to pause point; the arrows
        // step single events; `.` pauses, `b` blanks the screen.
        assert_eq!(key("PageDown"), Some(Action::LessonNext));
        assert_eq!(key("PageUp"), Some(Action::LessonPrevious));
        assert_eq!(key("."), Some(Action::Pause));
        assert_eq!(key("b"), Some(Action::ToggleBlank));
        assert_eq!(key("p"), Some(Action::TogglePresent));
        assert_eq!(key("n"), Some(Action::LessonNext));
    }

    #[test]
    fn speed_has_keys_on_european_layouts() {
        // German and Nordic layouts type `-` and `+` without a modifier (`[` and `]` need
        // AltGr, which the browser reports as Ctrl+Alt); US and French type `-` and `=`.
        assert_eq!(key("-"), Some(Action::Slower));
        assert_eq!(key("+"), Some(Action::Faster));
        assert_eq!(key("="), Some(Action::Faster));
        // AltGr+8 on a German layout is `[` with Ctrl and Alt held: not a shortcut.
        assert_eq!(action_for_key("[", "BODY", true, true), None);
    }

    #[test]
    fn turned_off_only_escape_acts() {
        for k in [
            " ",
            "k",
            "ArrowRight",
            "PageDown",
            "PageUp",
            "ArrowLeft",
            "[",
            "]",
            "-",
            "+",
            "r",
            ".",
            "b",
            "p",
            "n",
            "?",
        ] {
            assert_eq!(action_for_key(k, "BODY", false, false), None, "{k:?} with the shortcuts off");
        }
        assert_eq!(action_for_key("Escape", "BODY", false, false), Some(Action::CloseShortcuts));
        assert_eq!(action_for_key("Escape", "DIALOG", false, false), Some(Action::CloseShortcuts));
    }

    #[test]
    fn turning_them_off_outlasts_a_new_link_and_a_new_scenario() {
        use crate::model::{decode_link, AppModel};
        let mut m = AppModel::new(ringlab_core::lessons::default_scenario()).unwrap();
        assert!(m.screen.shortcuts_enabled, "on by default");
        m.update(Action::SetShortcutsEnabled(false));
        m.update(Action::OpenLink(std::rc::Rc::new(decode_link("#v=1&lesson=stuck"))));
        assert!(!m.screen.shortcuts_enabled, "a pasted link keeps the choice");
        m.update(Action::ChooseScenario(Some("timer".into())));
        assert!(!m.screen.shortcuts_enabled, "a lesson from the picker keeps it");
        m.update(Action::SetShortcutsEnabled(true));
        assert!(m.screen.shortcuts_enabled);
    }

    #[test]
    fn keys_are_ignored_while_typing_or_with_modifiers() {
        assert_eq!(action_for_key(" ", "INPUT", false, true), None);
        assert_eq!(action_for_key("-", "INPUT", false, true), None);
        assert_eq!(action_for_key("ArrowLeft", "select", false, true), None);
        assert_eq!(action_for_key(" ", "BUTTON", false, true), None);
        assert_eq!(action_for_key("ArrowRight", "BUTTON", false, true), Some(Action::Step));
        assert_eq!(action_for_key("r", "BODY", true, true), None);
    }
}
