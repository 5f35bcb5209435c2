/**
 * @module
 * A run for one file (lib/watch/file_run.ts): what the watcher queues for a file and what
 * `run --file` queues for it carry the same trigger data; which tasks need, may take or refuse a
 * file; why a watch would not hand a path over; the example file of an error's hint.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { parseTaskSource } from "../../lib/config/parse.ts";
import { Store } from "../../lib/state/store.ts";
import { envFrom } from "../../lib/sys/env.ts";
import { systemClock } from "../../lib/sys/clock.ts";
import {
  exampleFile,
  fileContext,
  fileRun,
  fileUse,
  type WatchedFiles,
  whyNotHandedOver,
} from "../../lib/watch/file_run.ts";
import { type FileEvent, TaskWatch } from "../../lib/watch/task_watch.ts";
import { FakeClock } from "../fakes/clock.ts";

/** The item the watcher queues for `name` made in (or changed in, or deleted from) a folder. */
async function watcherItem(name: string, event: FileEvent) {
  const root = await Deno.makeTempDir({ prefix: "clodputer-file-run-" });
  const store = await Store.open(":memory:", systemClock);
  try {
    const folder = join(root, "Inbox");
    await Deno.mkdir(folder);
    const clock = new FakeClock();
    const spec = {
      task: "inbox",
      folder,
      pattern: "*",
      event,
      debounce: 1000,
      recursive: false,
      ignore: [],
      priority: "normal" as const,
    };
    const file = join(folder, name);
    if (event !== "created") await Deno.writeTextFile(file, "before");
    const w = new TaskWatch(spec, { store, clock });
    await w.look();
    if (event === "deleted") await Deno.remove(file);
    else await Deno.writeTextFile(file, event === "created" ? "new" : "changed, longer");
    for (let i = 0; i < 3; i++) {
      await clock.advance(1000);
      await w.look();
    }
    const [item] = await store.queued();
    assert.ok(item, `the watcher queued ${name} (${event})`);
    return { item, file };
  } finally {
    store.close();
    await Deno.remove(root, { recursive: true });
  }
}

for (const event of ["created", "modified", "deleted"] as const) {
  Deno.test(`fileRun(): a run by hand on a file carries what the watcher queues for it (${event})`, async () => {
    const name = `it's $(touch x); "a b".pdf`;
    const { item, file } = await watcherItem(name, event);
    const byHand = fileRun(file, event, "person");
    // The trigger data ({{ context.* }}, and {{ metadata.* }}, which the runner fills from it).
    assert.deepEqual(byHand.context, item.context);
    assert.deepEqual(item.context, fileContext(file, event));
    assert.deepEqual(item.context, {
      file_path: file,
      file_name: name,
      file_dir: join(file, ".."),
      event,
      path: file,
    });
    // The trigger names the same file and event; only who started it differs.
    assert.deepEqual(item.trigger, { type: "file_watch", path: file, event });
    assert.deepEqual(byHand.trigger, { type: "manual", path: file, event });
    assert.deepEqual(fileRun(file, event, "watcher").trigger, item.trigger);
  });
}

const env = envFrom({ HOME: "/home/me" });
function config(yaml: string) {
  return parseTaskSource(`name: t\n${yaml}`, { file: "/home/me/.clodputer/tasks/t.yaml", env })
    .config;
}

Deno.test("fileUse(): a folder watch needs a file; a task using file variables may take one; others none", () => {
  assert.deepEqual(
    fileUse(config(
      `trigger:\n  type: file_watch\n  path: ~/Inbox\n  pattern: "*.pdf"\n  event: modified\n` +
        `task:\n  prompt: "Review the diff"\n`,
    )),
    {
      kind: "needs",
      watch: {
        folder: "/home/me/Inbox",
        pattern: "*.pdf",
        event: "modified",
        recursive: false,
        ignore: [],
      },
    },
  );
  const may = [
    `task:\n  prompt: "Summarise {{ context.file_path }}"\n`,
    `task:\n  prompt: "Summarise {{ context.file_name | upper }}"\n`,
    `task:\n  prompt: "Summarise {{ metadata.path }}"\n`,
    `task:\n  prompt: "Summarise it"\n  context:\n    file: "{{ metadata.path }}"\n`,
    `task:\n  prompt: "Summarise {{ trigger.path }}"\n`,
    `task:\n  prompt: "Hi"\n  append_system_prompt: "The file: {{ context.file_dir }}"\n`,
    `task:\n  prompt: "Hi"\non_success:\n  - log: "did {{ context.event }}"\n`,
  ];
  for (const yaml of may) {
    assert.deepEqual(fileUse(config(yaml)), { kind: "may", event: "created" }, yaml);
  }
  const none = [
    `task:\n  prompt: "Hi {{ name }} at {{ context.now }}"\n`,
    `task:\n  prompt: "Hi {{ context.topic }}"\n  context:\n    topic: x\n`,
    `schedule:\n  type: cron\n  expression: "0 8 * * *"\ntask:\n  prompt: "Hi {{ trigger.type }}"\n`,
    `trigger:\n  type: interval\n  seconds: 60\ntask:\n  prompt: "Hi"\n`,
  ];
  for (const yaml of none) assert.deepEqual(fileUse(config(yaml)), { kind: "none" }, yaml);
});

Deno.test("whyNotHandedOver(): another folder, a subfolder, the pattern, noise and ignore globs", () => {
  const watch: WatchedFiles = {
    folder: "/home/me/Inbox",
    pattern: "*.pdf",
    event: "created",
    recursive: false,
    ignore: ["draft-*"],
  };
  assert.equal(whyNotHandedOver(watch, "/home/me/Inbox/a.pdf"), undefined);
  assert.equal(
    whyNotHandedOver({ ...watch, folder: "/home/me/Inbox/" }, "/home/me/Inbox/a.pdf"),
    undefined,
  );
  assert.match(
    whyNotHandedOver(watch, "/home/me/Inboxes/a.pdf") ?? "",
    /not in the watched folder \/home\/me\/Inbox$/,
  );
  assert.match(whyNotHandedOver(watch, "/home/me/Inbox/sub/a.pdf") ?? "", /not recursive/);
  assert.equal(
    whyNotHandedOver({ ...watch, recursive: true }, "/home/me/Inbox/sub/a.pdf"),
    undefined,
  );
  assert.match(whyNotHandedOver(watch, "/home/me/Inbox/a.txt") ?? "", /pattern "\*\.pdf"/);
  assert.match(whyNotHandedOver(watch, "/home/me/Inbox/draft-1.pdf") ?? "", /ignores it/);
  assert.match(
    whyNotHandedOver({ ...watch, pattern: "*" }, "/home/me/Inbox/a.swp") ?? "",
    /ignores it/,
  );
});

Deno.test("exampleFile(): a file named after a plain pattern, in the watched folder", () => {
  const watch = {
    folder: "/home/me/Inbox",
    event: "created",
    recursive: false,
    ignore: [],
  } as const;
  assert.equal(exampleFile({ ...watch, pattern: "*.pdf" }), "/home/me/Inbox/example.pdf");
  assert.equal(exampleFile({ ...watch, pattern: "*.tar.gz" }), "/home/me/Inbox/example.tar.gz");
  assert.equal(exampleFile({ ...watch, pattern: "*" }), "/home/me/Inbox/example");
  assert.equal(exampleFile({ ...watch, pattern: "**/*.ts" }), "/home/me/Inbox/<file>");
  assert.equal(exampleFile({ ...watch, pattern: "*.{md,txt}" }), "/home/me/Inbox/<file>");
});
