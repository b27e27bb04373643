//! What the loader gives: articles, entities and pages with their parsed
//! front matter, each keeping its source file for later diagnostics.

use super::frontmatter::{Date, Table, Value};
use super::source::{Source, SourceFile};
use crate::diagnostics::{Diagnostic, Severity};
use serde::Deserialize;
use std::path::Path;

/// A position in a file with the text of its line, found while the file's
/// text is at hand, for a message made after the text is released.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Located {
    /// 1-based line and column (in characters), as in [`Diagnostic`].
    pub line: usize,
    pub column: usize,
    pub line_text: String,
}

impl Located {
    /// Byte `offset` of `file`.
    pub fn at(file: &SourceFile, offset: usize) -> Located {
        let (line, column, line_text) = crate::diagnostics::locate(&file.text, offset);
        Located {
            line,
            column,
            line_text: line_text.to_string(),
        }
    }

    /// Where the value of a string in front matter starts: `value` is
    /// spanned relative to the TOML text at `toml_offset` in `file`; the
    /// offset given is that of its first character, inside the quotes.
    pub fn string_value(
        file: &SourceFile,
        toml_offset: usize,
        value: &toml::Spanned<String>,
    ) -> Located {
        let start = toml_offset + value.span().start;
        let raw = file.text.get(start..).unwrap_or("");
        let quotes = if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
            3
        } else if raw.starts_with(['"', '\'']) {
            1
        } else {
            0
        };
        Located::at(file, start + quotes)
    }

    /// An error at this place of the file at `path`.
    pub fn error(&self, path: &Path, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            path: path.to_path_buf(),
            line: self.line,
            column: self.column,
            message: message.into(),
            line_text: self.line_text.clone(),
            line_from: 0,
            notes: Vec::new(),
        }
    }
}

/// A standoff annotation: a quote of the text, and what to attach to it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnotationSpec {
    pub quote: toml::Spanned<String>,
    #[serde(default)]
    pub prefix: Option<String>,
    #[serde(default)]
    pub suffix: Option<String>,
    #[serde(default)]
    pub entity: Option<toml::Spanned<String>>,
    #[serde(default)]
    pub note: Option<toml::Spanned<String>>,
}

impl Table for AnnotationSpec {}

/// A sidecar file, `NAME.annotations.toml` beside `NAME.md`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sidecar {
    #[serde(default)]
    pub annotations: Vec<AnnotationSpec>,
}

impl Table for Sidecar {
    fn check_value<'de, A: serde::de::MapAccess<'de>>(
        value: Value<'_, 'de, A, Self>,
    ) -> Result<(), A::Error> {
        with_annotations(value)
    }
}

/// Checks a value of a table that holds `[[annotations]]` tables.
fn with_annotations<'de, A: serde::de::MapAccess<'de>, T: Table>(
    value: Value<'_, 'de, A, T>,
) -> Result<(), A::Error> {
    match value.key() {
        "annotations" => value.tables::<AnnotationSpec>(),
        _ => value.field(),
    }
}

/// An annotation with the file it was written in.
#[derive(Debug, Clone)]
pub struct Annotation {
    pub spec: AnnotationSpec,
    /// The file holding it (the article, or its sidecar).
    pub file: Source,
    /// Where the TOML text starts in that file (spans are relative to it).
    pub toml_offset: usize,
    /// 1-based position among the annotations of that file.
    pub index: usize,
}

impl Annotation {
    /// Byte offset of the `quote` value in `file`.
    pub fn quote_offset(&self) -> usize {
        self.toml_offset + self.spec.quote.span().start
    }
}

/// Reads a `title`: a title with no visible text would leave a page with an
/// empty heading and a link with nothing to click on in every list, so it
/// is an error at the value.
fn title<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    visible::<D>(String::deserialize(d)?, "title must not be empty")
}

/// `text`, or an error with `message` when it shows nothing (see [`blank`]).
fn visible<'de, D: serde::Deserializer<'de>>(
    text: String,
    message: &str,
) -> Result<String, D::Error> {
    if blank(&text) {
        return Err(serde::de::Error::custom(message));
    }
    Ok(text)
}

