//! Command-line arguments (clap derive): one struct per command.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use laurel::BuildFlags;

/// laurel: a static site generator for a news column plus an honor roll.
#[derive(Debug, Parser)]
#[command(name = "laurel", version, about, long_about = None)]
pub struct Cli {
    /// Site folder (the one holding site.yaml). Default: the current folder
    /// or the nearest folder above it that holds a site.yaml, as git and
    /// cargo find theirs.
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
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
    Entry(NewEntryArgs),
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
        build: ContentArgs,
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
        build: ContentArgs,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum BookFormat {
    Html,
    Epub,
}

/// `laurel new entry`'s arguments.
#[derive(Debug, Args, Clone)]
pub struct NewEntryArgs {
    /// The entry's title.
    pub title: String,
    /// Person id of the author.
    #[arg(long)]
    pub author: Option<String>,
    /// The entry's date, `YYYY-MM-DD` or `YYYY-MM-DD HH:MM` (default: now);
    /// the file name carries the same day.
    #[arg(long)]
    pub date: Option<String>,
    /// The URL slug (default: from the title, in pinyin).
    #[arg(long)]
    pub slug: Option<String>,
    /// Tags, comma-separated (`--tags 护理,方舱`) or the flag repeated.
    #[arg(long, value_delimiter = ',')]
    pub tags: Vec<String>,
    /// Person ids of the people the entry is about, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub people: Vec<String>,
    /// Mark the entry `draft: true` (built only with --drafts).
    #[arg(long)]
    pub draft: bool,
}

#[derive(Debug, Args, Clone, Default)]
pub struct BuildArgs {
    /// Output folder (default: <root>/public).
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub content: ContentArgs,
}

/// What to build from the content: the flags of every command that builds.
#[derive(Debug, Args, Clone, Default)]
pub struct ContentArgs {
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

#[derive(Debug, Args, Clone, Default)]
pub struct CheckArgs {
    #[command(flatten)]
    pub build: ContentArgs,
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
    pub build: ContentArgs,
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
            ..self.content.flags()
        }
    }
}

impl ContentArgs {
    /// The flags, with the default output folder.
    pub fn flags(&self) -> BuildFlags {
        BuildFlags {
            output: None,
            drafts: self.drafts,
            future: self.future,
            base_url: self.base_url.clone(),
        }
    }
}
