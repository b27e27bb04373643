//! The entity index, built once per build: resolves `[[target]]` by id, name
//! or alias (case-insensitive), suggests near ids for typos, and holds the one
//! automaton over every name and alias used to find mentions by name.

use crate::content::Entity;
use crate::diagnostics::Diagnostics;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::collections::HashMap;

pub type EntityId = u32;

pub struct EntityIndex {
    by_id: HashMap<String, EntityId>,
    /// Lower-cased names and aliases → entities carrying them.
    by_name: HashMap<String, Vec<EntityId>>,
    ids: Vec<String>,
    /// Patterns for finding mentions by name: exact case, white space folded.
    automaton: Option<AhoCorasick>,
    pattern_entity: Vec<EntityId>,
}

/// Why a target did not resolve.
#[derive(Debug, PartialEq, Eq)]
pub enum Unresolved {
    Unknown { suggestions: Vec<String> },
    Ambiguous { ids: Vec<String> },
}

/// Collapses every run of white space to one space and trims the ends.
pub fn fold_space(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl EntityIndex {
    /// Builds the index; reports aliases that clash with another entity's id
    /// (errors) and names shared by several entities (warnings: they resolve
    /// nowhere and are not searched for).
    pub fn build(entities: &[Entity], diags: &mut Diagnostics) -> EntityIndex {
        let mut by_id = HashMap::new();
        for (i, e) in entities.iter().enumerate() {
            by_id.entry(e.id.clone()).or_insert(i as EntityId);
        }
        let mut by_name: HashMap<String, Vec<EntityId>> = HashMap::new();
        // Each name as written → (entity, where the name or alias is).
        let mut exact: HashMap<String, Vec<(EntityId, usize)>> = HashMap::new();
        for (i, e) in entities.iter().enumerate() {
            let i = i as EntityId;
            for (n, name) in e.names().enumerate() {
                let folded = fold_space(name);
                let at = if n == 0 {
                    e.toml_offset
                } else {
                    e.toml_offset + e.meta.aliases[n - 1].span().start
                };
                if folded.is_empty() {
                    diags.push(e.file.error(at, "empty name or alias"));
                    continue;
                }
                let lower = folded.to_lowercase();
                if n > 0 {
                    if let Some(&other) = by_id.get(&lower) {
                        if other != i {
                            diags.push(
                                e.file
                                    .error(
                                        at,
                                        format!("alias {name:?} is the id of another entity"),
                                    )
                                    .with_note(format!(
                                        "see {}",
                                        entities[other as usize].file.path.display()
                                    )),
                            );
                            continue;
                        }
                    }
                }
                let v = by_name.entry(lower).or_default();
                if !v.contains(&i) {
                    v.push(i);
                }
                let v = exact.entry(folded).or_default();
                if !v.iter().any(|&(o, _)| o == i) {
                    v.push((i, at));
                }
            }
        }
        let mut patterns: Vec<(String, EntityId)> = Vec::new();
        for (name, owners) in exact {
            if let [(only, _)] = owners[..] {
                patterns.push((name, only));
            } else {
                let (first, at) = (&entities[owners[0].0 as usize], owners[0].1);
                let names: Vec<&str> = owners
                    .iter()
                    .map(|&(o, _)| entities[o as usize].id.as_str())
                    .collect();
                diags.push(first.file.warning(
                    at,
                    format!(
                        "the name {:?} belongs to several entities ({}): it is not linked automatically, and a link to it is ambiguous",
                        name,
                        names.join(", ")
                    ),
                ));
            }
        }
        patterns.sort();
        let automaton = if patterns.is_empty() {
            None
        } else {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .build(patterns.iter().map(|(p, _)| p.as_str()))
                .ok()
        };
        EntityIndex {
            by_id,
            by_name,
            ids: entities.iter().map(|e| e.id.clone()).collect(),
            pattern_entity: patterns.into_iter().map(|(_, e)| e).collect(),
            automaton,
        }
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The id of entity `e`.
    pub fn id(&self, e: EntityId) -> &str {
        &self.ids[e as usize]
    }

    pub fn by_id(&self, id: &str) -> Option<EntityId> {
        self.by_id.get(id).copied()
    }

    /// Resolves a link target: an id, or a name or alias, ignoring case.
    pub fn resolve(&self, target: &str) -> Result<EntityId, Unresolved> {
        let folded = fold_space(target);
        if let Some(&i) = self.by_id.get(&folded) {
            return Ok(i);
        }
        let lower = folded.to_lowercase();
        if let Some(&i) = self.by_id.get(&lower) {
            return Ok(i);
        }
        match self.by_name.get(&lower).map(Vec::as_slice) {
            Some([one]) => Ok(*one),
            Some(many) if !many.is_empty() => Err(Unresolved::Ambiguous {
                ids: many.iter().map(|&i| self.ids[i as usize].clone()).collect(),
            }),
            _ => Err(Unresolved::Unknown {
                suggestions: self.suggest(&lower),
            }),
        }
    }

    /// Up to three ids close to `target` by edit distance.
    pub fn suggest(&self, target: &str) -> Vec<String> {
        let slug: String = target
            .chars()
            .map(|c| if c.is_whitespace() { '-' } else { c })
            .collect();
        let mut scored: Vec<(usize, &String)> = self
            .ids
            .iter()
            .map(|id| (strsim::levenshtein(&slug, id), id))
            .filter(|(d, id)| *d <= (id.len().max(slug.len()) / 2).max(2))
            .collect();
        scored.sort();
        scored
            .into_iter()
            .take(3)
            .map(|(_, id)| id.clone())
            .collect()
    }

    /// The error for a target that did not resolve, at byte `offset` of
    /// `file`, its message led by `context` (e.g. "annotation #2: "), with
    /// near ids suggested or the entities an ambiguous name could be.
    pub fn unresolved(
        &self,
        file: &crate::content::SourceFile,
        offset: usize,
        context: &str,
        target: &str,
        why: &Unresolved,
    ) -> crate::diagnostics::Diagnostic {
        let quoted = |ids: &[String], sep: &str| {
            ids.iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(sep)
        };
        match why {
            Unresolved::Unknown { suggestions } => {
                let d = file.error(offset, format!("{context}unknown entity `{target}`"));
                if suggestions.is_empty() {
                    d
                } else {
                    d.with_note(format!("did you mean {}?", quoted(suggestions, ", ")))
                }
            }
            Unresolved::Ambiguous { ids } => {
                let d = file.error(
                    offset,
                    format!(
                        "{context}`{target}` is ambiguous: it names {}",
                        quoted(ids, " and ")
                    ),
                );
                match ids.first() {
                    Some(first) => {
                        d.with_note(format!("link by id instead, e.g. [[{first}|{target}]]"))
                    }
                    None => d,
                }
            }
        }
    }

    /// Every occurrence of a name or alias in `text` (already white-space
    /// folded), whole words only, leftmost-longest, as (start, end, entity).
    /// `allowed(start, end)` says whether a match may be taken there.
    pub fn find_names(
        &self,
        text: &str,
        allowed: impl Fn(usize, usize) -> bool,
    ) -> Vec<(usize, usize, EntityId)> {
        let Some(ac) = &self.automaton else {
            return Vec::new();
        };
        let mut cands: Vec<(usize, usize, usize)> = Vec::new();
        for m in ac.find_overlapping_iter(text) {
            let (s, e) = (m.start(), m.end());
            if is_word_edge(text, s, e) && allowed(s, e) {
                cands.push((s, e, m.pattern().as_usize()));
            }
        }
        // Leftmost first; at one start, longest first.
        cands.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut out = Vec::new();
        let mut next_free = 0;
        for (s, e, p) in cands {
            if s >= next_free {
                out.push((s, e, self.pattern_entity[p]));
                next_free = e;
            }
        }
        out
    }
}

/// True when `text[s..e]` does not touch a letter or digit on either side,
/// nor a combining mark (which belongs to the letter before it: `Pariś`
/// written as `s` and U+0301 is not `Paris`).
pub fn is_word_edge(text: &str, s: usize, e: usize) -> bool {
    let before = text[..s].chars().next_back();
    let after = text[e..].chars().next();
    !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// The blocks of combining marks that follow Latin, Greek and Cyrillic
/// letters (the marks of other scripts count as letters already).
fn is_combining_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_combining_mark_continues_the_word() {
        let t = "Paris\u{301} and Paris, \u{301}Paris";
        assert!(!is_word_edge(t, 0, 5));
        let second = t.find("and ").unwrap() + 4;
        assert!(is_word_edge(t, second, second + 5));
        let third = t.rfind("Paris").unwrap();
        assert!(!is_word_edge(t, third, third + 5));
    }

    fn entity(id: &str, name: &str, aliases: &[&str]) -> Entity {
        Entity::for_test(id, name, aliases)
    }

    fn index(es: &[Entity]) -> (EntityIndex, Diagnostics) {
        let mut d = Diagnostics::new();
        (EntityIndex::build(es, &mut d), d)
    }

    #[test]
    fn resolves_id_name_and_alias_ignoring_case() {
        let (ix, _) = index(&[entity("marco-rubio", "Marco Rubio", &["Rubio"])]);
        assert_eq!(ix.resolve("marco-rubio"), Ok(0));
        assert_eq!(ix.resolve("MARCO  rubio"), Ok(0));
        assert_eq!(ix.resolve("rubio"), Ok(0));
        assert!(
            matches!(ix.resolve("marco-rubi"), Err(Unresolved::Unknown { suggestions }) if suggestions == ["marco-rubio"])
        );
    }

    #[test]
    fn shared_alias_is_ambiguous_and_named() {
        let (ix, d) = index(&[
            entity("a", "A One", &["Ace"]),
            entity("b", "B Two", &["ace"]),
        ]);
        assert!(
            matches!(ix.resolve("Ace"), Err(Unresolved::Ambiguous { ids }) if ids == ["a", "b"])
        );
        assert_eq!(d.error_count(), 0);
    }

    #[test]
    fn a_shared_alias_is_warned_about_at_the_alias() {
        let (_, d) = index(&[
            entity("chapo", "Joaquín Guzmán Loera", &["El Chapo", "Guzmán"]),
            entity("ovidio", "Ovidio Guzmán López", &["Guzmán"]),
        ]);
        let w: Vec<_> = d.iter().filter(|w| !w.is_error()).collect();
        assert_eq!(w.len(), 1);
        // Line 3 of chapo.md, `aliases = [...]`, at the second alias.
        assert_eq!((w[0].line, w[0].column), (3, 24), "{:?}", w[0]);
        assert!(w[0]
            .message
            .contains("\"Guzmán\" belongs to several entities"));
    }

    #[test]
    fn alias_equal_to_another_id_is_an_error() {
        let (_, d) = index(&[entity("a", "A One", &["b"]), entity("b", "B Two", &[])]);
        assert_eq!(d.error_count(), 1);
    }

    #[test]
    fn names_are_found_whole_word_longest_first() {
        let (ix, _) = index(&[
            entity("jgl", "Joaquín Guzmán Loera", &["Guzmán"]),
            entity("us", "United States", &["US"]),
        ]);
        let t = "Joaquín Guzmán Loera met Guzmán’s aide on US-Mexico terms, not USA or Guzmánez.";
        let found: Vec<(&str, u32)> = ix
            .find_names(t, |_, _| true)
            .into_iter()
            .map(|(s, e, id)| (&t[s..e], id))
            .collect();
        assert_eq!(
            found,
            vec![("Joaquín Guzmán Loera", 0), ("Guzmán", 0), ("US", 1)]
        );
    }

    #[test]
    fn a_longer_match_that_is_not_a_whole_word_gives_way() {
        let (ix, _) = index(&[entity("g", "Guzmán", &[]), entity("gl", "Guzmán Lo", &[])]);
        let t = "Guzmán Lopez";
        let found = ix.find_names(t, |_, _| true);
        assert_eq!(found, vec![(0, "Guzmán".len(), 0)]);
    }
}