/// Whether `text` shows nothing: empty, white space, or characters the
/// site writes as spaces (control characters).
pub fn blank(text: &str) -> bool {
    text.chars().all(|c| c.is_whitespace() || c.is_control())
}

/// An optional text such as `summary`: one that shows nothing is as if it
/// were not there (an article's summary then comes from its first
/// paragraph).
fn optional_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let text = String::deserialize(d)?;
    Ok((!blank(&text)).then_some(text))
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleMeta {
    #[serde(deserialize_with = "title")]
    pub title: String,
    // Through `deserialize_with`, a missing date is reported as a missing
    // field, not as a date in the wrong format.
    #[serde(deserialize_with = "ArticleDate::deserialize")]
    pub date: ArticleDate,
    #[serde(default)]
    pub slug: Option<toml::Spanned<String>>,
    /// Spanned, as `tags`, for the error at an empty one (`load_article`).
    #[serde(default)]
    pub authors: Vec<toml::Spanned<String>>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub tags: Vec<toml::Spanned<String>>,
    #[serde(default, deserialize_with = "optional_text")]
    pub summary: Option<String>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub entities: Vec<toml::Spanned<String>>,
    #[serde(default)]
    pub no_autolink: Vec<toml::Spanned<String>>,
    #[serde(default)]
    pub annotations: Vec<AnnotationSpec>,
}

impl Table for ArticleMeta {
    fn check_value<'de, A: serde::de::MapAccess<'de>>(
        value: Value<'_, 'de, A, Self>,
    ) -> Result<(), A::Error> {
        with_annotations(value)
    }
}

/// An article's `date`: the [`Date`] as written (pages, lists, the
/// archive and the data files show it so), ordered by the instant it names.
///
/// The order of articles is this one everywhere: the home page and its
/// pages, tag and entity pages, the archive within a month, previous and
/// next links, and `atom.xml`, whose readers order entries by the instant
/// the feed gives. It is what users of Hugo, Zola and Jekyll expect, whose
/// dates are instants too:
///
/// - a date-time with an offset is that instant
///   (`2025-09-03T01:00:00+02:00` is 23:00 UTC on 2 September);
/// - a date-time without an offset is taken as UTC, and a date alone as
///   midnight UTC, as the feed writes them (`2025-09-03T00:00:00Z`).
///
/// So an article dated `2025-09-03` is newer than one dated
/// `2025-09-03T01:00:00+02:00`, though both show 3 September. Dates that
/// name the same instant are told apart by how they are written: a date
/// alone before (older than) a date-time, then by the date as written, the
/// time, the offset; articles with equal dates go by slug.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ArticleDate(pub Date);

impl ArticleDate {
    /// Reads a `date` value as [`Date`] does.
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<ArticleDate, D::Error> {
        Date::deserialize(d).map(ArticleDate)
    }

    /// What dates are ordered by: see [`ArticleDate`].
    fn key(&self) -> (i64, bool, u16, u8, u8, Option<u32>, Option<i16>) {
        let d = &self.0;
        (
            d.timestamp(),
            d.seconds.is_some(),
            d.year,
            d.month,
            d.day,
            d.seconds,
            d.offset,
        )
    }
}

impl std::ops::Deref for ArticleDate {
    type Target = Date;
    fn deref(&self) -> &Date {
        &self.0
    }
}

/// Newest last: see [`ArticleDate`].
impl Ord for ArticleDate {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key().cmp(&other.key())
    }
}

impl PartialOrd for ArticleDate {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

#[derive(Debug, Clone)]
pub struct Article {
    pub file: Source,
    pub meta: ArticleMeta,
    pub slug: String,
    /// Offset of the TOML text in the file (for spans in `meta`).
    pub toml_offset: usize,
    /// Offset of the Markdown body in the file.
    pub body_offset: usize,
    /// Front matter annotations followed by the sidecar's.
    pub annotations: Vec<Annotation>,
    /// Where messages about the slug point (its `slug` value, or the top
    /// of the file when the slug is the file's stem): kept apart because
    /// the text is released before slugs are compared.
    pub slug_at: Located,
}

impl Article {
    /// The Markdown body (empty once the text has been released).
    pub fn body(&self) -> &str {
        self.file.text.get(self.body_offset..).unwrap_or("")
    }

