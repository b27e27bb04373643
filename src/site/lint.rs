//! Lints for `dossier check` and `dossier build`: problems that do not stop
//! a build but that a person keeping an archive wants to hear about —
//! entities never mentioned, and links in the content that point at nothing
//! the site has (judged as the pages write them, root-relative URLs under
//! the base path: see [`crate::render::url::under_base`]).

use super::Site;
use crate::build::{Annotated, Rendered};
use crate::diagnostics::Diagnostic;
use crate::render::theme::TemplateIds;
use crate::render::url::under_base;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

pub fn lint(
    a: &Annotated,
    site: &Site,
    paths: &[String],
    theme_ids: &TemplateIds,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, e) in a.content.entities.iter().enumerate() {
        if site.mentions_of[i].is_empty() {
            out.push(e.file.warning(
                0,
                format!("entity `{}` is never mentioned in any article", e.id),
            ));
        }
    }
    let urls = &site.urls;
    // Every document with the URL of its page.
    let articles = a.content.articles.iter().zip(&a.articles);
    let articles = articles.map(|(art, doc)| (urls.article(&art.slug), &doc.r, true));
    let pages = a.content.pages.iter().zip(&a.page_docs);
    let pages = pages.map(|(p, doc)| (urls.page(&p.slug), doc, true));
    let entities = a.content.entities.iter().zip(&a.entity_docs);
    let entities = entities.map(|(e, doc)| (urls.entity(&e.id, 1), doc, false));
    let docs: Vec<(String, &Rendered, bool)> = articles.chain(pages).chain(entities).collect();
    // The ids of the article and page documents that links with a fragment
    // point at: what such a fragment may name (with the theme's own).
    let base_path = urls.base_path.as_str();
    let wanted: HashSet<String> = docs
        .iter()
        .flat_map(|(page_url, doc, _)| {
            doc.links
                .iter()
                .filter(|l| l.0.contains('#'))
                .filter_map(|l| target_of(page_url, &under_base(&l.0, base_path)))
        })
        .collect();
    // In parallel, as the checks below: `build` runs this too, and an
    // archive full of links to notes unpacks thousands of pages here.
    let ids: HashMap<String, HashSet<String>> = docs
        .par_iter()
        .filter(|(page_url, _, whole)| *whole && wanted.contains(page_url))
        .map(|(page_url, doc, _)| (page_url.clone(), ids_in(doc)))
        .collect();
    let known = Known {
        paths: paths.iter().map(String::as_str).collect(),
        base_path,
        ids,
        theme_ids,
    };
    let broken: Vec<Vec<Diagnostic>> = docs
        .par_iter()
        .map(|(page_url, doc, _)| {
            let mut found = Vec::new();
            known.check_links(doc, page_url, &mut found);
            found
        })
        .collect();
    out.extend(broken.into_iter().flatten());
    out
}

/// The page a link on the page at `page_url` points at: see
/// [`internal_target`]; a pure fragment points at the page itself.
fn target_of(page_url: &str, url: &str) -> Option<String> {
    internal_target(page_url, url)
        .or_else(|| url.trim().starts_with('#').then(|| page_url.to_string()))
}

/// The `id` attributes in a document's HTML.
fn ids_in(doc: &Rendered) -> HashSet<String> {
    let html = doc.html.unpack();
    let mut ids = HashSet::new();
    for part in [&html.body, &html.notes] {
        let mut rest = part.as_str();
        while let Some(i) = rest.find(" id=\"") {
            rest = &rest[i + 5..];
            let Some(end) = rest.find('"') else { break };
            ids.insert(rest[..end].to_string());
            rest = &rest[end..];
        }
    }
    ids
}

/// What the site has, for checking links.
struct Known<'a> {
    paths: HashSet<&'a str>,
    base_path: &'a str,
    /// Ids of the article and page documents that fragments point at, by
    /// page URL; pages not here are checked for the page only.
    ids: HashMap<String, HashSet<String>>,
    theme_ids: &'a TemplateIds,
}

impl Known<'_> {
    /// Warns about internal links of one document that point at nothing:
    /// no page, or (on an article or a page) no element with the
    /// fragment's id.
    fn check_links(&self, doc: &Rendered, page_url: &str, out: &mut Vec<Diagnostic>) {
        let (paths, base_path) = (&self.paths, self.base_path);
        for (written, warning) in &doc.links {
            // Judged as the page writes it: a root-relative URL under the
            // base path.
            let url = under_base(written, base_path);
            let fragment = url.split_once('#').map(|(_, f)| f).unwrap_or("");
            let Some(target) = target_of(page_url, &url) else {
                continue;
            };
            let file_path = target
                .strip_prefix(base_path)
                .map(|r| super::urls::file_of("/", &format!("/{r}")));
            let ok = match &file_path {
                Some(fp) => {
                    paths.contains(fp.as_str())
                        || paths.contains(format!("{fp}/index.html").as_str())
                }
                None => false,
            };
            if !ok {
                out.push(warning.clone());
                continue;
            }
            let id = crate::escape::url_decode(fragment).unwrap_or_default();
            let missing = !id.is_empty()
                && !self.theme_ids.may_hold(&id)
                && self.ids.get(&target).is_some_and(|ids| !ids.contains(&id));
            if missing {
                let mut w = warning.clone();
                w.message = format!("link to `{written}`: its page has no `#{id}`");
                out.push(w);
            }
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
    Some(super::urls::remove_dot_segments(&joined))
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
