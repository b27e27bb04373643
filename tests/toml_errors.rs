//! Every unknown key and every wrongly typed value of a TOML document —
//! front matter, a sidecar, `config.toml` — is an error of the same run, at
//! its own `path:line:column` with its line shown, not only the first one
//! serde stops at; so is every required key a table of the content lacks,
//! beside its misspelt keys and wrong values. An unknown key close to a key
//! its table lacks is told what it may be meant for.

mod harness;
use harness::*;

/// One expected error: where (`path:line:column:`), what the message says,
/// the line shown under it, and the note under that, if one is expected.
struct Expected<'a> {
    at: &'a str,
    msg: &'a str,
    line: &'a str,
    note: Option<&'a str>,
}

const fn e<'a>(at: &'a str, msg: &'a str, line: &'a str) -> Expected<'a> {
    Expected {
        at,
        msg,
        line,
        note: None,
    }
}

impl<'a> Expected<'a> {
    /// With the note `= note` under it.
    const fn note(self, note: &'a str) -> Expected<'a> {
        Expected {
            note: Some(note),
            ..self
        }
    }
}

/// The whole message of the error at `at` saying `msg`: its first line up
/// to the blank line that ends it (its line shown and its notes).
fn message<'r>(stderr: &'r str, at: &str, msg: &str) -> &'r str {
    let start = stderr
        .lines()
        .find(|l| l.contains(at) && l.contains("error:") && l.contains(msg))
        .map(|l| l.as_ptr() as usize - stderr.as_ptr() as usize)
        .unwrap_or_else(|| panic!("no {at} {msg} in:\n{stderr}"));
    let rest = &stderr[start..];
    &rest[..rest.find("\n\n").unwrap_or(rest.len())]
}

/// `build` and `check` both fail with exactly the errors `expected`, each
/// with its line shown.
fn assert_errors(site: &Site, expected: &[Expected]) {
    for run in [site.build(&[]), site.run(&["check"])] {
        for x in expected {
            run.assert_error(x.at, x.msg);
            // The line number of `at`, then the line itself.
            let n = x.at.split(':').nth(1).unwrap();
            let shown = format!("{n} | {}", x.line);
            assert!(
                run.stderr.lines().any(|l| l == shown),
                "line {shown:?} not shown in:\n{}",
                run.stderr
            );
            if let Some(note) = x.note {
                let m = message(&run.stderr, x.at, x.msg);
                assert!(
                    m.lines().any(|l| l == format!("  = {note}")),
                    "no note {note:?} in:\n{m}"
                );
            }
        }
        let errors = run
            .stderr
            .lines()
            .filter(|l| l.contains(": error: "))
            .count();
        assert_eq!(errors, expected.len(), "errors in:\n{}", run.stderr);
        assert!(!run.exists("index.html"), "a failed build wrote its output");
    }
}

#[test]
fn article_front_matter() {
    let site = Site::new().file(
        "content/articles/a.md",
        "+++\ntitle = \"D\"\ndate = 2025-01-04\ntagz = [\"a\"]\nsumary = \"x\"\n\
         draft = \"yes\"\ntags = \"x\"\nauthors = [\"A\", 3]\n+++\nBody\n",
    );
    assert_errors(
        &site,
        &[
            e(
                "content/articles/a.md:4:1:",
                "unknown field `tagz`, expected one of `title`, `date`, `slug`",
                "tagz = [\"a\"]",
            ),
            e(
                "content/articles/a.md:5:1:",
                "unknown field `sumary`, expected one of",
                "sumary = \"x\"",
            )
            .note("did you mean `summary`?"),
            e(
                "content/articles/a.md:6:9:",
                "invalid type: string \"yes\", expected a boolean",
                "draft = \"yes\"",
            ),
            e(
                "content/articles/a.md:7:8:",
                "invalid type: string \"x\", expected a sequence",
                "tags = \"x\"",
            ),
            // Inside an array: at the element.
            e(
                "content/articles/a.md:8:17:",
                "invalid type: integer `3`, expected a string",
                "authors = [\"A\", 3]",
            ),
        ],
    );
}

#[test]
fn a_wrong_date_comes_with_the_other_errors() {
    let site = Site::new().file(
        "content/articles/a.md",
        "+++\ntitle = \"A\"\ndate = \"yesterday\"\ntagz = [\"a\"]\nsumary = \"x\"\n+++\nBody\n",
    );
    assert_errors(
        &site,
        &[
            e(
                "content/articles/a.md:3:8:",
                "invalid date \"yesterday\"",
                "date = \"yesterday\"",
            ),
            e(
                "content/articles/a.md:4:1:",
                "unknown field `tagz`",
                "tagz = [\"a\"]",
            ),
            e(
                "content/articles/a.md:5:1:",
                "unknown field `sumary`",
                "sumary = \"x\"",
            ),
        ],
    );
}

