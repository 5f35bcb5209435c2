/**
 * @module
 * The example tasks shipped inside the binary (imported as text, so nothing is read from beside
 * main.ts at run time).
 */

import codeReview from "../../tasks/code-review.yaml" with { type: "text" };
import dailyEmail from "../../tasks/daily-email.yaml" with { type: "text" };
import inboxProcessor from "../../tasks/inbox-processor.yaml" with { type: "text" };
import summariseRepo from "../../tasks/summarise-repo.yaml" with { type: "text" };
import todoTriage from "../../tasks/todo-triage.yaml" with { type: "text" };

/** What starts a task: its `schedule:`, its `trigger.type`, or nothing (run by hand). */
export type StartedBy = "schedule" | "file_watch" | "interval" | "manual";

/** One example task: its name, a line about it, what starts it, and its YAML. */
export interface Example {
  name: string;
  summary: string;
  /** What starts it (`new` prints the next steps for it); tests/config/examples_test.ts checks it. */
  startedBy: StartedBy;
  yaml: string;
}

/** Every example, in the order `new --list` shows them. */
export const EXAMPLES: readonly Example[] = [
  {
    name: "daily-email",
    summary: "weekday-morning email triage (cron, MCP server)",
    startedBy: "schedule",
    yaml: dailyEmail,
  },
  {
    name: "inbox-processor",
    summary: "summarise each PDF dropped into a folder (file watch)",
    startedBy: "file_watch",
    yaml: inboxProcessor,
  },
  {
    name: "todo-triage",
    summary: "reorder a todo list every morning (cron)",
    startedBy: "schedule",
    yaml: todoTriage,
  },
  {
    name: "summarise-repo",
    summary: "explain a code base, run by hand (manual)",
    startedBy: "manual",
    yaml: summariseRepo,
  },
  {
    name: "code-review",
    summary: "review the diff when source files change (file watch)",
    startedBy: "file_watch",
    yaml: codeReview,
  },
];

/** An example's YAML under a new task name (its `name:` line rewritten). */
export function exampleAs(example: Example, name: string): string {
  // The name field, and every mention of the example's own name in comments (such as "Run it
  // with: clodputer run summarise-repo --now"), become the new task's name.
  const nameWord = new RegExp(`(?<![\\w-])${example.name}(?![\\w-])`, "g");
  return example.yaml.split("\n").map((line) =>
    /^name: /.test(line)
      ? `name: ${name}`
      : line.trimStart().startsWith("#")
      ? line.replace(nameWord, name)
      : line
  ).join("\n");
}
