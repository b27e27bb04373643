//! Stage 5, output: writes the built site into the output folder, touching
//! only files whose bytes changed, and removing files that an earlier build
//! wrote and that no longer belong to the site. What dossier wrote is
//! recorded in a manifest (`.dossier-manifest`) with each file's length,
//! modification time and hash, so an unchanged file is recognised without
//! reading it, and a file dossier did not write is never deleted.
//!
//! A build into an earlier one is committed in two phases. First every
//! changed file is written under a temporary name beside its place (in
//! parallel) and whatever would keep it from moving in is looked for; any
//! failure removes what was written, and the output folder stays exactly as
//! it was, manifest included. Only then are stale files removed, the new
//! files renamed into place and the manifest replaced.
//!
//! Two outputs with one path, or a file where another output needs a
//! folder, clash, and so do paths that are one on a case-insensitive file
//! system: [`path_clashes`] names them and what made them before anything
//! is written, and the sink refuses to commit them (exact paths only: see
//! `Claims`). [`PathIndex`] finds, as cheaply, the clashes of the pages
//! an edit under `serve` adds.

use crate::build::Annotated;
use crate::diagnostics::{Diagnostic, Severity};
use crate::site::OutputFile;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
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

/// The manifest listing `entries`, sorted by path.
fn manifest_text<'a>(entries: impl Iterator<Item = (&'a str, &'a Entry)>) -> String {
    let mut entries: Vec<(&str, &Entry)> = entries.collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    let mut text = String::with_capacity(64 * entries.len() + 100);
    text.push_str(
        "# dossier: files written by the last build (length, mtime, hash, page key, path)\n",
    );
    for (p, e) in entries {
        text.push_str(&format!(
            "{}\t{}\t{:016x}\t{:016x}\t{}\n",
            e.len, e.mtime, e.hash, e.key, p
        ));
    }
    text
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

/// The inverse of [`safe_join`]: `path` relative to `dir`, `/`-separated.
fn rel_of(dir: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(dir).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

/// Where a changed file waits for the commit: beside its place, hidden.
fn tmp_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.dossier-tmp"))
}

