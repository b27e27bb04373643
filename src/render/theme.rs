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
    /// Where each template came from, for messages.
    origins: Vec<(String, PathBuf)>,
    /// The ids the templates write, for checking `#fragment` links.
    pub ids: TemplateIds,
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
        let origins: Vec<(String, PathBuf)> = sources
            .iter()
            .map(|(n, _, p)| (n.clone(), p.clone()))
            .collect();
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
            let path = origins
                .iter()
                .filter_map(|(n, p)| message.find(&format!("'{n}'")).map(|at| (at, p)))
                .min_by_key(|(at, _)| *at)
                .or(origins.first().map(|(_, p)| (0, p)))
                .map(|(_, p)| p.clone())
                .unwrap_or_default();
            diags.push(Diagnostic::file(Severity::Error, &path, message));
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
        Some(Theme {
            tera,
            fingerprint,
            origins,
            ids,
        })
    }

    /// Renders `name`, or a diagnostic naming the template.
    /// Renders template `name` into bytes (UTF-8: the templates and every
    /// value are `str`s). `size_hint`: about how large the page will be.
    pub fn render(
        &self,
        name: &str,
        ctx: &tera::Context,
        size_hint: usize,
    ) -> Result<Vec<u8>, Diagnostic> {
        // Into a buffer of about the right size, and without checking the
        // result is UTF-8 again, as `Tera::render` does for every page.
        let mut out = Vec::with_capacity(size_hint);
        self.tera
            .render_to(name, ctx, &mut out)
            .map(|()| out)
            .map_err(|e| {
                let path = self
                    .origins
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, p)| p.clone())
                    .unwrap_or_else(|| PathBuf::from(format!("templates/{name}")));
                Diagnostic::file(
                    Severity::Error,
                    &path,
                    format!("cannot render: {}", error_chain(&e)),
                )
            })
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
