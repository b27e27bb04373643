//! Links and images written in Markdown with a root-relative URL
//! (`/articles/x/`) mean "from the root of this site": under a sub-path
//! (`--base-url https://user.github.io/repo/`) the output carries it
//! (`/repo/articles/x/`), in articles, notes, pages, entity descriptions
//! and the feed; relative and absolute URLs are left as written. Links
//! that point at nothing are warned about, by `build` and by `check`, at
//! their place, judged as the output writes them.

mod harness;
use harness::*;

const CONFIG: &str = "title = \"Links\"\nbase_url = \"https://example.org/archive/\"\n";

const FIRST: &str = "\
See [the second](/articles/second/?q=1#fn-1) and ![map](/images/map.png?v=2),
[about](/about/#main-content), [home](/), [rel](../second/),
![rel map](../../images/map.png), [web](https://example.org/a) and
[cdn](//cdn.example.org/y). Written in Paris.[^1]

[^1]: A note links [the second](/articles/second/#fn-1) and shows ![icon](/images/icon.png?v=1).
";

const SECOND: &str = "The second.[^1]\n\n[^1]: Its note.\n";

const ABOUT: &str = "\
+++
title = \"About\"
+++
Start at [the first article](/articles/first/#fn-1) or [the entities](/entities/?sort=name).
";

const PARIS: &str = "\
+++
name = \"Paris\"
summary = \"Capital of France.\"
+++
Mentioned in [the first](/articles/first/) ![flag](/images/icon.png?v=3).
";

/// The queries of the links above.
const QUERIES: &[&str] = &["?q=1", "?v=1", "?v=2", "?v=3", "?sort=name"];

fn site() -> Site {
    Site::empty()
        .file("config.toml", CONFIG)
        .file(
            "content/articles/2025-01-02-first.md",
            &article("First", "2025-01-02", FIRST),
        )
        .file(
            "content/articles/2025-01-01-second.md",
            &article("Second", "2025-01-01", SECOND),
        )
        .file(
            "content/articles/2025-01-01-second.annotations.toml",
            "[[annotations]]\nquote = \"The second\"\nnote = \"After [the first](/articles/first/#fn-1).\"\n",
        )
        .file("content/pages/about.md", ABOUT)
        .file("content/entities/places/paris.md", PARIS)
        .file("static/images/map.png", "png")
        .file("static/images/icon.png", "png")
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// Every `href` and `src` of a page.
fn urls_of(run: &Run, page: &str) -> Vec<String> {
    let html = run.page(page);
    let mut v = attr_values(&html, "href");
    v.extend(attr_values(&html, "src"));
    v
}

fn assert_has(run: &Run, page: &str, want: &[&str]) {
    let urls = urls_of(run, page);
    for w in want {
        assert!(urls.iter().any(|u| u == w), "{page}: no {w:?} in {urls:#?}");
    }
}

fn assert_lacks(run: &Run, page: &str, unwanted: &[&str]) {
    let urls = urls_of(run, page);
    for u in unwanted {
        assert!(!urls.iter().any(|x| x == u), "{page}: {u:?} in {urls:#?}");
    }
}

/// The harness resolves paths to files and knows nothing of queries: they
/// are dropped from the pages (which were checked above) before it looks.
fn drop_queries(run: &Run, queries: &[&str]) {
    for page in run.html_pages() {
        let path = run.out.join(&page);
        let mut html = std::fs::read_to_string(&path).unwrap();
        for q in queries {
            html = html.replace(q, "");
        }
        std::fs::write(&path, html).unwrap();
    }
}

/// Builds [`site`] with `args`, for a site whose base URL is `base_url`,
/// and checks every link and image written in its Markdown.
fn assert_built_for(args: &[&str], base_url: &str) {
    let site = site();
    let run = site.build(args);
    run.assert_ok();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let path = &base_url[base_url[8..].find('/').unwrap() + 8..];
    let under = |url: &str| format!("{path}{}", &url[1..]);
    let root_relative = |urls: &[&str]| urls.iter().map(|u| under(u)).collect::<Vec<_>>();
    // Body and note: root-relative URLs under the base path, query and
    // fragment kept ...
    let first = root_relative(&[
        "/articles/second/?q=1#fn-1",
        "/images/map.png?v=2",
        "/about/#main-content",
        "/",
        "/articles/second/#fn-1",
        "/images/icon.png?v=1",
    ]);
    assert_has(&run, "articles/first/index.html", &strs(&first));
    // ... relative, absolute and protocol-relative ones as written.
    assert_has(
        &run,
        "articles/first/index.html",
        &[
            "../second/",
            "../../images/map.png",
            "https://example.org/a",
            "//cdn.example.org/y",
        ],
    );
    // A standoff note.
    let second = root_relative(&["/articles/first/#fn-1"]);
    assert_has(&run, "articles/second/index.html", &strs(&second));
    let about = root_relative(&["/articles/first/#fn-1", "/entities/?sort=name"]);
    assert_has(&run, "about/index.html", &strs(&about));
    let paris = root_relative(&["/articles/first/", "/images/icon.png?v=3"]);
    assert_has(&run, "entities/paris/index.html", &strs(&paris));
    if path != "/" {
        assert_lacks(
            &run,
            "articles/first/index.html",
            &[
                "/articles/second/?q=1#fn-1",
                "/images/map.png?v=2",
                "/about/#main-content",
                "/articles/second/#fn-1",
                "/images/icon.png?v=1",
            ],
        );
        assert_lacks(&run, "about/index.html", &["/articles/first/#fn-1"]);
        assert_lacks(&run, "entities/paris/index.html", &["/articles/first/"]);
    }
    // The feed's entries, read away from the site, hold absolute URLs
    // under the base path too.
    let feed = run.page("atom.xml");
    let origin = &base_url[..base_url.len() - path.len()];
    for url in [
        "/articles/second/?q=1#fn-1",
        "/images/map.png?v=2",
        "/images/icon.png?v=1",
        "/articles/second/#fn-1",
    ] {
        let abs = format!("{origin}{}", under(url));
        assert!(
            feed.contains(&format!("=&quot;{abs}&quot;")),
            "no {abs} in the feed:\n{feed}"
        );
    }
    if path != "/" {
        assert!(!feed.contains(&format!("{origin}/articles/")), "{feed}");
        assert!(!feed.contains(&format!("{origin}/images/")), "{feed}");
    }
    drop_queries(&run, QUERIES);
    run.assert_links_resolve(path);
}

#[test]
fn root_relative_links_and_images_carry_the_sub_path() {
    assert_built_for(
        &["--base-url", "https://user.github.io/repo/"],
        "https://user.github.io/repo/",
    );
    // The sub-path of config.toml, and a domain root in its place.
    assert_built_for(&[], "https://example.org/archive/");
    assert_built_for(
        &["--base-url", "https://user.github.io/"],
        "https://user.github.io/",
    );
}

#[test]
fn a_link_already_under_the_sub_path_is_kept_as_written() {
    // Before root-relative URLs got the base path, writing it out was the
    // only way to link under a sub-path: such links still point where they
    // did, where the same links written from the site's root now point.
    let site = site().file(
        "content/articles/2025-01-03-third.md",
        &article(
            "Third",
            "2025-01-03",
            "[old](/repo/articles/first/#fn-1) [new](/articles/first/#fn-1) \
             [old home](/repo/) [new home](/)",
        ),
    );
    let run = site.build(&["--base-url", "https://user.github.io/repo/"]);
    run.assert_ok();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let urls = urls_of(&run, "articles/third/index.html");
    for want in ["/repo/articles/first/#fn-1", "/repo/"] {
        let n = urls.iter().filter(|u| *u == want).count();
        assert!(n >= 2, "{want:?} {n} times in {urls:#?}");
    }
    assert!(
        !urls.iter().any(|u| u.starts_with("/repo/repo/")),
        "{urls:#?}"
    );
    assert!(
        !urls.iter().any(|u| u.starts_with("/articles/")),
        "{urls:#?}"
    );
}

/// Warnings of `run` for a link written as `url`.
fn warnings_for<'r>(run: &'r Run, url: &str) -> Vec<&'r str> {
    run.stderr
        .lines()
        .filter(|l| l.contains("warning:") && l.contains(&format!("`{url}`")))
        .collect()
}

#[test]
fn broken_root_relative_links_are_warned_about_by_build_and_check() {
    let site = site()
        .file(
            "content/articles/2025-01-03-third.md",
            &article(
                "Third",
                "2025-01-03",
                "Fine: [first](/articles/first/#fn-1).\n\
                 Gone: [x](/articles/missing/?q=1) and [y](/articles/first/#nothere).\n\
                 Data, which `check` writes no more than pages: [feed](/atom.xml),\n\
                 [entities](/entities.json), [search](/search.json), [map](/sitemap.xml).\n",
            ),
        )
        .file(
            "content/pages/about.md",
            "+++\ntitle = \"About\"\n+++\nSee ![a map](/images/nomap.png).\n",
        );
    let (sub, root) = ("https://user.github.io/repo/", "https://user.github.io/");
    let runs = [
        ("build at /repo/", site.build(&["--base-url", sub])),
        ("check at /repo/", site.run(&["check", "--base-url", sub])),
        ("build at /", site.build(&["--base-url", root])),
        ("check at /", site.run(&["check", "--base-url", root])),
        ("build at /archive/", site.build(&[])),
        ("check at /archive/", site.run(&["check"])),
    ];
    for (what, run) in &runs {
        run.assert_ok();
        for (url, at) in [
            ("/articles/missing/?q=1", "third.md:6:11"),
            ("/articles/first/#nothere", "third.md:6:43"),
            ("/images/nomap.png", "about.md:4:14"),
        ] {
            let w = warnings_for(run, url);
            assert!(
                w.iter().any(|l| l.contains(at)),
                "{what}: no warning at {at} for {url}:\n{}",
                run.stderr
            );
        }
        assert!(
            warnings_for(run, "/articles/first/#nothere")
                .iter()
                .any(|l| l.contains("has no `#nothere`")),
            "{what}:\n{}",
            run.stderr
        );
        // Links that resolve, root-relative ones included, are not.
        assert_eq!(
            run.stderr.matches("warning:").count(),
            3,
            "{what}:\n{}",
            run.stderr
        );
    }
}

#[test]
fn check_takes_a_base_url_and_refuses_a_bad_one() {
    let site = site();
    let run = site.run(&["check", "--base-url", "https://user.github.io/repo/"]);
    run.assert_ok();
    assert!(run.stderr.contains("0 warning"), "{}", run.stderr);
    let bad = site.run(&["check", "--base-url", "not a url"]);
    assert_eq!(bad.code, 1, "{}", bad.stderr);
    assert!(bad.stderr.contains("--base-url"), "{}", bad.stderr);
}
