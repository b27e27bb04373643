//! The built-in theme's words in the site's language.
//!
//! Takes `config.toml`'s `language` (a tag such as `es` or `es-MX`: its
//! primary subtag, in any case, picks the words; [`Lang::of`]) and gives a
//! [`Lang`], whose tables give: the theme's words, and its phrases with
//! numbers in the form the language's plural rule wants, which templates
//! get from the filter `t` (`{{ "tags" | t }}`, `{{ "mentions" | t(n=3) }}`;
//! [`register`]); dates and month names ([`Lang::date`], [`Lang::month`]);
//! the default kinds' labels ([`Lang::kind_label`]); and the words written
//! in Rust (a note's back link, [`Lang::back_to_reference`]). A language
//! without words of its own gets English ones.
//!
//! Words are text, never HTML: every one is escaped where it is written.

use std::collections::HashMap;

/// A language the built-in theme has words in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    Es,
    Fr,
    De,
    Pt,
    It,
}

/// One language's words.
struct Table {
    /// Plain words, by key: `{{ "KEY" | t }}` in templates.
    words: &'static [(&'static str, &'static str)],
    /// Phrases with numbers, by key: (key, one, other), the form for a count
    /// the language calls singular and the other; `{n}`, `{total}`, `{tag}`
    /// stand for the arguments of the same name given to `t`
    /// (`{{ "KEY" | t(n=N, total=M) }}`).
    phrases: &'static [(&'static str, &'static str, &'static str)],
    /// January to December, as a date writes them.
    months: [&'static str; 12],
    /// A date: `{day}`, `{month}`, `{year}`.
    date: &'static str,
    /// Day 1 as a date writes it (`1er` in French).
    first_day: &'static str,
    /// The default kinds: (key, label (plural), one of them).
    kinds: [(&'static str, &'static str, &'static str); 5],
}

impl Lang {
    pub const ALL: [Lang; 6] = [Lang::En, Lang::Es, Lang::Fr, Lang::De, Lang::Pt, Lang::It];

    /// The language of `tag` (`fr`, `es-MX`, `PT_br`), when the theme has
    /// words in it.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or("");
        Lang::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(primary))
    }

    /// The language of `tag`, English when the theme has no words in it.
    pub fn of(tag: &str) -> Lang {
        Lang::from_tag(tag).unwrap_or_default()
    }

    /// The primary subtag: `en`, `es`...
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
            Lang::Fr => "fr",
            Lang::De => "de",
            Lang::Pt => "pt",
            Lang::It => "it",
        }
    }

    fn table(self) -> &'static Table {
        match self {
            Lang::En => &EN,
            Lang::Es => &ES,
            Lang::Fr => &FR,
            Lang::De => &DE,
            Lang::Pt => &PT,
            Lang::It => &IT,
        }
    }

    /// The plain word `key`.
    pub fn word(self, key: &str) -> Option<&'static str> {
        self.table()
            .words
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, w)| *w)
    }

    /// Whether the language says `n` things with its singular: 1 alone, or
    /// in French 0 and 1 (`0 mention`).
    pub fn is_one(self, n: f64) -> bool {
        match self {
            Lang::Fr => n.abs() < 2.0,
            _ => n == 1.0,
        }
    }

    /// The form of phrase `key` for a count of `n`, with its placeholders.
    pub fn phrase(self, key: &str, n: f64) -> Option<&'static str> {
        let (_, one, other) = self.table().phrases.iter().find(|(k, ..)| *k == key)?;
        Some(if self.is_one(n) { one } else { other })
    }

    /// `September` for 9, as dates write it (lower-case in the languages
    /// that write it so). Clamped to 1..=12.
    pub fn month(self, month: u8) -> &'static str {
        self.table().months[(month as usize).saturating_sub(1).min(11)]
    }

    /// A date as pages show it: `3 September 2025`, `3 de septiembre de 2025`.
    pub fn date(self, year: u16, month: u8, day: u8) -> String {
        let t = self.table();
        let mut out = String::with_capacity(t.date.len() + 16);
        let filled = fill(t.date, &mut out, |name, out| {
            match name {
                "day" if day == 1 => out.push_str(t.first_day),
                "day" => push_number(out, day.into()),
                "month" => out.push_str(self.month(month)),
                "year" => push_number(out, year.into()),
                _ => return false,
            }
            true
        });
        debug_assert!(filled.is_ok(), "{:?}", t.date);
        out
    }

    /// The label (plural) of default kind `key` (`People`).
    pub fn kind_label(self, key: &str) -> Option<&'static str> {
        self.table()
            .kinds
            .iter()
            .find(|(k, ..)| *k == key)
            .map(|(_, label, _)| *label)
    }

    /// What one thing of default kind `key` is called (`Person`).
    pub fn kind_one(self, key: &str) -> Option<&'static str> {
        self.table()
            .kinds
            .iter()
            .find(|(k, ..)| *k == key)
            .map(|(.., one)| *one)
    }

    /// The label of a note's back link to reference `n`.
    pub fn back_to_reference(self, n: usize) -> String {
        let pattern = self.phrase("back_to_reference", n as f64).unwrap_or("{n}");
        let mut out = String::with_capacity(pattern.len() + 4);
        let filled = fill(pattern, &mut out, |name, out| {
            if name != "n" {
                return false;
            }
            push_number(out, n as u64);
            true
        });
        debug_assert!(filled.is_ok(), "{pattern:?}");
        out
    }
}

