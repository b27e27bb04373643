//! Standoff annotations: finds each annotation's quote in the reader view of
//! an article, choosing among occurrences with `prefix`/`suffix`, and, when it
//! is not found, the closest passage to show the user.
//!
//! All the annotations of an article are located together ([`find_all`]):
//! one Aho-Corasick automaton holds every distinct quote and, for every
//! distinct (prefix, quote, suffix), the quote written with its context, and
//! runs once over the text. Each string the automaton finds is an
//! occurrence of a quote or a hit of an annotation, never work spent on an
//! annotation it does not match: the cost is linear in the text, the
//! annotations, the occurrences of each distinct quote and the hits of each
//! distinct (prefix, quote, suffix), however many annotations share a quote.
//! (A scan of the text for each annotation was quadratic in the annotations
//! of an article; see BENCHMARKS.md, hostile articles.)

use super::doc::Block;
use super::index::fold_space;
use aho_corasick::{AhoCorasick, MatchKind};
use std::collections::HashMap;

/// Where a quote was found: (block, start, end) in that block's view.
pub type Hit = (usize, usize, usize);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    One(Hit),
    /// The quote is empty, or only white space.
    Empty,
    None {
        closest: Option<String>,
    },
    /// The quote is in no one block, but runs from one block into the next
    /// (a paragraph into the next, a list item into the next...): where it
    /// was first found, the border between blocks shown as `¶`.
    Across {
        context: String,
    },
    /// The quote is there, but no occurrence has the given prefix/suffix.
    NotWithContext {
        count: usize,
        contexts: Vec<String>,
    },
    Many {
        count: usize,
        contexts: Vec<String>,
    },
}

/// One annotation's anchor as written: its quote, and optionally the text
/// just before (`prefix`) and after (`suffix`) it.
#[derive(Debug, Clone, Copy)]
pub struct Query<'a> {
    pub quote: &'a str,
    pub prefix: Option<&'a str>,
    pub suffix: Option<&'a str>,
}

/// Finds `quote` (white space folded) in `blocks`, filtered by the text just
/// before (`prefix`) and after (`suffix`) it, by one scan of the text. For
/// the annotations of a text, [`find_all`] locates them all in one pass.
pub fn find(blocks: &[Block], quote: &str, prefix: Option<&str>, suffix: Option<&str>) -> Found {
    let query = Query {
        quote,
        prefix,
        suffix,
    };
    find_all_by_scanning(blocks, &[query])
        .pop()
        .expect("one answer for one query")
}

/// What [`find`] answers for each query, in order, from one pass of one
/// automaton over the text.
pub fn find_all(blocks: &[Block], queries: &[Query]) -> Vec<Found> {
    locate(blocks, queries, FEW)
}

/// [`find_all`] with the automaton however few the queries (for tests of
/// that path).
#[cfg(test)]
pub fn find_all_together(blocks: &[Block], queries: &[Query]) -> Vec<Found> {
    locate(blocks, queries, 0)
}

/// The same answers as [`find_all`], by scanning the text for each distinct
/// quote and testing the context of each occurrence directly: the reference
/// `find_all` is tested against, and what it falls back on for a text whose
/// white space is not folded to single spaces.
pub fn find_all_by_scanning(blocks: &[Block], queries: &[Query]) -> Vec<Found> {
    locate(blocks, queries, usize::MAX)
}

/// How many of the places a quote was found a message shows.
const SHOWN: usize = 4;

/// Up to this many distinct quotes and prefix/suffix combinations, an
/// article's annotations are found by a scan each (see [`locate`]).
const FEW: usize = 16;

/// How many places something was found, and the first [`SHOWN`] of them in
/// reading order.
#[derive(Debug, Default)]
struct Tally {
    count: usize,
    first: Vec<Hit>,
}

impl Tally {
    fn add(&mut self, hit: Hit) {
        self.count += 1;
        let at = self.first.partition_point(|h| *h < hit);
        if at < SHOWN {
            self.first.insert(at, hit);
            self.first.truncate(SHOWN);
        }
    }
}

