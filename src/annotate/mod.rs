//! Stage 2, annotate: takes parsed content and the entity index, gives each
//! article an [`AnnotatedDoc`]: its Markdown as items with every mention
//! (entity link, standoff annotation, name found in plain text) and every
//! note reference placed, numbered in reading order.
//!
//! Order of work for one article: parse body and footnotes ([`doc`]); resolve
//! entity links; place standoff annotations ([`standoff`]); find names
//! ([`index::EntityIndex::find_names`]); then walk the text in reading order
//! (body, then notes by number) to number notes and mentions.

pub mod doc;
pub mod index;
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
    pub links: Vec<LinkTarget>,
    /// Flow-local footnote reference index → document reference index.
    pub refs: Vec<usize>,
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

/// Annotates the Markdown `body` found at byte `body_offset` of `file`.
pub fn annotate(
    file: &Source,
    body_offset: usize,
    index: &EntityIndex,
    settings: &Settings,
    diags: &mut Vec<Diagnostic>,
) -> AnnotatedDoc {
    let body = &file.text[body_offset..];
    let parsed = doc::parse(body, body_offset);
    let mut d = AnnotatedDoc::default();
    let mut note_of_label: HashMap<String, usize> = HashMap::new();

    // Flow 0: the body; then one flow per footnote definition.
    let mut flows = vec![(parsed.body, parsed.links.clone(), parsed.note_refs.clone())];
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
        flows.push((flow, Vec::new(), Vec::new()));
    }
    let (links, note_refs) = (parsed.links, parsed.note_refs);
    for (fi, (flow, _, _)) in flows.into_iter().enumerate() {
        let mut af = AFlow {
            flow,
            ..AFlow::default()
        };
        if fi == 0 {
            af.links = vec![
                LinkTarget {
                    entity: None,
                    mention: None
                };
                links.len()
            ];
            af.refs = vec![usize::MAX; note_refs.len()];
        }
        d.flows.push(af);
    }
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
                let (msg, help) = index.unresolved_message(&l.target, &why);
                let mut diag = file.error(l.offset, msg);
                if let Some(h) = help {
                    diag = diag.with_note(h);
                }
                diags.push(diag);
            }
        }
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
    let ref_ids: Vec<usize> = (0..note_refs.len()).collect();
    for af in &mut d.flows {
        af.links = link_targets.clone();
        af.refs = ref_ids.clone();
    }

    if settings.mentions {
        // Entity links are mentions.
        for fi in 0..d.flows.len() {
            let mut new = Vec::new();
            let af = &d.flows[fi];
            for (bi, block) in af.flow.blocks.iter().enumerate() {
                for it in block.items.clone() {
                    if let Item::EntityStart { link, .. } = af.flow.items[it] {
                        if let Some(entity) = af.links[link].entity {
                            let r = doc::item_view_range(block, it + 1);
                            new.push((link, entity, bi, r.start, r.end));
                        }
                    }
                }
            }
            for (link, entity, bi, s, e) in new {
                let m = push_mention(&mut d, fi, bi, s, e, entity, Origin::Link);
                d.flows[fi].links[link].mention = Some(m);
            }
        }
        standoff_pass(&mut d, file, index, settings, diags);
        name_pass(&mut d, index, diags, file, body_offset);
    }
    number(
        &mut d,
        settings,
        labels.iter().map(|(l, at)| (l.as_str(), *at)).collect(),
        file,
        diags,
    );
    d
}

fn push_mention(
    d: &mut AnnotatedDoc,
    flow: usize,
    block: usize,
    s: usize,
    e: usize,
    entity: EntityId,
    origin: Origin,
) -> usize {
    let text = &d.flows[flow].flow.blocks[block].text;
    let snippet = snippet::around(text, s, e, 60);
    d.mentions.push(Mention {
        entity,
        n: 0,
        linked: false,
        origin,
        snippet,
        flow,
        block,
        start: s,
    });
    let m = d.mentions.len() - 1;
    if origin != Origin::Link {
        d.flows[flow].spans.push(Span {
            block,
            start: s,
            end: e,
            kind: SpanKind::Mention(m),
        });
    }
    m
}

