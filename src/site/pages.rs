//! Renders every page of the site through the theme, in parallel, into
//! output files in memory. The context each template gets is documented in
//! `docs/templates.md`.

use super::{capitalise, feeds, json, OutputFile, Sink, Site};
use crate::build::Annotated;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::render::theme::{Theme, STATIC};
use crate::site::urls::file_of;
use rayon::prelude::*;
use serde_json::{json, Value};
use std::hash::{Hash, Hasher};
use std::path::Path;

/// Articles on one page of the home list.
pub const HOME_PAGE_SIZE: usize = 10;
/// Articles on one page of an entity.
pub const ENTITY_PAGE_SIZE: usize = 50;
/// Snippets shown per article on an entity page.
pub const SNIPPETS_SHOWN: usize = 3;

/// A hash of everything a page's bytes depend on.
fn page_key(theme: u64, template: &str, context: &Value) -> u64 {
    use std::hash::Hasher;
    struct HashWriter(std::collections::hash_map::DefaultHasher);
    impl std::io::Write for HashWriter {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.write(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut w = HashWriter(std::collections::hash_map::DefaultHasher::new());
    w.0.write_u64(theme);
    w.0.write(template.as_bytes());
    let _ = serde_json::to_writer(&mut w, context);
    w.0.finish().max(1)
}

pub struct Ctx<'a> {
    pub sink: &'a dyn Sink,
    /// Pages the sink kept without rendering.
    pub kept: std::sync::Mutex<Vec<String>>,
    /// Templates rendered at least once.
    pub used: std::sync::Mutex<std::collections::HashSet<String>>,
    pub a: &'a Annotated,
    pub site: &'a Site,
    pub theme: &'a Theme,
    pub base: Value,
    pub summaries: Vec<Value>,
    /// Per article: a hash of its summary (what lists show of it).
    pub summary_hash: Vec<u64>,
    /// A hash of what every page depends on: templates, site settings and
    /// navigation, entities.
    pub global: u64,
}

impl Ctx<'_> {
    /// Renders `template` for the page at `url`, unless the sink already
    /// holds that page rendered from the same templates and context: then
    /// the page is kept and `None` comes back.
    fn render(
        &self,
        template: &str,
        url: &str,
        extra: Value,
    ) -> Result<Option<OutputFile>, Diagnostic> {
        let mut v = self.base.clone();
        if let (Some(m), Value::Object(e)) = (v.as_object_mut(), extra) {
            m.insert("page_url".into(), Value::String(url.to_string()));
            m.extend(e);
        }
        let path = file_of(&self.site.urls.base_path, url);
        if !self.sink.wants_pages() && !self.first_use(template) {
            // `check`: one page of each template is enough to find errors.
            if let Ok(mut k) = self.kept.lock() {
                k.push(path);
            }
            return Ok(None);
        }
        let key = page_key(self.theme.fingerprint, template, &v);
        if self.sink.keep(&path, key) {
            if let Ok(mut k) = self.kept.lock() {
                k.push(path);
            }
            return Ok(None);
        }
        let ctx = tera::Context::from_value(v).unwrap_or_default();
        let html = self.theme.render(template, &ctx)?;
        Ok(Some(OutputFile {
            path,
            bytes: html.into_bytes(),
            key,
        }))
    }

    /// Like [`Ctx::render`], for pages whose key is computed from the site
    /// model instead of from their context, so that a page the sink keeps
    /// costs neither a context nor a render: `key` must change whenever
    /// anything `extra` would hold changes.
    fn page(
        &self,
        template: &str,
        url: &str,
        key: u64,
        extra: impl FnOnce() -> Value,
    ) -> Result<Option<OutputFile>, Diagnostic> {
        let path = file_of(&self.site.urls.base_path, url);
        let checking = !self.sink.wants_pages() && !self.first_use(template);
        if checking || self.sink.keep(&path, key) {
            if let Ok(mut k) = self.kept.lock() {
                k.push(path);
            }
            return Ok(None);
        }
        let mut v = self.base.clone();
        if let (Some(m), Value::Object(e)) = (v.as_object_mut(), extra()) {
            m.insert("page_url".into(), Value::String(url.to_string()));
            m.extend(e);
        }
        let ctx = tera::Context::from_value(v).unwrap_or_default();
        let html = self.theme.render(template, &ctx)?;
        Ok(Some(OutputFile {
            path,
            bytes: html.into_bytes(),
            key,
        }))
    }

    /// A key for [`Ctx::page`]: the global hash, the page kind, and `parts`.
    fn key(&self, kind: &str, parts: impl Hash) -> u64 {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.global.hash(&mut h);
        kind.hash(&mut h);
        parts.hash(&mut h);
        h.finish().max(1)
    }

    /// True the first time a template is asked for.
    fn first_use(&self, template: &str) -> bool {
        self.used
            .lock()
            .map(|mut u| u.insert(template.to_string()))
            .unwrap_or(true)
    }

    fn entity_item(&self, e: u32, count: usize) -> Value {
        let ent = &self.a.content.entities[e as usize];
        json!({
            "id": ent.id, "name": ent.meta.name, "url": self.site.entity_refs[e as usize].href,
            "summary": ent.meta.summary, "count": count, "kind": ent.kind,
        })
    }
}

