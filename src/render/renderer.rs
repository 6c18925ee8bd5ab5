//! What every page kind shares: the [`Renderer`] (the site, its theme, the
//! shared cards), the keys every template gets (`site`, `t`, `title`,
//! `permalink`, ...; see docs/templates.md), the paginator and the menu.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use tera::{Context, Value};

use super::context::Shared;
use super::feeds::FeedSpec;
use super::graph::Reads;
use crate::config::{Config, Language};
use crate::diag::SourceError;
use crate::images::ImageSet;
use crate::layout::page_path;
use crate::search::SearchIndex;
use crate::site::Site;
use crate::theme::{StaticSource, Theme};

/// Everything a page kind plans from.
pub(crate) struct Renderer<'a> {
    pub site: &'a Site,
    pub theme: &'a Theme,
    pub shared: Shared,
    /// The `paginator.pages` list of each paginated list, by base path.
    pub page_lists: HashMap<String, Value>,
    pub search: SearchIndex,
    /// Static files not shadowed by a generated file, by output path.
    pub statics: Vec<(String, StaticSource)>,
    /// Resized images, in the order of their jobs.
    pub image_sets: Vec<Arc<ImageSet>>,
    /// The honor roll's order of people (see [`super::people::roll`]).
    pub roll: Vec<usize>,
    /// The archive's months, newest first.
    pub months: Vec<super::archive::Month>,
    /// The sitemap files, made when first asked for.
    pub sitemap: std::sync::OnceLock<Vec<Vec<u8>>>,
}

/// What one job needs done: a template with its variables, a feed, or a
/// static file to copy.
pub(crate) enum Plan {
    Template(&'static str, Context),
    Feed(FeedSpec),
    Static(StaticSource),
}

/// The title of page `k` of a list: `标签`, `标签 (2)`, …
pub(crate) fn paged_title(title: &str, k: usize) -> String {
    if k > 1 {
        format!("{title} ({k})")
    } else {
        title.to_string()
    }
}

/// Keys every template gets (see docs/templates.md).
pub(crate) struct PageMeta<'a> {
    pub kind: &'a str,
    pub title: Option<&'a str>,
    pub description: &'a str,
    pub path: &'a str,
    pub og_image: Option<String>,
    /// Site path of the list whose feeds belong to the page (`""`: the
    /// site's, `tags/a/`), or none.
    pub feed: Option<String>,
}

impl<'a> Renderer<'a> {
    pub fn config(&self) -> &'a Config {
        &self.site.config
    }

    /// The reads of a job of `kind`, to be completed by the job.
    pub fn reads(&self, kind: &str) -> Reads<'_> {
        Reads::new(&self.shared.fps, kind)
    }

    /// A UI string of the theme.
    pub fn t(&self, key: &str, fallback: &str) -> String {
        self.theme.ui(key, fallback)
    }

    pub fn batch_label(&self, b: Option<u32>) -> String {
        match (b, self.config().language) {
            (None, _) => self.t("no_batch", "其他"),
            (Some(n), Language::ZhCn) => format!("第{}批", zh_number(n)),
            (Some(n), Language::En) => format!("Team {n}"),
        }
    }

    pub fn base(&self, m: &PageMeta) -> Context {
        let c = self.config();
        let mut ctx = Context::new();
        ctx.insert_value("site", self.shared.site.clone());
        ctx.insert_value("t", self.theme.strings.clone());
        ctx.insert("kind", m.kind);
        ctx.insert_value("title", m.title.map_or_else(Value::none, Value::from));
        ctx.insert("description", m.description);
        ctx.insert("permalink", &c.permalink(m.path));
        ctx.insert("url", &c.url(m.path));
        // A page without its own picture shares site.yaml's `image:`.
        let og_image = m
            .og_image
            .clone()
            .or_else(|| c.share_image.as_deref().map(|p| c.permalink(p)));
        ctx.insert_value("og_image", og_image.map_or_else(Value::none, Value::from));
        // Entry and person pages replace it with their QR code.
        ctx.insert_value("qr", Value::none());
        let feed_url = |url: fn(&str) -> String| {
            m.feed
                .as_deref()
                .map_or_else(Value::none, |b| Value::from(c.url(&url(b))))
        };
        ctx.insert_value("feed", feed_url(crate::layout::feed));
        ctx.insert_value("atom_feed", feed_url(crate::layout::atom_feed));
        ctx
    }

    /// The keys every template gets, for a page of the site's own (honor
    /// roll, tags, archive, search, 404) whose title is also its description.
    pub fn section(&self, kind: &str, title: String, path: &str) -> Context {
        self.base(&PageMeta {
            kind,
            title: Some(&title),
            description: &title,
            path,
            og_image: None,
            feed: Some(String::new()),
        })
    }

    /// The cards of entries `range` (newest first).
    pub fn cards(&self, range: std::ops::Range<usize>) -> Value {
        Value::from(self.shared.entry_cards[range].to_vec())
    }

    /// The cards of entries `which`, in that order.
    pub fn cards_of(&self, which: &[usize]) -> Value {
        Value::from(
            which
                .iter()
                .map(|&i| self.shared.entry_cards[i].clone())
                .collect::<Vec<_>>(),
        )
    }

    pub fn paginator(&self, base: &str, current: usize, total: usize) -> Value {
        let c = self.config();
        let u = |k: usize| Value::from(c.url(&page_path(base, k)));
        // One shared list per paginated list: building it per page would be
        // quadratic in the number of pages.
        let pages = self
            .page_lists
            .get(base)
            .cloned()
            .unwrap_or_else(|| page_list(c, base, total));
        let mut m = BTreeMap::new();
        m.insert("current".to_string(), Value::from(current));
        m.insert("total".to_string(), Value::from(total));
        m.insert(
            "prev_url".to_string(),
            if current > 1 {
                u(current - 1)
            } else {
                Value::none()
            },
        );
        m.insert(
            "next_url".to_string(),
            if current < total {
                u(current + 1)
            } else {
                Value::none()
            },
        );
        // The pages a compact pager shows: the first, the last and three on
        // each side of the current one, picked by number (at most nine).
        // Filtering `pages` instead would look at every page of the list on
        // each of its pages: quadratic in the length of a list.
        let all = pages.as_array().unwrap_or(&[]);
        let nearby: Vec<Value> = nearby_pages(current, total)
            .into_iter()
            .filter_map(|n| all.get(n - 1).cloned())
            .collect();
        m.insert("nearby".to_string(), Value::from(nearby));
        m.insert("pages".to_string(), pages);
        Value::from(m)
    }

    /// The `qr` key of the page at site path `path`: an inline SVG of the
    /// QR code of its permalink, or none with `qr: false`.
    pub fn qr(&self, path: &str) -> Value {
        let c = self.config();
        if !c.qr {
            return Value::none();
        }
        let label = self.t("qr_label", "本页二维码");
        match crate::qr::svg(&c.permalink(path), &label) {
            Some(svg) => Value::safe_string(&svg),
            None => Value::none(),
        }
    }

    /// Renders template `name` to the bytes of a page. Straight into bytes:
    /// tera's `render` would check the whole page is UTF-8 again, and every
    /// piece it writes is a `str` already.
    pub fn render_template(&self, name: &str, ctx: &Context) -> Result<Vec<u8>, SourceError> {
        // Most pages are 10-20 KB; starting there saves the doubling copies.
        let mut page = Vec::with_capacity(16 * 1024);
        self.theme
            .tera
            .render_to(name, ctx, &mut page)
            .map_err(|e| self.theme.error(&e, name))?;
        Ok(page)
    }
}