/// Whether [s, e) crosses (partly overlaps) any span of `spans` in `block`.
fn crosses(spans: &[Span], block: usize, s: usize, e: usize) -> bool {
    spans.iter().any(|x| {
        x.block == block
            && s < x.end
            && x.start < e
            && !(x.start <= s && e <= x.end)
            && !(s <= x.start && x.end <= e)
    })
}

fn overlaps(spans: &[Span], block: usize, s: usize, e: usize) -> bool {
    spans
        .iter()
        .any(|x| x.block == block && s < x.end && x.start < e)
}

fn standoff_pass(
    d: &mut AnnotatedDoc,
    file: &Source,
    index: &EntityIndex,
    settings: &Settings,
    diags: &mut Vec<Diagnostic>,
) {
    for a in settings.annotations {
        let quote = a.spec.quote.get_ref();
        let found = standoff::find(
            &d.flows[0].flow.blocks,
            quote,
            a.spec.prefix.as_deref(),
            a.spec.suffix.as_deref(),
        );
        let (b, s, e) = match found {
            standoff::Found::One(hit) => hit,
            standoff::Found::None { closest } => {
                let mut diag = a.file.error(
                    a.quote_offset(),
                    format!(
                        "annotation #{}: quote {:?} is not in the text of {}",
                        a.index,
                        quote,
                        file.path.display()
                    ),
                );
                diag = match closest {
                    Some(c) => diag.with_note(format!("closest passage: {c:?}")),
                    None => diag.with_note("nothing in the text is close to it"),
                };
                diags.push(diag);
                continue;
            }
            standoff::Found::NotWithContext { count, contexts } => {
                let mut diag = a.file.error(
                    a.quote_offset(),
                    format!(
                        "annotation #{}: quote {:?} occurs {count} time{} in {}, but never with the given prefix/suffix",
                        a.index,
                        quote,
                        if count == 1 { "" } else { "s" },
                        file.path.display()
                    ),
                );
                for c in contexts {
                    diag = diag.with_note(format!("found in: {c}"));
                }
                diags.push(diag);
                continue;
            }
            standoff::Found::Many { count, contexts } => {
                let mut diag = a.file.error(
                    a.quote_offset(),
                    format!(
                        "annotation #{}: quote {:?} occurs {count} times in {}; add `prefix` or `suffix` to choose one",
                        a.index,
                        quote,
                        file.path.display()
                    ),
                );
                for c in contexts {
                    diag = diag.with_note(format!("found in: {c}"));
                }
                diags.push(diag);
                continue;
            }
        };
        if crosses(&d.flows[0].spans, b, s, e) {
            diags.push(a.file.error(
                a.quote_offset(),
                format!(
                    "annotation #{}: quote {:?} partly overlaps another annotation",
                    a.index, quote
                ),
            ));
            continue;
        }
        if let Some(ent) = &a.spec.entity {
            match index.resolve(ent.get_ref()) {
                Ok(entity) => {
                    // A link to the same entity over the same words already
                    // counts: do not count it twice.
                    let dup = d.mentions.iter().any(|m| {
                        m.flow == 0
                            && m.block == b
                            && m.entity == entity
                            && m.origin == Origin::Link
                            && s <= m.start
                            && m.start < e
                    });
                    if !dup {
                        push_mention(d, 0, b, s, e, entity, Origin::Standoff);
                    }
                }
                Err(why) => {
                    let (msg, help) = index.unresolved_message(ent.get_ref(), &why);
                    let mut diag = a.file.error(
                        a.toml_offset + ent.span().start,
                        format!("annotation #{}: {msg}", a.index),
                    );
                    if let Some(h) = help {
                        diag = diag.with_note(h);
                    }
                    diags.push(diag);
                }
            }
        }
        if let Some(note) = &a.spec.note {
            // The note is Markdown of its own: a new flow, a new note.
            let note_src = std::sync::Arc::new(crate::content::SourceFile {
                path: a.file.path.clone(),
                text: note.get_ref().clone(),
            });
            let mut note_diags = Vec::new();
            let sub = annotate(
                &note_src,
                0,
                index,
                &Settings {
                    mentions: false,
                    autolink: Autolink::None,
                    no_autolink: settings.no_autolink,
                    annotations: &[],
                },
                &mut note_diags,
            );
            // Positions inside a TOML string do not map back exactly: point at the note.
            for nd in note_diags {
                diags.push(a.file.error(
                    a.toml_offset + note.span().start,
                    format!("annotation #{}: in its note: {}", a.index, nd.message),
                ));
            }
            let mut af = sub.flows.into_iter().next().unwrap_or_default();
            // A note's own links stay local to it; footnotes inside a note
            // are not supported (its references resolve to nothing).
            af.refs.clear();
            let flow = d.flows.len();
            d.flows.push(af);
            d.notes.push(Note {
                flow,
                number: 0,
                back: Vec::new(),
            });
            d.refs.push(NoteRef {
                note: Some(d.notes.len() - 1),
                id: String::new(),
            });
            let note_ref = d.refs.len() - 1;
            d.flows[0].markers.push(Marker {
                block: b,
                pos: e,
                note_ref,
            });
            if a.spec.entity.is_none() && !crosses(&d.flows[0].spans, b, s, e) {
                d.flows[0].spans.push(Span {
                    block: b,
                    start: s,
                    end: e,
                    kind: SpanKind::Annotated,
                });
            }
        }
    }
}

