//! The theme: Tera templates and static assets. The defaults in the repo's
//! `templates/` and `static/` are embedded in the binary; a site's own
//! `templates/NAME` or `static/NAME` replaces the built-in file of that name.

use super::template_errors::{
    chain, hints, named_templates, readable_chain, Link, Needle, Wrapper,
};
use super::template_recursion::{endless_recursion, imports, macro_definition};
use super::template_tags::{spans, tags, Span, Tag};
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
