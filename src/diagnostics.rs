//! Diagnostics: errors and warnings about a user's files, each carrying the
//! file, line and column the user must look at.
//!
//! Every stage pushes into a [`Diagnostics`] list instead of stopping at the
//! first problem, so one run reports everything; the commands print the list
//! (`path:line:column: error: message`, the offending line, a caret) and exit 1
//! when it holds an error.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, located in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path as shown to the user (relative to the site root when possible).
    pub path: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    pub message: String,
    /// The text of the offending line, without its line break; of a very
    /// long line, only the part around the column ([`STORED_AROUND`]).
    pub line_text: String,
    /// How many characters of the line come before `line_text` (0 unless
    /// a very long line was cut). A `u32` keeps a `Diagnostic` small
    /// enough to return in a `Result`.
    pub line_from: u32,
    /// Extra hints, printed after the line.
    pub notes: Vec<String>,
}

impl Diagnostic {
    /// A diagnostic at byte `offset` of `text` (the whole file's text).
    pub fn at(
        severity: Severity,
        path: &Path,
        text: &str,
        offset: usize,
        message: impl Into<String>,
    ) -> Self {
        let (line, column, line_text) = locate(text, offset);
        let (line_text, line_from) = around_column(line_text, column - 1);
        Diagnostic {
            severity,
            path: path.to_path_buf(),
            line,
            column,
            message: message.into(),
            line_text: line_text.to_string(),
            line_from,
            notes: Vec::new(),
        }
    }

    /// A diagnostic about a whole file (no position inside it).
    pub fn file(severity: Severity, path: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            path: path.to_path_buf(),
            line: 0,
            column: 0,
            message: message.into(),
            line_text: String::new(),
            line_from: 0,
            notes: Vec::new(),
        }
    }

    pub fn error_at(path: &Path, text: &str, offset: usize, message: impl Into<String>) -> Self {
        Self::at(Severity::Error, path, text, offset, message)
    }

    pub fn warning_at(path: &Path, text: &str, offset: usize, message: impl Into<String>) -> Self {
        Self::at(Severity::Warning, path, text, offset, message)
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Bytes of a line kept on each side of the column when the line is longer
/// than four times that: messages show [`LINE_WINDOW`] characters of it at
/// most, and one paragraph of a pasted article is one line, which a
/// message per link in it (thousands) copied whole, gigabytes in all.
pub const STORED_AROUND: usize = 1024;

/// The part of `line` a diagnostic keeps for the character at index `col`
/// (0-based, in characters), and how many characters precede that part.
/// Cut where the window shown ([`window`]) never reaches: over
/// [`STORED_AROUND`] bytes is over `LINE_WINDOW / 2` characters.
fn around_column(line: &str, col: usize) -> (&str, u32) {
    if line.len() <= 4 * STORED_AROUND {
        return (line, 0);
    }
    let at = line.char_indices().nth(col).map_or(line.len(), |(b, _)| b);
    let mut from = at.saturating_sub(STORED_AROUND);
    while !line.is_char_boundary(from) {
        from += 1;
    }
    let mut to = (at + STORED_AROUND).min(line.len());
    while !line.is_char_boundary(to) {
        to -= 1;
    }
    let before = col - line[from..at].chars().count();
    (&line[from..to], u32::try_from(before).unwrap_or(u32::MAX))
}

/// Line (1-based), column (1-based, in characters) and the line's text for a
/// byte offset. Offsets past the end or inside a character are clamped.
pub fn locate(text: &str, offset: usize) -> (usize, usize, &str) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = text[..line_start].bytes().filter(|&b| b == b'\n').count() + 1;
    let column = text[line_start..offset].chars().count() + 1;
    let line_text = text[line_start..line_end].trim_end_matches('\r');
    (line, column, line_text)
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let path = self.path.display();
        if self.line == 0 {
            writeln!(f, "{path}: {label}: {}", self.message)?;
        } else {
            writeln!(
                f,
                "{path}:{}:{}: {label}: {}",
                self.line, self.column, self.message
            )?;
            let gutter = self.line.to_string();
            let pad = " ".repeat(gutter.len());
            let col = self
                .column
                .saturating_sub(1)
                .saturating_sub(self.line_from as usize);
            let (shown, caret) = window(&self.line_text, col);
            writeln!(f, "{pad} |")?;
            writeln!(f, "{gutter} | {shown}")?;
            writeln!(f, "{pad} | {}^", " ".repeat(display_width(&shown, caret)))?;
        }
        for note in &self.notes {
            writeln!(f, "  = {note}")?;
        }
        Ok(())
    }
}

