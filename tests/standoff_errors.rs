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
            "annotation #1: quote \"met Bo\" partly overlaps the entity link shown as \"Ana Díaz met\"",
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