/// Writes `n` in decimal digits (without `format!`: counts are written
/// for every item of some lists).
fn push_number(out: &mut String, n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.extend(digits[at..].iter().map(|&d| d as char));
}

/// Writes `pattern` into `out` with each `{name}` replaced by what `arg`
/// writes for it; `arg` says false for a name it does not know, which is
/// then the error. A `{` without a `}` is text.
fn fill<'p>(
    pattern: &'p str,
    out: &mut String,
    mut arg: impl FnMut(&str, &mut String) -> bool,
) -> Result<(), &'p str> {
    // `{` and `}` are ASCII: never inside a character of several bytes.
    let bytes = pattern.as_bytes();
    let (mut copied, mut i) = (0, 0);
    while i < bytes.len() {
        let close = match bytes[i] {
            b'{' => bytes[i..].iter().position(|&b| b == b'}'),
            _ => None,
        };
        let Some(close) = close else {
            i += 1;
            continue;
        };
        out.push_str(&pattern[copied..i]);
        let name = &pattern[i + 1..i + close];
        if !arg(name, out) {
            return Err(name);
        }
        i += close + 1;
        copied = i;
    }
    out.push_str(&pattern[copied..]);
    Ok(())
}

/// Registers the template filter `t` for `lang` with `tera`: `{{ "KEY" | t }}`
/// is word KEY; `{{ "KEY" | t(n=N, ...) }}` is phrase KEY in the form for a
/// count of N, each `{name}` in it replaced by argument `name`.
///
/// A filter of the key rather than a function (`t(key=KEY, n=N)`): it runs
/// for every item of some lists (an entity's mention count), and Tera gives
/// a filter the key without copying it and a map of one argument fewer.
pub fn register(tera: &mut tera::Tera, lang: Lang) {
    tera.register_filter("t", T(lang));
}

/// The template filter `t` ([`register`]). It finds its arguments and its
/// words by comparing names, without hashing them.
struct T(Lang);

impl tera::Filter for T {
    fn filter(
        &self,
        key: &tera::Value,
        args: &HashMap<String, tera::Value>,
    ) -> tera::Result<tera::Value> {
        use tera::Value;
        let Value::String(key) = key else {
            return Err(tera::Error::msg(format!(
                "t is a filter of a word's key, a string (`{{{{ \"tags\" | t }}}}`), not {key}"
            )));
        };
        let Some(&(_, one, other)) = self.0.table().phrases.iter().find(|(k, ..)| k == key) else {
            return match self.0.word(key) {
                Some(w) => Ok(Value::from(w)),
                None => Err(tera::Error::msg(format!(
                    "no word or phrase {key:?} (the keys are in docs/templates.md)"
                ))),
            };
        };
        let arg = |name: &str| args.iter().find(|(k, _)| *k == name).map(|(_, v)| v);
        let n = match arg("n") {
            Some(Value::Number(n)) => n.as_f64().unwrap_or(0.0),
            _ => {
                return Err(tera::Error::msg(format!(
                    "{key:?} | t needs n=, a number (the count the phrase is said of)"
                )))
            }
        };
        let pattern = if self.0.is_one(n) { one } else { other };
        let mut out = String::with_capacity(pattern.len() + 16);
        fill(pattern, &mut out, |name, out| match arg(name) {
            Some(Value::String(s)) => {
                out.push_str(s);
                true
            }
            Some(Value::Number(n)) => {
                match n.as_u64() {
                    Some(n) => push_number(out, n),
                    None => out.push_str(&n.to_string()),
                }
                true
            }
            _ => false,
        })
        .map_err(|name| {
            tera::Error::msg(format!(
                "{key:?} | t needs {name}=, a string or number, for {{{name}}}"
            ))
        })?;
        Ok(Value::String(out))
    }
}

