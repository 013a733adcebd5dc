#!/usr/bin/env python3
"""check.py: reads a cards PDF through pdftotext and checks what a person
printing it would check. Usage:
  check.py labels PDF            print each page's card labels (page<TAB>labels)
  check.py mirror PDF MODE DX    fronts/backs of sheet 1 mirrored for MODE
                                 (long|short), backs shifted by DX mm
  check.py lastwords PDF GUIDE   every answer's last words on a back page
  check.py margins PDF MM        every page's ink (cards, cut marks) at least
                                 MM millimetres inside the sheet
  check.py lang PDF              the /Lang of the document catalog
  check.py rtl PDF DIR PHRASE... each phrase of a right-to-left script is
                                 printed right to left on one line: its
                                 letters read from the right give the
                                 phrase (NFKC, spaces left out); with
                                 DIR rtl, a phrase written ^PHRASE starts
                                 its line at the right, and the line
                                 below ends where it does (the paragraph
                                 is set right to left, ragged left); with
                                 DIR ltr, each phrase's line and the line
                                 below start at the same place on the left
"""
import re, subprocess, sys, html, zlib

LABEL = re.compile(r'^Q\d+( · Depth \d+)?( \((continued, )?\d+/\d+\))?$')

def pages(pdf, layout=True):
    out = subprocess.run(['pdftotext'] + (['-layout'] if layout else []) + [pdf, '-'], capture_output=True,
                         text=True, check=True).stdout
    return out.split('\f')[:-1]

