//! Feeds (site, per person, per tag), each as RSS 2.0 (`rss.xml`, the `rss`
//! crate) and Atom 1.0 beside it (`atom.xml`, `atom_syndication`): absolute
//! links, RFC 822 / RFC 3339 dates, the entry's permalink as its GUID and
//! Atom id alike, and only characters XML 1.0 allows. `lastBuildDate` and
//! `<updated>` are the newest item's date, not the clock, so an unchanged
//! site builds byte-identical feeds.

use std::sync::LazyLock;

use chrono::{DateTime, Datelike, FixedOffset};
use memchr::memmem::Finder;
use rss::extension::atom::{AtomExtension, Link};
use rss::extension::dublincore::DublinCoreExtension;
use rss::{Category, Channel, Guid, Item};

use crate::site::Site;

/// Which of a list's two feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Rss,
    Atom,
}

impl Format {
    pub const ALL: [Format; 2] = [Format::Rss, Format::Atom];

    /// Site path of the feed of the list at `base` (`""`: the site's).
    pub fn path(self, base: &str) -> String {
        match self {
            Format::Rss => crate::layout::feed(base),
            Format::Atom => crate::layout::atom_feed(base),
        }
    }
}

/// What one feed is about.
pub struct FeedSpec {
    pub title: String,
    pub description: String,
    /// Site path of the page the feed belongs to (`people/wu-yang/`).
    pub page_path: String,
    /// Site path of the feed itself (`people/wu-yang/rss.xml`).
    pub feed_path: String,
    /// Entry indices, newest first.
    pub entries: Vec<usize>,
    pub format: Format,
}

/// The date as RFC 2822 writes it, or none for a year it cannot write
/// (chrono's `to_rfc2822` panics outside 0..=9999; sources refuse such years,
/// so this is only a guard).
fn rfc2822(d: DateTime<FixedOffset>) -> Option<String> {
    (0..=9999).contains(&d.year()).then(|| d.to_rfc2822())
}

/// Renders one feed as XML bytes.
pub fn render(site: &Site, spec: &FeedSpec) -> Vec<u8> {
    match spec.format {
        Format::Rss => render_rss(site, spec),
        Format::Atom => render_atom(site, spec),
    }
}

/// The entry's HTML for a feed (links absolute, the cover on top), when
/// the site's feeds carry full content. The rendered body holds no
/// character XML forbids (Markdown rendering dropped them, and more), so
/// only what is added to it here is cleaned (`base_url` by the caller,
/// once per feed): an entry is in up to a handful of feeds, each twice,
/// and this runs for every one.
fn full_content(site: &Site, e: &crate::site::Entry, base_url: &str) -> Option<String> {
    let c = &site.config;
    if !c.feed_full_content {
        return None;
    }
    let body = &e.src.html;
    let mut html = String::with_capacity(body.len() + 256);
    if let Some(cover) = &e.src.cover {
        let src = super::context::asset_permalink(c, &cover.value);
        html.push_str("<p><img src=\"");
        html.push_str(&clean(&crate::html::escape_html(&src)));
        html.push_str("\" alt=\"");
        html.push_str(&clean(&crate::html::escape_html(&e.src.title)));
        html.push_str("\"></p>");
    }
    absolutize_into(&mut html, body, &c.root_path, base_url);
    Some(html)
}

