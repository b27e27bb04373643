//! Which link and image destinations written in Markdown the site keeps:
//! relative ones, and absolute ones of schemes a reader can safely follow.
//! Archived text comes from anywhere; a `javascript:` link in it would run
//! in the reader's browser, and `data:` could show any page at all.

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

#[cfg(test)]
mod tests {
    use super::*;

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
