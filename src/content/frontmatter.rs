//! Splits a Markdown file into its TOML front matter (between `+++` lines)
//! and its body, and parses the front matter with positions that point into
//! the file, not into the block.
//!
//! A TOML document that does not deserialize (front matter, a sidecar) is
//! then checked key by key ([`check_all`]; `config.toml` always is), so
//! that one run reports every unknown key, every wrongly
//! typed value and every missing required key, not only the first one
//! serde stops at; an unknown key close to a key the table lacks comes
//! with it suggested.

use super::source::SourceFile;
use crate::diagnostics::Diagnostic;
use serde::de::{self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess};
use serde::{Deserialize, Deserializer};
use std::cell::{Cell, RefCell};
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::marker::PhantomData;
use std::path::Path;

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

/// Parses the front matter of `file` as `T`; when it does not parse, every
/// problem in it (see [`parse_toml`]).
pub fn parse<T: Table>(file: &SourceFile, split: &Split) -> Result<T, Vec<Diagnostic>> {
    let toml_text = &file.text[split.toml.0..split.toml.1];
    parse_toml(&file.path, &file.text, split.toml.0, toml_text)
}

/// Parses a whole sidecar file `NAME.annotations.toml`: its annotations,
/// or every problem in it.
pub fn parse_sidecar(
    file: &SourceFile,
) -> Result<Vec<super::model::AnnotationSpec>, Vec<Diagnostic>> {
    parse_toml::<super::model::Sidecar>(&file.path, &file.text, 0, &file.text)
        .map(|s| s.annotations)
}

