//! Watches what a site is made of — `config.toml`, `content/`, `templates/`,
//! `static/` — and says when it changed. Only changes count (files created,
//! written, renamed, removed), not reads: the build itself opens every file.
//! Folders are watched recursively, so an editor that saves by writing a
//! temporary file and renaming it over the original is seen too. A burst of
//! events (one save is often several) is gathered by the caller, see
//! [`Watch::next_change`].

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use std::path::Path;
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::Duration;

pub struct Watch {
    // Dropping the watcher stops watching.
    _watcher: RecommendedWatcher,
    changes: Receiver<()>,
}

/// How long a burst of events may take.
const SETTLE: Duration = Duration::from_millis(60);

impl Watch {
    /// Waits for a change, then for the burst it belongs to to settle.
    /// `false` when watching has stopped.
    pub fn next_change(&self) -> bool {
        if self.changes.recv().is_err() {
            return false;
        }
        loop {
            match self.changes.recv_timeout(SETTLE) {
                Ok(()) => continue,
                Err(RecvTimeoutError::Timeout) => return true,
                Err(RecvTimeoutError::Disconnected) => return false,
            }
        }
    }
}

pub fn watch(root: &Path) -> Result<Watch, String> {
    let (tx, rx) = channel();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        let Ok(event) = res else { return };
        let changed = matches!(
            event.kind,
            EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
        );
        // Only what the site is made of: not an editor's lock file in the
        // root, nor the output folder.
        let ours = event.paths.iter().any(|p| {
            p.components().any(|c| {
                matches!(
                    c.as_os_str().to_str(),
                    Some("content" | "templates" | "static")
                )
            }) || p.file_name().is_some_and(|n| n == "config.toml")
        });
        if changed && ours {
            let _ = tx.send(());
        }
    })
    .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    watcher
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    for dir in ["content", "templates", "static"] {
        let p = root.join(dir);
        if p.is_dir() {
            watcher
                .watch(&p, RecursiveMode::Recursive)
                .map_err(|e| format!("cannot watch {}: {e}", p.display()))?;
        }
    }
    Ok(Watch {
        _watcher: watcher,
        changes: rx,
    })
}
