//! Parsing the dates users write: `2020-02-10`, `2020-02-10 21:30`,
//! `2020-02-10 21:30:05`, `2020-02-10T21:30` and RFC 3339. Dates without an
//! offset are read in the site's time zone.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::Tz;

/// A hint shown with every date error.
pub const DATE_HINT: &str =
    "write the date as YYYY-MM-DD, YYYY-MM-DD HH:MM or RFC 3339 (2020-02-10T21:30:00+08:00)";
/// [`DATE_HINT`] in Chinese.
pub const DATE_HINT_ZH: &str =
    "日期写成 YYYY-MM-DD、YYYY-MM-DD HH:MM 或 RFC 3339（2020-02-10T21:30:00+08:00）";

/// Why a string is not a date, in English (what `Display` writes) and in
/// Chinese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError {
    pub en: String,
    pub zh: String,
}

impl std::fmt::Display for DateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en)
    }
}

impl PartialEq<&str> for DateError {
    fn eq(&self, other: &&str) -> bool {
        self.en == *other
    }
}

impl PartialEq<String> for DateError {
    fn eq(&self, other: &String) -> bool {
        &self.en == other
    }
}

fn said(en: String, zh: String) -> DateError {
    DateError { en, zh }
}

/// Parses a calendar day (`YYYY-MM-DD`), explaining what is wrong otherwise.
pub fn parse_day(s: &str) -> Result<NaiveDate, DateError> {
    let s = s.trim();
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| explain(s))?;
    in_range(s, d.year())?;
    Ok(d)
}

/// The years a date may have: four digits, as feeds (RFC 2822) and
/// `YYYY-MM-DD` can write them. Chrono also reads `-2020` and `+10000`.
const YEARS: std::ops::RangeInclusive<i32> = 1..=9999;

fn in_range(s: &str, year: i32) -> Result<(), DateError> {
    if YEARS.contains(&year) {
        Ok(())
    } else {
        let (from, to) = (YEARS.start(), YEARS.end());
        Err(said(
            format!("invalid date `{s}`: the year must be between {from} and {to}"),
            format!("日期 `{s}` 无效：年份要在 {from} 到 {to} 之间"),
        ))
    }
}

/// Parses a date or date-time into an instant with its offset.
pub fn parse_datetime(s: &str, tz: Tz) -> Result<DateTime<FixedOffset>, DateError> {
    let s = s.trim();
    let dt = parse_any_year(s, tz)?;
    // The year as written (in the date's own offset).
    in_range(s, dt.year())?;
    Ok(dt)
}

fn parse_any_year(s: &str, tz: Tz) -> Result<DateTime<FixedOffset>, DateError> {
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Ok(dt);
    }
    // Offsets written with a space (`2020-02-10 21:30:00+08:00`) are common too.
    if let Ok(dt) = DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%:z") {
        return Ok(dt);
    }
    let naive = [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
    .or_else(|| {
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .map(|d| d.and_time(NaiveTime::MIN))
    });
    let Some(naive) = naive else {
        return Err(explain(s));
    };
    // A local time skipped by a DST change has no instant; take the earliest
    // valid reading rather than failing on a clock quirk.
    tz.from_local_datetime(&naive)
        .earliest()
        .map(|dt| dt.fixed_offset())
        .ok_or_else(|| {
            said(
                format!("`{s}` does not exist in time zone {tz}"),
                format!("`{s}` 在时区 {tz} 中不存在"),
            )
        })
}

/// Says why a string is not a date, naming an impossible day when that is it.
fn explain(s: &str) -> DateError {
    // A signed or long year (`-2020-…`, `+10000-…`) that no form accepted.
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    let year = unsigned.split('-').next().unwrap_or("");
    if !year.is_empty()
        && year.bytes().all(|b| b.is_ascii_digit())
        && (unsigned.len() < s.len() || year.len() > 4)
    {
        return in_range(s, 0).unwrap_err();
    }
    if let Some(written) = as_iso(s) {
        return said(
            format!("invalid date `{s}`: write it as {written}"),
            format!("日期 `{s}` 的写法不对：要写成 {written}"),
        );
    }
    let day_part = s.get(..10).unwrap_or(s);
    let parts: Vec<&str> = day_part.split('-').collect();
    if let [y, m, d] = parts.as_slice()
        && let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>())
    {
        if !(1..=12).contains(&m) {
            return said(
                format!("invalid date `{s}`: there is no month {m}"),
                format!("日期 `{s}` 无效：没有 {m} 月"),
            );
        }
        if NaiveDate::from_ymd_opt(y, m, d).is_none() {
            return said(
                format!("invalid date `{s}`: {y}-{m:02} has no day {d}"),
                format!("日期 `{s}` 无效：{y} 年 {m} 月没有 {d} 日"),
            );
        }
    }
    said(format!("invalid date `{s}`"), format!("日期 `{s}` 无效"))
}

