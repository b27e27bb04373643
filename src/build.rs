//! The whole pipeline as one function: site root in, every output file (in
//! memory) out, or every diagnostic. Nothing is written here: `build` writes
//! the result with [`crate::output`], `check` only reports, `serve` keeps it
//! in memory.

use crate::annotate::{self, index::EntityIndex, AnnotatedDoc, Settings};
use crate::config::Config;
use crate::content::{self, Content};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::render::{highlight::Highlighter, theme::Theme};
use crate::site::{self, OutputFile};
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
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

/// A successful build: the files of the site, and the warnings.
pub struct Built {
    pub files: Vec<OutputFile>,
    pub warnings: Diagnostics,
    pub stats: Stats,
    pub config: Config,
    pub timings: Vec<(&'static str, Duration)>,
}

/// One article after annotation.
pub struct ArticleDoc {
    pub doc: AnnotatedDoc,
    /// Entities named in `entities = [...]` (subjects not in the text).
    pub subjects: Vec<u32>,
}

/// Everything the site stage needs, after loading and annotating.
pub struct Annotated {
    pub config: Config,
    pub content: Content,
    pub index: EntityIndex,
    pub articles: Vec<ArticleDoc>,
    pub entity_docs: Vec<AnnotatedDoc>,
    pub page_docs: Vec<AnnotatedDoc>,
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
                "  {:<10} {:>8.1} ms",
                name,
                (now - self.last).as_secs_f64() * 1000.0
            );
        }
        self.last = now;
    }
}

/// Loads and annotates the site at `opts.root` (stages 1 and 2).
pub fn annotate_site(opts: &BuildOptions, diags: &mut Diagnostics) -> Option<Annotated> {
    let root = &opts.root;
    let mut config = match Config::load(root) {
        Ok(c) => c,
        Err(d) => {
            diags.extend(d);
            return None;
        }
    };
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
    let content = content::load(root, &config, opts.drafts, diags);
    let index = EntityIndex::build(&content.entities, diags);

    let results: Vec<(ArticleDoc, Vec<Diagnostic>)> = content
        .articles
        .par_iter()
        .map(|a| {
            let mut d = Vec::new();
            let resolve_list =
                |list: &[toml::Spanned<String>], d: &mut Vec<Diagnostic>, what: &str| {
                    let mut out = Vec::new();
                    for item in list {
                        match index.resolve(item.get_ref()) {
                            Ok(e) => out.push(e),
                            Err(why) => {
                                let (msg, help) = index.unresolved_message(item.get_ref(), &why);
                                let mut diag = a.file.error(
                                    a.toml_offset + item.span().start,
                                    format!("in `{what}`: {msg}"),
                                );
                                if let Some(h) = help {
                                    diag = diag.with_note(h);
                                }
                                d.push(diag);
                            }
                        }
                    }
                    out
                };
            let subjects = resolve_list(&a.meta.entities, &mut d, "entities");
            let no_autolink: HashSet<u32> =
                resolve_list(&a.meta.no_autolink, &mut d, "no_autolink")
                    .into_iter()
                    .collect();
            let settings = Settings {
                mentions: true,
                autolink: config.autolink,
                no_autolink: &no_autolink,
                annotations: &a.annotations,
            };
            let doc = annotate::annotate(&a.file, a.body_offset, &index, &settings, &mut d);
            (ArticleDoc { doc, subjects }, d)
        })
        .collect();
    let mut articles = Vec::with_capacity(results.len());
    for (a, d) in results {
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
    let (entity_docs, ed): (Vec<AnnotatedDoc>, Vec<Vec<Diagnostic>>) = content
        .entities
        .par_iter()
        .map(|e| {
            let mut d = Vec::new();
            (
                annotate::annotate(&e.file, e.body_offset, &index, &plain, &mut d),
                d,
            )
        })
        .unzip();
    let (page_docs, pd): (Vec<AnnotatedDoc>, Vec<Vec<Diagnostic>>) = content
        .pages
        .iter()
        .map(|p| {
            let mut d = Vec::new();
            (
                annotate::annotate(&p.file, p.body_offset, &index, &plain, &mut d),
                d,
            )
        })
        .unzip();
    diags.extend(ed.into_iter().flatten());
    diags.extend(pd.into_iter().flatten());
    Some(Annotated {
        config,
        content,
        index,
        articles,
        entity_docs,
        page_docs,
    })
}

/// Runs the whole pipeline in memory.
pub fn build_site(opts: &BuildOptions) -> Result<Built, Diagnostics> {
    let mut timer = Timer {
        on: opts.timings,
        last: Instant::now(),
        spans: Vec::new(),
        progress: crate::progress::Progress::new(opts.progress),
    };
    timer.progress.stage("loading and annotating");
    let mut diags = Diagnostics::new();
    let annotated = annotate_site(opts, &mut diags);
    timer.lap("annotate", "loading templates");
    let theme = Theme::load(&opts.root, &mut diags);
    let (Some(annotated), Some(theme)) = (annotated, theme) else {
        return Err(diags);
    };
    if diags.has_errors() {
        return Err(diags);
    }
    let hl = Highlighter::new();
    timer.lap("theme", "assembling");
    let stats = Stats {
        articles: annotated.content.articles.len(),
        entities: annotated.content.entities.len(),
        pages: 0,
    };
    let model = site::Site::assemble(&annotated);
    timer.lap("assemble", "rendering pages");
    let files = match site::render_all(&opts.root, &annotated, &model, &theme, &hl) {
        Ok(f) => f,
        Err(d) => {
            diags.extend(d);
            return Err(diags);
        }
    };
    timer.lap("render", "");
    timer.progress.finish();
    if opts.lint {
        diags.extend(site::lint::lint(&annotated, &model, &files));
    }
    let pages = files.iter().filter(|f| f.path.ends_with(".html")).count();
    Ok(Built {
        files,
        warnings: diags,
        stats: Stats { pages, ..stats },
        config: annotated.config,
        timings: timer.spans,
    })
}
