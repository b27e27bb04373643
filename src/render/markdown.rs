//! Annotated Markdown → HTML. Takes an [`AnnotatedDoc`] and gives the body
//! HTML and the notes section, wrapping mentions and quotes exactly where the
//! annotate stage placed them. Wrapping is done piece by piece inside each
//! text item, so tags it adds always nest properly with Markdown's own.

use crate::annotate::doc::{self, Item};
use crate::annotate::{AnnotatedDoc, SpanKind};
use crate::escape;
use crate::render::highlight::Highlighter;
use crate::render::url;
use crate::render::words::Lang;
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::collections::HashSet;

/// What a link to an entity needs.
#[derive(Debug, Clone)]
pub struct EntityRef {
    pub id: String,
    pub href: String,
    pub kind: String,
    /// For the `title` attribute: "Kind — summary".
    pub title: String,
}

/// The HTML of a document: body and notes section (empty when no notes).
pub struct Html {
    pub body: String,
    pub notes: String,
}

/// The HTML of a document for an English site at a domain root: see
/// [`render_under`].
pub fn render(doc: &AnnotatedDoc, entities: &[EntityRef], hl: &Highlighter) -> Html {
    render_under(doc, entities, hl, "/", Lang::En)
}

/// The HTML of a document for a site published under `base_path` (`/` or
/// `/repo/`): root-relative link and image URLs written in its Markdown
/// get the base path in front ([`url::under_base`]). The notes' back links
/// are labelled in `lang`.
pub fn render_under(
    doc: &AnnotatedDoc,
    entities: &[EntityRef],
    hl: &Highlighter,
    base_path: &str,
    lang: Lang,
) -> Html {
    let cx = Cx {
        entities,
        hl,
        base_path,
    };
    let body = render_flow(doc, 0, &cx);
    let mut numbered: Vec<&crate::annotate::Note> =
        doc.notes.iter().filter(|n| n.number > 0).collect();
    numbered.sort_by_key(|n| n.number);
    let mut notes = String::new();
    if !numbered.is_empty() {
        notes.push_str("<section class=\"footnotes\">\n<ol>\n");
        for n in numbered {
            let mut inner = render_flow(doc, n.flow, &cx);
            let mut back = String::new();
            for (k, id) in n.back.iter().enumerate() {
                let label = if n.back.len() > 1 {
                    format!("↩{}", k + 1)
                } else {
                    "↩".to_string()
                };
                back.push_str(&format!(
                    " <a class=\"footnote-back\" href=\"#{id}\" aria-label=\"{}{}\">{label}</a>",
                    escape::html(&lang.back_to_reference(n.number as usize)),
                    if n.back.len() > 1 {
                        format!(" ({})", k + 1)
                    } else {
                        String::new()
                    }
                ));
            }
            // Back links go at the end of the last paragraph when there is one.
            let trimmed = inner.trim_end().len();
            if inner[..trimmed].ends_with("</p>") {
                inner.insert_str(trimmed - 4, &back);
            } else {
                inner.push_str(&back);
            }
            notes.push_str(&format!("<li id=\"fn-{}\">\n{}</li>\n", n.number, inner));
        }
        notes.push_str("</ol>\n</section>\n");
    }
    Html { body, notes }
}

/// What every flow of a document is rendered with.
struct Cx<'a> {
    entities: &'a [EntityRef],
    hl: &'a Highlighter,
    base_path: &'a str,
}

/// A link or image start with its URL as the site writes it
/// ([`url::under_base`]); any other event as it is.
fn under_base<'e>(e: &Event<'e>, base_path: &str) -> Event<'e> {
    let mut e = e.clone();
    if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = &mut e {
        if let std::borrow::Cow::Owned(u) = url::under_base(dest_url, base_path) {
            *dest_url = u.into();
        }
    }
    e
}

