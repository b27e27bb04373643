//! Placing what the text does not mark itself: standoff annotations (quotes
//! found in the reader's view) and names found in plain text, as spans over
//! the views of an [`AnnotatedDoc`], without ever crossing each other.

use super::doc::{self, Block, Item};
use super::index::{EntityId, EntityIndex};
use super::{
    annotate, annotate_range, snippet, standoff, AnnotatedDoc, Marker, Mention, Note, NoteRef,
    Origin, Settings, Span, SpanKind,
};
use crate::config::Autolink;
use crate::content::{Source, SourceFile};
use crate::diagnostics::Diagnostic;
use pulldown_cmark::{Event, Tag, TagEnd};
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
/// entity links, its Markdown links, and the names in it, as the name pass
/// would find them.
struct Marked {
    /// Entity links: (link, entity if resolved, view range of the shown
    /// text).
    links: Vec<(usize, Option<EntityId>, usize, usize)>,
    /// Markdown links (`[text](url)`, `<url>`): view range of their text.
    anchors: Vec<(usize, usize)>,
    names: Vec<(usize, usize)>,
}

impl Marked {
    fn of(af: &super::AFlow, b: usize, index: &EntityIndex) -> Marked {
        let block = &af.flow.blocks[b];
        let links = super::block_links(af, b)
            .into_iter()
            .map(|(link, s, e)| (link, af.links.get(&link).and_then(|l| l.entity), s, e))
            .collect();
        let urls = url_spans(&block.text);
        let names = index
            .find_names(&block.text, |s, e| {
                plain(block, &af.flow.items, &urls, s, e)
            })
            .into_iter()
            .map(|(s, e, _)| (s, e))
            .collect();
        Marked {
            links,
            anchors: anchors(&af.flow.items, block),
            names,
        }
    }
}