/// Finds names in every flow; a name in a heading is only a warning.
fn name_pass(
    d: &mut AnnotatedDoc,
    index: &EntityIndex,
    diags: &mut Vec<Diagnostic>,
    file: &Source,
    body_offset: usize,
) {
    for fi in 0..d.flows.len() {
        let mut found = Vec::new();
        {
            let af = &d.flows[fi];
            let items = &af.flow.items;
            for (bi, block) in af.flow.blocks.iter().enumerate() {
                if block.heading {
                    for (s, e, _) in index.find_names(&block.text, |_, _| true) {
                        // Only names written as plain heading text.
                        if block.items_of(s, e).all(|it| matches!(&items[it], Item::Text { ctx, .. } if !ctx.in_anchor && !ctx.code)) {
                            let name = &block.text[s..e];
                            diags.push(file.warning(
                                heading_offset(file, body_offset, name),
                                format!("heading names {name:?}: names in headings are not linked or counted"),
                            ));
                        }
                    }
                    continue;
                }
                let spans = &af.spans;
                for (s, e, ent) in index.find_names(&block.text, |s, e| {
                    block.searchable(items, s, e) && !overlaps(spans, bi, s, e)
                }) {
                    found.push((bi, s, e, ent));
                }
            }
        }
        for (bi, s, e, ent) in found {
            push_mention(d, fi, bi, s, e, ent, Origin::Name);
        }
    }
}

/// Where `name` first stands in a heading line of the body, for warnings.
fn heading_offset(file: &Source, body_offset: usize, name: &str) -> usize {
    let first = name.split(' ').next().unwrap_or(name);
    let mut at = body_offset;
    for line in file.text[body_offset..].split_inclusive('\n') {
        if line.trim_start().starts_with('#') {
            if let Some(i) = line.find(first) {
                return at + i;
            }
        }
        at += line.len();
    }
    body_offset
}

