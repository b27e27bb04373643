//! `atom.xml` (the latest articles) and `sitemap.xml` (every page).

use super::pages::{page_count, page_range, Ctx, ENTITY_PAGE_SIZE, HOME_PAGE_SIZE, TAG_PAGE_SIZE};
use super::OutputFile;
use crate::content::model::ArticleDate;
use crate::content::Date;
use crate::escape::html as xml;
use std::collections::HashMap;

/// Entries in the feed.
pub const FEED_SIZE: usize = 20;

pub fn atom(cx: &Ctx) -> Vec<OutputFile> {
    let urls = &cx.site.urls;
    let cfg = &cx.a.config;
    let arts = &cx.a.content.articles;
    // The newest entry's instant (the first's: articles are ordered by
    // instant, as readers order the entries; see [`ArticleDate`]).
    let updated = arts
        .iter()
        .take(FEED_SIZE)
        .map(|a| a.meta.date)
        .max()
        .map(|d| d.rfc3339())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let home = urls.absolute(&urls.home(1));
    let mut x = String::with_capacity(64 * 1024);
    x.push_str(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"",
    );
    x.push_str(&format!(" xml:lang=\"{}\">\n", xml(&cfg.language)));
    x.push_str(&format!("<title>{}</title>\n", xml(&cfg.title)));
    if !cfg.description.is_empty() {
        x.push_str(&format!("<subtitle>{}</subtitle>\n", xml(&cfg.description)));
    }
    x.push_str(&format!(
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        xml(&urls.absolute(&urls.file("atom.xml")))
    ));
    x.push_str(&format!(
        "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        xml(&home)
    ));
    x.push_str(&format!(
        "<id>{}</id>\n<updated>{updated}</updated>\n",
        xml(&home)
    ));
    x.push_str("<generator>dossier</generator>\n");
    for (i, a) in arts.iter().enumerate().take(FEED_SIZE) {
        let url = urls.absolute(&urls.article(&a.slug));
        x.push_str("<entry>\n");
        x.push_str(&format!("<title>{}</title>\n", xml(&a.meta.title)));
        x.push_str(&format!(
            "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            xml(&url)
        ));
        x.push_str(&format!("<id>{}</id>\n", xml(&url)));
        x.push_str(&format!(
            "<published>{0}</published>\n<updated>{0}</updated>\n",
            a.meta.date.rfc3339()
        ));
        let authors: Vec<&String> = a.meta.authors.iter().map(|s| s.get_ref()).collect();
        if authors.is_empty() {
            x.push_str(&format!(
                "<author><name>{}</name></author>\n",
                xml(&cfg.title)
            ));
        }
        for au in authors {
            x.push_str(&format!("<author><name>{}</name></author>\n", xml(au)));
        }
        for &t in &cx.site.article_tags[i] {
            x.push_str(&format!(
                "<category term=\"{}\"/>\n",
                xml(&cx.site.tags[t].name)
            ));
        }
        if !cx.site.summaries[i].is_empty() {
            x.push_str(&format!(
                "<summary type=\"text\">{}</summary>\n",
                xml(&cx.site.summaries[i])
            ));
        }
        let html = cx.a.articles[i].r.html.unpack();
        // The entry is read away from its page: every link and image in it,
        // footnote links (`#fn-1`) included, made absolute against the page.
        let body = absolutize(&html.body, &url);
        let notes = absolutize(&html.notes, &url);
        x.push_str(&format!(
            "<content type=\"html\">{}</content>\n",
            xml(&format!("{body}{notes}"))
        ));
        x.push_str("</entry>\n");
    }
    x.push_str("</feed>\n");
    vec![OutputFile::new("atom.xml", x.into_bytes())]
}

/// Every `href` and `src` of the tags of `html` made absolute, resolved
/// against `page` (the absolute URL of the page the HTML is part of), for
/// content read outside the site: fragment-only, query-only, relative and
/// root-relative URLs alike. URLs with a scheme are left as they are; text
/// outside tags is never touched.
fn absolutize(html: &str, page: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut rest = html;
    // Text escapes `<`, so a `<` starts a tag (or a stray `<` to copy).
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        let n = absolutize_tag(rest, page, &mut out);
        rest = &rest[n..];
    }
    out.push_str(rest);
    out
}

