//! The document model the annotation passes work on.
//!
//! Markdown is parsed once with pulldown-cmark; its events become [`Item`]s
//! (entity links already cut out of the text), grouped into [`Block`]s — a
//! paragraph, list item, table cell or heading — each with a *reader view*:
//! the text as a reader sees it, inline markup dropped and white space
//! folded, with a map from every byte of that view back to the item it came
//! from. Quotes, names and snippets are all found in the view; the renderer
//! uses the map to wrap exactly those bytes in the item stream.

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};
use std::collections::HashMap;
use std::ops::Range;

/// Where a piece of text sits, for deciding what may happen to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TextCtx {
    /// Plain text a name may be found in (not in a link, heading, image, code).
    pub searchable: bool,
    /// Inside an `<a>` already: anything wrapped here must not be a link.
    pub in_anchor: bool,
    /// Inline code: rendered inside `<code>`.
    pub code: bool,
    /// Inside a heading.
    pub heading: bool,
}

#[derive(Debug, Clone)]
pub enum Item {
    Text {
        text: String,
        ctx: TextCtx,
    },
    /// Any other event, passed to the HTML writer as it is.
    Ev(Event<'static>),
    CodeBlock {
        lang: String,
        code: String,
    },
    /// An explicit entity link `[[...]]`; the shown text follows as `Text`.
    EntityStart {
        link: usize,
        in_anchor: bool,
    },
    EntityEnd {
        in_anchor: bool,
    },
    /// A footnote reference `[^label]`.
    NoteRef {
        note_ref: usize,
    },
}

/// A block and its reader view.
#[derive(Debug, Clone, Default)]
pub struct Block {
    pub items: Range<usize>,
    /// The text a reader sees, white space folded to single spaces.
    pub text: String,
    /// Where the bytes of `text` come from, as runs that map one to one onto
    /// an item's text (a new run starts where folding breaks that). Items are
    /// non-decreasing; a space standing for a hard line break maps to the
    /// break's own item.
    pub segs: Vec<Seg>,
    pub heading: bool,
}

/// View bytes from `view` up to the next run's start are the bytes of item
/// `item` from offset `raw` on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seg {
    pub view: u32,
    pub item: u32,
    pub raw: u32,
}

impl Block {
    /// The item and the byte offset in its text of view byte `p`.
    pub fn at(&self, p: usize) -> (usize, usize) {
        let i = self
            .segs
            .partition_point(|s| s.view as usize <= p)
            .saturating_sub(1);
        let s = self.segs[i];
        (s.item as usize, s.raw as usize + (p - s.view as usize))
    }

    /// The items that view bytes `s..e` come from.
    pub fn items_of(&self, s: usize, e: usize) -> impl Iterator<Item = usize> + '_ {
        let first = self
            .segs
            .partition_point(|x| x.view as usize <= s)
            .saturating_sub(1);
        self.segs[first..]
            .iter()
            .take_while(move |x| (x.view as usize) < e)
            .map(|x| x.item as usize)
    }

    /// Whether every byte of `text[s..e]` comes from searchable text.
    pub fn searchable(&self, items: &[Item], s: usize, e: usize) -> bool {
        self.items_of(s, e).all(|it| match &items[it] {
            Item::Text { ctx, .. } => ctx.searchable,
            _ => true,
        })
    }

    /// Appends `bytes` of view text coming from item `item` at offset `raw`.
    fn push(&mut self, bytes: &str, item: usize, raw: usize) {
        let view = self.text.len();
        let continues = self.segs.last().is_some_and(|l| {
            l.item as usize == item && l.raw as usize + (view - l.view as usize) == raw
        });
        if !continues {
            self.segs.push(Seg {
                view: view as u32,
                item: item as u32,
                raw: raw as u32,
            });
        }
        self.text.push_str(bytes);
    }
}

/// An explicit entity link found in the text.
#[derive(Debug, Clone)]
pub struct LinkRef {
    pub target: String,
    /// Byte offset of `[[` in the source file.
    pub offset: usize,
}

/// A parsed piece of Markdown: the body of an article, one note, a page.
#[derive(Debug, Clone, Default)]
pub struct Flow {
    pub items: Vec<Item>,
    pub blocks: Vec<Block>,
    /// Where the URL of each Markdown link and image is written: the index
    /// of its `Start` item and a byte offset in the file, in the order of
    /// the items. For a reference link (`[x][ref]`) it is the URL of its
    /// definition; should the source not read as expected, the link itself.
    pub urls: Vec<(usize, usize)>,
    /// Where the text of each text item of a heading is written, for
    /// messages about names in headings: runs sorted by item and offset.
    pub heading_src: Vec<SrcRun>,
}

/// From byte `at` of the text of item `item` on, the text is written at
/// byte `src` of the file: byte for byte if `literal`, else (an entity, an
/// escape) all of it stands at `src`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SrcRun {
    pub item: usize,
    pub at: usize,
    pub src: usize,
    pub literal: bool,
}

impl Flow {
    /// Where byte `raw` of the text of heading item `item` is written in
    /// the file, if known.
    pub fn heading_src_of(&self, item: usize, raw: usize) -> Option<usize> {
        let i = self
            .heading_src
            .partition_point(|r| (r.item, r.at) <= (item, raw));
        let r = self.heading_src.get(i.checked_sub(1)?)?;
        (r.item == item).then(|| match r.literal {
            true => r.src + (raw - r.at),
            false => r.src,
        })
    }
}

/// What parsing a Markdown text gives.
#[derive(Debug, Default)]
pub struct Parsed {
    pub body: Flow,
    /// Footnote definitions in source order: (label, offset in file, flow).
    pub footnotes: Vec<(String, usize, Flow)>,
    pub links: Vec<LinkRef>,
    /// Footnote references: (label, offset in file).
    pub note_refs: Vec<(String, usize)>,
    /// `[^label]` left as text: references to notes that are not defined
    /// (the parser only makes references of defined labels).
    pub undefined_refs: Vec<(String, usize)>,
    /// Entity links that cannot be links (empty, holding a link...): offset
    /// in file, message.
    pub errors: Vec<(usize, String)>,
    /// Text that is likely a broken entity link but reads as text (a `[[`
    /// never closed): offset in file, message.
    pub warnings: Vec<(usize, String)>,
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// Parses `src`, which starts at byte `base` of its file.
pub fn parse(src: &str, base: usize) -> Parsed {
    let mut p = Builder {
        parsed: Parsed::default(),
        src,
        base,
        ..Default::default()
    };
    let mut in_footnote: Option<(String, usize, Flow)> = None;
    let mut code: Option<(String, String)> = None;
    let mut events = Parser::new_ext(src, options()).into_offset_iter();
    while let Some((ev, range)) = events.next() {
        // A reference link's URL is in its definition, found by its label.
        if let Event::Start(Tag::Link { link_type, id, .. } | Tag::Image { link_type, id, .. }) =
            &ev
        {
            let reference = matches!(
                link_type,
                LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut
            );
            if let Some(def) = events.reference_definitions().get(id).filter(|_| reference) {
                if let Some(at) = definition_url_at(src, def.span.clone()) {
                    p.defs.insert(range.start, at);
                }
            }
        }
        if let Some((_, text)) = &mut code {
            match ev {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, code) = code.take().unwrap_or_default();
                    p.push(Item::CodeBlock { lang, code });
                }
                _ => {}
            }
            continue;
        }
        // The inline events of a block are gathered until the block ends,
        // so that an entity link can be found across a line break or the
        // markup inside it (see `flush`).
        if is_inline(&ev) {
            p.run.push((ev, range));
            continue;
        }
        p.flush();
        match ev {
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let body = std::mem::take(&mut p.flow);
                in_footnote = Some((label.to_string(), base + range.start, body));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some((label, at, body)) = in_footnote.take() {
                    let note = std::mem::replace(&mut p.flow, body);
                    p.parsed.footnotes.push((label, at, note));
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            // An HTML block becomes a paragraph of its text.
            Event::Start(Tag::HtmlBlock) => p.push(Item::Ev(Event::Start(Tag::Paragraph))),
            Event::End(TagEnd::HtmlBlock) => p.push(Item::Ev(Event::End(TagEnd::Paragraph))),
            other => p.event(other, range.start, false),
        }
    }
    p.flush();
    if let Some((label, at, body)) = in_footnote.take() {
        let note = std::mem::replace(&mut p.flow, body);
        p.parsed.footnotes.push((label, at, note));
    }
    p.parsed.body = std::mem::take(&mut p.flow);
    build_views(&mut p.parsed.body);
    for (_, _, f) in &mut p.parsed.footnotes {
        build_views(f);
    }
    p.parsed
}

