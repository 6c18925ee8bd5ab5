// The default theme in a real browser: headless Chromium opens the built
// sample site (and the generated 200-entry site) from a local static server.
//
// - Screenshots of the index, an entry, the honor roll and a person page at
//   390×844 (a phone) and 1280×800 (a laptop) go to target/screenshots/ for
//   humans to look at.
// - Every page of the sample site, and a spread of the generated one, is
//   checked at 390 px: no sideways scrolling, no console errors, every image
//   with width and height attributes (so nothing jumps while images load).
// - The checks themselves are shown to fail on a page built to fail them.
//
// Builds nothing but sites: runs the binary at $LAUREL_BIN (default
// target/release/laurel).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  bin,
  generatedSite,
  htmlFiles,
  launchChromium,
  repo,
  serveSite,
  serveStatic,
  skipOrFail,
  targetDir,
  tempDir,
  urlPath,
} from './support.mjs';

const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1280, height: 800 };
const SHOTS = path.join(targetDir, 'screenshots');
// What a person looks at: the front page, an entry with a cover photo, the
// honor roll and one profile.
const SHOWN = [
  ['index', ''],
  ['entry', 'diary/arrival/'],
  ['honor-roll', 'people/'],
  ['person', 'people/dai-xiaohong/'],
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

/** Images that come from Markdown: laurel does not read image files, so only
 * an author's raw `<img width height>` can size them. */
const CONTENT_IMAGES = '.prose img, .card-summary img';

/**
 * Opens `url` in a fresh page of `viewport` size and returns the page and
 * everything wrong with it: console errors, failed requests, sideways
 * scrolling, images without sizes (except those matching `unsizedOk`).
 */
async function open(url, viewport, { unsizedOk = null } = {}) {
  const page = await browser.newPage({ viewport });
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  const response = await page.goto(url, { waitUntil: 'load' });
  if (!response.ok()) problems.push(`HTTP ${response.status()} for the page itself`);
  problems.push(...(await page.evaluate(layoutProblems, unsizedOk)));
  return { page, problems };
}

/** Runs in the page: sideways scrolling and unsized images. */
function layoutProblems(unsizedOk) {
  const out = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth) {
    // Name the element that sticks out furthest, so the fix is findable.
    let widest = null;
    for (const el of document.body.querySelectorAll('*')) {
      const right = el.getBoundingClientRect().right;
      if (right > doc.clientWidth + 0.5 && (!widest || right > widest.right)) widest = { el, right };
    }
    const who = widest ? widest.el.outerHTML.slice(0, 120) : '?';
    out.push(`scrolls sideways: ${doc.scrollWidth}px of content in a ${doc.clientWidth}px viewport; widest: ${who}`);
  }
  for (const img of document.images) {
    if (unsizedOk && img.matches(unsizedOk)) continue;
    if (!img.getAttribute('width') || !img.getAttribute('height')) {
      out.push(`image without width and height: ${img.outerHTML.slice(0, 120)}`);
    }
  }
  return out;
}

test('screenshots of the index, an entry, the honor roll and a person page at 390×844 and 1280×800', async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  const problems = [];
  for (const [name, rel] of SHOWN) {
    for (const viewport of [PHONE, LAPTOP]) {
      const { page, problems: found } = await open(sample.url + rel, viewport);
      const file = path.join(SHOTS, `${name}-${viewport.width}x${viewport.height}.png`);
      // Lazy images below the fold load when scrolled to; a full-page shot
      // should show them, as a reader scrolling down would see them.
      await page.evaluate(() => document.querySelectorAll('img[loading="lazy"]').forEach((i) => (i.loading = 'eager')));
      await page.waitForFunction(() => [...document.images].every((i) => i.complete), null, { timeout: 10_000 });
      await page.screenshot({ path: file, fullPage: true });
      await page.close();
      problems.push(...found.map((p) => `${rel || '/'} at ${viewport.width}px: ${p}`));
    }
  }
  assert.deepEqual(problems, []);
  const written = fs.readdirSync(SHOTS).filter((f) => f.endsWith('.png'));
  assert.equal(written.length >= SHOWN.length * 2, true, `screenshots in ${SHOTS}: ${written}`);
});

/** Whether a built page is an alias's redirect (it navigates away on load). */
function isRedirect(dir, file) {
  return fs.readFileSync(path.join(dir, file), 'utf8').includes('http-equiv="refresh"');
}