/// Copies the tag at the start of `s` (which starts with `<`) to `out` with
/// its `href` and `src` values made absolute; returns the bytes read.
fn absolutize_tag(s: &str, page: &str, out: &mut String) -> usize {
    let b = s.as_bytes();
    let mut i = 1;
    // The tag name.
    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
        i += 1;
    }
    out.push_str(&s[..i]);
    loop {
        let ws = i;
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        out.push_str(&s[ws..i]);
        if i >= b.len() || b[i] == b'>' {
            break;
        }
        let name_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>') {
            i += 1;
        }
        let name = &s[name_start..i];
        out.push_str(name);
        if i >= b.len() || b[i] != b'=' {
            continue;
        }
        out.push('=');
        i += 1;
        let quote = match b.get(i) {
            Some(&q @ (b'"' | b'\'')) => q,
            _ => {
                // Unquoted: the value runs to white space or `>`; kept.
                let v = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                out.push_str(&s[v..i]);
                continue;
            }
        };
        let v = i + 1;
        let Some(len) = s[v..].find(quote as char) else {
            // No closing quote: not a tag after all; copy the rest.
            out.push_str(&s[i..]);
            return s.len();
        };
        let value = &s[v..v + len];
        out.push(quote as char);
        if name.eq_ignore_ascii_case("href") || name.eq_ignore_ascii_case("src") {
            let abs = resolve(page, &decode_entities(value));
            out.push_str(&xml(&abs));
        } else {
            out.push_str(value);
        }
        out.push(quote as char);
        i = v + len + 1;
    }
    if i < b.len() {
        out.push('>');
        i += 1;
    }
    i
}

