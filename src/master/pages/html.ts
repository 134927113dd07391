/**
 * Safe HTML building: the `html` tag escapes every interpolated value unless it is already `Html`, so a string from
 * the namespace, the bucket or the configuration can only ever become text (element content or a quoted attribute).
 */
export class Html {
  constructor(readonly text: string) {}
}

export type HtmlPart = Html | string | number | boolean | null | undefined | readonly HtmlPart[];

const ENTITIES: Record<string, string> = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** `null`, `undefined` and `false` render nothing (for `cond && html\`…\``); arrays are concatenated. */
export function html(strings: TemplateStringsArray, ...values: HtmlPart[]): Html {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new Html(out);
}

function render(value: HtmlPart): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/** A same-site link: a fixed path and percent-encoded query values (empty and missing ones left out). */
export function link(path: string, params: Record<string, string | number | undefined> = {}): string {
  const query = Object.entries(params)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
    .join('&');
  return query === '' ? path : `${path}?${query}`;
}

export const yesNo = (value: boolean): string => (value ? 'YES' : 'NO');
