//! Which link and image destinations written in Markdown the site keeps:
//! relative ones, and absolute ones of schemes a reader can safely follow.
//! Archived text comes from anywhere; a `javascript:` link in it would run
//! in the reader's browser, and `data:` could show any page at all.
//! And where the site keeps them: [`under_base`] puts a root-relative URL
//! under the sub-path the site is published at, which [`encode_path`]
//! writes as URLs carry it.

use crate::escape::{is_escape, percent_encode};
use std::borrow::Cow;

/// Absolute link schemes kept as links.
pub const LINK_SCHEMES: &[&str] = &["http", "https", "mailto", "tel", "ftp"];

/// The scheme of `url` as a browser reads it, lowercase; `None` for a
/// relative URL (a path, a query, a fragment).
pub fn scheme(url: &str) -> Option<String> {
    // Browsers drop leading and trailing controls and spaces, and tabs and
    // newlines anywhere, before they read the scheme.
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let (s, _) = cleaned.split_once(':')?;
    let mut chars = s.chars();
    let first = chars.next()?;
    let valid = first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| s.to_ascii_lowercase())
}

/// Whether the site keeps `url` as a link (`image`: as an image source,
/// which may also be a `data:image/…` URL).
pub fn allowed(url: &str, image: bool) -> bool {
    match scheme(url).as_deref() {
        None => true,
        Some("data") => {
            image
                && url
                    .trim_start_matches(|c: char| c <= ' ')
                    .get(..11)
                    .is_some_and(|p| p.eq_ignore_ascii_case("data:image/"))
        }
        Some(s) => LINK_SCHEMES.contains(&s),
    }
}

/// Whether an entity's `links` entry is linked: an absolute `http`,
/// `https` or `mailto` URL (what a list of external references holds).
pub fn safe_link(url: &str) -> bool {
    matches!(scheme(url).as_deref(), Some("http" | "https" | "mailto"))
}

/// What is wrong with front matter URL `url` that the pages leave unlinked,
/// if anything: `links` entries must pass [`safe_link`]; a `source` is
/// linked when it is an `http(s)` URL and shown as text otherwise (a
/// citation), so only one with another scheme (`javascript:`) is wrong.
pub fn front_matter_url_problem(url: &str, source: bool) -> Option<String> {
    let written_as_url = !url.trim().contains(char::is_whitespace);
    let scheme = scheme(url).filter(|_| written_as_url);
    let ok = match (source, scheme.as_deref()) {
        (true, None | Some("http" | "https")) => true,
        (true, Some(_)) => false,
        (false, _) => safe_link(url),
    };
    (!ok).then(|| {
        let what = if source { "source" } else { "link" };
        let kept = if source { "http and https" } else { "http, https and mailto" };
        format!("{what} `{url}` is not linked: only {kept} URLs are, so that nothing here runs in a reader's browser")
    })
}

/// `path` as a URL carries it (RFC 3986): every byte of its UTF-8 that is
/// not an unreserved character (`A-Z a-z 0-9 - . _ ~`), a sub-delim
/// (`! $ & ' ( ) * + , ; =`), `:`, `@` or `/` written `%XX`
/// (`/archivo-año/` → `/archivo-a%C3%B1o/`, `/my archive/` →
/// `/my%20archive/`). A `%` followed by two hex digits is an escape
/// already and is kept as written; any other `%` is `%25`. So a path
/// encoded once is left as it is: encoding is idempotent, and a base path
/// given already encoded is not encoded twice.
pub fn encode_path(path: &str) -> Cow<'_, str> {
    percent_encode(path, |b, i| {
        b[i].is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/".contains(&b[i]) || is_escape(b, i)
    })
}

/// A URL from front matter (`links`, `source`) as an `href` carries it:
/// what no URL may hold as written (spaces, controls, `"`, `<`, `>`, `\`,
/// `^`, `` ` ``, `{`, `|`, `}`, and a `%` that starts no escape) is
/// percent-encoded, the rest kept, escapes already there too. Surrounding
/// white space is dropped. `https://example.org/a b` →
/// `https://example.org/a%20b`; a URL that is right is returned as it is.
pub fn written_url(url: &str) -> Cow<'_, str> {
    percent_encode(url.trim(), |b, i| match b[i] {
        b'%' => is_escape(b, i),
        0..=0x20 | 0x7f | b'"' | b'<' | b'>' | b'\\' | b'^' | b'`' | b'{' | b'|' | b'}' => false,
        _ => true,
    })
}

