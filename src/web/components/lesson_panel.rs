//! The lesson panel: the goal, the question to answer before playing, the narration at
//! each pause point, the button to the next pause point, and the reveal at the end; in a
//! lecture, where the class stands. When a setting changed from the lesson and its claim
//! no longer holds, the note says what changed and the text says what the counters show.
//! In presenter mode the same panel, compact, carries the lesson: its current text
//! (question, narration or reveal) is the caption.

use crate::model::lesson::LessonView;
use crate::model::Action;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct LessonPanelProps {
    pub lesson: LessonView,
    pub playing: bool,
    /// Presenter mode: the goal only before playing, the current text as the caption.
    #[prop_or_default]
    pub present: bool,
    pub on_action: Callback<Action>,
}

#[component]
pub fn LessonPanel(props: &LessonPanelProps) -> Html {
    let l = &props.lesson;
    let emit = |a: Action| {
        let cb = props.on_action.clone();
        Callback::from(move |_: MouseEvent| cb.emit(a.clone()))
    };
    let text = html! {
        <>
            if l.at_start && !props.playing && !l.question.is_empty() {
                <div class="lesson__question" data-testid="lesson-question">
                    <p><strong>{ "Predict first: " }</strong>{ &l.question }</p>
                    <button type="button" class="btn btn--primary" data-testid="lesson-play" onclick={emit(Action::TogglePlay)}>
                        { "▶ Play to find out" }
                    </button>
                </div>
            }
            if let (Some(note), true) = (&l.changed, l.at_pause) {
                <p class="lesson__changed" data-testid="lesson-changed">{ note }</p>
            }
            if let (Some((n, text)), false) = (&l.narration, l.revealed) {
                <p class="lesson__narration" data-testid="lesson-narration" data-index={n.to_string()} aria-live="polite">
                    <span class="lesson__step">{ format!("Pause {n} of {}", l.total) }</span>{ text }
                </p>
            }
            if l.revealed && !l.reveal.is_empty() {
                <p class="lesson__reveal" data-testid="lesson-reveal" data-holds={l.changed.is_none().to_string()}>
                    <strong>{ "What happened: " }</strong>{ &l.reveal }
                </p>
            }
        </>
    };
    html! {
        <section class={classes!("lesson", props.present.then_some("lesson--present"))} aria-labelledby="lesson-heading"
                 data-testid="lesson" data-passed={l.passed.to_string()} data-total={l.total.to_string()}
                 data-revealed={l.revealed.to_string()}>
            <h3 id="lesson-heading">
                { "Lesson" }
                if let Some((progress, _)) = &l.lecture {
                    <span class="lesson__lecture" data-testid="lecture-progress">{ progress }</span>
                }
            </h3>
            if !l.goal.is_empty() && (!props.present || l.at_start) {
                <p class="lesson__goal" data-testid="lesson-goal"><strong>{ "Goal: " }</strong>{ &l.goal }</p>
            }
            if !props.present {
                { text }
            } else if l.caption().is_some() {
                <div class="caption" data-testid="caption" aria-live="polite">{ text }</div>
            }
            <p class="lesson__nav">
                <button type="button" class="btn" data-testid="lesson-next" onclick={emit(Action::LessonNext)}
                        title="Jump to the next pause point (PageDown or N)">{ l.next_label() }</button>
                <span class="muted small">{ format!(" {} of {} pause points reached", l.passed, l.total) }</span>
            </p>
        </section>
    }
}
