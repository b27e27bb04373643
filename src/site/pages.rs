//! Renders every page of the site through the theme, in parallel, into a
//! [`Sink`]: [`render_all`] runs the page kinds (`article_page`,
//! `entity_page`, `lists`, `feeds`, `json`); [`Ctx`] gives them the shared
//! context and the page keys that let a sink keep unchanged pages. The
//! context each template gets is documented in `docs/templates.md`.

use super::article_page::article_page;
use super::entity_page::entity_pages;
use super::lists::{archive, entities_index, free_pages, home_pages, tag_pages};
use super::{feeds, json, OutputFile, Sink, Site};
use crate::build::Annotated;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::render::theme::{RenderError, Theme, STATIC};
use crate::site::urls::file_of;
use rayon::prelude::*;
use serde_json::{json, Value};
use std::hash::{Hash, Hasher};
use std::path::Path;

/// Articles on one page of the home list.
pub const HOME_PAGE_SIZE: usize = 10;
/// Articles on one page of a tag.
pub const TAG_PAGE_SIZE: usize = 50;
/// Articles on one page of an entity.
pub const ENTITY_PAGE_SIZE: usize = 50;
/// Snippets shown per article on an entity page.
pub const SNIPPETS_SHOWN: usize = 3;

/// A hash of everything a page's bytes depend on.
fn page_key(theme: u64, template: &str, context: &Value) -> u64 {
    use std::hash::Hasher;
    struct HashWriter(xxhash_rust::xxh3::Xxh3);
    impl std::io::Write for HashWriter {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.write(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut w = HashWriter(xxhash_rust::xxh3::Xxh3::new());
    w.0.write_u64(theme);
    w.0.write(template.as_bytes());
    let _ = serde_json::to_writer(&mut w, context);
    w.0.finish().max(1)
}

/// What the pages of a site share, derived once per build and, under
/// `serve`, kept and updated for each edited article ([`Lists::update`]):
/// the common context, each article as lists show it, with a hash of it,
/// and a hash of what every page depends on.
pub struct Lists {
    pub base: Value,
    pub summaries: Vec<Value>,
    /// Per article: a hash of its summary (what lists show of it).
    pub summary_hash: Vec<u64>,
    /// A hash of what every page depends on: templates, site settings and
    /// navigation, entities.
    pub global: u64,
}

impl Lists {
    pub fn new(a: &Annotated, site: &Site, theme: &Theme) -> Lists {
        let urls = &site.urls;
        let cfg = &a.config;
        let summaries: Vec<Value> = (0..a.content.articles.len())
            .into_par_iter()
            .map(|i| summary(a, site, i))
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
        let summary_hash: Vec<u64> = summaries.par_iter().map(hash_json).collect();
        let global = page_key(theme.fingerprint, &a.context_key.to_string(), &base);
        Lists {
            base,
            summaries,
            summary_hash,
            global,
        }
    }

    /// Article `i` changed in place (same slug and date).
    pub fn update(&mut self, a: &Annotated, site: &Site, i: usize) {
        self.summaries[i] = summary(a, site, i);
        self.summary_hash[i] = hash_json(&self.summaries[i]);
    }
}

fn hash_json(v: &Value) -> u64 {
    page_key(0, "", v)
}

/// Article `i` as lists show it.
fn summary(a: &Annotated, site: &Site, i: usize) -> Value {
    let urls = &site.urls;
    let art = &a.content.articles[i];
    let tags: Vec<Value> = site.article_tags[i]
        .iter()
        .map(|&t| json!({"name": site.tags[t].name, "url": urls.tag(&site.tags[t].slug)}))
        .collect();
    let mut v = json!({
        "title": art.meta.title, "slug": art.slug, "url": urls.article(&art.slug),
        "date": art.meta.date.iso(), "date_display": art.meta.date.display(a.config.lang()),
        "summary": site.summaries[i], "authors": art.meta.authors,
    });
    v["tags"] = Value::Array(tags);
    v
}

/// Which pages [`render_all`] visits. `None`: all of them, and every data
/// file. A list (what `serve` gives after an edit): those articles' and
/// entities' pages, the list pages and the feed; pages whose key did not
/// change are still kept by the sink rather than rendered. The caller then
/// owns static files, the sitemap, `entities.json` and `search.json`.
#[derive(Debug, Clone)]
pub struct Scope {
    pub articles: Option<Vec<usize>>,
    pub entities: Option<Vec<usize>>,
    /// `entities.json` and `search.json` too (whenever every page is made).
    pub json: bool,
}

impl Default for Scope {
    fn default() -> Scope {
        Scope {
            articles: None,
            entities: None,
            json: true,
        }
    }
}

impl Scope {
    fn all(&self) -> bool {
        self.articles.is_none() && self.entities.is_none()
    }
}

/// A sink for [`with_ctx`]: takes nothing.
struct NoSink;

impl Sink for NoSink {
    fn put(&self, _: OutputFile) -> std::io::Result<()> {
        Ok(())
    }
}

/// Runs `f` with the context pages are made in, for data made outside
/// [`render_all`] (the records `serve` keeps of the JSON files).
pub fn with_ctx<R>(
    a: &Annotated,
    site: &Site,
    lists: &Lists,
    theme: &Theme,
    f: impl FnOnce(&Ctx) -> R,
) -> R {
    f(&Ctx::new(&NoSink, a, site, lists, theme))
}

pub struct Ctx<'a> {
    pub sink: &'a dyn Sink,
    /// Pages the sink kept without rendering.
    pub kept: std::sync::Mutex<Vec<String>>,
    /// Templates rendered at least once.
    pub used: std::sync::Mutex<std::collections::HashSet<String>>,
    /// The size of the last page rendered from each template.
    pub sizes: std::sync::Mutex<std::collections::HashMap<String, usize>>,
    pub a: &'a Annotated,
    pub site: &'a Site,
    pub theme: &'a Theme,
    pub base: &'a Value,
    pub summaries: &'a [Value],
    /// Per article: a hash of its summary (what lists show of it).
    pub summary_hash: &'a [u64],
    /// A hash of what every page depends on: templates, site settings and
    /// navigation, entities.
    pub global: u64,
    /// Templates that failed to render, each fault once.
    failures: std::sync::Mutex<Vec<Failure>>,
}

/// A template fault, met rendering one page or more: a broken `base.html`
/// fails every page, and should be reported once.
struct Failure {
    /// [`RenderError::key`].
    key: String,
    /// What [`Ctx::render`] gave for every page that met it, and
    /// [`render_all`] leaves out of its errors for [`Failure::report`].
    sent: Diagnostic,
    /// The first page (in path order) that met it, and the error met there.
    first: (String, Diagnostic),
    /// How many pages met it.
    pages: usize,
}

impl Failure {
    fn report(self) -> Diagnostic {
        let (page, d) = self.first;
        let others = self.pages - 1;
        let note = match others {
            0 => format!("while writing {page}"),
            n => format!(
                "while writing {page} (and {n} other page{})",
                crate::diagnostics::plural(n)
            ),
        };
        d.with_note(note)
    }
}

impl<'a> Ctx<'a> {
    pub fn new(
        sink: &'a dyn Sink,
        a: &'a Annotated,
        site: &'a Site,
        lists: &'a Lists,
        theme: &'a Theme,
    ) -> Ctx<'a> {
        Ctx {
            sink,
            kept: Default::default(),
            used: Default::default(),
            sizes: Default::default(),
            a,
            site,
            theme,
            base: &lists.base,
            summaries: &lists.summaries,
            summary_hash: &lists.summary_hash,
            global: lists.global,
            failures: Default::default(),
        }
    }

    /// Renders `template` for the page at `url`, unless the sink already
    /// holds that page rendered from the same templates and context: then
    /// the page is kept and `None` comes back. The key is a hash of the
    /// whole context (for the few pages without a model key, see `page`).
    pub(super) fn render(
        &self,
        template: &str,
        url: &str,
        extra: Value,
    ) -> Result<Option<OutputFile>, Diagnostic> {
        let path = file_of(&self.site.urls.base_path, url);
        if self.skipped_by_check(template, &path) {
            return Ok(None);
        }
        let v = self.context(url, extra);
        let key = page_key(self.theme.fingerprint, template, &v);
        if self.kept_by_sink(&path, key) {
            return Ok(None);
        }
        self.run_template(template, path, key, v).map(Some)
    }

    /// Like [`Ctx::render`], for pages whose key is computed from the site
    /// model instead of from their context, so that a page the sink keeps
    /// costs neither a context nor a render: `key` must change whenever
    /// anything `extra` would hold changes.
    pub(super) fn page(
        &self,
        template: &str,
        url: &str,
        key: u64,
        extra: impl FnOnce() -> Value,
    ) -> Result<Option<OutputFile>, Diagnostic> {
        let path = file_of(&self.site.urls.base_path, url);
        if self.skipped_by_check(template, &path) || self.kept_by_sink(&path, key) {
            return Ok(None);
        }
        let v = self.context(url, extra());
        self.run_template(template, path, key, v).map(Some)
    }

    /// `check` wants one page of each template (to find template errors),
    /// not every page; the others are only listed.
    fn skipped_by_check(&self, template: &str, path: &str) -> bool {
        let skip = !self.sink.wants_pages() && !self.first_use(template);
        if skip {
            self.note_kept(path.to_string());
        }
        skip
    }

    fn kept_by_sink(&self, path: &str, key: u64) -> bool {
        let kept = self.sink.keep(path, key);
        if kept {
            self.note_kept(path.to_string());
        }
        kept
    }

    fn note_kept(&self, path: String) {
        if let Ok(mut k) = self.kept.lock() {
            k.push(path);
        }
    }

    /// The common context with the page's own `extra` keys and its URL.
    fn context(&self, url: &str, extra: Value) -> Value {
        let mut v = self.base.clone();
        if let (Some(m), Value::Object(e)) = (v.as_object_mut(), extra) {
            m.insert("page_url".into(), Value::String(url.to_string()));
            // Where search engines and feed readers should say this page
            // is (its pagination page 1 is `/`, not `/page/1/`).
            let canonical = self.site.urls.absolute(url);
            m.insert("canonical_url".into(), Value::String(canonical));
            m.extend(e);
        }
        v
    }

    fn run_template(
        &self,
        template: &str,
        path: String,
        key: u64,
        v: Value,
    ) -> Result<OutputFile, Diagnostic> {
        let ctx = tera::Context::from_value(v).unwrap_or_default();
        // Pages of one template are of about one size: start each page's
        // buffer a little larger than the last one of its template.
        let hint = self
            .sizes
            .lock()
            .ok()
            .and_then(|s| s.get(template).copied())
            .unwrap_or(4096);
        let html = match self.theme.render(template, &ctx, hint + hint / 4) {
            Ok(html) => html,
            Err(e) => return Err(self.failed(path, *e)),
        };
        if let Ok(mut s) = self.sizes.lock() {
            match s.get_mut(template) {
                Some(size) => *size = html.len(),
                None => {
                    s.insert(template.to_string(), html.len());
                }
            }
        }
        Ok(OutputFile {
            path,
            bytes: std::sync::Arc::new(html),
            key,
        })
    }

    /// Notes that the page at `path` failed to render; gives the error to
    /// return for it, the same for every page that met the same fault.
    fn failed(&self, path: String, e: RenderError) -> Diagnostic {
        let RenderError { diagnostic, key } = e;
        let Ok(mut failures) = self.failures.lock() else {
            return diagnostic.with_note(format!("while writing {path}"));
        };
        if let Some(f) = failures.iter_mut().find(|f| f.key == key) {
            f.pages += 1;
            if path < f.first.0 {
                f.first = (path, diagnostic);
            }
            return f.sent.clone();
        }
        let sent = diagnostic
            .clone()
            .with_note(format!("while writing {path}"));
        failures.push(Failure {
            key,
            sent: sent.clone(),
            first: (path, diagnostic),
            pages: 1,
        });
        sent
    }

    /// A key for [`Ctx::page`]: the global hash, the page kind, and `parts`.
    pub(super) fn key(&self, kind: &str, parts: impl Hash) -> u64 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
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

    pub(super) fn entity_item(&self, e: u32, count: usize) -> Value {
        let ent = &self.a.content.entities[e as usize];
        json!({
            "id": ent.id, "name": ent.meta.name, "url": self.site.entity_refs[e as usize].href,
            "summary": ent.meta.summary, "count": count, "kind": ent.kind,
        })
    }
}

