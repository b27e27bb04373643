//! Stage 2, annotate: takes parsed content and the entity index, gives each
//! article an [`AnnotatedDoc`]: its Markdown as items with every mention
//! (entity link, standoff annotation, name found in plain text) and every
//! note reference placed, numbered in reading order.
//!
//! Order of work for one article: parse body and footnotes ([`doc`]); resolve
//! entity links ([`index`]); place standoff annotations and names found in
//! plain text (`place`, using [`standoff`] and the index's automaton); then
//! walk the text in reading order (`order`: body, then notes by number) to
//! number notes and mentions.

pub mod doc;
pub mod index;
mod order;
mod place;
pub mod snippet;
pub mod standoff;
#[cfg(test)]
mod tests;

use crate::config::Autolink;
use crate::content::{Annotation, Source};
use crate::diagnostics::Diagnostic;
use doc::{Flow, Item};
use index::{EntityId, EntityIndex};
use std::collections::{HashMap, HashSet};

/// How a mention was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Link,
    Standoff,
    Name,
}

#[derive(Debug, Clone)]
pub struct Mention {
    pub entity: EntityId,
    /// n in the anchor `m-<id>-<n>`: counts this entity's mentions in this
    /// article from 1, in reading order. 0 until numbered.
    pub n: u32,
    pub linked: bool,
    pub origin: Origin,
    /// Text before, the mention itself, text after.
    pub snippet: (String, String, String),
    flow: usize,
    block: usize,
    start: usize,
}

/// A stretch of a block's view to wrap.
#[derive(Debug, Clone)]
pub struct Span {
    pub block: usize,
    pub start: usize,
    pub end: usize,
    pub kind: SpanKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpanKind {
    Mention(usize),
    /// A quote carrying a note.
    Annotated,
}

/// A note reference placed in the view (standoff notes), not in the items.
#[derive(Debug, Clone)]
pub struct Marker {
    pub block: usize,
    pub pos: usize,
    pub note_ref: usize,
}

/// One explicit entity link in a flow.
#[derive(Debug, Clone, Copy)]
pub struct LinkTarget {
    pub entity: Option<EntityId>,
    pub mention: Option<usize>,
}

/// A flow with what was placed in it.
#[derive(Debug, Clone, Default)]
pub struct AFlow {
    pub flow: Flow,
    pub spans: Vec<Span>,
    pub markers: Vec<Marker>,
    /// The targets of the entity links in this flow, by their index in
    /// the document (the parser numbers links across body and footnotes).
    pub links: HashMap<usize, LinkTarget>,
    /// How many of the document's footnote references this flow's own can
    /// name: the parser numbers references across the body and footnotes,
    /// so a flow's reference `r` is the document's reference `r`; a note
    /// that a standoff annotation adds names none. (A table per flow made a
    /// document of thousands of footnotes quadratic in memory.)
    pub refs: usize,
    /// The file this flow was written in, when not the document's own (the
    /// note of an annotation in a sidecar): for messages about its text.
    pub file: Option<Source>,
}

impl AFlow {
    /// The document's reference for this flow's footnote reference `r`.
    pub fn doc_ref(&self, r: usize) -> Option<usize> {
        (r < self.refs).then_some(r)
    }
}

/// A reference to a note, once numbered.
#[derive(Debug, Clone, Default)]
pub struct NoteRef {
    pub note: Option<usize>,
    /// Its id in the page (`fnref-3`, `fnref-3-2`); empty if never reached.
    pub id: String,
}

#[derive(Debug, Clone)]
pub struct Note {
    pub flow: usize,
    /// Number shown, from 1 in order of first reference; 0 if never referenced.
    pub number: u32,
    /// Ids of the references pointing at it, in reading order.
    pub back: Vec<String>,
}

/// An annotated document: flows (0 is the body), notes, mentions.
#[derive(Debug, Clone, Default)]
pub struct AnnotatedDoc {
    pub flows: Vec<AFlow>,
    /// Numbered notes, in number order.
    pub notes: Vec<Note>,
    pub mentions: Vec<Mention>,
    pub refs: Vec<NoteRef>,
}

/// What to do besides parsing.
pub struct Settings<'a> {
    /// Record mentions (articles) or only render links (entities, pages).
    pub mentions: bool,
    pub autolink: Autolink,
    pub no_autolink: &'a HashSet<EntityId>,
    pub annotations: &'a [Annotation],
}

/// The entity links of block `bi` of `af`: (link, view range of the shown
/// text).
pub(super) fn block_links(af: &AFlow, bi: usize) -> Vec<(usize, usize, usize)> {
    let block = &af.flow.blocks[bi];
    let mut out = Vec::new();
    for it in block.items.clone() {
        if let Item::EntityStart { link, .. } = af.flow.items[it] {
            // The shown text: every item up to the link's end (it may hold
            // formatting).
            let end = af.flow.items[it..block.items.end]
                .iter()
                .position(|i| matches!(i, Item::EntityEnd { .. }))
                .map_or(it + 2, |k| it + k);
            let (s, e) = (doc::view_pos(block, it + 1), doc::view_pos(block, end));
            out.push((link, s, e.max(s)));
        }
    }
    out
}

