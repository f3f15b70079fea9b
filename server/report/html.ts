/**
 * A tiny HTML/SVG element builder that escapes by construction: every string child and attribute
 * value is escaped, and only `Markup` (built by `h`, or `raw` over a trusted literal) goes in as is.
 * Reports are made of data from files (labels, dataset names, messages), so nothing is concatenated.
 */

/** Markup that is safe to insert: produced by `h` or, for trusted literals only, `raw`. */
export class Markup {
  constructor(readonly html: string) {}
}

export type Child = Markup | string | number | null | undefined | false | readonly Child[];
export type Attrs = Readonly<Record<string, string | number | boolean | null | undefined>>;

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes the five characters that matter in HTML text and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

const VOID_ELEMENTS = new Set(['meta', 'br', 'hr', 'img', 'input', 'link', 'col']);
const NAME = /^[a-zA-Z][a-zA-Z0-9:-]*$/;

function renderAttrs(attrs: Attrs): string {
  let out = '';
  for (const [name, value] of Object.entries(attrs)) {
    if (!NAME.test(name)) throw new Error(`invalid attribute name ${JSON.stringify(name)}`);
    if (value === undefined || value === null || value === false) continue;
    out += value === true ? ` ${name}` : ` ${name}="${escapeHtml(String(value))}"`;
  }
  return out;
}

/** Serialises children: strings escaped, numbers as written, arrays flattened, empty values skipped. */
export function render(child: Child): string {
  if (child === null || child === undefined || child === false) return '';
  if (child instanceof Markup) return child.html;
  if (typeof child === 'number') return String(child);
  if (typeof child === 'string') return escapeHtml(child);
  return child.map(render).join('');
}

/** An element: `h('td', { class: 'num' }, value)`. Tag and attribute names are checked, values escaped. */
export function h(tag: string, attrs: Attrs = {}, ...children: Child[]): Markup {
  if (!NAME.test(tag)) throw new Error(`invalid tag name ${JSON.stringify(tag)}`);
  const open = `<${tag}${renderAttrs(attrs)}>`;
  return new Markup(VOID_ELEMENTS.has(tag) ? open : `${open}${render(children)}</${tag}>`);
}

/** Trusted markup (a literal of this code base, never data). */
export function raw(trusted: string): Markup {
  return new Markup(trusted);
}
