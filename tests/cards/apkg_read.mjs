// apkg_read.mjs FILE: reads an Anki package with anki-reader (npm), a reader
// written apart from depthbook on sql.js and zip.js, and prints one line per
// deck that holds cards, "NAME<TAB>CARDS<TAB>FIELDS", sorted by name (FIELDS:
// the most \x1f-separated fields a card's note has).
import { readFileSync } from 'node:fs';
import { readAnkiPackage } from 'anki-reader';

const bytes = readFileSync(process.argv[2]);
const { collection } = await readAnkiPackage(new Blob([bytes]));
const lines = [];
for (const deck of Object.values(collection.getDecks())) {
	const cards = Object.values(deck.getCards());
	if (cards.length === 0) continue;
	const fields = Math.max(...cards.map((c) => String(c.getRawCard().flds).split('\x1f').length));
	lines.push(`${deck.getName()}\t${cards.length}\t${fields}`);
}
lines.sort();
console.log(lines.join('\n'));