/// Parses `toml_text`, found at byte `offset` of `file_text` (the file at
/// `path`), as `T`. The valid document costs one deserialization, as
/// ever; only one that fails is read again by [`check_all`], for every
/// unknown key, wrongly typed value and missing key at its own place (a
/// syntax error stays one error: the parser stops there).
pub fn parse_toml<T: Table>(
    path: &Path,
    file_text: &str,
    offset: usize,
    toml_text: &str,
) -> Result<T, Vec<Diagnostic>> {
    toml::from_str(toml_text).map_err(|e| {
        let problems = check_all::<T>(toml_text);
        if problems.is_empty() {
            // Not expected (what fails to deserialize has a problem the
            // check finds), but serde's own error is never lost.
            return vec![crate::config::toml_error(path, file_text, offset, &e)];
        }
        problems
            .iter()
            .map(|p| p.diagnostic(path, file_text, offset))
            .collect()
    })
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

impl Date {
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// As pages show it, in `lang`: `3 September 2025`, `3 de septiembre
    /// de 2025` ([`Lang::date`]).
    pub fn display(&self, lang: crate::render::words::Lang) -> String {
        lang.date(self.year, self.month, self.day)
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

// ---------------------------------------------------------------------------
// Checking a TOML document key by key.
//
// serde stops at the first unknown key or wrongly typed value of a document.
// [`check_all`] walks the document instead, through toml's own deserializer (so
// positions, `Spanned` values and dates are exactly what a normal read
// sees): a key the struct has no field for is recorded where it stands, and
// the value of each known key is deserialized on its own, as the struct with
// only that key (a "probe"), so that one wrong value does not hide the next.
// The struct's keys are serde's own field list, not a copy of it. A wrongly
// typed value aborts the walk (its error, with toml's position, only comes
// out at the top); the walk then runs again, skipping that value, until the
// document is done: one run of the parser per wrong value, on a document
// that failed anyway. Once a table's keys are all walked, each unknown one
// is matched against the keys the table lacks ([`meant`]), and each
// required key it lacks aborts the walk in the same way, at the table.
// ---------------------------------------------------------------------------

/// A struct read from a TOML table, whose documents [`check`] can check key
/// by key.
pub trait Table: DeserializeOwned {
    /// Checks the value of one of the struct's keys ([`Value::key`]): by
    /// default as that field of the struct ([`Value::field`]); a key whose
    /// value holds tables of their own should check them key by key too
    /// ([`Value::table`], [`Value::tables`], [`Value::map_of`]), for all
    /// their unknown keys to be reported, not only the first.
    fn check_value<'de, A: MapAccess<'de>>(value: Value<'_, 'de, A, Self>) -> Result<(), A::Error> {
        value.field()
    }
}

/// One problem of a TOML document, at a byte offset of its text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Problem {
    pub offset: usize,
    pub message: String,
    /// A key the struct does not know (the document is otherwise readable
    /// without it); `false` for any other problem.
    pub unknown_key: bool,
    /// A hint: for an unknown key, the key of its table it may be meant
    /// for (`did you mean `title`?`); for a missing key, the unknown key
    /// that may be it misspelt.
    pub note: Option<String>,
}

impl Problem {
    fn from_toml(e: &toml::de::Error) -> Problem {
        Problem {
            offset: e.span().map_or(0, |s| s.start),
            message: e.message().trim().replace('\n', " "),
            unknown_key: false,
            note: None,
        }
    }

    /// As an error at its place of `file_text` (the file at `path`), the
    /// document starting at byte `offset` of it.
    pub fn diagnostic(&self, path: &Path, file_text: &str, offset: usize) -> Diagnostic {
        let d = Diagnostic::error_at(path, file_text, offset + self.offset, self.message.clone());
        match &self.note {
            Some(note) => d.with_note(note.clone()),
            None => d,
        }
    }
}

/// Every problem of the TOML document `text` read as `T`, in the order of
/// the text: a syntax error (then nothing else: the parser stops there),
/// or each unknown key (at the key, with the key of its table it may be
/// meant for), each wrongly typed value (at the value, or inside it where
/// toml says) and each missing required key (at its table), also in a
/// table with an unknown key or a wrong value: the key `titel` is no
/// `title`, and fixing one must not reveal the other. Empty when `text`
/// reads as `T`.
pub fn check_all<T: Table>(text: &str) -> Vec<Problem> {
    walk_document::<T>(text, true)
}

/// The problems of `text` read as `T` as serde would name them one by one:
/// as [`check_all`], but a table's missing keys only when its keys are
/// otherwise right (its unknown keys still come with the keys they may be
/// meant for). Every document the build reads goes through [`check_all`];
/// the tests hold the two walks against serde and each other.
#[cfg(test)]
pub fn check<T: Table>(text: &str) -> Vec<Problem> {
    walk_document::<T>(text, false)
}

/// [`check_all`], or [`check`] without `all_missing`.
fn walk_document<T: Table>(text: &str, all_missing: bool) -> Vec<Problem> {
    let mut done = HashSet::new();
    let mut problems = Vec::new();
    // Each run but the last marks one more check done, of the finitely
    // many the document has.
    loop {
        let walk = Walk {
            done,
            current: Cell::new(None),
            problems: RefCell::new(Vec::new()),
            all_missing,
            missing_note: RefCell::new(None),
        };
        let result =
            TableSeed::<T>::new(&walk, Place::TOP).deserialize(toml::Deserializer::new(text));
        problems.extend(walk.problems.into_inner());
        done = walk.done;
        let Err(e) = result else {
            break;
        };
        let mut problem = Problem::from_toml(&e);
        problem.note = walk.missing_note.into_inner();
        problems.push(problem);
        // An error of the place being checked: check the others. Any other
        // (a syntax error) ends the check.
        match walk.current.get() {
            Some(site) if done.insert(site) => {}
            _ => break,
        }
    }
    // Each run records the unknown keys it passes again; only a run that
    // saw the whole of a key's table knows what the key may be meant for.
    let mut first: HashMap<(usize, String, bool), usize> = HashMap::new();
    let mut out: Vec<Problem> = Vec::with_capacity(problems.len());
    for p in problems {
        match first.entry((p.offset, p.message.clone(), p.unknown_key)) {
            Entry::Occupied(at) => {
                let kept = &mut out[*at.get()];
                if kept.note.is_none() {
                    kept.note = p.note;
                }
            }
            Entry::Vacant(at) => {
                at.insert(out.len());
                out.push(p);
            }
        }
    }
    out.sort_by_key(|p| p.offset);
    out
}

/// The key of a table that an unknown key `name` may be a misspelling of:
/// among `absent`, the keys the table lacks (those it requires first), the
/// nearest one in letters, if near enough (case and `-` for `_` aside, a
/// letter or two swapped, missed or mistyped: `titel`, `sumary`, `Title`,
/// `no-autolink`).
fn meant<'f>(name: &str, absent: &[(&'f str, bool)]) -> Option<&'f str> {
    let norm = |s: &str| s.to_lowercase().replace('-', "_");
    let name = norm(name);
    absent
        .iter()
        .enumerate()
        .map(|(order, &(field, required))| {
            let d = strsim::osa_distance(&name, &norm(field));
            (d, !required, order, field)
        })
        .filter(|&(d, _, _, field)| d <= (field.chars().count() / 3).max(1))
        .min()
        .map(|(_, _, _, field)| field)
}

