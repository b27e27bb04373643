//! `dossier init`: being written.

pub fn run(_dir: &std::path::Path, _force: bool) -> u8 {
    eprintln!("error: `init` is not available in this build yet");
    2
}
