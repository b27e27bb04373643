//! `dossier serve`: see [`crate::serve`]. Exit 1 when it cannot start.

pub fn run(root: &std::path::Path, bind: &str, port: u16, drafts: bool, open: bool) -> u8 {
    let opts = crate::serve::Options {
        bind: bind.to_string(),
        port,
        drafts,
        open,
    };
    match crate::serve::run(root, &opts) {
        Ok(()) => 0,
        Err(crate::serve::Error::Config(d)) => {
            super::print_diagnostics(&d);
            1
        }
        Err(e) => {
            eprintln!("error: {e}");
            1
        }
    }
}
