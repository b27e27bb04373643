//! The list pages: home (paginated), the entity index, tags and tag pages,
//! the archive by year and month, and free-standing pages.

use super::pages::{object, page_count, page_range, paginator, Ctx, HOME_PAGE_SIZE, TAG_PAGE_SIZE};
use super::OutputFile;
use crate::diagnostics::Diagnostic;
use rayon::prelude::*;
use serde_json::{json, Value};

pub(super) fn home_pages(cx: &Ctx) -> Result<Vec<Option<OutputFile>>, Diagnostic> {
    let urls = &cx.site.urls;
    let n = cx.summaries.len();
    let total = page_count(n, HOME_PAGE_SIZE);
    (1..=total)
        .into_par_iter()
        .map(|p| {
            let range = page_range(p, HOME_PAGE_SIZE, n);
            let key = cx.key("index", (p, total, &cx.summary_hash[range.clone()]));
            cx.page("index.html", &urls.home(p), key, || {
                object([
                    ("articles", Value::Array(cx.summaries[range].to_vec())),
                    ("paginator", paginator(p, total, |k| urls.home(k))),
                ])
            })
        })
        .collect()
}

pub(super) fn entities_index(cx: &Ctx) -> Result<Option<OutputFile>, Diagnostic> {
    // Names, kinds and summaries are in the global key (the entities' files).
    let key = cx.key("entities", &cx.site.mention_count);
    cx.page("entities.html", &cx.site.urls.entities(), key, || {
        object([("groups", Value::Array(entity_groups(cx)))])
    })
}

/// Each kind's entities, by name ([`crate::collate`]).
fn entity_groups(cx: &Ctx) -> Vec<Value> {
    let a = cx.a;
    let rank = &cx.site.name_rank;
    let mut groups = Vec::new();
    for kind in &a.config.kinds {
        let mut of_kind: Vec<usize> = (0..a.content.entities.len())
            .filter(|&i| a.content.entities[i].kind == kind.key)
            .collect();
        if !of_kind.is_empty() {
            of_kind.sort_unstable_by_key(|&i| rank[i]);
            let ents: Vec<Value> = of_kind
                .into_iter()
                .map(|i| cx.entity_item(i as u32, cx.site.mention_count[i]))
                .collect();
            let mut g = json!({"kind": kind.key, "label": kind.label});
            g["entities"] = Value::Array(ents);
            groups.push(g);
        }
    }
    groups
}

pub(super) fn tag_pages(cx: &Ctx) -> Result<Vec<Option<OutputFile>>, Diagnostic> {
    let urls = &cx.site.urls;
    // By name ([`crate::collate`]); tags of equal names (none: names that
    // differ only in case or space are one tag) by slug.
    let mut tags: Vec<&super::Tag> = cx.site.tags.iter().collect();
    tags.sort_by_cached_key(|&t| (crate::collate::key(&t.name), t.slug.as_str()));
    let list: Vec<Value> = tags
        .iter()
        .map(|t| json!({"name": t.name, "url": urls.tag(&t.slug), "count": t.articles.len()}))
        .collect();
    let index = cx.render(
        "tags.html",
        &urls.tags(),
        object([("tags", Value::Array(list))]),
    )?;
    // Every page of every tag, made in parallel.
    let pages: Vec<(&super::Tag, usize, usize)> = tags
        .iter()
        .flat_map(|t| {
            let total = page_count(t.articles.len(), TAG_PAGE_SIZE);
            (1..=total).map(move |p| (*t, p, total))
        })
        .collect();
    let mut out: Vec<Option<OutputFile>> = pages
        .into_par_iter()
        .map(|(t, p, total)| {
            let n = t.articles.len();
            let range = page_range(p, TAG_PAGE_SIZE, n);
            let shown = &t.articles[range];
            let hashes: Vec<u64> = shown.iter().map(|&i| cx.summary_hash[i]).collect();
            let key = cx.key("tag", (&t.slug, &t.name, p, total, n, hashes));
            cx.page("tag.html", &urls.tag_page(&t.slug, p), key, || {
                let articles: Vec<Value> = shown.iter().map(|&i| cx.summaries[i].clone()).collect();
                object([
                    (
                        "tag",
                        json!({"name": t.name, "url": urls.tag(&t.slug), "count": n}),
                    ),
                    ("articles", Value::Array(articles)),
                    (
                        "paginator",
                        paginator(p, total, |k| urls.tag_page(&t.slug, k)),
                    ),
                ])
            })
        })
        .collect::<Result<_, _>>()?;
    out.push(index);
    Ok(out)
}

pub(super) fn archive(cx: &Ctx) -> Result<Option<OutputFile>, Diagnostic> {
    // Years and months come from the dates, which the summaries hold.
    let key = cx.key("archive", cx.summary_hash);
    cx.page("archive.html", &cx.site.urls.archive(), key, || {
        object([("years", Value::Array(years(cx)))])
    })
}

/// The archive: years, newest first, each with its months, newest first,
/// each with its articles in the site's order. An article is under the
/// year and month of its date as written (as it shows); articles are
/// ordered by instant ([`crate::content::model::ArticleDate`]), so one
/// written on 1 September east of UTC may come after one written on 31
/// August: months are gathered, not cut where the month changes.
fn years(cx: &Ctx) -> Vec<Value> {
    let mut months: std::collections::BTreeMap<std::cmp::Reverse<(u16, u8)>, Vec<Value>> =
        std::collections::BTreeMap::new();
    for (i, art) in cx.a.content.articles.iter().enumerate() {
        let (y, m) = (art.meta.date.year, art.meta.date.month);
        months
            .entry(std::cmp::Reverse((y, m)))
            .or_default()
            .push(cx.summaries[i].clone());
    }
    let lang = cx.a.config.lang();
    let mut years: Vec<Value> = Vec::new();
    let mut current: Option<(u16, Vec<Value>)> = None;
    let flush = |current: Option<(u16, Vec<Value>)>, years: &mut Vec<Value>| {
        if let Some((y, ms)) = current {
            let mut year = json!({ "year": y });
            year["months"] = Value::Array(ms);
            years.push(year);
        }
    };
    for (std::cmp::Reverse((y, m)), arts) in months {
        if current.as_ref().is_none_or(|c| c.0 != y) {
            flush(current.take(), &mut years);
            current = Some((y, Vec::new()));
        }
        // A heading: capitalised in every language.
        let name = super::capitalise(lang.month(m));
        let mut month = json!({"month": m, "name": name});
        month["articles"] = Value::Array(arts);
        if let Some((_, ms)) = &mut current {
            ms.push(month);
        }
    }
    flush(current, &mut years);
    years
}

pub(super) fn free_pages(cx: &Ctx) -> Result<Vec<Option<OutputFile>>, Diagnostic> {
    cx.a.content
        .pages
        .iter()
        .zip(&cx.a.page_docs)
        .map(|(p, doc)| {
            let html = doc.html.unpack();
            let url = cx.site.urls.page(&p.slug);
            cx.render(
                "page.html",
                &url,
                json!({"page": {"title": p.meta.title, "content": format!("{}{}", html.body, html.notes), "url": url}}),
            )
        })
        .collect()
}
