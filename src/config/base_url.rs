//! `base_url`, as `config.toml` or `--base-url` gives it, made into the one
//! spelling every URL of the site carries: scheme and host lower-cased, the
//! path percent-encoded once; refused, saying why, when it cannot be.

use crate::render::url::encode_path;

fn with_slash(url: &str) -> String {
    if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    }
}

/// Why a base URL cannot be used: the message, and the part of the URL
/// it is about (to point at it in `config.toml`), if not the whole.
#[derive(Debug)]
pub(super) struct BaseUrlProblem {
    pub(super) message: String,
    pub(super) part: Option<String>,
}

/// A base URL as the site writes it, and its path: `(base_url, base_path)`.
/// `what` names it in messages (`base_url`, `--base-url`).
///
/// One site, one spelling, so that the feed's ids do not change with how
/// the URL was typed: it ends in `/`; its scheme and host are in lower case
/// (`https://User.GitHub.IO/Repo` → `https://user.github.io/Repo/`); its path
/// keeps its case (it is the server's to read) and is percent-encoded as
/// URLs carry it, once ([`encode_path`]: `https://example.org/archivo-año/`
/// → `https://example.org/archivo-a%C3%B1o/`, and that is left as it is).
///
/// Refused, with a message that says why: anything but an absolute http(s)
/// URL; a query or fragment (every page's URL is the base URL followed by
/// a path); control characters and `\` (browsers read it as `/`); a host
/// that is not ASCII. An internationalised domain name (`bücher.example`)
/// is written in its ASCII form in URLs (`xn--bcher-kva.example`): the
/// message gives that form for the user to write, rather than the site
/// writing URLs that feed readers and sitemap readers may refuse, or
/// depending on the full IDNA mapping to convert it silently.
pub(super) fn normalise_base_url(
    url: &str,
    what: &str,
) -> Result<(String, String), BaseUrlProblem> {
    let whole = |why: &str| {
        BaseUrlProblem {
        message: format!(
            "{what} must be an absolute http(s) URL{why}, like \"https://user.github.io/repo/\", not {url:?}"
        ),
        part: None,
    }
    };
    let scheme_end = url.find("://").ok_or_else(|| whole(""))?;
    let scheme = url[..scheme_end].to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Err(whole(""));
    }
    if url.contains(['?', '#']) {
        return Err(whole(" with no query or fragment"));
    }
    let rest = &url[scheme_end + 3..];
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if host.is_empty() {
        return Err(whole(""));
    }
    let part = |p: &str, message: String| BaseUrlProblem {
        message,
        part: Some(p.to_string()),
    };
    if let Some(c) = host
        .chars()
        .find(|&c| c.is_ascii() && (!c.is_ascii_graphic() || "\"<>\\^`{|}".contains(c)))
    {
        return Err(part(
            host,
            format!("{what} has {c:?} in its host {host:?}, which no host name has"),
        ));
    }
    if !host.is_ascii() {
        let suggestion = match ascii_host(host) {
            Some(ascii) => format!(": write {ascii:?}"),
            None => String::new(),
        };
        return Err(part(
            host,
            format!(
                "{what} has a host that is not ASCII, {host:?}: URLs (the feed's ids, the sitemap's) carry an internationalised domain name in its ASCII form, `xn--` and punycode{suggestion}"
            ),
        ));
    }
    if let Some(at) = host.rfind('@') {
        return Err(part(
            &host[..=at],
            format!(
                "{what} carries a user name or password ({:?}), which every URL of the site (feed ids, sitemap, canonical links) would publish",
                &host[..=at]
            ),
        ));
    }
    if let Some(problem) = path_problem(path) {
        return Err(part(path, format!("{what} {problem}, in {path:?}")));
    }
    if let Some(c) = path.chars().find(|&c| c.is_control() || c == '\\') {
        let why = if c == '\\' {
            " (URLs separate folders with /)"
        } else {
            ""
        };
        return Err(part(
            path,
            format!("{what} has {c:?} in its path {path:?}{why}"),
        ));
    }
    let path = with_slash(&encode_path(path));
    if crate::escape::url_decode(&path).is_none() {
        return Err(part(
            path.as_str(),
            format!("{what} has %-escapes in its path that are not UTF-8: {path:?}"),
        ));
    }
    let base_url = format!("{scheme}://{}{path}", host.to_ascii_lowercase());
    Ok((base_url, path))
}

/// What is wrong with the path of a base URL, if anything: an empty folder
/// name (`//`: `https://u.github.io//` would make every link `//style.css`,
/// another host), a `.` or `..` folder (written as the browser resolves
/// it, or the site's links and its feed ids differ), or a last part that
/// names a page (`/repo/index.html`), where a folder is meant.
fn path_problem(path: &str) -> Option<String> {
    if path.contains("//") {
        return Some("has an empty folder name (`//`) in its path".to_string());
    }
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if let Some(dots) = segments.iter().find(|s| matches!(**s, "." | "..")) {
        return Some(format!(
            "has a `{dots}` folder in its path: write the path it leads to"
        ));
    }
    let last = segments.last()?.to_ascii_lowercase();
    if !path.ends_with('/') && [".html", ".htm", ".xml"].iter().any(|e| last.ends_with(e)) {
        return Some(format!(
            "ends in a file name ({last:?}): give the folder the site lives in"
        ));
    }
    None
}

