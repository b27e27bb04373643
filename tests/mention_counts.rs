//! Mentions end to end: a fixture full of traps, built with the real binary,
//! and the exact count, anchors and snippets of every entity's mentions.

mod harness;
use harness::*;
use std::collections::BTreeMap;

fn site(autolink: &str) -> Site {
    Site::new()
        .file("config.toml", &format!("{CONFIG}[annotations]\nautolink = \"{autolink}\"\n"))
        .file("content/entities/people/marco-rubio.md", &entity("Marco Rubio", &["Rubio"], "Secretary"))
        .file("content/entities/people/el-mayo.md", &entity("Ismael “El Mayo” Zambada García", &["El Mayo"], "Capo"))
        .file("content/entities/people/chapo.md", &entity("Joaquín Guzmán Loera", &["El Chapo"], "Capo"))
        .file("content/entities/people/ovidio.md", &entity("Ovidio Guzmán López", &[], "Son"))
        .file("content/entities/places/us.md", &entity("United States", &["US"], "Country"))
        .file("content/entities/places/mexico.md", &entity("Mexico", &[], "Country"))
        .file(
            "content/articles/traps.md",
            &article(
                "Traps",
                "2025-01-02",
                "Rubio’s visit to Mexico set the US-Mexico agenda; a Mexican official agreed.\n\
                 Joaquín Guzmán Loera and Ovidio Guzmán López are not the same Guzmán.\n\
                 Ismael “El Mayo” Zambada García, El Mayo for short, met Marco\nRubio.\n\n\
                 # Rubio in a heading\n\n\
                 `Rubio` in code, [Rubio](https://x.org/) in a link, ![Rubio](https://x.org/i.png) in an image.\n\n\
                 A *quoted passage* about the US.[^1]\n\n\
                 [^1]: A note on [[el-mayo|him]] and Mexico.",
            ),
        )
        .file(
            "content/articles/traps.annotations.toml",
            "[[annotations]]\nquote = \"quoted passage about\"\nentity = \"chapo\"\n[[annotations]]\nquote = \"same Guzmán\"\nnote = \"Father and son.\"\n",
        )
        .file("content/articles/other.md", &article("Other", "2025-01-01", "Nothing but Rubio."))
}

