//! Stage 5, output: writes the built site into the output folder, touching
//! only files whose bytes changed, and removing files that an earlier build
//! wrote and that no longer belong to the site. What dossier wrote is
//! recorded in a manifest (`.dossier-manifest`) with each file's length,
//! modification time and hash, so an unchanged file is recognised without
//! reading it, and a file dossier did not write is never deleted.

use crate::site::OutputFile;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
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
    /// The page key it was rendered under (0: none), see `OutputFile::key`.
    key: u64,
}

/// Every byte the build writes goes through this hash (for the manifest):
/// XXH3 is an order of magnitude faster than the standard library's
/// SipHash, which took a twentieth of a large build.
fn hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// Writes `bytes` to a new file at `path`; gives its modification time.
fn write_new(path: &Path, bytes: &[u8]) -> io::Result<u128> {
    let mut file = std::fs::File::create(path)?;
    io::Write::write_all(&mut file, bytes)?;
    Ok(file.metadata().map(|m| mtime_of(&m)).unwrap_or(0))
}

/// Writes into a file while counting and hashing what goes through, for
/// files streamed by [`Sink::put_with`](crate::site::Sink::put_with).
struct Counting<W> {
    inner: W,
    len: u64,
    hash: xxhash_rust::xxh3::Xxh3,
}

impl<W: io::Write> io::Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.len += n as u64;
        self.hash.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Streams `write` into a new file at `path`; gives its length, hash and
/// modification time.
fn stream_to(path: &Path, write: &crate::site::WriteFn) -> io::Result<(u64, u64, u128)> {
    let file = std::fs::File::create(path)?;
    let mut w = Counting {
        inner: io::BufWriter::with_capacity(1 << 18, file),
        len: 0,
        hash: xxhash_rust::xxh3::Xxh3::new(),
    };
    write(&mut w)?;
    io::Write::flush(&mut w)?;
    let mtime = w
        .inner
        .get_ref()
        .metadata()
        .map(|m| mtime_of(&m))
        .unwrap_or(0);
    Ok((w.len, w.hash.digest(), mtime))
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
        let parts: Vec<&str> = line.splitn(5, '\t').collect();
        let [len, mtime, hash, key, path] = parts[..] else {
            continue;
        };
        let (Ok(len), Ok(mtime), Ok(hash), Ok(key)) = (
            len.parse(),
            mtime.parse(),
            u64::from_str_radix(hash, 16),
            u64::from_str_radix(key, 16),
        ) else {
            continue;
        };
        map.insert(
            path.to_string(),
            Entry {
                len,
                mtime,
                hash,
                key,
            },
        );
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

/// Where a changed file waits for the commit: beside its place, hidden.
fn tmp_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.dossier-tmp"))
}

/// Where a file put into the sink went.
enum Fate {
    Unchanged,
    /// Written where it belongs (staging folder, or in place).
    Written,
    /// Kept in memory, written in place at commit.
    Pending(std::sync::Arc<Vec<u8>>),
    /// Written beside its place under a temporary name, renamed at commit.
    Spilled(PathBuf),
}

#[derive(Default)]
struct State {
    files: Vec<(String, Entry, Fate)>,
    pending_bytes: usize,
}

/// Changed files kept in memory before they spill to temporary files.
pub const MEMORY_BUDGET: usize = 64 << 20;

/// Writes a build into the output folder so that a failed build leaves it
/// exactly as it was. Into a folder that does not exist yet, files go to a
/// staging folder beside it that is renamed into place at the end. Into an
/// earlier build, unchanged files are recognised and left alone; changed
/// files wait in memory (up to [`MEMORY_BUDGET`]) or in temporary files
/// beside their place, and are moved in only by [`DiskSink::commit`].
pub struct DiskSink {
    dir: PathBuf,
    staging: Option<PathBuf>,
    old: HashMap<String, Entry>,
    state: Mutex<State>,
    made: Mutex<HashSet<PathBuf>>,
}

