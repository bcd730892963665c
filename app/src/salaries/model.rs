//! The salary dataset as plain data, and the pure logic of the explorer:
//! filtering, the filter choices, number formatting, chart geometry.

use serde::{Deserialize, Serialize};

/// One sourced figure (one row of `content/salaries.csv`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SalaryRow {
    /// Line in the CSV file, for messages.
    pub line: usize,
    pub role: String,
    pub country: String,
    /// A band such as `5-9 years`, or `all`.
    pub experience: String,
    pub statistic: Statistic,
    pub amount: f64,
    pub currency: String,
    /// `None` when the source does not say.
    pub year: Option<u16>,
    pub source: String,
    pub source_url: String,
    pub licence: String,
    pub sample_size: Option<u32>,
    pub note: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Statistic {
    Median,
    Mean,
    /// p10 … p90
    Percentile(u8),
}

impl Statistic {
    pub fn parse(s: &str) -> Option<Statistic> {
        match s.trim().to_ascii_lowercase().as_str() {
            "median" | "p50" => Some(Statistic::Median),
            "mean" | "average" => Some(Statistic::Mean),
            other => other
                .strip_prefix('p')
                .and_then(|n| n.parse::<u8>().ok())
                .filter(|n| (1..=99).contains(n))
                .map(Statistic::Percentile),
        }
    }

    pub fn label(self) -> String {
        match self {
            Statistic::Median => "median".into(),
            Statistic::Mean => "mean (average)".into(),
            Statistic::Percentile(n) => format!("{n}th percentile"),
        }
    }
}

/// Samples smaller than this are flagged.
pub const SMALL_SAMPLE: u32 = 100;

impl SalaryRow {
    pub fn small_sample(&self) -> bool {
        self.sample_size.is_some_and(|n| n < SMALL_SAMPLE)
    }

    /// A short label for the chart: role · country · experience.
    pub fn label(&self) -> String {
        let mut parts = vec![self.role.clone(), self.country.clone()];
        if self.experience != "all" {
            parts.push(self.experience.clone());
        }
        parts.join(" · ")
    }
}

/// One selection of the explorer; empty fields match everything.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    pub role: String,
    pub country: String,
    pub experience: String,
    pub source: String,
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        self.role.is_empty()
            && self.country.is_empty()
            && self.experience.is_empty()
            && self.source.is_empty()
    }

    pub fn matches(&self, row: &SalaryRow) -> bool {
        let ok = |want: &str, have: &str| want.is_empty() || want == have;
        ok(&self.role, &row.role)
            && ok(&self.country, &row.country)
            && ok(&self.experience, &row.experience)
            && ok(&self.source, &row.source)
    }

    /// Checks every value against the dataset's choices: a value that is
    /// not one of them is an error naming the field.
    pub fn validate(&self, choices: &Choices) -> Result<(), String> {
        for (field, value, allowed) in [
            ("role", &self.role, &choices.roles),
            ("country", &self.country, &choices.countries),
            ("experience", &self.experience, &choices.experiences),
            ("source", &self.source, &choices.sources),
        ] {
            if !value.is_empty() && !allowed.contains(value) {
                let shown: String = value.chars().take(60).collect();
                return Err(crate::t!(
                    "err-salaries-no-figures",
                    field = field,
                    value = shown
                ));
            }
        }
        Ok(())
    }
}

/// The figures matching `filter`, highest amount first.
pub fn select<'a>(rows: &'a [SalaryRow], filter: &Filter) -> Vec<&'a SalaryRow> {
    let mut out: Vec<&SalaryRow> = rows.iter().filter(|r| filter.matches(r)).collect();
    out.sort_by(|a, b| {
        b.amount
            .total_cmp(&a.amount)
            .then(a.label().cmp(&b.label()))
    });
    out
}

/// The distinct values of each filterable column, sorted.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Choices {
    pub roles: Vec<String>,
    pub countries: Vec<String>,
    pub experiences: Vec<String>,
    pub sources: Vec<String>,
}

