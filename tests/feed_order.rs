//! One order of articles for the site and its feed: by the instant each
//! date names (a date alone is midnight UTC, as the feed writes it; a time
//! with an offset is that instant), as Hugo and Zola order them and as feed
//! readers order `atom.xml`'s entries. A date alone and a time east of UTC
//! on the same written day once came out one way round on the home page and
//! prev/next links and the other in the feed. And `sitemap.xml` dates every
//! page that lists articles by the newest of them.

mod harness;
use harness::*;

fn dated(title: &str, date: &str, tags: &str) -> String {
    format!("+++\ntitle = {title:?}\ndate = {date}\ntags = [{tags}]\n+++\n{title} met [[ana]].\n")
}

/// Articles whose order by instant differs from their order by the date
/// as written. Newest first, by instant:
const NEWEST_FIRST: [&str; 6] = [
    "West",   // 2025-09-02T20:00:00-05:00 = 2025-09-03T01:00Z
    "Plain",  // 2025-09-03 = 2025-09-03T00:00Z
    "East",   // 2025-09-03T01:00:00+02:00 = 2025-09-02T23:00Z
    "Older",  // 2025-09-02 = 2025-09-02T00:00Z
    "August", // 2025-08-31T23:30:00Z
    "Tokyo",  // 2025-09-01T01:00:00+09:00 = 2025-08-31T16:00Z
];

fn site() -> Site {
    Site::new()
        .file(
            "content/entities/people/ana.md",
            &entity("Ana", &[], "Someone."),
        )
        .file(
            "content/articles/plain.md",
            &dated("Plain", "2025-09-03", "\"t\""),
        )
        .file(
            "content/articles/east.md",
            &dated("East", "2025-09-03T01:00:00+02:00", "\"t\""),
        )
        .file(
            "content/articles/west.md",
            &dated("West", "\"2025-09-02 20:00-05:00\"", ""),
        )
        .file(
            "content/articles/older.md",
            &dated("Older", "2025-09-02", "\"t\""),
        )
        .file(
            "content/articles/august.md",
            &dated("August", "2025-08-31T23:30:00Z", ""),
        )
        .file(
            "content/articles/tokyo.md",
            &dated("Tokyo", "2025-09-01T01:00:00+09:00", "\"t\""),
        )
        .file(
            "content/pages/about.md",
            "+++\ntitle = \"About\"\n+++\nUs.\n",
        )
}

/// The titles of `titles` in the order they first appear in `text`,
/// found as `before` + title.
fn order_in(text: &str, before: &str, titles: &[&str]) -> Vec<String> {
    let mut found: Vec<(usize, String)> = titles
        .iter()
        .filter_map(|t| {
            text.find(&format!("{before}{t}<"))
                .map(|i| (i, t.to_string()))
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, t)| t).collect()
}

/// Seconds since the epoch of an RFC 3339 date-time (`Z` or `±HH:MM`).
fn instant(s: &str) -> i64 {
    let n = |r: std::ops::Range<usize>| s[r].parse::<i64>().unwrap();
    let (y, m, d) = (n(0..4), n(5..7), n(8..10));
    let (hh, mm, ss) = (n(11..13), n(14..16), n(17..19));
    let zone = &s[19..];
    let offset = if zone == "Z" {
        0
    } else {
        let sign = if zone.starts_with('-') { -1 } else { 1 };
        sign * (zone[1..3].parse::<i64>().unwrap() * 60 + zone[4..6].parse::<i64>().unwrap())
    };
    // Days from civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
    days * 86_400 + hh * 3600 + mm * 60 + ss - offset * 60
}

/// The text of every `<tag>` element in `xml`, in order.
fn elements<'x>(xml: &'x str, tag: &str) -> Vec<&'x str> {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    xml.split(&open)
        .skip(1)
        .map(|p| p.split(&close).next().unwrap())
        .collect()
}

