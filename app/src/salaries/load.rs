//! Reading and validating `content/salaries.csv` (the `csv` crate). A bad
//! row is reported with its line and left out; the rest still serves.

use serde::Deserialize;

use super::model::{SalaryRow, Statistic};
use crate::lessons::model::Problem;

pub const FILE: &str = "salaries.csv";

#[derive(Debug, Deserialize)]
struct Raw {
    role: String,
    country: String,
    experience: String,
    statistic: String,
    amount: String,
    currency: String,
    year: String,
    source: String,
    source_url: String,
    licence: String,
    sample_size: String,
    note: String,
}

/// An optional number column: empty is `None`; otherwise it must parse and
/// pass `valid`.
fn optional<T: std::str::FromStr>(raw: &str, valid: impl Fn(&T) -> bool) -> Result<Option<T>, ()> {
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse::<T>().ok().filter(valid).map(Some).ok_or(())
}

fn problem(line: usize, message: impl Into<String>) -> Problem {
    Problem {
        file: FILE.to_string(),
        line,
        message: message.into(),
    }
}

/// Parses the dataset; every problem names its line.
pub fn parse(text: &str) -> (Vec<SalaryRow>, Vec<Problem>) {
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    for (i, record) in reader.deserialize::<Raw>().enumerate() {
        let line = i + 2; // header is line 1
        let raw = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(line);
                problems.push(problem(line, format!("unreadable row: {e}")));
                continue;
            }
        };
        match row(raw, line) {
            Ok(r) => rows.push(r),
            Err(msg) => problems.push(problem(line, msg)),
        }
    }
    (rows, problems)
}

fn row(raw: Raw, line: usize) -> Result<SalaryRow, String> {
    for (name, value) in [
        ("role", &raw.role),
        ("country", &raw.country),
        ("experience", &raw.experience),
        ("source", &raw.source),
    ] {
        if value.is_empty() {
            return Err(format!("`{name}` is empty"));
        }
    }
    let statistic = Statistic::parse(&raw.statistic).ok_or_else(|| {
        format!(
            "statistic `{}` is not median, mean or p10…p90",
            raw.statistic
        )
    })?;
    let amount: f64 = raw
        .amount
        .replace(',', "")
        .parse()
        .ok()
        .filter(|a: &f64| a.is_finite() && *a > 0.0)
        .ok_or_else(|| format!("amount `{}` is not a positive number", raw.amount))?;
    if raw.currency.len() != 3 || !raw.currency.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(format!(
            "currency `{}` is not a three-letter code such as USD",
            raw.currency
        ));
    }
    let year = optional(&raw.year, |y: &u16| (1990..=2100).contains(y))
        .map_err(|_| format!("year `{}` is not a year", raw.year))?;
    let sample_size = optional(&raw.sample_size, |_: &u32| true)
        .map_err(|_| format!("sample_size `{}` is not a whole number", raw.sample_size))?;
    let url_ok = raw.source_url.starts_with("https://")
        || raw.source_url.starts_with("http://")
        || raw.source_url.starts_with('/');
    if !url_ok {
        return Err("source_url must be an http(s) address or a path on this site (every figure links to its source)".into());
    }
    Ok(SalaryRow {
        line,
        role: raw.role,
        country: raw.country,
        experience: raw.experience,
        statistic,
        amount,
        currency: raw.currency,
        year,
        source: raw.source,
        source_url: raw.source_url,
        licence: raw.licence,
        sample_size,
        note: raw.note,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "role,country,experience,statistic,amount,currency,year,source,source_url,licence,sample_size,note\n";

    #[test]
    fn good_rows_parse() {
        let (rows, problems) = parse(&format!("{HEADER}Back-end developer,United Kingdom,all,median,101910,USD,2024,SO,https://x.org,ODbL,264,\"a, note\"\n"));
        assert_eq!(problems, vec![]);
        assert_eq!(rows[0].amount, 101_910.0);
        assert_eq!(rows[0].sample_size, Some(264));
        assert_eq!(rows[0].note, "a, note");
        assert_eq!(rows[0].line, 2);
    }

    #[test]
    fn bad_rows_are_reported_with_lines_and_skipped() {
        let text = format!(
            "{HEADER}A,B,all,median,100,USD,2024,S,https://x.org,,,\nA,B,all,mode,100,USD,2024,S,https://x.org,,,\nA,B,all,median,-5,USD,2024,S,https://x.org,,,\nA,B,all,median,5,usd,2024,S,https://x.org,,,\nA,B,all,median,5,USD,20x,S,https://x.org,,,\nA,B,all,median,5,USD,2024,S,ftp://x,,,\nA,B,all,median,5,USD,2024,,https://x.org,,,\nA,B,all,median\n"
        );
        let (rows, problems) = parse(&text);
        assert_eq!(rows.len(), 1);
        let lines: Vec<(usize, &str)> = problems
            .iter()
            .map(|p| (p.line, p.message.as_str()))
            .collect();
        assert_eq!(
            lines.iter().map(|l| l.0).collect::<Vec<_>>(),
            vec![3, 4, 5, 6, 7, 8, 9],
            "{lines:?}"
        );
        assert!(lines[0].1.contains("statistic"));
        assert!(lines[1].1.contains("positive"));
        assert!(lines[2].1.contains("currency"));
        assert!(lines[5].1.contains("`source` is empty"));
        assert!(problems[0].to_string().starts_with("salaries.csv:3:"));
    }
}
