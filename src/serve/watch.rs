//! Watches what a site is made of — `config.toml`, `content/`, `templates/`,
//! `static/` — and sends a [`Signal::Changed`] down the channel it is given
//! for every change (files created, written, renamed, removed; not reads:
//! the build itself opens every file). [`next`] gathers a burst of them
//! (one save is often several events) into one rebuild.
//!
//! Folders are watched recursively, never single files, so an editor that
//! saves by writing a temporary file and renaming it over the original is
//! seen too; the root is watched on its own level for `config.toml` and for
//! the three folders appearing or being replaced ([`Watch::rewatch`]).

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// The folders of a site that are watched, recursively.
pub const FOLDERS: [&str; 3] = ["content", "templates", "static"];

/// How long a burst of events may take: one more event within this time
/// belongs to the same change.
pub const SETTLE: Duration = Duration::from_millis(100);

/// What the main loop of `serve` waits for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signal {
    /// Something changed; `folder` when one of [`FOLDERS`] itself appeared,
    /// went or was replaced (its watch must be set up again).
    Changed(Changes),
    /// The lint of a build is done (see [`super::rebuild`]): its number.
    Linted(u64),
    /// Stop serving (Ctrl-C).
    Stop,
}

/// What changed in a burst of events.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// One of [`FOLDERS`] itself appeared, went or was replaced: its watch
    /// must be set up again.
    pub folder: bool,
    /// The watcher lost track (its queue overflowed): anything may have
    /// changed.
    pub unknown: bool,
    /// The files that changed, relative to the site's root.
    pub paths: BTreeSet<PathBuf>,
}

impl Changes {
    fn add(&mut self, other: Changes) {
        self.folder |= other.folder;
        self.unknown |= other.unknown;
        self.paths.extend(other.paths);
    }
}

/// What [`next`] gives.
#[derive(Debug, PartialEq, Eq)]
pub enum Next {
    Rebuild(Changes),
    /// A lint is done, and no change came first.
    Linted(u64),
    Stop,
}

/// Waits for a change, then for its burst to settle; or for a lint to be
/// done. A stop wins; a lint done while a change settles is passed over
/// (the rebuild that follows makes it out of date).
pub fn next(rx: &Receiver<Signal>) -> Next {
    let mut changes = match rx.recv() {
        Ok(Signal::Changed(c)) => c,
        Ok(Signal::Linted(n)) => return Next::Linted(n),
        Ok(Signal::Stop) | Err(_) => return Next::Stop,
    };
    // Only a change puts the end of the burst off.
    let mut until = Instant::now() + SETTLE;
    loop {
        let left = until.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(Signal::Changed(c)) => {
                changes.add(c);
                until = Instant::now() + SETTLE;
            }
            Ok(Signal::Linted(_)) => {}
            Ok(Signal::Stop) | Err(RecvTimeoutError::Disconnected) => return Next::Stop,
            Err(RecvTimeoutError::Timeout) => return Next::Rebuild(changes),
        }
    }
}

pub struct Watch {
    // Dropping the watcher stops watching.
    watcher: RecommendedWatcher,
    root: PathBuf,
}

/// Starts watching the site at `root`; changes go to `tx`.
pub fn watch(root: &Path, tx: Sender<Signal>) -> Result<Watch, String> {
    // Events name paths under the folder as it was given to the watcher; a
    // canonical root makes them comparable on every platform.
    let root = root
        .canonicalize()
        .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    let base = root.clone();
    let watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        let Ok(event) = res else { return };
        if !matches!(
            event.kind,
            EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
        ) {
            return;
        }
        let mut changes = Changes {
            unknown: event.need_rescan(),
            ..Changes::default()
        };
        for p in &event.paths {
            match classify(&base, p) {
                Some(Kind::Folder) => changes.folder = true,
                Some(Kind::File) => {}
                None => continue,
            }
            if let Ok(rel) = p.strip_prefix(&base) {
                changes.paths.insert(rel.to_path_buf());
            }
        }
        if changes.unknown || !changes.paths.is_empty() {
            let _ = tx.send(Signal::Changed(changes));
        }
    })
    .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    let mut w = Watch { watcher, root };
    w.watcher
        .watch(&w.root, RecursiveMode::NonRecursive)
        .map_err(|e| format!("cannot watch {}: {e}", w.root.display()))?;
    w.rewatch()?;
    Ok(w)
}

