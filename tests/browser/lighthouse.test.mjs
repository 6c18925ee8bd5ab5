// Lighthouse (npm's `lighthouse`, driving Debian's Chromium through
// CHROME_PATH, offline) on the index, an entry and a person page of the built
// sample site, served by a plain static server as a host would serve it
// (`laurel serve` would add its live-reload script). Every category
// (performance, accessibility, best practices, SEO) must score at least 95
// with Lighthouse's default mobile settings. Reports go to target/lighthouse/
// (HTML for humans, JSON for tools).
//
// Performance is a timing: one run on a busy two-core machine can come out
// slow (Lighthouse's own advice is to run it several times), so a page whose
// performance alone is short is measured again, up to three runs, and its
// best run counts. The other categories do not depend on timing and get one
// run.
//
// Also shown: the same check fails on a page built to fail it.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bin, chromeFlags, chromePath, repo, serveSite, serveStatic, targetDir, tempDir } from './support.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const LIGHTHOUSE = path.join(here, 'node_modules', '.bin', 'lighthouse');
const REPORTS = path.join(targetDir, 'lighthouse');
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];
const MIN_SCORE = 95;
const PERFORMANCE_RUNS = 3;
const PAGES = [
  ['index', ''],
  ['entry', 'diary/arrival/'],
  ['person', 'people/dai-xiaohong/'],
];

let sample;

before(async () => {
  assert.ok(fs.existsSync(bin), `no laurel binary at ${bin} (cargo build --release, or set LAUREL_BIN)`);
  assert.ok(fs.existsSync(LIGHTHOUSE), `no ${LIGHTHOUSE} (cd tests/browser && npm ci)`);
  fs.rmSync(REPORTS, { recursive: true, force: true });
  sample = await serveSite(repo);
});

after(async () => {
  await sample?.close();
});

/** Runs Lighthouse on `url`; writes `<name>.report.html/.json`; returns the JSON report. */
function lighthouse(url, name) {
  fs.mkdirSync(REPORTS, { recursive: true });
  const out = path.join(REPORTS, name);
  const args = [
    url,
    '--quiet',
    '--output=json',
    '--output=html',
    `--output-path=${out}`,
    `--only-categories=${CATEGORIES.join(',')}`,
    `--chrome-flags=${chromeFlags.join(' ')}`,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(LIGHTHOUSE, args, {
      env: { ...process.env, CHROME_PATH: chromePath },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      const file = `${out}.report.json`;
      if (code !== 0 || !fs.existsSync(file)) {
        reject(new Error(`lighthouse ${url} exited with ${code}:\n${stderr}`));
        return;
      }
      const report = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (report.runtimeError) reject(new Error(`lighthouse ${url}: ${report.runtimeError.message}`));
      else resolve(report);
    });
  });
}

/** `{ performance: 100, ... }`: each category's score out of 100. */
function scores(report) {
  return Object.fromEntries(CATEGORIES.map((c) => [c, Math.round((report.categories[c]?.score ?? 0) * 100)]));
}

/** Each category under MIN_SCORE, with the audits that cost it points. */
function shortfalls(report) {
  const out = [];
  for (const c of CATEGORIES) {
    const category = report.categories[c];
    const score = Math.round((category?.score ?? 0) * 100);
    if (score >= MIN_SCORE) continue;
    const failing = (category?.auditRefs ?? [])
      .filter((ref) => ref.weight > 0 && (report.audits[ref.id]?.score ?? 1) < 1)
      .map((ref) => `${ref.id} (${report.audits[ref.id].score})`);
    out.push(`${c} ${score} < ${MIN_SCORE}: ${failing.join(', ') || 'no single audit'}`);
  }
  return out;
}

test(`Lighthouse scores at least ${MIN_SCORE} in every category on the index, an entry and a person page`, { timeout: 600_000 }, async (t) => {
  const problems = [];
  const table = [];
  for (const [name, rel] of PAGES) {
    let report = await lighthouse(sample.url + rel, name);
    const runs = [scores(report).performance];
    const onlySlow = (r) => shortfalls(r).length > 0 && shortfalls(r).every((p) => p.startsWith('performance'));
    while (onlySlow(report) && runs.length < PERFORMANCE_RUNS) {
      // Each run keeps its own report: `entry.report.html`, `entry-2.report.html`.
      const again = await lighthouse(sample.url + rel, `${name}-${runs.length + 1}`);
      runs.push(scores(again).performance);
      if (scores(again).performance > scores(report).performance) report = again;
    }
    const s = scores(report);
    const perf = runs.length > 1 ? `${s.performance} (best of runs: ${runs.join(', ')})` : `${s.performance}`;
    table.push(`${name.padEnd(7)} ${CATEGORIES.map((c) => `${c} ${c === 'performance' ? perf : s[c]}`).join('  ')}`);
    problems.push(...shortfalls(report).map((p) => `${name} (/${rel}): ${p}`));
  }
  t.diagnostic(`Lighthouse (mobile), reports in ${REPORTS}:`);
  for (const line of table) t.diagnostic(line);
  assert.deepEqual(problems, []);
});

test('the Lighthouse check fails a page without a language, description, alt text or contrast', { timeout: 300_000 }, async () => {
  const dir = tempDir('laurel-bad-lighthouse-');
  fs.writeFileSync(
    path.join(dir, 'index.html'),
    '<!doctype html><html><head><meta charset="utf-8"><title>x</title><link rel="icon" href="data:,"></head>' +
      '<body style="color:#bbb;background:#fff"><h3>标题</h3><p>浅灰色的文字</p>' +
      '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="checkbox" disabled>' +
      '<a href="#">点这里</a></body></html>',
  );
  const server = await serveStatic(() => dir);
  try {
    const problems = shortfalls(await lighthouse(server.url, 'known-bad'));
    const failed = problems.map((p) => p.split(' ')[0]);
    assert.ok(failed.includes('accessibility'), problems.join('\n'));
    assert.ok(failed.includes('seo'), problems.join('\n'));
    const accessibility = problems.find((p) => p.startsWith('accessibility'));
    for (const audit of ['html-has-lang', 'image-alt', 'color-contrast', 'label']) {
      assert.match(accessibility, new RegExp(`\\b${audit} \\(0\\)`), accessibility);
    }
    assert.match(problems.find((p) => p.startsWith('seo')), /\bmeta-description \(0\)/);
  } finally {
    await server.close();
    fs.rmSync(path.join(REPORTS, 'known-bad.report.json'), { force: true });
    fs.rmSync(path.join(REPORTS, 'known-bad.report.html'), { force: true });
  }
});
