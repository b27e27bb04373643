//! `dossier serve`: being written.

pub fn run(_root: &std::path::Path, _bind: &str, _port: u16, _drafts: bool, _open: bool) -> u8 {
    eprintln!("error: `serve` is not available in this build yet");
    2
}
