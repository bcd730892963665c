//! The JSON shape `academy gift FILE` prints, so an instructor can check a
//! Moodle export before importing it: type, title, text, answers with their
//! fraction and feedback, tolerance, general feedback.

use serde_json::{json, Value};

use super::model::{Kind, NumKey, Quiz};

pub fn to_json(quiz: &Quiz) -> Value {
    let questions: Vec<Value> = quiz
        .questions
        .iter()
        .map(|q| {
            let answers: Vec<Value> = match &q.kind {
                Kind::TrueFalse { answer, feedback_wrong, feedback_right } => vec![
                    json!({ "text": "true", "fraction": if *answer { 1.0 } else { 0.0 },
                            "feedback": if *answer { feedback_right } else { feedback_wrong } }),
                    json!({ "text": "false", "fraction": if *answer { 0.0 } else { 1.0 },
                            "feedback": if *answer { feedback_wrong } else { feedback_right } }),
                ],
                Kind::MultipleChoice { choices, .. } | Kind::ShortAnswer { answers: choices } => choices
                    .iter()
                    .map(|c| json!({ "text": c.text, "fraction": c.fraction, "feedback": c.feedback }))
                    .collect(),
                Kind::Numerical { answers } => answers
                    .iter()
                    .map(|a| match a.key {
                        NumKey::Exact { value, tolerance } => json!({ "text": value.to_string(), "value": value,
                            "tolerance": tolerance, "fraction": a.fraction, "feedback": a.feedback }),
                        NumKey::Range { min, max } => json!({ "text": format!("{min}..{max}"), "min": min,
                            "max": max, "fraction": a.fraction, "feedback": a.feedback }),
                    })
                    .collect(),
                Kind::Matching { pairs } => pairs
                    .iter()
                    .map(|(l, r)| json!({ "text": l, "match": r, "fraction": 1.0, "feedback": null }))
                    .collect(),
            };
            json!({
                "line": q.line,
                "type": q.kind.name(),
                "title": q.title,
                "text": q.text,
                "format": if q.markdown { "markdown" } else { "plain" },
                "text_after": q.text_after,
                "answers": answers,
                "general_feedback": q.general_feedback,
            })
        })
        .collect();
    json!({ "questions": questions })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_shape() {
        let quiz =
            crate::quiz::gift::parse("::T:: 1+1? {=2 #yes ~3 ####math}\n\nN {#5:1}").unwrap();
        let v = to_json(&quiz);
        assert_eq!(v["questions"][0]["type"], "multichoice");
        assert_eq!(v["questions"][0]["answers"][0]["fraction"], 1.0);
        assert_eq!(v["questions"][0]["answers"][0]["feedback"], "yes");
        assert_eq!(v["questions"][0]["general_feedback"], "math");
        assert_eq!(v["questions"][1]["answers"][0]["tolerance"], 1.0);
    }
}
