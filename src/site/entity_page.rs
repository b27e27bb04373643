//! An entity's pages: what it is, and every article that mentions it with
//! snippets linking to each mention, paginated for very popular entities.

use super::capitalise;
use super::pages::{
    object, page_count, page_range, paginator, Ctx, ENTITY_PAGE_SIZE, SNIPPETS_SHOWN,
};
use super::OutputFile;
use crate::diagnostics::Diagnostic;
use serde_json::{json, Value};

/// The snippet of a mention as HTML, the mention itself in `<mark>`.
pub fn snippet_html(s: (&str, &str, &str)) -> String {
    format!(
        "{}<mark>{}</mark>{}",
        crate::escape::html(s.0),
        crate::escape::html(s.1),
        crate::escape::html(s.2)
    )
}

pub(super) fn entity_pages(cx: &Ctx, e: usize) -> Result<Vec<Option<OutputFile>>, Diagnostic> {
    let a = cx.a;
    let site = cx.site;
    let urls = &site.urls;
    let ent = &a.content.entities[e];
    let lang = a.config.lang();
    let kind_label = a
        .config
        .kind(&ent.kind)
        .map(|k| k.label.clone())
        .unwrap_or_else(|| capitalise(&ent.kind));
    let description = a.entity_docs[e].html.unpack();
    let wikidata = ent.meta.wikidata.clone().unwrap_or_default();
    let wikidata_ok = !wikidata.is_empty()
        && wikidata.starts_with('Q')
        && wikidata[1..].bytes().all(|b| b.is_ascii_digit());
    let links: Vec<std::borrow::Cow<str>> = ent
        .meta
        .links
        .iter()
        .filter(|l| crate::render::url::safe_link(l))
        .map(|l| crate::render::url::written_url(l))
        .collect();
    let entity = json!({
        "id": ent.id, "name": ent.meta.name, "kind": ent.kind, "kind_label": kind_label,
        "summary": ent.meta.summary, "description": format!("{}{}", description.body, description.notes),
        "aliases": ent.meta.aliases.iter().map(|s| s.get_ref().clone()).collect::<Vec<_>>(),
        "links": links, "wikidata": wikidata,
        "wikidata_url": if wikidata_ok { format!("https://www.wikidata.org/wiki/{wikidata}") } else { String::new() },
        "url": urls.entity(&ent.id, 1),
    });
    let co: Vec<Value> = site
        .co_mentioned_shown(e)
        .iter()
        .map(|&(o, c)| {
            let oe = &a.content.entities[o as usize];
            json!({"id": oe.id, "name": oe.meta.name, "url": site.entity_refs[o as usize].href, "count": c, "kind": oe.kind})
        })
        .collect();
    let list = &site.mentions_of[e];
    let total_pages = page_count(list.len(), ENTITY_PAGE_SIZE);
    let mut out = Vec::with_capacity(total_pages);
    for p in 1..=total_pages {
        let range = page_range(p, ENTITY_PAGE_SIZE, list.len());
        let shown: Vec<(u64, u64, usize)> = list[range.clone()]
            .iter()
            .map(|(ai, ms)| (cx.summary_hash[*ai], a.articles[*ai].r.hash, ms.len()))
            .collect();
        // Totals and co-mentions are on the first page only: they change
        // with any edit that touches the entity, and repeated on every page
        // of a popular entity's list they made such an edit re-render them
        // all (191 pages for the most mentioned of a 10k archive).
        let first = p == 1;
        let key = if first {
            let totals = (list.len(), site.mention_count[e], &site.co_mentioned[e]);
            cx.key("entity", (e, p, total_pages, totals, shown))
        } else {
            cx.key("entity", (e, p, total_pages, shown))
        };
        let mentions =
            || -> Vec<Value> {
                list[range.clone()]
            .iter()
            .map(|(ai, ms)| {
                let art = &a.content.articles[*ai];
                let doc = &a.articles[*ai].r;
                let article_url = urls.article(&art.slug);
                let snippets: Vec<Value> = ms
                    .iter()
                    .take(SNIPPETS_SHOWN)
                    .map(|&mi| {
                        let m = &doc.mentions[mi];
                        object([
                            ("html", Value::String(snippet_html(doc.snippet_parts(mi)))),
                            ("url", Value::String(format!("{article_url}#m-{}-{}", ent.id, m.n))),
                        ])
                    })
                    .collect();
                let mut item = json!({
                    "title": art.meta.title, "url": article_url, "date": art.meta.date.iso(),
                    "date_display": art.meta.date.display(lang), "count": ms.len(),
                });
                item["snippets"] = Value::Array(snippets);
                item
            })
            .collect()
            };
        out.push(cx.page("entity.html", &urls.entity(&ent.id, p), key, || {
            let mut v = object([
                ("entity", entity.clone()),
                ("mentions", Value::Array(mentions())),
                (
                    "paginator",
                    paginator(p, total_pages, |k| urls.entity(&ent.id, k)),
                ),
            ]);
            if first {
                v["total_articles"] = json!(list.len());
                v["total_mentions"] = json!(site.mention_count[e]);
                v["co_mentioned"] = Value::Array(co.clone());
            }
            v
        })?);
    }
    Ok(out)
}
