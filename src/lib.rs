//! dossier: a static site generator for annotated article archives.
//!
//! The pipeline, one module per stage:
//! 1. [`config`] and [`content`]: load `config.toml` and every Markdown file;
//! 2. [`annotate`]: resolve entity links, standoff annotations, names found
//!    in plain text, footnotes: every mention placed and numbered;
//! 3. [`render`]: Markdown to HTML, Tera templates;
//! 4. [`site`]: the pages of the site and their URLs, feed, sitemap, JSON;
//! 5. [`output`]: write what changed.
//!
//! [`build::build_site`] ties them together; [`cmd`] holds the commands.

pub mod annotate;
pub mod build;
pub mod cli;
pub mod cmd;
pub mod collate;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod escape;
pub mod output;
pub mod progress;
pub mod render;
pub mod serve;
pub mod site;
