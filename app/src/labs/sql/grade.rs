//! Comparing a learner's result with the reference's, and saying what
//! differs without giving the answer away.

use crate::labs::model::{Cell, Table, MAX_ROWS};

/// A check's finding.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    pub passed: bool,
    pub message: String,
}

impl Verdict {
    pub fn pass(message: &str) -> Verdict {
        Verdict {
            passed: true,
            message: message.into(),
        }
    }
    pub fn fail(message: impl Into<String>) -> Verdict {
        Verdict {
            passed: false,
            message: message.into(),
        }
    }
}

/// Whether `got` equals `expected`: same column count and values (names
/// are not compared), in order only when `ordered`.
pub fn compare(expected: &Table, got: &Table, ordered: bool, what: &str) -> Verdict {
    if got.truncated {
        return Verdict::fail(crate::t!(
            "labs-verdict-too-many-rows",
            what = what,
            max = MAX_ROWS,
            expected = expected.rows.len()
        ));
    }
    if expected.columns.len() != got.columns.len() {
        return Verdict::fail(crate::t!(
            "labs-verdict-columns",
            what = what,
            got = got.columns.len(),
            expected = expected.columns.len()
        ));
    }
    if expected.rows.len() != got.rows.len() {
        return Verdict::fail(crate::t!(
            "labs-verdict-rows",
            what = what,
            got = got.rows.len(),
            expected = expected.rows.len()
        ));
    }
    let keys = |t: &Table| -> Vec<String> { t.rows.iter().map(|r| row_key(r)).collect() };
    let (want, have) = (keys(expected), keys(got));
    if want == have {
        return Verdict::pass(&crate::t!("labs-verdict-correct"));
    }
    let (mut want_sorted, mut have_sorted) = (want.clone(), have.clone());
    want_sorted.sort();
    have_sorted.sort();
    if want_sorted == have_sorted {
        return if ordered {
            Verdict::fail(crate::t!("labs-verdict-order"))
        } else {
            Verdict::pass(&crate::t!("labs-verdict-correct"))
        };
    }
    let missing = missing_count(&want_sorted, &have_sorted);
    Verdict::fail(crate::t!("labs-verdict-missing", count = missing))
}

/// Rows of sorted `want` that sorted `have` lacks (multiset difference).
fn missing_count(want: &[String], have: &[String]) -> usize {
    let (mut i, mut j, mut missing) = (0, 0, 0);
    while i < want.len() {
        if j < have.len() && have[j] == want[i] {
            i += 1;
            j += 1;
        } else if j < have.len() && have[j] < want[i] {
            j += 1;
        } else {
            missing += 1;
            i += 1;
        }
    }
    missing
}

/// A row as a comparable key: integers and whole reals compare equal
/// (`2` = `2.0`), other reals to 9 significant digits.
fn row_key(row: &[Cell]) -> String {
    let mut key = String::new();
    for cell in row {
        match cell {
            Cell::Null => key.push('N'),
            Cell::Int(i) => key.push_str(&format!("I{i}")),
            Cell::Real(r) if r.fract() == 0.0 && r.abs() < 9.0e15 => {
                key.push_str(&format!("I{}", *r as i64))
            }
            Cell::Real(r) => key.push_str(&format!("R{r:.8e}")),
            Cell::Text(t) => {
                key.push('T');
                key.push_str(t);
            }
            Cell::Blob(n) => key.push_str(&format!("B{n}")),
        }
        key.push('\u{1f}');
    }
    key
}

