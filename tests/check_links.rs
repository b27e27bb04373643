//! `dossier check` warns about links in the content that point at nothing:
//! no page of the site, or no element with the fragment's id on it (the
//! format wants every internal link and `#fragment` of the output to
//! resolve). Links that do resolve are not mentioned.

mod harness;
use harness::*;

#[test]
fn links_to_missing_pages_and_anchors_are_warned_about() {
    let body = "Rubio[^1] spoke. [a](#fn-1) [b](#main-content) [c](#nothere) \
                [d](../b/#fn-1) [e](../b/#gone) [f](/sub/path/articles/nope/) [g](/sub/path/about/#x) [h](/sub/path/about/)\n\n\
                [^1]: A note.\n";
    let site = Site::new()
        .file(
            "content/entities/people/marco-rubio.md",
            &entity("Marco Rubio", &["Rubio"], "Secretary of State"),
        )
        .file("content/articles/a.md", &article("A", "2025-01-02", body))
        .file(
            "content/articles/b.md",
            &article("B", "2025-01-01", "B.[^1]\n\n[^1]: Its note.\n"),
        )
        .file(
            "content/pages/about.md",
            "+++\ntitle = \"About\"\n+++\nHi.\n",
        );
    let run = site.run(&["check"]);
    run.assert_ok();
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("warning:") && l.contains("a.md"))
        .collect();
    let warned = |url: &str| warnings.iter().any(|w| w.contains(&format!("`{url}`")));
    for url in [
        "#nothere",
        "../b/#gone",
        "/sub/path/articles/nope/",
        "/sub/path/about/#x",
    ] {
        assert!(warned(url), "no warning for {url}:\n{}", run.stderr);
    }
    for url in ["#fn-1", "#main-content", "../b/#fn-1", "/sub/path/about/"] {
        assert!(!warned(url), "warning for {url}:\n{}", run.stderr);
    }
    assert_eq!(warnings.len(), 4, "{warnings:#?}");
    assert!(warnings
        .iter()
        .any(|w| w.contains("a.md:5:") && w.contains("has no `#nothere`")));
}