pub fn choices(rows: &[SalaryRow]) -> Choices {
    let distinct = |f: fn(&SalaryRow) -> &String| {
        let mut v: Vec<String> = rows.iter().map(|r| f(r).clone()).collect();
        v.sort();
        v.dedup();
        v
    };
    Choices {
        roles: distinct(|r| &r.role),
        countries: distinct(|r| &r.country),
        experiences: distinct(|r| &r.experience),
        sources: distinct(|r| &r.source),
    }
}

/// `61042` → `61,042`; `63332.5` → `63,332.5`.
pub fn format_amount(x: f64) -> String {
    let whole = x.trunc() as i64;
    let frac = ((x - x.trunc()) * 10.0).round() as i64;
    let digits = whole.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if whole < 0 {
        out.insert(0, '-');
    }
    if frac != 0 {
        out.push_str(&format!(".{}", frac.abs()));
    }
    out
}

/// Bar length for `amount` when the largest bar is `width` long.
pub fn bar_width(amount: f64, max: f64, width: f64) -> f64 {
    if max <= 0.0 {
        0.0
    } else {
        (amount / max * width).clamp(0.0, width)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn row(role: &str, country: &str, amount: f64, n: Option<u32>) -> SalaryRow {
        SalaryRow {
            line: 2,
            role: role.into(),
            country: country.into(),
            experience: "all".into(),
            statistic: Statistic::Median,
            amount,
            currency: "USD".into(),
            year: Some(2024),
            source: "S".into(),
            source_url: "https://example.org".into(),
            licence: String::new(),
            sample_size: n,
            note: String::new(),
        }
    }

    #[test]
    fn filters_and_orders_by_amount() {
        let rows = vec![
            row("Back-end", "United Kingdom", 101_910.0, Some(264)),
            row("Back-end", "United States", 170_000.0, Some(776)),
            row("Front-end", "United Kingdom", 50_000.0, None),
        ];
        let uk = Filter {
            country: "United Kingdom".into(),
            ..Default::default()
        };
        let got: Vec<f64> = select(&rows, &uk).iter().map(|r| r.amount).collect();
        assert_eq!(got, vec![101_910.0, 50_000.0]);
        assert_eq!(select(&rows, &Filter::default()).len(), 3);
        assert_eq!(
            select(&rows, &Filter::default())[0].country,
            "United States"
        );
    }

    #[test]
    fn unknown_filter_values_are_named() {
        let rows = vec![row("Back-end", "Germany", 1.0, None)];
        let c = choices(&rows);
        assert!(Filter {
            country: "Germany".into(),
            ..Default::default()
        }
        .validate(&c)
        .is_ok());
        let err = Filter {
            country: "Narnia".into(),
            ..Default::default()
        }
        .validate(&c)
        .unwrap_err();
        assert!(err.contains("country “Narnia”"), "{err}");
    }

    #[test]
    fn statistics_and_samples() {
        assert_eq!(Statistic::parse("Median"), Some(Statistic::Median));
        assert_eq!(Statistic::parse("average"), Some(Statistic::Mean));
        assert_eq!(Statistic::parse("p90"), Some(Statistic::Percentile(90)));
        assert_eq!(Statistic::parse("p0"), None);
        assert_eq!(Statistic::parse("mode"), None);
        assert!(row("a", "b", 1.0, Some(58)).small_sample());
        assert!(!row("a", "b", 1.0, Some(100)).small_sample());
        assert!(!row("a", "b", 1.0, None).small_sample());
    }

    #[test]
    fn amounts_and_bars() {
        assert_eq!(format_amount(61_042.0), "61,042");
        assert_eq!(format_amount(63_332.5), "63,332.5");
        assert_eq!(format_amount(170_000.0), "170,000");
        assert_eq!(format_amount(999.0), "999");
        assert_eq!(format_amount(1_000_000.0), "1,000,000");
        assert_eq!(bar_width(50.0, 100.0, 300.0), 150.0);
        assert_eq!(bar_width(5.0, 0.0, 300.0), 0.0);
    }
}
