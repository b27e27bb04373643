//! Generates a large synthetic archive for benchmarks and scale tests.
//!
//!     cargo run --release --example gen_archive -- --articles 10000 --entities 2000 [--seed 42] [--hugo HUGO_DIR] OUT_DIR
//!
//! Deterministic from the seed. Articles of 500–1,500 words with paragraphs,
//! headings, lists, footnotes, the odd code block and table; dates over 20
//! years; tags; entity popularity Zipf-like; names with accents, some with
//! acronym aliases; mentions planted as explicit links, plain names (found by
//! name) and, on a tenth of the articles, standoff annotations in a sidecar.
//! `OUT_DIR/expected-mentions.json` records what was planted (entity →
//! article slug → count), for the scale test to compare with entities.json.
//! With `--hugo`, the same archive is also written as a Hugo site (entities
//! as a taxonomy), so that a benchmark compares like with like.
//!
//! Filler text is lower case and names are capitalised, so a name can only
//! be found where it was planted. Only the standard library is used.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// splitmix64: small, fast, good enough for test data.
pub struct Rng(u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
}

const SYLLABLES: &[&str] = &[
    "ba", "be", "ca", "co", "da", "de", "fe", "fi", "ga", "go", "la", "lo", "ma", "me", "na", "ni",
    "pa", "po", "ra", "ri", "sa", "so", "ta", "te", "va", "vi", "za", "zo", "lí", "rá", "né", "tó",
    "ñu", "gü",
];
const FILLER: &[&str] = &[
    "the",
    "report",
    "said",
    "officials",
    "agreed",
    "border",
    "security",
    "talks",
    "week",
    "government",
    "meeting",
    "plan",
    "new",
    "group",
    "across",
    "region",
    "while",
    "after",
    "before",
    "would",
    "could",
    "policy",
    "trade",
    "court",
    "case",
    "judge",
    "trial",
    "minister",
    "ministry",
    "state",
    "city",
    "police",
    "army",
    "navy",
    "analysts",
    "warned",
    "noted",
    "figures",
    "rose",
    "fell",
    "sharply",
    "slowly",
    "under",
    "over",
    "between",
    "against",
    "with",
    "without",
    "during",
    "since",
    "until",
    "later",
    "earlier",
    "today",
    "yesterday",
    "spokesman",
    "statement",
    "press",
    "conference",
    "vote",
    "senate",
    "congress",
    "party",
    "election",
    "campaign",
    "budget",
    "funds",
    "aid",
    "program",
    "training",
    "equipment",
    "seizure",
    "shipment",
    "port",
    "airport",
    "highway",
    "route",
    "network",
    "leaders",
    "members",
    "witness",
    "evidence",
    "prosecutors",
    "defense",
    "lawyers",
    "charges",
    "sentence",
    "prison",
    "transfer",
    "request",
    "treaty",
    "cooperation",
    "pressure",
    "tariffs",
    "exports",
    "imports",
    "market",
    "prices",
    "fuel",
    "theft",
    "tunnels",
    "drones",
    "weapons",
    "and",
    "of",
    "to",
    "in",
    "on",
    "for",
    "from",
    "by",
    "at",
    "as",
    "that",
    "which",
    "its",
    "their",
    "was",
    "were",
    "is",
];
const TAGS: usize = 40;

pub struct Options {
    pub articles: usize,
    pub entities: usize,
    pub seed: u64,
    pub out: PathBuf,
    pub hugo: Option<PathBuf>,
}

pub struct Entity {
    pub id: String,
    pub name: String,
    pub alias: Option<String>,
    pub folder: &'static str,
}

/// Expected mentions: entity id → article slug → count.
pub type Expected = BTreeMap<String, BTreeMap<String, usize>>;

fn word(rng: &mut Rng, taken: &mut std::collections::HashSet<String>) -> String {
    loop {
        let n = rng.range(2, 3);
        let mut w = String::new();
        for _ in 0..n {
            w.push_str(SYLLABLES[rng.below(SYLLABLES.len())]);
        }
        let mut c = w.chars();
        let cap: String = c
            .next()
            .map(|f| f.to_uppercase().chain(c).collect())
            .unwrap_or_default();
        if taken.insert(cap.clone()) {
            return cap;
        }
    }
}

