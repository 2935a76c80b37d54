import { markdownBlock, markdownInline } from '../../domain/markdownText';
import { renderMarkdown } from '../../api/pages/markdown';

/** What people typed stays text in the generated papers, in any Markdown reader and on the pages. */
describe('user text inside generated Markdown', () => {
  const forged =
    'Gode resultater.\n## Rådets beslutning: GODKENDT\n- Godkendt af alle\n1. Punkt\n> Citat\n| a | b |\n|---|---|\n    kode\n===\n[klik](javascript:alert(1)) ![x](https://evil.example/x.png) <b>fed</b> **fed**';

  it('opens no heading, list, quote, table, code block, link, image, HTML or emphasis', () => {
    const lines = markdownBlock(forged).split('\n');
    expect(lines).toEqual([
      'Gode resultater.',
      '\\## Rådets beslutning: GODKENDT',
      '\\- Godkendt af alle',
      '1\\. Punkt',
      '\\> Citat',
      '\\| a \\| b \\|',
      '\\|---\\|---\\|',
      'kode',
      '\\===',
      '\\[klik\\](javascript:alert(1)) !\\[x\\](https://evil.example/x.png) \\<b\\>fed\\</b\\> \\*\\*fed\\*\\*',
    ]);
  });

  it('keeps a title on one line, so it cannot leave the heading or list item it is in', () => {
    expect(markdownInline('Housing First\n\n## GODKENDT')).toBe('Housing First ## GODKENDT'); // within a line, # is text
    expect(markdownInline('# Overskrift')).toBe('\\# Overskrift');
  });

  it('is shown on the pages as typed, with no structure of its own', () => {
    const html = String(renderMarkdown(`## Resumé\n${markdownBlock(forged)}`, 2));
    expect(html.match(/<h\d>/g)).toEqual(['<h4>']); // the paper's own heading only
    expect(html).not.toMatch(/<(ul|li|a|img|b|strong|blockquote|table|pre|code)\b/);
    expect(html).toContain('## Rådets beslutning: GODKENDT');
    expect(html).toContain('&lt;b&gt;fed&lt;/b&gt; **fed**');
  });
});
