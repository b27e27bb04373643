//! Live reload, the page side: [`inject`] takes an HTML page as built, the
//! name of the build it belongs to and the errors of the last build (if it
//! failed), and gives the page as `serve` sends it — with a small script
//! (`livereload.js`) before `</body>` that listens to the event stream, and,
//! while the build is broken, the errors over the page, HTML-escaped.
//! [`frame`] gives the Server-Sent Events frames of that stream.

use super::state::Event;

/// The event stream open pages listen to.
pub const EVENTS: &str = "/__dossier/events";
/// `{"ok", "errors", "version"}` as JSON, for tests and tools.
pub const STATUS: &str = "/__dossier/status";

const SCRIPT: &str = include_str!("livereload.js");

/// The overlay's look; its markup is written here for a page served while
/// broken, and by the script for a page that breaks while open.
const STYLE: &str = "<style>\
.dossier-overlay{position:fixed;inset:0;z-index:2147483647;background:rgba(10,10,14,.6);overflow:auto;padding:2rem 1rem}\
.dossier-panel{position:relative;max-width:60rem;margin:0 auto;background:#1d1d22;color:#f3f3f5;border-top:4px solid #e5484d;border-radius:6px;box-shadow:0 10px 40px rgba(0,0,0,.5);padding:1.25rem 1.5rem}\
.dossier-head{margin:0 2rem .75rem 0;font:600 15px/1.4 system-ui,sans-serif;color:#ffb4b4}\
.dossier-panel pre{margin:0;font:13px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre-wrap;overflow-wrap:anywhere;color:#f3f3f5;background:none;border:0;padding:0}\
.dossier-close{position:absolute;top:.6rem;right:.8rem;font:22px/1 system-ui,sans-serif;color:#f3f3f5;background:none;border:0;cursor:pointer}\
</style>";

/// The overlay's heading while a site is served (`livereload.js` has the
/// same two).
pub const HEAD_LAST_GOOD: &str =
    "dossier: the last edit does not build. The page below is the last good build.";
/// The overlay's heading before any build succeeded: there is no site yet.
pub const HEAD_NO_SITE: &str =
    "dossier: the site does not build, and no build has succeeded yet: there is no site to show until these errors are fixed.";

/// The page with the script (and, when `errors` is given, the overlay)
/// before its last `</body>`, or at its end. `built`: whether a build has
/// succeeded yet, i.e. whether the page is part of a last good site.
pub fn inject(html: &[u8], version: &str, errors: Option<&str>, built: bool) -> Vec<u8> {
    let mut add = String::with_capacity(STYLE.len() + SCRIPT.len() + 256);
    add.push_str(STYLE);
    if let Some(errors) = errors {
        add.push_str(&overlay(errors, built));
    }
    add.push_str("<script data-version=\"");
    add.push_str(&crate::escape::html(version));
    add.push('"');
    if !built {
        add.push_str(" data-site=\"none\"");
    }
    add.push_str(">\n");
    add.push_str(SCRIPT);
    add.push_str("</script>\n");

    let needle = b"</body>";
    let at = html
        .windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + add.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(add.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The overlay that shows the build's errors, as `livereload.js` makes it.
fn overlay(errors: &str, built: bool) -> String {
    format!(
        "<div id=\"dossier-errors\" class=\"dossier-overlay\" role=\"alert\"><div class=\"dossier-panel\">\
<button type=\"button\" class=\"dossier-close\" aria-label=\"Hide\">\u{d7}</button>\
<p class=\"dossier-head\">{}</p>\
<pre>{}</pre></div></div>",
        if built { HEAD_LAST_GOOD } else { HEAD_NO_SITE },
        crate::escape::html(errors)
    )
}

/// An event as a Server-Sent Events frame (`data` is one line of JSON).
pub fn frame(e: &Event) -> String {
    match e {
        Event::Reload => "event: reload\ndata: {}\n\n".to_string(),
        Event::Broken(text) => {
            let data = serde_json::json!({ "ok": false, "errors": text });
            format!("event: broken\ndata: {data}\n\n")
        }
    }
}

/// The first frame of a stream: the status (see [`STATUS`]).
pub fn hello(status_json: &str) -> String {
    format!("event: hello\ndata: {status_json}\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_body_ends() {
        let out = String::from_utf8(inject(
            b"<html><body><p>x</p></body></html>",
            "v1",
            None,
            true,
        ))
        .unwrap();
        assert!(out.starts_with("<html><body><p>x</p><style>"));
        assert!(out.contains("<script data-version=\"v1\">"));
        assert!(out.ends_with("</script>\n</body></html>"));
        assert!(!out.contains("id=\"dossier-errors\""));
    }

    #[test]
    fn errors_are_shown_escaped() {
        let out = String::from_utf8(inject(
            b"<body></body>",
            "v",
            Some("a.md:1:1: error: <b>&</b>"),
            true,
        ))
        .unwrap();
        assert!(out.contains("<pre>a.md:1:1: error: &lt;b&gt;&amp;&lt;/b&gt;</pre>"));
        assert!(!out.contains("<b>&"));
    }

    #[test]
    fn with_no_site_yet_the_overlay_does_not_speak_of_a_last_good_build() {
        let out = String::from_utf8(inject(b"<body></body>", "v", Some("e"), false)).unwrap();
        let overlay = &out[..out.find("<script").unwrap()];
        assert!(
            overlay.contains(HEAD_NO_SITE) && !overlay.contains("last good"),
            "{overlay}"
        );
        assert!(out.contains("<script data-version=\"v\" data-site=\"none\">"));
        let out = String::from_utf8(inject(b"<body></body>", "v", Some("e"), true)).unwrap();
        assert!(out.contains(HEAD_LAST_GOOD) && !out.contains("data-site"));
        // The script shows the same two headings.
        for head in [HEAD_LAST_GOOD, HEAD_NO_SITE] {
            assert!(SCRIPT.contains(&format!("\"{head}\"")), "{head}");
        }
    }

    #[test]
    fn frames_are_one_event_each() {
        let f = frame(&Event::Broken("line 1\nline 2 \"q\"".into()));
        assert!(f.starts_with("event: broken\ndata: {"));
        // A newline inside the data would end the event early.
        assert_eq!(f.matches('\n').count(), 3, "{f}");
        assert!(f.contains("line 1\\nline 2"));
    }
}
