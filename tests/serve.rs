//! `dossier serve`, the real binary over real HTTP: pages under the base
//! path, redirects, the 404 page, content types, traversal refused (a secret
//! beside the site is never returned), a reload event after an edit (in
//! place or by rename), the errors of a broken edit in the event, the status
//! and the page, recovery, Ctrl-C. Every wait is bounded; every server is
//! killed when its test ends, passed or failed.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(20);

/// A small site in `TMP/site`, with a secret in `TMP/secret.txt` beside it.
struct Fixture {
    dir: tempfile::TempDir,
}

fn article(body: &str) -> String {
    format!("+++\ntitle = \"A\"\ndate = 2025-01-01\n+++\n{body}\n")
}

impl Fixture {
    fn new() -> Fixture {
        let f = Fixture {
            dir: tempfile::tempdir().unwrap(),
        };
        f.write(
            "config.toml",
            "title = \"T\"\nbase_url = \"https://u.github.io/repo/\"\n",
        );
        f.write(
            "content/entities/people/ana.md",
            "+++\nname = \"Ana Pérez\"\nsummary = \"Someone\"\n+++\n",
        );
        f.write("content/articles/a.md", &article("Ana Pérez spoke."));
        f.write(
            "static/logo.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        );
        for name in [
            "img/p.png",
            "img/p.jpg",
            "img/p.gif",
            "img/p.webp",
            "favicon.ico",
            "f/a.woff",
            "f/a.woff2",
            "robots.txt",
            "doc.pdf",
            "app.js",
        ] {
            f.write(&format!("static/{name}"), "x");
        }
        std::fs::write(f.dir.path().join("secret.txt"), "TOP SECRET beside").unwrap();
        f.write("secret.txt", "TOP SECRET inside");
        f
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

/// A running `dossier serve`, killed on drop.
struct Server {
    child: Child,
    port: u16,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
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

/// Keeps reading `out` into `all`; each line also goes to the channel.
fn drain(out: impl Read + Send + 'static, all: Arc<Mutex<String>>) -> Receiver<String> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines() {
            let Ok(line) = line else { return };
            all.lock().unwrap().push_str(&format!("{line}\n"));
            let _ = tx.send(line);
        }
    });
    rx
}

impl Server {
    fn start(root: &Path) -> Server {
        let port = free_port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
            .args(["serve", "--port", &port.to_string(), "--root"])
            .arg(root)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = Arc::new(Mutex::new(String::new()));
        let lines = drain(child.stdout.take().unwrap(), stdout.clone());
        let stderr = Arc::new(Mutex::new(String::new()));
        let _ = drain(child.stderr.take().unwrap(), stderr.clone());
        let s = Server {
            child,
            port,
            stdout,
            stderr: stderr.clone(),
        };
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match lines.recv_timeout(left) {
                Ok(l) if l.starts_with("Serving ") => {
                    assert!(l.contains(&format!("http://127.0.0.1:{port}/repo/")), "{l}");
                    return s;
                }
                Ok(_) => {}
                Err(_) => panic!(
                    "serve did not start\nstdout:\n{}\nstderr:\n{}",
                    s.stdout.lock().unwrap(),
                    stderr.lock().unwrap()
                ),
            }
        }
    }

    fn get(&self, path: &str) -> Reply {
        request(self.port, "GET", path)
    }

    fn status(&self) -> serde_json::Value {
        serde_json::from_slice(&self.get("/__dossier/status").body).unwrap()
    }
}

