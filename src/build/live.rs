//! `serve`'s build, kept alive between edits. [`LiveSite::build`] runs the
//! whole pipeline in memory (reusing the annotations of unchanged articles
//! and the pages of the previous build whose keys did not change) and keeps
//! what it made: the annotated content, the site model, every file.
//! [`LiveSite::edit`] then takes the paths of article files that changed and,
//! when they are edits in place (same slug, same date), annotates only those
//! articles, updates the model ([`Site::update`]) and renders only the pages
//! they touch. Anything else (a new or deleted article, an entity, a
//! template, `config.toml`) goes through `build` again.
//!
//! The JSON files are kept as records (one per entity, one per article) so
//! that an edit remakes only the records it touched.

use super::cache::article_key;
use super::{
    annotate_article, prepare, render_prepared, ArticleCache, BuildOptions, Prepared, Stats,
};
use crate::content;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output;
use crate::render::highlight::Highlighter;
use crate::site::pages::Scope;
use crate::site::{feeds, json, OutputFile, Sink};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// A site built in memory, ready to be updated in place.
pub struct LiveSite {
    opts: BuildOptions,
    kept: Prepared,
    /// Every file of the site, by path.
    pub files: HashMap<String, OutputFile>,
    /// The warnings of the build itself (kept up to date by every edit);
    /// not those of the lints, which [`LiveSite::lint`] gives.
    pub warnings: Diagnostics,
    /// Article index by the path of its Markdown file.
    by_path: HashMap<PathBuf, usize>,
    /// Which article files there were (drafts too; see
    /// [`content::article_files`]), to see folders moved or removed: the
    /// watcher names only the folder.
    article_files: (usize, u64),
    /// `entities.json`, one record per entity; `search.json`, one per article.
    entity_records: Vec<EntityRecord>,
    search_records: Vec<Vec<u8>>,
    hl: Highlighter,
    /// Every path of `files`, to find the clashes of those an edit adds.
    paths: output::PathIndex,
    /// The paths of the files of `static/`.
    statics: HashSet<String>,
    /// An edit failed half-way: build again rather than edit.
    stale: bool,
    /// The sitemap's `lastmod` of each page that has one: an edit that
    /// changes one (an entity's page now lists the edited article) makes
    /// the sitemap again.
    lastmods: HashMap<String, crate::content::model::ArticleDate>,
    /// The JSON files published two edits ago, whose memory is reused.
    spare_entities: Option<Arc<Vec<u8>>>,
    spare_search: Option<Arc<Vec<u8>>>,
}

/// An entity's record in `entities.json`, in pieces: its head, then one
/// piece per article (by article index), so that an edit remakes only the
/// pieces of the articles it changed.
#[derive(Default)]
struct EntityRecord {
    head: Vec<u8>,
    articles: Vec<(usize, Vec<u8>)>,
}

impl EntityRecord {
    /// Remakes the head, and the pieces of articles in `changed` or new to it.
    fn remake(&mut self, cx: &crate::site::pages::Ctx, e: usize, changed: &HashSet<usize>) {
        self.head.clear();
        json::entity_head(cx, e, &mut self.head);
        let mut old = std::mem::take(&mut self.articles).into_iter().peekable();
        for (k, (ai, _)) in cx.site.mentions_of[e].iter().enumerate() {
            while old.peek().is_some_and(|(o, _)| o < ai) {
                old.next();
            }
            let reuse = old.next_if(|(o, _)| o == ai && !changed.contains(ai));
            let piece = match reuse {
                Some((_, piece)) => piece,
                None => record(|out| json::entity_article(cx, e, k, out)),
            };
            self.articles.push((*ai, piece));
        }
    }

    /// The record's parts in order, commas included.
    fn parts(&self) -> Vec<&[u8]> {
        let mut parts = Vec::with_capacity(2 * self.articles.len() + 2);
        parts.push(self.head.as_slice());
        for (k, (_, piece)) in self.articles.iter().enumerate() {
            if k > 0 {
                parts.push(b",".as_slice());
            }
            parts.push(piece.as_slice());
        }
        parts.push(json::ENTITY_TAIL);
        parts
    }
}

/// What an edit changed in the site.
#[derive(Debug, Default)]
pub struct Edited {
    /// Files made anew (their bytes may equal the old ones for data files).
    pub changed: Vec<OutputFile>,
    /// Files the site no longer has.
    pub removed: Vec<String>,
}

/// Takes what is rendered; keeps, by key, what the previous build holds.
struct LiveSink<'a> {
    previous: Option<&'a HashMap<String, OutputFile>>,
    fresh: Mutex<Vec<OutputFile>>,
}

impl Sink for LiveSink<'_> {
    fn put(&self, file: OutputFile) -> std::io::Result<()> {
        if let Ok(mut f) = self.fresh.lock() {
            f.push(file);
        }
        Ok(())
    }

    fn keep(&self, path: &str, key: u64) -> bool {
        self.previous
            .and_then(|p| p.get(path))
            .is_some_and(|f| f.key == key)
    }
}

impl LiveSink<'_> {
    fn take(&self) -> Vec<OutputFile> {
        self.fresh
            .lock()
            .map(|mut f| std::mem::take(&mut *f))
            .unwrap_or_default()
    }
}

