//! Stage 4, site: from annotated content to the pages of the site.
//! [`Site::assemble`] derives, in one pass over the mentions, everything the
//! pages list (mentions per entity, entities per article, tags, related
//! articles); [`render_all`] turns that into output files in memory.

pub mod article_page;
pub mod entity_page;
pub mod feeds;
pub mod json;
pub mod lint;
pub mod lists;
pub mod pages;
mod update;
pub mod urls;

pub use pages::render_all;

use crate::annotate::snippet;
use crate::build::{Annotated, ArticleDoc};
use crate::render::markdown::EntityRef;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use urls::{tag_key, tag_slugs, Urls};

/// A file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative to the output folder, `/`-separated.
    pub path: String,
    /// Shared, so that a page kept from the previous build is not copied.
    pub bytes: std::sync::Arc<Vec<u8>>,
    /// For rendered pages: a hash of the template set and the page's whole
    /// context. The same key means the same bytes, so a sink that holds the
    /// page under this key may keep it without it being rendered again. 0: none.
    pub key: u64,
}

impl OutputFile {
    pub fn new(path: impl Into<String>, bytes: Vec<u8>) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: std::sync::Arc::new(bytes),
            key: 0,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Tag {
    pub name: String,
    pub slug: String,
    /// Article indices, newest first.
    pub articles: Vec<usize>,
}

/// What the pages are made from.
pub struct Site {
    pub urls: Urls,
    pub entity_refs: Vec<EntityRef>,
    /// Per entity: (article, its mentions of the entity in reading order),
    /// newest article first. Subjects without mentions have an empty list.
    pub mentions_of: Vec<Vec<(usize, Vec<usize>)>>,
    /// Per entity: mentions in the whole archive.
    pub mention_count: Vec<usize>,
    /// Per article: (entity, mentions) for every entity it mentions or names
    /// as a subject, most mentioned first, then by index (pages show ties
    /// by name: [`Site::by_count_then_name`]).
    pub article_entities: Vec<Vec<(u32, usize)>>,
    /// Per article: tag indices.
    pub article_tags: Vec<Vec<usize>>,
    pub tags: Vec<Tag>,
    /// Per article: plain-text summary.
    pub summaries: Vec<String>,
    /// Per article: up to five related articles with the number of entities shared.
    pub related: Vec<Vec<(usize, usize)>>,
    /// Per entity: the [`CO_MENTIONED_SHOWN`] entities most often in the
    /// same articles, and any more tied in count with the last of them
    /// (which of the tied a page shows is decided by name, not here:
    /// [`Site::co_mentioned_shown`]); most shared first, then by index.
    pub co_mentioned: Vec<Vec<(u32, usize)>>,
    /// Per entity: its place among all the entities sorted by name
    /// ([`crate::collate`]), equal names by id. What every list a reader
    /// sees in order of name is sorted by, as a number.
    pub name_rank: Vec<u32>,
}

/// Entities an entity's page shows as "often mentioned with".
pub const CO_MENTIONED_SHOWN: usize = 10;

/// Entities in more articles than this say little about which articles are
/// related (like a stop word), and scanning their lists for every article was
/// the costliest part of assembling a large site: they are left out of the
/// related-articles score.
pub(crate) const RELATED_MAX_DF: usize = 150;

/// Writes a file's bytes into the writer it is given (see [`Sink::put_with`]).
pub type WriteFn<'a> = dyn Fn(&mut dyn std::io::Write) -> std::io::Result<()> + Sync + 'a;

/// Where pages go as they are rendered.
pub trait Sink: Sync {
    fn put(&self, file: OutputFile) -> std::io::Result<()>;

    /// Whether the sink already holds `path` as rendered under `key`; if it
    /// does, it keeps it as part of this build and the page is not rendered.
    fn keep(&self, _path: &str, _key: u64) -> bool {
        false
    }

    /// Like [`Sink::put`], for a large file made piece by piece
    /// (`entities.json`): `write` writes it into the writer it is given. A
    /// sink on disk streams it into its file and never holds it whole; this
    /// default collects it in memory.
    fn put_with(&self, path: &str, write: &WriteFn) -> std::io::Result<()> {
        let mut bytes = Vec::new();
        write(&mut bytes)?;
        self.put(OutputFile::new(path, bytes))
    }

