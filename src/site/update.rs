//! The site model updated in place after some articles were edited (same
//! slug, same date: the order of articles holds), as `serve` does on every
//! save: [`Site::update`] re-derives only what those articles take part in
//! and says which pages may now read differently ([`Touched`]). It gives
//! what [`Site::assemble`] would give on the edited content; the tests hold
//! it to that.

use super::urls::tag_key;
use super::{
    article_summary, co_mentioned_of, entities_of, related_of, tags_of, Scores, Site, Tag,
    RELATED_MAX_DF,
};
use crate::build::Annotated;
use std::collections::{BTreeSet, HashMap};

/// The pages an edit may have changed: those of these articles and entities
/// (list pages and the feed are always looked at; their keys decide).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Touched {
    pub articles: Vec<usize>,
    pub entities: Vec<usize>,
    /// Whether the entities or the tags of an edited article changed: then
    /// which articles an entity's or a tag's pages list changed too.
    pub lists: bool,
    /// Articles not edited whose tags show otherwise now: the edit changed
    /// the name a tag of theirs shows (that of its newest article) or its
    /// slug (a tag of the same plain slug came or went: see
    /// [`super::urls::tag_slugs`]). What lists show of them, and their
    /// records in `search.json`, must be made again; their pages and those
    /// that show them are in `articles`.
    pub retagged: Vec<usize>,
}

impl Site {
    /// Articles `changed` were edited in place; `a` holds their new state.
    pub fn update(&mut self, a: &Annotated, changed: &[usize]) -> Touched {
        let n_art = a.content.articles.len();
        // Entities the articles mentioned before or mention now; whether the
        // set of entities of any of them changed (what related articles and
        // co-mentions depend on), or its tags.
        let mut entities: BTreeSet<usize> = BTreeSet::new();
        let mut sets_changed = false;
        let mut tags_changed = false;
        for &i in changed {
            let old: BTreeSet<u32> = self.article_entities[i].iter().map(|&(e, _)| e).collect();
            for &e in &old {
                entities.insert(e as usize);
                let list = &mut self.mentions_of[e as usize];
                if let Ok(at) = list.binary_search_by_key(&i, |(ai, _)| *ai) {
                    self.mention_count[e as usize] -= list[at].1.len();
                    list.remove(at);
                }
            }
            let (mine, per) = entities_of(&a.articles[i]);
            sets_changed |= !per.keys().copied().eq(old.iter().copied());
            for (e, ms) in per {
                entities.insert(e as usize);
                self.mention_count[e as usize] += ms.len();
                let list = &mut self.mentions_of[e as usize];
                let at = list.partition_point(|(ai, _)| *ai < i);
                list.insert(at, (i, ms));
            }
            self.article_entities[i] = mine;
            self.summaries[i] = article_summary(a, i);
            // The names its tags show now (a tag shows the spelling of its
            // newest article) against the names it gives: equal, nothing
            // about tags can have changed; else they are derived again.
            let shown = self.article_tags[i]
                .iter()
                .map(|&t| self.tags[t].name.as_str());
            tags_changed |= !shown.eq(a.content.articles[i]
                .meta
                .tags
                .iter()
                .map(|t| t.get_ref().trim()));
        }
        let mut retagged = BTreeSet::new();
        if tags_changed {
            // Tags are few per article: derived afresh, it costs little.
            let (tags, article_tags) = tags_of(a);
            let edited: BTreeSet<usize> = changed.iter().copied().collect();
            retagged = shown_otherwise(&self.tags, &tags)
                .flat_map(|t| tags[t].articles.iter().copied())
                .filter(|ai| !edited.contains(ai))
                .collect();
            (self.tags, self.article_tags) = (tags, article_tags);
        }

        let mut articles: BTreeSet<usize> = changed.iter().copied().collect();
        if sets_changed {
            // Related lists that may change: those of every article sharing
            // with the edited ones an entity that counts for relatedness
            // (each edit moves an entity's count by at most one, so an
            // entity that crossed the limit is still short enough to list).
            let limit = RELATED_MAX_DF + changed.len();
            for &e in &entities {
                let list = &self.mentions_of[e];
                if list.len() <= limit {
                    articles.extend(list.iter().map(|(ai, _)| *ai));
                }
            }
            let mut scores = Scores::new(n_art);
            for &ai in &articles {
                self.related[ai] =
                    related_of(ai, &self.article_entities, &self.mentions_of, &mut scores);
            }
            let mut scores = Scores::new(self.mentions_of.len());
            for &e in &entities {
                self.co_mentioned[e] =
                    co_mentioned_of(e, &self.article_entities, &self.mentions_of, &mut scores);
            }
        } else {
            // Related lists stay; those that show an edited article show
            // its title and summary.
            let edited: BTreeSet<usize> = changed.iter().copied().collect();
            for (ai, related) in self.related.iter().enumerate() {
                if related.iter().any(|(r, _)| edited.contains(r)) {
                    articles.insert(ai);
                }
            }
        }
        if !retagged.is_empty() {
            // Their pages show their tags, and so do the related lists
            // that show them.
            articles.extend(&retagged);
            for (ai, related) in self.related.iter().enumerate() {
                if related.iter().any(|(r, _)| retagged.contains(r)) {
                    articles.insert(ai);
                }
            }
        }
        // Neighbours show the edited articles' titles (and the retagged
        // ones' tags).
        for &i in changed.iter().chain(&retagged) {
            articles.extend(i.checked_sub(1));
            if i + 1 < n_art {
                articles.insert(i + 1);
            }
        }
        Touched {
            articles: articles.into_iter().collect(),
            entities: entities.into_iter().collect(),
            lists: sets_changed || tags_changed,
            retagged: retagged.into_iter().collect(),
        }
    }
}

/// The tags of `new` (by index) that show otherwise than in `old`: new,
/// or under another name or slug. Tags are matched by key ([`tag_key`]),
/// as [`tags_of`] merges them.
fn shown_otherwise<'t>(old: &'t [Tag], new: &'t [Tag]) -> impl Iterator<Item = usize> + 't {
    let before: HashMap<String, &Tag> = old.iter().map(|t| (tag_key(&t.name), t)).collect();
    new.iter().enumerate().filter_map(move |(i, t)| {
        let same = before
            .get(&tag_key(&t.name))
            .is_some_and(|o| o.name == t.name && o.slug == t.slug);
        (!same).then_some(i)
    })
}
