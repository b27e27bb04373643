//! Builds real sites with the real binary and checks what they contain:
//! every page of the contract, links and anchors, sub-paths, escaping,
//! entities.json, and the demo archive itself.

mod harness;
use harness::*;

/// The demo archive at the repository root, copied into a temp folder.
fn demo() -> Site {
    let site = Site::empty();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    site.write(
        "config.toml",
        &std::fs::read(root.join("config.toml")).unwrap(),
    );
    for e in walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .flatten()
    {
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            site.write(&rel, &std::fs::read(e.path()).unwrap());
        }
    }
    site
}

#[test]
fn demo_archive_builds_with_every_page_and_no_broken_link() {
    let site = demo();
    let run = site.build(&[]);
    run.assert_ok();
    assert!(run.stdout.contains("Built 13 articles"), "{}", run.stdout);
    for f in [
        "index.html",
        "entities/index.html",
        "tags/index.html",
        "archive/index.html",
        "about/index.html",
        "entities.json",
        "atom.xml",
        "sitemap.xml",
        "404.html",
        ".nojekyll",
        "style.css",
        "syntax.css",
        "articles/rubio-in-mexico-city/index.html",
        "entities/marco-rubio/index.html",
        "tags/security/index.html",
        "page/2/index.html",
    ] {
        assert!(run.exists(f), "missing {f}");
    }
    // Drafts are not built.
    assert!(!run.exists("articles/draft-usmca/index.html"));
    run.assert_links_resolve("/dossier/");
}

#[test]
fn drafts_are_built_with_the_flag() {
    let run = demo().build(&["--drafts"]);
    run.assert_ok();
    assert!(run.exists("articles/draft-usmca/index.html"));
}

#[test]
fn every_snippet_on_entity_pages_links_to_an_existing_mention() {
    let run = demo().build(&[]);
    run.assert_ok();
    let mut snippets = 0;
    for p in run
        .html_pages()
        .iter()
        .filter(|p| p.starts_with("entities/") && p.matches('/').count() == 2)
    {
        for href in attr_values(&run.page(p), "href")
            .into_iter()
            .filter(|h| h.contains("#m-"))
        {
            snippets += 1;
            let (path, frag) = href.split_once('#').unwrap();
            let file = format!("{}index.html", path.trim_start_matches("/dossier/"));
            let ids = attr_values(&run.page(&file), "id");
            assert!(ids.iter().any(|i| i == frag), "{p}: {href} has no anchor");
        }
    }
    assert!(snippets > 50, "only {snippets} snippet links");
}

#[test]
fn base_url_override_keeps_every_link_under_the_sub_path() {
    let run = demo().build(&["--base-url", "https://example.org/sub/path/"]);
    run.assert_ok();
    run.assert_links_resolve("/sub/path/");
    for p in run.html_pages() {
        for href in attr_values(&run.page(&p), "href") {
            if href.starts_with('/') {
                assert!(href.starts_with("/sub/path/"), "{p}: {href}");
            }
        }
    }
    assert!(run
        .page("sitemap.xml")
        .contains("<loc>https://example.org/sub/path/articles/"));
    assert!(run
        .page("atom.xml")
        .contains("https://example.org/sub/path/articles/"));
}

#[test]
fn entities_json_has_the_contract_shape() {
    let run = demo().build(&[]);
    run.assert_ok();
    let v: serde_json::Value = serde_json::from_str(&run.page("entities.json")).unwrap();
    let entities = v["entities"].as_array().unwrap();
    assert_eq!(entities.len(), 34);
    let rubio = entities.iter().find(|e| e["id"] == "marco-rubio").unwrap();
    for k in ["id", "name", "kind", "summary", "url"] {
        assert!(rubio[k].is_string(), "{k}");
    }
    assert!(rubio["aliases"].is_array());
    assert_eq!(
        rubio["url"],
        "https://example.github.io/dossier/entities/marco-rubio/"
    );
    let arts = rubio["articles"].as_array().unwrap();
    assert!(!arts.is_empty());
    for a in arts {
        for k in ["slug", "title", "date", "url"] {
            assert!(a[k].is_string(), "{k}");
        }
        for m in a["mentions"].as_array().unwrap() {
            let anchor = m["anchor"].as_str().unwrap();
            assert!(anchor.starts_with("m-marco-rubio-"), "{anchor}");
            assert_eq!(
                m["url"].as_str().unwrap(),
                format!("{}#{anchor}", a["url"].as_str().unwrap())
            );
            assert!(!m["snippet"].as_str().unwrap().is_empty());
            // The anchor exists in the article page.
            let page = run.page(&format!(
                "articles/{}/index.html",
                a["slug"].as_str().unwrap()
            ));
            assert!(page.contains(&format!("id=\"{anchor}\"")), "{anchor}");
        }
    }
}

