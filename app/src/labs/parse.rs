//! Reading an ```exercise block (TOML) into an [`Exercise`], with messages
//! that point at what to fix. The markdown of prompts and hints is rendered
//! by the caller's `markdown` function (the lesson pipeline), so this module
//! does not depend on the lessons feature.

use serde::Deserialize;

use super::model::{Exercise, ExerciseKind, HttpStep, SolutionPolicy, SqlCheck, SqlSpec};
use crate::common::{html::SafeHtml, slug::is_slug};

/// The block as written; see the README's authoring guide.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    id: String,
    kind: String,
    title: String,
    prompt: String,
    #[serde(default)]
    hints: Vec<String>,
    #[serde(default)]
    show_solution: Option<String>,
    solution: String,
    #[serde(default)]
    starter: Option<String>,
    // SQL
    #[serde(default)]
    dataset: Option<String>,
    #[serde(default)]
    setup: Option<String>,
    #[serde(default)]
    check: Option<String>,
    #[serde(default)]
    ordered: bool,
    #[serde(default)]
    probe: Option<String>,
    #[serde(default)]
    plan_contains: Option<String>,
    #[serde(default)]
    plan_excludes: Option<String>,
    // HTTP
    #[serde(default)]
    steps: Vec<HttpStep>,
}

/// Parses one block. `line` is the block's first line in the file;
/// `markdown` renders prompt and hints.
pub fn parse(
    src: &str,
    line: usize,
    markdown: impl Fn(&str) -> SafeHtml,
) -> Result<Exercise, String> {
    let raw: Raw = toml::from_str(src).map_err(|e| {
        let msg = e.message().to_string();
        match e.span() {
            Some(span) => {
                let at = src[..span.start.min(src.len())].matches('\n').count();
                format!("exercise (line {} of the block): {msg}", at + 1)
            }
            None => format!("exercise: {msg}"),
        }
    })?;
    let id = raw.id.trim().to_string();
    if !is_slug(&id) {
        return Err(format!(
            "exercise id `{id}` must be lowercase letters, digits and dashes"
        ));
    }
    let fail = |m: String| Err(format!("exercise `{id}`: {m}"));
    let kind = match raw.kind.as_str() {
        "sql" => ExerciseKind::Sql,
        "http" => ExerciseKind::Http,
        other => return fail(format!("kind `{other}` is not one of sql, http")),
    };
    if raw.title.trim().is_empty() {
        return fail("the title is empty".into());
    }
    if raw.solution.trim().is_empty() {
        return fail("the reference solution is empty".into());
    }
    let show_solution = match raw.show_solution.as_deref().map(str::trim) {
        None | Some("after-pass") => SolutionPolicy::AfterPass,
        Some("never") => SolutionPolicy::Never,
        Some(s) => match tries(s) {
            Some(n) => SolutionPolicy::AfterTries(n),
            None => {
                return fail(format!(
                    "show_solution `{s}` is not \"after-pass\", \"never\" or \"after N tries\""
                ))
            }
        },
    };
    let (sql, steps) = match kind {
        ExerciseKind::Sql => {
            if !raw.steps.is_empty() {
                return fail("`steps` belong to HTTP exercises".into());
            }
            let check = match raw.check.as_deref() {
                None | Some("result") => SqlCheck::Result,
                Some("probe") => SqlCheck::Probe,
                Some("plan") => SqlCheck::Plan,
                Some(other) => {
                    return fail(format!(
                        "check `{other}` is not one of result, probe, plan"
                    ))
                }
            };
            let probe = raw.probe.filter(|p| !p.trim().is_empty());
            if check != SqlCheck::Result && probe.is_none() {
                return fail("a probe or plan check needs a `probe` query".into());
            }
            if check == SqlCheck::Plan
                && raw.plan_contains.is_none()
                && raw.plan_excludes.is_none()
            {
                return fail("a plan check needs `plan_contains` or `plan_excludes`".into());
            }
            if let Some(d) = &raw.dataset {
                if !is_slug(d) {
                    return fail(format!("dataset `{d}` is not a dataset name"));
                }
            }
            let spec = SqlSpec {
                dataset: raw.dataset,
                setup: raw.setup.unwrap_or_default(),
                check,
                ordered: raw.ordered,
                probe,
                plan_contains: raw.plan_contains,
                plan_excludes: raw.plan_excludes,
            };
            (Some(spec), Vec::new())
        }
        ExerciseKind::Http => {
            if raw.steps.is_empty() {
                return fail("an HTTP exercise needs `steps` to check".into());
            }
            if raw.dataset.is_some() || raw.probe.is_some() || raw.check.is_some() {
                return fail("`dataset`, `check` and `probe` belong to SQL exercises".into());
            }
            (None, raw.steps)
        }
    };
    Ok(Exercise {
        id,
        kind,
        title: raw.title.trim().to_string(),
        prompt: markdown(&raw.prompt),
        hints: raw.hints.iter().map(|h| markdown(h)).collect(),
        show_solution,
        solution: raw.solution.trim().to_string(),
        starter: raw.starter.unwrap_or_default(),
        line,
        sql,
        steps,
    })
}

