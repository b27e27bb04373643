//! A file read from the site: its path as shown to the user and its text.

use crate::diagnostics::Diagnostic;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the site root, for messages.
    pub path: PathBuf,
    pub text: String,
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

    pub fn from_bytes(rel: &Path, bytes: Vec<u8>) -> Result<Source, Diagnostic> {
        match String::from_utf8(bytes) {
            Ok(mut text) => {
                if text.starts_with('\u{feff}') {
                    text.drain(..3);
                }
                blank_controls(&mut text);
                Ok(Arc::new(SourceFile {
                    path: rel.to_path_buf(),
                    text,
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

    pub fn error(&self, offset: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error_at(&self.path, &self.text, offset, message)
    }

    pub fn warning(&self, offset: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic::warning_at(&self.path, &self.text, offset, message)
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
    fn control_characters_become_spaces_byte_for_byte() {
        let mut t = String::from("a\u{b}b\0c\u{7f}d\u{85}e\tf\r\ng é");
        let len = t.len();
        blank_controls(&mut t);
        assert_eq!(t, "a b c d  e\tf\r\ng é");
        assert_eq!(t.len(), len);
    }
}
