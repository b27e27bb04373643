//! The URL of every page, and the file it is written to. All links in the
//! site are root-relative paths that carry the sub-path of `base_url`,
//! percent-encoded as URLs carry it.

use crate::escape::url_segment;
use crate::render::url::encode_path;

#[derive(Debug, Clone)]
pub struct Urls {
    /// `/` or `/repo/`, percent-encoded (`/archivo-a%C3%B1o/`).
    pub base_path: String,
    /// `https://user.github.io` (no trailing slash).
    pub origin: String,
}

impl Urls {
    /// The URLs of a site at `base_url`, whose path is `base_path`: the
    /// origin is `base_url` up to its path, and the path is written
    /// percent-encoded ([`encode_path`]). [`crate::config`] gives it so
    /// already, and encoding what is encoded changes nothing.
    pub fn new(base_url: &str, base_path: &str) -> Urls {
        let authority = base_url.find("://").map_or(0, |i| i + 3);
        let path_start = base_url[authority..]
            .find('/')
            .map_or(base_url.len(), |i| authority + i);
        Urls {
            base_path: encode_path(base_path).into_owned(),
            origin: base_url[..path_start].to_string(),
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

/// What makes two tag names one tag: the name trimmed, runs of white space
/// as one space, in lower case. `Drug Policy` and `drug  policy` are one
/// tag; `C++` and `C#` are two.
pub fn tag_key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for word in name.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// The longest plain tag slug, in bytes: a slug is a folder name, and file
/// systems take names of at most 255 bytes (a hash may follow it).
const TAG_SLUG_MAX: usize = 100;

/// A tag's plain slug: lower case, runs of anything but letters and digits
/// as `-`, none at either end, cut to [`TAG_SLUG_MAX`] bytes. Empty for a
/// name of only punctuation or emoji. Distinct tags may share one (long
/// tags alike in their first hundred bytes too); [`tag_slugs`] tells them
/// apart.
pub fn tag_slug(tag: &str) -> String {
    let mut out = String::new();
    for c in tag.trim().chars().flat_map(char::to_lowercase) {
        if out.len() + c.len_utf8() > TAG_SLUG_MAX {
            break;
        }
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// The slug of each of the distinct tag keys `keys` (see [`tag_key`]): its
/// plain slug when no other key has that slug, else the plain slug with a
/// short hash of the key appended (`c-5c1ea3f0`); a tag with an empty plain
/// slug is always `tag-` and the hash. Of the keys sharing a plain slug, the
/// one that is the slug itself keeps it (`drug-policy`), else the one that
/// is the slug with spaces for hyphens (`drug policy`), else the first in
/// code point order. Each slug depends only on the set of keys, never on
/// the order of articles, and a tag's slug changes only when a tag with the
/// same plain slug comes or goes.
pub fn tag_slugs(keys: &[&str]) -> Vec<String> {
    use std::collections::{BTreeMap, HashSet};
    let plain: Vec<String> = keys.iter().map(|k| tag_slug(k)).collect();
    let mut by_slug: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, p) in plain.iter().enumerate() {
        by_slug.entry(p.as_str()).or_default().push(i);
    }
    let mut out: Vec<Option<String>> = vec![None; keys.len()];
    let mut taken: HashSet<String> = HashSet::new();
    let mut hashed: Vec<usize> = Vec::new();
    for (p, mut group) in by_slug {
        if p.is_empty() {
            hashed.extend(group);
            continue;
        }
        group.sort_by_key(|&i| {
            let k = keys[i];
            let rank = if k == p {
                0
            } else if k.replace(' ', "-") == p {
                1
            } else {
                2
            };
            (rank, k)
        });
        out[group[0]] = Some(p.to_string());
        taken.insert(p.to_string());
        hashed.extend(&group[1..]);
    }
    // In key order, so that which of two (most unlikely) equal hashes
    // gets the longer one does not depend on the order of articles.
    hashed.sort_by_key(|&i| keys[i]);
    for i in hashed {
        let stem = if plain[i].is_empty() {
            "tag"
        } else {
            plain[i].as_str()
        };
        let h = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(keys[i].as_bytes()));
        let mut slug = format!("{stem}-{}", &h[..8]);
        if taken.contains(&slug) {
            slug = format!("{stem}-{h}");
        }
        let mut n = 2;
        while taken.contains(&slug) {
            slug = format!("{stem}-{h}-{n}");
            n += 1;
        }
        taken.insert(slug.clone());
        out[i] = Some(slug);
    }
    out.into_iter().map(Option::unwrap_or_default).collect()
}

/// A path with its `.` and `..` segments applied (RFC 3986, 5.2.4).
pub fn remove_dot_segments(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segs: Vec<&str> = path.split('/').collect();
    for (i, seg) in segs.iter().enumerate() {
        let last = i + 1 == segs.len();
        match *seg {
            "." => {
                if last {
                    out.push("");
                }
            }
            ".." => {
                if out.len() > 1 {
                    out.pop();
                }
                if last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    let joined = out.join("/");
    if joined.starts_with('/') {
        joined
    } else {
        format!("/{joined}")
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
    fn a_base_path_is_written_percent_encoded_once() {
        for (url, path) in [
            ("https://x.org/archivo-año/", "/archivo-año/"),
            ("https://x.org/archivo-a%C3%B1o/", "/archivo-a%C3%B1o/"),
        ] {
            let u = Urls::new(url, path);
            assert_eq!(u.base_path, "/archivo-a%C3%B1o/");
            assert_eq!(u.origin, "https://x.org");
            assert_eq!(u.home(1), "/archivo-a%C3%B1o/");
            assert_eq!(
                u.article("méxico"),
                "/archivo-a%C3%B1o/articles/m%C3%A9xico/"
            );
            assert_eq!(
                u.absolute(&u.file("atom.xml")),
                "https://x.org/archivo-a%C3%B1o/atom.xml"
            );
            assert_eq!(
                file_of(&u.base_path, &u.article("méxico")),
                "articles/méxico/index.html"
            );
        }
        let u = Urls::new("https://x.org/my archive/", "/my archive/");
        assert_eq!(u.tags(), "/my%20archive/tags/");
        assert_eq!(u.absolute(&u.tags()), "https://x.org/my%20archive/tags/");
        // The host is left alone (serve's may be an IPv6 address).
        let u = Urls::new("http://[::1]:1111/r/", "/r/");
        assert_eq!(u.absolute(&u.tags()), "http://[::1]:1111/r/tags/");
        let u = Urls::new("https://x.org", "/");
        assert_eq!(u.absolute(&u.home(1)), "https://x.org/");
    }

    #[test]
    fn plain_tag_slugs() {
        assert_eq!(tag_slug("Drug Policy"), "drug-policy");
        assert_eq!(tag_slug("C++ / Rust"), "c-rust");
        assert_eq!(tag_slug("Seguridad pública"), "seguridad-pública");
        assert_eq!(tag_slug("!!"), "");
    }

    #[test]
    fn long_tags_make_slugs_a_file_system_takes() {
        // 400 bytes of `é` once failed the build: "File name too long".
        let long = "é".repeat(200);
        assert_eq!(tag_slug(&long), "é".repeat(50));
        let longer = format!("{long}x");
        let s = slugs(&[&long, &longer, &"a".repeat(300)]);
        assert_ne!(s[0], s[1]);
        assert!(s.iter().all(|s| s.len() <= 120), "{s:?}");
    }

    #[test]
    fn tag_keys_ignore_case_and_white_space_runs() {
        assert_eq!(tag_key("  Drug \t Policy "), "drug policy");
        assert_eq!(tag_key("MÉXICO"), tag_key("México"));
        assert_ne!(tag_key("C++"), tag_key("C#"));
    }

    fn slugs(names: &[&str]) -> Vec<String> {
        let keys: Vec<String> = names.iter().map(|n| tag_key(n)).collect();
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        tag_slugs(&keys)
    }

    #[test]
    fn distinct_tags_get_distinct_slugs() {
        let s = slugs(&["C++", "C#", "😀", "🎉", "]]>", "Rust", "", "c"]);
        let unique: std::collections::BTreeSet<&String> = s.iter().collect();
        assert_eq!(unique.len(), s.len(), "{s:?}");
        // A name that is its slug keeps it; the others get a hash.
        assert_eq!(s[7], "c");
        assert_eq!(s[5], "rust");
        for i in [0, 1] {
            assert!(s[i].starts_with("c-") && s[i].len() == 10, "{s:?}");
        }
        for i in [2, 3, 4, 6] {
            assert!(s[i].starts_with("tag-") && s[i].len() == 12, "{s:?}");
        }
        // Alone, a punctuation-only tag still gets its hash, the same one.
        assert_eq!(slugs(&["😀"])[0], s[2]);
        // Every slug is a plain path segment.
        for x in &s {
            assert!(x.chars().all(|c| c.is_alphanumeric() || c == '-'), "{x}");
        }
    }

    #[test]
    fn tag_slugs_do_not_depend_on_order_or_on_unrelated_tags() {
        let a = slugs(&["C++", "C#", "Drug Policy"]);
        let b = slugs(&["Drug Policy", "C#", "C++", "Border & Trade"]);
        assert_eq!((&a[0], &a[1], &a[2]), (&b[2], &b[1], &b[0]));
        assert_eq!(a[2], "drug-policy");
        assert_eq!(b[3], "border-trade");
        // Without a clash, the plain slug.
        assert_eq!(slugs(&["C++"]), ["c"]);
        // Of two clashing names, the one that is the slug with spaces keeps it.
        let c = slugs(&["Drug Policy!", "Drug Policy"]);
        assert_eq!(c[1], "drug-policy");
        assert_ne!(c[0], c[1]);
    }

    #[test]
    fn a_hash_equal_to_another_tags_slug_is_made_longer() {
        let h = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(b"c++"));
        let taken = format!("c-{}", &h[..8]);
        let s = slugs(&["C++", "C#", &taken]);
        assert_eq!(s[2], taken);
        // "c#" is before "c++" in code point order: it keeps the plain slug.
        assert_eq!(s[1], "c");
        assert_eq!(s[0], format!("c-{h}"));
    }
}
