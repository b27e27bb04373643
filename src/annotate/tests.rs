//! End-to-end checks of annotate + render on small documents: the HTML that
//! comes out for the tricky cases (quotes across markup, names beside notes,
//! links inside links), and that it is always well nested.

use super::index::EntityIndex;
use super::{annotate, Settings};
use crate::config::Autolink;
use crate::content::{Annotation, AnnotationSpec, Entity, SourceFile};
use crate::diagnostics::Diagnostics;
use crate::render::highlight::Highlighter;
use crate::render::markdown::{render, EntityRef};
use std::collections::HashSet;
use std::sync::Arc;

fn entity(id: &str, name: &str, aliases: &[&str]) -> Entity {
    Entity::for_test(id, name, aliases)
}

struct Out {
    html: String,
    errors: Vec<String>,
    warnings: Vec<String>,
    doc: super::AnnotatedDoc,
}

fn run(md: &str, annotations: &str, autolink: Autolink) -> Out {
    let entities = vec![
        entity("marco-rubio", "Marco Rubio", &["Rubio"]),
        entity("el-mayo", "Ismael “El Mayo” Zambada García", &["El Mayo"]),
        entity("us", "United States", &["US"]),
    ];
    let mut d = Diagnostics::new();
    let index = EntityIndex::build(&entities, &mut d);
    let file = Arc::new(SourceFile::new("a.md", md));
    let side = Arc::new(SourceFile::new("a.annotations.toml", annotations));
    #[derive(serde::Deserialize)]
    struct Side {
        #[serde(default)]
        annotations: Vec<AnnotationSpec>,
    }
    let specs: Side = toml::from_str(annotations).unwrap();
    let anns: Vec<Annotation> = specs
        .annotations
        .into_iter()
        .enumerate()
        .map(|(i, spec)| Annotation {
            spec,
            file: side.clone(),
            toml_offset: 0,
            index: i + 1,
        })
        .collect();
    let none = HashSet::new();
    let settings = Settings {
        mentions: true,
        autolink,
        no_autolink: &none,
        annotations: &anns,
    };
    let mut diags = Vec::new();
    let doc = annotate(&file, 0, &index, &settings, &mut diags);
    let refs: Vec<EntityRef> = entities
        .iter()
        .map(|e| EntityRef {
            id: e.id.clone(),
            href: format!("/e/{}/", e.id),
            kind: e.kind.clone(),
            title: "t".into(),
        })
        .collect();
    let h = render(&doc, &refs, &Highlighter::new());
    let html = format!("{}{}", h.body, h.notes);
    assert_well_nested(&html);
    Out {
        doc,
        html,
        errors: diags
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.message.clone())
            .collect(),
        warnings: diags
            .iter()
            .filter(|d| !d.is_error())
            .map(|d| d.message.clone())
            .collect(),
    }
}

/// The anchors of the mentions of `o`, in reading order (n > 0).
fn anchors(o: &Out) -> Vec<String> {
    let ids = ["marco-rubio", "el-mayo", "us"];
    let mut v: Vec<(usize, usize, usize, String)> = o
        .doc
        .mentions
        .iter()
        .filter(|m| m.n > 0)
        .map(|m| {
            let id = format!("m-{}-{}", ids[m.entity as usize], m.n);
            (m.flow, m.block, m.start, id)
        })
        .collect();
    v.sort();
    v.into_iter().map(|x| x.3).collect()
}

/// Every tag closes in the order it opened; no `<a>` inside an `<a>`.
pub fn assert_well_nested(html: &str) {
    const VOID: &[&str] = &["br", "hr", "img", "input", "meta", "link", "col", "wbr"];
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').expect("unclosed tag");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') || tag.ends_with('/') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack
                .pop()
                .unwrap_or_else(|| panic!("stray </{name}> in {html}"));
            assert_eq!(open, name, "</{name}> closes <{open}> in {html}");
        } else {
            let name: String = tag
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            if VOID.contains(&name.as_str()) {
                continue;
            }
            assert!(
                !(name == "a" && stack.iter().any(|t| t == "a")),
                "nested <a> in {html}"
            );
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "unclosed {stack:?} in {html}");
}

#[test]
fn a_quote_across_emphasis_is_wrapped_piece_by_piece() {
    let o = run(
        "One *two three* four.\n",
        "[[annotations]]\nquote = \"three four\"\nentity = \"us\"\n",
        Autolink::First,
    );
    assert!(o.errors.is_empty(), "{:?}", o.errors);
    assert!(
        o.html
            .contains("<em>two <a class=\"entity entity-person\" id=\"m-us-1\""),
        "{}",
        o.html
    );
    assert!(
        o.html
            .contains("three</a></em><a class=\"entity entity-person\" href=\"/e/us/\""),
        "{}",
        o.html
    );
}

#[test]
fn names_are_linked_first_only_and_counted_everywhere() {
    let o = run(
        "Rubio met Rubio’s aide.[^1]\n\n[^1]: Rubio again.\n",
        "",
        Autolink::First,
    );
    assert!(
        o.html
            .contains("<a class=\"entity entity-person\" id=\"m-marco-rubio-1\""),
        "{}",
        o.html
    );
    assert!(
        o.html
            .contains("<span class=\"mention\" id=\"m-marco-rubio-2\">Rubio</span>’s"),
        "{}",
        o.html
    );
    assert!(
        o.html
            .contains("<span class=\"mention\" id=\"m-marco-rubio-3\">Rubio</span> again"),
        "{}",
        o.html
    );
}

