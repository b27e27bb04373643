//! A `base_url` whose path must be percent-encoded in a URL
//! (`https://example.org/archivo-año/`, `https://example.org/my archive/`):
//! every URL the site writes carries the path encoded, once
//! (`/archivo-a%C3%B1o/`), root-relative ones (hrefs, `search.json`) and
//! absolute ones (canonical links, `atom.xml`, `sitemap.xml`,
//! `entities.json`) alike; one given already encoded is not encoded again.
//! A host that is an internationalised domain name is refused at its place
//! in `config.toml`, with its ASCII form to write instead.

mod harness;
use harness::*;

const FIRST: &str = "\
+++
title = \"First\"
date = 2025-09-03
tags = [\"Seguridad pública\"]
+++
[[ana]] spoke. See [the second](/articles/second/#fn-1), [again](UNDER)
and ![map](/images/map.png).[^1]

[^1]: A note.
";

const SECOND: &str =
    "+++\ntitle = \"Second\"\ndate = 2025-09-02\n+++\nAna again.[^1]\n\n[^1]: Its note.\n";

/// The site at `base_url`; its first article links to the second under
/// the base path as typed (`/archivo-año/articles/second/`), as links were
/// written before root-relative ones got the base path in front.
fn site(base_url: &str) -> Site {
    let path = &base_url[base_url[8..].find('/').unwrap() + 8..];
    let under = format!("<{path}articles/second/>");
    Site::empty()
        .file(
            "config.toml",
            &format!("title = \"Archivo\"\nbase_url = {base_url:?}\n"),
        )
        .file("content/articles/first.md", &FIRST.replace("UNDER", &under))
        .file("content/articles/second.md", SECOND)
        .file(
            "content/entities/people/ana.md",
            &entity("Ana", &[], "Someone."),
        )
        .file(
            "content/pages/about.md",
            "+++\ntitle = \"About\"\n+++\nUs.\n",
        )
        .file("static/images/map.png", "png")
}

/// Every `href` and `src` of every page, with the page.
fn all_urls(run: &Run) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for p in run.html_pages() {
        let html = run.page(&p);
        for attr in ["href", "src"] {
            for u in attr_values(&html, attr) {
                out.push((p.clone(), u));
            }
        }
    }
    out
}

/// What every URL the site writes must look like with `base_url` whose
/// path is `encoded` (`/archivo-a%C3%B1o/`) and, written as typed,
/// `decoded`.
fn assert_encoded_everywhere(run: &Run, origin: &str, encoded: &str, decoded: &str) {
    run.assert_ok();
    let base = format!("{origin}{encoded}");
    // Root-relative and absolute URLs in pages: encoded, never as typed.
    let urls = all_urls(run);
    for (page, u) in &urls {
        assert!(
            u.is_ascii() && !u.contains(' '),
            "{page}: {u:?} is not encoded"
        );
        assert!(!u.contains(decoded), "{page}: {u:?}");
        if u.starts_with('/') {
            assert!(
                u.starts_with(encoded),
                "{page}: {u:?} is not under {encoded}"
            );
        }
    }
    let has = |page: &str, url: &str| {
        assert!(
            urls.iter().any(|(p, u)| p == page && u == url),
            "{page}: no {url:?}"
        );
    };
    has("index.html", &format!("{encoded}style.css"));
    has("index.html", &format!("{encoded}articles/first/"));
    has("index.html", &format!("{encoded}atom.xml"));
    has("index.html", &base);
    has("404.html", &format!("{encoded}archive/"));
    let first = "articles/first/index.html";
    has(first, &format!("{encoded}entities/ana/"));
    has(first, &format!("{encoded}tags/seguridad-p%C3%BAblica/"));
    // Links written root-relative in Markdown, and one written under the
    // base path as typed: under the base path as the site writes it.
    has(first, &format!("{encoded}articles/second/#fn-1"));
    has(first, &format!("{encoded}articles/second/"));
    has(first, &format!("{encoded}images/map.png"));
    // Canonical links.
    let html = run.page(first);
    assert!(
        html.contains(&format!(
            "<link rel=\"canonical\" href=\"{base}articles/first/\">"
        )),
        "{html}"
    );
    assert!(run
        .page("index.html")
        .contains(&format!("<link rel=\"canonical\" href=\"{base}\">")));
    // The feed: its own links, ids, and the links inside entries.
    let atom = run.page("atom.xml");
    assert!(!atom.contains(decoded), "{atom}");
    for want in [
        format!("<link rel=\"self\" type=\"application/atom+xml\" href=\"{base}atom.xml\"/>"),
        format!("<link rel=\"alternate\" type=\"text/html\" href=\"{base}\"/>"),
        format!("<id>{base}</id>"),
        format!("<id>{base}articles/first/</id>"),
        format!("href=&quot;{base}entities/ana/&quot;"),
        format!("href=&quot;{base}articles/second/#fn-1&quot;"),
        format!("href=&quot;{base}articles/first/#fn-1&quot;"),
    ] {
        assert!(atom.contains(&want), "no {want} in\n{atom}");
    }
    // The sitemap: every page, every one under the base URL.
    let sitemap = run.page("sitemap.xml");
    assert!(!sitemap.contains(decoded), "{sitemap}");
    let locs: Vec<&str> = sitemap
        .split("<loc>")
        .skip(1)
        .map(|l| l.split("</loc>").next().unwrap())
        .collect();
    assert!(locs.len() >= 8, "{sitemap}");
    for l in &locs {
        assert!(l.starts_with(&base) && l.is_ascii(), "{l}");
    }
    assert!(locs.contains(&format!("{base}tags/seguridad-p%C3%BAblica/").as_str()));
    assert!(locs.contains(&base.as_str()));
    // entities.json: entity, article and mention URLs.
    let json: serde_json::Value = serde_json::from_str(&run.page("entities.json")).unwrap();
    let ana = &json["entities"][0];
    assert_eq!(ana["url"], format!("{base}entities/ana/"));
    let articles = ana["articles"].as_array().unwrap();
    assert_eq!(articles[0]["url"], format!("{base}articles/first/"));
    let mention = articles[0]["mentions"][0]["url"].as_str().unwrap();
    assert!(
        mention.starts_with(&format!("{base}articles/first/#m-ana-")),
        "{mention}"
    );
    // search.json's root-relative URLs.
    let search: serde_json::Value = serde_json::from_str(&run.page("search.json")).unwrap();
    for a in search["articles"].as_array().unwrap() {
        let url = a["url"].as_str().unwrap();
        assert!(url.starts_with(encoded), "{url}");
    }
    // And every link resolves to a file of the output.
    run.assert_links_resolve(encoded);
}

#[test]
fn a_non_ascii_base_path_is_percent_encoded_in_every_url() {
    let run = site("https://example.org/archivo-año/").build(&[]);
    assert_encoded_everywhere(
        &run,
        "https://example.org",
        "/archivo-a%C3%B1o/",
        "archivo-año",
    );
}

#[test]
fn a_base_path_with_a_space_is_percent_encoded_in_every_url() {
    let site = site("https://example.org/my archive/");
    let run = site.build(&[]);
    assert_encoded_everywhere(&run, "https://example.org", "/my%20archive/", "my archive");
    // `check` judges links as that build writes them: none is broken.
    let check = site.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(check.stderr.contains("0 warning"), "{}", check.stderr);
}

#[test]
fn a_base_path_given_through_base_url_is_percent_encoded_in_every_url() {
    let site = site("https://example.org/my archive/");
    let args = ["--base-url", "https://example.org/otro año"];
    let run = site.build(&args);
    run.assert_ok();
    // The link written under the configured path is now a path under the
    // new one: encoded all the same.
    let html = run.page("articles/first/index.html");
    assert!(
        html.contains("href=\"/otro%20a%C3%B1o/my%20archive/articles/second/\""),
        "{html}"
    );
    let urls = all_urls(&run);
    for (page, u) in &urls {
        assert!(u.is_ascii() && !u.contains(' '), "{page}: {u:?}");
    }
    assert!(run
        .page("atom.xml")
        .contains("<id>https://example.org/otro%20a%C3%B1o/articles/first/</id>"));
    let check = site.run(&["check", args[0], args[1]]);
    // Only the link that points outside the new base path is warned about.
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(check.stderr.contains("1 warning"), "{}", check.stderr);
}

#[test]
fn a_base_url_given_encoded_is_not_encoded_again() {
    let typed = site("https://example.org/archivo-año/").build(&[]);
    typed.assert_ok();
    let site = site("https://example.org/archivo-a%C3%B1o/");
    let encoded = site.build(&[]);
    assert_encoded_everywhere(
        &encoded,
        "https://example.org",
        "/archivo-a%C3%B1o/",
        "archivo-año",
    );
    assert!(!encoded.page("atom.xml").contains("%25"));
    // The same site, byte for byte, whichever way it was written, and
    // through --base-url.
    let mut a = typed.snapshot();
    let mut b = encoded.snapshot();
    a.remove(".dossier-manifest");
    b.remove(".dossier-manifest");
    assert!(a == b, "the two builds differ");
    let over = site.build(&["--base-url", "https://example.org/archivo-año"]);
    over.assert_ok();
    let mut c = over.snapshot();
    c.remove(".dossier-manifest");
    assert!(a == c, "--base-url gives another site");
}

#[test]
fn an_internationalised_host_is_an_error_that_gives_its_ascii_form() {
    let site = site("https://bücher.example/archivo/");
    for run in [site.build(&[]), site.run(&["check"])] {
        run.assert_error("config.toml:2:21:", "not ASCII");
        assert!(
            run.stderr.contains("\"xn--bcher-kva.example\""),
            "{}",
            run.stderr
        );
    }
    assert!(!site.root().join("public").exists(), "a failed build wrote");
    let ok = site_with_ascii_host().build(&["--base-url", "https://bücher.example/"]);
    assert_eq!(ok.code, 1, "{}", ok.stderr);
    assert!(
        ok.stderr
            .contains("--base-url has a host that is not ASCII")
            && ok.stderr.contains("xn--bcher-kva.example"),
        "{}",
        ok.stderr
    );
    // Written in its ASCII form, it builds, and URLs carry it.
    let run = site_with_ascii_host().build(&[]);
    run.assert_ok();
    assert!(run
        .page("atom.xml")
        .contains("<id>https://xn--bcher-kva.example/archivo-a%C3%B1o/</id>"));
}

fn site_with_ascii_host() -> Site {
    site("https://XN--BCHER-KVA.example/archivo-año/")
}

/// `serve` maps request paths under the base path to files: a browser
/// following the site's links asks for the encoded path.
/// (`serve` compares request paths, which it decodes, with the decoded
/// base path: `base_path` is written percent-encoded, as every URL of the
/// site carries it.)
#[test]
fn serve_finds_pages_under_an_encoded_base_path() {
    use dossier::serve::paths::{resolve, Target};
    for (base_url, request) in [
        ("https://example.org/archivo-año/", "/archivo-a%C3%B1o/"),
        ("https://example.org/my archive/", "/my%20archive/"),
    ] {
        let config = dossier::config::Config::parse(
            &format!("title = \"T\"\nbase_url = {base_url:?}\n"),
            std::path::Path::new("config.toml"),
        )
        .unwrap();
        let base = config.base_path.as_str();
        assert_eq!(resolve(request, base), Target::File("index.html".into()));
        assert_eq!(
            resolve(&format!("{request}articles/first/"), base),
            Target::File("articles/first/index.html".into())
        );
        assert_eq!(resolve("/", base), Target::Redirect(request.into()));
        let bare = request.trim_end_matches('/');
        assert_eq!(resolve(bare, base), Target::Redirect(request.into()));
    }
}
