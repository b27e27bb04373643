//! The whole pipeline: site root in, every page of the site out into a
//! [`Sink`] — the output folder for `build` (see [`crate::output`]), nowhere
//! for `check`, memory for tests. [`build_into`] is [`prepare`] (load,
//! annotate, theme, assemble) then rendering.
//!
//! Articles are annotated and their Markdown rendered in one parallel pass;
//! the heavy document model is dropped right after, and only what the pages
//! show is kept ([`rendered`]: packed HTML, mentions, snippets).
//!
//! `live` is `serve`'s build, kept in memory and updated in place on edits;
//! `cache` keeps annotated articles between its whole builds; `memory`
//! holds plain in-memory builds.

mod cache;
mod live;
mod memory;
mod rendered;

pub use cache::ArticleCache;
use cache::{article_key, Annotation};
pub use live::{Edited, LiveSite};
pub use memory::{build_site, MemorySink};
use rendered::finish;
pub use rendered::{MentionRec, Packed, Rendered};

use crate::annotate::{self, index::EntityIndex, Settings};
use crate::config::Config;
use crate::content::{self, Content, Source};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::render::markdown::EntityRef;
use crate::render::{highlight::Highlighter, theme::Theme};
use crate::site::{self, urls::Urls, OutputFile, Sink};
use rayon::prelude::*;
use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Print how long each stage took.
    pub timings: bool,
    /// Also run the lints of `dossier check` (warnings only).
    pub lint: bool,
    /// Show a spinner on a terminal when the build takes a while.
    pub progress: bool,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Stats {
    pub articles: usize,
    pub entities: usize,
    pub pages: usize,
}

