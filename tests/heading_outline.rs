//! Headings written in an article, a page or a note take the levels the
//! page's outline allows: under the page's `<h1>` (the notes' `<h2>`), with
//! no level skipped, which HTML checkers report as an error.

mod harness;
use harness::*;

/// The heading levels of `html` between `from` and `to`, in order.
fn levels(html: &str, from: &str, to: &str) -> Vec<u8> {
    let start = html.find(from).expect("start marker");
    let end = start + html[start..].find(to).expect("end marker");
    let part = &html[start..end];
    part.match_indices("<h")
        .filter_map(|(i, _)| {
            let d = part.as_bytes().get(i + 2)?;
            (b'1'..=b'6').contains(d).then_some(d - b'0')
        })
        .collect()
}

#[test]
fn headings_keep_their_shape_without_skipping_a_level() {
    let site = Site::new()
        .file(
            "content/articles/hashes.md",
            &article("Hashes", "2025-01-02", "# One\n\nText.\n\n## Under one\n\nText.\n\n# Two\n\nText.\n"),
        )
        .file(
            "content/articles/deep.md",
            &article(
                "Deep",
                "2025-01-01",
                "Intro.\n\n### Section\n\nText.\n\n##### Too deep\n\nText.\n\n### Next\n\n#### Sub\n\nText.[^n]\n\n\
                 [^n]: A note.\n\n    ### In a note\n\n    Text.\n",
            ),
        )
        .file(
            "content/pages/about.md",
            "+++\ntitle = \"About\"\n+++\n#### Who\n\nUs.\n\n###### What\n\nThis.\n",
        );
    let run = site.build(&[]);
    run.assert_ok();
    let hashes = run.page("articles/hashes/index.html");
    assert_eq!(
        levels(&hashes, "<div class=\"article-body\">", "</div>"),
        vec![2, 3, 2]
    );
    let deep = run.page("articles/deep/index.html");
    assert_eq!(
        levels(&deep, "<div class=\"article-body\">", "</div>"),
        vec![2, 3, 2, 3]
    );
    // The notes' heading is an <h2>: a heading in a note goes under it.
    assert_eq!(
        levels(&deep, "<section class=\"footnotes\">", "</section>"),
        vec![2, 3]
    );
    let about = run.page("about/index.html");
    assert_eq!(
        levels(&about, "<div class=\"page-body\">", "</div>"),
        vec![2, 3]
    );
}
