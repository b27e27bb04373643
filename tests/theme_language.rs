//! The built-in theme speaks the site's `language`: its words, dates,
//! counts and default kind labels, checked on what a real build writes, and
//! one warning for a language the theme has no words in.

mod harness;
use harness::*;

/// A small site in `language` (none: not given): Ana is mentioned twice in
/// an article with a note, beside Lima, and once in another; Bruno nowhere. Eleven articles,
/// so that the home page has a second page.
fn site(language: Option<&str>, kinds: &str) -> Site {
    let mut config = CONFIG.to_string();
    if let Some(l) = language {
        config.push_str(&format!("language = {l:?}\n"));
    }
    config.push_str(kinds);
    let mut site = Site::empty()
        .file("config.toml", &config)
        .file(
            "content/entities/people/ana.md",
            &entity("Ana Pérez", &[], "A minister"),
        )
        .file(
            "content/entities/places/lima.md",
            &entity("Lima", &[], "A city"),
        )
        .file(
            "content/entities/people/bruno.md",
            &entity("Bruno Díaz", &[], "Nobody yet"),
        )
        .file(
            "content/articles/a.md",
            "+++\ntitle = \"First\"\ndate = 2025-09-03\nauthors = [\"Eva\"]\ntags = [\"politics\"]\n+++\n\
             [[ana]] spoke in [[lima]].[^1] Later [[ana]] left.\n\n[^1]: A note.\n",
        )
        .file(
            "content/articles/b.md",
            &article("Second", "2025-09-01", "[[ana]] again."),
        );
    for i in 0..9 {
        site = site.file(
            &format!("content/articles/old{i}.md"),
            &article(&format!("Old {i}"), &format!("2024-0{}-10", i + 1), "Text."),
        );
    }
    site
}

#[test]
fn a_spanish_site_gets_spanish_words() {
    let kinds = "[kinds]\nplace = { label = \"Sitios\", folder = \"places\" }\n";
    let out = site(Some("es-MX"), kinds).build(&[]);
    out.assert_ok();
    assert!(!out.stderr.contains("language"), "{}", out.stderr);
    let a = out.page("articles/a/index.html");
    assert!(a.starts_with("<!DOCTYPE html>\n<html lang=\"es-MX\">"));
    for words in [
        ">Saltar al contenido</a>",
        "<nav class=\"site-nav\" aria-label=\"Sitio\">",
        ">Artículos</a></li>",
        ">Entidades</a></li>",
        ">Etiquetas</a></li>",
        ">Archivo</a></li>",
        "<ul class=\"tags\" aria-label=\"Etiquetas\">",
        "<span class=\"authors\">Por Eva</span>",
        "<time datetime=\"2025-09-03\">3 de septiembre de 2025</time>",
        "<section class=\"footnotes\"><h2 class=\"notes-heading\">Notas</h2>",
        "aria-label=\"Volver a la referencia 1\"",
        "<h2>En este artículo</h2>",
        "<h3 class=\"kind-heading kind-person\">Personas <span class=\"count\">1</span></h3>",
        "<span class=\"count\">2 menciones</span>",
        // Entity links' hover titles name the kind in the language.
        "href=\"/sub/path/entities/ana/\" title=\"Persona — A minister\">",
        // A label written in config.toml stays as written.
        "<h3 class=\"kind-heading kind-place\">Sitios <span class=\"count\">1</span></h3>",
        "<nav class=\"prev-next\" aria-label=\"Artículo anterior y siguiente\">",
        "<span aria-hidden=\"true\">←</span> Anterior</span>",
        "<h2>Artículos relacionados</h2>",
        "1 entidad en común",
        ">Canal Atom</a>",
    ] {
        assert!(a.contains(words), "{words:?} not in\n{a}");
    }
    let ana = out.page("entities/ana/index.html");
    for words in [
        "<a class=\"kind-label\" href=\"/sub/path/entities/#kind-person\">Personas</a>",
        "<h2>Mencionado en 2 artículos <span class=\"count\">(3 menciones)</span></h2>",
        "<span class=\"sep\" aria-hidden=\"true\"> · </span>1 mención</p>",
        "<h2>Suele mencionarse con</h2>",
    ] {
        assert!(ana.contains(words), "{words:?} not in\n{ana}");
    }
    let bruno = out.page("entities/bruno/index.html");
    assert!(bruno.contains(
        "<h2>Menciones</h2>\n<p class=\"empty\">Todavía no se menciona en ningún artículo.</p>"
    ));
    let entities = out.page("entities/index.html");
    assert!(entities.contains("<title>Entidades — Test Archive</title>"));
    assert!(entities.contains("<span class=\"count\">0 menciones</span>"));
    assert!(entities.contains("aria-label=\"Tipos\""));
    let archive = out.page("archive/index.html");
    assert!(archive.contains("<h3>Septiembre</h3>"), "{archive}");
    assert!(archive.contains("<nav class=\"year-index\" aria-label=\"Años\">"));
    let home2 = out.page("page/2/index.html");
    for words in [
        "<title>Artículos, página 2 — Test Archive</title>",
        "<h1>Artículos <span class=\"page-number\">página 2 de 2</span></h1>",
        "<nav class=\"paginator\" aria-label=\"Páginas\">",
        "<span aria-hidden=\"true\">←</span> Más recientes</a>",
        "<span class=\"paginator-status\">Página 2 de 2</span>",
    ] {
        assert!(home2.contains(words), "{words:?} not in\n{home2}");
    }
    let tag = out.page("tags/politics/index.html");
    assert!(tag.contains("<title>Etiqueta «politics» — Test Archive</title>"));
    assert!(tag.contains("<p class=\"lede\">1 artículo con la etiqueta «politics».</p>"));
    assert!(out
        .page("404.html")
        .contains("<h1>Página no encontrada</h1>"));
    // Nothing of the English theme is left on any page.
    for page in out.html_pages() {
        let html = out.page(&page);
        for english in [
            ">Articles<",
            "Skip to content",
            " mention",
            "Previous",
            "Back to reference",
            "Tagged",
            "People",
            "September",
        ] {
            assert!(!html.contains(english), "{english:?} in {page}:\n{html}");
        }
    }
}

