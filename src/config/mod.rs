//! `config.toml`: the site's settings.
//!
//! [`Config::load`] takes the site root and gives a validated [`Config`], or
//! diagnostics pointing into `config.toml` (unknown keys included: a typo must
//! not pass silently), every one of them in one run.

mod base_url;
use base_url::normalise_base_url;

use crate::content::frontmatter::{self, Table, Value};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::render::words::Lang;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// Which plain-text mentions become links.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Autolink {
    #[default]
    First,
    All,
    None,
}

/// An entity kind: its key (`person`), its plural label and its folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kind {
    pub key: String,
    pub label: String,
    pub folder: String,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    /// Absolute, always ending in `/`, as every URL of the site carries
    /// it: scheme and host in lower case, the path percent-encoded
    /// (`https://example.org/archivo-a%C3%B1o/`; see `normalise_base_url`).
    pub base_url: String,
    /// The path part of `base_url`: starts and ends with `/`, percent-encoded
    /// as URLs carry it (`/archivo-a%C3%B1o/`). Decode it to compare it with
    /// a decoded path (a request's, a file's).
    pub base_path: String,
    pub description: String,
    /// As written (`en` when not given); [`Config::lang`] is the language
    /// of the theme's words.
    pub language: String,
    pub autolink: Autolink,
    /// In the order they are listed on the entities page.
    pub kinds: Vec<Kind>,
}

// No `deny_unknown_fields` on these: `config.toml` is always checked key by
// key first ([`frontmatter::check_all`], against serde's own field lists), which
// reports every unknown key; a config whose only errors are unknown keys is
// then read without them (see [`Config::parse_lenient`]).
#[derive(Deserialize)]
struct RawConfig {
    title: String,
    base_url: toml::Spanned<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    language: Option<toml::Spanned<String>>,
    #[serde(default)]
    annotations: RawAnnotations,
    #[serde(default)]
    kinds: BTreeMap<toml::Spanned<String>, RawKind>,
}

impl Table for RawConfig {
    fn check_value<'de, A: serde::de::MapAccess<'de>>(
        value: Value<'_, 'de, A, Self>,
    ) -> Result<(), A::Error> {
        match value.key() {
            "annotations" => value.table::<RawAnnotations>(),
            "kinds" => value.map_of::<RawKind>(),
            _ => value.field(),
        }
    }
}

#[derive(Deserialize, Default)]
struct RawAnnotations {
    #[serde(default)]
    autolink: Autolink,
}

impl Table for RawAnnotations {}

#[derive(Deserialize)]
struct RawKind {
    label: String,
    folder: toml::Spanned<String>,
}

impl Table for RawKind {}

/// The default kinds: key and folder. Their labels are in the site's
/// language ([`Lang::kind_label`]) unless `[kinds]` gives one.
pub const DEFAULT_KINDS: [(&str, &str); 5] = [
    ("person", "people"),
    ("organization", "organizations"),
    ("place", "places"),
    ("event", "events"),
    ("work", "works"),
];

impl Config {
    /// Reads `ROOT/config.toml`.
    pub fn load(root: &Path) -> Result<Config, Diagnostics> {
        strict(Self::load_lenient(root))
    }

