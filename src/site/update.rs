//! The site model updated in place after some articles were edited (same
//! slug, same date: the order of articles holds), as `serve` does on every
//! save: [`Site::update`] re-derives only what those articles take part in
//! and says which pages may now read differently ([`Touched`]). It gives
//! what [`Site::assemble`] would give on the edited content; the tests hold
//! it to that.

use super::{
    article_summary, co_mentioned_of, entities_of, related_of, tags_of, Scores, Site,
    RELATED_MAX_DF,
};
use crate::build::Annotated;
use std::collections::BTreeSet;

/// The pages an edit may have changed: those of these articles and entities
/// (list pages and the feed are always looked at; their keys decide).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Touched {
    pub articles: Vec<usize>,
    pub entities: Vec<usize>,
}

impl Site {
    /// Articles `changed` were edited in place; `a` holds their new state.
    pub fn update(&mut self, a: &Annotated, changed: &[usize]) -> Touched {
        let n_art = a.content.articles.len();
        // Entities the articles mentioned before or mention now.
        let mut entities: BTreeSet<usize> = BTreeSet::new();
        for &i in changed {
            for &(e, _) in &self.article_entities[i] {
                entities.insert(e as usize);
                let list = &mut self.mentions_of[e as usize];
                if let Ok(at) = list.binary_search_by_key(&i, |(ai, _)| *ai) {
                    self.mention_count[e as usize] -= list[at].1.len();
                    list.remove(at);
                }
            }
            let (mine, per) = entities_of(&a.articles[i]);
            for (e, ms) in per {
                entities.insert(e as usize);
                self.mention_count[e as usize] += ms.len();
                let list = &mut self.mentions_of[e as usize];
                let at = list.partition_point(|(ai, _)| *ai < i);
                list.insert(at, (i, ms));
            }
            self.article_entities[i] = mine;
            self.summaries[i] = article_summary(a, i);
        }
        // Tags are few per article: derived afresh, it costs little.
        (self.tags, self.article_tags) = tags_of(a);

        // Related lists that may change: the edited articles' own, and those
        // of every article sharing with them an entity that counts for
        // relatedness (each edit moves an entity's count by at most one, so
        // an entity that crossed the limit is still short enough to list).
        let limit = RELATED_MAX_DF + changed.len();
        let mut articles: BTreeSet<usize> = changed.iter().copied().collect();
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
        // Neighbours show the edited articles' titles.
        for &i in changed {
            articles.extend(i.checked_sub(1));
            if i + 1 < n_art {
                articles.insert(i + 1);
            }
        }
        let mut scores = Scores::new(self.mentions_of.len());
        for &e in &entities {
            self.co_mentioned[e] =
                co_mentioned_of(e, &self.article_entities, &self.mentions_of, &mut scores);
        }
        Touched {
            articles: articles.into_iter().collect(),
            entities: entities.into_iter().collect(),
        }
    }
}