impl Watch {
    /// Watches each of [`FOLDERS`] that exists now, afresh: a folder created
    /// after `serve` started, or removed and made again, is watched too.
    pub fn rewatch(&mut self) -> Result<(), String> {
        for dir in FOLDERS {
            let p = self.root.join(dir);
            // Not watched, or watching something gone: either way, fine.
            let _ = self.watcher.unwatch(&p);
            if p.is_dir() {
                self.watcher
                    .watch(&p, RecursiveMode::Recursive)
                    .map_err(|e| format!("cannot watch {}: {e}", p.display()))?;
            }
        }
        Ok(())
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Kind {
    /// One of [`FOLDERS`] itself.
    Folder,
    /// `config.toml`, or anything inside one of [`FOLDERS`].
    File,
}

/// Whether a changed path is part of the site: not the output folder, nor
/// an editor's lock file beside `config.toml`.
fn classify(root: &Path, p: &Path) -> Option<Kind> {
    let rel = p.strip_prefix(root).ok()?;
    let mut parts = rel.components();
    let first = parts.next()?.as_os_str().to_str()?;
    let deeper = parts.next().is_some();
    if FOLDERS.contains(&first) {
        Some(if deeper { Kind::File } else { Kind::Folder })
    } else if first == "config.toml" && !deeper {
        Some(Kind::File)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc::channel;

    #[test]
    fn only_the_sources_count() {
        let root = Path::new("/site");
        let c = |p: &str| classify(root, Path::new(p));
        assert_eq!(c("/site/config.toml"), Some(Kind::File));
        assert_eq!(c("/site/content/articles/a.md"), Some(Kind::File));
        assert_eq!(c("/site/static/x/y.png"), Some(Kind::File));
        assert_eq!(c("/site/templates"), Some(Kind::Folder));
        assert_eq!(c("/site/public/index.html"), None);
        assert_eq!(c("/site/.config.toml.swp"), None);
        assert_eq!(c("/site/config.toml~"), None);
        assert_eq!(c("/elsewhere/content/a.md"), None);
    }

    #[test]
    fn a_burst_is_one_rebuild_and_stop_wins() {
        let (tx, rx) = channel();
        let file = |p: &str| {
            Signal::Changed(Changes {
                paths: [PathBuf::from(p)].into(),
                ..Changes::default()
            })
        };
        for _ in 0..5 {
            tx.send(file("content/articles/a.md")).unwrap();
        }
        tx.send(file("content/articles/b.md")).unwrap();
        tx.send(Signal::Changed(Changes {
            folder: true,
            paths: [PathBuf::from("templates")].into(),
            ..Changes::default()
        }))
        .unwrap();
        let Next::Rebuild(c) = next(&rx) else {
            panic!("a rebuild")
        };
        assert!(c.folder && !c.unknown);
        let names: Vec<&str> = c.paths.iter().filter_map(|p| p.to_str()).collect();
        assert_eq!(
            names,
            [
                "content/articles/a.md",
                "content/articles/b.md",
                "templates"
            ]
        );
        // A lint done: told when it comes first, passed over in a burst.
        tx.send(Signal::Linted(3)).unwrap();
        assert_eq!(next(&rx), Next::Linted(3));
        tx.send(file("content/articles/c.md")).unwrap();
        tx.send(Signal::Linted(4)).unwrap();
        tx.send(file("content/articles/d.md")).unwrap();
        let Next::Rebuild(c) = next(&rx) else {
            panic!("a rebuild")
        };
        assert_eq!(c.paths.len(), 2);
        tx.send(file("config.toml")).unwrap();
        tx.send(Signal::Stop).unwrap();
        assert_eq!(next(&rx), Next::Stop);
        drop(tx);
        assert_eq!(next(&rx), Next::Stop);
    }
}
