//! `entities.json`: every entity with every article that mentions it and
//! each mention (anchor, URL, snippet), for reuse outside the site.

use super::pages::Ctx;
use super::OutputFile;
use serde::Serialize;

#[derive(Serialize)]
struct Root<'a> {
    entities: Vec<EntityOut<'a>>,
}

#[derive(Serialize)]
struct EntityOut<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'a str,
    aliases: Vec<&'a str>,
    summary: &'a str,
    url: String,
    mention_count: usize,
    articles: Vec<ArticleOut<'a>>,
}

#[derive(Serialize)]
struct ArticleOut<'a> {
    slug: &'a str,
    title: &'a str,
    date: String,
    url: String,
    mentions: Vec<MentionOut>,
}

#[derive(Serialize)]
struct MentionOut {
    anchor: String,
    url: String,
    snippet: String,
}

pub fn entities_json(cx: &Ctx) -> OutputFile {
    let urls = &cx.site.urls;
    let a = cx.a;
    let entities = a
        .content
        .entities
        .iter()
        .enumerate()
        .map(|(e, ent)| EntityOut {
            id: &ent.id,
            name: &ent.meta.name,
            kind: &ent.kind,
            aliases: ent
                .meta
                .aliases
                .iter()
                .map(|s| s.get_ref().as_str())
                .collect(),
            summary: &ent.meta.summary,
            url: urls.absolute(&urls.entity(&ent.id, 1)),
            mention_count: cx.site.mention_count[e],
            articles: cx.site.mentions_of[e]
                .iter()
                .map(|(ai, ms)| {
                    let art = &a.content.articles[*ai];
                    let url = urls.absolute(&urls.article(&art.slug));
                    let doc = &a.articles[*ai].r;
                    ArticleOut {
                        slug: &art.slug,
                        title: &art.meta.title,
                        date: art.meta.date.iso(),
                        mentions: ms
                            .iter()
                            .map(|&mi| {
                                let m = &doc.mentions[mi];
                                let anchor = format!("m-{}-{}", ent.id, m.n);
                                MentionOut {
                                    url: format!("{url}#{anchor}"),
                                    anchor,
                                    snippet: format!(
                                        "{}{}{}",
                                        m.snippet.0, m.snippet.1, m.snippet.2
                                    ),
                                }
                            })
                            .collect(),
                        url,
                    }
                })
                .collect(),
        })
        .collect();
    let bytes = serde_json::to_vec(&Root { entities }).unwrap_or_default();
    OutputFile::new("entities.json", bytes)
}