/// The plan check: `plan` must mention `contains` and not `excludes`.
pub fn plan(lines: &[String], contains: Option<&str>, excludes: Option<&str>) -> Verdict {
    let text = lines.join("\n");
    if let Some(c) = contains {
        if !text.contains(c) {
            return Verdict::fail(crate::t!("labs-verdict-plan-missing", text = c));
        }
    }
    if let Some(x) = excludes {
        if text.contains(x) {
            return Verdict::fail(crate::t!("labs-verdict-plan-excluded", text = x));
        }
    }
    Verdict::pass(&crate::t!("labs-verdict-plan-correct"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(rows: &[&[i64]]) -> Table {
        Table {
            columns: (0..rows.first().map_or(1, |r| r.len()))
                .map(|i| format!("c{i}"))
                .collect(),
            rows: rows
                .iter()
                .map(|r| r.iter().map(|v| Cell::Int(*v)).collect())
                .collect(),
            truncated: false,
        }
    }

    #[test]
    fn equal_results_pass_and_names_do_not_matter() {
        let mut got = t(&[&[1, 2], &[3, 4]]);
        got.columns = vec!["x".into(), "y".into()];
        assert!(compare(&t(&[&[1, 2], &[3, 4]]), &got, true, "Your result").passed);
    }

    #[test]
    fn order_matters_only_when_asked() {
        let (want, got) = (t(&[&[1], &[2]]), t(&[&[2], &[1]]));
        assert!(compare(&want, &got, false, "Your result").passed);
        let v = compare(&want, &got, true, "Your result");
        assert!(!v.passed && v.message.contains("order"));
    }

    #[test]
    fn differences_are_described_not_revealed() {
        let want = t(&[&[1, 10], &[2, 20]]);
        let v = compare(&want, &t(&[&[1, 10]]), false, "Your result");
        assert_eq!(v.message, "Your result has 1 row; the expected result has 2 rows.");
        let v = compare(&want, &t(&[&[1], &[2]]), false, "Your result");
        assert!(v.message.contains("1 column"));
        let v = compare(&want, &t(&[&[1, 10], &[2, 21]]), false, "Your result");
        assert!(v.message.starts_with("1 row of the expected result is missing"));
        assert!(!v.message.contains("20"));
    }

    #[test]
    fn integers_and_whole_reals_compare_equal() {
        let mut got = t(&[&[2]]);
        got.rows[0][0] = Cell::Real(2.0);
        assert!(compare(&t(&[&[2]]), &got, false, "Your result").passed);
    }

    #[test]
    fn plan_check() {
        let lines = vec!["SEARCH orders USING INDEX i (customer_id=?)".to_string()];
        assert!(plan(&lines, Some("USING INDEX"), Some("SCAN orders")).passed);
        assert!(!plan(&["SCAN orders".into()], Some("USING INDEX"), None).passed);
    }

    /// The verdicts' Spanish forms pick their plurals (the English ones
    /// are checked above and by the integration tests).
    #[test]
    fn verdicts_in_spanish() {
        use crate::i18n::{text, Arg, Lang};
        let what = text(Lang::Es, "labs-what-result", &[]);
        assert_eq!(
            text(
                Lang::Es,
                "labs-verdict-rows",
                &[
                    ("what", Arg::from(what)),
                    ("got", Arg::from(1usize)),
                    ("expected", Arg::from(2usize)),
                ],
            ),
            "Tu resultado tiene 1 fila; el resultado esperado tiene 2 filas."
        );
        assert_eq!(
            text(Lang::Es, "labs-verdict-missing", &[("count", Arg::from(1usize))]),
            "Falta 1 fila del resultado esperado en el tuyo, y el tuyo tiene 1 fila que no debería estar."
        );
        assert_eq!(
            text(
                Lang::Es,
                "err-locked-try-again",
                &[
                    ("why", Arg::from("Demasiados intentos.")),
                    ("minutes", Arg::from(1i64)),
                ],
            ),
            "Demasiados intentos. Vuelve a intentarlo dentro de 1 minuto."
        );
        assert_eq!(
            text(
                Lang::Es,
                "err-salaries-no-figures",
                &[
                    ("field", Arg::from("country")),
                    ("value", Arg::from("Narnia"))
                ],
            ),
            "No hay cifras para el país «Narnia». Elige un valor de la lista."
        );
        assert_eq!(
            text(
                Lang::Es,
                "err-title-length",
                &[("what", Arg::from("lesson"))]
            ),
            "Ponle a la lección un título de 1 a 120 caracteres."
        );
        assert_eq!(
            text(Lang::En, "labs-step-and", &[]),
            " and ",
            "the joiner keeps its spaces"
        );
    }
}
