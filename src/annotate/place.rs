//! Placing what the text does not mark itself: standoff annotations (quotes
//! found in the reader's view) and names found in plain text, as spans over
//! the views of an [`AnnotatedDoc`], without ever crossing each other.

use super::doc::{Block, Item};
use super::index::{EntityId, EntityIndex};
use super::{
    annotate, snippet, standoff, AnnotatedDoc, Marker, Mention, Note, NoteRef, Origin, Settings,
    Span, SpanKind,
};
use crate::config::Autolink;
use crate::content::{Source, SourceFile};
use crate::diagnostics::Diagnostic;
use std::collections::HashMap;

pub(super) fn push_mention(
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
    spans
        .iter()
        .any(|x| x.block == block && partly(s, e, x.start, x.end))
}

/// Whether [s, e) and [xs, xe) overlap without one holding the other.
fn partly(s: usize, e: usize, xs: usize, xe: usize) -> bool {
    s < xe && xs < e && !(xs <= s && e <= xe) && !(s <= xs && xe <= e)
}

/// The diagnostic with a note for each place the quote was found.
fn found_in(diag: Diagnostic, contexts: Vec<String>) -> Diagnostic {
    contexts
        .into_iter()
        .fold(diag, |d, c| d.with_note(format!("found in: {c}")))
}

/// What a block of the body marks itself, before any quote is placed: its
/// entity links (entity if resolved, view range of the shown text) and
/// the names in it, as the name pass would find them.
struct Marked {
    links: Vec<(Option<EntityId>, usize, usize)>,
    names: Vec<(usize, usize)>,
}

/// Whether view bytes `s..e` of `block` are plain text a name may be found
/// in: searchable, and not inside an address written out (`urls`).
fn plain(block: &Block, items: &[Item], urls: &[(usize, usize)], s: usize, e: usize) -> bool {
    block.searchable(items, s, e) && !overlaps_any(urls, s, e)
}

