//! Test harness: a fixture site in a temp folder, the real `dossier` binary
//! run on it, and checks on what it wrote (pages, links, anchors, output).
//!
//! ```ignore
//! let site = Site::new().file("content/articles/a.md", "...");
//! let out = site.build(&[]);
//! out.assert_ok();
//! assert!(out.page("articles/a/index.html").contains("..."));
//! ```

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

pub const CONFIG: &str = "title = \"Test Archive\"\nbase_url = \"https://example.org/sub/path/\"\n";

/// A site in a temporary folder.
pub struct Site {
    pub dir: std::rc::Rc<tempfile::TempDir>,
}

/// What one run of the binary gave.
pub struct Run {
    /// Keeps the site's folder alive as long as the run is looked at.
    _site: std::rc::Rc<tempfile::TempDir>,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub out: PathBuf,
}

impl Site {
    /// An empty site with a default `config.toml`.
    pub fn new() -> Site {
        Site::empty().file("config.toml", CONFIG)
    }

    /// A site with no file at all.
    pub fn empty() -> Site {
        Site {
            dir: std::rc::Rc::new(tempfile::tempdir().expect("temp dir")),
        }
    }

    /// A copy of `tests/fixtures/NAME`.
    pub fn fixture(name: &str) -> Site {
        let site = Site::empty();
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        for e in walkdir::WalkDir::new(&src).into_iter().flatten() {
            let rel = e.path().strip_prefix(&src).unwrap();
            let to = site.dir.path().join(rel);
            if e.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(e.path(), &to).unwrap();
            }
        }
        site
    }

    pub fn file(self, rel: &str, text: &str) -> Site {
        self.write(rel, text.as_bytes());
        self
    }

    pub fn write(&self, rel: &str, bytes: &[u8]) {
        let p = self.dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `dossier ARGS --root SITE` (and `--output SITE/public` for build).
    pub fn run(&self, args: &[&str]) -> Run {
        let out = self.dir.path().join("public");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_dossier"));
        cmd.args(args).arg("--root").arg(self.dir.path());
        if args.first() == Some(&"build") {
            cmd.arg("--output").arg(&out);
        }
        let o = cmd.output().expect("run dossier");
        Run {
            _site: self.dir.clone(),
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
            out,
        }
    }

    pub fn build(&self, extra: &[&str]) -> Run {
        let mut args = vec!["build"];
        args.extend_from_slice(extra);
        self.run(&args)
    }
}

impl Run {
    pub fn assert_ok(&self) -> &Run {
        assert_eq!(
            self.code, 0,
            "exit {}\nstdout:\n{}\nstderr:\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }

    /// Exit 1 with an error message at `path:line:col:` containing `msg`.
    pub fn assert_error(&self, at: &str, msg: &str) -> &Run {
        assert_eq!(self.code, 1, "expected exit 1\nstderr:\n{}", self.stderr);
        let found = self
            .stderr
            .lines()
            .any(|l| l.contains(at) && l.contains("error:") && l.contains(msg));
        assert!(
            found,
            "no error at {at:?} saying {msg:?} in:\n{}",
            self.stderr
        );
        self
    }

    pub fn page(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.out.join(rel).exists()
    }

    /// Every file of the output, relative, `/`-separated.
    pub fn files(&self) -> Vec<String> {
        let mut v: Vec<String> = walkdir::WalkDir::new(&self.out)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&self.out)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        v.sort();
        v
    }

    pub fn html_pages(&self) -> Vec<String> {
        self.files()
            .into_iter()
            .filter(|f| f.ends_with(".html"))
            .collect()
    }

    /// Every byte of the output folder, for "left untouched" checks.
    pub fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        self.files()
            .into_iter()
            .map(|f| (f.clone(), std::fs::read(self.out.join(&f)).unwrap()))
            .collect()
    }

    /// Checks that every internal href/src of every page resolves to a file
    /// and every #fragment to an id in it. `base_path` like `/sub/path/`.
    pub fn assert_links_resolve(&self, base_path: &str) {
        let pages = self.html_pages();
        let mut ids: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for p in &pages {
            ids.insert(
                p.clone(),
                attr_values(&self.page(p), "id").into_iter().collect(),
            );
        }
        let mut broken = Vec::new();
        for p in &pages {
            let html = self.page(p);
            let page_dir = format!("{base_path}{}", p.trim_end_matches("index.html"));
            for attr in ["href", "src"] {
                for url in attr_values(&html, attr) {
                    if url.contains("://") || url.starts_with("mailto:") || url.starts_with("//") {
                        continue;
                    }
                    let (path, frag) = match url.split_once('#') {
                        Some((a, b)) => (a.to_string(), Some(b.to_string())),
                        None => (url.clone(), None),
                    };
                    // A query does not change the file.
                    let path = path.split('?').next().unwrap_or("").to_string();
                    let target = if path.is_empty() {
                        p.clone()
                    } else {
                        let abs = remove_dot_segments(&if path.starts_with('/') {
                            path.clone()
                        } else {
                            format!("{page_dir}{path}")
                        });
                        if !abs.starts_with(base_path) {
                            broken.push(format!("{p}: {url} leaves {base_path}"));
                            continue;
                        }
                        let rel = percent_decode(&abs[base_path.len()..]);
                        let file = if rel.is_empty() || rel.ends_with('/') {
                            format!("{rel}index.html")
                        } else {
                            rel
                        };
                        if !self.out.join(&file).is_file() {
                            broken.push(format!("{p}: {url} -> missing {file}"));
                            continue;
                        }
                        file
                    };
                    if let Some(f) = frag {
                        if !f.is_empty() && !ids.get(&target).is_some_and(|s| s.contains(&f)) {
                            broken.push(format!("{p}: {url} -> no id {f:?} in {target}"));
                        }
                    }
                }
            }
        }
        assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    }
}

/// An absolute URL path with its `.` and `..` segments applied.
fn remove_dot_segments(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    for (i, seg) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *seg {
            "." => {}
            ".." => {
                if out.len() > 1 {
                    out.pop();
                }
            }
            s => out.push(s),
        }
        // `a/..` and `a/.` name a folder: keep the trailing slash.
        if last && matches!(*seg, "." | "..") {
            out.push("");
        }
    }
    out.join("/")
}

/// The values of attribute `name` in `html`, entities decoded.
pub fn attr_values(html: &str, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let pat = format!(" {name}=\"");
    let mut rest = html;
    while let Some(i) = rest.find(&pat) {
        rest = &rest[i + pat.len()..];
        if let Some(end) = rest.find('"') {
            out.push(decode_entities(&rest[..end]));
            rest = &rest[end..];
        }
    }
    out
}

pub fn decode_entities(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#x2F;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// An article file.
pub fn article(title: &str, date: &str, body: &str) -> String {
    format!("+++\ntitle = {title:?}\ndate = {date}\n+++\n{body}\n")
}

/// An entity file.
pub fn entity(name: &str, aliases: &[&str], summary: &str) -> String {
    format!(
        "+++\nname = {name:?}\naliases = {aliases:?}\nsummary = {summary:?}\n+++\nAbout {name}.\n"
    )
}
