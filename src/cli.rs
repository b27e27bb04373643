//! Command-line arguments: raw args → a validated [`Command`], dispatched to
//! the `cmd` module. Exit status: 0 success, 1 errors in the content, 2 usage.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "dossier",
    version,
    about = "A static site generator for annotated article archives"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the site into the output folder (writes only what changed)
    Build {
        /// The site's folder (holding config.toml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: ROOT/public]
        #[arg(long)]
        output: Option<PathBuf>,
        /// Override base_url from config.toml
        #[arg(long)]
        base_url: Option<String>,
        /// Include articles and pages marked draft = true
        #[arg(long)]
        drafts: bool,
        /// Print how long each stage took
        #[arg(long)]
        timings: bool,
    },
    /// Report every error and warning in the content, without writing
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Override base_url from config.toml, as build's --base-url does
        #[arg(long)]
        base_url: Option<String>,
        #[arg(long)]
        drafts: bool,
    },
    /// Build, serve locally, rebuild and reload on change
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Address to listen on
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        #[arg(long, default_value_t = 1111)]
        port: u16,
        #[arg(long)]
        drafts: bool,
        /// Open the site in a browser
        #[arg(long)]
        open: bool,
    },
    /// Create a new site in DIR
    Init {
        dir: PathBuf,
        /// Write into a folder that is not empty (never overwrites a file)
        #[arg(long)]
        force: bool,
    },
}

pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(2),
            };
        }
    };
    let code = match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            timings,
        } => crate::cmd::build::run(&root, output.as_deref(), base_url, drafts, timings),
        Command::Check {
            root,
            base_url,
            drafts,
        } => crate::cmd::check::run(&root, base_url, drafts),
        Command::Serve {
            root,
            bind,
            port,
            drafts,
            open,
        } => crate::cmd::serve::run(&root, &bind, port, drafts, open),
        Command::Init { dir, force } => crate::cmd::init::run(&dir, force),
    };
    ExitCode::from(code)
}
