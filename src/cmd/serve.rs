//! `dossier serve`: see [`crate::serve`].

pub fn run(root: &std::path::Path, bind: &str, port: u16, drafts: bool, open: bool) -> u8 {
    let opts = crate::serve::Options {
        bind: bind.to_string(),
        port,
        drafts,
        open,
    };
    crate::serve::run(root, &opts)
}