#[test]
fn autolink_all_and_none() {
    let all = run("Rubio and Rubio.\n", "", Autolink::All);
    assert_eq!(
        all.html.matches("<a class=\"entity").count(),
        2,
        "{}",
        all.html
    );
    let none = run("Rubio and Rubio.\n", "", Autolink::None);
    assert_eq!(
        none.html.matches("<a class=\"entity").count(),
        0,
        "{}",
        none.html
    );
    assert_eq!(
        none.html.matches("class=\"mention\"").count(),
        2,
        "{}",
        none.html
    );
}

#[test]
fn an_entity_link_inside_a_link_is_not_a_nested_link() {
    let o = run(
        "[see [[marco-rubio|him]] here](https://x.org/) and Rubio.\n",
        "",
        Autolink::First,
    );
    assert!(
        o.html
            .contains("<span class=\"mention\" id=\"m-marco-rubio-1\">him</span>"),
        "{}",
        o.html
    );
    // The name after the link is mention 2, and, not the first, stays plain.
    assert!(
        o.html.contains("id=\"m-marco-rubio-2\">Rubio</span>"),
        "{}",
        o.html
    );
}

#[test]
fn names_in_code_links_and_headings_are_not_mentions() {
    let o = run(
        "# Rubio\n\n`Rubio` [Rubio](https://x.org/) ![Rubio](i.png)\n",
        "",
        Autolink::First,
    );
    assert!(!o.html.contains("m-marco-rubio"), "{}", o.html);
}

#[test]
fn a_standoff_note_follows_its_quote_and_is_numbered_with_footnotes() {
    let o = run(
        "Alpha beta.[^a] Gamma delta.\n\n[^a]: First.\n",
        "[[annotations]]\nquote = \"Gamma delta\"\nnote = \"Second, about [[us]].\"\n",
        Autolink::First,
    );
    assert!(o.errors.is_empty(), "{:?}", o.errors);
    assert!(o.html.contains("<span class=\"annotated\">Gamma delta</span><sup class=\"footnote-ref\" id=\"fnref-2\"><a href=\"#fn-2\">2</a></sup>"), "{}", o.html);
    assert!(o.html.contains("<li id=\"fn-2\">"), "{}", o.html);
    assert!(o.html.contains("href=\"#fnref-2\""), "{}", o.html);
}

#[test]
fn names_inside_a_noted_quote_and_links_in_its_note_are_mentions() {
    let o = run(
        "It did not mention the strike by the US military.\n",
        "[[annotations]]\nquote = \"the strike by the US military\"\nnote = \"See [[marco-rubio|him]].\"\n",
        Autolink::First,
    );
    assert!(o.errors.is_empty(), "{:?}", o.errors);
    assert!(o.html.contains("<span class=\"annotated\">the strike by the <a class=\"entity entity-person\" id=\"m-us-1\""), "{}", o.html);
    assert!(o.html.contains("id=\"m-marco-rubio-1\""), "{}", o.html);
}

#[test]
fn a_curly_quoted_nickname_is_one_mention() {
    let o = run(
        "Ismael “El Mayo” Zambada García was held. El Mayo denied it.\n",
        "",
        Autolink::First,
    );
    assert!(o.html.contains("id=\"m-el-mayo-1\""), "{}", o.html);
    assert!(
        o.html.contains("id=\"m-el-mayo-2\">El Mayo</span>"),
        "{}",
        o.html
    );
    assert!(!o.html.contains("m-el-mayo-3"), "{}", o.html);
}

#[test]
fn overlapping_annotations_are_an_error() {
    let o = run(
        "one two three four\n",
        "[[annotations]]\nquote = \"one two three\"\nentity = \"us\"\n[[annotations]]\nquote = \"three four\"\nentity = \"us\"\n",
        Autolink::First,
    );
    assert_eq!(o.errors.len(), 1, "{:?}", o.errors);
    assert!(o.errors[0].contains("overlaps"), "{:?}", o.errors);
}

#[test]
fn two_annotations_linking_one_quote_to_one_entity_are_one_mention() {
    // Once two mentions, one anchor inside the other's link.
    let ann = "[[annotations]]\nquote = \"the northern neighbour\"\nentity = \"us\"\n";
    let o = run(
        "Officials met the northern neighbour on Tuesday.\n",
        &format!("{ann}{ann}note = \"Said twice.\"\n"),
        Autolink::First,
    );
    assert!(o.errors.is_empty(), "{:?}", o.errors);
    assert_eq!(anchors(&o), vec!["m-us-1"]);
    assert!(
        o.html.contains(
            "met <a class=\"entity entity-person\" id=\"m-us-1\" href=\"/e/us/\" title=\"t\">\
             the northern neighbour</a><sup class=\"footnote-ref\" id=\"fnref-1\">"
        ),
        "{}",
        o.html
    );
    assert!(!o.html.contains("class=\"mention\""), "{}", o.html);
}

