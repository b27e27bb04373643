//! Stage 5, output: writes the built site into the output folder, touching
//! only files whose bytes changed, and removing files that an earlier build
//! wrote and that no longer belong to the site. What dossier wrote is
//! recorded in a manifest (`.dossier-manifest`) with each file's length,
//! modification time and hash, so an unchanged file is recognised without
//! reading it, and a file dossier did not write is never deleted.

use crate::site::OutputFile;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::io;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

pub const MANIFEST: &str = ".dossier-manifest";

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    len: u64,
    mtime: u128,
    hash: u64,
}

fn hash(bytes: &[u8]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

fn mtime_of(meta: &std::fs::Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

fn read_manifest(dir: &Path) -> Option<HashMap<String, Entry>> {
    let text = std::fs::read_to_string(dir.join(MANIFEST)).ok()?;
    let mut map = HashMap::new();
    for line in text.lines().skip(1) {
        let mut parts = line.splitn(4, '\t');
        let (Some(len), Some(mtime), Some(hash), Some(path)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let (Ok(len), Ok(mtime), Ok(hash)) =
            (len.parse(), mtime.parse(), u64::from_str_radix(hash, 16))
        else {
            continue;
        };
        map.insert(path.to_string(), Entry { len, mtime, hash });
    }
    Some(map)
}

/// Whether `dir` may be written to: missing, empty, or written by dossier before.
pub fn is_ours_or_empty(dir: &Path) -> bool {
    match std::fs::read_dir(dir) {
        Err(_) => true,
        Ok(mut it) => it.next().is_none() || dir.join(MANIFEST).is_file(),
    }
}

/// A path from the site made safe to join under the output folder.
fn safe_join(dir: &Path, rel: &str) -> Option<PathBuf> {
    let mut p = dir.to_path_buf();
    for part in rel.split('/') {
        if part.is_empty() || part == "." || part == ".." || part.contains('\\') {
            return None;
        }
        p.push(part);
    }
    Some(p)
}

/// Writes `files` into `dir`.
pub fn write(dir: &Path, files: &[OutputFile]) -> io::Result<WriteStats> {
    std::fs::create_dir_all(dir)?;
    let old = read_manifest(dir).unwrap_or_default();
    // Parent folders, created once each.
    let mut parents: HashSet<PathBuf> = HashSet::new();
    for f in files {
        if let Some(p) = safe_join(dir, &f.path).as_deref().and_then(Path::parent) {
            if p != dir && !parents.contains(p) {
                parents.insert(p.to_path_buf());
            }
        }
    }
    let mut parents: Vec<PathBuf> = parents.into_iter().collect();
    parents.sort();
    for p in &parents {
        if !p.is_dir() {
            std::fs::create_dir_all(p)?;
        }
    }
    let results: Vec<io::Result<(String, Entry, bool)>> = files
        .par_iter()
        .filter_map(|f| safe_join(dir, &f.path).map(|p| (f, p)))
        .map(|(f, path)| {
            let h = hash(&f.bytes);
            let len = f.bytes.len() as u64;
            if let Ok(meta) = std::fs::metadata(&path) {
                if meta.is_file() && meta.len() == len {
                    let mtime = mtime_of(&meta);
                    let known = old.get(&f.path);
                    let same = match known {
                        Some(e) if e.len == len && e.mtime == mtime => e.hash == h,
                        _ => std::fs::read(&path).map(|b| b == f.bytes).unwrap_or(false),
                    };
                    if same {
                        return Ok((
                            f.path.clone(),
                            Entry {
                                len,
                                mtime,
                                hash: h,
                            },
                            false,
                        ));
                    }
                }
            }
            std::fs::write(&path, &f.bytes)?;
            let mtime = std::fs::metadata(&path).map(|m| mtime_of(&m)).unwrap_or(0);
            Ok((
                f.path.clone(),
                Entry {
                    len,
                    mtime,
                    hash: h,
                },
                true,
            ))
        })
        .collect();
    let mut stats = WriteStats::default();
    let mut new: Vec<(String, Entry)> = Vec::with_capacity(results.len());
    for r in results {
        let (path, entry, written) = r?;
        if written {
            stats.written += 1;
        } else {
            stats.unchanged += 1;
        }
        new.push((path, entry));
    }
    let keep: HashSet<&str> = new.iter().map(|(p, _)| p.as_str()).collect();
    let mut stale: Vec<&String> = old.keys().filter(|p| !keep.contains(p.as_str())).collect();
    stale.sort();
    for p in stale {
        if let Some(path) = safe_join(dir, p) {
            if path.is_file() && std::fs::remove_file(&path).is_ok() {
                stats.removed += 1;
                // Remove folders this left empty, up to the output folder.
                let mut parent = path.parent();
                while let Some(d) = parent {
                    if d == dir || std::fs::remove_dir(d).is_err() {
                        break;
                    }
                    parent = d.parent();
                }
            }
        }
    }
    new.sort_by(|a, b| a.0.cmp(&b.0));
    let mut text =
        String::from("# dossier: files written by the last build (length, mtime, hash, path)\n");
    for (p, e) in &new {
        text.push_str(&format!("{}\t{}\t{:016x}\t{}\n", e.len, e.mtime, e.hash, p));
    }
    let tmp = dir.join(format!("{MANIFEST}.tmp"));
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, dir.join(MANIFEST))?;
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(path: &str, s: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: s.as_bytes().to_vec(),
        }
    }

    #[test]
    fn writes_only_what_changed_and_removes_only_its_own_files() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let s = write(d, &[f("index.html", "a"), f("x/index.html", "b")]).unwrap();
        assert_eq!(
            s,
            WriteStats {
                written: 2,
                unchanged: 0,
                removed: 0
            }
        );
        std::fs::write(d.join("mine.txt"), "user").unwrap();
        let s = write(d, &[f("index.html", "a"), f("x/index.html", "b")]).unwrap();
        assert_eq!(
            s,
            WriteStats {
                written: 0,
                unchanged: 2,
                removed: 0
            }
        );
        let s = write(d, &[f("index.html", "c")]).unwrap();
        assert_eq!(
            s,
            WriteStats {
                written: 1,
                unchanged: 0,
                removed: 1
            }
        );
        assert!(!d.join("x").exists());
        assert_eq!(std::fs::read_to_string(d.join("mine.txt")).unwrap(), "user");
    }

    #[test]
    fn a_file_changed_behind_our_back_is_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(d, &[f("index.html", "aaaa")]).unwrap();
        std::fs::write(d.join("index.html"), "bbbb").unwrap();
        let s = write(d, &[f("index.html", "aaaa")]).unwrap();
        assert_eq!(s.written, 1);
        assert_eq!(
            std::fs::read_to_string(d.join("index.html")).unwrap(),
            "aaaa"
        );
    }

    #[test]
    fn paths_cannot_escape_the_folder() {
        assert!(safe_join(Path::new("/o"), "../x").is_none());
        assert!(safe_join(Path::new("/o"), "a//b").is_none());
        assert_eq!(
            safe_join(Path::new("/o"), "a/b").unwrap(),
            Path::new("/o/a/b")
        );
    }

    #[test]
    fn foreign_folders_are_recognised() {
        let dir = tempfile::tempdir().unwrap();
        assert!(is_ours_or_empty(dir.path()));
        std::fs::write(dir.path().join("notes.txt"), "x").unwrap();
        assert!(!is_ours_or_empty(dir.path()));
    }
}
