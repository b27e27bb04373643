//! `dossier serve` over real HTTP: pages under the base path, redirects,
//! 404, content types, traversal refused, a reload event after an edit, the
//! errors of a broken edit, and recovery. Every wait is bounded.

mod harness;
use harness::*;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start(site: &Site) -> Server {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(site.root())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let s = Server { child, port };
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "serve did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    s
}

/// (status, headers, body) of a GET, sent as written (no normalisation).
fn get(port: u16, path: &str) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let split = buf.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&buf[..split]).into_owned();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let mut body = buf[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    (status, head, body)
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(nl) = b.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let n = usize::from_str_radix(String::from_utf8_lossy(&b[..nl]).trim(), 16).unwrap_or(0);
        if n == 0 {
            return out;
        }
        out.extend_from_slice(&b[nl + 2..nl + 2 + n]);
        b = &b[nl + 2 + n + 2..];
    }
}

fn site() -> Site {
    Site::new()
        .file(
            "config.toml",
            "title = \"T\"\nbase_url = \"https://u.github.io/repo/\"\n",
        )
        .file(
            "content/entities/people/ana.md",
            &entity("Ana Pérez", &[], "Someone"),
        )
        .file(
            "content/articles/a.md",
            &article("A", "2025-01-01", "Ana Pérez spoke."),
        )
        .file(
            "static/logo.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        )
}

#[test]
fn serves_the_site_under_its_base_path() {
    let site = site();
    let s = start(&site);
    let (code, head, _) = get(s.port, "/");
    assert_eq!(code, 302);
    assert!(head.contains("Location: /repo/"), "{head}");
    let (code, head, body) = get(s.port, "/repo/articles/a/");
    assert_eq!(code, 200);
    assert!(head.contains("text/html"), "{head}");
    let body = String::from_utf8(body).unwrap();
    assert!(
        body.contains("Ana Pérez") && body.contains("/__dossier/events"),
        "{body}"
    );
    // Links use the local origin's path, which is the Pages sub-path.
    assert!(body.contains("href=\"/repo/entities/ana/\""));
    for (path, ct) in [
        ("/repo/style.css", "text/css"),
        ("/repo/logo.svg", "image/svg+xml"),
        ("/repo/atom.xml", "application/xml"),
        ("/repo/entities.json", "application/json"),
    ] {
        let (code, head, _) = get(s.port, path);
        assert_eq!(code, 200, "{path}");
        assert!(head.contains(ct), "{path}: {head}");
    }
    let (code, head, _) = get(s.port, "/repo/articles/a");
    assert_eq!(code, 302);
    assert!(head.contains("Location: /repo/articles/a/"), "{head}");
    let (code, _, body) = get(s.port, "/repo/nothing/here/");
    assert_eq!(code, 404);
    assert!(
        String::from_utf8_lossy(&body).contains("<html"),
        "the site's 404 page"
    );
    // Never writes the user's output folder.
    assert!(!site.root().join("public").exists());
}

#[test]
fn nothing_outside_the_site_is_served() {
    let site = site();
    site.write("secret.txt", b"TOP SECRET");
    let s = start(&site);
    for path in [
        "/../secret.txt",
        "/repo/../secret.txt",
        "/repo/%2e%2e/secret.txt",
        "/repo/..%2fsecret.txt",
        "/repo/..%5csecret.txt",
        "/repo/\\..\\secret.txt",
        "//etc/passwd",
        "/repo/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/repo/config.toml",
        "/secret.txt",
    ] {
        let (code, _, body) = get(s.port, path);
        assert!(code == 400 || code == 404, "{path}: {code}");
        let body = String::from_utf8_lossy(&body);
        assert!(
            !body.contains("TOP SECRET") && !body.contains("root:"),
            "{path} leaked"
        );
    }
}

/// Reads an event stream until `want` appears or time runs out.
fn events_until(port: u16, edit: impl FnOnce(), want: &str) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    write!(
        s,
        "GET /__dossier/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    edit();
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while Instant::now() < deadline {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(_) => {}
        }
        if String::from_utf8_lossy(&got).contains(want) {
            break;
        }
    }
    String::from_utf8_lossy(&got).into_owned()
}

#[test]
fn edits_reload_broken_edits_report_and_fixes_recover() {
    let site = site();
    let s = start(&site);
    let a = "content/articles/a.md";
    // An edit: a reload event, and the new text served.
    let got = events_until(
        s.port,
        || {
            site.write(
                a,
                article("A", "2025-01-01", "Ana Pérez spoke again.").as_bytes(),
            )
        },
        "event: reload",
    );
    assert!(got.contains("event: reload"), "{got}");
    let (_, _, body) = get(s.port, "/repo/articles/a/");
    assert!(String::from_utf8_lossy(&body).contains("spoke again"));
    // A broken edit: the errors as an event and in the status; the last good
    // site is still served.
    let got = events_until(
        s.port,
        || site.write(a, article("A", "2025-01-01", "See [[nobody]].").as_bytes()),
        "event: broken",
    );
    assert!(
        got.contains("event: broken") && got.contains("unknown entity"),
        "{got}"
    );
    let (_, _, status) = get(s.port, "/__dossier/status");
    let status: serde_json::Value = serde_json::from_slice(&status).unwrap();
    assert_eq!(status["ok"], false);
    assert!(
        status["errors"]
            .as_str()
            .unwrap()
            .contains("content/articles/a.md:5:5: error: unknown entity"),
        "{status}"
    );
    let (code, _, body) = get(s.port, "/repo/articles/a/");
    assert_eq!(code, 200);
    assert!(String::from_utf8_lossy(&body).contains("spoke again"));
    // Fixed: reload, status ok.
    let got = events_until(
        s.port,
        || {
            site.write(
                a,
                article("A", "2025-01-01", "Fixed, Ana Pérez.").as_bytes(),
            )
        },
        "event: reload",
    );
    assert!(got.contains("event: reload"), "{got}");
    let (_, _, status) = get(s.port, "/__dossier/status");
    let status: serde_json::Value = serde_json::from_slice(&status).unwrap();
    assert_eq!(status["ok"], true, "{status}");
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let site = site();
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--port"), "{err}");
}