fn render_rss(site: &Site, spec: &FeedSpec) -> Vec<u8> {
    let c = &site.config;
    let base_url = clean(&c.base_url);
    let items: Vec<Item> = spec
        .entries
        .iter()
        .take(c.feed_limit)
        .map(|&i| {
            let e = &site.entries[i];
            let link = c.permalink(e.path());
            let mut item = Item::default();
            item.set_title(clean(&e.src.title));
            item.set_link(link.clone());
            item.set_guid(Guid {
                value: link,
                permalink: true,
            });
            item.set_pub_date(rfc2822(e.date()));
            // `<description>` is HTML to feed readers: the plain-text summary
            // goes in escaped, so `<i>` in it stays text.
            item.set_description(clean(&crate::html::escape_html(&e.src.description)));
            item.set_content(full_content(site, e, &base_url));
            item.set_categories(
                e.tags
                    .iter()
                    .map(|&t| Category {
                        name: clean(&site.tags[t].name),
                        domain: None,
                    })
                    .collect::<Vec<_>>(),
            );
            if let Some(a) = e.author {
                let mut dc = DublinCoreExtension::default();
                dc.set_creators(vec![clean(&site.people[a].src.name)]);
                item.set_dublin_core_ext(dc);
            }
            item
        })
        .collect();
    let mut channel = Channel::default();
    channel.set_title(clean(&spec.title));
    channel.set_link(c.permalink(&spec.page_path));
    channel.set_description(clean(&spec.description));
    channel.set_language(c.language.tag().to_string());
    channel.set_generator(concat!("laurel ", env!("CARGO_PKG_VERSION")).to_string());
    if let Some(&newest) = spec.entries.first() {
        channel.set_last_build_date(rfc2822(site.entries[newest].date()));
    }
    let mut atom = AtomExtension::default();
    let mut self_link = Link::default();
    self_link.set_href(c.permalink(&spec.feed_path));
    self_link.set_rel("self");
    self_link.set_mime_type(Some("application/rss+xml".to_string()));
    atom.set_links(vec![self_link]);
    channel.set_atom_ext(atom);
    channel.set_items(items);
    let mut namespaces = std::collections::BTreeMap::new();
    namespaces.insert(
        "atom".to_string(),
        rss::extension::atom::NAMESPACE.to_string(),
    );
    namespaces.insert(
        "dc".to_string(),
        rss::extension::dublincore::NAMESPACE.to_string(),
    );
    namespaces.insert(
        "content".to_string(),
        "http://purl.org/rss/1.0/modules/content/".to_string(),
    );
    channel.set_namespaces(namespaces);
    let mut out = Vec::with_capacity(4096);
    // Writing into a Vec cannot fail.
    let _ = channel.pretty_write_to(&mut out, b' ', 2);
    out
}

/// `<updated>` of a feed with no entries: a fixed date, so that it builds
/// the same bytes every time.
const EMPTY_UPDATED: &str = "2020-01-01T00:00:00+00:00";

fn render_atom(site: &Site, spec: &FeedSpec) -> Vec<u8> {
    use atom_syndication as atom;
    let c = &site.config;
    let base_url = clean(&c.base_url);
    let link = |href: String, rel: &str, mime: Option<&str>| {
        let mut l = atom::Link::default();
        l.set_href(href);
        l.set_rel(rel);
        l.set_mime_type(mime.map(str::to_string));
        l
    };
    let person = |name: &str| {
        let mut p = atom::Person::default();
        p.set_name(clean(name));
        p
    };
    let entries: Vec<atom::Entry> = spec
        .entries
        .iter()
        .take(c.feed_limit)
        .map(|&i| {
            let e = &site.entries[i];
            let permalink = c.permalink(e.path());
            let mut entry = atom::Entry::default();
            entry.set_title(atom::Text::plain(clean(&e.src.title)));
            // The RSS item's GUID.
            entry.set_id(permalink.clone());
            entry.set_links(vec![link(permalink, "alternate", Some("text/html"))]);
            entry.set_published(Some(e.date()));
            entry.set_updated(e.date());
            entry.set_summary(Some(atom::Text::plain(clean(&e.src.description))));
            if let Some(html) = full_content(site, e, &base_url) {
                let mut content = atom::Content::default();
                content.set_content_type(Some("html".to_string()));
                content.set_value(Some(html));
                entry.set_content(Some(content));
            }
            entry.set_categories(
                e.tags
                    .iter()
                    .map(|&t| {
                        let mut cat = atom::Category::default();
                        cat.set_term(clean(&site.tags[t].name));
                        cat
                    })
                    .collect::<Vec<_>>(),
            );
            if let Some(a) = e.author {
                entry.set_authors(vec![person(&site.people[a].src.name)]);
            }
            entry
        })
        .collect();
    let mut feed = atom::Feed::default();
    feed.set_title(atom::Text::plain(clean(&spec.title)));
    feed.set_subtitle(Some(atom::Text::plain(clean(&spec.description))));
    // The page the feed belongs to names it, as the channel's link does.
    feed.set_id(c.permalink(&spec.page_path));
    feed.set_updated(match spec.entries.first() {
        Some(&newest) => site.entries[newest].date(),
        None => DateTime::parse_from_rfc3339(EMPTY_UPDATED).expect("a valid date"),
    });
    feed.set_links(vec![
        link(c.permalink(&spec.page_path), "alternate", Some("text/html")),
        link(
            c.permalink(&spec.feed_path),
            "self",
            Some("application/atom+xml"),
        ),
    ]);
    // Atom wants an author for the feed when an entry has none.
    feed.set_authors(vec![person(c.author.as_deref().unwrap_or(&c.title))]);
    let mut generator = atom::Generator::default();
    generator.set_value("laurel");
    generator.set_version(Some(env!("CARGO_PKG_VERSION").to_string()));
    feed.set_generator(Some(generator));
    feed.set_lang(Some(c.language.tag().to_string()));
    feed.set_entries(entries);
    let config = atom::WriteConfig {
        write_document_declaration: true,
        indent_size: Some(2),
    };
    // Writing into a Vec cannot fail.
    feed.write_with_config(Vec::with_capacity(4096), config)
        .unwrap_or_default()
}

