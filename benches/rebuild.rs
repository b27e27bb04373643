//! How long `serve` takes to have the site ready after one article is saved.
//!
//!     cargo bench --bench rebuild -- SITE_DIR [ROUNDS]
//!
//! Builds SITE_DIR in memory as `serve` does (its `Rebuilder` and served
//! `State`), then, ROUNDS times, appends a sentence naming an entity to one
//! article, hands the rebuilder that path as the watcher would, and times
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
    // A name every generated archive has, so the edit adds a mention.
    let name = std::fs::read_to_string(root.join("content/entities/people/e0.md"))
        .ok()
        .and_then(|t| {
            t.lines().find_map(|l| {
                l.strip_prefix("name = \"")
                    .map(|n| n.trim_end_matches('"').to_string())
            })
        })
        .unwrap_or_else(|| "Someone".into());
    let original = std::fs::read_to_string(&article).expect("readable article");
    let mut times = Vec::new();
    for i in 0..rounds {
        let text = format!("{original}\nEdited sentence number {i}, on {name}.\n");
        std::fs::write(&article, text).expect("write");
        let t = Instant::now();
        let changes = Changes {
            paths: [rel.clone()].into(),
            ..Changes::default()
        };
        if let Outcome::Failed(d) = rebuilder.rebuild_after(&state, changes) {
            eprint!("{}", d.report());
            std::process::exit(1);
        }
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        times.push(ms);
        println!("rebuild {}: {ms:.0} ms", i + 1);
    }
    std::fs::write(&article, original).expect("restore");
    times.sort_by(|a, b| a.total_cmp(b));
    println!(
        "median rebuild after one edit: {:.0} ms",
        times[times.len() / 2]
    );
}
