// Sharing an entry in a real browser and a real QR reader: headless
// Chromium opens the built sample site at 1280 px, the QR code of an entry
// page and of a person page is screenshotted and decoded with zbarimg
// (zbar-tools, what many scanners are built on), and must read back as the
// page's canonical URL. On a phone (390 px) the code is hidden. The entry's
// copy-link button puts the canonical URL on the clipboard and says 已复制;
// without JavaScript there is no button to see.
//
// Builds nothing but the site: runs the binary at $LAUREL_BIN (default
// target/release/laurel). Needs `zbarimg` (apt-get install zbar-tools);
// without it the decoding test skips, and under CI=true fails.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PATIENCE, bin, launchChromium, repo, serveSite, skipOrFail, targetDir } from './support.mjs';

const LAPTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const SHOTS = path.join(targetDir, 'screenshots');
const PAGES = [
  ['entry', 'diary/arrival/'],
  ['person', 'people/dai-xiaohong/'],
];

let browser;
let sample;

before(async () => {
  assert.ok(fs.existsSync(bin), `no laurel binary at ${bin} (cargo build --release, or set LAUREL_BIN)`);
  sample = await serveSite(repo);
  browser = await launchChromium();
  fs.mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await sample?.close();
});

/** zbarimg's reading of a PNG: the decoded texts, one per code found. */
function zbar(file) {
  const r = spawnSync('zbarimg', ['--quiet', '--raw', file], { encoding: 'utf8' });
  if (r.error) throw r.error;
  // Exit 4: no code found in the image.
  assert.ok(r.status === 0 || r.status === 4, `zbarimg failed (${r.status}): ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l !== '');
}

const hasZbar = () => !spawnSync('zbarimg', ['--version'], { encoding: 'utf8' }).error;

test('the QR codes of an entry and a person decode to their canonical URLs', async (t) => {
  if (!hasZbar()) return skipOrFail(t, 'zbarimg is not installed (apt-get install zbar-tools)');
  const context = await browser.newContext({ viewport: LAPTOP });
  try {
    const page = await context.newPage();
    for (const [name, rel] of PAGES) {
      await page.goto(`${sample.url}${rel}`);
      const canonical = await page.locator('link[rel=canonical]').getAttribute('href');
      assert.equal(canonical, `${sample.url}${rel}`);
      const qr = page.locator('svg.qr-code');
      await qr.scrollIntoViewIfNeeded();
      assert.ok(await qr.isVisible(), `${rel}: the QR code is not shown at 1280 px`);
      assert.equal(await qr.getAttribute('role'), 'img');
      assert.ok(await qr.getAttribute('aria-label'), `${rel}: the QR code has no accessible name`);
      const file = path.join(SHOTS, `qr-${name}.png`);
      await qr.screenshot({ path: file });
      assert.deepEqual(zbar(file), [canonical], `${rel}: ${file} does not read back as the page's URL`);
    }
  } finally {
    await context.close();
  }
});

test('the decoding is shown to fail on a code of another address', async (t) => {
  if (!hasZbar()) return skipOrFail(t, 'zbarimg is not installed (apt-get install zbar-tools)');
  const context = await browser.newContext({ viewport: LAPTOP });
  try {
    const page = await context.newPage();
    const file = path.join(SHOTS, 'qr-person-not-entry.png');
    await page.goto(`${sample.url}${PAGES[1][1]}`);
    await page.locator('svg.qr-code').screenshot({ path: file });
    assert.notDeepEqual(zbar(file), [`${sample.url}${PAGES[0][1]}`]);
    // A page region without a code reads as nothing.
    const blank = path.join(SHOTS, 'qr-none.png');
    await page.locator('h1').screenshot({ path: blank });
    assert.deepEqual(zbar(blank), []);
  } finally {
    await context.close();
  }
});

test('phones do not see the QR code', async () => {
  const context = await browser.newContext({ viewport: PHONE });
  try {
    const page = await context.newPage();
    for (const [, rel] of PAGES) {
      await page.goto(`${sample.url}${rel}`);
      assert.equal(await page.locator('svg.qr-code').count(), 1, `${rel}: no QR code in the page`);
      assert.equal(await page.locator('svg.qr-code').isVisible(), false, `${rel}: QR code shown on a phone`);
    }
  } finally {
    await context.close();
  }
});

test('the copy-link button copies the canonical URL and says so', async () => {
  const context = await browser.newContext({ viewport: PHONE });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(sample.url).origin });
  try {
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(`${sample.url}diary/arrival/`);
    const button = page.getByRole('button', { name: '复制链接' });
    await button.click({ timeout: PATIENCE });
    await page
      .getByRole('status')
      .filter({ hasText: '已复制' })
      .waitFor({ timeout: PATIENCE });
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, `${sample.url}diary/arrival/`);
    assert.deepEqual(problems, [], 'the browser reported errors');
  } finally {
    await context.close();
  }
});

test('without JavaScript there is no copy-link button to see', async () => {
  const context = await browser.newContext({ viewport: LAPTOP, javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await page.goto(`${sample.url}diary/arrival/`);
    assert.equal(await page.locator('button.copy-link').count(), 1);
    assert.equal(await page.locator('button.copy-link').isVisible(), false);
    // The QR code needs no script.
    assert.ok(await page.locator('svg.qr-code').isVisible());
  } finally {
    await context.close();
  }
});
