//! Stage 1, load: reads `content/` into [`Content`] — articles (with their
//! standoff annotations from front matter and sidecar files), entities and
//! pages — parsing every file in parallel and reporting every problem found.

pub mod frontmatter;
pub mod model;
pub mod nfc;
pub mod source;

pub use frontmatter::Date;
pub use model::*;
pub use source::{Source, SourceFile};

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Everything under `content/`, sorted: articles newest first, entities by id,
/// pages by weight and title.
#[derive(Debug, Default)]
pub struct Content {
    pub articles: Vec<Article>,
    pub entities: Vec<Entity>,
    pub pages: Vec<Page>,
}

/// Slugs of free pages that would collide with the site's own sections.
const RESERVED: &[&str] = &["articles", "entities", "tags", "archive", "page", "static"];

/// A file that is not loaded (its front matter is broken), and the byte
/// offset where its body starts: its body is still checked for the errors
/// it holds, so that one run reports them all (see [`LoadedFile`]).
pub type Unparsed = (Source, usize);

/// Reads `content/entities/`, sorted by id; duplicate ids are errors. Also
/// gives the entities not loaded for their broken front matter, for their
/// descriptions to be checked once the index of those loaded is built (as
/// [`load_articles`] hands its own to `unparsed`).
pub fn load_entities(
    root: &Path,
    config: &Config,
    diags: &mut Diagnostics,
) -> (Vec<Entity>, Vec<Unparsed>) {
    let entity_files = files_under(root, "content/entities", diags);
    let entity_md: Vec<&PathBuf> = entity_files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    let results: Vec<LoadedFile<Entity>> = entity_md
        .par_iter()
        .map(|p| load_entity(root, p, config))
        .collect();
    let mut entities = Vec::new();
    let mut broken = Vec::new();
    for (e, d, body) in results {
        diags.extend(d);
        entities.extend(e);
        broken.extend(body);
    }
    check_unique_ids(&entities, diags);
    entities.sort_by(|a, b| a.id.cmp(&b.id));
    (entities, broken)
}

/// Reads `content/pages/`, by weight then title. A page whose front matter
/// is broken is not loaded, but its body goes to `unparsed` (the file, where
/// the body starts) for the errors it holds, as in [`load_articles`].
pub fn load_pages(
    root: &Path,
    drafts: bool,
    diags: &mut Diagnostics,
    unparsed: impl Fn(&Source, usize) -> Vec<Diagnostic>,
) -> Vec<Page> {
    let page_files = files_under(root, "content/pages", diags);
    let mut pages = Vec::new();
    for p in page_files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
    {
        let (page, d, broken) = load_page(root, p);
        diags.extend(d);
        if let Some((file, body)) = broken {
            diags.extend(unparsed(&file, body));
        }
        pages.extend(page.filter(|page| drafts || !page.meta.draft));
    }
    // Titles in reading order (accents and case aside), as other lists.
    pages.sort_by_cached_key(|p| {
        let weight = p.meta.weight;
        (weight.is_none(), weight, crate::collate::key(&p.meta.title))
    });
    pages
}

/// Reads `content/articles/**` in parallel, handing each article to `with`
/// as soon as it is parsed (so its text can be processed and released
/// without the whole archive ever being held at once). Gives the articles
/// newest first, each with what `with` made of it. An article whose front
/// matter is broken is not loaded, but its body goes to `unparsed` (the
/// file, where the body starts) for the errors it holds, so that one run
/// reports them all.
pub fn load_articles<T: Send>(
    root: &Path,
    drafts: bool,
    diags: &mut Diagnostics,
    with: impl Fn(&mut Article) -> T + Sync,
    unparsed: impl Fn(&Source, usize) -> Vec<Diagnostic> + Sync,
) -> Vec<(Article, T)> {
    let article_files = files_under(root, "content/articles", diags);
    let (md, sidecars): (Vec<PathBuf>, Vec<PathBuf>) = article_files
        .into_iter()
        .partition(|p| p.extension().is_some_and(|e| e == "md"));
    let md_set: std::collections::HashSet<&PathBuf> = md.iter().collect();
    let mut sidecar_by_article: HashMap<PathBuf, PathBuf> = HashMap::new();
    for (s, article) in sidecars
        .iter()
        .filter_map(|s| Some((s, article_beside(s)?)))
    {
        if !md_set.contains(&article) {
            diags.push(Diagnostic::file(
                Severity::Warning,
                s,
                format!(
                    "annotation file has no article beside it (expected {})",
                    article.display()
                ),
            ));
        }
        sidecar_by_article.insert(article, s.clone());
    }
    type Loaded<T> = (Option<(Article, T)>, Vec<Diagnostic>);
    let results: Vec<Loaded<T>> = md
        .par_iter()
        .map(|p| {
            let (a, mut d, broken) = load_article(root, p, sidecar_by_article.get(p), drafts);
            if let Some((file, body)) = broken {
                d.extend(unparsed(&file, body));
            }
            (
                a.map(|mut a| {
                    let t = with(&mut a);
                    (a, t)
                }),
                d,
            )
        })
        .collect();
    let mut articles = Vec::new();
    for (a, d) in results {
        diags.extend(d);
        articles.extend(a);
    }
    articles.sort_by(|(a, _), (b, _)| {
        b.meta
            .date
            .cmp(&a.meta.date)
            .then_with(|| a.slug.cmp(&b.slug))
    });
    articles
}

