#!/usr/bin/env python3
"""fidelity.py: the same words in every output. For one built library
(depthbook build -o OUT DIR), every unit (main question or follow-up) of
every guide in DIR: its question and its answer are read from the site
page, the EPUB chapter, the cards PDF (pdftotext -bbox) and the Anki
export, normalised, and compared with the text of the guide's Markdown.

Usage:
  fidelity.py [--only site,epub,cards,anki] OUT GUIDE.md…
                                       one line per guide and output:
                                       "GUIDE OUTPUT matched/units", then
                                       each mismatch; exit 1 on any
  fidelity.py --drop-word OUT GUIDE.md  the same after dropping one word from
                                       one unit of each output's text: every
                                       output must then fail (exit 0 if so)

Normalising (the same on both sides): Unicode NFKC (ligatures, full-width
forms), typographic quotes, dashes and hyphens dropped (a line-end hyphen
and the break inside a long token then read the same), white space
dropped. Math spans, images and list markers of the source match any
text (each output writes them its own way: Unicode, TeX, alt text, "1.").
What an output adds on purpose is taken off first: the cards' "(Q1 ›
Depth 2)" after a link to a card, the EPUB's "in “Guide”, Q1 › Depth 1"."""
import csv, html, html.parser, io, re, subprocess, sys, unicodedata, zipfile, os

# ---------------------------------------------------------------- source

HEAD = re.compile(r'^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$')
DEPTH = re.compile(r'^Depth[ \t]+(\d+)(?:(?::|[ \t]+[—–])[ \t]*.*)?$')  # or 'Depth N: title'
QUESTION = re.compile(r'^Q(\d+):[ \t]*(.*)$')
EXPLICIT = re.compile(r'[ \t]*\{#([A-Za-z][A-Za-z0-9_-]*)\}$')   # pandoc's heading id (README)


class Units(list):
    """[(id, question, answer)], and .ids: a unit's explicit id by its
    positional one, for the units whose heading gives one."""
    ids = None
ANY = '\x00'          # in a source pattern: any text, as little as possible
OPT_MARK = '\x01'     # an optional list marker or task box


def inline_text(s):
    """Markdown inline syntax to plain text, with ANY for math and images."""
    out = []
    i = 0
    while i < len(s):
        c = s[i]
        if c == '\\' and i + 1 < len(s) and s[i + 1] in '\\`*_{}[]()#+-.!$|<>~"\'&:;=?@^':
            out.append(s[i + 1]); i += 2; continue
        if c == '`':
            n = len(s[i:]) - len(s[i:].lstrip('`'))
            end = s.find('`' * n, i + n)
            if end > 0:
                out.append(s[i + n:end].strip() if s[i + n:end].strip() else s[i + n:end]); i = end + n; continue
            out.append(s[i:i + n]); i += n; continue
        if c == '$':
            # pandoc's rule (README): a non-space after the opening $, a
            # non-space before the closing one, no digit after it
            m = re.match(r'\$(?=\S)((?:\\.|[^$\\])*?\S)\$(?!\d)', s[i:])
            # (a digit-led span holds no space, unless TeX markup comes before it)
            if m and not (m.group(1)[0].isdigit() and ' ' in m.group(1)
                          and not re.search(r'[\^_\\]', m.group(1).split(' ')[0])):
                out.append(ANY); i += m.end(); continue
        if c == '!' and s[i + 1:i + 2] == '[':
            m = re.match(r'!\[([^\]]*)\]\(([^)]*)\)', s[i:])
            if m:
                out.append(ANY); i += m.end(); continue
        if c == '[':
            m = re.match(r'\[((?:[^\[\]]|\[[^\]]*\])*)\]\(([^)]*)\)', s[i:])
            if m:
                out.append(inline_text(m.group(1))); i += m.end(); continue
        if c == '<':
            m = re.match(r'<((?:https?|mailto|ftp):[^>\s]*)>', s[i:])
            if m:
                out.append(m.group(1)); i += m.end(); continue
            m = re.match(r'</?[A-Za-z][^>]*>', s[i:])
            if m:
                out.append(ANY); i += m.end(); continue
        if c == '&':
            m = re.match(r'&(#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);', s[i:])
            if m:
                out.append(html.unescape(m.group(0))); i += m.end(); continue
        if c in '*_':
            # a delimiter run that can open or close emphasis goes; one
            # with white space on both sides is literal (CommonMark 6.2),
            # as is an intraword underscore
            n = len(s[i:]) - len(s[i:].lstrip(c))
            prev = s[i - 1] if i > 0 else ' '
            nxt = s[i + n] if i + n < len(s) else ' '
            if (prev.isspace() and nxt.isspace()) or (c == '_' and prev.isalnum() and nxt.isalnum()):
                out.append(s[i:i + n]); i += n; continue
            i += n; continue
        if c == '~' and s[i + 1:i + 2] == '~':
            i += 2; continue
        out.append(c); i += 1
    return ''.join(out)