/// Records every resolved entity link of flow `fi` as a mention.
fn link_mentions(d: &mut AnnotatedDoc, fi: usize) {
    let mut new = Vec::new();
    let af = &d.flows[fi];
    for bi in 0..af.flow.blocks.len() {
        for (link, s, e) in block_links(af, bi) {
            if let Some(entity) = af.links.get(&link).and_then(|l| l.entity) {
                new.push((link, entity, bi, s, e));
            }
        }
    }
    for (link, entity, bi, s, e) in new {
        let m = place::push_mention(d, fi, bi, s, e, entity, Origin::Link);
        if let Some(l) = d.flows[fi].links.get_mut(&link) {
            l.mention = Some(m);
        }
    }
}

/// Annotates the Markdown `body` found at byte `body_offset` of `file`.
pub fn annotate(
    file: &Source,
    body_offset: usize,
    index: &EntityIndex,
    settings: &Settings,
    diags: &mut Vec<Diagnostic>,
) -> AnnotatedDoc {
    annotate_range(file, body_offset..file.text.len(), index, settings, diags)
}

/// Annotates the Markdown at bytes `body` of `file` (the note of an
/// annotation, read in place in its TOML file: messages give the file's own
/// lines, whole).
fn annotate_range(
    file: &Source,
    body: std::ops::Range<usize>,
    index: &EntityIndex,
    settings: &Settings,
    diags: &mut Vec<Diagnostic>,
) -> AnnotatedDoc {
    let parsed = doc::parse(&file.text[body.clone()], body.start);
    let mut d = AnnotatedDoc::default();
    let mut note_of_label: HashMap<String, usize> = HashMap::new();

    // Flow 0: the body; then one flow per footnote definition.
    let mut flows = vec![parsed.body];
    let mut labels = Vec::new();
    for (label, at, flow) in parsed.footnotes {
        if note_of_label.contains_key(&label) {
            diags.push(file.warning(
                at,
                format!("footnote [^{label}] is defined twice; the first definition is used"),
            ));
            continue;
        }
        note_of_label.insert(label.clone(), flows.len());
        labels.push((label, at));
        // Links and references inside notes were collected with the body's.
        flows.push(flow);
    }
    let (links, note_refs) = (parsed.links, parsed.note_refs);
    d.flows = flows
        .into_iter()
        .map(|flow| AFlow {
            flow,
            ..AFlow::default()
        })
        .collect();
    // Notes from footnote definitions: flow i+1.
    for i in 0..labels.len() {
        d.notes.push(Note {
            flow: i + 1,
            number: 0,
            back: Vec::new(),
        });
    }
    // Entity links and references are indexed document-wide (the parser
    // numbered them across body and footnotes), so resolve them once, into
    // the body's tables, and share those tables with the footnote flows.
    let mut link_targets = vec![
        LinkTarget {
            entity: None,
            mention: None
        };
        links.len()
    ];
    for (i, l) in links.iter().enumerate() {
        match index.resolve(&l.target) {
            Ok(e) => link_targets[i].entity = Some(e),
            Err(why) => {
                diags.push(index.unresolved(file, l.offset, "", &l.target, &why));
            }
        }
    }
    for (at, message) in &parsed.errors {
        diags.push(file.error(*at, message.clone()));
    }
    for (at, message) in &parsed.warnings {
        diags.push(file.warning(*at, message.clone()));
    }
    for (label, at) in &parsed.undefined_refs {
        diags.push(file.error(*at, format!("footnote [^{label}] has no definition")));
    }
    for (label, at) in &note_refs {
        d.refs.push(NoteRef {
            note: note_of_label.get(label).map(|&f| f - 1),
            id: String::new(),
        });
        if !note_of_label.contains_key(label) {
            diags.push(file.error(*at, format!("footnote [^{label}] has no definition")));
        }
    }
    for af in &mut d.flows {
        af.links = af
            .flow
            .items
            .iter()
            .filter_map(|item| match item {
                Item::EntityStart { link, .. } => link_targets.get(*link).map(|&t| (*link, t)),
                _ => None,
            })
            .collect();
        af.refs = note_refs.len();
    }

    if settings.mentions {
        // Entity links are mentions: in the body and footnotes, then in the
        // notes that standoff annotations add.
        for fi in 0..d.flows.len() {
            link_mentions(&mut d, fi);
        }
        let before = d.flows.len();
        let link_at: Vec<usize> = links.iter().map(|l| l.offset).collect();
        place::standoff_pass(&mut d, file, &link_at, index, settings, diags);
        for fi in before..d.flows.len() {
            link_mentions(&mut d, fi);
        }
        place::name_pass(&mut d, index, diags, file);
    }
    order::number(
        &mut d,
        settings,
        labels.iter().map(|(l, at)| (l.as_str(), *at)).collect(),
        file,
        diags,
    );
    d
}
