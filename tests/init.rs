//! `dossier init`: a new site that builds with no error and no warning, with
//! a Pages workflow, and a command that never overwrites anything.

mod harness;
use harness::*;
use std::process::{Command, Output};

fn init(dir: &std::path::Path, force: bool) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dossier"));
    c.arg("init").arg(dir);
    if force {
        c.arg("--force");
    }
    c.output().unwrap()
}

fn dossier(args: &[&str], root: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap()
}

#[test]
fn a_new_site_builds_without_warnings() {
    let site = Site::empty();
    let dir = site.root().join("new/site");
    let out = init(&dir, false);
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("dossier serve --root"));
    for f in [
        "config.toml",
        ".gitignore",
        ".github/workflows/pages.yml",
        "content/pages/about.md",
        "content/articles/2025-01-15-first-article.md",
        "content/entities/people/marie-curie.md",
        "content/entities/places/paris.md",
    ] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    assert_eq!(
        std::fs::read_to_string(dir.join(".gitignore")).unwrap(),
        "public/\n"
    );

    let out = dossier(&["build"], &dir);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(!err.to_lowercase().contains("warning"), "{err}");
    assert!(!err.contains("error"), "{err}");
    let check = dossier(&["check"], &dir);
    assert!(check.status.success());
    assert!(String::from_utf8_lossy(&check.stderr).contains("0 warning"));

    // One entity linked, one found by name; the about page.
    let public = dir.join("public");
    let page = std::fs::read_to_string(public.join("articles/first-article/index.html")).unwrap();
    assert!(
        page.contains("id=\"m-marie-curie-1\"") && page.contains("id=\"m-paris-1\""),
        "{page}"
    );
    assert!(page.contains("href=\"/my-archive/entities/paris/\""));
    assert!(public.join("about/index.html").is_file());
    assert!(public.join("entities/paris/index.html").is_file());
}

#[test]
fn the_workflow_builds_with_the_pages_url_and_deploys_with_the_official_actions() {
    let site = Site::empty();
    assert!(init(site.root(), false).status.success());
    let wf = std::fs::read_to_string(site.root().join(".github/workflows/pages.yml")).unwrap();
    for want in [
        "actions/configure-pages@",
        "actions/upload-pages-artifact@",
        "actions/deploy-pages@",
        "dossier build --base-url \"${{ steps.pages.outputs.base_url }}/\"",
        "path: public",
        "pages: write",
        "id-token: write",
    ] {
        assert!(wf.contains(want), "{want}");
    }
}

#[test]
fn a_folder_that_is_not_empty_is_refused_and_force_overwrites_nothing() {
    // Not text, not the skeleton's: must come back byte for byte.
    let mine: &[u8] = b"mine = true\r\n\xff\x00 not even UTF-8\n";
    let site = Site::empty();
    site.write("config.toml", mine);
    site.write("content/pages/about.md", b"my about");

    let out = init(site.root(), false);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    assert!(!site.root().join("content/articles").exists());
    assert!(!site.root().join(".gitignore").exists());

    let out = init(site.root(), true);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("kept") && err.contains("config.toml"), "{err}");
    assert!(err.contains("about.md"), "{err}");
    assert_eq!(
        std::fs::read(site.root().join("config.toml")).unwrap(),
        mine
    );
    assert_eq!(
        std::fs::read(site.root().join("content/pages/about.md")).unwrap(),
        b"my about"
    );
    assert!(site
        .root()
        .join("content/entities/places/paris.md")
        .is_file());
    assert!(site.root().join(".github/workflows/pages.yml").is_file());

    // Again: everything exists now, nothing changes.
    let before = std::fs::read(site.root().join(".gitignore")).unwrap();
    std::fs::write(site.root().join(".gitignore"), b"changed\n").unwrap();
    assert!(init(site.root(), true).status.success());
    assert_eq!(
        std::fs::read(site.root().join(".gitignore")).unwrap(),
        b"changed\n"
    );
    assert_ne!(before, b"changed\n");
}

#[test]
fn usage_errors_exit_2() {
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("init")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["init", "x", "--no-such-flag"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
