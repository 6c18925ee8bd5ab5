//! The template filters laurel adds to tera (`cn_date`, `local_date`,
//! `date_fmt`, `iso_date`, `day_n`, `rel_url`, `abs_url`; see
//! docs/templates.md). Each turns bad input into a template error, never a
//! panic.

use std::fmt::Write as _;

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
            // Formatting fails (and `to_string` would panic) when an item needs
            // what the value lacks: `%z` or `%Z` on a day without an offset.
            let mut out = String::new();
            let written = match dt {
                Some(dt) => write!(out, "{}", dt.format_with_items(items.into_iter())),
                None => write!(
                    out,
                    "{}",
                    d.and_time(chrono::NaiveTime::MIN)
                        .format_with_items(items.into_iter())
                ),
            };
            written.map_err(|_| {
                tera::Error::message(format!(
                    "date format `{fmt}` cannot be applied to `{s}` (`%z`, `%Z` and `%:z` need a date with an offset)"
                ))
            })?;
            Ok(out)
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
            // After `returned` (when given), the person is home: no day.
            let returned: Option<Value> = kwargs.get("returned")?;
            let ret = returned
                .as_ref()
                .and_then(|v| v.as_str())
                .and_then(|r| NaiveDate::parse_from_str(r, "%Y-%m-%d").ok());
            let (d, _) = parse_any_date(s).ok_or_else(|| bad_date(s))?;
            Ok(crate::site::day_number(d, dep, ret).map_or_else(Value::none, Value::from))
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

/// The filters as templates use them, one per entry: the fuzz target renders
/// `{{ value | <filter> }}` for each (see [`render_one`]).
pub const FILTER_CALLS: [&str; 7] = [
    "cn_date",
    "local_date",
    "iso_date",
    "date_fmt(format=arg)",
    "day_n(deployed=arg)",
    "rel_url",
    "abs_url",
];

/// Renders the one-line template `{{ value | FILTER_CALLS[call] }}` with
/// `value` and `arg` in the context, with the filters of a site in `english`
/// or Chinese. Each of `value` and `arg` is given to the template as a string,
/// a number (when `s` reads as one), a boolean or none, chosen by `kind % 4`.
/// For the fuzz target: any input gives a result, never a panic.
pub fn render_one(
    call: usize,
    value: (u8, &str),
    arg: (u8, &str),
    english: bool,
) -> Result<String, String> {
    fn value_of((kind, s): (u8, &str)) -> Value {
        match kind % 4 {
            0 => Value::from(s),
            1 => s
                .parse::<i64>()
                .map(Value::from)
                .or_else(|_| s.parse::<f64>().map(Value::from))
                .unwrap_or_else(|_| Value::from(s)),
            2 => Value::from(!s.is_empty()),
            _ => Value::none(),
        }
    }
    let yaml = format!(
        "title: T\nbase_url: https://e.org/column/\nlanguage: {}\n",
        if english { "en" } else { "zh-CN" }
    );
    let path = std::path::Path::new("site.yaml");
    let raw = crate::yaml::parse(&yaml, path, 1).map_err(|e| e.to_string())?;
    let config = Config::resolve(raw, "/site".into(), &crate::config::BuildFlags::default())
        .map_err(|_| "site.yaml".to_string())?;
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html"]);
    register(&mut tera, &config);
    let call = FILTER_CALLS[call % FILTER_CALLS.len()];
    tera.add_raw_template("one.html", &format!("{{{{ value | {call} }}}}"))
        .map_err(|e| e.to_string())?;
    let mut ctx = tera::Context::new();
    ctx.insert("value", &value_of(value));
    ctx.insert("arg", &value_of(arg));
    tera.render("one.html", &ctx).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_fmt_needing_an_offset_on_a_day_is_an_error_not_a_panic() {
        let date_fmt = FILTER_CALLS
            .iter()
            .position(|c| c.starts_with("date_fmt"))
            .unwrap();
        let day = (0, "2020-02-09");
        for fmt in ["%z", "%Z", "%:z", "%#z", "%+"] {
            let e = render_one(date_fmt, day, (0, fmt), false).unwrap_err();
            assert!(e.contains("cannot be applied"), "{fmt}: {e}");
        }
        let with_offset = (0, "2020-02-09T10:00:00+08:00");
        assert_eq!(
            render_one(date_fmt, with_offset, (0, "%z"), false).unwrap(),
            "+0800"
        );
        assert_eq!(
            render_one(date_fmt, day, (0, "%Y/%m"), true).unwrap(),
            "2020/02"
        );
    }

    #[test]
    fn every_filter_takes_odd_input_without_panicking() {
        let odd = [
            "",
            "2020-02-09",
            "-2020-02-09",
            "+10000-01-01",
            "9999-12-31T23:59:59-12:00",
            "0000-01-01",
            "2020-02-30",
            "2020-02-0\u{0}",
            "日期日期日期",
            "%z%Z%s%+%.3f%",
            "99999999999999999999",
            "-9223372036854775808",
            "1e308",
            "NaN",
            "/",
            "https://",
        ];
        for call in 0..FILTER_CALLS.len() {
            for v in odd {
                for a in odd {
                    for kinds in [(0, 0), (1, 1), (2, 0), (3, 3), (0, 1)] {
                        let _ = render_one(call, (kinds.0, v), (kinds.1, a), call % 2 == 0);
                    }
                }
            }
        }
    }
}