#[test]
fn every_missing_key_of_a_table_is_reported() {
    // Both required keys of the article, and `quote` in each annotation.
    let site = Site::new().file(
        "content/articles/a.md",
        "+++\ntags = [\"a\"]\n[[annotations]]\nnote = \"n\"\n[[annotations]]\nnote = \"m\"\n+++\nBody\n",
    );
    assert_errors(
        &site,
        &[
            e(
                "content/articles/a.md:2:1:",
                "missing field `title`",
                "tags = [\"a\"]",
            ),
            e(
                "content/articles/a.md:2:1:",
                "missing field `date`",
                "tags = [\"a\"]",
            ),
            e(
                "content/articles/a.md:3:1:",
                "missing field `quote`",
                "[[annotations]]",
            ),
            e(
                "content/articles/a.md:5:1:",
                "missing field `quote`",
                "[[annotations]]",
            ),
        ],
    );
}

#[test]
fn entity_front_matter() {
    let site = Site::new().file(
        "content/entities/people/ana.md",
        "+++\nname = \"Ana\"\naliasses = [\"A\"]\nsumary = \"x\"\nlinks = \"https://a.org/\"\n+++\nAna.\n",
    );
    assert_errors(
        &site,
        &[
            e(
                "content/entities/people/ana.md:3:1:",
                "unknown field `aliasses`, expected one of `name`, `kind`, `aliases`",
                "aliasses = [\"A\"]",
            ),
            e(
                "content/entities/people/ana.md:4:1:",
                "unknown field `sumary`",
                "sumary = \"x\"",
            ),
            e(
                "content/entities/people/ana.md:5:9:",
                "invalid type: string \"https://a.org/\", expected a sequence",
                "links = \"https://a.org/\"",
            ),
        ],
    );
}

#[test]
fn sidecar_with_two_tables() {
    let site = Site::new()
        .file("content/entities/people/ana.md", &entity("Ana", &[], "A"))
        .file(
            "content/articles/a.md",
            &article("A", "2025-01-01", "Ana met Bo."),
        )
        .file(
            "content/articles/a.annotations.toml",
            "[[annotations]]\nqoute = \"Ana\"\nentity = \"ana\"\n\n\
             [[annotations]]\nquote = \"Bo\"\nentiy = \"ana\"\nnote = 3\nprefx = \"met \"\n",
        );
    assert_errors(
        &site,
        &[
            // The first table has no `quote`: said at the table, with the
            // key that may be it.
            e(
                "content/articles/a.annotations.toml:1:1:",
                "missing field `quote`",
                "[[annotations]]",
            )
            .note("is it misspelt as `qoute`?"),
            e(
                "content/articles/a.annotations.toml:2:1:",
                "unknown field `qoute`, expected one of `quote`, `prefix`, `suffix`, `entity`, `note`",
                "qoute = \"Ana\"",
            )
            .note("did you mean `quote`?"),
            e(
                "content/articles/a.annotations.toml:7:1:",
                "unknown field `entiy`",
                "entiy = \"ana\"",
            )
            .note("did you mean `entity`?"),
            e(
                "content/articles/a.annotations.toml:8:8:",
                "invalid type: integer `3`, expected a string",
                "note = 3",
            ),
            e(
                "content/articles/a.annotations.toml:9:1:",
                "unknown field `prefx`",
                "prefx = \"met \"",
            )
            .note("did you mean `prefix`?"),
        ],
    );
}

#[test]
fn annotations_in_front_matter() {
    let site = Site::new()
        .file("content/entities/people/ana.md", &entity("Ana", &[], "A"))
        .file(
            "content/articles/a.md",
            "+++\ntitle = \"A\"\ndate = 2025-01-01\ntagz = [\"x\"]\n\n\
             [[annotations]]\nquote = \"Ana\"\nentiy = \"ana\"\n\n\
             [[annotations]]\nquote = [\"Bo\"]\nnote = \"N.\"\nsufix = \".\"\n+++\nAna met Bo.\n",
        );
    assert_errors(
        &site,
        &[
            e(
                "content/articles/a.md:4:1:",
                "unknown field `tagz`",
                "tagz = [\"x\"]",
            ),
            e(
                "content/articles/a.md:8:1:",
                "unknown field `entiy`, expected one of `quote`",
                "entiy = \"ana\"",
            ),
            e(
                "content/articles/a.md:11:9:",
                "invalid type: sequence, expected a string",
                "quote = [\"Bo\"]",
            ),
            e(
                "content/articles/a.md:13:1:",
                "unknown field `sufix`",
                "sufix = \".\"",
            ),
        ],
    );
}

