// reader.js: unpacked EPUBs in headless Chromium (playwright-core), as a
// reader shows them. Prints "PASS name" / "FAIL name: why" lines for
// tests/t_epub.sh. Each argument is a job MODE:NAME:DIR, all in one browser:
//   contrast   axe color-contrast on every page, with the book's colours
//              and a reader's night and sepia themes (0 violations)
//   wide       nothing wider than a 600 px page
//   quiz       at a 600 × 800 e-reader page, paginated in columns as
//              Readium does, following each question's link shows its
//              answer and no other answer, nor the questions
//   selftest   the contrast check finds the old stylesheet's light-on-light
//              in night mode
//   quizself   the quiz check finds answers sharing a screen once their
//              breaks are removed
// Chromium is Debian's (/usr/bin/chromium).
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let mode, name, dir; // of the job being run
const W = 600, H = 800;
// What reading systems inject for their themes (Readium CSS's night and
// sepia, which Thorium and others use): the page and text colours, links.
const THEMES = {
	book: '',
	night: ':root, body { background: #000000 !important; color: #FEFEFE !important; }' +
		' a:link, a:visited { color: #63caff !important; }',
	sepia: ':root, body { background: #faf4e8 !important; color: #121212 !important; }' +
		' a:link, a:visited { color: #0000EE !important; }',
};
// Paginated like Readium: the document laid out in columns one screen
// wide and high, moved to a column by scrolling.
const PAGED = 'html { height: ' + H + 'px; column-width: ' + W + 'px; column-gap: 0; ' +
	'column-fill: auto; overflow: hidden; margin: 0; } body { margin: 0 20px; }';
// The stylesheet before issue 18: backgrounds without a text colour.
const OLD = 'pre { background: #f2f2f2; } th { background: #eee; } .label { color: #555; }';

function pass(what) { console.log('PASS ' + what); }
function fail(what, why) { console.log('FAIL ' + what + ': ' + why); }

function pages() {
	const d = path.join(dir, 'EPUB');
	return fs.readdirSync(d).filter(f => f.endsWith('.xhtml')).sort().map(f => path.join(d, f));
}

async function open(browser, file, css) {
	const page = await browser.newPage({ viewport: { width: W, height: H } });
	await page.goto('file://' + file);
	if (css) await page.addStyleTag({ content: css });
	return page;
}

// Every page once, each theme in turn in one style element.
async function contrast(browser, themes, extra) {
	const files = pages();
	const result = {};
	for (const theme of themes)
		result[theme] = { violations: 0, nodes: 0, pages: files.length, where: [] };
	for (const file of files) {
		const page = await open(browser, file, '');
		await page.addScriptTag({ content: axeSource });
		for (const theme of themes) {
			const r = await page.evaluate(async css => {
				let s = document.getElementById('reader-theme');
				if (!s) {
					s = document.createElementNS('http://www.w3.org/1999/xhtml', 'style');
					s.id = 'reader-theme';
					document.head.appendChild(s);
				}
				s.textContent = css;
				const res = await axe.run(document, { runOnly: { type: 'rule', values: ['color-contrast'] } });
				return { v: res.violations.reduce((n, v) => n + v.nodes.length, 0),
					n: res.passes.reduce((n, v) => n + v.nodes.length, 0) + res.incomplete.reduce((n, v) => n + v.nodes.length, 0),
					first: res.violations.length ? res.violations[0].nodes[0].target.join(' ') : '' };
			}, THEMES[theme] + (extra || ''));
			const x = result[theme];
			x.violations += r.v;
			x.nodes += r.n;
			if (r.v) x.where.push(path.basename(file) + ' ' + r.first);
		}
		await page.close();
	}
	return result;
}

async function wide(browser) {
	const bad = [];
	const files = pages();
	for (const file of files) {
		const page = await open(browser, file, '');
		const over = await page.evaluate(() => {
			const vw = document.documentElement.clientWidth;
			const out = [];
			if (document.documentElement.scrollWidth > vw + 1)
				out.push('page scrolls sideways (' + document.documentElement.scrollWidth + ' > ' + vw + ')');
			for (const el of document.querySelectorAll('table, pre, img, code, td, th')) {
				const r = el.getBoundingClientRect();
				if (r.right > vw + 0.5) out.push(el.tagName.toLowerCase() + ' ends at ' + Math.round(r.right));
			}
			return out;
		});
		if (over.length) bad.push(path.basename(file) + ': ' + over.slice(0, 3).join(', '));
		await page.close();
	}
	return { bad, pages: files.length };
}