pub fn entities(rng: &mut Rng, n: usize) -> Vec<Entity> {
    let folders = ["people", "organizations", "places", "events", "works"];
    let mut taken = std::collections::HashSet::new();
    let mut acronyms = std::collections::HashSet::new();
    (0..n)
        .map(|i| {
            let name = format!("{} {}", word(rng, &mut taken), word(rng, &mut taken));
            let folder = folders[i % folders.len()];
            // Organisations get an acronym alias, unique, three or four capitals.
            let alias = if folder == "organizations" {
                loop {
                    let len = rng.range(3, 4);
                    let a: String = (0..len)
                        .map(|_| (b'A' + rng.below(26) as u8) as char)
                        .collect();
                    if acronyms.insert(a.clone()) {
                        break Some(a);
                    }
                }
            } else {
                None
            };
            Entity {
                id: format!("e{i}"),
                name,
                alias,
                folder,
            }
        })
        .collect()
}

/// Zipf-like: entity k is chosen with weight 1/(k+1).
fn zipf(rng: &mut Rng, n: usize, cumulative: &[f64]) -> usize {
    let total = cumulative[n - 1];
    let x = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * total;
    cumulative.partition_point(|&c| c < x).min(n - 1)
}

fn filler(rng: &mut Rng, words: usize) -> Vec<String> {
    (0..words)
        .map(|_| FILLER[rng.below(FILLER.len())].to_string())
        .collect()
}