pub(super) fn standoff_pass(
    d: &mut AnnotatedDoc,
    file: &Source,
    index: &EntityIndex,
    settings: &Settings,
    diags: &mut Vec<Diagnostic>,
) {
    // Per block of the body, found once.
    let mut seen: HashMap<usize, Marked> = HashMap::new();
    // Every annotation located at once: one pass over the text.
    let queries: Vec<standoff::Query> = settings
        .annotations
        .iter()
        .map(|a| standoff::Query {
            quote: a.spec.quote.get_ref(),
            prefix: a.spec.prefix.as_deref(),
            suffix: a.spec.suffix.as_deref(),
        })
        .collect();
    let found_all = standoff::find_all(&d.flows[0].flow.blocks, &queries);
    // The body's spans and entity links by block, kept up to date: an
    // annotation is checked against those of its own block only (checking
    // every span of the body was quadratic in annotations).
    let mut spans_in: HashMap<usize, Vec<(usize, usize)>> = HashMap::new();
    for x in &d.flows[0].spans {
        spans_in.entry(x.block).or_default().push((x.start, x.end));
    }
    let crosses_in = |spans_in: &HashMap<usize, Vec<(usize, usize)>>, b, s, e| {
        spans_in
            .get(&b)
            .is_some_and(|v| v.iter().any(|&(xs, xe)| partly(s, e, xs, xe)))
    };
    for (a, found) in settings.annotations.iter().zip(found_all) {
        let quote = a.spec.quote.get_ref();
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
                let diag = a.file.error(
                    a.quote_offset(),
                    format!(
                        "annotation #{}: quote {:?} occurs {count} time{} in {}, but never with the given prefix/suffix",
                        a.index,
                        quote,
                        crate::diagnostics::plural(count),
                        file.path.display()
                    ),
                );
                diags.push(found_in(diag, contexts));
                continue;
            }
            standoff::Found::Many { count, contexts } => {
                let diag = a.file.error(
                    a.quote_offset(),
                    format!(
                        "annotation #{}: quote {:?} occurs {count} times in {}; add `prefix` or `suffix` to choose one",
                        a.index,
                        quote,
                        file.path.display()
                    ),
                );
                diags.push(found_in(diag, contexts));
                continue;
            }
        };
        if crosses_in(&spans_in, b, s, e) {
            diags.push(a.file.error(
                a.quote_offset(),
                format!(
                    "annotation #{}: quote {:?} partly overlaps another annotation",
                    a.index, quote
                ),
            ));
            continue;
        }
        let marked = seen.entry(b).or_insert_with(|| {
            let af = &d.flows[0];
            let block = &af.flow.blocks[b];
            let links = super::block_links(af, b)
                .into_iter()
                .map(|(link, s, e)| (af.links.get(&link).and_then(|l| l.entity), s, e))
                .collect();
            let urls = url_spans(&block.text);
            let names = index
                .find_names(&block.text, |s, e| {
                    plain(block, &af.flow.items, &urls, s, e)
                })
                .into_iter()
                .map(|(s, e, _)| (s, e))
                .collect();
            Marked { links, names }
        });
        if let Some(&(_, ls, le)) = marked.links.iter().find(|l| partly(s, e, l.1, l.2)) {
            let text = &d.flows[0].flow.blocks[b].text;
            diags.push(a.file.error(
                a.quote_offset(),
                format!(
                    "annotation #{}: quote {:?} partly overlaps the entity link shown as {:?}; \
                     quote all of it, or none",
                    a.index,
                    quote,
                    &text[ls..le]
                ),
            ));
            continue;
        }
        if let Some(&(ns, ne)) = marked.names.iter().find(|n| partly(s, e, n.0, n.1)) {
            let text = &d.flows[0].flow.blocks[b].text;
            diags.push(a.file.warning(
                a.quote_offset(),
                format!(
                    "annotation #{}: quote {:?} cuts the name {:?} in two, so that name is \
                     no mention there; quote all of it, or none",
                    a.index,
                    quote,
                    &text[ns..ne]
                ),
            ));
        }
        if let Some(ent) = &a.spec.entity {
            match index.resolve(ent.get_ref()) {
                Ok(entity) => {
                    // A link to the same entity over the same words already
                    // counts: do not count it twice.
                    let dup = marked
                        .links
                        .iter()
                        .any(|&(ent, ls, _)| ent == Some(entity) && s <= ls && ls < e);
                    if !dup {
                        push_mention(d, 0, b, s, e, entity, Origin::Standoff);
                        spans_in.entry(b).or_default().push((s, e));
                    }
                }
                Err(why) => {
                    let context = format!("annotation #{}: ", a.index);
                    diags.push(index.unresolved(
                        &a.file,
                        a.toml_offset + ent.span().start,
                        &context,
                        ent.get_ref(),
                        &why,
                    ));
                }
            }
        }
        if let Some(note) = &a.spec.note {
            // The note is Markdown of its own: a new flow, a new note. Read
            // in place when the TOML string holds it byte for byte, so that
            // messages point into it; else alone, messages at the string.
            let at = a.toml_offset + note.span().start;
            let text = note.get_ref();
            let in_place = string_in_place(&a.file.text, at, text);
            let (note_src, body) = match in_place {
                Some(start) => (a.file.prefix(start + text.len()), start),
                None => (SourceFile::new(a.file.path.clone(), text.clone()), 0),
            };
            let mut note_diags = Vec::new();
            let sub = annotate(
                &std::sync::Arc::new(note_src),
                body,
                index,
                &Settings {
                    mentions: false,
                    autolink: Autolink::None,
                    no_autolink: settings.no_autolink,
                    annotations: &[],
                },
                &mut note_diags,
            );
            for nd in note_diags {
                let message = format!("annotation #{}: in its note: {}", a.index, nd.message);
                diags.push(match in_place {
                    Some(_) => Diagnostic { message, ..nd },
                    None => {
                        let d = match nd.is_error() {
                            true => a.file.error(at, message),
                            false => a.file.warning(at, message),
                        };
                        Diagnostic {
                            notes: nd.notes,
                            ..d
                        }
                    }
                });
            }
            let mut af = sub.flows.into_iter().next().unwrap_or_default();
            if in_place.is_none() {
                // Read alone: places in the string are not places in the
                // file; a warning about a URL of it stands at the string.
                for url in &mut af.flow.urls {
                    url.1 = at;
                }
            }
            // A note's own links stay local to it; footnotes inside a note
            // are not supported (its references resolve to nothing).
            af.refs = 0;
            if !std::sync::Arc::ptr_eq(&a.file, file) {
                af.file = Some(a.file.clone());
            }
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
            if a.spec.entity.is_none() && !crosses_in(&spans_in, b, s, e) {
                spans_in.entry(b).or_default().push((s, e));
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

/// Where the text of the TOML string at `at` in `file` starts, if the file
/// holds it byte for byte there (no escapes in it).
fn string_in_place(file: &str, at: usize, value: &str) -> Option<usize> {
    let rest = file.get(at..)?;
    let delim = ["\"\"\"", "\'\'\'", "\"", "'"]
        .into_iter()
        .find(|d| rest.starts_with(d))?;
    let mut start = at + delim.len();
    if delim.len() == 3 {
        // A line break right after the opening quotes is not in the string.
        start += ["\r\n", "\n"]
            .into_iter()
            .find(|nl| file[start..].starts_with(nl))
            .map_or(0, str::len);
    }
    (file.get(start..start + value.len()) == Some(value)).then_some(start)
}

/// Finds names in every flow; a name in a heading is only a warning.
pub(super) fn name_pass(
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
            // The flow's spans by block: a name is checked against those
            // of its own block only.
            let mut spans_of: Vec<Vec<Span>> = vec![Vec::new(); af.flow.blocks.len()];
            for x in &af.spans {
                spans_of[x.block].push(x.clone());
            }
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
                let spans = &spans_of[bi];
                let urls = url_spans(&block.text);
                for (s, e, ent) in index.find_names(&block.text, |s, e| {
                    // Inside a quote that only carries a note, names still
                    // count; never across its edge, nor over another mention.
                    plain(block, items, &urls, s, e)
                        && !crosses(spans, bi, s, e)
                        && !spans.iter().any(|x| {
                            x.block == bi
                                && matches!(x.kind, SpanKind::Mention(_))
                                && s < x.end
                                && x.start < e
                        })
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

/// The words of `text` that are web or e-mail addresses written out
/// (`https://example.org/Florida/`, `www.x.org`, `press@florida.gov`), as
/// sorted byte ranges: a name inside one is part of the address, not a
/// mention.
fn url_spans(text: &str) -> Vec<(usize, usize)> {
    if !(text.contains("://") || text.contains("www.") || text.contains('@')) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let ends = text
        .char_indices()
        .filter(|(_, c)| c.is_whitespace())
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()));
    let mut from = 0;
    for end in ends {
        let word = &text[from..end];
        if is_address(word) {
            out.push((from, end));
        }
        from = end + text[end..].chars().next().map_or(0, char::len_utf8);
    }
    out
}

fn is_address(word: &str) -> bool {
    let w = word.trim_start_matches(|c: char| !c.is_alphanumeric());
    let www = w.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("www."));
    let email = w.split_once('@').is_some_and(|(user, host)| {
        let host = host.trim_end_matches(|c: char| !c.is_alphanumeric());
        !user.is_empty() && host.contains('.')
    });
    w.contains("://") || www || email
}

/// Whether [s, e) overlaps any of the sorted, disjoint `ranges`.
fn overlaps_any(ranges: &[(usize, usize)], s: usize, e: usize) -> bool {
    let i = ranges.partition_point(|r| r.1 <= s);
    ranges.get(i).is_some_and(|r| r.0 < e)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_written_out_are_found_word_by_word() {
        let t = "See https://example.org/Florida/page, (www.Florida.gov) and mail \
                 press@Florida.org. Florida @Florida a@b x://";
        let words: Vec<&str> = url_spans(t).iter().map(|&(s, e)| &t[s..e]).collect();
        assert_eq!(
            words,
            vec![
                "https://example.org/Florida/page,",
                "(www.Florida.gov)",
                "press@Florida.org.",
                "x://"
            ]
        );
        let spans = url_spans(t);
        let at = t.find("Florida.gov").unwrap();
        assert!(overlaps_any(&spans, at, at + 7));
        let plain = t.find(". Florida").unwrap() + 2;
        assert!(!overlaps_any(&spans, plain, plain + 7));
        assert!(url_spans("no addresses here").is_empty());
    }
}
