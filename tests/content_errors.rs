//! Every kind of bad input gives `path:line:column: error: message`, with the
//! offending line shown, all errors of a run together, exit status 1, and
//! the previous output left exactly as it was.

mod harness;
use harness::*;

fn good() -> Site {
    Site::new()
        .file(
            "content/entities/people/marco-rubio.md",
            &entity("Marco Rubio", &["Rubio"], "Secretary of State"),
        )
        .file(
            "content/entities/places/mexico-city.md",
            &entity("Mexico City", &[], "Capital"),
        )
        .file(
            "content/articles/a.md",
            &article("A", "2025-01-01", "[[marco-rubio]] in Mexico City."),
        )
}

/// Builds `site` once successfully, breaks it with `edit`, and checks the
/// second build fails with `at`/`msg` and leaves the output as it was.
fn breaks(edit: impl FnOnce(&Site), at: &str, msg: &str) -> Run {
    let site = good();
    let first = site.build(&[]);
    first.assert_ok();
    let before = first.snapshot();
    edit(&site);
    let run = site.build(&[]);
    run.assert_error(at, msg);
    assert_eq!(run.snapshot(), before, "output changed by a failed build");
    // The offending line is shown under the message.
    assert!(run.stderr.contains(" | "), "{}", run.stderr);
    // check reports the same.
    let check = site.run(&["check"]);
    check.assert_error(at, msg);
    run
}

#[test]
fn malformed_toml_points_inside_the_file() {
    breaks(
        |s| {
            s.write(
                "content/articles/a.md",
                b"+++\ntitle = \"A\"\ndate = 2025-01-01\ntags = [\"x\" \"y\"]\n+++\nBody\n",
            )
        },
        "content/articles/a.md:4:",
        "",
    );
}

#[test]
fn unclosed_front_matter() {
    breaks(
        |s| s.write("content/articles/a.md", b"+++\ntitle = \"A\"\nBody\n"),
        "content/articles/a.md:1:1:",
        "not closed",
    );
}

#[test]
fn missing_title_and_missing_date() {
    breaks(
        |s| s.write("content/articles/a.md", b"+++\ndate = 2025-01-01\n+++\nx\n"),
        "content/articles/a.md:",
        "missing field `title`",
    );
    breaks(
        |s| s.write("content/articles/a.md", b"+++\ntitle = \"A\"\n+++\nx\n"),
        "content/articles/a.md:",
        "missing field `date`",
    );
}

#[test]
fn invalid_date() {
    breaks(
        |s| {
            s.write(
                "content/articles/a.md",
                b"+++\ntitle = \"A\"\ndate = \"yesterday\"\n+++\nx\n",
            )
        },
        "content/articles/a.md:3:",
        "date",
    );
    breaks(
        |s| {
            s.write(
                "content/articles/a.md",
                b"+++\ntitle = \"A\"\ndate = 2025-02-30\n+++\nx\n",
            )
        },
        "content/articles/a.md:3:",
        "",
    );
}

#[test]
fn unknown_keys_in_config_and_front_matter() {
    breaks(
        |s| s.write("config.toml", format!("{CONFIG}titel = \"x\"\n").as_bytes()),
        "config.toml:3:",
        "titel",
    );
    breaks(
        |s| {
            s.write(
                "content/articles/a.md",
                b"+++\ntitle = \"A\"\ndate = 2025-01-01\nauthor = \"x\"\n+++\nx\n",
            )
        },
        "content/articles/a.md:4:",
        "author",
    );
}

#[test]
fn unknown_entity_suggests_near_ids() {
    let run = breaks(
        |s| {
            s.write(
                "content/articles/a.md",
                article("A", "2025-01-01", "Hello [[marco-rubi]].").as_bytes(),
            )
        },
        "content/articles/a.md:5:7:",
        "unknown entity `marco-rubi`",
    );
    assert!(
        run.stderr.contains("did you mean `marco-rubio`"),
        "{}",
        run.stderr
    );
}

