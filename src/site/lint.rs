//! Lints for `dossier check`: problems that do not stop a build but that a
//! person keeping an archive wants to hear about — entities never mentioned,
//! and links in the content that point at nothing the site has.

use super::Site;
use crate::build::{Annotated, Rendered};
use crate::diagnostics::Diagnostic;
use std::collections::HashSet;

pub fn lint(a: &Annotated, site: &Site, paths: &[String]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, e) in a.content.entities.iter().enumerate() {
        if site.mentions_of[i].is_empty() {
            out.push(e.file.warning(
                0,
                format!("entity `{}` is never mentioned in any article", e.id),
            ));
        }
    }
    let paths: HashSet<&str> = paths.iter().map(String::as_str).collect();
    let urls = &site.urls;
    for (art, doc) in a.content.articles.iter().zip(&a.articles) {
        check_links(
            &doc.r,
            &urls.article(&art.slug),
            &urls.base_path,
            &paths,
            &mut out,
        );
    }
    for (p, doc) in a.content.pages.iter().zip(&a.page_docs) {
        check_links(doc, &urls.page(&p.slug), &urls.base_path, &paths, &mut out);
    }
    for (e, doc) in a.content.entities.iter().zip(&a.entity_docs) {
        check_links(
            doc,
            &urls.entity(&e.id, 1),
            &urls.base_path,
            &paths,
            &mut out,
        );
    }
    out
}

/// Warns about internal links of one document that point at nothing.
fn check_links(
    doc: &Rendered,
    page_url: &str,
    base_path: &str,
    paths: &HashSet<&str>,
    out: &mut Vec<Diagnostic>,
) {
    for (url, warning) in &doc.links {
        let Some(target) = internal_target(page_url, url) else {
            continue;
        };
        let file_path = target
            .strip_prefix(base_path)
            .map(|r| super::urls::file_of("/", &format!("/{r}")));
        let ok = match &file_path {
            Some(fp) => {
                paths.contains(fp.as_str()) || paths.contains(format!("{fp}/index.html").as_str())
            }
            None => false,
        };
        if !ok {
            out.push(warning.clone());
        }
    }
}

/// The root-relative path an internal link points at, without its
/// fragment or query; `None` for external links and pure fragments.
pub fn internal_target(page_url: &str, url: &str) -> Option<String> {
    let url = url.trim();
    if url.is_empty()
        || url.starts_with('#')
        || url.starts_with("//")
        || url.contains("://")
        || url.contains(':') && !url.starts_with('/')
    {
        return None;
    }
    let path = url.split(['#', '?']).next().unwrap_or("");
    if path.is_empty() {
        return None;
    }
    let joined = if path.starts_with('/') {
        path.to_string()
    } else {
        let dir = &page_url[..page_url.rfind('/').map_or(0, |i| i + 1)];
        format!("{dir}{path}")
    };
    // Resolve `.` and `..` segments.
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut s = parts.join("/");
    if !s.starts_with('/') {
        s.insert(0, '/');
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_links() {
        assert_eq!(
            internal_target("/r/articles/a/", "../b/").as_deref(),
            Some("/r/articles/b/")
        );
        assert_eq!(
            internal_target("/r/articles/a/", "/r/about/#x").as_deref(),
            Some("/r/about/")
        );
        assert_eq!(internal_target("/r/articles/a/", "https://x.org/"), None);
        assert_eq!(internal_target("/r/articles/a/", "mailto:a@b"), None);
        assert_eq!(internal_target("/r/articles/a/", "#fn-1"), None);
    }
}