/// Reads one article, `rel` relative to `root`, with its sidecar if it has
/// one. `None` when it cannot be read, or is a draft and `drafts` is off.
pub fn load_one_article(root: &Path, rel: &Path, drafts: bool) -> LoadedFile<Article> {
    let sidecar = sidecar_of(rel);
    let sidecar = root.join(&sidecar).is_file().then_some(sidecar);
    load_article(root, rel, sidecar.as_ref(), drafts)
}

/// Where the sidecar of the article at `md` is (`NAME.annotations.toml`
/// beside `NAME.md`), whether or not there is one.
pub fn sidecar_of(md: &Path) -> PathBuf {
    let stem = md.file_stem().unwrap_or_default().to_string_lossy();
    md.with_file_name(format!("{stem}.annotations.toml"))
}

/// The article a sidecar file belongs to (`NAME.md` beside
/// `NAME.annotations.toml`): the inverse of [`sidecar_of`]. `None` for a
/// file that is not a sidecar.
fn article_beside(sidecar: &Path) -> Option<PathBuf> {
    let name = sidecar.file_name()?.to_string_lossy();
    let stem = name.strip_suffix(".annotations.toml")?;
    Some(sidecar.with_file_name(format!("{stem}.md")))
}

/// Which Markdown files `content/articles/` holds (drafts included), as a
/// count and a digest of their paths that does not depend on order: equal
/// when the same files are there. Cheaper than listing them (no sorting,
/// no path kept), for `serve` to check on every edit.
pub fn article_files(root: &Path) -> (usize, u64) {
    fn walk(dir: &Path, rel: &mut String, acc: &mut (usize, u64)) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') {
                continue;
            }
            let len = rel.len();
            rel.push('/');
            rel.push_str(&name);
            match entry.file_type() {
                Ok(t) if t.is_dir() => walk(&entry.path(), rel, acc),
                Ok(t) if t.is_file() && name.ends_with(".md") => {
                    acc.0 += 1;
                    acc.1 = acc
                        .1
                        .wrapping_add(xxhash_rust::xxh3::xxh3_64(rel.as_bytes()));
                }
                _ => {}
            }
            rel.truncate(len);
        }
    }
    let mut acc = (0, 0);
    walk(&root.join("content/articles"), &mut String::new(), &mut acc);
    acc
}

/// The article a changed file under `content/articles/` belongs to: the
/// Markdown file itself, or the one beside a sidecar. `None` for files the
/// build does not read (hidden files, other extensions).
pub fn article_of(rel: &Path) -> Option<PathBuf> {
    let inside = rel.strip_prefix("content/articles").ok()?;
    if inside
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
    {
        return None;
    }
    if let Some(md) = article_beside(rel) {
        return Some(md);
    }
    rel.extension()
        .is_some_and(|e| e == "md")
        .then(|| rel.to_path_buf())
}

/// Files below `root/dir`, relative to `root`, sorted; hidden files skipped,
/// symbolic links skipped with a warning (nothing outside the site is read).
fn files_under(root: &Path, dir: &str, diags: &mut Diagnostics) -> Vec<PathBuf> {
    let base = root.join(dir);
    if !base.is_dir() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let walker = walkdir::WalkDir::new(&base)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let rel = e
                    .path()
                    .strip_prefix(root)
                    .unwrap_or(e.path())
                    .to_path_buf();
                out.push(rel);
            }
            Ok(e) if e.path_is_symlink() => {
                let rel = e.path().strip_prefix(root).unwrap_or(e.path());
                diags.push(Diagnostic::file(
                    Severity::Warning,
                    rel,
                    "symbolic link skipped: only files inside the site are read \
                     (copy the file or folder here instead)",
                ));
            }
            Ok(_) => {}
            Err(e) => {
                let p = e
                    .path()
                    .map(|p| p.strip_prefix(root).unwrap_or(p).to_path_buf());
                diags.push(Diagnostic::file(
                    Severity::Error,
                    &p.unwrap_or_else(|| PathBuf::from(dir)),
                    format!("cannot read: {e}"),
                ));
            }
        }
    }
    out
}

