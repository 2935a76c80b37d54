import { checkbox, errorSummary, radioGroup, selectField, textArea, textField } from '../../api/pages/forms';
import { fieldGroup } from '../../api/pages/taskForms/form';

/**
 * The list of errors at the top of a refused form: each entry names its field by the
 * label it was drawn with and links to it (WCAG 3.3.1, 2.4.4), on every page, without the
 * page listing its labels a second time.
 */
describe('the error summary', () => {
  const entries = (summary: string) => [...summary.matchAll(/<li><a href="#([^"]+)">([^<]*)<\/a><\/li>/g)].map(([, href, text]) => [href, text]);

  it('names each field by the label, legend or group it was drawn with', () => {
    const errors = {
      reason: 'Skal udfyldes',
      decision: 'Vælg en af mulighederne',
      meetingId: 'Vælg en af mulighederne',
      confirmed: 'Skal vælges',
      note: 'Højst 2000 tegn',
      tranches: 'Raterne skal tilsammen give beløbet',
    };
    textArea({ name: 'reason', label: 'Begrundelse', errors });
    radioGroup({ name: 'decision', legend: 'Din afgørelse', errors, options: [] });
    selectField({ name: 'meetingId', label: 'Møde', errors, options: [] });
    checkbox({ name: 'confirmed', label: 'Jeg bekræfter', errors });
    textField({ name: 'note', label: 'Note', errors });
    fieldGroup({ name: 'tranches', legend: 'Rater', errors }, '');
    expect(entries(errorSummary('da', errors).text)).toEqual([
      ['f-reason', 'Begrundelse: Skal udfyldes'],
      ['f-decision', 'Din afgørelse: Vælg en af mulighederne'],
      ['f-meetingId', 'Møde: Vælg en af mulighederne'],
      ['f-confirmed', 'Jeg bekræfter: Skal vælges'],
      ['f-note', 'Note: Højst 2000 tegn'],
      ['f-tranches', 'Rater: Raterne skal tilsammen give beløbet'],
    ]);
  });

  it('names the row a field sits in, where every row has fields alike', () => {
    const errors = { 'items.i1.note': 'Højst 2000 tegn', 'items.i2.decision': 'Skal udfyldes', 'tranches.0.amount': 'Skal udfyldes' };
    textArea({ name: 'items.i1.note', label: 'Bemærkning', group: 'Punkt 1', errors });
    selectField({ name: 'items.i2.decision', label: 'Beslutning', group: 'Punkt 2', errors, options: [] });
    textField({ name: 'tranches.0.amount', label: 'CVR-nummer', group: 'Rate 1', errors });
    expect(entries(errorSummary('da', errors).text)).toEqual([
      ['f-items-i1-note', 'Punkt 1, bemærkning: Højst 2000 tegn'],
      ['f-items-i2-decision', 'Punkt 2, beslutning: Skal udfyldes'],
      ['f-tranches-0-amount', 'Rate 1, CVR-nummer: Skal udfyldes'],
    ]);
  });

  it("keeps each form's labels to itself, and takes the labels a page gives over those drawn", () => {
    const one = { place: 'Skal udfyldes' };
    const other = { place: 'Skal udfyldes' };
    textField({ name: 'place', label: 'Sted', errors: one });
    expect(entries(errorSummary('da', other).text)).toEqual([['f-place', 'Skal udfyldes']]);
    expect(entries(errorSummary('da', one, { place: 'Mødested' }).text)).toEqual([['f-place', 'Mødested: Skal udfyldes']]);
  });
});