#[test]
fn one_text_cannot_link_to_two_entities_nor_nest_entity_quotes() {
    let o = run(
        "Officials met Marco Rubio and the envoy today.\n",
        concat!(
            "[[annotations]]\nquote = \"the envoy\"\nentity = \"us\"\n",
            "[[annotations]]\nquote = \"the envoy\"\nentity = \"marco-rubio\"\nnote = \"N.\"\n",
            "[[annotations]]\nquote = \"Marco Rubio and the envoy\"\nentity = \"el-mayo\"\n",
            "[[annotations]]\nquote = \"met Marco Rubio\"\nentity = \"us\"\n",
            "[[annotations]]\nquote = \"Rubio\"\nentity = \"marco-rubio\"\n",
        ),
        Autolink::First,
    );
    assert_eq!(
        o.errors,
        vec![
            "annotation #2: quote \"the envoy\" is also the quote of annotation #1, which links \
             it to `us`: one text cannot link to two entities (`marco-rubio` here)",
            "annotation #3: quote \"Marco Rubio and the envoy\" holds the quote \"the envoy\" \
             of annotation #1, which links it to `us`: an entity link cannot hold another",
            "annotation #5: quote \"Rubio\" lies inside the quote \"met Marco Rubio\" of \
             annotation #4, which links it to `us`: an entity link cannot hold another",
        ]
    );
    // The name inside #4 is no mention of its own.
    assert_eq!(anchors(&o), vec!["m-us-1", "m-us-2"]);
    // The note of #2 is still read (and its errors would be reported).
    assert!(
        o.html
            .contains("the envoy</a><sup class=\"footnote-ref\" id=\"fnref-1\">"),
        "{}",
        o.html
    );
}

#[test]
fn an_entity_quote_over_an_entity_link_is_an_error_unless_it_repeats_it() {
    let md = "Officials from [[us|the north]] said yes. Then [[us|the country]] answered \
              and [[marco-rubio|Rubio]] too. Nothing but [[us|the US]] here.\n";
    let o = run(
        md,
        concat!(
            // The same entity over the same text: the link's mention, and
            // the note after it.
            "[[annotations]]\nquote = \"the north\"\nentity = \"us\"\nnote = \"N.\"\n",
            "[[annotations]]\nquote = \"the country\"\nentity = \"marco-rubio\"\n",
            "[[annotations]]\nquote = \"and Rubio too\"\nentity = \"marco-rubio\"\n",
            "[[annotations]]\nquote = \"US\"\nentity = \"us\"\n",
            "[[annotations]]\nquote = \"the north said\"\nentity = \"us\"\n",
        ),
        Autolink::First,
    );
    let to = |s: &str| md.find(s).unwrap() + 1;
    assert_eq!(
        o.errors,
        vec![
            format!(
                "annotation #2: quote \"the country\" is the shown text of the entity link at \
                 a.md:1:{}, which links to `us`: one text cannot link to two entities \
                 (`marco-rubio` here); leave out `entity`, or the link",
                to("[[us|the country")
            ),
            format!(
                "annotation #3: quote \"and Rubio too\" holds the entity link shown as \"Rubio\" \
                 at a.md:1:{}, which links to `marco-rubio`: an entity link cannot hold \
                 another; quote the text beside it, or all of its shown text",
                to("[[marco-rubio")
            ),
            format!(
                "annotation #4: quote \"US\" lies inside the entity link shown as \"the US\" at \
                 a.md:1:{}, which links to `us`: an entity link cannot hold another; quote all \
                 of its shown text, or leave out `entity`",
                to("[[us|the US")
            ),
            "annotation #5: quote \"the north said\" holds the entity link shown as \
             \"the north\" at a.md:1:16, which links to `us`: an entity link cannot hold \
             another; quote the text beside it, or all of its shown text"
                .to_string(),
        ]
    );
    assert_eq!(
        anchors(&o),
        vec!["m-us-1", "m-us-2", "m-marco-rubio-1", "m-us-3"]
    );
    assert!(
        o.html
            .contains("id=\"m-us-1\" href=\"/e/us/\" title=\"t\">the north</a><sup"),
        "{}",
        o.html
    );
}

#[test]
fn an_entity_quote_in_a_markdown_link_is_a_mention_not_a_link() {
    // As `[see [[marco-rubio|him]] here](url)` is: a link cannot hold one.
    let md = "Link [to the secretary Rubio](https://x.org/) and [here](https://y.org/) now.\n";
    let o = run(
        md,
        "[[annotations]]\nquote = \"secretary Rubio\"\nentity = \"marco-rubio\"\n",
        Autolink::First,
    );
    assert!(o.errors.is_empty(), "{:?}", o.errors);
    assert_eq!(
        o.warnings,
        vec![
            "annotation #1: quote \"secretary Rubio\" is inside a link, so it is counted as a \
             mention of `marco-rubio` but not linked (a link cannot hold another)"
        ]
    );
    assert!(
        o.html.contains(
            "<a href=\"https://x.org/\">to the <span class=\"mention\" id=\"m-marco-rubio-1\">\
             secretary Rubio</span></a>"
        ),
        "{}",
        o.html
    );
    // Holding a link, or part of one, is an error, and no mention.
    let o = run(
        md,
        concat!(
            "[[annotations]]\nquote = \"Link to the\"\nentity = \"marco-rubio\"\n",
            "[[annotations]]\nquote = \"and here now\"\nentity = \"us\"\n",
            "[[annotations]]\nquote = \"and here\"\nnote = \"A note may hold one.\"\n",
        ),
        Autolink::First,
    );
    assert_eq!(
        o.errors,
        vec![
            "annotation #1: quote \"Link to the\" partly overlaps the link shown as \
             \"to the secretary Rubio\": an entity link cannot hold a link; quote the text \
             beside the link, or text within it",
            "annotation #2: quote \"and here now\" holds the link shown as \"here\": an entity \
             link cannot hold a link; quote the text beside the link, or text within it",
        ]
    );
    assert!(anchors(&o).is_empty(), "{:?}", anchors(&o));
}

