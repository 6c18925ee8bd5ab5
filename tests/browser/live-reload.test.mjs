// Live reload in a real browser: headless Chromium opens a page served by
// `laurel serve`, the entry is edited on disk, and the page shows the new
// title by itself; a broken edit shows the error overlay, the fix removes it.
//
// Builds nothing: runs the binary at $LAUREL_BIN (default
// target/release/laurel) on a temporary copy of ./site.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { PATIENCE, serve } from './support.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const bin = path.resolve(process.env.LAUREL_BIN ?? path.join(repo, 'target', 'release', 'laurel'));
const ENTRY = 'content/diary/2020-02-10-arrival.md';

function entry(title, date = '2020-02-10 21:30') {
  return `---\ntitle: ${title}\ndate: ${date}\nauthor: wu-yang\ntags: [nursing]\n---\n今天抵达。\n`;
}

/** Resolves when `page`'s live-reload stream has been answered (the server is subscribed). */
function liveConnected(page) {
  return page.waitForResponse((r) => r.url().endsWith('/__laurel/live'), { timeout: PATIENCE });
}

test('an edit on disk shows in the open page; a broken edit shows the overlay until fixed', { timeout: 180_000 }, async () => {
  assert.ok(fs.existsSync(bin), `no laurel binary at ${bin} (cargo build --release, or set LAUREL_BIN)`);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'laurel-browser-'));
  fs.cpSync(path.join(here, 'site'), root, { recursive: true });
  const server = serve(root);
  let browser;
  try {
    const url = await server.url;
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    await check(browser, url, root, server.output);
  } finally {
    await browser?.close();
    if (server.child.exitCode === null) {
      const exited = new Promise((resolve) => server.child.once('exit', resolve));
      server.child.kill('SIGINT');
      await exited;
    }
    fs.rmSync(root, { recursive: true, force: true });
  }
});

async function check(browser, url, root, output) {
  const page = await browser.newPage();
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  let loads = 0;
  page.on('load', () => loads++);

  const h1 = () => page.locator('h1').first().textContent();
  const write = (text) => fs.writeFileSync(path.join(root, ENTRY), text);
  const waitFor = (fn) =>
    page
      .waitForFunction(fn, null, { timeout: PATIENCE })
      .catch((e) => assert.fail(`${e.message}\nlaurel printed:\n${output.join('\n')}`));

  // Open the entry page and wait until its live-reload stream is connected.
  let live = liveConnected(page);
  await page.goto(`${url}diary/arrival/`);
  await live;
  assert.equal(await h1(), '抵达');
  assert.equal(loads, 1);

  // Edit the title on disk: the page reloads itself.
  live = liveConnected(page);
  write(entry('抵达武汉'));
  await waitFor(() => document.querySelector('h1')?.textContent === '抵达武汉');
  await live;
  assert.equal(loads, 2, 'the page reloaded once');

  // A broken edit: the overlay names the file, line and column; the page stays.
  write(entry('坏的', '2020-02-30 21:30'));
  await waitFor(() =>
    document.querySelector('#laurel-error')?.textContent.includes('content/diary/2020-02-10-arrival.md:3:7'),
  );
  const overlay = page.locator('#laurel-error');
  assert.equal(await h1(), '抵达武汉', 'the last good page stays while the build is broken');
  assert.equal(await overlay.getAttribute('role'), 'alert');
  // The sample site is zh-CN: the message, its line and a caret, in Chinese.
  const shown = await overlay.textContent();
  assert.match(shown, /日期 `[^`]+` 无效/);
  assert.match(shown, /\n3 \| date: [^\n]+\n  \|       \^\n  提示：/);
  assert.ok(await overlay.isVisible(), 'the overlay is visible');
  assert.equal(loads, 2, 'a broken build does not reload the page');

  // The fix reloads the page: new title, no overlay.
  write(entry('修好了'));
  await waitFor(() => document.querySelector('h1')?.textContent === '修好了' && !document.querySelector('#laurel-error'));
  assert.equal(await overlay.count(), 0);

  assert.deepEqual(problems, [], 'the browser reported errors');
}