/// A file's stem, in NFC like the text read (a name typed on macOS comes
/// decomposed): slugs made from it are the URLs links are written with.
fn stem(path: &Path) -> String {
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    match nfc::to_nfc(&stem) {
        Some((nfc, _)) => nfc,
        None => stem.into_owned(),
    }
}

/// Warnings for the URLs of front matter (`source`: true for an article's
/// source, false for an entity's `links`) that the pages leave unlinked,
/// each at the URL if it stands there as written.
fn front_matter_urls<'a>(
    file: &SourceFile,
    split: &frontmatter::Split,
    urls: impl Iterator<Item = (&'a String, bool)>,
) -> Vec<Diagnostic> {
    let toml = &file.text[split.toml.0..split.toml.1];
    urls.filter_map(|(url, source)| {
        let problem = crate::render::url::front_matter_url_problem(url, source)?;
        let at = split.toml.0 + toml.find(url.as_str()).unwrap_or(0);
        Some(file.warning(at, problem))
    })
    .collect()
}

/// `2025-09-03-rubio-visit` → `rubio-visit`.
pub fn strip_date_prefix(stem: &str) -> &str {
    let b = stem.as_bytes();
    let is_date = b.len() > 11
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
        && b[10] == b'-';
    if is_date {
        &stem[11..]
    } else {
        stem
    }
}

/// Why `slug` cannot be a URL path segment, if it cannot.
pub fn slug_problem(slug: &str) -> Option<&'static str> {
    if slug.is_empty() {
        Some("slug is empty")
    } else if slug.starts_with('.') {
        Some("slug must not start with a dot")
    } else if slug
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || "/\\?#%\"<>".contains(c))
    {
        Some("slug must not contain white space or any of / \\ ? # % \" < >")
    } else if slug.len() > 255 {
        // A slug is a folder name.
        Some("slug is longer than a file name may be (255 bytes)")
    } else {
        None
    }
}

/// A file read (or not), what was wrong with it, and, when it is not loaded
/// although its front matter could be told from its body, its file and where
/// its body starts (an article: when its front matter does not parse; an
/// entity or a page: also when a value in it is wrong, such as an unknown
/// `kind` or a reserved slug, or when an entity's file name is no valid id).
pub type LoadedFile<T> = (Option<T>, Vec<Diagnostic>, Option<Unparsed>);

type LoadedArticle = LoadedFile<Article>;

/// Reads `rel`, splits off its front matter and parses it as `T`; or what
/// its loader gives for a file that fails there (with its body to check
/// when only the front matter is broken).
fn read_front_matter<T: frontmatter::Table, U>(
    root: &Path,
    rel: &Path,
) -> Result<(Source, frontmatter::Split, T), LoadedFile<U>> {
    let file = SourceFile::read(root, rel).map_err(|d| (None, vec![d], None))?;
    let split = frontmatter::split(&file).map_err(|d| (None, vec![d], None))?;
    match frontmatter::parse(&file, &split) {
        Ok(meta) => Ok((file, split, meta)),
        Err(d) => Err((None, d, Some((file.clone(), split.body)))),
    }
}