/// The card that stands in the lesson where the block was: kind, title,
/// prompt and a link to the exercise's page. Static, so the lesson body
/// stays the same for every reader (and cacheable).
pub fn card_html(ex: &Exercise, lesson_href: &str) -> String {
    use crate::common::html::escape;
    format!(
        "<div class=\"exercise-card\" id=\"exercise-{id}\"><p class=\"exercise-kind\">{kind}</p>\
         <p class=\"exercise-title\"><strong>{title}</strong></p>{prompt}\
         <p><a class=\"button\" href=\"{lesson_href}/exercises/{id}\">Open the exercise</a></p></div>",
        id = ex.id,
        kind = ex.kind.label(),
        title = escape(&ex.title),
        prompt = ex.prompt.as_str(),
    )
}

/// Dataset seeds (SQL) by name.
pub type Seeds = std::collections::HashMap<String, std::sync::Arc<str>>;

/// Exercise datasets under `content/datasets/`: `{name}.sql` as written, or
/// a `{name}/` folder of CSV files, one table each (typed by their values),
/// turned into SQL. Returns the seeds by name and `(file, message)`
/// problems.
pub fn datasets(root: &std::path::Path) -> (Seeds, Vec<(String, String)>) {
    let mut seeds = std::collections::HashMap::new();
    let mut problems = Vec::new();
    let Ok(entries) = std::fs::read_dir(root.join("datasets")) else {
        return (seeds, problems);
    };
    let mut paths: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        let name = path
            .file_stem()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let file = format!("datasets/{}", path.file_name().unwrap_or_default().to_string_lossy());
        if !is_slug(&name) {
            continue;
        }
        let seed = if path.is_dir() {
            csv_tables(&path)
        } else if path.extension().is_some_and(|e| e == "sql") {
            std::fs::read_to_string(&path).map_err(|e| format!("cannot read: {e}"))
        } else {
            continue;
        };
        match seed {
            Ok(sql) => {
                seeds.insert(name, sql.into());
            }
            Err(e) => problems.push((file, e)),
        }
    }
    (seeds, problems)
}

