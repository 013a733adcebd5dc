#!/usr/bin/env python3
"""addresses.py BASE OUT: every address of the published site that any
output of a build with --base-url BASE prints leads somewhere.

Collects the absolute URLs under BASE from the site's pages and sitemap,
every EPUB entry (out/epub/*.epub), the Anki text exports and the notes of
every Anki package (their Link field and any link in a field), and checks
that each names a file of out/site (a folder its index.html) and, when it
has a fragment, an element of that page with that id. Prints one line per
output kind, "KIND N addresses ok", "KIND none" or "KIND bad ADDRESS:
why", and exits 1 on any bad address or when no output printed one."""
import glob
import html
import io
import os
import re
import sqlite3
import sys
import tempfile
import urllib.parse
import zipfile


def urls_in(text, base):
    pattern = re.escape(base) + r"[^\s\"'<>\x1f]*"
    return [html.unescape(u) for u in re.findall(pattern, text)]


def gather(base, out):
    found = {}
    site = os.path.join(out, "site")
    for path in glob.glob(os.path.join(site, "**", "*"), recursive=True):
        if path.endswith((".html", ".xml")):
            with open(path, encoding="utf-8") as f:
                found.setdefault("site", []).extend(urls_in(f.read(), base))
    for path in glob.glob(os.path.join(out, "epub", "*.epub")):
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if name.endswith((".xhtml", ".opf", ".ncx")):
                    text = z.read(name).decode("utf-8")
                    found.setdefault("epub", []).extend(urls_in(text, base))
    for path in glob.glob(os.path.join(out, "anki", "*.txt")):
        with open(path, encoding="utf-8") as f:
            found.setdefault("anki-text", []).extend(urls_in(f.read(), base))
    for path in glob.glob(os.path.join(out, "anki", "*.apkg")):
        with zipfile.ZipFile(path) as z, tempfile.TemporaryDirectory() as tmp:
            db = os.path.join(tmp, "c.anki2")
            with open(db, "wb") as f:
                f.write(z.read("collection.anki2"))
            con = sqlite3.connect(db)
            for (flds,) in con.execute("select flds from notes"):
                found.setdefault("anki-package", []).extend(urls_in(flds, base))
            con.close()
    return found


def problem(url, base, site):
    parts = urllib.parse.urlsplit(url[len(base):])
    path = urllib.parse.unquote(parts.path)
    target = os.path.join(site, path)
    if path == "" or path.endswith("/"):
        target = os.path.join(target, "index.html")
    if not os.path.isfile(target):
        return "no file %s in the site" % os.path.relpath(target, site)
    if parts.fragment:
        with open(target, encoding="utf-8") as f:
            page = f.read()
        if not re.search(r'\sid="%s"' % re.escape(parts.fragment), page):
            return "no id %r in %s" % (parts.fragment, os.path.relpath(target, site))
    return None


def main():
    base, out = sys.argv[1], sys.argv[2]
    if not base.endswith("/"):
        base += "/"
    found = gather(base, out)
    bad = 0
    total = 0
    for kind in ("site", "epub", "anki-text", "anki-package"):
        urls = sorted(set(found.get(kind, [])))
        errors = [(u, problem(u, base, os.path.join(out, "site"))) for u in urls]
        errors = [(u, p) for u, p in errors if p]
        for u, p in errors:
            print("%s bad %s: %s" % (kind, u, p))
        total += len(urls)
        if not urls:
            print("%s none" % kind)
        elif not errors:
            print("%s %d addresses ok" % (kind, len(urls)))
        bad += len(errors)
    if total == 0:
        print("bad: no output printed an address under %s" % base)
    return 1 if bad or total == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
