// links.js SITE_DIR: checks every href and src of every page of a built
// site, every address in the search indexes (search/*.js) and review
// cards (review/*.js, relative to their guide's folder): internal ones must be
// relative, name a file inside the site and, with a fragment, an id on
// that page; no javascript: or data: URL may appear. Prints PASS/FAIL lines.
'use strict';
const fs = require('fs');
const path = require('path');

const site = path.resolve(process.argv[2]);
const files = [];
(function walk(d) {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p); else files.push(p);
  }
})(site);
const unescape = (s) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<')
  .replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const idCache = new Map();
function ids(file) {
  if (!idCache.has(file)) {
    const html = fs.readFileSync(file, 'utf8');
    idCache.set(file, new Set([...html.matchAll(/\sid="([^"]*)"/g)].map((m) => unescape(m[1]))));
  }
  return idCache.get(file);
}
const problems = [];
let checked = 0, external = 0;
function check(from, url) {
  checked++;
  if (/^\s*(javascript|data|vbscript|file):/i.test(url)) { problems.push(`${from}: unsafe ${url}`); return; }
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('//')) { external++; return; }
  if (url.startsWith('/')) { problems.push(`${from}: not relative: ${url}`); return; }
  const [p, frag] = url.split('#');
  const target = p === '' ? from : path.resolve(path.dirname(from), decodeURIComponent(p.split('?')[0]));
  if (!target.startsWith(site + path.sep)) { problems.push(`${from}: leaves the site: ${url}`); return; }
  if (!fs.existsSync(target) || fs.statSync(target).isDirectory()) {
    problems.push(`${path.relative(site, from)}: no file for ${url}`); return;
  }
  if (frag !== undefined && frag !== '' && target.endsWith('.html') && !ids(target).has(decodeURIComponent(frag)))
    problems.push(`${path.relative(site, from)}: no id "${frag}" in ${path.relative(site, target)}`);
}
for (const f of files.filter((f) => f.endsWith('.html'))) {
  const html = fs.readFileSync(f, 'utf8');
  // 404.html may use absolute addresses through --base-url; it has none otherwise.
  for (const m of html.matchAll(/\s(?:href|src)="([^"]*)"/g)) check(f, unescape(m[1]));
}
const scripts = (dir) => fs.existsSync(path.join(site, dir))
  ? fs.readdirSync(path.join(site, dir)).filter((f) => f.endsWith('.js')).map((f) => path.join(site, dir, f)) : [];
let indexed = 0;
for (const f of scripts('search')) {
  const window = {};
  new Function('window', fs.readFileSync(f, 'utf8'))(window);
  for (const slug of Object.keys(window.DEPTHBOOK_SEARCH || {}))
    for (const e of window.DEPTHBOOK_SEARCH[slug].entries) { indexed++; check(path.join(site, 'index.html'), e[0]); }
  for (const slug of window.DEPTHBOOK_GUIDES || [])
    if (!fs.existsSync(path.join(site, 'search', slug + '.js'))) problems.push(`search/guides.js: no index for ${slug}`);
}
for (const f of scripts('review')) {
  const window = {};
  new Function('window', fs.readFileSync(f, 'utf8'))(window);
  for (const deck of window.DEPTHBOOK_REVIEW || []) {
    const page = path.join(site, deck.slug, 'index.html');
    for (const c of deck.cards) {
      indexed++;
      check(page, c[1]);
      for (const m of (c[3] + c[4]).matchAll(/\s(?:href|src)="([^"]*)"/g)) check(page, unescape(m[1]));
    }
  }
}
if (indexed === 0) problems.push('no search or review entry checked');
if (problems.length === 0) console.log(`PASS link check: ${checked} links (${external} external), none dangling`);
else console.log(`FAIL link check: ${problems.length} problems: ${problems.slice(0, 5).join('; ')}`);
process.exit(problems.length ? 1 : 0);
