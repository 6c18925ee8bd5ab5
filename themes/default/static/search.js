// laurel search: queries the index `laurel build` writes under search/ with
// plain fetches of relative URLs, so it works from any static host, offline
// included. No dependencies.
//
// The tokenizer below mirrors src/search/tokenize.rs rule for rule, and the
// ranking mirrors src/search/query.rs: a test runs both on the same inputs
// (tests/cli/search.rs), so change them together.
'use strict';

var LaurelSearch = (function () {
  var MAX_WORD_CHARS = 32;
  var WORD = /[\p{Alphabetic}\p{N}]/u;

  function isCjk(cp) {
    return (
      (cp >= 0x1100 && cp <= 0x11ff) ||
      (cp >= 0x3005 && cp <= 0x3007) ||
      (cp >= 0x3040 && cp <= 0x309f) ||
      (cp >= 0x30a0 && cp <= 0x30ff) ||
      (cp >= 0x3130 && cp <= 0x318f) ||
      (cp >= 0x31f0 && cp <= 0x31ff) ||
      (cp >= 0x3400 && cp <= 0x4dbf) ||
      (cp >= 0x4e00 && cp <= 0x9fff) ||
      (cp >= 0xac00 && cp <= 0xd7af) ||
      (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0x20000 && cp <= 0x323af)
    );
  }

  // Full-width ASCII and the ideographic space to ASCII.
  function foldWidth(cp) {
    if (cp >= 0xff01 && cp <= 0xff5e) return cp - 0xfee0;
    if (cp === 0x3000) return 0x20;
    return cp;
  }

  // Calls f({ cjk: [chars] }) for each CJK run and f({ word }) for each word.
  function runs(text, f) {
    var cjk = [];
    var word = '';
    var n = 0;
    function flushWord() {
      if (word) f({ word: word });
      word = '';
      n = 0;
    }
    function flushCjk() {
      if (cjk.length) f({ cjk: cjk });
      cjk = [];
    }
    for (var ch of String(text)) {
      var cp = foldWidth(ch.codePointAt(0));
      var c = String.fromCodePoint(cp);
      if (isCjk(cp)) {
        flushWord();
        cjk.push(c);
      } else if (WORD.test(c)) {
        flushCjk();
        if (n < MAX_WORD_CHARS) {
          word += c.toLowerCase();
          n += 1;
        }
      } else {
        flushWord();
        flushCjk();
      }
    }
    flushWord();
    flushCjk();
  }

  // Every index token, in order, repeats included.
  function tokenize(text) {
    var out = [];
    runs(text, function (r) {
      if (r.word) return out.push(r.word);
      for (var i = 0; i < r.cjk.length; i++) {
        out.push(r.cjk[i]);
        if (i + 1 < r.cjk.length) out.push(r.cjk[i] + r.cjk[i + 1]);
      }
    });
    return out;
  }

  // The terms of a query: words, bigrams of CJK runs, single CJK characters.
  function queryTerms(query) {
    var out = [];
    function add(t) {
      if (out.indexOf(t) < 0) out.push(t);
    }
    runs(query, function (r) {
      if (r.word) return add(r.word);
      if (r.cjk.length === 1) return add(r.cjk[0]);
      for (var i = 0; i + 1 < r.cjk.length; i++) add(r.cjk[i] + r.cjk[i + 1]);
    });
    return out;
  }

  var encoder = new TextEncoder();

  function fnv1a(token) {
    var h = 0x811c9dc5;
    var bytes = encoder.encode(token);
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  function shardOf(token, shards) {
    return fnv1a(token) % Math.max(shards, 1);
  }

  // A shard file: token → { count, start, end } (its postings' bytes).
  function decodeShard(bytes) {
    var pos = 0;
    function varint() {
      var v = 0;
      for (var scale = 1; pos < bytes.length; scale *= 128) {
        var b = bytes[pos++];
        v += (b & 0x7f) * scale;
        if (b < 0x80) return v;
      }
      throw new Error('truncated search shard');
    }
    var decoder = new TextDecoder();
    var table = new Map();
    var n = varint();
    for (var i = 0; i < n; i++) {
      var len = varint();
      var token = decoder.decode(bytes.subarray(pos, pos + len));
      pos += len;
      var count = varint();
      var size = varint();
      table.set(token, { count: count, start: pos, end: pos + size });
      pos += size;
    }
    table.postings = function (token) {
      var e = table.get(token);
      if (!e) return [];
      var out = [];
      pos = e.start;
      var doc = 0;
      for (var j = 0; j < e.count; j++) {
        var gap = varint();
        doc = j === 0 ? gap : doc + gap;
        out.push({ doc: doc, weight: varint() });
      }
      return out;
    };
    return table;
  }

  function idf(docs, df) {
    return 1 + (32 - Math.clz32(Math.floor(docs / Math.max(df, 1))));
  }

  // Documents with the most terms (all of them when any has them all), by
  // the sum of weight × idf, ties to the higher id.
  function rank(docs, lists) {
    var hits = new Map();
    lists.forEach(function (list) {
      var w = idf(docs, list.length);
      list.forEach(function (p) {
        var h = hits.get(p.doc);
        if (!h) hits.set(p.doc, (h = { doc: p.doc, score: 0, matched: 0 }));
        h.score += p.weight * w;
        h.matched += 1;
      });
    });
    var best = 0;
    hits.forEach(function (h) {
      best = Math.max(best, h.matched);
    });
    return Array.from(hits.values())
      .filter(function (h) {
        return h.matched === best;
      })
      .sort(function (a, b) {
        return b.score - a.score || b.doc - a.doc;
      });
  }

  // The index under `base` (a URL ending in `/`). `fetchBytes(url, fresh)`
  // resolves to a Uint8Array; `fresh` asks to revalidate (meta.json).
  function Index(base, fetchBytes) {
    this.base = base;
    this.fetchBytes = fetchBytes;
    this.meta = null;
    this.shards = new Map();
  }

  Index.prototype.load = function () {
    var self = this;
    if (!this.meta) {
      this.meta = this.fetchBytes(this.base + 'meta.json', true).then(function (b) {
        return JSON.parse(new TextDecoder().decode(b));
      });
      this.meta.catch(function () {
        self.meta = null;
      });
    }
    return this.meta;
  };

  Index.prototype.shard = function (meta, k) {
    var self = this;
    if (!this.shards.has(k)) {
      var p = this.fetchBytes(this.base + 's/' + k + '.bin?v=' + meta.v).then(decodeShard);
      p.catch(function () {
        self.shards.delete(k);
      });
      this.shards.set(k, p);
    }
    return this.shards.get(k);
  };

  // Resolves to { terms, hits: [{ doc, score, matched }] }, best first.
  Index.prototype.search = function (query) {
    var self = this;
    var terms = queryTerms(query);
    if (!terms.length) return Promise.resolve({ terms: terms, hits: [] });
    return this.load().then(function (meta) {
      var ks = terms.map(function (t) {
        return shardOf(t, meta.shards);
      });
      return Promise.all(
        ks.map(function (k) {
          return self.shard(meta, k);
        }),
      ).then(function (tables) {
        var lists = terms.map(function (t, i) {
          return tables[i].postings(t);
        });
        return { terms: terms, hits: rank(meta.docs, lists) };
      });
    });
  };

  // Resolves to a document: { k, t, u, d, m, x }. Documents come in blocks
  // of `meta.block`, each fetched once.
  Index.prototype.doc = function (id) {
    var self = this;
    return this.load().then(function (meta) {
      var b = Math.floor(id / meta.block);
      if (!self.blocks) self.blocks = new Map();
      if (!self.blocks.has(b)) {
        var p = self.fetchBytes(self.base + 'd/' + b + '.json?v=' + meta.v).then(function (bytes) {
          return JSON.parse(new TextDecoder().decode(bytes));
        });
        p.catch(function () {
          self.blocks.delete(b);
        });
        self.blocks.set(b, p);
      }
      return self.blocks.get(b).then(function (docs) {
        return docs[id % meta.block];
      });
    });
  };

  // Ranges [start, end) of `text` (UTF-16 offsets) to highlight for `query`:
  // its CJK bigrams and single characters anywhere, its words as whole words.
  function highlights(text, query) {
    var norm = '';
    var map = [];
    var i = 0;
    for (var ch of text) {
      var n = String.fromCodePoint(foldWidth(ch.codePointAt(0))).toLowerCase();
      for (var u = 0; u < n.length; u++) map.push(i);
      norm += n;
      i += ch.length;
    }
    map.push(text.length);
    var ranges = [];
    runs(query, function (r) {
      var needles = r.word ? [r.word] : r.cjk.length === 1 ? r.cjk : [];
      for (var j = 0; j + 1 < (r.cjk ? r.cjk.length : 0); j++) needles.push(r.cjk[j] + r.cjk[j + 1]);
      needles.forEach(function (needle) {
        for (var at = norm.indexOf(needle); at >= 0; at = norm.indexOf(needle, at + 1)) {
          var end = at + needle.length;
          if (r.word && (isWordAt(norm, at - 1) || isWordAt(norm, end))) continue;
          ranges.push([map[at], map[end]]);
        }
      });
    });
    ranges.sort(function (a, b) {
      return a[0] - b[0] || a[1] - b[1];
    });
    var merged = [];
    ranges.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    });
    return merged;
  }

  function isWordAt(s, i) {
    if (i < 0 || i >= s.length) return false;
    var cp = s.codePointAt(i);
    if (cp >= 0xdc00 && cp <= 0xdfff && i > 0) cp = s.codePointAt(i - 1);
    return !isCjk(cp) && WORD.test(String.fromCodePoint(cp));
  }

  // A window of `text` around its best highlight (the longest: where most of
  // the query's characters meet, e.g. the whole `护士长` rather than an
  // earlier `护士`), the first of those: { text, ranges }.
  function snippet(text, query, size) {
    var ranges = highlights(text, query);
    var best = ranges.reduce(function (b, r) {
      return !b || r[1] - r[0] > b[1] - b[0] ? r : b;
    }, null);
    var start = best ? Math.max(0, best[0] - Math.floor(size / 4)) : 0;
    var end = Math.min(text.length, start + size);
    if (end - start < size) start = Math.max(0, end - size);
    // Never cut a surrogate pair.
    if (start > 0 && /[\udc00-\udfff]/.test(text[start])) start += 1;
    if (end < text.length && /[\udc00-\udfff]/.test(text[end])) end += 1;
    var pre = start > 0 ? '…' : '';
    var post = end < text.length ? '…' : '';
    var shift = pre.length - start;
    return {
      text: pre + text.slice(start, end) + post,
      ranges: ranges
        .filter(function (r) {
          return r[1] > start && r[0] < end;
        })
        .map(function (r) {
          return [Math.max(r[0], start) + shift, Math.min(r[1], end) + shift];
        }),
    };
  }

  return {
    tokenize: tokenize,
    queryTerms: queryTerms,
    fnv1a: fnv1a,
    shardOf: shardOf,
    decodeShard: decodeShard,
    rank: rank,
    Index: Index,
    highlights: highlights,
    snippet: snippet,
  };
})();