/// Only links a reader can safely follow.
pub fn safe_link(url: &str) -> bool {
    let u = url.trim().to_ascii_lowercase();
    u.starts_with("https://") || u.starts_with("http://") || u.starts_with("mailto:")
}

fn paginator(current: usize, total: usize, url: impl Fn(usize) -> String) -> Value {
    json!({
        "current": current, "total": total,
        "prev_url": if current > 1 { url(current - 1) } else { String::new() },
        "next_url": if current < total { url(current + 1) } else { String::new() },
    })
}

/// Renders every page into `sink`; gives the paths written.
pub fn render_all(
    root: &Path,
    a: &Annotated,
    site: &Site,
    theme: &Theme,
    sink: &dyn Sink,
) -> Result<Vec<String>, Diagnostics> {
    let urls = &site.urls;
    let cfg = &a.config;
    let summaries: Vec<Value> = a
        .content
        .articles
        .iter()
        .enumerate()
        .map(|(i, art)| {
            let tags: Vec<Value> = site.article_tags[i]
                .iter()
                .map(|&t| json!({"name": site.tags[t].name, "url": urls.tag(&site.tags[t].slug)}))
                .collect();
            json!({
                "title": art.meta.title, "slug": art.slug, "url": urls.article(&art.slug),
                "date": art.meta.date.iso(), "date_display": art.meta.date.display(),
                "summary": site.summaries[i], "authors": art.meta.authors, "tags": tags,
            })
        })
        .collect();
    let nav: Vec<Value> = a
        .content
        .pages
        .iter()
        .map(|p| json!({"title": p.meta.title, "url": urls.page(&p.slug)}))
        .collect();
    let base = json!({
        "site": {
            "title": cfg.title, "description": cfg.description, "language": cfg.language,
            "base_url": cfg.base_url, "base_path": cfg.base_path,
        },
        "nav_pages": nav,
        "feed_url": urls.file("atom.xml"),
    });
    let hash_json = |v: &Value| page_key(0, "", v);
    let summary_hash: Vec<u64> = summaries.par_iter().map(hash_json).collect();
    let global = page_key(theme.fingerprint, &a.context_key.to_string(), &base);
    let cx = Ctx {
        sink,
        kept: std::sync::Mutex::new(Vec::new()),
        used: Default::default(),
        a,
        site,
        theme,
        base,
        summaries,
        summary_hash,
        global,
    };
    let cx = &cx;
    let paths: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    let errors: std::sync::Mutex<Vec<Diagnostic>> = std::sync::Mutex::new(Vec::new());
    // Every page goes to the sink as soon as it is rendered; one broken
    // template fails every page that uses it, so each message is kept once.
    let emit = |r: Result<Vec<Option<OutputFile>>, Diagnostic>| match r {
        Ok(files) => {
            let mut names = Vec::with_capacity(files.len());
            for f in files.into_iter().flatten() {
                names.push(f.path.clone());
                if let Err(e) = sink.put(f) {
                    push_error(
                        &errors,
                        Diagnostic::file(
                            crate::diagnostics::Severity::Error,
                            Path::new(&names[names.len() - 1]),
                            format!("cannot write: {e}"),
                        ),
                    );
                }
            }
            if let Ok(mut p) = paths.lock() {
                p.extend(names);
            }
        }
        Err(d) => push_error(&errors, d),
    };
    type Job<'j> = Box<dyn Fn() -> Result<Vec<Option<OutputFile>>, Diagnostic> + Send + Sync + 'j>;
    let jobs: Vec<Job> = vec![
        Box::new(move || home_pages(cx)),
        Box::new(move || Ok(vec![entities_index(cx)?])),
        Box::new(move || tag_pages(cx)),
        Box::new(move || Ok(vec![archive(cx)?])),
        Box::new(move || free_pages(cx)),
        Box::new(move || {
            Ok(vec![cx.render(
                "404.html",
                &cx.site.urls.file("404.html"),
                json!({}),
            )?])
        }),
    ];
    let mut jobs = jobs;
    // Data files are not pages: a sink that wants no pages does not get them.
    if sink.wants_pages() {
        jobs.push(Box::new(move || {
            Ok(feeds::atom(cx).into_iter().map(Some).collect())
        }));
        jobs.push(Box::new(move || Ok(vec![Some(json::entities_json(cx))])));
        jobs.push(Box::new(move || Ok(vec![Some(json::search_json(cx))])));
    }
    jobs.par_iter().for_each(|j| emit(j()));
    (0..a.content.articles.len())
        .into_par_iter()
        .for_each(|i| emit(article_page(cx, i).map(|f| vec![f])));
    (0..a.content.entities.len())
        .into_par_iter()
        .for_each(|e| emit(entity_pages(cx, e)));
    let mut out = paths.into_inner().unwrap_or_default();
    out.extend(cx.kept.lock().map(|k| k.clone()).unwrap_or_default());
    let mut extra = Vec::new();
    extra.push(feeds::sitemap(cx, &out));
    extra.push(OutputFile::new(".nojekyll", Vec::new()));
    let mut diags = Diagnostics::new();
    let mut statics: Vec<OutputFile> = STATIC
        .iter()
        .map(|(name, bytes)| OutputFile::new(name.to_string(), bytes.to_vec()))
        .collect();
    static_files(root, &mut statics, &mut diags);
    extra.extend(statics);
    for f in extra {
        out.push(f.path.clone());
        let path = f.path.clone();
        if let Err(e) = sink.put(f) {
            diags.push(Diagnostic::file(
                crate::diagnostics::Severity::Error,
                Path::new(&path),
                format!("cannot write: {e}"),
            ));
        }
    }
    diags.extend(errors.into_inner().unwrap_or_default());
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(out)
}