/// Where a value is: the key it is the value of (its byte offset; `None`
/// for the document), and its index when it is an element of that key's
/// array.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Place {
    key: Option<usize>,
    element: Option<usize>,
}

impl Place {
    const TOP: Place = Place {
        key: None,
        element: None,
    };

    fn key(at: usize) -> Place {
        Place {
            key: Some(at),
            element: None,
        }
    }

    /// The check of the value itself (its type).
    fn value(self) -> Site {
        Site {
            place: self,
            missing: None,
        }
    }
}

/// One check of a walk, that fails or not: the value at a place, or one
/// required key of the table at a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Site {
    place: Place,
    missing: Option<&'static str>,
}

/// The state of one walk over a document.
struct Walk {
    /// Checks that failed in an earlier run: skipped.
    done: HashSet<Site>,
    /// The check under way: the one to blame when an error comes out.
    current: Cell<Option<Site>>,
    /// What the walk found without stopping (unknown keys).
    problems: RefCell<Vec<Problem>>,
    /// Whether a table's missing keys are checked also when some of its
    /// keys are unknown or have wrong values ([`check_all`]).
    all_missing: bool,
    /// The note of the missing key whose error ends the run, if any.
    missing_note: RefCell<Option<String>>,
}

/// The value of a known key of a table of `T`, to check.
pub struct Value<'a, 'de, A: MapAccess<'de>, T> {
    map: &'a mut A,
    walk: &'a Walk,
    key: &'a str,
    /// Byte offset of the key.
    at: usize,
    _types: PhantomData<(&'de (), T)>,
}

impl<'de, A: MapAccess<'de>, T: Table> Value<'_, 'de, A, T> {
    pub fn key(&self) -> &str {
        self.key
    }

    /// Checks the value as the field of `T` it is.
    pub fn field(self) -> Result<(), A::Error> {
        self.map.next_value_seed(Probe::<T> {
            key: self.key,
            _t: PhantomData,
        })
    }

    /// Checks the value as a table of `U`, key by key.
    pub fn table<U: Table>(self) -> Result<(), A::Error> {
        self.map
            .next_value_seed(TableSeed::<U>::new(self.walk, Place::key(self.at)))
    }

    /// Checks the value as an array of tables of `U`, each key by key.
    pub fn tables<U: Table>(self) -> Result<(), A::Error> {
        self.map.next_value_seed(ListSeed::<U> {
            walk: self.walk,
            at: self.at,
            _t: PhantomData,
        })
    }

    /// Checks the value as a table of tables of `U` (any keys), each key
    /// by key.
    pub fn map_of<U: Table>(self) -> Result<(), A::Error> {
        self.map.next_value_seed(MapSeed::<U> {
            walk: self.walk,
            at: self.at,
            _t: PhantomData,
        })
    }
}

/// The name and fields serde asks a deserializer for when it reads `T` (a
/// struct): [`check`]'s list of the keys `T` takes is serde's own.
fn shape_of<T: DeserializeOwned>() -> (&'static str, &'static [&'static str]) {
    type Shape = (&'static str, &'static [&'static str]);
    struct Capture<'a>(&'a Cell<Shape>);
    impl<'de> Deserializer<'de> for Capture<'_> {
        type Error = de::value::Error;
        fn deserialize_any<V: de::Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("not a struct"))
        }
        fn deserialize_struct<V: de::Visitor<'de>>(
            self,
            name: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            self.0.set((name, fields));
            Err(de::Error::custom("captured"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf option unit unit_struct newtype_struct seq tuple
            tuple_struct map enum identifier ignored_any
        }
    }
    let shape = Cell::new(("", &[][..]));
    let _ = T::deserialize(Capture(&shape));
    shape.get()
}

/// A key of a table, with its byte offset; `None` for the key toml gives
/// the map that stands for a date (not a table).
struct Key {
    name: String,
    at: Option<usize>,
}

struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        // Asked as a `Spanned` key (the names are serde_spanned's, taken
        // from it), toml gives a key's span; a date's key is a bare string.
        let (name, fields) = shape_of::<toml::Spanned<String>>();
        d.deserialize_struct(name, fields, KeySeed)
    }
}

impl<'de> de::Visitor<'de> for KeySeed {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E: de::Error>(self, name: &str) -> Result<Key, E> {
        Ok(Key {
            name: name.to_string(),
            at: None,
        })
    }
    fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<Key, M::Error> {
        let key = toml::Spanned::<String>::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(Key {
            at: Some(key.span().start),
            name: key.into_inner(),
        })
    }
}

/// Walks a table of `T`.
struct TableSeed<'w, T> {
    walk: &'w Walk,
    place: Place,
    _t: PhantomData<T>,
}

