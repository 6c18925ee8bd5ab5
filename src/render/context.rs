//! Template contexts. Each object documented in `docs/templates.md` is built
//! here, once per entry/person/tag, as a tera [`Value`] that pages share
//! (tera's arrays and maps are reference-counted, so sharing is cheap). Pages
//! get cards (title, summary, links), never every entry's full HTML.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Value;

use crate::config::Config;
use crate::hash::Hasher;
use crate::images::{ImageValue, Images, Role};
use crate::site::{Entry, Page, Person, Site, Tag};

#[derive(Serialize)]
struct PersonRef<'a> {
    id: &'a str,
    name: &'a str,
    url: String,
    role: Option<&'a str>,
    photo: Option<String>,
    /// The photo resized for the theme (`None`: external or not resizable).
    photo_image: Option<ImageValue>,
    initials: &'a str,
}

#[derive(Serialize)]
struct PersonCard<'a> {
    #[serde(flatten)]
    r: PersonRef<'a>,
    unit: Option<&'a str>,
    team: Option<&'a str>,
    batch: Option<u32>,
    deployed: Option<String>,
    returned: Option<String>,
    post: Option<&'a str>,
    motto: Option<&'a str>,
    /// Titles of the honors, in the profile's order (a card shows the first).
    honors: Vec<&'a str>,
    entry_count: usize,
}

#[derive(Serialize)]
struct TagRef<'a> {
    name: &'a str,
    slug: &'a str,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct EntryCard<'a> {
    title: &'a str,
    url: String,
    permalink: String,
    date: String,
    description: &'a str,
    people: Vec<Value>,
    tags: Vec<Value>,
    cover: Option<String>,
    cover_image: Option<ImageValue>,
    reading_minutes: u32,
    day: Option<i64>,
    pinned: bool,
}

/// A site path or absolute URL from front matter, as a root-relative URL.
pub(crate) fn asset_url(config: &Config, v: &str) -> String {
    config.asset_url(v)
}

/// An absolute URL for a site path or absolute URL from front matter.
pub(crate) fn asset_permalink(config: &Config, v: &str) -> String {
    if v.starts_with("http://") || v.starts_with("https://") {
        v.to_string()
    } else {
        config.permalink(v)
    }
}

/// Values shared by every page, built once per build, with the fingerprint
/// of each (see [`Fingerprints`]).
#[derive(Clone)]
pub(crate) struct Shared {
    pub site: Value,
    pub person_refs: Vec<Value>,
    pub person_cards: Vec<Value>,
    pub tag_refs: Vec<Value>,
    pub entry_cards: Vec<Value>,
    pub fps: Fingerprints,
}

/// The fingerprint of every input a page can read (the nodes of the
/// dependency graph, see `graph.rs`): a page's key is made of the
/// fingerprints of what it reads, so a page whose inputs kept their
/// fingerprints is neither rendered nor written again.
#[derive(Clone, Default)]
pub(crate) struct Fingerprints {
    /// Everything every page reads: the configuration, the theme (templates
    /// and UI strings), the `site` object with the menu.
    pub globals: u128,
    /// Per entry: its card (which holds its people's and tags' refs), what
    /// lists of entries show.
    pub cards: Vec<u128>,
    /// Per entry: its card and its own content (body, credit, editor,
    /// source), what its page
    /// and the feeds show.
    pub entries: Vec<u128>,
    /// Per person: the card and the profile's own content.
    pub people: Vec<u128>,
    /// Per tag: its ref (name, URL, count).
    pub tags: Vec<u128>,
    /// Per standalone page: its content.
    pub pages: Vec<u128>,
}

fn value_fp(v: &Value) -> u128 {
    let mut h = Hasher::default();
    h.value(v);
    h.finish()
}

fn entry_fp(e: &Entry, card_fp: u128) -> u128 {
    let mut h = Hasher::default();
    h.u128(card_fp);
    h.str(e.html());
    h.str(e.src.credit.as_deref().unwrap_or("\0none"));
    h.str(e.src.editor.as_deref().unwrap_or("\0none"));
    h.str(e.src.source.as_deref().unwrap_or("\0none"));
    h.finish()
}

