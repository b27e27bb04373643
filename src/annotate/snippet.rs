//! Keyword in context: the words around a mention, cut at word boundaries.

/// Up to about `width` characters of `text` before `s` and after `e`, cut at
/// word boundaries, with `…` where the text goes on.
pub fn around(text: &str, s: usize, e: usize, width: usize) -> (String, String, String) {
    let before = &text[..s];
    let after = &text[e..];
    let mut b_start = before.len();
    for (count, (i, _)) in before.char_indices().rev().enumerate() {
        if count >= width {
            break;
        }
        b_start = i;
    }
    if b_start > 0 && !before[..b_start].ends_with(' ') {
        // Move forward to the start of a word.
        match before[b_start..].find(' ') {
            Some(sp) if b_start + sp < before.len() => b_start += sp + 1,
            _ => {}
        }
    }
    let mut a_end = 0;
    for (count, (i, c)) in after.char_indices().enumerate() {
        if count >= width {
            break;
        }
        a_end = i + c.len_utf8();
    }
    if a_end < after.len() {
        if let Some(sp) = after[..a_end].rfind(' ') {
            a_end = sp;
        }
    }
    let mut b = before[b_start..].to_string();
    if b_start > 0 {
        b.insert(0, '…');
    }
    let mut a = after[..a_end].to_string();
    if a_end < after.len() {
        a.push('…');
    }
    (b, text[s..e].to_string(), a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_at_word_boundaries() {
        let t = "one two three four five six seven";
        let s = t.find("four").unwrap();
        let (b, m, a) = around(t, s, s + 4, 9);
        assert_eq!(
            (b.as_str(), m.as_str(), a.as_str()),
            ("…three ", "four", " five…")
        );
    }

    #[test]
    fn short_text_is_kept_whole() {
        let (b, m, a) = around("Marco Rubio said", 0, 11, 60);
        assert_eq!(
            (b.as_str(), m.as_str(), a.as_str()),
            ("", "Marco Rubio", " said")
        );
    }

    #[test]
    fn handles_multibyte_text() {
        let t = "Andrés Manuel López Obrador habló con Sheinbaum";
        let s = t.find("López").unwrap();
        let (b, _, a) = around(t, s, s + "López Obrador".len(), 8);
        assert!(b.starts_with('…') && a.ends_with('…'), "{b}|{a}");
    }
}
