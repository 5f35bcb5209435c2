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

/** One example task: its name, a line about it, and its YAML. */
export interface Example {
  name: string;
  summary: string;
  yaml: string;
}

/** Every example, in the order `new --list` shows them. */
export const EXAMPLES: readonly Example[] = [
  {
    name: "daily-email",
    summary: "weekday-morning email triage (cron, MCP server)",
    yaml: dailyEmail,
  },
  {
    name: "inbox-processor",
    summary: "summarise each PDF dropped into a folder (file watch)",
    yaml: inboxProcessor,
  },
  { name: "todo-triage", summary: "reorder a todo list every morning (cron)", yaml: todoTriage },
  {
    name: "summarise-repo",
    summary: "explain a code base, run by hand (manual)",
    yaml: summariseRepo,
  },
  {
    name: "code-review",
    summary: "review the diff when source files change (file watch)",
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