/// Renders one flow (0 = body, others = notes).
fn render_flow(doc: &AnnotatedDoc, fi: usize, cx: &Cx) -> String {
    let (entities, hl) = (cx.entities, cx.hl);
    let af = &doc.flows[fi];
    let items = &af.flow.items;
    let mut block_of = vec![usize::MAX; items.len()];
    for (bi, b) in af.flow.blocks.iter().enumerate() {
        for it in b.items.clone() {
            block_of[it] = bi;
        }
    }
    let mut events: Vec<Event> = Vec::with_capacity(items.len() + 16);
    let mut index = FlowIndex::new(af);
    let mut ids_done: HashSet<usize> = HashSet::new();
    // What each EntityStart opened, so EntityEnd closes the same.
    let mut entity_stack: Vec<&'static str> = Vec::new();
    // Markdown links open around the current item.
    let mut link_depth = 0u32;
    // Note references that fell inside a link, for after it.
    let mut deferred: Vec<usize> = Vec::new();
    // Images open around the current item: whether each was kept.
    let mut images: Vec<bool> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match item {
            Item::Text { text, ctx } => {
                let b = block_of[i];
                if b == usize::MAX {
                    push_plain(&mut events, text, ctx.code);
                } else {
                    text_item(
                        &mut events,
                        doc,
                        &mut index,
                        fi,
                        b,
                        i,
                        text,
                        ctx.code,
                        ctx.in_anchor,
                        entities,
                        &mut ids_done,
                        &mut deferred,
                    );
                }
            }
            Item::Ev(e) => {
                // Links whose URL is not kept stay, without it; images whose
                // source is not kept show their text instead.
                match e {
                    Event::Start(Tag::Link { dest_url, .. }) if !url::allowed(dest_url, false) => {
                        events.push(Event::InlineHtml("<a>".into()))
                    }
                    Event::Start(Tag::Link { .. }) => events.push(under_base(e, cx.base_path)),
                    Event::Start(Tag::Image { dest_url, .. }) => {
                        let keep = url::allowed(dest_url, true);
                        images.push(keep);
                        if keep {
                            events.push(under_base(e, cx.base_path));
                        }
                    }
                    Event::End(TagEnd::Image) => {
                        if images.pop().unwrap_or(true) {
                            events.push(e.clone());
                        }
                    }
                    _ => events.push(e.clone()),
                }
                match e {
                    Event::Start(Tag::Link { .. }) => link_depth += 1,
                    Event::End(TagEnd::Link) => {
                        link_depth -= 1;
                        if link_depth == 0 && !entity_stack.contains(&"</a>") {
                            for r in deferred.drain(..) {
                                push_note_ref(&mut events, doc, r);
                            }
                        }
                    }
                    _ => {}
                }
            }
            Item::CodeBlock { lang, code } => {
                events.push(Event::Html(CowStr::from(hl.block(lang, code))))
            }
            Item::EntityStart { link, in_anchor } => {
                let target = af.links.get(link).copied();
                let Some(entity) = target.and_then(|t| t.entity) else {
                    entity_stack.push("");
                    continue;
                };
                let e = &entities[entity as usize];
                let id = target
                    .and_then(|t| t.mention)
                    .map(|m| &doc.mentions[m])
                    .filter(|m| m.n > 0)
                    .map(|m| format!(" id=\"m-{}-{}\"", e.id, m.n))
                    .unwrap_or_default();
                if *in_anchor {
                    events.push(Event::InlineHtml(
                        format!("<span class=\"mention\"{id}>").into(),
                    ));
                    entity_stack.push("</span>");
                } else {
                    events.push(Event::InlineHtml(open_link(e, &id).into()));
                    entity_stack.push("</a>");
                }
            }
            Item::EntityEnd { .. } => {
                let close = entity_stack.pop().unwrap_or("");
                if !close.is_empty() {
                    events.push(Event::InlineHtml(close.into()));
                }
                if link_depth == 0 && !entity_stack.contains(&"</a>") {
                    for r in deferred.drain(..) {
                        push_note_ref(&mut events, doc, r);
                    }
                }
            }
            Item::NoteRef { note_ref } => {
                if let Some(r) = af.doc_ref(*note_ref).and_then(|r| doc.refs.get(r)) {
                    if let Some(html) = note_ref_html(doc, r) {
                        events.push(Event::InlineHtml(html.into()));
                    }
                }
            }
        }
    }
    for r in deferred {
        push_note_ref(&mut events, doc, r);
    }
    // The body stands under the page's <h1>, notes under their <h2>.
    outline(&mut events, if fi == 0 { 2 } else { 3 });
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, events.into_iter());
    out
}