#[test]
fn empty_quotes_and_notes_and_quotes_across_paragraphs_are_errors() {
    let o = run(
        "First paragraph ends here.\n\nSecond one.\n\n- an item\n- next item\n",
        concat!(
            "[[annotations]]\nquote = \"\"\nnote = \"N.\"\n",
            "[[annotations]]\nquote = \" \\n \"\nentity = \"us\"\n",
            "[[annotations]]\nquote = \"Second one\"\nnote = \" \\n\"\nentity = \"us\"\n",
            "[[annotations]]\nquote = \"ends here. Second\"\nentity = \"us\"\n",
            "[[annotations]]\nquote = \"an item next\"\nnote = \"N.\"\n",
            "[[annotations]]\nquote = \"Second onee\"\nnote = \"N.\"\n",
        ),
        Autolink::First,
    );
    let empty = "empty quote: write the text to annotate, as the article shows it";
    let across = "into the next: a quote must stay within one paragraph, list item or table cell";
    assert_eq!(o.errors.len(), 6, "{:?}", o.errors);
    assert_eq!(o.errors[0], format!("annotation #1: {empty}"));
    assert_eq!(o.errors[1], format!("annotation #2: {empty}"));
    assert_eq!(
        o.errors[2],
        "annotation #3: empty note: write the note's text, or leave out `note`"
    );
    assert_eq!(
        o.errors[3],
        format!("annotation #4: quote \"ends here. Second\" runs from one paragraph, list item or table cell of a.md {across}")
    );
    assert!(o.errors[4].ends_with(across), "{:?}", o.errors[4]);
    assert!(
        o.errors[5].ends_with("is not in the text of a.md"),
        "{:?}",
        o.errors[5]
    );
    // The entity of the annotation with an empty note still links.
    assert_eq!(anchors(&o), vec!["m-us-1"]);
    assert!(!o.html.contains("footnote"), "{}", o.html);
}

#[test]
fn names_in_headings_are_warned_about_unless_an_annotation_links_them() {
    let o = run(
        "# Rubio and the US\n\nText.\n",
        "[[annotations]]\nquote = \"the US\"\nentity = \"us\"\n",
        Autolink::First,
    );
    assert_eq!(
        o.warnings,
        vec!["heading names \"Rubio\": names in headings are not linked or counted"]
    );
    assert_eq!(anchors(&o), vec!["m-us-1"]);
}

#[test]
fn a_name_spanning_a_line_break_is_found() {
    let o = run("We met Marco\nRubio today.\n", "", Autolink::First);
    assert!(o.html.contains("id=\"m-marco-rubio-1\""), "{}", o.html);
    assert!(!o.html.contains("m-marco-rubio-2"), "{}", o.html);
}

#[test]
fn each_flow_holds_only_its_own_links_and_many_notes_stay_small() {
    // A link table copied into every flow made a document of thousands of
    // footnotes quadratic in memory (3 GB for 20,000 notes).
    let n = 300;
    let mut md = String::from("[[us|A]] and [[marco-rubio]].");
    for i in 0..n {
        md.push_str(&format!(" x[^{i}]"));
    }
    md.push_str("\n\n");
    for i in 0..n {
        md.push_str(&format!("[^{i}]: Note {i} on [[us]].\n"));
    }
    let o = run(&md, "", Autolink::First);
    assert!(o.errors.is_empty(), "{:?}", o.errors);
    assert_eq!(o.doc.flows.len(), n + 1);
    assert_eq!(o.doc.flows[0].links.len(), 2);
    assert!(o.doc.flows[1..].iter().all(|f| f.links.len() == 1));
    // Every note is numbered, linked both ways, and its link a mention.
    assert!(o.html.contains(&format!("href=\"#fn-{n}\"")), "{}", o.html);
    assert!(o.html.contains(&format!("id=\"fn-{n}\"")));
    assert!(o.html.contains(&format!("id=\"m-us-{}\"", n + 1)));
    assert!(!o.html.contains(&format!("m-us-{}\"", n + 2)));
}

#[test]
fn a_paragraph_of_thousands_of_mentions_marks_each_once() {
    // Rendering looked at every span of a flow for every text item: a long
    // paragraph of names was quadratic (130 s for a 7 MB paragraph).
    let n = 2_000;
    let md = "Rubio and [[us]] and ".repeat(n);
    let o = run(&md, "", Autolink::First);
    assert!(o.errors.is_empty(), "{:?}", o.errors);
    for (id, count) in [("marco-rubio", n), ("us", n)] {
        assert_eq!(
            o.html.matches(&format!("id=\"m-{id}-")).count(),
            count,
            "{id}"
        );
        assert!(o.html.contains(&format!("id=\"m-{id}-{count}\"")));
    }
}

#[test]
fn an_entity_link_across_a_line_break_is_a_link_and_a_mention() {
    let o = run(
        "We met [[Marco\nRubio]] and [[marco-rubio|the\nsecretary]] and [[nobody\nhere]].\n",
        "",
        Autolink::First,
    );
    assert_eq!(o.errors, vec!["unknown entity `nobody here`"], "{}", o.html);
    assert!(
        o.html.contains(
            "id=\"m-marco-rubio-1\" href=\"/e/marco-rubio/\" title=\"t\">Marco\nRubio</a>"
        ),
        "{}",
        o.html
    );
    assert!(
        o.html.contains(
            "id=\"m-marco-rubio-2\" href=\"/e/marco-rubio/\" title=\"t\">the\nsecretary</a>"
        ),
        "{}",
        o.html
    );
    assert!(!o.html.contains("[["), "{}", o.html);
    let m = &o.doc.mentions;
    assert_eq!(m.len(), 2);
    assert_eq!(m[1].snippet.1, "the secretary");
}

