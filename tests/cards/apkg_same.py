#!/usr/bin/env python3
"""apkg_same.py DECK.txt DECK.apkg: the package's notes say what the text
export says: per GUID, the Answer field is the text's Back, and the
Question field ends the text's Front (after the label). Prints "ok" or the
first differences."""
import csv, io, sqlite3, sys, tempfile, zipfile

txt, apkg = sys.argv[1], sys.argv[2]
body = '\n'.join(l for l in open(txt, encoding='utf-8').read().split('\n') if not l.startswith('#'))
rows = {r[0]: r for r in csv.reader(io.StringIO(body), delimiter='\t', quotechar='"') if r}
with tempfile.NamedTemporaryFile(suffix='.anki2') as tmp:
    tmp.write(zipfile.ZipFile(apkg).read('collection.anki2'))
    tmp.flush()
    notes = sqlite3.connect(tmp.name).execute('select guid, flds from notes').fetchall()
problems = []
if set(rows) != {g for g, _ in notes}:
    problems.append('the GUIDs differ')
for guid, flds in notes:
    question, answer = flds.split('\x1f')[:2]
    r = rows.get(guid)
    if r is None:
        continue
    if r[2] != answer:
        problems.append(f'{guid}: the answers differ')
    if not r[1].endswith('</div>' + question):
        problems.append(f'{guid}: the questions differ')
print('; '.join(problems[:4]) if problems else 'ok')
sys.exit(1 if problems else 0)
