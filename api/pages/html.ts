/**
 * A tiny HTML template helper: every interpolated value is escaped unless it is
 * already Html (made by this helper). Arrays are joined; null, undefined and false
 * render nothing.
 */
export class Html {
  constructor(readonly text: string) {}
  toString() {
    return this.text;
  }
}

export type Renderable = Html | string | number | null | undefined | false | Renderable[];

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => entities[c]);
}

function render(value: Renderable): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Renderable[]): Html {
  let out = strings[0];
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1];
  });
  return new Html(out);
}

/** Text that is already safe HTML: only for output of this helper's own functions. */
export function trusted(text: string): Html {
  return new Html(text);
}

/** Attribute present or absent: html`<input ${attr('checked', on)}>`. */
export function attr(name: string, on: boolean | undefined): Html {
  return new Html(on ? ` ${name}` : '');
}
