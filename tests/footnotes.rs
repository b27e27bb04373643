//! Footnotes end to end: numbering in reading order, notes that refer to
//! other notes, and what the notes hold (references, mentions) counted
//! wherever the reference to a note stands.

mod harness;
use harness::*;

/// A note's text as the page shows it, by note number: the text of its
/// `<li id="fn-N">`, tags removed.
fn note_text(html: &str, n: usize) -> String {
    let open = format!("<li id=\"fn-{n}\">");
    let start = html
        .find(&open)
        .unwrap_or_else(|| panic!("no note {n}:\n{html}"))
        + open.len();
    let end = start + html[start..].find("</li>").unwrap();
    let mut text = String::new();
    let mut in_tag = false;
    for c in html[start..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn site(body: &str) -> Site {
    Site::new()
        .file(
            "content/entities/places/paris.md",
            &entity("Paris", &[], "A city"),
        )
        .file("content/articles/a.md", &article("A", "2025-01-02", body))
}

#[test]
fn a_note_referred_to_by_a_paragraph_of_its_own_is_read_like_any_other() {
    // `[^a]` alone is a paragraph with no text: its note's own reference
    // and mention were once never reached, so note b was dropped as "never
    // referenced" and Paris not counted.
    let site = site("[^a]\n\n[^a]: See [^b], on Paris.\n\n[^b]: The other note.");
    let run = site.build(&[]);
    run.assert_ok();
    assert!(!run.stderr.contains("never referenced"), "{}", run.stderr);
    let html = run.page("articles/a/index.html");
    assert_eq!(note_text(&html, 1), "See 2, on Paris. ↩");
    assert_eq!(note_text(&html, 2), "The other note. ↩");
    assert!(html.contains("id=\"m-paris-1\""), "{html}");
    let json = run.page("entities.json");
    assert!(json.contains("#m-paris-1"), "{json}");
}

#[test]
fn notes_are_numbered_in_reading_order_around_paragraphs_without_text() {
    let site =
        site("Text[^a]\n\n[^b]\n\nMore[^c]\n\n[^a]: A\n\n[^b]: B [^d]\n\n[^c]: C\n\n[^d]: D");
    let run = site.build(&[]);
    run.assert_ok();
    let html = run.page("articles/a/index.html");
    // b is referred to second in the body, d first from within b.
    assert_eq!(note_text(&html, 1), "A ↩");
    assert_eq!(note_text(&html, 2), "B 4 ↩");
    assert_eq!(note_text(&html, 3), "C ↩");
    assert_eq!(note_text(&html, 4), "D ↩");
    let body = &html[html.find("article-body").unwrap()..html.find("class=\"footnotes\"").unwrap()];
    let order: Vec<_> = attr_values(body, "href");
    assert_eq!(order, ["#fn-1", "#fn-2", "#fn-3"]);
}
