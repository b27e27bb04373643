//! Builds kept in memory (tests, tools): a sink that holds every file.
//! (`serve` keeps its build alive and updates it: see [`super::LiveSite`].)

use super::{build_into, BuildOptions, Built};
use crate::diagnostics::Diagnostics;
use crate::site::{OutputFile, Sink};
use std::sync::Mutex;

/// Keeps every file in memory.
#[derive(Default)]
pub struct MemorySink {
    pub files: Mutex<Vec<OutputFile>>,
}

impl Sink for MemorySink {
    fn put(&self, file: OutputFile) -> std::io::Result<()> {
        if let Ok(mut f) = self.files.lock() {
            f.push(file);
        }
        Ok(())
    }
}

/// Runs the whole pipeline in memory; the files come sorted by path.
pub fn build_site(opts: &BuildOptions) -> Result<Built, Diagnostics> {
    let sink = MemorySink::default();
    let report = build_into(opts, &sink)?;
    let mut files = sink.files.into_inner().unwrap_or_default();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Built {
        files,
        warnings: report.warnings,
        stats: report.stats,
        config: report.config,
        timings: report.timings,
    })
}