/// An error that says which file it is about.
fn at(path: &Path, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

/// Where a file put into the sink went.
enum Fate {
    Unchanged,
    /// Written where it belongs (into the staging folder).
    Written,
    /// Kept in memory, written beside its place in the commit's first phase.
    Pending(std::sync::Arc<Vec<u8>>),
    /// Written under a temporary name (beside its place, or in the output
    /// folder itself when a stale file stands where its folder must go),
    /// renamed into place in the commit's second phase.
    Spilled(PathBuf),
}

#[derive(Default)]
struct State {
    files: Vec<(String, Entry, Fate)>,
    pending_bytes: usize,
}

/// What a build put into the sink so far, path by path, to find clashes:
/// two files with one path, or a file where another needs a folder.
#[derive(Default)]
struct Claims {
    /// Every file, with its length and hash (none while it is streamed).
    files: HashMap<String, Option<(u64, u64)>>,
    /// Every folder those files need.
    dirs: HashSet<String>,
    clashes: Vec<String>,
}

#[derive(Debug, PartialEq, Eq)]
enum Claim {
    New,
    /// The same bytes again under the same path: nothing to do.
    Again,
    /// Refused: recorded, and the commit will fail naming it.
    Clash,
}

impl Claims {
    fn claim(&mut self, rel: &str, sum: Option<(u64, u64)>) -> Claim {
        if let Some(first) = self.files.get(rel) {
            if sum.is_some() && *first == sum {
                return Claim::Again;
            }
            self.clashes
                .push(format!("`{rel}` is made twice, with different contents"));
            return Claim::Clash;
        }
        if self.dirs.contains(rel) {
            let mut under: Vec<&String> = self
                .files
                .keys()
                .filter(|f| f.strip_prefix(rel).is_some_and(|r| r.starts_with('/')))
                .collect();
            under.sort();
            let under = under.first().map(|s| s.as_str()).unwrap_or("");
            self.clashes.push(format!(
                "`{rel}` is a file, but `{under}` needs it to be a folder"
            ));
            return Claim::Clash;
        }
        for (i, _) in rel.match_indices('/') {
            let dir = &rel[..i];
            if self.files.contains_key(dir) {
                self.clashes.push(format!(
                    "`{dir}` is a file, but `{rel}` needs it to be a folder"
                ));
                return Claim::Clash;
            }
        }
        for (i, _) in rel.match_indices('/') {
            if !self.dirs.contains(&rel[..i]) {
                self.dirs.insert(rel[..i].to_string());
            }
        }
        self.files.insert(rel.to_string(), sum);
        Claim::New
    }
}

/// Changed files kept in memory before they spill to temporary files.
pub const MEMORY_BUDGET: usize = 64 << 20;

/// Writes a build into the output folder so that a failed build leaves it
/// exactly as it was. Into a folder that does not exist yet, files go to a
/// staging folder beside it that is renamed into place at the end. Into an
/// earlier build, unchanged files are recognised and left alone; changed
/// files wait in memory (up to [`MEMORY_BUDGET`]) or in temporary files
/// beside their place, and are moved in only by [`DiskSink::commit`], once
/// all of them are safely on disk.
///
/// A file whose path clashes with another's (see [`Claims`]) is not
/// written, and makes [`DiskSink::commit`] fail, naming it, with nothing
/// changed.
pub struct DiskSink {
    dir: PathBuf,
    staging: Option<PathBuf>,
    old: HashMap<String, Entry>,
    state: Mutex<State>,
    claims: Mutex<Claims>,
    /// Folders known to exist.
    made: Mutex<HashSet<PathBuf>>,
    /// Folders this build made in the output folder, removed again if it is
    /// abandoned.
    created: Mutex<Vec<PathBuf>>,
    /// Numbers temporary files kept in the output folder itself.
    spare: AtomicUsize,
}

/// A failure of the commit's first phase: nothing in the output changed.
fn untouched(dir: &Path, e: io::Error) -> io::Error {
    io::Error::new(
        e.kind(),
        format!("{e}; nothing in {} was changed", dir.display()),
    )
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
            claims: Mutex::new(Claims::default()),
            made: Mutex::new(HashSet::new()),
            created: Mutex::new(Vec::new()),
            spare: AtomicUsize::new(0),
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

    fn claim(&self, rel: &str, sum: Option<(u64, u64)>) -> Claim {
        match self.claims.lock() {
            Ok(mut c) => c.claim(rel, sum),
            Err(_) => Claim::Clash,
        }
    }

    /// Makes the folder `dir` and its missing parents, noting those it made
    /// (to remove them if the build is abandoned).
    fn make_dirs(&self, dir: &Path) -> io::Result<()> {
        if self.made.lock().is_ok_and(|m| m.contains(dir)) {
            return Ok(());
        }
        let mut missing = Vec::new();
        let mut d = dir;
        loop {
            match std::fs::metadata(d) {
                Ok(m) if m.is_dir() => break,
                Ok(_) => {
                    return Err(io::Error::new(
                        io::ErrorKind::AlreadyExists,
                        format!("{} is a file, where a folder must go", d.display()),
                    ))
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    missing.push(d);
                    match d.parent() {
                        Some(p) if !p.as_os_str().is_empty() => d = p,
                        _ => break,
                    }
                }
                Err(e) => return Err(at(d, e)),
            }
        }
        for d in missing.into_iter().rev() {
            match std::fs::create_dir(d) {
                Ok(()) => {
                    if let Ok(mut c) = self.created.lock() {
                        c.push(d.to_path_buf());
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && d.is_dir() => {}
                Err(e) => return Err(at(d, e)),
            }
        }
        if let Ok(mut made) = self.made.lock() {
            made.insert(dir.to_path_buf());
        }
        Ok(())
    }

    /// The file nearest `dir` that stands where a folder must be, if any.
    fn file_in_the_way(&self, dir: &Path) -> Option<PathBuf> {
        dir.ancestors()
            .take_while(|d| d.starts_with(&self.dir) && *d != self.dir)
            .find(|d| std::fs::metadata(d).is_ok_and(|m| !m.is_dir()))
            .map(Path::to_path_buf)
    }

    /// Where the changed file `rel`, whose place is `path`, waits for the
    /// commit: beside its place; or, when a file the last build wrote stands
    /// where one of its folders must go (that file goes before this one
    /// comes), in the output folder itself. A file dossier did not write in
    /// the way is an error that names it.
    fn temp_for(&self, rel: &str, path: &Path) -> io::Result<PathBuf> {
        let parent = path.parent().unwrap_or(&self.dir);
        let Err(e) = self.make_dirs(parent) else {
            return Ok(tmp_beside(path));
        };
        let Some(block) = self.file_in_the_way(parent) else {
            return Err(io::Error::new(
                e.kind(),
                format!("cannot write `{rel}`: {e}"),
            ));
        };
        let ours = rel_of(&self.dir, &block).is_some_and(|b| self.old.contains_key(&b));
        if !ours {
            return Err(io::Error::new(
                e.kind(),
                format!(
                    "cannot write `{rel}`: {} is a file dossier did not write, where a folder must go",
                    block.display()
                ),
            ));
        }
        let n = self.spare.fetch_add(1, Ordering::Relaxed);
        Ok(self
            .dir
            .join(format!(".dossier-tmp-{}-{n}", std::process::id())))
    }

    /// Checks that the folder standing at `path`, where the file `rel` must
    /// go, holds only files the last build wrote and this one does not: they
    /// are removed, and the folder with them, before the file moves in.
    fn folder_in_the_way(&self, rel: &str, path: &Path, wanted: &Claims) -> io::Result<()> {
        for e in walkdir::WalkDir::new(path) {
            let e = e.map_err(io::Error::from)?;
            if e.file_type().is_dir() {
                continue;
            }
            let stale = e.file_type().is_file()
                && rel_of(&self.dir, e.path())
                    .is_some_and(|r| self.old.contains_key(&r) && !wanted.files.contains_key(&r));
            if !stale {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!(
                        "cannot write `{rel}`: a folder is in its place, holding {}, which dossier did not write",
                        e.path().display()
                    ),
                ));
            }
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

    fn take_files(&self) -> Vec<(String, Entry, Fate)> {
        self.state
            .lock()
            .map(|mut s| std::mem::take(&mut s.files))
            .unwrap_or_default()
    }

    /// Removes the temporary files of `files` and the manifest's, and the
    /// folders this build made that are empty.
    fn discard(&self, files: &[(String, Entry, Fate)]) {
        for (_, _, fate) in files {
            if let Fate::Spilled(tmp) = fate {
                let _ = std::fs::remove_file(tmp);
            }
        }
        for name in [MANIFEST_TMP, MANIFEST_PRE] {
            let _ = std::fs::remove_file(self.dir.join(name));
        }
        self.remove_empty_made_folders();
    }

    fn remove_empty_made_folders(&self) {
        let mut dirs = self
            .created
            .lock()
            .map(|mut c| std::mem::take(&mut *c))
            .unwrap_or_default();
        // Deepest first; a folder that holds anything stays.
        dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
        for d in dirs {
            let _ = std::fs::remove_dir(d);
        }
    }

    /// Moves everything into place and records the manifest. On an error in
    /// the first phase (writing every changed file under a temporary name,
    /// and finding what is in the way), or with clashing paths, the output
    /// folder is left exactly as it was.
    pub fn commit(self) -> io::Result<WriteStats> {
        let claims = self
            .claims
            .lock()
            .map(|mut c| std::mem::take(&mut *c))
            .unwrap_or_default();
        if !claims.clashes.is_empty() {
            let mut clashes = claims.clashes;
            clashes.sort();
            clashes.dedup();
            let dir = self.dir.clone();
            self.abandon();
            return Err(untouched(
                &dir,
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("output paths clash: {}", clashes.join("; ")),
                ),
            ));
        }
        let mut files = self.take_files();
        match &self.staging {
            Some(staging) => self.commit_staged(staging, files),
            None => {
                if let Err(e) = self.write_temps(&mut files, &claims) {
                    self.discard(&files);
                    return Err(untouched(&self.dir, e));
                }
                self.move_in(files, &claims)
            }
        }
    }

    /// A new output folder: the staging folder, complete, takes its place.
    fn commit_staged(
        &self,
        staging: &Path,
        files: Vec<(String, Entry, Fate)>,
    ) -> io::Result<WriteStats> {
        let stats = WriteStats {
            written: files.len(),
            ..WriteStats::default()
        };
        let text = manifest_text(files.iter().map(|(p, e, _)| (p.as_str(), e)));
        let tmp = staging.join(MANIFEST_TMP);
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, staging.join(MANIFEST))?;
        if self.dir.exists() {
            // Created meanwhile (empty, or rename fails and says why).
            let _ = std::fs::remove_dir(&self.dir);
        }
        std::fs::rename(staging, &self.dir)?;
        Ok(stats)
    }

    /// The commit's first phase: every changed file in a temporary file
    /// beside its place, nothing standing in the way of moving it in, the
    /// manifests ready. Changes nothing in the output folder.
    fn write_temps(&self, files: &mut [(String, Entry, Fate)], claims: &Claims) -> io::Result<()> {
        let results: Vec<io::Result<()>> = files
            .par_iter_mut()
            .map(|(rel, entry, fate)| {
                let path = match fate {
                    Fate::Pending(_) | Fate::Spilled(_) => self.place_of(rel)?,
                    Fate::Unchanged | Fate::Written => return Ok(()),
                };
                if std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
                    self.folder_in_the_way(rel, &path, claims)?;
                }
                if let Fate::Pending(bytes) = fate {
                    let bytes = bytes.clone();
                    let tmp = self.temp_for(rel, &path)?;
                    // Noted first, so that a half-written one is removed.
                    *fate = Fate::Spilled(tmp.clone());
                    entry.mtime = write_new(&tmp, &bytes).map_err(|e| at(&tmp, e))?;
                }
                Ok(())
            })
            .collect();
        results.into_iter().collect::<io::Result<()>>()?;
        let text = manifest_text(files.iter().map(|(p, e, _)| (p.as_str(), e)));
        // The same manifest (nothing changed) is not written again: a build
        // that changes nothing writes no file.
        let same = std::fs::read(self.dir.join(MANIFEST)).is_ok_and(|old| old == text.as_bytes());
        let tmp = self.dir.join(MANIFEST_TMP);
        if same {
            // One a killed build left must not replace it.
            let _ = std::fs::remove_file(&tmp);
        } else {
            std::fs::write(&tmp, text).map_err(|e| at(&tmp, e))?;
        }
        // While files move in, the manifest in place lists every file that
        // is dossier's, old or new: a build killed halfway leaves no file
        // that the next one would not know as its own.
        if files.iter().any(|(p, _, _)| !self.old.contains_key(p)) {
            let now: HashMap<&str, &Entry> =
                files.iter().map(|(p, e, _)| (p.as_str(), e)).collect();
            let stale = self
                .old
                .iter()
                .filter(|(p, _)| !now.contains_key(p.as_str()))
                .map(|(p, e)| (p.as_str(), e));
            let text = manifest_text(now.iter().map(|(p, e)| (*p, *e)).chain(stale));
            let pre = self.dir.join(MANIFEST_PRE);
            std::fs::write(&pre, text).map_err(|e| at(&pre, e))?;
        }
        Ok(())
    }

    /// The commit's second phase: the manifest of old and new files, stale
    /// files out, new files in, the new manifest. A failure here (after the
    /// first phase made sure of everything it could) still ends with a
    /// manifest that lists every file of dossier's in the folder.
    fn move_in(
        &self,
        files: Vec<(String, Entry, Fate)>,
        claims: &Claims,
    ) -> io::Result<WriteStats> {
        let pre = self.dir.join(MANIFEST_PRE);
        if pre.exists() {
            if let Err(e) = std::fs::rename(&pre, self.dir.join(MANIFEST)) {
                self.discard(&files);
                return Err(untouched(&self.dir, at(&pre, e)));
            }
        }
        let mut stats = WriteStats::default();
        // Stale files first: they may stand where a new file or folder goes.
        let mut stale: Vec<&String> = self
            .old
            .keys()
            .filter(|p| !claims.files.contains_key(p.as_str()))
            .collect();
        stale.sort();
        let mut still_there: Vec<&String> = Vec::new();
        for p in stale {
            let Some(path) = safe_join(&self.dir, p) else {
                continue;
            };
            if !path.is_file() {
                continue;
            }
            if std::fs::remove_file(&path).is_err() {
                still_there.push(p);
                continue;
            }
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
        let failed: Vec<(usize, io::Error)> = files
            .par_iter()
            .enumerate()
            .filter_map(|(i, (rel, _, fate))| {
                let Fate::Spilled(tmp) = fate else {
                    return None;
                };
                let path = safe_join(&self.dir, rel)?;
                let parent = path.parent().unwrap_or(&self.dir);
                let moved = if tmp.parent() == Some(parent) {
                    std::fs::rename(tmp, &path)
                } else {
                    std::fs::create_dir_all(parent).and_then(|()| std::fs::rename(tmp, &path))
                };
                moved.err().map(|e| {
                    let _ = std::fs::remove_file(tmp);
                    (i, at(&path, e))
                })
            })
            .collect();
        for (_, _, fate) in &files {
            match fate {
                Fate::Unchanged => stats.unchanged += 1,
                _ => stats.written += 1,
            }
        }
        stats.written -= failed.len();
        let tmp = self.dir.join(MANIFEST_TMP);
        if failed.is_empty() && still_there.is_empty() {
            if tmp.exists() {
                std::fs::rename(&tmp, self.dir.join(MANIFEST)).map_err(|e| at(&tmp, e))?;
            }
            return Ok(stats);
        }
        // What is in the folder now: the old version of each file that did
        // not move in, and the stale files that could not be removed.
        let _ = std::fs::remove_file(&tmp);
        self.remove_empty_made_folders();
        let not_in: HashSet<usize> = failed.iter().map(|(i, _)| *i).collect();
        let entries = files
            .iter()
            .enumerate()
            .filter_map(|(i, (p, e, _))| match not_in.contains(&i) {
                false => Some((p.as_str(), e)),
                true => self.old.get_key_value(p).map(|(p, e)| (p.as_str(), e)),
            })
            .chain(
                still_there
                    .iter()
                    .filter_map(|p| self.old.get_key_value(p.as_str()))
                    .map(|(p, e)| (p.as_str(), e)),
            );
        std::fs::write(self.dir.join(MANIFEST), manifest_text(entries))?;
        let (kind, first) = match failed.into_iter().next() {
            Some((_, e)) => (e.kind(), e.to_string()),
            None => (
                io::ErrorKind::Other,
                "cannot remove stale files".to_string(),
            ),
        };
        Err(io::Error::new(
            kind,
            format!(
                "{first}; {} is partly updated, build again once this is fixed",
                self.dir.display()
            ),
        ))
    }

    /// Undoes everything: the output folder stays as it was.
    pub fn abandon(self) {
        if let Some(staging) = &self.staging {
            let _ = std::fs::remove_dir_all(staging);
            return;
        }
        let files = self.take_files();
        self.discard(&files);
    }
}

/// The next manifest, written in the commit's first phase.
const MANIFEST_TMP: &str = ".dossier-manifest.tmp";
/// The manifest of old and new files, in place while files move in.
const MANIFEST_PRE: &str = ".dossier-manifest.pre.tmp";

impl crate::site::Sink for DiskSink {
    fn put_with(&self, rel: &str, write: &crate::site::WriteFn) -> io::Result<()> {
        let path = self.place_of(rel)?;
        if self.claim(rel, None) != Claim::New {
            return Ok(());
        }
        let (len, hash, mtime, fate) = if self.staging.is_some() {
            self.make_dirs(path.parent().unwrap_or(self.base()))?;
            let (len, hash, mtime) = stream_to(&path, write)?;
            (len, hash, mtime, Fate::Written)
        } else {
            // Beside its place, then kept only if it differs from what the
            // last build wrote there (and is still there).
            let tmp = self.temp_for(rel, &path)?;
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
        if let Ok(mut c) = self.claims.lock() {
            c.files.insert(rel.to_string(), Some((len, hash)));
        }
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
        if same && self.claim(rel, Some((e.len, e.hash))) == Claim::New {
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
        if self.claim(&f.path, Some((len, h))) != Claim::New {
            return Ok(());
        }
        let entry = |mtime| Entry {
            len,
            mtime,
            hash: h,
            key: f.key,
        };
        let (entry, fate) = if self.staging.is_some() {
            self.make_dirs(path.parent().unwrap_or(self.base()))?;
            (entry(write_new(&path, &f.bytes)?), Fate::Written)
        } else if let Some(mtime) = self.unchanged(&path, &f.path, len, h, &f.bytes) {
            (entry(mtime), Fate::Unchanged)
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
                (entry(0), Fate::Pending(f.bytes.clone()))
            } else {
                let tmp = self.temp_for(&f.path, &path)?;
                let mtime = write_new(&tmp, &f.bytes).inspect_err(|_| {
                    let _ = std::fs::remove_file(&tmp);
                })?;
                (entry(mtime), Fate::Spilled(tmp))
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

/// Data files a sink that wants no pages (`check`) is not given, and
/// `serve` makes apart: they count as made when they are not listed.
const ATOM: &str = "atom.xml";
const JSON_FILES: [&str; 2] = ["entities.json", "search.json"];

/// The data files a build makes that a render did not list: the feed
/// unless `atom`, the JSON files unless `json`.
pub(crate) fn unlisted_data_files(atom: bool, json: bool) -> impl Iterator<Item = &'static str> {
    (!atom)
        .then_some(ATOM)
        .into_iter()
        .chain(JSON_FILES.into_iter().filter(move |_| !json))
}

/// What made an output file, for messages.
enum Maker<'a> {
    Page(&'a crate::content::Page),
    Article(&'a crate::content::Article),
    Static(String),
    Site,
}

impl Maker<'_> {
    /// `here`: the message is at this maker's file.
    fn describe(&self, rel: &str, here: bool) -> String {
        match self {
            Maker::Page(_) if here => "this page".to_string(),
            Maker::Article(_) if here => "this article".to_string(),
            Maker::Static(_) if here => "this static file".to_string(),
            Maker::Page(p) => format!("the page {}", p.file.path.display()),
            Maker::Article(a) => format!("the article {}", a.file.path.display()),
            Maker::Static(s) => format!("the static file {s}"),
            Maker::Site if rel.ends_with(".html") => "the site's own page".to_string(),
            Maker::Site => "the site's own file".to_string(),
        }
    }

    /// Which side of a clash the message goes to: the lowest.
    fn rank(&self) -> u8 {
        match self {
            Maker::Page(_) | Maker::Article(_) => 0,
            Maker::Static(_) => 1,
            Maker::Site => 2,
        }
    }

    /// Where the message goes: the user's file that made it, at its
    /// `slug` when it has one.
    fn diagnostic(&self, root: &Path, message: String) -> Option<Diagnostic> {
        let (path, slug_set) = match self {
            Maker::Page(p) => (&p.file.path, p.meta.slug.is_some()),
            Maker::Article(a) => (&a.file.path, a.meta.slug.is_some()),
            Maker::Static(s) => {
                return Some(Diagnostic::file(Severity::Error, Path::new(s), message))
            }
            Maker::Site => return None,
        };
        // An article's text is dropped after annotating: read it again.
        let text = std::fs::read_to_string(root.join(path)).unwrap_or_default();
        let at = slug_set.then(|| value_offset(&text, "slug")).flatten();
        Some(match at {
            Some(offset) => Diagnostic::error_at(path, &text, offset, message),
            None => Diagnostic::file(Severity::Error, path, message),
        })
    }

    fn note(&self) -> Option<&'static str> {
        match self {
            Maker::Page(_) | Maker::Article(_) => Some("set another `slug`"),
            Maker::Static(_) => Some(
                "a file in static/ may replace a built-in asset (style.css, syntax.css), not a page or file the site makes; to change a built-in page, put a template of its name in templates/",
            ),
            Maker::Site => None,
        }
    }
}

/// The offset of the value of `key` in a file's front matter (its first
/// character, inside the quotes), as other messages about front matter.
fn value_offset(text: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n').take(200) {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix(key) {
            if let Some(value) = rest.trim_start().strip_prefix('=') {
                let value = value.trim_start();
                let quotes = if value.starts_with("\"\"\"") || value.starts_with("'''") {
                    3
                } else if value.starts_with(['"', '\'']) {
                    1
                } else {
                    0
                };
                return Some(offset + line.len() - value.len() + quotes);
            }
        }
        offset += line.len();
    }
    None
}

/// What two output paths are compared as: without regard to case, as a
/// case-insensitive file system (macOS, Windows, where many preview a site)
/// compares names, so that two outputs that would overwrite each other
/// there are an error on every system. The fold is the one slugs get
/// ([`crate::content::fold_case`]: Unicode lower case, Rust's
/// `to_lowercase`, a letter at a time but for a final `Σ`). APFS, HFS+
/// and NTFS take as one name what it makes one, and more only for a few
/// letters that case folding and lower case tell apart (`ς` and `σ`, `ſ`
/// and `s`), not folded here; nor is Unicode normalisation (APFS also takes
/// NFC and NFD as one name). Borrowed: the path is its own fold, as the
/// site's own paths are; owned, it is not.
fn fold(path: &str) -> Cow<'_, str> {
    if !path
        .bytes()
        .any(|b| b.is_ascii_uppercase() || !b.is_ascii())
    {
        return Cow::Borrowed(path);
    }
    match crate::content::fold_case(path) {
        f if f == path => Cow::Borrowed(path),
        f => Cow::Owned(f),
    }
}

/// The folders `folded` (a path as [`fold`] gives it) needs, innermost last.
fn folders_of(folded: &str) -> impl Iterator<Item = &str> {
    folded.match_indices('/').map(move |(i, _)| &folded[..i])
}

/// The output paths of a site as a case-insensitive file system sees them
/// (see [`fold`]), kept by `serve` between edits: an edit in place then
/// asks [`PathIndex::may_clash`] about the paths it adds only, and runs
/// [`path_clashes`] on the whole site only when one of them may clash.
/// Paths are kept as hashes (no copy of each): two paths that share one (a
/// chance in 2^64 a pair) at worst make an edit run the whole check, which
/// then finds nothing.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PathIndex {
    /// Every file, by the hash of its fold, with how many paths have it.
    files: HashMap<u64, u32>,
    /// Every folder those files need, so, with how many files it holds.
    dirs: HashMap<u64, u32>,
}