fn push_error(errors: &std::sync::Mutex<Vec<Diagnostic>>, d: Diagnostic) {
    if let Ok(mut e) = errors.lock() {
        if !e.iter().any(|x| x.message == d.message && x.path == d.path) {
            e.push(d);
        }
    }
}

/// The site's `static/` folder, replacing built-in files of the same name.
fn static_files(root: &Path, out: &mut Vec<OutputFile>, diags: &mut Diagnostics) {
    let dir = root.join("static");
    if !dir.is_dir() {
        return;
    }
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diags.push(Diagnostic::file(
                    crate::diagnostics::Severity::Error,
                    Path::new("static"),
                    format!("cannot read: {e}"),
                ));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(&dir)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        match std::fs::read(entry.path()) {
            Ok(bytes) => {
                out.retain(|f| f.path != rel);
                out.push(OutputFile::new(rel, bytes));
            }
            Err(e) => diags.push(Diagnostic::file(
                crate::diagnostics::Severity::Error,
                entry.path().strip_prefix(root).unwrap_or(entry.path()),
                format!("cannot read: {e}"),
            )),
        }
    }
}

fn home_pages(cx: &Ctx) -> Result<Vec<Option<OutputFile>>, Diagnostic> {
    let urls = &cx.site.urls;
    let n = cx.summaries.len();
    let total = n.div_ceil(HOME_PAGE_SIZE).max(1);
    (1..=total)
        .map(|p| {
            let range = ((p - 1) * HOME_PAGE_SIZE).min(n)..(p * HOME_PAGE_SIZE).min(n);
            let key = cx.key("index", (p, total, &cx.summary_hash[range.clone()]));
            cx.page("index.html", &urls.home(p), key, || {
                let articles = &cx.summaries[range];
                json!({"articles": articles, "paginator": paginator(p, total, |k| urls.home(k))})
            })
        })
        .collect()
}