def table_rows(lines):
    rows = []
    for l in lines:
        l = l.strip()
        if l.startswith('|'):
            l = l[1:]
        if l.endswith('|') and not l.endswith('\\|'):
            l = l[:-1]
        cells = [c.strip().replace('\\|', '|') for c in re.split(r'(?<!\\)\|', l)]
        rows.append(cells)
    return [r for k, r in enumerate(rows) if k != 1]


def blocks_text(lines, stacked):
    """The plain text of a unit's Markdown blocks. stacked: how the cards
    set a table wider than 4 columns (header: cell for every cell)."""
    out = []
    i = 0
    while i < len(lines):
        l = lines[i]
        m = re.match(r'^\s*(```+|~~~+)', l)
        if m:
            fence = m.group(1)
            j = i + 1
            while j < len(lines) and not lines[j].strip().startswith(fence):
                out.append(lines[j]); j += 1
            i = j + 1; continue
        if re.match(r'^\s*\|', l) and i + 1 < len(lines) and re.match(r'^\s*\|?\s*:?-+', lines[i + 1]):
            j = i
            while j < len(lines) and '|' in lines[j] and lines[j].strip():
                j += 1
            rows = table_rows(lines[i:j])
            if stacked and len(rows[0]) > 4:
                for r in rows[1:]:
                    for h, c in zip(rows[0], r):
                        out.append(inline_text(h) + (':' if h else '') + inline_text(c))
            else:
                for r in rows:
                    out.extend(inline_text(c) for c in r)
            i = j; continue
        if re.match(r'^\s*([-*_])(\s*\1){2,}\s*$', l):
            i += 1; continue
        l = re.sub(r'^\s*(>\s*)+', '', l)
        hm = HEAD.match(l)
        if hm:
            l = hm.group(2)
        lm = re.match(r'^\s*([-*+]|\d+[.)])\s+(\[[ xX]\]\s+)?', l)
        if lm:
            l = OPT_MARK + l[lm.end():]
        out.append(inline_text(l))
        i += 1
    return '\n'.join(out)