/// How many pages `n` items make at `size` a page (at least one).
pub(super) fn page_count(n: usize, size: usize) -> usize {
    n.div_ceil(size).max(1)
}

/// The items of page `p` (from 1) of `n` items at `size` a page.
pub(super) fn page_range(p: usize, size: usize, n: usize) -> std::ops::Range<usize> {
    ((p - 1) * size).min(n)..(p * size).min(n)
}

/// A JSON object of `fields`, moved in. `json!` copies every `Value` given
/// to it by serialising it again: for page contexts (an article's HTML, an
/// entity's mention list) that copy was a tenth of a build's CPU.
pub(super) fn object<const N: usize>(fields: [(&str, Value); N]) -> Value {
    Value::Object(
        fields
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

pub(super) fn paginator(current: usize, total: usize, url: impl Fn(usize) -> String) -> Value {
    json!({
        "current": current, "total": total,
        "prev_url": if current > 1 { url(current - 1) } else { String::new() },
        "next_url": if current < total { url(current + 1) } else { String::new() },
    })
}

/// Renders the pages of `scope` into `sink`; gives the paths written or
/// kept.
pub fn render_all(
    root: &Path,
    a: &Annotated,
    site: &Site,
    lists: &Lists,
    theme: &Theme,
    sink: &dyn Sink,
    scope: &Scope,
) -> Result<Vec<String>, Diagnostics> {
    let cx = Ctx::new(sink, a, site, lists, theme);
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
    let paths = &paths;
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
    }
    if sink.wants_pages() && scope.all() && scope.json {
        jobs.push(Box::new(move || {
            let write = |w: &mut dyn std::io::Write| json::write_entities_json(cx, w);
            sink.put_with("entities.json", &write).map_err(|e| {
                Diagnostic::file(
                    crate::diagnostics::Severity::Error,
                    Path::new("entities.json"),
                    format!("cannot write: {e}"),
                )
            })?;
            if let Ok(mut p) = paths.lock() {
                p.push("entities.json".to_string());
            }
            Ok(vec![])
        }));
        jobs.push(Box::new(move || Ok(vec![Some(json::search_json(cx))])));
    }
    // One pass over all the work, the few long jobs first: run as stages,
    // the jobs kept one core busy while the other waited for the pages.
    enum Work {
        Job(usize),
        Article(usize),
        Entity(usize),
    }
    let every = |n: usize, only: &Option<Vec<usize>>| match only {
        Some(list) => list.clone(),
        None => (0..n).collect::<Vec<usize>>(),
    };
    let work: Vec<Work> = (0..jobs.len())
        .map(Work::Job)
        .chain(
            every(a.content.articles.len(), &scope.articles)
                .into_iter()
                .map(Work::Article),
        )
        .chain(
            every(a.content.entities.len(), &scope.entities)
                .into_iter()
                .map(Work::Entity),
        )
        .collect();
    work.into_par_iter().for_each(|w| match w {
        Work::Job(j) => emit(jobs[j]()),
        Work::Article(i) => emit(article_page(cx, i).map(|f| vec![f])),
        Work::Entity(e) => emit(entity_pages(cx, e)),
    });
    let mut out = paths
        .lock()
        .map(|mut p| std::mem::take(&mut *p))
        .unwrap_or_default();
    out.extend(cx.kept.lock().map(|k| k.clone()).unwrap_or_default());
    let mut extra = Vec::new();
    let mut diags = Diagnostics::new();
    if scope.all() {
        extra.extend(feeds::sitemap(cx, &out));
        extra.push(OutputFile::new(".nojekyll", Vec::new()));
        let mut statics: Vec<OutputFile> = STATIC
            .iter()
            .map(|(name, bytes)| OutputFile::new(name.to_string(), bytes.to_vec()))
            .collect();
        static_files(root, &mut statics, &mut diags);
        extra.extend(statics);
    }
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
    // Each template fault once, with the first page that met it.
    let failures = cx
        .failures
        .lock()
        .map(|mut f| std::mem::take(&mut *f))
        .unwrap_or_default();
    let mut errors = errors.into_inner().unwrap_or_default();
    errors.retain(|d| !failures.iter().any(|f| f.sent == *d));
    diags.extend(errors);
    diags.extend(failures.into_iter().map(Failure::report));
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