/// One `CREATE TABLE` and `INSERT` per CSV file of `dir`.
fn csv_tables(dir: &std::path::Path) -> Result<String, String> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read: {e}"))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    files.sort();
    let quote_id = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut sql = String::from("BEGIN;\n");
    for file in files {
        let table = file.file_stem().unwrap_or_default().to_string_lossy().into_owned();
        let mut reader = csv::Reader::from_path(&file).map_err(|e| format!("{table}.csv: {e}"))?;
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| format!("{table}.csv: {e}"))?
            .iter()
            .map(str::to_string)
            .collect();
        let rows: Vec<csv::StringRecord> = reader
            .records()
            .collect::<Result<_, _>>()
            .map_err(|e| format!("{table}.csv: {e}"))?;
        let types: Vec<&str> = (0..headers.len())
            .map(|i| {
                let values = rows.iter().filter_map(|r| r.get(i)).filter(|v| !v.is_empty());
                let all = |f: fn(&str) -> bool| values.clone().all(f);
                if all(|v| v.parse::<i64>().is_ok()) {
                    "INTEGER"
                } else if all(|v| v.parse::<f64>().is_ok()) {
                    "REAL"
                } else {
                    "TEXT"
                }
            })
            .collect();
        let columns: Vec<String> = headers
            .iter()
            .zip(&types)
            .map(|(h, t)| format!("{} {t}", quote_id(h)))
            .collect();
        sql.push_str(&format!("CREATE TABLE {} ({});\n", quote_id(&table), columns.join(", ")));
        for row in &rows {
            let values: Vec<String> = row
                .iter()
                .zip(&types)
                .map(|(v, t)| match (v, *t) {
                    ("", _) => "NULL".to_string(),
                    (v, "INTEGER" | "REAL") => v.to_string(),
                    (v, _) => format!("'{}'", v.replace('\'', "''")),
                })
                .collect();
            sql.push_str(&format!("INSERT INTO {} VALUES ({});\n", quote_id(&table), values.join(", ")));
        }
    }
    sql.push_str("COMMIT;\n");
    Ok(sql)
}

/// "after 3 tries" → 3.
fn tries(s: &str) -> Option<u32> {
    let n = s.strip_prefix("after ")?;
    let n = n
        .strip_suffix(" tries")
        .or_else(|| n.strip_suffix(" try"))?;
    n.trim().parse().ok().filter(|n| *n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(s: &str) -> SafeHtml {
        SafeHtml::from_sanitized(format!("<p>{s}</p>"))
    }

    #[test]
    fn sql_exercise_parses() {
        let e = parse(
            "id = \"a\"\nkind = \"sql\"\ntitle = \"T\"\nprompt = \"P\"\nsolution = \"SELECT 1\"\n\
             show_solution = \"after 3 tries\"\nhints = [\"h1\", \"h2\"]\ndataset = \"shop\"",
            10,
            md,
        )
        .unwrap();
        assert_eq!(e.kind, ExerciseKind::Sql);
        assert_eq!(e.show_solution, SolutionPolicy::AfterTries(3));
        assert_eq!(e.hints.len(), 2);
        assert_eq!(e.sql.unwrap().check, SqlCheck::Result);
    }

    #[test]
    fn mistakes_get_sentences() {
        let base = "id = \"a\"\ntitle = \"T\"\nprompt = \"P\"\nsolution = \"S\"\n";
        let err = |extra: &str| parse(&format!("{base}{extra}"), 1, md).unwrap_err();
        assert!(err("kind = \"python\"").contains("not one of sql, http"));
        assert!(err("kind = \"sql\"\ncheck = \"plan\"").contains("needs a `probe`"));
        assert!(err("kind = \"http\"").contains("needs `steps`"));
        assert!(err("kind = \"sql\"\nshow_solution = \"soon\"").contains("show_solution"));
        assert!(err("kind = \"sql\"\nsolutoin = 1").contains("unknown field"));
        assert!(parse("id = \"Bad Id\"", 1, md).is_err());
    }

    #[test]
    fn http_steps_parse() {
        let e = parse(
            "id = \"h\"\nkind = \"http\"\ntitle = \"T\"\nprompt = \"P\"\nsolution = \"GET /items\"\n\
             steps = [{ method = \"POST\", path = \"/items\", status = 201, response_headers = [\"Location\"] }]",
            1,
            md,
        )
        .unwrap();
        assert_eq!(e.steps[0].status, Some(201));
        assert_eq!(e.steps[0].response_headers, vec!["Location".to_string()]);
    }
}
