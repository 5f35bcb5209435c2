/**
 * @module
 * Reading the execution log: tails, filters, time expressions, archives, following.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import {
  followEvents,
  matchesFilter,
  parseLogLine,
  parseWhen,
  readEvents,
  readLastEvents,
  readLastLines,
} from "../../lib/log/reader.ts";
import { EventLog, type LogEvent, rotateIfNeeded } from "../../lib/log/writer.ts";
import { systemClock } from "../../lib/sys/clock.ts";
import { FakeClock, flushMicrotasks } from "../fakes/clock.ts";
import { type Paths, pathsUnder } from "../../lib/sys/paths.ts";

async function tempPaths(): Promise<Paths & AsyncDisposable> {
  const root = await Deno.makeTempDir({ prefix: "clodputer-read-" });
  return {
    ...pathsUnder(root),
    [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }),
  };
}

function ev(ts: string, event: string, task: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ ts, event, task, ...extra });
}

Deno.test("readLastLines() reads a 12 MB file backwards, not whole", async () => {
  await using paths = await tempPaths();
  const file = await Deno.open(paths.log, { write: true, create: true });
  const block = new TextEncoder().encode(("y".repeat(99) + "\n").repeat(10_000));
  for (let i = 0; i < 12; i++) await file.write(block);
  await file.write(new TextEncoder().encode("last-1\nlast-2\n"));
  file.close();
  const { lines, bytesRead } = await readLastLines(paths.log, 3);
  assert.deepEqual(lines, ["y".repeat(99), "last-1", "last-2"]);
  assert.ok(bytesRead <= 64 * 1024, `read ${bytesRead} bytes`);
  assert.deepEqual((await readLastLines(join(paths.home, "none"), 5)).lines, []);
});

Deno.test("readLastLines() keeps a last line with no newline, and long and few lines whole", async (t) => {
  await using paths = await tempPaths();
  const write = (text: string) => Deno.writeTextFile(paths.log, text);
  await t.step("a partial last line is the last line", async () => {
    await write("a\nb\nc");
    assert.deepEqual((await readLastLines(paths.log, 2)).lines, ["b", "c"]);
  });
  await t.step("lines longer than a 64 KiB block come back whole", async () => {
    const long = "x".repeat(150 * 1024);
    const longer = "é".repeat(100 * 1024); // 2 bytes each: blocks split its characters
    await write(`first\n${long}\n${longer}\n`);
    assert.deepEqual((await readLastLines(paths.log, 1)).lines, [longer]);
    assert.deepEqual((await readLastLines(paths.log, 2)).lines, [long, longer]);
    assert.deepEqual((await readLastLines(paths.log, 3)).lines, ["first", long, longer]);
  });
  await t.step("more lines asked for than the file has: all of them", async () => {
    await write("a\nb\n");
    assert.deepEqual((await readLastLines(paths.log, 50)).lines, ["a", "b"]);
    await write("");
    assert.deepEqual((await readLastLines(paths.log, 50)).lines, []);
  });
  await t.step("exactly a block of newlines, asked for all of them", async () => {
    await write("\n".repeat(64 * 1024));
    assert.equal((await readLastLines(paths.log, 64 * 1024)).lines.length, 64 * 1024);
  });
});

Deno.test("readEvents() skips a half-written last line and reads N more than the log has", async () => {
  await using paths = await tempPaths();
  const lines = [
    ev("2026-11-25T10:00:00.000Z", "task_started", "a"),
    ev("2026-11-25T10:00:01.000Z", "task_completed", "a"),
  ];
  await Deno.writeTextFile(paths.log, lines.join("\n") + '\n{"ts":"2026-11-25T10:00:02');
  const events = await readEvents(paths, {}, { tail: 20 });
  assert.deepEqual(events.map((e) => e.event), ["task_started", "task_completed"]);
  assert.deepEqual((await readEvents(paths, {}, { tail: 1 })).map((e) => e.event), [
    "task_completed",
  ]);
});

Deno.test("readEvents() takes what the live log lacks from the end of a big archive", async () => {
  await using paths = await tempPaths();
  await Deno.mkdir(paths.archive, { recursive: true });
  const archive = join(paths.archive, "2026-10.log");
  const file = await Deno.open(archive, { write: true, create: true });
  const old = ev("2026-10-01T00:00:00.000Z", "task_started", "old") + "\n";
  await file.write(new TextEncoder().encode(old.repeat(200_000))); // about 12 MB
  await file.write(new TextEncoder().encode(
    [
      ev("2026-10-31T23:00:00.000Z", "task_started", "a"),
      ev("2026-10-31T23:00:01.000Z", "task_completed", "a"),
      ev("2026-10-31T23:00:02.000Z", "task_failed", "b"),
    ].join("\n") + "\n",
  ));
  file.close();
  await Deno.writeTextFile(paths.log, ev("2026-11-01T00:00:00.000Z", "task_started", "c") + "\n");
  const events = await readEvents(paths, {}, { tail: 3 });
  assert.deepEqual(events.map((e) => `${e.task} ${e.event}`), [
    "a task_completed",
    "b task_failed",
    "c task_started",
  ]);
  const byTask = await readEvents(paths, { task: "a" }, { tail: 5 });
  assert.deepEqual(byTask.map((e) => e.event), ["task_started", "task_completed"]);
  const end = await readLastEvents(archive, {}, 2);
  assert.deepEqual(end.events.map((e) => e.task), ["a", "b"]);
  assert.equal(end.whole, false);
  assert.ok(end.bytesRead <= 64 * 1024, `read ${end.bytesRead} bytes`);
});

Deno.test("parseWhen() is still exported by the reader, as lib/log/when.ts reads it", () => {
  assert.equal(parseWhen("2h", Date.UTC(2026, 10, 25, 12)), Date.UTC(2026, 10, 25, 10));
});

Deno.test("matchesFilter() by task, status, run and time", () => {
  const e = parseLogLine(
    ev("2026-11-25T12:00:00.000Z", "task_failed", "a", { run_id: "r1" }),
  ) as LogEvent;
  assert.ok(matchesFilter(e, {}));
  assert.ok(matchesFilter(e, { task: "a", status: "failed", runId: "r1" }));
  assert.ok(!matchesFilter(e, { task: "b" }));
  assert.ok(!matchesFilter(e, { status: "succeeded" }));
  assert.ok(
    matchesFilter(e, { since: Date.UTC(2026, 10, 25, 12), until: Date.UTC(2026, 10, 25, 13) }),
  );
  assert.ok(!matchesFilter(e, { until: Date.UTC(2026, 10, 25, 12) }));
  assert.equal(parseLogLine("not json"), undefined);
  assert.equal(parseLogLine('{"no":"ts"}'), undefined);
});

Deno.test("readEvents() tails the live log and reaches into the archive when it must", async () => {
  await using paths = await tempPaths();
  await Deno.mkdir(paths.archive, { recursive: true });
  await Deno.writeTextFile(
    join(paths.archive, "2026-10.log"),
    [
      ev("2026-10-01T00:00:00.000Z", "task_completed", "a"),
      ev("2026-10-02T00:00:00.000Z", "task_failed", "b"),
    ].join("\n") + "\n",
  );
  await Deno.writeTextFile(
    paths.log,
    [
      ev("2026-11-01T00:00:00.000Z", "task_completed", "a"),
      "garbage",
      ev("2026-11-02T00:00:00.000Z", "task_completed", "b"),
    ].join("\n") + "\n",
  );
  const tasks = (es: LogEvent[]) => es.map((e) => `${e.task}@${e.ts.slice(5, 10)}`);
  assert.deepEqual(tasks(await readEvents(paths, {}, { tail: 2 })), ["a@11-01", "b@11-02"]);
  assert.deepEqual(tasks(await readEvents(paths, {}, { tail: 3 })), [
    "b@10-02",
    "a@11-01",
    "b@11-02",
  ]);
  assert.deepEqual(tasks(await readEvents(paths, { task: "b" }, { tail: 5 })), [
    "b@10-02",
    "b@11-02",
  ]);
  assert.deepEqual(tasks(await readEvents(paths, { since: Date.UTC(2026, 9, 2) })), [
    "b@10-02",
    "a@11-01",
    "b@11-02",
  ]);
  assert.deepEqual(tasks(await readEvents(paths, { since: Date.UTC(2026, 10, 2) })), ["b@11-02"]);
  assert.deepEqual(tasks(await readEvents(paths, { status: "failed" })), ["b@10-02"]);
});

Deno.test("followEvents() sees every new event once, across a rotation", async () => {
  await using paths = await tempPaths();
  const settings = { maxBytes: 400, keepMonths: 6 };
  const log = new EventLog(paths, systemClock, settings);
  await log.append({ event: "before", n: -1 });
  const stop = new AbortController();
  const seen: number[] = [];
  // Where "from the end" is, fixed now: with fromEnd alone the follower finds the end on its
  // own time, and on a loaded machine the first ticks may already be written by then.
  const end = (await Deno.stat(paths.log)).size;
  const reading = (async () => {
    for await (
      const e of followEvents(paths, systemClock, {
        signal: stop.signal,
        fromEnd: true,
        fromOffset: end,
        pollMs: 20,
      })
    ) {
      seen.push(e.n as number);
      if (seen.length === 30) stop.abort();
    }
  })();
  for (let n = 0; n < 30; n++) {
    await log.append({ event: "tick", n, pad: "p".repeat(60) }); // rotates every few lines
    if (n % 7 === 0) await new Promise((r) => setTimeout(r, 30));
  }
  await rotateIfNeeded(paths, systemClock, settings);
  const deadline = setTimeout(() => stop.abort(), 60_000); // only so a bug cannot hang the suite
  await reading;
  clearTimeout(deadline);
  assert.deepEqual(seen, Array.from({ length: 30 }, (_, i) => i));
  assert.ok((await Array.fromAsync(Deno.readDir(paths.archive))).length > 0);
});

Deno.test("followEvents() misses nothing when the log rotates several times between two looks", async () => {
  await using paths = await tempPaths();
  const settings = { maxBytes: 300, keepMonths: 6 };
  const log = new EventLog(paths, systemClock, settings);
  await log.append({ event: "before", n: -1 });
  // The follower starts on a log that a rotation just emptied (the hard case: no line of the
  // current file to recognise). It looks only when this clock is advanced: between two looks
  // the log is written and rotated many times over, and emptied again by the last rotation.
  await rotateIfNeeded(paths, systemClock, { ...settings, maxBytes: 1 });
  const clock = new FakeClock();
  const stop = new AbortController();
  const follower = followEvents(paths, clock, {
    signal: stop.signal,
    fromEnd: true,
    fromOffset: (await Deno.stat(paths.log)).size,
    pollMs: 1000,
  });
  const seen: number[] = [];
  const first = follower.next(); // the first look: nothing new yet; then it sleeps
  await flushMicrotasks();
  for (let n = 0; n < 20; n++) await log.append({ event: "tick", n, pad: "p".repeat(60) });
  await rotateIfNeeded(paths, systemClock, { ...settings, maxBytes: 1 });
  assert.equal((await Deno.stat(paths.log)).size, 0, "the last rotation left the log empty");
  await log.append({ event: "tick", n: 20 });
  await clock.advance(1000);
  const got = await first;
  if (!got.done) seen.push(got.value.n as number);
  while (seen.length < 21) {
    const next = follower.next();
    await clock.advance(1000);
    const r = await next;
    if (r.done) break;
    seen.push(r.value.n as number);
  }
  stop.abort();
  await clock.advance(1000);
  await follower.return(undefined);
  assert.deepEqual(seen, Array.from({ length: 21 }, (_, i) => i));
});
