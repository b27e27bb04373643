//! The order in which names are listed to readers.
//!
//! Comparing names byte for byte puts `Ángel` after `Zeta` and `de la
//! Fuente` after every capitalised name. [`key`] gives a sort key that follows
//! the letters instead, close to the Unicode Collation Algorithm's root order
//! for Latin, Greek and Cyrillic, without an ICU dependency. Keys compare, in
//! turn:
//!
//! 1. the letters, accents and case folded: the name in NFKD without its
//!    diacritics (U+0300–036F and the other blocks of combining diacritical
//!    marks, and the Cyrillic ones), lower-cased; `ß` as `ss`, `æ` as `ae`,
//!    `œ` as `oe`, `þ` as `th`; `ø`, `ł`, `đ`, `ð`, `ħ`, `ŧ` as `o`, `l`,
//!    `d`, `d`, `h`, `t` with a stroke (an accent, in step 2); `ı` as `i`,
//!    Greek final `ς` as `σ`. Cyrillic keeps `й` a letter (after `и`, not `и`
//!    with a breve, and `ё` is `е` with an accent, as in Russian); the letters
//!    of other Cyrillic alphabets (`ґ є і ї ј љ њ ћ ў џ ђ ѕ`), `ŋ` and `ə`
//!    sort as letters of their own right after the letter they come from.
//!    Punctuation and white space count (space before punctuation before
//!    digits before letters, a run of white space as one) except at the
//!    start: `“El Chapo”` sorts under E. Digits are text: `10` before `9`;
//! 2. the accents: letter by letter, the first letter whose accents differ
//!    decides, no accent before an accent, accents in code-point order
//!    (`elan` < `elán` < `élan`; `cote` < `coté` < `côte` < `côté`);
//! 3. the case, lower case first (`elan` < `Elan`);
//! 4. the name's own bytes, so that only equal names have equal keys and the
//!    order is total: whatever order names come in, they sort the same.
//!
//! Scripts other than these keep their code-point order (and their marks) in
//! step 1. A key costs an allocation or three: compute it once per item
//! (`sort_by_cached_key`, or [`ranks`] for a list sorted many ways), never
//! in a comparator.

use std::borrow::Cow;
use std::cmp::Ordering;
use unicode_normalization::char::decompose_compatible;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// A run of white space, in step 1: before everything else.
const SPACE: char = '\u{1}';
/// Before a punctuation mark or symbol, in step 1: after white space, before
/// digits and letters.
const PUNCT: char = '\u{2}';

/// A name's sort key; see the [module](self) for the order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    /// Step 1: the folded letters.
    primary: String,
    /// Step 2: each diacritic as (!position of its letter) << 32 | mark, in
    /// order: the name whose first accent comes earlier sorts later.
    secondary: Vec<u64>,
    /// Step 3: !position of each upper-case letter, in order.
    tertiary: Vec<u32>,
    /// Step 4.
    raw: Box<str>,
}

/// The sort key of `name`.
pub fn key(name: &str) -> Key {
    let text: Cow<str> = match is_nfc_quick(name.chars()) {
        IsNormalized::Yes => Cow::Borrowed(name),
        _ => Cow::Owned(name.nfc().collect()),
    };
    let mut b = Builder {
        primary: String::with_capacity(text.len()),
        secondary: Vec::new(),
        tertiary: Vec::new(),
        n: 0,
        last_space: false,
        skip_leading: text.chars().any(char::is_alphanumeric),
    };
    for c in text.chars() {
        if c.is_ascii() {
            b.base(c.to_ascii_lowercase(), c.is_ascii_uppercase());
            continue;
        }
        let upper = c.to_lowercase().ne(std::iter::once(c));
        for l in c.to_lowercase() {
            b.letter(l, upper);
        }
    }
    if b.last_space {
        b.primary.pop();
    }
    Key {
        primary: b.primary,
        secondary: b.secondary,
        tertiary: b.tertiary,
        raw: name.into(),
    }
}

/// Compares two names as their [`key`]s do. To sort, compute each key once.
pub fn cmp(a: &str, b: &str) -> Ordering {
    key(a).cmp(&key(b))
}

/// Sorts `items` by the [`key`] of their `name`, each key computed once;
/// equal names stay in the order given.
pub fn sort_by_name<T>(items: &mut [T], mut name: impl FnMut(&T) -> &str) {
    items.sort_by_cached_key(|t| key(name(t)));
}

/// Each name's place (from 0) in `names` sorted by [`key`], equal names in
/// the order given: sorting by rank then sorts by name at the cost of
/// comparing integers.
pub fn ranks<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<u32> {
    let mut keyed: Vec<(Key, u32)> = names
        .into_iter()
        .enumerate()
        .map(|(i, n)| (key(n), i as u32))
        .collect();
    keyed.sort_unstable();
    let mut rank = vec![0u32; keyed.len()];
    for (r, (_, i)) in keyed.into_iter().enumerate() {
        rank[i as usize] = r as u32;
    }
    rank
}