impl DiskSink {
    pub fn open(dir: &Path) -> io::Result<DiskSink> {
        let staging = if dir.exists() {
            None
        } else {
            let name = dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "public".into());
            let parent = dir
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            std::fs::create_dir_all(parent)?;
            let s = parent.join(format!(".{name}.dossier-staging"));
            if s.exists() {
                // Left by a build that was killed: only dossier writes here.
                std::fs::remove_dir_all(&s)?;
            }
            std::fs::create_dir(&s)?;
            Some(s)
        };
        Ok(DiskSink {
            dir: dir.to_path_buf(),
            old: if staging.is_some() {
                HashMap::new()
            } else {
                read_manifest(dir).unwrap_or_default()
            },
            staging,
            state: Mutex::new(State::default()),
            made: Mutex::new(HashSet::new()),
        })
    }

    fn base(&self) -> &Path {
        self.staging.as_deref().unwrap_or(&self.dir)
    }

    /// Where the file `rel` of the site goes; an error if it would leave
    /// the output folder.
    fn place_of(&self, rel: &str) -> io::Result<PathBuf> {
        safe_join(self.base(), rel).ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("unsafe output path {rel:?}"),
            )
        })
    }

    fn ensure_parent(&self, path: &Path) -> io::Result<()> {
        let Some(parent) = path.parent() else {
            return Ok(());
        };
        if let Ok(made) = self.made.lock() {
            if made.contains(parent) {
                return Ok(());
            }
        }
        std::fs::create_dir_all(parent)?;
        if let Ok(mut made) = self.made.lock() {
            made.insert(parent.to_path_buf());
        }
        Ok(())
    }

    fn unchanged(&self, path: &Path, rel: &str, len: u64, h: u64, bytes: &[u8]) -> Option<u128> {
        let meta = std::fs::metadata(path).ok()?;
        if !meta.is_file() || meta.len() != len {
            return None;
        }
        let mtime = mtime_of(&meta);
        let same = match self.old.get(rel) {
            Some(e) if e.len == len && e.mtime == mtime => e.hash == h,
            _ => std::fs::read(path).map(|b| b == bytes).unwrap_or(false),
        };
        same.then_some(mtime)
    }

    /// Moves everything into place and records the manifest.
    pub fn commit(self) -> io::Result<WriteStats> {
        let state = self.state.into_inner().unwrap_or_default();
        let mut stats = WriteStats::default();
        let mut files = state.files;
        // Pending files: written in place now, in parallel.
        let dir = &self.dir;
        let made = &self.made;
        let results: Vec<io::Result<()>> = files
            .par_iter_mut()
            .map(|(rel, entry, fate)| {
                let Some(path) = safe_join(dir, rel) else {
                    return Ok(());
                };
                match std::mem::replace(fate, Fate::Written) {
                    Fate::Pending(bytes) => {
                        if let Some(parent) = path.parent() {
                            let known = made.lock().map(|m| m.contains(parent)).unwrap_or(false);
                            if !known {
                                std::fs::create_dir_all(parent)?;
                            }
                        }
                        entry.mtime = write_new(&path, &bytes)?;
                    }
                    Fate::Spilled(tmp) => std::fs::rename(&tmp, &path)?,
                    Fate::Unchanged => *fate = Fate::Unchanged,
                    Fate::Written => {}
                }
                Ok(())
            })
            .collect();
        for r in results {
            r?;
        }
        for (_, _, fate) in &files {
            match fate {
                Fate::Unchanged => stats.unchanged += 1,
                _ => stats.written += 1,
            }
        }
        let base = self.staging.as_deref().unwrap_or(&self.dir);
        let keep: HashSet<&str> = files.iter().map(|(p, _, _)| p.as_str()).collect();
        let mut stale: Vec<&String> = self
            .old
            .keys()
            .filter(|p| !keep.contains(p.as_str()))
            .collect();
        stale.sort();
        for p in stale {
            if let Some(path) = safe_join(&self.dir, p) {
                if path.is_file() && std::fs::remove_file(&path).is_ok() {
                    stats.removed += 1;
                    // Remove folders this left empty, up to the output folder.
                    let mut parent = path.parent();
                    while let Some(d) = parent {
                        if d == self.dir || std::fs::remove_dir(d).is_err() {
                            break;
                        }
                        parent = d.parent();
                    }
                }
            }
        }
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let mut text = String::from(
            "# dossier: files written by the last build (length, mtime, hash, page key, path)\n",
        );
        for (p, e, _) in &files {
            text.push_str(&format!(
                "{}\t{}\t{:016x}\t{:016x}\t{}\n",
                e.len, e.mtime, e.hash, e.key, p
            ));
        }
        let tmp = base.join(format!("{MANIFEST}.tmp"));
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, base.join(MANIFEST))?;
        if let Some(staging) = &self.staging {
            if self.dir.exists() {
                // Created meanwhile (empty, or rename fails and says why).
                let _ = std::fs::remove_dir(&self.dir);
            }
            std::fs::rename(staging, &self.dir)?;
        }
        Ok(stats)
    }

    /// Undoes everything: the output folder stays as it was.
    pub fn abandon(self) {
        if let Some(staging) = &self.staging {
            let _ = std::fs::remove_dir_all(staging);
            return;
        }
        if let Ok(state) = self.state.into_inner() {
            for (_, _, fate) in state.files {
                if let Fate::Spilled(tmp) = fate {
                    let _ = std::fs::remove_file(tmp);
                }
            }
        }
    }
}

