import type { Issue } from '../domain/issues';
import { render } from '../domain/codes';
import { isReason, type Refusal } from '../domain/refusals';
import type { Lang } from './format';
import * as layout from './layout';
import * as form from './form';
import * as tasks from './tasks';
import * as taskForms from './taskForms';
import * as proposal from './proposal';
import * as procurement from './procurement';
import * as fund from './fund';
import * as report from './report';
import * as people from './people';
import * as results from './results';
import * as refusals from './refusals';

export * from './format';

/** One dictionary per language, assembled from the parts each page or feature keeps in its own file. */
const da = { ...layout.da, ...form.da, ...tasks.da, ...taskForms.da, ...proposal.da, ...procurement.da, ...fund.da, ...report.da, ...people.da, ...results.da, ...refusals.da };

export type Dict = typeof da;

const en: Dict = {
  ...layout.en,
  ...form.en,
  ...tasks.en,
  ...taskForms.en,
  ...proposal.en,
  ...procurement.en,
  ...fund.en,
  ...report.en,
  ...people.en,
  ...results.en,
  ...refusals.en,
};

const dicts: Record<Lang, Dict> = { da, en };

export function dict(lang: Lang): Dict {
  return dicts[lang];
}

/** A refusal in the reader's language, by its code. */
export const refusalWords = (lang: Lang, refusal: Refusal): string => render(dict(lang).refusal, refusal);

/** A recorded reason in the reader's language; records from before reasons had codes keep their own words. */
export function reasonWords(lang: Lang, reason: unknown): string {
  if (isReason(reason)) return render(dict(lang).reason, reason);
  return typeof reason === 'string' ? reason : '';
}

/** One of the schemas' own rules in the reader's language. */
export const issueWords = (lang: Lang, issue: Issue): string => render(dict(lang).issue, issue);
