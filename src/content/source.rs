//! A file read from the site: its path as shown to the user and its text.

use super::nfc::{to_nfc, OffsetMap};
use crate::diagnostics::Diagnostic;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the site root, for messages.
    pub path: PathBuf,
    /// The text in Unicode NFC (see [`super::nfc`]).
    pub text: String,
    /// The text as written, when it was not NFC: messages point into it.
    written: Option<Box<(String, OffsetMap)>>,
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

    /// The file's first `end` bytes, positions and messages unchanged: for
    /// reading a piece of it in place (Markdown in a TOML string).
    pub fn prefix(&self, end: usize) -> SourceFile {
        SourceFile {
            path: self.path.clone(),
            text: self.text[..end].to_string(),
            written: self.written.clone(),
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
        let (text, at) = self.as_written(offset);
        Diagnostic::error_at(&self.path, text, at, message)
    }

    pub fn warning(&self, offset: usize, message: impl Into<String>) -> Diagnostic {
        let (text, at) = self.as_written(offset);
        Diagnostic::warning_at(&self.path, text, at, message)
    }
}

/// Replaces control characters other than tab, line feed and carriage
/// return (C0, DEL, C1: a vertical tab is Word's soft line break, a NUL
/// comes with a bad paste) by spaces, byte for byte, so that positions in
/// the file stay where they were. Left in, they made the feed invalid XML
/// and the pages invalid HTML.
pub fn blank_controls(text: &mut String) {
    let is_control = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
    if !text.contains(is_control) {
        return;
    }
    let blanked: String = text
        .chars()
        .flat_map(|c| {
            let n = if is_control(c) { c.len_utf8() } else { 0 };
            let keep = (n == 0).then_some(c);
            keep.into_iter().chain(std::iter::repeat_n(' ', n))
        })
        .collect();
    *text = blanked;
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
    fn control_characters_become_spaces_byte_for_byte() {
        let mut t = String::from("a\u{b}b\0c\u{7f}d\u{85}e\tf\r\ng é");
        let len = t.len();
        blank_controls(&mut t);
        assert_eq!(t, "a b c d  e\tf\r\ng é");
        assert_eq!(t.len(), len);
    }
}