impl crate::site::Sink for DiskSink {
    fn put_with(&self, rel: &str, write: &crate::site::WriteFn) -> io::Result<()> {
        let path = self.place_of(rel)?;
        self.ensure_parent(&path)?;
        let (len, hash, mtime, fate) = if self.staging.is_some() {
            let (len, hash, mtime) = stream_to(&path, write)?;
            (len, hash, mtime, Fate::Written)
        } else {
            // Beside its place, then kept only if it differs from what the
            // last build wrote there (and is still there).
            let tmp = tmp_beside(&path);
            let (len, hash, mtime) = stream_to(&tmp, write).inspect_err(|_| {
                let _ = std::fs::remove_file(&tmp);
            })?;
            let unchanged = std::fs::metadata(&path).ok().filter(|m| {
                self.old.get(rel).is_some_and(|e| {
                    e.len == len
                        && e.hash == hash
                        && m.is_file()
                        && m.len() == len
                        && mtime_of(m) == e.mtime
                })
            });
            match unchanged {
                Some(m) => {
                    let _ = std::fs::remove_file(&tmp);
                    (len, hash, mtime_of(&m), Fate::Unchanged)
                }
                None => (len, hash, mtime, Fate::Spilled(tmp)),
            }
        };
        let entry = Entry {
            len,
            mtime,
            hash,
            key: 0,
        };
        if let Ok(mut s) = self.state.lock() {
            s.files.push((rel.to_string(), entry, fate));
        }
        Ok(())
    }

    fn keep(&self, rel: &str, key: u64) -> bool {
        if self.staging.is_some() || key == 0 {
            return false;
        }
        let Some(e) = self.old.get(rel).filter(|e| e.key == key) else {
            return false;
        };
        let Some(path) = safe_join(&self.dir, rel) else {
            return false;
        };
        // Trust the page only if the file is still the one we wrote.
        let same = std::fs::metadata(&path)
            .is_ok_and(|m| m.is_file() && m.len() == e.len && mtime_of(&m) == e.mtime);
        if same {
            if let Ok(mut s) = self.state.lock() {
                s.files.push((rel.to_string(), *e, Fate::Unchanged));
            }
        }
        same
    }

    fn put(&self, f: OutputFile) -> io::Result<()> {
        let path = self.place_of(&f.path)?;
        let h = hash(&f.bytes);
        let len = f.bytes.len() as u64;
        let (entry, fate) = if self.staging.is_some() {
            self.ensure_parent(&path)?;
            let mtime = write_new(&path, &f.bytes)?;
            (
                Entry {
                    len,
                    mtime,
                    hash: h,
                    key: f.key,
                },
                Fate::Written,
            )
        } else if let Some(mtime) = self.unchanged(&path, &f.path, len, h, &f.bytes) {
            (
                Entry {
                    len,
                    mtime,
                    hash: h,
                    key: f.key,
                },
                Fate::Unchanged,
            )
        } else {
            let keep = self
                .state
                .lock()
                .map(|mut s| {
                    let fits = s.pending_bytes + f.bytes.len() <= MEMORY_BUDGET;
                    if fits {
                        s.pending_bytes += f.bytes.len();
                    }
                    fits
                })
                .unwrap_or(false);
            if keep {
                (
                    Entry {
                        len,
                        mtime: 0,
                        hash: h,
                        key: f.key,
                    },
                    Fate::Pending(f.bytes),
                )
            } else {
                let tmp = tmp_beside(&path);
                self.ensure_parent(&tmp)?;
                let mtime = write_new(&tmp, &f.bytes)?;
                (
                    Entry {
                        len,
                        mtime,
                        hash: h,
                        key: f.key,
                    },
                    Fate::Spilled(tmp),
                )
            }
        };
        if let Ok(mut s) = self.state.lock() {
            s.files.push((f.path, entry, fate));
        }
        Ok(())
    }
}

