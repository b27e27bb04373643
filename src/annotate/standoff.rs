//! Standoff annotations: finds each annotation's quote in the reader view of
//! an article, choosing among occurrences with `prefix`/`suffix`, and, when it
//! is not found, the closest passage to show the user.

use super::doc::Block;
use super::index::fold_space;

/// Where a quote was found: (block, start, end) in that block's view.
pub type Hit = (usize, usize, usize);

#[derive(Debug, PartialEq, Eq)]
pub enum Found {
    One(Hit),
    None {
        closest: Option<String>,
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

/// Finds `quote` (white space folded) in `blocks`, filtered by the text just
/// before (`prefix`) and after (`suffix`) it.
pub fn find(blocks: &[Block], quote: &str, prefix: Option<&str>, suffix: Option<&str>) -> Found {
    let q = fold_space(quote);
    if q.is_empty() {
        return Found::None { closest: None };
    }
    let prefix = prefix.map(fold_space).filter(|p| !p.is_empty());
    let suffix = suffix.map(fold_space).filter(|s| !s.is_empty());
    let mut hits = Vec::new();
    let mut unfiltered = Vec::new();
    for (b, block) in blocks.iter().enumerate() {
        let t = &block.text;
        let mut from = 0;
        while let Some(i) = t[from..].find(&q) {
            let s = from + i;
            let e = s + q.len();
            let pre_ok = prefix
                .as_ref()
                .is_none_or(|p| t[..s].trim_end().ends_with(p.trim_end()));
            let suf_ok = suffix
                .as_ref()
                .is_none_or(|x| t[e..].trim_start().starts_with(x.trim_start()));
            if pre_ok && suf_ok {
                hits.push((b, s, e));
            }
            unfiltered.push((b, s, e));
            from = s + t[s..].chars().next().map_or(1, char::len_utf8);
        }
    }
    match hits.len() {
        0 if !unfiltered.is_empty() => Found::NotWithContext {
            count: unfiltered.len(),
            contexts: unfiltered
                .iter()
                .take(4)
                .map(|&(b, s, e)| context(&blocks[b].text, s, e))
                .collect(),
        },
        0 => Found::None {
            closest: closest(blocks, &q),
        },
        1 => Found::One(hits[0]),
        n => Found::Many {
            count: n,
            contexts: hits
                .iter()
                .take(4)
                .map(|&(b, s, e)| context(&blocks[b].text, s, e))
                .collect(),
        },
    }
}

/// `…some words [quote] more words…`, for messages.
fn context(text: &str, s: usize, e: usize) -> String {
    let (before, _, after) = super::snippet::around(text, s, e, 30);
    format!("{before}[{}]{after}", &text[s..e])
}

/// The passage of the text most like `q` (by edit distance over windows of
/// the same number of words), if any is reasonably close.
pub fn closest(blocks: &[Block], q: &str) -> Option<String> {
    let qwords = q.split(' ').count();
    let qchars: Vec<char> = q.chars().collect();
    let mut best: Option<(usize, String)> = None;
    for block in blocks {
        let words: Vec<&str> = block.text.split(' ').collect();
        for width in [qwords.saturating_sub(1).max(1), qwords, qwords + 1] {
            if width > words.len() {
                continue;
            }
            for start in 0..=(words.len() - width) {
                let cand = words[start..start + width].join(" ");
                let d = strsim::generic_levenshtein(&qchars, &cand.chars().collect::<Vec<_>>());
                if best.as_ref().is_none_or(|(bd, _)| d < *bd) {
                    best = Some((d, cand));
                }
            }
        }
    }
    best.filter(|(d, _)| *d <= qchars.len() / 2 + 2)
        .map(|(_, s)| s)
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