// The tables. Every language has every key, in the same order (a test
// checks). Apostrophes are typographic (’): a straight one is escaped.

static EN: Table = Table {
    words: &[
        ("skip_to_content", "Skip to content"),
        ("site_nav", "Site"),
        ("articles", "Articles"),
        ("entities", "Entities"),
        ("tags", "Tags"),
        ("archive", "Archive"),
        ("atom_feed", "Atom feed"),
        ("latest_articles", "Latest articles"),
        ("no_articles", "No articles yet."),
        ("pages_nav", "Pages"),
        ("newer", "Newer"),
        ("older", "Older"),
        ("by", "By"),
        ("source", "Source:"),
        ("notes", "Notes"),
        ("in_this_article", "In this article"),
        ("prev_next_nav", "Previous and next article"),
        ("previous", "Previous"),
        ("next", "Next"),
        ("related_articles", "Related articles"),
        ("years_nav", "Years"),
        (
            "entities_lede",
            "Everyone and everything the articles name, grouped by kind, with how often each is mentioned.",
        ),
        ("kinds_nav", "Kinds"),
        ("no_entities", "No entities yet."),
        ("also_known_as", "Also known as"),
        ("elsewhere", "Elsewhere"),
        ("mentions_heading", "Mentions"),
        ("not_mentioned", "Not mentioned in any article yet."),
        ("often_mentioned_with", "Often mentioned with"),
        ("no_tags", "No tags yet."),
        ("not_found", "Page not found"),
        (
            "not_found_lede",
            "There is nothing at this address. It may have moved, or the link may be mistyped.",
        ),
        ("every_article_by_date", "Every article, by date"),
        ("entities_overview", "People, organisations, places and more"),
    ],
    phrases: &[
        ("mentions", "{n} mention", "{n} mentions"),
        ("mentioned_in", "Mentioned in {n} article", "Mentioned in {n} articles"),
        ("shared_entities", "{n} shared entity", "{n} shared entities"),
        (
            "tagged_count",
            "{n} article tagged “{tag}”.",
            "{n} articles tagged “{tag}”.",
        ),
        ("tagged_title", "Tagged “{tag}”", "Tagged “{tag}”"),
        ("page_n", "page {n}", "page {n}"),
        ("page_of", "page {n} of {total}", "page {n} of {total}"),
        ("page_status", "Page {n} of {total}", "Page {n} of {total}"),
        (
            "back_to_reference",
            "Back to reference {n}",
            "Back to reference {n}",
        ),
    ],
    months: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    date: "{day} {month} {year}",
    first_day: "1",
    kinds: [
        ("person", "People", "Person"),
        ("organization", "Organisations", "Organisation"),
        ("place", "Places", "Place"),
        ("event", "Events", "Event"),
        ("work", "Works", "Work"),
    ],
};