    /// Reads `ROOT/config.toml` as [`Config::parse_lenient`] does: also
    /// gives the config when its only errors are unknown keys.
    pub fn load_lenient(root: &Path) -> (Option<Config>, Diagnostics) {
        let path = root.join("config.toml");
        let shown = Path::new("config.toml");
        let mut diags = Diagnostics::new();
        let text = match std::fs::read(&path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(t) => t,
                Err(e) => {
                    let off = e.utf8_error().valid_up_to();
                    let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                    diags.push(Diagnostic::error_at(
                        shown,
                        &text,
                        off,
                        "config.toml is not valid UTF-8",
                    ));
                    return (None, diags);
                }
            },
            Err(e) => {
                let msg = if e.kind() == std::io::ErrorKind::NotFound {
                    format!(
                        "no config.toml in {} (is this a dossier site? `dossier init DIR` creates one)",
                        root.display()
                    )
                } else {
                    format!("cannot read config.toml: {e}")
                };
                diags.push(Diagnostic::file(Severity::Error, shown, msg));
                return (None, diags);
            }
        };
        Self::parse_lenient(&text, shown)
    }

    /// Parses the text of a `config.toml` shown to the user as `shown`.
    pub fn parse(text: &str, shown: &Path) -> Result<Config, Diagnostics> {
        strict(Self::parse_lenient(text, shown))
    }

    /// Parses the text of a `config.toml` shown to the user as `shown`:
    /// every error in it (every unknown key and wrongly typed value
    /// included), and the config unless an error stands in its way. Unknown
    /// keys do not: they are errors all the same, but the config is read
    /// as if they were not there, so that a run can go on to check the
    /// content against it and report everything at once.
    pub fn parse_lenient(text: &str, shown: &Path) -> (Option<Config>, Diagnostics) {
        let mut diags = Diagnostics::new();
        let problems = frontmatter::check_all::<RawConfig>(text);
        diags.extend(problems.iter().map(|p| p.diagnostic(shown, text, 0)));
        if problems.iter().any(|p| !p.unknown_key) {
            return (None, diags);
        }
        // Errors from here on are not unknown keys: no config then.
        let unknown_keys = diags.error_count();
        let raw: RawConfig = match toml::from_str(text) {
            Ok(r) => r,
            Err(e) => {
                diags.push(toml_error(shown, text, 0, &e));
                return (None, diags);
            }
        };
        let base = raw.base_url.get_ref().trim();
        let (base_url, base_path) = match normalise_base_url(base, "base_url") {
            Ok(b) => b,
            Err(problem) => {
                // At the part of the value in question when it can be
                // found as written (a string without escapes), else at
                // the value.
                let span = raw.base_url.span();
                let at = problem
                    .part
                    .as_deref()
                    .and_then(|part| text.get(span.clone())?.find(part))
                    .map_or(span.start, |i| span.start + i);
                diags.push(Diagnostic::error_at(shown, text, at, problem.message));
                return (None, diags);
            }
        };
        let language = raw.language.as_ref().map_or("en", |l| l.get_ref().as_str());
        let lang = Lang::from_tag(language);
        if let (None, Some(written)) = (lang, &raw.language) {
            diags.push(Diagnostic::warning_at(
                shown,
                text,
                written.span().start,
                format!(
                    "the built-in theme has no words in language {language:?}: they stay English \
                     (to translate them, replace the theme's templates with your own in templates/)"
                ),
            ));
        }
        let lang = lang.unwrap_or_default();
        let mut kinds: Vec<Kind> = DEFAULT_KINDS
            .iter()
            .map(|(k, f)| Kind {
                key: k.to_string(),
                label: lang.kind_label(k).unwrap_or(k).to_string(),
                folder: f.to_string(),
            })
            .collect();
        // Kinds as written, in file order, for messages that point at them.
        let mut written: Vec<(toml::Spanned<String>, RawKind)> = raw.kinds.into_iter().collect();
        written.sort_by_key(|(k, _)| k.span().start);
        for (key, rk) in &written {
            if let Some(problem) = kind_key_problem(key.get_ref()) {
                diags.push(Diagnostic::error_at(
                    shown,
                    text,
                    key.span().start,
                    format!("invalid kind {:?}: {problem}", key.get_ref()),
                ));
            }
            if let Some(problem) = kind_folder_problem(rk.folder.get_ref()) {
                diags.push(Diagnostic::error_at(
                    shown,
                    text,
                    rk.folder.span().start,
                    format!(
                        "invalid folder {:?} of kind {:?}: {problem}",
                        rk.folder.get_ref(),
                        key.get_ref()
                    ),
                ));
            }
        }
        for (key, rk) in &written {
            let (key, folder) = (key.get_ref(), rk.folder.get_ref());
            match kinds.iter_mut().find(|k| &k.key == key) {
                Some(k) => {
                    k.label = rk.label.clone();
                    k.folder = folder.clone();
                }
                None => kinds.push(Kind {
                    key: key.clone(),
                    label: rk.label.clone(),
                    folder: folder.clone(),
                }),
            }
        }
        // Each folder implies one kind: two kinds with one folder (equal
        // but for case: one folder on macOS and Windows) are an error at
        // each written one but the first.
        for (i, k) in kinds.iter().enumerate() {
            let Some(first) = kinds[..i]
                .iter()
                .find(|o| o.folder.to_lowercase() == k.folder.to_lowercase())
            else {
                continue;
            };
            // The later one as written in config.toml (a default kind is
            // never later than a written one: defaults come first).
            let span = |key: &str| {
                written
                    .iter()
                    .find(|(w, _)| w.get_ref() == key)
                    .map(|(_, rk)| rk.folder.span().start)
            };
            let (this, other) = match (span(&first.key), span(&k.key)) {
                (Some(a), Some(b)) if a > b => ((first, a), k),
                (_, Some(b)) => ((k, b), first),
                (Some(a), None) => ((first, a), k),
                (None, None) => continue,
            };
            let default = if span(&other.key).is_none() {
                " (a default kind; give it another folder under [kinds] to free this one)"
            } else {
                ""
            };
            diags.push(Diagnostic::error_at(
                shown,
                text,
                this.1,
                format!(
                    "kinds {:?} and {:?} have the same folder {:?}: each folder under content/entities/ implies one kind{default}",
                    other.key, this.0.key, this.0.folder
                ),
            ));
        }
        if diags.error_count() > unknown_keys {
            return (None, diags);
        }
        let config = Config {
            title: raw.title,
            base_url,
            base_path,
            description: raw.description,
            language: raw
                .language
                .map_or_else(|| "en".to_string(), |l| l.into_inner()),
            autolink: raw.annotations.autolink,
            kinds,
        };
        (Some(config), diags)
    }

    /// Replaces the base URL (from `--base-url`, or by `serve`), normalised
    /// as `base_url` is (`normalise_base_url`): one given already
    /// percent-encoded is not encoded twice.
    pub fn set_base_url(&mut self, url: &str) -> Result<(), String> {
        let (base_url, base_path) =
            normalise_base_url(url.trim(), "--base-url").map_err(|p| p.message)?;
        self.base_url = base_url;
        self.base_path = base_path;
        Ok(())
    }

    /// The language of the theme's words: `language`'s primary subtag,
    /// English when the theme has no words in it.
    pub fn lang(&self) -> Lang {
        Lang::of(&self.language)
    }

    pub fn kind(&self, key: &str) -> Option<&Kind> {
        self.kinds.iter().find(|k| k.key == key)
    }

    pub fn kind_by_folder(&self, folder: &str) -> Option<&Kind> {
        self.kinds.iter().find(|k| k.folder == folder)
    }
}

