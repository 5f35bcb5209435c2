/**
 * @module
 * The one filter that keeps secret values out of logs, records and debug output.
 */

/** What replaces a secret value. */
export const REDACTED = "[redacted]";

/** Secret values shorter than this are not redacted (they would mangle ordinary text). */
const MIN_SECRET_LENGTH = 4;

/** Replaces every occurrence of each secret value in `text`. Longest first, so overlaps go whole. */
export function redact(text: string, secrets: readonly string[]): string {
  const values = [...new Set(secrets)].filter((s) => s.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
  let out = text;
  for (const value of values) out = out.split(value).join(REDACTED);
  return out;
}

/** Redacts every string inside a JSON-like value. */
export function redactDeep<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return redact(v, secrets);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object") {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  return walk(value) as T;
}
