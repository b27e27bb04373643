//! How long `serve` takes to have the site ready after one article is saved.
//!
//!     cargo bench --bench rebuild -- SITE_DIR [ROUNDS]
//!
//! Builds SITE_DIR in memory as `serve` does, then, ROUNDS times, appends a
//! sentence to one article and rebuilds incrementally (annotation cache and
//! page reuse), printing each rebuild's time. The article is restored at the
//! end. Use a generated archive (see BENCHMARKS.md); never a real one.

use dossier::build::{build_site_incremental, ArticleCache, BuildOptions};
use std::sync::Mutex;
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
    let rounds: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
    let timings = std::env::var_os("TIMINGS").is_some();
    let opts = BuildOptions {
        root: root.into(),
        timings,
        ..Default::default()
    };
    let cache = Mutex::new(ArticleCache::default());
    let t = Instant::now();
    let mut built = match build_site_incremental(&opts, None, Some(&cache)) {
        Ok(b) => b,
        Err(d) => {
            eprint!("{}", d.report());
            std::process::exit(1);
        }
    };
    println!(
        "initial build: {:.0} ms, {} files",
        t.elapsed().as_secs_f64() * 1000.0,
        built.files.len()
    );
    let article = walkdir::WalkDir::new(std::path::Path::new(root).join("content/articles"))
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .find(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.path().to_path_buf())
        .expect("an article");
    let original = std::fs::read_to_string(&article).expect("readable article");
    let mut times = Vec::new();
    for i in 0..rounds {
        std::fs::write(
            &article,
            format!("{original}\nEdited sentence number {i}.\n"),
        )
        .expect("write");
        let t = Instant::now();
        built = build_site_incremental(&opts, Some(&built), Some(&cache)).expect("rebuild");
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
