//! The one place `serve` builds: [`Rebuilder::rebuild`] takes the site's
//! folder and the local origin, runs the pipeline in memory with `base_url`
//! pointed at that origin (the sub-path of the configured `base_url` kept),
//! and gives the outcome to the shared [`State`] — the new site, or the
//! diagnostics (the last good site stays). Articles and pages that did not
//! change are taken from the previous build instead of being made again,
//! and an edit of articles in place goes the short way ([`LiveSite::edit`]):
//! only those articles are read again and only the pages they touch made.

use super::state::State;
use super::watch::Changes;
use crate::build::{ArticleCache, BuildOptions, LiveSite, Stats};
use crate::config::Config;
use crate::diagnostics::Diagnostics;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct Rebuilder {
    root: PathBuf,
    /// `http://127.0.0.1:1111`, without a path.
    origin: String,
    drafts: bool,
    /// The `base_url` the previous build was made with; `cache` and `last`
    /// hold only for it.
    base_url: String,
    cache: Mutex<ArticleCache>,
    last: Option<LiveSite>,
    /// Files changed since the last good build (kept while edits fail).
    pending: BTreeSet<PathBuf>,
    /// Something changed that only a whole build can take in.
    whole: bool,
}

/// What one rebuild did, for the terminal.
pub enum Outcome {
    Built {
        stats: Stats,
        warnings: Diagnostics,
        took: Duration,
        /// Where the site is served: origin and base path.
        url: String,
    },
    Failed(Diagnostics),
}

impl Rebuilder {
    pub fn new(root: &Path, origin: &str, drafts: bool) -> Rebuilder {
        Rebuilder {
            root: root.to_path_buf(),
            origin: origin.trim_end_matches('/').to_string(),
            drafts,
            base_url: String::new(),
            cache: Mutex::new(ArticleCache::default()),
            last: None,
            pending: BTreeSet::new(),
            whole: true,
        }
    }

    /// Builds the site as it is on disk now and publishes the result.
    pub fn rebuild(&mut self, state: &State) -> Outcome {
        self.rebuild_after(
            state,
            Changes {
                unknown: true,
                ..Changes::default()
            },
        )
    }

    /// Takes in `changes` and publishes the result: the short way when they
    /// are edits of articles in place, otherwise a build of the whole site.
    pub fn rebuild_after(&mut self, state: &State, changes: Changes) -> Outcome {
        let start = Instant::now();
        self.pending.extend(changes.paths);
        self.whole |= changes.unknown || changes.folder;
        if let (false, Some(live)) = (self.whole, self.last.as_mut()) {
            match live.edit(&self.pending, &self.cache) {
                Ok(Some(edited)) => {
                    state.update(&edited.changed, &edited.removed);
                    self.pending.clear();
                    return built(live, start, &self.base_url);
                }
                Ok(None) => {}
                Err(diags) => {
                    state.fail(diags.report());
                    return Outcome::Failed(diags);
                }
            }
        }
        match self.build() {
            Ok(live) => {
                state.publish(live.files.values(), live.base_path());
                let outcome = built(&live, start, &self.base_url);
                self.last = Some(live);
                self.pending.clear();
                self.whole = false;
                outcome
            }
            Err(diags) => {
                state.fail(diags.report());
                Outcome::Failed(diags)
            }
        }
    }

    /// The whole site, built for the local origin.
    fn build(&mut self) -> Result<LiveSite, Diagnostics> {
        // Read for its base path only; the build reads it again, and its
        // errors are the build's.
        let base_path = Config::load(&self.root)?.base_path;
        let base_url = format!("{}{base_path}", self.origin);
        if base_url != self.base_url {
            // Every page's links change: nothing of the last build holds.
            self.cache = Mutex::new(ArticleCache::default());
            self.last = None;
            self.base_url = base_url.clone();
        }
        let opts = BuildOptions {
            root: self.root.clone(),
            base_url: Some(base_url),
            drafts: self.drafts,
            ..Default::default()
        };
        LiveSite::build(&opts, self.last.as_ref(), &self.cache)
    }
}

/// What a successful rebuild that started at `start` tells the terminal.
fn built(live: &LiveSite, start: Instant, url: &str) -> Outcome {
    Outcome::Built {
        stats: live.stats(),
        warnings: live.warnings.clone(),
        took: start.elapsed(),
        url: url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn page(state: &State, rel: &str) -> String {
        let s = state.site.read().unwrap();
        String::from_utf8_lossy(&s.files[rel]).into_owned()
    }

    #[test]
    fn edits_breaks_and_fixes_without_a_server() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "config.toml",
            "title = \"T\"\nbase_url = \"https://u.github.io/repo/\"\n",
        );
        write(
            root,
            "content/entities/people/ana.md",
            "+++\nname = \"Ana Pérez\"\n+++\n",
        );
        let article = |body: &str| format!("+++\ntitle = \"A\"\ndate = 2025-01-01\n+++\n{body}\n");
        write(root, "content/articles/a.md", &article("Ana Pérez spoke."));
        let state = State::default();
        let events = state.subscribe();
        let mut r = Rebuilder::new(root, "http://127.0.0.1:1111", false);

        let Outcome::Built { url, .. } = r.rebuild(&state) else {
            panic!("the first build failed")
        };
        assert_eq!(url, "http://127.0.0.1:1111/repo/");
        assert!(page(&state, "articles/a/index.html").contains("href=\"/repo/entities/ana/\""));
        assert_eq!(state.site.read().unwrap().base_path, "/repo/");
        assert!(events.try_recv().is_ok());

        write(root, "content/articles/a.md", &article("See [[nobody]]."));
        assert!(matches!(r.rebuild(&state), Outcome::Failed(_)));
        let errors = state.site.read().unwrap().errors.clone().unwrap();
        assert!(errors.contains("content/articles/a.md:5:5: error: unknown entity"));
        assert!(page(&state, "articles/a/index.html").contains("Ana Pérez spoke."));

        // A new sub-path in config.toml: served under it from now on.
        write(
            root,
            "config.toml",
            "title = \"T\"\nbase_url = \"https://u.github.io/other/\"\n",
        );
        write(root, "content/articles/a.md", &article("Fixed."));
        assert!(matches!(r.rebuild(&state), Outcome::Built { .. }));
        let s = state.site.read().unwrap();
        assert_eq!(
            (s.errors.as_deref(), s.base_path.as_str()),
            (None, "/other/")
        );
        assert!(String::from_utf8_lossy(&s.files["articles/a/index.html"]).contains("Fixed."));
    }
}