fn article_page(cx: &Ctx, i: usize) -> Result<Option<OutputFile>, Diagnostic> {
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
        let mut groups = Vec::new();
        for kind in &a.config.kinds {
            let ents: Vec<Value> = site.article_entities[i]
                .iter()
                .filter(|(e, _)| a.content.entities[*e as usize].kind == kind.key)
                .map(|&(e, c)| cx.entity_item(e, c))
                .collect();
            if !ents.is_empty() {
                groups.push(json!({"kind": kind.key, "label": kind.label, "entities": ents}));
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
        article["content"] = json!(doc.html.body);
        article["notes"] = json!(doc.html.notes);
        article["source"] = json!(art.meta.source.clone().unwrap_or_default());
        article["entity_groups"] = json!(groups);
        article["prev"] = cx.summaries.get(prev).cloned().unwrap_or(Value::Null);
        article["next"] = next.map_or(Value::Null, |n| cx.summaries[n].clone());
        article["related"] = json!(related);
        json!({ "article": article })
    })
}

fn entities_index(cx: &Ctx) -> Result<Option<OutputFile>, Diagnostic> {
    let a = cx.a;
    let mut groups = Vec::new();
    for kind in &a.config.kinds {
        let ents: Vec<Value> = a
            .content
            .entities
            .iter()
            .enumerate()
            .filter(|(_, e)| e.kind == kind.key)
            .map(|(i, _)| cx.entity_item(i as u32, cx.site.mention_count[i]))
            .collect();
        if !ents.is_empty() {
            let mut ents = ents;
            ents.sort_by(|x, y| {
                let key = |v: &Value| v["name"].as_str().unwrap_or("").to_lowercase();
                key(x).cmp(&key(y))
            });
            groups.push(json!({"kind": kind.key, "label": kind.label, "entities": ents}));
        }
    }
    cx.render(
        "entities.html",
        &cx.site.urls.entities(),
        json!({ "groups": groups }),
    )
}

/// The snippet of a mention as HTML, the mention itself in `<mark>`.
pub fn snippet_html(s: (&str, &str, &str)) -> String {
    format!(
        "{}<mark>{}</mark>{}",
        crate::escape::html(s.0),
        crate::escape::html(s.1),
        crate::escape::html(s.2)
    )
}

fn entity_pages(cx: &Ctx, e: usize) -> Result<Vec<Option<OutputFile>>, Diagnostic> {
    let a = cx.a;
    let site = cx.site;
    let urls = &site.urls;
    let ent = &a.content.entities[e];
    let kind_label = a
        .config
        .kind(&ent.kind)
        .map(|k| k.label.clone())
        .unwrap_or_else(|| capitalise(&ent.kind));
    let description = &a.entity_docs[e].html;
    let wikidata = ent.meta.wikidata.clone().unwrap_or_default();
    let wikidata_ok = !wikidata.is_empty()
        && wikidata.starts_with('Q')
        && wikidata[1..].bytes().all(|b| b.is_ascii_digit());
    let links: Vec<&String> = ent.meta.links.iter().filter(|l| safe_link(l)).collect();
    let entity = json!({
        "id": ent.id, "name": ent.meta.name, "kind": ent.kind, "kind_label": kind_label,
        "summary": ent.meta.summary, "description": format!("{}{}", description.body, description.notes),
        "aliases": ent.meta.aliases.iter().map(|s| s.get_ref().clone()).collect::<Vec<_>>(),
        "links": links, "wikidata": wikidata,
        "wikidata_url": if wikidata_ok { format!("https://www.wikidata.org/wiki/{wikidata}") } else { String::new() },
        "url": urls.entity(&ent.id, 1),
    });
    let co: Vec<Value> = site.co_mentioned[e]
        .iter()
        .map(|&(o, c)| {
            let oe = &a.content.entities[o as usize];
            json!({"id": oe.id, "name": oe.meta.name, "url": site.entity_refs[o as usize].href, "count": c, "kind": oe.kind})
        })
        .collect();
    let list = &site.mentions_of[e];
    let total_pages = list.len().div_ceil(ENTITY_PAGE_SIZE).max(1);
    let mut out = Vec::with_capacity(total_pages);
    for p in 1..=total_pages {
        let range =
            ((p - 1) * ENTITY_PAGE_SIZE).min(list.len())..(p * ENTITY_PAGE_SIZE).min(list.len());
        let shown: Vec<(u64, u64, usize)> = list[range.clone()]
            .iter()
            .map(|(ai, ms)| (cx.summary_hash[*ai], a.articles[*ai].r.hash, ms.len()))
            .collect();
        let key = cx.key(
            "entity",
            (
                e,
                p,
                total_pages,
                list.len(),
                site.mention_count[e],
                &site.co_mentioned[e],
                shown,
            ),
        );
        let mentions = || -> Vec<Value> {
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
                        json!({"html": snippet_html(m.parts()), "url": format!("{article_url}#m-{}-{}", ent.id, m.n)})
                    })
                    .collect();
                json!({
                    "title": art.meta.title, "url": article_url, "date": art.meta.date.iso(),
                    "date_display": art.meta.date.display(), "count": ms.len(), "snippets": snippets,
                })
            })
            .collect()
        };
        out.push(cx.page("entity.html", &urls.entity(&ent.id, p), key, || {
            json!({
                "entity": entity, "mentions": mentions(), "total_articles": list.len(),
                "total_mentions": site.mention_count[e], "co_mentioned": co,
                "paginator": paginator(p, total_pages, |k| urls.entity(&ent.id, k)),
            })
        })?);
    }
    Ok(out)
}