/// Events that stay inside a block: gathered into a run (see `flush`).
fn is_inline(ev: &Event) -> bool {
    match ev {
        Event::Text(_)
        | Event::Html(_)
        | Event::InlineHtml(_)
        | Event::SoftBreak
        | Event::HardBreak
        | Event::Code(_)
        | Event::FootnoteReference(_) => true,
        Event::Start(t) => matches!(
            t,
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. }
                | Tag::Image { .. }
        ),
        Event::End(t) => matches!(
            t,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link
                | TagEnd::Image
        ),
        _ => false,
    }
}

/// The text of an event that is text to the reader. A soft break is part of
/// the text around it, so that a name, a quote or an entity link broken
/// across lines is one piece of text. Raw HTML in the Markdown is text like
/// any other, never passed through: archived articles come from anywhere,
/// and a script pasted with one must not run in the site.
fn text_of<'a>(ev: &'a Event) -> Option<&'a str> {
    match ev {
        Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => Some(t),
        Event::SoftBreak => Some("\n"),
        _ => None,
    }
}

/// What an inline event that is not text is, for the rules on what an
/// entity link may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    /// The start or end of emphasis, strong, strikethrough...
    Open,
    Close,
    Code,
    Break,
    Link,
    Image,
    NoteRef,
}

impl Mark {
    fn of(ev: &Event) -> Mark {
        match ev {
            Event::Start(Tag::Link { .. }) | Event::End(TagEnd::Link) => Mark::Link,
            Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => Mark::Image,
            Event::Start(_) => Mark::Open,
            Event::End(_) => Mark::Close,
            Event::Code(_) => Mark::Code,
            Event::HardBreak => Mark::Break,
            _ => Mark::NoteRef,
        }
    }

    fn what(self) -> &'static str {
        match self {
            Mark::Link => "a link",
            Mark::Image => "an image",
            Mark::NoteRef => "a footnote reference",
            Mark::Open | Mark::Close | Mark::Code | Mark::Break => "formatting",
        }
    }
}

/// Stands for an event that is not text in the text a run's links are
/// looked for in: one byte, never a bracket or a bar.
const PLACEHOLDER: char = '\u{1}';

/// An entity link found in a run's text: `[[` at `ls`, the shown text at
/// `ss..se`, `]]` ending at `le`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Found {
    ls: usize,
    ss: usize,
    se: usize,
    le: usize,
    target: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Scan {
    Link(Found),
    /// Something written as an entity link that cannot be one: where its
    /// `[[` is, and why.
    Error(usize, String),
    /// A `[[` never closed by `]]` (`[[x`, `[[x]`): text, but an error in a
    /// table cell and a warning elsewhere (not in raw HTML).
    Unclosed(usize),
}

/// The entity links in `v`, the text of a run with each event that is not
/// text as one [`PLACEHOLDER`] byte at the positions of `marks`. A bracket
/// at `q` opens or closes a link only if `syntax(q)` (it was written as a
/// bracket, not escaped, not in an image description). The shown text may
/// hold brackets that pair up (`[[rubio|Rubio [R-FL]]]`); a bracket in the
/// target is an error, and so is one that does not pair up inside a link
/// written `[[...]]` (`[[a] b]]`, `[[x|y]z]]`, `[[x|a [b]]`) unless in raw
/// HTML (`html(q)`), which is left as it is. Brackets that pair up otherwise
/// are text (`[[1], [2]]`).
fn scan(
    v: &str,
    syntax: impl Fn(usize) -> bool,
    html: impl Fn(usize) -> bool,
    marks: &[(usize, Mark)],
) -> Vec<Scan> {
    let marks_in = |a: usize, b: usize| {
        let k = marks.partition_point(|m| m.0 < a);
        marks[k..].iter().take_while(move |m| m.0 < b)
    };
    let mut out = Vec::new();
    let mut from = 0;
    let mut pairs = None;
    let b = v.as_bytes();
    let twice = |c: u8| move |k: usize| b[k] == c && b.get(k + 1) == Some(&c);
    let (close2, open2) = (twice(b']'), twice(b'['));
    // The next `]]` and `[[` written as syntax, and the next `]` escaped.
    let (mut next_close, mut next_open, mut next_escaped) =
        (Cursor::new(v), Cursor::new(v), Cursor::new(v));
    while let Some(i) = v[from..].find("[[") {
        let s = from + i;
        if !(syntax(s) && syntax(s + 1)) {
            from = s + 1;
            continue;
        }
        // `[[` closes where its two brackets close, side by side: `]]`.
        let pairs = pairs.get_or_insert_with(|| bracket_pairs(v, &syntax));
        let (outer, inner) = (closing(pairs, s), closing(pairs, s + 1));
        let j = match (outer, inner) {
            (Some(outer), Some(inner)) if outer == inner + 1 => inner,
            _ => {
                from = s + 1;
                // In `[[[x]]`, the `[[` that follows decides.
                if b.get(s + 2) == Some(&b'[') && syntax(s + 2) {
                    continue;
                }
                // What the writer meant to close it with: the first `]]`
                // after it, unless a `[[` comes first.
                let close = next_close.next(s + 2, |k| close2(k) && syntax(k) && syntax(k + 1));
                let open = next_open.next(s + 2, |k| open2(k) && syntax(k) && syntax(k + 1));
                match close.filter(|&e| open.is_none_or(|o| e < o)) {
                    // Brackets that pair up otherwise are text: `[[1], [2]]`.
                    Some(e) if outer == Some(e + 1) || html(s) => {}
                    // Brackets inside that do not pair up: `[[a] b]]`,
                    // `[[x|y]z]]`, `[[x|a [b]]`.
                    Some(e) => {
                        out.push(Scan::Error(s, unpaired(v, s, e, &syntax)));
                        from = e + 2;
                    }
                    None => {
                        // In `[[x\]]` the escape says the brackets are text.
                        let end = open.unwrap_or(v.len());
                        let escaped = next_escaped.next(s + 2, |k| b[k] == b']' && !syntax(k));
                        if escaped.is_none_or(|k| k >= end) {
                            out.push(Scan::Unclosed(s));
                        }
                    }
                }
                continue;
            }
        };
        from = j + 2;
        let inner = &v[s + 2..j];
        let le = j + 2;
        let bar = inner.find('|').map(|k| s + 2 + k);
        let (te, ss) = match bar {
            Some(b) => (b, b + 1),
            None => (j, s + 2),
        };
        if (s + 2..te).any(|k| matches!(v.as_bytes()[k], b'[' | b']') && syntax(k)) {
            out.push(Scan::Error(
                s,
                "the target of an entity link cannot hold `[` or `]` (entity links \
                 do not nest); write `\\[` and `\\]` for brackets that are text"
                    .to_string(),
            ));
            continue;
        }
        if let Some(m) = marks_in(s + 2, te).find(|m| m.1 != Mark::Break) {
            let msg = format!(
                "the target of an entity link cannot hold {}; \
                 write `[[target|shown text]]` to format the text shown",
                m.1.what()
            );
            out.push(Scan::Error(s, msg));
            continue;
        }
        // The target, a line break read as a space.
        let mut target = String::new();
        let mut at = s + 2;
        for &(p, _) in marks_in(s + 2, te) {
            target.push_str(&v[at..p]);
            target.push(' ');
            at = p + 1;
        }
        target.push_str(&v[at..te]);
        let target = target.replace('\n', " ").trim().to_string();
        let shown_empty = v[ss..j].trim().is_empty() && marks_in(ss, j).next().is_none();
        if target.is_empty() {
            let msg = if shown_empty {
                "empty entity link: write `[[id]]` or `[[id|shown text]]`"
            } else {
                "entity link without a target: write the entity's id, name or alias before `|`"
            };
            out.push(Scan::Error(s, msg.to_string()));
            continue;
        }
        if shown_empty {
            out.push(Scan::Error(
                s,
                format!(
                    "entity link `[[{target}|]]` has no text after `|`; \
                     write `[[{target}]]` to show the target as written"
                ),
            ));
            continue;
        }
        // The shown text may hold formatting that opens and closes in it.
        let mut depth = 0i32;
        let mut bad = None;
        for &(_, m) in marks_in(ss, j) {
            match m {
                Mark::Open => depth += 1,
                Mark::Close => depth -= 1,
                Mark::Code | Mark::Break => {}
                other => {
                    bad = Some(format!("an entity link cannot hold {}", other.what()));
                    break;
                }
            }
            if depth < 0 {
                break;
            }
        }
        if bad.is_none() && depth != 0 {
            bad = Some(
                "an entity link cannot start or end inside formatting; \
                 put the formatting wholly inside or outside `[[...]]`"
                    .to_string(),
            );
        }
        match bad {
            Some(msg) => out.push(Scan::Error(s, msg)),
            None => out.push(Scan::Link(Found {
                ls: s,
                ss,
                se: j,
                le,
                target,
            })),
        }
    }
    out
}