impl LiveSite {
    /// Builds the whole site in memory. Articles unchanged since `cache` was
    /// filled are not annotated again; pages whose key is the same as in
    /// `previous` are taken from it instead of being rendered.
    pub fn build(
        opts: &BuildOptions,
        previous: Option<&LiveSite>,
        cache: &Mutex<ArticleCache>,
    ) -> Result<LiveSite, Diagnostics> {
        let article_files = content::article_files(&opts.root);
        let (kept, journal) = prepare(opts, Some(cache))?;
        let sink = LiveSink {
            previous: previous.map(|l| &l.files),
            fresh: Mutex::new(Vec::new()),
        };
        let no_json = Scope {
            json: false,
            ..Scope::default()
        };
        // The lints run over the whole site, the JSON files included, once
        // it is complete: see [`LiveSite::lint`].
        let no_lint = BuildOptions {
            lint: false,
            ..opts.clone()
        };
        let (report, paths) = render_prepared(&no_lint, &kept, journal, &sink, &no_json)?;
        let mut files: HashMap<String, OutputFile> = sink
            .take()
            .into_iter()
            .map(|f| (f.path.clone(), f))
            .collect();
        if let Some(previous) = previous {
            for path in &paths {
                if !files.contains_key(path) {
                    if let Some(f) = previous.files.get(path) {
                        files.insert(path.clone(), f.clone());
                    }
                }
            }
        }
        let by_path = kept
            .annotated
            .content
            .articles
            .iter()
            .enumerate()
            .map(|(i, a)| (a.file.path.clone(), i))
            .collect();
        let k = &kept;
        let (entity_records, search_records) = k.with_ctx(|cx| {
            let none = HashSet::new();
            let entities = (0..k.annotated.content.entities.len())
                .into_par_iter()
                .map(|e| {
                    let mut r = EntityRecord::default();
                    r.remake(cx, e, &none);
                    r
                })
                .collect();
            let articles = (0..k.annotated.content.articles.len())
                .into_par_iter()
                .map(|i| record(|out| json::search_record(cx, i, out)))
                .collect();
            (entities, articles)
        });
        let mut live = LiveSite {
            opts: opts.clone(),
            kept,
            files,
            warnings: report.warnings,
            by_path,
            article_files,
            entity_records,
            search_records,
            hl: Highlighter::new(),
            paths: output::PathIndex::default(),
            statics: static_paths(&opts.root),
            stale: false,
            lastmods: HashMap::new(),
            spare_entities: None,
            spare_search: None,
        };
        for f in [live.entities_json(), live.search_json()] {
            live.files.insert(f.path.clone(), f);
        }
        live.paths = output::PathIndex::new(live.files.keys().map(String::as_str));
        live.lastmods = live.kept.with_ctx(feeds::lastmods);
        // A spare copy of each, so that the first edit, like every later
        // one, joins its JSON into memory already mapped (fresh memory costs
        // a page fault per 4 kB: ~0.2 s for a 10k archive's entities.json).
        let copy = |f: Option<&OutputFile>| f.map(|f| Arc::new(f.bytes.to_vec()));
        live.spare_entities = copy(live.files.get("entities.json"));
        live.spare_search = copy(live.files.get("search.json"));
        Ok(live)
    }

    /// The lints of `build` and `check` ([`crate::site::lint`]: entities
    /// never mentioned, links to no page or to no `#id` of one) over the
    /// site as it is now, every file of it included: the warnings `build`
    /// adds to those of the build itself ([`LiveSite::warnings`]). The whole
    /// site, not only what an edit touched: an edit may break or mend a link
    /// anywhere (an `#id` of the article it changes, a tag's page it adds or
    /// removes). ~0.1–0.2 s on 10,000 articles with 30,000 links: `serve`
    /// runs it after the edited site is served, off the edit's critical
    /// path (an edit in place takes ~50 ms).
    pub fn lint(&self) -> Vec<Diagnostic> {
        let paths: Vec<String> = self.files.keys().cloned().collect();
        let k = &self.kept;
        crate::site::lint::lint(&k.annotated, &k.model, &paths, &k.theme.ids)
    }

    pub fn stats(&self) -> Stats {
        Stats {
            articles: self.kept.annotated.content.articles.len(),
            entities: self.kept.annotated.content.entities.len(),
            pages: self.files.keys().filter(|p| p.ends_with(".html")).count(),
        }
    }

    /// The base path the site is built for (`/` or `/repo/`).
    pub fn base_path(&self) -> &str {
        &self.kept.annotated.config.base_path
    }

