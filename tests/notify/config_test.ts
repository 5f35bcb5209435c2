/**
 * @module
 * The notification settings: config.yaml's `notify:` and a task's `notify:`.
 */

import assert from "node:assert/strict";
import { parseGlobalSource, parseTaskSource } from "../../lib/config/parse.ts";
import { ConfigError } from "../../lib/errors.ts";
import { channelsOf } from "../../lib/notify/notify.ts";
import { envFrom } from "../../lib/sys/env.ts";

const ENV = envFrom({ HOME: "/home/me" });

function global(source: string) {
  return parseGlobalSource(source, { file: "/h/config.yaml", env: ENV });
}

function problems(run: () => unknown): [number | undefined, number | undefined, string][] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.issues.map((i) => [i.where?.line, i.where?.column, i.message]);
  }
  throw new Error("expected a ConfigError");
}

Deno.test("parseGlobalSource() reads notify: with its defaults", () => {
  assert.equal(global("grace_period: 5\n").notify, undefined);
  assert.deepEqual(
    global(
      [
        "notify:",
        "  macos: yes",
        "  webhook: https://hooks.slack.com/services/T/B/x",
        "  format: slack",
        '  command: ["/usr/local/bin/notifier", "--quiet"]',
        "",
      ].join("\n"),
    ).notify,
    {
      macos: true,
      webhook: "https://hooks.slack.com/services/T/B/x",
      format: "slack",
      command: ["/usr/local/bin/notifier", "--quiet"],
    },
  );
  assert.deepEqual(global("notify:\n  webhook: http://127.0.0.1:9/x\n").notify, {
    macos: false,
    webhook: "http://127.0.0.1:9/x",
    format: "json",
  });
});

Deno.test("parseGlobalSource() reports notify: mistakes at their line and column", () => {
  assert.deepEqual(
    problems(() =>
      global(
        [
          "notify:", //                   1
          "  macoss: true", //            2
          "  webhook: ftp://example.com", // 3
          "  format: slak", //            4
          "  command: []", //             5
          "",
        ].join("\n"),
      )
    ),
    [
      [2, 3, 'Unknown key "macoss" in "notify"'],
      [3, 12, '"webhook" must be an http or https URL, got "ftp://example.com"'],
      [4, 11, '"format" must be "json" or "slack", got "slak"'],
      [5, 12, '"command" must name a program, got an empty list'],
    ],
  );
});

Deno.test("channelsOf() turns the settings into channels; notifications: false wins", () => {
  assert.deepEqual(channelsOf(global("")), []);
  assert.deepEqual(channelsOf(global("notifications: true\n")), ["desktop"]);
  const all = "notify:\n  macos: true\n  webhook: https://x.example/h\n  command: [notifier]\n";
  assert.deepEqual(channelsOf(global(all)), ["desktop", "webhook", "command"]);
  assert.deepEqual(channelsOf(global(`notifications: false\n${all}`)), []);
});

Deno.test("parseTaskSource() reads notify: failures|always|never, and true/false", () => {
  const notify = (value: string) =>
    parseTaskSource(`task:\n  prompt: hi\nnotify: ${value}\n`, {
      file: "/h/tasks/t.yaml",
      env: ENV,
    })
      .config.notify;
  assert.deepEqual(
    ["failures", "always", "never", "true", "false", "no"].map(notify),
    ["failures", "always", "never", "failures", "never", "never"],
  );
  assert.equal(
    parseTaskSource("task:\n  prompt: hi\n", { file: "/h/tasks/t.yaml", env: ENV }).config.notify,
    undefined,
  );
  assert.deepEqual(
    problems(() =>
      parseTaskSource("task:\n  prompt: hi\nnotify: allways\n", {
        file: "/h/tasks/t.yaml",
        env: ENV,
      })
    ),
    [[3, 9, '"notify" must be failures, always or never, got "allways"']],
  );
});