/// The first position at or after `from` where `hit` holds, for `from`s
/// that never decrease from one call to the next: one pass over the text
/// in all, however many `[[` ask.
struct Cursor {
    at: usize,
    end: usize,
}

impl Cursor {
    fn new(v: &str) -> Cursor {
        Cursor {
            at: 0,
            end: v.len(),
        }
    }

    fn next(&mut self, from: usize, hit: impl Fn(usize) -> bool) -> Option<usize> {
        self.at = self.at.max(from);
        while self.at < self.end && !hit(self.at) {
            self.at += 1;
        }
        (self.at < self.end).then_some(self.at)
    }
}

/// What is wrong with the entity link written from `[[` at `s` to `]]` at
/// `end`, whose brackets inside do not pair up: the first `]` that closes
/// nothing, or else the first `[` never closed, in its target or shown text.
fn unpaired(v: &str, s: usize, end: usize, syntax: &impl Fn(usize) -> bool) -> String {
    let inner = &v[s + 2..end];
    let brackets = inner
        .bytes()
        .enumerate()
        .filter(|&(k, c)| matches!(c, b'[' | b']') && syntax(s + 2 + k));
    let mut open = Vec::new();
    let mut stray = None;
    for (k, c) in brackets {
        match c {
            b'[' => open.push(k),
            _ if open.pop().is_none() => {
                stray = Some((k, ']'));
                break;
            }
            _ => {}
        }
    }
    let (at, bracket) = stray
        .or(open.first().map(|&k| (k, '[')))
        .unwrap_or((0, ']'));
    let (what, escaped) = match bracket {
        '[' => ("is never closed by a `]`", "\\["),
        _ => ("closes no `[`", "\\]"),
    };
    if inner.find('|').is_some_and(|bar| bar < at) {
        format!(
            "a `{bracket}` in the shown text of this entity link {what}: brackets in \
             shown text must pair up (`[[id|Sen. Rubio [R-FL]]]`); write `{escaped}` \
             for a bracket that is text"
        )
    } else {
        format!(
            "a `{bracket}` in this entity link {what}: a target cannot hold brackets, \
             and brackets in shown text must pair up (`[[id|Sen. Rubio [R-FL]]]`); \
             write `{escaped}` for a bracket that is text"
        )
    }
}

/// The brackets of a run written as syntax (`syntax(q)`; escaped ones are
/// text), paired as they nest: (opening, closing) by opening position.
fn bracket_pairs(v: &str, syntax: &impl Fn(usize) -> bool) -> Vec<(usize, usize)> {
    let (mut open, mut pairs) = (Vec::new(), Vec::new());
    for (k, &c) in v.as_bytes().iter().enumerate() {
        match c {
            b'[' if syntax(k) => open.push(k),
            b']' if syntax(k) => {
                if let Some(o) = open.pop() {
                    pairs.push((o, k));
                }
            }
            _ => {}
        }
    }
    pairs.sort_unstable();
    pairs
}

/// Where the bracket opening at `o` closes, if it does.
fn closing(pairs: &[(usize, usize)], o: usize) -> Option<usize> {
    let i = pairs.partition_point(|p| p.0 < o);
    pairs.get(i).filter(|p| p.0 == o).map(|p| p.1)
}

/// Where the URL of each link and image of `run` is written in `src`, by
/// index in the run: inside the `(...)` of an inline one, the `<...>` of an
/// autolink, at the definition of a reference one (`defs`: by the link's
/// offset). Found in the source as written, so that a URL written with
/// escapes or entities (`/a\_b/`, `&amp;`) or in `<...>` is found, and each
/// link is found at its own place. Where the source does not read as
/// expected, the link itself.
fn url_positions(
    src: &str,
    run: &[(Event, Range<usize>)],
    defs: &HashMap<usize, usize>,
) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (i, (ev, range)) in run.iter().enumerate() {
        let (link_type, opener) = match ev {
            Event::Start(Tag::Link { link_type, .. }) => (link_type, 1),
            Event::Start(Tag::Image { link_type, .. }) => (link_type, 2),
            _ => continue,
        };
        let at = match link_type {
            LinkType::Autolink | LinkType::Email => Some(range.start + 1),
            LinkType::Inline => {
                // The text ends where its last event does; `](` follows.
                let mut text_end = range.start + opener;
                let mut depth = 0u32;
                for (ev, r) in &run[i + 1..] {
                    match ev {
                        Event::Start(Tag::Link { .. } | Tag::Image { .. }) => depth += 1,
                        Event::End(TagEnd::Link | TagEnd::Image) if depth == 0 => break,
                        Event::End(TagEnd::Link | TagEnd::Image) => depth -= 1,
                        _ => {}
                    }
                    text_end = text_end.max(r.end);
                }
                src.get(text_end..range.end)
                    .and_then(|rest| rest.find("]("))
                    .map(|k| destination_at(src, text_end + k + 2, range.end))
            }
            _ => defs.get(&range.start).copied(),
        };
        out.push((i, at.unwrap_or(range.start)));
    }
    out
}

/// Where the URL of the link reference definition at `span` of `src`
/// (`[label]: url "title"`) starts.
fn definition_url_at(src: &str, span: Range<usize>) -> Option<usize> {
    let def = src.get(span.clone())?;
    let bytes = def.as_bytes();
    if bytes.first() != Some(&b'[') {
        return None;
    }
    // The label ends at its first `]` not escaped.
    let mut k = 1;
    while k < bytes.len() {
        match bytes[k] {
            b'\\' => k += 1,
            b']' => break,
            _ => {}
        }
        k += 1;
    }
    (bytes.get(k + 1) == Some(&b':')).then(|| destination_at(src, span.start + k + 2, span.end))
}

/// Where a link destination that follows `at` starts, before `end`: past
/// white space (a line break and the `>` of a block quote included) and
/// the `<` of a destination written `<...>`.
fn destination_at(src: &str, mut at: usize, end: usize) -> usize {
    let bytes = src.as_bytes();
    let mut line_start = false;
    while at < end.min(bytes.len()) {
        match bytes[at] {
            b' ' | b'\t' => {}
            b'\n' | b'\r' => line_start = true,
            b'>' if line_start => {}
            b'<' => return at + 1,
            _ => break,
        }
        at += 1;
    }
    at
}

/// One text event of a run: where its text starts in the run's text and
/// in the source.
struct Piece {
    v: usize,
    src: usize,
    /// Its text is the source text, byte for byte (not an entity, say).
    literal: bool,
    /// Its brackets may open or close an entity link.
    syntax: bool,
    /// Its first character was escaped with a backslash.
    escaped: bool,
    /// Source text in an image description.
    image: bool,
    /// Raw HTML, or text inside an element it opened.
    html: bool,
}