    /// Applies edits of the files at `paths` (relative to the site's root).
    /// `Ok(None)`: not edits in place of existing articles; build again.
    /// On an error nothing is changed, and the same paths may be given again.
    pub fn edit(
        &mut self,
        paths: &BTreeSet<PathBuf>,
        cache: &Mutex<ArticleCache>,
    ) -> Result<Option<Edited>, Diagnostics> {
        if self.stale || content::article_files(&self.opts.root) != self.article_files {
            return Ok(None);
        }
        // Which articles, each once.
        let mut articles: BTreeSet<(usize, PathBuf)> = BTreeSet::new();
        for p in paths {
            if !p.starts_with("content/articles") {
                return Ok(None);
            }
            let Some(md) = content::article_of(p) else {
                continue; // a file the build does not read
            };
            match self.by_path.get(&md) {
                Some(&i) => articles.insert((i, md)),
                None => return Ok(None), // a new article
            };
        }
        if articles.is_empty() {
            return Ok(Some(Edited::default()));
        }
        // Read and annotate them; nothing is changed before all are good.
        let a = &self.kept.annotated;
        let mut fresh = Vec::new();
        let mut errors = Diagnostics::new();
        for (i, md) in &articles {
            if !self.opts.root.join(md).is_file() {
                return Ok(None); // deleted
            }
            let (article, mut d, broken) =
                content::load_one_article(&self.opts.root, md, self.opts.drafts);
            let Some(mut article) = article else {
                if d.is_empty() {
                    return Ok(None); // now a draft
                }
                errors.extend(d);
                // Front matter broken: the body's errors too, as a build.
                if let Some((file, body)) = broken {
                    errors.extend(super::body_errors(&file, body, &a.index, &a.config));
                }
                continue;
            };
            let old = &a.content.articles[*i];
            if article.slug != old.slug || article.meta.date != old.meta.date {
                return Ok(None); // moves in the lists: build again
            }
            let key = article_key(&article);
            let (doc, more) =
                annotate_article(&article, &a.index, &a.config, &a.entity_refs, &self.hl);
            d.extend(more);
            article.release_text();
            if d.iter().any(Diagnostic::is_error) {
                errors.extend(d);
                continue;
            }
            fresh.push((*i, article, doc, d, key));
        }
        if errors.has_errors() {
            return Err(errors);
        }

        // Apply: content, cache, warnings, model, lists.
        let mut changed = Vec::new();
        let mut sources: HashSet<PathBuf> = HashSet::new();
        let mut new_warnings = Vec::new();
        for (i, article, doc, d, key) in fresh {
            let md = article.file.path.clone();
            sources.insert(content::sidecar_of(&md));
            if let Ok(mut c) = cache.lock() {
                c.articles.insert(md.clone(), (key, doc.clone(), d.clone()));
            }
            sources.insert(md);
            new_warnings.extend(d);
            self.kept.annotated.content.articles[i] = article;
            self.kept.annotated.articles[i] = doc;
            changed.push(i);
        }
        let kept = &mut self.kept;
        let touched = kept.model.update(&kept.annotated, &changed);
        // What lists show of an article: of those edited, and of those
        // whose tags show another name or slug now.
        for &i in changed.iter().chain(&touched.retagged) {
            kept.lists.update(&kept.annotated, &kept.model, i);
        }
        let mut warnings = Diagnostics::new();
        warnings.extend(
            std::mem::take(&mut self.warnings)
                .into_iter()
                .filter(|w| !sources.contains(&w.path)),
        );
        warnings.extend(new_warnings);
        self.warnings = warnings;

        // Render what the edit touched; keep what did not change.
        let kept = &self.kept;
        let scope = Scope {
            articles: Some(touched.articles.clone()),
            entities: Some(touched.entities.clone()),
            json: false,
        };
        let sink = LiveSink {
            previous: Some(&self.files),
            fresh: Mutex::new(Vec::new()),
        };
        let paths = match kept.render(&self.opts.root, &sink, &scope) {
            Ok(p) => p,
            Err(d) => {
                // The model holds the edit, the pages do not: only a whole
                // build can tell again what is out of date.
                self.stale = true;
                return Err(d);
            }
        };
        let mut edited = Edited {
            changed: sink.take(),
            removed: Vec::new(),
        };
        // Pages of the touched entities and the tags that are gone (an
        // entity with fewer pages of mentions, a tag no article has now);
        // a static file where such a page would be is no page, and stays.
        let now: HashSet<&str> = paths.iter().map(String::as_str).collect();
        let urls = &kept.model.urls;
        for &e in &touched.entities {
            let id = &kept.annotated.content.entities[e].id;
            for p in 2.. {
                let path = crate::site::urls::file_of(&urls.base_path, &urls.entity(id, p));
                if !self.files.contains_key(&path) {
                    break;
                }
                if !now.contains(path.as_str()) && !self.statics.contains(&path) {
                    edited.removed.push(path);
                }
            }
        }
        let tag_prefix = crate::site::urls::file_of(&urls.base_path, &urls.tags());
        let tag_prefix = tag_prefix.trim_end_matches("index.html");
        for path in self.files.keys() {
            if path.starts_with(tag_prefix)
                && path.ends_with("/index.html")
                && !now.contains(path.as_str())
                && !self.statics.contains(path)
            {
                edited.removed.push(path.clone());
            }
        }
        // The sitemap, if the set of pages or a page's date changed: made
        // before anything is changed, so that every path the edit adds is
        // known.
        let pages_added = edited
            .changed
            .iter()
            .any(|f| !self.files.contains_key(&f.path));
        // A page's date is that of the newest article it lists; the dates
        // and the order of articles are the same after an edit in place, so
        // only a page that lists other articles now may have a new one.
        let mut dates_changed = false;
        if touched.lists {
            let lastmods = kept.with_ctx(feeds::lastmods);
            dates_changed = lastmods != self.lastmods;
            self.lastmods = lastmods;
        }
        let (mut sitemap, mut sitemap_gone) = (Vec::new(), Vec::new());
        if pages_added || !edited.removed.is_empty() || dates_changed {
            // Pages only, as in a whole build: a static `x/index.html` is
            // not listed.
            let gone: HashSet<&str> = edited.removed.iter().map(String::as_str).collect();
            let all: Vec<String> = self
                .files
                .keys()
                .filter(|p| !gone.contains(p.as_str()) && !self.statics.contains(*p))
                .chain(
                    edited
                        .changed
                        .iter()
                        .map(|f| &f.path)
                        .filter(|p| !self.files.contains_key(*p)),
                )
                .cloned()
                .collect();
            sitemap = kept.with_ctx(|cx| feeds::sitemap_dated(cx, &all, &self.lastmods));
            let parts: HashSet<&str> = sitemap.iter().map(|f| f.path.as_str()).collect();
            sitemap_gone = self
                .files
                .keys()
                .filter(|p| {
                    p.starts_with("sitemap-")
                        && p.ends_with(".xml")
                        && !parts.contains(p.as_str())
                        && !self.statics.contains(*p)
                })
                .cloned()
                .collect();
        }
        // A path new to the site's pages (a new tag's page, an entity's next
        // page; a static file's path is none of theirs) may clash with one
        // the site has: found as a whole build finds it, by the same check,
        // run on every path only when one of the new ones may clash. It
        // fails the edit like any broken one; the model holds the edit
        // already, so the next goes through a whole build.
        let added: Vec<&str> = edited
            .changed
            .iter()
            .chain(&sitemap)
            .map(|f| f.path.as_str())
            .filter(|p| !self.files.contains_key(*p) || self.statics.contains(*p))
            .collect();
        if self.paths.may_clash(added.iter().copied()) {
            let gone: HashSet<&str> = edited
                .removed
                .iter()
                .chain(&sitemap_gone)
                .map(String::as_str)
                .collect();
            let all: Vec<String> = self
                .files
                .keys()
                .map(String::as_str)
                .filter(|p| !gone.contains(p))
                .chain(added.iter().copied())
                .map(str::to_string)
                .collect();
            let clashes = output::path_clashes(&self.opts.root, &kept.annotated, &all, true, true);
            if !clashes.is_empty() {
                self.stale = true;
                let mut errors = Diagnostics::new();
                errors.extend(clashes);
                return Err(errors);
            }
        }
        let added: Vec<String> = added
            .into_iter()
            .filter(|p| !self.files.contains_key(*p))
            .map(str::to_string)
            .collect();

        // The JSON records of what was touched (in their own buffers, and of
        // an entity's record only the pieces of the edited articles: a
        // popular entity's record is megabytes).
        let touched_set: HashSet<usize> = touched.entities.iter().copied().collect();
        let changed_set: HashSet<usize> = changed.iter().copied().collect();
        // A search record shows the article's tags; an entity's record does
        // not, so only the edited articles' pieces of it are remade.
        let searched: HashSet<usize> = changed_set
            .iter()
            .chain(&touched.retagged)
            .copied()
            .collect();
        let (entity_records, search_records) = (&mut self.entity_records, &mut self.search_records);
        kept.with_ctx(|cx| {
            entity_records
                .par_iter_mut()
                .enumerate()
                .filter(|(e, _)| touched_set.contains(e))
                .for_each(|(e, r)| r.remake(cx, e, &changed_set));
            for (i, out) in search_records.iter_mut().enumerate() {
                if searched.contains(&i) {
                    out.clear();
                    json::search_record(cx, i, out);
                }
            }
        });
        edited.changed.push(self.entities_json());
        edited.changed.push(self.search_json());
        edited.removed.extend(sitemap_gone);
        edited.changed.extend(sitemap);
        for p in &edited.removed {
            self.files.remove(p);
            self.paths.remove(p);
        }
        for p in &added {
            self.paths.insert(p);
        }
        for f in &edited.changed {
            self.files.insert(f.path.clone(), f.clone());
        }
        Ok(Some(edited))
    }