/// A distinct (quote, prefix, suffix) with a prefix or a suffix or both, all
/// white space folded; `quote` indexes the distinct quotes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    quote: usize,
    prefix: Option<String>,
    suffix: Option<String>,
}

/// The answers to `queries`: by one automaton when there are more than
/// `few` distinct strings to find, else by a scan each.
fn locate(blocks: &[Block], queries: &[Query], few: usize) -> Vec<Found> {
    // Distinct quotes and distinct contexts: annotations that share them
    // share their work and their answer.
    let mut quotes: Vec<String> = Vec::new();
    let mut quote_ids: HashMap<String, usize> = HashMap::new();
    let mut keys: Vec<Key> = Vec::new();
    let mut key_ids: HashMap<Key, usize> = HashMap::new();
    // Per query: None for an empty quote, else (quote, its context if any).
    let mut of_query: Vec<Option<(usize, Option<usize>)>> = Vec::with_capacity(queries.len());
    for query in queries {
        let q = fold_space(query.quote);
        if q.is_empty() {
            of_query.push(None);
            continue;
        }
        let quote = *quote_ids.entry(q).or_insert_with_key(|q| {
            quotes.push(q.clone());
            quotes.len() - 1
        });
        let prefix = query.prefix.map(fold_space).filter(|p| !p.is_empty());
        let suffix = query.suffix.map(fold_space).filter(|x| !x.is_empty());
        let key = (prefix.is_some() || suffix.is_some()).then(|| {
            *key_ids
                .entry(Key {
                    quote,
                    prefix,
                    suffix,
                })
                .or_insert_with_key(|k| {
                    keys.push(k.clone());
                    keys.len() - 1
                })
        });
        of_query.push(Some((quote, key)));
    }
    drop(key_ids);
    // A few quotes (most sidecars) are found faster by a scan each than by
    // building an automaton for them; past a few dozen the automaton wins.
    let together = quotes.len() + keys.len() > few;
    let (by_quote, by_key) = (together && blocks.iter().all(|b| single_spaced(&b.text)))
        .then(|| tally_together(blocks, &quotes, &keys))
        .flatten()
        .unwrap_or_else(|| tally_by_scanning(blocks, &quotes, &keys));

    let contexts = |t: &Tally| {
        t.first
            .iter()
            .map(|&(b, s, e)| context(&blocks[b].text, s, e))
            .collect::<Vec<_>>()
    };
    // Quotes found in no block may be found across blocks: one pass over
    // the text for all of them.
    let missing: Vec<usize> = (0..quotes.len())
        .filter(|&q| by_quote[q].count == 0)
        .collect();
    let across = across_blocks(blocks, &quotes, &missing);
    // The closest passage costs a pass over the text: once per quote, over
    // words split once.
    let mut closest_of: Vec<Option<Option<String>>> = vec![None; quotes.len()];
    let mut words: Option<Vec<Words>> = None;
    of_query
        .into_iter()
        .map(|q| {
            let Some((quote, key)) = q else {
                return Found::Empty;
            };
            if let Some(context) = &across[quote] {
                return Found::Across {
                    context: context.clone(),
                };
            }
            let unfiltered = &by_quote[quote];
            let hits = key.map_or(unfiltered, |k| &by_key[k]);
            match hits.count {
                0 if unfiltered.count > 0 => Found::NotWithContext {
                    count: unfiltered.count,
                    contexts: contexts(unfiltered),
                },
                0 => Found::None {
                    closest: closest_of[quote]
                        .get_or_insert_with(|| {
                            closest_in(
                                words.get_or_insert_with(|| words_of(blocks)),
                                &quotes[quote],
                            )
                        })
                        .clone(),
                },
                1 => Found::One(hits.first[0]),
                n => Found::Many {
                    count: n,
                    contexts: contexts(hits),
                },
            }
        })
        .collect()
}