    /// Frees the file's text once it has been annotated and rendered; the
    /// path stays for messages. Offsets into the text are meaningless after.
    pub fn release_text(&mut self) {
        self.annotations.clear();
        self.file = std::sync::Arc::new(super::SourceFile::new(self.file.path.clone(), ""));
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntityMeta {
    pub name: String,
    #[serde(default)]
    pub kind: Option<toml::Spanned<String>>,
    #[serde(default)]
    pub aliases: Vec<toml::Spanned<String>>,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub wikidata: Option<String>,
    #[serde(default)]
    pub links: Vec<String>,
}

impl Table for EntityMeta {}

#[derive(Debug, Clone)]
pub struct Entity {
    pub id: String,
    /// Key of its kind in the config (`person`, ...).
    pub kind: String,
    pub meta: EntityMeta,
    pub file: Source,
    pub toml_offset: usize,
    pub body_offset: usize,
}

impl Entity {
    /// A person entity built in memory, for unit tests.
    #[cfg(test)]
    pub fn for_test(id: &str, name: &str, aliases: &[&str]) -> Entity {
        let toml = format!("name = {name:?}\naliases = {aliases:?}\n");
        let meta: EntityMeta = toml::from_str(&toml).expect("test entity");
        Entity {
            id: id.into(),
            kind: "person".into(),
            meta,
            file: std::sync::Arc::new(super::SourceFile::new(
                format!("{id}.md"),
                format!("+++\n{toml}+++\n"),
            )),
            toml_offset: 4,
            body_offset: 0,
        }
    }

    pub fn body(&self) -> &str {
        &self.file.text[self.body_offset..]
    }

    /// The name followed by the aliases.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.meta.name.as_str())
            .chain(self.meta.aliases.iter().map(|a| a.get_ref().as_str()))
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageMeta {
    #[serde(deserialize_with = "title")]
    pub title: String,
    #[serde(default)]
    pub slug: Option<toml::Spanned<String>>,
    #[serde(default)]
    pub draft: bool,
    /// Position in the navigation (lower first); pages without one follow, by title.
    #[serde(default)]
    pub weight: Option<i64>,
}

impl Table for PageMeta {}

#[derive(Debug, Clone)]
pub struct Page {
    pub file: Source,
    pub meta: PageMeta,
    pub slug: String,
    /// Where messages about the slug point (see [`Article::slug_at`]).
    pub slug_at: Located,
    pub body_offset: usize,
}

impl Page {
    pub fn body(&self) -> &str {
        &self.file.text[self.body_offset..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> ArticleDate {
        ArticleDate(Date::parse_str(s).unwrap())
    }

    #[test]
    fn articles_are_ordered_by_instant_as_the_feed_names_it() {
        // Oldest first, as `Ord` sorts.
        let order = [
            date("2025-09-02T12:00:00Z"),
            // 23:00 UTC on 2 September, though written on the 3rd.
            date("2025-09-03T01:00:00+02:00"),
            // Midnight UTC, as the feed writes it.
            date("2025-09-03"),
            // The same instant written as a time: after the date alone.
            date("2025-09-03T00:00:00Z"),
            // The same instant again: by the time as written.
            date("2025-09-03T02:00:00+02:00"),
            // A time without an offset is UTC: 00:30 UTC.
            date("2025-09-03T00:30:00"),
            // 03:00 UTC on 3 September, though written on the 2nd.
            date("2025-09-02T22:00:00-05:00"),
            date("2025-09-04"),
        ];
        for w in order.windows(2) {
            assert!(w[0] < w[1], "{:?} < {:?}", w[0], w[1]);
        }
        let mut shuffled = order.to_vec();
        shuffled.reverse();
        shuffled.sort();
        assert_eq!(shuffled, order);
        // Equal only when written alike.
        assert_eq!(
            date("2025-09-03").cmp(&date("2025-09-03")),
            std::cmp::Ordering::Equal
        );
        // Shown as written.
        assert_eq!(date("2025-09-03T01:00:00+02:00").iso(), "2025-09-03");
    }
}
