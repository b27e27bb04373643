//! The theme: Tera templates and static assets. The defaults in the repo's
//! `templates/` and `static/` are embedded in the binary; a site's own
//! `templates/NAME` or `static/NAME` replaces the built-in file of that name.

use super::words::{self, Lang};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use std::path::{Path, PathBuf};

/// Built-in templates, by name.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("article.html", include_str!("../../templates/article.html")),
    (
        "entities.html",
        include_str!("../../templates/entities.html"),
    ),
    ("entity.html", include_str!("../../templates/entity.html")),
    ("tags.html", include_str!("../../templates/tags.html")),
    ("tag.html", include_str!("../../templates/tag.html")),
    ("archive.html", include_str!("../../templates/archive.html")),
    ("page.html", include_str!("../../templates/page.html")),
    ("404.html", include_str!("../../templates/404.html")),
];

/// Built-in static files, by path relative to the output root.
pub const STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../../static/style.css")),
    ("syntax.css", include_bytes!("../../static/syntax.css")),
];

pub struct Theme {
    pub tera: tera::Tera,
    /// A hash of every template's name and text and of the language of
    /// `t`: pages rendered with an equal fingerprint and context are equal.
    pub fingerprint: u64,
    /// Every template, with its text and where it came from, for messages.
    sources: Vec<Source>,
    /// The ids the templates write, for checking `#fragment` links.
    pub ids: TemplateIds,
}

/// A template as loaded.
struct Source {
    name: String,
    text: String,
    /// As shown in messages: `templates/NAME` or `(built-in) templates/NAME`.
    path: PathBuf,
    /// Its tags, found when first needed: a broken `base.html` fails every
    /// page, each error looked for in the same templates.
    spans: std::sync::OnceLock<Vec<Span>>,
}

impl Source {
    fn tags(&self) -> impl Iterator<Item = Tag<'_>> {
        tags(&self.text, self.spans.get_or_init(|| spans(&self.text)))
    }
}

/// A page that failed to render.
#[derive(Debug, Clone)]
pub struct RenderError {
    /// The message, at the template holding the fault and, when it could be
    /// found there, at the tag at fault.
    pub diagnostic: Diagnostic,
    /// Equal for the same fault met on different pages (which render other
    /// templates, with other contexts), for reporting it once.
    pub key: String,
}

/// The `id="…"` attributes written in templates: whole ones, and the
/// literal start of those made with `{{ … }}` (any id so starting may exist).
#[derive(Debug, Default, Clone)]
pub struct TemplateIds {
    pub exact: std::collections::HashSet<String>,
    pub prefixes: Vec<String>,
}

impl TemplateIds {
    fn scan(&mut self, src: &str) {
        for quote in ['"', '\''] {
            let open = format!("id={quote}");
            let mut rest = src;
            while let Some(i) = rest.find(&open) {
                rest = &rest[i + open.len()..];
                let Some(end) = rest.find(quote) else { break };
                let value = &rest[..end];
                match value.find("{{").or_else(|| value.find("{%")) {
                    Some(dynamic) => self.prefixes.push(value[..dynamic].to_string()),
                    None => {
                        self.exact.insert(value.to_string());
                    }
                }
            }
        }
    }

    /// Whether a page of this theme may hold the id `id` of its own.
    pub fn may_hold(&self, id: &str) -> bool {
        self.exact.contains(id) || self.prefixes.iter().any(|p| id.starts_with(p.as_str()))
    }
}

