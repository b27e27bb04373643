//! Things that must stay apart and did not: times in other zones (the feed
//! named another instant), distinct tags sharing one URL, slugs equal but
//! for case (one folder on case-insensitive file systems and hosts), and
//! kinds in config.toml sharing a folder or unfit for HTML.

mod harness;
use harness::*;

fn article_with(front: &str, body: &str) -> String {
    format!("+++\n{front}\n+++\n{body}\n")
}

/// Builds `site` and checks it fails at `at` with `msg`, writing nothing,
/// and that `check` says the same.
fn fails(site: &Site, at: &str, msg: &str) -> Run {
    let run = site.build(&[]);
    run.assert_error(at, msg);
    assert!(!run.exists("index.html"), "a failed build wrote output");
    site.run(&["check"]).assert_error(at, msg);
    run
}

/// The line shown under the message `at`: the text after `N | `.
fn shown_line(run: &Run, at: &str) -> String {
    let mut lines = run.stderr.lines().skip_while(|l| !l.contains(at));
    lines.next();
    lines
        .find(|l| l.contains(" | ") && !l.trim_end().ends_with('|'))
        .and_then(|l| l.split_once(" | ").map(|(_, t)| t.to_string()))
        .unwrap_or_default()
}

#[test]
fn the_feed_keeps_the_offset_of_a_time() {
    let site = Site::new()
        .file(
            "content/articles/late.md",
            &article_with(
                "title = \"Late\"\ndate = 2025-03-31T23:30:00-05:00\ntags = [\"t\"]",
                "Late in Chicago.",
            ),
        )
        .file(
            "content/articles/early.md",
            &article_with(
                "title = \"Early\"\ndate = \"2025-03-31T20:00:00+02:00\"",
                "Early in Madrid.",
            ),
        )
        .file(
            "content/articles/plain.md",
            &article("Plain", "2025-03-30", "A date alone."),
        );
    let run = site.build(&[]);
    run.assert_ok();
    let atom = run.page("atom.xml");
    assert!(
        atom.contains("<published>2025-03-31T23:30:00-05:00</published>"),
        "{atom}"
    );
    assert!(atom.contains("<published>2025-03-31T20:00:00+02:00</published>"));
    assert!(atom.contains("<published>2025-03-30T00:00:00Z</published>"));
    assert!(!atom.contains("2025-03-31T23:30:00Z"), "{atom}");
    // The feed was last updated by the later instant (04:30 UTC on 1 April).
    assert!(
        atom.contains("<updated>2025-03-31T23:30:00-05:00</updated>\n<generator>"),
        "{atom}"
    );
    // Newest first, by instant within a day.
    let (late, early) = (
        atom.find("<title>Late").unwrap(),
        atom.find("<title>Early").unwrap(),
    );
    assert!(late < early);
    // Pages, lists and data give the date as written.
    let page = run.page("articles/late/index.html");
    assert!(page.contains("<time datetime=\"2025-03-31\">31 March 2025</time>"));
    let search: serde_json::Value = serde_json::from_str(&run.page("search.json")).unwrap();
    let late = search["articles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Late")
        .unwrap();
    assert_eq!(late["date"], "2025-03-31");
    run.assert_links_resolve("/sub/path/");
}

#[test]
fn a_date_string_with_an_unknown_zone_is_an_error() {
    let site = Site::new().file(
        "content/articles/a.md",
        &article_with("title = \"A\"\ndate = \"2025-03-31 23:30 CET\"", "x"),
    );
    fails(&site, "content/articles/a.md:3:", "invalid date");
}

/// (name, url) of every tag on the tags page.
fn tags_listed(run: &Run) -> Vec<(String, String)> {
    let html = run.page("tags/index.html");
    html.split("<a class=\"tag\" href=\"")
        .skip(1)
        .map(|part| {
            let (url, rest) = part.split_once("\">").unwrap();
            let name = rest.split(" <span").next().unwrap();
            (decode_entities(name), decode_entities(url))
        })
        .collect()
}

fn tagged(tags: &[&str]) -> Site {
    let mut site = Site::new();
    for (i, t) in tags.iter().enumerate() {
        site = site.file(
            &format!("content/articles/a{i}.md"),
            &article_with(
                &format!(
                    "title = \"A{i}\"\ndate = 2025-01-{:02}\ntags = [{t:?}]",
                    i + 1
                ),
                "Text.",
            ),
        );
    }
    site
}

