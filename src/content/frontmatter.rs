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

/// A calendar date, with the original TOML value kept for date-times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
    /// Seconds since midnight, when a time was given (for ordering and feeds).
    pub seconds: Option<u32>,
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

impl Date {
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// `3 September 2025`
    pub fn display(&self) -> String {
        format!("{} {} {}", self.day, self.month_name(), self.year)
    }

    pub fn month_name(&self) -> &'static str {
        MONTHS[(self.month as usize).saturating_sub(1).min(11)]
    }

    /// RFC 3339, as Atom wants it (UTC assumed).
    pub fn rfc3339(&self) -> String {
        let s = self.seconds.unwrap_or(0);
        format!(
            "{}T{:02}:{:02}:{:02}Z",
            self.iso(),
            s / 3600,
            s / 60 % 60,
            s % 60
        )
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

    /// `YYYY-MM-DD`, optionally followed by a time.
    pub fn parse_str(s: &str) -> Option<Date> {
        let s = s.trim();
        let b = s.as_bytes();
        if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year = s.get(0..4)?.parse().ok()?;
        let month = s.get(5..7)?.parse().ok()?;
        let day = s.get(8..10)?.parse().ok()?;
        if !Date::valid(year, month, day) {
            return None;
        }
        let mut seconds = None;
        if b.len() > 10 {
            if !matches!(b[10], b'T' | b't' | b' ') || b.len() < 16 {
                return None;
            }
            let h: u32 = s.get(11..13)?.parse().ok()?;
            let m: u32 = s.get(14..16)?.parse().ok()?;
            let sec: u32 = s.get(17..19).and_then(|x| x.parse().ok()).unwrap_or(0);
            if h > 23 || m > 59 || sec > 60 {
                return None;
            }
            seconds = Some(h * 3600 + m * 60 + sec);
        }
        Some(Date {
            year,
            month,
            day,
            seconds,
        })
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
                Ok(Date {
                    year: date.year,
                    month: date.month,
                    day: date.day,
                    seconds,
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
    use std::path::PathBuf;

    fn file(t: &str) -> SourceFile {
        SourceFile {
            path: PathBuf::from("a.md"),
            text: t.to_string(),
        }
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
}
