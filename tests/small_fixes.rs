//! Small fixes, each checked from outside with the real binary: URLs in the
//! feed's content made absolute, a window of a very long line under an
//! error, `serve` truthful when no build has succeeded yet, and an
//! `--output` that is a file refused up front.

mod harness;
use harness::*;

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::sync::mpsc::channel;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The text of each `<content>` of an Atom feed, XML-unescaped; panics if
/// the feed is not well-formed where content goes (a raw `<` or a stray
/// `&` inside it).
fn feed_contents(atom: &str) -> Vec<String> {
    let open = "<content type=\"html\">";
    let mut out = Vec::new();
    let mut rest = atom;
    while let Some(i) = rest.find(open) {
        rest = &rest[i + open.len()..];
        let end = rest.find("</content>").expect("</content>");
        let escaped = &rest[..end];
        assert!(!escaped.contains('<'), "raw < in content: {escaped}");
        for (j, _) in escaped.match_indices('&') {
            let ent = &escaped[j..];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
                    .iter()
                    .any(|e| ent.starts_with(e)),
                "stray & in content: {}",
                &ent[..ent.len().min(20)]
            );
        }
        out.push(decode_entities(escaped));
        rest = &rest[end..];
    }
    out
}

#[test]
fn every_url_in_the_feed_content_is_absolute_under_the_sub_path() {
    let site = Site::new()
        .file(
            "content/entities/people/ana.md",
            &entity("Ana Pérez", &[], "Someone"),
        )
        .file(
            "content/articles/a.md",
            &article(
                "A & B",
                "2025-01-01",
                "Ana Pérez said[^1] [here](#fnref-1), [there](../b/?x=1&y=2#top), \
                 [up](pic.png) and [abs](https://other.org/p#q).\n\n\
                 ![img](img/p.png)\n\n`href=\"#code\"`\n\n\
                 [^1]: A note on [[ana]] with <b>&</b>.",
            ),
        )
        .file(
            "content/articles/b.md",
            &article("B", "2025-01-02", "Second[^n].\n\n[^n]: Its note."),
        );
    let run = site.build(&[]);
    run.assert_ok();
    let atom = run.page("atom.xml");
    let contents = feed_contents(&atom);
    assert_eq!(contents.len(), 2, "{atom}");
    let all = contents.join("\n");
    let page = "https://example.org/sub/path/articles/a/";
    for want in [
        format!("href=\"{page}#fn-1\""),
        format!("href=\"{page}#fnref-1\""),
        format!("href=\"{page}pic.png\""),
        format!("src=\"{page}img/p.png\""),
        "href=\"https://example.org/sub/path/articles/b/?x=1&amp;y=2#top\"".to_string(),
        "href=\"https://example.org/sub/path/entities/ana/\"".to_string(),
        "href=\"https://other.org/p#q\"".to_string(),
        "href=\"https://example.org/sub/path/articles/b/#fn-1\"".to_string(),
    ] {
        assert!(all.contains(&want), "no {want} in:\n{all}");
    }
    for attr in ["href", "src"] {
        for url in attr_values(&all, attr) {
            assert!(url.starts_with("https://"), "{attr}={url:?} in:\n{all}");
        }
    }
    // Text that looks like an attribute is left as written.
    assert!(all.contains("<code>href=\"#code\"</code>"), "{all}");
    // The pages themselves keep their short links.
    assert!(run
        .page("articles/a/index.html")
        .contains("<a href=\"#fn-1\">1</a>"));
}

