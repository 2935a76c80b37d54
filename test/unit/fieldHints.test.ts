import { radioGroup, textField } from '../../api/pages/forms';
import { fieldGroup } from '../../api/pages/taskForms/form';

/** A field's hint and error are read with it: a screen reader reaches them only through aria-describedby (WCAG 1.3.1). */
describe("a form field's hint and error", () => {
  const describedBy = (markup: string, tag: string) => new RegExp(`<${tag}[^>]*aria-describedby="([^"]*)"`).exec(markup)?.[1];
  const ids = (markup: string) => [...markup.matchAll(/ id="(f-[^"]+)"/g)].map(([, id]) => id);

  it.each([
    ['a radio group', (errors: Record<string, string>) => radioGroup({ name: 'decision', legend: 'Din afgørelse', hint: 'Vælg én', errors, options: [] }).text, 'fieldset'],
    ['a group of rows', (errors: Record<string, string>) => fieldGroup({ name: 'decision', legend: 'Rater', hint: 'Vælg én', errors }, '').text, 'fieldset'],
    ['a text field', (errors: Record<string, string>) => textField({ name: 'decision', label: 'Afgørelse', hint: 'Vælg én', errors }).text, 'input'],
  ])('%s names its hint, and its error once it has one, each by an id on the page', (_, draw, tag) => {
    const calm = draw({});
    expect(describedBy(calm, tag)).toBe('f-decision-hint');
    const refused = draw({ decision: 'Skal udfyldes' });
    expect(describedBy(refused, tag)).toBe('f-decision-hint f-decision-error');
    expect(ids(refused)).toEqual(expect.arrayContaining(['f-decision-hint', 'f-decision-error']));
  });
});
