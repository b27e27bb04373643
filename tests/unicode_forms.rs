//! Text pasted from macOS or a PDF often comes decomposed (NFD: `a` and a
//! combining accent) where entity files were typed composed (NFC: `á`), or
//! the other way round. A reader cannot tell them apart, so neither may the
//! build: names, links, quotes, tags and slugs match across the two forms,
//! and messages still point at the file as written.

mod harness;
use harness::*;

/// `Culiacán` and `Sinaloa Cártel`-style words, decomposed.
fn nfd(s: &str) -> String {
    s.replace('á', "a\u{301}").replace('é', "e\u{301}")
}

fn site() -> Site {
    Site::new()
        .file(
            "content/entities/places/culiacan.md",
            "+++\nname = \"Culiacán\"\nsummary = \"A city.\"\n+++\nCapital of Sinaloa.\n",
        )
        .file(
            "content/entities/people/jose-perez.md",
            "+++\nname = \"José Pérez\"\naliases = [\"Pérez\"]\nsummary = \"A mayor.\"\n+++\nA mayor.\n",
        )
        .file(
            "content/articles/composed.md",
            "+++\ntitle = \"Composed\"\ndate = 2025-01-01\ntags = [\"Culiacán\"]\n+++\nIn Culiacán.\n",
        )
        .file(
            "content/articles/decomposed.md",
            &nfd(
                "+++\ntitle = \"Decomposed\"\ndate = 2025-01-02\ntags = [\"Culiacán\"]\n+++\n\
                 Pérez flew to Culiacán, then [[culiacán|the city]] again.\n",
            ),
        )
        .file(
            "content/articles/decomposed.annotations.toml",
            "[[annotations]]\nquote = \"flew to Culiacán\"\nnote = \"A short flight.\"\n",
        )
}

#[test]
fn names_links_quotes_and_tags_match_across_forms() {
    let run = site().build(&[]);
    run.assert_ok();
    let page = run.page("articles/decomposed/index.html");
    for id in ["m-jose-perez-1", "m-culiacan-1", "m-culiacan-2"] {
        assert!(page.contains(&format!("id=\"{id}\"")), "{id}: {page}");
    }
    // The standoff note was placed: its quote was found.
    assert!(page.contains("A short flight."), "{page}");
    // One tag, one page, both articles on it.
    let tags: Vec<String> = run
        .files()
        .into_iter()
        .filter(|f| f.starts_with("tags/") && f.ends_with("index.html") && f != "tags/index.html")
        .collect();
    assert_eq!(tags.len(), 1, "{tags:?}");
    let tag = run.page(&tags[0]);
    assert!(
        tag.contains("Composed") && tag.contains("Decomposed"),
        "{tag}"
    );
    // The page is written in the composed form.
    assert!(
        page.contains("Culiacán") && !page.contains("a\u{301}"),
        "{page}"
    );
    run.assert_links_resolve("/sub/path/");
}

#[test]
fn errors_point_at_the_file_as_written() {
    let run = site()
        .file(
            "content/articles/bad.md",
            &nfd("+++\ntitle = \"Bad\"\ndate = 2025-01-03\n+++\nCuliacán é [[nobody]].\n"),
        )
        .build(&[]);
    // Two combining accents before the link: column 14 counts them (12 in NFC).
    run.assert_error("content/articles/bad.md:5:14: ", "unknown entity `nobody`");
    assert!(run.stderr.contains("Culiaca\u{301}n"), "{}", run.stderr);
}

#[test]
fn a_decomposed_file_name_makes_a_composed_slug() {
    let run = site()
        .file(
            &nfd("content/articles/2025-01-04-culiacán-visit.md"),
            "+++\ntitle = \"Visit\"\ndate = 2025-01-04\n+++\nA visit.\n",
        )
        .build(&[]);
    run.assert_ok();
    assert!(
        run.exists("articles/culiacán-visit/index.html"),
        "{:?}",
        run.files()
    );
}