#[test]
fn distinct_tags_get_distinct_pages() {
    let names = ["C++", "C#", "😀", "🎉", "]]>", "Rust", "rust", "  RUST "];
    let run = tagged(&names).build(&[]);
    run.assert_ok();
    run.assert_links_resolve("/sub/path/");
    let listed = tags_listed(&run);
    let urls: std::collections::BTreeSet<&str> = listed.iter().map(|(_, u)| u.as_str()).collect();
    // Rust, rust and RUST are one tag; the others are one each.
    assert_eq!(listed.len(), 6, "{listed:?}");
    assert_eq!(urls.len(), 6, "{listed:?}");
    let url_of = |name: &str| {
        listed
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name.trim()))
            .map(|(_, u)| u.clone())
            .unwrap_or_else(|| panic!("{name} not listed: {listed:?}"))
    };
    assert_eq!(url_of("rust"), "/sub/path/tags/rust/");
    // Each tag page is titled with its own name and lists its article only.
    for (i, name) in names.iter().enumerate().take(5) {
        let url = url_of(name);
        let file = format!("{}index.html", &url["/sub/path/".len()..]);
        let page = run.page(&percent_decode(&file));
        let escaped = name.replace('&', "&amp;").replace('>', "&gt;");
        assert!(page.contains(&format!("“{escaped}”")), "{url}: {page}");
        assert!(page.contains(&format!(">A{i}</a>")), "{url}");
        for (j, _) in names.iter().enumerate().take(5).filter(|&(j, _)| j != i) {
            assert!(!page.contains(&format!(">A{j}</a>")), "{url} lists A{j}");
        }
    }
    let rust = run.page("tags/rust/index.html");
    assert!(rust.contains(">A5</a>") && rust.contains(">A6</a>") && rust.contains(">A7</a>"));
    // The feed names each tag as written.
    assert!(run.page("atom.xml").contains("<category term=\"]]&gt;\"/>"));
}

#[test]
fn a_tag_url_does_not_depend_on_other_tags_or_on_article_order() {
    let urls = |tags: &[&str]| -> Vec<(String, String)> {
        let run = tagged(tags).build(&[]);
        run.assert_ok();
        let mut v = tags_listed(&run);
        v.sort();
        v
    };
    let a = urls(&["C++", "C#", "Drug Policy"]);
    let b = urls(&["Drug Policy", "C#", "Trade", "C++"]);
    for t in &a {
        assert!(b.contains(t), "{t:?} not in {b:?}");
    }
    assert!(a.contains(&("Drug Policy".into(), "/sub/path/tags/drug-policy/".into())));
    // Alone, C++ keeps the plain slug.
    assert_eq!(
        urls(&["C++"]),
        [("C++".to_string(), "/sub/path/tags/c/".to_string())]
    );
}