/// `2020年2月21日`, `2020/2/21`, `2020.2.21` (with an optional `21:30`) as
/// laurel wants it written: `2020-02-21` (`2020-02-21 21:30`).
fn as_iso(s: &str) -> Option<String> {
    let (day, time) = match s.split_once([' ', 'T']) {
        Some((d, t)) => (d, Some(t.trim())),
        None => (s, None),
    };
    let numbers: Vec<&str> = day
        .split(['年', '月', '日', '/', '.', '-'])
        .filter(|p| !p.is_empty())
        .collect();
    if numbers.len() != 3
        || !numbers
            .iter()
            .all(|p| p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let (y, m, d) = (
        numbers[0].parse().ok()?,
        numbers[1].parse().ok()?,
        numbers[2].parse().ok()?,
    );
    let date = NaiveDate::from_ymd_opt(y, m, d).filter(|d| YEARS.contains(&d.year()))?;
    let time = match time {
        None => String::new(),
        Some(t) => {
            let t = NaiveTime::parse_from_str(t, "%H:%M")
                .or_else(|_| NaiveTime::parse_from_str(t, "%H时%M分"))
                .or_else(|_| NaiveTime::parse_from_str(t, "%H点%M分"))
                .ok()?;
            t.format(" %H:%M").to_string()
        }
    };
    Some(format!("{}{time}", date.format("%Y-%m-%d")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_written_the_chinese_way_get_their_iso_form() {
        assert_eq!(as_iso("2020年2月21日").as_deref(), Some("2020-02-21"));
        assert_eq!(as_iso("2020/2/1 9:05").as_deref(), Some("2020-02-01 09:05"));
        assert_eq!(
            as_iso("2020.02.10 21时30分").as_deref(),
            Some("2020-02-10 21:30")
        );
        assert_eq!(as_iso("2020年2月30日"), None, "no such day");
        assert_eq!(as_iso("二〇二〇年二月"), None);
    }

    const SH: Tz = chrono_tz::Asia::Shanghai;

    #[test]
    fn accepted_forms() {
        let want = "2020-02-10T21:30:00+08:00";
        for s in [
            "2020-02-10 21:30",
            "2020-02-10T21:30",
            "2020-02-10 21:30:00",
            "2020-02-10T21:30:00+08:00",
            "2020-02-10T13:30:00Z",
            "2020-02-10 21:30:00+08:00",
        ] {
            let d = parse_datetime(s, SH).unwrap();
            assert_eq!(d.with_timezone(&SH).to_rfc3339(), want, "{s}");
        }
        assert_eq!(
            parse_datetime("2020-02-10", SH).unwrap().to_rfc3339(),
            "2020-02-10T00:00:00+08:00"
        );
    }

    #[test]
    fn impossible_days_are_explained() {
        assert_eq!(
            parse_datetime("2020-02-30", SH).unwrap_err(),
            "invalid date `2020-02-30`: 2020-02 has no day 30"
        );
        assert_eq!(
            parse_day("2020-13-01").unwrap_err(),
            "invalid date `2020-13-01`: there is no month 13"
        );
        assert_eq!(
            parse_datetime("yesterday", SH).unwrap_err(),
            "invalid date `yesterday`"
        );
        assert_eq!(
            parse_day("2021-02-29").unwrap_err(),
            "invalid date `2021-02-29`: 2021-02 has no day 29"
        );
        assert!(parse_day("2020-02-29").is_ok());
    }

    #[test]
    fn years_outside_four_digits_are_refused() {
        let want = |s: &str| format!("invalid date `{s}`: the year must be between 1 and 9999");
        for s in [
            "-2020-02-10",
            "+10000-01-01",
            "0000-01-01",
            "-0001-12-31 10:00",
            "+10000-01-01T00:00:00+08:00",
        ] {
            assert_eq!(parse_datetime(s, SH).unwrap_err(), want(s), "{s}");
        }
        assert_eq!(parse_day("-2020-02-10").unwrap_err(), want("-2020-02-10"));
        assert_eq!(parse_day("+10000-01-01").unwrap_err(), want("+10000-01-01"));
        assert!(parse_day("0001-01-01").is_ok());
        assert!(parse_datetime("9999-12-31T23:59:59-12:00", SH).is_ok());
    }
}
