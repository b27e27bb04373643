//! Unicode normalisation of what is read: text to NFC, with a map back to
//! the bytes as written.
//!
//! The same name can be written two ways: `Culiacán` with one `á`, or with
//! `a` and a combining accent (what macOS and some PDFs paste). Unicode calls
//! the two canonically equivalent and a reader cannot tell them apart, but
//! byte for byte they differ, so a name in one form was never found in text
//! in the other, a link target did not resolve, a quote was "not found", and
//! one tag made two pages. Reading every file as NFC (the form the W3C asks
//! of web content) makes them one. Positions in messages still point at the
//! file as written: [`OffsetMap`] takes a position in the normalised text
//! back there.

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Where the normalised text differs from the text as written: each chunk
/// that changed, as (start, end) in the normalised text and in the raw one.
/// Between chunks the two are the same bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OffsetMap {
    chunks: Vec<[usize; 4]>,
}

impl OffsetMap {
    /// The raw position of normalised position `p` (a position inside a
    /// changed chunk is its start).
    pub fn raw(&self, p: usize) -> usize {
        let i = self.chunks.partition_point(|c| c[0] <= p);
        match i.checked_sub(1).map(|i| self.chunks[i]) {
            None => p,
            Some([_, norm_end, raw_start, _]) if p < norm_end => raw_start,
            Some([_, norm_end, _, raw_end]) => raw_end + (p - norm_end),
        }
    }
}

/// `text` in NFC and the map back, or `None` when it is NFC already (the
/// common case, decided by a quick check without copying).
pub fn to_nfc(text: &str) -> Option<(String, OffsetMap)> {
    if text.is_ascii() || is_nfc_quick(text.chars()) == IsNormalized::Yes {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut map = OffsetMap::default();
    let mut start = 0;
    let bounds = text
        .char_indices()
        .skip(1)
        .filter(|&(_, c)| starts_fresh(c))
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()));
    for end in bounds {
        let chunk = &text[start..end];
        let norm_start = out.len();
        if is_nfc_quick(chunk.chars()) == IsNormalized::Yes {
            out.push_str(chunk);
        } else {
            out.extend(chunk.nfc());
            if &out[norm_start..] != chunk {
                map.chunks.push([norm_start, out.len(), start, end]);
            }
        }
        start = end;
    }
    Some((out, map))
}

/// Whether nothing before `c` can change by normalisation with `c`: it
/// neither reorders with nor composes with what comes before it (a
/// starter that is NFC as it stands). Text can be normalised piece by
/// piece between such characters.
fn starts_fresh(c: char) -> bool {
    c.is_ascii()
        || (canonical_combining_class(c) == 0
            && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfc_text_is_left_alone() {
        assert_eq!(to_nfc("Culiacán, Sinaloa — “El Mayo”"), None);
        assert_eq!(to_nfc("plain"), None);
    }

    #[test]
    fn decomposed_text_is_composed_and_maps_back() {
        let raw = "Culiaca\u{301}n y Sinaloa, Me\u{301}xico.";
        let (nfc, map) = to_nfc(raw).unwrap();
        assert_eq!(nfc, "Culiacán y Sinaloa, México.");
        // Every character that did not change maps to itself as written.
        for (p, c) in nfc.char_indices().filter(|(_, c)| c.is_ascii()) {
            let r = map.raw(p);
            assert_eq!(raw[r..].chars().next(), Some(c), "{p} -> {r}");
        }
        assert_eq!(map.raw(nfc.find('y').unwrap()), raw.find('y').unwrap());
        assert_eq!(map.raw(nfc.len()), raw.len());
        // A position in a composed letter is where it starts as written.
        assert_eq!(
            map.raw(nfc.find('á').unwrap()),
            raw.find("a\u{301}").unwrap()
        );
    }

    #[test]
    fn marks_are_reordered_and_hangul_composed() {
        // Dot below (220) before acute (230) is the canonical order.
        let (nfc, _) = to_nfc("e\u{301}\u{323}x").unwrap();
        assert_eq!(nfc, "\u{1eb9}\u{301}x");
        let (nfc, _) = to_nfc("\u{1100}\u{1161}\u{11a8}!").unwrap();
        assert_eq!(nfc, "\u{ac01}!");
        // A singleton (Ångström sign) becomes its letter.
        let (nfc, map) = to_nfc("1 \u{212b} wide").unwrap();
        assert_eq!(nfc, "1 \u{c5} wide");
        assert_eq!(map.raw(nfc.find("wide").unwrap()), "1 \u{212b} ".len());
    }

    #[test]
    fn agrees_with_normalising_the_whole_text() {
        let samples = [
            "a\u{301}\u{301}b",
            "\u{301}leading mark",
            "ќ and \u{41a}\u{301}",
            "n\u{303}o\u{308}\u{304} \u{1100}\u{1161}",
            "\u{0cc6}\u{0cc2} kannada",
        ];
        for s in samples {
            let whole: String = s.nfc().collect();
            let piecewise = to_nfc(s).map_or_else(|| s.to_string(), |(t, _)| t);
            assert_eq!(piecewise, whole, "{s:?}");
        }
    }
}