// Which answer blocks (.answer-page) and question lists (.quiz) show in the
// viewport now.
function visible() {
	const vw = window.innerWidth, vh = window.innerHeight;
	const shown = el => Array.from(el.getClientRects()).some(r =>
		r.width > 0 && r.height > 0 && r.right > 1 && r.left < vw - 1 && r.bottom > 1 && r.top < vh - 1);
	return {
		answers: Array.from(document.querySelectorAll('.answer-page')).filter(shown).map(e => e.id),
		quiz: Array.from(document.querySelectorAll('.quiz')).some(shown),
	};
}

async function quiz(browser, extra) {
	let links = 0;
	const bad = [];
	// the question chapters: every page but the book's own (a chapter of a
	// question with an explicit id is named by it: outbox.xhtml)
	for (const file of pages().filter(f => !/\/(cover|title|nav|epilogue|s\d+)\.xhtml$/.test(f))) {
		const page = await open(browser, file, PAGED + (extra || ''));
		const hrefs = await page.evaluate(() =>
			Array.from(document.querySelectorAll('.quiz-list a')).map(a => a.getAttribute('href')));
		const first = await page.evaluate(visible);
		if (first.answers.length) bad.push(path.basename(file) + ': the first page shows ' + first.answers.join(' '));
		for (const href of hrefs) {
			links++;
			await page.evaluate(() => window.scrollTo(0, 0));
			await page.click('.quiz-list a[href="' + href + '"]');
			await page.evaluate(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))));
			const v = await page.evaluate(visible);
			const want = href.slice(1);
			if (v.answers.length !== 1 || v.answers[0] !== want || v.quiz)
				bad.push(path.basename(file) + href + ' shows [' + v.answers.join(' ') + ']' + (v.quiz ? ' and the questions' : ''));
			// the answer links back to its question
			const back = await page.evaluate(id => {
				const a = document.getElementById(id).querySelector('.back a');
				return a ? a.getAttribute('href') : null;
			}, want);
			if (!back || !(await page.evaluate(h => !!document.getElementById(h.slice(1)), back)))
				bad.push(path.basename(file) + href + ': no link back');
		}
		await page.close();
	}
	return { links, bad };
}

async function run(browser, mode, name, dir) {
	if (mode === 'contrast') {
		const r = await contrast(browser, ['book', 'night', 'sepia']);
		for (const [theme, x] of Object.entries(r)) {
			const what = 'contrast ' + name + ' ' + theme + ' (' + x.pages + ' pages, ' + x.nodes + ' text nodes checked)';
			if (x.violations === 0 && x.nodes > 0) pass(what);
			else fail(what, x.violations + ' color-contrast violations: ' + x.where.slice(0, 3).join('; '));
		}
	} else if (mode === 'selftest') {
		const r = await contrast(browser, ['night'], OLD);
		const what = 'the contrast check sees the old light-on-light in night mode (' + name + ')';
		if (r.night.violations > 0) pass(what + ': ' + r.night.violations + ' violations');
		else fail(what, 'no violation found');
	} else if (mode === 'quizself') {
		const r = await quiz(browser, '.answer-page { break-before: auto !important; page-break-before: auto !important; }');
		const what = 'the quiz check sees answers sharing a screen without their breaks (' + name + ')';
		if (r.bad.length > 0) pass(what + ': ' + r.bad.length + ' of ' + r.links); else fail(what, 'nothing seen');
	} else if (mode === 'wide') {
		const r = await wide(browser);
		const what = 'nothing wider than the page in ' + name + ' (' + r.pages + ' pages at ' + W + ' px)';
		if (r.bad.length === 0) pass(what); else fail(what, r.bad.slice(0, 3).join('; '));
	} else if (mode === 'quiz') {
		const r = await quiz(browser);
		const what = 'quiz ' + name + ': each of ' + r.links + ' question links shows its answer alone';
		if (r.bad.length === 0 && r.links > 0) pass(what); else fail(what, r.bad.slice(0, 3).join('; ') || 'no links');
	} else {
		fail('reader.js', 'unknown mode ' + mode);
	}
}

// One browser for every job: MODE:NAME:DIR arguments.
(async () => {
	const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
			'--disable-background-networking', '--disable-component-update', '--disable-sync'] });
	try {
		for (const job of process.argv.slice(2)) {
			const [m, n, ...d] = job.split(':');
			mode = m, name = n, dir = d.join(':');
			try {
				await run(browser, mode, name, dir);
			} catch (e) {
				fail('reader.js ' + mode + ' ' + name, String(e).split('\n')[0]);
			}
		}
	} finally {
		await browser.close();
	}
})();
