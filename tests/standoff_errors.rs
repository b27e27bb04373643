//! Standoff annotations that collide with what the text marks itself, and
//! messages about the Markdown of their notes, at their own line and column.

mod harness;
use harness::*;

fn site(body: &str, sidecar: &str) -> Site {
    Site::new()
        .file(
            "content/entities/people/ana.md",
            &entity("Ana Díaz", &[], "A"),
        )
        .file("content/entities/people/bo.md", &entity("Bo Li", &[], "B"))
        .file(
            "content/entities/people/marco-rubio.md",
            &entity("Marco Rubio", &[], "C"),
        )
        .file(
            "content/entities/places/florida.md",
            &entity("Florida", &[], "D"),
        )
        .file("content/articles/a.md", &article("A", "2025-01-01", body))
        .file("content/articles/a.annotations.toml", sidecar)
}

#[test]
fn a_quote_that_cuts_an_entity_link_is_an_error() {
    // Once an anchor of Bo inside Ana's link, and a second link after it.
    let s = site(
        "Partial [[ana|Ana Díaz met]] Bo Li today.",
        "[[annotations]]\nquote = \"met Bo\"\nentity = \"bo\"\n",
    );
    for run in [s.build(&[]), s.run(&["check"])] {
        run.assert_error(
            "content/articles/a.annotations.toml:2:9: ",
            "annotation #1: quote \"met Bo\" partly overlaps the entity link shown as \"Ana Díaz met\" \
             at content/articles/a.md:5:9; quote all of it, or none",
        );
    }
    // A quote that holds a whole link, or lies within one, is fine.
    let s = site(
        "Whole [[ana]] wrapped, and [[ana|Ana Díaz met]] Bo.",
        "[[annotations]]\nquote = \"Whole ana wrapped\"\nnote = \"N.\"\n\
         [[annotations]]\nquote = \"Díaz\"\nnote = \"M.\"\n",
    );
    s.build(&[]).assert_ok();
}