#[test]
fn ambiguous_alias_names_both_entities() {
    let run = breaks(
        |s| {
            s.write(
                "content/entities/people/ana.md",
                entity("Ana One", &["Ace"], "").as_bytes(),
            );
            s.write(
                "content/entities/people/bea.md",
                entity("Bea Two", &["Ace"], "").as_bytes(),
            );
            s.write(
                "content/articles/a.md",
                article("A", "2025-01-01", "See [[Ace]].").as_bytes(),
            );
        },
        "content/articles/a.md:5:5:",
        "ambiguous",
    );
    assert!(
        run.stderr.contains("`ana`") && run.stderr.contains("`bea`"),
        "{}",
        run.stderr
    );
}

#[test]
fn duplicate_entity_id() {
    breaks(
        |s| {
            s.write(
                "content/entities/places/marco-rubio.md",
                entity("Another", &[], "").as_bytes(),
            )
        },
        "marco-rubio.md:1:1:",
        "duplicate entity id",
    );
}

#[test]
fn alias_equal_to_another_entitys_id() {
    breaks(
        |s| {
            s.write(
                "content/entities/people/ana.md",
                entity("Ana", &["mexico-city"], "").as_bytes(),
            )
        },
        "content/entities/people/ana.md:3:",
        "is the id of another entity",
    );
}

#[test]
fn invalid_entity_id() {
    breaks(
        |s| {
            s.write(
                "content/entities/people/Marco_Rubio.md",
                entity("Someone", &[], "").as_bytes(),
            )
        },
        "content/entities/people/Marco_Rubio.md:1:1:",
        "invalid entity id",
    );
}

#[test]
fn duplicate_slug() {
    breaks(
        |s| {
            s.write(
                "content/articles/2024/2024-05-05-a.md",
                article("Other A", "2024-05-05", "x").as_bytes(),
            )
        },
        "content/articles/",
        "duplicate article slug \"a\"",
    );
}

#[test]
fn missing_config() {
    let site = Site::empty().file("content/articles/a.md", &article("A", "2025-01-01", "x"));
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("config.toml") && run.stderr.contains("no config.toml"),
        "{}",
        run.stderr
    );
}

#[test]
fn non_utf8_file() {
    breaks(
        |s| {
            s.write(
                "content/articles/a.md",
                b"+++\ntitle = \"A\"\ndate = 2025-01-01\n+++\nBad \xff byte\n",
            )
        },
        "content/articles/a.md:5:5:",
        "not valid UTF-8",
    );
}

#[test]
fn missing_footnote_definition() {
    breaks(
        |s| {
            s.write(
                "content/articles/a.md",
                article("A", "2025-01-01", "Text[^nope].").as_bytes(),
            )
        },
        "content/articles/a.md:5:5:",
        "footnote [^nope] has no definition",
    );
}

#[test]
fn template_syntax_error_names_template_and_line() {
    breaks(
        |s| s.write("templates/page.html", b"<p>ok</p>\n{% if %}\n"),
        "templates/page.html:2:",
        "",
    );
}

#[test]
fn standoff_quote_not_found_shows_the_closest_passage() {
    let run = breaks(
        |s| {
            s.write(
                "content/articles/a.md",
                article(
                    "A",
                    "2025-01-01",
                    "The two governments issued a joint statement.",
                )
                .as_bytes(),
            );
            s.write(
                "content/articles/a.annotations.toml",
                b"[[annotations]]\nquote = \"issued a joint statment\"\nentity = \"marco-rubio\"\n",
            );
        },
        "content/articles/a.annotations.toml:2:9:",
        "annotation #1",
    );
    assert!(
        run.stderr
            .contains("closest passage: \"issued a joint statement.\""),
        "{}",
        run.stderr
    );
}

#[test]
fn standoff_quote_found_twice_asks_for_a_prefix() {
    breaks(
        |s| {
            s.write(
                "content/articles/a.md",
                article("A", "2025-01-01", "Rubio said yes. Later Rubio said no.").as_bytes(),
            );
            s.write(
                "content/articles/a.annotations.toml",
                b"[[annotations]]\nquote = \"Rubio said\"\nnote = \"n\"\n",
            );
        },
        "content/articles/a.annotations.toml:2:9:",
        "occurs 2 times",
    );
}