/// A run cut into what is emitted: runs of text events, merged, and the
/// other events. `html`: raw HTML, or text inside an element it opened.
enum Atom {
    Text {
        v: Range<usize>,
        src: Range<usize>,
        html: bool,
    },
    Other {
        run: usize,
        v: usize,
    },
}

#[derive(Default)]
struct Builder<'s> {
    parsed: Parsed,
    flow: Flow,
    src: &'s str,
    base: usize,
    /// The inline events of the current block, with their source ranges.
    run: Vec<(Event<'s>, Range<usize>)>,
    /// Where the URL of each reference link's definition is, by the
    /// offset of the link in `src` (offsets in `src`).
    defs: HashMap<usize, usize>,
    anchor: u32,
    image: u32,
    heading: u32,
    /// Inside a table cell.
    cell: bool,
}

impl<'s> Builder<'s> {
    fn push(&mut self, item: Item) {
        self.flow.items.push(item);
    }

    fn ctx(&self) -> TextCtx {
        TextCtx {
            searchable: self.anchor == 0 && self.image == 0 && self.heading == 0,
            in_anchor: self.anchor > 0,
            code: false,
            heading: self.heading > 0,
        }
    }

    /// Pushes an event that is not text; `shown` if it is inside the shown
    /// text of an entity link.
    fn event(&mut self, ev: Event<'s>, at: usize, shown: bool) {
        match ev {
            Event::Start(tag) => {
                match &tag {
                    Tag::Link { .. } => self.anchor += 1,
                    Tag::Image { .. } => self.image += 1,
                    Tag::Heading { .. } => self.heading += 1,
                    Tag::TableCell => self.cell = true,
                    _ => {}
                }
                self.push(Item::Ev(Event::Start(tag.into_static())));
            }
            Event::End(end) => {
                match end {
                    TagEnd::Link => self.anchor = self.anchor.saturating_sub(1),
                    TagEnd::Image => self.image = self.image.saturating_sub(1),
                    TagEnd::Heading(_) => self.heading = self.heading.saturating_sub(1),
                    TagEnd::TableCell => self.cell = false,
                    _ => {}
                }
                self.push(Item::Ev(Event::End(end)));
            }
            Event::Code(c) => {
                let ctx = TextCtx {
                    code: true,
                    in_anchor: self.anchor > 0 || shown,
                    heading: self.heading > 0,
                    searchable: false,
                };
                self.push(Item::Text {
                    text: c.to_string(),
                    ctx,
                });
            }
            Event::FootnoteReference(label) => {
                self.parsed
                    .note_refs
                    .push((label.to_string(), self.base + at));
                let note_ref = self.parsed.note_refs.len() - 1;
                self.push(Item::NoteRef { note_ref });
            }
            other => self.push(Item::Ev(other.into_static())),
        }
    }

