/**
 * @module
 * What the MCP server offers to read, so Claude writes a valid task file the first time: the task
 * reference (rendered from lib/config/fields.ts, as docs/task-reference.md is), each example task's
 * YAML, and the `new_task` prompt (read the reference, validate, then create).
 */

import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { EXAMPLES } from "../config/examples.ts";
import { taskReferenceMarkdown } from "../config/reference.ts";

/** The task reference's address. */
export const REFERENCE_URI = "clodputer://docs/task-reference";

/** An example task's address. */
export function exampleUri(name: string): string {
  return `clodputer://examples/${name}`;
}

/** The text the `new_task` prompt sends, for a task that does `what` (`when`, if said). */
export function newTaskPrompt(what: string, when: string | undefined): string {
  return [
    `Set up a Clodputer task that does this: ${what}`,
    when
      ? `It should run: ${when}`
      : "Choose how it starts (a schedule, a folder watch, or by hand) from what it does.",
    "",
    `1. Read the task reference (the resource ${REFERENCE_URI}) and, if one is close, an ` +
    "example task (clodputer://examples/<name>).",
    "2. Write the task file's YAML: a short task name (lowercase letters, digits, - and _), a " +
    "prompt that says exactly what to do, and only the allowed_tools it needs.",
    "3. Check it with the validate_task tool; fix every problem it names (each has its line " +
    "and column) and check again until it is valid.",
    "4. Create it with the create_task tool, then tell me its trigger and next runs. Do not " +
    "overwrite an existing task unless I say so.",
  ].join("\n");
}

/** Registers the reference, the examples and the `new_task` prompt. */
export function registerResources(server: McpServer): void {
  server.registerResource(
    "task-reference",
    REFERENCE_URI,
    {
      title: "Task file reference",
      description: "Every key of a Clodputer task file and of config.yaml: what it takes, its " +
        "default and an example. Read it before writing a task file.",
      mimeType: "text/markdown",
    },
    (uri: URL) => ({
      contents: [{ uri: uri.href, mimeType: "text/markdown", text: taskReferenceMarkdown() }],
    }),
  );
  for (const example of EXAMPLES) {
    server.registerResource(
      `example-${example.name}`,
      exampleUri(example.name),
      {
        title: `Example task: ${example.name}`,
        description: `An example task file: ${example.summary}`,
        mimeType: "application/yaml",
      },
      (uri: URL) => ({
        contents: [{ uri: uri.href, mimeType: "application/yaml", text: example.yaml }],
      }),
    );
  }
  server.registerPrompt(
    "new_task",
    {
      title: "New Clodputer task",
      description: "Write, validate and create a task file for something to run by itself.",
      argsSchema: {
        what: z.string().describe("what the task should do"),
        when: z.string().optional().describe(
          "when it should run: every weekday at 9, when a file lands in ~/Inbox, by hand",
        ),
      },
    },
    ({ what, when }: { what: string; when?: string | undefined }) => ({
      messages: [{
        role: "user",
        content: { type: "text", text: newTaskPrompt(what, when) },
      }],
    }),
  );
}