#[test]
fn all_errors_of_a_run_are_reported_together() {
    let run = breaks(
        |s| {
            s.write(
                "content/articles/a.md",
                article("A", "2025-01-01", "[[nobody]] and [[nothing]][^x].").as_bytes(),
            );
            s.write("content/articles/b.md", b"+++\ntitle = 3\n+++\n");
        },
        "content/articles/a.md:5:1:",
        "unknown entity `nobody`",
    );
    run.assert_error("content/articles/a.md:5:16:", "unknown entity `nothing`");
    run.assert_error("content/articles/a.md:5:27:", "footnote [^x]");
    run.assert_error("content/articles/b.md:2:", "");
    // b.md's `date` is missing beside its `title` of the wrong type.
    run.assert_error("content/articles/b.md:", "missing field `date`");
    assert!(run.stderr.contains("5 errors"), "{}", run.stderr);
}

#[test]
fn a_broken_front_matter_does_not_hide_the_errors_of_its_body() {
    let run = breaks(
        |s| {
            s.write(
                "content/articles/b.md",
                b"+++\ntitle = \"B\"\ndate = \"soon\"\n+++\nSee [[nobody]] and [[marco-rubio]].[^x]\n",
            );
        },
        "content/articles/b.md:3:",
        "date",
    );
    run.assert_error("content/articles/b.md:5:5:", "unknown entity `nobody`");
    run.assert_error("content/articles/b.md:5:", "footnote [^x]");
    assert!(run.stderr.contains("3 errors"), "{}", run.stderr);
}

/// Builds `site` once successfully, breaks it with `edit`, and gives the
/// runs of `build` (checked to fail and leave the output as it was) and of
/// `check` on the broken site, for their errors to be looked at.
fn broken_runs(edit: impl FnOnce(&Site)) -> [Run; 2] {
    let site = good();
    let first = site.build(&[]);
    first.assert_ok();
    let before = first.snapshot();
    edit(&site);
    let build = site.build(&[]);
    assert_eq!(build.code, 1, "{}", build.stderr);
    assert_eq!(build.snapshot(), before, "output changed by a failed build");
    [build, site.run(&["check"])]
}

#[test]
fn a_page_with_a_broken_front_matter_still_has_its_body_checked() {
    for run in broken_runs(|s| {
        s.write(
            "content/pages/about.md",
            b"+++\ntitle = \"About\"\ncolour = \"red\"\n+++\nAbout this archive.\n\nSee [[nobody]] and [[marco-rubio]].\n",
        );
    }) {
        run.assert_error("content/pages/about.md:3:1:", "unknown field `colour`");
        run.assert_error("content/pages/about.md:7:5:", "unknown entity `nobody`");
        // The offending lines are shown.
        assert!(
            run.stderr.contains("3 | colour = \"red\""),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("7 | See [[nobody]]"), "{}", run.stderr);
        assert!(run.stderr.contains("2 errors"), "{}", run.stderr);
    }
}

#[test]
fn an_entity_with_a_broken_front_matter_still_has_its_description_checked() {
    for run in broken_runs(|s| {
        s.write(
            "content/entities/people/ana.md",
            b"+++\nname = \"Ana\"\nborn = 1970\n+++\nAna met [[nobody]] and [[marco-rubio]].\n",
        );
    }) {
        run.assert_error(
            "content/entities/people/ana.md:3:1:",
            "unknown field `born`",
        );
        run.assert_error(
            "content/entities/people/ana.md:5:9:",
            "unknown entity `nobody`",
        );
        assert!(run.stderr.contains("3 | born = 1970"), "{}", run.stderr);
        assert!(
            run.stderr.contains("5 | Ana met [[nobody]]"),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("2 errors"), "{}", run.stderr);
    }
}