#[test]
fn a_quote_that_cuts_a_name_warns_that_the_name_is_not_counted() {
    let run = site(
        "Marco Rubio of Florida spoke.",
        "[[annotations]]\nquote = \"Rubio of\"\nentity = \"florida\"\n",
    )
    .build(&[]);
    run.assert_ok();
    assert!(
        run.stderr.contains(
            "content/articles/a.annotations.toml:2:9: warning: annotation #1: quote \"Rubio of\" \
             cuts the name \"Marco Rubio\" in two"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn errors_in_a_note_point_into_the_note() {
    let sidecar = "[[annotations]]\nquote = \"Bo Li\"\nnote = \"\"\"\nFirst line.\n\n\
                   Third line with [[nobody]] here.\"\"\"\n\n\
                   [[annotations]]\nquote = \"today\"\nnote = 'Literal [[nobody2]].'\n\n\
                   [[annotations]]\nquote = \"Ana\"\nnote = \"Escaped \\\"x\\\" [[nobody3]].\"\n";
    let s = site("Ana met Bo Li today.", sidecar);
    for run in [s.build(&[]), s.run(&["check"])] {
        let side = "content/articles/a.annotations.toml";
        run.assert_error(
            &format!("{side}:6:17: "),
            "annotation #1: in its note: unknown entity `nobody`",
        );
        run.assert_error(
            &format!("{side}:10:17: "),
            "annotation #2: in its note: unknown entity `nobody2`",
        );
        // Escapes make the string differ from the file: at the string.
        run.assert_error(
            &format!("{side}:14:8: "),
            "annotation #3: in its note: unknown entity `nobody3`",
        );
        assert!(run.stderr.contains("6 | Third line with [[nobody]] here."));
    }
}

#[test]
fn a_link_in_a_sidecar_note_is_warned_about_in_the_sidecar() {
    // Once at line 1 of the article, a file that does not hold it.
    let sidecar =
        "[[annotations]]\nquote = \"Bo Li\"\nnote = \"\"\"\nSee [x](javascript:alert(1)).\"\"\"\n";
    let run = site("Ana met Bo Li today.", sidecar).build(&[]);
    run.assert_ok();
    assert!(
        run.stderr.contains(
            "content/articles/a.annotations.toml:4:9: warning: link `javascript:alert(1)` is left out"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_broken_link_written_twice_is_warned_about_at_each_place() {
    let s = site(
        "See [one](/nowhere/) here.\n\nAnd [two](/nowhere/) again.",
        "",
    );
    let run = s.run(&["check"]);
    for at in ["a.md:5:11: warning", "a.md:7:11: warning"] {
        assert!(run.stderr.contains(at), "{at}: {}", run.stderr);
    }
}

/// A warning at `path:line:col:` saying `msg`.
fn assert_warning(run: &Run, at: &str, msg: &str) {
    let found = run
        .stderr
        .lines()
        .any(|l| l.contains(at) && l.contains("warning:") && l.contains(msg));
    assert!(
        found,
        "no warning at {at:?} saying {msg:?} in:\n{}",
        run.stderr
    );
}

/// `site` with annotations in the article's front matter too.
fn site_with_front(front: &str, body: &str, sidecar: &str) -> Site {
    site(body, sidecar).file(
        "content/articles/a.md",
        &format!("+++\ntitle = \"A\"\ndate = 2025-01-01\n\n{front}+++\n{body}\n"),
    )
}

#[test]
fn one_quote_cannot_link_to_two_entities() {
    let s = site_with_front(
        "[[annotations]]\nquote = \"the northern neighbour\"\nentity = \"florida\"\n",
        "Officials met the northern neighbour on Tuesday.",
        "[[annotations]]\nquote = \"the northern neighbour\"\nentity = \"bo\"\n",
    );
    for run in [s.build(&[]), s.run(&["check"])] {
        run.assert_error(
            "content/articles/a.annotations.toml:2:9: ",
            "annotation #1: quote \"the northern neighbour\" is also the quote of annotation #1 \
             in content/articles/a.md, which links it to `florida`: one text cannot link to two \
             entities (`bo` here)",
        );
    }
}

#[test]
fn an_entity_quote_over_an_entity_link_is_an_error_at_the_quote() {
    let body = "Officials from [[florida|Florida]] said yes. Then [[florida|the state]] \
                answered. Nothing but [[ana|Ana Díaz]] here.";
    // The same entity over the same text is the link's one mention; the
    // annotation adds its note.
    let merged = "[[annotations]]\nquote = \"Florida\"\nprefix = \"from\"\n\
                  entity = \"florida\"\nnote = \"N.\"\n";
    let run = site(body, merged).build(&[]);
    run.assert_ok();
    let page = run.page("articles/a/index.html");
    assert_eq!(page.matches("id=\"m-florida-").count(), 2, "{page}");
    assert!(
        page.contains("id=\"m-florida-1\" href=\"/sub/path/entities/florida/\" title=\"Place — D\">Florida</a><sup class=\"footnote-ref\" id=\"fnref-1\">"),
        "{page}"
    );
    let sidecar = format!(
        "{merged}\n\
         [[annotations]]\nquote = \"the state\"\nentity = \"bo\"\n\n\
         [[annotations]]\nquote = \"Nothing but Ana Díaz\"\nentity = \"ana\"\n\n\
         [[annotations]]\nquote = \"Díaz\"\nentity = \"bo\"\n"
    );
    let s = site(body, &sidecar);
    for run in [s.build(&[]), s.run(&["check"])] {
        let side = "content/articles/a.annotations.toml";
        run.assert_error(
            &format!("{side}:8:9: "),
            "annotation #2: quote \"the state\" is the shown text of the entity link at \
             content/articles/a.md:5:51, which links to `florida`: one text cannot link to two \
             entities (`bo` here)",
        );
        run.assert_error(
            &format!("{side}:12:9: "),
            "annotation #3: quote \"Nothing but Ana Díaz\" holds the entity link shown as \
             \"Ana Díaz\" at content/articles/a.md:5:95, which links to `ana`: an entity link \
             cannot hold another",
        );
        run.assert_error(
            &format!("{side}:16:9: "),
            "annotation #4: quote \"Díaz\" lies inside the entity link shown as \"Ana Díaz\" \
             at content/articles/a.md:5:95, which links to `ana`: an entity link cannot hold \
             another",
        );
        assert_eq!(run.stderr.matches(": error: ").count(), 3, "{}", run.stderr);
    }
}

#[test]
fn an_entity_quote_inside_a_markdown_link_is_a_mention_with_a_warning() {
    let body = "Link [to Bo Li](https://x.org/) and [here](https://y.org/) now.";
    let run = site(
        body,
        "[[annotations]]\nquote = \"Bo Li\"\nentity = \"bo\"\n",
    )
    .build(&[]);
    run.assert_ok();
    assert_warning(
        &run,
        "content/articles/a.annotations.toml:2:9: ",
        "annotation #1: quote \"Bo Li\" is inside a link, so it is counted as a mention of `bo` \
         but not linked (a link cannot hold another)",
    );
    let page = run.page("articles/a/index.html");
    assert!(
        page.contains(
            "<a href=\"https://x.org/\">to <span class=\"mention\" id=\"m-bo-1\">Bo Li</span></a>"
        ),
        "{page}"
    );
    run.assert_links_resolve("/sub/path/");
    // Holding a link, or part of one, is an error.
    let s = site(
        body,
        "[[annotations]]\nquote = \"and here now\"\nentity = \"ana\"\n\n\
         [[annotations]]\nquote = \"Link to\"\nentity = \"ana\"\n",
    );
    let run = s.build(&[]);
    run.assert_error(
        "content/articles/a.annotations.toml:2:9: ",
        "annotation #1: quote \"and here now\" holds the link shown as \"here\": an entity link \
         cannot hold a link",
    );
    run.assert_error(
        "content/articles/a.annotations.toml:6:9: ",
        "annotation #2: quote \"Link to\" partly overlaps the link shown as \"to Bo Li\"",
    );
}

#[test]
fn a_name_in_a_heading_is_warned_about_where_it_stands() {
    // Once each at the first line starting with `#` that holds its first
    // word: the comment in the code, or line 1.
    let body = "```sh\n# install Marco Rubio tools\n```\n\n\
                ## About Marco Rubio\n\n\
                > ## Quoted Florida heading\n\n\
                Ana Díaz\n--------\n\n\
                ## More on Marco Rubio\n\n\
                ## A \\* b &amp; *Florida*\n\n\
                ## Linked Bo Li\n";
    let s = site(
        body,
        "[[annotations]]\nquote = \"Bo Li\"\nentity = \"bo\"\n",
    );
    for run in [s.build(&[]), s.run(&["check"])] {
        assert_eq!(run.code, 0, "{}", run.stderr);
        let heading = |name: &str| {
            format!("heading names {name:?}: names in headings are not linked or counted")
        };
        assert_warning(
            &run,
            "content/articles/a.md:9:10: ",
            &heading("Marco Rubio"),
        );
        assert_warning(&run, "content/articles/a.md:11:13: ", &heading("Florida"));
        assert_warning(&run, "content/articles/a.md:13:1: ", &heading("Ana Díaz"));
        assert_warning(
            &run,
            "content/articles/a.md:16:12: ",
            &heading("Marco Rubio"),
        );
        assert_warning(&run, "content/articles/a.md:18:18: ", &heading("Florida"));
        // The annotated name is linked and counted: no warning.
        assert_eq!(
            run.stderr.matches("heading names").count(),
            5,
            "{}",
            run.stderr
        );
    }
    let run = s.build(&[]);
    let page = run.page("articles/a/index.html");
    assert!(
        page.contains("<h2>Linked <a class=\"entity entity-person\" id=\"m-bo-1\""),
        "{page}"
    );
}

#[test]
fn empty_quotes_and_notes_and_quotes_across_paragraphs_are_errors_at_their_value() {
    let sidecar = "[[annotations]]\nquote = \"\"\nnote = \"N.\"\n\n\
                   [[annotations]]\nquote = \"Bo Li\"\nnote = \"  \"\n\n\
                   [[annotations]]\nquote = \"today. Second\"\nentity = \"ana\"\n\n\
                   [[annotations]]\nquote = \"Ana\"\nnote = \"\"\n";
    let s = site("Ana met Bo Li today.\n\nSecond paragraph.", sidecar);
    for run in [s.build(&[]), s.run(&["check"])] {
        let side = "content/articles/a.annotations.toml";
        run.assert_error(&format!("{side}:2:9: "), "annotation #1: empty quote");
        run.assert_error(
            &format!("{side}:7:8: "),
            "annotation #2: empty note: write the note's text, or leave out `note`",
        );
        run.assert_error(
            &format!("{side}:10:9: "),
            "annotation #3: quote \"today. Second\" runs from one paragraph, list item or table \
             cell of content/articles/a.md into the next: a quote must stay within one \
             paragraph, list item or table cell",
        );
        assert!(
            run.stderr
                .contains("= found across: Ana met Bo Li [today. ¶ Second] paragraph."),
            "{}",
            run.stderr
        );
        run.assert_error(&format!("{side}:15:8: "), "annotation #4: empty note");
        assert!(
            !run.stderr.contains("nothing in the text is close"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn an_error_in_a_one_line_note_shows_the_whole_line() {
    // Once cut after `now.`, where the note's text ends.
    let s = site_with_front(
        "[[annotations]]\nquote = \"Bo Li\"\nnote = \"See [[nobody-here]] now.\"   # a comment\n",
        "Ana met Bo Li today.",
        "",
    );
    let run = s.build(&[]);
    run.assert_error(
        "content/articles/a.md:7:13: ",
        "annotation #1: in its note: unknown entity `nobody-here`",
    );
    assert!(
        run.stderr
            .contains("7 | note = \"See [[nobody-here]] now.\"   # a comment\n"),
        "{}",
        run.stderr
    );
}
