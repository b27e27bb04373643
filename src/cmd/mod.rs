//! The commands around the pipeline: `build`, `check`, `serve`, `init`.
//! Each returns the process exit status (0, 1 for content errors, 2 for usage).

pub mod build;
pub mod check;
pub mod init;
pub mod serve;

/// Prints diagnostics to standard error.
pub fn print_diagnostics(d: &crate::diagnostics::Diagnostics) {
    let report = d.report();
    if !report.is_empty() {
        eprint!("{report}");
    }
}