/// entity id → article slug → anchors, from entities.json.
fn mentions(run: &Run) -> BTreeMap<String, BTreeMap<String, Vec<String>>> {
    let v: serde_json::Value = serde_json::from_str(&run.page("entities.json")).unwrap();
    let mut out = BTreeMap::new();
    for e in v["entities"].as_array().unwrap() {
        let mut per = BTreeMap::new();
        for a in e["articles"].as_array().unwrap() {
            let anchors = a["mentions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["anchor"].as_str().unwrap().to_string())
                .collect();
            per.insert(a["slug"].as_str().unwrap().to_string(), anchors);
        }
        out.insert(e["id"].as_str().unwrap().to_string(), per);
    }
    out
}

#[test]
fn exact_counts_and_anchors_in_reading_order() {
    let s = site("first");
    let run = s.build(&[]);
    run.assert_ok();
    let m = mentions(&run);
    let count = |e: &str, a: &str| m[e].get(a).map_or(0, Vec::len);
    // Rubio’s, "Marco\nRubio" (one mention across the line break); not in the
    // heading, code, link or image.
    assert_eq!(count("marco-rubio", "traps"), 2);
    assert_eq!(count("marco-rubio", "other"), 1);
    // "Mexico", "US-Mexico" (US and Mexico), the note; never "Mexican".
    assert_eq!(count("mexico", "traps"), 3);
    // US in US-Mexico, and after the standoff quote (which ends before it).
    assert_eq!(count("us", "traps"), 2);
    // Longest match: the full names, never a bare "Guzmán".
    assert_eq!(count("chapo", "traps"), 2, "name + standoff quote");
    assert_eq!(count("ovidio", "traps"), 1);
    // The full nickname name, the alias, and the link in the note.
    assert_eq!(count("el-mayo", "traps"), 3);
    assert_eq!(
        m["el-mayo"]["traps"],
        vec!["m-el-mayo-1", "m-el-mayo-2", "m-el-mayo-3"]
    );
    run.assert_links_resolve("/sub/path/");

    let page = run.page("articles/traps/index.html");
    // First mention linked, the next addressable but plain.
    assert!(
        page.contains("<a class=\"entity entity-person\" id=\"m-marco-rubio-1\""),
        "{page}"
    );
    assert!(
        page.contains("<span class=\"mention\" id=\"m-marco-rubio-2\">Marco\nRubio</span>"),
        "{page}"
    );
    // The standoff note is numbered with the footnote (it comes first).
    let note_at = page.find("id=\"fnref-1\"").unwrap();
    assert!(
        page[..note_at].contains("same Guzmán"),
        "standoff note first"
    );
    assert!(page.contains("id=\"fnref-2\""));
    // Snippets on the entity page, the mention in <mark>.
    let ent = run.page("entities/marco-rubio/index.html");
    assert!(
        ent.contains("<mark>Rubio</mark>’s visit to Mexico"),
        "{ent}"
    );
    assert!(ent.contains("#m-marco-rubio-2"), "{ent}");
    // check warns about the name in the heading.
    let check = s.run(&["check"]);
    assert_eq!(check.code, 0);
    assert!(
        check.stderr.contains("heading names \"Rubio\""),
        "{}",
        check.stderr
    );
}

#[test]
fn autolink_all_and_none_change_links_not_counts() {
    for (mode, links) in [("all", 2), ("none", 0)] {
        let run = site(mode).build(&[]);
        run.assert_ok();
        let page = run.page("articles/traps/index.html");
        let linked = page
            .matches("<a class=\"entity entity-person\" id=\"m-marco-rubio-")
            .count();
        assert_eq!(linked, links, "{mode}");
        assert_eq!(mentions(&run)["marco-rubio"]["traps"].len(), 2, "{mode}");
    }
}

#[test]
fn no_autolink_opts_an_article_out_of_links_for_an_entity() {
    let s = site("first");
    s.write(
        "content/articles/other.md",
        b"+++\ntitle = \"Other\"\ndate = 2025-01-01\nno_autolink = [\"marco-rubio\"]\n+++\nNothing but Rubio.\n",
    );
    let run = s.build(&[]);
    run.assert_ok();
    let page = run.page("articles/other/index.html");
    assert!(
        page.contains("<span class=\"mention\" id=\"m-marco-rubio-1\">Rubio</span>"),
        "{page}"
    );
}

#[test]
fn raw_html_and_addresses_hold_no_mentions() {
    let s = site("all");
    s.write(
        "content/articles/other.md",
        b"+++\ntitle = \"Other\"\ndate = 2025-01-01\n+++\n\
          <div>\nRubio in an HTML block\n</div>\n\n\
          A <!-- Rubio --> <b title=\"Rubio\">Rubio in bold</b> and \
          https://example.org/Rubio/page or press@Rubio.gov and www.rubio.Mexico.gov.\n\n\
          Only this Rubio counts.\n",
    );
    let run = s.build(&[]);
    run.assert_ok();
    assert_eq!(
        mentions(&run)["marco-rubio"]["other"],
        vec!["m-marco-rubio-1"]
    );
    assert!(!mentions(&run)["mexico"].contains_key("other"));
    let page = run.page("articles/other/index.html");
    let at = page.find("id=\"m-marco-rubio-1\"").unwrap();
    assert!(
        page[at..].starts_with("id=\"m-marco-rubio-1\" href"),
        "{page}"
    );
    assert!(page[at..].contains(">Rubio</a> counts."), "{page}");
    assert!(page.contains("https://example.org/Rubio/page"), "{page}");
}

#[test]
fn one_quote_linked_twice_to_one_entity_is_one_mention() {
    // In the front matter and again in the sidecar: once two mentions, one
    // anchor inside the other's link.
    let s = site("first");
    let ann = "[[annotations]]\nquote = \"the northern neighbour\"\nentity = \"us\"\n";
    s.write(
        "content/articles/other.md",
        format!(
            "+++\ntitle = \"Other\"\ndate = 2025-01-01\n\n{ann}+++\n\
             Officials met the northern neighbour on Tuesday.\n"
        )
        .as_bytes(),
    );
    s.write(
        "content/articles/other.annotations.toml",
        format!("{ann}note = \"A second annotation may add its note.\"\n").as_bytes(),
    );
    let run = s.build(&[]);
    run.assert_ok();
    assert_eq!(mentions(&run)["us"]["other"], vec!["m-us-1"]);
    let page = run.page("articles/other/index.html");
    assert_eq!(page.matches("id=\"m-us-").count(), 1, "{page}");
    assert!(!page.contains("class=\"mention\""), "{page}");
    assert!(
        page.contains("the northern neighbour</a><sup class=\"footnote-ref\" id=\"fnref-1\">"),
        "{page}"
    );
    assert!(
        page.contains("A second annotation may add its note."),
        "{page}"
    );
}
