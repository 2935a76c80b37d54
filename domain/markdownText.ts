/**
 * What people typed, placed inside a generated Markdown document (the decision paper,
 * the annual report) as text only: it cannot open a heading, a list, a quote, a table,
 * a code block, a link, an image or emphasis, so a summary cannot forge a heading such
 * as "## Rådets beslutning: GODKENDT" in the paper the council reads. CommonMark's own
 * backslash escapes do it, so any Markdown reader shows the characters as typed.
 */

// Anywhere on a line: emphasis, code, links and images, autolinks and HTML, tables, strikethrough.
const inlineMarks = /[\\`*_[\]<>|~]/g;

/** One line of text: the marks escaped, and nothing at its start that opens a block. */
function escapeLine(line: string): string {
  return (
    line
      // Indentation would make a code block or a nested list.
      .trimStart()
      .replace(inlineMarks, '\\$&')
      // A heading, a quote, a list item, a thematic break, or a setext heading's underline.
      .replace(/^[#>+=-]/, '\\$&')
      // An ordered list item: "1." or "1)".
      .replace(/^(\d{1,9})([.)])/, '$1\\$2')
  );
}

/** Text within a line (a title in a heading, a criterion in a list): line breaks become spaces. */
export function markdownInline(text: string): string {
  return escapeLine(text.replace(/\s*[\r\n]+\s*/g, ' ').trim());
}

/** Text of its own (a summary, a rationale): its lines and paragraphs kept, each line plain text. */
export function markdownBlock(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map(escapeLine)
    .join('\n')
    .trim();
}