#[test]
fn a_french_site_gets_french_words_and_plurals() {
    let out = site(Some("fr"), "").build(&[]);
    out.assert_ok();
    let a = out.page("articles/a/index.html");
    for words in [
        ">Aller au contenu</a>",
        ">Articles</a></li>",
        ">Étiquettes</a></li>",
        "<time datetime=\"2025-09-03\">3 septembre 2025</time>",
        "<span class=\"authors\">Par Eva</span>",
        "<section class=\"footnotes\"><h2 class=\"notes-heading\">Notes</h2>",
        "aria-label=\"Retour à la référence 1\"",
        "<h2>Dans cet article</h2>",
        "kind-person\">Personnes <span",
        "<span class=\"count\">2 mentions</span>",
    ] {
        assert!(a.contains(words), "{words:?} not in\n{a}");
    }
    // 1er for the first of the month; 0 and 1 take the singular.
    let b = out.page("articles/b/index.html");
    assert!(b.contains("<time datetime=\"2025-09-01\">1er septembre 2025</time>"));
    assert!(b.contains("<span class=\"count\">1 mention</span>"));
    let entities = out.page("entities/index.html");
    assert!(
        entities.contains("<span class=\"count\">0 mention</span>"),
        "{entities}"
    );
    let ana = out.page("entities/ana/index.html");
    assert!(
        ana.contains(
            "<h2>Mentionné dans 2 articles <span class=\"count\">(3 mentions)</span></h2>"
        ),
        "{ana}"
    );
    let tag = out.page("tags/politics/index.html");
    assert!(tag.contains("<title>Étiquette «\u{a0}politics\u{a0}» — Test Archive</title>"));
    assert!(out
        .page("archive/index.html")
        .contains("<h3>Septembre</h3>"));
}

#[test]
fn a_language_without_words_keeps_english_with_one_warning() {
    let out = site(Some("xx"), "").build(&[]);
    out.assert_ok();
    let warnings: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.contains(": warning: ") && l.contains("language"))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", out.stderr);
    assert!(
        warnings[0].starts_with("config.toml:3:12: warning: the built-in theme has no words in language \"xx\": they stay English")
            && warnings[0].contains("templates"),
        "{}",
        out.stderr
    );
    let a = out.page("articles/a/index.html");
    assert!(a.starts_with("<!DOCTYPE html>\n<html lang=\"xx\">"));
    for words in [
        ">Articles</a></li>",
        "3 September 2025",
        "<h2 class=\"notes-heading\">Notes</h2>",
        "kind-person\">People <span",
        "<span class=\"count\">2 mentions</span>",
    ] {
        assert!(a.contains(words), "{words:?} not in\n{a}");
    }
    // English itself, given or not, warns of nothing.
    for language in [Some("en-GB"), None] {
        let out = site(language, "").build(&[]);
        out.assert_ok();
        assert!(!out.stderr.contains("language"), "{}", out.stderr);
        assert!(out
            .page("articles/b/index.html")
            .contains("<span class=\"count\">1 mention</span>"));
    }
}
