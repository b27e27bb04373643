//! Where in a template a render error is: Tera 1 gives no position for
//! one, so the name it gives (a variable path, a filter, an include...) is
//! looked for in the tags of the templates it names. Takes a `tera::Error`,
//! gives what to look for ([`Needle`]) and where it is in a template's text.

use super::template_tags::{is_ident, word_at, Tag};
/// The parts of Tera's `Failed to render '…'` message, its outermost one.
/// Written by `Processor::get_error_location` (tera 1.20,
/// `src/renderer/processor.rs`).
#[derive(Debug, PartialEq)]
pub(super) struct Wrapper {
    /// `: error while rendering macro `NS::NAME``: the innermost macro being
    /// rendered (if not inside a `for` loop of it).
    pub(super) in_macro: Option<(String, String)>,
    /// ` (error happened in 'NAME').`: the template of the block being
    /// rendered, or the parent template.
    pub(super) happened_in: Option<String>,
}

impl Wrapper {
    pub(super) fn parse(text: &str) -> Option<Wrapper> {
        let rest = text.strip_prefix("Failed to render '")?;
        let in_macro = between(rest, ": error while rendering macro `", "`")
            .and_then(|m| m.split_once("::"))
            .map(|(ns, name)| (ns.to_string(), name.to_string()));
        let happened_in = between(rest, " (error happened in '", "')").map(str::to_string);
        Some(Wrapper {
            in_macro,
            happened_in,
        })
    }
}

/// The text after the first `open` in `text`, up to the next `close`.
pub(super) fn between<'t>(text: &'t str, open: &str, close: &str) -> Option<&'t str> {
    let (_, rest) = text.split_once(open)?;
    rest.split_once(close).map(|(inside, _)| inside)
}

/// Templates an error's message names: `… while rendering 'T'` (unknown
/// variables) and `… not found in template `T`` (macros).
pub(super) fn named_templates(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (open, close) in [("while rendering '", "'"), ("in template `", "`")] {
        let mut rest = text;
        while let Some((_, after)) = rest.split_once(open) {
            let Some((name, after)) = after.split_once(close) else {
                break;
            };
            out.push(name.to_string());
            rest = after;
        }
    }
    out
}

pub(super) type Link<'e> = &'e (dyn std::error::Error + 'static);

/// An error and its sources, outermost first.
pub(super) fn chain(e: &tera::Error) -> Vec<Link<'_>> {
    let mut out: Vec<Link<'_>> = vec![e];
    while let Some(s) = out[out.len() - 1].source() {
        out.push(s);
    }
    out
}

/// The messages of `links` on one line, each ending with `: ` before the
/// next (Tera ends some with a period).
pub(super) fn readable_chain(links: &[Link]) -> String {
    let parts: Vec<String> = links
        .iter()
        .map(|l| {
            l.to_string()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|t| !t.is_empty())
        .collect();
    let last = parts.len().saturating_sub(1);
    parts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if i < last {
                p.strip_suffix('.').unwrap_or(p)
            } else {
                p
            }
        })
        .collect::<Vec<_>>()
        .join(": ")
}

/// Strings an error quotes (a filter's bad argument `got `"x"``, the key
/// `t` was given, the message of `throw`): of the tags holding what failed,
/// the one with such a string literal is the likelier.
pub(super) fn hints(links: &[Link]) -> Vec<String> {
    let mut out = Vec::new();
    for l in links {
        let text = l.to_string();
        let mut rest = text.as_str();
        while let Some((_, after)) = rest.split_once('"') {
            let Some((inside, after)) = after.split_once('"') else {
                break;
            };
            out.push(inside.to_string());
            rest = after;
        }
        out.push(text);
    }
    out
}

/// What a render error names, to look for in a template's text.
#[derive(Debug, PartialEq)]
pub(super) enum Needle {
    /// A variable path, as written (`site.title`, `a.tags[0]`).
    Var(String),
    /// The container of a `for` loop: a variable or function name.
    ForContainer(String),
    /// The container of a `for` loop, an array literal.
    ForArray,
    /// The container of a `for` loop, another literal.
    ForLiteral,
    Filter(String),
    Function(String),
    Test(String),
    /// A macro call, `ns::name(...)`, with any namespace when `None`.
    MacroCall(Option<String>, String),
    /// A macro namespace, `ns::`.
    Namespace(String),
    /// An `{% include %}` of this template.
    Include(String),
    Super,
}