static ES: Table = Table {
    words: &[
        ("skip_to_content", "Saltar al contenido"),
        ("site_nav", "Sitio"),
        ("articles", "Artículos"),
        ("entities", "Entidades"),
        ("tags", "Etiquetas"),
        ("archive", "Archivo"),
        ("atom_feed", "Canal Atom"),
        ("latest_articles", "Últimos artículos"),
        ("no_articles", "Todavía no hay artículos."),
        ("pages_nav", "Páginas"),
        ("newer", "Más recientes"),
        ("older", "Más antiguos"),
        ("by", "Por"),
        ("source", "Fuente:"),
        ("notes", "Notas"),
        ("in_this_article", "En este artículo"),
        ("prev_next_nav", "Artículo anterior y siguiente"),
        ("previous", "Anterior"),
        ("next", "Siguiente"),
        ("related_articles", "Artículos relacionados"),
        ("years_nav", "Años"),
        (
            "entities_lede",
            "Todas las personas y cosas que nombran los artículos, agrupadas por tipo, con cuántas veces se menciona cada una.",
        ),
        ("kinds_nav", "Tipos"),
        ("no_entities", "Todavía no hay entidades."),
        ("also_known_as", "Otros nombres"),
        ("elsewhere", "En otros sitios"),
        ("mentions_heading", "Menciones"),
        ("not_mentioned", "Todavía no se menciona en ningún artículo."),
        ("often_mentioned_with", "Suele mencionarse con"),
        ("no_tags", "Todavía no hay etiquetas."),
        ("not_found", "Página no encontrada"),
        (
            "not_found_lede",
            "No hay nada en esta dirección. Puede que se haya movido o que el enlace esté mal escrito.",
        ),
        ("every_article_by_date", "Todos los artículos, por fecha"),
        ("entities_overview", "Personas, organizaciones, lugares y más"),
    ],
    phrases: &[
        ("mentions", "{n} mención", "{n} menciones"),
        ("mentioned_in", "Mencionado en {n} artículo", "Mencionado en {n} artículos"),
        ("shared_entities", "{n} entidad en común", "{n} entidades en común"),
        (
            "tagged_count",
            "{n} artículo con la etiqueta «{tag}».",
            "{n} artículos con la etiqueta «{tag}».",
        ),
        ("tagged_title", "Etiqueta «{tag}»", "Etiqueta «{tag}»"),
        ("page_n", "página {n}", "página {n}"),
        ("page_of", "página {n} de {total}", "página {n} de {total}"),
        ("page_status", "Página {n} de {total}", "Página {n} de {total}"),
        (
            "back_to_reference",
            "Volver a la referencia {n}",
            "Volver a la referencia {n}",
        ),
    ],
    months: [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    date: "{day} de {month} de {year}",
    first_day: "1",
    kinds: [
        ("person", "Personas", "Persona"),
        ("organization", "Organizaciones", "Organización"),
        ("place", "Lugares", "Lugar"),
        ("event", "Eventos", "Evento"),
        ("work", "Obras", "Obra"),
    ],
};

// French puts a no-break space (U+00A0) before `:` and inside « ».
static FR: Table = Table {
    words: &[
        ("skip_to_content", "Aller au contenu"),
        ("site_nav", "Site"),
        ("articles", "Articles"),
        ("entities", "Entités"),
        ("tags", "Étiquettes"),
        ("archive", "Archives"),
        ("atom_feed", "Flux Atom"),
        ("latest_articles", "Derniers articles"),
        ("no_articles", "Aucun article pour l’instant."),
        ("pages_nav", "Pages"),
        ("newer", "Plus récents"),
        ("older", "Plus anciens"),
        ("by", "Par"),
        ("source", "Source\u{a0}:"),
        ("notes", "Notes"),
        ("in_this_article", "Dans cet article"),
        ("prev_next_nav", "Article précédent et suivant"),
        ("previous", "Précédent"),
        ("next", "Suivant"),
        ("related_articles", "Articles liés"),
        ("years_nav", "Années"),
        (
            "entities_lede",
            "Tous ceux et tout ce que nomment les articles, regroupés par type, avec le nombre de mentions de chacun.",
        ),
        ("kinds_nav", "Types"),
        ("no_entities", "Aucune entité pour l’instant."),
        ("also_known_as", "Autres noms"),
        ("elsewhere", "Ailleurs"),
        ("mentions_heading", "Mentions"),
        ("not_mentioned", "Mentionné dans aucun article pour l’instant."),
        ("often_mentioned_with", "Souvent mentionné avec"),
        ("no_tags", "Aucune étiquette pour l’instant."),
        ("not_found", "Page introuvable"),
        (
            "not_found_lede",
            "Il n’y a rien à cette adresse. La page a peut-être été déplacée, ou le lien est mal saisi.",
        ),
        ("every_article_by_date", "Tous les articles, par date"),
        ("entities_overview", "Personnes, organisations, lieux et plus encore"),
    ],
    phrases: &[
        ("mentions", "{n} mention", "{n} mentions"),
        ("mentioned_in", "Mentionné dans {n} article", "Mentionné dans {n} articles"),
        ("shared_entities", "{n} entité en commun", "{n} entités en commun"),
        (
            "tagged_count",
            "{n} article avec l’étiquette «\u{a0}{tag}\u{a0}».",
            "{n} articles avec l’étiquette «\u{a0}{tag}\u{a0}».",
        ),
        (
            "tagged_title",
            "Étiquette «\u{a0}{tag}\u{a0}»",
            "Étiquette «\u{a0}{tag}\u{a0}»",
        ),
        ("page_n", "page {n}", "page {n}"),
        ("page_of", "page {n} sur {total}", "page {n} sur {total}"),
        ("page_status", "Page {n} sur {total}", "Page {n} sur {total}"),
        (
            "back_to_reference",
            "Retour à la référence {n}",
            "Retour à la référence {n}",
        ),
    ],
    months: [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    date: "{day} {month} {year}",
    first_day: "1er",
    kinds: [
        ("person", "Personnes", "Personne"),
        ("organization", "Organisations", "Organisation"),
        ("place", "Lieux", "Lieu"),
        ("event", "Événements", "Événement"),
        ("work", "Œuvres", "Œuvre"),
    ],
};

static DE: Table = Table {
    words: &[
        ("skip_to_content", "Zum Inhalt springen"),
        ("site_nav", "Website"),
        ("articles", "Artikel"),
        ("entities", "Entitäten"),
        ("tags", "Schlagwörter"),
        ("archive", "Archiv"),
        ("atom_feed", "Atom-Feed"),
        ("latest_articles", "Neueste Artikel"),
        ("no_articles", "Noch keine Artikel."),
        ("pages_nav", "Seiten"),
        ("newer", "Neuer"),
        ("older", "Älter"),
        ("by", "Von"),
        ("source", "Quelle:"),
        ("notes", "Anmerkungen"),
        ("in_this_article", "In diesem Artikel"),
        ("prev_next_nav", "Vorheriger und nächster Artikel"),
        ("previous", "Vorheriger"),
        ("next", "Nächster"),
        ("related_articles", "Verwandte Artikel"),
        ("years_nav", "Jahre"),
        (
            "entities_lede",
            "Alle und alles, was die Artikel nennen, nach Art gruppiert, mit der Zahl ihrer Erwähnungen.",
        ),
        ("kinds_nav", "Arten"),
        ("no_entities", "Noch keine Entitäten."),
        ("also_known_as", "Auch bekannt als"),
        ("elsewhere", "Anderswo"),
        ("mentions_heading", "Erwähnungen"),
        ("not_mentioned", "Noch in keinem Artikel erwähnt."),
        ("often_mentioned_with", "Oft erwähnt mit"),
        ("no_tags", "Noch keine Schlagwörter."),
        ("not_found", "Seite nicht gefunden"),
        (
            "not_found_lede",
            "Unter dieser Adresse gibt es nichts. Vielleicht wurde die Seite verschoben, oder der Link ist falsch geschrieben.",
        ),
        ("every_article_by_date", "Alle Artikel nach Datum"),
        ("entities_overview", "Personen, Organisationen, Orte und mehr"),
    ],
    phrases: &[
        ("mentions", "{n} Erwähnung", "{n} Erwähnungen"),
        ("mentioned_in", "In {n} Artikel erwähnt", "In {n} Artikeln erwähnt"),
        ("shared_entities", "{n} gemeinsame Entität", "{n} gemeinsame Entitäten"),
        (
            "tagged_count",
            "{n} Artikel mit dem Schlagwort „{tag}“.",
            "{n} Artikel mit dem Schlagwort „{tag}“.",
        ),
        ("tagged_title", "Schlagwort „{tag}“", "Schlagwort „{tag}“"),
        ("page_n", "Seite {n}", "Seite {n}"),
        ("page_of", "Seite {n} von {total}", "Seite {n} von {total}"),
        ("page_status", "Seite {n} von {total}", "Seite {n} von {total}"),
        (
            "back_to_reference",
            "Zurück zum Verweis {n}",
            "Zurück zum Verweis {n}",
        ),
    ],
    months: [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
    date: "{day}. {month} {year}",
    first_day: "1",
    kinds: [
        ("person", "Personen", "Person"),
        ("organization", "Organisationen", "Organisation"),
        ("place", "Orte", "Ort"),
        ("event", "Ereignisse", "Ereignis"),
        ("work", "Werke", "Werk"),
    ],
};

static PT: Table = Table {
    words: &[
        ("skip_to_content", "Saltar para o conteúdo"),
        ("site_nav", "Site"),
        ("articles", "Artigos"),
        ("entities", "Entidades"),
        ("tags", "Etiquetas"),
        ("archive", "Arquivo"),
        ("atom_feed", "Feed Atom"),
        ("latest_articles", "Artigos mais recentes"),
        ("no_articles", "Ainda não há artigos."),
        ("pages_nav", "Páginas"),
        ("newer", "Mais recentes"),
        ("older", "Mais antigos"),
        ("by", "Por"),
        ("source", "Fonte:"),
        ("notes", "Notas"),
        ("in_this_article", "Neste artigo"),
        ("prev_next_nav", "Artigo anterior e seguinte"),
        ("previous", "Anterior"),
        ("next", "Seguinte"),
        ("related_articles", "Artigos relacionados"),
        ("years_nav", "Anos"),
        (
            "entities_lede",
            "Todas as pessoas e coisas que os artigos nomeiam, agrupadas por tipo, com quantas vezes cada uma é mencionada.",
        ),
        ("kinds_nav", "Tipos"),
        ("no_entities", "Ainda não há entidades."),
        ("also_known_as", "Outros nomes"),
        ("elsewhere", "Noutros sítios"),
        ("mentions_heading", "Menções"),
        ("not_mentioned", "Ainda não é mencionado em nenhum artigo."),
        ("often_mentioned_with", "Frequentemente mencionado com"),
        ("no_tags", "Ainda não há etiquetas."),
        ("not_found", "Página não encontrada"),
        (
            "not_found_lede",
            "Não há nada neste endereço. Pode ter sido movido, ou o link pode estar mal escrito.",
        ),
        ("every_article_by_date", "Todos os artigos, por data"),
        ("entities_overview", "Pessoas, organizações, lugares e mais"),
    ],
    phrases: &[
        ("mentions", "{n} menção", "{n} menções"),
        ("mentioned_in", "Mencionado em {n} artigo", "Mencionado em {n} artigos"),
        ("shared_entities", "{n} entidade em comum", "{n} entidades em comum"),
        (
            "tagged_count",
            "{n} artigo com a etiqueta “{tag}”.",
            "{n} artigos com a etiqueta “{tag}”.",
        ),
        ("tagged_title", "Etiqueta “{tag}”", "Etiqueta “{tag}”"),
        ("page_n", "página {n}", "página {n}"),
        ("page_of", "página {n} de {total}", "página {n} de {total}"),
        ("page_status", "Página {n} de {total}", "Página {n} de {total}"),
        (
            "back_to_reference",
            "Voltar à referência {n}",
            "Voltar à referência {n}",
        ),
    ],
    months: [
        "janeiro",
        "fevereiro",
        "março",
        "abril",
        "maio",
        "junho",
        "julho",
        "agosto",
        "setembro",
        "outubro",
        "novembro",
        "dezembro",
    ],
    date: "{day} de {month} de {year}",
    first_day: "1",
    kinds: [
        ("person", "Pessoas", "Pessoa"),
        ("organization", "Organizações", "Organização"),
        ("place", "Lugares", "Lugar"),
        ("event", "Eventos", "Evento"),
        ("work", "Obras", "Obra"),
    ],
};

static IT: Table = Table {
    words: &[
        ("skip_to_content", "Vai al contenuto"),
        ("site_nav", "Sito"),
        ("articles", "Articoli"),
        ("entities", "Entità"),
        ("tags", "Tag"),
        ("archive", "Archivio"),
        ("atom_feed", "Feed Atom"),
        ("latest_articles", "Ultimi articoli"),
        ("no_articles", "Ancora nessun articolo."),
        ("pages_nav", "Pagine"),
        ("newer", "Più recenti"),
        ("older", "Meno recenti"),
        ("by", "Di"),
        ("source", "Fonte:"),
        ("notes", "Note"),
        ("in_this_article", "In questo articolo"),
        ("prev_next_nav", "Articolo precedente e successivo"),
        ("previous", "Precedente"),
        ("next", "Successivo"),
        ("related_articles", "Articoli correlati"),
        ("years_nav", "Anni"),
        (
            "entities_lede",
            "Tutte le persone e le cose nominate negli articoli, raggruppate per tipo, con quante volte ciascuna è menzionata.",
        ),
        ("kinds_nav", "Tipi"),
        ("no_entities", "Ancora nessuna entità."),
        ("also_known_as", "Altri nomi"),
        ("elsewhere", "Altrove"),
        ("mentions_heading", "Menzioni"),
        ("not_mentioned", "Non ancora menzionato in alcun articolo."),
        ("often_mentioned_with", "Spesso menzionato con"),
        ("no_tags", "Ancora nessun tag."),
        ("not_found", "Pagina non trovata"),
        (
            "not_found_lede",
            "Non c’è nulla a questo indirizzo. Potrebbe essere stato spostato, o il link potrebbe essere sbagliato.",
        ),
        ("every_article_by_date", "Tutti gli articoli, per data"),
        ("entities_overview", "Persone, organizzazioni, luoghi e altro"),
    ],
    phrases: &[
        ("mentions", "{n} menzione", "{n} menzioni"),
        ("mentioned_in", "Menzionato in {n} articolo", "Menzionato in {n} articoli"),
        ("shared_entities", "{n} entità in comune", "{n} entità in comune"),
        (
            "tagged_count",
            "{n} articolo con il tag «{tag}».",
            "{n} articoli con il tag «{tag}».",
        ),
        ("tagged_title", "Tag «{tag}»", "Tag «{tag}»"),
        ("page_n", "pagina {n}", "pagina {n}"),
        ("page_of", "pagina {n} di {total}", "pagina {n} di {total}"),
        ("page_status", "Pagina {n} di {total}", "Pagina {n} di {total}"),
        (
            "back_to_reference",
            "Torna al riferimento {n}",
            "Torna al riferimento {n}",
        ),
    ],
    months: [
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ],
    date: "{day} {month} {year}",
    first_day: "1",
    kinds: [
        ("person", "Persone", "Persona"),
        ("organization", "Organizzazioni", "Organizzazione"),
        ("place", "Luoghi", "Luogo"),
        ("event", "Eventi", "Evento"),
        ("work", "Opere", "Opera"),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholders(s: &str) -> Vec<&str> {
        let mut names: Vec<&str> = s
            .split('{')
            .skip(1)
            .filter_map(|p| p.split_once('}').map(|(n, _)| n))
            .collect();
        names.sort_unstable();
        names
    }

    #[test]
    fn every_language_has_every_key_in_the_same_order() {
        let en = Lang::En.table();
        for lang in Lang::ALL {
            let t = lang.table();
            let words = |t: &'static Table| t.words.iter().map(|(k, _)| *k).collect::<Vec<_>>();
            assert_eq!(words(t), words(en), "{lang:?} words");
            let phrases =
                |t: &'static Table| t.phrases.iter().map(|(k, ..)| *k).collect::<Vec<_>>();
            assert_eq!(phrases(t), phrases(en), "{lang:?} phrases");
            let kinds = |t: &'static Table| t.kinds.iter().map(|(k, ..)| *k).collect::<Vec<_>>();
            assert_eq!(kinds(t), kinds(en), "{lang:?} kinds");
            // Each phrase's forms take the arguments English's do, and
            // nothing is left empty.
            for (&(key, one, other), &(_, en_one, _)) in t.phrases.iter().zip(en.phrases) {
                assert_eq!(placeholders(one), placeholders(en_one), "{lang:?} {key}");
                assert_eq!(placeholders(other), placeholders(en_one), "{lang:?} {key}");
            }
            for (key, w) in t.words {
                assert!(!w.trim().is_empty(), "{lang:?} {key}");
                assert!(placeholders(w).is_empty(), "{lang:?} {key}: {w}");
                // Text, not HTML, and nothing the escaper would change.
                assert!(!w.contains(['<', '>', '&', '"', '\'']), "{lang:?} {key}");
            }
            assert_eq!(placeholders(t.date), ["day", "month", "year"], "{lang:?}");
            // Words and phrases share one space of keys (`t`).
            for (key, ..) in t.phrases {
                assert!(lang.word(key).is_none(), "{lang:?} {key}");
            }
        }
    }

    #[test]
    fn every_key_is_used_by_the_built_in_templates() {
        let all: String = crate::render::theme::TEMPLATES
            .iter()
            .map(|(_, s)| *s)
            .collect();
        let used = |key: &str| {
            all.contains(&format!("\"{key}\" | t")) || all.contains(&format!("'{key}' | t"))
        };
        let keys = EN.words.iter().map(|(k, _)| *k);
        // The note back link is written in Rust.
        let phrases = EN.phrases.iter().map(|(k, ..)| *k);
        for key in keys.chain(phrases.filter(|k| *k != "back_to_reference")) {
            assert!(used(key), "{key} unused");
        }
    }

    #[test]
    fn the_primary_subtag_in_any_case_picks_the_language() {
        assert_eq!(Lang::from_tag("es-MX"), Some(Lang::Es));
        assert_eq!(Lang::from_tag("FR"), Some(Lang::Fr));
        assert_eq!(Lang::from_tag("pt_BR"), Some(Lang::Pt));
        assert_eq!(Lang::from_tag("de-CH-1996"), Some(Lang::De));
        assert_eq!(Lang::from_tag("It"), Some(Lang::It));
        assert_eq!(Lang::from_tag("en-GB"), Some(Lang::En));
        for none in ["xx", "", "e", "eng", "esp", "ja-JP"] {
            assert_eq!(Lang::from_tag(none), None, "{none}");
            assert_eq!(Lang::of(none), Lang::En, "{none}");
        }
    }

    #[test]
    fn plural_rules() {
        for lang in [Lang::En, Lang::Es, Lang::De, Lang::Pt, Lang::It] {
            assert!(lang.is_one(1.0), "{lang:?}");
            assert!(!lang.is_one(0.0) && !lang.is_one(2.0), "{lang:?}");
        }
        assert!(Lang::Fr.is_one(0.0) && Lang::Fr.is_one(1.0));
        assert!(!Lang::Fr.is_one(2.0) && !Lang::Fr.is_one(17.0));
        assert_eq!(Lang::En.phrase("mentions", 0.0), Some("{n} mentions"));
        assert_eq!(Lang::Fr.phrase("mentions", 0.0), Some("{n} mention"));
        assert_eq!(Lang::Es.phrase("mentions", 1.0), Some("{n} mención"));
        assert_eq!(
            Lang::De.phrase("mentioned_in", 2.0),
            Some("In {n} Artikeln erwähnt")
        );
        assert_eq!(Lang::En.phrase("nosuch", 1.0), None);
    }

    /// `{{ EXPR }}` rendered for `lang` in an HTML template, as the theme
    /// renders it.
    fn t(lang: Lang, expr: &str) -> Result<String, String> {
        let mut tera = tera::Tera::default();
        tera.set_escape_fn(crate::escape::html);
        register(&mut tera, lang);
        tera.add_raw_template("t.html", &format!("{{{{ {expr} }}}}"))
            .map_err(|e| e.to_string())?;
        tera.render("t.html", &tera::Context::new())
            .map_err(|e| crate::render::theme::error_chain(&e))
    }

    #[test]
    fn the_template_filter_fills_in_the_form_for_the_count() {
        let en = |c: &str| t(Lang::En, c).unwrap();
        assert_eq!(en("\"mentions\" | t(n=1)"), "1 mention");
        assert_eq!(en("\"mentions\" | t(n=0)"), "0 mentions");
        assert_eq!(en("\"page_of\" | t(n=2, total=5)"), "page 2 of 5");
        assert_eq!(en("\"tags\" | t"), "Tags");
        assert_eq!(t(Lang::De, "'tags' | t").unwrap(), "Schlagwörter");
        assert_eq!(t(Lang::Fr, "\"mentions\" | t(n=0)").unwrap(), "0 mention");
        assert_eq!(t(Lang::Fr, "\"mentions\" | t(n=2)").unwrap(), "2 mentions");
        assert_eq!(
            t(Lang::Es, "\"tagged_count\" | t(n=3, tag=\"A & B\")").unwrap(),
            "3 artículos con la etiqueta «A &amp; B».",
            "escaped as any text"
        );
        let e = t(Lang::En, "\"mentons\" | t(n=1)").unwrap_err();
        assert!(e.contains("no word or phrase \"mentons\""), "{e}");
        let e = t(Lang::En, "\"mentions\" | t").unwrap_err();
        assert!(e.contains("needs n="), "{e}");
        let e = t(Lang::En, "\"page_of\" | t(n=1)").unwrap_err();
        assert!(e.contains("needs total="), "{e}");
        let e = t(Lang::En, "3 | t").unwrap_err();
        assert!(e.contains("filter of a word's key"), "{e}");
    }

    #[test]
    fn placeholders_are_filled_in_and_a_lone_brace_is_text() {
        let fill = |p: &'static str| {
            let mut out = String::new();
            fill(p, &mut out, |name, out| {
                out.push_str(&name.to_uppercase());
                name != "bad"
            })
            .map(|()| out)
        };
        assert_eq!(fill("{n} of {total}."), Ok("N of TOTAL.".into()));
        assert_eq!(fill("«\u{a0}{tag}\u{a0}»"), Ok("«\u{a0}TAG\u{a0}»".into()));
        assert_eq!(fill("a { b"), Ok("a { b".into()));
        assert_eq!(fill("{bad}"), Err("bad"));
        let mut out = String::new();
        for n in [0, 7, 10, 1234567890, u64::MAX] {
            out.clear();
            push_number(&mut out, n);
            assert_eq!(out, n.to_string());
        }
    }

    #[test]
    fn dates() {
        let d = |l: Lang, day| l.date(2025, 9, day);
        assert_eq!(d(Lang::En, 3), "3 September 2025");
        assert_eq!(d(Lang::Es, 3), "3 de septiembre de 2025");
        assert_eq!(d(Lang::Fr, 3), "3 septembre 2025");
        assert_eq!(d(Lang::Fr, 1), "1er septembre 2025");
        assert_eq!(d(Lang::De, 3), "3. September 2025");
        assert_eq!(d(Lang::Pt, 3), "3 de setembro de 2025");
        assert_eq!(d(Lang::It, 3), "3 settembre 2025");
        assert_eq!(d(Lang::En, 1), "1 September 2025");
        assert_eq!(Lang::Fr.month(8), "août");
        assert_eq!(Lang::En.month(0), "January", "clamped");
        assert_eq!(Lang::En.month(13), "December", "clamped");
    }

    #[test]
    fn rust_written_words() {
        assert_eq!(Lang::En.back_to_reference(3), "Back to reference 3");
        assert_eq!(Lang::Es.back_to_reference(1), "Volver a la referencia 1");
        assert_eq!(Lang::En.kind_label("organization"), Some("Organisations"));
        assert_eq!(Lang::Fr.kind_label("work"), Some("Œuvres"));
        assert_eq!(Lang::De.kind_one("place"), Some("Ort"));
        assert_eq!(Lang::It.kind_label("ship"), None);
    }
}
