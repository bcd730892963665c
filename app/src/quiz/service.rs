//! The quiz operations, one function each, shared by the server functions
//! and the no-JavaScript form route.

use super::{
    db, grade,
    model::{AttemptSummary, Attempts, QuizPolicy, QuizResult, QuizReview, Reveal},
};
use crate::{
    auth::model::User, common::slug::is_slug, error::AppError, progress::writer::QuizAttempt,
    state::AppState,
};

pub struct Graded {
    pub result: QuizResult,
    pub attempt_url: Option<String>,
}

/// The rules in force for `lesson`'s quiz: its front matter over the site's.
pub fn policy(state: &AppState, lesson: &crate::lessons::model::Lesson) -> QuizPolicy {
    let rules = &lesson.quiz_rules;
    QuizPolicy {
        reveal: rules.reveal.unwrap_or(state.settings.quiz_reveal),
        max_attempts: rules.max_attempts.or(state.settings.quiz_max_attempts),
        pass_mark: rules.pass_mark.unwrap_or(state.settings.pass_mark),
    }
}

/// Whether right answers and feedback may be shown for a result, under
/// `reveal`. A signed-in learner (`passed_before`: any stored attempt
/// passed) sees them as the policy says. A visitor sees them only for an
/// attempt that passed, and never under `never`: a visitor's attempts are
/// neither stored nor limited, so "after every attempt" for visitors would
/// hand anyone the key for a blank form (the attack this policy closes),
/// while a passing visitor already showed they know the answers.
pub fn keys_visible(
    reveal: Reveal,
    signed_in: bool,
    passed_now: bool,
    passed_before: bool,
) -> bool {
    match reveal {
        Reveal::Never => false,
        Reveal::AfterAttempt if signed_in => true,
        Reveal::AfterAttempt | Reveal::AfterPass => passed_now || (signed_in && passed_before),
    }
}

/// `result` as `reveal` lets its reader see it.
fn shown(result: QuizResult, reveal: Reveal, visible: bool) -> QuizResult {
    if visible {
        result
    } else {
        result.without_keys(reveal)
    }
}

/// Grades `fields` for the quiz at `action` and stores a signed-in
/// learner's attempt (once per submitted form). The result comes back as
/// the lesson's reveal policy lets the caller see it, and a learner who
/// used up the quiz's attempts is refused before anything is graded.
pub async fn grade_submission(
    state: &AppState,
    user: Option<&User>,
    action: &str,
    fields: &[(String, String)],
) -> Result<Graded, AppError> {
    let not_found = || AppError::NotFound("There is no such quiz.".into());
    let parts: Vec<&str> = action.trim_matches('/').split('/').collect();
    let [_lessons @ "lessons", track, slug, "quiz"] = parts.as_slice() else {
        return Err(not_found());
    };
    if !is_slug(track) || !is_slug(slug) {
        return Err(not_found());
    }
    let store = state.content.get();
    let lesson = store
        // The reader's language: a translation keeps the quiz's and the
        // exercises' structure (checked at load), so grading is the same.
        .lesson_in(track, slug, crate::i18n::Lang::current())
        .map(|(l, _)| l)
        .filter(|l| !l.meta.draft)
        .ok_or_else(not_found)?;
    let quiz = lesson.quiz.as_ref().ok_or_else(not_found)?;
    let attempt = fields
        .iter()
        .find(|(k, _)| k == "attempt")
        .map(|(_, v)| v.clone())
        .filter(|a| a.len() == 24 && a.chars().all(|c| c.is_ascii_hexdigit()))
        .ok_or_else(|| {
            AppError::BadRequest(
                "The quiz form is missing its attempt token. Reload the quiz and try again.".into(),
            )
        })?;
    let policy = policy(state, lesson);
    if let (Some(user), Some(max)) = (user, policy.max_attempts) {
        let used = db::attempts_before(&state.pool, user.id, &lesson.meta.id, &attempt).await?;
        if used >= i64::from(max) {
            tracing::info!(user_id = user.id, lesson = %lesson.meta.id, max, "quiz attempts used up");
            return Err(AppError::Conflict(crate::t!(
                "err-quiz-attempts-used",
                max = max
            )));
        }
    }
    // The attempt's own questions, found again from its token.
    let drawn = grade::draw(quiz, &lesson.quiz_rules.draw, &state.quiz_key, &attempt);
    let mut result = grade::grade(
        &quiz.subset(&drawn),
        &state.quiz_key,
        &attempt,
        fields,
        policy.pass_mark,
    )
    .map_err(|e| AppError::BadRequest(e.to_string()))?;
    result.draw = drawn;
    let attempt_url = match user {
        Some(user) => {
            let completes =
                crate::labs::service::completion_allowed(state, user.id, &lesson.meta.id)
                    .await?
                    .is_ok();
            let id = state
                .progress
                .record_attempt(QuizAttempt {
                    user_id: user.id,
                    lesson_id: lesson.meta.id.clone(),
                    submission: attempt.clone(),
                    result: result.clone(),
                    completes,
                })
                .await
                .map_err(|e| AppError::internal("cannot store the quiz attempt", e))?;
            tracing::info!(user_id = user.id, lesson = %lesson.meta.id, percent = result.percent, "quiz attempt");
            Some(format!("{}/quiz/attempts/{id}", lesson.meta.href()))
        }
        None => None,
    };
    let passed_before = match user {
        Some(user) => db::has_passed(&state.pool, user.id, &lesson.meta.id).await?,
        None => false,
    };
    let visible = keys_visible(policy.reveal, user.is_some(), result.passed, passed_before);
    Ok(Graded {
        result: shown(result, policy.reveal, visible),
        attempt_url,
    })
}