struct Builder {
    primary: String,
    secondary: Vec<u64>,
    tertiary: Vec<u32>,
    /// Characters in `primary`.
    n: u32,
    /// Whether `primary` ends with a [`SPACE`] put there for white space.
    last_space: bool,
    /// Whether to leave out what comes before the first letter or digit
    /// (false when there is none: the name is all punctuation).
    skip_leading: bool,
}

impl Builder {
    /// A lower-case character of the name.
    fn letter(&mut self, c: char, upper: bool) {
        if let Some((s, mark)) = special(c) {
            self.push_str(s, upper, mark);
            return;
        }
        decompose_compatible(c, |d| {
            if is_diacritic(d) {
                self.mark(d);
                return;
            }
            // Compatibility forms may be upper case (ℌ is H).
            for l in d.to_lowercase() {
                match special(l) {
                    Some((s, mark)) => self.push_str(s, upper, mark),
                    None => self.base(l, upper),
                }
            }
        });
    }

    /// A character that is not a diacritic, lower case.
    fn base(&mut self, c: char, upper: bool) {
        let leading = self.n == 0 && self.skip_leading;
        if c.is_alphanumeric() {
            self.push(c, upper);
        } else if leading {
            // Quotes and the like before the first letter are left out.
        } else if c.is_whitespace() {
            if !self.last_space {
                self.push(SPACE, false);
                self.last_space = true;
            }
        } else {
            self.push(PUNCT, false);
            self.push(c, false);
        }
    }

    fn push_str(&mut self, s: &str, upper: bool, mark: Option<char>) {
        for c in s.chars() {
            self.push(c, upper);
        }
        if let Some(m) = mark {
            self.mark(m);
        }
    }

    fn push(&mut self, c: char, upper: bool) {
        if upper {
            self.tertiary.push(!self.n);
        }
        self.primary.push(c);
        self.n += 1;
        self.last_space = false;
    }

    /// A diacritic on the last letter.
    fn mark(&mut self, m: char) {
        let at = self.n.saturating_sub(1);
        self.secondary.push((u64::from(!at) << 32) | u64::from(m));
    }
}

/// Diacritics: the blocks of combining diacritical marks (and the
/// half marks), and the Cyrillic combining marks. Marks of other scripts
/// (vowel signs...) stay letters.
fn is_diacritic(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{0483}'..='\u{0489}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}')
}