def source_units(path, stacked=False):
    """[(id, question, answer)] of the guide, in guide order; the epilogue
    (after the last unit's first thematic break) belongs to none."""
    text = open(path, encoding='utf-8').read()
    lines = text.split('\n')
    if lines and lines[0].strip() == '---':
        end = next((k for k in range(1, len(lines)) if lines[k].strip() in ('---', '...')), 0)
        lines = [''] * (end + 1) + lines[end + 1:]
    units, cur, q = [], None, 0
    fence = None
    ids = {}
    for l in lines:
        fm = re.match(r'^\s*(```+|~~~+)', l)
        if fm:
            fence = None if fence and fm.group(1).startswith(fence) else (fence or fm.group(1)[:3])
        h = HEAD.match(l) if fence is None else None
        explicit = None
        if h and len(h.group(1)) >= 3 and EXPLICIT.search(h.group(2)):
            explicit = EXPLICIT.search(h.group(2)).group(1)
            l = l[:h.start(2)] + EXPLICIT.sub('', h.group(2))
            h = HEAD.match(l)
        if h and len(h.group(1)) <= 2:
            cur = None
            continue
        if h and len(h.group(1)) == 3 and QUESTION.match(h.group(2)):
            m = QUESTION.match(h.group(2))
            q = int(m.group(1))
            cur = ['q%d' % q, inline_text(m.group(2)), []]
            units.append(cur)
            if explicit:
                ids[cur[0]] = explicit
            continue
        if h and len(h.group(1)) >= 4 and DEPTH.match(h.group(2)) and q:
            cur = ['q%d-d%s' % (q, DEPTH.match(h.group(2)).group(1)), None, []]
            units.append(cur)
            if explicit:
                ids[cur[0]] = explicit
            continue
        if cur is not None:
            cur[2].append(l)
    result = Units()
    result.ids = ids
    for k, (uid, question, body) in enumerate(units):
        if k == len(units) - 1:
            # the epilogue: from the first thematic break after a block
            for n, l in enumerate(body):
                if n > 0 and re.match(r'^\s*([-*_])(\s*\1){2,}\s*$', l) and any(x.strip() for x in body[:n]) \
                        and any(x.strip() for x in body[n + 1:]):
                    body = body[:n]; break
        joined = '\n'.join(body)
        if question is None:
            m = re.search(r'\*\*Q:\*\*(.*?)(?=\*\*A:\*\*)', joined, re.S)
            question = inline_text(m.group(1).strip()) if m else ''
            joined = joined[m.end():] if m else joined
            joined = re.sub(r'^\s*\*\*A:\*\*', '', joined)
        else:
            joined = re.sub(r'^\s*\*\*Answer:\*\*', '', joined.lstrip('\n'))
        result.append((uid, question, blocks_text(joined.split('\n'), stacked)))
    return result


def source_epilogue(path):
    text = open(path, encoding='utf-8').read().split('\n')
    last = max((k for k, l in enumerate(text) if HEAD.match(l) and len(HEAD.match(l).group(1)) >= 3), default=-1)
    for k in range(last + 1, len(text)):
        if re.match(r'^\s*([-*_])(\s*\1){2,}\s*$', text[k]):
            return blocks_text(text[k + 1:], False)
    return ''

# ------------------------------------------------------------- normalise

DROP = dict.fromkeys(map(ord, '\'"‘’‚‛“”„‟′″`´«»‹›-‐‑‒–—―−\u00ad\u200b\u200c\u200d\u2060\ufeff'), None)
BOXES = re.compile('[☐☑⊠□✓✔☒]')


def norm(s):
    s = unicodedata.normalize('NFKC', s)
    s = BOXES.sub('', s).translate(DROP)
    return re.sub(r'\s+', '', s)


def pattern(src):
    """A regex from source text: literal runs, ANY as any text, list marks
    as an optional marker."""
    parts = []
    for piece in re.split('([\x00\x01])', src):
        if piece == ANY:
            parts.append('.*?')
        elif piece == OPT_MARK:
            parts.append(r'(?:\d{1,3}[.)]|[•◦▪·*+])?')
        else:
            parts.append(re.escape(norm(piece)))
    return re.compile(''.join(parts), re.S)


def same(src, got):
    return pattern(src).fullmatch(norm(got)) is not None


def same_letters(src, got):
    """For a unit with a table on a card: the same characters, in any
    order (a wrapped cell's lines interleave with its neighbours' in the
    PDF's reading order); only when the source has no ANY part."""
    if ANY in src:
        return False
    return sorted(norm(src.replace(OPT_MARK, ''))) == sorted(norm(got))


# Colour emoji are bitmaps on a card (Noto Color Emoji), so the PDF holds
# no text for them: the cards' comparison leaves them out, and counts them.
EMOJI = re.compile('[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u200D]')

# ---------------------------------------------------------------- outputs


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.kids = tag, dict(attrs), parent, []

    def cls(self):
        return (self.attrs.get('class') or '').split()

    def walk(self):
        yield self
        for k in self.kids:
            if isinstance(k, Node):
                yield from k.walk()

    def find(self, pred):
        return next((n for n in self.walk() if pred(n)), None)

    def text(self, skip=lambda n: False):
        out = []
        for k in self.kids:
            if isinstance(k, Node):
                if not skip(k) and k.tag not in ('script', 'style'):
                    out.append(k.text(skip))
            else:
                out.append(k)
        return ''.join(out)