/// A submitted quiz form's fields (urlencoded), or a 400 that says so.
pub fn form_fields(body: &[u8]) -> Result<Vec<(String, String)>, AppError> {
    serde_urlencoded::from_bytes(body).map_err(|_| {
        AppError::BadRequest(
            "The quiz form arrived malformed. Reload the quiz and try again.".into(),
        )
    })
}

/// `user`'s attempts on `lesson_id`, newest first, and attempt `id` in full
/// when it is theirs and of this lesson (anyone else's is "not found").
pub async fn attempts(
    state: &AppState,
    user: &User,
    lesson_id: &str,
    id: Option<&str>,
) -> Result<Attempts, AppError> {
    let list = db::attempts(&state.pool, user.id, lesson_id)
        .await?
        .into_iter()
        .map(|row| AttemptSummary {
            id: row.id,
            percent: row.percent.clamp(0, 100) as u32,
            passed: row.passed,
            when: crate::common::time::iso_time(row.created_at)
                .replace('T', " ")
                .replace('Z', ""),
        })
        .collect();
    let shown = match id.filter(|i| !i.is_empty()) {
        None => None,
        Some(id) => {
            let not_found = || AppError::NotFound("There is no such attempt.".into());
            let id: i64 = id.parse().map_err(|_| not_found())?;
            match db::attempt(&state.pool, user.id, id).await? {
                Some(stored) if stored.lesson_id == lesson_id => {
                    // The policy as it stands now: passing later reveals
                    // the keys of earlier attempts too.
                    let store = state.content.get();
                    let reveal = store
                        .lessons
                        .values()
                        .find(|l| l.meta.id == lesson_id)
                        .map(|l| policy(state, l).reveal)
                        .unwrap_or(state.settings.quiz_reveal);
                    let passed = db::has_passed(&state.pool, user.id, lesson_id).await?;
                    let visible = keys_visible(reveal, true, stored.result.passed, passed);
                    let mut result = stored.result;
                    for m in db::attempt_marks(&state.pool, id).await? {
                        if let Some(q) = result
                            .questions
                            .iter_mut()
                            .find(|q| q.n as i64 == m.question)
                        {
                            q.pending = false;
                            q.mark = Some(m.mark.clamp(0, 100) as u32);
                            q.comment = Some(m.comment).filter(|c| !c.is_empty());
                        }
                    }
                    Some(shown(result, reveal, visible))
                }
                _ => return Err(not_found()),
            }
        }
    };
    Ok(Attempts { list, shown })
}

/// The lesson whose front matter id is `lesson_id`.
fn lesson_by_id(
    state: &AppState,
    lesson_id: &str,
) -> Option<std::sync::Arc<crate::lessons::model::Lesson>> {
    state
        .content
        .get()
        .lessons
        .values()
        .find(|l| l.meta.id == lesson_id)
        .cloned()
}

