//! `config.toml`: the site's settings.
//!
//! [`Config::load`] takes the site root and gives a validated [`Config`], or
//! diagnostics pointing into `config.toml` (unknown keys included: a typo must
//! not pass silently).

use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
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
    /// Absolute, always ending in `/`.
    pub base_url: String,
    /// The path part of `base_url`: starts and ends with `/`.
    pub base_path: String,
    pub description: String,
    pub language: String,
    pub autolink: Autolink,
    /// In the order they are listed on the entities page.
    pub kinds: Vec<Kind>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    base_url: toml::Spanned<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    annotations: RawAnnotations,
    #[serde(default)]
    kinds: BTreeMap<String, RawKind>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawAnnotations {
    #[serde(default)]
    autolink: Autolink,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKind {
    label: String,
    folder: String,
}

pub const DEFAULT_KINDS: [(&str, &str, &str); 5] = [
    ("person", "People", "people"),
    ("organization", "Organisations", "organizations"),
    ("place", "Places", "places"),
    ("event", "Events", "events"),
    ("work", "Works", "works"),
];

impl Config {
    /// Reads `ROOT/config.toml`.
    pub fn load(root: &Path) -> Result<Config, Diagnostics> {
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
                    return Err(diags);
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
                return Err(diags);
            }
        };
        Self::parse(&text, shown)
    }

    /// Parses the text of a `config.toml` shown to the user as `shown`.
    pub fn parse(text: &str, shown: &Path) -> Result<Config, Diagnostics> {
        let mut diags = Diagnostics::new();
        let raw: RawConfig = match toml::from_str(text) {
            Ok(r) => r,
            Err(e) => {
                diags.push(toml_error(shown, text, 0, &e));
                return Err(diags);
            }
        };
        let base = raw.base_url.get_ref().trim();
        let base_path = match base_path_of(base) {
            Some(p) => p,
            None => {
                diags.push(Diagnostic::error_at(
                    shown,
                    text,
                    raw.base_url.span().start,
                    format!("base_url must be an absolute http(s) URL, like \"https://user.github.io/repo/\", not {base:?}"),
                ));
                return Err(diags);
            }
        };
        let mut kinds: Vec<Kind> = DEFAULT_KINDS
            .iter()
            .map(|(k, l, f)| Kind {
                key: k.to_string(),
                label: l.to_string(),
                folder: f.to_string(),
            })
            .collect();
        for (key, rk) in raw.kinds {
            match kinds.iter_mut().find(|k| k.key == key) {
                Some(k) => {
                    k.label = rk.label;
                    k.folder = rk.folder;
                }
                None => kinds.push(Kind {
                    key,
                    label: rk.label,
                    folder: rk.folder,
                }),
            }
        }
        Ok(Config {
            title: raw.title,
            base_url: with_slash(base),
            base_path,
            description: raw.description,
            language: raw.language.unwrap_or_else(|| "en".to_string()),
            autolink: raw.annotations.autolink,
            kinds,
        })
    }

    /// Replaces the base URL (from `--base-url`, or by `serve`).
    pub fn set_base_url(&mut self, url: &str) -> Result<(), String> {
        let path = base_path_of(url.trim())
            .ok_or_else(|| format!("--base-url must be an absolute http(s) URL, not {url:?}"))?;
        self.base_url = with_slash(url.trim());
        self.base_path = path;
        Ok(())
    }

    pub fn kind(&self, key: &str) -> Option<&Kind> {
        self.kinds.iter().find(|k| k.key == key)
    }

    pub fn kind_by_folder(&self, folder: &str) -> Option<&Kind> {
        self.kinds.iter().find(|k| k.folder == folder)
    }
}

fn with_slash(url: &str) -> String {
    if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    }
}

/// `https://host/a/b` → `/a/b/`; `None` unless an absolute http(s) URL.
fn base_path_of(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if host.is_empty() || url.contains(['?', '#', ' ', '"', '<', '>', '\\']) {
        return None;
    }
    Some(with_slash(path))
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
    fn relative_base_url_is_refused() {
        assert!(parse("title = \"T\"\nbase_url = \"/repo/\"\n").is_err());
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
}
