//! The tags of a Tera template's text (`{{ … }}`, `{% … %}`), with
//! comments, raw blocks and strings told apart: what the search for a
//! render error's place and the recursion check read.

pub(super) fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The identifier `text` starts with.
pub(super) fn word_at(text: &str) -> &str {
    let end = text.find(|c: char| !is_ident(c)).unwrap_or(text.len());
    &text[..end]
}

/// The identifier `text` ends with.
pub(super) fn word_before(text: &str) -> &str {
    &text[text.trim_end_matches(is_ident).len()..]
}

/// A `{{ … }}` or `{% … %}` tag of a template.
pub(super) struct Tag<'s> {
    /// Where `inner` starts in the template.
    pub(super) at: usize,
    /// The text between the braces, whitespace control dashes included.
    pub(super) inner: &'s str,
    /// `{{ … }}` rather than `{% … %}`.
    pub(super) expr: bool,
    /// The string literals of `inner`, quotes included, as ranges of it.
    pub(super) strings: &'s [(usize, usize)],
}

impl<'s> Tag<'s> {
    /// The keyword of a `{% … %}` tag (`if`, `for`, `include`...).
    pub(super) fn first_word(&self) -> &'s str {
        word_at(self.inner.trim_start_matches('-').trim_start())
    }

    /// The string literals, without their quotes.
    pub(super) fn literals(&self) -> impl Iterator<Item = &'s str> + '_ {
        self.strings.iter().map(|&(s, e)| &self.inner[s + 1..e - 1])
    }

    pub(super) fn in_string(&self, k: usize) -> bool {
        self.strings.iter().any(|&(s, e)| s <= k && k < e)
    }

    /// Where `token` is in the tag, outside string literals, as a whole
    /// token (`site.nosuch` is not in `site.nosuchother`).
    pub(super) fn tokens<'t>(&'t self, token: &'t str) -> impl Iterator<Item = usize> + 't {
        self.inner
            .match_indices(token)
            .map(|(k, _)| k)
            .filter(move |&k| {
                !self.in_string(k)
                    && !self.inner[..k].ends_with(is_ident)
                    && !self.inner[k + token.len()..].starts_with(is_ident)
            })
    }

    /// The identifier before offset `k`, spaces skipped.
    pub(super) fn prev_word(&self, k: usize) -> &'s str {
        word_before(self.inner[..k].trim_end())
    }

    /// The identifier before [`Tag::prev_word`].
    pub(super) fn prev_word2(&self, k: usize) -> &'s str {
        let before = self.inner[..k].trim_end();
        let before = before[..before.len() - word_before(before).len()].trim_end();
        word_before(before)
    }

    /// Whether the path of `len` bytes at `k` is looked up as a variable:
    /// not a part of a longer path, a macro namespace, the name of a filter,
    /// function, test or argument, nor where a missing variable is no error
    /// (`x is defined`, `x | default(…)`, `not x`).
    pub(super) fn looks_up(&self, k: usize, len: usize) -> bool {
        let before = &self.inner[..k];
        let after = &self.inner[k + len..];
        let next = after.trim_start();
        let argument = next.starts_with('=') && !next.starts_with("==");
        let defaulted = next
            .strip_prefix('|')
            .is_some_and(|f| word_at(f.trim_start()) == "default");
        let elsewhere = before.ends_with(['.', ':'])
            || after.starts_with(['.', '[', ':'])
            || before.trim_end().ends_with('|')
            || matches!(self.prev_word(k), "is" | "not")
            || next.starts_with('(')
            || argument
            || word_at(next) == "is"
            || defaulted;
        !elsewhere
    }

    /// Whether the name at `k` is a test's: `x is NAME`, `x is not NAME`.
    pub(super) fn is_test(&self, k: usize) -> bool {
        let w = self.prev_word(k);
        w == "is" || (w == "not" && self.prev_word2(k) == "is")
    }

    /// Where the `in` of a `{% for x in xs %}` tag is.
    pub(super) fn keyword_in(&self) -> Option<usize> {
        self.tokens("in").next()
    }
}

/// Where a tag is in a template; see [`Tag`].
pub(super) struct Span {
    pub(super) at: usize,
    pub(super) end: usize,
    pub(super) expr: bool,
    pub(super) strings: Vec<(usize, usize)>,
}

/// The tags of `src` from its [`spans`].
pub(super) fn tags<'s>(src: &'s str, spans: &'s [Span]) -> impl Iterator<Item = Tag<'s>> {
    spans.iter().map(move |s| Tag {
        at: s.at,
        inner: &src[s.at..s.end],
        expr: s.expr,
        strings: &s.strings,
    })
}

/// The tags of a template, but those in comments and `{% raw %}` blocks.
pub(super) fn spans(src: &str) -> Vec<Span> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(rel) = src[i..].find('{') {
        let s = i + rel;
        let close: &[u8] = match b.get(s + 1) {
            Some(b'#') => {
                i = src[s + 2..].find("#}").map_or(src.len(), |e| s + 2 + e + 2);
                continue;
            }
            Some(b'{') => b"}}",
            Some(b'%') => b"%}",
            _ => {
                i = s + 1;
                continue;
            }
        };
        let start = s + 2;
        let mut j = start;
        let mut strings = Vec::new();
        let mut end = None;
        while j < b.len() {
            if matches!(b[j], b'"' | b'\'' | b'`') {
                match b[j + 1..].iter().position(|&c| c == b[j]) {
                    Some(e) => {
                        strings.push((j - start, j + 1 + e + 1 - start));
                        j += e + 2;
                        continue;
                    }
                    None => break,
                }
            }
            if b[j..].starts_with(close) {
                end = Some(j);
                break;
            }
            j += 1;
        }
        let Some(end) = end else { break };
        let expr = close == b"}}";
        i = end + 2;
        if !expr && word_at(src[start..end].trim_start_matches('-').trim_start()) == "raw" {
            // To the `{% endraw %}`, whatever is between.
            let mut rest = i;
            i = src.len();
            while let Some(o) = src[rest..].find("{%") {
                let after = &src[rest + o + 2..];
                if word_at(after.trim_start_matches('-').trim_start()) == "endraw" {
                    i = after.find("%}").map_or(src.len(), |e| rest + o + 2 + e + 2);
                    break;
                }
                rest += o + 2;
            }
            continue;
        }
        out.push(Span {
            at: start,
            end,
            expr,
            strings,
        });
    }
    out
}
