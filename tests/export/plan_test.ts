/**
 * @module
 * What every exporter takes of a task (lib/export/plan.ts): its cron and zone, an interval as the
 * cron it equals, the refusals (a folder watch, no schedule, an interval no cron says) naming the
 * task, and the secrets it uses. And writing the files (lib/export/files.ts): the marker, never
 * overwriting a file an export did not write unless forced, a dry run that writes nothing.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { parseTaskSource } from "../../lib/config/parse.ts";
import { UsageError } from "../../lib/errors.ts";
import { isOurs, markerLine, writeExport } from "../../lib/export/files.ts";
import { exportSchedule, intervalCron, secretNames } from "../../lib/export/plan.ts";
import { selectTasks } from "../../lib/export/select.ts";
import { envFrom } from "../../lib/sys/env.ts";
import { pathsUnder } from "../../lib/sys/paths.ts";

const env = envFrom({ HOME: "/home/me" });

function task(name: string, yaml: string) {
  return parseTaskSource(yaml, { file: `/home/me/.clodputer/tasks/${name}.yaml`, env }).config;
}

Deno.test("exportSchedule(): a cron schedule in its zone, else the machine's", () => {
  const zoned = task(
    "a",
    'schedule:\n  type: cron\n  expression: "0 9 * * 1-5"\n  timezone: Europe/Paris\ntask:\n  prompt: hi\n',
  );
  assert.deepEqual(exportSchedule(zoned, "Asia/Tokyo"), {
    cron: "0 9 * * 1-5",
    timezone: "Europe/Paris",
    from: "schedule",
  });
  const plain = task("b", 'schedule:\n  type: cron\n  expression: "@daily"\ntask:\n  prompt: hi\n');
  assert.equal(exportSchedule(plain, "Asia/Tokyo").timezone, "Asia/Tokyo");
});

Deno.test("exportSchedule(): an interval that divides evenly is a cron in UTC", () => {
  const every15 = task("c", "trigger:\n  type: interval\n  seconds: 900\ntask:\n  prompt: hi\n");
  assert.deepEqual(exportSchedule(every15, "Europe/Paris"), {
    cron: "*/15 * * * *",
    timezone: "UTC",
    from: "interval",
  });
});

Deno.test("intervalCron(): minutes dividing an hour, hours dividing a day, a day; else refused", () => {
  assert.equal(intervalCron("t", 60), "* * * * *");
  assert.equal(intervalCron("t", 300), "*/5 * * * *");
  assert.equal(intervalCron("t", 1800), "*/30 * * * *");
  assert.equal(intervalCron("t", 3600), "0 * * * *");
  assert.equal(intervalCron("t", 6 * 3600), "0 */6 * * *");
  assert.equal(intervalCron("t", 86400), "0 0 * * *");
  for (
    const [seconds, why] of [
      [90, /whole minutes/],
      [420, /divide an hour/],
      [
        5400,
        /whole hours/,
      ],
      [5 * 3600, /divide a day/],
      [2 * 86400, /divide a day/],
    ] as const
  ) {
    assert.throws(
      () => intervalCron("slow", seconds),
      (e: unknown) =>
        e instanceof UsageError && e.message.startsWith("Cannot export slow: its interval") &&
        why.test(e.message),
      String(seconds),
    );
  }
});

Deno.test("exportSchedule() refuses a folder watch and a task with no schedule, naming them", () => {
  const watch = task(
    "inbox",
    'trigger:\n  type: file_watch\n  path: /home/me/in\n  pattern: "*.txt"\ntask:\n  prompt: hi\n',
  );
  assert.throws(
    () => exportSchedule(watch, "UTC"),
    (e: unknown) =>
      e instanceof UsageError && e.exitCode === 2 &&
      /^Cannot export inbox: it watches a folder \(\/home\/me\/in\)/.test(e.message),
  );
  const manual = task("byhand", "task:\n  prompt: hi\n");
  assert.throws(() => exportSchedule(manual, "UTC"), /Cannot export byhand: it has no schedule/);
});

Deno.test("secretNames() lists each {{ secrets.NAME }} once, from the prompt, env and actions", () => {
  const t = task(
    "s",
    "task:\n  prompt: 'use {{ secrets.API_KEY }} and {{ env.HOME }}'\n  env:\n" +
      "    TOKEN: '{{ secrets.CLAUDE_CODE_OAUTH_TOKEN }}'\n    AGAIN: '{{ secrets.API_KEY }}'\n",
  );
  assert.deepEqual(secretNames(t), ["API_KEY", "CLAUDE_CODE_OAUTH_TOKEN"]);
});