/// Moves the headings of a flow to the levels a page's outline allows:
/// the flow's highest becomes `top`, the others keep their distance from
/// it but never go more than one level below the heading before them, nor
/// below `<h6>`. Articles come from anywhere, and one whose first
/// subheading is `###` under the page's `<h1>` (or that has a `#` of its
/// own) made an outline with a gap, which HTML checkers report as an
/// error.
fn outline(events: &mut [Event], top: u8) {
    use pulldown_cmark::HeadingLevel;
    let level = |l: HeadingLevel| l as u8;
    let Some(highest) = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level: l, .. }) => Some(level(*l)),
            _ => None,
        })
        .min()
    else {
        return;
    };
    let mut prev = top - 1;
    let mut open = HeadingLevel::H6;
    for e in events.iter_mut() {
        match e {
            Event::Start(Tag::Heading { level: l, .. }) => {
                let wanted = i16::from(level(*l)) - i16::from(highest) + i16::from(top);
                let n = wanted.clamp(i16::from(top), i16::from(prev) + 1).min(6) as u8;
                prev = n;
                open = HeadingLevel::try_from(usize::from(n)).unwrap_or(HeadingLevel::H6);
                *l = open;
            }
            Event::End(TagEnd::Heading(l)) => *l = open,
            _ => {}
        }
    }
}

fn push_note_ref(events: &mut Vec<Event>, doc: &AnnotatedDoc, r: usize) {
    if let Some(html) = note_ref_html(doc, &doc.refs[r]) {
        events.push(Event::InlineHtml(html.into()));
    }
}

fn open_link(e: &EntityRef, id: &str) -> String {
    format!(
        "<a class=\"entity entity-{}\"{id} href=\"{}\" title=\"{}\">",
        escape::html(&e.kind),
        escape::html(&e.href),
        escape::html(&e.title)
    )
}

fn note_ref_html(doc: &AnnotatedDoc, r: &crate::annotate::NoteRef) -> Option<String> {
    let note = &doc.notes[r.note?];
    if note.number == 0 || r.id.is_empty() {
        return None;
    }
    let n = note.number;
    Some(format!(
        "<sup class=\"footnote-ref\" id=\"{}\"><a href=\"#fn-{n}\">{n}</a></sup>",
        r.id
    ))
}

fn push_plain<'a>(events: &mut Vec<Event<'a>>, text: &str, code: bool) {
    if code {
        events.push(Event::Code(CowStr::from(text.to_string())));
    } else {
        events.push(Event::Text(CowStr::from(text.to_string())));
    }
}

/// The next char boundary of `s` strictly after `i`.
fn after_char(s: &str, i: usize) -> usize {
    let mut x = (i + 1).min(s.len());
    while !s.is_char_boundary(x) {
        x += 1;
    }
    x
}

