//! Splits a Markdown file into its TOML front matter (between `+++` lines)
//! and its body, and parses the front matter with positions that point into
//! the file, not into the block.

use super::source::SourceFile;
use crate::diagnostics::Diagnostic;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

/// Where the parts of a file are.
#[derive(Debug, Clone, Copy)]
pub struct Split {
    /// Byte range of the TOML text.
    pub toml: (usize, usize),
    /// Byte offset where the Markdown body starts.
    pub body: usize,
}

/// Finds the `+++` block at the top of `text`.
pub fn split(file: &SourceFile) -> Result<Split, Diagnostic> {
    let text = &file.text;
    let first_end = text.find('\n').unwrap_or(text.len());
    if text[..first_end].trim_end() != "+++" {
        return Err(file.error(
            0,
            "expected front matter: the file must start with a line `+++`, then TOML, then `+++`",
        ));
    }
    let toml_start = (first_end + 1).min(text.len());
    let mut pos = toml_start;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        if text[pos..end].trim_end() == "+++" {
            let body = (end + 1).min(text.len());
            return Ok(Split {
                toml: (toml_start, pos),
                body,
            });
        }
        pos = end + 1;
    }
    Err(file.error(0, "front matter is not closed: no closing `+++` line"))
}

/// Parses the front matter of `file` as `T`.
pub fn parse<T: DeserializeOwned>(file: &SourceFile, split: &Split) -> Result<T, Diagnostic> {
    let toml_text = &file.text[split.toml.0..split.toml.1];
    toml::from_str(toml_text)
        .map_err(|e| crate::config::toml_error(&file.path, &file.text, split.toml.0, &e))
}

/// A calendar date as written, with the time and UTC offset when given.
///
/// The date, and the time when there is one, are kept as written (the
/// author's local date and time); `offset` says which zone that is. Dates
/// show as written (`iso`, `display`); [`Date::rfc3339`] keeps the offset,
/// so the feed names the same instant as the front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
    /// Seconds since midnight, when a time was given (for ordering and feeds).
    pub seconds: Option<u32>,
    /// Minutes east of UTC, when the time carried an offset (`Z` is 0).
    /// `None` for a date alone or a local date-time (no zone given).
    pub offset: Option<i16>,
}

const MONTHS: [&str; 12] = [
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

/// `March` for 3 (clamped to 1..=12).
pub fn month_name(month: u8) -> &'static str {
    MONTHS[(month as usize).saturating_sub(1).min(11)]
}

/// Newest last: by the date as written (the date lists and the archive
/// show), then, within one day, by the instant (an offset counts; a time
/// without one is taken as UTC), a date alone before any time of its day.
impl Ord for Date {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let key = |d: &Date| {
            let instant = d
                .seconds
                .map(|s| i64::from(s) - 60 * i64::from(d.offset.unwrap_or(0)));
            (d.year, d.month, d.day, instant, d.seconds, d.offset)
        };
        key(self).cmp(&key(other))
    }
}

impl PartialOrd for Date {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Date {
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// `3 September 2025`
    pub fn display(&self) -> String {
        format!("{} {} {}", self.day, self.month_name(), self.year)
    }

    pub fn month_name(&self) -> &'static str {
        month_name(self.month)
    }

    /// RFC 3339, as Atom wants it: the date and time as written with their
    /// offset (`2025-03-31T23:30:00-05:00`); `Z` for UTC, and for a date
    /// alone (midnight) or a time given without an offset.
    pub fn rfc3339(&self) -> String {
        let s = self.seconds.unwrap_or(0);
        // A leap second (23:59:60) stays one, not 24:00:00.
        let (h, m, sec) = if s >= 86_400 {
            (23, 59, 60)
        } else {
            (s / 3600, s / 60 % 60, s % 60)
        };
        let zone = match self.offset {
            Some(m) if m != 0 && self.seconds.is_some() => {
                let sign = if m < 0 { '-' } else { '+' };
                let m = m.unsigned_abs();
                format!("{sign}{:02}:{:02}", m / 60, m % 60)
            }
            _ => "Z".to_string(),
        };
        format!("{}T{h:02}:{m:02}:{sec:02}{zone}", self.iso())
    }