fn tag_pages(cx: &Ctx) -> Result<Vec<Option<OutputFile>>, Diagnostic> {
    let urls = &cx.site.urls;
    let mut tags: Vec<&super::Tag> = cx.site.tags.iter().collect();
    tags.sort_by_key(|t| t.name.to_lowercase());
    let list: Vec<Value> = tags
        .iter()
        .map(|t| json!({"name": t.name, "url": urls.tag(&t.slug), "count": t.articles.len()}))
        .collect();
    let mut out = vec![cx.render("tags.html", &urls.tags(), json!({ "tags": list }))?];
    for t in tags {
        let hashes: Vec<u64> = t.articles.iter().map(|&i| cx.summary_hash[i]).collect();
        let key = cx.key("tag", (&t.slug, &t.name, hashes));
        out.push(cx.page("tag.html", &urls.tag(&t.slug), key, || {
            let articles: Vec<&Value> = t.articles.iter().map(|&i| &cx.summaries[i]).collect();
            json!({"tag": {"name": t.name, "url": urls.tag(&t.slug)}, "articles": articles})
        })?);
    }
    Ok(out)
}

/// A year and its months, each with its article summaries.
type Year = (u16, Vec<(u8, Vec<Value>)>);

fn archive(cx: &Ctx) -> Result<Option<OutputFile>, Diagnostic> {
    let mut years: Vec<Value> = Vec::new();
    let mut cur: Option<Year> = None;
    let flush = |cur: Option<Year>, years: &mut Vec<Value>| {
        if let Some((y, months)) = cur {
            let months: Vec<Value> = months
                .into_iter()
                .map(|(m, arts)| {
                    let name = crate::content::Date {
                        year: y,
                        month: m,
                        day: 1,
                        seconds: None,
                    }
                    .month_name();
                    json!({"month": m, "name": name, "articles": arts})
                })
                .collect();
            years.push(json!({"year": y, "months": months}));
        }
    };
    for (i, art) in cx.a.content.articles.iter().enumerate() {
        let (y, m) = (art.meta.date.year, art.meta.date.month);
        if cur.as_ref().is_none_or(|c| c.0 != y) {
            flush(cur.take(), &mut years);
            cur = Some((y, Vec::new()));
        }
        if let Some((_, months)) = &mut cur {
            if months.last().is_none_or(|l| l.0 != m) {
                months.push((m, Vec::new()));
            }
            if let Some(last) = months.last_mut() {
                last.1.push(cx.summaries[i].clone());
            }
        }
    }
    flush(cur, &mut years);
    cx.render(
        "archive.html",
        &cx.site.urls.archive(),
        json!({ "years": years }),
    )
}

fn free_pages(cx: &Ctx) -> Result<Vec<Option<OutputFile>>, Diagnostic> {
    cx.a.content
        .pages
        .iter()
        .zip(&cx.a.page_docs)
        .map(|(p, doc)| {
            let html = &doc.html;
            let url = cx.site.urls.page(&p.slug);
            cx.render(
                "page.html",
                &url,
                json!({"page": {"title": p.meta.title, "content": format!("{}{}", html.body, html.notes), "url": url}}),
            )
        })
        .collect()
}
