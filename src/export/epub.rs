//! The booklet as EPUB 3 (`epub-builder`): a title page, the table of
//! contents, one chapter per month and the honor roll, each an XHTML file
//! made of the theme's partials (`partials/book_entry.html`,
//! `partials/book_person.html`) reshaped into XHTML, styled by the theme's
//! `book.css`, with the site's images inside the book. The book's
//! identifier comes from its base URL, so the same column keeps one.

use chrono::{DateTime, FixedOffset, Utc};
use epub_builder::{EpubBuilder, EpubContent, EpubVersion, ReferenceType, TocElement, ZipLibrary};

use super::book::{Images, Parts, context, entry_value, person_value};
use super::tree::{Shape, Syntax, reshape};
use super::wechat::render_template;
use crate::config::Config;
use crate::diag::BuildError;
use crate::html::escape_html;
use crate::theme::Theme;

fn epub_error(e: epub_builder::Error) -> BuildError {
    BuildError::Io(anyhow::anyhow!("cannot make the EPUB: {e}"))
}

/// Rendered HTML as XHTML, as it is otherwise.
fn xhtml(html: &str) -> String {
    let same = |s: &str| s.to_string();
    let same_src = |s: &str| Some(s.to_string());
    reshape(
        html,
        &Shape {
            syntax: Syntax::Xhtml,
            wechat: false,
            notes: false,
            strip_classes: false,
            id_prefix: "",
            link: &same,
            image: &same_src,
        },
    )
    .0
}

/// One XHTML file of the book.
fn document(config: &Config, title: &str, body: &str) -> String {
    let lang = config.language.tag();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" xml:lang=\"{lang}\" lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>{}</title>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"stylesheet.css\"/>\n</head>\n<body>\n{body}\n</body>\n</html>\n",
        escape_html(title)
    )
}

/// The EPUB file's bytes.
pub(super) fn book(
    config: &Config,
    theme: &Theme,
    parts: &Parts,
    images: &Images,
    now: DateTime<FixedOffset>,
) -> Result<Vec<u8>, BuildError> {
    let ctx = context(config, theme, parts);
    let css = render_template(theme, "book.css", &ctx)?;
    let t = |key: &str, fallback: &str| theme.ui(key, fallback);
    let mut b = EpubBuilder::new(ZipLibrary::new().map_err(epub_error)?).map_err(epub_error)?;
    b.epub_version(EpubVersion::V30);
    b.set_title(config.title.as_str());
    b.set_languages(vec![config.language.tag().to_string()]);
    if let Some(a) = &config.author {
        b.add_author(a.as_str());
    }
    if let Some(d) = &config.description {
        b.add_description(d.as_str());
    }
    b.set_generator(concat!("laurel ", env!("CARGO_PKG_VERSION")));
    b.set_toc_name(t("book_contents", "目录"));
    let id = xxhash_rust::xxh3::xxh3_128(config.base_url.as_bytes());
    b.set_uuid(uuid::Uuid::from_u128(id));
    b.set_modified_date(now.with_timezone(&Utc));
    b.stylesheet(css.as_bytes()).map_err(epub_error)?;
    for (name, bytes, mime) in images.files.values() {
        b.add_resource(name.as_str(), bytes.as_slice(), mime.as_str())
            .map_err(epub_error)?;
    }

    let mut cover = format!(
        "<section class=\"book-cover\" epub:type=\"titlepage\">\n<h1>{}</h1>\n",
        escape_html(&config.title)
    );
    for line in [&config.subtitle, &config.author, &config.description]
        .into_iter()
        .flatten()
    {
        cover.push_str(&format!("<p>{}</p>\n", escape_html(line)));
    }
    cover.push_str("</section>");
    b.add_content(
        EpubContent::new(
            "title.xhtml",
            document(config, &config.title, &cover).as_bytes(),
        )
        .title(config.title.as_str())
        .reftype(ReferenceType::TitlePage),
    )
    .map_err(epub_error)?;
    b.inline_toc();

    for (n, m) in parts.months.iter().enumerate() {
        let file = format!("month-{}.xhtml", n + 1);
        let mut body = format!(
            "<section class=\"month\" id=\"{}\">\n<h1>{}</h1>\n",
            m.id,
            escape_html(&m.heading)
        );
        let mut children = Vec::new();
        for e in &m.entries {
            let mut c = ctx.clone();
            c.insert_value("entry", entry_value(e));
            let html = render_template(theme, "partials/book_entry.html", &c)?;
            body.push_str(&xhtml(&html));
            children.push(TocElement::new(
                format!("{file}#{}", e.id),
                e.title.as_str(),
            ));
        }
        body.push_str("\n</section>");
        let doc = document(config, &m.heading, &body);
        let mut content = EpubContent::new(file, doc.as_bytes()).title(m.heading.as_str());
        for child in children {
            content = content.child(child);
        }
        if n == 0 {
            content = content.reftype(ReferenceType::Text);
        }
        b.add_content(content).map_err(epub_error)?;
    }

    if !parts.batches.is_empty() {
        let title = t("people", "英雄榜");
        let mut body = format!(
            "<section class=\"honor-roll\" id=\"honor-roll\">\n<h1>{}</h1>\n",
            escape_html(&title)
        );
        for batch in &parts.batches {
            body.push_str(&format!(
                "<section class=\"batch\">\n<h2>{}</h2>\n",
                escape_html(&batch.label)
            ));
            for p in &batch.people {
                let mut c = ctx.clone();
                c.insert_value("p", person_value(p));
                let html = render_template(theme, "partials/book_person.html", &c)?;
                body.push_str(&xhtml(&html));
            }
            body.push_str("</section>\n");
        }
        body.push_str("</section>");
        let doc = document(config, &title, &body);
        b.add_content(EpubContent::new("people.xhtml", doc.as_bytes()).title(title.as_str()))
            .map_err(epub_error)?;
    }

    let mut out = Vec::new();
    b.generate(&mut out).map_err(epub_error)?;
    Ok(out)
}