fn person_fp(p: &Person, card: &Value, person_ref: &Value) -> u128 {
    let mut h = Hasher::default();
    h.value(card);
    h.value(person_ref);
    h.str(&p.src.bio_html);
    h.str(&p.src.bio_text);
    h.str(&p.src.name);
    h.str(p.src.motto.as_deref().unwrap_or("\0none"));
    for honor in &p.src.honors {
        h.str(&honor.date.to_string());
        h.str(&honor.title);
    }
    h.finish()
}

fn page_fp(p: &Page) -> u128 {
    let mut h = Hasher::default();
    h.str(&p.src.title);
    h.str(&p.src.html);
    h.str(&p.src.text);
    h.str(p.src.summary.as_deref().unwrap_or("\0none"));
    h.finish()
}

impl Shared {
    pub fn build(
        site: &Site,
        images: &Images,
        nav: Value,
        strings: &Value,
        theme_fp: u128,
    ) -> Shared {
        let c = &site.config;
        let person_refs: Vec<Value> = site
            .people
            .iter()
            .map(|p| to_value(&person_ref(c, images, p)))
            .collect();
        let person_cards: Vec<Value> = site
            .people
            .iter()
            .map(|p| {
                let card = PersonCard {
                    r: person_ref(c, images, p),
                    unit: p.src.unit.as_deref(),
                    team: p.src.team.as_deref(),
                    batch: p.src.batch,
                    deployed: p.src.deployed.map(|d| d.to_string()),
                    returned: p.src.returned.map(|d| d.to_string()),
                    post: p.src.post.as_deref(),
                    motto: p.src.motto.as_deref(),
                    honors: p.src.honors.iter().map(|h| h.title.as_str()).collect(),
                    entry_count: p.timeline().len(),
                };
                to_value(&card)
            })
            .collect();
        let tag_refs: Vec<Value> = site.tags.iter().map(|t| to_value(&tag_ref(c, t))).collect();
        let entry_cards: Vec<Value> = {
            use rayon::prelude::*;
            site.entries
                .par_iter()
                .map(|e| entry_card(site, images, e, &person_refs, &tag_refs))
                .collect()
        };
        let site_value = {
            let mut m: BTreeMap<&str, Value> = BTreeMap::new();
            m.insert("title", Value::from(c.title.as_str()));
            m.insert("subtitle", c.subtitle.as_deref().into());
            m.insert("description", c.description.as_deref().into());
            m.insert("author", c.author.as_deref().into());
            m.insert("language", Value::from(c.language.tag()));
            m.insert("base_url", Value::from(c.base_url.as_str()));
            m.insert("root", Value::from(c.root_path.as_str()));
            m.insert("feed_url", Value::from(c.url(&crate::layout::feed(""))));
            m.insert(
                "atom_url",
                Value::from(c.url(&crate::layout::atom_feed(""))),
            );
            m.insert(
                "generator",
                Value::from(concat!("laurel ", env!("CARGO_PKG_VERSION"))),
            );
            let mh = &c.masthead;
            m.insert("icp", mh.icp.as_deref().into());
            m.insert("icp_url", Value::from(crate::config::ICP_URL));
            m.insert("police_beian", mh.police_beian.as_deref().into());
            m.insert(
                "police_url",
                mh.police_url().map_or_else(Value::none, Value::from),
            );
            m.insert("organizer", mh.organizer.as_deref().into());
            m.insert("editor", mh.editor.as_deref().into());
            m.insert(
                "image",
                c.share_image
                    .as_deref()
                    .map_or_else(Value::none, |p| Value::from(c.permalink(p))),
            );
            m.insert("nav", nav);
            Value::from(
                m.into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect::<BTreeMap<String, Value>>(),
            )
        };
        let fps = {
            use rayon::prelude::*;
            let mut g = Hasher::default();
            g.u128(theme_fp);
            g.str(&format!("{c:?}"));
            g.value(&site_value);
            g.value(strings);
            let cards: Vec<u128> = entry_cards.par_iter().map(value_fp).collect();
            Fingerprints {
                globals: g.finish(),
                entries: site
                    .entries
                    .par_iter()
                    .zip(&cards)
                    .map(|(e, &card)| entry_fp(e, card))
                    .collect(),
                cards,
                people: site
                    .people
                    .iter()
                    .zip(person_cards.iter().zip(&person_refs))
                    .map(|(p, (card, r))| person_fp(p, card, r))
                    .collect(),
                tags: tag_refs.iter().map(value_fp).collect(),
                pages: site.pages.iter().map(page_fp).collect(),
            }
        };
        Shared {
            site: site_value,
            person_refs,
            person_cards,
            tag_refs,
            entry_cards,
            fps,
        }
    }
}

