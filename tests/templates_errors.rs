//! A site's template that fails to render (an unknown variable, filter or
//! included template) is reported once, at the template holding the fault,
//! with its line and column (Tera gives none: they are found from what the
//! error names), and the build leaves its output as it was.

mod harness;
use harness::*;
use std::collections::BTreeMap;
use std::time::SystemTime;

/// Two articles, an entity and a free page: every built-in template is used,
/// most of them for more than one page.
fn good() -> Site {
    Site::new()
        .file(
            "content/entities/people/ana.md",
            &entity("Ana Pérez", &[], "A minister"),
        )
        .file(
            "content/articles/a.md",
            "+++\ntitle = \"First\"\ndate = 2025-09-03\ntags = [\"politics\"]\n+++\n[[ana]] spoke.\n",
        )
        .file(
            "content/articles/b.md",
            &article("Second", "2025-09-01", "[[ana]] again."),
        )
        .file("content/pages/about.md", "+++\ntitle = \"About\"\n+++\nUs.\n")
}

/// The bytes and modification time of every file of the output.
fn state(run: &Run) -> BTreeMap<String, (Vec<u8>, SystemTime)> {
    run.files()
        .into_iter()
        .map(|f| {
            let p = run.out.join(&f);
            let mtime = std::fs::metadata(&p).unwrap().modified().unwrap();
            (f, (std::fs::read(&p).unwrap(), mtime))
        })
        .collect()
}

/// Builds the good site, writes `templates/NAME` for each of `files`, and
/// builds again: that must fail (exit 1) with exactly one error, at `at`
/// (`templates/NAME:LINE:COL:`), saying `msg`, with the line shown, and
/// leave the output untouched. `check` must say the same.
fn fails(files: &[(&str, &str)], at: &str, msg: &str) -> Run {
    let run = fails_to_load(files, at, msg);
    // Which page was being written.
    assert!(run.stderr.contains("= while writing "), "{}", run.stderr);
    run
}

/// [`fails`], for errors found before any page is rendered.
fn fails_to_load(files: &[(&str, &str)], at: &str, msg: &str) -> Run {
    let site = good();
    let first = site.build(&[]);
    first.assert_ok();
    let before = state(&first);
    for (name, text) in files {
        site.write(&format!("templates/{name}"), text.as_bytes());
    }
    let run = site.build(&[]);
    run.assert_error(at, msg);
    assert!(
        run.stderr.contains("1 error, 0 warnings"),
        "not exactly one error:\n{}",
        run.stderr
    );
    assert_eq!(
        run.stderr.matches(msg).count(),
        1,
        "reported more than once:\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!("{at} error: ")),
        "{}",
        run.stderr
    );
    assert_eq!(state(&run), before, "output changed by a failed build");
    let check = site.run(&["check"]);
    check.assert_error(at, msg);
    assert!(
        check.stderr.contains("1 error, 0 warnings"),
        "{}",
        check.stderr
    );
    run
}

/// The built-in `base.html` with `extra` written where the footer starts.
fn base_with(extra: &str) -> String {
    let base = include_str!("../templates/base.html");
    let footer = "<footer class=\"site-footer\">";
    assert!(base.contains(footer));
    base.replacen(footer, &format!("{footer}\n{extra}"), 1)
}

/// The line (1-based) of `base_with(extra)` holding `extra`.
fn line_of_extra(extra: &str) -> usize {
    let text = base_with(extra);
    text[..text.find(extra).unwrap()].matches('\n').count() + 1
}

