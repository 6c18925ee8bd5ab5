#!/usr/bin/env node
// Bytes a reader downloads for a first search: runs the theme's own search
// code (themes/default/static/search.js) against a built site's search/
// folder, counting every file it fetches: meta.json, the shards of the
// query's terms, and the documents of the first page of results (10), as the
// search page does. The search page itself and search.js are reported apart
// (they are the same for every query, and cached).
//
//   node scripts/search_bytes.mjs public/ 护士长 武汉 ...
//
// Prints one line per query: bytes, files, results, and the top results.

import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const source = fs.readFileSync(path.join(here, '..', 'themes', 'default', 'static', 'search.js'), 'utf8');
const sandbox = { TextEncoder, TextDecoder, URL };
vm.runInNewContext(source, sandbox);
const { Index } = sandbox.LaurelSearch;

const [out, ...queries] = process.argv.slice(2);
if (!out || !queries.length) {
  console.error('usage: node scripts/search_bytes.mjs PUBLIC_DIR QUERY...');
  process.exit(2);
}
const searchDir = path.join(out, 'search');
const size = (f) => fs.statSync(path.join(out, f)).size;
console.log(`search page ${size('search/index.html')} B, search.js ${size('search.js')} B (once, cacheable)`);

for (const q of queries) {
  const fetched = [];
  const fetchBytes = async (url) => {
    const rel = url.replace(/^search\//, '').replace(/\?.*$/, '');
    const bytes = fs.readFileSync(path.join(searchDir, rel));
    fetched.push([rel, bytes.length]);
    return new Uint8Array(bytes);
  };
  const index = new Index('search/', fetchBytes);
  const { terms, hits } = await index.search(q);
  const docs = await Promise.all(hits.slice(0, 10).map((h) => index.doc(h.doc)));
  const total = fetched.reduce((a, [, n]) => a + n, 0);
  const shards = fetched.filter(([f]) => f.startsWith('s/'));
  const shardBytes = shards.reduce((a, [, n]) => a + n, 0);
  console.log(
    `${q}: ${total} B in ${fetched.length} files (meta + ${shards.length} shards ${shardBytes} B + ${docs.length} docs); ` +
      `terms ${JSON.stringify(terms)}; ${hits.length} results; top: ${docs
        .slice(0, 3)
        .map((d) => `${d.k} ${d.t}`)
        .join(' | ')}`,
  );
}
