//! The graded result as a component: rendered in the quiz page and, for the
//! quiz island, by the `submit_quiz` server function. Both import this
//! module; neither imports the other.

use leptos::prelude::*;

use super::model::QuizResult;
use crate::t;

/// The sentence saying that right answers are hidden, and when the quiz
/// shows them. `hint` is the policy's English phrase stored with the result
/// (see `Reveal::hint`); an unknown one is shown as it is.
fn keys_hidden_note(hint: Option<&str>) -> String {
    match hint {
        Some("after every attempt") => t!("quiz-result-keys-hidden-after-attempt"),
        Some("once you pass while signed in") => t!("quiz-result-keys-hidden-after-pass"),
        Some("never") => t!("quiz-result-keys-hidden-never"),
        None | Some("later") => t!("quiz-result-keys-hidden-later"),
        Some(other) => t!("quiz-result-keys-hidden-other", hint = other),
    }
}

/// Score, right and wrong answers, feedback.
#[component]
pub fn QuizResultView(result: QuizResult, #[prop(optional)] note: Option<String>) -> impl IntoView {
    let keys = result.keys_shown;
    let keys_hidden = keys_hidden_note(result.reveal_hint.as_deref());
    view! {
        <section class="quiz-result" aria-labelledby="result-h">
            <h2 id="result-h">{t!("quiz-result-score", percent = result.percent)}</h2>
            <p class=if result.passed { "passed" } else { "not-passed" }>
                {if result.passed {
                    t!("quiz-result-passed", mark = result.pass_mark)
                } else {
                    t!("quiz-result-not-passed", mark = result.pass_mark)
                }}
            </p>
            {note.map(|n| view! { <p class="help">{n}</p> })}
            {(!keys).then(|| view! { <p class="help keys-hidden">{keys_hidden.clone()}</p> })}
            <ol class="results">
                {result.questions.into_iter().map(|q| {
                    let essay = q.pending || q.mark.is_some();
                    let verdict = if essay { "essay" } else if q.score >= 1.0 { "right" } else if q.score > 0.0 { "partly right" } else { "wrong" };
                    view! {
                        <li class=format!("result {}", verdict.replace(' ', "-"))>
                            <p class="result-title"><strong>{q.title.clone().unwrap_or_else(|| t!("quiz-question-number", n = q.n))}</strong>{if essay {
                                format!(" {}", t!("quiz-result-essay"))
                            } else {
                                let percent = (q.score * 100.0).round().to_string();
                                format!(" {}", match verdict {
                                    "right" => t!("quiz-result-right", percent = percent),
                                    "partly right" => t!("quiz-result-partly-right", percent = percent),
                                    _ => t!("quiz-result-wrong", percent = percent),
                                })
                            }}</p>
                            <div class="question-text" inner_html=q.text.as_str().to_string()></div>
                            <p>{t!("quiz-result-your-answer", answer = if q.given.is_empty() { t!("quiz-result-no-answer") } else { q.given.clone() })}</p>
                            {(keys && !q.right.is_empty()).then(|| view! { <p>{t!("quiz-result-right-answer", answer = &q.right)}</p> })}
                            {q.pending.then(|| view! { <p class="help">{t!("quiz-result-waiting")}</p> })}
                            {q.mark.map(|m| view! { <p class="essay-mark">{t!("quiz-result-instructor-mark", mark = m)}</p> })}
                            {q.comment.map(|c| view! { <p class="essay-comment">{t!("quiz-result-instructor-comment", comment = c)}</p> })}
                            {q.feedback.into_iter().map(|f| view! { <div class="feedback" inner_html=f.as_str().to_string()></div> }).collect_view()}
                            {q.general_feedback.map(|g| view! { <div class="general-feedback" inner_html=g.as_str().to_string()></div> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use crate::{i18n::Lang, t_in};

    #[test]
    fn i18n_rules_and_results_read_as_before_in_english() {
        assert_eq!(
            t_in!(Lang::En, "quiz-rules-attempts", count = 1u32),
            "You have 1 attempt."
        );
        assert_eq!(
            t_in!(Lang::En, "quiz-rules-attempts", count = 3u32),
            "You have 3 attempts."
        );
        assert_eq!(
            t_in!(Lang::Es, "quiz-rules-attempts", count = 1u32),
            "Tienes 1 intento."
        );
        assert_eq!(
            t_in!(Lang::En, "quiz-result-score", percent = 50u32),
            "Your score: 50 %"
        );
        assert_eq!(
            t_in!(Lang::En, "quiz-result-right", percent = "100"),
            "— right (100 %)"
        );
        assert_eq!(
            t_in!(Lang::En, "quiz-result-your-answer", answer = "{POST}"),
            "Your answer: {POST}"
        );
        assert_eq!(
            t_in!(
                Lang::Es,
                "quiz-review-lesson",
                title = "HTTP",
                n = "2",
                count = 2u32
            ),
            "HTTP (2 intentos)"
        );
    }
}
