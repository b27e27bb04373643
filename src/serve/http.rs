//! The HTTP side of `serve`, on tiny_http: takes requests and the shared
//! [`State`], gives the files of the in-memory site under its base path
//! (HTML with the live-reload script), redirects (`/` to the base path, a
//! folder to its slash form), the site's `404.html` with status 404, the
//! status endpoint and the event stream open pages listen to.

use super::livereload::{self, EVENTS, STATUS};
use super::paths::{content_type, resolve, Target};
use super::state::State;
use std::io::{Cursor, Write};
use std::sync::mpsc::RecvTimeoutError;
use std::sync::Arc;
use std::time::Duration;
use tiny_http::{Header, Method, Request, Response, Server};

type Body = Response<Cursor<Vec<u8>>>;

/// Serves requests until the server is unblocked.
pub fn serve(server: Arc<Server>, state: Arc<State>) {
    for request in server.incoming_requests() {
        let state = state.clone();
        // One thread a request: event streams stay open for as long as a
        // page does, and a preview server has few clients.
        std::thread::spawn(move || handle(request, &state));
    }
}

fn handle(request: Request, state: &State) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let r = with(text("only GET and HEAD\n", 405), "Allow", "GET, HEAD");
        let _ = request.respond(r);
        return;
    }
    let url = request.url().to_string();
    let path = url.split(['?', '#']).next().unwrap_or("");
    if path == EVENTS {
        if *request.method() == Method::Head {
            // The stream's head alone (as `events` writes it): no events,
            // and the response ends.
            let r = with(text("", 200), "Content-Type", "text/event-stream");
            let _ = request.respond(with(r, "Cache-Control", "no-store"));
        } else {
            events(request, state);
        }
        return;
    }
    let response = if path == STATUS {
        let r = Response::from_string(state.status_json());
        with(r, "Content-Type", "application/json")
    } else {
        respond(path, query(&url), state)
    };
    let _ = request.respond(with(
        with(response, "Cache-Control", "no-store"),
        "X-Content-Type-Options",
        "nosniff",
    ));
}

/// The query of a request URL, `?` included (`""` when there is none); a
/// fragment (which browsers never send) is not part of it.
fn query(url: &str) -> &str {
    let url = url.split('#').next().unwrap_or("");
    url.find('?').map_or("", |at| &url[at..])
}

/// The response for a request path (query removed: `query` is kept by a
/// redirect, as the page redirected to may read it).
fn respond(path: &str, query: &str, state: &State) -> Body {
    let Ok(site) = state.site.read() else {
        return text("internal error\n", 500);
    };
    match resolve(path, &site.base_path) {
        Target::Refused => text("bad request\n", 400),
        Target::Redirect(to) => redirect(&location(&to, query)),
        Target::NotFound => not_found(state, &site),
        Target::File(rel) => {
            if let Some(bytes) = site.files.get(&rel) {
                page(&rel, bytes, 200, state, &site)
            } else if site.files.contains_key(&format!("{rel}/index.html")) {
                // A folder asked for without its slash.
                redirect(&location(&format!("{path}/"), query))
            } else {
                not_found(state, &site)
            }
        }
    }
}

fn not_found(state: &State, site: &super::state::Site) -> Body {
    match site.files.get("404.html") {
        Some(bytes) => page("404.html", bytes, 404, state, site),
        // No site yet (the first build failed): a bare page that shows why.
        None => page(
            "404.html",
            b"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>dossier</title></head><body><p>No site yet: the first build failed.</p></body></html>",
            404,
            state,
            site,
        ),
    }
}

/// A file's response; HTML pages get the live-reload script.
fn page(rel: &str, bytes: &[u8], status: u16, state: &State, site: &super::state::Site) -> Body {
    let ct = content_type(rel);
    let body = if ct.starts_with("text/html") {
        livereload::inject(
            bytes,
            &state.version_of(site),
            site.errors.as_deref(),
            site.built(),
        )
    } else {
        bytes.to_vec()
    };
    with(
        Response::from_data(body).with_status_code(status),
        "Content-Type",
        ct,
    )
}

fn text(body: &str, status: u16) -> Body {
    with(
        Response::from_string(body).with_status_code(status),
        "Content-Type",
        "text/plain; charset=utf-8",
    )
}

fn redirect(to: &str) -> Body {
    with(text("", 302), "Location", to)
}

/// A redirect's `Location`: `path` and the request's `query`, with any byte
/// a header cannot hold (a header value is visible ASCII; a request line
/// may carry more) percent-encoded, so that the header is never dropped.
fn location(path: &str, query: &str) -> String {
    crate::escape::percent_encode(&format!("{path}{query}"), |b, i| b[i].is_ascii_graphic())
        .into_owned()
}

/// `r` with a header, unless the value cannot be one (then without it).
fn with(r: Body, name: &str, value: &str) -> Body {
    match Header::from_bytes(name.as_bytes(), value.as_bytes()) {
        Ok(h) => r.with_header(h),
        Err(()) => r,
    }
}

/// An event stream (Server-Sent Events) for one open page. tiny_http would
/// buffer a streamed body, so the head is written here and every event is
/// flushed as it comes; a comment every 15 s notices a page that has gone.
fn events(request: Request, state: &State) {
    let rx = state.subscribe();
    let mut w = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
    let mut out = format!("{head}{}", livereload::hello(&state.status_json()));
    loop {
        if w.write_all(out.as_bytes()).and_then(|_| w.flush()).is_err() {
            return;
        }
        out = match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(e) => livereload::frame(&e),
            Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_redirect_keeps_the_query() {
        assert_eq!(query("/repo/articles/x?y=1"), "?y=1");
        assert_eq!(query("/repo?x=1&z=%20#top"), "?x=1&z=%20");
        assert_eq!(query("/repo/articles/x#a?b"), "");
        assert_eq!(query("/repo/articles/x"), "");
        assert_eq!(
            location("/repo/articles/x/", "?y=1"),
            "/repo/articles/x/?y=1"
        );
        assert_eq!(location("/repo/", ""), "/repo/");
        // What a header cannot hold is encoded, not dropped.
        assert_eq!(location("/repo/é/", "?q=a b"), "/repo/%C3%A9/?q=a%20b");
    }
}
