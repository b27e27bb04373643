//! Lists a reader sees ordered by name follow the letters, not the code
//! points: accented and lower-case names take their place among the others
//! (`src/collate.rs`), on the entity index, the tag index, an article's "in
//! this article" and, for ties in count, an entity's "often mentioned with".

mod harness;
use harness::*;

/// (id, name) of the people of the site, in no particular order.
const PEOPLE: &[(&str, &str)] = &[
    ("angel-perez", "Ángel Pérez"),
    ("zeta", "Zeta"),
    ("bravo", "Bravo"),
    ("elan-vital", "élan Vital"),
    ("oscar-ruiz", "Óscar Ruiz"),
    ("de-la-fuente", "de la Fuente"),
    ("chapo-guzman", "Joaquín Guzmán Loera"),
    ("claudia-sheinbaum", "Claudia Sheinbaum"),
    ("marco-rubio", "Marco Rubio"),
];

fn site() -> Site {
    let mut site = Site::new();
    for (id, name) in PEOPLE {
        site = site.file(
            &format!("content/entities/people/{id}.md"),
            &format!("+++\nname = {name:?}\n+++\n"),
        );
    }
    // Each of the three once, in one article: for Marco Rubio, Claudia
    // Sheinbaum and Joaquín Guzmán Loera tie at one shared article.
    site.file(
        "content/articles/2025-01-02-meeting.md",
        "+++\ntitle = \"Meeting\"\ndate = 2025-01-02\ntags = [\"Zeta\", \"Ámbito\"]\n+++\n\
         [[marco-rubio]] met [[claudia-sheinbaum]] to talk about [[chapo-guzman]].\n",
    )
    .file(
        "content/articles/2025-01-01-other.md",
        "+++\ntitle = \"Other\"\ndate = 2025-01-01\ntags = [\"beta\", \"Économie\"]\n+++\nNothing.\n",
    )
}

/// The text of every `<a class="CLASS" ...>TEXT` in `html`, in order, up to
/// the first `<` of each.
fn anchors(html: &str, class: &str) -> Vec<String> {
    html.split(&format!("<a class=\"{class}\" href=\""))
        .skip(1)
        .map(|part| {
            let text = part.split_once("\">").unwrap().1;
            let text = text.split(['<']).next().unwrap();
            decode_entities(text.trim_end())
        })
        .collect()
}

/// The part of `html` from `from` on, up to `to`.
fn section<'h>(html: &'h str, from: &str, to: &str) -> &'h str {
    let start = html
        .find(from)
        .unwrap_or_else(|| panic!("no {from:?} in:\n{html}"));
    let rest = &html[start..];
    &rest[..rest.find(to).unwrap_or(rest.len())]
}

#[test]
fn entities_are_listed_by_name_accents_and_case_aside() {
    let run = site().build(&[]);
    run.assert_ok();
    let html = run.page("entities/index.html");
    assert_eq!(
        anchors(&html, "entity-name"),
        [
            "Ángel Pérez",
            "Bravo",
            "Claudia Sheinbaum",
            "de la Fuente",
            "élan Vital",
            "Joaquín Guzmán Loera",
            "Marco Rubio",
            "Óscar Ruiz",
            "Zeta",
        ]
    );
}

#[test]
fn tags_are_listed_by_name_accents_and_case_aside() {
    let run = site().build(&[]);
    run.assert_ok();
    let html = run.page("tags/index.html");
    let names: Vec<String> = anchors(&html, "tag")
        .into_iter()
        .map(|t| t.split(" <span").next().unwrap().to_string())
        .collect();
    assert_eq!(names, ["Ámbito", "beta", "Économie", "Zeta"]);
}

#[test]
fn ties_in_count_are_listed_by_the_name_shown() {
    let run = site().build(&[]);
    run.assert_ok();
    // "Often mentioned with" on Marco Rubio's page: both once; by name,
    // not by id (chapo-guzman < claudia-sheinbaum).
    let html = run.page("entities/marco-rubio/index.html");
    let co = section(&html, "<section class=\"co-mentioned\">", "</section>");
    let names: Vec<String> = co
        .split("<li><a href=\"")
        .skip(1)
        .map(|p| {
            let text = p.split_once("\">").unwrap().1;
            decode_entities(text.split(" <span").next().unwrap())
        })
        .collect();
    assert_eq!(names, ["Claudia Sheinbaum", "Joaquín Guzmán Loera"]);
}

#[test]
fn an_articles_entities_tied_in_count_are_listed_by_name() {
    let run = site().build(&[]);
    run.assert_ok();
    // "In this article": all three once each, by name (not by id).
    let html = run.page("articles/meeting/index.html");
    let inside = section(&html, "<section class=\"in-this-article\">", "</section>");
    assert_eq!(
        anchors(inside, "entity-name"),
        ["Claudia Sheinbaum", "Joaquín Guzmán Loera", "Marco Rubio"]
    );
}

#[test]
fn lists_by_name_do_not_depend_on_how_names_are_encoded() {
    // The same names, one decomposed (e + U+0301): the same place in the
    // list, and two builds give the same bytes.
    let site = site().file(
        "content/entities/people/elan-vital.md",
        "+++\nname = \"e\u{301}lan Vital\"\n+++\n",
    );
    let one = site.build(&[]);
    one.assert_ok();
    let first = one.page("entities/index.html");
    let names = anchors(&first, "entity-name");
    assert_eq!(names[3], "de la Fuente");
    assert!(names[4].ends_with("lan Vital"), "{names:?}");
    assert_eq!(names[5], "Joaquín Guzmán Loera");
    let two = site.build(&[]);
    two.assert_ok();
    assert_eq!(first, two.page("entities/index.html"));
    assert_eq!(one.page("tags/index.html"), two.page("tags/index.html"));
}

#[test]
fn which_co_mentions_make_the_ten_shown_is_decided_by_name() {
    // Twelve entities once each with "focus": the ten shown are the first
    // ten by name, though by id they are the last ten.
    let names = [
        "Lima", "Kilo", "Juliett", "India", "Hotel", "Golf", "Foxtrot", "Echo", "Delta", "Charlie",
        "Bravo", "Alfa",
    ];
    let mut site = Site::new().file(
        "content/entities/people/focus.md",
        "+++\nname = \"Focus\"\n+++\n",
    );
    let mut body = String::from("[[focus]]");
    for (i, name) in names.iter().enumerate() {
        site = site.file(
            &format!("content/entities/people/x{:02}.md", i + 1),
            &format!("+++\nname = {name:?}\n+++\n"),
        );
        body.push_str(&format!(", [[x{:02}]]", i + 1));
    }
    let run = site
        .file(
            "content/articles/a.md",
            &format!("+++\ntitle = \"A\"\ndate = 2025-01-01\n+++\n{body}.\n"),
        )
        .build(&[]);
    run.assert_ok();
    let html = run.page("entities/focus/index.html");
    let co = section(&html, "<section class=\"co-mentioned\">", "</section>");
    let shown: Vec<&str> = co
        .split("<li><a href=\"")
        .skip(1)
        .map(|p| {
            p.split_once("\">")
                .unwrap()
                .1
                .split(" <span")
                .next()
                .unwrap()
        })
        .collect();
    let mut expected = names.to_vec();
    expected.reverse();
    expected.truncate(10);
    assert_eq!(shown, expected);
}