/// Walks the text in reading order: numbers notes by first reference,
/// mentions per entity, decides which names become links.
fn number(
    d: &mut AnnotatedDoc,
    settings: &Settings,
    labels: Vec<(&str, usize)>,
    file: &Source,
    diags: &mut Vec<Diagnostic>,
) {
    let mut queue = vec![0usize];
    let mut next_note = 1u32;
    let mut per_entity: HashMap<EntityId, u32> = HashMap::new();
    let mut mention_order = Vec::new();
    let mut qi = 0;
    let mut visited = HashSet::new();
    while qi < queue.len() {
        let fi = queue[qi];
        qi += 1;
        if !visited.insert(fi) {
            continue;
        }
        // (block, pos, kind order, what): mentions and references by position.
        let mut events: Vec<(usize, usize, u8, usize)> = Vec::new();
        let af = &d.flows[fi];
        for (bi, block) in af.flow.blocks.iter().enumerate() {
            for it in block.items.clone() {
                if let Item::NoteRef { note_ref } = af.flow.items[it] {
                    if let Some(&r) = af.refs.get(note_ref) {
                        events.push((bi, doc::view_pos(block, it), 1, r));
                    }
                }
            }
        }
        for m in &af.markers {
            events.push((m.block, m.pos, 1, m.note_ref));
        }
        for (mi, m) in d.mentions.iter().enumerate() {
            if m.flow == fi {
                events.push((m.block, m.start, 0, mi));
            }
        }
        // Note references in blocks that have no view text still count.
        events.sort();
        for (_, _, kind, what) in events {
            if kind == 0 {
                mention_order.push(what);
                continue;
            }
            let Some(note) = d.refs[what].note else {
                continue;
            };
            if d.notes[note].number == 0 {
                d.notes[note].number = next_note;
                next_note += 1;
                queue.push(d.notes[note].flow);
            }
            let n = d.notes[note].number;
            let k = d.notes[note].back.len() + 1;
            let id = if k == 1 {
                format!("fnref-{n}")
            } else {
                format!("fnref-{n}-{k}")
            };
            d.notes[note].back.push(id.clone());
            d.refs[what].id = id;
        }
    }
    // Footnote references that sit outside any block with text (rare) were
    // not reached above: number them in item order.
    for fi in 0..d.flows.len() {
        if !visited.contains(&fi) {
            continue;
        }
        let items = &d.flows[fi].flow.items;
        let refs: Vec<usize> = items
            .iter()
            .filter_map(|i| match i {
                Item::NoteRef { note_ref } => d.flows[fi].refs.get(*note_ref).copied(),
                _ => None,
            })
            .collect();
        for r in refs {
            if !d.refs[r].id.is_empty() {
                continue;
            }
            let Some(note) = d.refs[r].note else { continue };
            if d.notes[note].number == 0 {
                d.notes[note].number = next_note;
                next_note += 1;
            }
            let n = d.notes[note].number;
            let k = d.notes[note].back.len() + 1;
            let id = if k == 1 {
                format!("fnref-{n}")
            } else {
                format!("fnref-{n}-{k}")
            };
            d.notes[note].back.push(id.clone());
            d.refs[r].id = id;
        }
    }
    for (i, (label, at)) in labels.iter().enumerate() {
        if d.notes[i].number == 0 {
            diags.push(file.warning(*at, format!("footnote [^{label}] is never referenced")));
        }
    }
    // Mentions in notes nobody reads are dropped from the count.
    let reached: HashSet<usize> = mention_order.iter().copied().collect();
    for (mi, m) in d.mentions.iter_mut().enumerate() {
        if !reached.contains(&mi) {
            m.n = 0;
        }
    }
    let mut seen: HashSet<EntityId> = HashSet::new();
    for mi in mention_order {
        let m = &mut d.mentions[mi];
        let c = per_entity.entry(m.entity).or_insert(0);
        *c += 1;
        m.n = *c;
        let first = seen.insert(m.entity);
        m.linked = match m.origin {
            Origin::Link | Origin::Standoff => true,
            Origin::Name => {
                !settings.no_autolink.contains(&m.entity)
                    && match settings.autolink {
                        Autolink::All => true,
                        Autolink::None => false,
                        Autolink::First => first,
                    }
            }
        };
    }
}
