// The text of a PDF, page by page, as JSON on stdout: read by pdf.js (Mozilla's PDF
// reader, the one Firefox shows PDFs with), so a test checks what a reader would see.
// A process of its own because pdf.js is an ES module, which jest's loader does not take.
// Usage: node pdfText.mjs <file.pdf>
import { readFile } from 'node:fs/promises';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const data = new Uint8Array(await readFile(process.argv[2]));
const pdf = await getDocument({ data, isEvalSupported: false, verbosity: 0 }).promise;
const pages = [];
for (let n = 1; n <= pdf.numPages; n++) {
  const { items } = await (await pdf.getPage(n)).getTextContent();
  pages.push(items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join(''));
}
process.stdout.write(JSON.stringify({ pages, info: (await pdf.getMetadata()).info }));
