//! The annotation cache of `serve`: what an article gave last time, kept
//! while its own files and the context it was annotated in are unchanged.

use super::ArticleDoc;
use crate::content;
use crate::diagnostics::Diagnostic;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::Arc;

/// One article's annotation: the result, its diagnostics, the hash of its inputs.
pub(super) type Annotation = (Arc<ArticleDoc>, Vec<Diagnostic>, u64);

/// Annotated articles of an earlier run, for `serve`: an article whose files
/// and context (entities, settings) are unchanged is not annotated again.
#[derive(Default)]
pub struct ArticleCache {
    pub(super) context: u64,
    /// By path: (hash of its text and sidecar, the result, its diagnostics).
    pub(super) articles: HashMap<PathBuf, (u64, Arc<ArticleDoc>, Vec<Diagnostic>)>,
}

/// A hash of an article's own inputs: its text and its annotations' files.
pub(super) fn article_key(a: &content::Article) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    a.file.text.hash(&mut h);
    for an in &a.annotations {
        if !Arc::ptr_eq(&an.file, &a.file) {
            an.file.text.hash(&mut h);
        }
    }
    h.finish()
}