impl Theme {
    /// Loads the built-in templates, then the site's `templates/` over them,
    /// with the function `t` giving words in `lang` ([`words::register`]).
    pub fn load(root: &Path, lang: Lang, diags: &mut Diagnostics) -> Option<Theme> {
        let mut sources: Vec<(String, String, PathBuf)> = TEMPLATES
            .iter()
            .map(|(n, s)| {
                (
                    n.to_string(),
                    s.to_string(),
                    PathBuf::from(format!("(built-in) templates/{n}")),
                )
            })
            .collect();
        let dir = root.join("templates");
        if dir.is_dir() {
            for entry in walkdir::WalkDir::new(&dir)
                .sort_by_file_name()
                .into_iter()
                .flatten()
            {
                if !entry.file_type().is_file() {
                    continue;
                }
                let name = entry
                    .path()
                    .strip_prefix(&dir)
                    .unwrap_or(entry.path())
                    .to_string_lossy()
                    .replace('\\', "/");
                if name.starts_with('.') || name.contains("/.") {
                    continue;
                }
                let rel = entry
                    .path()
                    .strip_prefix(root)
                    .unwrap_or(entry.path())
                    .to_path_buf();
                match crate::content::SourceFile::read(root, &rel) {
                    Ok(f) => {
                        sources.retain(|(n, _, _)| *n != name);
                        sources.push((name, f.text.clone(), rel));
                    }
                    Err(d) => diags.push(d),
                }
            }
        }
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![".html", ".xml", ".htm"]);
        tera.set_escape_fn(crate::escape::html);
        words::register(&mut tera, lang);
        // Parse one by one first, so every syntax error is reported.
        let mut ok = true;
        for (name, src, path) in &sources {
            let mut one = tera::Tera::default();
            if let Err(e) = one.add_raw_template(name, src) {
                if is_syntax_error(&e) {
                    diags.push(template_diag(path, src, &e));
                    ok = false;
                }
            }
        }
        if !ok {
            return None;
        }
        if let Err(e) =
            tera.add_raw_templates(sources.iter().map(|(n, s, _)| (n.as_str(), s.as_str())))
        {
            // The template the message names first (`Template 'article.html'
            // is inheriting from 'nosuch.html'...`) is the one at fault.
            let message = error_chain(&e);
            let path = sources
                .iter()
                .filter_map(|(n, _, p)| message.find(&format!("'{n}'")).map(|at| (at, p)))
                .min_by_key(|(at, _)| *at)
                .or(sources.first().map(|(_, _, p)| (0, p)))
                .map(|(_, p)| p.clone())
                .unwrap_or_default();
            diags.push(Diagnostic::file(Severity::Error, &path, message));
            return None;
        }
        if !endless_recursion(&sources, diags) {
            return None;
        }
        let fingerprint = {
            use std::hash::{Hash, Hasher};
            let mut h = xxhash_rust::xxh3::Xxh3::new();
            for (name, src, _) in &sources {
                name.hash(&mut h);
                src.hash(&mut h);
            }
            lang.hash(&mut h);
            h.finish()
        };
        let mut ids = TemplateIds::default();
        for (_, src, _) in &sources {
            ids.scan(src);
        }
        let sources = sources
            .into_iter()
            .map(|(name, text, path)| Source {
                name,
                text,
                path,
                spans: Default::default(),
            })
            .collect();
        Some(Theme {
            tera,
            fingerprint,
            sources,
            ids,
        })
    }

    /// Renders template `name` into bytes (UTF-8: the templates and every
    /// value are `str`s). `size_hint`: about how large the page will be.
    pub fn render(
        &self,
        name: &str,
        ctx: &tera::Context,
        size_hint: usize,
    ) -> Result<Vec<u8>, Box<RenderError>> {
        // Into a buffer of about the right size, and without checking the
        // result is UTF-8 again, as `Tera::render` does for every page.
        let mut out = Vec::with_capacity(size_hint);
        self.tera
            .render_to(name, ctx, &mut out)
            .map(|()| out)
            .map_err(|e| Box::new(self.render_error(name, &e)))
    }

    /// The diagnostic for `e`, met rendering template `page`: at the
    /// template holding the fault, and at the tag at fault when it is found
    /// in that template's text. Tera 1 gives no positions for render errors,
    /// and names the template at fault only in its messages:
    /// `Failed to render 'PAGE'` with `: error while rendering macro `NS::NAME``
    /// and ` (error happened in 'PARENT').` when so, then the error itself
    /// (`Variable `a.b` not found in context while rendering 'TEMPLATE'`,
    /// `Filter 'x' not found`...). So the template is found from those names,
    /// and the tag by looking for what the error names in its text.
    fn render_error(&self, page: &str, e: &tera::Error) -> RenderError {
        let links = chain(e);
        let message = format!("cannot render: {}", readable_chain(&links));
        let wrapper = links.first().and_then(|l| Wrapper::parse(&l.to_string()));
        let inner = if wrapper.is_some() {
            &links[1..]
        } else {
            &links[..]
        };
        let candidates = self.candidates(page, wrapper.as_ref(), inner);
        // The innermost error first: a filter whose argument is an unknown
        // variable is at that variable.
        for i in (0..inner.len()).rev() {
            let Some(needle) = Needle::of(inner[i]) else {
                continue;
            };
            let hints = hints(&inner[i..]);
            for &c in &candidates {
                let s = &self.sources[c];
                if let Some(at) = needle.find(s.tags(), &hints) {
                    return RenderError {
                        key: format!("{}\0{at}", s.path.display()),
                        diagnostic: Diagnostic::error_at(&s.path, &s.text, at, message),
                    };
                }
            }
        }
        let path = candidates
            .first()
            .map(|&c| self.sources[c].path.clone())
            .unwrap_or_else(|| PathBuf::from(format!("templates/{page}")));
        // Without a position, the same error in the same template: the
        // message but for the page's template, which Tera names in it.
        let what = readable_chain(inner).replace(&format!("'{page}'"), "'*'");
        RenderError {
            key: format!("{}\0{what}", path.display()),
            diagnostic: Diagnostic::file(Severity::Error, &path, message),
        }
    }

    fn index(&self, name: &str) -> Option<usize> {
        self.sources.iter().position(|s| s.name == name)
    }

    /// The templates that may hold the fault of an error met rendering
    /// `page`, most likely first: those Tera names, then `page` and the
    /// templates it extends, includes and imports.
    fn candidates(&self, page: &str, wrapper: Option<&Wrapper>, inner: &[Link]) -> Vec<usize> {
        let reachable = self.reachable(page);
        let mut out: Vec<usize> = Vec::new();
        let add = |i: Option<usize>, out: &mut Vec<usize>| {
            if let Some(i) = i {
                if !out.contains(&i) {
                    out.push(i);
                }
            }
        };
        // `while rendering 'T'` names the template of the macro or include
        // being rendered (else `page`, even in a parent template).
        for l in inner.iter().rev() {
            for t in named_templates(&l.to_string()) {
                if t != page {
                    add(self.index(&t), &mut out);
                }
            }
        }
        if let Some(w) = wrapper {
            if let Some((ns, name)) = &w.in_macro {
                // The templates defining the macro: the one imported as `ns`
                // where the page imports it first.
                let imported: Vec<usize> = reachable
                    .iter()
                    .flat_map(|&r| imports(self.sources[r].tags()))
                    .filter(|(_, n)| n == ns)
                    .filter_map(|(file, _)| self.index(&file))
                    .collect();
                let defining =
                    |i: &usize| macro_definition(self.sources[*i].tags(), name).is_some();
                for i in imported.iter().filter(|i| defining(i)) {
                    add(Some(*i), &mut out);
                }
                for i in reachable.iter().filter(|i| defining(i)) {
                    add(Some(*i), &mut out);
                }
                for i in (0..self.sources.len()).filter(defining) {
                    add(Some(i), &mut out);
                }
            }
            if let Some(parent) = &w.happened_in {
                add(self.index(parent), &mut out);
            }
        }
        for i in reachable {
            add(Some(i), &mut out);
        }
        out
    }

    /// `page`, then the templates it extends, includes or imports, and
    /// theirs, each once.
    fn reachable(&self, page: &str) -> Vec<usize> {
        let mut out: Vec<usize> = self.index(page).into_iter().collect();
        let mut next = 0;
        while next < out.len() {
            let source = &self.sources[out[next]];
            next += 1;
            for tag in source.tags() {
                if tag.expr || !matches!(tag.first_word(), "extends" | "include" | "import") {
                    continue;
                }
                for lit in tag.literals() {
                    if let Some(i) = self.index(lit) {
                        if !out.contains(&i) {
                            out.push(i);
                        }
                    }
                }
            }
        }
        out
    }
}

