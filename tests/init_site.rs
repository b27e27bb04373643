//! `dossier init`: a new site that builds with no error and no warning, and
//! that never overwrites anything.

mod harness;
use harness::*;
use std::process::Command;

fn init(dir: &std::path::Path, force: bool) -> std::process::Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dossier"));
    c.arg("init").arg(dir);
    if force {
        c.arg("--force");
    }
    c.output().unwrap()
}

#[test]
fn a_new_site_builds_without_warnings() {
    let site = Site::empty();
    let dir = site.root().join("new");
    assert!(init(&dir, false).status.success());
    for f in [
        "config.toml",
        ".gitignore",
        ".github/workflows/pages.yml",
        "content/pages/about.md",
    ] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["build", "--root"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("warning"), "{err}");
    let check = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["check", "--root"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(check.status.success());
    assert!(String::from_utf8_lossy(&check.stderr).contains("0 warning"));
    // One entity linked, one found by name.
    let page =
        std::fs::read_to_string(dir.join("public/articles/first-article/index.html")).unwrap();
    assert!(
        page.contains("id=\"m-marie-curie-1\"") && page.contains("id=\"m-paris-1\""),
        "{page}"
    );
}

#[test]
fn a_folder_that_is_not_empty_is_refused_and_force_overwrites_nothing() {
    let site = Site::empty().file("config.toml", "mine = true\n");
    let out = init(site.root(), false);
    assert_eq!(out.status.code(), Some(1));
    assert!(!site.root().join("content").exists());
    let out = init(site.root(), true);
    assert!(out.status.success());
    assert_eq!(
        std::fs::read_to_string(site.root().join("config.toml")).unwrap(),
        "mine = true\n"
    );
    assert!(site.root().join("content/pages/about.md").is_file());
}
