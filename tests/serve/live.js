// live.js BASE_URL GUIDE_FILE SLUG SHOT_DIR: drives Debian's headless Chromium
// against a running `depthbook serve`. Opens SLUG/q1.html, appends a new word
// to Depth 1's answer in GUIDE_FILE 20 times and waits each time for the page
// to show it without a manual reload, printing the median and spread of the
// time from the file's write to the page's update (target: median ≤ 300 ms);
// then breaks the guide (the overlay shows file:line:col), fixes it (the
// overlay goes). Every wait is bounded; a request to anything but BASE_URL
// fails the run. Prints "PASS name" / "FAIL name: why" lines.
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const [base, guide, slug, shots] = process.argv.slice(2);
const EDITS = 20;
const WAIT_MS = 5000; // the longest any one update may take before it is a failure
const pass = (n) => console.log('PASS ' + n);
const fail = (n, why) => console.log('FAIL ' + n + ': ' + why);

// The text with the first "**A:**" line (Depth 1 of Q1) ending in word.
function withWord(text, word) {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.startsWith('**A:**'));
  lines[i] = lines[i] + ' ' + word;
  return lines.join('\n');
}

(async () => {
  const original = fs.readFileSync(guide, 'utf8');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  const outside = [];
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(base)) return route.continue();
    outside.push(u);
    return route.abort();
  });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  try {
    await page.goto(base + slug + '/q1.html', { waitUntil: 'load', timeout: WAIT_MS });
    // the live script is connected once the page's event stream is open
    await page.waitForFunction(() => !!document.querySelector('script[src="/__depthbook/live.js"]'),
      null, { timeout: WAIT_MS });

    // Each edit: write, then wait until the page shows the word.
    const times = [];
    let text = original;
    for (let i = 1; i <= EDITS; i++) {
      const word = 'zebra' + i + 'x';
      text = withWord(text, word);
      const t0 = Date.now();
      fs.writeFileSync(guide, text);
      // polled every animation frame, in the page, until the word is there
      await page.waitForFunction((w) => { const d = document.getElementById('d1'); return d && d.textContent.includes(w); },
        word, { polling: 'raf', timeout: WAIT_MS });
      times.push(Date.now() - t0);
    }
    fs.mkdirSync(shots, { recursive: true });
    await page.evaluate(() => document.getElementById('d1').scrollIntoView());
    await page.screenshot({ path: path.join(shots, 'after-edits.png') });
    const sorted = times.slice().sort((a, b) => a - b);
    const median = (sorted[EDITS / 2 - 1] + sorted[EDITS / 2]) / 2;
    console.log('serve latency over ' + EDITS + ' edits (write → page shows the word): median ' + median +
      ' ms, min ' + sorted[0] + ' ms, max ' + sorted[EDITS - 1] + ' ms, all: ' + times.join(' '));
    if (median <= 300) pass('serve: the page shows each edit without a manual reload, median ' + median + ' ms ≤ 300 ms');
    else fail('serve: median write → update time', median + ' ms > 300 ms');

    // A breaking edit: Depth 1 of Q1 becomes Depth 3.
    const broken = text.replace(/^#### Depth 1$/m, '#### Depth 3');
    fs.writeFileSync(guide, broken);
    const overlay = await page.waitForSelector('#depthbook-errors', { timeout: WAIT_MS });
    const said = await overlay.textContent();
    const name = path.basename(guide).replace(/[.]/g, '[.]');
    if (new RegExp(name + ':[0-9]+:[0-9]+: error: .*\\[depth-sequence\\]').test(said))
      pass('serve: a breaking edit shows the overlay with file:line:col');
    else fail('serve: overlay text', JSON.stringify(said.slice(0, 300)));
    fs.mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: path.join(shots, 'overlay.png') });
    // the last good page is still there under the overlay
    if (await page.evaluate(() => document.getElementById('d1').textContent.includes('zebra' + 20 + 'x')))
      pass('serve: the last good page stays under the overlay');
    else fail('serve: the last good page stays', 'd1 lost its text');

    // Fixing it removes the overlay.
    fs.writeFileSync(guide, text);
    await page.waitForSelector('#depthbook-errors', { state: 'detached', timeout: WAIT_MS });
    pass('serve: fixing the guide removes the overlay');
    await page.waitForLoadState('load', { timeout: WAIT_MS });
  } catch (e) {
    fail('serve: browser run', String(e).split('\n')[0]);
  } finally {
    fs.writeFileSync(guide, original);
    await browser.close();
  }
  if (outside.length === 0) pass('serve: no request leaves 127.0.0.1');
  else fail('serve: requests outside the server', outside.slice(0, 3).join(' '));
  if (pageErrors.length === 0) pass('serve: no script errors in the page');
  else fail('serve: script errors', pageErrors.slice(0, 3).join(' | '));
})();