fn load_article(root: &Path, rel: &Path, sidecar: Option<&PathBuf>, drafts: bool) -> LoadedArticle {
    let mut diags = Vec::new();
    let (file, split, meta) = match read_front_matter::<ArticleMeta, _>(root, rel) {
        Ok(read) => read,
        Err(failed) => return failed,
    };
    if meta.draft && !drafts {
        return (None, diags, None);
    }
    diags.extend(front_matter_urls(
        &file,
        &split,
        meta.source.iter().map(|s| (s, true)),
    ));
    let (slug, slug_at) = match &meta.slug {
        Some(s) => (
            s.get_ref().clone(),
            Located::string_value(&file, split.toml.0, s),
        ),
        None => (
            strip_date_prefix(&stem(rel)).to_string(),
            Located::at(&file, 0),
        ),
    };
    if let Some(problem) = slug_problem(&slug) {
        diags.push(slug_at.error(&file.path, format!("{problem}: {slug:?}")));
    }
    let mut annotations: Vec<Annotation> = meta
        .annotations
        .iter()
        .enumerate()
        .map(|(i, spec)| Annotation {
            spec: spec.clone(),
            file: file.clone(),
            toml_offset: split.toml.0,
            index: i + 1,
        })
        .collect();
    if let Some(side) = sidecar {
        match SourceFile::read(root, side) {
            Ok(sf) => match frontmatter::parse_sidecar(&sf) {
                Ok(specs) => {
                    annotations.extend(specs.into_iter().enumerate().map(|(i, spec)| Annotation {
                        spec,
                        file: sf.clone(),
                        toml_offset: 0,
                        index: i + 1,
                    }))
                }
                Err(d) => diags.extend(d),
            },
            Err(d) => diags.push(d),
        }
    }
    // What TOML escapes put into notes and quotes is read as the text of
    // the files is (`SourceFile::read`): controls and noncharacters as spaces.
    for a in &mut annotations {
        let spec = &mut a.spec;
        crate::escape::blank_unwanted(spec.quote.get_mut());
        for text in [spec.prefix.as_mut(), spec.suffix.as_mut()]
            .into_iter()
            .flatten()
        {
            crate::escape::blank_unwanted(text);
        }
        if let Some(note) = spec.note.as_mut() {
            crate::escape::blank_unwanted(note.get_mut());
        }
    }
    let empty = |what: &str, list: &[toml::Spanned<String>]| {
        let at = list.iter().find(|t| model::blank(t.get_ref()))?;
        Some(file.error(
            split.toml.0 + at.span().start,
            format!("{what} must not be empty"),
        ))
    };
    diags.extend(empty("a tag", &meta.tags));
    diags.extend(empty("an author's name", &meta.authors));
    for a in &annotations {
        if a.spec.entity.is_none() && a.spec.note.is_none() {
            diags.push(a.file.error(
                a.quote_offset(),
                format!("annotation #{} has neither `entity` nor `note`", a.index),
            ));
        }
    }
    let article = Article {
        file,
        meta,
        slug,
        toml_offset: split.toml.0,
        body_offset: split.body,
        annotations,
        slug_at,
    };
    (Some(article), diags, None)
}