/// The template value of a processed `photo`/`cover`, if there is one.
fn image_value(c: &Config, images: &Images, value: &str, role: Role) -> Option<ImageValue> {
    let set = images.get(value, role)?;
    ImageValue::of(set, |path| c.url(path))
}

impl Shared {
    /// Rebuilds the cards (and fingerprints) of the `changed` entries, for a
    /// site whose people, tags and entry order are those this was built for.
    pub fn update(&mut self, site: &Site, images: &Images, changed: &[usize]) {
        for &i in changed {
            let e = &site.entries[i];
            let card = entry_card(site, images, e, &self.person_refs, &self.tag_refs);
            self.fps.cards[i] = value_fp(&card);
            self.fps.entries[i] = entry_fp(e, self.fps.cards[i]);
            self.entry_cards[i] = card;
        }
    }
}

fn person_ref<'a>(c: &Config, images: &Images, p: &'a Person) -> PersonRef<'a> {
    PersonRef {
        photo_image: p
            .src
            .photo
            .as_ref()
            .and_then(|ph| image_value(c, images, &ph.value, Role::Portrait)),
        id: &p.src.id,
        name: &p.src.name,
        url: c.url(&p.path()),
        role: p.src.role.as_deref(),
        photo: p.src.photo.as_ref().map(|ph| asset_url(c, &ph.value)),
        initials: &p.initials,
    }
}

fn tag_ref<'a>(c: &Config, t: &'a Tag) -> TagRef<'a> {
    TagRef {
        name: &t.name,
        slug: &t.slug,
        url: c.url(&t.path()),
        count: t.entries.len(),
    }
}

fn entry_card(
    site: &Site,
    images: &Images,
    e: &Entry,
    person_refs: &[Value],
    tag_refs: &[Value],
) -> Value {
    let c = &site.config;
    let card = EntryCard {
        title: &e.src.title,
        url: c.url(e.path()),
        permalink: c.permalink(e.path()),
        date: e.date().to_rfc3339(),
        description: &e.src.description,
        people: e.people.iter().map(|&i| person_refs[i].clone()).collect(),
        tags: e.tags.iter().map(|&i| tag_refs[i].clone()).collect(),
        cover: e.src.cover.as_ref().map(|v| asset_url(c, &v.value)),
        cover_image: e
            .src
            .cover
            .as_ref()
            .and_then(|v| image_value(c, images, &v.value, Role::Cover)),
        reading_minutes: e.src.reading_minutes,
        day: e.day.map(|(n, _)| n),
        pinned: e.src.pinned,
    };
    let mut v = to_value(&card);
    let author = e
        .author
        .map_or_else(Value::none, |i| person_refs[i].clone());
    // Whose day it is, when that is not the byline's.
    let day_of = e
        .day
        .filter(|&(_, i)| e.author != Some(i))
        .map_or_else(Value::none, |(_, i)| person_refs[i].clone());
    extend(
        &mut v,
        [
            ("summary", Value::safe_string(e.summary_html())),
            ("author", author),
            ("day_of", day_of),
        ],
    );
    v
}

/// Serializes a context object; our types always serialize.
pub(crate) fn to_value<T: Serialize>(v: &T) -> Value {
    Value::from_serializable(v)
}

/// Adds keys to a map value, in order (used to extend shared cards per
/// page): the map is copied and rebuilt once for all of them, not per key.
pub(crate) fn extend<const N: usize>(map: &mut Value, fields: [(&str, Value); N]) {
    if !map.is_map() {
        return;
    }
    if let Some(mut m) = std::mem::replace(map, Value::none()).into_map() {
        for (key, value) in fields {
            m.insert(key.to_string().into(), value);
        }
        *map = Value::from(m);
    }
}