#[test]
fn home_page_lists_and_prev_next_follow_the_instant() {
    let run = site().build(&[]);
    run.assert_ok();
    let home = run.page("index.html");
    assert_eq!(
        order_in(&home, "/\">", &NEWEST_FIRST),
        NEWEST_FIRST,
        "{home}"
    );
    // A tag's page too (its articles: Plain, East, Older, Tokyo).
    let tag = run.page("tags/t/index.html");
    assert_eq!(
        order_in(&tag, "/\">", &NEWEST_FIRST),
        ["Plain", "East", "Older", "Tokyo"]
    );
    // And an entity's.
    let ana = run.page("entities/ana/index.html");
    assert_eq!(order_in(&ana, "/\">", &NEWEST_FIRST), NEWEST_FIRST);
    // Previous is the older neighbour, next the newer one.
    let prev_next = |slug: &str| {
        let html = run.page(&format!("articles/{slug}/index.html"));
        let title = |class: &str| {
            html.split(&format!("<a class=\"{class}\" "))
                .nth(1)
                .and_then(|a| a.split("<span class=\"prev-next-title\">").nth(1))
                .map(|t| t.split('<').next().unwrap().to_string())
        };
        (title("prev"), title("next"))
    };
    assert_eq!(
        prev_next("plain"),
        (Some("East".into()), Some("West".into()))
    );
    assert_eq!(
        prev_next("east"),
        (Some("Older".into()), Some("Plain".into()))
    );
    assert_eq!(prev_next("west"), (Some("Plain".into()), None));
    assert_eq!(prev_next("tokyo"), (None, Some("August".into())));
    // The dates still show as written.
    assert!(run
        .page("articles/east/index.html")
        .contains("<time datetime=\"2025-09-03\">3 September 2025</time>"));
    run.assert_links_resolve("/sub/path/");
}

#[test]
fn the_feed_orders_its_entries_as_the_site_does() {
    let run = site().build(&[]);
    run.assert_ok();
    let atom = run.page("atom.xml");
    let entries: Vec<&str> = atom.split("<entry>").skip(1).collect();
    let titles: Vec<&str> = entries.iter().map(|e| elements(e, "title")[0]).collect();
    assert_eq!(titles, NEWEST_FIRST, "{atom}");
    // As a reader sorts them: by the instant of each entry, newest first.
    let published: Vec<i64> = entries
        .iter()
        .map(|e| instant(elements(e, "published")[0]))
        .collect();
    assert!(
        published.windows(2).all(|w| w[0] > w[1]),
        "{published:?}\n{atom}"
    );
    // Each written with its own offset; a date alone at midnight UTC.
    assert!(atom.contains("<published>2025-09-03T00:00:00Z</published>"));
    assert!(atom.contains("<published>2025-09-03T01:00:00+02:00</published>"));
    // The feed was last updated at the newest entry's instant.
    let head = atom.split("<entry>").next().unwrap();
    let updated = elements(head, "updated");
    assert_eq!(updated, ["2025-09-02T20:00:00-05:00"], "{head}");
    assert_eq!(instant(updated[0]), published[0]);
    assert_eq!(updated[0], elements(entries[0], "updated")[0]);
}

#[test]
fn the_archive_puts_each_article_under_its_month_as_written() {
    let run = site().build(&[]);
    run.assert_ok();
    let html = run.page("archive/index.html");
    // Each month once, newest first, though by instant "August" (31
    // August, 23:30 UTC) comes between two articles written in September.
    assert_eq!(html.matches("<h3>September</h3>").count(), 1, "{html}");
    assert_eq!(html.matches("<h3>August</h3>").count(), 1, "{html}");
    let (sep, aug) = html.split_once("<h3>August</h3>").unwrap();
    assert_eq!(
        order_in(sep, "/\">", &NEWEST_FIRST),
        ["West", "Plain", "East", "Older", "Tokyo"]
    );
    assert_eq!(order_in(aug, "/\">", &NEWEST_FIRST), ["August"]);
}

/// `sitemap.xml`'s (loc, lastmod) pairs.
fn sitemap(run: &Run) -> Vec<(String, Option<String>)> {
    let xml = run.page("sitemap.xml");
    elements(&xml, "url")
        .into_iter()
        .map(|u| {
            let loc = elements(u, "loc")[0].to_string();
            let lastmod = elements(u, "lastmod").first().map(|s| s.to_string());
            (loc, lastmod)
        })
        .collect()
}