/// The quiz position of question `n` of a stored result (its draw).
fn position(result: &QuizResult, n: usize) -> Option<usize> {
    if result.draw.is_empty() {
        n.checked_sub(1)
    } else {
        result.draw.get(n.checked_sub(1)?).copied()
    }
}

/// Statistics per question and the essays to mark, for every quiz a
/// cohort's learners attempted. Only the cohort's owner or an admin.
pub async fn review(state: &AppState, user: &User, cohort_id: i64) -> Result<QuizReview, AppError> {
    use super::model::{EssayAnswer, Kind, QuizReviewLesson};
    let cohort = crate::progress::service::visible_cohort(state, user, cohort_id).await?;
    let rows = db::cohort_attempts(&state.pool, cohort.id).await?;
    let marks: std::collections::HashMap<(i64, i64), db::EssayMark> =
        db::cohort_marks(&state.pool, cohort.id)
            .await?
            .into_iter()
            .map(|m| ((m.attempt_id, m.question), m))
            .collect();
    // (attempt id, learner's name, result) per lesson, lessons in first-seen order.
    type Attempt = (i64, String, QuizResult);
    let mut by_lesson: Vec<(String, Vec<Attempt>)> = Vec::new();
    for row in rows {
        // A row whose JSON no longer reads (an older format) is skipped.
        let Ok(result) = serde_json::from_str::<QuizResult>(&row.answers) else {
            continue;
        };
        match by_lesson.iter_mut().find(|(l, _)| *l == row.lesson_id) {
            Some((_, list)) => list.push((row.id, row.display_name, result)),
            None => by_lesson.push((row.lesson_id, vec![(row.id, row.display_name, result)])),
        }
    }
    let mut lessons = Vec::new();
    for (lesson_id, attempts) in by_lesson {
        let Some(lesson) = lesson_by_id(state, &lesson_id) else {
            continue;
        };
        let Some(quiz) = lesson.quiz.as_ref() else {
            continue;
        };
        let title_of = |pos: usize| {
            let q = &quiz.questions[pos];
            q.title.clone().unwrap_or_else(|| {
                super::text::plain(&q.text, q.format)
                    .chars()
                    .take(60)
                    .collect()
            })
        };
        let labels: Vec<super::stats::Label> = (0..quiz.questions.len())
            .map(|pos| super::stats::Label {
                title: title_of(pos),
                kind: quiz.questions[pos].kind.name(),
            })
            .collect();
        let results: Vec<QuizResult> = attempts.iter().map(|a| a.2.clone()).collect();
        let mut essays = Vec::new();
        for (id, learner, result) in &attempts {
            for q in &result.questions {
                let Some(pos) = position(result, q.n).filter(|&p| p < quiz.questions.len()) else {
                    continue;
                };
                if !matches!(quiz.questions[pos].kind, Kind::Essay) || q.given.trim().is_empty() {
                    continue;
                }
                let mark = marks.get(&(*id, q.n as i64));
                essays.push(EssayAnswer {
                    attempt_id: *id,
                    question: q.n,
                    learner: learner.clone(),
                    title: title_of(pos),
                    answer: q.given.clone(),
                    mark: mark.map(|m| m.mark.clamp(0, 100) as u32),
                    comment: mark.map(|m| m.comment.clone()).unwrap_or_default(),
                });
            }
        }
        lessons.push(QuizReviewLesson {
            lesson_id: lesson_id.clone(),
            title: lesson.meta.title.clone(),
            attempts: results.len() as u32,
            stats: super::stats::question_stats(&labels, &results),
            essays,
        });
    }
    Ok(QuizReview {
        cohort_id: cohort.id,
        cohort_name: cohort.name,
        lessons,
    })
}

