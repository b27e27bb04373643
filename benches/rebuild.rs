//! How long `serve` takes to have the site ready after one article is saved.
//!
//!     cargo bench --bench rebuild -- SITE_DIR [ROUNDS]
//!
//! Builds SITE_DIR in memory as `serve` does (its `Rebuilder` and served
//! `State`), then edits the newest article in three ways, ROUNDS times each
//! (see below), hands the rebuilder the path as the watcher would, and times
//! until the new pages are served. The article is restored at the end. Use a
//! generated archive (see BENCHMARKS.md); never a real one.

use dossier::serve::rebuild::{Outcome, Rebuilder};
use dossier::serve::state::State;
use dossier::serve::watch::Changes;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let Some(root) = args.first() else {
        eprintln!("usage: cargo bench --bench rebuild -- SITE_DIR [ROUNDS]");
        std::process::exit(2);
    };
    let root = Path::new(root);
    let rounds: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
    let state = State::default();
    let mut rebuilder = Rebuilder::new(root, "http://127.0.0.1:1111", false);
    let t = Instant::now();
    if let Outcome::Failed(d) = rebuilder.rebuild(&state) {
        eprint!("{}", d.report());
        std::process::exit(1);
    }
    println!(
        "initial build: {:.0} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    // The newest article: the one an editor is most likely to be working on.
    let article = walkdir::WalkDir::new(root.join("content/articles"))
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .last()
        .map(|e| e.path().to_path_buf())
        .expect("an article");
    let rel: PathBuf = article.strip_prefix(root).expect("under the root").into();
    // Names every generated archive has: `e0`, the most mentioned entity
    // (already in most articles: the edit changes counts), and the least
    // mentioned one (new to the article: the edit changes which entities it
    // names, so related articles and co-mentions are derived again).
    let name_of = |id: &str| {
        let file = walkdir::WalkDir::new(root.join("content/entities"))
            .into_iter()
            .flatten()
            .find(|e| e.file_name().to_string_lossy() == format!("{id}.md"))?;
        let text = std::fs::read_to_string(file.path()).ok()?;
        text.lines().find_map(|l| {
            l.strip_prefix("name = \"")
                .map(|n| n.trim_end_matches('"').to_string())
        })
    };
    let entities = walkdir::WalkDir::new(root.join("content/entities"))
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .count();
    let common = name_of("e0").unwrap_or_else(|| "Someone".into());
    let rare =
        name_of(&format!("e{}", entities.saturating_sub(1))).unwrap_or_else(|| common.clone());
    let original = std::fs::read_to_string(&article).expect("readable article");
    // Three kinds of edit, each made ROUNDS times: words only; a mention of
    // an entity the article names already, added and removed in turn
    // (counts change); an entity new to the article, added and removed in
    // turn (the set of entities it names changes).
    let kinds: [(&str, Option<&String>); 3] = [
        ("words only", None),
        ("mention counts change", Some(&common)),
        ("entities named change", Some(&rare)),
    ];
    let mut all = Vec::new();
    let mut summary = Vec::new();
    for (what, who) in kinds {
        let mut times = Vec::new();
        for i in 0..rounds {
            let name = match who {
                Some(n) if i % 2 == 0 => format!(", on {n}"),
                _ => String::new(),
            };
            let text = format!("{original}\nEdited sentence number {i}{name}.\n");
            std::fs::write(&article, text).expect("write");
            // The lint of the last rebuild runs after it is served; an
            // editor's next save comes later than that (saves settle for
            // 100 ms first). Not part of the time to serve an edit.
            let _ = rebuilder.report_warnings();
            let t = Instant::now();
            let changes = Changes {
                paths: [rel.clone()].into(),
                ..Changes::default()
            };
            if let Outcome::Failed(d) = rebuilder.rebuild_after(&state, changes) {
                std::fs::write(&article, &original).expect("restore");
                eprint!("{}", d.report());
                std::process::exit(1);
            }
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            println!("{what}, rebuild {}: {ms:.0} ms", i + 1);
            times.push(ms);
        }
        summary.push(format!("{what}: {:.0} ms", median(&times)));
        all.extend(times);
    }
    std::fs::write(&article, original).expect("restore");
    println!(
        "median rebuild after one edit: {:.0} ms ({})",
        median(&all),
        summary.join("; ")
    );
}

fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}