#[test]
fn an_entity_with_a_broken_front_matter_is_unknown_to_links_and_to_itself() {
    // Not in the index: a link to its id, from an article or from its own
    // description, is an unknown entity, as ever; nothing else breaks.
    for run in broken_runs(|s| {
        s.write(
            "content/entities/people/ana.md",
            b"+++\nname = \"Ana\"\nname = \"Twice\"\n+++\nI am [[ana]].\n",
        );
        s.write(
            "content/articles/a.md",
            article("A", "2025-01-01", "[[ana]] and [[marco-rubio]].").as_bytes(),
        );
    }) {
        run.assert_error("content/entities/people/ana.md:3:", "duplicate key");
        run.assert_error(
            "content/entities/people/ana.md:5:6:",
            "unknown entity `ana`",
        );
        run.assert_error("content/articles/a.md:5:1:", "unknown entity `ana`");
        assert!(run.stderr.contains("3 errors"), "{}", run.stderr);
    }
}

#[test]
fn a_bad_kind_or_a_reserved_page_slug_does_not_hide_the_errors_of_the_body() {
    for run in broken_runs(|s| {
        s.write(
            "content/entities/people/ana.md",
            b"+++\nname = \"Ana\"\nkind = \"martian\"\n+++\nAna met [[nobody]].\n",
        );
        s.write(
            "content/pages/tags.md",
            b"+++\ntitle = \"Tags\"\n+++\nSee [[nothing]].[^x]\n",
        );
    }) {
        run.assert_error("content/entities/people/ana.md:3:8:", "unknown kind");
        run.assert_error(
            "content/entities/people/ana.md:5:9:",
            "unknown entity `nobody`",
        );
        run.assert_error("content/pages/tags.md:1:1:", "page slug \"tags\"");
        run.assert_error("content/pages/tags.md:4:5:", "unknown entity `nothing`");
        run.assert_error("content/pages/tags.md:4:", "footnote [^x]");
        assert!(run.stderr.contains("5 errors"), "{}", run.stderr);
    }
}

#[test]
fn a_template_that_fails_to_render_says_which_page() {
    let site = good();
    site.write(
        "templates/article.html",
        b"{% extends \"base.html\" %}\n{% block content %}{{ article.nonexistent }}{% endblock content %}\n",
    );
    for run in [site.build(&[]), site.run(&["check"])] {
        run.assert_error(
            "templates/article.html:2:23: ",
            "Variable `article.nonexistent` not found",
        );
        assert!(
            run.stderr.contains("= while writing articles/"),
            "{}",
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
}

#[test]
fn a_title_with_no_visible_text_is_an_error_at_its_value() {
    breaks(
        |s| {
            s.write(
                "content/articles/a.md",
                b"+++\ntitle = \" \\t \"\ndate = 2025-01-01\n+++\nBody\n",
            )
        },
        "content/articles/a.md:2:9:",
        "title must not be empty",
    );
    breaks(
        |s| s.write("content/pages/about.md", b"+++\ntitle = \"\"\n+++\nAbout\n"),
        "content/pages/about.md:2:9:",
        "title must not be empty",
    );
}

#[test]
fn an_empty_tag_or_author_is_an_error_at_it() {
    breaks(
        |s| {
            s.write(
                "content/articles/a.md",
                b"+++\ntitle = \"A\"\ndate = 2025-01-01\ntags = [\"x\", \" \"]\n+++\nBody\n",
            )
        },
        "content/articles/a.md:4:14:",
        "a tag must not be empty",
    );
    breaks(
        |s| {
            s.write(
                "content/articles/a.md",
                b"+++\ntitle = \"A\"\ndate = 2025-01-01\nauthors = [\"\\u0001\"]\n+++\nBody\n",
            )
        },
        "content/articles/a.md:4:12:",
        "an author's name must not be empty",
    );
}

#[test]
fn a_blank_summary_is_as_if_there_were_none() {
    let site = Site::new().file(
        "content/articles/a.md",
        "+++\ntitle = \"A\"\ndate = 2025-01-01\nsummary = \"  \"\n+++\nThe first paragraph.\n",
    );
    let run = site.build(&[]);
    run.assert_ok();
    let page = run.page("articles/a/index.html");
    assert!(
        page.contains("<meta name=\"description\" content=\"The first paragraph.\">"),
        "{page}"
    );
}