    /// Emits the inline events gathered so far, cutting out the entity
    /// links `[[target|shown]]` in their text. Links are looked for in the
    /// text of the whole run, so that one may cross a line break or hold
    /// formatting in its shown text; a bracket counts only as written in
    /// the source (`\[` and `&#91;` are text).
    fn flush(&mut self) {
        if self.run.is_empty() {
            return;
        }
        let run = std::mem::take(&mut self.run);
        let urls = url_positions(self.src, &run, &self.defs);
        let mut next_url = urls.into_iter().peekable();
        let bytes = self.src.as_bytes();
        let mut v = String::new();
        let mut pieces: Vec<Piece> = Vec::new();
        let mut marks: Vec<(usize, Mark)> = Vec::new();
        let mut atoms: Vec<Atom> = Vec::new();
        let mut image = self.image;
        // Inside an autolink (`<https://x.org/[[a]]>`): its text is its URL,
        // brackets and all.
        let mut autolink = false;
        let mut prev_end = None;
        let mut elements = 0u32;
        let paired = paired_html(&run);
        for (i, (ev, range)) in run.iter().enumerate() {
            let html = match ev {
                Event::Html(_) => true,
                Event::InlineHtml(tag) => {
                    if paired.binary_search(&i).is_ok() {
                        elements = html_depth(elements, tag);
                    }
                    true
                }
                _ => elements > 0,
            };
            let Some(t) = text_of(ev) else {
                match ev {
                    Event::Start(Tag::Image { .. }) => image += 1,
                    Event::End(TagEnd::Image) => image = image.saturating_sub(1),
                    Event::Start(Tag::Link { link_type, .. }) => {
                        autolink = matches!(link_type, LinkType::Autolink | LinkType::Email)
                    }
                    Event::End(TagEnd::Link) => autolink = false,
                    _ => {}
                }
                marks.push((v.len(), Mark::of(ev)));
                atoms.push(Atom::Other { run: i, v: v.len() });
                v.push(PLACEHOLDER);
                continue;
            };
            let literal = self.src.get(range.clone()) == Some(t);
            // pulldown-cmark starts a new text event after the backslash of
            // an escape; a backslash that ends the text before is escaped.
            let escaped = range.start > 0
                && bytes.get(range.start - 1) == Some(&b'\\')
                && prev_end != Some(range.start);
            prev_end = Some(range.end);
            let at = v.len();
            pieces.push(Piece {
                v: at,
                src: range.start,
                literal,
                syntax: literal && image == 0 && !autolink,
                escaped,
                image: literal && image > 0,
                html,
            });
            v.push_str(t);
            match atoms.last_mut() {
                Some(Atom::Text {
                    v: tv,
                    src,
                    html: h,
                }) if *h == html => {
                    tv.end = v.len();
                    src.end = range.end;
                }
                _ => atoms.push(Atom::Text {
                    v: at..v.len(),
                    src: range.clone(),
                    html,
                }),
            }
        }
        let piece_at = |q: usize| &pieces[pieces.partition_point(|p| p.v <= q).saturating_sub(1)];
        let src_at = |q: usize| {
            let p = piece_at(q);
            if p.literal {
                p.src + (q - p.v)
            } else {
                p.src
            }
        };
        if pieces.iter().any(|p| p.image) {
            self.links_in_images(&v, &pieces, &src_at);
        }
        let mut links = Vec::new();
        if v.contains("[[") {
            let syntax = |q: usize| {
                let p = piece_at(q);
                p.syntax && !(p.escaped && q == p.v)
            };
            let html = |q: usize| piece_at(q).html;
            // One warning a block for a `[[` never closed: the rest of it
            // is text anyway.
            let mut warned = false;
            for found in scan(&v, syntax, html, &marks) {
                match found {
                    Scan::Link(l) => links.push(l),
                    Scan::Error(s, msg) => {
                        let at = self.base + src_at(s);
                        self.parsed.errors.push((at, msg));
                    }
                    // A `|` in a link splits a table's cell: the cell ends
                    // in an open `[[` (the next starts with `x]]`).
                    Scan::Unclosed(s) if self.cell && !v[s + 2..].trim().is_empty() => {
                        let msg = "`[[` without `]]` in a table cell: in a table, write the `|` \
                                   of an entity link as `\\|` (`[[id\\|shown text]]`)";
                        self.parsed
                            .errors
                            .push((self.base + src_at(s), msg.to_string()));
                    }
                    Scan::Unclosed(s)
                        if !self.cell && !warned && !html(s) && !v[s + 2..].trim().is_empty() =>
                    {
                        warned = true;
                        let msg = "`[[` is never closed by `]]`, so it is shown as text: close \
                                   the entity link with `]]`, or write `\\[[` for brackets \
                                   that are text";
                        self.parsed
                            .warnings
                            .push((self.base + src_at(s), msg.to_string()));
                    }
                    Scan::Unclosed(_) => {}
                }
            }
        }
        let mut run: Vec<Option<(Event<'s>, Range<usize>)>> = run.into_iter().map(Some).collect();
        let mut li = 0;
        for atom in atoms {
            match atom {
                Atom::Text { v: r, src, html } => {
                    let mut ctx = self.ctx();
                    // The contract: raw HTML is not searched for names.
                    ctx.searchable &= !html;
                    let text = &v[r.clone()];
                    if self.image > 0 {
                        self.text(text, ctx);
                        continue;
                    }
                    let raw = self
                        .src
                        .get(src.start..src.end.min(self.src.len()))
                        .unwrap_or("");
                    if ctx.searchable || ctx.heading || ctx.in_anchor {
                        for (label, at) in undefined_refs(text, raw, raw == text) {
                            self.parsed
                                .undefined_refs
                                .push((label, self.base + src.start + at));
                        }
                    }
                    let shown_ctx = TextCtx {
                        searchable: false,
                        in_anchor: true,
                        ..ctx
                    };
                    let mut pos = r.start;
                    while pos < r.end {
                        let Some(l) = links.get(li) else {
                            self.text_from(&v, pos..r.end, ctx, &pieces);
                            break;
                        };
                        if pos < l.ls {
                            let e = l.ls.min(r.end);
                            self.text_from(&v, pos..e, ctx, &pieces);
                            pos = e;
                            continue;
                        }
                        let in_anchor = self.anchor > 0;
                        if pos == l.ls {
                            self.parsed.links.push(LinkRef {
                                target: l.target.clone(),
                                offset: self.base + src_at(l.ls),
                            });
                            let link = self.parsed.links.len() - 1;
                            self.push(Item::EntityStart { link, in_anchor });
                        }
                        if pos < l.ss {
                            pos = l.ss.min(r.end);
                            continue;
                        }
                        if pos < l.se {
                            let e = l.se.min(r.end);
                            self.text_from(&v, pos..e, shown_ctx, &pieces);
                            pos = e;
                            continue;
                        }
                        if pos == l.se {
                            self.push(Item::EntityEnd { in_anchor });
                        }
                        pos = l.le.min(r.end);
                        if pos == l.le {
                            li += 1;
                        }
                    }
                }
                Atom::Other { run: i, v: p } => {
                    let Some((ev, range)) = run[i].take() else {
                        continue;
                    };
                    let shown = match links.get(li) {
                        // A line break in the target part is not shown.
                        Some(l) if l.ls <= p && p < l.ss => continue,
                        Some(l) => l.ls <= p,
                        None => false,
                    };
                    while next_url.next_if(|u| u.0 < i).is_some() {}
                    if let Some((_, at)) = next_url.next_if(|u| u.0 == i) {
                        // `event` pushes the link's `Start` as the next item.
                        let item = self.flow.items.len();
                        self.flow.urls.push((item, self.base + at));
                    }
                    self.event(ev, range.start, shown);
                }
            }
        }
    }

    /// Brackets in an image description are its text: an entity link
    /// there would show as `[[x]]` in the alt text. An error at each.
    fn links_in_images(&mut self, v: &str, pieces: &[Piece], src_at: &impl Fn(usize) -> usize) {
        let mut from = 0;
        while let Some(i) = v[from..].find("[[") {
            let q = from + i;
            from = q + 2;
            let p = &pieces[pieces.partition_point(|p| p.v <= q).saturating_sub(1)];
            if !p.image || (p.escaped && q == p.v) {
                continue;
            }
            // Up to the end of the description (or formatting in it).
            let rest = &v[q + 2..];
            let end = rest.find(PLACEHOLDER).unwrap_or(rest.len());
            if rest[..end].contains("]]") {
                let msg = "an image description cannot hold an entity link; \
                           name the entity in the text around the image";
                self.parsed
                    .errors
                    .push((self.base + src_at(q), msg.to_string()));
            }
            // One message a description; and it is read once.
            from = q + 2 + end;
        }
    }

    /// Pushes bytes `r` of the run's text `v` as a text item; in a
    /// heading, records where they are written (see [`Flow::heading_src`]).
    fn text_from(&mut self, v: &str, r: Range<usize>, ctx: TextCtx, pieces: &[Piece]) {
        if r.is_empty() {
            return;
        }
        if ctx.heading {
            let item = self.flow.items.len();
            let first = pieces.partition_point(|p| p.v <= r.start).saturating_sub(1);
            for p in pieces[first..].iter().take_while(|p| p.v < r.end) {
                let from = p.v.max(r.start);
                let src = match p.literal {
                    true => p.src + (from - p.v),
                    false => p.src,
                };
                self.flow.heading_src.push(SrcRun {
                    item,
                    at: from - r.start,
                    src: self.base + src,
                    literal: p.literal,
                });
            }
        }
        self.text(&v[r], ctx);
    }

    fn text(&mut self, text: &str, ctx: TextCtx) {
        if !text.is_empty() {
            self.push(Item::Text {
                text: text.to_string(),
                ctx,
            });
        }
    }
}

/// The depth of open elements after inline HTML `tag`: an opening tag
/// (not `<br/>`, not a void element like `<img>`) opens one, a closing tag
/// closes one; comments and declarations change nothing.
fn html_depth(depth: u32, tag: &str) -> u32 {
    match html_tag(tag) {
        Some(HtmlTag::Open(_)) => depth + 1,
        Some(HtmlTag::Close(_)) => depth.saturating_sub(1),
        None => depth,
    }
}

/// An inline HTML event that opens or closes an element, with the
/// element's name in lower case. Comments, declarations, void elements
/// (`<br>`) and self-closed tags (`<x/>`) neither open nor close one.
#[derive(Debug, PartialEq)]
enum HtmlTag {
    Open(String),
    Close(String),
}

fn html_tag(tag: &str) -> Option<HtmlTag> {
    const VOID: [&str; 14] = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr",
    ];
    let rest = tag.strip_prefix('<')?;
    let (closing, rest) = match rest.strip_prefix('/') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    if closing {
        return Some(HtmlTag::Close(name));
    }
    let opens = !tag.trim_end().ends_with("/>") && !VOID.contains(&name.as_str());
    opens.then_some(HtmlTag::Open(name))
}

/// The inline HTML events of `run` (by index) that count for
/// [`html_depth`]: an opening tag that a later tag of the same name in the
/// run closes, and that closing tag. Raw HTML is shown as text, so an
/// opening tag that nothing closes (`AT&T <Corp> in Paris`) holds no
/// element, and the text after it is searched as any other.
fn paired_html(run: &[(Event, Range<usize>)]) -> Vec<usize> {
    let mut open: Vec<(String, usize)> = Vec::new();
    let mut paired = Vec::new();
    for (i, (ev, _)) in run.iter().enumerate() {
        let Event::InlineHtml(tag) = ev else {
            continue;
        };
        match html_tag(tag) {
            Some(HtmlTag::Open(name)) => open.push((name, i)),
            Some(HtmlTag::Close(name)) => {
                if let Some(k) = open.iter().rposition(|(n, _)| *n == name) {
                    paired.push(open[k].1);
                    paired.push(i);
                    // Elements opened inside it and never closed end with it.
                    open.truncate(k);
                }
            }
            None => {}
        }
    }
    paired.sort_unstable();
    paired
}

/// `[^label]` in text the parser left as text, with its offset in `raw`
/// (the source of that text); escaped ones (`\[^x]`) are skipped.
fn undefined_refs(text: &str, raw: &str, exact: bool) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("[^") {
        let s = from + i;
        from = s + 2;
        let Some(len) = text[s + 2..].find(']') else {
            break;
        };
        let label = &text[s + 2..s + 2 + len];
        if label.is_empty() || label.contains(|c: char| c.is_whitespace() || c == '[') {
            continue;
        }
        let written = &text[s..s + 3 + len];
        let at = if exact {
            Some(s)
        } else {
            raw.match_indices(written)
                .map(|(i, _)| i)
                .find(|&i| !raw[..i].ends_with('\\'))
        };
        if let Some(at) = at {
            out.push((label.to_string(), at));
        }
    }
    out
}

fn is_block_boundary(item: &Item) -> Option<bool> {
    match item {
        Item::CodeBlock { .. } => Some(false),
        Item::Ev(Event::Start(t)) => match t {
            Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. } => None,
            Tag::Heading { .. } => Some(true),
            _ => Some(false),
        },
        Item::Ev(Event::End(t)) => match t {
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image => None,
            _ => Some(false),
        },
        Item::Ev(Event::Rule | Event::Html(_)) => Some(false),
        _ => None,
    }
}