    fn entities_json(&mut self) -> OutputFile {
        let records: Vec<Vec<&[u8]>> = self
            .entity_records
            .iter()
            .map(EntityRecord::parts)
            .collect();
        let (head, tail) = (json::ENTITIES_HEAD, json::ENTITIES_TAIL);
        let published = self.files.get("entities.json");
        joined(
            "entities.json",
            &mut self.spare_entities,
            published,
            head,
            &records,
            tail,
        )
    }

    fn search_json(&mut self) -> OutputFile {
        let records: Vec<[&[u8]; 1]> = self.search_records.iter().map(|r| [r.as_slice()]).collect();
        let (head, tail) = (json::SEARCH_HEAD, json::SEARCH_TAIL);
        let published = self.files.get("search.json");
        joined(
            "search.json",
            &mut self.spare_search,
            published,
            head,
            &records,
            tail,
        )
    }

    /// Every file, sorted by path (for tests and comparisons).
    pub fn sorted_files(&self) -> Vec<OutputFile> {
        let mut files: Vec<OutputFile> = self.files.values().cloned().collect();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

/// The JSON file `path` joined from its records ([`json::join_onto`]) into
/// the memory of `spare` when nothing else holds it; `published`, the
/// version serve shows now, becomes the next spare: it is free again once
/// serve has replaced it (unless a request still reads it).
fn joined<'r, R: AsRef<[&'r [u8]]>>(
    path: &str,
    spare: &mut Option<Arc<Vec<u8>>>,
    published: Option<&OutputFile>,
    head: &[u8],
    records: &[R],
    tail: &[u8],
) -> OutputFile {
    let mut buf = match spare.take().map(Arc::try_unwrap) {
        Some(Ok(buf)) => buf,
        _ => Vec::new(),
    };
    buf.clear();
    json::join_onto(&mut buf, head, records, tail);
    *spare = published.map(|f| f.bytes.clone());
    OutputFile {
        path: path.into(),
        bytes: Arc::new(buf),
        key: 0,
    }
}

/// The output path of every file in the site's `static/` folder, as the
/// build finds them (`site::pages`: files only, `/`-separated).
fn static_paths(root: &Path) -> HashSet<String> {
    let dir = root.join("static");
    walkdir::WalkDir::new(&dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(&dir).ok()?;
            Some(rel.to_string_lossy().replace('\\', "/"))
        })
        .collect()
}