struct Reply {
    code: u16,
    head: String,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One request, its path sent exactly as written (no normalisation).
fn request(port: u16, method: &str, path: &str) -> Reply {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let split = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(buf.len());
    let head = String::from_utf8_lossy(&buf[..split]).into_owned();
    let code = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = buf.get(split + 4..).unwrap_or_default().to_vec();
    Reply { code, head, body }
}

/// An open event stream, as a page holds it.
struct Events {
    stream: TcpStream,
    got: String,
    /// Where the next search starts: events already waited for are spent.
    seen: usize,
}

impl Events {
    /// Connects and waits for the first event (the page is then listening).
    fn open(port: u16) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_millis(100)))
            .unwrap();
        write!(
            stream,
            "GET /__dossier/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
        )
        .unwrap();
        let mut e = Events {
            stream,
            got: String::new(),
            seen: 0,
        };
        e.wait_for("event: hello");
        assert!(e.got.contains("text/event-stream"), "{}", e.got);
        e
    }

    /// Reads until `want` appears after what was already waited for; gives
    /// the event it is in (up to the blank line that ends it).
    fn wait_for(&mut self, want: &str) -> String {
        let deadline = Instant::now() + WAIT;
        let mut buf = [0u8; 4096];
        loop {
            if let Some(i) = self.got[self.seen..].find(want) {
                let start = self.seen + i;
                if let Some(end) = self.got[start..].find("\n\n") {
                    self.seen = start + end + 2;
                    return self.got[start..start + end].to_string();
                }
            }
            assert!(
                Instant::now() < deadline,
                "no {want:?} in the event stream:\n{}",
                self.got
            );
            match self.stream.read(&mut buf) {
                Ok(0) => panic!("the event stream ended:\n{}", self.got),
                Ok(n) => self.got.push_str(&String::from_utf8_lossy(&buf[..n])),
                Err(_) => {} // timed out: look again
            }
        }
    }
}

#[test]
fn serves_the_site_under_its_base_path() {
    let f = Fixture::new();
    let s = Server::start(&f.root());

    let r = s.get("/");
    assert_eq!(r.code, 302);
    assert_eq!(r.header("Location").as_deref(), Some("/repo/"));
    let r = s.get("/repo");
    assert_eq!(
        (r.code, r.header("Location").as_deref()),
        (302, Some("/repo/"))
    );
    let home = s.get("/repo/");
    assert_eq!(home.code, 200);
    assert!(home.text().contains("href=\"/repo/articles/a/\""));

    let r = s.get("/repo/articles/a/?utm=x");
    assert_eq!(r.code, 200);
    let page = r.text();
    assert!(page.contains("Ana Pérez spoke."), "{page}");
    // Links are the local origin's, under the Pages sub-path.
    assert!(page.contains("href=\"/repo/entities/ana/\""));
    // The reload script, added by serve, before </body>.
    assert!(page.contains("/__dossier/events") && page.contains("</script>\n</body>"));
    assert!(!page.contains("id=\"dossier-errors\""));
    let r = s.get("/repo/articles/a");
    assert_eq!(
        (r.code, r.header("Location").as_deref()),
        (302, Some("/repo/articles/a/"))
    );

    for (path, ct) in [
        ("/repo/articles/a/", "text/html; charset=utf-8"),
        ("/repo/style.css", "text/css; charset=utf-8"),
        ("/repo/app.js", "text/javascript; charset=utf-8"),
        ("/repo/logo.svg", "image/svg+xml"),
        ("/repo/atom.xml", "application/xml"),
        ("/repo/sitemap.xml", "application/xml"),
        ("/repo/entities.json", "application/json"),
        ("/repo/img/p.png", "image/png"),
        ("/repo/img/p.jpg", "image/jpeg"),
        ("/repo/img/p.gif", "image/gif"),
        ("/repo/img/p.webp", "image/webp"),
        ("/repo/favicon.ico", "image/x-icon"),
        ("/repo/f/a.woff", "font/woff"),
        ("/repo/f/a.woff2", "font/woff2"),
        ("/repo/robots.txt", "text/plain; charset=utf-8"),
        ("/repo/doc.pdf", "application/pdf"),
    ] {
        let r = s.get(path);
        assert_eq!(r.code, 200, "{path}");
        assert_eq!(r.header("Content-Type").as_deref(), Some(ct), "{path}");
    }
    // Only HTML gets the script.
    assert!(!s.get("/repo/style.css").text().contains("__dossier"));

    // Missing: the site's own 404 page, status 404.
    for path in ["/repo/nothing/here/", "/repo/nothing.png", "/elsewhere/"] {
        let r = s.get(path);
        assert_eq!(r.code, 404, "{path}");
        assert!(r.header("Content-Type").unwrap().starts_with("text/html"));
        let text = r.text();
        assert!(text.contains("<title>") && text.contains("/__dossier/events"));
    }
    let head = request(s.port, "HEAD", "/repo/articles/a/");
    assert_eq!(head.code, 200);
    assert!(head.body.is_empty());
    assert_eq!(request(s.port, "POST", "/repo/").code, 405);

    // Never writes the user's output folder.
    assert!(!f.root().join("public").exists());
}