/// Writes `files` into `dir` (all at once: for tests and small sites).
pub fn write(dir: &Path, files: &[OutputFile]) -> io::Result<WriteStats> {
    use crate::site::Sink;
    let sink = DiskSink::open(dir)?;
    for f in files {
        if let Err(e) = sink.put(f.clone()) {
            sink.abandon();
            return Err(e);
        }
    }
    sink.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(path: &str, s: &str) -> OutputFile {
        OutputFile::new(path, s.as_bytes().to_vec())
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
    fn an_abandoned_build_leaves_the_folder_as_it_was() {
        use crate::site::Sink;
        let parent = tempfile::tempdir().unwrap();
        let d = parent.path().join("public");
        // First build: staged beside the folder, nothing there until commit.
        let sink = DiskSink::open(&d).unwrap();
        sink.put(f("index.html", "one")).unwrap();
        assert!(!d.exists());
        sink.abandon();
        assert!(!d.exists());
        assert_eq!(std::fs::read_dir(parent.path()).unwrap().count(), 0);
        write(&d, &[f("index.html", "one"), f("a/index.html", "a")]).unwrap();
        // Second build, abandoned: changed and spilled files never land.
        let sink = DiskSink::open(&d).unwrap();
        sink.put(f("index.html", "two")).unwrap();
        sink.put(f("b/index.html", &"x".repeat(MEMORY_BUDGET + 1)))
            .unwrap();
        sink.abandon();
        assert_eq!(
            std::fs::read_to_string(d.join("index.html")).unwrap(),
            "one"
        );
        assert!(!d.join("b").join("index.html").exists());
        let leftovers: Vec<_> = walkdir::WalkDir::new(&d)
            .into_iter()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().contains("dossier-tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn spilled_files_are_moved_in_at_commit() {
        use crate::site::Sink;
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(d, &[f("index.html", "one")]).unwrap();
        let big = "y".repeat(MEMORY_BUDGET + 1);
        let sink = DiskSink::open(d).unwrap();
        sink.put(f("index.html", &big)).unwrap();
        let s = sink.commit().unwrap();
        assert_eq!(s.written, 1);
        assert_eq!(std::fs::read_to_string(d.join("index.html")).unwrap(), big);
    }

    #[test]
    fn streamed_files_are_written_kept_when_equal_and_never_half_written() {
        use crate::site::Sink;
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("public");
        let stream = |sink: &DiskSink, text: &'static str| {
            let w = move |w: &mut dyn io::Write| w.write_all(text.as_bytes());
            sink.put_with("data/big.json", &w).unwrap();
        };
        let sink = DiskSink::open(&d).unwrap();
        stream(&sink, "[1,2]");
        assert_eq!(sink.commit().unwrap().written, 1);
        assert_eq!(
            std::fs::read_to_string(d.join("data/big.json")).unwrap(),
            "[1,2]"
        );
        let sink = DiskSink::open(&d).unwrap();
        stream(&sink, "[1,2]");
        let s = sink.commit().unwrap();
        assert_eq!((s.written, s.unchanged), (0, 1));
        // A changed file is moved in at commit only; abandoned, it never lands.
        let sink = DiskSink::open(&d).unwrap();
        stream(&sink, "[3]");
        assert_eq!(
            std::fs::read_to_string(d.join("data/big.json")).unwrap(),
            "[1,2]"
        );
        sink.abandon();
        assert_eq!(
            std::fs::read_to_string(d.join("data/big.json")).unwrap(),
            "[1,2]"
        );
        assert_eq!(std::fs::read_dir(d.join("data")).unwrap().count(), 1);
        let sink = DiskSink::open(&d).unwrap();
        stream(&sink, "[3]");
        assert_eq!(sink.commit().unwrap().written, 1);
        assert_eq!(
            std::fs::read_to_string(d.join("data/big.json")).unwrap(),
            "[3]"
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
