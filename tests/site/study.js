// study.js SITE_DIR SITE100_DIR SITE_BASE_DIR SLUG: the site over a local
// 127.0.0.1 server (serve.js, started here and stopped at the end) in
// headless Chromium (playwright-core):
// - study mode: with answers hidden and the search index and site.js held
//   back 3 s, no answer is visible in any frame from the first paint on,
//   and the layout never shifts (CLS 0), at 1280 and 375 px, with and
//   without CPU and network throttling; the figures are printed;
// - the index is split: before the search box is used a page loads at
//   most its own guide's index (checked on the 100-guide site), and the
//   bytes each page type loads before its first paint are printed;
// - 404.html served for a missing nested address, with and without
//   --base-url, is styled and its links lead to the library.
// Prints "PASS name" / "FAIL name: why" lines.
'use strict';
const path = require('path');
const { chromium } = require('playwright-core');
const serve = require('./serve.js');

const [site, site100, siteBase, slug] = process.argv.slice(2);
let failed = 0;
const pass = (n) => console.log('PASS ' + n);
const fail = (n, why) => { failed++; console.log('FAIL ' + n + ': ' + why); };
const note = (s) => console.log('     ' + s);
const HOLD = 3000;

// Runs in the page before any of its own script: on every frame from the
// first, counts the answers a reader could see, and sums layout shifts.
function watcher() {
  window.__frames = [];
  window.__cls = 0;
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) if (!e.hadRecentInput) window.__cls += e.value;
  }).observe({ type: 'layout-shift', buffered: true });
  const tick = () => {
    const bodies = document.querySelectorAll('details.answer > .answer-body');
    let visible = 0;
    for (const b of bodies) if (b.checkVisibility() && b.getBoundingClientRect().height > 0) visible++;
    window.__frames.push([performance.now(), bodies.length, visible]);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

async function firstPaint(page) {
  return page.evaluate(() => {
    const p = performance.getEntriesByType('paint').find((e) => e.name === 'first-paint');
    return p ? p.startTime : null;
  });
}

(async () => {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const srv = await serve(path.resolve(site));
  try {
    // Study mode before the first paint, and CLS.
    for (const [w, h, throttled] of [[1280, 900, false], [375, 812, true]]) {
      {
        for (const hide of [true, false]) {
          const ctx = await browser.newContext({ viewport: { width: w, height: h } });
          await ctx.addInitScript({ content: '(' + watcher + ')()' });
          await ctx.addInitScript({ content: 'try{localStorage.setItem("depthbook.hideAnswers",' + JSON.stringify(hide ? '1' : '0') + ')}catch(e){}' });
          await ctx.route(/\/(search\/.*|assets\/site)\.js$/, async (route) => {
            await new Promise((r) => setTimeout(r, HOLD));
            await route.continue();
          });
          const page = await ctx.newPage();
          if (throttled) {
            const cdp = await ctx.newCDPSession(page);
            await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
            await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150,
              downloadThroughput: 1.6 * 1024 * 1024 / 8, uploadThroughput: 750 * 1024 / 8 });
          }
          await page.goto(srv.url + slug + '/q1.html', { waitUntil: 'commit' });
          await page.waitForFunction(() => document.documentElement.classList.contains('study-ready'), null, { timeout: 20000 });
          await page.waitForTimeout(500);
          const r = await page.evaluate(() => ({ frames: window.__frames, cls: window.__cls }));
          const fp = await firstPaint(page);
          const tag = `${w}px${throttled ? ' throttled' : ''} answers ${hide ? 'hidden' : 'shown'}`;
          const painted = r.frames.filter((f) => fp !== null && f[0] >= fp - 20 && f[1] > 0);
          if (hide) {
            const seen = painted.filter((f) => f[2] > 0);
            if (fp !== null && painted.length > 3 && seen.length === 0)
              pass(`study mode ${tag}: no answer visible in ${painted.length} frames from first paint, site.js held ${HOLD} ms`);
            else fail(`study mode ${tag}`, `first paint ${fp}, ${painted.length} frames, answers visible in ${seen.length} (e.g. ${JSON.stringify(seen[0])})`);
          }
          if (r.cls === 0) pass(`CLS 0 on a question page (${tag})`);
          else fail(`CLS 0 on a question page (${tag})`, 'CLS ' + r.cls.toFixed(4));
          await ctx.close();
        }
      }
    }

    // The split index on the 100-guide site; bytes before the first paint.
    const srv100 = await serve(path.resolve(site100));
    try {
      for (const [label, s, guide] of [['1 guide', srv, slug], ['100 guides', srv100, 'g050']]) {
        for (const [kind, rel] of [['library', 'index.html'], ['guide', guide + '/index.html'], ['question', guide + '/q1.html']]) {
          const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
          const page = await ctx.newPage();
          const scripts = [];
          page.on('request', (q) => { if (/\/search\//.test(q.url())) scripts.push(q.url().replace(/.*\/search\//, '')); });
          await page.goto(s.url + rel, { waitUntil: 'load' });
          await page.waitForTimeout(2500); // past the idle callback's 2 s fallback
          const bytes = await page.evaluate(() => {
            const fp = performance.getEntriesByType('paint').find((e) => e.name === 'first-paint');
            const nav = performance.getEntriesByType('navigation')[0];
            let n = nav.encodedBodySize, count = 1;
            for (const e of performance.getEntriesByType('resource'))
              if (fp && e.responseEnd <= fp.startTime) { n += e.encodedBodySize; count++; }
            return { n, count, fp: fp && fp.startTime };
          });
          note(`bytes before first paint, ${kind} page, ${label}: ${bytes.n} in ${bytes.count} files (first paint ${Math.round(bytes.fp)} ms)`);
          const own = kind === 'library' ? [] : [guide + '.js'];
          if (scripts.every((x) => own.includes(x)))
            pass(`${label}: the ${kind} page loads no other guide's index before search (${scripts.join(' ') || 'none'})`);
          else fail(`${label}: the ${kind} page loads no other guide's index before search`, scripts.join(' '));
          if (label === '100 guides' && kind === 'question') {
            await page.focus('#search-q');
            await page.fill('#search-q', 'strangler');
            await page.waitForSelector('#search-results a', { timeout: 20000 });
            const n = await page.$$eval('#search-results a', (as) => as.length);
            const more = await page.textContent('#search-results');
            if (scripts.length >= 101 && n === 20 && /Showing 20 of (\d+)/.test(more) && +RegExp.$1 >= 100)
              pass(`100 guides: focusing search loads every index (${scripts.length} scripts), "strangler" finds the 100 main answers`);
            else fail('100 guides: focusing search loads every index', `${scripts.length} scripts, ${n} results, ${more.slice(0, 120)}`);
          }
          await ctx.close();
        }
      }
    } finally { await srv100.close(); }

    // 404.html for a missing nested address: under a sub-path without
    // --base-url (the root is found at run time), at the host's root, and
    // built with --base-url.
    for (const [label, dir, prefix, miss, base] of [
      ['sub-path, no --base-url', site, '/sub/', 'sub/' + slug + '/gone/deeper/q99.html', null],
      ['root, no --base-url', site, '/', 'no/such/page', null],
      ['--base-url', siteBase, '/guides/', 'guides/a/b/c/', 'https://example.org/guides/']]) {
      const s = await serve(path.resolve(dir), { prefix });
      const ctx = await browser.newContext();
      const page = await ctx.newPage();
      const host = s.url.replace(new RegExp(prefix + '$'), '/');
      // with --base-url the assets come from there: answer from the build
      if (base) await ctx.route(base + '**', (route) => {
        const f = path.join(path.resolve(dir), route.request().url().slice(base.length).split(/[?#]/)[0]);
        route.fulfill({ status: 200, path: f });
      });
      const res = await page.goto(host + miss);
      await page.waitForLoadState('load');
      const got = await page.evaluate(() => ({
        border: getComputedStyle(document.querySelector('header.top')).borderBottomStyle,
        sheets: Array.from(document.styleSheets).map((x) => x.href),
        script: typeof window.depthbookReview,
        links: Array.from(document.querySelectorAll('a.brand, main a')).map((a) => a.href),
      }));
      const root = base || s.url;
      // (the preload scanner may try the assets beside the missing address
      // before the script has set the base; what counts is what loaded)
      if (res.status() === 404 && got.border === 'solid' && got.sheets.length === 1 && got.sheets[0] === root + 'assets/site.css' &&
          got.script === 'object' && got.links.every((l) => l === root + 'index.html'))
        pass(`404.html at a nested address (${label}) is styled, runs its script and links to ${root}index.html`);
      else fail(`404.html at a nested address (${label})`, `status ${res.status()}, ${JSON.stringify(got)}`);
      await ctx.close();
      await s.close();
    }
  } finally {
    await srv.close();
    await browser.close();
  }
  process.exit(failed ? 1 : 0);
})().catch((e) => { console.log('FAIL study run: ' + String(e).split('\n')[0]); process.exit(1); });