#[test]
fn a_redirect_keeps_the_query() {
    let f = Fixture::new();
    let s = Server::start(&f.root());
    for (path, to) in [
        ("/repo/articles/a?y=1", "/repo/articles/a/?y=1"),
        (
            "/repo/articles/a?y=1&z=%C3%A9",
            "/repo/articles/a/?y=1&z=%C3%A9",
        ),
        ("/repo?x=1", "/repo/?x=1"),
        ("/?x=1", "/repo/?x=1"),
        ("/repo/articles/a", "/repo/articles/a/"),
    ] {
        let r = s.get(path);
        assert_eq!(
            (r.code, r.header("Location").as_deref()),
            (302, Some(to)),
            "{path}"
        );
    }
}

#[test]
fn head_of_the_event_stream_is_its_head_alone() {
    let f = Fixture::new();
    let s = Server::start(&f.root());
    // `request` reads to the end: a HEAD that streamed events would time
    // out (or bring a body) here.
    let t = Instant::now();
    let r = request(s.port, "HEAD", "/__dossier/events");
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    assert_eq!(r.code, 200);
    assert_eq!(
        r.header("Content-Type").as_deref(),
        Some("text/event-stream")
    );
    assert!(r.body.is_empty(), "{}", r.text());
    // A GET still streams.
    let mut events = Events::open(s.port);
    f.write("content/articles/a.md", &article("Ana Pérez spoke again."));
    events.wait_for("event: reload");
}

#[test]
fn the_404_page_is_the_one_the_site_builds() {
    let f = Fixture::new();
    let out = f.dir.path().join("out");
    let b = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["build", "--base-url", "http://127.0.0.1:1/repo/", "--root"])
        .arg(f.root())
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    assert!(b.status.success());
    let built = std::fs::read_to_string(out.join("404.html")).unwrap();
    let s = Server::start(&f.root());
    let served = s.get("/repo/no/such/page/").text();
    let title = |h: &str| {
        h.split("<title>")
            .nth(1)
            .map(|t| t.split('<').next().unwrap_or("").to_string())
    };
    assert_eq!(title(&served), title(&built));
    assert!(title(&built).is_some());
}

#[test]
fn built_files_never_carry_the_reload_script() {
    let f = Fixture::new();
    let out = f.dir.path().join("out");
    let b = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["build", "--root"])
        .arg(f.root())
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    assert!(b.status.success(), "{}", String::from_utf8_lossy(&b.stderr));
    for e in walkdir::WalkDir::new(&out).into_iter().flatten() {
        if e.file_type().is_file() {
            let bytes = std::fs::read(e.path()).unwrap();
            assert!(
                !String::from_utf8_lossy(&bytes).contains("__dossier"),
                "{}",
                e.path().display()
            );
        }
    }
}

#[test]
fn nothing_outside_the_site_is_served() {
    let f = Fixture::new();
    let s = Server::start(&f.root());
    let mut paths = vec![
        "//etc/passwd".to_string(),
        "\\..\\secret.txt".to_string(),
        "/secret.txt".to_string(),
        "/repo/secret.txt".to_string(),
        "/repo/config.toml".to_string(),
        "/repo/content/articles/a.md".to_string(),
        "/repo/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd".to_string(),
        "/repo/%252e%252e/secret.txt".to_string(),
        "/repo/a%00/../secret.txt".to_string(),
        "/repo/./../secret.txt".to_string(),
        "/repo/..;/secret.txt".to_string(),
        "/repo/%c0%ae%c0%ae/secret.txt".to_string(),
    ];
    for prefix in ["", "/repo", "/repo/articles"] {
        for tail in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E/secret.txt",
            "/..%2fsecret.txt",
            "/..%2Fsecret.txt",
            "/..%5csecret.txt",
            "/\\..\\secret.txt",
            "/../../secret.txt",
            "/.%2e/.%2e/secret.txt",
        ] {
            paths.push(format!("{prefix}{tail}"));
        }
    }
    for path in &paths {
        let r = s.get(path);
        assert!(r.code == 400 || r.code == 404, "{path}: {}", r.code);
        let body = r.text();
        assert!(
            !body.contains("TOP SECRET") && !body.contains("root:x:"),
            "{path} leaked"
        );
    }
}

