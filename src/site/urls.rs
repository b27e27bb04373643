//! The URL of every page, and the file it is written to. All links in the
//! site are root-relative paths that carry the sub-path of `base_url`.

use crate::escape::url_segment;

#[derive(Debug, Clone)]
pub struct Urls {
    /// `/` or `/repo/`.
    pub base_path: String,
    /// `https://user.github.io` (no trailing slash).
    pub origin: String,
}

impl Urls {
    pub fn new(base_url: &str, base_path: &str) -> Urls {
        let origin = base_url
            .strip_suffix(base_path)
            .unwrap_or(base_url.trim_end_matches('/'))
            .to_string();
        Urls {
            base_path: base_path.to_string(),
            origin,
        }
    }

    fn path(&self, segments: &[&str]) -> String {
        let mut p = self.base_path.clone();
        for s in segments {
            p.push_str(&url_segment(s));
            p.push('/');
        }
        p
    }

    pub fn home(&self, page: usize) -> String {
        if page <= 1 {
            self.base_path.clone()
        } else {
            self.path(&["page", &page.to_string()])
        }
    }

    pub fn article(&self, slug: &str) -> String {
        self.path(&["articles", slug])
    }

    pub fn entities(&self) -> String {
        self.path(&["entities"])
    }

    pub fn entity(&self, id: &str, page: usize) -> String {
        if page <= 1 {
            self.path(&["entities", id])
        } else {
            self.path(&["entities", id, "page", &page.to_string()])
        }
    }

    pub fn tags(&self) -> String {
        self.path(&["tags"])
    }

    pub fn tag(&self, slug: &str) -> String {
        self.tag_page(slug, 1)
    }

    /// Page `page` of a tag's articles.
    pub fn tag_page(&self, slug: &str, page: usize) -> String {
        if page <= 1 {
            self.path(&["tags", slug])
        } else {
            self.path(&["tags", slug, "page", &page.to_string()])
        }
    }

    pub fn archive(&self) -> String {
        self.path(&["archive"])
    }

    pub fn page(&self, slug: &str) -> String {
        self.path(&[slug])
    }

    pub fn file(&self, name: &str) -> String {
        format!("{}{}", self.base_path, name)
    }

    /// The absolute URL of a root-relative path.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{}", self.origin, path)
    }
}

/// The output file of a page URL: `/repo/articles/x/` → `articles/x/index.html`.
pub fn file_of(base_path: &str, url: &str) -> String {
    let rel = url
        .strip_prefix(base_path)
        .unwrap_or(url.trim_start_matches('/'));
    let decoded = crate::escape::url_decode(rel).unwrap_or_else(|| rel.to_string());
    if decoded.is_empty() || decoded.ends_with('/') {
        format!("{decoded}index.html")
    } else {
        decoded
    }
}

/// A tag's slug: lower case, runs of anything but letters and digits as `-`.
pub fn tag_slug(tag: &str) -> String {
    let mut out = String::new();
    for c in tag.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() {
        "tag".to_string()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_carry_the_sub_path() {
        let u = Urls::new("https://u.github.io/repo/", "/repo/");
        assert_eq!(u.article("a-b"), "/repo/articles/a-b/");
        assert_eq!(u.home(2), "/repo/page/2/");
        assert_eq!(
            u.absolute(&u.entity("x", 1)),
            "https://u.github.io/repo/entities/x/"
        );
        assert_eq!(
            file_of("/repo/", "/repo/articles/a-b/"),
            "articles/a-b/index.html"
        );
        assert_eq!(file_of("/repo/", "/repo/"), "index.html");
        assert_eq!(u.article("méxico"), "/repo/articles/m%C3%A9xico/");
        assert_eq!(
            file_of("/repo/", "/repo/articles/m%C3%A9xico/"),
            "articles/méxico/index.html"
        );
    }

    #[test]
    fn tag_slugs() {
        assert_eq!(tag_slug("Drug Policy"), "drug-policy");
        assert_eq!(tag_slug("C++ / Rust"), "c-rust");
        assert_eq!(tag_slug("Seguridad pública"), "seguridad-pública");
        assert_eq!(tag_slug("!!"), "tag");
    }
}