#[test]
fn article_slugs_equal_but_for_case_are_duplicates() {
    let site = Site::new()
        .file(
            "content/articles/Same.md",
            &article("One", "2025-01-01", "x"),
        )
        .file(
            "content/articles/other.md",
            &article_with("title = \"Two\"\ndate = 2025-01-02\nslug = \"same\"", "y"),
        );
    let run = fails(
        &site,
        "content/articles/other.md:4:9:",
        "duplicate article slug \"same\"",
    );
    assert_eq!(
        shown_line(&run, "content/articles/other.md:4:9:"),
        "slug = \"same\""
    );
    assert!(
        run.stderr.contains("the same but for case"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_duplicate_slug_shows_the_line_it_points_at() {
    // Both slugs from file stems: the error points at the top of the file.
    let site = Site::new()
        .file("content/articles/a.md", &article("A", "2025-01-01", "x"))
        .file(
            "content/articles/2024/2024-05-05-a.md",
            &article("Other A", "2024-05-05", "y"),
        );
    let run = fails(
        &site,
        "content/articles/a.md:1:1:",
        "duplicate article slug \"a\"",
    );
    assert_eq!(shown_line(&run, "content/articles/a.md:1:1:"), "+++");
    assert!(
        run.stderr
            .contains("content/articles/2024/2024-05-05-a.md has the same article slug"),
        "{}",
        run.stderr
    );
}

#[test]
fn slug_errors_point_at_the_slug_line() {
    let site = Site::new()
        .file(
            "content/articles/a.md",
            &article_with("title = \"A\"\ndate = 2025-01-01\nslug = \"x\\ty\"", "x"),
        )
        .file(
            "content/pages/about.md",
            "+++\ntitle = \"About\"\nslug = \"a b\"\n+++\nx\n",
        )
        .file(
            "content/pages/news.md",
            "+++\ntitle = \"News\"\nweight = 1\nslug = \"Articles\"\n+++\nx\n",
        )
        .file(
            "content/pages/feed.md",
            "+++\ntitle = \"Feed\"\nslug = 'Tags'\n+++\nx\n",
        );
    let run = fails(&site, "content/articles/a.md:4:9:", "slug must not contain");
    assert_eq!(
        shown_line(&run, "content/articles/a.md:4:9:"),
        "slug = \"x\\ty\""
    );
    run.assert_error("content/pages/about.md:3:9:", "slug must not contain");
    run.assert_error(
        "content/pages/news.md:4:9:",
        "is taken by the site's own pages",
    );
    run.assert_error(
        "content/pages/feed.md:3:9:",
        "is taken by the site's own pages",
    );
    assert!(run.stderr.contains("4 errors"), "{}", run.stderr);
}

#[test]
fn page_slugs_equal_but_for_case_are_duplicates() {
    let site = Site::new()
        .file("content/pages/About.md", "+++\ntitle = \"About\"\n+++\nx\n")
        .file(
            "content/pages/us.md",
            "+++\ntitle = \"Us\"\nslug = \"about\"\n+++\ny\n",
        );
    let run = fails(
        &site,
        "content/pages/us.md:3:9:",
        "duplicate page slug \"about\"",
    );
    assert_eq!(
        shown_line(&run, "content/pages/us.md:3:9:"),
        "slug = \"about\""
    );
}

#[test]
fn duplicate_entity_ids_show_the_file() {
    let site = Site::new()
        .file("content/entities/people/ana.md", &entity("Ana", &[], "One"))
        .file(
            "content/entities/places/ana.md",
            &entity("Ana Town", &[], "Two"),
        );
    let run = fails(
        &site,
        "content/entities/places/ana.md:1:1:",
        "duplicate entity id \"ana\"",
    );
    assert_eq!(
        shown_line(&run, "content/entities/places/ana.md:1:1:"),
        "+++"
    );
}

#[test]
fn kinds_with_one_folder_or_unfit_keys_are_errors_in_config() {
    let site = Site::new()
        .file(
            "config.toml",
            &format!(
                "{CONFIG}[kinds]\nship = {{ label = \"Ships\", folder = \"boats\" }}\nboat = {{ label = \"Boats\", folder = \"boats\" }}\n\"Bad Kind!\" = {{ label = \"Bad\", folder = \"bad\" }}\n"
            ),
        )
        .file(
            "content/entities/boats/mary.md",
            &entity("Mary", &[], "A ship"),
        );
    let run = fails(&site, "config.toml:5:36:", "have the same folder \"boats\"");
    assert_eq!(
        shown_line(&run, "config.toml:5:36:"),
        "boat = { label = \"Boats\", folder = \"boats\" }"
    );
    run.assert_error("config.toml:6:1:", "invalid kind \"Bad Kind!\"");
}

#[test]
fn a_new_kind_with_its_own_folder_works() {
    let site = Site::new()
        .file(
            "config.toml",
            &format!("{CONFIG}[kinds]\nship = {{ label = \"Ships\", folder = \"boats\" }}\n"),
        )
        .file(
            "content/entities/boats/mary.md",
            &entity("Mary Rose", &[], "A ship"),
        )
        .file(
            "content/articles/a.md",
            &article("A", "2025-01-01", "The Mary Rose sank."),
        );
    let run = site.build(&[]);
    run.assert_ok();
    assert!(run.page("entities/index.html").contains("id=\"kind-ship\""));
    run.assert_links_resolve("/sub/path/");
}

#[test]
fn long_tags_and_slugs_fit_in_a_file_name() {
    // A 400-byte tag once failed the build ("File name too long") with no
    // position, and `check` passed it.
    let long = "é".repeat(200);
    let site = tagged(&[&long, &format!("{long}x"), "short"]);
    let run = site.build(&[]);
    run.assert_ok();
    let tags = tags_listed(&run);
    assert_eq!(tags.len(), 3, "{tags:?}");
    run.assert_links_resolve("/sub/path/");
    // A slug too long for a file name: an error at it, in build and check.
    let site = Site::new().file(
        "content/articles/a.md",
        &article_with(
            &format!(
                "title = \"A\"\ndate = 2025-01-01\nslug = \"{}\"",
                "s".repeat(260)
            ),
            "Text.",
        ),
    );
    fails(
        &site,
        "content/articles/a.md:4:9: ",
        "slug is longer than a file name may be",
    );
}
