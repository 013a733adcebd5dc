#!/usr/bin/env python3
"""apkg_check.py FILE NOTES DECKS: reads an Anki package back the way Anki's
importer does (a zip with collection.anki2, an SQLite database in schema 11,
and media) and checks it against the schema's rules: every table and column
Anki reads, one col row (ver 11) whose conf, models, decks and dconf are
JSON, the depthbook note type (fields, one template, sort field 0), NOTES
notes of 5 fields split by U+001F with unique GUIDs, sfld and csum as Anki
computes them (csum: the first 8 hex digits of the SHA-1 of the first field
stripped of HTML, as an int), one card per note with ordinal 0 in one of
DECKS decks (not counting parents and Default) that the decks JSON holds,
due in guide order, and every <img> in a field naming a media file that the
package holds. Prints "ok", or what is wrong (exit 1); on success writes
"GUID<TAB>question" per note to stderr."""
import hashlib, html, io, json, re, sqlite3, sys, tempfile, zipfile

path, want_notes, want_decks = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
problems = []

# The columns of schema 11, in order, as Anki's schema11.sql creates them.
SCHEMA = {
    'col': ['id', 'crt', 'mod', 'scm', 'ver', 'dty', 'usn', 'ls', 'conf', 'models', 'decks', 'dconf', 'tags'],
    'notes': ['id', 'guid', 'mid', 'mod', 'usn', 'tags', 'flds', 'sfld', 'csum', 'flags', 'data'],
    'cards': ['id', 'nid', 'did', 'ord', 'mod', 'usn', 'type', 'queue', 'due', 'ivl', 'factor', 'reps',
              'lapses', 'left', 'odue', 'odid', 'flags', 'data'],
    'revlog': ['id', 'cid', 'usn', 'ease', 'ivl', 'lastIvl', 'factor', 'time', 'type'],
    'graves': ['usn', 'oid', 'type'],
}
INDEXES = {'ix_notes_usn', 'ix_cards_usn', 'ix_revlog_usn', 'ix_cards_nid', 'ix_cards_sched',
           'ix_revlog_cid', 'ix_notes_csum'}


def strip_html_media(text):
    """Anki's stripHTMLMedia: an image becomes its file name between
    spaces, then comments, style, script and tags go, entities decode."""
    text = re.sub(r'(?i)<img[^>]+src=["\']?([^"\'>]+)["\']?[^>]*>', r' \1 ', text)
    text = re.sub(r'(?s)<!--.*?-->', '', text)
    text = re.sub(r'(?si)<style.*?>.*?</style>', '', text)
    text = re.sub(r'(?si)<script.*?>.*?</script>', '', text)
    text = re.sub(r'(?s)<.*?>', '', text)
    return html.unescape(text.replace('&nbsp;', ' '))


try:
    z = zipfile.ZipFile(path)
except Exception as e:
    print(f'not a zip: {e}')
    sys.exit(1)
names = z.namelist()
if names[:2] != ['collection.anki2', 'media']:
    problems.append(f'entries {names[:3]}: expected collection.anki2, media first')
if z.testzip() is not None:
    problems.append('a zip entry fails its CRC')
try:
    media = json.loads(z.read('media'))
except Exception as e:
    media = {}
    problems.append(f'media is not JSON: {e}')
for num, name in media.items():
    if num not in names:
        problems.append(f'media entry {num} ({name}) missing')
if len(set(media.values())) != len(media):
    problems.append('a media name twice')
extra = [n for n in names[2:] if n not in media]
if extra:
    problems.append(f'entries beyond the media map: {extra[:3]}')