def words_bbox(pdf, page):
    out = subprocess.run(['pdftotext', '-bbox', '-f', str(page), '-l', str(page), pdf, '-'],
                         capture_output=True, text=True, check=True).stdout
    size = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', out)
    words = [(float(a), float(b), float(c), float(d), html.unescape(w)) for a, b, c, d, w in
             re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', out)]
    return float(size.group(1)), float(size.group(2)), words

def labels(pdf):
    for i, text in enumerate(pages(pdf), 1):
        found = []
        for line in text.split('\n'):
            for part in re.split(r'\s{3,}', line.strip()):
                if LABEL.match(part):
                    found.append(part)
        print(f'{i}\t' + ' | '.join(found))

def label_places(pdf, page):
    """(label text, x, y) of every label, the label being words starting with Qn."""
    w, h, words = words_bbox(pdf, page)
    places = []
    for k, (x0, y0, x1, y1, t) in enumerate(words):
        if re.match(r'^Q\d+$', t):
            text = t
            j = k + 1
            while j < len(words) and abs(words[j][1] - y0) < 1 and words[j][0] - words[j-1][2] < 12:
                text += ' ' + words[j][4]
                j += 1
            places.append((text, x0, y0))
    return w, h, places

def mirror(pdf, mode, dx):
    w, h, fronts = label_places(pdf, 1)
    _, _, backs = label_places(pdf, 2)
    fronts.sort(); backs.sort()
    if [f[0] for f in fronts] != [b[0] for b in backs] or len(fronts) < 2:
        print('labels differ or too few:', fronts, backs); return 1
    shift = float(dx) * 72 / 25.4
    sums = set()
    for (t, xf, yf), (_, xb, yb) in zip(fronts, backs):
        if mode == 'long':
            if abs(yf - yb) > 0.5: print('y differs', t, yf, yb); return 1
            sums.add(round((xf + xb - shift) / 1.0))
        else:
            if abs(xf + shift - xb) > 0.5: print('x differs', t, xf, xb); return 1
            sums.add(round(yf + yb))
    # the label sits at the same place in every card, so a back mirrored
    # from its front gives the same x_front + x_back (or y) for every card,
    # and the fronts themselves are spread over different columns/rows
    spread = len({round(f[1 if mode == 'long' else 2]) for f in fronts})
    if len(sums) != 1 or spread < 2:
        print('not mirrored:', sums, fronts, backs); return 1
    print('mirrored', mode, sums.pop())
    return 0

def lastwords(pdf, guide):
    text = open(guide, encoding='utf-8').read()
    backs = ' '.join(p for i, p in enumerate(pages(pdf, False)) if i % 2 == 1)
    # a word hyphenated at a line end reads whole; apostrophes vary in form
    flat = re.sub(r'-\s+', '', backs)
    flat = re.sub(r'[\'’‘]', '', re.sub(r'\s+', ' ', flat))
    # the closing note after the last unit's "---" is the guide's epilogue,
    # on no card; a "---" before a section ends no answer
    last_unit = text.rfind('\n#### ')
    rule = re.search(r'\n---+\s*\n', text[last_unit:]) if last_unit >= 0 else None
    if rule:
        text = text[:last_unit + rule.start()]
    units = re.split(r'\n#{3,6} ', re.sub(r'\n## .*', '', text))[1:]
    missing = 0
    for u in units:
        body = u.strip().split('\n')
        last = [l for l in body if re.search('[A-Za-z0-9]', l)][-1]
        plain = re.sub(r'[*`"“”‘’\'_]', '', last).replace('-', ' ')
        plain = re.sub(r'\[([^]]*)\]\([^)]*\)', r'\1', plain)
        words = re.findall(r'[A-Za-z0-9]+', plain)[-3:]
        pattern = r'\W*'.join(map(re.escape, words))
        if not words or not re.search(pattern, flat):
            print('missing last words:', words, 'of', body[0][:60]); missing += 1
    print(f'{len(units)} answers, {missing} missing')
    return 1 if missing else 0

def margins(pdf, mm):
    """Renders every page in grey at 100 dpi and finds the ink's bounding
    box: the distance from each edge to the first pixel darker than
    white, in mm."""
    dpi = 100
    out = subprocess.run(['pdftoppm', '-r', str(dpi), '-gray', pdf], capture_output=True, check=True).stdout
    worst, pages_seen, pos = None, 0, 0
    while pos < len(out):
        m = re.match(rb'P5\s+(\d+)\s+(\d+)\s+(\d+)\s', out[pos:])
        if not m:
            break
        w, h = int(m.group(1)), int(m.group(2))
        data = out[pos + m.end():pos + m.end() + w * h]
        pos += m.end() + w * h
        pages_seen += 1
        rows = [y for y in range(h) if min(data[y * w:(y + 1) * w]) < 250]
        cols = [x for x in range(w) if min(data[x::w]) < 250]
        if not rows:
            continue
        edges = [cols[0], w - 1 - cols[-1], rows[0], h - 1 - rows[-1]]
        least = min(edges) * 25.4 / dpi
        if worst is None or least < worst[0]:
            worst = (least, pages_seen, edges)
    if worst is None:
        print('no ink on any page'); return 1
    print(f'{pages_seen} pages, nearest ink {worst[0]:.1f} mm from an edge (page {worst[1]})')
    return 0 if worst[0] >= float(mm) else 1

RTL = re.compile('[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]')

def lines_of(pdf):
    """Every printed line, top to bottom: (page, half, middle, its items
    from left to right); an item is (xMin, xMax, text), a line the items
    of one card (one half of the sheet) whose vertical middles are within
    4 pt of the first one's."""
    import unicodedata
    n = int(re.search(r'Pages:\s+(\d+)', subprocess.run(['pdfinfo', pdf], capture_output=True, text=True,
                                                         check=True).stdout).group(1))
    out = []
    for page in range(1, n + 1):
        w, h, words = words_bbox(pdf, page)
        rows = {}
        for x0, y0, x1, y1, s in sorted(words, key=lambda v: (v[1] + v[3]) / 2):
            half, mid = int((x0 + x1) / 2 > w / 2), (y0 + y1) / 2
            for (hf, m), items in rows.items():
                if hf == half and abs(m - mid) <= 4:
                    items.append((x0, x1, unicodedata.normalize('NFKC', s)))
                    break
            else:
                rows[(half, mid)] = [(x0, x1, unicodedata.normalize('NFKC', s))]
        out += [(page, half, mid, sorted(items)) for (half, mid), items in rows.items()]
    return out

def rtl(pdf, direction, phrases):
    lines = lines_of(pdf)
    bad = []
    for phrase in phrases:
        start = phrase.startswith('^')
        want = re.sub(r'\s+', '', phrase.lstrip('^'))
        # the right-to-left letters of a line, read from the right
        found = [l for l in lines if want in ''.join(s for x0, x1, s in reversed(l[3]) if RTL.search(s))]
        if not found:
            bad.append(f'{phrase}: not on any line read from the right')
            continue
        page, half, mid, items = found[0]
        read = ''.join(s for x0, x1, s in reversed(items) if RTL.search(s))
        if start and not (RTL.search(items[-1][2]) and read.startswith(want)):
            bad.append(f'{phrase}: page {page}: does not start its line at the right ({items[-1][2]!r} does)')
        below = [l for l in lines if l[0] == page and l[1] == half and l[2] > mid]
        if not below:
            bad.append(f'{phrase}: page {page}: no line below it')
            continue
        nxt = min(below, key=lambda l: l[2])[3]
        if direction == 'rtl' and abs(items[-1][1] - nxt[-1][1]) > 1:
            bad.append(f'{phrase}: page {page}: its line ends at {items[-1][1]:.1f} pt, the next at {nxt[-1][1]:.1f}')
        if direction == 'ltr' and abs(items[0][0] - nxt[0][0]) > 1:
            bad.append(f'{phrase}: page {page}: its line starts at {items[0][0]:.1f} pt, the next at {nxt[0][0]:.1f}')
    print('; '.join(bad) if bad else f'all {len(phrases)} phrases')
    return 1 if bad else 0

def lang(pdf):
    """The catalog's /Lang: pdfTeX and LuaTeX put it in an object stream,
    so every stream is inflated and searched."""
    data = open(pdf, 'rb').read()
    for m in re.finditer(rb'stream\r?\n', data):
        start = m.end()
        end = data.find(b'endstream', start)
        try:
            text = zlib.decompress(data[start:end])
        except zlib.error:
            text = data[start:end]
        found = re.search(rb'/Lang\s*\(([^)]*)\)', text)
        if found:
            print(found.group(1).decode()); return 0
    found = re.search(rb'/Lang\s*\(([^)]*)\)', data)
    print(found.group(1).decode() if found else '')
    return 0 if found else 1

if __name__ == '__main__':
    if cmd_is := (sys.argv[1] if len(sys.argv) > 1 else ''):
        if cmd_is == 'margins':
            sys.exit(margins(sys.argv[2], sys.argv[3]))
        if cmd_is == 'lang':
            sys.exit(lang(sys.argv[2]))
        if cmd_is == 'rtl':
            sys.exit(rtl(sys.argv[2], sys.argv[3], sys.argv[4:]))
    cmd = sys.argv[1]
    if cmd == 'labels':
        labels(sys.argv[2]); sys.exit(0)
    if cmd == 'mirror':
        sys.exit(mirror(sys.argv[2], sys.argv[3], sys.argv[4]))
    if cmd == 'lastwords':
        sys.exit(lastwords(sys.argv[2], sys.argv[3]))
    sys.exit(2)
