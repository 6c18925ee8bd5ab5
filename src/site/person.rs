//! What the site shows of a person beyond their profile: the day of their
//! mission an entry falls on, and the initials that stand in for a photo.

use chrono::NaiveDate;

/// Deployment day counter: the day of deployment is day 1, the day of
/// return the last. `None` before deployment and after the return: a
/// person at home is on no day of the mission.
pub fn day_number(
    date: NaiveDate,
    deployed: NaiveDate,
    returned: Option<NaiveDate>,
) -> Option<i64> {
    if returned.is_some_and(|r| date > r) {
        return None;
    }
    let n = (date - deployed).num_days() + 1;
    (n >= 1).then_some(n)
}

/// Placeholder initials: a Chinese name shows its family name (first
/// character); a Latin name the first letters of its first and last words.
pub fn initials(name: &str) -> String {
    let name = name.trim();
    let first = name.chars().next();
    match first {
        None => "?".into(),
        Some(c) if !c.is_ascii() && c.is_alphabetic() && !name.contains(' ') => c.to_string(),
        Some(_) => {
            let words: Vec<&str> = name.split_whitespace().collect();
            let mut s = String::new();
            if let Some(w) = words.first().and_then(|w| w.chars().next()) {
                s.extend(w.to_uppercase());
            }
            if words.len() > 1
                && let Some(w) = words.last().and_then(|w| w.chars().next())
            {
                s.extend(w.to_uppercase());
            }
            if s.is_empty() { "?".into() } else { s }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_for_chinese_and_latin_names() {
        assert_eq!(initials("代晓红"), "代");
        assert_eq!(initials("John Smith"), "JS");
        assert_eq!(initials("alice"), "A");
        assert_eq!(initials(""), "?");
    }

    #[test]
    fn deployment_day_counter() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(day_number(d("2020-02-09"), d("2020-02-09"), None), Some(1));
        assert_eq!(day_number(d("2020-03-01"), d("2020-02-09"), None), Some(22));
        assert_eq!(day_number(d("2020-02-08"), d("2020-02-09"), None), None);
        let home = Some(d("2020-04-02"));
        assert_eq!(day_number(d("2020-04-02"), d("2020-02-09"), home), Some(54));
        assert_eq!(day_number(d("2020-04-16"), d("2020-02-09"), home), None);
    }
}
