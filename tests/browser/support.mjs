// What the browser tests share: the laurel binary, building a site for a
// local address, a small static file server (what any static host does),
// `laurel serve` in the background, the generated 200-entry site, and
// Chromium launched the way this offline machine needs it.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, '..', '..');
export const bin = path.resolve(process.env.LAUREL_BIN ?? path.join(repo, 'target', 'release', 'laurel'));
/** The Chromium of Debian's `chromium` package (Lighthouse reads CHROME_PATH too). */
export const chromePath = process.env.CHROME_PATH ?? '/usr/bin/chromium';
/** "Now" for every build, so scheduled entries and dates are fixed. */
export const NOW = '2026-01-01T00:00:00+08:00';
/** Where screenshots and Lighthouse reports go, for humans to look at. */
export const targetDir = path.join(repo, 'target');
export const isCI = process.env.CI === 'true';

/** Flags for a browser on a machine with no network and no display. */
export const chromeFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Chromium through Playwright, with a fresh profile. */
export function launchChromium() {
  return chromium.launch({ executablePath: chromePath, args: chromeFlags });
}

/** A temporary folder, removed when the process exits. */
export function tempDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** `laurel build` of the site at `root` for `baseUrl` into a new folder; returns it. */
export function build(root, baseUrl) {
  const out = path.join(tempDir('laurel-public-'), 'public');
  const r = spawnSync(bin, ['--root', root, 'build', '--base-url', baseUrl, '--output', out], {
    env: { ...process.env, LAUREL_NOW: NOW },
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    throw new Error(`laurel build of ${root} failed (${r.status ?? r.error}):\n${r.stdout}${r.stderr}`);
  }
  return out;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
};

/**
 * Serves the folder `dir()` at http://127.0.0.1:PORT/ like a plain static
 * host: folders by their index.html, 404.html for what is missing. `dir` is a
 * function so a site can be built after the port is known.
 */
export async function serveStatic(dir) {
  const server = http.createServer((req, res) => {
    const root = dir();
    let rel;
    try {
      rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      rel = '/';
    }
    let file = path.join(root, path.normalize(rel));
    if (!file.startsWith(root)) file = root;
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    let status = 200;
    if (!fs.existsSync(file)) {
      status = 404;
      file = path.join(root, '404.html');
    }
    const body = fs.existsSync(file) ? fs.readFileSync(file) : Buffer.from('not found');
    res.writeHead(status, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'content-length': body.length,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/`;
  return { url, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** A ceiling for a slow, busy machine, never a measurement. */
export const PATIENCE = 30_000;

/**
 * Starts `laurel serve --port 0` on `root`: `{ child, url, output }`, `url`
 * a promise of the address it prints, `output` every line it printed.
 */
export function serve(root) {
  const child = spawn(bin, ['--root', root, 'serve', '--port', '0'], {
    env: { ...process.env, LAUREL_NOW: NOW },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = [];
  readline.createInterface({ input: child.stderr }).on('line', (l) => output.push(`err| ${l}`));
  const url = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no serving line:\n${output.join('\n')}`)), PATIENCE);
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`laurel exited with ${code}:\n${output.join('\n')}`)));
    readline.createInterface({ input: child.stdout }).on('line', (l) => {
      output.push(`out| ${l}`);
      // "serving URL (Ctrl-C to stop)", or in Chinese for a zh-CN site.
      const m = /^(?:serving|预览地址) (http:\/\/[^\s（]+)/.exec(l);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
  return { child, url, output };
}

/** Stops a `serve` started by [`serve`] and waits until it has exited. */
export async function stopServe(server) {
  if (server.child.exitCode === null && server.child.signalCode === null) {
    const exited = new Promise((resolve) => server.child.once('exit', resolve));
    server.child.kill('SIGINT');
    await exited;
  }
}

/** Builds the site at `root` for a local server and serves it: `{ url, dir, close }`. */
export async function serveSite(root) {
  let dir = null;
  const server = await serveStatic(() => dir);
  dir = build(root, server.url);
  return { ...server, dir };
}

/**
 * The generated 200-entry site (the shared bench generator, beside the
 * clone: `$LAUREL_SHARED` or `../shared`), or null when the generator or
 * python3 is missing. Generated once per process.
 */
let generated;
export function generatedSite() {
  if (generated !== undefined) return generated;
  const shared = path.resolve(process.env.LAUREL_SHARED ?? path.join(repo, '..', 'shared'));
  const script = path.join(shared, 'bench', 'gen_corpus.py');
  generated = null;
  if (fs.existsSync(script)) {
    const out = path.join(tempDir('laurel-gen-'), 'site');
    const r = spawnSync('python3', [script, '--entries', '200', '--people', '30', '--out', out], { encoding: 'utf8' });
    if (r.status === 0) generated = out;
    else throw new Error(`${script} failed (${r.status ?? r.error}):\n${r.stderr}`);
  }
  return generated;
}

/** Skips the test `t` with a reason; under CI=true, fails instead. */
export function skipOrFail(t, reason) {
  if (isCI) throw new Error(`${reason} (CI=true: nothing may be skipped)`);
  t.skip(reason);
}

/** Every `.html` file below `dir`, as site paths (`diary/a/index.html`). */
export function htmlFiles(dir) {
  return fs
    .readdirSync(dir, { recursive: true })
    .map((p) => p.split(path.sep).join('/'))
    .filter((p) => p.endsWith('.html'))
    .sort();
}

/** The URL path of an output file: `diary/a/index.html` → `diary/a/`. */
export function urlPath(file) {
  return file.endsWith('index.html') ? file.slice(0, -'index.html'.length) : file;
}
