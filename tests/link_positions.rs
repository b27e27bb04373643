//! Warnings about Markdown links and images (a URL left out for its
//! scheme, an internal link that points at nothing) stand at the URL as
//! written: escaped, with entities, in `<...>`, in a reference definition,
//! written twice, in a note, in a standoff note's TOML string. They were
//! found by searching the file for the URL as parsed, which landed on
//! line 1, or on the same text written earlier, or in the wrong file.

mod harness;
use harness::*;

/// The warnings of `run` that name `url` (as `` `url` ``), as
/// `path:line:column`.
fn places(run: &Run, url: &str) -> Vec<String> {
    run.stderr
        .lines()
        .filter(|l| l.contains(": warning: ") && l.contains(&format!("`{url}`")))
        .map(|l| l.split(": warning: ").next().unwrap_or("").to_string())
        .collect()
}

/// `check` and `build` both warn about `url` exactly at `want`, each once.
fn assert_at(runs: &[Run], url: &str, want: &[&str]) {
    for run in runs {
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        assert_eq!(places(run, url), want, "{url}:\n{}", run.stderr);
    }
}

fn check_and_build(site: &Site) -> [Run; 2] {
    [site.run(&["check"]), site.build(&[])]
}

const BODY: &str = "\
Written as text first: /a_b/, /c&d, /e f/, /nowhere/ and /twice/.

Links: [x](/a\\_b/) [y](/c&amp;d) [z](</e f/> \"title\") [w][r].

Twice: [one](/twice/) and [two](/twice/), then [w again][r].[^1]

> Quoted [q](
> /quoted/).

| a | b |
|---|---|
| /cell/ | [c](/cell/) |

[^1]: A note: /in-note/ and [n](/in-note/).

[r]: /nowhere/";

#[test]
fn internal_link_warnings_stand_at_the_url_as_written() {
    let site = Site::new().file("content/articles/a.md", &article("A", "2025-01-01", BODY));
    let runs = check_and_build(&site);
    let a = "content/articles/a.md";
    // The body starts on line 5.
    assert_at(&runs, "/a_b/", &[&format!("{a}:7:12")]);
    assert_at(&runs, "/c&d", &[&format!("{a}:7:24")]);
    assert_at(&runs, "/e f/", &[&format!("{a}:7:39")]);
    // A reference link: at its definition's URL, once however often used.
    assert_at(&runs, "/nowhere/", &[&format!("{a}:20:6")]);
    // Written twice: each at its own place.
    assert_at(
        &runs,
        "/twice/",
        &[&format!("{a}:9:14"), &format!("{a}:9:33")],
    );
    // Across the line break of a block quote.
    assert_at(&runs, "/quoted/", &[&format!("{a}:12:3")]);
    assert_at(&runs, "/cell/", &[&format!("{a}:16:16")]);
    // In a footnote, after the same text written as text.
    assert_at(&runs, "/in-note/", &[&format!("{a}:18:33")]);
}

#[test]
fn unsafe_url_warnings_stand_at_the_url_as_written() {
    let body = "javascript:alert(1) and javascript:alert(2) written as text.\n\n\
                [a](java&#115;cript:alert(1)) and [b](<javascript:alert(2)>) and \
                ![i](javascript\\:alert(3)) and <javascript:alert(4)>\n\n\
                [c][bad] and [d][bad]\n\n\
                [bad]: <javascript:alert(5)>";
    let site = Site::new()
        .file("content/articles/a.md", &article("A", "2025-01-01", body))
        .file(
            "content/entities/places/paris.md",
            "+++\nname = \"Paris\"\n+++\nSee /p_q/ and [paris](/p\\_q/), \
             javascript:alert(6) and [x](javascript&colon;alert(6)).\n",
        )
        .file(
            "content/pages/about.md",
            "+++\ntitle = \"About\"\n+++\n/missing/ and [m](</missing/>)\n",
        );
    let runs = check_and_build(&site);
    let a = "content/articles/a.md";
    assert_at(&runs, "javascript:alert(1)", &[&format!("{a}:7:5")]);
    assert_at(&runs, "javascript:alert(2)", &[&format!("{a}:7:40")]);
    assert_at(&runs, "javascript:alert(3)", &[&format!("{a}:7:71")]);
    assert_at(&runs, "javascript:alert(4)", &[&format!("{a}:7:98")]);
    assert_at(&runs, "javascript:alert(5)", &[&format!("{a}:11:9")]);
    let paris = "content/entities/places/paris.md";
    assert_at(&runs, "/p_q/", &[&format!("{paris}:4:23")]);
    assert_at(&runs, "javascript:alert(6)", &[&format!("{paris}:4:60")]);
    assert_at(&runs, "/missing/", &["content/pages/about.md:4:20"]);
}

#[test]
fn standoff_note_links_are_warned_about_in_their_file() {
    let front = "+++\ntitle = \"S\"\ndate = 2025-01-02\n\n\
                 [[annotations]]\nquote = \"first\"\nnote = \"See [fm](/fm-in-place/).\"\n\n\
                 [[annotations]]\nquote = \"second\"\n\
                 note = \"Say \\\"hi\\\" [fe](/fm\\\\_escaped/).\"\n+++\n\
                 The first and the second and the third and the fourth word.\n\
                 /sc-in-place/ /sc-escaped/ /fm-in-place/ /fm_escaped/ javascript:x\n";
    let sidecar = "# Notes on s.md\n\n[[annotations]]\nquote = \"third\"\nnote = \"\"\"\n\
                   A longer note: [sc](/sc-in-place/).\"\"\"\n\n\
                   [[annotations]]\nquote = \"fourth\"\n\
                   note = \"Tab\\there [se](/sc-escaped/) [sj](javascript:x).\"\n\n\
                   [[annotations]]\nquote = \"word\"\n\
                   note = \"Another\\tone: [s2](/sc-escaped-2/).\"\n";
    let site = Site::new()
        .file("content/articles/s.md", front)
        .file("content/articles/s.annotations.toml", sidecar);
    let runs = check_and_build(&site);
    let (s, side) = (
        "content/articles/s.md",
        "content/articles/s.annotations.toml",
    );
    // Read in place: at the URL itself.
    assert_at(&runs, "/fm-in-place/", &[&format!("{s}:7:18")]);
    assert_at(&runs, "/sc-in-place/", &[&format!("{side}:6:21")]);
    // A TOML string with escapes is read apart from its file: at the
    // string, never at a line of the article.
    assert_at(&runs, "/fm_escaped/", &[&format!("{s}:11:8")]);
    assert_at(&runs, "/sc-escaped/", &[&format!("{side}:10:8")]);
    assert_at(&runs, "javascript:x", &[&format!("{side}:10:8")]);
    // Two such notes in one file: each at its own string.
    assert_at(&runs, "/sc-escaped-2/", &[&format!("{side}:14:8")]);
}
