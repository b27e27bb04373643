//! `entities.json`: every entity with every article that mentions it and
//! each mention (anchor, URL, snippet), for reuse outside the site.
//!
//! Written straight as bytes, record by record: on a large archive this file
//! holds hundreds of thousands of mentions, and building a tree of owned
//! values first (or the whole file in memory) would double the build's peak
//! memory.

use super::pages::Ctx;
use super::OutputFile;
use crate::escape::push_json;
use rayon::prelude::*;
use std::io::{self, Write};

fn key(out: &mut Vec<u8>, k: &str) {
    push_json(out, k);
    out.push(b':');
}

/// Writes `entities.json` into `w`, one entity's record at a time: on a
/// large archive the file is the size of every page of the site together,
/// and is never held whole.
pub fn write_entities_json(cx: &Ctx, w: &mut dyn Write) -> io::Result<()> {
    // Records are made in parallel, a batch at a time, and written in order:
    // made one after the other they were the longest single task of a build.
    const BATCH: usize = 128;
    let n = cx.a.content.entities.len();
    w.write_all(ENTITIES_HEAD)?;
    for start in (0..n).step_by(BATCH) {
        let records: Vec<Vec<u8>> = (start..(start + BATCH).min(n))
            .into_par_iter()
            .map(|e| {
                let mut out = Vec::new();
                entity_record(cx, e, &mut out);
                out
            })
            .collect();
        for (k, r) in records.iter().enumerate() {
            if start + k > 0 {
                w.write_all(b",")?;
            }
            w.write_all(r)?;
        }
    }
    w.write_all(ENTITIES_TAIL)
}

/// One entity's record in `entities.json`.
pub fn entity_record(cx: &Ctx, e: usize, out: &mut Vec<u8>) {
    entity_head(cx, e, out);
    for k in 0..cx.site.mentions_of[e].len() {
        if k > 0 {
            out.push(b',');
        }
        entity_article(cx, e, k, out);
    }
    out.extend_from_slice(ENTITY_TAIL);
}

/// What closes an entity's record, after its articles.
pub const ENTITY_TAIL: &[u8] = b"]}";

/// An entity's record up to its list of articles (`..."articles":[`).
pub fn entity_head(cx: &Ctx, e: usize, out: &mut Vec<u8>) {
    let urls = &cx.site.urls;
    let ent = &cx.a.content.entities[e];
    out.push(b'{');
    key(out, "id");
    push_json(out, &ent.id);
    out.push(b',');
    key(out, "name");
    push_json(out, &ent.meta.name);
    out.push(b',');
    key(out, "kind");
    push_json(out, &ent.kind);
    out.push(b',');
    key(out, "aliases");
    out.push(b'[');
    for (i, alias) in ent.meta.aliases.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_json(out, alias.get_ref());
    }
    out.extend_from_slice(b"],");
    key(out, "summary");
    push_json(out, &ent.meta.summary);
    out.push(b',');
    key(out, "url");
    push_json(out, &urls.absolute(&urls.entity(&ent.id, 1)));
    out.push(b',');
    key(out, "mention_count");
    out.extend_from_slice(cx.site.mention_count[e].to_string().as_bytes());
    out.push(b',');
    key(out, "articles");
    out.push(b'[');
}