fn lastmod_of(map: &[(String, Option<String>)], path: &str) -> Option<String> {
    let loc = format!("https://example.org/sub/path/{path}");
    map.iter()
        .find(|(l, _)| *l == loc)
        .unwrap_or_else(|| panic!("no {loc} in {map:#?}"))
        .1
        .clone()
}

/// A W3C date (`YYYY-MM-DD`) or date-time to the second with a zone.
fn is_w3c(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let date = b.len() >= 10
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10);
    if b.len() == 10 {
        return date;
    }
    let time = b.len() >= 19
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
        && &s[17..19] != "60";
    let zone = &s[19.min(s.len())..];
    let zb = zone.as_bytes();
    date && time
        && (zone == "Z"
            || (zb.len() == 6
                && matches!(zb[0], b'+' | b'-')
                && zb[1..3].iter().all(u8::is_ascii_digit)
                && zb[3] == b':'
                && zb[4..6].iter().all(u8::is_ascii_digit)))
}

#[test]
fn the_sitemap_dates_list_pages_by_the_newest_article_they_list() {
    // Enough articles for two home pages: eleven more, all older.
    let mut site = site();
    for d in 1..=11 {
        site = site.file(
            &format!("content/articles/old-{d}.md"),
            &dated(&format!("Old {d}"), &format!("2025-01-{d:02}"), "\"old\""),
        );
    }
    let run = site.build(&[]);
    run.assert_ok();
    let map = sitemap(&run);
    for (loc, lastmod) in &map {
        if let Some(l) = lastmod {
            assert!(is_w3c(l), "{loc}: {l}");
        }
    }
    // Articles: their own date, a date alone as a date, a time to the
    // second with its offset.
    assert_eq!(
        lastmod_of(&map, "articles/plain/").as_deref(),
        Some("2025-09-03")
    );
    assert_eq!(
        lastmod_of(&map, "articles/east/").as_deref(),
        Some("2025-09-03T01:00:00+02:00")
    );
    // The newest instant of those listed: "West", though written on the 2nd.
    let west = Some("2025-09-02T20:00:00-05:00");
    assert_eq!(lastmod_of(&map, "").as_deref(), west);
    assert_eq!(lastmod_of(&map, "archive/").as_deref(), west);
    assert_eq!(lastmod_of(&map, "entities/ana/").as_deref(), west);
    // Page 2 of the home page lists only older articles.
    assert_eq!(lastmod_of(&map, "page/2/").as_deref(), Some("2025-01-07"));
    assert_eq!(lastmod_of(&map, "tags/t/").as_deref(), Some("2025-09-03"));
    assert_eq!(lastmod_of(&map, "tags/old/").as_deref(), Some("2025-01-11"));
    // Pages that list no article, and free-standing pages: no date.
    for path in ["about/", "tags/", "entities/"] {
        assert_eq!(lastmod_of(&map, path), None, "{path}");
    }
}

#[test]
fn an_entity_page_is_dated_by_the_articles_on_that_page() {
    // 51 articles mention Ana: two pages of 50; the second holds the oldest.
    let mut site = Site::new().file(
        "content/entities/people/ana.md",
        &entity("Ana", &[], "Someone."),
    );
    for n in 0..51 {
        let date = if n == 0 {
            "2024-12-31T22:00:00-03:00".to_string() // 1 January 2025, 01:00 UTC
        } else {
            format!("2025-03-{:02}", 1 + n % 28)
        };
        site = site.file(
            &format!("content/articles/a{n}.md"),
            &dated(&format!("A{n}"), &date, ""),
        );
    }
    let run = site.build(&[]);
    run.assert_ok();
    let map = sitemap(&run);
    assert_eq!(
        lastmod_of(&map, "entities/ana/").as_deref(),
        Some("2025-03-28")
    );
    assert_eq!(
        lastmod_of(&map, "entities/ana/page/2/").as_deref(),
        Some("2024-12-31T22:00:00-03:00")
    );
}
