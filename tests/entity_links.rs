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
