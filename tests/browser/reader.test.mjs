// The default theme as a reader meets it, in headless Chromium on the built
// sample site: a phone (390×844) and a laptop (1280×800).
//
// - Screenshots of every kind of page at both sizes, and an entry printed to
//   PDF, go to target/screenshots/ for humans to look at.
// - A phone screen holds two or three cards; the masthead is one compact row
//   with a menu; the menu marks the section a page belongs to.
// - The byline avatar and person chips sit where their box starts (no gap
//   left by a <picture>'s <source>).
// - Every date on the site is written one way.
// - The text-size control works and is remembered, the page reads the same
//   without JavaScript, and "back to top" goes there.
// - Print hides navigation, chips, pager and footer; pdftotext (poppler)
//   reads the title and body from Chromium's PDF and none of the menu.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { bin, launchChromium, repo, serveSite, skipOrFail, targetDir } from './support.mjs';

const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1280, height: 800 };
const SHOTS = path.join(targetDir, 'screenshots');
const SEARCH = `search/?q=${encodeURIComponent('护士长')}`;
const PAGES = [
  ['home', ''],
  ['entry', 'diary/arrival/'],
  ['honor-roll', 'people/'],
  ['person', 'people/dai-xiaohong/'],
  ['tag', 'tags/kang-yi-ri-ji/'],
  ['archive', 'archive/'],
  ['search', SEARCH],
  ['not-found', '404.html'],
];

let browser;
let sample;

before(async () => {
  assert.ok(fs.existsSync(bin), `no laurel binary at ${bin} (cargo build --release, or set LAUREL_BIN)`);
  sample = await serveSite(repo);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await sample?.close();
});

async function open(rel, viewport, options = {}) {
  const context = await browser.newContext({ viewport, ...options });
  const page = await context.newPage();
  await page.goto(sample.url + rel, { waitUntil: 'load' });
  return { page, context };
}

test('screenshots of every kind of page at 390×844 and 1280×800, and an entry printed to PDF', async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  for (const [name, rel] of PAGES) {
    for (const viewport of [PHONE, LAPTOP]) {
      const { page, context } = await open(rel, viewport);
      if (rel === SEARCH) await page.waitForSelector('.search-result', { timeout: 10_000 });
      await page.evaluate(() => document.querySelectorAll('img[loading="lazy"]').forEach((i) => (i.loading = 'eager')));
      await page.waitForFunction(() => [...document.images].every((i) => i.complete), null, { timeout: 10_000 });
      await page.screenshot({ path: path.join(SHOTS, `reader-${name}-${viewport.width}x${viewport.height}.png`), fullPage: true });
      await context.close();
    }
  }
  const { page, context } = await open('diary/arrival/', LAPTOP);
  const pdf = path.join(SHOTS, 'reader-entry-print.pdf');
  await page.pdf({ path: pdf, format: 'A4', printBackground: true });
  await context.close();
  const expected = PAGES.flatMap(([name]) => [PHONE, LAPTOP].map((v) => `reader-${name}-${v.width}x${v.height}.png`));
  const missing = expected.filter((f) => !(fs.statSync(path.join(SHOTS, f), { throwIfNoEntry: false })?.size > 1000));
  assert.deepEqual(missing, [], `screenshots in ${SHOTS}`);
  assert.ok(fs.statSync(pdf).size > 10_000, 'the PDF has content');
});

test('a phone screen holds two or three cards under a one-row masthead', async () => {
  for (const rel of ['', 'page/2/']) {
    const { page, context } = await open(rel, PHONE);
    const m = await page.evaluate(() => {
      const header = document.querySelector('.site-header').getBoundingClientRect().height;
      const cards = [...document.querySelectorAll('.entry-card:not(.is-featured)')].map((c) => c.getBoundingClientRect().height);
      return { header, cards };
    });
    await context.close();
    assert.ok(m.header <= 64, `${rel || '/'}: the masthead is ${m.header}px tall (at most 64)`);
    assert.ok(m.cards.length >= 3, `${rel || '/'}: cards ${m.cards}`);
    const screen = PHONE.height - m.header;
    for (const h of m.cards) {
      // Two whole cards and a start of the third in one screen.
      assert.ok(h <= screen / 2.5, `${rel || '/'}: a card is ${h}px tall; ${screen}px of screen should hold 2.5 of them`);
    }
  }
});

