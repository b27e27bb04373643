//! Progress on a terminal for builds that take a while: a spinner naming the
//! current stage, shown only once a build has run for a second, and never
//! when standard error is not a terminal.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

pub struct Progress {
    bar: Option<ProgressBar>,
    done: Arc<AtomicBool>,
}

impl Progress {
    /// A spinner if `wanted` and standard error is a terminal.
    pub fn new(wanted: bool) -> Progress {
        let done = Arc::new(AtomicBool::new(false));
        if !wanted || !std::io::stderr().is_terminal() {
            return Progress { bar: None, done };
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        let (b, d) = (bar.clone(), done.clone());
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_secs(1));
            if !d.load(Ordering::Relaxed) {
                b.set_draw_target(ProgressDrawTarget::stderr());
                b.enable_steady_tick(Duration::from_millis(120));
            }
        });
        Progress {
            bar: Some(bar),
            done,
        }
    }

    pub fn stage(&self, name: &str) {
        if let Some(b) = &self.bar {
            b.set_message(name.to_string());
        }
    }

    pub fn finish(&self) {
        self.done.store(true, Ordering::Relaxed);
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
