//! The document model the annotation passes work on.
//!
//! Markdown is parsed once with pulldown-cmark; its events become [`Item`]s
//! (entity links already cut out of the text), grouped into [`Block`]s — a
//! paragraph, list item, table cell or heading — each with a *reader view*:
//! the text as a reader sees it, inline markup dropped and white space
//! folded, with a map from every byte of that view back to the item it came
//! from. Quotes, names and snippets are all found in the view; the renderer
//! uses the map to wrap exactly those bytes in the item stream.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
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
    for (ev, range) in Parser::new_ext(src, options()).into_offset_iter() {
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
        match ev {
            // A soft break is part of the text around it, so that a name or
            // quote broken across lines is one piece of text.
            // Raw HTML in the Markdown is text like any other, never passed
            // through: archived articles come from anywhere, and a script
            // pasted with one must not run in the site.
            Event::SoftBreak | Event::Text(_) | Event::Html(_) | Event::InlineHtml(_) => {
                let t = match ev {
                    Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => t,
                    _ => "\n".into(),
                };
                if p.pending.is_empty() {
                    p.pending_start = range.start;
                }
                p.pending.push_str(&t);
                p.pending_end = range.end;
                continue;
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                p.flush();
                let body = std::mem::take(&mut p.flow);
                in_footnote = Some((label.to_string(), base + range.start, body));
                continue;
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                p.flush();
                if let Some((label, at, body)) = in_footnote.take() {
                    let note = std::mem::replace(&mut p.flow, body);
                    p.parsed.footnotes.push((label, at, note));
                }
                continue;
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                p.flush();
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
                continue;
            }
            _ => {}
        }
        p.flush();
        match ev {
            // An HTML block becomes a paragraph of its text.
            Event::Start(Tag::HtmlBlock) => p.push(Item::Ev(Event::Start(Tag::Paragraph))),
            Event::End(TagEnd::HtmlBlock) => p.push(Item::Ev(Event::End(TagEnd::Paragraph))),
            Event::Start(tag) => {
                match &tag {
                    Tag::Link { .. } => p.anchor += 1,
                    Tag::Image { .. } => p.image += 1,
                    Tag::Heading { .. } => p.heading += 1,
                    _ => {}
                }
                p.push(Item::Ev(Event::Start(tag.into_static())));
            }
            Event::End(end) => {
                match end {
                    TagEnd::Link => p.anchor -= 1,
                    TagEnd::Image => p.image -= 1,
                    TagEnd::Heading(_) => p.heading -= 1,
                    _ => {}
                }
                p.push(Item::Ev(Event::End(end)));
            }
            Event::Code(c) => {
                let ctx = TextCtx {
                    code: true,
                    in_anchor: p.anchor > 0,
                    heading: p.heading > 0,
                    searchable: false,
                };
                p.push(Item::Text {
                    text: c.to_string(),
                    ctx,
                });
            }
            Event::FootnoteReference(label) => {
                p.parsed
                    .note_refs
                    .push((label.to_string(), base + range.start));
                let note_ref = p.parsed.note_refs.len() - 1;
                p.push(Item::NoteRef { note_ref });
            }
            other => p.push(Item::Ev(other.into_static())),
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

#[derive(Default)]
struct Builder<'s> {
    parsed: Parsed,
    flow: Flow,
    src: &'s str,
    base: usize,
    pending: String,
    pending_start: usize,
    pending_end: usize,
    anchor: u32,
    image: u32,
    heading: u32,
}

impl Builder<'_> {
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

    /// Emits the text gathered so far, cutting out `[[target|shown]]` links.
    fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let text = std::mem::take(&mut self.pending);
        let ctx = self.ctx();
        if self.image > 0 {
            self.push(Item::Text { text, ctx });
            return;
        }
        let raw = self
            .src
            .get(self.pending_start..self.pending_end.min(self.src.len()))
            .unwrap_or("");
        let exact = raw == text;
        if ctx.searchable || ctx.heading || ctx.in_anchor {
            for (label, at) in undefined_refs(&text, raw, exact) {
                self.parsed
                    .undefined_refs
                    .push((label, self.base + self.pending_start + at));
            }
        }
        let mut rest = 0;
        for (s, e, target, shown) in find_links(&text) {
            if s > rest {
                self.push(Item::Text {
                    text: text[rest..s].to_string(),
                    ctx,
                });
            }
            let offset = self.base
                + self.pending_start
                + if exact {
                    s
                } else {
                    raw.find(&text[s..e])
                        .or_else(|| raw.find("[["))
                        .unwrap_or(0)
                };
            self.parsed.links.push(LinkRef {
                target: target.to_string(),
                offset,
            });
            let link = self.parsed.links.len() - 1;
            let in_anchor = self.anchor > 0;
            self.push(Item::EntityStart { link, in_anchor });
            let shown_ctx = TextCtx {
                searchable: false,
                in_anchor: true,
                ..ctx
            };
            self.push(Item::Text {
                text: shown.to_string(),
                ctx: shown_ctx,
            });
            self.push(Item::EntityEnd { in_anchor });
            rest = e;
        }
        if rest < text.len() {
            self.push(Item::Text {
                text: text[rest..].to_string(),
                ctx,
            });
        }
    }
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

/// `[[target]]` and `[[target|shown]]` in `text`: (start, end, target, shown).
pub fn find_links(text: &str) -> Vec<(usize, usize, &str, &str)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("[[") {
        let s = from + i;
        let inner_start = s + 2;
        let Some(j) = text[inner_start..].find("]]") else {
            break;
        };
        let inner = &text[inner_start..inner_start + j];
        if inner.contains(['[', ']', '\n']) || inner.trim().is_empty() {
            from = s + 1;
            continue;
        }
        let e = inner_start + j + 2;
        let (target, shown) = match inner.split_once('|') {
            Some((t, sh)) => (t.trim(), sh),
            None => (inner.trim(), inner),
        };
        if target.is_empty() || shown.trim().is_empty() {
            from = s + 1;
            continue;
        }
        out.push((s, e, target, shown));
        from = e;
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

    #[test]
    fn finds_links_with_and_without_shown_text() {
        let l = find_links("a [[marco-rubio]] b [[Marco Rubio|the secretary]] [[]] [[x");
        assert_eq!(l.len(), 2);
        assert_eq!((l[0].2, l[0].3), ("marco-rubio", "marco-rubio"));
        assert_eq!((l[1].2, l[1].3), ("Marco Rubio", "the secretary"));
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