/// One text item, cut into pieces at the edges of the spans and markers that
/// touch it, each piece wrapped in the spans that cover it.
#[allow(clippy::too_many_arguments)]
fn text_item(
    events: &mut Vec<Event>,
    doc: &AnnotatedDoc,
    index: &mut FlowIndex,
    fi: usize,
    bi: usize,
    it: usize,
    text: &str,
    code: bool,
    in_anchor: bool,
    entities: &[EntityRef],
    ids_done: &mut HashSet<usize>,
    deferred: &mut Vec<usize>,
) {
    let af = &doc.flows[fi];
    let block = &af.flow.blocks[bi];
    let range = doc::item_view_range(block, it);
    // View position → byte offset in this item's text.
    let raw_start = |p: usize| -> usize {
        if p < range.start {
            0
        } else if p >= range.end {
            text.len()
        } else {
            block.at(p).1
        }
    };
    let raw_end = |p: usize| -> usize {
        if p <= range.start {
            0
        } else if p > range.end {
            text.len()
        } else {
            after_char(text, block.at(p - 1).1)
        }
    };
    // Spans touching this item: (span index, raw start, raw end).
    let mut spans: Vec<(usize, usize, usize)> = Vec::new();
    for &si in index.spans_touching(&af.spans, bi, &range) {
        let s = &af.spans[si];
        if let SpanKind::Mention(m) = s.kind {
            if doc.mentions[m].n == 0 {
                continue;
            }
        }
        let (a, b) = (raw_start(s.start), raw_end(s.end));
        if a < b {
            spans.push((si, a, b));
        }
    }
    // Markers whose quote ends inside this item: (raw position, note ref).
    let markers: Vec<(usize, usize)> = index
        .markers_in(&af.markers, bi, &range)
        .into_iter()
        .map(|mi| (raw_end(af.markers[mi].pos), af.markers[mi].note_ref))
        .collect();
    if spans.is_empty() && markers.is_empty() {
        push_plain(events, text, code);
        return;
    }
    let mut cuts: Vec<usize> = vec![0, text.len()];
    for &(_, a, b) in &spans {
        cuts.push(a);
        cuts.push(b);
    }
    cuts.extend(markers.iter().map(|&(p, _)| p));
    cuts.sort_unstable();
    cuts.dedup();
    // Outer spans first: earlier start in the view, then later end.
    spans.sort_by(|x, y| {
        let (sx, sy) = (&af.spans[x.0], &af.spans[y.0]);
        sx.start
            .cmp(&sy.start)
            .then(sy.end.cmp(&sx.end))
            .then(x.0.cmp(&y.0))
    });
    if code {
        events.push(Event::InlineHtml("<code>".into()));
    }
    // Note references waiting for the `<a>` around them to close.
    let mut waiting: Vec<usize> = Vec::new();
    // Open spans: (span index, raw end, closing tag, opened an <a>).
    let mut open: Vec<(usize, usize, &'static str, bool)> = Vec::new();
    // Spans and markers are walked in step with the pieces, in order: an
    // item may hold thousands of them (a long paragraph of names).
    let mut by_pos: Vec<&(usize, usize)> = markers.iter().collect();
    by_pos.sort_by_key(|m| m.0);
    let (mut next_span, mut next_marker) = (0, 0);
    // Spans covering the current piece, outer first.
    let mut active: Vec<&(usize, usize, usize)> = Vec::new();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        if a == b {
            continue;
        }
        // Every span edge is a cut: a span that starts by `a` and has not
        // ended by `a` covers the whole piece.
        active.retain(|s| s.2 > a);
        while let Some(s) = spans.get(next_span).filter(|s| s.1 <= a) {
            if s.2 > a {
                active.push(s);
            }
            next_span += 1;
        }
        while let Some(top) = open.last() {
            if active.iter().any(|s| s.0 == top.0) {
                break;
            }
            events.push(Event::InlineHtml(top.2.into()));
            open.pop();
        }
        for &s in &active {
            if open.iter().any(|o| o.0 == s.0) {
                continue;
            }
            let anchored = in_anchor || open.iter().any(|o| o.3);
            let (tag, close, is_a) = open_span(doc, fi, s.0, anchored, entities, ids_done);
            events.push(Event::InlineHtml(tag.into()));
            open.push((s.0, s.2, close, is_a));
        }
        let piece = &text[a..b];
        events.push(Event::Text(piece.to_string().into()));
        while let Some(top) = open.last() {
            if top.1 != b {
                break;
            }
            events.push(Event::InlineHtml(top.2.into()));
            open.pop();
        }
        // A note reference is a link: never put it inside another one.
        while let Some(m) = by_pos.get(next_marker).filter(|m| m.0 <= b) {
            if m.0 == b {
                waiting.push(m.1);
            }
            next_marker += 1;
        }
        if !in_anchor && !open.iter().any(|o| o.3) {
            for r in waiting.drain(..) {
                push_note_ref(events, doc, r);
            }
        }
    }
    while let Some(top) = open.pop() {
        events.push(Event::InlineHtml(top.2.into()));
    }
    if in_anchor {
        deferred.append(&mut waiting);
    } else {
        for r in waiting {
            push_note_ref(events, doc, r);
        }
    }
    if code {
        events.push(Event::InlineHtml("</code>".into()));
    }
}