#[test]
fn user_text_is_escaped_everywhere() {
    let evil = "<script>alert(1)</script> \"quoted\" 'single' & co";
    let site = Site::new()
        .file("config.toml", &format!("title = {evil:?}\nbase_url = \"https://example.org/\"\ndescription = {evil:?}\n"))
        .file(
            "content/entities/people/x.md",
            &format!("+++\nname = {evil:?}\naliases = [\"Evil Alias <b>\"]\nsummary = {evil:?}\n+++\n{evil}\n"),
        )
        .file(
            "content/articles/a.md",
            &format!(
                "+++\ntitle = {evil:?}\ndate = 2025-01-01\ntags = [{evil:?}]\nauthors = [{evil:?}]\nsummary = {evil:?}\n+++\nSee [[x|the <evil> one]] and Evil Alias <b> too.\n"
            ),
        );
    let run = site.build(&[]);
    run.assert_ok();
    for f in run.files() {
        if f.ends_with(".html") || f.ends_with(".xml") || f.ends_with(".json") {
            let t = run.page(&f);
            assert!(!t.contains("<script>alert"), "raw script in {f}");
        }
    }
    let v: serde_json::Value = serde_json::from_str(&run.page("entities.json")).unwrap();
    assert_eq!(v["entities"][0]["name"], evil);
    assert_eq!(v["entities"][0]["summary"], evil);
    let page = run.page("articles/a/index.html");
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
            || page.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
    );
    // In attributes: the hover title of the entity link.
    assert!(page.contains("title=\"Person — &lt;script&gt;"), "{page}");
    let atom = run.page("atom.xml");
    assert!(atom.contains("<title>&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; &#39;single&#39; &amp; co</title>"));
    run.assert_links_resolve("/");
}

#[test]
fn a_second_build_with_nothing_changed_writes_nothing() {
    let site = demo();
    site.build(&[]).assert_ok();
    let before = site.build(&[]);
    before.assert_ok();
    assert!(before.stdout.contains("(0 written"), "{}", before.stdout);
    // Not a file touched, the manifest included.
    let mtimes = |run: &Run| -> Vec<(std::path::PathBuf, std::time::SystemTime)> {
        walkdir::WalkDir::new(&run.out)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    e.path().to_path_buf(),
                    e.metadata().unwrap().modified().unwrap(),
                )
            })
            .collect()
    };
    let was = mtimes(&before);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let again = site.build(&[]);
    again.assert_ok();
    assert_eq!(mtimes(&again), was);
}

#[test]
fn files_an_earlier_build_wrote_are_removed_and_others_kept() {
    let site = demo();
    let run = site.build(&[]);
    run.assert_ok();
    std::fs::write(run.out.join("CNAME"), "example.org").unwrap();
    std::fs::remove_file(
        site.root()
            .join("content/articles/2025/2025-10-02-one-year.md"),
    )
    .unwrap();
    let again = site.build(&[]);
    again.assert_ok();
    assert!(!again.exists("articles/one-year/index.html"));
    assert_eq!(again.page("CNAME"), "example.org");
}