test('every page of the sample site fits a 390 px phone, logs no errors and sizes its images', async () => {
  const all = htmlFiles(sample.dir);
  const pages = all.filter((f) => !isRedirect(sample.dir, f));
  assert.ok(pages.length > 40, `the sample site has its pages (${pages.length})`);
  const problems = [];
  for (const file of pages) {
    const { page, problems: found } = await open(sample.url + urlPath(file), PHONE);
    await page.close();
    problems.push(...found.map((p) => `${file}: ${p}`));
  }
  assert.deepEqual(problems, []);
});

test("an alias of the sample site takes the browser to its entry", async () => {
  const redirects = htmlFiles(sample.dir).filter((f) => isRedirect(sample.dir, f));
  assert.ok(redirects.length > 0, 'the sample site has an alias');
  for (const file of redirects) {
    const page = await browser.newPage({ viewport: PHONE });
    const from = sample.url + urlPath(file);
    await page.goto(from, { waitUntil: 'load' });
    await page.waitForURL((u) => u.href !== from, { timeout: 10_000 });
    await page.waitForLoadState('load');
    const landed = new URL(page.url());
    assert.match(landed.pathname, /\/diary\/[^/]+\/$/, `${file} led to ${landed}`);
    const html = await page.content();
    assert.ok(!html.includes('http-equiv="refresh"') && html.includes('<h1'), `${file} landed on ${landed}, not an entry page`);
    await page.close();
  }
});

test('the generated 200-entry site fits a 390 px phone and logs no errors', async (t) => {
  const root = generatedSite();
  if (!root) return skipOrFail(t, 'no shared/bench/gen_corpus.py beside the repository (set LAUREL_SHARED)');
  const site = await serveSite(root);
  try {
    const files = htmlFiles(site.dir);
    // Lists, the longest pagination, the honor roll of 30, profiles, tags,
    // and entries with Markdown images, lists and quotes.
    const entries = files.filter((f) => f.startsWith('diary/'));
    const withImages = entries.filter((f) => fs.readFileSync(path.join(site.dir, f), 'utf8').includes('<img src="/images/photo-'));
    const chosen = [
      'index.html',
      'page/2/index.html',
      files.filter((f) => /^page\/\d+\/index\.html$/.test(f)).at(-1),
      'people/index.html',
      files.find((f) => /^people\/[^/]+\/index\.html$/.test(f)),
      'tags/index.html',
      files.find((f) => /^tags\/[^/]+\/page\/2\/index\.html$/.test(f)),
      'archive/index.html',
      ...entries.slice(0, 5),
      ...withImages.slice(0, 3),
    ].filter(Boolean);
    const problems = [];
    const unsized = [];
    for (const file of new Set(chosen)) {
      // Images the theme places must have sizes; Markdown images have
      // none, which is reported below.
      const { page, problems: found } = await open(site.url + urlPath(file), PHONE, { unsizedOk: CONTENT_IMAGES });
      unsized.push(
        ...(await page.evaluate((sel) => [...document.querySelectorAll(sel)].filter((i) => !i.getAttribute('width')).map((i) => i.src), CONTENT_IMAGES)),
      );
      await page.close();
      problems.push(...found.map((p) => `${file}: ${p}`));
    }
    if (unsized.length) t.diagnostic(`${unsized.length} Markdown images without width/height (content, not theme): ${[...new Set(unsized)].join(' ')}`);
    assert.ok(withImages.length > 0, 'the generated site has entries with images');
    assert.deepEqual(problems, []);
  } finally {
    await site.close();
  }
});

test('the checks catch a page that scrolls sideways, logs an error or has an unsized image', async () => {
  const dir = tempDir('laurel-bad-page-');
  fs.writeFileSync(
    path.join(dir, 'index.html'),
    '<!doctype html><html lang="en"><meta name="viewport" content="width=device-width"><title>bad</title>' +
      '<link rel="icon" href="data:,">' +
      '<div style="width:600px">wide</div><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="x">' +
      '<script>console.error("boom")</script>',
  );
  const server = await serveStatic(() => dir);
  try {
    const { page, problems } = await open(server.url, PHONE);
    await page.close();
    assert.equal(problems.length, 3, problems.join('\n'));
    assert.match(problems[0], /^console error: boom/);
    assert.match(problems[1], /^scrolls sideways: \d+px of content in a 390px viewport; widest: <div style="width:600px">/);
    assert.match(problems[2], /^image without width and height: <img src="data:image\/gif/);
  } finally {
    await server.close();
  }
});
