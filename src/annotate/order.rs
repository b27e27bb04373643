//! Reading order: walks the body, then each note in the order it is first
//! referenced, numbering notes and references, numbering each entity's
//! mentions (the `n` of `m-<id>-<n>`), and deciding which names become links.

use super::doc::{self, Item};
use super::index::EntityId;
use super::{AnnotatedDoc, Origin, Settings};
use crate::config::Autolink;
use crate::content::Source;
use crate::diagnostics::Diagnostic;
use std::collections::{HashMap, HashSet};

/// Walks the text in reading order: numbers notes by first reference,
/// mentions per entity, decides which names become links.
pub(super) fn number(
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
    // Mentions by flow: a note is a flow, and an article may have thousands.
    let mut mentions_of: Vec<Vec<usize>> = vec![Vec::new(); d.flows.len()];
    for (mi, m) in d.mentions.iter().enumerate() {
        if let Some(list) = mentions_of.get_mut(m.flow) {
            list.push(mi);
        }
    }
    while qi < queue.len() {
        let fi = queue[qi];
        qi += 1;
        if !visited.insert(fi) {
            continue;
        }
        // (block, before or in it, pos, kind order, what): mentions and
        // references by position.
        let mut events: Vec<(usize, u8, usize, u8, usize)> = Vec::new();
        let af = &d.flows[fi];
        let blocks = &af.flow.blocks;
        for (it, item) in af.flow.items.iter().enumerate() {
            let Item::NoteRef { note_ref } = *item else {
                continue;
            };
            let Some(r) = af.doc_ref(note_ref) else {
                continue;
            };
            // The block holding the reference, or else the first block
            // after it: a paragraph that is only `[^1]` has no text, and
            // so no block of its own.
            let bi = blocks.partition_point(|b| b.items.end <= it);
            match blocks.get(bi) {
                Some(b) if b.items.contains(&it) => {
                    events.push((bi, 1, doc::view_pos(b, it), 1, r));
                }
                _ => events.push((bi, 0, 0, 1, r)),
            }
        }
        for m in &af.markers {
            events.push((m.block, 1, m.pos, 1, m.note_ref));
        }
        for &mi in mentions_of.get(fi).into_iter().flatten() {
            let m = &d.mentions[mi];
            events.push((m.block, 1, m.start, 0, mi));
        }
        events.sort();
        for (_, _, _, kind, what) in events {
            if kind == 0 {
                mention_order.push(what);
                continue;
            }
            if let Some(flow) = number_ref(d, what, &mut next_note) {
                queue.push(flow);
            }
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

/// Gives reference `r` its id (`fnref-N`, or `fnref-N-K` for the K-th
/// reference to note N), numbering its note if this is its first reference;
/// then returns the note's flow, to be read next.
fn number_ref(d: &mut AnnotatedDoc, r: usize, next_note: &mut u32) -> Option<usize> {
    let note = d.refs[r].note?;
    let first = d.notes[note].number == 0;
    if first {
        d.notes[note].number = *next_note;
        *next_note += 1;
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
    first.then_some(d.notes[note].flow)
}