/// A successful build: its warnings and figures.
pub struct Report {
    pub warnings: Diagnostics,
    pub stats: Stats,
    pub config: Config,
    pub timings: Vec<(&'static str, Duration)>,
}

/// A successful build kept in memory.
pub struct Built {
    pub files: Vec<OutputFile>,
    pub warnings: Diagnostics,
    pub stats: Stats,
    pub config: Config,
    pub timings: Vec<(&'static str, Duration)>,
}

pub struct ArticleDoc {
    pub r: Rendered,
    /// Entities named in `entities = [...]` (subjects not in the text).
    pub subjects: Vec<u32>,
}

/// Everything the site stage needs, after loading, annotating, rendering.
pub struct Annotated {
    pub config: Config,
    pub content: Content,
    pub index: EntityIndex,
    pub urls: Urls,
    pub entity_refs: Vec<EntityRef>,
    pub articles: Vec<Arc<ArticleDoc>>,
    pub entity_docs: Vec<Rendered>,
    pub page_docs: Vec<Rendered>,
    /// A hash of what every page depends on besides its own data: the
    /// entities' files, the base URL, the settings.
    pub context_key: u64,
}

struct Timer {
    on: bool,
    last: Instant,
    spans: Vec<(&'static str, Duration)>,
    progress: crate::progress::Progress,
}

impl Timer {
    /// Ends stage `name`; `next` names the stage that starts.
    fn lap(&mut self, name: &'static str, next: &str) {
        self.progress.stage(next);
        let now = Instant::now();
        self.spans.push((name, now - self.last));
        if self.on {
            eprintln!(
                "  {:<10} {:>8.1} ms   rss {:>5} MB",
                name,
                (now - self.last).as_secs_f64() * 1000.0,
                rss_mb()
            );
        }
        self.last = now;
    }
}

/// Resident memory of this process in MB (Linux), for `--timings`.
fn rss_mb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024)
}

/// Loads, annotates and renders the Markdown of the site at `opts.root`.
pub fn annotate_site(
    opts: &BuildOptions,
    hl: &Highlighter,
    cache: Option<&Mutex<ArticleCache>>,
    diags: &mut Diagnostics,
) -> Option<Annotated> {
    let root = &opts.root;
    // A config whose only errors are unknown keys is read without them, so
    // that the content's errors come in the same run (the build still fails).
    let (config, config_diags) = Config::load_lenient(root);
    diags.extend(config_diags);
    let mut config = config?;
    if let Some(url) = &opts.base_url {
        if let Err(msg) = config.set_base_url(url) {
            diags.push(Diagnostic::file(
                Severity::Error,
                Path::new("--base-url"),
                msg,
            ));
            return None;
        }
    }
    let (entities, broken_entities) = content::load_entities(root, &config, diags);
    let index = EntityIndex::build(&entities, diags);
    // A file not loaded for its broken front matter (article, entity or
    // page): its body's own errors, in the same run. Checked against the
    // index of the entities that did load.
    let unparsed = |file: &Source, body: usize| body_errors(file, body, &index, &config);
    let entity_body_errors: Vec<Diagnostic> = broken_entities
        .par_iter()
        .flat_map_iter(|(file, body)| unparsed(file, *body))
        .collect();
    diags.extend(entity_body_errors);
    let urls = Urls::new(&config.base_url, &config.base_path);
    let entity_refs = site::entity_refs(&entities, &urls, config.lang());

    // What every article's rendering depends on besides its own files: the
    // entities (names, ids, kinds, summaries), the URLs and the settings.
    let context_key = {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for e in &entities {
            e.file.path.hash(&mut h);
            e.file.text.hash(&mut h);
        }
        config.base_url.hash(&mut h);
        config.lang().hash(&mut h);
        format!("{:?}{:?}", config.autolink, config.kinds).hash(&mut h);
        h.finish()
    };
    let cached = |a: &content::Article, key: u64| -> Option<(Arc<ArticleDoc>, Vec<Diagnostic>)> {
        let cache = cache?.lock().ok()?;
        if cache.context != context_key {
            return None;
        }
        let (text, doc, d) = cache.articles.get(&a.file.path)?;
        (*text == key).then(|| (doc.clone(), d.clone()))
    };
    let want_keys = cache.is_some();
    // Each article is annotated and rendered as soon as it is read.
    let loaded = content::load_articles(
        root,
        opts.drafts,
        diags,
        |a| {
            let key = if want_keys { article_key(a) } else { 0 };
            let (doc, d) = match cached(a, key) {
                Some(hit) => hit,
                None => annotate_article(a, &index, &config, &entity_refs, hl),
            };
            // The text is no longer needed: free it now, the largest part
            // of the content, so the whole archive is never held twice.
            a.release_text();
            (doc, d, key)
        },
        unparsed,
    );
    let pages = content::load_pages(root, opts.drafts, diags, unparsed);
    let (articles, results): (Vec<content::Article>, Vec<Annotation>) = loaded.into_iter().unzip();
    content::check_unique_slugs(&articles, &pages, diags);
    let content = Content {
        articles,
        entities,
        pages,
    };
    if let Some(Ok(mut cache)) = cache.map(Mutex::lock) {
        cache.context = context_key;
        cache.articles = content
            .articles
            .iter()
            .zip(&results)
            .map(|(a, (doc, d, key))| (a.file.path.clone(), (*key, doc.clone(), d.clone())))
            .collect();
    }
    let mut articles = Vec::with_capacity(results.len());
    for (a, d, _) in results {
        diags.extend(d);
        articles.push(a);
    }
    let none = HashSet::new();
    let plain = Settings {
        mentions: false,
        autolink: config.autolink,
        no_autolink: &none,
        annotations: &[],
    };
    let plain_doc = |file: &Source, body_offset: usize| {
        let mut d = Vec::new();
        let doc = annotate::annotate(file, body_offset, &index, &plain, &mut d);
        let r = finish(
            doc,
            file,
            &entity_refs,
            hl,
            &config.base_path,
            config.lang(),
            &mut d,
        );
        (r, d)
    };
    let (entity_docs, ed): (Vec<Rendered>, Vec<Vec<Diagnostic>>) = content
        .entities
        .par_iter()
        .map(|e| plain_doc(&e.file, e.body_offset))
        .unzip();
    let (page_docs, pd): (Vec<Rendered>, Vec<Vec<Diagnostic>>) = content
        .pages
        .iter()
        .map(|p| plain_doc(&p.file, p.body_offset))
        .unzip();
    diags.extend(ed.into_iter().flatten());
    diags.extend(pd.into_iter().flatten());
    Some(Annotated {
        context_key,
        config,
        content,
        index,
        urls,
        entity_refs,
        articles,
        entity_docs,
        page_docs,
    })
}

/// The errors of the body at `body` of a file not loaded for its broken
/// front matter (article, entity or page), so that one run reports them
/// with the front matter's: checked against the entities that did load.
pub(super) fn body_errors(
    file: &Source,
    body: usize,
    index: &EntityIndex,
    config: &Config,
) -> Vec<Diagnostic> {
    let none = HashSet::new();
    let settings = annotate::Settings {
        mentions: true,
        autolink: config.autolink,
        no_autolink: &none,
        annotations: &[],
    };
    let mut d = Vec::new();
    annotate::annotate(file, body, index, &settings, &mut d);
    d.retain(Diagnostic::is_error);
    d
}

/// Annotates and renders one article: its mentions, notes and HTML, and
/// what is wrong with it.
pub fn annotate_article(
    a: &content::Article,
    index: &EntityIndex,
    config: &Config,
    entity_refs: &[EntityRef],
    hl: &Highlighter,
) -> (Arc<ArticleDoc>, Vec<Diagnostic>) {
    let mut d = Vec::new();
    let subjects = resolve_list(index, a, &a.meta.entities, "entities", &mut d);
    let no_autolink: HashSet<u32> =
        resolve_list(index, a, &a.meta.no_autolink, "no_autolink", &mut d)
            .into_iter()
            .collect();
    let settings = Settings {
        mentions: true,
        autolink: config.autolink,
        no_autolink: &no_autolink,
        annotations: &a.annotations,
    };
    let doc = annotate::annotate(&a.file, a.body_offset, index, &settings, &mut d);
    let doc = ArticleDoc {
        r: finish(
            doc,
            &a.file,
            entity_refs,
            hl,
            &config.base_path,
            config.lang(),
            &mut d,
        ),
        subjects,
    };
    (Arc::new(doc), d)
}

/// Resolves the entity ids listed in a front matter key.
fn resolve_list(
    index: &EntityIndex,
    a: &content::Article,
    list: &[toml::Spanned<String>],
    what: &str,
    d: &mut Vec<Diagnostic>,
) -> Vec<u32> {
    let mut out = Vec::new();
    for item in list {
        match index.resolve(item.get_ref()) {
            Ok(e) => out.push(e),
            Err(why) => {
                let context = format!("in `{what}`: ");
                d.push(index.unresolved(
                    &a.file,
                    a.toml_offset + item.span().start,
                    &context,
                    item.get_ref(),
                    &why,
                ));
            }
        }
    }
    out
}

/// Runs the whole pipeline, handing every output file to `sink`. On error,
/// the sink may have received some files: it is the sink's job to keep them
/// from the user's output until the build has succeeded.
pub fn build_into(opts: &BuildOptions, sink: &dyn Sink) -> Result<Report, Diagnostics> {
    let (p, journal) = prepare(opts, None)?;
    let (report, _) = render_prepared(opts, &p, journal, sink, &site::pages::Scope::default())?;
    Ok(report)
}

/// A site loaded, annotated, its theme loaded and its model assembled: all
/// that rendering its pages needs, and what `serve` keeps of a build to
/// update in place.
pub(crate) struct Prepared {
    pub annotated: Annotated,
    pub theme: Theme,
    pub model: site::Site,
    pub lists: site::pages::Lists,
}

impl Prepared {
    /// Renders the pages of `scope` into `sink`; gives the paths written or kept.
    pub fn render(
        &self,
        root: &Path,
        sink: &dyn Sink,
        scope: &site::pages::Scope,
    ) -> Result<Vec<String>, Diagnostics> {
        let (a, t) = (&self.annotated, &self.theme);
        site::render_all(root, a, &self.model, &self.lists, t, sink, scope)
    }

