//! Template contexts. Each object documented in `docs/templates.md` is built
//! here, once per entry/person/tag, as a tera [`Value`] that pages share
//! (tera's arrays and maps are reference-counted, so sharing is cheap). Pages
//! get cards (title, summary, links), never every entry's full HTML.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Value;

use crate::config::Config;
use crate::images::{ImageValue, Images, Role};
use crate::site::{Entry, Person, Site, Tag};

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
}

/// A site path or absolute URL from front matter, as a root-relative URL.
pub fn asset_url(config: &Config, v: &str) -> String {
    if v.starts_with("http://") || v.starts_with("https://") {
        v.to_string()
    } else {
        config.url(v)
    }
}

/// An absolute URL for a site path or absolute URL from front matter.
pub fn asset_permalink(config: &Config, v: &str) -> String {
    if v.starts_with("http://") || v.starts_with("https://") {
        v.to_string()
    } else {
        config.permalink(v)
    }
}

/// Values shared by every page, built once per build.
#[derive(Clone)]
pub struct Shared {
    pub site: Value,
    pub person_refs: Vec<Value>,
    pub person_cards: Vec<Value>,
    pub tag_refs: Vec<Value>,
    pub entry_cards: Vec<Value>,
    /// Fingerprints of all of the above, for skipping unchanged pages.
    pub known: super::fingerprint::Known,
    /// Per entry: its card and its content, as one fingerprint (feed items).
    pub entry_fps: Vec<u128>,
}

impl Shared {
    pub fn build(site: &Site, nav: Value, strings: &Value) -> Shared {
        let c = &site.config;
        let person_refs: Vec<Value> = site
            .people
            .iter()
            .map(|p| to_value(&person_ref(c, &site.images, p)))
            .collect();
        let person_cards: Vec<Value> = site
            .people
            .iter()
            .map(|p| {
                let card = PersonCard {
                    r: person_ref(c, &site.images, p),
                    unit: p.src.unit.as_deref(),
                    team: p.src.team.as_deref(),
                    batch: p.src.batch,
                    deployed: p.src.deployed.map(|d| d.to_string()),
                    returned: p.src.returned.map(|d| d.to_string()),
                    post: p.src.post.as_deref(),
                    motto: p.src.motto.as_deref(),
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
                .map(|e| entry_card(site, e, &person_refs, &tag_refs))
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
            m.insert("feed_url", Value::from(c.url("rss.xml")));
            m.insert(
                "generator",
                Value::from(concat!("laurel ", env!("CARGO_PKG_VERSION"))),
            );
            m.insert("nav", nav);
            Value::from(
                m.into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect::<BTreeMap<String, Value>>(),
            )
        };
        // Remember shared values inner-first: cards contain person and tag refs.
        let mut known = super::fingerprint::Known::default();
        for v in person_refs.iter().chain(&person_cards).chain(&tag_refs) {
            known.remember(v);
        }
        let entry_fps = site
            .entries
            .iter()
            .zip(&entry_cards)
            .map(|(e, card)| {
                let mut h = super::fingerprint::Hasher::default();
                h.u128(known.remember(card));
                h.str(&e.src.html);
                h.finish()
            })
            .collect();
        known.remember(&site_value);
        known.remember(strings);
        Shared {
            site: site_value,
            person_refs,
            person_cards,
            tag_refs,
            entry_cards,
            known,
            entry_fps,
        }
    }
}

/// The template value of a processed `photo`/`cover`, if there is one.
fn image_value(c: &Config, images: &Images, value: &str, role: Role) -> Option<ImageValue> {
    let set = images.get(value, role)?;
    ImageValue::of(set, |path| c.url(path))
}

impl Shared {
    /// Rebuilds the cards of the `changed` entries, for a site whose people,
    /// tags and entry order are those this was built for.
    pub fn update(&mut self, site: &Site, changed: &[usize]) {
        for &i in changed {
            let card = entry_card(site, &site.entries[i], &self.person_refs, &self.tag_refs);
            self.known.forget(&self.entry_cards[i]);
            let mut h = super::fingerprint::Hasher::default();
            h.u128(self.known.remember(&card));
            h.str(&site.entries[i].src.html);
            self.entry_fps[i] = h.finish();
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

fn entry_card(site: &Site, e: &Entry, person_refs: &[Value], tag_refs: &[Value]) -> Value {
    let c = &site.config;
    let card = EntryCard {
        title: &e.src.title,
        url: c.url(&e.path()),
        permalink: c.permalink(&e.path()),
        date: e.date().to_rfc3339(),
        description: &e.src.description,
        people: e.people.iter().map(|&i| person_refs[i].clone()).collect(),
        tags: e.tags.iter().map(|&i| tag_refs[i].clone()).collect(),
        cover: e.src.cover.as_ref().map(|v| asset_url(c, &v.value)),
        cover_image: e
            .src
            .cover
            .as_ref()
            .and_then(|v| image_value(c, &site.images, &v.value, Role::Cover)),
        reading_minutes: e.src.reading_minutes,
        day: e.day,
    };
    let mut v = to_value(&card);
    insert(&mut v, "summary", Value::safe_string(&e.src.summary_html));
    insert(
        &mut v,
        "author",
        e.author
            .map_or_else(Value::none, |i| person_refs[i].clone()),
    );
    v
}

/// Serializes a context object; our types always serialize.
pub fn to_value<T: Serialize>(v: &T) -> Value {
    Value::from_serializable(v)
}

/// Adds a key to a map value (used to extend shared cards per page).
pub fn insert(map: &mut Value, key: &str, value: Value) {
    if let Some(mut m) = map.clone().into_map() {
        m.insert(key.to_string().into(), value);
        *map = Value::from(m);
    }
}
