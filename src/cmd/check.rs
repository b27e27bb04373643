//! `dossier check`: everything `build` verifies and warns about, without
//! writing; `--base-url` checks the site as `build --base-url` builds it.

use crate::build::{build_into, BuildOptions};
use crate::site::{OutputFile, Sink};

/// Takes nothing: `check` writes no file.
struct NoSink;

impl Sink for NoSink {
    fn put(&self, _file: OutputFile) -> std::io::Result<()> {
        Ok(())
    }

    fn wants_pages(&self) -> bool {
        false
    }
}

pub fn run(root: &std::path::Path, base_url: Option<String>, drafts: bool) -> u8 {
    let opts = BuildOptions {
        root: root.to_path_buf(),
        base_url,
        drafts,
        lint: true,
        ..Default::default()
    };
    match build_into(&opts, &NoSink) {
        Ok(built) => {
            super::print_diagnostics(&built.warnings);
            eprintln!(
                "No errors: {} articles, {} entities checked, {} warning(s)",
                built.stats.articles,
                built.stats.entities,
                built.warnings.warning_count()
            );
            0
        }
        Err(diags) => {
            super::print_diagnostics(&diags);
            1
        }
    }
}