/// For each of the quotes `missing` (found in no block), where it is first
/// found in the text of all blocks joined by spaces, if anywhere: it then
/// runs from one block into another. By one automaton over the joined text,
/// built only when some quote is missing; `None` for every other quote.
fn across_blocks(blocks: &[Block], quotes: &[String], missing: &[usize]) -> Vec<Option<String>> {
    let mut out = vec![None; quotes.len()];
    if missing.is_empty() || blocks.len() < 2 {
        return out;
    }
    // The joined text, and where each block starts in it.
    let mut joined = String::new();
    let mut starts = Vec::with_capacity(blocks.len());
    for b in blocks {
        if !joined.is_empty() {
            joined.push(' ');
        }
        starts.push(joined.len());
        joined.push_str(&b.text);
    }
    let patterns: Vec<&str> = missing.iter().map(|&q| quotes[q].as_str()).collect();
    let Ok(ac) = AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .build(&patterns)
    else {
        return out;
    };
    let mut left = missing.len();
    // Matches come by their end, so each quote's first is its leftmost.
    for m in ac.find_overlapping_iter(&joined) {
        let q = missing[m.pattern().as_usize()];
        if out[q].is_some() {
            continue;
        }
        out[q] = Some(across_context(blocks, &starts, m.start(), m.end()));
        left -= 1;
        if left == 0 {
            break;
        }
    }
    out
}

/// `…words [end of one ¶ start of the next] words…`: bytes `s..e` of the
/// blocks joined by spaces (block `i` from `starts[i]`), for messages.
fn across_context(blocks: &[Block], starts: &[usize], s: usize, e: usize) -> String {
    let block_of = |p: usize| starts.partition_point(|&x| x <= p).saturating_sub(1);
    let (first, last) = (block_of(s), block_of(e - 1));
    let (a, b) = (s - starts[first], e - starts[last]);
    let (before, _, _) = super::snippet::around(&blocks[first].text, a, a, 30);
    let (_, _, after) = super::snippet::around(&blocks[last].text, b, b, 30);
    let mut parts = Vec::new();
    for (i, block) in blocks.iter().enumerate().take(last + 1).skip(first) {
        let from = if i == first { a } else { 0 };
        let to = if i == last { b } else { block.text.len() };
        parts.push(block.text[from.min(to)..to].trim());
    }
    format!("{before}[{}]{after}", parts.join(" ¶ "))
}

/// Whether every run of white space in `t` is one plain space, as in a
/// block's view. Then the text before an occurrence, trimmed, ends with a
/// prefix exactly when the prefix stands right before the occurrence or one
/// space before it (and likewise for a suffix after it): a prefix or a
/// suffix is one of two strings to find.
fn single_spaced(t: &str) -> bool {
    let mut after_space = false;
    t.chars().all(|c| {
        let ok = if c == ' ' {
            !after_space
        } else {
            !c.is_whitespace()
        };
        after_space = c == ' ';
        ok
    })
}