/// Characters of a line shown under a message, at most; a longer line is
/// cut to a window around the column, with `…` where it was cut.
pub const LINE_WINDOW: usize = 120;

/// The part of `line` to show and how many characters precede the caret,
/// for the character at index `col` (0-based, in characters; the line's
/// length for its end). Lines of at most [`LINE_WINDOW`] characters are
/// shown whole. Tabs would misplace the caret: they show as one space each.
fn window(line: &str, col: usize) -> (String, usize) {
    let tabless =
        |s: &str| -> String { s.chars().map(|c| if c == '\t' { ' ' } else { c }).collect() };
    let len = line.chars().count();
    if len <= LINE_WINDOW {
        return (tabless(line), col);
    }
    let half = LINE_WINDOW / 2;
    // [start, end) in characters, leaving room for the `…` at a cut end.
    let (start, end) = if col <= half {
        (0, LINE_WINDOW - 1)
    } else if col >= len - half {
        (len - (LINE_WINDOW - 1), len)
    } else {
        let start = col - (LINE_WINDOW - 2) / 2;
        (start, start + LINE_WINDOW - 2)
    };
    let byte = |i: usize| line.char_indices().nth(i).map_or(line.len(), |(b, _)| b);
    let (from, to) = (byte(start), byte(end));
    let mut shown = String::with_capacity(to - from + 6);
    if start > 0 {
        shown.push('…');
    }
    shown.push_str(&tabless(&line[from..to]));
    if end < len {
        shown.push('…');
    }
    (shown, col - start + usize::from(start > 0))
}

/// How many terminal columns the first `chars` characters of `shown` take:
/// a combining accent none, a CJK character or an emoji two.
fn display_width(shown: &str, chars: usize) -> usize {
    use unicode_width::UnicodeWidthChar;
    shown
        .chars()
        .take(chars)
        .map(|c| c.width().unwrap_or(0))
        .sum()
}

/// The problems found in one run, in a stable order.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// Errors, each counted once as [`Diagnostics::report`] prints it.
    pub fn error_count(&self) -> usize {
        self.sorted().iter().filter(|d| d.is_error()).count()
    }

    /// Warnings, each counted once as [`Diagnostics::report`] prints it (a
    /// link reference definition used three times warns once).
    pub fn warning_count(&self) -> usize {
        self.sorted().iter().filter(|d| !d.is_error()).count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorted by file, then position, errors first at equal positions.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.items.iter().collect();
        v.sort_by(|a, b| {
            (&a.path, a.line, a.column, a.severity, &a.message)
                .cmp(&(&b.path, b.line, b.column, b.severity, &b.message))
        });
        v.dedup();
        v
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Everything, ready to print, with a closing count line.
    pub fn report(&self) -> String {
        let mut out = String::new();
        let sorted = self.sorted();
        for d in &sorted {
            out.push_str(&d.to_string());
            out.push('\n');
        }
        let e = sorted.iter().filter(|d| d.is_error()).count();
        let w = sorted.len() - e;
        if e > 0 || w > 0 {
            out.push_str(&format!(
                "{} error{}, {} warning{}\n",
                e,
                plural(e),
                w,
                plural(w)
            ));
        }
        out
    }
}