impl Needle {
    /// What `e` names. The messages are those of tera 1.20 (`errors.rs`
    /// and `src/renderer/`: `processor.rs`, `macros.rs`).
    pub(super) fn of(e: Link) -> Option<Needle> {
        use tera::ErrorKind as K;
        if let Some(te) = e.downcast_ref::<tera::Error>() {
            match &te.kind {
                K::FilterNotFound(n) | K::CallFilter(n) => return Some(Needle::Filter(n.clone())),
                K::FunctionNotFound(n) | K::CallFunction(n) => {
                    return Some(Needle::Function(n.clone()))
                }
                K::TestNotFound(n) | K::CallTest(n) => return Some(Needle::Test(n.clone())),
                // `{% include %}` names its templates as `[a, b]`.
                K::TemplateNotFound(n) => {
                    let list = n.strip_prefix('[')?.strip_suffix(']')?;
                    let first = list.split(", ").next().unwrap_or(list);
                    return Some(Needle::Include(first.to_string()));
                }
                K::Msg(_) => {}
                _ => return None,
            }
        }
        let text = e.to_string();
        if let Some(rest) = text.strip_prefix("Variable `") {
            // `Variable `a.b` not found in context while rendering 'T'`
            return Some(Needle::Var(rest.split_once('`')?.0.to_string()));
        }
        if let Some(rest) = text.strip_prefix("Variable ") {
            // `Variable a[b] can not be evaluated because: …`
            let (path, _) = rest.split_once(" can not be evaluated because")?;
            return Some(Needle::Var(path.to_string()));
        }
        for open in [
            "Tried to iterate on a container (`",
            "Tried to iterate using key value on variable `",
        ] {
            if let Some(rest) = text.strip_prefix(open) {
                let name = rest.split_once('`')?.0;
                return Some(match name {
                    "an array literal" => Needle::ForArray,
                    _ => Needle::ForContainer(name.to_string()),
                });
            }
        }
        if text.starts_with("Forloop containers have to be an ident or a function call") {
            return Some(Needle::ForLiteral);
        }
        if let Some(rest) = text.strip_prefix("Macro namespace `") {
            return Some(Needle::Namespace(rest.split_once('`')?.0.to_string()));
        }
        if let Some(rest) = text.strip_prefix("Macro `") {
            let (name, rest) = rest.split_once('`')?;
            if rest.starts_with(" not found in template") {
                let (ns, name) = name.split_once("::")?;
                return Some(Needle::MacroCall(Some(ns.to_string()), name.to_string()));
            }
            if rest.starts_with(" is missing the argument") {
                return Some(Needle::MacroCall(None, name.to_string()));
            }
            return None;
        }
        if text == "Tried to use super() in the top level block" {
            return Some(Needle::Super);
        }
        None
    }

    /// The byte offset in `src` of the first place this needle is, inside a
    /// `{{ }}` or `{% %}` tag; in a tag with a string literal among `hints`
    /// if any.
    pub(super) fn find<'s>(
        &self,
        tags: impl Iterator<Item = Tag<'s>>,
        hints: &[String],
    ) -> Option<usize> {
        let mut first = None;
        for tag in tags {
            if let Some(at) = self.in_tag(&tag) {
                if tag.literals().any(|l| hints.iter().any(|h| h == l)) {
                    return Some(tag.at + at);
                }
                first = first.or(Some(tag.at + at));
            }
        }
        first
    }

    /// Where in `tag` (an offset in its text) this needle is.
    pub(super) fn in_tag(&self, tag: &Tag) -> Option<usize> {
        let word = tag.first_word();
        match self {
            Needle::Var(path) => {
                if !tag.expr
                    && matches!(
                        word,
                        "macro"
                            | "import"
                            | "extends"
                            | "include"
                            | "block"
                            | "endblock"
                            | "endmacro"
                            | "endfor"
                            | "endif"
                            | "endfilter"
                            | "else"
                            | "break"
                            | "continue"
                    )
                {
                    return None;
                }
                // Not the names a `for` or `set` gives.
                let from = match word {
                    _ if tag.expr => 0,
                    "for" => tag.keyword_in()?,
                    "set" | "set_global" => tag.inner.find('=')?,
                    _ => 0,
                };
                tag.tokens(path)
                    .find(|&k| k >= from && tag.looks_up(k, path.len()))
            }
            Needle::ForContainer(_) | Needle::ForArray | Needle::ForLiteral => {
                if tag.expr || word != "for" {
                    return None;
                }
                let from = tag.keyword_in()? + 2;
                let rest = &tag.inner[from..];
                let container = rest.trim_start();
                let at = from + rest.len() - container.len();
                let w = word_at(container);
                match self {
                    Needle::ForContainer(name) => tag.tokens(name).find(|&k| k >= from),
                    Needle::ForArray => container.starts_with('[').then_some(at),
                    _ => {
                        let literal = !container.starts_with(|c: char| is_ident(c) || c == '[')
                            || w.starts_with(|c: char| c.is_ascii_digit())
                            || matches!(w, "true" | "false" | "True" | "False");
                        literal.then_some(at)
                    }
                }
            }
            Needle::Filter(name) => tag.tokens(name).find(|&k| {
                tag.inner[..k].trim_end().ends_with('|')
                    || (!tag.expr && word == "filter" && tag.prev_word(k) == "filter")
            }),
            Needle::Function(name) => tag.tokens(name).find(|&k| {
                let before = tag.inner[..k].trim_end();
                tag.inner[k + name.len()..].trim_start().starts_with('(')
                    && !before.ends_with(['|', '.', ':'])
                    && !matches!(tag.prev_word(k), "macro")
                    && !tag.is_test(k)
            }),
            Needle::Test(name) => tag.tokens(name).find(|&k| tag.is_test(k)),
            Needle::MacroCall(Some(ns), name) => {
                let call = format!("{ns}::{name}");
                let found = tag.tokens(&call).find(|&k| {
                    !tag.inner[..k].ends_with(['.', ':'])
                        && tag.inner[k + call.len()..].trim_start().starts_with('(')
                });
                found
            }
            Needle::MacroCall(None, name) => tag.tokens(name).find_map(|k| {
                let ns = tag.inner[..k].strip_suffix("::")?;
                let ns_len = ns.len() - ns.trim_end_matches(is_ident).len();
                (ns_len > 0 && tag.inner[k + name.len()..].trim_start().starts_with('('))
                    .then_some(k - 2 - ns_len)
            }),
            Needle::Namespace(ns) => tag.tokens(ns).find(|&k| {
                !tag.inner[..k].ends_with(['.', ':']) && tag.inner[k + ns.len()..].starts_with("::")
            }),
            Needle::Include(name) => {
                if tag.expr || word != "include" {
                    return None;
                }
                tag.strings
                    .iter()
                    .find(|&&(s, e)| &tag.inner[s + 1..e - 1] == name.as_str())
                    .map(|&(s, _)| s)
            }
            Needle::Super => tag.tokens("super").find(|&k| {
                tag.expr && tag.inner[k + "super".len()..].trim_start().starts_with('(')
            }),
        }
    }
}
