//! Which names a walk of the site's folders reads: hidden files and
//! folders and editors' droppings are left out, with the exceptions web
//! hosts need (`.well-known`, and in static folders [`HOST_FILES`]).

use std::path::{Path, PathBuf};

use crate::diag::SourceError;

/// Folders read although their names start with `.`: RFC 8615's
/// `.well-known` (`security.txt`, ACME challenges, app links), which a host
/// serves from the site's root.
const KEPT_HIDDEN: [&str; 1] = [".well-known"];

/// Hidden files that web hosts read from the folders they serve, published
/// from a static folder like any other file there: Apache's `.htaccess` (in
/// any folder), GitHub Pages' `.nojekyll`, Codeberg Pages' `.domains`.
pub const HOST_FILES: [&str; 3] = [".htaccess", ".nojekyll", ".domains"];

/// Hidden files that tools leave in folders (version control, file
/// managers): left out of a static folder without a warning.
const TOOL_FILES: [&str; 7] = [
    ".DS_Store",
    ".directory",
    ".gitattributes",
    ".gitignore",
    ".gitkeep",
    ".keep",
    ".localized",
];

/// Which names a walk of the site's folders reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Names {
    /// Content and templates: no hidden name but `.well-known`.
    Source,
    /// A static folder, copied into the site: also the [`HOST_FILES`].
    Static,
}

impl Names {
    /// The rule for a folder of the site given relative to its root, `/`
    /// between names: static folders (the site's and a theme's) get
    /// [`Names::Static`]. A theme's whole folder counts as static: a walk
    /// of it that must see every file it publishes may see more.
    pub fn of_folder(sub: &str) -> Names {
        if sub == "static" || sub.starts_with("static/") || sub.starts_with("themes/") {
            Names::Static
        } else {
            Names::Source
        }
    }

    /// The rule for a path below the site's root (a watched change).
    pub fn of_path(rel: &Path) -> Names {
        let mut names = rel.iter().map(|n| n.to_string_lossy());
        match (
            names.next().as_deref(),
            names.next(),
            names.next().as_deref(),
        ) {
            (Some("static"), _, _) | (Some("themes"), Some(_), Some("static")) => Names::Static,
            _ => Names::Source,
        }
    }

    /// Whether a file or folder of this name is left out.
    pub fn ignores(self, name: &str) -> bool {
        is_ignored_name(name) && !(self == Names::Static && HOST_FILES.contains(&name))
    }
}

/// Editor droppings and hidden files never count as content, nor anything
/// in a hidden folder (`.git`, Obsidian's `.trash`), `.well-known` aside.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.') && !KEPT_HIDDEN.contains(&name) || is_editor_dropping(name)
}

/// Swap, backup and temporary files of editors (vim's `.a.md.swp`, emacs'
/// `a.md~` and `#a.md#`, JetBrains' `___jb_` copies).
fn is_editor_dropping(name: &str) -> bool {
    name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || (name.starts_with('#') && name.ends_with('#'))
        || name.contains("___jb_")
}

/// A hidden file in a static folder that someone may have meant to publish
/// (`.env`, `.htpasswd`): not an editor's or a tool's, nor macOS's `._`
/// shadow of another file.
pub(super) fn is_unexpected_hidden(name: &str) -> bool {
    name.starts_with('.')
        && !name.starts_with("._")
        && !TOOL_FILES.contains(&name)
        && !is_editor_dropping(name)
}

/// The warning for a hidden file of a static folder that is not published.
pub(super) fn hidden_left_out(rel: PathBuf) -> SourceError {
    SourceError::file(
        rel,
        "hidden file not published: of the files whose names start with `.`, only \
         .htaccess, .nojekyll, .domains and the .well-known folder are",
    )
    .hint("to publish it, rename it without the leading `.`; if it is private, move it out of static/")
    .zh("隐藏文件未发布：名字以 . 开头的文件中，只发布 .htaccess、.nojekyll、.domains 和 .well-known 文件夹")
    .zh_hint("要发布它，请去掉名字开头的 .；如果是私密文件，请把它移出 static/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_droppings_are_ignored() {
        for n in [
            ".a.md.swp",
            "a.md~",
            "#a.md#",
            "a.md___jb_tmp___",
            ".hidden.md",
            "x.tmp",
        ] {
            assert!(is_ignored_name(n), "{n}");
        }
        assert!(!is_ignored_name("2020-02-10-a.md"));
        assert!(!is_ignored_name(".well-known"));
    }

    #[test]
    fn static_folders_keep_the_hidden_files_hosts_read() {
        for host in HOST_FILES {
            assert!(Names::Source.ignores(host), "{host}");
            assert!(!Names::Static.ignores(host), "{host}");
        }
        // Their editors' copies and everything else hidden stay out.
        for n in [".htaccess.swp", ".htaccess~", ".env", ".git", ".DS_Store"] {
            assert!(Names::Static.ignores(n), "{n}");
        }
        assert!(!Names::Static.ignores(".well-known"));
        // Only what someone may have meant to publish is warned about.
        for n in [".env", ".htpasswd", ".user.ini"] {
            assert!(is_unexpected_hidden(n), "{n}");
        }
        for n in [
            ".DS_Store",
            "._photo.jpg",
            ".gitkeep",
            ".a.css.swp",
            "a.css",
        ] {
            assert!(!is_unexpected_hidden(n), "{n}");
        }
    }

    #[test]
    fn the_rule_follows_the_folder() {
        assert_eq!(Names::of_folder("static"), Names::Static);
        assert_eq!(Names::of_folder("themes/paper"), Names::Static);
        assert_eq!(Names::of_folder("themes/paper/static"), Names::Static);
        assert_eq!(Names::of_folder("content"), Names::Source);
        assert_eq!(Names::of_folder("content/diary"), Names::Source);
        assert_eq!(Names::of_folder("templates"), Names::Source);
        assert_eq!(Names::of_folder("statics"), Names::Source);
        for (path, names) in [
            ("static/.htaccess", Names::Static),
            ("static/dl/.htaccess", Names::Static),
            ("themes/paper/static/.htaccess", Names::Static),
            ("themes/paper/templates/.htaccess", Names::Source),
            ("content/diary/.htaccess", Names::Source),
            ("themes/static", Names::Source),
        ] {
            assert_eq!(Names::of_path(Path::new(path)), names, "{path}");
        }
    }
}
