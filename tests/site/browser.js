// browser.js MODE SITE_DIR SHOT_DIR GUIDE_SLUG CODE_PAGE [EXTRA_PAGE…]: drives
// Debian's headless Chromium (playwright-core) over the site, MODE "file"
// (file://) or "http" (a 127.0.0.1 server, serve.js, started here and
// stopped at the end):
// - axe-core on the library, a guide, a question, the review page, a page
//   with code (CODE_PAGE, an absolute path) and each EXTRA_PAGE, light and
//   dark, with the AAA contrast rule (color-contrast-enhanced) on;
// - search: main answers indexed, accents folded, one-letter typos,
//   snippets with marked words, capped results that say how many more,
//   question matches first, a result on the same page closes the list;
// - study mode, the outline and its current follow-up, back to top, the
//   keyboard shortcuts (never while typing), the end-of-guide links, the
//   colour-scheme switch, the phone layout;
// - code: highlighted, a copy button per block, keyboard-scrollable;
// - spaced review: grading moves a card out of today's queue, the state
//   survives a reload, export and import;
// - no console errors, no request leaving the site. Screenshots to SHOT_DIR.
// Prints "PASS name" / "FAIL name: why" lines for tests/lib.sh's count.
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');
const serve = require('./serve.js');

const [mode, siteArg, shotsArg, slug, codePage, ...extra] = process.argv.slice(2);
const site = path.resolve(siteArg), shots = path.resolve(shotsArg);
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
let failed = 0;
const pass = (n) => console.log('PASS ' + n);
const fail = (n, why) => { failed++; console.log('FAIL ' + n + ': ' + why); };
const check = (n, ok, why) => (ok ? pass(n) : fail(n, why));