VOID = {'br', 'hr', 'img', 'input', 'meta', 'link', 'col', 'area', 'base', 'source', 'wbr'}


class Tree(html.parser.HTMLParser):
    def __init__(self, data):
        super().__init__(convert_charrefs=True)
        self.root = Node('#root', [], None)
        self.cur = self.root
        self.feed(data)

    def handle_starttag(self, tag, attrs):
        n = Node(tag, attrs, self.cur)
        self.cur.kids.append(n)
        if tag not in VOID:
            self.cur = n

    def handle_startendtag(self, tag, attrs):
        self.cur.kids.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is not None and n.parent is not None:
            self.cur = n.parent

    def handle_data(self, d):
        self.cur.kids.append(d)


def inside(n, pred):
    while n is not None:
        if pred(n):
            return True
        n = n.parent
    return False


def site_units(out, slug, units):
    got = {}
    pages = {}
    for uid, _, _ in units:
        qn = uid.split('-')[0]
        if qn not in pages:
            p = os.path.join(out, 'site', slug, qn + '.html')
            pages[qn] = Tree(open(p, encoding='utf-8').read()).root if os.path.exists(p) else None
        root = pages[qn]
        if root is None:
            continue
        skip = lambda n: bool({'label', 'task', 'js-only', 'grade', 'ref'} & set(n.cls())) or n.tag in ('summary', 'button')
        if '-d' not in uid:
            art = root.find(lambda n: n.attrs.get('id') == units.ids.get(qn, qn))
            if art is None:
                continue
            h1 = art.find(lambda n: n.tag == 'h1')
            body = art.find(lambda n: 'answer-body' in n.cls() and not inside(n, lambda m: 'depth' in m.cls()))
            got[uid] = (h1.text(skip) if h1 else '', body.text(skip) if body else '')
        else:
            sec = root.find(lambda n: n.attrs.get('id') == units.ids.get(uid, 'd' + uid.split('-d')[1]))
            if sec is None:
                continue
            q = sec.find(lambda n: 'q' in n.cls())
            body = sec.find(lambda n: 'answer-body' in n.cls())
            got[uid] = (q.text(skip) if q else '', body.text(skip) if body else '')
    return got


def epub_units(out, slug, units):
    got = {}
    path = os.path.join(out, 'epub', slug + '.epub')
    if not os.path.exists(path):
        return got
    z = zipfile.ZipFile(path)
    names = set(z.namelist())
    skip = lambda n: ('label' in n.cls() or 'qnum' in n.cls() or 'dnum' in n.cls() or 'task' in n.cls()
                      or 'back' in n.cls())
    chapters = {}
    for uid, _, _ in units:
        qn = uid.split('-')[0]
        if qn not in chapters:
            name = 'EPUB/%s.xhtml' % units.ids.get(qn, qn)
            chapters[qn] = Tree(z.read(name).decode('utf-8')).root if name in names else None
        root = chapters[qn]
        if root is None:
            continue
        unit = root.find(lambda n: n.attrs.get('id') == units.ids.get(uid, uid))
        if unit is None:
            continue
        if '-d' not in uid:
            sect = unit.parent
            body = sect.find(lambda n: 'answer' in n.cls() and not inside(n, lambda m: 'depth' in m.cls()))
            got[uid] = (unit.text(skip), body.text(skip) if body else '')
        else:
            # the follow-up's heading carries its question ("Depth N ·" skipped)
            q = unit.find(lambda n: n.tag == 'h2' or 'q' in n.cls())
            body = unit.find(lambda n: 'a' in n.cls())
            qt = re.sub(r'^\s*Q:\s*', '', q.text(skip)) if q else ''
            got[uid] = (qt, body.text(skip) if body else '')
    # a link to another guide reads where it points: "(in “Guide”, Q1 › Depth 1)"
    ref = re.compile(r'\s*\(in “[^”]*”, (?:Q\d+(?: › Depth \d+)?|section \d+)\)')
    return {u: (ref.sub('', q), ref.sub('', a)) for u, (q, a) in got.items()}