    /// Runs `f` with the context its pages are made in.
    pub fn with_ctx<R>(&self, f: impl FnOnce(&site::pages::Ctx) -> R) -> R {
        site::pages::with_ctx(&self.annotated, &self.model, &self.lists, &self.theme, f)
    }
}

/// A build's journal: its warnings so far and the time of its stages.
pub(crate) struct Journal {
    diags: Diagnostics,
    timer: Timer,
}

/// Stages 1 to 4 short of rendering: load and annotate (reusing unchanged
/// articles from `cache`), load the theme, assemble the site model.
pub(crate) fn prepare(
    opts: &BuildOptions,
    cache: Option<&Mutex<ArticleCache>>,
) -> Result<(Prepared, Journal), Diagnostics> {
    let mut timer = Timer {
        on: opts.timings,
        last: Instant::now(),
        spans: Vec::new(),
        progress: crate::progress::Progress::new(opts.progress),
    };
    timer.progress.stage("loading and annotating");
    let mut diags = Diagnostics::new();
    let hl = Highlighter::new();
    let annotated = annotate_site(opts, &hl, cache, &mut diags);
    timer.lap("annotate", "loading templates");
    let lang = annotated.as_ref().map(|a| a.config.lang());
    let theme = Theme::load(&opts.root, lang.unwrap_or_default(), &mut diags);
    let (Some(annotated), Some(theme)) = (annotated, theme) else {
        return Err(diags);
    };
    if diags.has_errors() {
        return Err(diags);
    }
    timer.lap("theme", "assembling");
    let model = site::Site::assemble(&annotated);
    let lists = site::pages::Lists::new(&annotated, &model, &theme);
    timer.lap("assemble", "rendering pages");
    let p = Prepared {
        annotated,
        theme,
        model,
        lists,
    };
    Ok((p, Journal { diags, timer }))
}

/// Stage 4 and the end of a build: the pages of `scope` of a prepared site
/// into `sink`. Gives the report and every file's path.
pub(crate) fn render_prepared(
    opts: &BuildOptions,
    p: &Prepared,
    journal: Journal,
    sink: &dyn Sink,
    scope: &site::pages::Scope,
) -> Result<(Report, Vec<String>), Diagnostics> {
    let Journal {
        mut diags,
        mut timer,
    } = journal;
    let (a, model) = (&p.annotated, &p.model);
    let paths = match p.render(&opts.root, sink, scope) {
        Ok(p) => p,
        Err(d) => {
            diags.extend(d);
            return Err(diags);
        }
    };
    // Two outputs with one path, or a file where a folder must go: errors
    // naming their sources, before the sink commits anything.
    let (atom, json) = (sink.wants_pages(), sink.wants_pages() && scope.json);
    diags.extend(crate::output::path_clashes(
        &opts.root, a, &paths, atom, json,
    ));
    if diags.has_errors() {
        return Err(diags);
    }
    timer.lap("render", "");
    timer.progress.finish();
    if opts.lint {
        // Links to the data files a build writes (a sink that wants no
        // pages, `check`'s, gets none of them) are links to the site.
        let unwritten: Vec<String> = crate::output::unlisted_data_files(atom, json)
            .map(String::from)
            .collect();
        let site_paths = match unwritten.is_empty() {
            true => std::borrow::Cow::Borrowed(&paths),
            false => std::borrow::Cow::Owned([paths.clone(), unwritten].concat()),
        };
        diags.extend(site::lint::lint(a, model, &site_paths, &p.theme.ids));
    }
    let stats = Stats {
        articles: a.content.articles.len(),
        entities: a.content.entities.len(),
        pages: paths.iter().filter(|p| p.ends_with(".html")).count(),
    };
    let report = Report {
        warnings: diags,
        stats,
        config: a.config.clone(),
        timings: timer.spans,
    };
    Ok((report, paths))
}