#[test]
fn config_toml() {
    let site = Site::empty().file(
        "config.toml",
        "title = \"T\"\nbase_url = \"https://example.org/\"\ntitel = \"x\"\nlanguage = 3\n\n\
         [annotations]\nautolnk = \"all\"\nautolink = \"some\"\n\n\
         [kinds]\nship = { label = \"Ships\", foldr = \"ships\" }\n",
    );
    assert_errors(
        &site,
        &[
            e(
                "config.toml:3:1:",
                "unknown field `titel`, expected one of `title`, `base_url`",
                "titel = \"x\"",
            ),
            e(
                "config.toml:4:12:",
                "invalid type: integer `3`, expected a string",
                "language = 3",
            ),
            e(
                "config.toml:7:1:",
                "unknown field `autolnk`, expected `autolink`",
                "autolnk = \"all\"",
            ),
            e(
                "config.toml:8:12:",
                "unknown variant `some`, expected one of `first`, `all`, `none`",
                "autolink = \"some\"",
            ),
            // The kind's table lacks `folder` beside its misspelt `foldr`:
            // both in one run.
            e(
                "config.toml:11:8:",
                "missing field `folder`",
                "ship = { label = \"Ships\", foldr = \"ships\" }",
            ),
            e(
                "config.toml:11:27:",
                "unknown field `foldr`, expected `label` or `folder`",
                "ship = { label = \"Ships\", foldr = \"ships\" }",
            ),
        ],
    );
}

#[test]
fn a_syntax_error_is_one_error_and_the_other_files_are_still_checked() {
    let site = Site::new()
        .file(
            "content/articles/a.md",
            "+++\ntitle = \"A\"\ndate = 2025-01-01\ntags = [\"x\" \"y\"]\ntagz = 1\n+++\nBody\n",
        )
        .file(
            "content/articles/b.md",
            "+++\ntitle = \"B\"\ndate = 2025-01-01\ntagz = 1\nsumary = \"x\"\n+++\nBody\n",
        )
        .file(
            "content/entities/people/ana.md",
            "+++\nname = \"Ana\"\naliasses = [\"A\"]\nsumary = \"x\"\n+++\nAna.\n",
        )
        .file(
            "content/articles/c.annotations.toml",
            "[[annotations]]\nqoute = \"x\"\n",
        );
    for run in [site.build(&[]), site.run(&["check"])] {
        run.assert_error("content/articles/a.md:4:", "");
        run.assert_error("content/articles/b.md:4:1:", "unknown field `tagz`");
        run.assert_error("content/articles/b.md:5:1:", "unknown field `sumary`");
        run.assert_error(
            "content/entities/people/ana.md:3:1:",
            "unknown field `aliasses`",
        );
        run.assert_error(
            "content/entities/people/ana.md:4:1:",
            "unknown field `sumary`",
        );
        // The syntax error is the one error of its file.
        let of_a = run
            .stderr
            .lines()
            .filter(|l| l.starts_with("content/articles/a.md:") && l.contains(": error: "))
            .count();
        assert_eq!(of_a, 1, "{}", run.stderr);
    }
}

#[test]
fn a_valid_site_still_builds() {
    let site = Site::empty()
        .file(
            "config.toml",
            "title = \"T\"\nbase_url = \"https://example.org/\"\n\n[annotations]\nautolink = \"all\"\n\n\
             [kinds]\nship = { label = \"Ships\", folder = \"ships\" }\n",
        )
        .file(
            "content/entities/ships/beagle.md",
            "+++\nname = \"Beagle\"\n+++\nA ship.\n",
        )
        .file(
            "content/articles/a.md",
            "+++\ntitle = \"A\"\ndate = 2025-01-01\ntags = [\"t\"]\n\n\
             [[annotations]]\nquote = \"sailed\"\nnote = \"N.\"\n+++\nBeagle sailed.\n",
        )
        .file(
            "content/articles/a.annotations.toml",
            "[[annotations]]\nquote = \"Beagle\"\nentity = \"beagle\"\n",
        );
    site.build(&[]).assert_ok();
    site.run(&["check"]).assert_ok();
}

#[test]
fn unknown_keys_in_config_do_not_hide_the_errors_of_the_content() {
    let site = Site::new()
        .file(
            "config.toml",
            "title = \"T\"\nbase_url = \"https://example.org/\"\ntitel = \"x\"\n",
        )
        .file(
            "content/articles/a.md",
            "+++\ntitle = \"A\"\ndate = 2025-01-01\n+++\nSee [[nobody]].\n",
        );
    assert_errors(
        &site,
        &[
            e("config.toml:3:1:", "unknown field `titel`", "titel = \"x\""),
            e(
                "content/articles/a.md:5:5:",
                "unknown entity `nobody`",
                "See [[nobody]].",
            ),
        ],
    );
}

