//! Links and images written in archived Markdown: script and data URLs are
//! never kept (in pages, entity descriptions or the feed), with a warning at
//! their place; everything else a reader can follow stays.

mod harness;
use harness::*;

const BODY: &str = "\
[click](javascript:alert(document.domain)) [caps](JaVaScRiPt:alert(1)) \
[ref][r] <javascript:alert(3)> [data](data:text/html,<b>x</b>) \
[web](https://example.org/a) [mail](mailto:a@example.org) [here](#top)

![picture *alt*](javascript:alert(8)) ![dot](data:image/png;base64,AAAA)

[r]: vbscript:msgbox(2)
";

#[test]
fn script_and_data_links_are_left_out_with_a_warning() {
    let site = Site::new()
        .file(
            "content/entities/places/paris.md",
            "+++\nname = \"Paris\"\n+++\nSee [x](javascript:alert(9)).\n",
        )
        .file("content/articles/a.md", &article("A", "2025-01-01", BODY));
    let run = site.build(&[]);
    run.assert_ok();
    for page in ["articles/a/index.html", "entities/paris/index.html"] {
        let html = run.page(page);
        for href in attr_values(&html, "href")
            .into_iter()
            .chain(attr_values(&html, "src"))
        {
            let lower = decode_entities(&href).to_ascii_lowercase();
            assert!(
                !lower.contains("script:") && !lower.starts_with("data:text"),
                "{page}: {href}"
            );
        }
    }
    let html = run.page("articles/a/index.html");
    assert!(html.contains("<a>click</a>"), "{html}");
    assert!(html.contains("<a>ref</a>"), "{html}");
    assert!(html.contains("href=\"https://example.org/a\""), "{html}");
    assert!(html.contains("href=\"mailto:a@example.org\""), "{html}");
    assert!(html.contains("href=\"#top\""), "{html}");
    assert!(
        html.contains("src=\"data:image/png;base64,AAAA\""),
        "{html}"
    );
    // An image whose source is left out shows its text.
    assert!(html.contains("picture <em>alt</em>"), "{html}");
    let feed = run.page("atom.xml").to_ascii_lowercase();
    assert!(!feed.contains("href=&quot;javascript"), "{feed}");
    for (line_col, url) in [
        ("a.md:5:9", "javascript:alert(document.domain)"),
        ("a.md:5:110", "data:text/html"),
        ("a.md:7:18", "javascript:alert(8)"),
        ("a.md:9:6", "vbscript:msgbox(2)"),
        ("paris.md:4:9", "javascript:alert(9)"),
    ] {
        assert!(
            run.stderr
                .lines()
                .any(|l| l.contains(line_col) && l.contains("warning:") && l.contains(url)),
            "no warning at {line_col} for {url}:\n{}",
            run.stderr
        );
    }
}

#[test]
fn control_characters_never_reach_pages_or_feed() {
    // Word's soft line break (U+000B), a bell in a summary, a NUL: left in,
    // they made atom.xml invalid XML and the pages invalid HTML.
    let site = Site::new().file(
        "content/articles/w.md",
        "+++\ntitle = \"Pasted\u{b}from Word\"\ndate = 2025-02-01\nsummary = \"a\u{7}b\"\n+++\nFirst line\u{b}second\u{0} line.\n",
    );
    let run = site.build(&[]);
    run.assert_ok();
    for rel in run.files() {
        let bytes = std::fs::read(run.out.join(&rel)).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')),
            "{rel} holds a control character"
        );
    }
    assert!(run
        .page("articles/w/index.html")
        .contains("First line second  line."));
}

#[test]
fn front_matter_urls_left_unlinked_are_warned_about() {
    // Once silently dropped (`links`) or shown as text (`source`).
    let site = Site::new()
        .file(
            "content/entities/places/paris.md",
            "+++\nname = \"Paris\"\nlinks = [\"https://paris.fr/\", \"javascript:alert(1)\"]\n+++\nA city.\n",
        )
        .file(
            "content/articles/a.md",
            "+++\ntitle = \"A\"\ndate = 2025-01-01\nsource = \"data:text/html,x\"\n+++\nParis.\n",
        )
        .file(
            "content/articles/b.md",
            "+++\ntitle = \"B\"\ndate = 2025-01-02\nsource = \"Le Monde, print: p. 3\"\n+++\nParis.\n",
        );
    for run in [site.build(&[]), site.run(&["check"])] {
        assert_eq!(run.code, 0, "{}", run.stderr);
        for (at, what) in [
            ("content/entities/places/paris.md:3:32: warning: link `javascript:alert(1)` is not linked", "links"),
            ("content/articles/a.md:4:11: warning: source `data:text/html,x` is not linked", "source"),
        ] {
            assert!(run.stderr.contains(at), "{what}: {}", run.stderr);
        }
        assert!(!run.stderr.contains("b.md"), "{}", run.stderr);
    }
    let run = site.build(&[]);
    assert!(run
        .page("entities/paris/index.html")
        .contains("https://paris.fr/"));
}

#[test]
fn front_matter_urls_are_written_as_urls_carry_them() {
    let site = Site::new()
        .file(
            "content/entities/places/lima.md",
            "+++\nname = \"Lima\"\nsummary = \"City\"\nlinks = [\"https://example.org/a b\", \"https://example.org/\\\"q\\\"?a=1&b=<2>\"]\n+++\nAbout.\n",
        )
        .file(
            "content/articles/a.md",
            "+++\ntitle = \"A\"\ndate = 2025-01-01\nsource = \"https://example.org/x y?z=\\\"1\\\"\"\n+++\nIn Lima.\n",
        )
        .file(
            "content/articles/b.md",
            "+++\ntitle = \"B\"\ndate = 2025-01-02\nsource = \"The Times, 3 May\"\n+++\nText.\n",
        );
    let run = site.build(&[]);
    run.assert_ok();
    let entity = run.page("entities/lima/index.html");
    let hrefs = attr_values(&entity, "href");
    assert!(
        hrefs.contains(&"https://example.org/a%20b".to_string()),
        "{hrefs:?}"
    );
    assert!(
        hrefs.contains(&"https://example.org/%22q%22?a=1&b=%3C2%3E".to_string()),
        "{hrefs:?}"
    );
    let article = run.page("articles/a/index.html");
    assert!(
        attr_values(&article, "href").contains(&"https://example.org/x%20y?z=%221%22".to_string()),
        "{article}"
    );
    // A source that is no URL is a citation, shown as written.
    assert!(run
        .page("articles/b/index.html")
        .contains("The Times, 3 May"));
}

#[test]
fn an_entity_of_a_kind_of_the_sites_own_is_named_by_its_key_in_hover_titles() {
    let site = Site::empty()
        .file(
            "config.toml",
            &format!(
                "{CONFIG}[kinds]\norg_unit = {{ label = \"Org units\", folder = \"units\" }}\n"
            ),
        )
        .file(
            "content/entities/units/ops.md",
            "+++\nname = \"Ops Desk\"\nsummary = \"A desk\"\n+++\nAbout.\n",
        )
        .file(
            "content/articles/a.md",
            &article("A", "2025-01-01", "The [[ops]] said."),
        );
    let run = site.build(&[]);
    run.assert_ok();
    let page = run.page("articles/a/index.html");
    assert!(page.contains("title=\"Org unit — A desk\""), "{page}");
}