#[test]
fn usage_errors_exit_2() {
    let site = Site::new();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("frobnicate")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["build", "--nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    drop(site);
}

#[test]
fn a_large_tag_is_paginated_and_every_page_is_in_the_sitemap() {
    let mut site = Site::new();
    for n in 0..55 {
        let text = format!(
            "+++\ntitle = \"Report {n}\"\ndate = 2024-01-{:02}\ntags = [\"Border & Trade\"]\n+++\nText {n}.\n",
            1 + n % 28
        );
        site = site.file(&format!("content/articles/r{n}.md"), &text);
    }
    let run = site.build(&["--base-url", "https://u.github.io/repo/"]);
    run.assert_ok();
    let first = run.page("tags/border-trade/index.html");
    let second = run.page("tags/border-trade/page/2/index.html");
    assert!(!run.exists("tags/border-trade/page/3/index.html"));
    // The count is the tag's, not the page's; 50 articles, then 5.
    assert!(
        first.contains("55 articles tagged “Border &amp; Trade”"),
        "{first}"
    );
    assert_eq!(first.matches("class=\"article-item\"").count(), 50);
    assert_eq!(second.matches("class=\"article-item\"").count(), 5);
    assert!(
        first.contains("href=\"/repo/tags/border-trade/page/2/\""),
        "{first}"
    );
    assert!(
        second.contains("href=\"/repo/tags/border-trade/\""),
        "{second}"
    );
    run.assert_links_resolve("/repo/");
    let sitemap = run.page("sitemap.xml");
    assert!(sitemap.contains("<loc>https://u.github.io/repo/tags/border-trade/page/2/</loc>"));
}

#[test]
fn later_pages_of_an_entity_list_its_mentions_without_the_header() {
    let mut site = Site::new()
        .file(
            "content/entities/people/ana.md",
            &entity("Ana Pérez", &[], "A judge."),
        )
        .file(
            "content/entities/people/eloy.md",
            &entity("Eloy Soto", &[], "A lawyer."),
        );
    for n in 0..55 {
        let body = format!("Ana Pérez ruled, and Eloy Soto replied ({n}).");
        site = site.file(
            &format!("content/articles/r{n}.md"),
            &article(
                &format!("Ruling {n}"),
                &format!("2024-02-{:02}", 1 + n % 28),
                &body,
            ),
        );
    }
    let run = site.build(&[]);
    run.assert_ok();
    let first = run.page("entities/ana/index.html");
    let second = run.page("entities/ana/page/2/index.html");
    assert!(first.contains("Mentioned in 55 articles"), "{first}");
    assert!(first.contains("Often mentioned with"), "{first}");
    assert!(first.contains("About Ana Pérez."), "{first}");
    assert!(
        second.contains("Mentions <span class=\"count\">(page 2 of 2)</span>"),
        "{second}"
    );
    assert!(!second.contains("Often mentioned with") && !second.contains("About Ana Pérez."));
    assert_eq!(second.matches("class=\"mention-item\"").count(), 5);
    assert!(second.contains("<h1>Ana Pérez</h1>"), "{second}");
    run.assert_links_resolve("/sub/path/");
}

/// Every file (with its bytes) and folder under `dir`, hidden ones and the
/// manifest included: "left exactly as it was" compares two of these.
fn tree(dir: &std::path::Path) -> std::collections::BTreeMap<String, Option<Vec<u8>>> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .flatten()
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let bytes = e
                .file_type()
                .is_file()
                .then(|| std::fs::read(e.path()).unwrap());
            (rel, bytes)
        })
        .collect()
}

/// A small site with a tag "example", built once.
fn tagged_site() -> (Site, std::path::PathBuf) {
    let site = Site::new()
        .file(
            "content/articles/first.md",
            "+++\ntitle = \"First\"\ndate = 2025-01-01\ntags = [\"example\"]\n+++\nOne.\n",
        )
        .file(
            "content/articles/second.md",
            "+++\ntitle = \"Second\"\ndate = 2025-02-01\ntags = [\"example\"]\n+++\nTwo.\n",
        )
        .file(
            "content/pages/about.md",
            "+++\ntitle = \"About\"\n+++\nUs.\n",
        );
    let run = site.build(&[]);
    run.assert_ok();
    assert!(run.exists("tags/example/index.html"));
    let out = run.out.clone();
    (site, out)
}

const ANOTHER: &str = "+++\ntitle = \"Another\"\ndate = 2025-06-01\n+++\nx\n";

#[test]
fn a_static_file_where_a_tag_page_goes_fails_and_changes_nothing() {
    let (site, out) = tagged_site();
    let before = tree(&out);
    site.write("static/tags/example", b"T\n");
    site.write("content/articles/another.md", ANOTHER.as_bytes());
    let run = site.build(&[]);
    run.assert_error("static/tags/example", "tags/example/index.html");
    assert_eq!(tree(&out), before, "the output changed:\n{}", run.stderr);
    // `check` finds it too.
    site.run(&["check"]).assert_error(
        "static/tags/example",
        "`tags/example` cannot be both a file and a folder",
    );
    // Once the obstacle and the article are gone, nothing of them is left.
    std::fs::remove_file(site.root().join("static/tags/example")).unwrap();
    std::fs::remove_file(site.root().join("content/articles/another.md")).unwrap();
    let again = site.build(&[]);
    again.assert_ok();
    assert!(!again.exists("articles/another"), "orphan left");
    assert_eq!(tree(&out), before);
}

