//! `dossier init DIR`: takes a folder (made if missing) and gives it a new
//! site — config, an article that links one entity and names another, an
//! about page, `.gitignore` and a GitHub Pages workflow — from the skeleton
//! embedded in the binary (`src/init/skeleton/`). Refuses a folder that is
//! not empty unless `--force`, and even then never overwrites a file that
//! exists: it keeps it and says so.

use std::io::Write;
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

/// Exit status: 0 done, 1 refused or could not write.
pub fn run(dir: &Path, force: bool) -> u8 {
    match create(dir, force) {
        Ok((written, kept)) => {
            println!(
                "Created a site in {} ({written} files written, {kept} kept). Next:\n  dossier serve --root {}",
                dir.display(),
                dir.display()
            );
            0
        }
        Err(msg) => {
            eprintln!("error: {msg}");
            1
        }
    }
}

/// Writes the skeleton into `dir`; gives how many files were written and kept.
fn create(dir: &Path, force: bool) -> Result<(usize, usize), String> {
    if dir.exists() && !dir.is_dir() {
        return Err(format!("{} exists and is not a folder", dir.display()));
    }
    let non_empty = match std::fs::read_dir(dir) {
        Ok(mut d) => d.next().is_some(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => return Err(format!("cannot read {}: {e}", dir.display())),
    };
    if non_empty && !force {
        return Err(format!(
            "{} is not empty; use --force to add the files that are missing (none is overwritten)",
            dir.display()
        ));
    }
    // A file where a folder must go would stop the writing half-way:
    // found first, so that nothing is written.
    for (rel, _) in SKELETON {
        let mut at = dir.to_path_buf();
        for folder in Path::new(rel)
            .parent()
            .into_iter()
            .flat_map(Path::components)
        {
            at.push(folder);
            if at.exists() && !at.is_dir() {
                return Err(format!(
                    "{} is a file where the new site needs a folder; nothing was written",
                    at.display()
                ));
            }
        }
    }
    let (mut written, mut kept) = (0, 0);
    for (rel, text) in SKELETON {
        let path = dir.join(rel);
        if path.symlink_metadata().is_ok() {
            eprintln!("kept {} (it exists)", path.display());
            kept += 1;
            continue;
        }
        let result = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|_| {
                // create_new: a file that appeared meanwhile is not overwritten either.
                std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&path)?
                    .write_all(text.as_bytes())
            });
        result.map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written += 1;
    }
    Ok((written, kept))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file of `src/init/skeleton/` is embedded, and nothing else.
    #[test]
    fn the_skeleton_is_embedded_whole() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/init/skeleton");
        let mut on_disk: Vec<String> = walkdir::WalkDir::new(&dir)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(&dir).unwrap_or(e.path());
                rel.to_string_lossy().replace('\\', "/")
            })
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = SKELETON.iter().map(|(p, _)| p.to_string()).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded);
    }

    #[test]
    fn a_file_where_a_folder_goes_stops_init_before_it_writes() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("content"), "mine").unwrap();
        let err = create(d.path(), true).unwrap_err();
        assert!(err.contains("nothing was written"), "{err}");
        let left: Vec<_> = std::fs::read_dir(d.path()).unwrap().flatten().collect();
        assert_eq!(left.len(), 1, "{left:?}");
        assert_eq!(
            std::fs::read_to_string(d.path().join("content")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn a_file_is_not_a_folder() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("file");
        std::fs::write(&f, "x").unwrap();
        assert!(create(&f, true).unwrap_err().contains("not a folder"));
    }
}
