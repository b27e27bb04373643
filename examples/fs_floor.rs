//! The file system's floor for a build: how long it takes only to create
//! FILES new folders with one `index.html` of SIZE bytes each (what a site of
//! that many pages needs, with no rendering at all), from THREADS threads.
//!
//!     cargo run --release --example fs_floor -- OUT_DIR [FILES] [SIZE] [THREADS]
//!
//! OUT_DIR must not exist; it is left for you to delete (deleting it and
//! running again at once measures ext4's scan of recently freed inodes too,
//! see BENCHMARKS.md). Only the standard library is used.

use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(out) = args.first().map(PathBuf::from) else {
        eprintln!("usage: fs_floor OUT_DIR [FILES] [SIZE] [THREADS]");
        std::process::exit(2);
    };
    let arg =
        |i: usize, default: usize| args.get(i).and_then(|a| a.parse().ok()).unwrap_or(default);
    let (files, size, threads) = (arg(1, 17_000), arg(2, 26_000), arg(3, 2).max(1));
    if out.exists() {
        eprintln!("{} exists: give a new folder", out.display());
        std::process::exit(2);
    }
    let page = vec![b'x'; size];
    let start = Instant::now();
    if let Err(e) = std::fs::create_dir_all(out.join("articles")) {
        eprintln!("cannot create {}: {e}", out.display());
        std::process::exit(1);
    }
    std::thread::scope(|s| {
        for t in 0..threads {
            let (out, page) = (&out, &page);
            s.spawn(move || {
                for i in (t..files).step_by(threads) {
                    let dir = out.join("articles").join(format!("a{i}"));
                    let written = std::fs::create_dir(&dir)
                        .and_then(|()| std::fs::write(dir.join("index.html"), page));
                    if let Err(e) = written {
                        eprintln!("{}: {e}", dir.display());
                        std::process::exit(1);
                    }
                }
            });
        }
    });
    println!(
        "{files} folders with one file of {size} bytes each, {threads} threads: {:.2} s",
        start.elapsed().as_secs_f64()
    );
}