with tempfile.NamedTemporaryFile(suffix='.anki2') as tmp:
    tmp.write(z.read('collection.anki2'))
    tmp.flush()
    db = sqlite3.connect(tmp.name)
    if db.execute('pragma integrity_check').fetchone()[0] != 'ok':
        problems.append('integrity_check fails')
    for table, cols in SCHEMA.items():
        got = [r[1] for r in db.execute(f'pragma table_info({table})')]
        if got != cols:
            problems.append(f'table {table}: columns {got}')
        notnull = [r[1] for r in db.execute(f'pragma table_info({table})') if not r[3] and r[1] != 'id']
        if notnull:
            problems.append(f'table {table}: nullable {notnull}')
    idx = {r[0] for r in db.execute("select name from sqlite_master where type='index'")}
    if not INDEXES <= idx:
        problems.append(f'indexes missing: {INDEXES - idx}')
    cols = db.execute('select * from col').fetchall()
    if len(cols) != 1:
        problems.append(f'{len(cols)} col rows')
        print('; '.join(problems))
        sys.exit(1)
    col = dict(zip(SCHEMA['col'], cols[0]))
    if col['ver'] != 11:
        problems.append(f"col.ver {col['ver']}")
    js = {}
    for key in ('conf', 'models', 'decks', 'dconf', 'tags'):
        try:
            js[key] = json.loads(col[key])
        except Exception as e:
            problems.append(f'col.{key} is not JSON: {e}')
            js[key] = {}
    models = js['models']
    if len(models) != 1:
        problems.append(f'{len(models)} note types')
    mid, model = next(iter(models.items())) if models else ('0', {})
    if str(model.get('id')) != mid:
        problems.append(f'note type key {mid} and id {model.get("id")}')
    fields = [f.get('name') for f in model.get('flds', [])]
    if fields != ['Question', 'Answer', 'Label', 'Section', 'Link']:
        problems.append(f'note type fields {fields}')
    if [f.get('ord') for f in model.get('flds', [])] != list(range(len(fields))):
        problems.append('field ordinals')
    tmpls = model.get('tmpls', [])
    if len(tmpls) != 1 or tmpls[0].get('ord') != 0 or '{{Question}}' not in tmpls[0].get('qfmt', '') \
            or '{{Answer}}' not in tmpls[0].get('afmt', ''):
        problems.append('the template: one, ord 0, {{Question}} on the front, {{Answer}} on the back')
    if model.get('sortf') != 0 or model.get('type') != 0 or 'nightMode' not in model.get('css', ''):
        problems.append('note type: sortf 0, type 0, CSS with night mode')
    if model.get('req') != [[0, 'all', [0]]]:
        problems.append(f"req {model.get('req')}")
    decks = js['decks']
    for did, deck in decks.items():
        if str(deck.get('id')) != did or not isinstance(deck.get('name'), str):
            problems.append(f'deck {did}')
        if str(deck.get('conf')) not in js['dconf']:
            problems.append(f'deck {did}: options group {deck.get("conf")} missing')
        name = deck.get('name', '')
        if '::' in name and name.rsplit('::', 1)[0] not in {d.get('name') for d in decks.values()}:
            problems.append(f'deck {name}: parent missing')
    if '1' not in decks:
        problems.append('no Default deck')
    notes = db.execute('select id, guid, mid, mod, usn, tags, flds, sfld, csum, flags, data from notes').fetchall()
    if len(notes) != want_notes:
        problems.append(f'{len(notes)} notes, expected {want_notes}')
    nids = set()
    report = []
    for nid, guid, nmid, mod, usn, tags, flds, sfld, csum, flags, data in notes:
        nids.add(nid)
        f = flds.split('\x1f')
        if len(f) != len(fields):
            problems.append(f'{guid}: {len(f)} fields')
            continue
        if str(nmid) != mid:
            problems.append(f'{guid}: mid {nmid}')
        if not re.fullmatch(r'[0-9a-f]{16}', guid):
            problems.append(f'guid {guid!r}')
        first = strip_html_media(f[0])
        if str(sfld) != first:
            problems.append(f'{guid}: sfld {sfld!r}, Anki would store {first!r}')
        want = int(hashlib.sha1(first.encode('utf-8')).hexdigest()[:8], 16)
        if csum != want:
            problems.append(f'{guid}: csum {csum}, Anki computes {want}')
        if not re.fullmatch(r' (\S+ )+', tags):
            problems.append(f'{guid}: tags {tags!r}')
        if not f[0].strip() or not f[1].strip() or not re.fullmatch(r'Q\d+( · Depth \d+)?', f[2]):
            problems.append(f'{guid}: question, answer or label {f[2]!r}')
        for src in re.findall(r'<img[^>]+src="([^"]+)"', flds):
            if src not in media.values():
                problems.append(f'{guid}: image {src} not in the media')
        report.append(f'{guid}\t{first}')
    if len({n[1] for n in notes}) != len(notes):
        problems.append('duplicate GUIDs')
    cards = db.execute('select nid, did, ord, type, queue, due from cards order by due').fetchall()
    if len(cards) != len(notes) or {c[0] for c in cards} != nids:
        problems.append(f'{len(cards)} cards for {len(notes)} notes')
    if any(c[2] != 0 for c in cards):
        problems.append('a card ordinal other than 0')
    if any(c[3] != 0 or c[4] != 0 for c in cards):
        problems.append('a card that is not new')
    if [c[5] for c in cards] != list(range(1, len(cards) + 1)):
        problems.append('new-card positions are not 1…n')
    card_decks = {str(c[1]) for c in cards}
    if not card_decks <= set(decks):
        problems.append(f'cards in decks the collection lacks: {card_decks - set(decks)}')
    if len(card_decks) != want_decks:
        problems.append(f'cards in {len(card_decks)} decks, expected {want_decks}')
    for table in ('revlog', 'graves'):
        if db.execute(f'select count(*) from {table}').fetchone()[0] != 0:
            problems.append(f'{table} not empty')

if problems:
    print('; '.join(problems[:6]))
    sys.exit(1)
print('ok')
sys.stderr.write('\n'.join(report) + '\n')