/// The spans and markers of a flow in order of block and position, so that
/// each text item, rendered in order, finds those touching it without a scan
/// of all of them: a long paragraph can hold thousands of mentions.
struct FlowIndex {
    /// Span indices by (block, start).
    spans: Vec<usize>,
    next: usize,
    /// Spans met so far that may still touch the next item.
    active: Vec<usize>,
    last: (usize, usize),
    /// Marker indices by (block, position), then index.
    markers: Vec<usize>,
}

impl FlowIndex {
    fn new(af: &crate::annotate::AFlow) -> FlowIndex {
        let mut spans: Vec<usize> = (0..af.spans.len()).collect();
        spans.sort_by_key(|&i| (af.spans[i].block, af.spans[i].start));
        let mut markers: Vec<usize> = (0..af.markers.len()).collect();
        markers.sort_by_key(|&i| (af.markers[i].block, af.markers[i].pos));
        FlowIndex {
            spans,
            next: 0,
            active: Vec::new(),
            last: (0, 0),
            markers,
        }
    }

    /// The spans of block `bi` that overlap `range` of its view, for items
    /// asked about in order (asked out of order, it starts over).
    fn spans_touching(
        &mut self,
        spans: &[crate::annotate::Span],
        bi: usize,
        range: &std::ops::Range<usize>,
    ) -> &[usize] {
        if (bi, range.start) < self.last {
            self.next = 0;
            self.active.clear();
        }
        self.last = (bi, range.start);
        self.active
            .retain(|&i| spans[i].block == bi && spans[i].end > range.start);
        while let Some(&i) = self.spans.get(self.next) {
            let s = &spans[i];
            if (s.block, s.start) >= (bi, range.end) {
                break;
            }
            if s.block == bi && s.end > range.start {
                self.active.push(i);
            }
            self.next += 1;
        }
        &self.active
    }

    /// The markers of block `bi` placed after `range.start` and by
    /// `range.end`, in the order of the flow.
    fn markers_in(
        &self,
        markers: &[crate::annotate::Marker],
        bi: usize,
        range: &std::ops::Range<usize>,
    ) -> Vec<usize> {
        let key = |i: usize| (markers[i].block, markers[i].pos);
        let from = self
            .markers
            .partition_point(|&i| key(i) <= (bi, range.start));
        let mut found: Vec<usize> = self.markers[from..]
            .iter()
            .copied()
            .take_while(|&i| key(i) <= (bi, range.end))
            .collect();
        found.sort_unstable();
        found
    }
}

/// The opening tag for span `si`, its closing tag, and whether it is an `<a>`.
fn open_span(
    doc: &AnnotatedDoc,
    fi: usize,
    si: usize,
    anchored: bool,
    entities: &[EntityRef],
    ids_done: &mut HashSet<usize>,
) -> (String, &'static str, bool) {
    let span = &doc.flows[fi].spans[si];
    match span.kind {
        SpanKind::Annotated => ("<span class=\"annotated\">".to_string(), "</span>", false),
        SpanKind::Mention(m) => {
            let mention = &doc.mentions[m];
            let e = &entities[mention.entity as usize];
            let id = if ids_done.insert(m) {
                format!(" id=\"m-{}-{}\"", e.id, mention.n)
            } else {
                String::new()
            };
            if mention.linked && !anchored {
                (open_link(e, &id), "</a>", true)
            } else {
                (format!("<span class=\"mention\"{id}>"), "</span>", false)
            }
        }
    }
}