    /// False for a sink that only wants to know which pages there are
    /// (`check`): pages are then rendered once per template, to find errors.
    fn wants_pages(&self) -> bool {
        true
    }
}

/// What a link to each entity needs (href, kind, hover title). The hover
/// title names the kind as one of it, in the site's language (`Person`,
/// `Persona`); a kind the theme has no word for by its key, read as words
/// (`org_unit` → `Org unit`).
pub fn entity_refs(
    entities: &[crate::content::Entity],
    urls: &Urls,
    lang: crate::render::words::Lang,
) -> Vec<EntityRef> {
    entities
        .iter()
        .map(|e| {
            let kind = match lang.kind_one(&e.kind) {
                Some(one) => one.to_string(),
                None => capitalise(&e.kind.replace(['_', '-'], " ")),
            };
            let title = if e.meta.summary.is_empty() {
                kind
            } else {
                format!("{kind} — {}", e.meta.summary)
            };
            EntityRef {
                id: e.id.clone(),
                href: urls.entity(&e.id, 1),
                kind: e.kind.clone(),
                title,
            }
        })
        .collect()
}

impl Site {
    pub fn assemble(a: &Annotated) -> Site {
        let urls = a.urls.clone();
        let entity_refs = a.entity_refs.clone();
        let n_ent = a.content.entities.len();
        let n_art = a.content.articles.len();

        let mut mentions_of: Vec<Vec<(usize, Vec<usize>)>> = vec![Vec::new(); n_ent];
        let mut mention_count = vec![0usize; n_ent];
        let mut article_entities = Vec::with_capacity(n_art);
        for (ai, art) in a.articles.iter().enumerate() {
            let (list, per) = entities_of(art);
            for (e, ms) in per {
                mention_count[e as usize] += ms.len();
                mentions_of[e as usize].push((ai, ms));
            }
            article_entities.push(list);
        }
        let (tags, article_tags) = tags_of(a);
        let summaries: Vec<String> = (0..n_art).map(|i| article_summary(a, i)).collect();

        let related = related_articles(&article_entities, &mentions_of, n_art);
        let co_mentioned = co_mentioned(&article_entities, &mentions_of);
        // Entities are sorted by id: equal names keep that order.
        let name_rank =
            crate::collate::ranks(a.content.entities.iter().map(|e| e.meta.name.as_str()));

        Site {
            urls,
            entity_refs,
            mentions_of,
            mention_count,
            article_entities,
            article_tags,
            tags,
            summaries,
            related,
            co_mentioned,
            name_rank,
        }
    }

    /// `list` of (entity, count), most counted first, ties by name.
    pub fn by_count_then_name(&self, list: &mut [(u32, usize)]) {
        list.sort_unstable_by_key(|&(e, c)| (std::cmp::Reverse(c), self.name_rank[e as usize]));
    }

    /// The entities entity `e`'s page shows as "often mentioned with": up to
    /// [`CO_MENTIONED_SHOWN`], most shared first, ties by name.
    pub fn co_mentioned_shown(&self, e: usize) -> Vec<(u32, usize)> {
        let mut shown = self.co_mentioned[e].clone();
        self.by_count_then_name(&mut shown);
        shown.truncate(CO_MENTIONED_SHOWN);
        shown
    }
}

/// Each entity of an article with its mentions (indices into its list).
type MentionsByEntity = BTreeMap<u32, Vec<usize>>;

/// The entities of one article: (entity, mentions) most mentioned first,
/// and each entity's mentions.
fn entities_of(art: &ArticleDoc) -> (Vec<(u32, usize)>, MentionsByEntity) {
    // Mentions are sorted by entity, then n.
    let mut per: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for (mi, m) in art.r.mentions.iter().enumerate() {
        per.entry(m.entity).or_default().push(mi);
    }
    for &s in &art.subjects {
        per.entry(s).or_default();
    }
    let mut list: Vec<(u32, usize)> = per.iter().map(|(&e, ms)| (e, ms.len())).collect();
    list.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    (list, per)
}

/// Tags, merged by name regardless of case and runs of white space
/// ([`tag_key`]), the first spelling kept (that of the newest article); and
/// each article's tags. Distinct names get distinct slugs ([`tag_slugs`]).
fn tags_of(a: &Annotated) -> (Vec<Tag>, Vec<Vec<usize>>) {
    let mut tags: Vec<Tag> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut article_tags = Vec::with_capacity(a.content.articles.len());
    for (ai, art) in a.content.articles.iter().enumerate() {
        let mut mine = Vec::new();
        for t in &art.meta.tags {
            let key = tag_key(t.get_ref());
            let ti = *by_key.entry(key.clone()).or_insert_with(|| {
                tags.push(Tag {
                    name: t.get_ref().trim().to_string(),
                    slug: String::new(),
                    articles: Vec::new(),
                });
                keys.push(key);
                tags.len() - 1
            });
            if !mine.contains(&ti) {
                mine.push(ti);
                tags[ti].articles.push(ai);
            }
        }
        article_tags.push(mine);
    }
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    for (t, slug) in tags.iter_mut().zip(tag_slugs(&keys)) {
        t.slug = slug;
    }
    (tags, article_tags)
}

/// Article `i`'s summary: its own, or the start of its first paragraph.
fn article_summary(a: &Annotated, i: usize) -> String {
    match &a.content.articles[i].meta.summary {
        Some(s) => s.clone(),
        None => summary_of(&a.articles[i].r.first_paragraph),
    }
}

pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A default summary: the first paragraph, cut near 300 characters.
fn summary_of(first_paragraph: &str) -> String {
    if first_paragraph.chars().count() <= 320 {
        return first_paragraph.to_string();
    }
    let (_, _, after) = snippet::around(first_paragraph, 0, 0, 300);
    after
}

fn related_articles(
    article_entities: &[Vec<(u32, usize)>],
    mentions_of: &[Vec<(usize, Vec<usize>)>],
    n_art: usize,
) -> Vec<Vec<(usize, usize)>> {
    // Long runs per job: each job allocates one score table (map_init runs
    // once per job, not per thread), and a job per article made a
    // 10k-article build allocate and zero 400 MB.
    (0..n_art)
        .into_par_iter()
        .with_min_len(256)
        .map_init(
            || Scores::new(n_art),
            |scores, ai| related_of(ai, article_entities, mentions_of, scores),
        )
        .collect()
}

/// A table of counts, cleared after each use by undoing only what was touched.
struct Scores {
    score: Vec<u32>,
    touched: Vec<usize>,
}

impl Scores {
    fn new(n: usize) -> Scores {
        Scores {
            score: vec![0; n],
            touched: Vec::new(),
        }
    }