#[test]
fn a_page_whose_slug_is_a_generated_file_is_an_error_at_its_slug() {
    let (site, out) = tagged_site();
    let before = tree(&out);
    for name in [
        "404.html",
        "atom.xml",
        "sitemap.xml",
        "style.css",
        "search.json",
    ] {
        site.write(
            "content/pages/clash.md",
            format!("+++\ntitle = \"Clash\"\nslug = \"{name}\"\n+++\nText.\n").as_bytes(),
        );
        let run = site.build(&[]);
        run.assert_error("content/pages/clash.md:3:9", &format!("`{name}`"));
        assert!(run.stderr.contains("3 | slug = "), "{}", run.stderr);
        assert_eq!(tree(&out), before, "{name}: the output changed");
        site.run(&["check"])
            .assert_error("content/pages/clash.md:3:9", &format!("`{name}`"));
    }
}

#[test]
fn a_static_file_may_replace_an_asset_but_not_a_page() {
    let (site, out) = tagged_site();
    // By design: static/style.css replaces the built-in one.
    site.write("static/style.css", b"body{}");
    site.write("static/.nojekyll", b"");
    let run = site.build(&[]);
    run.assert_ok();
    assert_eq!(run.page("style.css"), "body{}");
    let before = tree(&out);
    site.write("static/index.html", b"<p>mine</p>");
    let run = site.build(&[]);
    run.assert_error("static/index.html", "`index.html` is written twice");
    assert_eq!(tree(&out), before);
    site.write("static/about/index.html", b"<p>mine</p>");
    std::fs::remove_file(site.root().join("static/index.html")).unwrap();
    site.build(&[])
        .assert_error("content/pages/about.md", "static/about/index.html");
    assert_eq!(tree(&out), before);
}

