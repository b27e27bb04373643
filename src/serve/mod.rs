//! `dossier serve`: builds the site in memory (never into the user's
//! output folder), serves it on the loopback address under the base path
//! of `base_url`, watches the sources and rebuilds on change — only what
//! changed is annotated and rendered again — and tells open pages to
//! reload, or to show the build's errors while the last good site stays up.

pub mod http;
pub mod paths;
pub mod state;
pub mod watch;

use crate::build::{build_site_incremental, ArticleCache, BuildOptions, Built};
use state::State;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Instant;

pub struct Options {
    pub bind: String,
    pub port: u16,
    pub drafts: bool,
    pub open: bool,
}

/// Runs until the process is stopped (Ctrl-C). Returns an exit status.
pub fn run(root: &Path, o: &Options) -> u8 {
    let base_path = match crate::config::Config::load(root) {
        Ok(c) => c.base_path,
        Err(d) => {
            crate::cmd::print_diagnostics(&d);
            return 1;
        }
    };
    let host = if o.bind.contains(':') {
        format!("[{}]", o.bind)
    } else {
        o.bind.clone()
    };
    let opts = BuildOptions {
        root: root.to_path_buf(),
        base_url: Some(format!("http://{host}:{}{base_path}", o.port)),
        drafts: o.drafts,
        ..Default::default()
    };
    let server = match tiny_http::Server::http((o.bind.as_str(), o.port)) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            eprintln!(
                "error: cannot listen on {host}:{}: {e} (is the port in use? try --port {})",
                o.port,
                o.port.wrapping_add(1)
            );
            return 1;
        }
    };
    let state = Arc::new(State::default());
    let cache = Mutex::new(ArticleCache::default());
    let mut last: Option<Built> = None;
    rebuild(&opts, &state, &cache, &mut last);
    let watcher = match watch::watch(root) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("error: {e}");
            return 1;
        }
    };
    {
        let (server, state, base) = (server.clone(), state.clone(), base_path.clone());
        std::thread::spawn(move || http::serve(server, state, base));
    }
    let url = format!("http://{host}:{}{base_path}", o.port);
    println!("Serving {} at {url} (Ctrl-C to stop)", root.display());
    if o.open {
        open_browser(&url);
    }
    while watcher.next_change() {
        rebuild(&opts, &state, &cache, &mut last);
    }
    0
}

/// Builds once and publishes the result (or the errors).
pub fn rebuild(
    opts: &BuildOptions,
    state: &State,
    cache: &Mutex<ArticleCache>,
    last: &mut Option<Built>,
) {
    let start = Instant::now();
    match build_site_incremental(opts, last.as_ref(), Some(cache)) {
        Ok(built) => {
            crate::cmd::print_diagnostics(&built.warnings);
            println!(
                "Built {} articles, {} entities, {} pages in {:.0} ms",
                built.stats.articles,
                built.stats.entities,
                built.stats.pages,
                start.elapsed().as_secs_f64() * 1000.0
            );
            state.publish(&built.files);
            *last = Some(built);
        }
        Err(diags) => {
            crate::cmd::print_diagnostics(&diags);
            eprintln!("build failed; still serving the last good site");
            state.fail(diags.report());
        }
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
