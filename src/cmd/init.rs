//! `dossier init DIR`: a new site — config, an article that links one entity
//! and names another, an about page, `.gitignore` and a GitHub Pages
//! workflow. Refuses a folder that is not empty unless `--force`, and even
//! then never overwrites a file that exists.

use std::path::Path;

/// The skeleton, embedded in the binary: (path, text).
pub const SKELETON: &[(&str, &str)] = &[
    ("config.toml", include_str!("../init/skeleton/config.toml")),
    (
        "content/articles/2025-01-15-first-article.md",
        include_str!("../init/skeleton/content/articles/2025-01-15-first-article.md"),
    ),
    (
        "content/entities/people/marie-curie.md",
        include_str!("../init/skeleton/content/entities/people/marie-curie.md"),
    ),
    (
        "content/entities/places/paris.md",
        include_str!("../init/skeleton/content/entities/places/paris.md"),
    ),
    (
        "content/pages/about.md",
        include_str!("../init/skeleton/content/pages/about.md"),
    ),
    (".gitignore", include_str!("../init/skeleton/.gitignore")),
    (
        ".github/workflows/pages.yml",
        include_str!("../init/skeleton/.github/workflows/pages.yml"),
    ),
];

pub fn run(dir: &Path, force: bool) -> u8 {
    let non_empty = std::fs::read_dir(dir)
        .map(|mut d| d.next().is_some())
        .unwrap_or(false);
    if non_empty && !force {
        eprintln!("error: {} is not empty; use --force to add the files that are missing (none is overwritten)", dir.display());
        return 1;
    }
    let (mut written, mut kept) = (0, 0);
    for (rel, text) in SKELETON {
        let path = dir.join(rel);
        if path.exists() {
            eprintln!("kept {} (it exists)", path.display());
            kept += 1;
            continue;
        }
        let result = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|_| {
                // create_new: a file that appeared meanwhile is not overwritten either.
                use std::io::Write;
                std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&path)?
                    .write_all(text.as_bytes())
            });
        if let Err(e) = result {
            eprintln!("error: cannot write {}: {e}", path.display());
            return 1;
        }
        written += 1;
    }
    println!(
        "Created a site in {} ({written} files written, {kept} kept). Next:\n  dossier serve --root {}",
        dir.display(),
        dir.display()
    );
    0
}