/// The `k`-th article in entity `e`'s record, with its mentions of `e`.
pub fn entity_article(cx: &Ctx, e: usize, k: usize, out: &mut Vec<u8>) {
    let urls = &cx.site.urls;
    let a = cx.a;
    let ent = &a.content.entities[e];
    let (ai, ms) = &cx.site.mentions_of[e][k];
    let art = &a.content.articles[*ai];
    let url = urls.absolute(&urls.article(&art.slug));
    let doc = &a.articles[*ai].r;
    out.push(b'{');
    key(out, "slug");
    push_json(out, &art.slug);
    out.push(b',');
    key(out, "title");
    push_json(out, &art.meta.title);
    out.push(b',');
    key(out, "date");
    push_json(out, &art.meta.date.iso());
    out.push(b',');
    key(out, "url");
    push_json(out, &url);
    out.push(b',');
    key(out, "mentions");
    out.push(b'[');
    for (j, &mi) in ms.iter().enumerate() {
        if j > 0 {
            out.push(b',');
        }
        let m = &doc.mentions[mi];
        let snippet = doc.snippet(mi);
        let anchor = format!("m-{}-{}", ent.id, m.n);
        out.push(b'{');
        key(out, "anchor");
        push_json(out, &anchor);
        out.push(b',');
        key(out, "url");
        push_json(out, &format!("{url}#{anchor}"));
        out.push(b',');
        key(out, "snippet");
        push_json(out, snippet);
        out.push(b'}');
    }
    out.extend_from_slice(b"]}");
}

/// `search.json`: one record per article (title, URL, date, summary, tags,
/// names of the entities it mentions), for client-side search.
pub fn search_json(cx: &Ctx) -> OutputFile {
    let mut out: Vec<u8> = Vec::with_capacity(1 << 16);
    out.extend_from_slice(SEARCH_HEAD);
    for i in 0..cx.a.content.articles.len() {
        if i > 0 {
            out.push(b',');
        }
        search_record(cx, i, &mut out);
    }
    out.extend_from_slice(SEARCH_TAIL);
    OutputFile::new("search.json", out)
}

pub const SEARCH_HEAD: &[u8] = b"{\"articles\":[";
pub const SEARCH_TAIL: &[u8] = b"]}\n";
pub const ENTITIES_HEAD: &[u8] = b"{\"entities\":[";
pub const ENTITIES_TAIL: &[u8] = b"]}\n";

/// Joins records into one JSON file onto `out`: head, records with commas
/// between them, tail. A record is made of parts, written one after the other.
pub fn join_onto<'r, R: AsRef<[&'r [u8]]>>(
    out: &mut Vec<u8>,
    head: &[u8],
    records: &[R],
    tail: &[u8],
) {
    let len = head.len()
        + tail.len()
        + records
            .iter()
            .map(|r| 1 + r.as_ref().iter().map(|p| p.len()).sum::<usize>())
            .sum::<usize>();
    out.reserve(len);
    out.extend_from_slice(head);
    for (i, r) in records.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        for p in r.as_ref() {
            out.extend_from_slice(p);
        }
    }
    out.extend_from_slice(tail);
}

/// Article `i`'s record in `search.json`.
pub fn search_record(cx: &Ctx, i: usize, out: &mut Vec<u8>) {
    let urls = &cx.site.urls;
    let a = cx.a;
    let art = &a.content.articles[i];
    {
        out.push(b'{');
        key(out, "title");
        push_json(out, &art.meta.title);
        out.push(b',');
        key(out, "url");
        push_json(out, &urls.article(&art.slug));
        out.push(b',');
        key(out, "date");
        push_json(out, &art.meta.date.iso());
        out.push(b',');
        key(out, "summary");
        push_json(out, &cx.site.summaries[i]);
        out.push(b',');
        key(out, "tags");
        out.push(b'[');
        for (k, &t) in cx.site.article_tags[i].iter().enumerate() {
            if k > 0 {
                out.push(b',');
            }
            push_json(out, &cx.site.tags[t].name);
        }
        out.extend_from_slice(b"],");
        key(out, "entities");
        out.push(b'[');
        // As the article's page lists them: most mentioned first, then by name.
        let mut entities = cx.site.article_entities[i].clone();
        cx.site.by_count_then_name(&mut entities);
        for (k, &(e, _)) in entities.iter().enumerate() {
            if k > 0 {
                out.push(b',');
            }
            push_json(out, &a.content.entities[e as usize].meta.name);
        }
        out.extend_from_slice(b"]}");
    }
}
