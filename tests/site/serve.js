// serve.js: a static file server on 127.0.0.1 for the site's browser
// tests, as a module: serve(dir, {prefix}) resolves to {url, close, log}.
// A missing file gets the site's 404.html with status 404, as GitHub Pages
// and Netlify serve it; prefix ("/sub/") mounts the site under a sub-path.
// Every request is logged (path, bytes, time) so tests can count them.
'use strict';
const http = require('http');
const fs = require('fs');
const path = require('path');

const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.xml': 'application/xml', '.json': 'application/json',
  '.txt': 'text/plain' };

function serve(dir, opts = {}) {
  const prefix = opts.prefix || '/';
  const log = [];
  const server = http.createServer((req, res) => {
    const u = new URL(req.url, 'http://127.0.0.1');
    let rel = decodeURIComponent(u.pathname);
    let file = null;
    if (rel.startsWith(prefix)) {
      rel = rel.slice(prefix.length);
      file = path.join(dir, rel);
      if (!file.startsWith(dir)) file = null;
      else if (file.endsWith('/') || (fs.existsSync(file) && fs.statSync(file).isDirectory()))
        file = path.join(file, 'index.html');
    }
    let status = 200;
    if (!file || !fs.existsSync(file)) { status = 404; file = path.join(dir, '404.html'); }
    const body = fs.existsSync(file) ? fs.readFileSync(file) : Buffer.from('not found');
    log.push({ path: u.pathname, status, bytes: body.length, t: Date.now() });
    res.writeHead(status, { 'Content-Type': types[path.extname(file)] || 'application/octet-stream',
      'Content-Length': body.length, 'Cache-Control': 'no-cache' });
    res.end(body);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const url = 'http://127.0.0.1:' + server.address().port + prefix;
      resolve({ url, log, close: () => new Promise((r) => server.close(r)) });
    });
  });
}
module.exports = serve;

// Run alone (node serve.js DIR [PREFIX]) it serves until killed and
// prints its address, for Lighthouse.
if (require.main === module) {
  serve(path.resolve(process.argv[2]), { prefix: process.argv[3] }).then((s) => console.log(s.url));
}
