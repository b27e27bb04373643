//! Entity links as written in real Markdown: hard-wrapped across lines,
//! holding formatting, escaped, or malformed. Each either works or is an
//! error at its own file, line and column; none is silently left as text.

mod harness;
use harness::*;

fn site(body: &str) -> Site {
    Site::new()
        .file(
            "content/entities/people/marie-curie.md",
            &entity("Marie Curie", &["Curie"], "Physicist"),
        )
        .file(
            "content/entities/places/paris.md",
            &entity("Paris", &[], "Capital"),
        )
        .file("content/articles/a.md", &article("A", "2025-01-01", body))
}

/// Both `build` and `check` fail with exactly these errors (`line:col`,
/// message), shown with their lines, and nothing panics.
fn errors(body: &str, expected: &[(&str, &str)]) {
    let site = site(body);
    for run in [site.build(&[]), site.run(&["check"])] {
        for (at, msg) in expected {
            run.assert_error(&format!("content/articles/a.md:{at}: "), msg);
        }
        let count = run
            .stderr
            .lines()
            .filter(|l| l.contains(": error: "))
            .count();
        assert_eq!(count, expected.len(), "{}", run.stderr);
        assert!(run.stderr.contains(" | "), "{}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
}

#[test]
fn links_across_line_breaks_and_with_formatting_work() {
    let run = site(
        "We met [[Marie\nCurie]] and [[marie-curie|the famous\nphysicist]] yesterday.\n\
         A [[paris|*Paris* city]] and [[paris|`code`]].",
    )
    .build(&[]);
    run.assert_ok();
    let page = run.page("articles/a/index.html");
    assert!(!page.contains("[["), "{page}");
    assert!(!page.contains("]]"), "{page}");
    for (id, shown) in [
        ("marie-curie-1", ">Marie\nCurie</a>"),
        ("marie-curie-2", ">the famous\nphysicist</a>"),
        ("paris-1", "><em>Paris</em> city</a>"),
        ("paris-2", "><code>code</code></a>"),
    ] {
        let at = page
            .find(&format!("id=\"m-{id}\""))
            .unwrap_or_else(|| panic!("no mention {id} in {page}"));
        let tail = &page[at..];
        let end = tail.find("</a>").unwrap() + 4;
        assert!(tail[..end].ends_with(shown), "{id}: {}", &tail[..end]);
    }
    run.assert_links_resolve("/sub/path/");
    // Every link is counted on the entity's page.
    let ent = run.page("entities/paris/index.html");
    assert!(ent.contains("#m-paris-2"), "{ent}");
}

#[test]
fn an_unknown_target_across_lines_is_an_error_at_its_position() {
    // The body starts on line 5 of the file.
    errors(
        "We met [[Marie\nCurie]] and [[nobody\nhere]] yesterday.",
        &[("6:13", "unknown entity `nobody here`")],
    );
}

#[test]
fn escaped_brackets_are_text() {
    let run = site("Escaped \\[\\[paris]] and \\[[marie-curie]] here.").build(&[]);
    run.assert_ok();
    let page = run.page("articles/a/index.html");
    assert!(
        page.contains("Escaped [[paris]] and [[marie-curie]] here."),
        "{page}"
    );
    assert!(!page.contains("m-paris-1"), "{page}");
    assert!(!page.contains("m-marie-curie-1"), "{page}");
}

#[test]
fn error_columns_count_escapes_and_entities_before_the_link() {
    errors(
        "Escaped \\[\\[x]] and &amp; &#91; \\* é [[nobody3]] here.\n\n\
         \\[[[nobody4]] and [[nobody5|*x*]].",
        &[
            ("5:38", "unknown entity `nobody3`"),
            ("7:3", "unknown entity `nobody4`"),
            ("7:19", "unknown entity `nobody5`"),
        ],
    );
}

#[test]
fn malformed_links_are_errors() {
    errors(
        "Empty [[]], no text [[paris|]], no target [[|text]].\n\n\
         Formatted [[*paris*]] and *crossing [[paris|formatting* here]].\n\n\
         A link [[paris|see [x](https://x.org/)]].",
        &[
            ("5:7", "empty entity link"),
            ("5:21", "`[[paris|]]` has no text after `|`"),
            ("5:43", "entity link without a target"),
            (
                "7:11",
                "the target of an entity link cannot hold formatting",
            ),
            ("7:37", "cannot start or end inside formatting"),
            ("9:8", "an entity link cannot hold a link"),
        ],
    );
}

#[test]
fn shown_text_may_hold_editorial_brackets() {
    let run = site("She met [[marie-curie|the physicist [Curie]]] in [[paris|[the] capital]].")
        .build(&[]);
    run.assert_ok();
    let page = run.page("articles/a/index.html");
    assert!(page.contains(">the physicist [Curie]</a>"), "{page}");
    assert!(page.contains(">[the] capital</a>"), "{page}");
    assert!(!page.contains("[["), "{page}");
}

#[test]
fn brackets_in_a_target_and_nested_links_are_errors() {
    // Once silently left as text, brackets and all.
    errors(
        "A [[marie [x] curie]] and [[a [[paris]] b]].",
        &[
            ("5:3", "the target of an entity link cannot hold `[` or `]`"),
            ("5:27", "entity links do not nest"),
        ],
    );
}

#[test]
fn a_link_split_by_a_table_and_a_link_in_alt_text_are_errors() {
    // Both were left as literal brackets with no message.
    errors(
        "| who | what |\n|---|---|\n| [[paris|the city]] | x |\n| [[paris\\|ok]] | [[ |\n\n\
         ![A map of [[paris]]](map.png) and ![\\[[x]] escaped](b.png).",
        &[
            ("7:3", "`[[` without `]]` in a table cell"),
            ("10:12", "an image description cannot hold an entity link"),
        ],
    );
}

#[test]
fn brackets_that_do_not_pair_up_in_a_link_are_errors() {
    // All once left as literal text with no message.
    errors(
        "A [[paris] city]] and [[paris|the [capital]] and [[paris|x]y]].\n\n\
         | who | what |\n|---|---|\n| [[paris\\|x]y]] | ok |\n\n\
         # Heading [[paris|a]b]]\n\n\
         Noted.[^1]\n\n\
         [^1]: In a note [[marie-curie|the [physicist]].",
        &[
            ("5:3", "a `]` in this entity link closes no `[`"),
            (
                "5:23",
                "a `[` in the shown text of this entity link is never closed",
            ),
            (
                "5:50",
                "a `]` in the shown text of this entity link closes no `[`",
            ),
            (
                "9:3",
                "a `]` in the shown text of this entity link closes no `[`",
            ),
            (
                "11:11",
                "a `]` in the shown text of this entity link closes no `[`",
            ),
            (
                "15:17",
                "a `[` in the shown text of this entity link is never closed",
            ),
        ],
    );
    // The message says how to write it.
    let run = site("A [[paris|x]y]].").run(&["check"]);
    run.assert_error(
        "content/articles/a.md:5:3: ",
        "brackets in shown text must pair up (`[[id|Sen. Rubio [R-FL]]]`); \
         write `\\]` for a bracket that is text",
    );
}

#[test]
fn brackets_that_are_text_stay_text() {
    let run = site(
        "A lone [ and ] and [1] and [a link](https://example.org/) and [[paris]] and \
         \\[\\[not a link\\]\\] and [[1], [2]] and [[[paris]] and `[[a] b]]` and \
         <span title=\"[[x|y]z]]\">[[a] b]]</span>.\n\n\
         <div>\n[[a] b]] [[x|y]z]]\n</div>\n\n\
         ```\n[[a] b]] [[never\n```",
    )
    .build(&[]);
    run.assert_ok();
    assert!(!run.stderr.contains("a.md:"), "{}", run.stderr);
    let page = run.page("articles/a/index.html");
    for text in [
        "A lone [ and ] and [1] and",
        "[[not a link]] and [[1], [2]] and [",
        "<code>[[a] b]]</code>",
        "[[a] b]]&lt;/span&gt;",
        "[[a] b]] [[x|y]z]]",
        "[[a] b]] [[never",
    ] {
        assert!(page.contains(text), "{text:?} in {page}");
    }
    assert!(page.contains("id=\"m-paris-2\""), "{page}");
}

#[test]
fn a_link_never_closed_is_a_warning() {
    // Shown as text, as before, but no longer silently.
    let site = site("We met [[marie-curie in Paris.\n\nAnd [[paris] too, then [[paris]].");
    for run in [site.build(&[]), site.run(&["check"])] {
        run.assert_ok();
        for at in ["5:8", "7:5"] {
            let want = format!("content/articles/a.md:{at}: warning: `[[` is never closed by `]]`");
            assert!(run.stderr.contains(&want), "{want} in:\n{}", run.stderr);
        }
        assert!(run.stderr.contains("write `\\[[`"), "{}", run.stderr);
    }
    let page = site.build(&[]).page("articles/a/index.html");
    assert!(page.contains("We met [[marie-curie in Paris."), "{page}");
    assert!(page.contains("And [[paris] too"), "{page}");
    assert!(page.contains("id=\"m-paris-1\""), "{page}");
}
