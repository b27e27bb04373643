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
    /// the first bad byte). A leading byte-order mark is dropped.
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