#[test]
fn an_unknown_variable_is_at_its_line_and_column() {
    let index = "{% extends \"base.html\" %}\n{% block content %}\n<p>Hi {{ nosuchvar }}</p>\n{% endblock content %}\n";
    let run = fails(
        &[("index.html", index)],
        "templates/index.html:3:10:",
        "Variable `nosuchvar` not found",
    );
    // The line, with a caret under the variable.
    assert!(
        run.stderr
            .contains("3 | <p>Hi {{ nosuchvar }}</p>\n  |          ^"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_unknown_variable_in_base_html_is_reported_once_at_base_html() {
    // Every page uses base.html: one error, at base.html, not one per page
    // template at the page template.
    let extra = "<p class=\"x\">{{ site.nosuch }}</p>";
    let line = line_of_extra(extra);
    let run = fails(
        &[("base.html", &base_with(extra))],
        &format!("templates/base.html:{line}:17:"),
        "Variable `site.nosuch` not found",
    );
    assert!(!run.stderr.contains("(built-in)"), "{}", run.stderr);
    // Which page met it first, and that others did.
    assert!(run.stderr.contains("other pages)"), "{}", run.stderr);
}

#[test]
fn a_longer_path_is_not_the_unknown_one() {
    // `site.title` is known; `site.titl` is not, and is found as a whole
    // token only (not inside `site.title`, nor in a string or behind
    // `default`).
    let page = "{% extends \"base.html\" %}\n{% block content %}{{ site.title }} {{ \"site.titl\" }} {{ site.titl | default(value=1) }}\n{{ site.title }}{{ site.titl }}{% endblock content %}\n";
    fails(
        &[("page.html", page)],
        "templates/page.html:3:20:",
        "Variable `site.titl` not found",
    );
}

#[test]
fn an_unknown_filter_is_at_its_name() {
    let tags = "{% extends \"base.html\" %}\n{% block content %}\n{{ site.title | upper }}\n  {{ site.title | nosuchfilter }}\n{% endblock content %}\n";
    fails(
        &[("tags.html", tags)],
        "templates/tags.html:4:19:",
        "Filter 'nosuchfilter' not found",
    );
}

#[test]
fn an_unknown_filter_in_macros_html_is_at_macros_html() {
    let macros = include_str!("../templates/macros.html").replacen(
        "{{ a.title }}",
        "{{ a.title | nosuchfilter }}",
        1,
    );
    let at = macros.find("nosuchfilter").unwrap();
    let line = macros[..at].matches('\n').count() + 1;
    let column = at - macros[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
    let run = fails(
        &[("macros.html", &macros)],
        &format!("templates/macros.html:{line}:{column}:"),
        "Filter 'nosuchfilter' not found",
    );
    assert!(
        run.stderr
            .contains("error while rendering macro `m::article_item`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_missing_include_is_at_its_name() {
    let page = "{% extends \"base.html\" %}\n{% block content %}\n{% include \"partials/here.html\" %}\n  {% include \"nope.html\" %}\n{% endblock content %}\n";
    fails(
        &[("page.html", page), ("partials/here.html", "<p>here</p>\n")],
        "templates/page.html:4:14:",
        "Template '[nope.html]' not found",
    );
}

#[test]
fn an_error_in_an_included_template_is_at_that_template() {
    let page = "{% extends \"base.html\" %}\n{% block content %}\n{% include \"partials/p.html\" %}\n{% endblock content %}\n";
    fails(
        &[
            ("page.html", page),
            (
                "partials/p.html",
                "<p>\n{{ page_url | nosuchfilter }}</p>\n",
            ),
        ],
        "templates/partials/p.html:2:15:",
        "Filter 'nosuchfilter' not found",
    );
}

#[test]
fn throw_is_at_the_call_that_threw() {
    let archive = "{% extends \"base.html\" %}\n{% block content %}\n{% if false %}{{ throw(message=\"not this\") }}{% endif %}\n{{ throw(message=\"boom\") }}\n{% endblock content %}\n";
    fails(
        &[("archive.html", archive)],
        "templates/archive.html:4:4:",
        "Function call 'throw' failed: boom",
    );
}

#[test]
fn a_macro_that_always_calls_itself_is_an_error_not_a_crash() {
    let macros = format!(
        "{}\n{{% macro r(n) %}}{{{{ self::r(n=n+1) }}}}{{% endmacro r %}}\n",
        include_str!("../templates/macros.html")
    );
    let line = macros.lines().count();
    let archive = "{% extends \"base.html\" %}\n{% import \"macros.html\" as m %}\n{% block content %}{{ m::r(n=1) }}{% endblock content %}\n";
    fails_to_load(
        &[("macros.html", &macros), ("archive.html", archive)],
        &format!("templates/macros.html:{line}:10:"),
        "macro `r` calls itself",
    );
}

#[test]
fn a_macro_that_calls_itself_under_an_if_is_fine() {
    let site = good()
        .file(
            "templates/partials/m.html",
            "{% macro down(n) %}{{ n }}{% if n > 0 %} {{ self::down(n=n-1) }}{% endif %}{% endmacro down %}\n",
        )
        .file(
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% import \"partials/m.html\" as m %}\n{% block content %}<p id=\"count\">{{ m::down(n=3) }}</p>{% endblock content %}\n",
        );
    let run = site.build(&[]);
    run.assert_ok();
    assert!(
        run.page("about/index.html")
            .contains("<p id=\"count\">3 2 1 0</p>"),
        "{}",
        run.page("about/index.html")
    );
}
