//! The HTTP side of `serve`, on tiny_http: pages of the in-memory site under
//! the base path, the site's 404 page, an event stream that tells open pages
//! to reload (Server-Sent Events, the one response written by hand so that
//! each event is flushed at once), a status endpoint, and a small script,
//! added to HTML responses only here, that reloads the page or shows the
//! build's errors over it.

use super::paths::{content_type, resolve, Target};
use super::state::State;
use std::io::{Read, Write};
use std::sync::mpsc::RecvTimeoutError;
use std::sync::Arc;
use std::time::Duration;
use tiny_http::{Header, Request, Response, Server};

pub const EVENTS: &str = "/__dossier/events";
pub const STATUS: &str = "/__dossier/status";

/// Added before `</body>` of every HTML page served.
const CLIENT: &str = r#"<script>
(() => {
  const show = (text) => {
    let o = document.getElementById("dossier-errors");
    if (!o) {
      o = document.createElement("div");
      o.id = "dossier-errors";
      o.setAttribute("role", "alert");
      o.style.cssText = "position:fixed;inset:0;z-index:99999;overflow:auto;background:rgba(20,20,24,.94);color:#fff;padding:2rem;font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap";
      document.body.appendChild(o);
    }
    o.textContent = "dossier: the last edit does not build; the site shown is the last good one.\n\n" + text;
  };
  const hide = () => { const o = document.getElementById("dossier-errors"); if (o) o.remove(); };
  fetch("/__dossier/status").then((r) => r.json()).then((s) => { if (!s.ok) show(s.errors); }).catch(() => {});
  const es = new EventSource("/__dossier/events");
  es.addEventListener("reload", () => { hide(); location.reload(); });
  es.addEventListener("broken", (e) => show(JSON.parse(e.data).errors));
})();
</script>
"#;

/// `r` with a header, unless the value cannot be one (then without it).
fn with<R: Read>(r: Response<R>, name: &str, value: &str) -> Response<R> {
    match Header::from_bytes(name.as_bytes(), value.as_bytes()) {
        Ok(h) => r.with_header(h),
        Err(()) => r,
    }
}

/// Serves requests until the server is unblocked.
pub fn serve(server: Arc<Server>, state: Arc<State>, base_path: String) {
    for request in server.incoming_requests() {
        let state = state.clone();
        let base = base_path.clone();
        // One thread a request: event streams stay open for as long as a
        // page does, and a preview server has few clients.
        std::thread::spawn(move || handle(request, &state, &base));
    }
}

fn handle(request: Request, state: &State, base_path: &str) {
    let url = request.url().to_string();
    let path = url.split('?').next().unwrap_or("");
    if path == EVENTS {
        events(request, state);
        return;
    }
    if path == STATUS {
        let r = Response::from_string(state.status_json());
        let r = with(
            with(r, "Content-Type", "application/json"),
            "Cache-Control",
            "no-store",
        );
        let _ = request.respond(r);
        return;
    }
    let response = match resolve(&url, base_path) {
        Target::Refused => Response::from_string("bad request\n").with_status_code(400),
        Target::Redirect(to) => with(
            Response::from_string("").with_status_code(302),
            "Location",
            &to,
        ),
        Target::NotFound => not_found(state),
        Target::File(rel) => {
            let site = match state.site.read() {
                Ok(s) => s,
                Err(_) => return,
            };
            if let Some(bytes) = site.files.get(&rel) {
                page(&rel, bytes, 200)
            } else if site.files.contains_key(&format!("{rel}/index.html")) {
                // A folder asked for without its slash.
                let to = format!("{}/", url.split('?').next().unwrap_or(""));
                with(
                    Response::from_string("").with_status_code(302),
                    "Location",
                    &to,
                )
            } else {
                drop(site);
                not_found(state)
            }
        }
    };
    let _ = request.respond(response);
}

fn not_found(state: &State) -> Response<std::io::Cursor<Vec<u8>>> {
    match state.site.read().ok().and_then(|s| s.files.get("404.html").cloned()) {
        Some(bytes) => page("404.html", &bytes, 404),
        // No site yet (the first build failed): a bare page that shows why.
        None => page("404.html", b"<!DOCTYPE html><html><head><title>dossier</title></head><body><p>No site yet.</p></body></html>", 404),
    }
}

/// A file's response; HTML pages get the reload script.
fn page(rel: &str, bytes: &[u8], status: u16) -> Response<std::io::Cursor<Vec<u8>>> {
    let ct = content_type(rel);
    let body = if ct.starts_with("text/html") {
        inject(bytes)
    } else {
        bytes.to_vec()
    };
    let r = Response::from_data(body).with_status_code(status);
    with(with(r, "Content-Type", ct), "Cache-Control", "no-store")
}

/// The page with the client script before `</body>` (or at the end).
pub fn inject(html: &[u8]) -> Vec<u8> {
    let needle = b"</body>";
    let at = html
        .windows(needle.len())
        .rposition(|w| w == needle)
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + CLIENT.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(CLIENT.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// An event stream (Server-Sent Events) for one open page: every event is
/// written and flushed at once, which a buffered response body would not
/// do; a comment every 15 s notices a page that has gone.
fn events(request: Request, state: &State) {
    let rx = state.subscribe();
    let mut w = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
    if w.write_all(head.as_bytes())
        .and_then(|_| w.flush())
        .is_err()
    {
        return;
    }
    loop {
        let frame = match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(e) => e.frame(),
            Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if w.write_all(frame.as_bytes())
            .and_then(|_| w.flush())
            .is_err()
        {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_body_ends() {
        let out = String::from_utf8(inject(b"<html><body><p>x</p></body></html>")).unwrap();
        assert!(out.starts_with("<html><body><p>x</p><script>"));
        assert!(out.ends_with("</script>\n</body></html>"));
    }
}