fn record(f: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut out = Vec::new();
    f(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::build_site;
    use std::path::Path;

    /// splitmix64, for edits that differ from run to run of the loop only.
    struct Rng(u64);
    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            ((z ^ (z >> 31)) % n as u64) as usize
        }
    }

    const NAMES: [&str; 6] = [
        "Ana Pérez",
        "Bruno Díaz",
        "Cártel del Norte",
        "Ciudad Vieja",
        "Dora Ruiz",
        "Eloy Soto",
    ];

    /// The configuration of the test sites: published under a sub-path.
    const CONFIG: &str = "title = \"T\"\nbase_url = \"https://u.github.io/r/\"\n";

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    /// An article mentioning some of the entities, by name and by link.
    fn article(rng: &mut Rng, n: usize, title: &str) -> String {
        let mut body = String::new();
        for _ in 0..1 + rng.below(4) {
            let name = NAMES[rng.below(NAMES.len())];
            if rng.below(3) == 0 {
                body.push_str(&format!("They met [[{name}]] there. "));
            } else {
                body.push_str(&format!("{name} spoke at length. "));
            }
        }
        // Links the lints judge, whose verdict an edit of another article
        // may change: to a mention's anchor on an article (there or not as
        // that article names the entity) and to a tag's page (there as
        // long as an article has the tag).
        match rng.below(3) {
            0 => body.push_str(&format!(
                "See [there](/articles/a{}/#m-p{}-1). ",
                rng.below(24),
                rng.below(NAMES.len())
            )),
            1 => body.push_str(&format!(
                "See [the tag](/tags/{}{}/). ",
                ["a", "b", "c", "d"][rng.below(4)],
                rng.below(3)
            )),
            _ => {}
        }
        body.push_str("A note.[^1]\n\n[^1]: Said by ");
        body.push_str(NAMES[rng.below(NAMES.len())]);
        body.push_str(".\n");
        let tags = ["a", "b", "c", "d"][..rng.below(4)]
            .iter()
            .map(|t| format!("\"{t}{}\"", rng.below(3)))
            .collect::<Vec<_>>()
            .join(", ");
        format!(
            "+++\ntitle = \"{title}\"\ndate = 2025-01-{:02}\ntags = [{tags}]\n+++\n{body}",
            1 + n % 28
        )
    }

    fn site(articles: usize, rng: &mut Rng) -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        write(root, "config.toml", CONFIG);
        for (i, name) in NAMES.iter().enumerate() {
            write(
                root,
                &format!("content/entities/people/p{i}.md"),
                &format!("+++\nname = \"{name}\"\n+++\n"),
            );
        }
        for n in 0..articles {
            write(
                root,
                &format!("content/articles/a{n}.md"),
                &article(rng, n, &format!("Article {n}")),
            );
        }
        d
    }

    fn edit(live: &mut LiveSite, cache: &Mutex<ArticleCache>, rel: &str) -> Edited {
        let paths: BTreeSet<PathBuf> = [PathBuf::from(rel)].into();
        live.edit(&paths, cache)
            .expect("the edit builds")
            .expect("an edit in place takes the fast path")
    }

    fn assert_same_as_fresh(live: &LiveSite, opts: &BuildOptions, what: &str) {
        let fresh = build_site(opts).unwrap();
        let got = live.sorted_files();
        let paths = |f: &[OutputFile]| f.iter().map(|f| f.path.clone()).collect::<Vec<_>>();
        assert_eq!(
            paths(&got),
            paths(&fresh.files),
            "after {what}: other files"
        );
        for (g, f) in got.iter().zip(&fresh.files) {
            assert!(g.bytes == f.bytes, "after {what}: {} differs", g.path);
        }
        let index = output::PathIndex::new(live.files.keys().map(String::as_str));
        assert_eq!(live.paths, index, "after {what}: the index of paths");
        // The warnings `build` gives, its lints' included.
        let linted = BuildOptions {
            lint: true,
            ..opts.clone()
        };
        let fresh = build_site(&linted).unwrap().warnings.report();
        let mut got = live.warnings.clone();
        got.extend(live.lint());
        assert_eq!(got.report(), fresh, "after {what}: other warnings");
    }

    #[test]
    fn edits_in_place_give_what_a_fresh_build_gives() {
        let mut rng = Rng(7);
        let d = site(24, &mut rng);
        let opts = BuildOptions {
            root: d.path().to_path_buf(),
            ..Default::default()
        };
        let cache = Mutex::new(ArticleCache::default());
        let mut live = LiveSite::build(&opts, None, &cache).unwrap();
        assert_same_as_fresh(&live, &opts, "the first build");
        for round in 0..30 {
            let n = rng.below(24);
            let title = if rng.below(4) == 0 {
                format!("Retitled {round}")
            } else {
                format!("Article {n}")
            };
            let rel = format!("content/articles/a{n}.md");
            write(d.path(), &rel, &article(&mut rng, n, &title));
            let edited = edit(&mut live, &cache, &rel);
            assert!(edited
                .changed
                .iter()
                .any(|f| f.path == format!("articles/a{n}/index.html")));
            assert_same_as_fresh(&live, &opts, &format!("edit {round} of a{n}"));
        }
        // Same entities, new title and words: related lists stay, but those
        // that show the article must show its new title.
        for n in [3, 11, 17] {
            let rel = format!("content/articles/a{n}.md");
            let text = std::fs::read_to_string(d.path().join(&rel)).unwrap();
            let text = text
                .replacen("title = \"", "title = \"Now ", 1)
                .replace("spoke at length", "spoke briefly");
            write(d.path(), &rel, &text);
            edit(&mut live, &cache, &rel);
            assert_same_as_fresh(&live, &opts, &format!("a new title for a{n}"));
        }
    }

    #[test]
    fn an_entity_crossing_the_related_limit_changes_related_lists_everywhere() {
        use crate::site::RELATED_MAX_DF;
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        write(
            root,
            "config.toml",
            "title = \"T\"\nbase_url = \"https://x.org/\"\n",
        );
        write(
            root,
            "content/entities/people/ana.md",
            "+++\nname = \"Ana Pérez\"\n+++\n",
        );
        write(
            root,
            "content/entities/people/eloy.md",
            "+++\nname = \"Eloy Soto\"\n+++\n",
        );
        let text = |n: usize, ana: bool| {
            let who = if ana { "Ana Pérez" } else { "Nobody" };
            let eloy = if n.is_multiple_of(7) {
                " Eloy Soto too."
            } else {
                ""
            };
            format!(
                "+++\ntitle = \"A{n}\"\ndate = 2024-{:02}-{:02}\n+++\n{who} spoke.{eloy}\n",
                1 + n % 12,
                1 + n % 28
            )
        };
        // Exactly at the limit: Ana still counts for related articles.
        for n in 0..=RELATED_MAX_DF {
            write(
                root,
                &format!("content/articles/a{n}.md"),
                &text(n, n < RELATED_MAX_DF),
            );
        }
        let opts = BuildOptions {
            root: root.to_path_buf(),
            ..Default::default()
        };
        let cache = Mutex::new(ArticleCache::default());
        let mut live = LiveSite::build(&opts, None, &cache).unwrap();
        let last = format!("content/articles/a{RELATED_MAX_DF}.md");
        for ana in [true, false, true] {
            write(root, &last, &text(RELATED_MAX_DF, ana));
            edit(&mut live, &cache, &last);
            assert_same_as_fresh(&live, &opts, &format!("Ana in the last article: {ana}"));
        }
    }

    #[test]
    fn a_whole_build_after_an_entity_edit_reuses_only_what_holds() {
        let mut rng = Rng(5);
        let d = site(8, &mut rng);
        let opts = BuildOptions {
            root: d.path().to_path_buf(),
            ..Default::default()
        };
        let cache = Mutex::new(ArticleCache::default());
        let first = LiveSite::build(&opts, None, &cache).unwrap();
        let again = LiveSite::build(&opts, Some(&first), &cache).unwrap();
        assert_eq!(again.sorted_files(), first.sorted_files());
        // Every article depends on the entities: an alias found in the
        // text must show up in pages reused from nowhere.
        write(
            d.path(),
            "content/entities/people/p4.md",
            "+++\nname = \"Dora Ruiz\"\naliases = [\"Article\"]\n+++\n",
        );
        let mut live = LiveSite::build(&opts, Some(&again), &cache).unwrap();
        assert_same_as_fresh(&live, &opts, "an entity edit");
        assert_ne!(live.sorted_files(), again.sorted_files());
        // And the live site goes on taking edits in place from there.
        write(
            d.path(),
            "content/articles/a3.md",
            &article(&mut rng, 3, "Article 3"),
        );
        edit(&mut live, &cache, "content/articles/a3.md");
        assert_same_as_fresh(&live, &opts, "an edit after a whole build");
    }

    #[test]
    fn a_sidecar_edit_and_a_broken_edit() {
        let mut rng = Rng(11);
        let d = site(6, &mut rng);
        let opts = BuildOptions {
            root: d.path().to_path_buf(),
            ..Default::default()
        };
        let cache = Mutex::new(ArticleCache::default());
        let mut live = LiveSite::build(&opts, None, &cache).unwrap();
        write(
            d.path(),
            "content/articles/a2.md",
            "+++\ntitle = \"Two\"\ndate = 2025-01-03\n+++\nThe old town was quiet.\n",
        );
        write(
            d.path(),
            "content/articles/a2.annotations.toml",
            "[[annotations]]\nquote = \"old town\"\nentity = \"p3\"\nnote = \"Ciudad Vieja.\"\n",
        );
        edit(&mut live, &cache, "content/articles/a2.annotations.toml");
        assert_same_as_fresh(&live, &opts, "a sidecar");
        let page =
            String::from_utf8_lossy(&live.files["articles/a2/index.html"].bytes).into_owned();
        assert!(page.contains("id=\"m-p3-1\""), "{page}");

        // A broken edit changes nothing; its fix goes through.
        let before = live.sorted_files();
        write(
            d.path(),
            "content/articles/a2.md",
            "+++\ntitle = \"Two\"\ndate = 2025-01-03\n+++\nSee [[nobody]].\n",
        );
        let paths: BTreeSet<PathBuf> = [PathBuf::from("content/articles/a2.md")].into();
        let err = live.edit(&paths, &cache).unwrap_err();
        assert!(
            err.report()
                .contains("content/articles/a2.md:5:5: error: unknown entity"),
            "{}",
            err.report()
        );
        assert_eq!(live.sorted_files(), before);
        write(
            d.path(),
            "content/articles/a2.md",
            "+++\ntitle = \"Two\"\ndate = 2025-01-03\n+++\nDora Ruiz, in the old town.\n",
        );
        edit(&mut live, &cache, "content/articles/a2.md");
        assert_same_as_fresh(&live, &opts, "the fix");
    }

    #[test]
    fn what_is_not_an_edit_in_place_asks_for_a_build() {
        let mut rng = Rng(3);
        let d = site(4, &mut rng);
        let opts = BuildOptions {
            root: d.path().to_path_buf(),
            ..Default::default()
        };
        let cache = Mutex::new(ArticleCache::default());
        let mut live = LiveSite::build(&opts, None, &cache).unwrap();
        let needs_build = |live: &mut LiveSite, rel: &str| {
            let paths: BTreeSet<PathBuf> = [PathBuf::from(rel)].into();
            live.edit(&paths, &cache).unwrap().is_none()
        };
        write(
            d.path(),
            "content/articles/new.md",
            "+++\ntitle = \"N\"\ndate = 2025-02-01\n+++\nNew.\n",
        );
        assert!(needs_build(&mut live, "content/articles/new.md"));
        write(
            d.path(),
            "content/articles/a1.md",
            "+++\ntitle = \"N\"\ndate = 2025-03-01\n+++\nMoved.\n",
        );
        assert!(
            needs_build(&mut live, "content/articles/a1.md"),
            "a new date"
        );
        assert!(needs_build(&mut live, "content/entities/people/p1.md"));
        assert!(needs_build(&mut live, "config.toml"));
        std::fs::remove_file(d.path().join("content/articles/a0.md")).unwrap();
        assert!(needs_build(&mut live, "content/articles/a0.md"), "deleted");
        // A folder of articles moved: the watcher names only the folder.
        write(
            d.path(),
            "content/articles/old/a9.md",
            "+++\ntitle = \"N\"\ndate = 2025-02-01\n+++\nOld.\n",
        );
        let mut live = LiveSite::build(&opts, None, &cache).unwrap();
        std::fs::rename(
            d.path().join("content/articles/old"),
            d.path().join("content/articles/new"),
        )
        .unwrap();
        assert!(
            needs_build(&mut live, "content/articles/old"),
            "a folder moved"
        );
        // Files the build does not read change nothing.
        let mut live = LiveSite::build(&opts, Some(&live), &cache).unwrap();
        write(d.path(), "content/articles/.a3.md.swp", "x");
        let paths: BTreeSet<PathBuf> = [PathBuf::from("content/articles/.a3.md.swp")].into();
        let edited = live.edit(&paths, &cache).unwrap().unwrap();
        assert!(edited.changed.is_empty());
    }

    #[test]
    fn an_edit_whose_new_pages_clash_fails_and_the_next_builds_again() {
        let mut rng = Rng(13);
        let d = site(4, &mut rng);
        let root = d.path();
        let text = |tags: &str| {
            format!("+++\ntitle = \"A1\"\ndate = 2025-01-02\ntags = [{tags}]\n+++\nDora Ruiz.\n")
        };
        write(root, "content/articles/a1.md", &text(""));
        // Where the pages of tags no article has yet would go.
        write(root, "static/tags/fresh/index.html", "mine");
        write(root, "static/tags/Other/index.html", "mine too");
        let opts = BuildOptions {
            root: root.to_path_buf(),
            ..Default::default()
        };
        let cache = Mutex::new(ArticleCache::default());
        let mut live = LiveSite::build(&opts, None, &cache).unwrap();
        // An edit that adds no page keeps the static files.
        write(root, "content/articles/a1.md", &text("\"x9\""));
        edit(&mut live, &cache, "content/articles/a1.md");
        assert_same_as_fresh(&live, &opts, "a new tag");
        assert_eq!(&**live.files["tags/fresh/index.html"].bytes, b"mine");
        let paths: BTreeSet<PathBuf> = [PathBuf::from("content/articles/a1.md")].into();
        for (tags, want) in [
            (
                "\"fresh\"",
                "static/tags/fresh/index.html: error: `tags/fresh/index.html` is written twice: \
                 by this static file and by the site's own page",
            ),
            (
                "\"other\"",
                "static/tags/Other/index.html: error: `tags/Other/index.html` and \
                 `tags/other/index.html` are one file on case-insensitive file systems",
            ),
        ] {
            let before = live.sorted_files();
            write(root, "content/articles/a1.md", &text(tags));
            let err = live.edit(&paths, &cache).unwrap_err().report();
            assert!(err.contains(want), "{err}");
            // A whole build says the same.
            let whole = build_site(&opts).err().expect("a clash").report();
            assert_eq!(whole, err);
            assert_eq!(live.sorted_files(), before);
            // The model holds the edit: the next change builds again.
            assert!(live.edit(&paths, &cache).unwrap().is_none());
            write(root, "content/articles/a1.md", &text(""));
            live = LiveSite::build(&opts, Some(&live), &cache).unwrap();
        }
        assert_same_as_fresh(&live, &opts, "the fix");
    }

    /// A site of the articles `(file name, date, tags)`, each naming Ana.
    fn tagged_site(articles: &[(String, String, &str)]) -> (tempfile::TempDir, BuildOptions) {
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        write(root, "config.toml", CONFIG);
        write(
            root,
            "content/entities/people/ana.md",
            "+++\nname = \"Ana Pérez\"\n+++\n",
        );
        for (name, date, tags) in articles {
            write(
                root,
                &format!("content/articles/{name}.md"),
                &tagged(name, date, tags),
            );
        }
        let opts = BuildOptions {
            root: root.to_path_buf(),
            ..Default::default()
        };
        (d, opts)
    }

    fn tagged(name: &str, date: &str, tags: &str) -> String {
        format!("+++\ntitle = \"{name}\"\ndate = {date}\ntags = [{tags}]\n+++\nAna Pérez spoke.\n")
    }

    /// The article pages an edit made again, by slug.
    fn articles_made(edited: &Edited) -> BTreeSet<String> {
        edited
            .changed
            .iter()
            .filter_map(|f| {
                f.path
                    .strip_prefix("articles/")?
                    .strip_suffix("/index.html")
            })
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn a_tag_shown_otherwise_is_shown_so_on_every_page() {
        // A tag shows the spelling of its newest article; tags of one plain
        // slug get hashed ones. Either changes pages of other articles.
        let (d, opts) = tagged_site(&[
            ("old".into(), "2025-01-01".into(), "\"C++\", \"security\""),
            ("new".into(), "2025-02-01".into(), "\"security\""),
        ]);
        let root = d.path();
        let cache = Mutex::new(ArticleCache::default());
        let mut live = LiveSite::build(&opts, None, &cache).unwrap();
        let rel = "content/articles/new.md";
        for tags in [
            "\"Security\"",
            "\"Security\", \"C#\"",
            "\"security\", \"C#\"",
            "\"C#\"",
            "",
            "\"Security\"",
        ] {
            write(root, rel, &tagged("new", "2025-02-01", tags));
            edit(&mut live, &cache, rel);
            assert_same_as_fresh(&live, &opts, &format!("new.md's tags now [{tags}]"));
        }
        // The older article's spelling shows only while no newer one has
        // the tag: in its record in `search.json` too.
        let search = |live: &LiveSite| {
            String::from_utf8_lossy(&live.files["search.json"].bytes).into_owned()
        };
        assert!(!search(&live).contains("\"security\""), "{}", search(&live));
        write(root, rel, &tagged("new", "2025-02-01", "\"C#\""));
        edit(&mut live, &cache, rel);
        assert!(search(&live).contains("\"security\""), "{}", search(&live));
        assert_same_as_fresh(&live, &opts, "the tag left to old.md");
    }

    #[test]
    fn a_tag_renamed_or_moved_is_so_on_every_page_of_every_list() {
        // More articles with the tag than one of its pages holds (two
        // pages of it, eleven of the home page): every page of each list
        // shows it.
        let n = 2 * crate::site::pages::TAG_PAGE_SIZE + 3;
        let articles: Vec<(String, String, &str)> = (0..n)
            .map(|k| {
                let date = format!("2024-{:02}-{:02}", 1 + k / 28, 1 + k % 28);
                let tags = if k % 7 == 3 { "\"other\"" } else { "\"C++\"" };
                (format!("a{k}"), date, tags)
            })
            .collect();
        let (d, opts) = tagged_site(&articles);
        let root = d.path();
        let cache = Mutex::new(ArticleCache::default());
        let mut live = LiveSite::build(&opts, None, &cache).unwrap();
        let set = |live: &mut LiveSite, k: usize, tags: &str| {
            let (name, date, _) = &articles[k];
            let rel = format!("content/articles/{name}.md");
            write(root, &rel, &tagged(name, date, tags));
            edit(live, &cache, &rel)
        };
        let newest = n - 1;
        // Another spelling in the newest article: the tag's name.
        let edited = set(&mut live, newest, "\"c++\"");
        assert_same_as_fresh(&live, &opts, "the tag's name from the newest article");
        assert!(articles_made(&edited).len() > n / 2);
        // A tag of the same plain slug that comes first takes it: the
        // tag's pages move, and its page 2 (`tags/c/page/2/`) goes.
        let edited = set(&mut live, 5, "\"C++\", \"C#\"");
        assert_same_as_fresh(&live, &opts, "a tag of a like slug");
        assert!(edited.removed.iter().any(|p| p.starts_with("tags/c/page/")));
        assert!(articles_made(&edited).len() > n / 2);
        set(&mut live, 5, "\"C++\"");
        assert_same_as_fresh(&live, &opts, "that tag gone");
        set(&mut live, newest, "\"C++\"");
        assert_same_as_fresh(&live, &opts, "the name back");

        // Edits that change no tag's name or slug make again only the pages
        // they did before: the article's, its neighbours' and those that
        // list it as related.
        for (k, tags, what) in [
            (10, "\"c++\"", "another spelling in an older article"),
            (10, "\"C++\", \"other\"", "an existing tag added"),
            (10, "\"C++\"", "an existing tag removed"),
        ] {
            let edited = set(&mut live, k, tags);
            assert_same_as_fresh(&live, &opts, what);
            // Articles are newest first: a{k} is at n - 1 - k.
            let i = n - 1 - k;
            let related = &live.kept.model.related;
            let near: BTreeSet<String> = (0..n)
                .filter(|&o| o.abs_diff(i) <= 1 || related[o].iter().any(|&(r, _)| r == i))
                .map(|o| format!("a{}", n - 1 - o))
                .collect();
            assert!(
                articles_made(&edited).is_subset(&near),
                "{what}: {:?}",
                articles_made(&edited)
            );
        }
    }
}