/// The parts of Tera's `Failed to render '…'` message, its outermost one.
/// Written by `Processor::get_error_location` (tera 1.20,
/// `src/renderer/processor.rs`).
#[derive(Debug, PartialEq)]
struct Wrapper {
    /// `: error while rendering macro `NS::NAME``: the innermost macro being
    /// rendered (if not inside a `for` loop of it).
    in_macro: Option<(String, String)>,
    /// ` (error happened in 'NAME').`: the template of the block being
    /// rendered, or the parent template.
    happened_in: Option<String>,
}

impl Wrapper {
    fn parse(text: &str) -> Option<Wrapper> {
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
fn between<'t>(text: &'t str, open: &str, close: &str) -> Option<&'t str> {
    let (_, rest) = text.split_once(open)?;
    rest.split_once(close).map(|(inside, _)| inside)
}

/// Templates an error's message names: `… while rendering 'T'` (unknown
/// variables) and `… not found in template `T`` (macros).
fn named_templates(text: &str) -> Vec<String> {
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

type Link<'e> = &'e (dyn std::error::Error + 'static);

/// An error and its sources, outermost first.
fn chain(e: &tera::Error) -> Vec<Link<'_>> {
    let mut out: Vec<Link<'_>> = vec![e];
    while let Some(s) = out[out.len() - 1].source() {
        out.push(s);
    }
    out
}

/// The messages of `links` on one line, each ending with `: ` before the
/// next (Tera ends some with a period).
fn readable_chain(links: &[Link]) -> String {
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
fn hints(links: &[Link]) -> Vec<String> {
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
enum Needle {
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
    fn of(e: Link) -> Option<Needle> {
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
    fn find<'s>(&self, tags: impl Iterator<Item = Tag<'s>>, hints: &[String]) -> Option<usize> {
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
    fn in_tag(&self, tag: &Tag) -> Option<usize> {
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

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The identifier `text` starts with.
fn word_at(text: &str) -> &str {
    let end = text.find(|c: char| !is_ident(c)).unwrap_or(text.len());
    &text[..end]
}

/// The identifier `text` ends with.
fn word_before(text: &str) -> &str {
    &text[text.trim_end_matches(is_ident).len()..]
}

/// A `{{ … }}` or `{% … %}` tag of a template.
struct Tag<'s> {
    /// Where `inner` starts in the template.
    at: usize,
    /// The text between the braces, whitespace control dashes included.
    inner: &'s str,
    /// `{{ … }}` rather than `{% … %}`.
    expr: bool,
    /// The string literals of `inner`, quotes included, as ranges of it.
    strings: &'s [(usize, usize)],
}

impl<'s> Tag<'s> {
    /// The keyword of a `{% … %}` tag (`if`, `for`, `include`...).
    fn first_word(&self) -> &'s str {
        word_at(self.inner.trim_start_matches('-').trim_start())
    }

    /// The string literals, without their quotes.
    fn literals(&self) -> impl Iterator<Item = &'s str> + '_ {
        self.strings.iter().map(|&(s, e)| &self.inner[s + 1..e - 1])
    }

    fn in_string(&self, k: usize) -> bool {
        self.strings.iter().any(|&(s, e)| s <= k && k < e)
    }

    /// Where `token` is in the tag, outside string literals, as a whole
    /// token (`site.nosuch` is not in `site.nosuchother`).
    fn tokens<'t>(&'t self, token: &'t str) -> impl Iterator<Item = usize> + 't {
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
    fn prev_word(&self, k: usize) -> &'s str {
        word_before(self.inner[..k].trim_end())
    }

    /// The identifier before [`Tag::prev_word`].
    fn prev_word2(&self, k: usize) -> &'s str {
        let before = self.inner[..k].trim_end();
        let before = before[..before.len() - word_before(before).len()].trim_end();
        word_before(before)
    }

    /// Whether the path of `len` bytes at `k` is looked up as a variable:
    /// not a part of a longer path, a macro namespace, the name of a filter,
    /// function, test or argument, nor where a missing variable is no error
    /// (`x is defined`, `x | default(…)`, `not x`).
    fn looks_up(&self, k: usize, len: usize) -> bool {
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
    fn is_test(&self, k: usize) -> bool {
        let w = self.prev_word(k);
        w == "is" || (w == "not" && self.prev_word2(k) == "is")
    }

    /// Where the `in` of a `{% for x in xs %}` tag is.
    fn keyword_in(&self) -> Option<usize> {
        self.tokens("in").next()
    }
}

/// Where a tag is in a template; see [`Tag`].
struct Span {
    at: usize,
    end: usize,
    expr: bool,
    strings: Vec<(usize, usize)>,
}

/// The tags of `src` from its [`spans`].
fn tags<'s>(src: &'s str, spans: &'s [Span]) -> impl Iterator<Item = Tag<'s>> {
    spans.iter().map(move |s| Tag {
        at: s.at,
        inner: &src[s.at..s.end],
        expr: s.expr,
        strings: &s.strings,
    })
}

/// The tags of a template, but those in comments and `{% raw %}` blocks.
fn spans(src: &str) -> Vec<Span> {
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

/// Reports the macros and included templates that call themselves, or
/// each other, whatever the values: those never end, and Tera 1 has no
/// recursion limit, so the first page calling one would crash the process
/// with a stack overflow. False when there are any.
///
/// Only what runs whatever the values is followed (not the inside of an
/// `if` or a `for`), so a recursion that stops on some values (a tree
/// walked down) is not reported, nor is one whose stop is never reached.
/// A macro is known by its name, and followed only when one template
/// defines it: a call to it can then only run it or fail.
fn endless_recursion(sources: &[(String, String, PathBuf)], diags: &mut Diagnostics) -> bool {
    #[derive(Clone, PartialEq)]
    enum Node {
        Macro(usize, String),
        Template(usize),
    }
    let parsed: Vec<Option<tera::Template>> = sources
        .iter()
        .map(|(n, s, _)| tera::Template::new(n, None, s).ok())
        .collect();
    let mut nodes: Vec<Node> = Vec::new();
    let mut runs: Vec<Always> = Vec::new();
    for (t, tpl) in parsed.iter().enumerate() {
        let Some(tpl) = tpl else { continue };
        nodes.push(Node::Template(t));
        let mut a = Always::default();
        // A template that extends another is rendered as its parent with
        // its blocks; included, it fails at once.
        if tpl.parent.is_none() {
            a.nodes(&tpl.ast);
        }
        runs.push(a);
        let mut names: Vec<&String> = tpl.macros.keys().collect();
        names.sort();
        for name in names {
            nodes.push(Node::Macro(t, name.clone()));
            let mut a = Always::default();
            a.nodes(&tpl.macros[name].body);
            runs.push(a);
        }
    }
    let macro_node = |name: &str| {
        let mut defs = nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| matches!(n, Node::Macro(_, m) if m == name));
        match (defs.next(), defs.next()) {
            (Some((i, _)), None) => Some(i),
            _ => None,
        }
    };
    let template_node = |names: &[String]| {
        // `{% include ["a", "b"] %}` renders the first that exists.
        let t = names
            .iter()
            .find_map(|n| sources.iter().position(|(s, _, _)| s == n))?;
        nodes.iter().position(|n| *n == Node::Template(t))
    };
    let edges: Vec<Vec<usize>> = runs
        .iter()
        .map(|a| {
            a.macros
                .iter()
                .filter_map(|m| macro_node(m))
                .chain(a.includes.iter().filter_map(|i| template_node(i)))
                .collect()
        })
        .collect();
    let name = |n: &Node| match n {
        Node::Macro(_, m) => format!("macro `{m}`"),
        Node::Template(t) => format!("template `{}`", sources[*t].0),
    };
    // Each cycle once, from its first node.
    let mut reported = vec![false; nodes.len()];
    let mut ok = true;
    for start in 0..nodes.len() {
        if reported[start] {
            continue;
        }
        let Some(cycle) = cycle_from(start, &edges) else {
            continue;
        };
        let first = &nodes[start];
        let (t, at) = match first {
            Node::Macro(t, m) => {
                let text = &sources[*t].1;
                (*t, macro_definition(tags(text, &spans(text)), m))
            }
            Node::Template(t) => {
                let next = &nodes[cycle[1 % cycle.len()]];
                let needle = match next {
                    Node::Template(n) => Needle::Include(sources[*n].0.clone()),
                    Node::Macro(_, m) => Needle::MacroCall(None, m.clone()),
                };
                let text = &sources[*t].1;
                let at = needle.find(tags(text, &spans(text)), &[]);
                (*t, at)
            }
        };
        let verb = |to: usize| match nodes[to] {
            Node::Macro(..) => "calls",
            Node::Template(_) => "includes",
        };
        let mut how = name(first);
        if cycle.len() == 1 {
            how += &format!(" {} itself", verb(start));
        } else {
            for (k, &i) in cycle.iter().enumerate().skip(1).chain([(0, &start)]) {
                let which = if k == 1 { "" } else { ", which" };
                how += &format!("{which} {} {}", verb(i), name(&nodes[i]));
            }
        }
        let message = format!(
            "{how}, whatever the values (not under an `if` or a `for`): this never ends, \
             and would crash the build with a stack overflow"
        );
        let (_, text, path) = &sources[t];
        diags.push(match at {
            Some(at) => Diagnostic::error_at(path, text, at, message),
            None => Diagnostic::file(Severity::Error, path, message),
        });
        for i in cycle {
            reported[i] = true;
        }
        ok = false;
    }
    ok
}

/// A path of `edges` from `start` back to it, `start` first, if any.
fn cycle_from(start: usize, edges: &[Vec<usize>]) -> Option<Vec<usize>> {
    // Depth first, each node once: (node, next edge to try).
    let mut seen = vec![false; edges.len()];
    let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
    seen[start] = true;
    while let Some(&mut (node, ref mut next)) = stack.last_mut() {
        let Some(&to) = edges[node].get(*next) else {
            stack.pop();
            continue;
        };
        *next += 1;
        if to == start {
            return Some(stack.iter().map(|&(n, _)| n).collect());
        }
        if !seen[to] {
            seen[to] = true;
            stack.push((to, 0));
        }
    }
    None
}

/// The macros a template or macro body calls and the templates it includes
/// whatever the values: outside `if`, `for` and blocks, and not in the
/// value of a `default` filter.
#[derive(Default)]
struct Always {
    macros: Vec<String>,
    includes: Vec<Vec<String>>,
}

impl Always {
    fn nodes(&mut self, nodes: &[tera::ast::Node]) {
        use tera::ast::Node;
        for n in nodes {
            match n {
                Node::VariableBlock(_, e) => self.expr(e),
                Node::Set(_, set) => self.expr(&set.value),
                Node::FilterSection(_, section, _) => {
                    self.nodes(&section.body);
                    self.call(&section.filter);
                }
                Node::Include(_, names, _) => self.includes.push(names.clone()),
                _ => {}
            }
        }
    }

    fn expr(&mut self, e: &tera::ast::Expr) {
        use tera::ast::ExprVal;
        match &e.val {
            // Its arguments are evaluated only if the macro declares them.
            ExprVal::MacroCall(call) => self.macros.push(call.name.clone()),
            ExprVal::FunctionCall(call) => self.call(call),
            ExprVal::Array(items) => items.iter().for_each(|i| self.expr(i)),
            _ => {}
        }
        for f in &e.filters {
            self.call(f);
        }
    }

    /// The arguments of a function or filter call.
    fn call(&mut self, call: &tera::ast::FunctionCall) {
        if call.name != "default" {
            let mut args: Vec<_> = call.args.iter().collect();
            args.sort_by(|a, b| a.0.cmp(b.0));
            for (_, e) in args {
                self.expr(e);
            }
        }
    }
}

/// Where the name of `{% macro NAME(…) %}` is in the template of `tags`.
fn macro_definition<'s>(mut tags: impl Iterator<Item = Tag<'s>>, name: &str) -> Option<usize> {
    tags.find_map(|t| {
        if t.expr || t.first_word() != "macro" {
            return None;
        }
        let k = t.tokens(name).next()?;
        (t.prev_word(k) == "macro").then_some(t.at + k)
    })
}

/// The `{% import "FILE" as NS %}` of a template: (FILE, NS).
fn imports<'s>(tags: impl Iterator<Item = Tag<'s>>) -> Vec<(String, String)> {
    tags.filter(|t| !t.expr && t.first_word() == "import")
        .filter_map(|t| {
            let file = t.literals().next()?;
            let ns = word_before(t.inner.trim_end_matches('-').trim_end());
            Some((file.to_string(), ns.to_string()))
        })
        .collect()
}

fn is_syntax_error(e: &tera::Error) -> bool {
    matches!(e.kind, tera::ErrorKind::Msg(_)) && error_chain(e).contains("-->")
}

/// Tera's message with its causes, on one line.
pub fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut msg = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    msg.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A Tera parse error as `templates/NAME:line:col: message`.
fn template_diag(path: &Path, src: &str, e: &tera::Error) -> Diagnostic {
    let full = error_chain(e);
    // Tera writes the position as `--> LINE:COL`.
    let pos = full.split("-->").nth(1).and_then(|rest| {
        let rest = rest.trim_start();
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == ':'))
            .unwrap_or(rest.len());
        let mut it = rest[..end].split(':');
        Some((
            it.next()?.parse::<usize>().ok()?,
            it.next()?.parse::<usize>().ok()?,
        ))
    });
    let message = full
        .split("-->")
        .next()
        .unwrap_or(&full)
        .trim()
        .trim_end_matches(':')
        .to_string();
    // The parser's `  = expected ...` line, after the `|` of the lines
    // shown (not after the last `=` of the text: what was expected holds
    // `<=`, `==`...).
    let detail: String = full
        .rsplit_once("| = ")
        .map(|(_, d)| d.trim().to_string())
        .unwrap_or_default();
    let message = if detail.is_empty() {
        message
    } else {
        format!("{message}: {detail}")
    };
    match pos {
        Some((line, col)) => {
            let line_start: usize = src
                .split_inclusive('\n')
                .take(line.saturating_sub(1))
                .map(str::len)
                .sum();
            let line_text = src[line_start.min(src.len())..]
                .lines()
                .next()
                .unwrap_or("");
            let col_off: usize = line_text
                .chars()
                .take(col.saturating_sub(1))
                .map(char::len_utf8)
                .sum();
            Diagnostic::error_at(path, src, line_start + col_off, message)
        }
        None => Diagnostic::file(Severity::Error, path, message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_templates_parse() {
        let mut d = Diagnostics::new();
        let dir = tempfile::tempdir().unwrap();
        assert!(
            Theme::load(dir.path(), Lang::En, &mut d).is_some(),
            "{}",
            d.report()
        );
    }

    /// The first error of loading a theme whose `templates/NAME` is `text`.
    fn first_error(name: &str, text: &str) -> Diagnostic {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("templates")).unwrap();
        std::fs::write(dir.path().join("templates").join(name), text).unwrap();
        let mut d = Diagnostics::new();
        assert!(Theme::load(dir.path(), Lang::En, &mut d).is_none());
        let first = d.iter().next().unwrap().clone();
        first
    }

    #[test]
    fn a_syntax_error_names_template_and_line() {
        let e = first_error("page.html", "line one\n{% if %}\n");
        assert_eq!(e.path, Path::new("templates/page.html"));
        assert_eq!(e.line, 2, "{e}");
    }

    #[test]
    fn inheriting_from_a_missing_template_names_the_template_that_does() {
        let e = first_error("article.html", "{% extends \"nosuch.html\" %}\n");
        assert_eq!(e.path, Path::new("templates/article.html"), "{e}");
        assert!(e.message.contains("nosuch.html"), "{e}");
    }

    /// A theme of the built-in templates and `files` over them.
    fn theme(files: &[(&str, &str)]) -> Theme {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let p = dir.path().join("templates").join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let mut d = Diagnostics::new();
        let t = Theme::load(dir.path(), Lang::En, &mut d);
        t.unwrap_or_else(|| panic!("{}", d.report()))
    }

    /// The error of rendering `page` of `theme` with `context`.
    fn render_error(theme: &Theme, page: &str, context: serde_json::Value) -> RenderError {
        let ctx = tera::Context::from_value(context).unwrap();
        match theme.render(page, &ctx, 0) {
            Ok(html) => panic!("rendered: {}", String::from_utf8_lossy(&html)),
            Err(e) => *e,
        }
    }

    /// (line, column) of the first `needle` in a tag of `src`.
    fn found(needle: Needle, src: &str) -> Option<(usize, usize)> {
        let at = needle.find(tags(src, &spans(src)), &[])?;
        let (line, column, _) = crate::diagnostics::locate(src, at);
        Some((line, column))
    }

    #[test]
    fn tags_skip_comments_raw_blocks_and_braces_in_strings() {
        let src = "{# {{ a }} #}{% raw %}{{ b }}{% endraw %}{{ \"}}\" ~ c }}{%- if d -%}é{{e}}";
        let sp = spans(src);
        let inner: Vec<&str> = tags(src, &sp).map(|t| t.inner).collect();
        assert_eq!(inner, [" \"}}\" ~ c ", "- if d -", "e"]);
    }

    #[test]
    fn a_variable_is_found_as_a_whole_path_where_it_is_looked_up() {
        let var = |p: &str| Needle::Var(p.to_string());
        // Not a longer path, nor a string, nor a name given by `set` or
        // `for`, nor a keyword argument, nor where a missing variable is
        // no error (`default`, `is defined`, `not x`).
        let src = "{{ a.bc }}{{ \"a.b\" }}{% set a.b = 1 %}{% for a.b in c %}{% endfor %}\n\
                   {{ f(a.b=1) }}{{ a.b | default(value=1) }}{% if a.b is defined or not a.b %}{% endif %}\n\
                   {{ x.a.b }}{{ a.b.c }}{{ a.b[0] }}{{ 1 + a.b }}";
        assert_eq!(found(var("a.b"), src), Some((3, 42)));
        assert_eq!(found(var("c"), src), Some((1, 53)));
        assert_eq!(found(var("a.b[0]"), src), Some((3, 26)));
        assert_eq!(found(var("nothere"), src), None);
    }

    #[test]
    fn filters_functions_tests_and_macros_are_found_by_their_role() {
        let src = "{{ upper(x=1) }}{{ x | upper }}{% filter lower %}{% endfilter %}\n\
                   {% if x is odd or y is not even %}{% endif %}{{ odd(n=1) }}\n\
                   {{ m::item(a=1) }}{{ self::item() }}{% include \"p.html\" %}";
        assert_eq!(found(Needle::Filter("upper".into()), src), Some((1, 24)));
        assert_eq!(found(Needle::Filter("lower".into()), src), Some((1, 42)));
        assert_eq!(found(Needle::Function("upper".into()), src), Some((1, 4)));
        assert_eq!(found(Needle::Function("odd".into()), src), Some((2, 49)));
        assert_eq!(found(Needle::Test("even".into()), src), Some((2, 28)));
        let call = |ns: Option<&str>| Needle::MacroCall(ns.map(str::to_string), "item".into());
        assert_eq!(found(call(Some("self")), src), Some((3, 22)));
        assert_eq!(found(call(None), src), Some((3, 4)));
        assert_eq!(found(Needle::Namespace("self".into()), src), Some((3, 22)));
        assert_eq!(found(Needle::Include("p.html".into()), src), Some((3, 48)));
    }

    #[test]
    fn tera_s_message_is_read_for_the_template_at_fault() {
        let w = Wrapper::parse(
            "Failed to render 'index.html': error while rendering macro `m::item` (error happened in 'base.html').",
        )
        .unwrap();
        assert_eq!(w.in_macro, Some(("m".into(), "item".into())));
        assert_eq!(w.happened_in.as_deref(), Some("base.html"));
        assert_eq!(
            named_templates("Variable `a` not found in context while rendering 'p.html'"),
            ["p.html"]
        );
    }

    #[test]
    fn an_error_in_base_html_is_at_base_html_whichever_page() {
        let base = include_str!("../../templates/base.html").replace(
            "<footer class=\"site-footer\">",
            "<footer class=\"site-footer\">{{ site.nosuch }}",
        );
        let t = theme(&[("base.html", &base)]);
        let ctx = serde_json::json!({
            "site": {"title": "T", "base_path": "/", "language": "en"},
            "page_url": "/", "canonical_url": "/", "feed_url": "/atom.xml", "nav_pages": [],
        });
        let a = render_error(&t, "404.html", ctx.clone());
        let mut other = ctx;
        other["page_url"] = "/x/".into();
        let b = render_error(&t, "404.html", other);
        assert_eq!(a.diagnostic.path, Path::new("templates/base.html"));
        assert_eq!(
            a.diagnostic.line,
            base[..base.find("site.nosuch").unwrap()].lines().count()
        );
        assert!(
            a.diagnostic
                .message
                .starts_with("cannot render: Failed to render '404.html'"),
            "{}",
            a.diagnostic.message
        );
        assert_eq!(a.key, b.key);
    }

    #[test]
    fn an_error_without_a_place_is_at_the_template_tera_names() {
        let t = theme(&[(
            "macros.html",
            "{% macro item(a) %}{{ a in a }}{% endmacro item %}",
        )]);
        let page = "{% import \"macros.html\" as m %}{{ m::item(a=1) }}";
        let t = Theme {
            tera: {
                let mut tera = t.tera;
                tera.add_raw_template("one.html", page).unwrap();
                tera
            },
            sources: {
                let mut s = t.sources;
                s.push(Source {
                    name: "one.html".into(),
                    text: page.into(),
                    path: "templates/one.html".into(),
                    spans: Default::default(),
                });
                s
            },
            ..t
        };
        let e = render_error(&t, "one.html", serde_json::json!({}));
        assert_eq!(e.diagnostic.path, Path::new("templates/macros.html"));
        assert_eq!(e.diagnostic.line, 0, "{}", e.diagnostic);
        assert!(
            e.diagnostic
                .message
                .contains("The `in` operator only supports"),
            "{}",
            e.diagnostic.message
        );
    }

    #[test]
    fn only_recursion_whatever_the_values_is_reported() {
        let endless = |files: &[(&str, &str)]| {
            let sources: Vec<(String, String, PathBuf)> = files
                .iter()
                .map(|(n, s)| (n.to_string(), s.to_string(), PathBuf::from(n)))
                .collect();
            let mut d = Diagnostics::new();
            endless_recursion(&sources, &mut d);
            d.iter().map(|d| d.to_string()).collect::<Vec<_>>()
        };
        // Under an `if`, in a `for`, behind `default`: may stop.
        assert!(endless(&[(
            "m.html",
            "{% macro a(n) %}{% if n %}{{ self::a(n=n-1) }}{% endif %}{% for x in n %}{{ self::a() }}{% endfor %}{{ x | default(value=self::a()) }}{% endmacro %}"
        )])
        .is_empty());
        // A template extending another: its own top level is not rendered.
        assert!(endless(&[
            ("b.html", "{% block c %}{% endblock c %}"),
            ("p.html", "{% extends \"b.html\" %}{% include \"p.html\" %}"),
        ])
        .is_empty());
        // Two macros of one name: which one a call runs depends on where.
        assert!(endless(&[
            ("m.html", "{% macro a() %}{{ self::a() }}{% endmacro %}"),
            ("n.html", "{% macro a() %}x{% endmacro %}"),
        ])
        .is_empty());
        let found = endless(&[
            ("m.html", "{% macro a() %}{{ x | upper(y=self::b()) }}{% endmacro %}\n{% macro b() %}{% set v = self::a() %}{% endmacro %}"),
            ("p.html", "x{% include [\"nope.html\", \"p.html\"] %}"),
        ]);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found[0].starts_with(
                "m.html:1:10: error: macro `a` calls macro `b`, which calls macro `a`,"
            ),
            "{}",
            found[0]
        );
        assert!(
            found[1].starts_with("p.html:1:27: error: template `p.html` includes itself"),
            "{}",
            found[1]
        );
    }

    #[test]
    fn a_syntax_error_says_all_that_was_expected() {
        // The message once began at the last `=` of `==`, `!=`...
        let e = first_error("page.html", "<h1>{{ page.title }</h1>\n");
        assert!(
            e.message.contains(": expected `or`, `and`"),
            "{}",
            e.message
        );
        assert!(
            e.message.ends_with("a variable end (`}}`)"),
            "{}",
            e.message
        );
    }
}
