//! What `serve` holds between requests: the last good site (in memory), the
//! errors of the last build if it failed, and the open event streams of the
//! pages that wait to reload.

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

impl Event {
    /// As a Server-Sent Events frame.
    pub fn frame(&self) -> String {
        match self {
            Event::Reload => "event: reload\ndata: {}\n\n".to_string(),
            Event::Broken(text) => {
                let data = serde_json::json!({ "ok": false, "errors": text }).to_string();
                format!("event: broken\ndata: {data}\n\n")
            }
        }
    }
}

#[derive(Default)]
pub struct Site {
    pub files: HashMap<String, Arc<Vec<u8>>>,
    /// Diagnostics of the last build, when it failed.
    pub errors: Option<String>,
    /// Counts successful builds.
    pub version: u64,
}

#[derive(Default)]
pub struct State {
    pub site: RwLock<Site>,
    listeners: Mutex<Vec<Sender<Event>>>,
}

impl State {
    /// Replaces the site after a successful build and tells open pages.
    pub fn publish(&self, files: &[OutputFile]) {
        if let Ok(mut s) = self.site.write() {
            s.files = files
                .iter()
                .map(|f| (f.path.clone(), f.bytes.clone()))
                .collect();
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

    /// `{"ok": bool, "errors": text|null, "version": n}` for the status endpoint.
    pub fn status_json(&self) -> String {
        match self.site.read() {
            Ok(s) => serde_json::json!({ "ok": s.errors.is_none(), "errors": s.errors, "version": s.version }).to_string(),
            Err(_) => "{\"ok\":false}".to_string(),
        }
    }
}
