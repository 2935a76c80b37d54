import { escapeHtml, trusted, type Html } from './html';

/**
 * The little Markdown the decision paper uses, as safe HTML: headings, paragraphs,
 * bullet lists (one level of nesting), **bold** and backslash escapes. Every piece of
 * text is escaped first, so nothing in a proposal can become markup; what people typed
 * arrives escaped (domain/markdownText.ts), so it cannot become structure either.
 */
export function renderMarkdown(markdown: string, headingOffset = 2): Html {
  const out: string[] = [];
  let list: 'none' | 'outer' | 'inner' = 'none';
  let paragraph: string[] = [];

  // A backslash escape (domain/markdownText.ts) is the character itself: set aside until the marks are read.
  const inline = (text: string) => {
    const literal: string[] = [];
    const marked = text.replace(/\0/g, '').replace(/\\([!-/:-@[-`{-~])/g, (_m, c: string) => `\0${literal.push(c) - 1}\0`);
    return escapeHtml(marked)
      .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
      .replace(/\0(\d+)\0/g, (_m, i: string) => escapeHtml(literal[Number(i)]));
  };
  const flushParagraph = () => {
    if (paragraph.length) out.push(`<p>${paragraph.map(inline).join('<br>')}</p>`);
    paragraph = [];
  };
  const closeLists = () => {
    if (list === 'inner') out.push('</li></ul></li></ul>');
    else if (list === 'outer') out.push('</li></ul>');
    list = 'none';
  };

  for (const line of markdown.split('\n')) {
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const outer = /^[-*]\s+(.*)$/.exec(line);
    const inner = /^\s{2,}[-*]\s+(.*)$/.exec(line);
    if (heading) {
      flushParagraph();
      closeLists();
      const level = Math.min(6, heading[1].length + headingOffset);
      out.push(`<h${level}>${inline(heading[2])}</h${level}>`);
    } else if (inner && list !== 'none') {
      if (list === 'outer') out.push('<ul><li>');
      else out.push('</li><li>');
      out.push(inline(inner[1]));
      list = 'inner';
    } else if (outer) {
      flushParagraph();
      if (list === 'none') out.push('<ul><li>');
      else if (list === 'inner') out.push('</li></ul></li><li>');
      else out.push('</li><li>');
      out.push(inline(outer[1]));
      list = 'outer';
    } else if (line.trim() === '') {
      flushParagraph();
      closeLists();
    } else {
      closeLists();
      paragraph.push(line);
    }
  }
  flushParagraph();
  closeLists();
  return trusted(out.join('\n'));
}