fn load_entity(root: &Path, rel: &Path, config: &Config) -> LoadedFile<Entity> {
    let (file, split, meta) = match read_front_matter::<EntityMeta, _>(root, rel) {
        Ok(read) => read,
        Err(failed) => return failed,
    };
    let broken = Some((file.clone(), split.body));
    let mut diags = front_matter_urls(&file, &split, meta.links.iter().map(|l| (l, false)));
    let id = stem(rel);
    if id.is_empty()
        || !id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        diags.push(file.error(
            0,
            format!("invalid entity id {id:?}: the file name must be lower-case ASCII letters, digits and hyphens"),
        ));
    }
    // content/entities/<folder>/...: the folder implies the kind.
    let folder = rel
        .strip_prefix("content/entities")
        .ok()
        .filter(|r| r.components().count() > 1)
        .and_then(|r| r.components().next())
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let known = || {
        config
            .kinds
            .iter()
            .map(|k| k.key.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let kind = match (&meta.kind, &folder) {
        (Some(k), _) => match config.kind(k.get_ref()) {
            Some(k) => Some(k.key.clone()),
            None => {
                diags.push(file.error(
                    split.toml.0 + k.span().start,
                    format!("unknown kind {:?} (known kinds: {})", k.get_ref(), known()),
                ));
                None
            }
        },
        (None, Some(f)) => match config.kind_by_folder(f) {
            Some(k) => Some(k.key.clone()),
            None => {
                diags.push(file.error(
                    0,
                    format!("folder {f:?} implies no kind and the entity sets no `kind` (known kinds: {})", known()),
                ));
                None
            }
        },
        (None, None) => {
            diags.push(file.error(
                0,
                format!("entity has no `kind` (known kinds: {})", known()),
            ));
            None
        }
    };
    match kind {
        Some(kind) if !diags.iter().any(Diagnostic::is_error) => {
            let entity = Entity {
                id,
                kind,
                meta,
                file,
                toml_offset: split.toml.0,
                body_offset: split.body,
            };
            (Some(entity), diags, None)
        }
        _ => (None, diags, broken),
    }
}

fn load_page(root: &Path, rel: &Path) -> LoadedFile<Page> {
    let (file, split, meta) = match read_front_matter::<PageMeta, _>(root, rel) {
        Ok(read) => read,
        Err(failed) => return failed,
    };
    let broken = Some((file.clone(), split.body));
    let (slug, slug_at) = match &meta.slug {
        Some(s) => (
            s.get_ref().clone(),
            Located::string_value(&file, split.toml.0, s),
        ),
        None => (stem(rel), Located::at(&file, 0)),
    };
    if let Some(problem) = slug_problem(&slug) {
        let d = slug_at.error(&file.path, format!("{problem}: {slug:?}"));
        return (None, vec![d], broken);
    }
    if is_reserved(&slug) {
        let d = slug_at.error(
            &file.path,
            format!("page slug {slug:?} is taken by the site's own pages; set another `slug`"),
        );
        return (None, vec![d], broken);
    }
    let page = Page {
        file,
        meta,
        slug,
        slug_at,
        body_offset: split.body,
    };
    (Some(page), Vec::new(), None)
}

/// Whether a free page at `/<slug>/` would land in a folder of the site's
/// own, on a file system that ignores case too (`Articles` is `articles` on
/// macOS and Windows). Generated files (`atom.xml`, ...) are the output's
/// check of clashing paths.
fn is_reserved(slug: &str) -> bool {
    RESERVED.contains(&fold_case(slug).as_str())
}

/// What two slugs or ids are compared as: without regard to case, as a
/// case-insensitive file system or web host would (`Same` and `same` are
/// one folder there, so one would overwrite the other).
pub fn fold_case(slug: &str) -> String {
    slug.to_lowercase()
}

/// Duplicates, equal but for case included, among `items` (slug or id, its
/// file, where to point): an error at each but the first in path order.
fn check_unique<'a>(
    mut items: Vec<(&'a str, &'a Path, &'a Located)>,
    what: &str,
    hint: &str,
    diags: &mut Diagnostics,
) {
    items.sort_by(|a, b| a.1.cmp(b.1));
    let mut seen: HashMap<String, (&str, &Path)> = HashMap::new();
    for (slug, path, at) in items {
        match seen.get(&fold_case(slug)) {
            None => {
                seen.insert(fold_case(slug), (slug, path));
            }
            Some(&(first, first_path)) => {
                let note = if first == slug {
                    format!("{} has the same {what}{hint}", first_path.display())
                } else {
                    format!(
                        "{} has the {what} {first:?}, the same but for case \
                         (one folder on case-insensitive file systems and hosts){hint}",
                        first_path.display()
                    )
                };
                diags.push(
                    at.error(path, format!("duplicate {what} {slug:?}"))
                        .with_note(note),
                );
            }
        }
    }
}

/// Two articles, or two pages, whose slugs are equal but for case are
/// errors: their pages would overwrite each other.
pub fn check_unique_slugs(articles: &[Article], pages: &[Page], diags: &mut Diagnostics) {
    let items = articles
        .iter()
        .map(|a| (a.slug.as_str(), a.file.path.as_path(), &a.slug_at))
        .collect();
    check_unique(items, "article slug", "; set `slug` in one of them", diags);
    let items = pages
        .iter()
        .map(|p| (p.slug.as_str(), p.file.path.as_path(), &p.slug_at))
        .collect();
    check_unique(items, "page slug", "; set `slug` in one of them", diags);
}

fn check_unique_ids(entities: &[Entity], diags: &mut Diagnostics) {
    let at: Vec<Located> = entities.iter().map(|e| Located::at(&e.file, 0)).collect();
    let items = entities
        .iter()
        .zip(&at)
        .map(|(e, at)| (e.id.as_str(), e.file.path.as_path(), at))
        .collect();
    check_unique(items, "entity id", " (the file name)", diags);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_prefix_is_dropped_from_slugs() {
        assert_eq!(strip_date_prefix("2025-09-03-rubio-visit"), "rubio-visit");
        assert_eq!(strip_date_prefix("rubio-visit"), "rubio-visit");
        assert_eq!(strip_date_prefix("2025-09-03"), "2025-09-03");
    }

    #[test]
    fn slugs_that_would_break_urls_are_refused() {
        assert!(slug_problem("a/b").is_some());
        assert!(slug_problem("..").is_some());
        assert!(slug_problem("a b").is_some());
        assert!(slug_problem("rubio-visit").is_none());
        assert!(slug_problem("méxico").is_none());
        assert!(slug_problem(&"s".repeat(255)).is_none());
        assert!(slug_problem(&"é".repeat(128)).is_some());
    }

    #[test]
    fn reserved_slugs_are_reserved_in_any_case() {
        assert!(is_reserved("tags") && is_reserved("Articles") && is_reserved("STATIC"));
        assert!(!is_reserved("about"));
        assert_eq!(fold_case("MÉXICO"), fold_case("méxico"));
    }
}
