// names.js SITE PAGE [--no-images]: opens PAGE (a path under the site SITE, as on disk)
// in headless Chromium from file:// and checks that every <img> on it
// loaded and every href to a file of the site names a file that exists,
// as the browser resolves it: a name with '#', '?', '%', a space or
// non-ASCII must be percent-encoded, or the browser asks for another file.
// Prints PASS/FAIL lines for tests/t_hostile.sh.
const { chromium } = require('playwright-core');
const fs = require('fs');
const path = require('path');
const { pathToFileURL, fileURLToPath } = require('url');

(async () => {
  const [site, page, flag] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const tab = await browser.newPage();
  await tab.goto(pathToFileURL(page).href);
  const found = await tab.evaluate(() => ({
    images: [...document.images].map((i) => ({ src: i.src, ok: i.complete && i.naturalWidth > 0 })),
    links: [...document.querySelectorAll('a[href]')].map((a) => a.href),
  }));
  await browser.close();
  const bad = [];
  for (const i of found.images) if (!i.ok) bad.push('image did not load: ' + i.src);
  for (const href of found.links) {
    if (!href.startsWith('file:')) continue;
    const file = fileURLToPath(href.replace(/#.*$/, '').replace(/\?.*$/, ''));
    if (!file.startsWith(path.resolve(site))) bad.push('leaves the site: ' + href);
    else if (!fs.existsSync(file)) bad.push('no such file: ' + href + ' -> ' + file);
  }
  const what = `${path.relative(site, page)}: ${found.images.length} images, ${found.links.length} links`;
  if (found.images.length === 0 && flag !== '--no-images') bad.push('no image on the page to check');
  const name = `names in the browser (${path.relative(site, page)})`;
  console.log(bad.length ? `FAIL ${name}: ${bad.slice(0, 3).join('; ')}` : `PASS names in the browser (${what})`);
})().catch((e) => { console.log('FAIL names in the browser: ' + e.message.split('\n')[0]); });