impl<'w, T> TableSeed<'w, T> {
    fn new(walk: &'w Walk, place: Place) -> Self {
        TableSeed {
            walk,
            place,
            _t: PhantomData,
        }
    }
}

impl<'de, T: Table> DeserializeSeed<'de> for TableSeed<'_, T> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, T: Table> de::Visitor<'de> for TableSeed<'_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        // As serde's derive says it.
        write!(f, "struct {}", shape_of::<T>().0)
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        let walk = self.walk;
        // A table, as it should be.
        walk.current.set(None);
        let fields = shape_of::<T>().1;
        let mut present = Vec::new();
        // Whether a key of this table is unknown or has a wrong value.
        let mut wrong = false;
        // The unknown keys: their problem (its index) and name.
        let mut unknown: Vec<(usize, String)> = Vec::new();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let Some(at) = key.at else {
                // A date, not a table.
                walk.current.set(Some(self.place.value()));
                return Err(de::Error::invalid_type(
                    de::Unexpected::Other("date"),
                    &self,
                ));
            };
            if !fields.contains(&key.name.as_str()) {
                let e: de::value::Error = de::Error::unknown_field(&key.name, fields);
                {
                    let mut problems = walk.problems.borrow_mut();
                    unknown.push((problems.len(), key.name.clone()));
                    problems.push(Problem {
                        offset: at,
                        message: e.to_string(),
                        unknown_key: true,
                        note: None,
                    });
                }
                wrong = true;
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            let site = Place::key(at).value();
            if walk.done.contains(&site) {
                wrong = true;
                map.next_value::<IgnoredAny>()?;
            } else {
                walk.current.set(Some(site));
                T::check_value(Value {
                    map: &mut map,
                    walk,
                    key: &key.name,
                    at,
                    _types: PhantomData,
                })?;
                walk.current.set(None);
            }
            present.push(key.name);
        }
        // The whole table seen: what each unknown key may be meant for,
        // among the keys it lacks.
        let required = required_fields::<T>();
        let absent: Vec<(&str, bool)> = fields
            .iter()
            .filter(|f| !present.iter().any(|p| p == *f))
            .map(|f| (*f, required.contains(f)))
            .collect();
        let mut misspelt: Vec<(&str, &str)> = Vec::new();
        for (i, name) in &unknown {
            if let Some(field) = meant(name, &absent) {
                walk.problems.borrow_mut()[*i].note = Some(format!("did you mean `{field}`?"));
                misspelt.push((field, name));
            }
        }
        // Required keys, every one missing: with [`check_all`], in any
        // table (that `titel` is no `title` must not wait for the next
        // run); otherwise, as serde does, only in a table whose keys are
        // otherwise right.
        if wrong && !walk.all_missing {
            return Ok(());
        }
        for field in required {
            let site = Site {
                place: self.place,
                missing: Some(field),
            };
            if !present.iter().any(|p| p == field) && !walk.done.contains(&site) {
                // toml places it at the table.
                walk.current.set(Some(site));
                let misspelt = misspelt.iter().find(|(f, _)| *f == field);
                *walk.missing_note.borrow_mut() =
                    misspelt.map(|(_, name)| format!("is it misspelt as `{name}`?"));
                return Err(de::Error::missing_field(field));
            }
        }
        Ok(())
    }
}

/// Walks an array of tables of `T`: the value of the key at `at`.
struct ListSeed<'w, T> {
    walk: &'w Walk,
    at: usize,
    _t: PhantomData<T>,
}

impl<'de, T: Table> DeserializeSeed<'de> for ListSeed<'_, T> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: Table> de::Visitor<'de> for ListSeed<'_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        // As serde says it for a `Vec`.
        f.write_str("a sequence")
    }

    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<(), S::Error> {
        let walk = self.walk;
        walk.current.set(None);
        for i in 0.. {
            let place = Place {
                key: Some(self.at),
                element: Some(i),
            };
            let more = if walk.done.contains(&place.value()) {
                seq.next_element::<IgnoredAny>()?.is_some()
            } else {
                walk.current.set(Some(place.value()));
                let more = seq
                    .next_element_seed(TableSeed::<T>::new(walk, place))?
                    .is_some();
                walk.current.set(None);
                more
            };
            if !more {
                break;
            }
        }
        Ok(())
    }
}

/// Walks a table of tables of `T` under any keys: the value of the key at
/// `at`.
struct MapSeed<'w, T> {
    walk: &'w Walk,
    at: usize,
    _t: PhantomData<T>,
}

