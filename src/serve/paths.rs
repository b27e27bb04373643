//! Request paths → files of the built site: [`resolve`] takes a request's
//! path and the base path the site is served under, and gives the path of a
//! file in the in-memory site (or a redirect, or a refusal); [`content_type`]
//! gives a file's `Content-Type`. Pure functions, so that what a request may
//! reach is decided in one place and tested on its own: a path that is not
//! inside the site (`..`, encoded or not, backslashes, NUL, absolute paths in
//! disguise) resolves to nothing, and the server only ever looks the result
//! up in the built site, never on disk.

use crate::escape::url_decode;

/// What a request path asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A file of the site, by its path relative to the output root.
    File(String),
    /// Redirect to this path (the base path, or a folder's slash form).
    Redirect(String),
    /// Outside the site, or malformed.
    Refused,
    /// Inside the site but not under the base path: 404.
    NotFound,
}

/// Resolves the path of a request URL (query and fragment ignored) against
/// a site served under `base_path` (`/` or `/repo/`).
pub fn resolve(url: &str, base_path: &str) -> Target {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let Some(decoded) = url_decode(path) else {
        return Target::Refused;
    };
    if !decoded.starts_with('/') || decoded.contains(['\\', '\0']) {
        return Target::Refused;
    }
    // Every segment must be an ordinary name; "." and ".." are refused, so
    // no path can climb out of the site whatever the server joins it to.
    if decoded.split('/').any(|s| s == ".." || s == ".") || decoded.contains("//") {
        return Target::Refused;
    }
    // The base path as written in URLs is percent-encoded (`/archivo-a%C3%B1o/`);
    // requests are compared decoded.
    let base = url_decode(base_path).unwrap_or_else(|| base_path.to_string());
    if decoded == "/" && base != "/" {
        return Target::Redirect(base_path.to_string());
    }
    if decoded.len() + 1 == base.len() && base.starts_with(&decoded) {
        return Target::Redirect(base_path.to_string());
    }
    let Some(rel) = decoded.strip_prefix(base.as_str()) else {
        return Target::NotFound;
    };
    if rel.is_empty() || rel.ends_with('/') {
        Target::File(format!("{rel}index.html"))
    } else {
        Target::File(rel.to_string())
    }
}

/// The Content-Type for a file name.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "txt" | "md" => "text/plain; charset=utf-8",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_and_the_base_path() {
        assert_eq!(
            resolve("/repo/", "/repo/"),
            Target::File("index.html".into())
        );
        assert_eq!(
            resolve("/repo/articles/a/?x=1", "/repo/"),
            Target::File("articles/a/index.html".into())
        );
        assert_eq!(
            resolve("/repo/style.css", "/repo/"),
            Target::File("style.css".into())
        );
        assert_eq!(resolve("/", "/repo/"), Target::Redirect("/repo/".into()));
        assert_eq!(
            resolve("/repo", "/repo/"),
            Target::Redirect("/repo/".into())
        );
        assert_eq!(resolve("/other/", "/repo/"), Target::NotFound);
        assert_eq!(
            resolve("/articles/m%C3%A9xico/", "/"),
            Target::File("articles/méxico/index.html".into())
        );
    }

    #[test]
    fn nothing_outside_the_site() {
        for url in [
            "/../secret.txt",
            "/repo/../secret.txt",
            "/repo/%2e%2e/secret.txt",
            "/repo/%2E%2E/%2e%2e/etc/passwd",
            "/repo/..%2fsecret.txt",
            "/repo/..%5csecret.txt",
            "/repo/\\..\\secret.txt",
            "//etc/passwd",
            "/repo//etc/passwd",
            "/repo/a%00b",
            "/repo/./x",
            "/repo/%zz",
            "repo/x",
        ] {
            assert_eq!(resolve(url, "/repo/"), Target::Refused, "{url}");
        }
        for url in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2e/secret.txt",
            "/..%2fsecret.txt",
            "/..%2Fsecret.txt",
            "\\..\\secret.txt",
            "/%5c..%5csecret.txt",
            "//etc/passwd",
            "/%2fetc/passwd",
            "/a/%00",
            "",
        ] {
            assert_eq!(resolve(url, "/"), Target::Refused, "{url}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("atom.xml"), "application/xml");
        assert_eq!(content_type("x.SVG"), "image/svg+xml");
        assert_eq!(content_type("f.woff2"), "font/woff2");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }
}
