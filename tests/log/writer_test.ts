/**
 * @module
 * The execution log writer: lines, redaction, rotation (also under concurrent writers), pruning.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { archiveFile, EventLog, pruneArchives, rotateIfNeeded } from "../../lib/log/writer.ts";
import { secretEnvValues } from "../../lib/log/redact.ts";
import { systemClock } from "../../lib/sys/clock.ts";
import { type Paths, pathsUnder } from "../../lib/sys/paths.ts";
import { denoDir } from "../e2e/cli.ts";
import { FakeClock } from "../fakes/clock.ts";

async function tempPaths(): Promise<Paths & AsyncDisposable> {
  const root = await Deno.makeTempDir({ prefix: "clodputer-log-" });
  return {
    ...pathsUnder(root),
    [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }),
  };
}

async function lines(path: string): Promise<string[]> {
  return (await Deno.readTextFile(path).catch(() => "")).split("\n").filter((l) => l !== "");
}

Deno.test("append() writes one JSON line per event, with a timestamp, mode 0600", async () => {
  await using paths = await tempPaths();
  const clock = new FakeClock(Date.UTC(2026, 10, 25, 12, 0, 0, 5));
  const log = new EventLog(paths, clock, { maxBytes: 1 << 20, keepMonths: 6 });
  await log.append({ event: "task_queued", run_id: "r1", task: "hello", error: "line\nbreak" });
  await log.append({ event: "task_started", run_id: "r1", task: "hello" });
  const got = await lines(paths.log);
  assert.equal(got.length, 2);
  assert.deepEqual(JSON.parse(got[0] as string), {
    ts: "2026-11-25T12:00:00.005Z",
    event: "task_queued",
    run_id: "r1",
    task: "hello",
    error: "line\nbreak",
  });
  assert.equal(((await Deno.stat(paths.log)).mode ?? 0) & 0o777, 0o600);
});

Deno.test("append() redacts secrets and token values", async () => {
  await using paths = await tempPaths();
  const secrets = [
    "s3cr3t-value",
    ...secretEnvValues({
      ANTHROPIC_API_KEY: "sk-ant-1234567890",
      USER: "me-myself",
      GH_TOKEN: "short",
    }),
  ];
  assert.deepEqual(secrets, ["s3cr3t-value", "sk-ant-1234567890"]);
  const log = new EventLog(paths, systemClock, { maxBytes: 1 << 20, keepMonths: 6 }, secrets);
  await log.append({ event: "task_failed", error: "bad key sk-ant-1234567890 for s3cr3t-value" });
  const text = await Deno.readTextFile(paths.log);
  assert.ok(!text.includes("sk-ant-1234567890") && !text.includes("s3cr3t-value"));
  assert.match(text, /bad key \[redacted\] for \[redacted\]/);
});

Deno.test("rotateIfNeeded() moves the log into this month's archive, appending", async () => {
  await using paths = await tempPaths();
  const clock = new FakeClock(Date.UTC(2026, 10, 25));
  await Deno.mkdir(paths.archive, { recursive: true });
  await Deno.writeTextFile(archiveFile(paths, clock.now()), "older\n");
  await Deno.writeTextFile(paths.log, "a\nb\n");
  assert.equal(
    await rotateIfNeeded(paths, clock, { maxBytes: 10, keepMonths: 6 }),
    false,
    "under the size",
  );
  await Deno.writeTextFile(paths.log, "x".repeat(20) + "\n");
  assert.equal(await rotateIfNeeded(paths, clock, { maxBytes: 10, keepMonths: 6 }), true);
  assert.equal(
    await Deno.readTextFile(join(paths.archive, "2026-11.log")),
    "older\n" + "x".repeat(20) + "\n",
  );
  assert.equal(await Deno.readTextFile(paths.log), "");
});

Deno.test("pruneArchives() deletes archives older than keep_months and keeps the rest", async () => {
  await using paths = await tempPaths();
  await Deno.mkdir(paths.archive, { recursive: true });
  for (const m of ["2026-01", "2026-04", "2026-05", "2026-11", "notes"]) {
    await Deno.writeTextFile(join(paths.archive, `${m}.log`), "x\n");
  }
  const deleted = await pruneArchives(paths, Date.UTC(2026, 10, 25), 6);
  assert.deepEqual(deleted, [
    join(paths.archive, "2026-01.log"),
    join(paths.archive, "2026-04.log"),
  ]);
  const left = (await Array.fromAsync(Deno.readDir(paths.archive))).map((e) => e.name).sort();
  assert.deepEqual(left, ["2026-05.log", "2026-11.log", "notes.log"]);
});

Deno.test("concurrent writers with constant rotation lose no line and tear none", async () => {
  await using paths = await tempPaths();
  const writers = 6;
  const each = 150;
  const worker = join(import.meta.dirname ?? ".", "append_worker.ts");
  const dir = await denoDir();
  const outs = await Promise.all(
    Array.from({ length: writers }, (_, w) =>
      new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--cached-only",
          "-q",
          "--allow-read",
          "--allow-write",
          "--allow-env",
          worker,
          paths.home,
          String(w),
          String(each),
          "2048",
        ],
        env: { DENO_DIR: dir },
        stdout: "null",
        stderr: "piped",
      }).output()),
  );
  for (const o of outs) assert.equal(o.code, 0, new TextDecoder().decode(o.stderr));
  const all = [...await lines(paths.log)];
  for await (const e of Deno.readDir(paths.archive)) {
    all.push(...await lines(join(paths.archive, e.name)));
  }
  const seen = new Set<string>();
  for (const line of all) {
    const e = JSON.parse(line); // throws on a torn line
    const key = `${e.writer}:${e.seq}`;
    assert.ok(!seen.has(key), `duplicate ${key}`);
    seen.add(key);
  }
  assert.equal(seen.size, writers * each);
  assert.ok((await Array.fromAsync(Deno.readDir(paths.archive))).length >= 1, "rotation happened");
});