impl<'de, T: Table> DeserializeSeed<'de> for MapSeed<'_, T> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, T: Table> de::Visitor<'de> for MapSeed<'_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        // As serde says it for a map.
        f.write_str("a map")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        let walk = self.walk;
        walk.current.set(None);
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let Some(at) = key.at else {
                walk.current.set(Some(Place::key(self.at).value()));
                return Err(de::Error::invalid_type(
                    de::Unexpected::Other("date"),
                    &self,
                ));
            };
            let place = Place::key(at);
            if walk.done.contains(&place.value()) {
                map.next_value::<IgnoredAny>()?;
            } else {
                walk.current.set(Some(place.value()));
                map.next_value_seed(TableSeed::<T>::new(walk, place))?;
                walk.current.set(None);
            }
        }
        Ok(())
    }
}

/// Deserializes the value of one key as that field of `T`: `T` read from a
/// table holding only that key. A wrong value is the error; the required
/// keys the table lacks are not (they are [`required_fields`]' business).
struct Probe<'a, T> {
    key: &'a str,
    _t: PhantomData<T>,
}

impl<'de, T: Table> DeserializeSeed<'de> for Probe<'_, T> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        match T::deserialize(Entries::new(vec![(self.key, d)])) {
            Ok(_) | Err(ProbeError::Missing(_)) => Ok(()),
            Err(ProbeError::Value(e)) => Err(e),
            Err(ProbeError::Other(message)) => Err(de::Error::custom(message)),
        }
    }
}

/// The keys `T` requires, in the order of its fields. serde names only the
/// first one a table lacks: each one named is given a value it takes (the
/// first of a few that fits) until serde names no more.
fn required_fields<T: Table>() -> Vec<&'static str> {
    // A string that is also a date; a number; a boolean; an array; a table.
    const VALUES: [&str; 5] = ["\"2000-01-01\"", "0", "false", "[]", "{}"];
    let read = |given: &[(&'static str, &'static str)]| {
        let entries = given
            .iter()
            .map(|&(key, value)| (key, toml::de::ValueDeserializer::new(value)))
            .collect();
        T::deserialize(Entries::new(entries))
    };
    let mut given = Vec::new();
    let mut required = Vec::new();
    let mut next = read(&given);
    while let Err(ProbeError::Missing(field)) = next {
        if required.contains(&field) {
            break;
        }
        required.push(field);
        for value in VALUES {
            given.push((field, value));
            next = read(&given);
            match &next {
                Ok(_) => break,
                Err(ProbeError::Missing(other)) if !required.contains(other) => break,
                _ => {
                    given.pop();
                }
            }
        }
    }
    required
}

/// What reading a struct from [`Entries`] gave.
#[derive(Debug)]
enum ProbeError<E> {
    /// A required key the table lacks.
    Missing(&'static str),
    /// The error of the value (toml's, with its position).
    Value(E),
    Other(String),
}

impl<E: fmt::Display> fmt::Display for ProbeError<E> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            ProbeError::Missing(field) => write!(f, "missing field `{field}`"),
            ProbeError::Value(e) => e.fmt(f),
            ProbeError::Other(message) => f.write_str(message),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for ProbeError<E> {}

impl<E: de::Error> de::Error for ProbeError<E> {
    fn custom<M: fmt::Display>(message: M) -> Self {
        ProbeError::Other(message.to_string())
    }
    fn missing_field(field: &'static str) -> Self {
        ProbeError::Missing(field)
    }
}

/// A table of the given keys and values, to read a struct from.
struct Entries<'k, D> {
    entries: std::vec::IntoIter<(&'k str, D)>,
    value: Option<D>,
}

impl<'k, D> Entries<'k, D> {
    fn new(entries: Vec<(&'k str, D)>) -> Self {
        Entries {
            entries: entries.into_iter(),
            value: None,
        }
    }
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Entries<'_, D> {
    type Error = ProbeError<D::Error>;
    fn deserialize_any<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_map(self)
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

impl<'de, D: Deserializer<'de>> MapAccess<'de> for Entries<'_, D> {
    type Error = ProbeError<D::Error>;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        match self.entries.next() {
            Some((key, value)) => {
                self.value = Some(value);
                seed.deserialize(de::value::StrDeserializer::new(key))
                    .map(Some)
            }
            None => Ok(None),
        }
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        match self.value.take() {
            Some(value) => seed.deserialize(value).map_err(ProbeError::Value),
            None => Err(de::Error::custom("no value")),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::render::words::Lang;

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
        impl Table for T {}
        let f = file("+++\n\ntitle = = 3\n+++\n");
        let s = split(&f).unwrap();
        let e = parse::<T>(&f, &s).unwrap_err();
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].line, 3);
    }

