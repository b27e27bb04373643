//! A document after annotation and rendering, as it is kept until its
//! pages are made: [`finish`] takes the annotated document and keeps only
//! what pages show — its HTML, packed ([`Packed`]: a large archive's bodies
//! were a third of a build's memory), its mentions with the words around
//! each (one string per document, not one per mention), its first paragraph.

use crate::annotate::{doc::Item, AnnotatedDoc};
use crate::content::Source;
use crate::diagnostics::Diagnostic;
use crate::render::highlight::Highlighter;
use crate::render::markdown::{self, EntityRef, Html};
use crate::render::url;
use crate::render::words::Lang;
use pulldown_cmark::{Event, Tag};
use std::hash::{Hash, Hasher};

/// A mention as the pages need it.
#[derive(Debug, Clone)]
pub struct MentionRec {
    pub entity: u32,
    /// n of the anchor `m-<id>-<n>`.
    pub n: u32,
    /// Where the words around the mention stand in the document's
    /// [`Rendered::snippets`] (byte range) ...
    snippet: (u32, u32),
    /// ... and where the mention stands in them.
    mark: (u32, u32),
}

/// HTML kept compressed (LZ4) until its page is rendered.
pub struct Packed {
    bytes: Vec<u8>,
    body_len: usize,
}

impl Packed {
    pub fn pack(html: &Html) -> Packed {
        let mut both = String::with_capacity(html.body.len() + html.notes.len());
        both.push_str(&html.body);
        both.push_str(&html.notes);
        let mut bytes = lz4_flex::compress_prepend_size(both.as_bytes());
        bytes.shrink_to_fit();
        Packed {
            bytes,
            body_len: html.body.len(),
        }
    }

    /// The body and the notes. Packed by [`Packed::pack`], the bytes always
    /// unpack; should they not, the page shows nothing rather than fail.
    pub fn unpack(&self) -> Html {
        let both = lz4_flex::decompress_size_prepended(&self.bytes)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .unwrap_or_default();
        match (both.get(..self.body_len), both.get(self.body_len..)) {
            (Some(body), Some(notes)) => Html {
                body: body.to_string(),
                notes: notes.to_string(),
            },
            _ => Html {
                body: String::new(),
                notes: String::new(),
            },
        }
    }
}

/// A document after annotation and rendering.
pub struct Rendered {
    pub html: Packed,
    /// Numbered mentions, by entity then number.
    pub mentions: Vec<MentionRec>,
    /// The words around every mention, one after the other.
    snippets: String,
    /// The first paragraph as text (the default summary).
    pub first_paragraph: String,
    /// A hash of everything above that pages show (body, notes, mentions).
    pub hash: u64,
    /// Link and image destinations written in the Markdown, each as a
    /// warning ready to be issued should it point at nothing (for `check`).
    pub links: Vec<(String, Diagnostic)>,
}

impl Rendered {
    /// The words around mention `mi`.
    pub fn snippet(&self, mi: usize) -> &str {
        let (s, e) = self.mentions[mi].snippet;
        self.snippets.get(s as usize..e as usize).unwrap_or("")
    }

    /// The words around mention `mi`: before, the mention, after.
    pub fn snippet_parts(&self, mi: usize) -> (&str, &str, &str) {
        let text = self.snippet(mi);
        let (s, e) = self.mentions[mi].mark;
        match (
            text.get(..s as usize),
            text.get(s as usize..e as usize),
            text.get(e as usize..),
        ) {
            (Some(a), Some(b), Some(c)) => (a, b, c),
            _ => (text, "", ""),
        }
    }
}

/// Annotated and rendered for a site under `base_path` (`/` or `/repo/`)
/// in language `lang`: keeps only what the pages need. Warns in `diags` of
/// link and image URLs the page does not keep.
pub fn finish(
    doc: AnnotatedDoc,
    file: &Source,
    refs: &[EntityRef],
    hl: &Highlighter,
    base_path: &str,
    lang: Lang,
    diags: &mut Vec<Diagnostic>,
) -> Rendered {
    let html = markdown::render_under(&doc, refs, hl, base_path, lang);
    let mut links = Vec::new();
    for af in &doc.flows {
        // A sidecar's note: its URLs are in the sidecar.
        let file = af.file.as_ref().unwrap_or(file);
        // Each URL at the place the parser found it written.
        for &(item, at) in &af.flow.urls {
            let (dest_url, image) = match af.flow.items.get(item) {
                Some(Item::Ev(Event::Start(Tag::Link { dest_url, .. }))) => (dest_url, false),
                Some(Item::Ev(Event::Start(Tag::Image { dest_url, .. }))) => (dest_url, true),
                _ => continue,
            };
            if !url::allowed(dest_url, image) {
                let what = if image { "image source" } else { "link" };
                let kept = url::LINK_SCHEMES.join(", ");
                diags.push(file.warning(
                    at,
                    format!(
                        "{what} `{dest_url}` is left out: only relative URLs and {kept} ones \
                         are kept, so that nothing in an archived text runs in a reader's browser"
                    ),
                ));
                continue;
            }
            let message = format!("link to `{dest_url}` points at no page of the site");
            links.push((dest_url.to_string(), file.warning(at, message)));
        }
    }
    let first_paragraph = doc
        .flows
        .first()
        .and_then(|f| f.flow.blocks.iter().find(|b| !b.heading))
        .map(|b| b.text.clone())
        .unwrap_or_default();
    let mut numbered: Vec<_> = doc.mentions.into_iter().filter(|m| m.n > 0).collect();
    numbered.sort_by_key(|m| (m.entity, m.n));
    let len: usize = numbered
        .iter()
        .map(|m| m.snippet.0.len() + m.snippet.1.len() + m.snippet.2.len())
        .sum();
    let mut snippets = String::with_capacity(len);
    let mut mentions = Vec::with_capacity(numbered.len());
    for m in &numbered {
        let start = snippets.len();
        snippets.push_str(&m.snippet.0);
        snippets.push_str(&m.snippet.1);
        snippets.push_str(&m.snippet.2);
        let before = m.snippet.0.len();
        mentions.push(MentionRec {
            entity: m.entity,
            n: m.n,
            snippet: (start as u32, snippets.len() as u32),
            mark: (before as u32, (before + m.snippet.1.len()) as u32),
        });
    }
    let hash = {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        html.body.hash(&mut h);
        html.notes.hash(&mut h);
        first_paragraph.hash(&mut h);
        snippets.hash(&mut h);
        for m in &mentions {
            (m.entity, m.n, m.snippet, m.mark).hash(&mut h);
        }
        h.finish()
    };
    Rendered {
        hash,
        html: Packed::pack(&html),
        mentions,
        snippets,
        first_paragraph,
        links,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_html_unpacks_to_what_was_packed() {
        for (body, notes) in [
            ("", ""),
            ("<p>Ana Pérez — “sí”</p>\n", "<ol><li>n</li></ol>"),
            ("x", ""),
        ] {
            let html = Html {
                body: body.repeat(300),
                notes: notes.to_string(),
            };
            let back = Packed::pack(&html).unpack();
            assert_eq!((back.body, back.notes), (html.body, html.notes));
        }
    }
}
