import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** A PDF's text page by page and its title, as pdf.js reads them (see pdfText.mjs). */
export async function pdfText(file: string): Promise<{ pages: string[]; title: string }> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(__dirname, 'pdfText.mjs'), file]);
  const { pages, info } = JSON.parse(stdout) as { pages: string[]; info: { Title?: string } };
  return { pages, title: info.Title ?? '' };
}
