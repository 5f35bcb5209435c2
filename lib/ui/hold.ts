/**
 * @module
 * The words for a queue hold and a waiting retry, shared by `status`, the dashboard and the menu
 * bar. Pure.
 */

import type { Hold } from "../state/types.ts";
import type { WaitingItem } from "../status/read.ts";

/** "13:05" when `iso` is on `today` (YYYY-MM-DD, local), else "2026-12-02 13:05". */
export function shortTime(iso: string, today: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return date === today ? time : `${date} ${time}`;
}

/** One line each for a hold and the waiting runs: a label ("held", "retry", "waiting") and text. */
export function holdLines(
  queue: { hold?: Hold | null; waiting?: readonly WaitingItem[] },
  today: string,
): { label: "held" | "retry" | "waiting"; text: string; auth: boolean }[] {
  const lines: { label: "held" | "retry" | "waiting"; text: string; auth: boolean }[] = [];
  if (queue.hold) {
    lines.push({
      label: "held",
      text: describeHold(queue.hold, today),
      auth: queue.hold.kind === "auth",
    });
  }
  for (const w of queue.waiting ?? []) {
    const at = shortTime(w.run_at, today);
    lines.push(
      w.retry === null
        ? { label: "waiting", text: `${w.task} at ${at} (run ${w.id})`, auth: false }
        : { label: "retry", text: `${w.task}: ${w.retry} at ${at} (run ${w.id})`, auth: false },
    );
  }
  return lines;
}

/** "deferred by usage limit until 13:00", or that claude cannot log in and what to do. */
export function describeHold(hold: Hold, today: string): string {
  switch (hold.kind) {
    case "usage_limit":
      return hold.until === null
        ? "deferred by usage limit"
        : `deferred by usage limit until ${shortTime(hold.until, today)}`;
    case "auth":
      return `claude cannot log in (${hold.reason}): run claude setup-token, then clodputer resume`;
  }
}