fn ui_string(strings: &Value, key: &str, fallback: &str) -> String {
    strings
        .get_from_path(key)
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| fallback.to_string())
}

/// The numbers of the pages a compact pager links, in order: the first, the
/// last, and up to three on each side of `current` (of `total` pages).
fn nearby_pages(current: usize, total: usize) -> Vec<usize> {
    let mut numbers: Vec<usize> = [1, total]
        .into_iter()
        .chain(current.saturating_sub(3)..=current.saturating_add(3))
        .filter(|&n| (1..=total).contains(&n))
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    numbers
}

/// `[{number, url}]` for every page of a paginated list.
pub(crate) fn page_list(c: &Config, base: &str, total: usize) -> Value {
    let pages: Vec<Value> = (1..=total)
        .map(|k| {
            let mut m = BTreeMap::new();
            m.insert("number".to_string(), Value::from(k));
            m.insert("url".to_string(), Value::from(c.url(&page_path(base, k))));
            Value::from(m)
        })
        .collect();
    Value::from(pages)
}

/// The menu: home, honor roll, tags, archive, pages with `menu: true`, search.
pub(crate) fn nav(site: &Site, strings: &Value) -> Value {
    let c = &site.config;
    let t = |k: &str, fallback: &str| ui_string(strings, k, fallback);
    let mut items = vec![
        nav_item(t("home", "首页"), c.url(""), "index"),
        nav_item(t("people", "光荣榜"), c.url("people/"), "people"),
        nav_item(t("tags", "标签"), c.url("tags/"), "tags"),
        nav_item(t("archive", "归档"), c.url("archive/"), "archive"),
    ];
    for p in site.pages.iter().filter(|p| p.src.menu) {
        items.push(nav_item(p.src.title.clone(), c.url(&p.path()), "page"));
    }
    items.push(nav_item(t("search", "搜索"), c.url("search/"), "search"));
    Value::from(items)
}

fn nav_item(title: String, url: String, kind: &str) -> Value {
    let mut m = BTreeMap::new();
    m.insert("title".to_string(), Value::from(title));
    m.insert("url".to_string(), Value::from(url));
    m.insert("kind".to_string(), Value::from(kind));
    Value::from(m)
}

/// 1 → 一, 12 → 十二, 23 → 二十三 (batch labels); larger numbers stay digits.
pub(crate) fn zh_number(n: u32) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n as usize].to_string(),
        10..=19 => format!("十{}", if n == 10 { "" } else { D[(n - 10) as usize] }),
        20..=99 => format!(
            "{}十{}",
            D[(n / 10) as usize],
            if n.is_multiple_of(10) {
                ""
            } else {
                D[(n % 10) as usize]
            }
        ),
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_batch_numbers() {
        assert_eq!(zh_number(1), "一");
        assert_eq!(zh_number(10), "十");
        assert_eq!(zh_number(12), "十二");
        assert_eq!(zh_number(30), "三十");
        assert_eq!(zh_number(45), "四十五");
    }

    #[test]
    fn the_pager_links_the_ends_and_three_pages_each_side() {
        assert_eq!(nearby_pages(1, 1), [1]);
        assert_eq!(nearby_pages(1, 20), [1, 2, 3, 4, 20]);
        assert_eq!(nearby_pages(10, 20), [1, 7, 8, 9, 10, 11, 12, 13, 20]);
        assert_eq!(nearby_pages(20, 20), [1, 17, 18, 19, 20]);
        // Every page of lists of up to 30 pages: the pages the rule names,
        // checked one by one against each page of the list.
        for total in 1..=30usize {
            for current in 1..=total {
                let expected: Vec<usize> = (1..=total)
                    .filter(|&n| n == 1 || n == total || n.abs_diff(current) <= 3)
                    .collect();
                assert_eq!(nearby_pages(current, total), expected, "{current}/{total}");
            }
        }
    }
}