/// The hash a folded path is kept as in a [`PathIndex`].
fn key(folded: &str) -> u64 {
    hash(folded.as_bytes())
}

/// One less of `k` in `counts`.
fn forget(counts: &mut HashMap<u64, u32>, k: u64) {
    if let Some(n) = counts.get_mut(&k) {
        *n -= 1;
        if *n == 0 {
            counts.remove(&k);
        }
    }
}

impl PathIndex {
    pub fn new<'a>(paths: impl IntoIterator<Item = &'a str>) -> PathIndex {
        let mut index = PathIndex::default();
        for p in paths {
            index.insert(p);
        }
        index
    }

    pub fn insert(&mut self, path: &str) {
        let f = fold(path);
        for d in folders_of(&f) {
            *self.dirs.entry(key(d)).or_default() += 1;
        }
        *self.files.entry(key(&f)).or_default() += 1;
    }

    /// Forgets `path`, which must have been inserted.
    pub fn remove(&mut self, path: &str) {
        let f = fold(path);
        if !self.files.contains_key(&key(&f)) {
            return;
        }
        forget(&mut self.files, key(&f));
        for d in folders_of(&f) {
            forget(&mut self.dirs, key(d));
        }
    }

    /// Whether the file `folded` clashes with one of the index: the same
    /// file, a file where it needs a folder, or a folder where it goes.
    fn hit(&self, folded: &str) -> bool {
        let k = key(folded);
        self.files.contains_key(&k)
            || self.dirs.contains_key(&k)
            || folders_of(folded).any(|d| self.files.contains_key(&key(d)))
    }

    /// Whether any of `added`, paths new to the site, may clash with a path
    /// of the index or with another of them, as [`path_clashes`] would find
    /// (which then says whether they do, and how). Costs a lookup per path
    /// and folder of `added`, whatever the size of the site.
    pub fn may_clash<'a>(&self, added: impl IntoIterator<Item = &'a str>) -> bool {
        let mut new = PathIndex::default();
        for p in added {
            let f = fold(p);
            if self.hit(&f) || new.hit(&f) {
                return true;
            }
            new.insert(p);
        }
        false
    }
}

