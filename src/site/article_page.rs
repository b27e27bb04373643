//! An article's page: its text and notes, the entities it mentions grouped by
//! kind, its neighbours by date and its related articles.

use super::pages::{object, Ctx};
use super::OutputFile;
use crate::diagnostics::Diagnostic;
use serde_json::{json, Value};

pub(super) fn article_page(cx: &Ctx, i: usize) -> Result<Option<OutputFile>, Diagnostic> {
    let a = cx.a;
    let site = cx.site;
    let art = &a.content.articles[i];
    let doc = &a.articles[i].r;
    // Articles are newest first: the previous (older) one follows.
    let (prev, next) = (i + 1, i.checked_sub(1));
    let related: Vec<(u64, usize)> = site.related[i]
        .iter()
        .map(|&(r, n)| (cx.summary_hash[r], n))
        .collect();
    let key = cx.key(
        "article",
        (
            doc.hash,
            &art.meta.source,
            cx.summary_hash[i],
            cx.summary_hash.get(prev),
            next.map(|n| cx.summary_hash[n]),
            related,
            &site.article_entities[i],
        ),
    );
    cx.page("article.html", &site.urls.article(&art.slug), key, || {
        // Each kind's entities most mentioned first, ties by name.
        let mut entities = site.article_entities[i].clone();
        site.by_count_then_name(&mut entities);
        let mut groups = Vec::new();
        for kind in &a.config.kinds {
            let ents: Vec<Value> = entities
                .iter()
                .filter(|(e, _)| a.content.entities[*e as usize].kind == kind.key)
                .map(|&(e, c)| cx.entity_item(e, c))
                .collect();
            if !ents.is_empty() {
                let mut g = json!({"kind": kind.key, "label": kind.label});
                g["entities"] = Value::Array(ents);
                groups.push(g);
            }
        }
        let related: Vec<Value> = site.related[i]
            .iter()
            .map(|&(r, shared)| {
                let mut v = cx.summaries[r].clone();
                v["shared"] = json!(shared);
                v
            })
            .collect();
        let mut article = cx.summaries[i].clone();
        let html = doc.html.unpack();
        article["content"] = Value::String(html.body);
        article["notes"] = Value::String(html.notes);
        // A URL is written as URLs carry it (the template links it); any
        // other source is a citation, shown as written.
        let source = art.meta.source.as_deref().unwrap_or_default();
        let source = match crate::render::url::scheme(source).as_deref() {
            Some("http" | "https") => crate::render::url::written_url(source),
            _ => source.into(),
        };
        article["source"] = json!(source);
        article["entity_groups"] = Value::Array(groups);
        article["prev"] = cx.summaries.get(prev).cloned().unwrap_or(Value::Null);
        article["next"] = next.map_or(Value::Null, |n| cx.summaries[n].clone());
        article["related"] = Value::Array(related);
        object([("article", article)])
    })
}