/// Cuts the flow's items into blocks and builds each block's reader view.
pub fn build_views(flow: &mut Flow) {
    let mut blocks = Vec::new();
    let mut cur = Block::default();
    let mut start = 0;
    let mut image_depth = 0;
    for (i, item) in flow.items.iter().enumerate() {
        if let Some(heading) = is_block_boundary(item) {
            cur.items = start..i;
            if !cur.text.is_empty() {
                blocks.push(std::mem::take(&mut cur));
            }
            cur = Block {
                heading,
                ..Block::default()
            };
            start = i + 1;
            continue;
        }
        match item {
            Item::Ev(Event::Start(Tag::Image { .. })) => image_depth += 1,
            Item::Ev(Event::End(TagEnd::Image)) => image_depth -= 1,
            Item::Text { text, .. } if image_depth == 0 => {
                // Runs of plain characters are copied whole.
                let mut run_start = 0;
                let mut buf = [0u8; 4];
                for (off, c) in text.char_indices() {
                    if !c.is_whitespace() {
                        continue;
                    }
                    // Does the view, with the pending run, end in a space (or is it empty)?
                    let ends_blank = if run_start < off {
                        text[..off].ends_with(' ')
                    } else {
                        cur.text.is_empty() || cur.text.ends_with(' ')
                    };
                    if c == ' ' && !ends_blank {
                        continue; // a single space stays in the run
                    }
                    if run_start < off {
                        cur.push(&text[run_start..off], i, run_start);
                    }
                    if !ends_blank {
                        cur.push(' '.encode_utf8(&mut buf), i, off);
                    }
                    run_start = off + c.len_utf8();
                }
                if run_start < text.len() {
                    cur.push(&text[run_start..], i, run_start);
                }
            }
            Item::Ev(Event::HardBreak) if !cur.text.is_empty() && !cur.text.ends_with(' ') => {
                cur.push(" ", i, 0);
            }
            _ => {}
        }
    }
    cur.items = start..flow.items.len();
    if !cur.text.is_empty() {
        blocks.push(cur);
    }
    // A trailing folded space carries nothing; drop it so quotes and names
    // never end on it.
    for b in &mut blocks {
        while b.text.ends_with(' ') {
            b.text.pop();
        }
        let len = b.text.len() as u32;
        while b.segs.len() > 1 && b.segs.last().is_some_and(|s| s.view >= len) {
            b.segs.pop();
        }
    }
    flow.blocks = blocks;
}

/// The view position where item `it` stands (the first view byte at or
/// after it).
pub fn view_pos(block: &Block, it: usize) -> usize {
    let i = block.segs.partition_point(|s| (s.item as usize) < it);
    block.segs.get(i).map_or(block.text.len(), |s| {
        (s.view as usize).min(block.text.len())
    })
}