/// Which way two output paths clash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Clash<'p> {
    /// The same path, made twice.
    Twice(&'p str),
    /// A file, and a path that needs it to be a folder (the first one).
    Folder(&'p str, &'p str),
    /// Two paths that differ only in case: one file on a case-insensitive
    /// file system.
    Case(&'p str, &'p str),
}

/// Whether `path` is a file in the site's `static/` folder spelt exactly so:
/// on a case-insensitive file system, `static/Logo.png` is also found as
/// `static/logo.png`.
fn is_static_file(root: &Path, rel: &str) -> bool {
    let dir = root.join("static");
    if !safe_join(&dir, rel).is_some_and(|p| p.is_file()) {
        return false;
    }
    let mut at = dir;
    for part in rel.split('/') {
        let listed = std::fs::read_dir(&at).is_ok_and(|mut entries| {
            entries.any(|e| e.is_ok_and(|e| e.file_name().to_str() == Some(part)))
        });
        if !listed {
            return false;
        }
        at.push(part);
    }
    true
}

/// Clashes between the output files `paths` of a build of the site at
/// `root`: a path made twice, a file where another output needs a folder,
/// or two paths that differ only in case (one file, or a file and a folder,
/// on a case-insensitive file system: see [`fold`]). Each is an error at
/// the user's file that made it (a page or article at its `slug`, a static
/// file), naming the other side. `atom` and `json`: whether the feed and
/// the JSON data files are among `paths`. Built-in assets replaced by a
/// static file never get here (see `static_files`); an empty
/// `static/.nojekyll` is the site's own.
pub fn path_clashes(
    root: &Path,
    a: &Annotated,
    paths: &[String],
    atom: bool,
    json: bool,
) -> Vec<Diagnostic> {
    let mut count: HashMap<&str, usize> = HashMap::with_capacity(paths.len() + 3);
    for p in paths {
        *count.entry(p.as_str()).or_default() += 1;
    }
    for p in unlisted_data_files(atom, json) {
        *count.entry(p).or_default() += 1;
    }
    let mut clashes: BTreeSet<Clash> = BTreeSet::new();
    // The paths that are not their own fold (`Logo.png`), by their fold,
    // with each spelling. Most sites have none: then only exact paths clash.
    let mut folded: HashMap<String, Vec<&str>> = HashMap::new();
    for (&p, &n) in &count {
        let harmless = p == ".nojekyll"
            && std::fs::metadata(root.join("static/.nojekyll")).is_ok_and(|m| m.len() == 0);
        if n > 1 && !harmless {
            clashes.insert(Clash::Twice(p));
        }
        if let Cow::Owned(f) = fold(p) {
            folded.entry(f).or_default().push(p);
        }
    }
    // Paths equal but for case: spellings of one fold, that fold itself
    // included when it is a path too.
    for (f, spellings) in &folded {
        let mut s = spellings.clone();
        s.extend(count.get_key_value(f.as_str()).map(|(&p, _)| p));
        if s.len() > 1 {
            s.sort_unstable();
            clashes.extend(s[1..].iter().map(|other| Clash::Case(s[0], other)));
        }
    }
    // For each file where a folder must go, the first output under it.
    let mut under: BTreeMap<&str, &str> = BTreeMap::new();
    let mut first_under = |file, p| {
        let first = under.entry(file).or_insert(p);
        if p < *first {
            *first = p;
        }
    };
    for &p in count.keys() {
        for d in folders_of(p) {
            if let Some((&file, _)) = count.get_key_value(d) {
                first_under(file, p);
            }
        }
        if folded.is_empty() {
            continue;
        }
        // The same, folded: `Tags` a file, and `tags/x/index.html`.
        let fp = fold(p);
        for d in folders_of(&fp) {
            for &file in folded.get(d).into_iter().flatten() {
                first_under(file, p);
            }
            if let (Cow::Owned(_), Some((&file, _))) = (&fp, count.get_key_value(d)) {
                first_under(file, p);
            }
        }
    }
    clashes.extend(under.into_iter().map(|(f, p)| Clash::Folder(f, p)));
    if clashes.is_empty() {
        return Vec::new();
    }
    let urls = &a.urls;
    let pages: HashMap<String, &crate::content::Page> = a
        .content
        .pages
        .iter()
        .map(|p| {
            (
                crate::site::urls::file_of(&urls.base_path, &urls.page(&p.slug)),
                p,
            )
        })
        .collect();
    let articles: HashMap<String, &crate::content::Article> = a
        .content
        .articles
        .iter()
        .map(|x| {
            (
                crate::site::urls::file_of(&urls.base_path, &urls.article(&x.slug)),
                x,
            )
        })
        .collect();
    let makers = |rel: &str| -> Vec<Maker> {
        let mut m = Vec::new();
        if let Some(p) = pages.get(rel) {
            m.push(Maker::Page(p));
        }
        if let Some(x) = articles.get(rel) {
            m.push(Maker::Article(x));
        }
        if is_static_file(root, rel) {
            m.push(Maker::Static(format!("static/{rel}")));
        }
        if m.len() < count.get(rel).copied().unwrap_or(1) {
            m.push(Maker::Site);
        }
        m
    };
    const CASE_INSENSITIVE: &str = "case-insensitive file systems";
    let mut out = Vec::new();
    for clash in clashes {
        let (file, other) = match clash {
            Clash::Twice(f) => (f, f),
            Clash::Folder(f, o) | Clash::Case(f, o) => (f, o),
        };
        let (mine, theirs) = if file == other {
            let mut m = makers(file);
            let first = m.remove(0);
            (first, m.pop().unwrap_or(Maker::Site))
        } else {
            (makers(file).remove(0), makers(other).remove(0))
        };
        // The error goes to a user's file: a page or article, else a static file.
        let (here, there, at, elsewhere) = if mine.rank() > theirs.rank() {
            (theirs, mine, other, file)
        } else {
            (mine, theirs, file, other)
        };
        let mut note = None;
        let message = match clash {
            Clash::Twice(_) => format!(
                "`{file}` is written twice: by {} and by {}",
                here.describe(at, true),
                there.describe(at, false)
            ),
            Clash::Folder(..) => {
                // The folder as the other output spells it.
                let depth = file.split('/').count();
                let folder = other.split('/').take(depth).collect::<Vec<_>>().join("/");
                let case = if folder == file {
                    String::new()
                } else {
                    format!(" (`{file}` and `{folder}` are one name on {CASE_INSENSITIVE}: macOS, Windows)")
                };
                format!(
                    "`{file}` cannot be both a file and a folder: {} is written to `{at}`, {} to `{elsewhere}`{case}",
                    here.describe(at, true),
                    there.describe(elsewhere, false)
                )
            }
            Clash::Case(..) => {
                if matches!((&here, &there), (Maker::Static(_), Maker::Static(_))) {
                    note = Some("rename or remove one of them");
                }
                format!(
                    "`{at}` and `{elsewhere}` are one file on {CASE_INSENSITIVE} (macOS, Windows): written by {} and by {}",
                    here.describe(at, true),
                    there.describe(elsewhere, false)
                )
            }
        };
        out.push(located(root, &here, &there, message, at, note));
    }
    out
}

