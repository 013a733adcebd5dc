// browser.js SITE_DIR SHOT_DIR GUIDE_SLUG [EXTRA_PAGE…]: drives Debian's headless Chromium
// over file:// — axe-core on the library, a guide front page and a question
// page in light and dark (and on each EXTRA_PAGE, an absolute path); search for "bloom" lands on Q1 › Depth 24; study
// mode hides answers and the choice survives a page change; no console
// errors; no request other than file://. Writes screenshots to SHOT_DIR.
// Prints "PASS name" / "FAIL name: why" lines for tests/lib.sh's count.
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const [site, shots, slug, ...extra] = process.argv.slice(2).map((a, i) => i !== 2 ? path.resolve(a) : a);
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const url = (rel) => 'file://' + (path.isAbsolute(rel) ? rel : path.join(site, rel));
let failed = 0;
const pass = (n) => console.log('PASS ' + n);
const fail = (n, why) => { failed++; console.log('FAIL ' + n + ': ' + why); };

(async () => {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    // Playwright refuses --user-data-dir here; it gives each launch a fresh
    // temporary profile of its own, which is what that flag is for.
  });
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const consoleErrors = [];
  const requests = [];
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith('file://')) return route.continue();
    requests.push(u);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));

  // axe-core, light and dark, on three kinds of page.
  const pages = ['index.html', slug + '/index.html', slug + '/q1.html'];
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const rel of pages.concat(extra)) {
      await page.goto(url(rel));
      await page.addScriptTag({ content: axeSource });
      const v = await page.evaluate(async () => {
        const r = await window.axe.run(document, { resultTypes: ['violations'] });
        return r.violations.map((x) => x.id + ' (' + x.nodes.length + '): ' +
          x.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', '));
      });
      const name = 'axe ' + scheme + ' ' + rel;
      if (v.length === 0) pass(name + ': 0 violations');
      else fail(name, v.length + ' violations: ' + v.join('; '));
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  // axe reads the stylesheets with XMLHttpRequest, which file:// refuses
  // and logs; the pages' own console is judged from here on.
  consoleErrors.length = 0;

  // Search from another page: "bloom" finds Q1 › Depth 24 and lands on #d24.
  await page.goto(url(slug + '/q2.html'));
  await page.fill('#search-q', 'bloom');
  fs.mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, 'search-light-1200.png') });
  const labels = await page.$$eval('#search-results a', (as) => as.map((a) => a.textContent));
  const hit = labels.findIndex((t) => t.startsWith('Q1 \u203a Depth 24:'));
  if (hit >= 0) pass('search "bloom" lists Q1 \u203a Depth 24 (' + labels.length + ' results)');
  else fail('search "bloom" lists Q1 \u203a Depth 24', 'results: ' + JSON.stringify(labels));
  const none = await (async () => {
    await page.fill('#search-q', 'bloom zzzqqq');
    return page.$$eval('#search-results a', (as) => as.length);
  })();
  const noneText = await page.textContent('#search-results');
  if (none === 0 && /No follow-up/.test(noneText)) pass('search needs every word to match');
  else fail('search needs every word to match', none + ' results for "bloom zzzqqq": ' + noneText);
  // Ranking: follow-ups whose question holds the word come first.
  await page.fill('#search-q', 'database');
  const ranked = await page.$$eval('#search-results a', (as) => as.map((a) => /database/i.test(a.textContent.split(': ').slice(1).join(': '))));
  const firstOther = ranked.indexOf(false);
  if (ranked.includes(true) && firstOther > 0 && !ranked.slice(firstOther).includes(true))
    pass('search ranks question-text matches first (' + firstOther + ' of ' + ranked.length + ')');
  else fail('search ranks question-text matches first', JSON.stringify(ranked));
  await page.fill('#search-q', 'bloo');
  await page.keyboard.press('ArrowDown');
  const focused = await page.evaluate(() => document.activeElement.textContent);
  if (/^Q1 \u203a Depth 24:/.test(focused)) pass('ArrowDown from the search box focuses the first result');
  else fail('ArrowDown from the search box focuses the first result', 'focused: ' + focused);
  if (hit >= 0) {
    const link = page.locator('#search-results a', { hasText: 'Q1 \u203a Depth 24:' }).first();
    await Promise.all([page.waitForURL(/q1\.html#d24$/), link.click()]);
    const target = await page.evaluate(() => {
      const t = document.querySelector(':target');
      return t ? t.id : null;
    });
    if (page.url().endsWith('/' + slug + '/q1.html#d24') && target === 'd24')
      pass('search result lands on q1.html#d24');
    else fail('search result lands on q1.html#d24', 'url ' + page.url() + ', :target ' + target);
  }

  // Study mode: hide all, keyboard, persistence across pages.
  await page.goto(url(slug + '/q1.html'));
  const openCount = () => page.$$eval('details.answer', (ds) => ds.filter((d) => d.open).length);
  const total = await page.$$eval('details.answer', (ds) => ds.length);
  if (total > 1 && (await openCount()) === total) pass('answers shown by default (' + total + ')');
  else fail('answers shown by default', (await openCount()) + ' of ' + total + ' open');
  await page.focus('#toggle-answers');
  await page.keyboard.press('Enter');
  if ((await openCount()) === 0) pass('Enter on "Hide all answers" hides every answer');
  else fail('Enter on "Hide all answers" hides every answer', (await openCount()) + ' still open');
  await page.focus('#d3 summary');
  await page.keyboard.press('Space');
  const d3 = await page.$eval('#d3 details', (d) => d.open);
  if (d3 && (await openCount()) === 1) pass('Space on one summary shows that answer alone');
  else fail('Space on one summary shows that answer alone', 'd3 open ' + d3);
  await page.screenshot({ path: path.join(shots, 'hidden-light-1200.png') });
  await Promise.all([page.waitForURL(/q2\.html$/), page.click('nav.pager a[rel="next"]')]);
  const after = await page.$$eval('details.answer', (ds) => [ds.length, ds.filter((d) => d.open).length]);
  const label = await page.textContent('#toggle-answers');
  if (after[0] > 0 && after[1] === 0 && label === 'Show all answers')
    pass('hidden answers stay hidden on the next page');
  else fail('hidden answers stay hidden on the next page', JSON.stringify(after) + ' ' + label);
  await page.emulateMedia({ media: 'print' });
  const printed = await page.$$eval('details.answer .answer-body',
    (bs) => bs.filter((b) => b.checkVisibility() && b.getBoundingClientRect().height > 0).length);
  await page.emulateMedia({ media: 'screen' });
  if (printed === after[0]) pass('print shows every answer though they are hidden on screen');
  else fail('print shows every answer though they are hidden on screen', printed + ' of ' + after[0]);
  await page.focus('#toggle-answers');
  await page.keyboard.press('Space');
  if ((await openCount()) === after[0]) pass('Space on "Show all answers" shows them again');
  else fail('Space on "Show all answers" shows them again', (await openCount()) + ' open');

  // Screenshots: the guide page and a question page, light, dark, 375 px.
  const shotsTaken = [];
  for (const [w, h] of [[1200, 900], [375, 812]]) {
    await page.setViewportSize({ width: w, height: h });
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [rel, name] of [['index.html', 'library'], [slug + '/index.html', 'guide'],
        [slug + '/q1.html', 'question-top'], [slug + '/q1.html#d24', 'question']]) {
        await page.goto(url(rel));
        const file = path.join(shots, `${name}-${scheme}-${w}.png`);
        await page.screenshot({ path: file });
        shotsTaken.push(file);
      }
    }
  }
  await page.emulateMedia({ media: 'print', colorScheme: 'light' });
  await page.setViewportSize({ width: 800, height: 1100 });
  await page.goto(url(slug + '/q1.html'));
  await page.screenshot({ path: path.join(shots, 'question-print.png') });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  if (shotsTaken.every((f) => fs.statSync(f).size > 5000)) pass('screenshots written to ' + shots);
  else fail('screenshots written', 'a screenshot is empty');
  await page.emulateMedia({ media: 'screen' });
  await page.setViewportSize({ width: 375, height: 812 });
  let wide = [];
  for (const rel of pages) {
    await page.goto(url(rel));
    const sw = await page.evaluate(() => document.documentElement.scrollWidth);
    if (sw > 375) wide.push(rel + ' ' + sw + 'px');
  }
  if (wide.length === 0) pass('no page scrolls sideways at 375 px');
  else fail('no page scrolls sideways at 375 px', wide.join(', '));
  void overflow;

  if (consoleErrors.length === 0) pass('no console errors');
  else fail('no console errors', consoleErrors.slice(0, 3).join(' | '));
  if (requests.length === 0) pass('no request leaves file://');
  else fail('no request leaves file://', requests.slice(0, 3).join(' '));

  await browser.close();
  process.exit(failed ? 1 : 0);
})().catch((e) => { console.log('FAIL browser run: ' + String(e).split('\n')[0]); process.exit(1); });