    fn add(&mut self, i: usize) {
        if self.score[i] == 0 {
            self.touched.push(i);
        }
        self.score[i] += 1;
    }

    /// Every (index, count) counted, and the table cleared.
    fn take(&mut self) -> Vec<(usize, usize)> {
        let out = self
            .touched
            .iter()
            .map(|&o| (o, self.score[o] as usize))
            .collect();
        for &o in &self.touched {
            self.score[o] = 0;
        }
        self.touched.clear();
        out
    }
}

/// Up to five articles sharing the most entities with article `ai`.
fn related_of(
    ai: usize,
    article_entities: &[Vec<(u32, usize)>],
    mentions_of: &[Vec<(usize, Vec<usize>)>],
    scores: &mut Scores,
) -> Vec<(usize, usize)> {
    for &(e, _) in &article_entities[ai] {
        let list = &mentions_of[e as usize];
        if list.len() > RELATED_MAX_DF {
            continue;
        }
        for &(other, _) in list {
            if other != ai {
                scores.add(other);
            }
        }
    }
    let mut best = scores.take();
    // Most shared first; then the nearer in the list (by date).
    best.sort_by(|x, y| {
        y.1.cmp(&x.1)
            .then(x.0.abs_diff(ai).cmp(&y.0.abs_diff(ai)))
            .then(x.0.cmp(&y.0))
    });
    // Keep only what is kept: `best` has room for every article touched,
    // and 10k of those held 260 MB.
    best.truncate(5);
    best.shrink_to_fit();
    best
}

fn co_mentioned(
    article_entities: &[Vec<(u32, usize)>],
    mentions_of: &[Vec<(usize, Vec<usize>)>],
) -> Vec<Vec<(u32, usize)>> {
    let n_ent = mentions_of.len();
    (0..n_ent)
        .into_par_iter()
        .with_min_len(64)
        .map_init(
            || Scores::new(n_ent),
            |scores, e| co_mentioned_of(e, article_entities, mentions_of, scores),
        )
        .collect()
}

/// The [`CO_MENTIONED_SHOWN`] entities most often in the same articles as
/// entity `e`, and those tied in count with the last of them: names are not
/// known here (and an edit in place re-derives this without them), so which
/// of the tied are shown is left to [`Site::co_mentioned_shown`].
fn co_mentioned_of(
    e: usize,
    article_entities: &[Vec<(u32, usize)>],
    mentions_of: &[Vec<(usize, Vec<usize>)>],
    scores: &mut Scores,
) -> Vec<(u32, usize)> {
    for &(ai, _) in &mentions_of[e] {
        for &(other, _) in &article_entities[ai] {
            if other as usize != e {
                scores.add(other as usize);
            }
        }
    }
    let mut best: Vec<(u32, usize)> = scores
        .take()
        .into_iter()
        .map(|(o, c)| (o as u32, c))
        .collect();
    best.sort_unstable_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    if let Some(&(_, last)) = best.get(CO_MENTIONED_SHOWN - 1) {
        let tied = best.partition_point(|&(_, c)| c >= last);
        best.truncate(tied);
    }
    best.shrink_to_fit();
    best
}