test('on a phone the menu opens from its button, and marks the section of the page', async () => {
  const { page, context } = await open('diary/arrival/', PHONE);
  const nav = page.locator('#site-nav');
  assert.equal(await nav.isVisible(), false, 'the menu is closed at first');
  await page.getByRole('button', { name: '菜单' }).click();
  assert.equal(await nav.isVisible(), true, 'the button opens the menu');
  const people = nav.getByRole('link', { name: '英雄榜' });
  assert.equal(await people.isVisible(), true);
  // An entry belongs to the archive, not to the home page.
  const marked = await nav.locator('.is-active, [aria-current]').allTextContents();
  assert.deepEqual(marked, ['归档']);
  await people.click();
  await page.waitForURL(/\/people\/$/);
  await context.close();

  for (const [rel, section] of [
    ['', '首页'],
    ['people/dai-xiaohong/', '英雄榜'],
    ['tags/kang-yi-ri-ji/', '标签'],
    ['archive/2020/03/', '归档'],
  ]) {
    const { page: p, context: c } = await open(rel, LAPTOP);
    const found = await p.locator('#site-nav').locator('.is-active, [aria-current]').allTextContents();
    await c.close();
    assert.deepEqual(found, [section], `${rel || '/'} marks ${found}`);
  }
});

test('the byline avatar and person chips start where their box starts', async () => {
  for (const viewport of [PHONE, LAPTOP]) {
    const { page, context } = await open('diary/arrival/', viewport);
    const m = await page.evaluate(() => {
      const left = (el) => el.getBoundingClientRect().left;
      const title = document.querySelector('.entry-title');
      const avatar = document.querySelector('.byline .avatar');
      const chips = [...document.querySelectorAll('.person-chip')].map((chip) => left(chip.querySelector('.avatar')) - left(chip));
      return { avatar: left(avatar) - left(title), chips };
    });
    await context.close();
    assert.ok(Math.abs(m.avatar) < 1, `at ${viewport.width}px the avatar is ${m.avatar}px in from the title`);
    assert.ok(m.chips.length > 0);
    for (const inset of m.chips) assert.ok(inset <= 7, `at ${viewport.width}px a chip's avatar is ${inset}px in (padding is 6px)`);
  }
});

test('every date on the site is written one way', async () => {
  const seen = [];
  for (const rel of ['', 'diary/arrival/', 'people/', 'people/dai-xiaohong/', 'tags/kang-yi-ri-ji/', 'archive/', SEARCH]) {
    const { page, context } = await open(rel, PHONE);
    if (rel === SEARCH) await page.waitForSelector('.search-result time', { timeout: 10_000 });
    const dates = await page.$$eval('main time', (ts) => ts.map((t) => t.textContent.trim()));
    await context.close();
    // A day in an archive month ("10日") carries no year: its heading has it.
    for (const d of dates.filter((d) => /\d{4}/.test(d))) seen.push([rel || '/', d]);
  }
  assert.ok(seen.length > 20, `dates found: ${seen.length}`);
  const other = seen.filter(([, d]) => !/^\d{4}年\d{1,2}月\d{1,2}日$/.test(d));
  assert.deepEqual(other, [], 'every date reads like 2020年2月10日');
  assert.ok(seen.some(([rel]) => rel === SEARCH), 'search results show dates');
});