#[test]
fn a_missing_key_is_reported_beside_a_misspelt_one() {
    // `titel` is no `title`: both said in one run, each pointing at the
    // other; a `date` that is wrong too, and a misspelt optional key.
    let site = Site::new().file(
        "content/articles/a.md",
        "+++\ntitel = \"A\"\ndate = \"soon\"\nsumary = \"x\"\n+++\nBody\n",
    );
    assert_errors(
        &site,
        &[
            e(
                "content/articles/a.md:2:1:",
                "missing field `title`",
                "titel = \"A\"",
            )
            .note("is it misspelt as `titel`?"),
            e(
                "content/articles/a.md:2:1:",
                "unknown field `titel`, expected one of `title`",
                "titel = \"A\"",
            )
            .note("did you mean `title`?"),
            e(
                "content/articles/a.md:3:8:",
                "invalid date \"soon\"",
                "date = \"soon\"",
            ),
            e(
                "content/articles/a.md:4:1:",
                "unknown field `sumary`",
                "sumary = \"x\"",
            )
            .note("did you mean `summary`?"),
        ],
    );
}

#[test]
fn every_missing_key_beside_unknown_keys_and_wrong_values() {
    // Nothing close to the keys missing: each said on its own.
    let site = Site::new()
        .file(
            "content/articles/a.md",
            "+++\ncolour = \"red\"\ntags = \"x\"\n+++\nBody\n",
        )
        .file(
            "content/entities/people/ana.md",
            "+++\nnmae = \"Ana\"\naliases = \"A\"\n+++\nAna.\n",
        )
        .file("content/pages/about.md", "+++\ndraft = 1\n+++\nAbout.\n")
        .file(
            "content/articles/b.md",
            "+++\ntitle = \"B\"\ndate = 2025-01-01\n\n[[annotations]]\nnote = 3\n+++\nB.\n",
        );
    assert_errors(
        &site,
        &[
            e(
                "content/articles/a.md:2:1:",
                "missing field `title`",
                "colour = \"red\"",
            ),
            e(
                "content/articles/a.md:2:1:",
                "missing field `date`",
                "colour = \"red\"",
            ),
            e(
                "content/articles/a.md:2:1:",
                "unknown field `colour`",
                "colour = \"red\"",
            ),
            e(
                "content/articles/a.md:3:8:",
                "invalid type: string \"x\", expected a sequence",
                "tags = \"x\"",
            ),
            e(
                "content/entities/people/ana.md:2:1:",
                "missing field `name`",
                "nmae = \"Ana\"",
            )
            .note("is it misspelt as `nmae`?"),
            e(
                "content/entities/people/ana.md:2:1:",
                "unknown field `nmae`",
                "nmae = \"Ana\"",
            )
            .note("did you mean `name`?"),
            e(
                "content/entities/people/ana.md:3:11:",
                "invalid type: string \"A\", expected a sequence",
                "aliases = \"A\"",
            ),
            e(
                "content/pages/about.md:2:1:",
                "missing field `title`",
                "draft = 1",
            ),
            e(
                "content/pages/about.md:2:9:",
                "invalid type: integer `1`, expected a boolean",
                "draft = 1",
            ),
            e(
                "content/articles/b.md:5:1:",
                "missing field `quote`",
                "[[annotations]]",
            ),
            e(
                "content/articles/b.md:6:8:",
                "invalid type: integer `3`, expected a string",
                "note = 3",
            ),
        ],
    );
    // No suggestion where nothing is close.
    let run = site.build(&[]);
    let colour = message(
        &run.stderr,
        "content/articles/a.md:2:1:",
        "unknown field `colour`",
    );
    assert!(!colour.contains("did you mean"), "{colour}");
    let title = message(
        &run.stderr,
        "content/articles/a.md:2:1:",
        "missing field `title`",
    );
    assert!(!title.contains("  = "), "{title}");
}

#[test]
fn config_toml_suggests_the_keys_unknown_ones_may_be_meant_for() {
    let site = Site::empty().file(
        "config.toml",
        "titel = \"T\"\nbase_url = \"https://example.org/\"\n\n[kinds]\nship = { lable = \"Ships\", folder = \"ships\" }\n",
    );
    for run in [site.build(&[]), site.run(&["check"])] {
        let m = message(&run.stderr, "config.toml:1:1:", "unknown field `titel`");
        assert!(m.ends_with("\n  = did you mean `title`?"), "{m}");
        let m = message(&run.stderr, "config.toml:5:10:", "unknown field `lable`");
        assert!(m.ends_with("\n  = did you mean `label`?"), "{m}");
    }
}