/// The config, when there is one and no error at all.
fn strict((config, diags): (Option<Config>, Diagnostics)) -> Result<Config, Diagnostics> {
    match config {
        Some(config) if !diags.has_errors() => Ok(config),
        _ => Err(diags),
    }
}

/// Why `key` cannot be a kind (it lands in HTML classes, ids and
/// fragments, and in front matter as `kind = "..."`).
fn kind_key_problem(key: &str) -> Option<&'static str> {
    let mut bytes = key.bytes();
    match bytes.next() {
        None => Some("a kind must not be empty"),
        Some(b) if !b.is_ascii_lowercase() => Some(
            "a kind must start with a lower-case ASCII letter, then letters, digits, `-` or `_`",
        ),
        _ if !bytes
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_') =>
        {
            Some("a kind must be lower-case ASCII letters, digits, `-` and `_`")
        }
        _ => None,
    }
}

/// Why `folder` cannot be a sub-folder of `content/entities/`.
fn kind_folder_problem(folder: &str) -> Option<&'static str> {
    if folder.is_empty() {
        Some("the folder must not be empty")
    } else if folder.contains(['/', '\\']) {
        Some("the folder must be one folder directly under content/entities/, without / or \\")
    } else if folder.starts_with('.') {
        Some("the folder must not start with a dot (hidden folders are not read)")
    } else if folder.chars().any(char::is_control) {
        Some("the folder must not contain control characters")
    } else {
        None
    }
}