    use crate::content::model::{AnnotationSpec, ArticleMeta, EntityMeta, PageMeta, Sidecar};

    /// (offset, message) of each problem of `text` read as `T`.
    fn problems<T: Table>(text: &str) -> Vec<(usize, String)> {
        check::<T>(text)
            .into_iter()
            .map(|p| (p.offset, p.message))
            .collect()
    }

    #[test]
    fn every_unknown_key_and_wrong_value_of_a_table_is_a_problem() {
        let text =
            "title = \"D\"\ndate = 2025-01-04\ntagz = [\"a\"]\nsumary = \"x\"\ndraft = \"yes\"\n";
        let p = check::<ArticleMeta>(text);
        let at: Vec<(usize, bool)> = p.iter().map(|p| (p.offset, p.unknown_key)).collect();
        let line = |n: usize| {
            text.split_inclusive('\n')
                .take(n - 1)
                .map(str::len)
                .sum::<usize>()
        };
        assert_eq!(
            at,
            [(line(3), true), (line(4), true), (line(5) + 8, false)],
            "{p:?}"
        );
        assert!(p[0]
            .message
            .starts_with("unknown field `tagz`, expected one of `title`, `date`"));
        assert!(p[1].message.starts_with("unknown field `sumary`"));
        assert_eq!(
            p[2].message,
            "invalid type: string \"yes\", expected a boolean"
        );
        // A valid document has none; a syntax error is one.
        assert!(check::<ArticleMeta>("title = \"D\"\ndate = 2025-01-04\n").is_empty());
        assert_eq!(problems::<ArticleMeta>("title = = 1\nx = 1\n").len(), 1);
    }

    #[test]
    fn every_table_of_an_array_of_tables_is_checked() {
        let text = "[[annotations]]\nqoute = \"a\"\nnote = 1\n[[annotations]]\nquote = \"b\"\nentiy = \"e\"\n";
        let p = problems::<Sidecar>(text);
        let msgs: Vec<&str> = p
            .iter()
            .map(|(_, m)| m.split(',').next().unwrap())
            .collect();
        assert_eq!(
            msgs,
            [
                "unknown field `qoute`",
                "invalid type: integer `1`",
                "unknown field `entiy`"
            ],
            "{p:?}"
        );
        assert_eq!(&text[p[2].0..p[2].0 + 5], "entiy");
        // A table that lacks `quote`, and nothing else.
        let p =
            problems::<Sidecar>("[[annotations]]\nnote = \"n\"\n[[annotations]]\nnote = \"m\"\n");
        assert_eq!(
            p,
            [
                (0, "missing field `quote`".to_string()),
                (27, "missing field `quote`".to_string())
            ]
        );
    }