/// `s` with the character references of HTML attributes decoded (those the
/// renderer writes: `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&#N;`,
/// `&#xH;`); anything else is kept as written.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest.find(';').filter(|&e| e <= 10).and_then(|e| {
            let c = match &rest[1..e] {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                r => {
                    let r = r.strip_prefix('#')?;
                    let n = match r.strip_prefix(['x', 'X']) {
                        Some(h) => u32::from_str_radix(h, 16).ok()?,
                        None => r.parse().ok()?,
                    };
                    char::from_u32(n)?
                }
            };
            Some((c, e + 1))
        });
        match decoded {
            Some((c, n)) => {
                out.push(c);
                rest = &rest[n..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `reference` resolved against the absolute URL `base` (RFC 3986, 5.2).
fn resolve(base: &str, reference: &str) -> String {
    let r = reference.trim_matches(|c: char| c <= ' ');
    if crate::render::url::scheme(r).is_some() {
        return reference.to_string();
    }
    // base = scheme "://" authority path [? query] [# fragment]
    let base = base.split('#').next().unwrap_or(base);
    let (scheme, after) = base.split_once("://").unwrap_or(("https", base));
    let auth_end = after.find(['/', '?']).unwrap_or(after.len());
    let authority = &after[..auth_end];
    let (base_path, base_query) = match after[auth_end..].split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (&after[auth_end..], None),
    };
    if let Some(net) = r.strip_prefix("//") {
        return format!("{scheme}://{net}");
    }
    let prefix = format!("{scheme}://{authority}");
    if r.is_empty() || r.starts_with('#') {
        let q = base_query.map(|q| format!("?{q}")).unwrap_or_default();
        return format!("{prefix}{base_path}{q}{r}");
    }
    if r.starts_with('?') {
        return format!("{prefix}{base_path}{r}");
    }
    let split = r.find(['?', '#']).unwrap_or(r.len());
    let (path, tail) = r.split_at(split);
    let merged = if path.starts_with('/') {
        path.to_string()
    } else if path.is_empty() {
        base_path.to_string()
    } else {
        let dir = &base_path[..base_path.rfind('/').map_or(0, |i| i + 1)];
        let dir = if dir.is_empty() { "/" } else { dir };
        format!("{dir}{path}")
    };
    format!(
        "{prefix}{}{tail}",
        super::urls::remove_dot_segments(&merged)
    )
}

/// URLs one sitemap file may list (the sitemap protocol's limit).
pub const SITEMAP_MAX_URLS: usize = 50_000;

/// `sitemap.xml`: every page of the site, each with the date it last
/// changed where the site knows one ([`lastmods`]); past
/// [`SITEMAP_MAX_URLS`] pages, a sitemap index naming `sitemap-1.xml`,
/// `sitemap-2.xml`, ...
pub fn sitemap(cx: &Ctx, files: &[String]) -> Vec<OutputFile> {
    sitemap_dated(cx, files, &lastmods(cx))
}

/// [`sitemap`], with the [`lastmods`] of the site already at hand.
pub fn sitemap_dated(
    cx: &Ctx,
    files: &[String],
    dates: &HashMap<String, ArticleDate>,
) -> Vec<OutputFile> {
    let urls = &cx.site.urls;
    let mut paths: Vec<&str> = files
        .iter()
        .map(|f| f.as_str())
        .filter(|p| p.ends_with("index.html"))
        .collect();
    paths.sort_unstable();
    let locs: Vec<Loc> = paths
        .iter()
        .map(|p| {
            let dir = p.trim_end_matches("index.html");
            let mut url = urls.base_path.clone();
            for (i, segment) in dir.split('/').enumerate() {
                if i > 0 {
                    url.push('/');
                }
                url.push_str(&crate::escape::url_segment(segment));
            }
            let lastmod = dates.get(&url).map(|d| w3c_datetime(d));
            (urls.absolute(&url), lastmod)
        })
        .collect();
    sitemap_files(&locs, SITEMAP_MAX_URLS, |name| {
        urls.absolute(&urls.file(name))
    })
    .into_iter()
    .map(|(name, xml)| OutputFile::new(name, xml.into_bytes()))
    .collect()
}

/// The date each page last changed, by its URL (root-relative, as
/// [`super::urls::Urls`] writes it), where the site knows one that is true
/// (search engines read `lastmod` as a hint, and learn to ignore a site
/// whose hints are not): an article page, its article's date; a page that
/// lists articles (a page of the home page, of a tag, of an entity; the
/// archive), the newest date of the articles it lists. Pages that list no
/// article (the tags and entities indexes, an entity no article mentions)
/// and free-standing pages, which have no date, have none.
///
/// Articles are sorted newest first ([`ArticleDate`]), so the newest of a
/// list of articles is the one with the lowest index.
pub fn lastmods(cx: &Ctx) -> HashMap<String, ArticleDate> {
    let urls = &cx.site.urls;
    let arts = &cx.a.content.articles;
    let newest = |list: &mut dyn Iterator<Item = usize>| list.min().map(|i| arts[i].meta.date);
    let mut out: HashMap<String, ArticleDate> = HashMap::with_capacity(arts.len() * 2);
    let mut put = |url: String, date: Option<ArticleDate>| {
        if let Some(d) = date {
            out.insert(url, d);
        }
    };
    for a in arts {
        put(urls.article(&a.slug), Some(a.meta.date));
    }
    let n = arts.len();
    for p in 1..=page_count(n, HOME_PAGE_SIZE) {
        put(urls.home(p), newest(&mut page_range(p, HOME_PAGE_SIZE, n)));
    }
    put(urls.archive(), newest(&mut (0..n)));
    for t in &cx.site.tags {
        let n = t.articles.len();
        for p in 1..=page_count(n, TAG_PAGE_SIZE) {
            let shown = &t.articles[page_range(p, TAG_PAGE_SIZE, n)];
            put(
                urls.tag_page(&t.slug, p),
                newest(&mut shown.iter().copied()),
            );
        }
    }
    for (e, ent) in cx.a.content.entities.iter().enumerate() {
        let list = &cx.site.mentions_of[e];
        for p in 1..=page_count(list.len(), ENTITY_PAGE_SIZE) {
            let shown = &list[page_range(p, ENTITY_PAGE_SIZE, list.len())];
            put(
                urls.entity(&ent.id, p),
                newest(&mut shown.iter().map(|&(i, _)| i)),
            );
        }
    }
    out
}

/// `date` in the W3C date and time format sitemaps take: the date alone
/// when there is no time (`2025-09-03`); with a time, to the second with
/// its offset (`2025-09-03T01:00:00+02:00`; `Z` for UTC, and for a time
/// given without an offset, as the feed writes it). W3C's seconds go up to
/// 59: a leap second is written as the second before it.
fn w3c_datetime(date: &Date) -> String {
    match date.seconds {
        None => date.iso(),
        Some(s) => Date {
            seconds: Some(s.min(86_399)),
            ..*date
        }
        .rfc3339(),
    }
}

/// A page's absolute URL and, if known, the date it last changed.
type Loc = (String, Option<String>);

/// The sitemap files listing `locs`, at most `max` a file: (name, XML).
/// `url_of` gives the absolute URL of a file of the site by name.
fn sitemap_files(
    locs: &[Loc],
    max: usize,
    url_of: impl Fn(&str) -> String,
) -> Vec<(String, String)> {
    let urlset = |locs: &[Loc]| {
        let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for (loc, lastmod) in locs {
            x.push_str(&format!("<url><loc>{}</loc>", xml(loc)));
            if let Some(date) = lastmod {
                x.push_str(&format!("<lastmod>{date}</lastmod>"));
            }
            x.push_str("</url>\n");
        }
        x.push_str("</urlset>\n");
        x
    };
    if locs.len() <= max {
        return vec![("sitemap.xml".to_string(), urlset(locs))];
    }
    let mut out = Vec::new();
    let mut index = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (i, part) in locs.chunks(max.max(1)).enumerate() {
        let name = format!("sitemap-{}.xml", i + 1);
        index.push_str(&format!(
            "<sitemap><loc>{}</loc></sitemap>\n",
            xml(&url_of(&name))
        ));
        out.push((name, urlset(part)));
    }
    index.push_str("</sitemapindex>\n");
    out.insert(0, ("sitemap.xml".to_string(), index));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "https://x.org/sub/articles/a-b/";

    #[test]
    fn every_kind_of_url_is_resolved_against_the_page() {
        for (r, want) in [
            ("#fn-1", "https://x.org/sub/articles/a-b/#fn-1"),
            ("", "https://x.org/sub/articles/a-b/"),
            ("?q=1#x", "https://x.org/sub/articles/a-b/?q=1#x"),
            ("pic.png", "https://x.org/sub/articles/a-b/pic.png"),
            ("./c/d?e#f", "https://x.org/sub/articles/a-b/c/d?e#f"),
            ("../other/", "https://x.org/sub/articles/other/"),
            ("../../../../../up", "https://x.org/up"),
            ("/sub/tags/t/", "https://x.org/sub/tags/t/"),
            ("/elsewhere", "https://x.org/elsewhere"),
            ("//cdn.org/a.png", "https://cdn.org/a.png"),
            ("https://y.org/a#b", "https://y.org/a#b"),
            ("mailto:a@x.org", "mailto:a@x.org"),
        ] {
            assert_eq!(resolve(PAGE, r), want, "{r:?}");
        }
        assert_eq!(
            resolve("http://x.org", "a"),
            "http://x.org/a",
            "a base with no path"
        );
    }

    #[test]
    fn links_and_images_in_tags_become_absolute_and_text_is_left_alone() {
        let html = concat!(
            "<p>A<sup class=\"footnote-ref\" id=\"fnref-1\"><a href=\"#fn-1\">1</a></sup> ",
            "<a href=\"/sub/entities/e/\" title=\"a &gt; b\">E</a> ",
            "<img src=\"x.png?a=1&amp;b=2\" alt=\"href=&quot;#no&quot;\" /> ",
            "<a href=\"it&#x27;s#x\">q</a> ",
            "<code>href=\"#fn-1\" &lt;a href=\"#y\"&gt;</code></p>\n",
            "<li id=\"fn-1\"><a class=\"footnote-back\" href=\"#fnref-1\">\u{21a9}</a></li>",
        );
        let got = absolutize(html, PAGE);
        assert_eq!(
            got,
            concat!(
                "<p>A<sup class=\"footnote-ref\" id=\"fnref-1\"><a href=\"https://x.org/sub/articles/a-b/#fn-1\">1</a></sup> ",
                "<a href=\"https://x.org/sub/entities/e/\" title=\"a &gt; b\">E</a> ",
                "<img src=\"https://x.org/sub/articles/a-b/x.png?a=1&amp;b=2\" alt=\"href=&quot;#no&quot;\" /> ",
                "<a href=\"https://x.org/sub/articles/a-b/it&#39;s#x\">q</a> ",
                "<code>href=\"#fn-1\" &lt;a href=\"#y\"&gt;</code></p>\n",
                "<li id=\"fn-1\"><a class=\"footnote-back\" href=\"https://x.org/sub/articles/a-b/#fnref-1\">\u{21a9}</a></li>",
            )
        );
        // Idempotent: absolute URLs stay as they are.
        assert_eq!(absolutize(&got, PAGE), got);
        assert_eq!(absolutize("no tags & all", PAGE), "no tags & all");
    }

    #[test]
    fn lastmod_is_a_w3c_date_or_date_time() {
        let w3c = |s: &str| w3c_datetime(&Date::parse_str(s).unwrap());
        assert_eq!(w3c("2025-09-03"), "2025-09-03");
        assert_eq!(
            w3c("2025-09-03T01:00:00+02:00"),
            "2025-09-03T01:00:00+02:00"
        );
        assert_eq!(
            w3c("2025-09-03T01:00:00-00:30"),
            "2025-09-03T01:00:00-00:30"
        );
        // No offset: UTC, as in the feed; W3C wants a zone with a time.
        assert_eq!(w3c("2025-09-03 01:00"), "2025-09-03T01:00:00Z");
        assert_eq!(w3c("2025-09-03T01:00:00.5Z"), "2025-09-03T01:00:00Z");
        // W3C's seconds stop at 59.
        assert_eq!(w3c("2016-12-31T23:59:60Z"), "2016-12-31T23:59:59Z");
    }

    #[test]
    fn a_sitemap_past_the_limit_becomes_an_index_of_parts() {
        let locs: Vec<Loc> = (0..5)
            .map(|i| (format!("https://x.org/r/a{i}/?q=1&b"), None))
            .collect();
        let one = sitemap_files(&locs, 5, |n| format!("https://x.org/r/{n}"));
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].1.matches("<url>").count(), 5);
        assert!(one[0]
            .1
            .contains("<loc>https://x.org/r/a0/?q=1&amp;b</loc>"));
        let dated = [(
            "https://x.org/r/a/".to_string(),
            Some("2025-09-03".to_string()),
        )];
        let one = sitemap_files(&dated, 5, |n| format!("https://x.org/r/{n}"));
        assert!(one[0]
            .1
            .contains("<url><loc>https://x.org/r/a/</loc><lastmod>2025-09-03</lastmod></url>"));
        let parts = sitemap_files(&locs, 2, |n| format!("https://x.org/r/{n}"));
        let names: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "sitemap.xml",
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml"
            ]
        );
        assert!(parts[0].1.contains("<sitemapindex"));
        assert!(parts[0]
            .1
            .contains("<loc>https://x.org/r/sitemap-3.xml</loc>"));
        let counts: Vec<usize> = parts[1..]
            .iter()
            .map(|(_, x)| x.matches("<url>").count())
            .collect();
        assert_eq!(counts, [2, 2, 1]);
    }
}
