//! Builds kept in memory (`serve`, tests): a sink that holds every file and
//! can hand back the pages of the previous build that did not change.

use super::{build_into_cached, ArticleCache, BuildOptions, Built};
use crate::diagnostics::Diagnostics;
use crate::site::{OutputFile, Sink};
use std::sync::Mutex;

/// Keeps every file in memory. Pages that an earlier build (`previous`)
/// rendered under the same key are taken from it instead of being rendered.
#[derive(Default)]
pub struct MemorySink {
    pub files: Mutex<Vec<OutputFile>>,
    previous: std::collections::HashMap<String, OutputFile>,
}

impl MemorySink {
    pub fn reusing(previous: Option<&Built>) -> MemorySink {
        let previous = previous
            .map(|b| {
                b.files
                    .iter()
                    .filter(|f| f.key != 0)
                    .map(|f| (f.path.clone(), f.clone()))
                    .collect()
            })
            .unwrap_or_default();
        MemorySink {
            files: Mutex::new(Vec::new()),
            previous,
        }
    }
}

impl Sink for MemorySink {
    fn put(&self, file: OutputFile) -> std::io::Result<()> {
        if let Ok(mut f) = self.files.lock() {
            f.push(file);
        }
        Ok(())
    }

    fn keep(&self, path: &str, key: u64) -> bool {
        match self.previous.get(path) {
            Some(f) if f.key == key => {
                if let Ok(mut files) = self.files.lock() {
                    files.push(f.clone());
                }
                true
            }
            _ => false,
        }
    }
}

/// Runs the whole pipeline in memory.
pub fn build_site(opts: &BuildOptions) -> Result<Built, Diagnostics> {
    build_site_reusing(opts, None)
}

/// Runs the whole pipeline in memory, taking unchanged pages from `previous`
/// (what `serve` does on every change).
pub fn build_site_reusing(
    opts: &BuildOptions,
    previous: Option<&Built>,
) -> Result<Built, Diagnostics> {
    build_site_incremental(opts, previous, None)
}

/// What `serve` runs on every change: unchanged articles are not annotated
/// again (`cache`), unchanged pages are not rendered again (`previous`).
pub fn build_site_incremental(
    opts: &BuildOptions,
    previous: Option<&Built>,
    cache: Option<&Mutex<ArticleCache>>,
) -> Result<Built, Diagnostics> {
    let sink = MemorySink::reusing(previous);
    let report = build_into_cached(opts, &sink, cache)?;
    let mut files = sink.files.into_inner().unwrap_or_default();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Built {
        files,
        warnings: report.warnings,
        stats: report.stats,
        config: report.config,
        timings: report.timings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::{ArticleCache, BuildOptions, Built};

    fn site() -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        let w = |p: &str, t: &str| {
            let path = d.path().join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, t).unwrap();
        };
        w(
            "config.toml",
            "title = \"T\"\nbase_url = \"https://x.org/\"\n",
        );
        w(
            "content/entities/people/ana.md",
            "+++\nname = \"Ana Pérez\"\n+++\n",
        );
        w(
            "content/articles/a.md",
            "+++\ntitle = \"A\"\ndate = 2025-01-01\n+++\nAna Pérez spoke.\n",
        );
        w(
            "content/articles/b.md",
            "+++\ntitle = \"B\"\ndate = 2025-01-02\n+++\nNothing here.\n",
        );
        d
    }

    #[test]
    fn reused_pages_equal_rendered_ones() {
        let d = site();
        let opts = BuildOptions {
            root: d.path().to_path_buf(),
            ..Default::default()
        };
        let first = build_site(&opts).unwrap();
        let again = build_site_reusing(&opts, Some(&first)).unwrap();
        assert_eq!(first.files, again.files);
        // An edit changes its own page and leaves unrelated pages equal.
        std::fs::write(
            d.path().join("content/articles/b.md"),
            "+++\ntitle = \"B\"\ndate = 2025-01-02\n+++\nAna Pérez too.\n",
        )
        .unwrap();
        let edited = build_site_reusing(&opts, Some(&first)).unwrap();
        let page = |b: &Built, p: &str| {
            b.files
                .iter()
                .find(|f| f.path == p)
                .map(|f| f.bytes.clone())
                .unwrap()
        };
        assert_ne!(
            page(&first, "articles/b/index.html"),
            page(&edited, "articles/b/index.html")
        );
        assert_ne!(
            page(&first, "entities/ana/index.html"),
            page(&edited, "entities/ana/index.html")
        );
        let fresh = build_site(&opts).unwrap();
        assert_eq!(fresh.files, edited.files);
    }

    #[test]
    fn cached_annotations_give_what_a_fresh_build_gives() {
        let d = site();
        let opts = BuildOptions {
            root: d.path().to_path_buf(),
            ..Default::default()
        };
        let cache = Mutex::new(ArticleCache::default());
        let first = build_site_incremental(&opts, None, Some(&cache)).unwrap();
        assert_eq!(first.files, build_site(&opts).unwrap().files);
        // An article edit, then an entity edit (which every article depends on).
        std::fs::write(
            d.path().join("content/articles/a.md"),
            "+++\ntitle = \"A\"\ndate = 2025-01-01\n+++\nAna Pérez spoke twice. Ana Pérez.\n",
        )
        .unwrap();
        let second = build_site_incremental(&opts, Some(&first), Some(&cache)).unwrap();
        assert_eq!(second.files, build_site(&opts).unwrap().files);
        std::fs::write(
            d.path().join("content/entities/people/ana.md"),
            "+++\nname = \"Ana Pérez\"\naliases = [\"Ana\"]\n+++\n",
        )
        .unwrap();
        let third = build_site_incremental(&opts, Some(&second), Some(&cache)).unwrap();
        assert_eq!(third.files, build_site(&opts).unwrap().files);
        assert_ne!(third.files, second.files);
    }
}