/// `"s"` after a count of `n` things, unless one.
pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_counts_characters_not_bytes() {
        let text = "first\nGarcía [[x]]\n";
        let off = text.find("[[").unwrap();
        let (line, col, lt) = locate(text, off);
        assert_eq!((line, col, lt), (2, 8, "García [[x]]"));
    }

    #[test]
    fn a_warning_given_twice_is_printed_and_counted_once() {
        let w = || Diagnostic::warning_at(Path::new("a.md"), "[r]: javascript:x\n", 5, "left out");
        let mut d = Diagnostics::new();
        d.extend([w(), w(), w()]);
        let report = d.report();
        assert_eq!(report.matches("left out").count(), 1, "{report}");
        assert!(report.ends_with("0 errors, 1 warning\n"), "{report}");
        assert_eq!(d.warning_count(), 1);
    }

    #[test]
    fn a_very_long_line_is_kept_around_the_column_and_shown_as_if_whole() {
        // One paragraph of a pasted article is one line: thousands of
        // messages on it must not each copy it whole.
        let line: String = (0..3000).map(|i| format!("w{i}é ")).collect();
        let text = format!("first\n{line}\nlast\n");
        for col in [
            0,
            5,
            60,
            700,
            5000,
            line.chars().count() - 3,
            line.chars().count(),
        ] {
            let offset = 6 + line.char_indices().nth(col).map_or(line.len(), |(b, _)| b);
            let d = Diagnostic::warning_at(Path::new("a.md"), &text, offset, "m");
            assert_eq!((d.line, d.column), (2, col + 1));
            assert!(
                d.line_text.len() <= 2 * STORED_AROUND,
                "{}",
                d.line_text.len()
            );
            let shown = d.to_string();
            let (whole, caret) = window(&line, col);
            let expected = format!(
                "a.md:2:{}: warning: m\n  |\n2 | {whole}\n  | {}^\n",
                col + 1,
                " ".repeat(display_width(&whole, caret))
            );
            assert_eq!(shown, expected, "at column {col}");
        }
    }

    #[test]
    fn display_shows_line_and_caret() {
        let d = Diagnostic::error_at(Path::new("a.md"), "ab\ncd ef\n", 6, "bad");
        let s = d.to_string();
        assert!(s.starts_with("a.md:2:4: error: bad\n"), "{s}");
        assert!(s.contains("2 | cd ef\n"));
        assert!(s.contains("  |    ^"));
    }

    #[test]
    fn the_caret_stands_under_the_column_as_a_terminal_shows_it() {
        // A decomposed accent takes no column, a CJK character two.
        let text = "Culiaca\u{301}n 漢字 [[x]]\n";
        let d = Diagnostic::error_at(Path::new("a.md"), text, text.find("[[").unwrap(), "bad");
        let s = d.to_string();
        assert!(s.starts_with("a.md:1:14: error: bad\n"), "{s}");
        assert!(
            s.contains("\n  | ") && s.contains(&format!("  | {}^", " ".repeat(14))),
            "{s}"
        );
    }

    #[test]
    fn a_long_line_is_shown_as_a_window_around_the_column() {
        // 100 KB on one line, accents and CJK before and after the error.
        let line = format!("{}[[bad]]{}", "é漢x".repeat(20_000), "ñ字y".repeat(13_000));
        let col = "é漢x".repeat(20_000).chars().count(); // 0-based
        let off = line.find("[[bad]]").unwrap();
        let s = Diagnostic::error_at(Path::new("a.md"), &line, off, "bad").to_string();
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines[0], format!("a.md:1:{}: error: bad", col + 1));
        let shown = lines[2].strip_prefix("1 | ").unwrap();
        let caret = lines[3].strip_prefix("  | ").unwrap();
        assert!(
            shown.chars().count() <= LINE_WINDOW,
            "{}",
            shown.chars().count()
        );
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert!(shown.contains("[[bad]]"));
        // The caret is under the `[` of `[[bad]]`, in terminal columns
        // (漢 takes two).
        let columns = caret.chars().count() - 1;
        assert!(caret.ends_with('^') && caret[..caret.len() - 1].trim().is_empty());
        let at = (0..=shown.chars().count())
            .find(|&n| display_width(shown, n) == columns)
            .unwrap();
        assert_eq!(
            shown.chars().skip(at).take(7).collect::<String>(),
            "[[bad]]"
        );
        assert!(s.len() < 1_000, "{}", s.len());
    }

    #[test]
    fn a_long_line_is_cut_on_one_side_near_its_ends() {
        let line = format!("a\tb{}", "x".repeat(500));
        let (shown, caret) = window(&line, 2);
        assert_eq!(shown.chars().count(), LINE_WINDOW);
        assert!(shown.starts_with("a b") && shown.ends_with("x…"), "{shown}");
        assert_eq!(caret, 2);
        // At the very end (a caret past the last character).
        let (shown, caret) = window(&line, 503);
        assert_eq!(shown.chars().count(), LINE_WINDOW);
        assert!(shown.starts_with("…x") && shown.ends_with('x'));
        assert_eq!(caret, LINE_WINDOW);
        let (shown, caret) = window(&line, 502);
        assert_eq!(shown.chars().nth(caret), Some('x'));
        assert_eq!(caret, LINE_WINDOW - 1);
    }

    #[test]
    fn a_line_of_the_window_s_length_is_shown_whole() {
        let line = "é".repeat(LINE_WINDOW);
        assert_eq!(window(&line, 5), (line.clone(), 5));
        let tabbed = "\tx";
        assert_eq!(window(tabbed, 1), (" x".to_string(), 1));
    }

    #[test]
    fn offsets_past_the_end_are_clamped() {
        let (line, col, _) = locate("abc", 99);
        assert_eq!((line, col), (1, 4));
    }
}
