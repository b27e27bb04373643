//! `dossier serve`: a live preview. [`run`] takes the site's folder and the
//! [`Options`] of the command line and serves until Ctrl-C:
//!
//! 1. [`rebuild`]: build in memory (never into the user's output folder),
//!    with `base_url` pointed at the local server, its sub-path kept;
//! 2. [`http`]: serve that site under the sub-path ([`paths`] decides what a
//!    request may reach), with a script ([`livereload`]) in every page;
//! 3. [`watch`]: on every change to the sources, rebuild, and tell open pages
//!    through [`state`] to reload, or to show the errors over the last good
//!    site until the edit is fixed;
//! 4. once a build is served, lint it as `build` does (broken internal
//!    links, entities never mentioned) off the edit's critical path, and
//!    print its warnings: all after the first build, then those that are
//!    new, with a count (see [`rebuild`]).

pub mod http;
pub mod livereload;
pub mod paths;
pub mod rebuild;
pub mod state;
pub mod watch;

use crate::diagnostics::Diagnostics;
use rebuild::{Outcome, Rebuilder};
use state::State;
use std::fmt;
use std::path::Path;
use std::sync::mpsc::channel;
use std::sync::Arc;
use watch::{Next, Signal};

pub struct Options {
    pub bind: String,
    pub port: u16,
    pub drafts: bool,
    pub open: bool,
}

/// Why `serve` could not start.
#[derive(Debug)]
pub enum Error {
    /// The site's `config.toml` is missing or wrong.
    Config(Diagnostics),
    /// The address cannot be listened on (often: the port is taken).
    Listen {
        addr: String,
        port: u16,
        why: String,
    },
    Watch(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config(d) => write!(f, "{}", d.report().trim_end()),
            Error::Listen { addr, port, why } => write!(
                f,
                "cannot listen on {addr}:{port}: {why}\n  = is another server using port {port}? choose another one with --port {}",
                port.checked_add(1).unwrap_or(1111)
            ),
            Error::Watch(why) => write!(f, "{why}"),
        }
    }
}

/// The host part of the site's local URL: `127.0.0.1` as is, an IPv6
/// address in brackets (as URLs write it), and for "every address" the
/// loopback one, which a browser on this machine can open.
fn host(bind: &str) -> String {
    match bind {
        "0.0.0.0" => return "127.0.0.1".to_string(),
        "::" | "[::]" => return "[::1]".to_string(),
        _ => {}
    }
    if bind.contains(':') && !bind.starts_with('[') {
        format!("[{bind}]")
    } else {
        bind.to_string()
    }
}

/// Serves the site at `root` until Ctrl-C.
pub fn run(root: &Path, o: &Options) -> Result<(), Error> {
    // A folder that is not a site is an error before anything starts; later
    // errors in config.toml are shown in the browser like any other.
    let base_path = crate::config::Config::load(root)
        .map_err(Error::Config)?
        .base_path;
    let host = host(&o.bind);
    let server =
        tiny_http::Server::http((o.bind.trim_matches(['[', ']']), o.port)).map_err(|e| {
            Error::Listen {
                addr: o.bind.clone(),
                port: o.port,
                why: e.to_string(),
            }
        })?;
    // With --port 0 the system chose one.
    let port = server.server_addr().to_ip().map_or(o.port, |a| a.port());
    let server = Arc::new(server);

    // Watch before the first build, so that no edit made during it is lost.
    let (tx, rx) = channel();
    let mut watcher = watch::watch(root, tx.clone()).map_err(Error::Watch)?;
    let lints = tx.clone();
    if let Err(e) = ctrlc::set_handler(move || {
        let _ = tx.send(Signal::Stop);
    }) {
        eprintln!("warning: Ctrl-C will stop serve abruptly: {e}");
    }

    let state = Arc::new(State::new(&base_path));
    let mut rebuilder = Rebuilder::new(root, &format!("http://{host}:{port}"), o.drafts);
    rebuilder.notify_lints(lints);
    let first = rebuilder.rebuild(&state);
    // The first build's warnings, its lints' included, as `build` prints
    // them: all of them, before the count of what was built.
    print_warnings(rebuilder.report_warnings());
    let url =
        report(first, state.built()).unwrap_or_else(|| format!("http://{host}:{port}{base_path}"));
    {
        let (server, state) = (server.clone(), state.clone());
        std::thread::spawn(move || http::serve(server, state));
    }
    println!("Serving {} at {url} (Ctrl-C to stop)", root.display());
    if o.open {
        open_browser(&url);
    }
    let mut url = url;
    // Until Ctrl-C: every settled burst of changes is one rebuild, whose
    // warnings are printed when its lint is done.
    loop {
        let changes = match watch::next(&rx) {
            Next::Rebuild(changes) => changes,
            Next::Linted(n) => {
                print_warnings(rebuilder.lint_done(n));
                continue;
            }
            Next::Stop => break,
        };
        if changes.folder {
            if let Err(e) = watcher.rewatch() {
                eprintln!("warning: {e}");
            }
        }
        let outcome = rebuilder.rebuild_after(&state, changes);
        if let Some(now) = report(outcome, state.built()) {
            if now != url {
                println!("Now serving at {now}");
                url = now;
            }
        }
    }
    server.unblock();
    println!("Stopped.");
    Ok(())
}

/// Prints what a rebuild did; gives the site's URL when it built. `built`:
/// whether any build has succeeded, so that a site is being served.
fn report(outcome: Outcome, built: bool) -> Option<String> {
    match outcome {
        Outcome::Built {
            stats, took, url, ..
        } => {
            // Its warnings come when it is linted: see [`print_warnings`].
            println!(
                "Built {} articles, {} entities, {} pages in {:.0} ms",
                stats.articles,
                stats.entities,
                stats.pages,
                took.as_secs_f64() * 1000.0
            );
            Some(url)
        }
        Outcome::Failed(diags) => {
            crate::cmd::print_diagnostics(&diags);
            eprintln!("{}", failed_message(built));
            None
        }
    }
}

/// Prints what [`Rebuilder::report_warnings`] says, if anything.
fn print_warnings(text: Option<String>) {
    if let Some(text) = text {
        eprint!("{text}");
    }
}

/// What the terminal says after a failed build.
fn failed_message(built: bool) -> &'static str {
    if built {
        "build failed; still serving the last good site"
    } else {
        "build failed; no site to serve yet: every page is a 404 showing these errors until they are fixed"
    }
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(cmd).arg(url).spawn().is_err() {
        eprintln!("could not open a browser; visit {url}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_urls_name_an_address_a_browser_can_open() {
        assert_eq!(host("127.0.0.1"), "127.0.0.1");
        assert_eq!(host("0.0.0.0"), "127.0.0.1");
        assert_eq!(host("::1"), "[::1]");
        assert_eq!(host("::"), "[::1]");
        assert_eq!(host("localhost"), "localhost");
    }

    #[test]
    fn a_failed_build_speaks_of_a_last_good_site_only_when_there_is_one() {
        assert!(failed_message(true).contains("last good site"));
        assert!(!failed_message(false).contains("last good"));
        assert!(failed_message(false).contains("no site"));
    }

    #[test]
    fn a_taken_port_suggests_another() {
        let e = Error::Listen {
            addr: "127.0.0.1".into(),
            port: 1111,
            why: "Address already in use".into(),
        };
        assert!(e.to_string().contains("--port 1112"));
    }
}