/// Drops characters XML 1.0 does not allow (control characters other than tab
/// and newlines, lone surrogates cannot occur in Rust strings, U+FFFE/U+FFFF).
pub fn clean(s: &str) -> String {
    if s.chars().all(is_xml_char) {
        s.to_string()
    } else {
        s.chars().filter(|&c| is_xml_char(c)).collect()
    }
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// [`absolutize_into`] a new string.
#[cfg(test)]
fn absolutize(html: &str, root_path: &str, base_url: &str) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    absolutize_into(&mut out, html, root_path, base_url);
    out
}

/// Appends `html` to `out` with its root-relative `href`/`src` values made
/// absolute, because feed readers have no page URL to resolve them against.
/// One pass: each needle's next position is searched for only after the
/// previous one was used, so a page of many links without any `src` stays
/// linear.
fn absolutize_into(out: &mut String, html: &str, root_path: &str, base_url: &str) {
    // Searchers built once: they run over every feed item's body.
    static HREF: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(" href=\""));
    static SRC: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(" src=\""));
    let find_from =
        |from: usize, needle: &Finder| needle.find(&html.as_bytes()[from..]).map(|i| i + from);
    // Everything before `at` is in `out`.
    let mut at = 0;
    let mut next_href = find_from(at, &HREF);
    let mut next_src = find_from(at, &SRC);
    loop {
        let (pos, needle) = match (next_href, next_src) {
            (Some(h), Some(s)) if s < h => (s, &*SRC),
            (Some(h), _) => (h, &*HREF),
            (None, Some(s)) => (s, &*SRC),
            (None, None) => break,
        };
        let value = pos + needle.needle().len();
        out.push_str(&html[at..value]);
        let after = &html[value..];
        at = if after.starts_with(root_path) && !after.starts_with("//") {
            out.push_str(base_url);
            value + root_path.len()
        } else {
            value
        };
        // A needle found before `at` was passed over: look again from `at`.
        if next_href.is_some_and(|h| h < at) {
            next_href = find_from(at, &HREF);
        }
        if next_src.is_some_and(|s| s < at) {
            next_src = find_from(at, &SRC);
        }
    }
    out.push_str(&html[at..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc2822_never_panics_on_a_year_it_cannot_write() {
        let d = |s| DateTime::parse_from_rfc3339(s).unwrap();
        assert_eq!(
            rfc2822(d("2020-02-10T21:30:00+08:00")).as_deref(),
            Some("Mon, 10 Feb 2020 21:30:00 +0800")
        );
        let far = d("9999-12-31T23:00:00+00:00") + chrono::Duration::days(2);
        assert_eq!(rfc2822(far), None);
        let early = d("0001-01-01T00:00:00+00:00") - chrono::Duration::days(400);
        assert_eq!(rfc2822(early), None);
    }

    #[test]
    fn absolutizes_root_relative_links_only() {
        let html = r#"<a href="/column/people/a/">a</a> <img src="/column/i.jpg"> <a href="https://x.org/">x</a> <a href="//cdn/x">c</a>"#;
        assert_eq!(
            absolutize(html, "/column/", "https://e.org/column/"),
            r#"<a href="https://e.org/column/people/a/">a</a> <img src="https://e.org/column/i.jpg"> <a href="https://x.org/">x</a> <a href="//cdn/x">c</a>"#
        );
        assert_eq!(
            absolutize(r#"<a href="/x/">"#, "/", "https://e.org/"),
            r#"<a href="https://e.org/x/">"#
        );
        assert_eq!(
            absolutize(r#"<a href="//cdn/x">"#, "/", "https://e.org/"),
            r#"<a href="//cdn/x">"#
        );
    }

    #[test]
    fn absolutizes_many_links_and_mixed_needles_in_order() {
        let html = r#"<a href="/x/"><img src="/i.png"></a>"#.repeat(3);
        assert_eq!(
            absolutize(&html, "/", "https://e.org/"),
            r#"<a href="https://e.org/x/"><img src="https://e.org/i.png"></a>"#.repeat(3)
        );
        assert_eq!(absolutize("", "/", "https://e.org/"), "");
        assert_eq!(absolutize(" href=\"", "/", "https://e.org/"), " href=\"");
    }

    #[test]
    fn strips_characters_xml_forbids() {
        assert_eq!(clean("a\u{0}b\u{1b}c\u{FFFF}d\te"), "abcd\te");
    }
}
