//! `atom.xml` (the latest articles) and `sitemap.xml` (every page).

use super::pages::Ctx;
use super::OutputFile;
use crate::escape::html as xml;

/// Entries in the feed.
pub const FEED_SIZE: usize = 20;

pub fn atom(cx: &Ctx) -> Vec<OutputFile> {
    let urls = &cx.site.urls;
    let cfg = &cx.a.config;
    let arts = &cx.a.content.articles;
    // The newest instant among the entries: articles are listed by the
    // date as written, and two of one day may be in different zones.
    let updated = arts
        .iter()
        .take(FEED_SIZE)
        .map(|a| a.meta.date)
        .max_by_key(|d| (d.timestamp(), *d))
        .map(|d| d.rfc3339())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
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
        xml(&cfg.base_url)
    ));
    x.push_str(&format!(
        "<id>{}</id>\n<updated>{updated}</updated>\n",
        xml(&cfg.base_url)
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
        let authors: Vec<&String> = a.meta.authors.iter().collect();
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
        let body = absolutize(&html.body, &urls.base_path, &urls.origin);
        let notes = absolutize(&html.notes, &urls.base_path, &urls.origin);
        x.push_str(&format!(
            "<content type=\"html\">{}</content>\n",
            xml(&format!("{body}{notes}"))
        ));
        x.push_str("</entry>\n");
    }
    x.push_str("</feed>\n");
    vec![OutputFile::new("atom.xml", x.into_bytes())]
}

/// Root-relative links made absolute, for content read outside the site.
fn absolutize(html: &str, base_path: &str, origin: &str) -> String {
    html.replace(
        &format!("href=\"{base_path}"),
        &format!("href=\"{origin}{base_path}"),
    )
    .replace(
        &format!("src=\"{base_path}"),
        &format!("src=\"{origin}{base_path}"),
    )
}

/// URLs one sitemap file may list (the sitemap protocol's limit).
pub const SITEMAP_MAX_URLS: usize = 50_000;

/// `sitemap.xml`: every page of the site; past [`SITEMAP_MAX_URLS`] pages,
/// a sitemap index naming `sitemap-1.xml`, `sitemap-2.xml`, ...
pub fn sitemap(cx: &Ctx, files: &[String]) -> Vec<OutputFile> {
    let urls = &cx.site.urls;
    let mut paths: Vec<&str> = files
        .iter()
        .map(|f| f.as_str())
        .filter(|p| p.ends_with("index.html"))
        .collect();
    paths.sort_unstable();
    let locs: Vec<String> = paths
        .iter()
        .map(|p| {
            let dir = p.trim_end_matches("index.html");
            let encoded: String = dir
                .split('/')
                .map(crate::escape::url_segment)
                .collect::<Vec<_>>()
                .join("/");
            urls.absolute(&format!("{}{}", urls.base_path, encoded))
        })
        .collect();
    sitemap_files(&locs, SITEMAP_MAX_URLS, |name| {
        urls.absolute(&urls.file(name))
    })
    .into_iter()
    .map(|(name, xml)| OutputFile::new(name, xml.into_bytes()))
    .collect()
}

/// The sitemap files listing `locs`, at most `max` a file: (name, XML).
/// `url_of` gives the absolute URL of a file of the site by name.
fn sitemap_files(
    locs: &[String],
    max: usize,
    url_of: impl Fn(&str) -> String,
) -> Vec<(String, String)> {
    let urlset = |locs: &[String]| {
        let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for loc in locs {
            x.push_str(&format!("<url><loc>{}</loc></url>\n", xml(loc)));
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

    #[test]
    fn a_sitemap_past_the_limit_becomes_an_index_of_parts() {
        let locs: Vec<String> = (0..5)
            .map(|i| format!("https://x.org/r/a{i}/?q=1&b"))
            .collect();
        let one = sitemap_files(&locs, 5, |n| format!("https://x.org/r/{n}"));
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].1.matches("<url>").count(), 5);
        assert!(one[0]
            .1
            .contains("<loc>https://x.org/r/a0/?q=1&amp;b</loc>"));
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