// The search page: reads ?q=, searches as one types, keyboard friendly.
if (typeof document !== 'undefined') {
  (function () {
    var PAGE = 10;
    var SNIPPET = 110;
    var form = document.querySelector('.search-form');
    var input = document.getElementById('search-q');
    var list = document.getElementById('search-results');
    var status = document.getElementById('search-status');
    var more = document.getElementById('search-more');
    if (!form || !input || !list || !status || !more) return;
    var s = list.dataset;

    function fetchBytes(url, fresh) {
      return fetch(url, fresh ? { cache: 'no-cache' } : {}).then(function (r) {
        if (!r.ok) throw new Error(url + ': HTTP ' + r.status);
        return r.arrayBuffer().then(function (b) {
          return new Uint8Array(b);
        });
      });
    }

    var index = new LaurelSearch.Index(s.index, fetchBytes);
    var current = 0; // the latest query run; older answers are dropped
    var query = '';
    var hits = [];
    var shown = 0;

    function marked(el, text, ranges) {
      var at = 0;
      ranges.forEach(function (r) {
        if (r[0] > at) el.appendChild(document.createTextNode(text.slice(at, r[0])));
        var m = document.createElement('mark');
        m.textContent = text.slice(r[0], r[1]);
        el.appendChild(m);
        at = r[1];
      });
      if (at < text.length) el.appendChild(document.createTextNode(text.slice(at)));
      return el;
    }

    function element(tag, cls) {
      var el = document.createElement(tag);
      if (cls) el.className = cls;
      return el;
    }

    // `2020-03-30` the way the site's pages write dates ("2020年3月30日",
    // "30 March 2020"): the pattern and month names come from the theme's
    // UI strings.
    var months = (s.months || '').split('|');
    function localDate(iso) {
      var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
      if (!m || !s.date || months.length !== 12) return iso;
      return s.date
        .replace('{year}', String(+m[1]))
        .replace('{month}', months[+m[2] - 1])
        .replace('{day}', String(+m[3]));
    }

    function item(doc) {
      var li = element('li', 'search-result box');
      if (doc.p) {
        // Only people carry a photo; it sits beside their name.
        li.classList.add('has-photo');
        var img = element('img', 'avatar');
        img.src = doc.p;
        img.alt = '';
        img.width = 44;
        img.height = 44;
        img.loading = 'lazy';
        img.decoding = 'async';
        li.appendChild(img);
      }
      var h = element('h2', 'search-result-title');
      var a = element('a', 'plain');
      a.href = doc.u;
      marked(a, doc.t, LaurelSearch.highlights(doc.t, query));
      h.appendChild(a);
      li.appendChild(h);
      var meta = element('p', 'search-result-meta meta row');
      var kind = element('span', 'badge');
      kind.textContent = s['kind' + doc.k.charAt(0).toUpperCase() + doc.k.slice(1)] || doc.k;
      meta.appendChild(kind);
      if (doc.d) {
        var time = element('time');
        time.dateTime = doc.d;
        time.textContent = localDate(doc.d);
        meta.appendChild(time);
      }
      if (doc.m) {
        var who = element('span');
        who.textContent = doc.m;
        meta.appendChild(who);
      }
      li.appendChild(meta);
      if (doc.x) {
        var snip = LaurelSearch.snippet(doc.x, query, SNIPPET);
        li.appendChild(marked(element('p', 'search-snippet'), snip.text, snip.ranges));
      }
      return li;
    }

    function say(text) {
      status.textContent = text;
    }

    function count(n) {
      return s.countPrefix + n + (n === 1 ? s.countSuffixOne : s.countSuffix);
    }

    function showMore(run) {
      var page = hits.slice(shown, shown + PAGE);
      return Promise.all(
        page.map(function (h) {
          return index.doc(h.doc);
        }),
      ).then(function (docs) {
        if (run !== current) return;
        docs.forEach(function (d) {
          list.appendChild(item(d));
        });
        shown += docs.length;
        more.hidden = shown >= hits.length;
      });
    }

    function search(q) {
      var run = ++current;
      query = q;
      if (!LaurelSearch.queryTerms(q).length) {
        list.replaceChildren();
        more.hidden = true;
        say(s.hint);
        return Promise.resolve();
      }
      say(s.loading);
      return index
        .search(q)
        .then(function (answer) {
          if (run !== current) return;
          hits = answer.hits;
          shown = 0;
          list.replaceChildren();
          more.hidden = true;
          return showMore(run).then(function () {
            if (run === current) say(hits.length ? count(hits.length) : s.none);
          });
        })
        .catch(function () {
          if (run === current) say(s.error);
        });
    }

    // Keeps the address shareable: /search/?q=...
    function remember(q) {
      var url = new URL(window.location.href);
      if (q) url.searchParams.set('q', q);
      else url.searchParams.delete('q');
      history.replaceState(null, '', url.pathname + url.search);
    }

    var timer = 0;
    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        remember(input.value);
        search(input.value);
      }, 150);
    });

    form.addEventListener('submit', function (e) {
      e.preventDefault();
      clearTimeout(timer);
      remember(input.value);
      search(input.value);
    });

    function links() {
      return Array.prototype.slice.call(list.querySelectorAll('.search-result-title a'));
    }

    // Arrow keys move between the box and the results; Enter follows a link.
    input.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowDown' && links().length) {
        e.preventDefault();
        links()[0].focus();
      }
    });

    list.addEventListener('keydown', function (e) {
      var all = links();
      var i = all.indexOf(document.activeElement);
      if (i < 0) return;
      if (e.key === 'ArrowDown' && i + 1 < all.length) {
        e.preventDefault();
        all[i + 1].focus();
      } else if (e.key === 'ArrowUp') {
        e.preventDefault();
        (i > 0 ? all[i - 1] : input).focus();
      } else if (e.key === 'Escape') {
        e.preventDefault();
        input.focus();
      }
    });

    more.addEventListener('click', function () {
      var first = shown;
      showMore(current).then(function () {
        var all = links();
        if (all[first]) all[first].focus();
      });
    });

    var q = new URLSearchParams(window.location.search).get('q') || '';
    if (q) {
      input.value = q;
      search(q);
    }
  })();
}
