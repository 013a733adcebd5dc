// events.js BASE_URL GUIDE_FILE THEME_CSS: the server-sent events of a running
// `depthbook serve`, without a browser (so the sanitizer pass runs it too).
// The stream opens with "ok N"; an edit gives "ok N+1"; a breaking edit
// gives "errors" naming file:line:col; fixing it gives "ok" again; an
// edit of the theme's stylesheet gives "ok N N" (the build that changed the
// theme: pages of older builds reload). Every
// wait is bounded. Prints "PASS name" / "FAIL name: why" lines.
'use strict';
const fs = require('fs');
const path = require('path');

const [base, guide, css] = process.argv.slice(2);
const WAIT_MS = 10000;
const pass = (n) => console.log('PASS ' + n);
const fail = (n, why) => console.log('FAIL ' + n + ': ' + why);

(async () => {
  const original = fs.readFileSync(guide, 'utf8');
  const controller = new AbortController();
  const events = [];
  let wake = null;
  try {
    const res = await fetch(base + '__depthbook/events', { signal: controller.signal });
    if (res.headers.get('content-type') !== 'text/event-stream') throw new Error('content type ' + res.headers.get('content-type'));
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let text = '';
    (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
        let at;
        while ((at = text.indexOf('\n\n')) >= 0) {
          const block = text.slice(0, at);
          text = text.slice(at + 2);
          const ev = { type: 'message', data: [] };
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) ev.type = line.slice(7);
            else if (line.startsWith('data: ')) ev.data.push(line.slice(6));
          }
          if (ev.data.length) { events.push(ev); if (wake) wake(); }
        }
      }
    })().catch(() => {});
    // the next event, within WAIT_MS
    const next = async () => {
      const deadline = Date.now() + WAIT_MS;
      while (events.length === 0) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error('no event within ' + WAIT_MS + ' ms');
        await new Promise((resolve) => { wake = resolve; setTimeout(resolve, left); });
        wake = null;
      }
      return events.shift();
    };
    const first = await next();
    const gen = Number(first.data[0].split(' ')[0]);
    if (first.type === 'ok' && gen >= 1) pass('serve events: the stream opens with the published build (ok ' + gen + ')');
    else fail('serve events: first event', first.type + ' ' + first.data.join('|'));

    fs.writeFileSync(guide, original.replace(/^\*\*A:\*\*/m, '**A:** quokka'));
    const edited = await next();
    if (edited.type === 'ok' && Number(edited.data[0].split(' ')[0]) === gen + 1) pass('serve events: an edit publishes build ' + (gen + 1));
    else fail('serve events: after an edit', edited.type + ' ' + edited.data.join('|'));
    const page = await (await fetch(base + 'ops-architecture-deep-dive/q1.html')).text();
    if (page.includes('quokka')) pass('serve events: the new build is served');
    else fail('serve events: the new build', 'q1.html lacks the edit');

    fs.writeFileSync(guide, original.replace(/^#### Depth 1$/m, '#### Depth 3'));
    const broken = await next();
    const name = path.basename(guide).replace(/[.]/g, '[.]');
    if (broken.type === 'errors' && broken.data.some((l) => new RegExp(name + ':[0-9]+:[0-9]+: error: ').test(l)))
      pass('serve events: a breaking edit sends the diagnostics with file:line:col');
    else fail('serve events: after a breaking edit', broken.type + ' ' + broken.data.join('|').slice(0, 200));
    const still = await (await fetch(base + 'ops-architecture-deep-dive/q1.html')).text();
    if (still.includes('quokka')) pass('serve events: the last good site is still served');
    else fail('serve events: the last good site', 'q1.html changed');

    fs.writeFileSync(guide, original);
    const fixed = await next();
    if (fixed.type === 'ok') pass('serve events: fixing it sends ok (' + fixed.data[0] + ')');
    else fail('serve events: after the fix', fixed.type + ' ' + fixed.data.join('|'));

    fs.appendFileSync(css, '\n/* an edit of the theme */\n');
    const styled = await next();
    const [n, r] = styled.data[0].split(' ');
    if (styled.type === 'ok' && n === r && Number(n) > gen) pass('serve events: a theme edit tells pages to reload (' + styled.data[0] + ')');
    else fail('serve events: after a theme edit', styled.type + ' ' + styled.data.join('|'));
    const served = await (await fetch(base + 'assets/site.css')).text();
    if (served.includes('an edit of the theme')) pass('serve events: the edited stylesheet is served');
    else fail('serve events: the edited stylesheet', 'assets/site.css lacks the edit');
  } catch (e) {
    fail('serve events: run', String(e).split('\n')[0]);
  } finally {
    fs.writeFileSync(guide, original);
    controller.abort();
  }
})();
