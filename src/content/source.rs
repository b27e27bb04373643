//! A file read from the site: its path as shown to the user and its text.

use super::nfc::{to_nfc, OffsetMap};
use crate::diagnostics::{Diagnostic, Severity};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the site root, for messages.
    pub path: PathBuf,
    /// The text in Unicode NFC (see [`super::nfc`]).
    pub text: String,
    /// The text as written, when it was not NFC: messages point into it.
    written: Option<Box<(String, OffsetMap)>>,
    /// Where each line of the text as written starts, found for the first
    /// message about the file: each message then reads its own line only,
    /// not the file up to it, and thousands of messages about one file (a
    /// name in each of its headings) stay linear.
    lines: OnceLock<Vec<usize>>,
}

pub type Source = Arc<SourceFile>;

impl SourceFile {
    /// Reads `root/rel`, refusing text that is not UTF-8 (with the position of
    /// the first bad byte). A leading byte-order mark is dropped, and control
    /// characters are read as spaces (see [`blank_controls`]).
    pub fn read(root: &Path, rel: &Path) -> Result<Source, Diagnostic> {
        let bytes = std::fs::read(root.join(rel)).map_err(|e| {
            Diagnostic::file(
                crate::diagnostics::Severity::Error,
                rel,
                format!("cannot read file: {e}"),
            )
        })?;
        Self::from_bytes(rel, bytes)
    }

    /// A file of `text` as it stands (already NFC, or not read from disk).
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> SourceFile {
        SourceFile {
            path: path.into(),
            text: text.into(),
            written: None,
            lines: OnceLock::new(),
        }
    }

    /// The file of `bytes`: UTF-8 checked, byte-order mark dropped, control
    /// characters blanked, text normalised to NFC.
    pub fn from_bytes(rel: &Path, bytes: Vec<u8>) -> Result<Source, Diagnostic> {
        match String::from_utf8(bytes) {
            Ok(mut text) => {
                if text.starts_with('\u{feff}') {
                    text.drain(..3);
                }
                blank_controls(&mut text);
                let written = to_nfc(&text).map(|(nfc, map)| {
                    let raw = std::mem::replace(&mut text, nfc);
                    Box::new((raw, map))
                });
                Ok(Arc::new(SourceFile {
                    path: rel.to_path_buf(),
                    text,
                    written,
                    lines: OnceLock::new(),
                }))
            }
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
                Err(Diagnostic::error_at(
                    rel,
                    &lossy,
                    at,
                    "file is not valid UTF-8 (save it as UTF-8)",
                ))
            }
        }
    }

    /// The text as written and where `offset` of [`Self::text`] stands in it.
    fn as_written(&self, offset: usize) -> (&str, usize) {
        match &self.written {
            Some(w) => (&w.0, w.1.raw(offset)),
            None => (&self.text, offset),
        }
    }

    pub fn error(&self, offset: usize, message: impl Into<String>) -> Diagnostic {
        self.diagnostic(Severity::Error, offset, message)
    }

    pub fn warning(&self, offset: usize, message: impl Into<String>) -> Diagnostic {
        self.diagnostic(Severity::Warning, offset, message)
    }

    /// A message at byte `offset` of the text, located in its line of the
    /// text as written.
    fn diagnostic(
        &self,
        severity: Severity,
        offset: usize,
        message: impl Into<String>,
    ) -> Diagnostic {
        let (text, at) = self.as_written(offset);
        let at = at.min(text.len());
        let starts = self.lines.get_or_init(|| {
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let line = starts.partition_point(|&s| s <= at).saturating_sub(1);
        let from = starts[line];
        let mut d = Diagnostic::at(severity, &self.path, &text[from..], at - from, message);
        d.line += line;
        d
    }
}

/// Replaces control characters other than tab, line feed and carriage
/// return (C0, DEL, C1: a vertical tab is Word's soft line break, a NUL
/// comes with a bad paste) and noncharacters by spaces, byte for byte, so
/// that positions in the file stay where they were. Left in, they made the
/// feed invalid XML and the pages invalid HTML.
pub fn blank_controls(text: &mut String) {
    crate::escape::blank_unwanted(text);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_read_as_nfc_and_messages_point_at_the_file_as_written() {
        let raw = "+++\ntitle = \"Culiaca\u{301}n\"\n+++\nIn Culiaca\u{301}n, [[nobody]].\n";
        let f = SourceFile::from_bytes(Path::new("a.md"), raw.as_bytes().to_vec()).unwrap();
        assert_eq!(f.text, raw.replace("a\u{301}", "á"));
        let at = f.text.find("[[nobody").unwrap();
        let d = f.error(at, "unknown entity");
        // Column 15 in the file as written (the accent is a character of its own there).
        assert_eq!((d.line, d.column), (4, 15), "{d:?}");
        let plain = SourceFile::from_bytes(Path::new("b.md"), b"x [[y]]".to_vec()).unwrap();
        assert!(plain.written.is_none());
    }

    #[test]
    fn messages_give_the_line_and_column_of_any_place() {
        let f = SourceFile::from_bytes(
            Path::new("c.md"),
            "a\r\nbé c\n\ne\u{301}e\nlast".as_bytes().to_vec(),
        )
        .unwrap();
        let at = |offset: usize| {
            let d = f.warning(offset, "m");
            (d.line, d.column, d.line_text)
        };
        assert_eq!(at(0), (1, 1, "a".to_string()));
        assert_eq!(at(1), (1, 2, "a".to_string()));
        assert_eq!(at(3), (2, 1, "bé c".to_string()));
        // Inside the `é`: at it.
        assert_eq!(at(5), (2, 2, "bé c".to_string()));
        assert_eq!(at(7), (2, 4, "bé c".to_string()));
        assert_eq!(at(9), (3, 1, String::new()));
        // `é` here is `e` and an accent as written: `e` is at column 3.
        let e = f.text.find("ée").unwrap() + "é".len();
        assert_eq!(at(e), (4, 3, "e\u{301}e".to_string()));
        assert_eq!(at(f.text.len() + 5), (5, 5, "last".to_string()));
        let first = f.error(f.text.len() - 1, "m");
        assert_eq!((first.line, first.column), (5, 4));
        // Everywhere as the whole text read from its start says.
        for offset in 0..f.text.len() + 2 {
            let (text, raw) = f.as_written(offset);
            let whole = Diagnostic::warning_at(&f.path, text, raw, "m");
            assert_eq!(f.warning(offset, "m"), whole, "at {offset}");
        }
    }

    #[test]
    fn control_characters_become_spaces_byte_for_byte() {
        let mut t = String::from("a\u{b}b\0c\u{7f}d\u{85}e\tf\r\ng é\u{fffe}");
        let len = t.len();
        blank_controls(&mut t);
        assert_eq!(t, "a b c d  e\tf\r\ng é   ");
        assert_eq!(t.len(), len);
    }
}
