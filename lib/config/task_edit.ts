/**
 * @module
 * Edits a task file's text by hand's rules: one top-level line changed or added, every other
 * line (comments, order, quoting) as the person wrote it. Pure; the caller validates the result.
 */

const ENABLED_LINE = /^enabled[ \t]*:[ \t]*([^#\n]*?)([ \t]+#.*)?$/m;

/**
 * The text with its top-level `enabled:` set to `enabled`: the line replaced (its comment kept),
 * else one added after the top-level `description:` or `name:` line, else at the top (after a
 * leading `---`). Returns the text unchanged when it already says so.
 */
export function withEnabled(source: string, enabled: boolean): string {
  const value = enabled ? "true" : "false";
  const found = ENABLED_LINE.exec(source);
  if (found) {
    if (found[1] === value) return source;
    const line = `enabled: ${value}${found[2] ?? ""}`;
    return source.slice(0, found.index) + line + source.slice(found.index + found[0].length);
  }
  const lines = source.split("\n");
  const after = (key: string) => lines.findIndex((l) => new RegExp(`^${key}[ \\t]*:`).test(l));
  let at = after("description");
  if (at < 0) at = after("name");
  if (at >= 0) {
    // A block scalar or folded value goes on below its key: insert after its indented lines.
    while (at + 1 < lines.length && /^[ \t]+\S/.test(lines[at + 1] ?? "")) at++;
    lines.splice(at + 1, 0, `enabled: ${value}`);
  } else {
    lines.splice(lines[0]?.trim() === "---" ? 1 : 0, 0, `enabled: ${value}`);
  }
  return lines.join("\n");
}