#[test]
fn an_entity_link_wraps_the_formatting_of_its_shown_text() {
    let o = run(
        "A [[us|*United* States]] and [[marco-rubio|`code`]] and Rubio.\n",
        "",
        Autolink::First,
    );
    assert!(o.errors.is_empty(), "{:?}", o.errors);
    assert!(
        o.html
            .contains("id=\"m-us-1\" href=\"/e/us/\" title=\"t\"><em>United</em> States</a>"),
        "{}",
        o.html
    );
    assert!(
        o.html.contains("title=\"t\"><code>code</code></a>"),
        "{}",
        o.html
    );
    // The mention is the whole shown text, and the name after it is mention 2.
    assert_eq!(o.doc.mentions[0].snippet.1, "United States");
    assert!(
        o.html.contains("id=\"m-marco-rubio-2\">Rubio</span>"),
        "{}",
        o.html
    );
}

#[test]
fn escaped_brackets_and_malformed_links_are_not_links() {
    let o = run(
        "Escaped \\[\\[us]] and \\[[us]] here. [[us|]] [[|US]] [[]] [[*us*]]\n",
        "",
        Autolink::None,
    );
    assert!(
        o.html.contains("Escaped [[us]] and [[us]] here."),
        "{}",
        o.html
    );
    assert!(!o.html.contains("href=\"/e/us/\""), "{}", o.html);
    assert_eq!(o.errors.len(), 4, "{:?}", o.errors);
}

mod props {
    use super::*;
    use proptest::prelude::*;

    /// Pieces of Markdown and names that interact in interesting ways.
    const PIECES: &[&str] = &[
        "Rubio",
        "Marco Rubio",
        "Marco\nRubio",
        "US",
        "US-Mexico",
        "Mexican",
        "El Mayo",
        "Ismael “El Mayo” Zambada García",
        "*",
        "**",
        "_",
        "`",
        "[",
        "]",
        "(https://x.org/)",
        "[[marco-rubio]]",
        "[[Rubio|him]]",
        "[^1]",
        "\n\n",
        "\n",
        " ",
        "  ",
        "# ",
        "> ",
        "- ",
        "| a | b |\n|---|---|\n| c | d |\n",
        "&amp;",
        "\\",
        "’s",
        "é",
        "\u{a0}",
        "~~",
        "![alt](i.png)",
        "```\ncode\n```\n",
        "word",
        "another word",
        "[[",
        "]]",
        "|",
        "\\[",
        "`x`",
        "[[us|*the* US]]",
        "[[Marco\nRubio]]",
        "[[us|the\nstates]]",
    ];

    fn doc() -> impl Strategy<Value = String> {
        proptest::collection::vec(0..PIECES.len(), 0..40).prop_map(|ix| {
            ix.into_iter().map(|i| PIECES[i]).collect::<String>() + "\n\n[^1]: A note on Rubio.\n"
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn any_markdown_renders_well_nested(md in doc()) {
            // run() asserts well-nestedness and must not panic.
            run(&md, "", Autolink::First);
        }

        #[test]
        fn quotes_taken_from_the_text_never_break_it(md in doc(), start in 0usize..200, len in 1usize..30) {
            // A quote cut from the reader's text of the first paragraph.
            let parsed = crate::annotate::doc::parse(&md, 0);
            if let Some(b) = parsed.body.blocks.first() {
                let t = &b.text;
                let mut s = start.min(t.len());
                while !t.is_char_boundary(s) { s -= 1; }
                let mut e = (s + len).min(t.len());
                while !t.is_char_boundary(e) { e -= 1; }
                let quote = t[s..e].trim();
                if !quote.is_empty() {
                    let ann = format!("[[annotations]]\nquote = {quote:?}\nnote = \"n\"\n[[annotations]]\nquote = {quote:?}\nentity = \"us\"\n");
                    run(&md, &ann, Autolink::All);
                }
            }
        }
    }
}

mod naive_counts {
    use super::*;
    use proptest::prelude::*;

    /// The names of the test entities and what they count for.
    const NAMES: &[(&str, &str)] = &[
        ("Ismael “El Mayo” Zambada García", "el-mayo"),
        ("El Mayo", "el-mayo"),
        ("Marco Rubio", "marco-rubio"),
        ("Rubio", "marco-rubio"),
        ("United States", "us"),
        ("US", "us"),
    ];
    const WORDS: &[&str] = &[
        "the", "talks", "Mexican", "USA", "Rubios", "Mayo", "El", "Marco", "-", "’s", ",", "said",
        "García",
    ];

    /// A naive reference: scan left to right, at each position take the
    /// longest name that matches there as a whole word, else move on.
    fn naive(text: &str) -> std::collections::BTreeMap<&'static str, usize> {
        let mut counts = std::collections::BTreeMap::new();
        let mut i = 0;
        while i < text.len() {
            let best = NAMES
                .iter()
                .filter(|(n, _)| text[i..].starts_with(n))
                .filter(|(n, _)| {
                    let before = text[..i].chars().next_back();
                    let after = text[i + n.len()..].chars().next();
                    !before.is_some_and(char::is_alphanumeric)
                        && !after.is_some_and(char::is_alphanumeric)
                })
                .max_by_key(|(n, _)| n.len());
            match best {
                Some((n, id)) => {
                    *counts.entry(*id).or_default() += 1;
                    i += n.len();
                }
                None => i += text[i..].chars().next().map_or(1, char::len_utf8),
            }
        }
        counts
    }

    fn text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            (0..NAMES.len()).prop_map(|i| NAMES[i].0.to_string()),
            (0..WORDS.len()).prop_map(|i| WORDS[i].to_string()),
        ];
        proptest::collection::vec((piece, prop_oneof![Just(" "), Just(""), Just("\n")]), 1..30)
            .prop_map(|v| {
                v.into_iter()
                    .map(|(p, sep)| format!("{p}{sep}"))
                    .collect::<String>()
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// Mention counts equal a naive count of the names in plain text.
        #[test]
        fn mention_counts_equal_a_naive_count(t in text()) {
            let md = t.replace('\n', " ").trim().to_string();
            // One paragraph of plain text: Markdown adds nothing to search.
            prop_assume!(!md.is_empty() && !md.starts_with(['-', '#', '>', '*', '+', '=']) && !md.contains("  "));
            let o = run(&format!("{md}\n"), "", Autolink::First);
            for (id, n) in naive(&md) {
                let anchors = (1..=n).all(|k| o.html.contains(&format!("id=\"m-{id}-{k}\"")));
                prop_assert!(anchors, "{} mentions of {} expected in {:?}: {}", n, id, md, o.html);
                prop_assert!(!o.html.contains(&format!("id=\"m-{id}-{}\"", n + 1)), "too many {} in {:?}: {}", id, md, o.html);
            }
            for (_, id) in NAMES {
                if !naive(&md).contains_key(id) {
                    prop_assert!(!o.html.contains(&format!("id=\"m-{id}-1\"")), "{} found in {:?}: {}", id, md, o.html);
                }
            }
        }
    }
}

/// Locating all the annotations of a text together, with one automaton:
/// the same answers as one scan per annotation.
mod standoff_together {
    use super::*;
    use crate::annotate::doc::{self, Block};
    use crate::annotate::standoff::{
        closest, find, find_all, find_all_by_scanning, find_all_together, Found, Query,
    };
    use proptest::prelude::*;

