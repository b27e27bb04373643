//! Nothing outside the site is read: a symbolic link in `content/` or
//! `static/` is skipped, with a warning naming it rather than in silence.

mod harness;
use harness::*;

#[cfg(unix)]
#[test]
fn symbolic_links_are_skipped_with_a_warning() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("x.md"),
        article("Outside", "2025-01-01", "Not in the site."),
    )
    .unwrap();
    let site = Site::new().file(
        "content/articles/a.md",
        &article("A", "2025-01-02", "Inside."),
    );
    std::os::unix::fs::symlink(
        outside.path().join("x.md"),
        site.root().join("content/articles/x.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), site.root().join("content/articles/2024")).unwrap();
    let run = site.build(&[]);
    run.assert_ok();
    assert!(run.exists("articles/a/index.html"));
    assert!(!run.exists("articles/x/index.html"));
    for link in ["content/articles/x.md", "content/articles/2024"] {
        assert!(
            run.stderr
                .lines()
                .any(|l| l.contains(link) && l.contains("warning:") && l.contains("symbolic link")),
            "no warning for {link}:\n{}",
            run.stderr
        );
    }
}