/// The statistics of [`review`] as CSV (one row per question).
pub async fn review_csv(state: &AppState, user: &User, cohort_id: i64) -> Result<String, AppError> {
    let review = review(state, user, cohort_id).await?;
    // Quoted, formula-looking cells neutralised, as the cohort CSV.
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .from_writer(Vec::new());
    let safe = crate::progress::model::csv_safe;
    let fail = |e: csv::Error| AppError::internal("cannot write the statistics CSV", e);
    w.write_record([
        "lesson_id",
        "lesson",
        "question",
        "title",
        "type",
        "attempts",
        "facility_percent",
        "discrimination_percent",
        "most_chosen_wrong_answer",
        "times_chosen",
    ])
    .map_err(fail)?;
    for l in &review.lessons {
        for s in &l.stats {
            let (wrong, times) = s
                .most_chosen_wrong
                .clone()
                .map(|(w, n)| (w, n.to_string()))
                .unwrap_or_default();
            w.write_record([
                safe(&l.lesson_id),
                safe(&l.title),
                s.position.to_string(),
                safe(&s.title),
                s.kind.clone(),
                s.attempts.to_string(),
                format!("{:.1}", s.facility),
                s.discrimination
                    .map(|d| format!("{d:.1}"))
                    .unwrap_or_default(),
                safe(&wrong),
                times,
            ])
            .map_err(fail)?;
        }
    }
    let bytes = w
        .into_inner()
        .map_err(|e| AppError::internal("cannot write the statistics CSV", e))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Marks essay `question` of attempt `attempt_id` (a learner of cohort
/// `cohort_id`) with `mark` percent and `comment`, and returns the review
/// page to go back to.
pub async fn mark_essay(
    state: &AppState,
    user: &User,
    cohort_id: i64,
    attempt_id: i64,
    question: usize,
    mark: u32,
    comment: &str,
) -> Result<String, AppError> {
    use super::model::Kind;
    let cohort = crate::progress::service::visible_cohort(state, user, cohort_id).await?;
    if mark > 100 {
        return Err(AppError::BadRequest(
            "A mark is a percentage from 0 to 100.".into(),
        ));
    }
    let comment = comment.trim();
    if comment.chars().count() > 2000 {
        return Err(AppError::BadRequest(
            "The comment is too long (at most 2,000 characters).".into(),
        ));
    }
    let not_found = || AppError::NotFound("There is no such essay answer in this cohort.".into());
    let (lesson_id, json) = db::cohort_attempt(&state.pool, cohort.id, attempt_id)
        .await?
        .ok_or_else(not_found)?;
    let result: QuizResult = serde_json::from_str(&json).map_err(|_| not_found())?;
    let lesson = lesson_by_id(state, &lesson_id).ok_or_else(not_found)?;
    let quiz = lesson.quiz.as_ref().ok_or_else(not_found)?;
    let is_essay = result.questions.iter().any(|q| q.n == question)
        && position(&result, question)
            .and_then(|p| quiz.questions.get(p))
            .is_some_and(|q| matches!(q.kind, Kind::Essay));
    if !is_essay {
        return Err(not_found());
    }
    db::set_mark(
        &state.pool,
        attempt_id,
        question as i64,
        i64::from(mark),
        comment,
        user.id,
    )
    .await?;
    tracing::info!(grader = user.id, attempt_id, question, mark, "essay marked");
    Ok(format!("/instructor/cohorts/{}/quizzes?marked={attempt_id}-{question}#essay-{attempt_id}-{question}", cohort.id))
}

/// The attempt token of `user`'s next attempt at `lesson_id`: for a
/// learner, derived from the quiz key, the learner, the lesson and how many
/// attempts they have stored, so reloading the quiz shows the same draw
/// until the attempt is submitted (no fishing for easier questions), and a
/// double submit still stores once. A visitor gets a random token.
pub async fn attempt_token(
    state: &AppState,
    user: Option<&User>,
    lesson_id: &str,
) -> Result<String, AppError> {
    use sha2::{Digest, Sha256};
    let Some(user) = user else {
        return Ok(crate::common::random::hex::<12>());
    };
    // From the learner's cached records (the writer forgets them when an
    // attempt is stored, so a submitted draw is never served again).
    let stored = state
        .progress
        .learner(user.id)
        .await?
        .attempts
        .get(lesson_id)
        .copied()
        .unwrap_or(0);
    let mut hash = Sha256::new();
    hash.update(&state.quiz_key[..]);
    hash.update(format!("attempt\0{}\0{lesson_id}\0{stored}", user.id).as_bytes());
    Ok(hash.finalize()[..12]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}
