//! Per-question statistics of a quiz, as Moodle's quiz statistics report
//! defines them:
//!
//! - **facility index**: the mean score on the question, in percent of its
//!   maximum (how easy it was);
//! - **discrimination index**: the correlation, in percent, between the
//!   score on the question and the score on the rest of the attempt (the
//!   attempt's other questions): near 100 the question separates strong
//!   from weak learners, near 0 or below it does not;
//! - the most chosen wrong answer (what to address in class).
//!
//! Pure functions over stored attempts; the cohort page and its CSV read them.

use std::collections::HashMap;

use super::model::{QuestionStats, QuizResult};

/// One question's title and type, by its position in the lesson's quiz.
pub struct Label {
    pub title: String,
    pub kind: &'static str,
}

/// Pearson's correlation of two equally long series, or `None` when one
/// does not vary (Moodle shows nothing then either).
fn correlation(xs: &[f64], ys: &[f64]) -> Option<f64> {
    let n = xs.len() as f64;
    if xs.len() < 2 {
        return None;
    }
    let (mx, my) = (xs.iter().sum::<f64>() / n, ys.iter().sum::<f64>() / n);
    let (mut cov, mut vx, mut vy) = (0.0, 0.0, 0.0);
    for (x, y) in xs.iter().zip(ys) {
        cov += (x - mx) * (y - my);
        vx += (x - mx).powi(2);
        vy += (y - my).powi(2);
    }
    (vx > 1e-12 && vy > 1e-12).then(|| cov / (vx * vy).sqrt())
}

/// Statistics per question of the lesson's quiz (`labels`, by position),
/// over `attempts`. Essays and questions nobody was asked are left out.
pub fn question_stats(labels: &[Label], attempts: &[QuizResult]) -> Vec<QuestionStats> {
    // Per quiz position: (score, rest of the attempt, given) per attempt.
    let mut seen: HashMap<usize, Vec<(f64, f64, String)>> = HashMap::new();
    for a in attempts {
        let auto: Vec<_> = a
            .questions
            .iter()
            .filter(|q| !q.pending && !is_essay(labels, a, q.n))
            .collect();
        let total: f64 = auto.iter().map(|q| q.score).sum();
        for q in auto {
            let Some(pos) = position(a, q.n) else {
                continue;
            };
            seen.entry(pos)
                .or_default()
                .push((q.score, total - q.score, q.given.clone()));
        }
    }
    let mut out: Vec<QuestionStats> = labels
        .iter()
        .enumerate()
        .filter_map(|(pos, label)| {
            let rows = seen.get(&pos)?;
            let scores: Vec<f64> = rows.iter().map(|r| r.0).collect();
            let rest: Vec<f64> = rows.iter().map(|r| r.1).collect();
            let mut wrong: HashMap<&str, u32> = HashMap::new();
            for (score, _, given) in rows {
                if *score < 1.0 && !given.trim().is_empty() {
                    *wrong.entry(given.as_str()).or_default() += 1;
                }
            }
            let most_wrong = wrong
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
                .map(|(g, n)| (g.to_string(), n));
            Some(QuestionStats {
                position: pos + 1,
                title: label.title.clone(),
                kind: label.kind.to_string(),
                attempts: rows.len() as u32,
                facility: 100.0 * scores.iter().sum::<f64>() / rows.len() as f64,
                discrimination: correlation(&scores, &rest).map(|r| 100.0 * r),
                most_chosen_wrong: most_wrong,
            })
        })
        .collect();
    out.sort_by_key(|s| s.position);
    out
}

/// The quiz position of question `n` of attempt `a` (its draw, or `n - 1`
/// for attempts stored before draws were kept).
fn position(a: &QuizResult, n: usize) -> Option<usize> {
    if a.draw.is_empty() {
        n.checked_sub(1)
    } else {
        a.draw.get(n.checked_sub(1)?).copied()
    }
}

fn is_essay(labels: &[Label], a: &QuizResult, n: usize) -> bool {
    position(a, n)
        .and_then(|p| labels.get(p))
        .is_some_and(|l| l.kind == "essay")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quiz::model::QuestionResult;

    fn attempt(scores: &[(f64, &str)]) -> QuizResult {
        QuizResult {
            percent: 0,
            passed: false,
            pass_mark: 70,
            points: 0.0,
            max_points: 0.0,
            questions: scores
                .iter()
                .enumerate()
                .map(|(i, (s, g))| QuestionResult {
                    n: i + 1,
                    title: None,
                    text: Default::default(),
                    given: g.to_string(),
                    score: *s,
                    right: String::new(),
                    feedback: vec![],
                    general_feedback: None,
                    pending: false,
                    mark: None,
                    comment: None,
                })
                .collect(),
            keys_shown: true,
            reveal_hint: None,
            draw: vec![],
        }
    }

    fn labels(n: usize) -> Vec<Label> {
        (0..n)
            .map(|i| Label {
                title: format!("Q{}", i + 1),
                kind: "multichoice",
            })
            .collect()
    }

    #[test]
    fn facility_discrimination_and_most_chosen_wrong_answer() {
        // Q1 is answered right by exactly the learners who do well on the
        // rest: it discriminates perfectly. Q3 is right for everyone.
        let attempts = vec![
            attempt(&[(1.0, "a"), (1.0, "x"), (1.0, "ok")]),
            attempt(&[(1.0, "a"), (1.0, "x"), (1.0, "ok")]),
            attempt(&[(0.0, "b"), (0.0, "y"), (1.0, "ok")]),
            attempt(&[(0.0, "b"), (0.0, "z"), (1.0, "ok")]),
            attempt(&[(0.0, "c"), (0.0, "y"), (1.0, "ok")]),
        ];
        let s = question_stats(&labels(3), &attempts);
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].attempts, 5);
        assert!((s[0].facility - 40.0).abs() < 1e-9);
        assert!(
            (s[0].discrimination.unwrap() - 100.0).abs() < 1e-6,
            "{:?}",
            s[0]
        );
        assert_eq!(s[0].most_chosen_wrong, Some(("b".to_string(), 2)));
        assert_eq!(s[1].most_chosen_wrong, Some(("y".to_string(), 2)));
        assert!((s[2].facility - 100.0).abs() < 1e-9);
        assert_eq!(s[2].discrimination, None, "no variance, no index");
        assert_eq!(s[2].most_chosen_wrong, None);
    }

    #[test]
    fn a_question_weak_learners_get_right_discriminates_negatively() {
        let attempts = vec![
            attempt(&[(0.0, "b"), (1.0, "x"), (1.0, "x")]),
            attempt(&[(1.0, "a"), (0.0, "y"), (0.0, "y")]),
            attempt(&[(0.0, "b"), (1.0, "x"), (0.0, "y")]),
            attempt(&[(1.0, "a"), (0.0, "y"), (1.0, "x")]),
        ];
        let s = question_stats(&labels(3), &attempts);
        assert!(s[0].discrimination.unwrap() < 0.0, "{:?}", s[0]);
    }

    #[test]
    fn draws_map_to_quiz_positions() {
        let mut a = attempt(&[(1.0, "t"), (0.0, "f")]);
        a.draw = vec![0, 3];
        let s = question_stats(&labels(4), &[a]);
        assert_eq!(s.iter().map(|s| s.position).collect::<Vec<_>>(), [1, 4]);
    }
}