(async () => {
  let srv = null, base;
  // over http, one server for the folder that holds every site
  let top = site;
  for (const p of [codePage, ...extra]) while (!path.resolve(p).startsWith(top + path.sep)) top = path.dirname(top);
  if (mode === 'http') { srv = await serve(top); base = srv.url + path.relative(top, site) + '/'; }
  else base = 'file://' + site + '/';
  const url = (rel) => (path.isAbsolute(rel) ? (srv ? srv.url + path.relative(top, rel) : 'file://' + rel) : base + rel);
  const own = (u) => u.startsWith(srv ? srv.url : 'file://');
  const M = `(${mode}) `;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    // Playwright refuses --user-data-dir here; it gives each launch a fresh
    // temporary profile of its own, which is what that flag is for.
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const consoleErrors = [];
  const requests = [];
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (own(u) || u.startsWith('blob:')) return route.continue();
    requests.push(u);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  const visibleText = (sel) => page.$eval(sel, (e) => e.innerText);
  fs.mkdirSync(shots, { recursive: true });

  // axe-core, light and dark, AAA contrast included, on every kind of page.
  const pages = ['index.html', slug + '/index.html', slug + '/q1.html', 'review.html', '404.html'];
  // (over http once, light: the file:// run has checked every page in both)
  for (const scheme of srv ? ['light'] : ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const rel of srv ? pages : pages.concat([codePage], extra)) {
      await page.goto(url(rel));
      await page.addScriptTag({ content: axeSource });
      const v = await page.evaluate(async () => {
        const r = await window.axe.run(document, { resultTypes: ['violations'],
          rules: { 'color-contrast-enhanced': { enabled: true } } });
        return r.violations.map((x) => x.id + ' (' + x.nodes.length + '): ' +
          x.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', '));
      });
      const name = M + 'axe ' + scheme + ' ' + (path.isAbsolute(rel) ? path.basename(path.dirname(rel)) + '/' + path.basename(rel) : rel);
      check(name + ': 0 violations (AAA contrast included)', v.length === 0, v.length + ' violations: ' + v.join('; '));
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  // axe reads the stylesheets with XMLHttpRequest, which file:// refuses
  // and logs; the pages' own console is judged from here on.
  consoleErrors.length = 0;

  // Search from another page.
  const results = () => page.$$eval('#search-results li', (ls) => ls.map((l) => ({
    a: l.querySelector('a') ? l.querySelector('a').textContent : null,
    marks: Array.from(l.querySelectorAll('mark')).map((m) => m.textContent),
    snippet: l.querySelector('.snippet') ? l.querySelector('.snippet').textContent : null,
    text: l.textContent })));
  const query = async (q) => {
    await page.fill('#search-q', q);
    await page.waitForFunction(() => !/Loading/.test(document.getElementById('search-results').textContent));
    return results();
  };
  await page.goto(url(slug + '/q2.html'));
  await page.focus('#search-q');
  let r = await query('bloom');
  await page.screenshot({ path: path.join(shots, 'search-light-1280.png') });
  const hit = r.findIndex((x) => x.a && x.a.startsWith('Q1 \u203a Depth 24:'));
  check(M + 'search "bloom" lists Q1 \u203a Depth 24', hit >= 0, JSON.stringify(r.map((x) => x.a)));
  r = await query('strangler');
  check(M + 'search finds a main answer: "strangler" lists Q1', r.some((x) => x.a && /^Q1: /.test(x.a)), JSON.stringify(r.map((x) => x.a)));
  const snip = r.find((x) => x.a && /^Q1: /.test(x.a));
  check(M + 'an answer-only hit shows a snippet with the word marked',
    snip && snip.snippet && /strangler/i.test(snip.snippet) && snip.marks.some((m) => /^strangler$/i.test(m)), JSON.stringify(snip));
  r = await query('STRANGLR');
  check(M + 'search folds case and takes a one-letter typo ("STRANGLR")', r.some((x) => x.a && /^Q1: /.test(x.a)), JSON.stringify(r.map((x) => x.a)));
  r = await query('bloom zzzqqq');
  check(M + 'search needs every word to match', r.length === 1 && r[0].a === null && /Nothing holds/.test(r[0].text), JSON.stringify(r));
  r = await query('the');
  const more = r[r.length - 1].text;
  check(M + 'capped results say how many more and how to narrow', r.filter((x) => x.a).length === 20 && /Showing 20 of \d+ results \(\d+ more\)\. Add a word/.test(more), more);
  // Ranking: follow-ups whose question holds the word come first.
  r = await query('database');
  const ranked = r.filter((x) => x.a).map((x) => /database/i.test(x.a.split(': ').slice(1).join(': ')));
  const firstOther = ranked.indexOf(false);
  check(M + 'search ranks question-text matches first (' + firstOther + ' of ' + ranked.length + ')',
    ranked.includes(true) && firstOther > 0 && !ranked.slice(firstOther).includes(true), JSON.stringify(ranked));
  await query('bloo');
  await page.keyboard.press('ArrowDown');
  const focused = await page.evaluate(() => document.activeElement.textContent);
  check(M + 'ArrowDown from the search box focuses the first result', /^Q1 \u203a Depth 24:/.test(focused), 'focused: ' + focused);
  if (hit >= 0) {
    await query('bloom');
    const link = page.locator('#search-results a', { hasText: 'Q1 \u203a Depth 24:' }).first();
    await Promise.all([page.waitForURL(/q1\.html#d24$/), link.click()]);
    const target = await page.evaluate(() => (document.querySelector(':target') || {}).id);
    check(M + 'search result lands on q1.html#d24', page.url().endsWith('/' + slug + '/q1.html#d24') && target === 'd24', 'url ' + page.url() + ', :target ' + target);
    // a result on this same page: the list closes
    await page.focus('#search-q');
    r = await query('bloom');
    await page.locator('#search-results a', { hasText: 'Q1 \u203a Depth 24:' }).first().click();
    await page.waitForTimeout(100);
    check(M + 'a result on the same page closes the results', await page.$eval('#search-results', (l) => l.hidden), 'still open');
  }
  // Accents: "cafe" finds "café" in the sample guide (an extra page).
  const sample = extra.find((e) => /sample\/q1\.html$/.test(e));
  if (sample) {
    await page.goto(url(sample));
    await page.focus('#search-q');
    r = await query('cafe');
    check(M + 'search folds accents: "cafe" finds "café"', r.some((x) => x.a && x.snippet && /café/.test(x.snippet) && x.marks.includes('café')), JSON.stringify(r));
  }

  // Study mode: hide all, keyboard, persistence across pages.
  await page.goto(url(slug + '/q1.html'));
  const openCount = () => page.$$eval('details.answer', (ds) => ds.filter((d) => d.open).length);
  const total = await page.$$eval('details.answer', (ds) => ds.length);
  check(M + 'answers shown by default (' + total + ')', total > 1 && (await openCount()) === total, (await openCount()) + ' of ' + total);
  await page.focus('#toggle-answers');
  await page.keyboard.press('Enter');
  check(M + 'Enter on "Hide all answers" hides every answer', (await openCount()) === 0, (await openCount()) + ' still open');
  await page.focus('#d3 summary');
  await page.keyboard.press('Space');
  const d3 = await page.$eval('#d3 details', (d) => d.open);
  check(M + 'Space on one summary shows that answer alone', d3 && (await openCount()) === 1, 'd3 open ' + d3);
  await page.screenshot({ path: path.join(shots, 'hidden-light-1280.png') });
  await Promise.all([page.waitForURL(/q2\.html$/), page.click('nav.pager a[rel="next"]')]);
  const after = await page.$$eval('details.answer', (ds) => [ds.length, ds.filter((d) => d.open).length]);
  const label = await visibleText('#toggle-answers');
  check(M + 'hidden answers stay hidden on the next page', after[0] > 0 && after[1] === 0 && label === 'Show all answers', JSON.stringify(after) + ' ' + label);
  await page.emulateMedia({ media: 'print' });
  const printed = await page.$$eval('details.answer .answer-body',
    (bs) => bs.filter((b) => b.checkVisibility() && b.getBoundingClientRect().height > 0).length);
  await page.emulateMedia({ media: 'screen' });
  check(M + 'print shows every answer though they are hidden on screen', printed === after[0], printed + ' of ' + after[0]);
  await page.keyboard.press('h');
  check(M + 'the h key shows the answers again', (await openCount()) === after[0], (await openCount()) + ' open');

  // End of the guide: contents, and the next guide (or the library).
  const endLinks = await page.$$eval('nav.pager a', (as) => as.map((a) => a.className + ' ' + a.getAttribute('href')));
  check(M + 'the last question links to the contents and on to the next guide or the library',
    endLinks.includes('contents index.html') && endLinks.some((l) => /^next-guide \.\.\//.test(l)), JSON.stringify(endLinks));

  // Footer and hints name only controls the page has.
  for (const rel of pages) {
    await page.goto(url(rel));
    const foot = await visibleText('footer');
    const hasToggle = await page.$('#toggle-answers') !== null;
    const ok = (/Hide all answers/.test(foot) === hasToggle) && (!/Space|1.4/.test(foot) || rel === 'review.html');
    check(M + 'the footer of ' + rel + ' names only its own controls', ok, foot);
  }

  // The outline, the current follow-up, back to top, shortcuts.
  await page.goto(url(slug + '/q1.html'));
  const outlineShown = await page.$eval('.outline nav', (n) => n.checkVisibility() && n.getBoundingClientRect().left > 800);
  check(M + 'the outline is shown beside the text at 1280 px', outlineShown, 'not visible in the margin');
  await page.keyboard.press('j');
  await page.waitForTimeout(150);
  let cur = await page.evaluate(() => [Math.round(document.getElementById('d1').getBoundingClientRect().top),
    (document.querySelector('.outline a[aria-current]') || {}).hash]);
  check(M + 'j goes to the first follow-up and the outline marks it', Math.abs(cur[0]) <= 10 && cur[1] === '#d1', JSON.stringify(cur));
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await page.keyboard.press('k');
  await page.waitForTimeout(150);
  cur = await page.evaluate(() => [Math.round(document.getElementById('d2').getBoundingClientRect().top),
    (document.querySelector('.outline a[aria-current]') || {}).hash]);
  check(M + 'j j k lands on the second follow-up, marked', Math.abs(cur[0]) <= 10 && cur[1] === '#d2', JSON.stringify(cur));
  await page.evaluate(() => document.getElementById('d20').scrollIntoView());
  await page.waitForTimeout(200);
  cur = await page.evaluate(() => (document.querySelector('.outline a[aria-current]') || {}).hash);
  check(M + 'scrolling marks the follow-up in view in the outline', cur === '#d20', cur);
  await page.screenshot({ path: path.join(shots, 'outline-light-1280.png') });
  // A jump to a short follow-up marks that one, not the next whose top is
  // also high on the screen (many-followups: 120 short ones under Q1).
  const many = extra.find((e) => /many-followups\/q1\.html$/.test(e));
  if (many) {
    const wrong = [];
    for (const d of ['d5', 'd60', 'd100']) {
      // a fresh load each time: from the same page a goto is only a hash
      // change, and the mark of the jump before would still be there
      await page.goto('about:blank');
      await page.goto(url(many) + '#' + d);
      await page.waitForFunction(() => document.querySelector('.outline a[aria-current]'));
      const got = await page.evaluate(() => document.querySelector('.outline a[aria-current]').hash);
      if (got !== '#' + d) wrong.push('#' + d + ' marked ' + got);
    }
    // and a jump within the page, from the outline: the mark moves with it
    await page.click('.outline a[href="#d60"]');
    const moved = await page.waitForFunction(() => (document.querySelector('.outline a[aria-current]') || {}).hash === '#d60',
      null, { timeout: 5000 }).then(() => true, () => false);
    if (!moved) wrong.push('outline link #d60 marked ' + await page.evaluate(() => (document.querySelector('.outline a[aria-current]') || {}).hash));
    check(M + 'a jump to a short follow-up marks it in the outline', wrong.length === 0, wrong.join(', '));
  } else {
    fail(M + 'a jump to a short follow-up marks it in the outline', 'no many-followups/q1.html among the pages');
  }
  // back where the checks below begin: the guide's Q1, scrolled to Depth 20
  await page.goto(url(slug + '/q1.html'));
  await page.evaluate(() => document.getElementById('d20').scrollIntoView());
  await page.waitForFunction(() => (document.querySelector('.outline a[aria-current]') || {}).hash === '#d20');
  const topShown = await page.$eval('.to-top a', (a) => a.checkVisibility({ visibilityProperty: true }));
  await page.click('.to-top a');
  await page.waitForTimeout(150);
  const atTop = await page.evaluate(() => [window.scrollY, document.getElementById('main').offsetTop, document.activeElement.id]);
  check(M + 'back to top appears after the first screen and goes to the top', topShown && atTop[0] <= atTop[1] + 5 && atTop[2] === 'main', JSON.stringify([topShown, atTop]));
  await page.keyboard.press('/');
  const inSearch = await page.evaluate(() => document.activeElement.id);
  await page.keyboard.type('jkh?');
  const typed = await page.evaluate(() => [document.getElementById('search-q').value, window.scrollY,
    document.querySelectorAll('details.answer[open]').length, !!document.querySelector('dialog[open]')]);
  check(M + '/ focuses search, and j k h ? type there without firing', inSearch === 'search-q' && typed[0] === 'jkh?' && typed[1] < 300 && typed[2] === total && !typed[3], JSON.stringify([inSearch, typed]));
  await page.keyboard.press('Escape');
  await page.evaluate(() => document.activeElement.blur());
  await page.keyboard.press('?');
  const dialog = await page.$eval('dialog.keys', (d) => [d.open, d.innerText]).catch(() => [false, '']);
  check(M + '? lists the shortcuts', dialog[0] && /j \/ k/.test(dialog[1]) && /Hide or show/.test(dialog[1]), JSON.stringify(dialog));
  await page.keyboard.press('Escape');

  // Colour scheme: the manual switch wins over the system and is kept.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.click('#theme-switch');
  const bgLight = await page.evaluate(() => [document.documentElement.dataset.theme, getComputedStyle(document.body).backgroundColor]);
  await page.reload();
  const kept = await page.evaluate(() => [document.documentElement.dataset.theme, getComputedStyle(document.body).backgroundColor]);
  check(M + 'the colour switch picks light over a dark system, remembered', bgLight[0] === 'light' && kept[0] === 'light' && kept[1] === 'rgb(255, 255, 255)', JSON.stringify([bgLight, kept]));
  await page.click('#theme-switch');
  const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.click('#theme-switch');
  await page.emulateMedia({ colorScheme: 'light' });
  check(M + 'then dark, then back to the system', dark === 'rgb(21, 24, 28)' && !(await page.evaluate(() => document.documentElement.dataset.theme)), dark);

  // Code: highlighted, copy buttons, keyboard-scrollable.
  await page.goto(url(codePage));
  await page.waitForLoadState('load');
  const code = await page.evaluate(() => ({
    blocks: document.querySelectorAll('main pre').length,
    hl: document.querySelectorAll('main pre code.hljs').length,
    kw: document.querySelectorAll('main pre .hljs-keyword').length,
    copies: document.querySelectorAll('main pre > button.copy').length,
    focusable: Array.from(document.querySelectorAll('main pre')).every((p) => p.tabIndex === 0),
  }));
  check(M + 'code blocks are highlighted, each with a copy button', code.blocks === 5 && code.hl === 5 && code.kw > 3 && code.copies === 5 && code.focusable, JSON.stringify(code));
  await page.focus('main pre');
  const before = await page.$eval('main pre', (p) => p.scrollLeft);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.waitForTimeout(100);
  const scrolled = await page.$eval('main pre', (p) => [p.scrollLeft, p.scrollWidth > p.clientWidth]);
  check(M + 'a wide code block scrolls with the keyboard', before === 0 && scrolled[0] > 0 && scrolled[1], JSON.stringify(scrolled));
  await context.grantPermissions(['clipboard-read', 'clipboard-write']).catch(() => {});
  await page.click('main pre > button.copy');
  await page.waitForFunction(() => document.querySelector('main pre > button.copy').textContent !== 'Copy');
  check(M + 'the copy button copies', (await page.textContent('main pre > button.copy')) === 'Copied', await page.textContent('main pre > button.copy'));
  const noCode = await page.evaluate(() => 0);
  void noCode;
  for (const rel of ['index.html', slug + '/q1.html']) {
    await page.goto(url(rel));
    check(M + rel + ' has no code and loads no highlighter', (await page.$('script[src$="highlight.js"]')) === null, 'highlight.js loaded');
  }
  await page.goto(url(codePage));
  await page.screenshot({ path: path.join(shots, 'code-light-1280.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: path.join(shots, 'code-dark-1280.png') });
  await page.emulateMedia({ colorScheme: 'light' });

  // Spaced review: grade on a page, then in review.html; the state stays.
  await page.goto(url('review.html'));
  await page.evaluate(() => { for (const k of Object.keys(localStorage)) if (k.startsWith('depthbook.review.')) localStorage.removeItem(k); });
  await page.goto(url(slug + '/q1.html'));
  await page.click('#d1 .grade button[value="3"]');
  const due1 = await page.textContent('#d1 .grade-due');
  const counts = () => page.evaluate(() => ['n-due', 'n-new', 'n-learned'].map((id) => +document.getElementById(id).textContent));
  await page.goto(url('review.html'));
  const c0 = await counts();
  const first = await page.textContent('#r-where');
  const answerHidden = await page.$eval('#r-answer', (a) => !a.checkVisibility()) &&
    await page.$eval('#r-grades', (g) => !g.checkVisibility());
  await page.keyboard.press('Space');
  const shownAnswer = await page.$eval('#r-answer', (a) => !a.hidden && a.textContent.length > 20);
  await page.screenshot({ path: path.join(shots, 'review-light-1280.png') });
  await page.keyboard.press('4');
  const c1 = await counts();
  const second = await page.textContent('#r-where');
  await page.reload();
  const c2 = await counts();
  const third = await page.textContent('#r-where');
  check(M + 'grading on a question page schedules the follow-up (' + due1 + ')', /Next review tomorrow/.test(due1) && c0[2] === 1 && !/Depth 1$/.test(first), JSON.stringify([due1, c0, first]));
  check(M + 'review.html: question first, Space reveals, 4 grades and moves the card out of today\'s queue',
    answerHidden && shownAnswer && c1[1] === c0[1] - 1 && c1[2] === 2 && second !== first, JSON.stringify([answerHidden, shownAnswer, c0, c1, first, second]));
  check(M + 'review state survives a reload', c2[2] === 2 && c2[1] === c1[1] && third === second, JSON.stringify([c2, third]));
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#r-export')]);
  const exported = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  const n = Object.keys((exported.guides || {})[slug] || {}).length;
  await page.evaluate(() => { for (const k of Object.keys(localStorage)) if (k.startsWith('depthbook.review.')) localStorage.removeItem(k); });
  await page.reload();
  const cleared = await counts();
  const file = path.join(shots, 'review-export.json');
  fs.writeFileSync(file, JSON.stringify(exported));
  await page.setInputFiles('#r-import', file);
  await page.waitForFunction(() => /Imported/.test(document.getElementById('r-status').textContent));
  const restored = await counts();
  check(M + 'review progress exports to JSON and imports back', exported.algorithm === 'SM-2' && n === 2 && cleared[2] === 0 && restored[2] === 2, JSON.stringify([n, cleared, restored]));

  // Phone: first follow-up within two screens, outline one tap away,
  // search results the screen's width, nothing scrolls sideways.
  await page.setViewportSize({ width: 375, height: 812 });
  await page.goto(url(slug + '/q1.html'));
  const d1Top = await page.$eval('#d1 h3', (h) => h.getBoundingClientRect().top + window.scrollY);
  check(M + '375 px: the first follow-up question is within two screens of the top (' + Math.round(d1Top) + ' px)', d1Top < 2 * 812, Math.round(d1Top) + ' px');
  const closed = await page.$eval('.outline nav', (n) => n.checkVisibility());
  await page.click('.outline summary');
  const opened = await page.$eval('.outline nav', (n) => n.checkVisibility());
  await page.screenshot({ path: path.join(shots, 'outline-light-375.png') });
  await page.click('.outline a[href="#d5"]');
  await page.waitForTimeout(150);
  const landed = await page.evaluate(() => [location.hash, document.querySelector('.outline').open]);
  check(M + '375 px: the outline is one tap away, and a pick closes it', !closed && opened && landed[0] === '#d5' && landed[1] === false, JSON.stringify([closed, opened, landed]));
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.focus('#search-q');
  await query('retry');
  const box = await page.$eval('#search-results', (l) => l.getBoundingClientRect().width);
  await page.screenshot({ path: path.join(shots, 'search-light-375.png') });
  check(M + '375 px: search results use the screen\'s width (' + Math.round(box) + ' px)', box >= 375 - 16, Math.round(box) + ' px');

  // Screenshots: library, guide, question (top and deep), light and dark, 1280 and 375.
  const shotsTaken = [];
  for (const [w, h] of srv ? [] : [[1280, 900], [375, 812]]) {
    await page.setViewportSize({ width: w, height: h });
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [rel, name] of [['index.html', 'library'], [slug + '/index.html', 'guide'],
        [slug + '/q1.html', 'question-top'], [slug + '/q1.html#d24', 'question'], ['review.html', 'review']]) {
        await page.goto(url(rel));
        const f = path.join(shots, `${name}-${scheme}-${w}.png`);
        await page.screenshot({ path: f });
        shotsTaken.push(f);
      }
    }
  }
  await page.emulateMedia({ media: 'print', colorScheme: 'light' });
  await page.setViewportSize({ width: 800, height: 1100 });
  await page.goto(url(slug + '/q1.html'));
  await page.screenshot({ path: path.join(shots, 'question-print.png') });
  if (!srv) check(M + 'screenshots written to ' + shots, shotsTaken.every((f) => fs.statSync(f).size > 5000), 'a screenshot is empty');
  await page.emulateMedia({ media: 'screen' });
  await page.setViewportSize({ width: 375, height: 812 });
  const wide = [];
  for (const rel of srv ? pages : pages.concat([codePage], extra)) {
    await page.goto(url(rel));
    const sw = await page.evaluate(() => document.documentElement.scrollWidth);
    if (sw > 375) wide.push(rel + ' ' + sw + 'px');
  }
  check(M + 'no page scrolls sideways at 375 px', wide.length === 0, wide.join(', '));

  check(M + 'no console errors', consoleErrors.length === 0, consoleErrors.slice(0, 3).join(' | '));
  check(M + 'no request leaves the site', requests.length === 0, requests.slice(0, 3).join(' '));

  await browser.close();
  if (srv) await srv.close();
  process.exit(failed ? 1 : 0);
})().catch((e) => { console.log('FAIL browser run: ' + String(e).split('\n')[0]); process.exit(1); });