/// Lower-case letters that do not sort as their decomposition: what they
/// sort as, and a diacritic for step 2. U+10FFFF sorts after every
/// character: a letter given as `base` and U+10FFFF sorts as a letter of its
/// own, right after `base` and every word that goes on with `base`.
fn special(c: char) -> Option<(&'static str, Option<char>)> {
    Some(match c {
        'ß' => ("ss", None),
        'æ' => ("ae", None),
        'œ' => ("oe", None),
        'þ' => ("th", None),
        'ø' => ("o", Some('\u{0338}')),
        'ł' => ("l", Some('\u{0337}')),
        'đ' => ("d", Some('\u{0335}')),
        'ð' => ("d", Some('\u{0336}')),
        'ħ' => ("h", Some('\u{0335}')),
        'ŧ' => ("t", Some('\u{0335}')),
        'ı' => ("i", None),
        'ŋ' => ("n\u{10FFFF}", None),
        'ə' => ("e\u{10FFFF}", None),
        'ς' => ("σ", None),
        // Cyrillic: й is a letter (not и with a breve), between и and к
        // as its code point is; letters of other alphabets than Russian's
        // right after the letter they come from.
        'й' => ("й", None),
        'ґ' => ("г\u{10FFFF}", None),
        'ђ' => ("д\u{10FFFF}", None),
        'є' => ("е\u{10FFFF}", None),
        'ѕ' => ("з\u{10FFFF}", None),
        'і' => ("и\u{10FFFF}", None),
        'ї' => ("и\u{10FFFF}\u{10FFFF}", None),
        'ј' => ("й\u{10FFFF}", None),
        'љ' => ("л\u{10FFFF}", None),
        'њ' => ("н\u{10FFFF}", None),
        'ћ' => ("т\u{10FFFF}", None),
        'ў' => ("у\u{10FFFF}", None),
        'џ' => ("ч\u{10FFFF}", None),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `names` sorted by key.
    fn sorted(names: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        sort_by_name(&mut v, |s| s);
        v
    }

    /// `expected` comes out of sorting every rotation and the reverse of it.
    fn assert_order(expected: &[&str]) {
        let mut input: Vec<&str> = expected.to_vec();
        for _ in 0..expected.len() {
            input.rotate_left(1);
            assert_eq!(sorted(&input), expected, "from {input:?}");
        }
        input.reverse();
        assert_eq!(sorted(&input), expected, "from {input:?}");
    }

    #[test]
    fn accents_and_case_do_not_move_a_name_past_z() {
        assert_order(&[
            "Ángel Pérez",
            "Bravo",
            "de la Fuente",
            "élan Vital",
            "Óscar Ruiz",
            "Zeta",
        ]);
        assert_order(&["Ámbito", "beta", "Économie", "Zeta"]);
    }

    #[test]
    fn ties_go_to_accents_then_case_then_bytes() {
        // Unaccented first, then lower case first.
        assert_order(&["elan", "Elan", "élan", "Élan"]);
        // The accent further on sorts first (the first accent decides).
        assert_order(&["elan", "elán", "élan"]);
        assert_order(&["cote", "coté", "côte", "côté"]);
        assert_order(&["Muller", "Müller", "Mullers"]);
        // Same letters, accents and case: the bytes.
        assert_order(&["Strasse", "Straße", "Strassen"]);
        let (nfd, nfc) = ("Culiaca\u{301}n", "Culiacán");
        assert_eq!(cmp(nfd, nfc), nfd.cmp(nfc));
        assert_eq!(key(nfd).primary, key(nfc).primary);
        assert_eq!(key(nfd).secondary, key(nfc).secondary);
        assert_order(&["Culiacan", nfd, nfc, "Culiacana"]);
    }

    #[test]
    fn only_equal_names_have_equal_keys() {
        let names = [
            "",
            " ",
            "a",
            "A",
            "á",
            "a\u{301}",
            "ß",
            "ss",
            "SS",
            "ẞ",
            "æ",
            "ae",
            "Æ",
            "ø",
            "o",
            "ﬁ",
            "fi",
            "a b",
            "a  b",
            "a\tb",
            "a-b",
            "ab",
            "'ab",
            "ab ",
            "ı",
            "i",
            "İ",
            "ς",
            "σ",
            "Σ",
            "й",
            "и\u{306}",
            "и",
        ];
        for a in names {
            for b in names {
                assert_eq!(key(a) == key(b), a == b, "{a:?} {b:?}");
                assert_eq!(cmp(a, b), cmp(b, a).reverse(), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn special_letters() {
        assert_order(&["Strasse", "Straße", "Strasser"]);
        assert_order(&["Adler", "Æsir", "Aesop", "Afonso"]);
        assert_order(&["Oehler", "Œuvre", "Ofelia"]);
        assert_order(&["Soren", "Søren", "Sorensen"]);
        assert_order(&["Lima", "Łódź", "Madrid"]);
        assert_order(&["Dakar", "Đakovo", "Dalian"]);
        assert_order(&["Thomas", "Þórr", "Tiago"]);
        assert_order(&["Ilhan", "Işık", "Izmir"]);
        // Compatibility forms sort as what they stand for.
        assert_order(&["fiasco", "ﬁnal", "fjord"]);
    }

    #[test]
    fn punctuation_and_white_space() {
        // Leading quotes and punctuation are left out.
        assert_order(&["Ecuador", "“El Chapo”", "Emilio"]);
        assert_order(&["Ocampo", "¡Olé!", "Oñate"]);
        assert_order(&["'t Hooft", "Tijuana"]);
        // Inside: space, then punctuation, then letters; runs of white
        // space as one.
        assert_order(&["Jean Luc", "Jean-Luc", "Jeanne"]);
        assert_eq!(key("Jean  Luc").primary, key("Jean Luc").primary);
        assert_eq!(key("Jean Luc ").primary, key("Jean Luc").primary);
        // A name of punctuation only keeps it.
        assert_order(&["", "!", "?", "a"]);
        // Numbers are text.
        assert_order(&["Area 1", "Area 10", "Area 9", "Area A"]);
    }

    #[test]
    fn greek() {
        assert_order(&["Αλφα", "Άλφα", "βήτα", "Γάμμα", "Ωμέγα"]);
        assert_eq!(key("Σωκράτης").primary, key("σωκρατησ").primary);
    }

    #[test]
    fn cyrillic() {
        // Russian: ё is е with an accent, й a letter after и.
        assert_order(&[
            "Елена",
            "Ёлка",
            "Жанна",
            "Иван",
            "йод",
            "Киев",
            "Юрий",
            "Яна",
        ]);
        assert_order(&["еда", "ёж", "ель"]);
        // Ukrainian: и і ї й; г ґ; е є.
        assert_order(&["Ирина", "Ігор", "Їжак", "Йосип", "Київ"]);
        assert_order(&["Гуцул", "Ґанок", "Дніпро"]);
        assert_order(&["Енергія", "Європа", "Жовква"]);
        // Serbian and Belarusian.
        assert_order(&["Јован", "Коста"]);
        assert_order(&["Чачак", "Џеп", "Шабац"]);
        assert_order(&["Ужгород", "Ўзбекістан", "Фастів"]);
    }

    #[test]
    fn ranks_sort_like_keys_equal_names_in_the_order_given() {
        let names = ["Zeta", "Ángel", "bravo", "Zeta", "ángel"];
        assert_eq!(ranks(names), [3, 1, 2, 4, 0]);
        assert!(ranks(std::iter::empty()).is_empty());
    }
}
