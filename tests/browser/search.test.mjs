// Search in a real browser: headless Chromium on the built sample site,
// served by a plain static server as any host would serve it.
//
// - Typing `护士长` with the keyboard lists results whose titles or snippets
//   highlight the words in <mark>; the address becomes /search/?q=护士长;
//   ArrowDown then Enter follows the first result. A phone-width screenshot
//   goes to target/screenshots/search-phone.png.
// - Under a base_url path prefix (/column/), /column/search/?q=... finds
//   results by itself, every fetch stays under the prefix, and the menu links
//   to the search page.
// - No console errors, failed requests or HTTP errors anywhere.
//
// Builds nothing but sites: runs the binary at $LAUREL_BIN (default
// target/release/laurel).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { bin, build, launchChromium, repo, serveSite, serveStatic, targetDir, tempDir } from './support.mjs';

const PHONE = { width: 390, height: 844 };
const SHOTS = path.join(targetDir, 'screenshots');

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

/** A fresh phone-sized page that collects everything that goes wrong. */
async function phonePage() {
  const page = await browser.newPage({ viewport: PHONE });
  const problems = [];
  const requests = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('request', (r) => requests.push(r.url()));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return { page, problems, requests };
}

/** The result links: `[{ href, text, marks }]`. */
function results(page) {
  return page.$$eval('#search-results li', (items) =>
    items.map((li) => {
      const a = li.querySelector('a');
      return {
        href: a.getAttribute('href'),
        text: a.textContent,
        marks: [...li.querySelectorAll('mark')].map((m) => m.textContent),
      };
    }),
  );
}

test('typing 护士长 shows highlighted results, and the keyboard follows the first', async () => {
  const { page, problems } = await phonePage();
  await page.goto(sample.url + 'search/', { waitUntil: 'load' });
  // The box is labelled; focus it as a keyboard user would reach it.
  const label = await page.$eval('label[for="search-q"]', (l) => l.textContent.trim());
  assert.ok(label.length > 0, 'the search box has a label');
  await page.focus('#search-q');
  await page.keyboard.type('护士长');
  await page.waitForSelector('#search-results li mark');
  const found = await results(page);
  assert.ok(found.length >= 2, JSON.stringify(found));
  assert.ok(
    found.every((r) => r.marks.some((m) => m.includes('护士'))),
    `every result highlights the query: ${JSON.stringify(found)}`,
  );
  assert.ok(found.some((r) => r.marks.includes('护士长')), JSON.stringify(found));
  assert.match(await page.textContent('#search-status'), /^找到 \d+ 条结果$/);
  assert.equal(new URL(page.url()).searchParams.get('q'), '护士长');

  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, 'search-phone.png'), fullPage: true });

  await page.keyboard.press('ArrowDown');
  const focused = await page.evaluate(() => document.activeElement?.getAttribute('href'));
  assert.equal(focused, found[0].href, 'ArrowDown moves to the first result');
  // The focus ring is visible on the focused result.
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none');
  await Promise.all([page.waitForURL(new URL(found[0].href, sample.url).href), page.keyboard.press('Enter')]);
  assert.deepEqual(problems, []);
  await page.close();
});

test('under a base_url path prefix, /column/search/?q= finds and every fetch stays under the prefix', async () => {
  const parent = tempDir('laurel-prefix-');
  const server = await serveStatic(() => parent);
  try {
    const out = build(repo, `${server.url}column/`);
    fs.symlinkSync(out, path.join(parent, 'column'));
    const { page, problems, requests } = await phonePage();

    await page.goto(`${server.url}column/`, { waitUntil: 'load' });
    const nav = await page.$$eval('.site-nav a', (as) => as.map((a) => a.getAttribute('href')));
    assert.ok(nav.includes('/column/search/'), `the menu links to search: ${nav}`);

    await page.goto(`${server.url}column/search/?q=${encodeURIComponent('代晓红')}`, { waitUntil: 'load' });
    await page.waitForSelector('#search-results li');
    assert.equal(await page.inputValue('#search-q'), '代晓红');
    const found = await results(page);
    assert.equal(found[0].href, '/column/people/dai-xiaohong/', JSON.stringify(found));
    assert.deepEqual(found[0].marks.slice(0, 1), ['代晓红']);
    assert.ok(found.every((r) => r.href.startsWith('/column/')), JSON.stringify(found));

    // A query nothing matches says so.
    await page.fill('#search-q', 'zzzqqqxxx');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('#search-status').textContent.includes('没有找到'));
    assert.equal((await results(page)).length, 0);

    const outside = requests.filter((u) => !new URL(u).pathname.startsWith('/column/'));
    assert.deepEqual(outside, [], 'nothing is fetched outside the prefix');
    assert.ok(requests.some((u) => /\/column\/search\/s\/\d+\.bin\?v=/.test(u)), requests.join('\n'));
    assert.deepEqual(problems, []);
    await page.close();
  } finally {
    await server.close();
  }
});
