//! Command-line arguments (clap derive): one struct per command.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use laurel::BuildFlags;

/// laurel: a static site generator for a news column plus an honor roll.
#[derive(Debug, Parser)]
#[command(name = "laurel", version, about, long_about = None)]
pub struct Cli {
    /// Site folder (the one holding site.yaml).
    #[arg(long, global = true, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (public/ by default).
    Build(BuildArgs),
    /// Check everything a build checks, plus internal links; write nothing.
    Check(CheckArgs),
    /// Build, then rebuild into the output folder on every change.
    Watch(WatchArgs),
    /// Serve the site locally; rebuild and reload the browser on every change.
    Serve(ServeArgs),
    /// Create a new entry or person.
    #[command(subcommand)]
    New(NewCommand),
    /// Export the column for other places: one entry for WeChat, or the booklet.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Create a new site in DIR.
    Init {
        /// Folder to create (must be new or empty).
        dir: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// A diary entry: content/diary/<date>-<slug>.md
    Entry {
        /// The entry's title.
        title: String,
        /// Person id of the author.
        #[arg(long)]
        author: Option<String>,
    },
    /// A person: content/people/<id>.yaml
    Person {
        /// Person id: lowercase letters, digits, hyphens (e.g. dai-xiaohong).
        id: String,
        /// Full name.
        #[arg(long)]
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// One entry as HTML for the WeChat official-account editor (stdout, or -o FILE).
    ///
    /// Every style inline (the theme's wechat.css), no classes or ids,
    /// outside links as numbered notes at the end (unless site.yaml says
    /// `wechat: { links: keep }`), images as absolute URLs under base_url,
    /// the cover and its credit first. `laurel serve` puts the same on the
    /// clipboard with the 复制到公众号 button of each entry page.
    Wechat {
        /// The entry: its file (content/diary/2020-02-10-arrival.md) or its slug (arrival).
        entry: String,
        /// Write to FILE instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        #[command(flatten)]
        build: SiteFlags,
    },
    /// The whole column as a printable HTML booklet or an EPUB 3 e-book.
    ///
    /// A cover, the table of contents, the entries by month (oldest first)
    /// and the honor roll with portraits; the site's images inside the
    /// file. Written to <root>/<slug of the title>.html (or .epub) unless
    /// -o names the file.
    Book {
        /// html: one printable file; epub: an EPUB 3 e-book.
        #[arg(long, value_enum, default_value_t = BookFormat::Html)]
        format: BookFormat,
        /// Write to FILE (default: <root>/<slug of the title>.<html|epub>).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        #[command(flatten)]
        build: SiteFlags,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum BookFormat {
    Html,
    Epub,
}

/// What goes into the site, for every command that builds it.
#[derive(Debug, Args, Clone, Default)]
pub struct SiteFlags {
    /// Include entries marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Include entries dated in the future.
    #[arg(long)]
    pub future: bool,
    /// Override base_url from site.yaml.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
}

impl SiteFlags {
    /// The flags of a build with no output folder of its own (an export's
    /// output is `-o`).
    pub fn flags(&self) -> BuildFlags {
        BuildFlags {
            output: None,
            drafts: self.drafts,
            future: self.future,
            base_url: self.base_url.clone(),
        }
    }
}

#[derive(Debug, Args, Clone, Default)]
pub struct BuildArgs {
    /// Output folder (default: <root>/public).
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub site: SiteFlags,
}

#[derive(Debug, Args, Clone, Default)]
pub struct CheckArgs {
    #[command(flatten)]
    pub build: BuildArgs,
    /// Also validate every page with the Nu HTML checker (vnu) and every feed
    /// with feedparser; exits 2 when one of them is not installed.
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args, Clone, Default)]
pub struct WatchArgs {
    #[command(flatten)]
    pub build: BuildArgs,
    /// Poll for changes instead of using the system's file events.
    #[arg(long)]
    pub poll: bool,
}

#[derive(Debug, Args, Clone)]
pub struct ServeArgs {
    #[command(flatten)]
    pub build: BuildArgs,
    /// Poll for changes instead of using the system's file events.
    #[arg(long)]
    pub poll: bool,
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on; anything but loopback exposes the site to the network.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
}

impl BuildArgs {
    pub fn flags(&self) -> BuildFlags {
        BuildFlags {
            output: self.output.clone(),
            ..self.site.flags()
        }
    }
}