#[test]
fn an_edit_reloads_open_pages_in_place_or_by_rename() {
    let f = Fixture::new();
    let s = Server::start(&f.root());
    let before = s.status()["version"].clone();
    let mut events = Events::open(s.port);

    f.write("content/articles/a.md", &article("Ana Pérez spoke again."));
    events.wait_for("event: reload");
    assert!(s.get("/repo/articles/a/").text().contains("spoke again"));
    assert_ne!(s.status()["version"], before);

    // As many editors save: write a temporary file, rename it over.
    f.write("content/articles/a.md.tmp", &article("Saved by rename."));
    std::fs::rename(
        f.root().join("content/articles/a.md.tmp"),
        f.root().join("content/articles/a.md"),
    )
    .unwrap();
    events.wait_for("event: reload");
    let deadline = Instant::now() + WAIT;
    while !s
        .get("/repo/articles/a/")
        .text()
        .contains("Saved by rename.")
    {
        assert!(Instant::now() < deadline, "the renamed file was not built");
        std::thread::sleep(Duration::from_millis(50));
    }

    // A folder that did not exist when serve started is watched too.
    f.write("static/new.txt", "one");
    events.wait_for("event: reload");
    let deadline = Instant::now() + WAIT;
    while s.get("/repo/new.txt").text() != "one" {
        assert!(Instant::now() < deadline, "static/new.txt was not served");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::fs::remove_dir_all(f.root().join("static")).unwrap();
    events.wait_for("event: reload");
    f.write("static/new.txt", "two");
    let deadline = Instant::now() + WAIT;
    while s.get("/repo/new.txt").text() != "two" {
        assert!(Instant::now() < deadline, "a re-made static/ is not built");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(300));
    f.write("static/new.txt", "three");
    let deadline = Instant::now() + WAIT;
    while s.get("/repo/new.txt").text() != "three" {
        assert!(
            Instant::now() < deadline,
            "a re-made static/ is not watched"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_broken_edit_shows_its_errors_over_the_last_good_site_until_fixed() {
    let f = Fixture::new();
    let s = Server::start(&f.root());
    let mut events = Events::open(s.port);
    let broken = article("See [[nobody]] and <b>this</b>.");
    f.write("content/articles/a.md", &broken);

    let event = events.wait_for("event: broken");
    assert!(event.contains("unknown entity"), "{event}");
    let data: serde_json::Value =
        serde_json::from_str(event.split("data: ").nth(1).unwrap()).unwrap();
    let status = s.status();
    assert_eq!(status["ok"], false);
    let errors = status["errors"].as_str().unwrap().to_string();
    assert_eq!(data["errors"].as_str(), Some(errors.as_str()));
    assert!(
        errors.contains("content/articles/a.md:5:5: error: unknown entity `nobody`"),
        "{errors}"
    );
    // The same text `build` prints.
    let built = build_errors(&f);
    assert!(built.starts_with(&errors), "{built}\n---\n{errors}");

    // The last good page, with the errors over it, escaped.
    let r = s.get("/repo/articles/a/");
    assert_eq!(r.code, 200);
    let page = r.text();
    assert!(page.contains("Ana Pérez spoke."));
    assert!(page.contains("id=\"dossier-errors\""), "{page}");
    assert!(page.contains("See [[nobody]] and &lt;b&gt;this&lt;/b&gt;."));
    assert!(!page.contains("<b>this</b>"));

    // Fixed: reload, no errors anywhere.
    f.write("content/articles/a.md", &article("Fixed, Ana Pérez."));
    events.wait_for("event: reload");
    assert_eq!(s.status()["ok"], true);
    let page = s.get("/repo/articles/a/").text();
    assert!(page.contains("Fixed, Ana Pérez.") && !page.contains("id=\"dossier-errors\""));
}

#[test]
fn a_site_broken_from_the_start_is_served_once_fixed() {
    let f = Fixture::new();
    f.write("content/articles/a.md", &article("See [[nobody]]."));
    let s = Server::start(&f.root());
    assert_eq!(s.status()["ok"], false);
    assert_eq!(s.get("/").header("Location").as_deref(), Some("/repo/"));
    let r = s.get("/repo/");
    assert_eq!(r.code, 404);
    assert!(r.text().contains("unknown entity `nobody`"));
    let mut events = Events::open(s.port);
    f.write("content/articles/a.md", &article("Fine."));
    events.wait_for("event: reload");
    let r = s.get("/repo/articles/a/");
    assert_eq!(r.code, 200);
    assert!(r.text().contains("Fine."));
}

/// Waits for the child to exit, at most `WAIT`.
fn wait_exit(child: &mut Child) -> std::process::ExitStatus {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("serve did not exit");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let f = Fixture::new();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(f.root())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status = wait_exit(&mut child);
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert_eq!(status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("{port}")) && err.contains("--port"),
        "{err}"
    );
}

#[test]
fn a_folder_that_is_not_a_site_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["serve", "--port", &free_port().to_string(), "--root"])
        .arg(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status = wait_exit(&mut child);
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert_eq!(status.code(), Some(1));
    assert!(err.contains("no config.toml"), "{err}");
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_cleanly() {
    let f = Fixture::new();
    let mut s = Server::start(&f.root());
    let _events = Events::open(s.port);
    let kill = Command::new("kill")
        .args(["-INT", &s.child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = wait_exit(&mut s.child);
    assert!(status.success(), "{status:?}");
    let deadline = Instant::now() + WAIT;
    while !s.stdout.lock().unwrap().contains("Stopped.") {
        assert!(Instant::now() < deadline, "no goodbye");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Waits until `path` is served with a body containing `want`.
fn wait_served(s: &Server, path: &str, want: &str) {
    let deadline = Instant::now() + WAIT;
    while !s.get(path).text().contains(want) {
        assert!(Instant::now() < deadline, "{path} never served {want:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `dossier build` of the site as it is now: its exit status and what it
/// prints on standard error.
fn build_stderr(f: &Fixture) -> (Option<i32>, String) {
    let b = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["build", "--root"])
        .arg(f.root())
        .arg("--output")
        .arg(f.dir.path().join("out"))
        .output()
        .unwrap();
    (
        b.status.code(),
        String::from_utf8_lossy(&b.stderr).into_owned(),
    )
}

/// The errors `dossier build` prints for the site as it is now.
fn build_errors(f: &Fixture) -> String {
    let (code, stderr) = build_stderr(f);
    assert_eq!(code, Some(1));
    stderr
}

#[test]
fn an_edit_whose_output_clashes_is_a_broken_edit() {
    let f = Fixture::new();
    // No article has the tag yet: the static file is no clash.
    f.write("static/tags/new-tag/index.html", "<p>Mine, static.</p>");
    let s = Server::start(&f.root());
    assert_eq!(s.status()["ok"], true);
    let mut events = Events::open(s.port);
    // An edit in place leaves the static file where a tag's page could be.
    f.write("content/articles/a.md", &article("Ana Pérez spoke again."));
    events.wait_for("event: reload");
    wait_served(&s, "/repo/articles/a/", "spoke again");
    let r = s.get("/repo/tags/new-tag/");
    assert_eq!(r.code, 200);
    assert!(r.text().contains("Mine, static."));

    // Edited in place (same slug, same date), the article gains a tag whose
    // page is where the static file goes: an error, as `build` says it.
    let tagged = "+++\ntitle = \"A\"\ndate = 2025-01-01\ntags = [\"New Tag\"]\n+++\nTagged now.\n";
    f.write("content/articles/a.md", tagged);
    let event = events.wait_for("event: broken");
    assert!(event.contains("static/tags/new-tag/index.html"), "{event}");
    let errors = s.status()["errors"].as_str().unwrap().to_string();
    assert!(
        errors.contains(
            "static/tags/new-tag/index.html: error: `tags/new-tag/index.html` is written twice: \
             by this static file and by the site's own page"
        ),
        "{errors}"
    );
    let built = build_errors(&f);
    assert!(built.starts_with(&errors), "{built}\n---\n{errors}");
    // The last good site stays, the static file included.
    let page = s.get("/repo/articles/a/").text();
    assert!(page.contains("spoke again") && !page.contains("Tagged now."));
    assert!(page.contains("id=\"dossier-errors\""));
    assert!(s
        .get("/repo/tags/new-tag/")
        .text()
        .contains("Mine, static."));

    // Fixed: the tag goes again.
    f.write("content/articles/a.md", &article("Untagged again."));
    events.wait_for("event: reload");
    assert_eq!(s.status()["ok"], true);
    wait_served(&s, "/repo/articles/a/", "Untagged again.");
    assert!(s
        .get("/repo/tags/new-tag/")
        .text()
        .contains("Mine, static."));

    // A static file added at an article's page, but for case.
    f.write("static/Articles/a/index.html", "<p>Mine.</p>");
    let event = events.wait_for("event: broken");
    assert!(
        event.contains("`articles/a/index.html` and `Articles/a/index.html` are one file"),
        "{event}"
    );
    assert!(s
        .get("/repo/articles/a/")
        .text()
        .contains("Untagged again."));
    std::fs::remove_dir_all(f.root().join("static/Articles")).unwrap();
    events.wait_for("event: reload");
    assert_eq!(s.status()["ok"], true);

    // A slug edited onto a static file's path, but for case.
    f.write("static/articles/moved/index.html", "<p>Mine, moved.</p>");
    events.wait_for("event: reload");
    wait_served(&s, "/repo/articles/moved/", "Mine, moved.");
    f.write(
        "content/articles/a.md",
        "+++\ntitle = \"A\"\ndate = 2025-01-01\nslug = \"MOVED\"\n+++\nMoved.\n",
    );
    let event = events.wait_for("event: broken");
    assert!(
        event.contains(
            "content/articles/a.md:4:9: error: `articles/MOVED/index.html` and \
             `articles/moved/index.html` are one file"
        ),
        "{event}"
    );
    assert!(s
        .get("/repo/articles/a/")
        .text()
        .contains("Untagged again."));
}

#[test]
fn an_edit_that_breaks_the_front_matter_shows_the_body_errors_too() {
    // As a build does: once only the front matter's error was shown.
    let f = Fixture::new();
    let s = Server::start(&f.root());
    let mut events = Events::open(s.port);
    f.write(
        "content/articles/a.md",
        "+++\ntitle = \"A\"\ndate = 2025-01-01\ncolour = \"red\"\n+++\nSee [[nobody]].\n",
    );
    events.wait_for("event: broken");
    let errors = s.status()["errors"].as_str().unwrap().to_string();
    assert!(
        errors.contains("content/articles/a.md:4:1: error: unknown field `colour`"),
        "{errors}"
    );
    assert!(
        errors.contains("content/articles/a.md:6:5: error: unknown entity `nobody`"),
        "{errors}"
    );
    assert_eq!(errors, build_errors(&f)[..errors.len()], "{errors}");
}

// ---------------------------------------------------------------------------
// Warnings: serve lints as `build` does (links to nothing, entities never
// mentioned), after the first build and after every rebuild, edits in place
// included; it prints every warning once, then only the new ones with a
// count. Driven through serve's own `Rebuilder` and `State`, as the watcher
// drives them, and once through the binary.
// ---------------------------------------------------------------------------

use dossier::serve::rebuild::{Outcome, Rebuilder};
use dossier::serve::state::State;
use dossier::serve::watch::{Changes, Signal};

/// Article `a` links to the first note of `b` (there) and to a page the
/// site does not have; the entity `bo` is never mentioned.
fn linted_fixture() -> Fixture {
    let f = Fixture::new();
    f.write(
        "content/entities/people/bo.md",
        "+++\nname = \"Bo Ek\"\n+++\n",
    );
    f.write(
        "content/articles/a.md",
        &article(
            "Ana Pérez spoke. See [the note](/articles/b/#fn-1) and [this](/articles/missing/).",
        ),
    );
    f.write(
        "content/articles/b.md",
        &article("B.[^1]\n\n[^1]: Its note."),
    );
    f
}

/// What `dossier build` prints on standard error for the site as it is
/// now (its warnings), when it builds.
fn build_warnings(f: &Fixture) -> String {
    let (code, stderr) = build_stderr(f);
    assert_eq!(code, Some(0), "{stderr}");
    stderr
}

fn changed(rel: &str) -> Changes {
    Changes {
        paths: [PathBuf::from(rel)].into(),
        ..Changes::default()
    }
}

/// An edit of `rel` that must take serve's short way (an edit in place).
fn edit_in_place(r: &mut Rebuilder, state: &State, rel: &str) {
    match r.rebuild_after(state, changed(rel)) {
        Outcome::Built { in_place, .. } => assert!(in_place, "{rel}: a whole build"),
        Outcome::Failed(d) => panic!("{}", d.report()),
    }
}

#[test]
fn serve_warns_as_build_does_after_every_rebuild() {
    let f = linted_fixture();
    let state = State::default();
    let mut r = Rebuilder::new(&f.root(), "http://127.0.0.1:1111", false);
    assert!(matches!(
        r.rebuild(&state),
        Outcome::Built {
            in_place: false,
            ..
        }
    ));
    // After the first build: every warning, exactly as `build` prints them.
    let first = r.report_warnings().expect("the first build's warnings");
    assert_eq!(first, build_warnings(&f));
    assert!(
        first.contains(
            "content/articles/a.md:5:63: warning: link to `/articles/missing/` points at no page"
        ),
        "{first}"
    );
    assert!(
        first
            .contains("content/entities/people/bo.md:1:1: warning: entity `bo` is never mentioned"),
        "{first}"
    );
    assert!(first.ends_with("0 errors, 2 warnings\n"), "{first}");
    // Said once.
    assert_eq!(r.report_warnings(), None);

    // An edit of `b` in place breaks a link of `a`, another file: said,
    // and only that; the warnings that stay are not repeated.
    f.write("content/articles/b.md", &article("B, no note now."));
    edit_in_place(&mut r, &state, "content/articles/b.md");
    let text = r.report_warnings().expect("a new warning");
    assert!(
        text.starts_with(
            "content/articles/a.md:5:33: warning: link to `/articles/b/#fn-1`: its page has no `#fn-1`"
        ),
        "{text}"
    );
    assert!(
        !text.contains("points at no page") && !text.contains("never mentioned"),
        "{text}"
    );
    assert!(text.ends_with("\n3 warnings (1 new)\n"), "{text}");
    assert_eq!(r.warnings().report(), build_warnings(&f));

    // Saved again with the same warnings: nothing to say.
    f.write("content/articles/b.md", &article("B, still no note."));
    edit_in_place(&mut r, &state, "content/articles/b.md");
    assert_eq!(r.report_warnings(), None);

    // The note back: one fixed.
    f.write("content/articles/b.md", &article("B.[^1]\n\n[^1]: Back."));
    edit_in_place(&mut r, &state, "content/articles/b.md");
    assert_eq!(
        r.report_warnings().as_deref(),
        Some("2 warnings (1 fixed)\n")
    );

    // `a` names Bo and links to a tag no article has: one warning fixed,
    // one new (the one before it on the line unmoved, so not new).
    f.write(
        "content/articles/a.md",
        &article("Ana Pérez spoke. See [the note](/articles/b/#fn-1) and [this](/articles/missing/). Bo Ek, [too](/tags/none/)."),
    );
    edit_in_place(&mut r, &state, "content/articles/a.md");
    let text = r.report_warnings().expect("one new, one fixed");
    assert!(
        text.starts_with(
            "content/articles/a.md:5:97: warning: link to `/tags/none/` points at no page"
        ),
        "{text}"
    );
    assert!(text.ends_with("\n2 warnings (1 new, 1 fixed)\n"), "{text}");
    assert_eq!(r.warnings().report(), build_warnings(&f));

    // A whole build (an entity changed) is linted too.
    f.write(
        "content/entities/people/cy.md",
        "+++\nname = \"Cy Ho\"\n+++\n",
    );
    assert!(matches!(
        r.rebuild_after(&state, changed("content/entities/people/cy.md")),
        Outcome::Built {
            in_place: false,
            ..
        }
    ));
    let text = r.report_warnings().expect("a new warning");
    assert!(
        text.starts_with(
            "content/entities/people/cy.md:1:1: warning: entity `cy` is never mentioned"
        ),
        "{text}"
    );
    assert_eq!(r.warnings().report(), build_warnings(&f));
}

#[test]
fn a_broken_edit_is_not_linted_and_its_fix_is_told_against_the_last_report() {
    let f = linted_fixture();
    let state = State::default();
    let mut r = Rebuilder::new(&f.root(), "http://127.0.0.1:1111", false);
    r.rebuild(&state);
    assert!(r.report_warnings().is_some());
    f.write("content/articles/b.md", &article("See [[nobody]]."));
    assert!(matches!(
        r.rebuild_after(&state, changed("content/articles/b.md")),
        Outcome::Failed(_)
    ));
    assert_eq!(r.report_warnings(), None);
    // The warnings of the site still served.
    assert_eq!(r.warnings().warning_count(), 2);
    f.write("content/articles/b.md", &article("No note."));
    edit_in_place(&mut r, &state, "content/articles/b.md");
    let text = r.report_warnings().expect("a new warning");
    assert!(text.contains("its page has no `#fn-1`"), "{text}");
    assert!(text.ends_with("\n3 warnings (1 new)\n"), "{text}");
}

#[test]
fn the_end_of_a_lint_is_signalled_and_only_the_last_one_is_told() {
    let f = linted_fixture();
    let state = State::default();
    let mut r = Rebuilder::new(&f.root(), "http://127.0.0.1:1111", false);
    let (tx, rx) = channel();
    r.notify_lints(tx);
    let linted = || match rx.recv_timeout(WAIT) {
        Ok(Signal::Linted(n)) => n,
        _ => panic!("no lint done"),
    };
    r.rebuild(&state);
    let n = linted();
    let text = r.lint_done(n).expect("the first build's warnings");
    assert!(text.ends_with("0 errors, 2 warnings\n"), "{text}");
    assert_eq!(r.lint_done(n), None, "told twice");
    // Two edits before the first one's lint is looked at: only the last
    // one's lint is told, against what was told before both.
    f.write("content/articles/b.md", &article("No note."));
    edit_in_place(&mut r, &state, "content/articles/b.md");
    f.write(
        "content/articles/b.md",
        &article("No note; [a tag](/tags/none/)."),
    );
    edit_in_place(&mut r, &state, "content/articles/b.md");
    let (one, two) = (linted(), linted());
    assert!(one < two);
    assert_eq!(r.lint_done(one), None, "an out-of-date lint");
    let text = r.lint_done(two).expect("the last edit's warnings");
    assert!(text.contains("its page has no `#fn-1`"), "{text}");
    assert!(
        text.contains("link to `/tags/none/` points at no page"),
        "{text}"
    );
    assert!(text.ends_with("\n4 warnings (2 new)\n"), "{text}");
}

/// Waits until serve has printed `want` on standard error.
fn wait_stderr(s: &Server, want: &str) -> String {
    let deadline = Instant::now() + WAIT;
    loop {
        let err = s.stderr.lock().unwrap().clone();
        if err.contains(want) {
            return err;
        }
        assert!(Instant::now() < deadline, "no {want:?} in:\n{err}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serve_prints_the_warnings_of_build_then_the_new_ones() {
    let f = linted_fixture();
    let built = build_warnings(&f);
    let s = Server::start(&f.root());
    let err = wait_stderr(&s, "0 errors, 2 warnings\n");
    assert!(err.starts_with(&built), "{err}\n---\n{built}");
    let mut events = Events::open(s.port);
    f.write("content/articles/b.md", &article("B, no note now."));
    events.wait_for("event: reload");
    let err = wait_stderr(&s, "3 warnings (1 new)\n");
    assert!(err.contains("its page has no `#fn-1`"), "{err}");
    // The two warnings that stayed were printed once, not again.
    assert_eq!(err.matches("points at no page").count(), 1, "{err}");
    assert_eq!(err.matches("is never mentioned").count(), 1, "{err}");
}