#[test]
fn an_error_on_a_very_long_line_shows_a_window_around_it() {
    // A 100 KB single-line paragraph, with accents and CJK on both sides.
    let before = "Señor 漢字 ".repeat(5_000);
    let after = " mañana 東京".repeat(5_000);
    let body = format!("{before}[[nobody]]{after}");
    assert!(body.len() > 100_000);
    let run = Site::new()
        .file("content/articles/a.md", &article("A", "2025-01-01", &body))
        .build(&[]);
    let col = before.chars().count() + 1;
    run.assert_error(&format!("content/articles/a.md:5:{col}:"), "unknown entity");
    assert!(
        run.stderr.len() < 2_000,
        "{} bytes of stderr:\n{}",
        run.stderr.len(),
        &run.stderr[..run.stderr.len().min(3_000)]
    );
    let lines: Vec<&str> = run.stderr.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("5 | "))
        .expect("the line");
    let shown = &lines[at][4..];
    let caret = lines[at + 1].strip_prefix("  | ").expect("the caret");
    assert!(shown.chars().count() <= 120, "{shown}");
    assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
    // The caret is under the `[`, in terminal columns (漢 takes two).
    let n = caret.chars().count() - 1;
    assert!(caret.ends_with('^') && caret[..n].chars().all(|c| c == ' '));
    let mut columns = 0;
    let at = shown
        .chars()
        .position(|c| {
            let here = columns == n;
            columns += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            here
        })
        .expect("the caret's column");
    let under: String = shown.chars().skip(at).take(10).collect();
    assert_eq!(under, "[[nobody]]", "{shown}\n{caret}");
    // The error was not reported twice.
    assert_eq!(run.stderr.matches("unknown entity").count(), 1);
}

#[test]
fn serve_with_no_good_build_yet_does_not_claim_to_serve_one() {
    let site = Site::new().file(
        "content/articles/a.md",
        &article("A", "2025-01-01", "See [[nobody]]."),
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(site.root())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    struct Kill(std::process::Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let (out, err) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let _child = Kill(child);
    let stderr = Arc::new(Mutex::new(String::new()));
    {
        let stderr = stderr.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                stderr.lock().unwrap().push_str(&format!("{line}\n"));
            }
        });
    }
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(l) if l.starts_with("Serving ") => break,
            Ok(_) => {}
            Err(_) => panic!("serve did not start:\n{}", stderr.lock().unwrap()),
        }
    }
    // The failure is printed before "Serving": wait for its pipe to catch up.
    let said = loop {
        let s = stderr.lock().unwrap().clone();
        if s.contains("build failed") || Instant::now() > deadline {
            break s;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(said.contains("unknown entity `nobody`"), "{said}");
    assert!(
        said.contains("build failed; no site to serve yet"),
        "{said}"
    );
    assert!(!said.contains("last good"), "{said}");

    // Every page is the bare 404 with the errors, which says so too.
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    use std::io::Write;
    write!(
        s,
        "GET /sub/path/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut reply = String::new();
    s.read_to_string(&mut reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 404"), "{reply}");
    assert!(reply.contains("No site yet: the first build failed."));
    assert!(reply.contains("unknown entity `nobody`"), "{reply}");
    assert!(reply.contains("no build has succeeded yet"), "{reply}");
    assert!(reply.contains("data-site=\"none\""), "{reply}");
    let overlay = &reply[..reply.find("<script").unwrap()];
    assert!(!overlay.contains("last good"), "{overlay}");
}

/// The names in a folder.
fn names(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn build_into_an_output_that_is_a_file_is_a_clear_error_up_front() {
    let site = Site::new().file(
        "content/articles/a.md",
        &article("A", "2025-01-01", "Text."),
    );
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("site.html");
    std::fs::write(&file, "mine").unwrap();
    for (path, names_it) in [
        (file.clone(), file.clone()),
        (file.join("public"), file.clone()),
    ] {
        let o = Command::new(env!("CARGO_BIN_EXE_dossier"))
            .args(["build", "--root"])
            .arg(site.root())
            .arg("--output")
            .arg(&path)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{stderr}");
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert!(
            stderr.contains(&path.display().to_string())
                && stderr.contains(&format!("{} is a file, not a folder", names_it.display())),
            "{stderr}"
        );
        assert!(!stderr.contains("entities.json"), "{stderr}");
        assert!(!stderr.contains("File exists"), "{stderr}");
        // Nothing written: the file as it was, nothing staged beside it.
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
        assert_eq!(names(out.path()), ["site.html"]);
        assert_eq!(o.stdout, b"");
    }
}