/// The ASCII form of host name `host` (IDNA): each label lower-cased, in
/// NFC, and when it is not ASCII `xn--` followed by its punycode. `None`
/// when a label holds anything but letters, digits, combining marks and
/// `-` (not a name this can vouch for), or a port that is not a number.
fn ascii_host(host: &str) -> Option<String> {
    use unicode_normalization::UnicodeNormalization;
    let (name, port) = match host.rsplit_once(':') {
        Some((n, p)) if p.bytes().all(|b| b.is_ascii_digit()) => (n, Some(p)),
        Some(_) => return None,
        None => (host, None),
    };
    let mut labels = Vec::new();
    for label in name.split('.') {
        let label: String = label.to_lowercase().nfc().collect();
        let fit = label.chars().all(|c| {
            c.is_alphanumeric() || c == '-' || unicode_normalization::char::is_combining_mark(c)
        });
        if !fit {
            return None;
        }
        if label.is_ascii() {
            labels.push(label);
        } else {
            labels.push(format!("xn--{}", punycode(&label)?));
        }
    }
    let mut out = labels.join(".");
    if let Some(p) = port {
        out.push(':');
        out.push_str(p);
    }
    Some(out)
}

/// The punycode of `label` (RFC 3492): its ASCII characters, `-`, then the
/// others as variable-length integers. `None` on overflow (no real label).
fn punycode(label: &str) -> Option<String> {
    const BASE: u32 = 36;
    const T_MIN: u32 = 1;
    const T_MAX: u32 = 26;
    fn adapt(delta: u32, points: u32, first: bool) -> u32 {
        let mut delta = if first { delta / 700 } else { delta / 2 };
        delta += delta / points;
        let mut k = 0;
        while delta > ((BASE - T_MIN) * T_MAX) / 2 {
            delta /= BASE - T_MIN;
            k += BASE;
        }
        k + (BASE - T_MIN + 1) * delta / (delta + 38)
    }
    fn digit(d: u32) -> char {
        // 0..=25 are a..z, 26..=35 are 0..9.
        char::from(if d < 26 {
            b'a' + d as u8
        } else {
            b'0' + (d - 26) as u8
        })
    }
    let input: Vec<u32> = label.chars().map(u32::from).collect();
    let mut out: String = label.chars().filter(char::is_ascii).collect();
    let basic = out.chars().count() as u32;
    let mut handled = basic;
    if basic > 0 {
        out.push('-');
    }
    let (mut n, mut delta, mut bias) = (128u32, 0u32, 72u32);
    while (handled as usize) < input.len() {
        let m = input.iter().copied().filter(|&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(handled + 1)?)?;
        n = m;
        for &c in &input {
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        T_MIN
                    } else if k >= bias + T_MAX {
                        T_MAX
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    out.push(digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                out.push(digit(q));
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta = delta.checked_add(1)?;
        n = n.checked_add(1)?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_would_break_links_are_refused() {
        let refused = |url: &str, says: &str| {
            let e = normalise_base_url(url, "base_url").unwrap_err();
            assert!(e.message.contains(says), "{url}: {}", e.message);
        };
        refused("https://u.github.io//", "empty folder name");
        refused("https://u.github.io/repo//", "empty folder name");
        refused("https://u.github.io/a//b/", "empty folder name");
        refused("https://u.github.io/r/./x/", "`.` folder");
        refused("https://u.github.io/r/x/../", "`..` folder");
        refused("https://u.github.io/r/index.html", "file name");
        refused("https://user:pw@u.github.io/r/", "user name or password");
        refused("https://me@u.github.io/r/", "\"me@\"");
        for fine in [
            "https://u.github.io",
            "https://u.github.io/",
            "https://u.github.io/repo",
            "https://u.github.io/v1.2/",
            "https://u.github.io/a.b/c/",
            "https://u.github.io/site.html/",
        ] {
            assert!(normalise_base_url(fine, "base_url").is_ok(), "{fine}");
        }
    }

    #[test]
    fn punycode_as_rfc_3492_writes_it() {
        assert_eq!(punycode("bücher").as_deref(), Some("bcher-kva"));
        assert_eq!(punycode("münchen").as_deref(), Some("mnchen-3ya"));
        // RFC 3492, 7.1 (B) and (A).
        assert_eq!(
            punycode("他们为什么不说中文").as_deref(),
            Some("ihqwcrb4cv8a8dqg056pqjye")
        );
        assert_eq!(
            punycode("ليهمابتكلموشعربي؟").as_deref(),
            Some("egbpdaj6bu4bxfgehfvwxn")
        );
        assert_eq!(
            ascii_host("MÜNCHEN.de").as_deref(),
            Some("xn--mnchen-3ya.de")
        );
        // Decomposed input is composed first.
        assert_eq!(
            ascii_host("bu\u{308}cher.example").as_deref(),
            Some("xn--bcher-kva.example")
        );
        assert_eq!(ascii_host("a_b.ü"), None);
    }
}
