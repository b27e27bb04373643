//! What `serve` holds between requests: the last good site (in memory, with
//! the base path it is served under), the errors of the last build if it
//! failed, and the event streams of the open pages that wait to reload.
//!
//! [`State::publish`] and [`State::fail`] take the outcome of a rebuild and
//! tell every open page; [`State::subscribe`] gives one page its stream.

use crate::site::OutputFile;
use std::collections::HashMap;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex, RwLock};

/// A message to open pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The site was rebuilt: reload.
    Reload,
    /// The last edit broke the build: show these diagnostics.
    Broken(String),
}

/// The site being served.
#[derive(Default)]
pub struct Site {
    /// By path relative to the output root (`articles/a/index.html`).
    pub files: HashMap<String, Arc<Vec<u8>>>,
    /// The path part of `base_url`: `/` or `/repo/`.
    pub base_path: String,
    /// Diagnostics of the last build, when it failed.
    pub errors: Option<String>,
    /// Counts successful builds.
    pub version: u64,
}

impl Site {
    /// Whether a build has succeeded yet: until then there is no site, only
    /// the errors of the builds that failed.
    pub fn built(&self) -> bool {
        self.version > 0
    }
}

pub struct State {
    pub site: RwLock<Site>,
    listeners: Mutex<Vec<Sender<Event>>>,
    /// Tells this server's pages from those of an earlier run of `serve`.
    instance: u128,
}

impl Default for State {
    fn default() -> Self {
        let instance = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        State {
            site: RwLock::new(Site {
                base_path: "/".to_string(),
                ..Site::default()
            }),
            listeners: Mutex::new(Vec::new()),
            instance,
        }
    }
}

impl State {
    /// No site yet, to be served under `base_path`.
    pub fn new(base_path: &str) -> State {
        let s = State::default();
        if let Ok(mut site) = s.site.write() {
            site.base_path = base_path.to_string();
        }
        s
    }

    /// Replaces the site after a successful build and tells open pages.
    pub fn publish<'f>(&self, files: impl IntoIterator<Item = &'f OutputFile>, base_path: &str) {
        if let Ok(mut s) = self.site.write() {
            s.files = files
                .into_iter()
                .map(|f| (f.path.clone(), f.bytes.clone()))
                .collect();
            s.base_path = base_path.to_string();
            s.errors = None;
            s.version += 1;
        }
        self.broadcast(Event::Reload);
    }

    /// Changes some files of the site after an edit and tells open pages.
    pub fn update(&self, changed: &[OutputFile], removed: &[String]) {
        if let Ok(mut s) = self.site.write() {
            for p in removed {
                s.files.remove(p);
            }
            for f in changed {
                s.files.insert(f.path.clone(), f.bytes.clone());
            }
            s.errors = None;
            s.version += 1;
        }
        self.broadcast(Event::Reload);
    }

    /// Keeps the site, records why the build failed and tells open pages.
    pub fn fail(&self, report: String) {
        if let Ok(mut s) = self.site.write() {
            s.errors = Some(report.clone());
        }
        self.broadcast(Event::Broken(report));
    }

    /// A new stream of events for one open page.
    pub fn subscribe(&self) -> Receiver<Event> {
        let (tx, rx) = channel();
        if let Ok(mut l) = self.listeners.lock() {
            l.push(tx);
        }
        rx
    }

    fn broadcast(&self, e: Event) {
        if let Ok(mut l) = self.listeners.lock() {
            // A page that went away has dropped its receiver: forget it.
            l.retain(|tx| tx.send(e.clone()).is_ok());
        }
    }

    /// Whether a build has succeeded yet (see [`Site::built`]).
    pub fn built(&self) -> bool {
        self.site.read().is_ok_and(|s| s.built())
    }

    /// Names the site's current build: a page served with one name and told
    /// another by the event stream is out of date (or from an earlier run).
    pub fn version_of(&self, site: &Site) -> String {
        format!("{:x}.{}", self.instance, site.version)
    }

    /// `{"ok", "errors", "version"}`: the status endpoint's body, and the
    /// first event a page's stream gets.
    pub fn status_json(&self) -> String {
        match self.site.read() {
            Ok(s) => serde_json::json!({
                "ok": s.errors.is_none(),
                "errors": s.errors,
                "version": self.version_of(&s),
            })
            .to_string(),
            Err(_) => "{\"ok\":false,\"errors\":\"internal error\"}".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_keeps_the_site_and_a_success_clears_the_errors() {
        let state = State::default();
        let rx = state.subscribe();
        let file = OutputFile::new("index.html", b"<p>hi</p>".to_vec());
        state.publish(std::slice::from_ref(&file), "/repo/");
        assert_eq!(rx.try_recv(), Ok(Event::Reload));
        state.fail("a.md:1:1: error: x\n".into());
        assert_eq!(
            rx.try_recv(),
            Ok(Event::Broken("a.md:1:1: error: x\n".into()))
        );
        {
            let s = state.site.read().unwrap();
            assert!(s.files.contains_key("index.html"));
            assert_eq!(s.base_path, "/repo/");
        }
        let status: serde_json::Value = serde_json::from_str(&state.status_json()).unwrap();
        assert_eq!(status["ok"], false);
        state.publish(&[file], "/repo/");
        let status: serde_json::Value = serde_json::from_str(&state.status_json()).unwrap();
        assert_eq!(status["ok"], true);
        assert!(status["errors"].is_null());
    }
}
