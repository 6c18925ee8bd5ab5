// The 复制到公众号 button of `laurel serve` in a real browser: headless
// Chromium opens an entry page, the button is clicked, and the clipboard
// then holds the entry's WeChat rendition as rich text (every style
// inline, no classes) and as plain text.
//
// Builds nothing: runs the binary at $LAUREL_BIN (default
// target/release/laurel) on a temporary copy of ./site.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PATIENCE, bin, launchChromium, serve, stopServe, tempDir } from './support.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

test('the copy button puts the entry on the clipboard as rich text', { timeout: 120_000 }, async () => {
  assert.ok(fs.existsSync(bin), `no laurel binary at ${bin} (cargo build --release, or set LAUREL_BIN)`);
  const root = path.join(tempDir('laurel-wechat-'), 'site');
  fs.cpSync(path.join(here, 'site'), root, { recursive: true });
  fs.writeFileSync(
    path.join(root, 'content/diary/2020-02-10-arrival.md'),
    '---\ntitle: 抵达\ndate: 2020-02-10 21:30\nauthor: wu-yang\n---\n今天抵达，见[新华网](https://news.cn/)。\n\n## 第一天\n\n- 交接\n',
  );
  const server = serve(root);
  let browser;
  try {
    const url = await server.url;
    browser = await launchChromium();
    const context = await browser.newContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(`${url}diary/arrival/`);

    const button = page.getByRole('button', { name: '复制到公众号' });
    await button.click();
    await page
      .waitForFunction(() => document.querySelector('#laurel-wechat')?.textContent.startsWith('已复制'), null, {
        timeout: PATIENCE,
      })
      .catch(async (e) =>
        assert.fail(`${e.message}: the button says ${await button.textContent()}\n${server.output.join('\n')}`),
      );

    const copied = await page.evaluate(async () => {
      const [item] = await navigator.clipboard.read();
      const html = await (await item.getType('text/html')).text();
      const text = await (await item.getType('text/plain')).text();
      return { types: item.types, html, text };
    });
    assert.ok(copied.types.includes('text/html'), `clipboard types: ${copied.types}`);
    assert.match(copied.html, /今天抵达/);
    assert.match(copied.html, /<h2 style="[^"]+">第一天<\/h2>/);
    assert.match(copied.html, /参考链接/, 'the outside link became a numbered note');
    assert.doesNotMatch(copied.html, /class=/);
    assert.doesNotMatch(copied.html, /<a /);
    assert.match(copied.text, /今天抵达/);
    assert.doesNotMatch(copied.text, /</, 'the plain text has no markup');
    assert.deepEqual(problems, [], 'the browser reported errors');
  } finally {
    await browser?.close();
    await stopServe(server);
  }
});