/// The occurrences of each quote, and the hits of each key, from one pass of
/// one automaton over the text; None if the automaton cannot be built.
fn tally_together(
    blocks: &[Block],
    quotes: &[String],
    keys: &[Key],
) -> Option<(Vec<Tally>, Vec<Tally>)> {
    /// What finding one of the automaton's strings means.
    enum Target {
        /// An occurrence of quote `.0`.
        Quote(usize),
        /// A hit of key `key`: its quote starts `skip` bytes into the string.
        Key { key: usize, skip: usize, len: usize },
    }
    // Distinct strings (one may serve several quotes and keys: "a b" is the
    // quote "a b" and the quote "b" after the prefix "a").
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut targets: Vec<Vec<Target>> = Vec::new();
    let mut add = |s: String, t: Target| {
        let id = *ids.entry(s).or_insert_with(|| {
            targets.push(Vec::new());
            targets.len() - 1
        });
        targets[id].push(t);
    };
    for (i, q) in quotes.iter().enumerate() {
        add(q.clone(), Target::Quote(i));
    }
    for (i, k) in keys.iter().enumerate() {
        let q = &quotes[k.quote];
        let before = match &k.prefix {
            Some(p) => vec![p.clone(), format!("{p} ")],
            None => vec![String::new()],
        };
        let after = match &k.suffix {
            Some(x) => vec![x.clone(), format!(" {x}")],
            None => vec![String::new()],
        };
        for b in &before {
            for a in &after {
                add(
                    format!("{b}{q}{a}"),
                    Target::Key {
                        key: i,
                        skip: b.len(),
                        len: q.len(),
                    },
                );
            }
        }
    }
    let mut patterns = vec![""; targets.len()];
    for (s, &id) in &ids {
        patterns[id] = s.as_str();
    }
    let ac = AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .build(&patterns)
        .ok()?;
    let mut by_quote: Vec<Tally> = quotes.iter().map(|_| Tally::default()).collect();
    let mut by_key: Vec<Tally> = keys.iter().map(|_| Tally::default()).collect();
    for (b, block) in blocks.iter().enumerate() {
        for m in ac.find_overlapping_iter(&block.text) {
            for t in &targets[m.pattern().as_usize()] {
                match *t {
                    Target::Quote(q) => by_quote[q].add((b, m.start(), m.end())),
                    Target::Key { key, skip, len } => {
                        let s = m.start() + skip;
                        by_key[key].add((b, s, s + len));
                    }
                }
            }
        }
    }
    Some((by_quote, by_key))
}

/// What [`tally_together`] finds, by scanning each block for each quote and
/// testing each key of the quote at each occurrence.
fn tally_by_scanning(
    blocks: &[Block],
    quotes: &[String],
    keys: &[Key],
) -> (Vec<Tally>, Vec<Tally>) {
    let mut keys_of: Vec<Vec<usize>> = vec![Vec::new(); quotes.len()];
    for (i, k) in keys.iter().enumerate() {
        keys_of[k.quote].push(i);
    }
    let mut by_quote: Vec<Tally> = quotes.iter().map(|_| Tally::default()).collect();
    let mut by_key: Vec<Tally> = keys.iter().map(|_| Tally::default()).collect();
    for (qi, q) in quotes.iter().enumerate() {
        for (b, block) in blocks.iter().enumerate() {
            let t = &block.text;
            let mut from = 0;
            while let Some(i) = t[from..].find(q.as_str()) {
                let s = from + i;
                let e = s + q.len();
                by_quote[qi].add((b, s, e));
                for &k in &keys_of[qi] {
                    let key = &keys[k];
                    let pre_ok = key
                        .prefix
                        .as_ref()
                        .is_none_or(|p| t[..s].trim_end().ends_with(p.trim_end()));
                    let suf_ok = key
                        .suffix
                        .as_ref()
                        .is_none_or(|x| t[e..].trim_start().starts_with(x.trim_start()));
                    if pre_ok && suf_ok {
                        by_key[k].add((b, s, e));
                    }
                }
                from = s + t[s..].chars().next().map_or(1, char::len_utf8);
            }
        }
    }
    (by_quote, by_key)
}

/// `…some words [quote] more words…`, for messages.
fn context(text: &str, s: usize, e: usize) -> String {
    let (before, _, after) = super::snippet::around(text, s, e, 30);
    format!("{before}[{}]{after}", &text[s..e])
}

/// The passage of the text most like `q` (by edit distance over windows of
/// the same number of words), if any is reasonably close.
pub fn closest(blocks: &[Block], q: &str) -> Option<String> {
    closest_in(&words_of(blocks), q)
}

/// A block's view as characters, and where its words (split at single
/// spaces) start and end in them: a window of words is a slice.
struct Words {
    chars: Vec<char>,
    words: Vec<(usize, usize)>,
}