#[test]
fn a_file_where_a_new_folder_must_go_fails_before_anything_moves() {
    let (site, out) = tagged_site();
    // Not dossier's: a user's file where the new article's folder goes.
    std::fs::write(out.join("articles/another"), "mine").unwrap();
    let before = tree(&out);
    site.write("content/articles/another.md", ANOTHER.as_bytes());
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    // Index, archive, feed, sitemap, search data and the neighbour article
    // would all change; none did, and no temporary file is left.
    assert_eq!(tree(&out), before, "the output changed:\n{}", run.stderr);
    assert!(
        run.stderr.contains("articles/another") && run.stderr.contains("nothing in"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_folder_where_a_changed_file_must_go_fails_before_anything_moves() {
    let (site, out) = tagged_site();
    std::fs::remove_file(out.join("atom.xml")).unwrap();
    std::fs::create_dir(out.join("atom.xml")).unwrap();
    std::fs::write(out.join("atom.xml/notes.txt"), "mine").unwrap();
    let before = tree(&out);
    site.write("content/articles/another.md", ANOTHER.as_bytes());
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(tree(&out), before, "the output changed:\n{}", run.stderr);
    assert!(run.stderr.contains("atom.xml"), "{}", run.stderr);
    // Fixed, the next build writes everything, the manifest included.
    std::fs::remove_dir_all(out.join("atom.xml")).unwrap();
    let run = site.build(&[]);
    run.assert_ok();
    assert!(run.exists("articles/another/index.html"));
    assert!(run
        .page(".dossier-manifest")
        .contains("\tarticles/another/index.html\n"));
}

#[test]
fn a_page_that_becomes_a_static_file_and_back_moves_cleanly() {
    let (site, out) = tagged_site();
    // The page about/ goes, a static file `about` takes its place.
    std::fs::remove_file(site.root().join("content/pages/about.md")).unwrap();
    site.write("static/about", b"plain");
    let run = site.build(&[]);
    run.assert_ok();
    assert_eq!(run.page("about"), "plain");
    // And back.
    std::fs::remove_file(site.root().join("static/about")).unwrap();
    site.write(
        "content/pages/about.md",
        "+++\ntitle = \"About\"\n+++\nUs.\n".as_bytes(),
    );
    let run = site.build(&[]);
    run.assert_ok();
    assert!(run.page("about/index.html").contains("Us."));
    let leftovers: Vec<String> = tree(&out)
        .into_keys()
        .filter(|p| p.contains("dossier-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn paths_equal_but_for_case_clash_as_on_case_insensitive_file_systems() {
    let (site, out) = tagged_site();
    let before = tree(&out);
    // (static file written, where the error is, what it says); each case
    // alone, with nothing else wrong in the site.
    let cases: [(&str, &str, &str); 6] = [
        (
            "static/Articles/first/index.html",
            "content/articles/first.md",
            "`articles/first/index.html` and `Articles/first/index.html` are one file \
             on case-insensitive file systems (macOS, Windows): written by this article \
             and by the static file static/Articles/first/index.html",
        ),
        (
            "static/About/index.html",
            "content/pages/about.md",
            "`about/index.html` and `About/index.html` are one file",
        ),
        (
            "static/Tags",
            "static/Tags",
            "`Tags` cannot be both a file and a folder: this static file is written to \
             `Tags`, the site's own page to `tags/example/index.html` (`Tags` and `tags` \
             are one name on case-insensitive file systems: macOS, Windows)",
        ),
        (
            "static/tags/EXAMPLE/index.html",
            "static/tags/EXAMPLE/index.html",
            "`tags/EXAMPLE/index.html` and `tags/example/index.html` are one file",
        ),
        (
            "static/Style.css",
            "static/Style.css",
            "`Style.css` and `style.css` are one file on case-insensitive file systems \
             (macOS, Windows): written by this static file and by the site's own file",
        ),
        (
            "static/Atom.XML",
            "static/Atom.XML",
            "`Atom.XML` and `atom.xml` are one file",
        ),
    ];
    for (file, at, msg) in cases {
        site.write(file, b"mine");
        let run = site.build(&[]);
        run.assert_error(at, msg);
        assert_eq!(tree(&out), before, "{file}: the output changed");
        // `check` runs the same check.
        site.run(&["check"]).assert_error(at, msg);
        std::fs::remove_file(site.root().join(file)).unwrap();
    }
    // Two static files equal but for case.
    site.write("static/img/Logo.png", b"one");
    site.write("static/img/logo.png", b"two");
    let run = site.build(&[]);
    run.assert_error(
        "static/img/Logo.png",
        "`img/Logo.png` and `img/logo.png` are one file on case-insensitive file systems \
         (macOS, Windows): written by this static file and by the static file static/img/logo.png",
    );
    assert!(
        run.stderr.contains("rename or remove one of them"),
        "{}",
        run.stderr
    );
    assert_eq!(tree(&out), before);
    site.run(&["check"])
        .assert_error("static/img/Logo.png", "`img/logo.png`");
    std::fs::remove_file(site.root().join("static/img/Logo.png")).unwrap();
    // A page whose slug differs from a static folder only in case: at its slug.
    site.write(
        "content/pages/team.md",
        b"+++\ntitle = \"Team\"\nslug = \"Our-Team\"\n+++\nUs.\n",
    );
    site.write("static/our-team/index.html", b"mine");
    let run = site.build(&[]);
    run.assert_error(
        "content/pages/team.md:3:9",
        "`Our-Team/index.html` and `our-team/index.html` are one file",
    );
    assert_eq!(tree(&out), before);
    // Apart, everything builds; folders equal but for case are no clash.
    std::fs::remove_file(site.root().join("static/our-team/index.html")).unwrap();
    site.write("static/Img/icon.png", b"three");
    let run = site.build(&[]);
    run.assert_ok();
    assert!(run.exists("Our-Team/index.html") && run.exists("img/logo.png"));
}

#[test]
fn every_page_but_the_404_names_its_canonical_url() {
    let site = demo();
    let run = site.build(&["--base-url", "https://user.github.io/repo/"]);
    run.assert_ok();
    let html = run.page("index.html");
    assert!(
        html.contains("<link rel=\"canonical\" href=\"https://user.github.io/repo/\">"),
        "{html}"
    );
    let html = run.page("page/2/index.html");
    assert!(
        html.contains("<link rel=\"canonical\" href=\"https://user.github.io/repo/page/2/\">"),
        "{html}"
    );
    // GitHub Pages serves the 404 page at any URL: it names none.
    assert!(!run.page("404.html").contains("rel=\"canonical\""));
}

#[test]
fn the_sitemap_dates_each_article_page() {
    let run = demo().build(&[]);
    run.assert_ok();
    let sitemap = run.page("sitemap.xml");
    let entries: Vec<&str> = sitemap.split("<url>").skip(1).collect();
    let articles: Vec<&&str> = entries
        .iter()
        .filter(|e| e.contains("/articles/"))
        .collect();
    assert!(!articles.is_empty());
    for e in articles {
        assert!(e.contains("</loc><lastmod>"), "{e}");
    }
    assert!(sitemap.contains("/articles/culiacan-violence/</loc><lastmod>2024-09-20</lastmod>"));
}