/// The view ranges of the text of the Markdown links of `block` (outermost
/// only: an image in a link may hold none).
fn anchors(items: &[Item], block: &Block) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut open = Vec::new();
    for it in block.items.clone() {
        match &items[it] {
            Item::Ev(Event::Start(Tag::Link { .. })) => open.push(it),
            Item::Ev(Event::End(TagEnd::Link)) => {
                if let Some(o) = open.pop() {
                    if open.is_empty() {
                        out.push((doc::view_pos(block, o), doc::view_pos(block, it)));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// `s..e` of `text` less the spaces at its ends.
fn trimmed(text: &str, mut s: usize, mut e: usize) -> (usize, usize) {
    while s < e && text.as_bytes()[s] == b' ' {
        s += 1;
    }
    while e > s && text.as_bytes()[e - 1] == b' ' {
        e -= 1;
    }
    (s, e)
}

/// Where byte `at` of `file` is, as `path:line:column`, for messages that
/// name a second place.
fn place_of(file: &Source, at: usize) -> String {
    let d = file.warning(at, "");
    format!("{}:{}:{}", d.path.display(), d.line, d.column)
}

/// Whether view bytes `s..e` of `block` are plain text a name may be found
/// in: searchable, and not inside an address written out (`urls`).
fn plain(block: &Block, items: &[Item], urls: &[(usize, usize)], s: usize, e: usize) -> bool {
    block.searchable(items, s, e) && !overlaps_any(urls, s, e)
}

/// A quote placed in a block of the body: its view range and, for one that
/// links an entity, the entity and the annotation (by index).
#[derive(Debug, Clone, Copy)]
struct Placed {
    s: usize,
    e: usize,
    entity: Option<(EntityId, usize)>,
}

/// What to do with the entity of an annotation whose quote is placed.
enum Link {
    /// A new mention.
    New,
    /// The quote repeats a link to the same entity over the same text,
    /// written in the text or by another annotation: one mention already.
    Same,
    /// The quote lies inside a Markdown link: a mention, not linked.
    InAnchor,
    /// It cannot link: an error, already reported.
    No,
}

/// Decides how annotation `ai`, linking `entity` at `s..e` of a block of
/// the body (whose view is `text`), stands with what is there already: the
/// block's entity links and Markdown links (`marked`), and the quotes placed
/// in it before (`placed`). An entity link cannot hold another, nor a link:
/// a quote that holds or lies inside an entity link or another annotation's
/// entity quote, or holds part of a Markdown link, is an error (at the
/// quote); one that repeats a link to the same entity over the same text
/// adds no mention; one inside a Markdown link is a mention shown unlinked,
/// with a warning.
#[allow(clippy::too_many_arguments)]
fn link_with(
    ai: usize,
    entity: EntityId,
    (s, e): (usize, usize),
    text: &str,
    marked: &Marked,
    placed: &[Placed],
    cx: &Cx,
    diags: &mut Vec<Diagnostic>,
) -> Link {
    let a = &cx.annotations[ai];
    let quote = a.spec.quote.get_ref();
    let id = cx.index.id(entity);
    let error = |message: String| a.file.error(a.quote_offset(), message);
    let this = format!("annotation #{}: quote {quote:?}", a.index);
    let q = trimmed(text, s, e);
    // Entity links written in the text (one partly overlapped is reported
    // already).
    if let Some(&(link, other, ls, le)) = marked.links.iter().find(|l| s < l.3 && l.2 < e) {
        let (ls, le) = trimmed(text, ls, le);
        if (ls, le) == q && other == Some(entity) {
            return Link::Same;
        }
        let shown = &text[ls..le];
        let at = cx.link_at.get(link).map(|&at| place_of(cx.file, at));
        let at = at.map(|p| format!(" at {p}")).unwrap_or_default();
        let to = other
            .map(|o| format!(", which links to `{}`", cx.index.id(o)))
            .unwrap_or_default();
        let message = if (ls, le) == q {
            format!(
                "{this} is the shown text of the entity link{at}{to}: one text cannot \
                 link to two entities (`{id}` here); leave out `entity`, or the link"
            )
        } else if q.0 <= ls && le <= q.1 {
            format!(
                "{this} holds the entity link shown as {shown:?}{at}{to}: an entity link \
                 cannot hold another; quote the text beside it, or all of its shown text"
            )
        } else {
            format!(
                "{this} lies inside the entity link shown as {shown:?}{at}{to}: an entity \
                 link cannot hold another; quote all of its shown text, or leave out `entity`"
            )
        };
        diags.push(error(message));
        return Link::No;
    }
    // Other annotations' entity quotes (one partly overlapped is reported
    // already).
    if let Some(p) = placed
        .iter()
        .find(|p| p.entity.is_some() && s < p.e && p.s < e)
    {
        let (other, oi) = p.entity.expect("an entity quote");
        if (p.s, p.e) == (s, e) && other == entity {
            return Link::Same;
        }
        let o = &cx.annotations[oi];
        let of = match std::sync::Arc::ptr_eq(&o.file, &a.file) {
            true => String::new(),
            false => format!(" in {}", o.file.path.display()),
        };
        let that = format!("annotation #{}{of}", o.index);
        let other = cx.index.id(other);
        let message = if (p.s, p.e) == (s, e) {
            format!(
                "{this} is also the quote of {that}, which links it to `{other}`: one text \
                 cannot link to two entities (`{id}` here)"
            )
        } else {
            let (how, whose) = match s <= p.s && p.e <= e {
                true => ("holds", &text[p.s..p.e]),
                false => ("lies inside", o.spec.quote.get_ref().as_str()),
            };
            format!(
                "{this} {how} the quote {whose:?} of {that}, which links it to `{other}`: \
                 an entity link cannot hold another"
            )
        };
        diags.push(error(message));
        return Link::No;
    }
    // Markdown links.
    if let Some(&(xs, xe)) = marked.anchors.iter().find(|x| s < x.1 && x.0 < e) {
        if xs <= s && e <= xe {
            diags.push(a.file.warning(
                a.quote_offset(),
                format!(
                    "{this} is inside a link, so it is counted as a mention of `{id}` but \
                     not linked (a link cannot hold another)"
                ),
            ));
            return Link::InAnchor;
        }
        let how = match s <= xs && xe <= e {
            true => "holds",
            false => "partly overlaps",
        };
        diags.push(error(format!(
            "{this} {how} the link shown as {:?}: an entity link cannot hold a link; \
             quote the text beside the link, or text within it",
            &text[xs..xe]
        )));
        return Link::No;
    }
    Link::New
}

/// What every annotation of a document is checked against.
struct Cx<'a> {
    file: &'a Source,
    index: &'a EntityIndex,
    annotations: &'a [crate::content::Annotation],
    /// Where each entity link of the document is written in `file`.
    link_at: &'a [usize],
}

pub(super) fn standoff_pass(
    d: &mut AnnotatedDoc,
    file: &Source,
    link_at: &[usize],
    index: &EntityIndex,
    settings: &Settings,
    diags: &mut Vec<Diagnostic>,
) {
    let cx = Cx {
        file,
        index,
        annotations: settings.annotations,
        link_at,
    };
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
    // The quotes placed in the body, by block, kept up to date: an
    // annotation is checked against those of its own block only (checking
    // every span of the body was quadratic in annotations).
    let mut placed_in: HashMap<usize, Vec<Placed>> = HashMap::new();
    for x in &d.flows[0].spans {
        placed_in.entry(x.block).or_default().push(Placed {
            s: x.start,
            e: x.end,
            entity: None,
        });
    }
    let crosses_in = |placed_in: &HashMap<usize, Vec<Placed>>, b, s, e| {
        placed_in
            .get(&b)
            .is_some_and(|v| v.iter().any(|p| partly(s, e, p.s, p.e)))
    };
    for (ai, (a, found)) in settings.annotations.iter().zip(found_all).enumerate() {
        let quote = a.spec.quote.get_ref();
        let (b, s, e) = match found {
            standoff::Found::One(hit) => hit,
            standoff::Found::Empty => {
                diags.push(a.file.error(
                    a.quote_offset(),
                    format!(
                        "annotation #{}: empty quote: write the text to annotate, as the \
                         article shows it",
                        a.index
                    ),
                ));
                continue;
            }
            standoff::Found::Across { context } => {
                let diag = a.file.error(
                    a.quote_offset(),
                    format!(
                        "annotation #{}: quote {:?} runs from one paragraph, list item or \
                         table cell of {} into the next: a quote must stay within one \
                         paragraph, list item or table cell",
                        a.index,
                        quote,
                        file.path.display()
                    ),
                );
                diags.push(diag.with_note(format!("found across: {context}")));
                continue;
            }
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
        if crosses_in(&placed_in, b, s, e) {
            diags.push(a.file.error(
                a.quote_offset(),
                format!(
                    "annotation #{}: quote {:?} partly overlaps another annotation",
                    a.index, quote
                ),
            ));
            continue;
        }
        let marked = seen
            .entry(b)
            .or_insert_with(|| Marked::of(&d.flows[0], b, index));
        if let Some(&(link, _, ls, le)) = marked.links.iter().find(|l| partly(s, e, l.2, l.3)) {
            let text = &d.flows[0].flow.blocks[b].text;
            let at = link_at.get(link).map(|&at| place_of(file, at));
            diags.push(a.file.error(
                a.quote_offset(),
                format!(
                    "annotation #{}: quote {:?} partly overlaps the entity link shown as {:?}{}; \
                     quote all of it, or none",
                    a.index,
                    quote,
                    &text[ls..le],
                    at.map(|p| format!(" at {p}")).unwrap_or_default()
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
                    let text = &d.flows[0].flow.blocks[b].text;
                    let placed = placed_in.get(&b).map_or(&[][..], Vec::as_slice);
                    match link_with(ai, entity, (s, e), text, marked, placed, &cx, diags) {
                        Link::New | Link::InAnchor => {
                            push_mention(d, 0, b, s, e, entity, Origin::Standoff);
                            placed_in.entry(b).or_default().push(Placed {
                                s,
                                e,
                                entity: Some((entity, ai)),
                            });
                        }
                        Link::Same | Link::No => {}
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
            if crate::content::blank(text) {
                diags.push(a.file.error(
                    at,
                    format!(
                        "annotation #{}: empty note: write the note's text, or leave out `note`",
                        a.index
                    ),
                ));
                continue;
            }
            let in_place = string_in_place(&a.file.text, at, text);
            let sub_settings = Settings {
                mentions: false,
                autolink: Autolink::None,
                no_autolink: settings.no_autolink,
                annotations: &[],
            };
            let mut note_diags = Vec::new();
            let sub = match in_place {
                Some(start) => annotate_range(
                    &a.file,
                    start..start + text.len(),
                    index,
                    &sub_settings,
                    &mut note_diags,
                ),
                None => annotate(
                    &std::sync::Arc::new(SourceFile::new(a.file.path.clone(), text.clone())),
                    0,
                    index,
                    &sub_settings,
                    &mut note_diags,
                ),
            };
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
                // file; a warning about a URL of it, or a name in a heading
                // of it, stands at the string.
                for url in &mut af.flow.urls {
                    url.1 = at;
                }
                for run in &mut af.flow.heading_src {
                    (run.src, run.literal) = (at, false);
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
            if a.spec.entity.is_none() && !crosses_in(&placed_in, b, s, e) {
                placed_in
                    .entry(b)
                    .or_default()
                    .push(Placed { s, e, entity: None });
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

/// Finds names in every flow; a name in a heading is only a warning, at
/// the name as written in its heading, unless an annotation links it.
pub(super) fn name_pass(
    d: &mut AnnotatedDoc,
    index: &EntityIndex,
    diags: &mut Vec<Diagnostic>,
    file: &Source,
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
                    heading_names(
                        af,
                        bi,
                        &spans_of[bi],
                        index,
                        af.file.as_ref().unwrap_or(file),
                        diags,
                    );
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

/// Warns of each name in heading `bi` of `af` written as plain heading
/// text (not in a link or code) that no annotation links (`spans`: the
/// heading's): it is not linked or counted. The warning stands at the name
/// as written in `file`.
fn heading_names(
    af: &super::AFlow,
    bi: usize,
    spans: &[Span],
    index: &EntityIndex,
    file: &Source,
    diags: &mut Vec<Diagnostic>,
) {
    let (block, items) = (&af.flow.blocks[bi], &af.flow.items);
    for (s, e, _) in index.find_names(&block.text, |_, _| true) {
        let written = block
            .items_of(s, e)
            .all(|it| matches!(&items[it], Item::Text { ctx, .. } if !ctx.in_anchor && !ctx.code));
        let linked = spans
            .iter()
            .any(|x| matches!(x.kind, SpanKind::Mention(_)) && x.start <= s && e <= x.end);
        if !written || linked {
            continue;
        }
        let name = &block.text[s..e];
        let message =
            format!("heading names {name:?}: names in headings are not linked or counted");
        let (item, raw) = block.at(s);
        diags.push(match af.flow.heading_src_of(item, raw) {
            Some(at) => file.warning(at, message),
            None => Diagnostic::file(crate::diagnostics::Severity::Warning, &file.path, message),
        });
    }
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