def anki_units(out, slug, units):
    got = {}
    path = os.path.join(out, 'anki', slug + '.txt')
    if not os.path.exists(path):
        return got
    data = open(path, encoding='utf-8').read()
    body = '\n'.join(l for l in data.split('\n') if not l.startswith('#'))
    rows = [r for r in csv.reader(io.StringIO(body), delimiter='\t', quotechar='"') if r]
    # a link to another card reads where it points, in a span of its own
    skip = lambda n: bool({'label', 'task', 'ref'} & set(n.cls()))
    for r in rows:
        if len(r) < 4:
            continue
        tags = r[3].split()
        qn = next((t for t in tags if re.fullmatch(r'q\d+', t)), None)
        dn = next((t[6:] for t in tags if re.fullmatch(r'depth-\d+', t)), None)
        if qn is None:
            continue
        uid = qn + ('-d' + dn if dn else '')
        got[uid] = (Tree(r[1]).root.text(skip), Tree(r[2]).root.text(skip))
    return got


LABEL = re.compile(r'^Q(\d+)(?: · Depth (\d+))?(?: \((?:continued, )?(\d+)/(\d+)\))?$')


def cards_units(out, slug, units, sections):
    got = {}
    pdf = os.path.join(out, 'cards', slug + '-cards.pdf')
    if not os.path.exists(pdf):
        return got
    xml = subprocess.run(['pdftotext', '-bbox', pdf, '-'], capture_output=True, text=True, check=True).stdout
    fronts, backs = {}, {}
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', xml, re.S)
    for k, (w, h, body) in enumerate(pages):
        w, h = float(w), float(h)
        words = [(float(a), float(b), float(d), html.unescape(t)) for a, b, c, d, t in
                 re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', body)]
        # the 2 x 2 grid of 97 x 131 mm cards, centred on the sheet
        cw, ch = 97 / 25.4 * 72, 131 / 25.4 * 72
        left, top = (w - 2 * cw) / 2, (h - 2 * ch) / 2
        cells = {}
        for x, y, y1, t in words:
            c = (int((x - left) // cw), int((y - top) // ch))
            cells.setdefault(c, []).append((x, y, y1, t))
        for c, placed in cells.items():
            ws = reading_order(placed)
            m = None
            for n in range(min(len(ws), 7), 0, -1):
                m = LABEL.match(' '.join(ws[:n]))
                if m:
                    rest = ' '.join(ws[n:]); break
            if m is None:
                continue
            uid = 'q%s' % m.group(1) + ('-d%s' % m.group(2) if m.group(2) else '')
            part = int(m.group(3) or 1)
            (fronts if k % 2 == 0 else backs).setdefault(uid, {})[part] = rest
    for uid, _, _ in units:
        if uid not in fronts and uid not in backs:
            continue
        front = fronts.get(uid, {}).get(1, '')
        sec = sections.get(uid, '')
        # the front: the section line, then the question
        nf, ns = norm(front), norm(sec)
        question = front
        if ns and nf.startswith(ns):
            # drop as many words as make up the section title
            acc, ws = '', front.split(' ')
            for n, wd in enumerate(ws):
                if norm(acc) == ns:
                    question = ' '.join(ws[n:]); break
                acc += wd
            else:
                question = ''
        answer = ' '.join(v for _, v in sorted(backs.get(uid, {}).items()))
        # a link to another card prints where it points: "(Q1 › Depth 2)"
        answer = re.sub(r'\s*\((?:[^()]*, )?(?:Q\d+(?: › Depth \d+)?|Section \d+)\)', '', answer)
        got[uid] = (question, answer)
    return got


def reading_order(placed):
    """Words of one card in reading order: lines top to bottom (a word
    joins a line its height mostly overlaps), each line left to right;
    pdftotext's own order reads a table column by column."""
    lines = []
    for x, y, y1, t in sorted(placed, key=lambda w: (w[1] + w[2]) / 2):
        if lines:
            ly, ly1, ws = lines[-1]
            overlap = min(ly1, y1) - max(ly, y)
            if overlap >= 0.5 * min(ly1 - ly, y1 - y):
                lines[-1] = (min(ly, y), max(ly1, y1), ws + [(x, t)])
                continue
        lines.append((y, y1, [(x, t)]))
    return [t for _, _, ws in lines for _, t in sorted(ws)]


def section_of(path):
    """Each unit's section title, as the cards print it on the front."""
    out, sec, q = {}, '', 0
    for l in open(path, encoding='utf-8').read().split('\n'):
        h = HEAD.match(l)
        if not h:
            continue
        if len(h.group(1)) == 2:
            m = re.match(r'^\d+\.\s+(.*)$', h.group(2))
            sec = inline_text(m.group(1)) if m else ''
        elif len(h.group(1)) == 3 and QUESTION.match(h.group(2)):
            q = int(QUESTION.match(h.group(2)).group(1))
            out['q%d' % q] = sec
        elif len(h.group(1)) >= 4 and DEPTH.match(h.group(2)) and q:
            out['q%d-d%s' % (q, DEPTH.match(h.group(2)).group(1))] = sec
    return out


def drop_word(got):
    """got with one word removed from the answer of its longest unit."""
    if not got:
        return got
    uid = max(got, key=lambda u: len(got[u][1]))
    q, a = got[uid]
    words = a.split()
    if len(words) < 3:
        return got
    words.pop(len(words) // 2)
    got = dict(got)
    got[uid] = (q, ' '.join(words))
    return got


def main(argv):
    drop = argv[:1] == ['--drop-word']
    if drop:
        argv = argv[1:]
    only = None
    if argv[:1] == ['--only']:
        only, argv = argv[1].split(','), argv[2:]
    out, guides = argv[0], argv[1:]
    bad = 0
    for path in guides:
        slug = os.path.basename(path)[:-3]
        plain = source_units(path)
        stacked = source_units(path, stacked=True)
        sections = section_of(path)
        epilogue = norm(source_epilogue(path))
        readers = {
            'site': lambda: site_units(out, slug, plain),
            'epub': lambda: epub_units(out, slug, plain),
            'cards': lambda: cards_units(out, slug, plain, sections),
            'anki': lambda: anki_units(out, slug, plain),
        }
        for name, read in readers.items():
            if only is not None and name not in only:
                continue
            got = read()
            if drop:
                got = drop_word(got)
            src = stacked if name == 'cards' else plain
            ok, problems = 0, []
            emoji = 0
            for uid, question, answer in src:
                if name == 'cards' and uid in got:
                    # an emoji the PDF has no text for was drawn as a bitmap
                    seen = ''.join(got[uid])
                    gone = lambda m: '' if m.group(0) not in seen else m.group(0)
                    emoji += sum(1 for c in EMOJI.findall(question + answer) if c not in seen)
                    question, answer = EMOJI.sub(gone, question), EMOJI.sub(gone, answer)
                if uid not in got:
                    problems.append('%s: not found' % uid); continue
                gq, ga = got[uid]
                if not same(question, gq):
                    problems.append('%s question: [%s] vs [%s]' % (uid, norm(question)[:80], norm(gq)[:80])); continue
                table = name == 'cards' and re.search(r'^\s*\|.*\|', open(path, encoding='utf-8').read(), re.M)
                if not same(answer, ga) and not (table and same_letters(answer, ga)):
                    a, b = norm(answer.replace(ANY, '').replace(OPT_MARK, '')), norm(ga)
                    k = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]), min(len(a), len(b)))
                    problems.append('%s answer differs at %d: [%s] vs [%s]' % (uid, k, a[max(0, k - 30):k + 40],
                                                                               b[max(0, k - 30):k + 40]))
                    continue
                if epilogue and len(epilogue) > 20 and epilogue in norm(ga):
                    problems.append('%s: holds the epilogue' % uid); continue
                ok += 1
            print('%s %s %d/%d%s' % (slug, name, ok, len(src), ' (%d emoji as images)' % emoji if emoji else ''))
            for p in problems[:5]:
                print('  ' + p)
            if ok != len(src):
                bad += 1
            elif drop:
                print('  (a dropped word went unseen)')
    if drop:
        return 0 if bad == len(guides) * (len(only) if only else 4) else 1
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
