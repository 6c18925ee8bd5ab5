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

/// Whether the file or folder at `rel` (a path below the site's root) is
/// left out for its own name: one rule for every walk of the site's folders,
/// the fingerprint's and the watcher's too. A static folder keeps the
/// [`HOST_FILES`]; everywhere else [`is_ignored_name`] decides. The name is
/// looked at first, so a name that is not ignored costs no path work.
pub fn is_left_out(rel: &Path) -> bool {
    let Some(name) = rel.file_name().map(|n| n.to_string_lossy()) else {
        return false;
    };
    is_ignored_name(&name) && !(HOST_FILES.contains(&&*name) && in_static_folder(rel))
}

/// Whether `rel` is below a static folder: the site's `static/`, or a
/// theme's `themes/<name>/static/` (as `theme::theme_folders` names it).
pub(super) fn in_static_folder(rel: &Path) -> bool {
    let mut names = rel.iter().map(|n| n.to_string_lossy());
    match (
        names.next().as_deref(),
        names.next(),
        names.next().as_deref(),
    ) {
        (Some("static"), Some(_), _) => true,
        (Some("themes"), Some(_), Some("static")) => names.next().is_some(),
        _ => false,
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
            assert!(is_left_out(&Path::new("content").join(host)), "{host}");
            assert!(!is_left_out(&Path::new("static").join(host)), "{host}");
        }
        // Their editors' copies and everything else hidden stay out.
        for n in [".htaccess.swp", ".htaccess~", ".env", ".git", ".DS_Store"] {
            assert!(is_left_out(&Path::new("static").join(n)), "{n}");
        }
        assert!(!is_left_out(Path::new("static/.well-known")));
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
        for (path, kept) in [
            ("static/.htaccess", true),
            ("static/dl/.htaccess", true),
            ("themes/paper/static/.htaccess", true),
            ("themes/paper/static/dl/.nojekyll", true),
            ("themes/paper/templates/.htaccess", false),
            ("content/diary/.htaccess", false),
            ("templates/.htaccess", false),
            ("statics/.htaccess", false),
            ("themes/static/.htaccess", false),
            (".htaccess", false),
        ] {
            assert_eq!(!is_left_out(Path::new(path)), kept, "{path}");
        }
    }
}