    /// Seconds since 1970-01-01T00:00:00Z of the instant named (a date
    /// alone is its midnight, a time without offset is taken as UTC): for
    /// finding the newest of dates written in different zones.
    pub fn timestamp(&self) -> i64 {
        // Days from civil (Howard Hinnant's algorithm).
        let (y, m, d) = (
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        );
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        let days = era * 146_097 + doe - 719_468;
        days * 86_400 + i64::from(self.seconds.unwrap_or(0))
            - 60 * i64::from(self.offset.unwrap_or(0))
    }

    fn valid(year: u16, month: u8, day: u8) -> bool {
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return false,
        };
        year > 0 && day >= 1 && day <= days
    }

    /// `YYYY-MM-DD`, optionally followed by a time `HH:MM[:SS[.fraction]]`
    /// (after `T` or a space) and an offset (`Z` or `+HH:MM` / `-HH:MM`).
    pub fn parse_str(s: &str) -> Option<Date> {
        let s = s.trim();
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = b.get(r)?;
            if part.iter().all(u8::is_ascii_digit) {
                std::str::from_utf8(part).ok()?.parse().ok()
            } else {
                None
            }
        };
        if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year = u16::try_from(digits(0..4)?).ok()?;
        let month = u8::try_from(digits(5..7)?).ok()?;
        let day = u8::try_from(digits(8..10)?).ok()?;
        if !Date::valid(year, month, day) {
            return None;
        }
        let mut date = Date {
            year,
            month,
            day,
            seconds: None,
            offset: None,
        };
        if b.len() == 10 {
            return Some(date);
        }
        if !matches!(b[10], b'T' | b't' | b' ') || b.get(13) != Some(&b':') {
            return None;
        }
        let h = digits(11..13)?;
        let m = digits(14..16)?;
        let mut at = 16;
        let mut sec = 0;
        if b.get(at) == Some(&b':') {
            sec = digits(17..19)?;
            at = 19;
            if b.get(at) == Some(&b'.') {
                at += 1;
                let start = at;
                while b.get(at).is_some_and(u8::is_ascii_digit) {
                    at += 1;
                }
                if at == start {
                    return None;
                }
            }
        }
        if h > 23 || m > 59 || sec > 60 {
            return None;
        }
        date.seconds = Some(h * 3600 + m * 60 + sec);
        match b.get(at) {
            None => {}
            Some(b'Z' | b'z') if at + 1 == b.len() => date.offset = Some(0),
            Some(&sign @ (b'+' | b'-')) if at + 6 == b.len() && b[at + 3] == b':' => {
                let (oh, om) = (digits(at + 1..at + 3)?, digits(at + 4..at + 6)?);
                if oh > 23 || om > 59 {
                    return None;
                }
                let minutes = i16::try_from(oh * 60 + om).ok()?;
                date.offset = Some(if sign == b'-' { -minutes } else { minutes });
            }
            Some(_) => return None,
        }
        Some(date)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Dt(toml::value::Datetime),
            Str(String),
        }
        let msg = "expected a date like 2025-09-03 or a date-time like 2025-09-03T10:00:00Z";
        match Raw::deserialize(d).map_err(|_| serde::de::Error::custom(msg))? {
            Raw::Dt(dt) => {
                let date = dt
                    .date
                    .ok_or_else(|| serde::de::Error::custom("a date is needed, not only a time"))?;
                if !Date::valid(date.year, date.month, date.day) {
                    return Err(serde::de::Error::custom(msg));
                }
                let seconds = dt
                    .time
                    .map(|t| t.hour as u32 * 3600 + t.minute as u32 * 60 + t.second as u32);
                let offset = dt.offset.map(|o| match o {
                    toml::value::Offset::Z => 0,
                    toml::value::Offset::Custom { minutes } => minutes,
                });
                Ok(Date {
                    year: date.year,
                    month: date.month,
                    day: date.day,
                    seconds,
                    offset: offset.filter(|_| seconds.is_some()),
                })
            }
            Raw::Str(s) => Date::parse_str(&s)
                .ok_or_else(|| serde::de::Error::custom(format!("invalid date {s:?}: {msg}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(t: &str) -> SourceFile {
        SourceFile::new("a.md", t)
    }

    #[test]
    fn splits_front_matter_and_body() {
        let f = file("+++\ntitle = \"x\"\n+++\nBody\n");
        let s = split(&f).unwrap();
        assert_eq!(&f.text[s.toml.0..s.toml.1], "title = \"x\"\n");
        assert_eq!(&f.text[s.body..], "Body\n");
    }

    #[test]
    fn crlf_and_trailing_spaces_are_accepted() {
        let f = file("+++ \r\ntitle = \"x\"\r\n+++\r\nBody");
        let s = split(&f).unwrap();
        assert_eq!(&f.text[s.body..], "Body");
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let e = split(&file("+++\ntitle = \"x\"\nBody\n")).unwrap_err();
        assert!(e.message.contains("not closed"));
        assert_eq!(e.line, 1);
    }

    #[test]
    fn toml_errors_point_into_the_file() {
        #[derive(Deserialize, Debug)]
        #[allow(dead_code)]
        struct T {
            title: String,
        }
        let f = file("+++\n\ntitle = = 3\n+++\n");
        let s = split(&f).unwrap();
        let e = parse::<T>(&f, &s).unwrap_err();
        assert_eq!(e.line, 3);
    }

    #[test]
    fn dates() {
        assert_eq!(
            Date::parse_str("2025-09-03").unwrap().display(),
            "3 September 2025"
        );
        assert!(Date::parse_str("2025-02-30").is_none());
        assert!(Date::parse_str("2024-02-29").is_some());
        assert_eq!(
            Date::parse_str("2025-09-03T10:20:30Z").unwrap().rfc3339(),
            "2025-09-03T10:20:30Z"
        );
    }

    #[derive(Deserialize)]
    struct D {
        date: Date,
    }

    fn toml_date(v: &str) -> Date {
        toml::from_str::<D>(&format!("date = {v}\n")).unwrap().date
    }

    #[test]
    fn a_time_keeps_its_offset() {
        // As a TOML date-time and as a string alike.
        for v in ["2025-03-31T23:30:00-05:00", "\"2025-03-31T23:30:00-05:00\""] {
            let d = toml_date(v);
            assert_eq!(d.rfc3339(), "2025-03-31T23:30:00-05:00", "{v}");
            assert_eq!(
                (d.iso(), d.display()),
                ("2025-03-31".into(), "31 March 2025".into())
            );
            // 2025-04-01T04:30:00Z
            assert_eq!(d.timestamp(), 1_743_481_800, "{v}");
        }
        assert_eq!(
            toml_date("2025-03-31T23:30:00+05:30").rfc3339(),
            "2025-03-31T23:30:00+05:30"
        );
        assert_eq!(
            toml_date("2025-03-31T23:30:00.25+00:00").rfc3339(),
            "2025-03-31T23:30:00Z"
        );
        assert_eq!(
            toml_date("\"2025-03-31 23:30+01:00\"").rfc3339(),
            "2025-03-31T23:30:00+01:00"
        );
        // No zone given: as before, UTC is assumed; a date alone is midnight.
        assert_eq!(
            toml_date("2025-03-31T23:30:00").rfc3339(),
            "2025-03-31T23:30:00Z"
        );
        assert_eq!(toml_date("2025-03-31").rfc3339(), "2025-03-31T00:00:00Z");
        assert_eq!(toml_date("1970-01-01").timestamp(), 0);
    }

    #[test]
    fn string_dates_with_anything_else_after_the_time_are_refused() {
        for s in [
            "2025-03-31T23:30:00 CET",
            "2025-03-31T23:30xyz",
            "2025-03-31T23:30:00+5",
            "2025-03-31T23:30:00+24:00",
            "2025-03-31T23:30:00.",
            "2025-03-31T23",
            "2025-0x-31",
        ] {
            assert!(Date::parse_str(s).is_none(), "{s}");
        }
    }

    #[test]
    fn within_a_day_dates_are_ordered_by_instant() {
        let early = toml_date("2025-03-31T23:30:00+09:00"); // 14:30Z
        let late = toml_date("2025-03-31T20:00:00Z");
        let day = toml_date("2025-03-31");
        let next = toml_date("2025-04-01T00:10:00+14:00"); // before both, but written on 1 April
        assert!(day < early && early < late && late < next);
        assert_ne!(
            toml_date("2025-03-31T20:00:00Z"),
            toml_date("2025-03-31T21:00:00+01:00")
        );
    }
}