/// A TOML error as a diagnostic, its position shifted by `offset` (where the
/// TOML text starts inside the file).
pub fn toml_error(path: &Path, file_text: &str, offset: usize, e: &toml::de::Error) -> Diagnostic {
    let at = offset + e.span().map_or(0, |s| s.start);
    let message = e.message().trim().replace('\n', " ");
    Diagnostic::error_at(path, file_text, at, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(t: &str) -> Result<Config, Diagnostics> {
        Config::parse(t, Path::new("config.toml"))
    }

    #[test]
    fn sub_path_is_kept() {
        let c = parse("title = \"T\"\nbase_url = \"https://u.github.io/repo\"\n").unwrap();
        assert_eq!(c.base_url, "https://u.github.io/repo/");
        assert_eq!(c.base_path, "/repo/");
        assert_eq!(c.autolink, Autolink::First);
        assert_eq!(c.kinds.len(), 5);
    }

    #[test]
    fn unknown_key_is_named_with_its_line() {
        let e = parse("title = \"T\"\nbase_url = \"https://x.org/\"\ntitel = \"x\"\n").unwrap_err();
        let d = e.iter().next().unwrap();
        assert!(d.message.contains("titel"), "{}", d.message);
        assert_eq!(d.line, 3);
    }

    #[test]
    fn every_unknown_key_and_wrong_value_is_an_error() {
        let e = parse(
            "title = \"T\"\nbase_url = \"https://x.org/\"\ntitel = \"x\"\nlanguage = 3\n\
             [annotations]\nautolnk = \"all\"\n[kinds]\nship = { label = \"S\", foldr = \"s\" }\n",
        )
        .unwrap_err();
        let at: Vec<(usize, usize)> = e.iter().map(|d| (d.line, d.column)).collect();
        // The kind's table lacks `folder` beside its misspelt `foldr`.
        assert_eq!(at, [(3, 1), (4, 12), (6, 1), (8, 8), (8, 23)], "{e:?}");
        let messages: Vec<&str> = e.iter().map(|d| d.message.as_str()).collect();
        assert!(
            messages[0].starts_with("unknown field `titel`"),
            "{messages:?}"
        );
        assert_eq!(messages[1], "invalid type: integer `3`, expected a string");
        assert!(
            messages[2].starts_with("unknown field `autolnk`"),
            "{messages:?}"
        );
        assert!(
            messages[3].starts_with("missing field `folder`"),
            "{messages:?}"
        );
        assert!(
            messages[4].starts_with("unknown field `foldr`"),
            "{messages:?}"
        );
        // A kind's table without `folder`, and nothing else wrong.
        let e = parse(
            "title = \"T\"\nbase_url = \"https://x.org/\"\n[kinds]\nship = { label = \"S\" }\n",
        )
        .unwrap_err();
        let e: Vec<_> = e
            .iter()
            .map(|d| (d.line, d.column, d.message.as_str()))
            .collect();
        assert_eq!(e, [(4, 8, "missing field `folder`")]);
        // `titel` and no `title`: both in one run, the one suggested.
        let e = parse("titel = \"T\"\nbase_url = \"https://x.org/\"\n").unwrap_err();
        let e: Vec<_> = e
            .iter()
            .map(|d| (d.message.as_str(), d.notes.first().map(String::as_str)))
            .collect();
        assert!(
            e.iter()
                .any(|(m, _)| m.starts_with("missing field `title`"))
                && e.iter().any(|(m, n)| m.starts_with("unknown field `titel`")
                    && *n == Some("did you mean `title`?")),
            "{e:?}"
        );
    }

    #[test]
    fn unknown_keys_alone_still_give_the_config_read_without_them() {
        let text = "title = \"T\"\nbase_url = \"https://x.org/\"\ntitel = \"x\"\n\
                    [annotations]\nautolink = \"all\"\nautolnk = \"none\"\n\
                    [kinds]\nship = { label = \"Ships\", folder = \"ships\", lable = \"x\" }\n";
        let (config, diags) = Config::parse_lenient(text, Path::new("config.toml"));
        assert_eq!(diags.error_count(), 3, "{diags:?}");
        let config = config.expect("read without the unknown keys");
        assert_eq!(config.autolink, Autolink::All);
        assert_eq!(config.kind("ship").unwrap().folder, "ships");
        // An error of another kind, and there is none.
        for (base_url, bad) in [
            ("https://x.org/", "language = 3\n"),
            ("/x/", ""),
            (
                "https://x.org/",
                "[kinds]\nx = { label = \"X\", folder = \"people\" }\n",
            ),
        ] {
            let text = format!("title = \"T\"\nbase_url = {base_url:?}\ntitel = \"x\"\n{bad}");
            let (config, diags) = Config::parse_lenient(&text, Path::new("config.toml"));
            assert!(config.is_none(), "{text}");
            assert_eq!(diags.error_count(), 2, "{text}: {diags:?}");
        }
        // And the strict reading is an error all the same.
        assert!(parse(text).is_err());
    }

    #[test]
    fn config_tables_are_checked_key_by_key() {
        use crate::content::frontmatter::tests::assert_tables_are_checked_key_by_key as checked;
        checked::<RawConfig>();
        checked::<RawAnnotations>();
        checked::<RawKind>();
        use crate::content::frontmatter::tests::required;
        assert_eq!(required::<RawConfig>(), ["title", "base_url"]);
        assert_eq!(required::<RawKind>(), ["label", "folder"]);
    }

    #[test]
    fn relative_base_url_is_refused() {
        assert!(parse("title = \"T\"\nbase_url = \"/repo/\"\n").is_err());
    }

    #[test]
    fn a_base_url_is_written_with_its_host_in_lower_case() {
        let mut c = parse("title = \"T\"\nbase_url = \"https://User.GitHub.IO/Repo\"\n").unwrap();
        assert_eq!(c.base_url, "https://user.github.io/Repo/");
        assert_eq!(c.base_path, "/Repo/");
        c.set_base_url("https://X.org").unwrap();
        assert_eq!(
            (c.base_url.as_str(), c.base_path.as_str()),
            ("https://x.org/", "/")
        );
    }

    #[test]
    fn a_base_url_with_a_query_is_refused_saying_so() {
        let mut c = parse("title = \"T\"\nbase_url = \"https://x.org/\"\n").unwrap();
        let err = c.set_base_url("https://x.org/sub/?q=1#f").unwrap_err();
        assert!(err.contains("no query or fragment"), "{err}");
        assert!(c.set_base_url("https://x.org/sub").is_ok());
        assert_eq!(c.base_path, "/sub/");
    }

    #[test]
    fn a_base_path_is_percent_encoded_once() {
        for (written, url, path) in [
            (
                "https://example.org/archivo-año/",
                "https://example.org/archivo-a%C3%B1o/",
                "/archivo-a%C3%B1o/",
            ),
            (
                "https://Example.ORG/my archive",
                "https://example.org/my%20archive/",
                "/my%20archive/",
            ),
            // Already encoded: kept as written, not encoded twice.
            (
                "https://example.org/archivo-a%C3%B1o/",
                "https://example.org/archivo-a%C3%B1o/",
                "/archivo-a%C3%B1o/",
            ),
            (
                "https://example.org/a%2fb/100%/",
                "https://example.org/a%2fb/100%25/",
                "/a%2fb/100%25/",
            ),
            (
                "https://example.org/~u/a(1);b=2,c:d@e!$&'*+/",
                "https://example.org/~u/a(1);b=2,c:d@e!$&'*+/",
                "/~u/a(1);b=2,c:d@e!$&'*+/",
            ),
            (
                "https://example.org/\"<>^`{|}/",
                "https://example.org/%22%3C%3E%5E%60%7B%7C%7D/",
                "/%22%3C%3E%5E%60%7B%7C%7D/",
            ),
        ] {
            let c = parse(&format!("title = \"T\"\nbase_url = {written:?}\n")).unwrap();
            assert_eq!((c.base_url.as_str(), c.base_path.as_str()), (url, path));
            // And through --base-url, and again from what it gave (as
            // serve does): the same.
            let mut c = parse("title = \"T\"\nbase_url = \"https://x.org/\"\n").unwrap();
            c.set_base_url(written).unwrap();
            assert_eq!((c.base_url.as_str(), c.base_path.as_str()), (url, path));
            c.set_base_url(url).unwrap();
            assert_eq!((c.base_url.as_str(), c.base_path.as_str()), (url, path));
        }
    }

    /// The one error of a config with `base_url` = `written`: (line,
    /// column, message).
    fn base_url_error(written: &str) -> (usize, usize, String) {
        let e = parse(&format!("title = \"T\"\nbase_url = {written:?}\n")).unwrap_err();
        let e: Vec<_> = e.iter().collect();
        assert_eq!(e.len(), 1, "{e:?}");
        (e[0].line, e[0].column, e[0].message.clone())
    }

    #[test]
    fn a_base_url_that_cannot_be_written_in_urls_is_an_error_at_its_part() {
        // An internationalised domain name: its ASCII form is given.
        let (line, column, msg) = base_url_error("https://bücher.example/repo/");
        assert_eq!((line, column), (2, 21), "{msg}");
        assert!(msg.contains("not ASCII"), "{msg}");
        assert!(msg.contains("\"xn--bcher-kva.example\""), "{msg}");
        let (_, _, msg) = base_url_error("https://Bücher.Example:8080/");
        assert!(msg.contains("\"xn--bcher-kva.example:8080\""), "{msg}");
        // Not a name it can vouch for: no form suggested, still refused.
        let (_, _, msg) = base_url_error("https://b☃.example/");
        assert!(
            msg.contains("not ASCII") && !msg.contains("write \""),
            "{msg}"
        );
        let (line, column, msg) = base_url_error("https://exa mple.org/");
        assert_eq!((line, column), (2, 21), "{msg}");
        assert!(msg.contains("' ' in its host"), "{msg}");
        // Written with an escape: at the value.
        let (_, column, msg) = base_url_error("https://x.org/a\\b/");
        assert_eq!(column, 12, "{msg}");
        assert!(msg.contains("separate folders with /"), "{msg}");
        let (_, _, msg) = base_url_error("https://x.org/a\tb/");
        assert!(msg.contains("'\\t' in its path"), "{msg}");
        let (_, _, msg) = base_url_error("https://x.org/%FF/");
        assert!(msg.contains("not UTF-8"), "{msg}");
        let (_, column, msg) = base_url_error("ftp://x.org/");
        assert_eq!(column, 12, "{msg}");
        assert!(
            msg.starts_with("base_url must be an absolute http(s) URL"),
            "{msg}"
        );
        // The same through --base-url, named so.
        let mut c = parse("title = \"T\"\nbase_url = \"https://x.org/\"\n").unwrap();
        let err = c.set_base_url("https://bücher.example/").unwrap_err();
        assert!(
            err.starts_with("--base-url has a host that is not ASCII"),
            "{err}"
        );
        assert_eq!(c.base_url, "https://x.org/", "unchanged");
        // Written in its ASCII form, it is fine.
        c.set_base_url("https://xn--bcher-kva.example/").unwrap();
        assert_eq!(c.base_url, "https://xn--bcher-kva.example/");
    }

    #[test]
    fn kinds_merge_with_defaults() {
        let c = parse(
            "title = \"T\"\nbase_url = \"https://x.org/\"\n[kinds]\nperson = { label = \"Persons\", folder = \"persons\" }\nship = { label = \"Ships\", folder = \"ships\" }\n",
        )
        .unwrap();
        assert_eq!(c.kind("person").unwrap().folder, "persons");
        assert_eq!(c.kind_by_folder("ships").unwrap().key, "ship");
        assert_eq!(c.kinds.len(), 6);
    }

    #[test]
    fn default_kind_labels_are_in_the_language_unless_written() {
        let c = parse(
            "title = \"T\"\nbase_url = \"https://x.org/\"\nlanguage = \"es-MX\"\n\
             [kinds]\nplace = { label = \"Sitios\", folder = \"places\" }\n",
        )
        .unwrap();
        assert_eq!(c.lang(), Lang::Es);
        assert_eq!(c.language, "es-MX", "as written");
        assert_eq!(c.kind("person").unwrap().label, "Personas");
        assert_eq!(c.kind("place").unwrap().label, "Sitios");
        let c = parse("title = \"T\"\nbase_url = \"https://x.org/\"\n").unwrap();
        assert_eq!((c.language.as_str(), c.lang()), ("en", Lang::En));
        let labels: Vec<&str> = c.kinds.iter().map(|k| k.label.as_str()).collect();
        assert_eq!(
            labels,
            ["People", "Organisations", "Places", "Events", "Works"]
        );
    }

    #[test]
    fn a_language_without_words_is_a_warning_at_its_value() {
        let (c, d) = Config::parse_lenient(
            "title = \"T\"\nbase_url = \"https://x.org/\"\nlanguage = \"xx-YY\"\n",
            Path::new("config.toml"),
        );
        let c = c.expect("a warning only");
        assert_eq!((c.language.as_str(), c.lang()), ("xx-YY", Lang::En));
        assert_eq!(c.kind("person").unwrap().label, "People");
        let d: Vec<&Diagnostic> = d.iter().collect();
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            (d[0].severity, d[0].line, d[0].column),
            (Severity::Warning, 3, 12)
        );
        assert!(
            d[0].message.contains("\"xx-YY\"")
                && d[0].message.contains("stay English")
                && d[0].message.contains("templates"),
            "{}",
            d[0].message
        );
        for known in ["en", "EN-gb", "fr", "pt_BR", "de-CH", "it", "es-419"] {
            let text =
                format!("title = \"T\"\nbase_url = \"https://x.org/\"\nlanguage = {known:?}\n");
            let (c, d) = Config::parse_lenient(&text, Path::new("config.toml"));
            assert!(c.is_some() && d.iter().next().is_none(), "{known}: {d:?}");
        }
    }

    const HEAD: &str = "title = \"T\"\nbase_url = \"https://x.org/\"\n[kinds]\n";

    /// The errors of a config with `kinds` under `[kinds]`: (line, column, message).
    fn kind_errors(kinds: &str) -> Vec<(usize, usize, String)> {
        let e = parse(&format!("{HEAD}{kinds}")).unwrap_err();
        e.iter()
            .map(|d| (d.line, d.column, d.message.clone()))
            .collect()
    }

    #[test]
    fn two_kinds_with_one_folder_are_an_error_at_the_later_one() {
        let e = kind_errors(
            "ship = { label = \"Ships\", folder = \"boats\" }\nboat = { label = \"Boats\", folder = \"boats\" }\n",
        );
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!((e[0].0, e[0].1), (5, 36), "{e:?}");
        assert!(
            e[0].2
                .contains("\"ship\" and \"boat\" have the same folder \"boats\""),
            "{e:?}"
        );
        // Against a default kind, and equal but for case.
        let e = kind_errors("crowd = { label = \"Crowds\", folder = \"People\" }\n");
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].0, 4);
        assert!(
            e[0].2.contains("\"person\"") && e[0].2.contains("default kind"),
            "{e:?}"
        );
        // A default kind moved onto another's folder.
        let e = kind_errors("person = { label = \"P\", folder = \"places\" }\n");
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].2.contains("\"place\" and \"person\""), "{e:?}");
        // Moving both apart is fine.
        assert!(parse(&format!(
            "{HEAD}person = {{ label = \"P\", folder = \"places\" }}\nplace = {{ label = \"L\", folder = \"sites\" }}\n"
        ))
        .is_ok());
    }

    #[test]
    fn kind_keys_must_be_fit_for_classes_and_fragments() {
        let e = kind_errors(
            "\"Bad Kind!\" = { label = \"B\", folder = \"bad\" }\n\"x\\\"y\" = { label = \"X\", folder = \"xs\" }\nok-kind_2 = { label = \"O\", folder = \"oks\" }\n\"\" = { label = \"E\", folder = \"es\" }\n",
        );
        let at: Vec<(usize, usize)> = e.iter().map(|d| (d.0, d.1)).collect();
        assert_eq!(at, [(4, 1), (5, 1), (7, 1)], "{e:?}");
        assert!(e[0].2.contains("invalid kind \"Bad Kind!\""), "{e:?}");
        for k in ["Person", "9lives", "a b", "a.b", "<i>"] {
            assert!(kind_key_problem(k).is_some(), "{k}");
        }
        for k in ["person", "ship-2", "work_of_art"] {
            assert!(kind_key_problem(k).is_none(), "{k}");
        }
    }

    #[test]
    fn kind_folders_must_be_one_visible_folder() {
        let e = kind_errors("ship = { label = \"S\", folder = \"a/b\" }\nboat = { label = \"B\", folder = \".boats\" }\nraft = { label = \"R\", folder = \"\" }\n");
        let at: Vec<(usize, usize)> = e.iter().map(|d| (d.0, d.1)).collect();
        assert_eq!(at, [(4, 32), (5, 32), (6, 32)], "{e:?}");
    }
}
