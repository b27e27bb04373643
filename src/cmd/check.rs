//! `dossier check`: everything `build` verifies, plus lints, without writing.

use crate::build::{build_site, BuildOptions};

pub fn run(root: &std::path::Path, drafts: bool) -> u8 {
    let opts = BuildOptions {
        root: root.to_path_buf(),
        drafts,
        lint: true,
        ..Default::default()
    };
    match build_site(&opts) {
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