test('A− / A+ change the size of the text, the choice is remembered, and without JavaScript nothing is broken', async () => {
  const { page, context } = await open('diary/arrival/', PHONE);
  const size = () => page.$eval('.prose', (p) => parseFloat(getComputedStyle(p).fontSize));
  const before = await size();
  const larger = page.getByRole('button', { name: '放大字号' });
  await larger.click();
  await larger.click();
  const bigger = await size();
  assert.ok(bigger >= before * 1.2, `A+ twice: ${before}px → ${bigger}px`);
  await page.goto(sample.url + 'diary/homecoming/', { waitUntil: 'load' });
  assert.equal(await size(), bigger, 'the next page keeps the size');
  await page.getByRole('button', { name: '缩小字号' }).click();
  assert.ok((await size()) < bigger);
  await context.close();

  const { page: plain, context: noJs } = await open('diary/arrival/', PHONE, { javaScriptEnabled: false });
  assert.equal(await plain.locator('[data-text-tools]').isVisible(), false, 'no dead buttons without JavaScript');
  assert.equal(await plain.$eval('.prose', (p) => parseFloat(getComputedStyle(p).fontSize)), before);
  assert.equal(await plain.getByRole('link', { name: '回到顶部' }).isVisible(), true, 'the plain link is there');
  await noJs.close();
});

test('back to top floats once the reader has scrolled a long page, and goes to the top', async () => {
  const { page, context } = await open('people/dai-xiaohong/', PHONE);
  const link = page.getByRole('link', { name: '回到顶部' });
  assert.equal(await link.evaluate((a) => a.classList.contains('is-floating')), false);
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  assert.ok(height > PHONE.height * 2, `a long page (${height}px)`);
  await page.evaluate(() => window.scrollTo(0, window.innerHeight * 2));
  await page.waitForFunction(() => document.querySelector('[data-to-top]').classList.contains('is-floating'));
  const box = await link.boundingBox();
  assert.ok(box.y + box.height <= PHONE.height && box.y > PHONE.height / 2, `it floats in view at ${box.y}`);
  await link.click();
  await page.waitForFunction(() => window.scrollY === 0);
  await context.close();
});

test('print hides the menu, chips, pager and footer, and prints outside link addresses', async (t) => {
  const { page, context } = await open('diary/arrival/', LAPTOP);
  await page.emulateMedia({ media: 'print' });
  const shown = await page.evaluate(() => {
    const visible = (sel) => [...document.querySelectorAll(sel)].some((el) => getComputedStyle(el).display !== 'none');
    return {
      nav: visible('.site-nav'),
      menu: visible('.menu-button'),
      chips: visible('.chips'),
      pager: visible('.entry-nav'),
      footer: visible('.site-footer'),
      tools: visible('[data-text-tools]'),
      background: getComputedStyle(document.body).backgroundColor,
      ink: getComputedStyle(document.querySelector('.prose')).color,
    };
  });
  assert.deepEqual(shown, {
    nav: false,
    menu: false,
    chips: false,
    pager: false,
    footer: false,
    tools: false,
    background: 'rgb(255, 255, 255)',
    ink: 'rgb(0, 0, 0)',
  });
  const pdf = path.join(SHOTS, 'reader-entry-print-check.pdf');
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.pdf({ path: pdf, format: 'A4' });
  const title = await page.$eval('.entry-title', (h) => h.textContent.trim());
  const first = await page.$eval('.prose p', (p) => p.textContent.trim().slice(0, 12));
  await context.close();

  // An outside link prints its address after it (the care-measures page cites one).
  const { page: measures, context: printed } = await open('care-measures/', LAPTOP);
  await measures.emulateMedia({ media: 'print' });
  const after = await measures.$eval('.prose a[href^="http"]', (a) => [a.href, getComputedStyle(a, '::after').content]);
  await printed.close();
  assert.equal(after[1], `" (${after[0]})"`, 'the address follows the link');

  const r = spawnSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  if (r.error) return skipOrFail(t, 'pdftotext is not installed (apt-get install poppler-utils)');
  assert.equal(r.status, 0, r.stderr);
  const text = r.stdout.replace(/\s+/g, '');
  assert.ok(text.includes(title.replace(/\s+/g, '')), `the PDF has the title: ${r.stdout.slice(0, 400)}`);
  assert.ok(text.includes(first.replace(/\s+/g, '')), `the PDF has the body (${first})`);
  for (const menu of ['关于本栏目', '跳到正文', 'RSS订阅', '上一篇', '文中人物']) {
    assert.ok(!text.includes(menu), `the PDF has "${menu}" from the page's navigation`);
  }
});
