//! `dossier build`: runs the pipeline and writes the site, or, on any error,
//! reports everything and leaves the output folder as it was. Warnings,
//! those of `check`'s lints included, do not stop it.

use crate::build::{build_into, BuildOptions};
use crate::output;
use std::path::{Path, PathBuf};
use std::time::Instant;

pub fn run(
    root: &Path,
    output: Option<&Path>,
    base_url: Option<String>,
    drafts: bool,
    timings: bool,
) -> u8 {
    let start = Instant::now();
    let out_dir: PathBuf = output
        .map(Path::to_path_buf)
        .unwrap_or_else(|| root.join("public"));
    // Up front, so that nothing is built (or staged beside it) for an
    // output that cannot be a folder.
    if let Err(msg) = check_output_is_a_folder(&out_dir) {
        eprintln!("error: {msg}");
        return 1;
    }
    if let Err(msg) = check_output_dir(root, &out_dir) {
        eprintln!("error: {msg}");
        return 2;
    }
    let opts = BuildOptions {
        root: root.to_path_buf(),
        base_url,
        drafts,
        timings,
        // The lints of `check` (entities never mentioned, links to
        // nothing): warnings, and cheap (~0.1 s on 10,000 articles with
        // 30,000 links).
        lint: true,
        progress: true,
    };
    let sink = match output::DiskSink::open(&out_dir) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", out_dir.display());
            return 1;
        }
    };
    let report = match build_into(&opts, &sink) {
        Ok(r) => r,
        Err(diags) => {
            sink.abandon();
            super::print_diagnostics(&diags);
            eprintln!("build failed; {} left as it was", out_dir.display());
            return 1;
        }
    };
    super::print_diagnostics(&report.warnings);
    let write_start = Instant::now();
    let stats = match sink.commit() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", out_dir.display());
            return 1;
        }
    };
    if timings {
        eprintln!(
            "  {:<10} {:>8.1} ms",
            "commit",
            write_start.elapsed().as_secs_f64() * 1000.0
        );
    }
    println!(
        "Built {} articles, {} entities, {} pages in {:.2} s → {} ({} written, {} unchanged, {} removed)",
        report.stats.articles,
        report.stats.entities,
        report.stats.pages,
        start.elapsed().as_secs_f64(),
        out_dir.display(),
        stats.written,
        stats.unchanged,
        stats.removed,
    );
    0
}

/// Refuses an output path that is a file (or lies under one): the site is
/// a folder of files, and a file is never replaced by one.
pub fn check_output_is_a_folder(out: &Path) -> Result<(), String> {
    for (i, at) in out.ancestors().enumerate() {
        if at.as_os_str().is_empty() {
            break;
        }
        // Following links: a link to a folder is a folder.
        let Ok(meta) = std::fs::metadata(at) else {
            if at.symlink_metadata().is_ok() {
                return Err(format!(
                    "the output {} is a link to nothing; remove it or choose another --output",
                    at.display()
                ));
            }
            continue;
        };
        if meta.is_dir() {
            return Ok(());
        }
        return Err(if i == 0 {
            format!(
                "the output {} is a file, not a folder; the site is written into a folder: choose another --output",
                out.display()
            )
        } else {
            format!(
                "cannot make the output folder {}: {} is a file, not a folder; choose another --output",
                out.display(),
                at.display()
            )
        });
    }
    Ok(())
}

/// Refuses output folders that would put the user's own files at risk.
pub fn check_output_dir(root: &Path, out: &Path) -> Result<(), String> {
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (root_abs, out_abs) = (abs(root), abs(out));
    let root_abs = root_abs.canonicalize().unwrap_or(root_abs);
    let out_abs = match out_abs.canonicalize() {
        Ok(p) => p,
        Err(_) => out_abs,
    };
    if root_abs.starts_with(&out_abs) {
        return Err(format!(
            "the output folder {} holds the site itself; choose another --output",
            out.display()
        ));
    }
    for own in ["content", "templates", "static"] {
        if out_abs.starts_with(root_abs.join(own)) {
            return Err(format!(
                "the output folder {} is inside the site's {own}/ folder",
                out.display()
            ));
        }
    }
    if !output::is_ours_or_empty(out) {
        return Err(format!(
            "{} is not empty and was not written by dossier (no {}); remove it or choose another --output",
            out.display(),
            output::MANIFEST
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_output_that_is_a_file_or_under_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("site.txt");
        std::fs::write(&file, "mine").unwrap();
        let e = check_output_is_a_folder(&file).unwrap_err();
        assert!(e.contains(&file.display().to_string()), "{e}");
        assert!(e.contains("is a file, not a folder"), "{e}");
        let under = file.join("public");
        let e = check_output_is_a_folder(&under).unwrap_err();
        assert!(e.contains(&under.display().to_string()), "{e}");
        assert!(e.contains(&format!("{} is a file", file.display())), "{e}");
        // Folders, and paths yet to be made in one, are fine.
        assert!(check_output_is_a_folder(dir.path()).is_ok());
        assert!(check_output_is_a_folder(&dir.path().join("new/public")).is_ok());
        assert!(check_output_is_a_folder(Path::new("relative/public")).is_ok());
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
    }
}