fn words_of(blocks: &[Block]) -> Vec<Words> {
    blocks
        .iter()
        .map(|block| {
            let mut words = Vec::new();
            let mut at = 0;
            for w in block.text.split(' ') {
                let n = w.chars().count();
                words.push((at, at + n));
                at += n + 1;
            }
            Words {
                chars: block.text.chars().collect(),
                words,
            }
        })
        .collect()
}

/// [`closest`] over words computed once for every quote not found: the
/// first window, in reading order, at the least edit distance, if that is at
/// most half the quote and two. Windows that cannot come closer than the
/// best so far, or than that limit, are given up early.
fn closest_in(texts: &[Words], q: &str) -> Option<String> {
    let qwords = q.split(' ').count();
    let qchars: Vec<char> = q.chars().collect();
    let limit = qchars.len() / 2 + 2;
    // (distance, block, window as a character range)
    let mut best: Option<(usize, usize, usize, usize)> = None;
    let mut rows = (Vec::new(), Vec::new());
    'all: for (bi, t) in texts.iter().enumerate() {
        for width in [qwords.saturating_sub(1).max(1), qwords, qwords + 1] {
            if width > t.words.len() {
                continue;
            }
            for start in 0..=(t.words.len() - width) {
                let bound = match best {
                    Some((0, ..)) => break 'all,
                    Some((d, ..)) => d - 1,
                    None => limit,
                };
                let (from, to) = (t.words[start].0, t.words[start + width - 1].1);
                if let Some(d) = distance_within(&qchars, &t.chars[from..to], bound, &mut rows) {
                    best = Some((d, bi, from, to));
                }
            }
        }
    }
    best.map(|(_, b, from, to)| texts[b].chars[from..to].iter().collect())
}

/// The edit distance (Levenshtein) of `a` and `b` if it is at most `k`.
fn distance_within(
    a: &[char],
    b: &[char],
    k: usize,
    (prev, cur): &mut (Vec<usize>, Vec<usize>),
) -> Option<usize> {
    if a.len().abs_diff(b.len()) > k {
        return None;
    }
    prev.clear();
    prev.extend(0..=b.len());
    cur.clear();
    cur.resize(b.len() + 1, 0);
    for (i, &ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        let mut row_min = cur[0];
        for (j, &cb) in b.iter().enumerate() {
            let d = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
            cur[j + 1] = d;
            row_min = row_min.min(d);
        }
        // Every alignment passes through this row, and costs only grow.
        if row_min > k {
            return None;
        }
        std::mem::swap(prev, cur);
    }
    let d = prev[b.len()];
    (d <= k).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotate::doc;

    fn blocks(md: &str) -> Vec<Block> {
        doc::parse(md, 0).body.blocks
    }

    #[test]
    fn finds_a_quote_across_markup_and_line_breaks() {
        let b = blocks("The *high-level*\nbilateral group met.\n");
        assert_eq!(
            find(&b, "high-level bilateral  group", None, None),
            Found::One((0, 4, 30))
        );
    }

    #[test]
    fn prefix_and_suffix_choose_among_occurrences() {
        let b = blocks("Rubio said yes. Later Rubio said no.\n");
        assert!(matches!(
            find(&b, "Rubio said", None, None),
            Found::Many { count: 2, .. }
        ));
        assert_eq!(
            find(&b, "Rubio said", Some("Later "), None),
            Found::One((0, 22, 32))
        );
        assert_eq!(
            find(&b, "Rubio said", None, Some(" yes")),
            Found::One((0, 0, 10))
        );
        assert!(matches!(
            find(&b, "Rubio said", Some("Earlier"), None),
            Found::NotWithContext { count: 2, .. }
        ));
    }

    #[test]
    fn a_missing_quote_shows_the_closest_passage() {
        let b = blocks("The two governments issued a joint statement.\n");
        match find(&b, "issued a joint statment", None, None) {
            Found::None { closest } => {
                assert_eq!(closest.as_deref(), Some("issued a joint statement."))
            }
            other => panic!("{other:?}"),
        }
    }
}
