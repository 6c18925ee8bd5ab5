//! The template filters laurel adds to tera (`cn_date`, `local_date`,
//! `date_fmt`, `iso_date`, `day_n`, `rel_url`, `abs_url`; see
//! docs/templates.md). Each turns bad input into a template error, never a
//! panic.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use tera::{Kwargs, State, Tera, TeraResult, Value};

use crate::config::{Config, Language};

/// Reads a date given as RFC 3339 or `YYYY-MM-DD`.
fn parse_any_date(s: &str) -> Option<(NaiveDate, Option<DateTime<FixedOffset>>)> {
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some((d.date_naive(), Some(d)));
    }
    NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d")
        .ok()
        .map(|d| (d, None))
}

const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `2020-02-10` → `2020年2月10日`.
pub fn cn_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// `2020-02-10` → `10 February 2020`.
pub fn en_date(d: NaiveDate) -> String {
    format!(
        "{} {} {}",
        d.day(),
        EN_MONTHS[d.month0() as usize],
        d.year()
    )
}

fn bad_date(s: &str) -> tera::Error {
    tera::Error::message(format!(
        "`{s}` is not a date (expected RFC 3339 or YYYY-MM-DD)"
    ))
}

/// Registers laurel's filters (see docs/templates.md) on `tera`.
pub(super) fn register(tera: &mut Tera, config: &Config) {
    tera.register_filter(
        "cn_date",
        |s: &str, _: Kwargs, _: &State| -> TeraResult<String> {
            parse_any_date(s)
                .map(|(d, _)| cn_date(d))
                .ok_or_else(|| bad_date(s))
        },
    );
    let lang = config.language;
    tera.register_filter(
        "local_date",
        move |s: &str, _: Kwargs, _: &State| -> TeraResult<String> {
            let (d, _) = parse_any_date(s).ok_or_else(|| bad_date(s))?;
            Ok(match lang {
                Language::ZhCn => cn_date(d),
                Language::En => en_date(d),
            })
        },
    );
    tera.register_filter(
        "iso_date",
        |s: &str, _: Kwargs, _: &State| -> TeraResult<String> {
            parse_any_date(s)
                .map(|(d, _)| d.format("%Y-%m-%d").to_string())
                .ok_or_else(|| bad_date(s))
        },
    );
    tera.register_filter(
        "date_fmt",
        |s: &str, kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let fmt: &str = kwargs.get("format")?.unwrap_or("%Y-%m-%d");
            let (d, dt) = parse_any_date(s).ok_or_else(|| bad_date(s))?;
            let items: Vec<chrono::format::Item> =
                chrono::format::StrftimeItems::new(fmt).collect();
            if items
                .iter()
                .any(|i| matches!(i, chrono::format::Item::Error))
            {
                return Err(tera::Error::message(format!("invalid date format `{fmt}`")));
            }
            Ok(match dt {
                Some(dt) => dt.format_with_items(items.into_iter()).to_string(),
                None => d
                    .and_time(chrono::NaiveTime::MIN)
                    .format_with_items(items.into_iter())
                    .to_string(),
            })
        },
    );
    tera.register_filter(
        "day_n",
        |s: &str, kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            // `deployed` may be none (a person without a deployment date).
            let deployed: Option<Value> = kwargs.get("deployed")?;
            let dep_str = deployed.as_ref().and_then(|v| v.as_str());
            let Some(dep) = dep_str.and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            else {
                return Ok(Value::none());
            };
            let (d, _) = parse_any_date(s).ok_or_else(|| bad_date(s))?;
            Ok(crate::site::day_number(d, dep).map_or_else(Value::none, Value::from))
        },
    );
    let root = config.root_path.clone();
    tera.register_filter("rel_url", move |s: &str, _: Kwargs, _: &State| -> String {
        if s.starts_with("http://") || s.starts_with("https://") {
            s.to_string()
        } else {
            format!("{root}{}", s.trim_start_matches('/'))
        }
    });
    let base = config.base_url.clone();
    let root2 = config.root_path.clone();
    tera.register_filter("abs_url", move |s: &str, _: Kwargs, _: &State| -> String {
        if s.starts_with("http://") || s.starts_with("https://") {
            s.to_string()
        } else {
            // Accept both site paths (`/images/a.jpg`) and root-relative URLs
            // that already carry the prefix (`/column/images/a.jpg`).
            let p = s.strip_prefix(root2.as_str()).unwrap_or(s);
            format!("{base}{}", p.trim_start_matches('/'))
        }
    });
}