/// `url` as the site writes it when published under `base_path` (`/`, or
/// `/repo/` for `https://user.github.io/repo/`). A root-relative URL, one
/// that starts with a single `/`, means "from the root of this site": it
/// gets the base path in front, its query and fragment kept
/// (`/articles/x/?q#f` → `/repo/articles/x/?q#f`). Everything else is
/// returned as it is: relative URLs (`../x/`, `x.png`, `#f`, `?q`),
/// protocol-relative ones (`//host/x`, which browsers also read in `/\host`)
/// and absolute ones. So is a root-relative URL already under the base path
/// (`/repo/articles/x/`, `/repo/`): before this rule it was the only way to
/// write a link that worked under a sub-path, and it still points where it
/// did. The base path is written percent-encoded ([`encode_path`]); a URL
/// under it written with it decoded (`/archivo-año/x/` for
/// `/archivo-a%C3%B1o/`) gets it in that form.
pub fn under_base<'a>(url: &'a str, base_path: &str) -> Cow<'a, str> {
    let base = encode_path(base_path);
    if base == "/" || !base.starts_with('/') {
        return Cow::Borrowed(url);
    }
    // Read as a browser reads it: leading controls and spaces dropped, tabs
    // and newlines ignored.
    let trimmed = url.trim_start_matches(|c: char| c <= ' ');
    let mut chars = trimmed.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r'));
    let root_relative = chars.next() == Some('/') && !matches!(chars.next(), Some('/' | '\\'));
    if !root_relative {
        return Cow::Borrowed(url);
    }
    if trimmed.starts_with(&*base) {
        return Cow::Borrowed(url);
    }
    if let Some(decoded) = crate::escape::url_decode(&base).filter(|d| *d != *base) {
        if let Some(rest) = trimmed.strip_prefix(&decoded) {
            return Cow::Owned(format!("{base}{rest}"));
        }
    }
    Cow::Owned(format!("{}{trimmed}", base.trim_end_matches('/')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_urls_are_written_as_urls_carry_them() {
        assert_eq!(
            written_url(" https://example.org/a b "),
            "https://example.org/a%20b"
        );
        assert_eq!(
            written_url("https://example.org/\"q\"?a=1&b=<2>|{x}"),
            "https://example.org/%22q%22?a=1&b=%3C2%3E%7C%7Bx%7D"
        );
        assert_eq!(
            written_url("https://x.org/100%/%41"),
            "https://x.org/100%25/%41"
        );
        assert_eq!(written_url("https://x.org/año/"), "https://x.org/año/");
        assert!(matches!(
            written_url("https://x.org/a?b=c#d"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn front_matter_urls_that_would_not_be_linked() {
        assert!(front_matter_url_problem("https://x.org/", false).is_none());
        assert!(front_matter_url_problem("mailto:a@x.org", false).is_none());
        assert!(front_matter_url_problem("javascript:alert(1)", false).is_some());
        assert!(front_matter_url_problem("x.org/page", false).is_some());
        assert!(front_matter_url_problem("HTTP://X.ORG", true).is_none());
        assert!(front_matter_url_problem("The Times, print edition: p. 3", true).is_none());
        assert!(front_matter_url_problem(" javascript:alert(1)", true).is_some());
        assert!(front_matter_url_problem("data:text/html,x", true).is_some());
    }

    #[test]
    fn root_relative_urls_get_the_base_path() {
        for (url, want) in [
            ("/articles/x/", "/repo/articles/x/"),
            ("/images/map.png?v=2#top", "/repo/images/map.png?v=2#top"),
            ("/", "/repo/"),
            ("/#x", "/repo/#x"),
            ("/?q", "/repo/?q"),
            ("/repository/", "/repo/repository/"),
            // Already under the base path: as written.
            ("/repo/articles/x/", "/repo/articles/x/"),
            ("/repo/", "/repo/"),
            ("/repo", "/repo/repo"),
            // Relative, protocol-relative, absolute: as written.
            ("../x/", "../x/"),
            ("x.png", "x.png"),
            ("#fn-1", "#fn-1"),
            ("?q=1", "?q=1"),
            ("", ""),
            ("//cdn.example.org/x.js", "//cdn.example.org/x.js"),
            ("/\\evil.example/", "/\\evil.example/"),
            ("https://example.org/a", "https://example.org/a"),
            ("mailto:a@example.org", "mailto:a@example.org"),
        ] {
            assert_eq!(under_base(url, "/repo/"), want, "{url}");
            assert_eq!(under_base(url, "/"), url, "{url}");
        }
        assert_eq!(under_base("/x/", "/a/b/"), "/a/b/x/");
        assert_eq!(under_base("/a/b/x/", "/a/b/"), "/a/b/x/");
        assert_eq!(under_base("/a/x/", "/a/b/"), "/a/b/a/x/");
    }

    #[test]
    fn paths_are_percent_encoded_once() {
        for (path, want) in [
            ("/archivo-año/", "/archivo-a%C3%B1o/"),
            ("/my archive/", "/my%20archive/"),
            (
                "/a\"b<c>d\\e^f`g{h|i}j/",
                "/a%22b%3Cc%3Ed%5Ce%5Ef%60g%7Bh%7Ci%7Dj/",
            ),
            ("/ü%C3%BC%c3%bc/", "/%C3%BC%C3%BC%c3%bc/"),
            ("/100%/%zz/%4/", "/100%25/%25zz/%254/"),
            ("/?#[]/", "/%3F%23%5B%5D/"),
            // Unreserved, sub-delims, `:`, `@`, `/`: as written.
            ("/a-z_0.9~!$&'()*+,;=:@/", "/a-z_0.9~!$&'()*+,;=:@/"),
            ("/", "/"),
            ("", ""),
        ] {
            let once = encode_path(path);
            assert_eq!(once, want, "{path:?}");
            assert_eq!(encode_path(&once), once, "encoding {path:?} twice");
        }
        assert!(matches!(encode_path("/repo/"), Cow::Borrowed(_)));
    }

    #[test]
    fn an_encoded_base_path_is_put_in_front_as_it_is() {
        let base = "/archivo-a%C3%B1o/";
        for (url, want) in [
            ("/articles/x/", "/archivo-a%C3%B1o/articles/x/"),
            ("/", "/archivo-a%C3%B1o/"),
            // Already under it, encoded or as typed: the encoded form.
            (
                "/archivo-a%C3%B1o/articles/x/",
                "/archivo-a%C3%B1o/articles/x/",
            ),
            (
                "/archivo-año/articles/x/?q#f",
                "/archivo-a%C3%B1o/articles/x/?q#f",
            ),
            ("../x/", "../x/"),
        ] {
            assert_eq!(under_base(url, base), want, "{url}");
            // A base path given decoded is written encoded all the same.
            assert_eq!(under_base(url, "/archivo-año/"), want, "{url}");
        }
        assert_eq!(under_base("/x/", "/my archive/"), "/my%20archive/x/");
    }

    #[test]
    fn relative_and_web_urls_are_kept() {
        for u in [
            "/articles/x/",
            "../x",
            "#fn-1",
            "?q=a:b",
            "x/y:z",
            "https://example.org/a:b",
            "HTTP://EXAMPLE.ORG",
            "mailto:a@example.org",
            "tel:+123",
            "",
        ] {
            assert!(allowed(u, false), "{u}");
        }
        assert!(allowed("data:image/png;base64,AAAA", true));
    }

    #[test]
    fn script_and_data_urls_are_not_kept_however_written() {
        for u in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " \u{1}javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html,<script>alert(1)</script>",
            "file:///etc/passwd",
        ] {
            assert!(!allowed(u, false), "{u:?}");
            assert!(!allowed(u, true), "{u:?}");
        }
        assert!(!allowed("data:image/png;base64,AAAA", false));
    }
}
