//! Criterion benchmarks of laurel's hot functions: Markdown rendering of a
//! typical Chinese entry, summaries, slugs and input fingerprints. Whole-site
//! builds are timed by `scripts/bench.sh` instead (see BENCHMARKS.md).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use laurel::markdown::{MarkdownOptions, reading_minutes, render, truncate_text};

/// A diary entry shaped like the column's: headings, lists, a quote, bold
/// lead-ins and links, about 1,500 Chinese characters.
fn entry() -> String {
    let para = "今天是抵达武汉的第十天，**记者手记：**病区里的患者大多已经好转，队员们轮流值守夜班，\
                护目镜上的雾气一层又一层。我们约定，等春天来了，一起去看樱花。\n";
    let mut s = String::new();
    for i in 0..6 {
        s.push_str(&format!("## 第{i}节\n\n"));
        s.push_str(para);
        s.push_str(para);
        s.push_str("\n- 体温正常\n- 血氧稳定\n- [链接](/people/wu-yang/)\n\n> 坚持就是胜利。\n\n");
    }
    s
}

fn markdown(c: &mut Criterion) {
    let text = entry();
    let opts = MarkdownOptions {
        sanitize: true,
        chinese_quotes: true,
        root: "/column/",
    };
    c.bench_function("markdown::render (1.5k CJK chars)", |b| {
        b.iter(|| render(black_box(&text), &opts))
    });
    let plain = render(&text, &opts).text;
    c.bench_function("markdown::truncate_text 120", |b| {
        b.iter(|| truncate_text(black_box(&plain), 120))
    });
    c.bench_function("markdown::reading_minutes", |b| {
        b.iter(|| reading_minutes(black_box(&plain)))
    });
}

fn slugs(c: &mut Criterion) {
    c.bench_function("slug::slugify (Chinese title)", |b| {
        b.iter(|| laurel::slug::slugify(black_box("抵达武汉的第一天：护目镜起雾了")))
    });
}

criterion_group!(benches, markdown, slugs);
criterion_main!(benches);
