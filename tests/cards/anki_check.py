#!/usr/bin/env python3
"""anki_check.py FILE N: parses an Anki text-import file the way Anki does
(header lines "#key:value", then tab-separated CSV rows with "..." quoting)
and checks the headers, N notes of 5 fields (GUID, Front, Back, Tags, Deck),
unique GUIDs (16 hex digits: the identity keys), HTML fields, tags without
spaces and one deck named in the deck column ("#deck column" creates the
deck; "#deck:" only picks an existing one). Prints "ok", or what is wrong;
exit 1 then. On success writes "GUID<TAB>Front" per note to stderr."""
import csv, io, re, sys

path, want = sys.argv[1], int(sys.argv[2])
text = open(path, encoding='utf-8').read()
lines = text.split('\n')
headers = {}
body_start = 0
for i, line in enumerate(lines):
    if not line.startswith('#'):
        body_start = i
        break
    key, _, value = line[1:].partition(':')
    headers[key] = value
problems = []
for key, value in [('separator', 'tab'), ('html', 'true'), ('notetype', 'Basic'),
                   ('guid column', '1'), ('tags column', '4'), ('deck column', '5'),
                   ('columns', 'GUID\tFront\tBack\tTags\tDeck')]:
    if headers.get(key) != value:
        problems.append(f'header #{key}: {headers.get(key)!r}')
if 'deck' in headers:
    problems.append('#deck: (picks an existing deck only)')
rows = list(csv.reader(io.StringIO('\n'.join(lines[body_start:])), delimiter='\t', quotechar='"'))
rows = [r for r in rows if r]
if len(rows) != want:
    problems.append(f'{len(rows)} notes, expected {want}')
for r in rows:
    if len(r) != 5:
        problems.append(f'{len(r)} fields in {r[:1]}')
        continue
    guid, front, back, tags, deck = r
    if not re.fullmatch(r'[0-9a-f]{16}', guid):
        problems.append(f'guid {guid!r}')
    if 'class="label">Q' not in front or not back.strip().startswith('<'):
        problems.append(f'fields of {guid}: {front[:60]!r} {back[:60]!r}')
    if not re.fullmatch(r'[^\s]+( [^\s]+)*', tags) or not re.search(r'\bq\d+\b', tags):
        problems.append(f'tags {tags!r}')
if len({r[4] for r in rows if len(r) == 5}) != 1 or any(not r[4] or '\n' in r[4] for r in rows if len(r) == 5):
    problems.append('deck column: not one deck name on one line')
if len({r[0] for r in rows}) != len(rows):
    problems.append('duplicate GUIDs')
if problems:
    print('; '.join(problems[:5]))
    sys.exit(1)
print('ok')
for r in rows:
    sys.stderr.write(r[0] + '\t' + re.sub(r'<div class="label">.*?</div>', '', r[1]) + '\n')