    #[test]
    fn missing_keys_are_named_all_at_once() {
        let p = problems::<ArticleMeta>("tags = []\n");
        let msgs: Vec<&str> = p.iter().map(|(_, m)| m.as_str()).collect();
        assert_eq!(msgs, ["missing field `title`", "missing field `date`"]);
        // As serde does, only in a table whose keys are otherwise right:
        // not beside a misspelt key, nor beside a wrong value.
        let p = problems::<ArticleMeta>("titel = \"x\"\n");
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].1.starts_with("unknown field `titel`"), "{p:?}");
        let p = problems::<ArticleMeta>("title = 1\n");
        let msgs: Vec<&str> = p.iter().map(|(_, m)| m.as_str()).collect();
        assert_eq!(msgs, ["invalid type: integer `1`, expected a string"]);
        // A table's own keys count, not those of the tables in it.
        let p = problems::<ArticleMeta>("[[annotations]]\nquote = 1\n");
        let msgs: Vec<&str> = p.iter().map(|(_, m)| m.as_str()).collect();
        assert_eq!(
            msgs,
            [
                "missing field `title`",
                "missing field `date`",
                "invalid type: integer `1`, expected a string"
            ]
        );
    }

    /// (offset, message, note) of each problem of `text` read as `T` by
    /// [`check_all`].
    fn all_problems<T: Table>(text: &str) -> Vec<(usize, String, Option<String>)> {
        check_all::<T>(text)
            .into_iter()
            .map(|p| (p.offset, p.message, p.note))
            .collect()
    }

    #[test]
    fn check_all_names_missing_keys_beside_misspelt_keys_and_wrong_values() {
        // A misspelt `title`: the key, what it may be meant for, and the
        // key missing, with what may be it; `date` missing too.
        let p = all_problems::<ArticleMeta>("tags = [\"a\"]\ntitel = \"x\"\n");
        let at_key = "tags = [\"a\"]\n".len();
        assert_eq!(p.len(), 3, "{p:?}");
        assert_eq!(p[0].0, 0);
        assert_eq!(p[0].1, "missing field `title`");
        assert_eq!(p[0].2.as_deref(), Some("is it misspelt as `titel`?"));
        assert_eq!(
            (p[1].0, p[1].1.as_str(), p[1].2.as_deref()),
            (0, "missing field `date`", None)
        );
        assert_eq!(p[2].0, at_key);
        assert!(p[2]
            .1
            .starts_with("unknown field `titel`, expected one of `title`"));
        assert_eq!(p[2].2.as_deref(), Some("did you mean `title`?"));
        // Beside a wrong value, and in each table of an array of tables
        // (at its own place), with or without a misspelt key.
        let p = all_problems::<ArticleMeta>(
            "title = 1\n[[annotations]]\nqoute = \"a\"\n[[annotations]]\nnote = 2\n",
        );
        let got: Vec<(usize, &str, Option<&str>)> = p
            .iter()
            .map(|(o, m, n)| (*o, m.split(',').next().unwrap(), n.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (0, "missing field `date`", None),
                (8, "invalid type: integer `1`", None),
                (
                    10,
                    "missing field `quote`",
                    Some("is it misspelt as `qoute`?")
                ),
                (26, "unknown field `qoute`", Some("did you mean `quote`?")),
                (38, "missing field `quote`", None),
                (61, "invalid type: integer `2`", None),
            ],
            "{p:?}"
        );
        // `check`, as serde would, names them only in a table
        // whose keys are otherwise right; it suggests keys all the same.
        let p = check::<ArticleMeta>("date = 2025-01-01\ntitel = \"x\"\n");
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].note.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn an_unknown_key_is_told_the_absent_key_it_may_be_meant_for() {
        let note = |text: &str| -> Option<String> {
            let p = check_all::<ArticleMeta>(text);
            p.into_iter().find(|p| p.unknown_key).and_then(|p| p.note)
        };
        let base = "title = \"T\"\ndate = 2025-01-01\n";
        for (key, meant) in [
            ("tagz", Some("tags")),
            ("sumary", Some("summary")),
            ("Draft", Some("draft")),
            ("no-autolink", Some("no_autolink")),
            ("author", Some("authors")),
            ("sluggg", None),
            ("colour", None),
            ("x", None),
        ] {
            let want = meant.map(|m| format!("did you mean `{m}`?"));
            assert_eq!(note(&format!("{base}{key} = 1\n")), want, "{key}");
        }
        // Not a key the table has already: `tagz` beside `tags` is no typo
        // of it.
        assert_eq!(note(&format!("{base}tags = []\ntagz = 1\n")), None);
        assert_eq!(
            note("title = \"T\"\ndat = 1\n"),
            Some("did you mean `date`?".into())
        );
        // The nearest wins; of two as near, one the table requires, else
        // the first.
        assert_eq!(
            meant("drat", &[("date", true), ("draft", false)]),
            Some("draft")
        );
        let (optional, required) = (("abcd", false), ("abce", true));
        assert_eq!(meant("abcx", &[optional, required]), Some("abce"));
        assert_eq!(meant("abcx", &[optional, ("abce", false)]), Some("abcd"));
        assert_eq!(meant("zzz", &[("date", true)]), None);
    }

    #[test]
    fn the_keys_of_a_table_are_serdes_own() {
        assert_eq!(
            shape_of::<ArticleMeta>(),
            (
                "ArticleMeta",
                &[
                    "title",
                    "date",
                    "slug",
                    "authors",
                    "source",
                    "tags",
                    "summary",
                    "draft",
                    "entities",
                    "no_autolink",
                    "annotations"
                ][..]
            )
        );
        assert_eq!(shape_of::<Sidecar>().1, ["annotations"]);
        assert_eq!(required_fields::<ArticleMeta>(), ["title", "date"]);
        assert_eq!(required_fields::<EntityMeta>(), ["name"]);
        assert_eq!(required_fields::<PageMeta>(), ["title"]);
        assert_eq!(required_fields::<AnnotationSpec>(), ["quote"]);
        assert!(required_fields::<Sidecar>().is_empty());
    }

    /// The keys `T` requires (for the tests of other modules).
    pub(crate) fn required<T: Table>() -> Vec<&'static str> {
        required_fields::<T>()
    }

    /// For each key of `T`, a value that holds two unknown keys wherever a
    /// table can be in it is either refused as a whole or has both keys
    /// reported: a field holding tables that are not checked key by key
    /// (see [`Table::check_value`]) would report only the first one, or
    /// none if its struct takes unknown keys.
    pub(crate) fn assert_tables_are_checked_key_by_key<T: Table>() {
        for field in shape_of::<T>().1 {
            for value in [
                "{ zzz1 = 1, zzz2 = 2 }",
                "[{ zzz1 = 1, zzz2 = 2 }]",
                "{ k = { zzz1 = 1, zzz2 = 2 } }",
            ] {
                let doc = format!("{field} = {value}\n");
                let p = check::<T>(&doc);
                let named = |k: &str| p.iter().any(|p| p.message.contains(k));
                let at_value = p.iter().any(|p| p.offset >= field.len() + 3);
                assert!(
                    named("zzz1") == named("zzz2") && (named("zzz1") || at_value),
                    "{doc}: {p:?}"
                );
            }
        }
    }

    mod any_document {
        use super::*;
        use proptest::prelude::*;

        /// Lines of front matter, right and wrong, in any order.
        const LINES: &[&str] = &[
            "title = \"A\"",
            "title = 1",
            "date = 2025-01-01",
            "date = \"someday\"",
            "tags = [\"a\"]",
            "tags = \"a\"",
            "tagz = 1",
            "draft = true",
            "draft = \"yes\"",
            "entities = [1, \"e\"]",
            "x.y = 1",
            "summary = { a = 1 }",
            "[[annotations]]",
            "quote = \"q\"",
            "quote = 2025-01-01",
            "note = \"n\"",
            "qoute = \"q\"",
            "[extra]",
            "annotations = [{ note = 1 }, 3]",
            "= 1",
        ];

        proptest! {
            #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]
            /// The check finds a problem exactly when serde refuses the
            /// document, and at most one when it does not parse.
            #[test]
            fn problems_exactly_when_serde_refuses(
                ix in proptest::collection::vec(0..LINES.len(), 0..12)
            ) {
                let doc: String = ix.iter().map(|&i| format!("{}\n", LINES[i])).collect();
                let read = toml::from_str::<ArticleMeta>(&doc);
                for p in [check::<ArticleMeta>(&doc), check_all::<ArticleMeta>(&doc)] {
                    prop_assert_eq!(p.is_empty(), read.is_ok(), "{}: {:?}", doc, p);
                    if doc.parse::<toml::Table>().is_err() {
                        prop_assert_eq!(p.len(), 1, "{}: {:?}", doc, p);
                    }
                    for q in &p {
                        prop_assert!(q.offset <= doc.len());
                    }
                }
                // `check_all` names what `check` names, and a missing key
                // wherever serde would name it once the rest is fixed.
                let (some, all) = (check::<ArticleMeta>(&doc), check_all::<ArticleMeta>(&doc));
                for q in &some {
                    prop_assert!(all.iter().any(|a| a.offset == q.offset && a.message == q.message),
                        "{}: {:?} not in {:?}", doc, q, all);
                }
                if doc.parse::<toml::Table>().is_ok() {
                    let top = |k: &str| doc.lines().take_while(|l| !l.starts_with('[')).any(|l| l.starts_with(k));
                    for key in ["title", "date"] {
                        let missing = format!("missing field `{key}`");
                        prop_assert_eq!(
                            all.iter().any(|a| a.message == missing),
                            !top(&format!("{key} =")),
                            "{}: {:?}", doc, all
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn front_matter_tables_are_checked_key_by_key() {
        assert_tables_are_checked_key_by_key::<ArticleMeta>();
        assert_tables_are_checked_key_by_key::<EntityMeta>();
        assert_tables_are_checked_key_by_key::<PageMeta>();
        assert_tables_are_checked_key_by_key::<Sidecar>();
        assert_tables_are_checked_key_by_key::<AnnotationSpec>();
    }

    #[test]
    fn dates() {
        assert_eq!(
            Date::parse_str("2025-09-03").unwrap().display(Lang::En),
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
                (d.iso(), d.display(Lang::En)),
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
    fn dates_are_equal_only_when_written_alike() {
        // One instant, written two ways: two dates (how articles are
        // ordered is `ArticleDate`'s).
        assert_ne!(
            toml_date("2025-03-31T20:00:00Z"),
            toml_date("2025-03-31T21:00:00+01:00")
        );
    }
}
