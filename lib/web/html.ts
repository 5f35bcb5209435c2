/**
 * @module
 * HTML built so that outside text cannot become markup: every value put into an `html` template
 * is escaped unless it is itself `SafeHtml` (made by `html` or, for text known to be markup,
 * `trustedHtml`). Task descriptions, Claude's text, file names and log lines all pass through
 * here, so a `<script>` in them shows as text.
 */

/** Markup made by `html` (or `trustedHtml`): safe to put in a page as it is. */
export class SafeHtml {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  toString(): string {
    return this.text;
  }
}

/** What may go into an `html` template: text (escaped), numbers, markup, lists of them, nothing. */
export type HtmlValue =
  | string
  | number
  | SafeHtml
  | null
  | undefined
  | false
  | readonly HtmlValue[];

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text as HTML text or a quoted attribute's value: `& < > " '` escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
}

/**
 * The template tag: `html\`<p title="${title}">${text}</p>\`` escapes `title` and `text`.
 * Put values only in text or in double-quoted attributes; a URL built from outside text goes
 * through `href()`.
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? "";
  for (let i = 0; i < values.length; i++) {
    out += render(values[i] as HtmlValue) + (strings[i + 1] ?? "");
  }
  return new SafeHtml(out);
}

/** Markup this program wrote itself (an SVG path, CSS): never outside text. */
export function trustedHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** A path on this server from its parts, each URL-encoded: `href("tasks", name)` -> /tasks/a%20b. */
export function href(...parts: string[]): string {
  return "/" + parts.map(encodeURIComponent).join("/");
}