    fn blocks(md: &str) -> Vec<Block> {
        doc::parse(md, 0).body.blocks
    }

    fn q<'a>(quote: &'a str, prefix: Option<&'a str>, suffix: Option<&'a str>) -> Query<'a> {
        Query {
            quote,
            prefix,
            suffix,
        }
    }

    /// Where `s` first stands in block `b`.
    fn at(blocks: &[Block], b: usize, s: &str) -> Found {
        let i = blocks[b].text.find(s).unwrap();
        Found::One((b, i, i + s.len()))
    }

    /// `find_all`, checked against the scan, the automaton and `find` one
    /// by one.
    fn all(blocks: &[Block], queries: &[Query]) -> Vec<Found> {
        let found = find_all(blocks, queries);
        assert_eq!(found, find_all_by_scanning(blocks, queries));
        assert_eq!(found, find_all_together(blocks, queries));
        for (query, f) in queries.iter().zip(&found) {
            assert_eq!(
                &find(blocks, query.quote, query.prefix, query.suffix),
                f,
                "{query:?}"
            );
        }
        found
    }

    #[test]
    fn several_annotations_share_one_pass() {
        let b = blocks("Rubio met Sheinbaum in *Mexico*\nCity.\n\nThe group met in Washington.\n");
        let found = all(
            &b,
            &[
                q("Sheinbaum", None, None),
                q("Mexico  City", None, None),
                q("Washington", None, None),
                q("Sheinbaum", None, None),
                q(" \n", None, None),
            ],
        );
        assert_eq!(
            found,
            vec![
                at(&b, 0, "Sheinbaum"),
                at(&b, 0, "Mexico City"),
                at(&b, 1, "Washington"),
                at(&b, 0, "Sheinbaum"),
                Found::Empty,
            ]
        );
    }

    #[test]
    fn overlapping_quotes_and_a_quote_within_another_are_each_found() {
        let b = blocks("Marco Rubio said no. Rubio said yes, one two three four.\n");
        let found = all(
            &b,
            &[
                q("one two three", None, None),
                q("two three four", None, None),
                q("three", None, None),
                q("Marco Rubio said", None, None),
                q("Rubio said yes", None, None),
                q("Rubio said", Some("Marco"), None),
                q("Rubio said", None, Some("yes")),
            ],
        );
        assert_eq!(
            found,
            vec![
                at(&b, 0, "one two three"),
                at(&b, 0, "two three four"),
                at(&b, 0, "three"),
                at(&b, 0, "Marco Rubio said"),
                at(&b, 0, "Rubio said yes"),
                Found::One((0, 6, 16)),
                Found::One((0, 21, 31)),
            ]
        );
        // A quote within another, alone: found in both places.
        assert!(matches!(
            &all(&b, &[q("Rubio said", None, None)])[0],
            Found::Many { count: 2, contexts } if contexts[0] == "Marco [Rubio said] no. Rubio said yes, one two…"
        ));
    }

    #[test]
    fn a_quote_that_overlaps_itself_counts_every_occurrence() {
        let b = blocks("aaaa b aaaa\n");
        let found = all(
            &b,
            &[
                q("aa", None, None),
                q("aa", Some("aaaa b"), None),
                q("aa", None, Some("b")),
                q("aa", Some("b a"), Some("a")),
            ],
        );
        assert!(
            matches!(&found[0], Found::Many { count: 6, contexts } if contexts.len() == 4),
            "{found:?}"
        );
        assert_eq!(found[1], Found::One((0, 7, 9)));
        assert_eq!(found[2], Found::One((0, 2, 4)));
        assert_eq!(found[3], Found::One((0, 8, 10)));
    }

    #[test]
    fn prefix_and_suffix_tell_apart_many_annotations_of_one_quote() {
        let b = blocks(
            "Item 1: the envoy left.\n\nItem 2:the envoy stayed.\n\nItem 12: the envoy\nleft.\n",
        );
        let found = all(
            &b,
            &[
                q("the envoy", Some("Item 1: "), None),
                q("the envoy", Some("Item  2:\n"), None),
                q("the envoy", Some("Item 12:"), Some("left")),
                q("the envoy", Some("2:"), None),
                q("the envoy", None, Some("left.")),
                q("the envoy", None, Some("stayed")),
                q("the envoy", Some("Item 3:"), None),
                q("the envoy", None, None),
                q("the envoy", Some(" "), Some("\n")),
            ],
        );
        assert_eq!(found[0], at(&b, 0, "the envoy"));
        assert_eq!(found[1], at(&b, 1, "the envoy"));
        assert_eq!(found[2], at(&b, 2, "the envoy"));
        assert!(
            matches!(&found[3], Found::Many { count: 2, contexts } if contexts == &["Item 2:[the envoy] stayed.", "Item 12: [the envoy] left."]),
            "{:?}",
            found[3]
        );
        assert!(
            matches!(&found[4], Found::Many { count: 2, .. }),
            "{:?}",
            found[4]
        );
        assert_eq!(found[5], at(&b, 1, "the envoy"));
        assert!(
            matches!(&found[6], Found::NotWithContext { count: 3, contexts } if contexts.len() == 3),
            "{:?}",
            found[6]
        );
        assert!(
            matches!(&found[7], Found::Many { count: 3, .. }),
            "{:?}",
            found[7]
        );
        // A prefix and a suffix of white space only are none.
        assert_eq!(found[8], found[7]);
    }

    #[test]
    fn a_missing_quote_shows_the_closest_passage_for_each_annotation() {
        let b = blocks("The two governments issued a joint statement.\n");
        let found = all(
            &b,
            &[
                q("issued a joint statment", None, None),
                q("issued a joint statment", Some("The"), None),
                q("zzzzzzzzzzzzzzzzzzzz", None, None),
            ],
        );
        let closest = Found::None {
            closest: Some("issued a joint statement.".into()),
        };
        assert_eq!(
            found,
            vec![closest.clone(), closest, Found::None { closest: None }]
        );
    }

    #[test]
    fn a_quote_found_only_across_blocks_says_so() {
        let b = blocks(
            "# The envoy\n\nmet Rubio. He left.\n\n- one item\n- two items\n\n\
             | a | b |\n|---|---|\n| left cell | right cell |\n",
        );
        let found = all(
            &b,
            &[
                q("envoy met Rubio", None, None),
                q("He left. one item two", Some("Rubio."), None),
                q("left cell right", None, None),
                q("one item", None, None),
                q("items a", None, None),
                q("nowhere at all", None, None),
            ],
        );
        let across = |c: &str| Found::Across { context: c.into() };
        assert_eq!(
            found,
            vec![
                across("The [envoy ¶ met Rubio]. He left."),
                across("met Rubio. [He left. ¶ one item ¶ two] items"),
                across("[left cell ¶ right] cell"),
                at(&b, 2, "one item"),
                across("two [items ¶ a]"),
                Found::None { closest: None },
            ]
        );
        // Many quotes, by the automaton: the same answers.
        let many: Vec<String> = (0..40).map(|i| format!("word{i}")).collect();
        let mut queries: Vec<Query> = many.iter().map(|w| q(w, None, None)).collect();
        queries.push(q("Rubio. He", None, None));
        queries.push(q("left. one", None, None));
        let found = all(&b, &queries);
        assert_eq!(found[40], at(&b, 1, "Rubio. He"));
        assert_eq!(found[41], across("met Rubio. He [left. ¶ one] item"));
    }

    #[test]
    fn text_not_folded_to_single_spaces_is_scanned() {
        // Views are single-spaced; a text that is not falls back to the
        // scan, which trims any white space before and after a quote.
        let b = vec![Block {
            text: "x  the\u{a0} envoy\ty".into(),
            ..Block::default()
        }];
        let found = find_all_together(
            &b,
            &[
                q("the", Some("x"), None),
                q("envoy", None, Some("y")),
                q("the envoy", None, None),
            ],
        );
        assert_eq!(
            found,
            find_all_by_scanning(
                &b,
                &[
                    q("the", Some("x"), None),
                    q("envoy", None, Some("y")),
                    q("the envoy", None, None)
                ]
            )
        );
        assert_eq!(found[..2], [Found::One((0, 3, 6)), Found::One((0, 9, 14))]);
        assert!(matches!(found[2], Found::None { .. }), "{found:?}");
    }

    #[test]
    fn errors_for_missing_ambiguous_and_unmatched_quotes_are_unchanged() {
        let o = run(
            "Marco Rubio said no. Rubio said yes.\n",
            concat!(
                "[[annotations]]\nquote = \"Rubio said\"\nentity = \"us\"\n",
                "[[annotations]]\nquote = \"Rubio said\"\nprefix = \"Later\"\nentity = \"us\"\n",
                "[[annotations]]\nquote = \"Rubio sad\"\nnote = \"n\"\n",
                "[[annotations]]\nquote = \"said yes\"\nentity = \"us\"\n",
                "[[annotations]]\nquote = \"said no\"\nsuffix = \".\"\nentity = \"us\"\n",
                "[[annotations]]\nquote = \"no. Rubio\"\nentity = \"us\"\n",
            ),
            Autolink::None,
        );
        assert_eq!(
            o.errors,
            vec![
                "annotation #1: quote \"Rubio said\" occurs 2 times in a.md; add `prefix` or `suffix` to choose one",
                "annotation #2: quote \"Rubio said\" occurs 2 times in a.md, but never with the given prefix/suffix",
                "annotation #3: quote \"Rubio sad\" is not in the text of a.md",
                "annotation #6: quote \"no. Rubio\" partly overlaps another annotation",
            ]
        );
        assert!(o.html.contains(">said yes</a>"), "{}", o.html);
        assert!(o.html.contains(">said no</a>"), "{}", o.html);
    }

    #[test]
    fn thousands_of_annotations_of_one_text_are_each_found() {
        let n = 3_000;
        let md: String = (0..n)
            .map(|i| format!("Item {i}: the envoy met word{i}x today.\n\n"))
            .collect();
        let b = blocks(&md);
        let words: Vec<String> = (0..n).map(|i| format!("word{i}x today")).collect();
        let items: Vec<String> = (0..n).map(|i| format!("Item {i}: ")).collect();
        let queries: Vec<Query> = (0..n)
            .flat_map(|i| {
                [
                    q(&words[i], None, None),
                    q("the envoy", Some(&items[i]), None),
                    q("the", Some(&items[i]), Some("envoy")),
                ]
            })
            .collect();
        let found = find_all(&b, &queries);
        for i in 0..n {
            assert_eq!(found[3 * i], at(&b, i, &words[i]));
            assert_eq!(found[3 * i + 1], at(&b, i, "the envoy"));
            assert_eq!(found[3 * i + 2], at(&b, i, "the"));
        }
    }

    /// `closest` as it was: every window joined and compared in full.
    fn closest_naive(blocks: &[Block], q: &str) -> Option<String> {
        let qwords = q.split(' ').count();
        let qchars: Vec<char> = q.chars().collect();
        let mut best: Option<(usize, String)> = None;
        for block in blocks {
            let words: Vec<&str> = block.text.split(' ').collect();
            for width in [qwords.saturating_sub(1).max(1), qwords, qwords + 1] {
                if width > words.len() {
                    continue;
                }
                for start in 0..=(words.len() - width) {
                    let cand = words[start..start + width].join(" ");
                    let d = strsim::generic_levenshtein(&qchars, &cand.chars().collect::<Vec<_>>());
                    if best.as_ref().is_none_or(|(bd, _)| d < *bd) {
                        best = Some((d, cand));
                    }
                }
            }
        }
        best.filter(|(d, _)| *d <= qchars.len() / 2 + 2)
            .map(|(_, s)| s)
    }

    #[test]
    fn the_closest_passage_is_the_first_at_the_least_distance() {
        let b =
            blocks("The envoy met Rubio.\n\nThe envoi met Rubio.\n\nThe envoy met Rubio again.\n");
        for quote in [
            "the envoi",
            "The envoy met",
            "envoyy",
            "x",
            "Rubio again",
            "zzzzzzzzzzzzzz",
        ] {
            assert_eq!(closest(&b, quote), closest_naive(&b, quote), "{quote}");
        }
        assert_eq!(closest(&b, "the envoi").as_deref(), Some("The envoi"));
        assert_eq!(closest(&b, "zzzzzzzzzzzzzz"), None);
    }

    const WORDS: &[&str] = &[
        "the",
        "envoy",
        "the envoy",
        "Item",
        "1:",
        "2:",
        "a",
        "aa",
        "é",
        "Rubio",
        ".",
        ",",
        "*the*",
    ];

    fn words(max: usize) -> impl Strategy<Value = String> {
        proptest::collection::vec(
            (
                0..WORDS.len(),
                prop_oneof![Just(" "), Just(""), Just("\n"), Just("  ")],
            ),
            1..max,
        )
        .prop_map(|v| {
            v.into_iter()
                .map(|(w, sep)| format!("{}{sep}", WORDS[w]))
                .collect()
        })
    }

    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(words(12), 1..4).prop_map(|ps| ps.join("\n\n") + "\n")
    }

    fn context() -> impl Strategy<Value = Option<String>> {
        prop_oneof![Just(None), words(3).prop_map(Some)]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// Any annotations of words of the text: the automaton answers as the scan does.
        #[test]
        fn together_equals_one_by_one(
            md in text(),
            queries in proptest::collection::vec((words(4), context(), context()), 1..8),
            cuts in proptest::collection::vec((0usize..80, 1usize..20, 0usize..10, 0usize..10), 0..4),
        ) {
            let b = blocks(&md);
            let mut owned: Vec<(String, Option<String>, Option<String>)> = queries;
            // Quotes, prefixes and suffixes cut from the text itself.
            if let Some(first) = b.first() {
                let t = &first.text;
                let floor = |mut i: usize| { i = i.min(t.len()); while !t.is_char_boundary(i) { i -= 1; } i };
                for (s, len, before, after) in cuts {
                    let (s, e) = (floor(s), floor(s + len));
                    let (p, x) = (floor(s.saturating_sub(before)), floor(e + after));
                    owned.push((t[s..e].to_string(), Some(t[p..s].to_string()), Some(t[e..x].to_string())));
                }
            }
            let queries: Vec<Query> = owned
                .iter()
                .map(|(quote, p, x)| q(quote, p.as_deref(), x.as_deref()))
                .collect();
            prop_assert_eq!(find_all_together(&b, &queries), find_all_by_scanning(&b, &queries));
        }

        /// The closest passage is the one the full comparison of every window finds.
        #[test]
        fn closest_equals_comparing_every_window(md in text(), quote in words(5)) {
            let b = blocks(&md);
            let q = crate::annotate::index::fold_space(&quote);
            prop_assert_eq!(closest(&b, &q), closest_naive(&b, &q));
        }
    }
}
