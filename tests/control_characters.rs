//! Characters HTML and XML cannot carry never reach a page or the feed:
//! control characters and noncharacters that TOML escapes (`"\u0001"`)
//! put into titles, names, tags and notes after the files were read.

mod harness;
use harness::*;

#[test]
fn escaped_control_characters_and_noncharacters_never_reach_html_or_xml() {
    let bad = r"\u0001\u0008\u000b\u007f\u0085\ufffe\ufdd0";
    let site = Site::empty()
        .file(
            "config.toml",
            &format!(
                "title = \"Site{bad}\"\nbase_url = \"https://example.org/\"\ndescription = \"D{bad}\"\n"
            ),
        )
        .file(
            "content/entities/people/ana.md",
            &format!(
                "+++\nname = \"Ana Ruiz\"\naliases = [\"A{bad}R\"]\nsummary = \"S{bad}\"\n+++\nAbout.\n"
            ),
        )
        .file(
            "content/articles/a.md",
            &format!(
                "+++\ntitle = \"T{bad}\"\ndate = 2025-01-01\nauthors = [\"W{bad}\"]\ntags = [\"g{bad}\"]\n\
                 summary = \"Y{bad}\"\nsource = \"https://example.org/{bad}\"\n\n\
                 [[annotations]]\nquote = \"Ana Ruiz\"\nnote = \"N{bad} of [[ana]].\"\n+++\nAna Ruiz spoke.\n"
            ),
        )
        .file(
            "content/pages/about.md",
            &format!("+++\ntitle = \"P{bad}\"\n+++\nAbout.\n"),
        );
    let run = site.build(&[]);
    run.assert_ok();
    let forbidden = |c: char| {
        (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
            || matches!(c, '\u{fdd0}'..='\u{fdef}')
            || (u32::from(c) & 0xfffe) == 0xfffe
    };
    let mut checked = 0;
    for rel in run.files() {
        if !(rel.ends_with(".html") || rel.ends_with(".xml")) {
            continue;
        }
        let text = run.page(&rel);
        if let Some(c) = text.chars().find(|&c| forbidden(c)) {
            panic!("{rel} holds {c:?}:\n{text}");
        }
        checked += 1;
    }
    assert!(checked >= 8, "only {checked} pages checked");
    // The visible text is kept around them.
    let page = run.page("articles/a/index.html");
    assert!(page.contains("<h1>T  "), "{page}");
    assert!(run.page("atom.xml").contains("<title>T  "));
}
