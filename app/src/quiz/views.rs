//! The graded result as a component: rendered in the quiz page and, for the
//! quiz island, by the `submit_quiz` server function. Both import this
//! module; neither imports the other.

use leptos::prelude::*;

use super::model::QuizResult;

/// Score, right and wrong answers, feedback.
#[component]
pub fn QuizResultView(result: QuizResult, #[prop(optional)] note: Option<String>) -> impl IntoView {
    let keys = result.keys_shown;
    let reveal_hint = result.reveal_hint.clone().unwrap_or_else(|| "later".into());
    view! {
        <section class="quiz-result" aria-labelledby="result-h">
            <h2 id="result-h">{format!("Your score: {} %", result.percent)}</h2>
            <p class=if result.passed { "passed" } else { "not-passed" }>
                {if result.passed {
                    format!("Passed (pass mark {} %). The lesson is marked complete.", result.pass_mark)
                } else {
                    format!("Not passed yet: the pass mark is {} %. Review the lesson and try again.", result.pass_mark)
                }}
            </p>
            {note.map(|n| view! { <p class="help">{n}</p> })}
            {(!keys).then(|| view! { <p class="help keys-hidden">"Right answers and feedback are not shown for this attempt (this lesson's quiz shows them "{reveal_hint.clone()}")."</p> })}
            <ol class="results">
                {result.questions.into_iter().map(|q| {
                    let essay = q.pending || q.mark.is_some();
                    let verdict = if essay { "essay" } else if q.score >= 1.0 { "right" } else if q.score > 0.0 { "partly right" } else { "wrong" };
                    view! {
                        <li class=format!("result {}", verdict.replace(' ', "-"))>
                            <p class="result-title"><strong>{q.title.clone().unwrap_or_else(|| format!("Question {}", q.n))}</strong>{if essay { " — essay, marked by an instructor".to_string() } else { format!(" — {verdict} ({} %)", (q.score * 100.0).round()) }}</p>
                            <div class="question-text" inner_html=q.text.as_str().to_string()></div>
                            <p>"Your answer: " {if q.given.is_empty() { "(no answer)".to_string() } else { q.given.clone() }}</p>
                            {(keys && !q.right.is_empty()).then(|| view! { <p>"Right answer: " {q.right.clone()}</p> })}
                            {q.pending.then(|| view! { <p class="help">"Waiting for an instructor's mark."</p> })}
                            {q.mark.map(|m| view! { <p class="essay-mark">{format!("Instructor's mark: {m} %")}</p> })}
                            {q.comment.map(|c| view! { <p class="essay-comment">"Instructor's comment: "{c}</p> })}
                            {q.feedback.into_iter().map(|f| view! { <div class="feedback" inner_html=f.as_str().to_string()></div> }).collect_view()}
                            {q.general_feedback.map(|g| view! { <div class="general-feedback" inner_html=g.as_str().to_string()></div> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}