/// The error about a clash, at `mine`'s file, or at the output path `rel`
/// when the site made both sides; with `note`, else the note of a side.
fn located(
    root: &Path,
    mine: &Maker,
    theirs: &Maker,
    message: String,
    rel: &str,
    note: Option<&'static str>,
) -> Diagnostic {
    let d = match mine.diagnostic(root, message.clone()) {
        Some(d) => d,
        None => Diagnostic::file(Severity::Error, Path::new(rel), message),
    };
    match note.or_else(|| mine.note()).or_else(|| theirs.note()) {
        Some(n) => d.with_note(n),
        None => d,
    }
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

    /// Every file (with its bytes) and folder under `d`.
    fn tree(d: &Path) -> Vec<(String, Option<Vec<u8>>)> {
        walkdir::WalkDir::new(d)
            .min_depth(1)
            .sort_by_file_name()
            .into_iter()
            .flatten()
            .map(|e| {
                let bytes = e
                    .file_type()
                    .is_file()
                    .then(|| std::fs::read(e.path()).unwrap());
                (rel_of(d, e.path()).unwrap(), bytes)
            })
            .collect()
    }

    #[test]
    fn a_failure_before_anything_moves_in_leaves_the_folder_as_it_was() {
        use crate::site::Sink;
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(d, &[f("index.html", "one"), f("a/index.html", "a")]).unwrap();
        // A user's file where a folder of the new build must go.
        std::fs::write(d.join("b"), "mine").unwrap();
        let before = tree(d);
        let sink = DiskSink::open(d).unwrap();
        sink.put(f("index.html", "two")).unwrap();
        sink.put(f("c/x/index.html", &"x".repeat(MEMORY_BUDGET + 1)))
            .unwrap();
        sink.put(f("b/index.html", "b")).unwrap();
        let e = sink.commit().unwrap_err().to_string();
        assert!(
            e.contains("`b/index.html`") && e.contains("nothing in"),
            "{e}"
        );
        assert_eq!(tree(d), before);
        // A folder holding a user's file where a changed file must go.
        std::fs::remove_file(d.join("b")).unwrap();
        std::fs::remove_file(d.join("a/index.html")).unwrap();
        std::fs::write(d.join("a/notes.txt"), "mine").unwrap();
        std::fs::rename(d.join("a"), d.join("index.html.d")).unwrap();
        let before = tree(d);
        let e = write(
            d,
            &[f("index.html", "three"), f("index.html.d", "file now")],
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("notes.txt"), "{e}");
        assert_eq!(tree(d), before);
    }

    #[test]
    fn stale_files_make_room_for_folders_and_folders_for_files() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(d, &[f("index.html", "i"), f("foo", "a file")]).unwrap();
        let s = write(d, &[f("index.html", "i"), f("foo/index.html", "a page")]).unwrap();
        assert_eq!((s.written, s.unchanged, s.removed), (1, 1, 1));
        assert_eq!(
            std::fs::read_to_string(d.join("foo/index.html")).unwrap(),
            "a page"
        );
        let s = write(d, &[f("index.html", "i"), f("foo", "a file again")]).unwrap();
        assert_eq!((s.written, s.unchanged, s.removed), (1, 1, 1));
        assert_eq!(
            std::fs::read_to_string(d.join("foo")).unwrap(),
            "a file again"
        );
        let names: Vec<String> = tree(d).into_iter().map(|(p, _)| p).collect();
        assert_eq!(names, [MANIFEST, "foo", "index.html"]);
    }

    #[test]
    fn clashing_paths_are_refused_with_nothing_written() {
        use crate::site::Sink;
        let parent = tempfile::tempdir().unwrap();
        let d = parent.path().join("public");
        // Into a new folder: nothing appears.
        let sink = DiskSink::open(&d).unwrap();
        sink.put(f("tags/example/index.html", "tag")).unwrap();
        sink.put(f("tags/example", "static")).unwrap();
        let e = sink.commit().unwrap_err().to_string();
        assert!(
            e.contains("`tags/example` is a file, but `tags/example/index.html`"),
            "{e}"
        );
        assert_eq!(std::fs::read_dir(parent.path()).unwrap().count(), 0);
        // Into an earlier build: it stays as it was.
        write(&d, &[f("index.html", "one"), f(".nojekyll", "")]).unwrap();
        let before = tree(&d);
        let e = write(&d, &[f("index.html", "two"), f("index.html", "mine")])
            .unwrap_err()
            .to_string();
        assert!(e.contains("`index.html` is made twice"), "{e}");
        let e = write(&d, &[f("x", "1"), f("x/y/z", "2"), f("index.html", "3")])
            .unwrap_err()
            .to_string();
        assert!(e.contains("`x` is a file, but `x/y/z`"), "{e}");
        assert_eq!(tree(&d), before);
        // The same bytes twice under one path are no clash.
        let s = write(
            &d,
            &[
                f("index.html", "one"),
                f(".nojekyll", ""),
                f(".nojekyll", ""),
            ],
        )
        .unwrap();
        assert_eq!((s.written, s.unchanged), (0, 2));
    }

    #[test]
    fn claims_find_every_kind_of_clash() {
        let mut c = Claims::default();
        assert_eq!(c.claim("a/b/index.html", Some((1, 1))), Claim::New);
        assert_eq!(c.claim("a/b/index.html", Some((1, 1))), Claim::Again);
        assert_eq!(c.claim("a/b/index.html", Some((1, 2))), Claim::Clash);
        assert_eq!(c.claim("a/b", Some((1, 1))), Claim::Clash);
        assert_eq!(c.claim("a", None), Claim::Clash);
        assert_eq!(c.claim("a/c", None), Claim::New);
        assert_eq!(c.claim("a/c/d", None), Claim::Clash);
        assert_eq!(c.claim("a/bb", None), Claim::New);
        assert_eq!(c.clashes.len(), 4);
    }

    #[test]
    fn a_killed_commit_leaves_a_manifest_that_knows_every_new_file() {
        use crate::site::Sink;
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(d, &[f("index.html", "one"), f("old/index.html", "old")]).unwrap();
        let sink = DiskSink::open(d).unwrap();
        sink.put(f("index.html", "two")).unwrap();
        sink.put(f("new/index.html", "new")).unwrap();
        let mut files = sink.take_files();
        let claims = std::mem::take(&mut *sink.claims.lock().unwrap());
        sink.write_temps(&mut files, &claims).unwrap();
        // As if killed right after the first step of the second phase.
        std::fs::rename(d.join(MANIFEST_PRE), d.join(MANIFEST)).unwrap();
        let listed = read_manifest(d).unwrap();
        for p in ["index.html", "old/index.html", "new/index.html"] {
            assert!(listed.contains_key(p), "{p}");
        }
        sink.discard(&files);
        // The next build puts everything right.
        let s = write(d, &[f("index.html", "three")]).unwrap();
        assert_eq!(s.removed, 1);
        let names: Vec<String> = tree(d).into_iter().map(|(p, _)| p).collect();
        assert_eq!(names, [MANIFEST, "index.html"]);
    }

    #[test]
    fn the_index_of_paths_finds_what_may_clash_in_any_case() {
        let mut index = PathIndex::new(["index.html", "tags/a/index.html", "Logo.png", "x"]);
        let may = |index: &PathIndex, added: &[&str]| index.may_clash(added.iter().copied());
        assert!(!may(
            &index,
            &["tags/b/index.html", "tags/a/page/2/index.html"]
        ));
        assert!(may(&index, &["tags/a/index.html"]));
        assert!(may(&index, &["TAGS/A/INDEX.HTML"]));
        assert!(may(&index, &["logo.png"]));
        assert!(may(&index, &["Tags"]), "a file where a folder is");
        assert!(may(&index, &["X/y"]), "a folder where a file is");
        assert!(may(&index, &["n/a", "N/A"]), "two new ones");
        assert!(may(&index, &["n/a", "N"]), "two new ones");
        assert!(!may(&index, &["Tags/b/index.html"]), "folders merge");
        assert_eq!(fold("Ciudad/MÉXICO"), "ciudad/méxico");
        index.insert("tags/b/index.html");
        index.remove("tags/a/index.html");
        index.remove("x");
        index.remove("never/there");
        assert_eq!(
            index,
            PathIndex::new(["index.html", "tags/b/index.html", "Logo.png"])
        );
        assert!(!may(&index, &["x/y"]));
    }
}