fn toml_str(s: &str) -> String {
    let mut o = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

fn json_str(s: &str) -> String {
    toml_str(s)
}

pub fn generate(o: &Options) -> std::io::Result<Expected> {
    let mut rng = Rng(o.seed);
    let ents = entities(&mut rng, o.entities);
    let cumulative: Vec<f64> = (0..ents.len())
        .scan(0.0, |acc, k| {
            *acc += 1.0 / (k as f64 + 1.0);
            Some(*acc)
        })
        .collect();
    let out = &o.out;
    fs::create_dir_all(out)?;
    fs::write(out.join("config.toml"), "title = \"Generated Archive\"\nbase_url = \"https://example.org/\"\n\n[annotations]\nautolink = \"first\"\n")?;
    for e in &ents {
        let dir = out.join("content/entities").join(e.folder);
        fs::create_dir_all(&dir)?;
        let mut t = format!("+++\nname = {}\n", toml_str(&e.name));
        if let Some(a) = &e.alias {
            let _ = writeln!(t, "aliases = [{}]", toml_str(a));
        }
        let _ = write!(
            t,
            "summary = \"A generated {} for benchmarks.\"\n+++\nA description of {}.\n",
            e.folder, e.id
        );
        fs::write(dir.join(format!("{}.md", e.id)), t)?;
    }
    fs::create_dir_all(out.join("content/pages"))?;
    fs::write(
        out.join("content/pages/about.md"),
        "+++\ntitle = \"About\"\n+++\nA generated archive.\n",
    )?;
    if let Some(h) = &o.hugo {
        fs::create_dir_all(h.join("content/articles"))?;
        fs::create_dir_all(h.join("layouts/_default"))?;
        fs::write(h.join("hugo.toml"), "baseURL = \"https://example.org/\"\ntitle = \"Generated Archive\"\n[taxonomies]\nentity = \"entities\"\ntag = \"tags\"\n")?;
        let layout = |body: &str| {
            format!("<!DOCTYPE html><html><head><title>{{{{ .Title }}}}</title></head><body>{body}</body></html>\n")
        };
        fs::write(
            h.join("layouts/_default/baseof.html"),
            layout("{{ block \"main\" . }}{{ end }}"),
        )?;
        fs::write(h.join("layouts/_default/single.html"), "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range .GetTerms \"entities\" }}<li><a href=\"{{ .RelPermalink }}\">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}\n")?;
        for name in ["list.html", "taxonomy.html", "term.html"] {
            fs::write(h.join("layouts/_default").join(name), "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n")?;
        }
    }

    let mut expected: Expected = BTreeMap::new();
    for i in 0..o.articles {
        let year = 2006 + (i % 20);
        let month = 1 + (i / 20) % 12;
        let day = 1 + (i / 240) % 28;
        let slug = format!("a{i}-{}", FILLER[rng.below(FILLER.len())]);
        let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
        let mut body = String::new();
        let mut hugo_body = String::new();
        let mut plain_paragraphs: Vec<String> = Vec::new();
        let mut notes: Vec<String> = Vec::new();
        let words_target = rng.range(500, 1500);
        let mut words = 0;
        let mut para = 0;
        while words < words_target {
            para += 1;
            if para % 4 == 0 {
                let h = filler(&mut rng, 4).join(" ");
                let _ = write!(body, "## {h}\n\n");
                let _ = write!(hugo_body, "## {h}\n\n");
            }
            let n = rng.range(40, 110);
            let mut ws = filler(&mut rng, n);
            words += n;
            let mut hugo_ws = ws.clone();
            // Plant mentions at distinct positions, never side by side.
            for _ in 0..rng.range(0, 4) {
                let pos = rng.below(ws.len() / 2) * 2;
                if ws[pos].chars().next().is_some_and(|c| !c.is_lowercase()) {
                    continue;
                }
                let e = zipf(&mut rng, ents.len(), &cumulative);
                let ent = &ents[e];
                let (text, shown) = match rng.below(4) {
                    0 => (format!("[[{}]]", ent.id), ent.id.clone()),
                    1 => (format!("[[{}|{}]]", ent.id, ent.name), ent.name.clone()),
                    2 if ent.alias.is_some() => {
                        let a = ent.alias.clone().unwrap_or_default();
                        (a.clone(), a)
                    }
                    _ => (ent.name.clone(), ent.name.clone()),
                };
                ws[pos] = text;
                hugo_ws[pos] = shown;
                *counts.entry(e).or_default() += 1;
            }
            if rng.chance(0.15) {
                let k = notes.len() + 1;
                let e = zipf(&mut rng, ents.len(), &cumulative);
                *counts.entry(e).or_default() += 1;
                notes.push(format!(
                    "{} mentioned {}.",
                    filler(&mut rng, 6).join(" "),
                    ents[e].name
                ));
                let last = ws.len() - 1;
                ws[last].push_str(&format!("[^{k}]"));
            }
            let p = ws.join(" ") + ".";
            plain_paragraphs.push(p.clone());
            let _ = write!(body, "{p}\n\n");
            let _ = write!(hugo_body, "{}.\n\n", hugo_ws.join(" "));
            if rng.chance(0.12) {
                let items: Vec<String> = (0..rng.range(2, 4))
                    .map(|_| format!("- {}", filler(&mut rng, 6).join(" ")))
                    .collect();
                let _ = write!(body, "{}\n\n", items.join("\n"));
                let _ = write!(hugo_body, "{}\n\n", items.join("\n"));
            }
        }
        if i % 17 == 0 {
            let block = format!(
                "```json\n{{\"seized\": {}, \"route\": \"{}\"}}\n```\n\n",
                rng.below(900),
                FILLER[rng.below(FILLER.len())]
            );
            body.push_str(&block);
            hugo_body.push_str(&block);
        }
        if i % 23 == 0 {
            let table = format!(
                "| {} | {} |\n| --- | --- |\n| {} | {} |\n\n",
                "month",
                "cases",
                "march",
                rng.below(500)
            );
            body.push_str(&table);
            hugo_body.push_str(&table);
        }
        for (k, n) in notes.iter().enumerate() {
            let _ = write!(body, "[^{}]: {n}\n\n", k + 1);
            let _ = write!(hugo_body, "[^{}]: {n}\n\n", k + 1);
        }
        // Standoff annotations on a tenth of the articles: a run of filler
        // words that occurs once in the article.
        let mut sidecar = String::new();
        if i % 10 == 3 {
            let all = plain_paragraphs.join(" ");
            // At most one annotation a paragraph: quotes never overlap.
            let mut used = std::collections::HashSet::new();
            for _ in 0..rng.range(1, 3) {
                let pi = rng.below(plain_paragraphs.len());
                if !used.insert(pi) {
                    continue;
                }
                let p = &plain_paragraphs[pi];
                let ws: Vec<&str> = p.trim_end_matches('.').split(' ').collect();
                let len = rng.range(4, 7);
                if ws.len() <= len {
                    continue;
                }
                let start = rng.below(ws.len() - len);
                let run = &ws[start..start + len];
                if run
                    .iter()
                    .any(|w| !w.chars().all(|c| c.is_ascii_lowercase()))
                {
                    continue;
                }
                let quote = run.join(" ");
                let occurrences = all
                    .match_indices(&quote)
                    .filter(|(at, _)| {
                        let before = all[..*at].chars().next_back();
                        let after = all[at + quote.len()..].chars().next();
                        !before.is_some_and(char::is_alphanumeric)
                            && !after.is_some_and(char::is_alphanumeric)
                    })
                    .count();
                if all.matches(&quote).count() != 1
                    || occurrences != 1
                    || sidecar.contains(&toml_str(&quote))
                {
                    continue;
                }
                let e = zipf(&mut rng, ents.len(), &cumulative);
                let _ = write!(
                    sidecar,
                    "[[annotations]]\nquote = {}\nentity = \"{}\"\n",
                    toml_str(&quote),
                    ents[e].id
                );
                if rng.chance(0.5) {
                    sidecar.push_str("note = \"A note on this passage.\"\n");
                }
                sidecar.push('\n');
                *counts.entry(e).or_default() += 1;
            }
        }
        let tags: Vec<String> = (0..rng.range(1, 4))
            .map(|_| format!("tag{}", rng.below(TAGS)))
            .collect();
        let mut tags_dedup = tags.clone();
        tags_dedup.sort();
        tags_dedup.dedup();
        let tag_list = tags_dedup
            .iter()
            .map(|t| toml_str(t))
            .collect::<Vec<_>>()
            .join(", ");
        let dir = out.join("content/articles").join(year.to_string());
        fs::create_dir_all(&dir)?;
        let stem = format!("{year}-{month:02}-{day:02}-{slug}");
        let title = format!("Article {i}: {}", filler(&mut rng, 5).join(" "));
        fs::write(
            dir.join(format!("{stem}.md")),
            format!("+++\ntitle = {}\ndate = {year}-{month:02}-{day:02}\ntags = [{tag_list}]\n+++\n{body}", toml_str(&title)),
        )?;
        if !sidecar.is_empty() {
            fs::write(dir.join(format!("{stem}.annotations.toml")), sidecar)?;
        }
        if let Some(h) = &o.hugo {
            let ent_list = counts
                .keys()
                .map(|&e| toml_str(&ents[e].id))
                .collect::<Vec<_>>()
                .join(", ");
            fs::write(
                h.join("content/articles").join(format!("{slug}.md")),
                format!(
                    "+++\ntitle = {}\ndate = {year}-{month:02}-{day:02}\ntags = [{tag_list}]\nentities = [{ent_list}]\n+++\n{hugo_body}",
                    toml_str(&title)
                ),
            )?;
        }
        for (e, n) in counts {
            expected
                .entry(ents[e].id.clone())
                .or_default()
                .insert(slug.clone(), n);
        }
    }
    let mut json = String::from("{\"entities\": {");
    for (k, (id, per)) in expected.iter().enumerate() {
        if k > 0 {
            json.push_str(", ");
        }
        let _ = write!(json, "{}: {{", json_str(id));
        for (j, (slug, n)) in per.iter().enumerate() {
            let _ = write!(
                json,
                "{}{}: {n}",
                if j > 0 { ", " } else { "" },
                json_str(slug)
            );
        }
        json.push('}');
    }
    json.push_str("}}\n");
    fs::write(out.join("expected-mentions.json"), json)?;
    Ok(expected)
}

#[allow(dead_code)]
fn main() {
    let mut args = std::env::args().skip(1);
    let mut o = Options {
        articles: 1000,
        entities: 200,
        seed: 42,
        out: PathBuf::new(),
        hugo: None,
    };
    while let Some(a) = args.next() {
        let mut val = || {
            args.next()
                .unwrap_or_else(|| usage(&format!("{a} needs a value")))
        };
        match a.as_str() {
            "--articles" => {
                o.articles = val()
                    .parse()
                    .unwrap_or_else(|_| usage("--articles takes a number"))
            }
            "--entities" => {
                o.entities = val()
                    .parse()
                    .unwrap_or_else(|_| usage("--entities takes a number"))
            }
            "--seed" => {
                o.seed = val()
                    .parse()
                    .unwrap_or_else(|_| usage("--seed takes a number"))
            }
            "--hugo" => o.hugo = Some(PathBuf::from(val())),
            s if s.starts_with("--") => usage(&format!("unknown option {s}")),
            s => o.out = PathBuf::from(s),
        }
    }
    if o.out.as_os_str().is_empty() || o.entities == 0 {
        usage("an output folder and at least one entity are needed");
    }
    if Path::new(&o.out).join("content").exists() {
        usage(&format!(
            "{} already holds a site; choose an empty folder",
            o.out.display()
        ));
    }
    let t = std::time::Instant::now();
    match generate(&o) {
        Ok(exp) => println!(
            "generated {} articles, {} entities ({} with mentions) in {:.1} s into {}",
            o.articles,
            o.entities,
            exp.len(),
            t.elapsed().as_secs_f64(),
            o.out.display()
        ),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}

fn usage(msg: &str) -> ! {
    eprintln!("error: {msg}\nusage: gen_archive --articles N --entities M [--seed S] [--hugo HUGO_DIR] OUT_DIR");
    std::process::exit(2);
}
