//! The lesson panel: the goal, the question to answer before playing, the narration at
//! each pause point, the button to the next pause point, and the reveal at the end.

use crate::model::lesson::LessonView;
use crate::model::Action;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct LessonPanelProps {
    pub lesson: LessonView,
    pub playing: bool,
    pub on_action: Callback<Action>,
}

#[component]
pub fn LessonPanel(props: &LessonPanelProps) -> Html {
    let l = &props.lesson;
    let emit = |a: Action| {
        let cb = props.on_action.clone();
        Callback::from(move |_: MouseEvent| cb.emit(a.clone()))
    };
    html! {
        <section class="lesson" aria-labelledby="lesson-heading" data-testid="lesson"
                 data-passed={l.passed.to_string()} data-total={l.total.to_string()} data-revealed={l.revealed.to_string()}>
            <h3 id="lesson-heading">{ "Lesson" }</h3>
            if !l.goal.is_empty() {
                <p class="lesson__goal" data-testid="lesson-goal"><strong>{ "Goal: " }</strong>{ &l.goal }</p>
            }
            if l.at_start && !props.playing && !l.question.is_empty() {
                <div class="lesson__question" data-testid="lesson-question">
                    <p><strong>{ "Predict first: " }</strong>{ &l.question }</p>
                    <button type="button" class="btn btn--primary" data-testid="lesson-play" onclick={emit(Action::TogglePlay)}>
                        { "▶ Play to find out" }
                    </button>
                </div>
            }
            if let Some((n, text)) = &l.narration {
                <p class="lesson__narration" data-testid="lesson-narration" data-index={n.to_string()} aria-live="polite">
                    <span class="lesson__step">{ format!("Pause {n} of {}", l.total) }</span>{ text }
                </p>
            }
            if l.revealed && !l.reveal.is_empty() {
                <p class="lesson__reveal" data-testid="lesson-reveal"><strong>{ "What happened: " }</strong>{ &l.reveal }</p>
            }
            <p class="lesson__nav">
                <button type="button" class="btn" data-testid="lesson-next" onclick={emit(Action::LessonNext)}
                        title="Jump to the next pause point (N)">{ l.next_label() }</button>
                <span class="muted small">{ format!(" {} of {} pause points reached", l.passed, l.total) }</span>
            </p>
        </section>
    }
}