/// The view bytes that come from item `it`.
pub fn item_view_range(block: &Block, it: usize) -> Range<usize> {
    view_pos(block, it)..view_pos(block, it + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(f: &Flow) -> Vec<String> {
        f.blocks.iter().map(|b| b.text.clone()).collect()
    }

    fn targets(p: &Parsed) -> Vec<(&str, usize)> {
        p.links
            .iter()
            .map(|l| (l.target.as_str(), l.offset))
            .collect()
    }

    fn errors(p: &Parsed) -> Vec<(usize, &str)> {
        p.errors.iter().map(|(at, m)| (*at, m.as_str())).collect()
    }

    /// The errors of `p` are `expect`: at each offset, a message saying
    /// the text given.
    fn assert_errors(p: &Parsed, expect: &[(usize, &str)]) {
        let e = errors(p);
        assert_eq!(e.len(), expect.len(), "{e:?}");
        for ((at, msg), (want_at, want)) in e.iter().zip(expect) {
            assert_eq!(at, want_at, "{msg}");
            assert!(msg.contains(want), "{msg:?} does not say {want:?}");
        }
    }

    #[test]
    fn finds_links_with_and_without_shown_text() {
        let p = parse("a [[marco-rubio]] b [[Marco Rubio|the secretary]] [[x\n", 0);
        assert_eq!(targets(&p), vec![("marco-rubio", 2), ("Marco Rubio", 20)]);
        assert_eq!(texts(&p.body), vec!["a marco-rubio b the secretary [[x"]);
        assert!(p.errors.is_empty());
    }

    /// The items from each `EntityStart` to its `EntityEnd`, shown text only.
    fn shown(f: &Flow) -> Vec<String> {
        let mut out = Vec::new();
        let mut cur: Option<String> = None;
        for item in &f.items {
            match item {
                Item::EntityStart { .. } => cur = Some(String::new()),
                Item::EntityEnd { .. } => out.extend(cur.take()),
                Item::Text { text, ctx } => {
                    if let Some(c) = &mut cur {
                        assert!(ctx.in_anchor && !ctx.searchable, "{item:?}");
                        if ctx.code {
                            c.push_str(&format!("`{text}`"));
                        } else {
                            c.push_str(text);
                        }
                    }
                }
                Item::Ev(Event::Start(Tag::Emphasis)) | Item::Ev(Event::End(TagEnd::Emphasis)) => {
                    if let Some(c) = &mut cur {
                        c.push('*');
                    }
                }
                Item::Ev(Event::HardBreak) => {
                    if let Some(c) = &mut cur {
                        c.push_str("<br>");
                    }
                }
                _ => {}
            }
        }
        out
    }

    #[test]
    fn links_cross_line_breaks() {
        let src = "We met [[Marie\nCurie]] and [[marie-curie|the famous\nphysicist]] and [[nobody\n   here]] yesterday.\n";
        let p = parse(src, 10);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let at = |s: &str| 10 + src.find(s).unwrap();
        assert_eq!(
            targets(&p),
            vec![
                ("Marie Curie", at("[[Marie")),
                ("marie-curie", at("[[marie")),
                ("nobody here", at("[[nobody")),
            ]
        );
        // The shown text keeps its line break, as Markdown would.
        assert_eq!(
            shown(&p.body),
            vec!["Marie\nCurie", "the famous\nphysicist", "nobody\nhere"]
        );
        assert_eq!(
            texts(&p.body),
            vec!["We met Marie Curie and the famous physicist and nobody here yesterday."]
        );
        // A hard break: a space in the target, a break in the shown text.
        let p = parse("[[Marie  \nCurie]] [[marie\\\ncurie|x]]\n", 0);
        assert_eq!(targets(&p), vec![("Marie Curie", 0), ("marie curie", 18)]);
        assert_eq!(shown(&p.body), vec!["Marie<br>Curie", "x"]);
    }

    #[test]
    fn shown_text_may_hold_formatting() {
        let src = "A [[paris|*Paris* city]] and [[paris|`code`]] and *[[paris|x]]*.\n";
        let p = parse(src, 0);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(
            targets(&p),
            vec![("paris", 2), ("paris", 29), ("paris", 51)]
        );
        assert_eq!(shown(&p.body), vec!["*Paris* city", "`code`", "x"]);
        assert_eq!(texts(&p.body), vec!["A Paris city and code and x."]);
    }

    #[test]
    fn formatting_that_cannot_be_in_a_link_is_an_error() {
        let src = "[[*paris*]] [[pa`r`is|x]] [[paris|[a](u)]] [[paris|![i](x.png) y]] \
                   *a [[paris|b* c]] [[paris|y[^1]]] [[paris|*b]] c*\n\n[^1]: N.\n";
        let p = parse(src, 0);
        assert!(p.links.is_empty(), "{:?}", p.links);
        let at = |s: &str| src.find(s).unwrap();
        let expect = [
            (
                at("[[*paris"),
                "target of an entity link cannot hold formatting",
            ),
            (
                at("[[pa`r"),
                "target of an entity link cannot hold formatting",
            ),
            (at("[[paris|[a]"), "an entity link cannot hold a link"),
            (at("[[paris|!["), "an entity link cannot hold an image"),
            (at("[[paris|b*"), "cannot start or end inside formatting"),
            (
                at("[[paris|y["),
                "an entity link cannot hold a footnote reference",
            ),
            (at("[[paris|*b"), "cannot start or end inside formatting"),
        ];
        assert_errors(&p, &expect);
    }

    #[test]
    fn escaped_brackets_are_text() {
        let src = "Escaped \\[\\[paris]] and \\[[marie-curie]] and [[y\\]] and &#91;[z]] \
                   and \\\\[[x]] and \\[[[w]] and [[v]\\].\n";
        let p = parse(src, 0);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let at = |s: &str| src.find(s).unwrap();
        assert_eq!(targets(&p), vec![("x", at("[[x")), ("w", at("[[w"))]);
        assert_eq!(
            texts(&p.body),
            vec!["Escaped [[paris]] and [[marie-curie]] and [[y]] and [[z]] and \\x and [w and [[v]]."]
        );
    }

    #[test]
    fn positions_are_right_after_escapes_and_entities() {
        let src = "x\n\nA \\* &amp; &#91; é \\[ [[nobody]] and *b* [[nobody|x]].\n";
        let p = parse(src, 7);
        assert_eq!(
            targets(&p),
            vec![
                ("nobody", 7 + src.find("[[nobody]]").unwrap()),
                ("nobody", 7 + src.find("[[nobody|").unwrap()),
            ]
        );
    }

    #[test]
    fn empty_links_are_errors() {
        let src = "[[]] [[ ]] [[|]] [[paris|]] [[|text]] [[paris| ]] [[a [b] c]]\n";
        let p = parse(src, 0);
        assert!(p.links.is_empty(), "{:?}", p.links);
        let at = |s: &str| src.find(s).unwrap();
        let expect = [
            (0, "empty entity link"),
            (at("[[ ]]"), "empty entity link"),
            (at("[[|]]"), "empty entity link"),
            (at("[[paris|]]"), "`[[paris|]]` has no text after `|`"),
            (at("[[|text"), "without a target"),
            (at("[[paris| ]]"), "`[[paris|]]` has no text after `|`"),
            (
                at("[[a [b]"),
                "target of an entity link cannot hold `[` or `]`",
            ),
        ];
        assert_errors(&p, &expect);
    }

    #[test]
    fn shown_text_may_hold_brackets_that_pair_up() {
        let src = "[[rubio|Rubio [R-FL]]] said [[rubio|[the senator]]] and [[x|a [b [c]] d]].\n";
        let p = parse(src, 0);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let at = |s: &str| src.find(s).unwrap();
        assert_eq!(
            targets(&p),
            vec![("rubio", 0), ("rubio", at("[[rubio|[")), ("x", at("[[x"))]
        );
        assert_eq!(
            shown(&p.body),
            vec!["Rubio [R-FL]", "[the senator]", "a [b [c]] d"]
        );
    }

    #[test]
    fn deeply_nested_brackets_are_read_in_one_pass() {
        // Each `[[` once scanned on to the end of the paragraph.
        let n = 100_000;
        let src = format!("{}x{}\n", "[[".repeat(n), "]]".repeat(n));
        let p = parse(&src, 0);
        assert_errors(&p, &[(0, "entity links do not nest")]);
        let src = format!("{}x\n", "[[ [".repeat(n));
        let p = parse(&src, 0);
        assert!(p.errors.is_empty() && p.links.is_empty());
    }

    #[test]
    fn nested_links_and_bracketed_targets_are_errors() {
        let src = "[[a [[b]] c]] and [[a [b] c]] then [[ok]], but [[1], [2]] is text.\n";
        let p = parse(src, 0);
        let at = |s: &str| src.find(s).unwrap();
        assert_errors(
            &p,
            &[
                (0, "entity links do not nest"),
                (at("[[a [b"), "cannot hold `[` or `]`"),
            ],
        );
        assert_eq!(targets(&p), vec![("ok", at("[[ok"))]);
        assert!(texts(&p.body)[0].ends_with("but [[1], [2]] is text."));
    }

    #[test]
    fn brackets_after_multibyte_text_are_read_without_panic() {
        // Skipping past a bracket once landed inside the `é`.
        let p = parse("[[é\\]]\n", 0);
        assert!(p.links.is_empty() && p.errors.is_empty(), "{:?}", p.errors);
        for src in ["[[é[]]\n", "[[aé]é]]\n", "[[é]é]] é [[x]]\n"] {
            let p = parse(src, 0);
            assert_errors(&p, &[(0, "in this entity link")]);
        }
        let p = parse("[[é]é]] é [[x]]\n", 0);
        assert_eq!(targets(&p), vec![("x", "[[é]é]] é ".len())]);
    }

    #[test]
    fn brackets_that_do_not_pair_up_inside_a_link_are_errors() {
        let src = "A [[a] b]] B [[x|y]z]] C [[x|a [b]] D [[a [b]] E [[ok|[c] d]] \
                   F [[a]|b]] G [[x|y]]z]] H\n";
        let p = parse(src, 0);
        let at = |s: &str| src.find(s).unwrap();
        assert_errors(
            &p,
            &[
                (at("[[a] b"), "a `]` in this entity link closes no `[`"),
                (
                    at("[[x|y]z"),
                    "a `]` in the shown text of this entity link closes no `[`",
                ),
                (
                    at("[[x|a [b]]"),
                    "a `[` in the shown text of this entity link is never closed",
                ),
                (at("[[a [b]]"), "a `[` in this entity link is never closed"),
                (at("[[a]|b"), "a `]` in this entity link closes no `[`"),
            ],
        );
        for (_, msg) in &p.errors {
            assert!(
                msg.contains("must pair up") && msg.contains("write `\\"),
                "{msg}"
            );
        }
        // The links around them are found; `[[x|y]]z]]` is a link and text.
        assert_eq!(targets(&p), vec![("ok", at("[[ok")), ("x", at("[[x|y]]"))]);
        assert!(
            texts(&p.body)[0].contains("G yz]] H"),
            "{:?}",
            texts(&p.body)
        );
    }

    #[test]
    fn text_with_brackets_that_is_no_link_is_not_an_error() {
        let src = "A lone [ and ] and [1] and [a](b) and [[a]] and \\[\\[not a link\\]\\] \
                   and [[1], [2]] and [[x|a] [b]] and [[[x]] and [[y\\]] and `[[a] b]]` \
                   and `[[x|y]z]]` \
                   and <b title=\"[[a] b]] [[c\">[[x|y]z]] [[d [e]]</b> and \\[[a] b]].\n\n\
                   <div>\n[[a] b]] [[x|y]z]] [[open\n</div>\n\n\
                   ```\n[[a] b]] [[never\n```\n\n    [[x|y]z]]\n";
        let p = parse(src, 0);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        let at = |s: &str| src.find(s).unwrap();
        assert_eq!(
            targets(&p),
            vec![("a", at("[[a]] and")), ("x", at("[[x]]"))]
        );
    }

    #[test]
    fn a_link_never_closed_is_a_warning_once_a_block() {
        let src = "A [[never closed and [[paris] here.\n\n\
                   B [[marie-curie] said.\n\n\
                   C [[ok]] then [[\n\n\
                   D [[a [[b]] c.\n";
        let p = parse(src, 10);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let at = |s: &str| 10 + src.find(s).unwrap();
        let warned: Vec<usize> = p.warnings.iter().map(|w| w.0).collect();
        assert_eq!(
            warned,
            vec![at("[[never"), at("[[marie"), at("[[a [[")],
            "{:?}",
            p.warnings
        );
        assert!(p.warnings[0].1.contains("never closed by `]]`"));
        assert!(p.warnings[0].1.contains("`\\[[`"));
        assert_eq!(targets(&p), vec![("ok", at("[[ok")), ("b", at("[[b"))]);
        // In a table cell it is an error, as before.
        let p = parse("| a |\n|---|\n| [[paris] |\n", 0);
        assert_errors(&p, &[(14, "`[[` without `]]` in a table cell")]);
        assert!(p.warnings.is_empty());
    }

    /// The source text from each URL place of `f` on, checking that the
    /// places are those of every link and image start of `f`, in order.
    fn url_places<'a>(src: &'a str, base: usize, f: &Flow) -> Vec<&'a str> {
        let starts: Vec<usize> = f
            .items
            .iter()
            .enumerate()
            .filter(|(_, i)| {
                matches!(
                    i,
                    Item::Ev(Event::Start(Tag::Link { .. } | Tag::Image { .. }))
                )
            })
            .map(|(k, _)| k)
            .collect();
        let items: Vec<usize> = f.urls.iter().map(|u| u.0).collect();
        assert_eq!(items, starts, "every link and image, in order");
        f.urls.iter().map(|&(_, at)| &src[at - base..]).collect()
    }

    #[test]
    fn urls_are_found_where_they_are_written() {
        let src = "Plain /a_b/ /c&d /e f/ /r/ k.png\n\n\
                   [x](/a\\_b/) [y](/c&amp;d) [z](  </e f/> \"t\") <https://x.org/> \
                   <a@b.org> ![i *j* [k](/k/)](k.png) [w][R] [v] [u][] [a `]` b](/c&amp;d)\n\n\
                   > [q](\n> /quoted/) and | [[paris|P]] [t](/t/)\n\n\
                   | a |\n|---|\n| [c](/cell/) \\| [[x]] |\n\n\
                   Note[^1].\n\n\
                   [r]:\n  </r/>\n[v]: /v/ \"title\"\n[u]: /u/\n\n\
                   [^1]: See [n](/note/) and [w][r].\n";
        let p = parse(src, 100);
        let places = url_places(src, 100, &p.body);
        let want = [
            "/a\\_b/)",
            "/c&amp;d)",
            "/e f/>",
            "https://x.org/>",
            "a@b.org>",
            "k.png)",
            "/k/)",
            "/r/>",
            "/v/ ",
            "/u/\n",
            "/c&amp;d)\n",
            "/quoted/)",
            "/t/)",
            "/cell/)",
        ];
        assert_eq!(places.len(), want.len(), "{places:?}");
        for (got, want) in places.iter().zip(want) {
            assert!(got.starts_with(want), "{want:?} at {got:?}");
        }
        // Written twice, each at its place; a note's in the note.
        assert_ne!(p.body.urls[1].1, p.body.urls[10].1);
        let note = url_places(src, 100, &p.footnotes[0].2);
        assert!(note[0].starts_with("/note/)"), "{note:?}");
        assert!(note[1].starts_with("/r/>"), "{note:?}");
    }

    #[test]
    fn brackets_in_an_autolink_are_its_url() {
        // Once a link to `rubio` shown in the middle of the address, whose
        // `href` kept the brackets.
        let src = "Mail <mailto:a@[[rubio]].org> or <https://x.org/[[a]]/> and [[b]].\n";
        let p = parse(src, 0);
        assert!(
            p.errors.is_empty() && p.warnings.is_empty(),
            "{:?}",
            p.errors
        );
        assert_eq!(targets(&p), vec![("b", src.find("[[b").unwrap())]);
        assert_eq!(
            texts(&p.body),
            vec!["Mail mailto:a@[[rubio]].org or https://x.org/[[a]]/ and b."]
        );
    }

    #[test]
    fn an_escaped_bar_splits_a_link_in_a_table() {
        let p = parse("| a |\n|---|\n| [[paris\\|Paris]] |\n", 0);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(targets(&p), vec![("paris", 14)]);
        assert_eq!(shown(&p.body), vec!["Paris"]);
    }

    #[test]
    fn entity_links_are_cut_out_with_source_offsets() {
        let src = "Hello [[marco-rubio|Rubio]] and `[[not-a-link]]`.\n";
        let p = parse(src, 100);
        assert_eq!(p.links.len(), 1);
        assert_eq!(p.links[0].target, "marco-rubio");
        assert_eq!(p.links[0].offset, 106);
        assert_eq!(texts(&p.body), vec!["Hello Rubio and [[not-a-link]]."]);
    }

    #[test]
    fn views_fold_space_and_ignore_markup() {
        let p = parse(
            "One *two*\n   three  **four**.\n\n- item  one\n- item two\n",
            0,
        );
        assert_eq!(
            texts(&p.body),
            vec!["One two three four.", "item one", "item two"]
        );
    }

    #[test]
    fn view_positions_map_back_through_folded_space() {
        let p = parse("a\u{a0}b   c*d*\n  e\n", 0);
        let b = &p.body.blocks[0];
        assert_eq!(b.text, "a b cd e");
        let it = |i: usize| match &p.body.items[i] {
            Item::Text { text, .. } => text.clone(),
            _ => String::new(),
        };
        // Every non-space view byte maps to the same byte in its item.
        for (pos, ch) in b.text.char_indices().filter(|(_, c)| *c != ' ') {
            let (item, raw) = b.at(pos);
            assert_eq!(it(item)[raw..].chars().next(), Some(ch), "at {pos}");
        }
    }

    #[test]
    fn undefined_footnote_references_are_found() {
        let p = parse(
            "Text[^missing] and [^b] and \\[^esc] and `[^code]`.\n\n[^b]: B.\n",
            10,
        );
        assert_eq!(p.undefined_refs, vec![("missing".to_string(), 14)]);
        assert_eq!(p.note_refs.len(), 1);
    }

    #[test]
    fn raw_html_becomes_text() {
        let p = parse("<script>alert(1)</script>\n\nA <b>bold</b> word.\n", 0);
        let texts: Vec<String> = p.body.blocks.iter().map(|b| b.text.clone()).collect();
        assert_eq!(
            texts,
            vec!["<script>alert(1)</script>", "A <b>bold</b> word."]
        );
        assert!(p
            .body
            .items
            .iter()
            .all(|i| !matches!(i, Item::Ev(Event::Html(_) | Event::InlineHtml(_)))));
    }

    /// The texts of `src`'s body that are searched for names.
    fn searchable(src: &str) -> Vec<String> {
        parse(src, 0)
            .body
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Text { text, ctx } if ctx.searchable => Some(text.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn raw_html_and_text_in_its_elements_are_not_searched() {
        let src = "<div>\nRubio in a block\n</div>\n\n\
                   A <!-- Rubio --> <b title=\"Rubio\">Rubio <i>x</i> bold</b> Rubio<br>Rubio <img alt=Rubio> Rubio.\n";
        let searchable = searchable(src);
        assert_eq!(searchable, vec!["A ", " ", " Rubio", "Rubio ", " Rubio."]);
        assert_eq!(html_depth(0, "<a href=x>"), 1);
        assert_eq!(html_depth(1, "</a>"), 0);
        assert_eq!(html_depth(0, "</a>"), 0);
        assert_eq!(html_depth(2, "<br/>"), 2);
        assert_eq!(html_depth(0, "<IMG src=x>"), 0);
        assert_eq!(html_depth(0, "<!-- x -->"), 0);
    }

    #[test]
    fn an_element_that_nothing_closes_hides_no_text() {
        let src = "AT&T <Corp> met Rubio, <B>Rubio</b> <i>Rubio <u>Rubio</i> Rubio</u> Rubio.\n";
        let searchable = searchable(src);
        assert_eq!(
            searchable,
            vec!["AT&T ", " met Rubio, ", " ", " Rubio", " Rubio."]
        );
    }

    #[test]
    fn footnotes_are_separate_flows() {
        let p = parse("Text[^a].\n\n[^a]: The note [[x]].\n", 0);
        assert_eq!(p.note_refs.len(), 1);
        assert_eq!(p.footnotes.len(), 1);
        assert_eq!(p.footnotes[0].0, "a");
        assert_eq!(texts(&p.footnotes[0].2), vec!["The note x."]);
        assert_eq!(texts(&p.body), vec!["Text."]);
    }

    #[test]
    fn headings_and_links_are_not_searchable() {
        let p = parse("# Rubio\n\n[Rubio](x) Rubio\n", 0);
        let b = &p.body.blocks[1];
        assert_eq!(b.text, "Rubio Rubio");
        assert!(!b.searchable(&p.body.items, 0, 5));
        assert!(b.searchable(&p.body.items, 6, 11));
        assert!(p.body.blocks[0].heading);
    }
}