Deno.test("writeExport(): creates, updates its own files, refuses others' unless forced; a dry run writes nothing", async () => {
  const out = await Deno.makeTempDir({ prefix: "clodputer-export-" });
  try {
    const ours = `${markerLine("clodputer export test")}\nname: a\n`;
    assert.ok(isOurs(ours));
    const dry = await writeExport(out, [{ path: "wf/a.yml", text: ours }], {
      force: false,
      dryRun: true,
    });
    assert.deepEqual(dry, [{ path: join(out, "wf/a.yml"), action: "created" }]);
    assert.equal(await Deno.stat(join(out, "wf")).then(() => true, () => false), false);

    await writeExport(out, [{ path: "wf/a.yml", text: ours }], { force: false, dryRun: false });
    assert.equal(await Deno.readTextFile(join(out, "wf/a.yml")), ours);
    const again = await writeExport(out, [{ path: "wf/a.yml", text: ours }], {
      force: false,
      dryRun: false,
    });
    assert.equal(again[0]?.action, "unchanged");
    const changed = `${ours}# more\n`;
    assert.equal(
      (await writeExport(out, [{ path: "wf/a.yml", text: changed }], {
        force: false,
        dryRun: false,
      }))[0]?.action,
      "updated",
    );

    // A person's own file: refused, and nothing else of the export is written either.
    await Deno.writeTextFile(join(out, "wf/mine.yml"), "name: mine\n");
    await assert.rejects(
      () =>
        writeExport(out, [{ path: "wf/b.yml", text: ours }, { path: "wf/mine.yml", text: ours }], {
          force: false,
          dryRun: false,
        }),
      (e: unknown) =>
        e instanceof UsageError && e.message.includes("Not overwriting") &&
        e.message.includes("mine.yml") && /--force/.test(e.hint ?? ""),
    );
    assert.equal(await Deno.stat(join(out, "wf/b.yml")).then(() => true, () => false), false);
    assert.equal(await Deno.readTextFile(join(out, "wf/mine.yml")), "name: mine\n");
    await writeExport(out, [{ path: "wf/mine.yml", text: ours }], { force: true, dryRun: false });
    assert.equal(await Deno.readTextFile(join(out, "wf/mine.yml")), ours);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("selectTasks(): named tasks must export; with none named, the others are skipped with why", async () => {
  const home = await Deno.makeTempDir({ prefix: "clodputer-export-select-" });
  try {
    const paths = pathsUnder(home);
    await Deno.mkdir(paths.tasks, { recursive: true });
    const daily = 'schedule:\n  type: cron\n  expression: "0 9 * * *"\n  timezone: UTC\n' +
      "task:\n  prompt: hi\n";
    await Deno.writeTextFile(join(paths.tasks, "daily.yaml"), daily);
    await Deno.writeTextFile(join(paths.tasks, "byhand.yaml"), "task:\n  prompt: hi\n");
    await Deno.writeTextFile(
      join(paths.tasks, "off.yaml"),
      'enabled: false\nschedule:\n  type: cron\n  expression: "@daily"\ntask:\n  prompt: hi\n',
    );
    const deps = { paths, env: envFrom({ HOME: home }) };
    const all = await selectTasks(deps, [], "UTC");
    assert.deepEqual(all.tasks.map((t) => t.loaded.name), ["daily"]);
    assert.equal(new TextDecoder().decode(all.tasks[0]?.bytes), daily, "the file's bytes");
    assert.deepEqual(all.skipped.map((s) => s.name), ["byhand", "off"]);
    assert.match(all.skipped[0]?.reason ?? "", /has no schedule/);
    assert.match(all.skipped[1]?.reason ?? "", /disabled/);
    await assert.rejects(() => selectTasks(deps, ["byhand"], "UTC"), /Cannot export byhand/);
    await assert.rejects(() => selectTasks(deps, ["nosuch"], "UTC"), /nosuch/);
    assert.deepEqual((await selectTasks(deps, ["off"], "UTC")).tasks.map((t) => t.loaded.name), [
      "off",
    ]);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
