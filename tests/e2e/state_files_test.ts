/**
 * @module
 * The table of docs/state-files.md, end to end: every state file Clodputer reads back x every
 * damage (empty, `null`, garbage, wrong types, truncated, a folder, a dangling link) x the commands
 * that run constantly or fix things (`run`, `tick`, `status`, `list`, `resume`, `doctor`): no
 * internal error, the queued run runs (no stuck queue), the damaged file is moved aside and the
 * move is logged. Also: `show`, `logs --run` and `resume <run>` of a damaged run record, and a
 * `tasks` that is not a folder. Real processes; one temp home per file x damage, copied from one
 * set up once.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { type CliResult, logEvents, runCli, runTick, type TempHome, tempHome } from "./cli.ts";

const TASK = `name: a\ntask:\n  prompt: "hi"\n  timeout: 60\n`;
const CONFIG = `budget:\n  daily_usd: 5\n`;

/** The damages of the table. `valid` is a good content of the file (for "truncated"). */
type Damage = (valid: Uint8Array, wrong: string) => string | Uint8Array | "folder" | "link";

const DAMAGES: Record<string, Damage> = {
  "empty": () => "",
  "null": () => "null\n",
  "garbage": () => "}{ not at all json \x01\n",
  "wrong types": (_, wrong) => wrong,
  "truncated": (valid) => valid.slice(0, Math.floor(valid.length / 2)),
  "a folder": () => "folder",
  "a dangling link": () => "link",
};

/** A state file: where it is under the home, and a content of the wrong types. */
interface StateFile {
  name: string;
  path: (home: string, runId: string) => string;
  /** A content of the wrong types; undefined where the file has no types (state.kv). */
  wrong?: (valid: string) => string;
  /** A valid content to write into the template (else the template's own, made by the CLI). */
  valid?: string;
  /** Damages that leave nothing to move aside: the file is still usable as it is. */
  usable?: string[];
}

const FILES: StateFile[] = [
  {
    // Deno KV (SQLite): an empty file is an empty database, and SQLite creates the file a dangling
    // link points to; anything else it cannot open is moved aside by lib/state/open.ts.
    name: "state.kv",
    path: (h) => join(h, "state.kv"),
    usable: ["empty", "a dangling link"],
  },
  {
    name: "paused.json",
    path: (h) => join(h, "paused.json"),
    valid: `{"since":"2026-12-01T00:00:00.000Z","until":null}\n`,
    wrong: () => `{"since":"x","until":"garbage"}\n`,
  },
  {
    name: "runs/<id>/result.json",
    path: (h, id) => join(h, "runs", id, "result.json"),
    wrong: (valid) => JSON.stringify({ ...JSON.parse(valid), duration_ms: "ten", warnings: null }),
  },
  {
    // Wrong types inside a current index are tested in tests/config/task_index_test.ts: a copied
    // home's index is stale (the copies' stamps differ), so it is not read for its types here.
    name: "task_index.json",
    path: (h) => join(h, "task_index.json"),
  },
  {
    name: "scheduler.json",
    path: (h) => join(h, "scheduler.json"),
    wrong: () =>
      `{"version":1,"backend":"crontab","entry":{"argv":"x","env":null},"unreadable":null,"others":"2"}\n`,
  },
  {
    name: "watcher.pid",
    path: (h) => join(h, "watcher.pid"),
    valid:
      `{"pid":999999999,"started":"Mon Dec  7 08:00:00 2026","since":"2026-12-07T08:00:00.000Z","folders":[],"last_event":null}\n`,
    wrong: () => `{"pid":"abc","started":1,"folders":null}\n`,
  },
];

async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) {
    const a = join(from, e.name);
    const b = join(to, e.name);
    if (e.isDirectory) await copyTree(a, b);
    else if (e.isFile) await Deno.copyFile(a, b);
  }
}

async function damage(file: string, how: string | Uint8Array): Promise<void> {
  await Deno.remove(file, { recursive: true }).catch(() => {});
  for (const suffix of ["-wal", "-shm"]) await Deno.remove(`${file}${suffix}`).catch(() => {});
  if (how === "folder") await Deno.mkdir(join(file, "inside"), { recursive: true });
  else if (how === "link") await Deno.symlink(`${file}.nowhere`, file);
  else if (typeof how === "string") await Deno.writeTextFile(file, how);
  else await Deno.writeFile(file, how);
}

function noInternalError(what: string, r: CliResult, codes: number[] = [0]): void {
  assert.doesNotMatch(r.stderr + r.stdout, /internal error/, `${what}: ${r.stderr}`);
  assert.ok(codes.includes(r.code), `${what}: exited ${r.code}\n${r.stdout}\n${r.stderr}`);
}

/** Runs `work` over `items`, `limit` at a time. */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: limit }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}

/** A home with a task that has run, the task index status and list keep, and a runId. */
async function template(): Promise<{ home: TempHome; runId: string }> {
  const home = await tempHome();
  await home.writeTask("a", TASK);
  await Deno.writeTextFile(join(home.clodputerHome, "config.yaml"), CONFIG);
  const run = await runCli(home, ["run", "a", "--json"]);
  assert.equal(run.code, 0, run.stderr);
  const runId = (JSON.parse(run.stdout) as { id: string }).id;
  for (const args of [["list"], ["status"]]) {
    const r = await runCli(home, args);
    assert.equal(r.code, 0, r.stderr);
  }
  for (const f of FILES) {
    const path = f.path(home.clodputerHome, runId);
    if (f.valid !== undefined) continue;
    await Deno.stat(path).catch(() => assert.fail(`the template has no ${f.name} (${path})`));
  }
  return { home, runId };
}

Deno.test("every state file x every damage: run, tick, status, list, resume and doctor go on", async () => {
  const { home: base, runId } = await template();
  await using _base = base;
  const cases = FILES.flatMap((file) =>
    Object.keys(DAMAGES).filter((d) => d !== "wrong types" || file.wrong)
      .map((damageName) => ({ file, damageName }))
  );
  const failures: string[] = [];
  await pool(cases, 6, async ({ file, damageName }) => {
    await using home = await tempHome();
    const what = `${file.name}, ${damageName}`;
    try {
      await copyTree(base.clodputerHome, home.clodputerHome);
      const path = file.path(home.clodputerHome, runId);
      const valid = file.valid !== undefined
        ? new TextEncoder().encode(file.valid)
        : await Deno.readFile(file.path(base.clodputerHome, runId));
      const wrong = file.wrong?.(new TextDecoder().decode(valid)) ?? "";
      await damage(path, (DAMAGES[damageName] as Damage)(valid, wrong));

      // run first: the queued item runs (a damaged pause is no pause), nothing is left queued.
      const run = await runCli(home, ["run", "a"]);
      noInternalError(`${what}: run`, run);
      assert.match(run.stdout + run.stderr, /✓ a succeeded/, `${what}: run did not run a`);
      for (const args of [["tick"], ["status"], ["list"], ["resume"]]) {
        noInternalError(
          `${what}: ${args.join(" ")}`,
          await (args[0] === "tick" ? runTick : runCli)(home, args),
        );
      }
      if (file.name === "paused.json") {
        // resume always clears a pause, whatever was in the file.
        const left = await Deno.lstat(path).then(() => true, () => false);
        assert.equal(left, false, `${what}: resume left ${path}`);
      }
      noInternalError(`${what}: doctor`, await runCli(home, ["doctor"]), [0, 1]);
      const queue = await runCli(home, ["queue", "--json"]);
      noInternalError(`${what}: queue`, queue);
      assert.deepEqual(JSON.parse(queue.stdout).queued, [], `${what}: the queue is stuck`);

      if (file.name.startsWith("runs/")) {
        for (const args of [["show", runId], ["logs", "--run", runId]]) {
          const r = await runCli(home, args);
          noInternalError(`${what}: ${args.join(" ")}`, r);
          assert.match(
            r.stdout,
            new RegExp(`run:\\s+${runId}`),
            `${what}: ${args[0]} shows no run`,
          );
        }
      }

      // Moved aside (a value of the wrong shape too), and the move logged with what was wrong.
      if (!file.usable?.includes(damageName)) {
        const dir = join(path, "..");
        const names = await Array.fromAsync(Deno.readDir(dir), (e) => e.name);
        const base = path.slice(dir.length + 1);
        assert.ok(
          names.some((n) => n.startsWith(`${base}.corrupt-`)),
          `${what}: not moved aside (${names.join(", ")})`,
        );
        const logged = (await logEvents(home)).filter((e) =>
          e.event === "state_file_damaged" && e.file === path
        );
        assert.ok(logged.length > 0, `${what}: the move is not logged`);
        assert.equal(typeof logged[0]?.error, "string");
      }
    } catch (error) {
      failures.push(error instanceof Error ? error.message : String(error));
    }
  });
  assert.deepEqual(failures, [], failures.join("\n\n"));
});

Deno.test("the retired caches (list_cache.json, budget_cache.json) are not read: any content is no error, nothing moved", async () => {
  await using home = await tempHome();
  await home.writeTask("a", TASK);
  await Deno.writeTextFile(join(home.clodputerHome, "config.yaml"), CONFIG);
  const retired = ["list_cache.json", "budget_cache.json"];
  // What the old builds wrote, and garbage: neither is read, so neither counts as damaged.
  await Deno.writeTextFile(
    join(home.clodputerHome, "list_cache.json"),
    JSON.stringify({ format: 1, version: "0", home: null, config: null, tasks: { a: 5 } }),
  );
  await Deno.writeTextFile(join(home.clodputerHome, "budget_cache.json"), "}{ not json\n");
  const list = await runCli(home, ["list"]);
  noInternalError("list", list);
  assert.match(list.stdout, /^✓ a/m);
  const status = await runCli(home, ["status", "--json"]);
  noInternalError("status --json", status);
  assert.equal(JSON.parse(status.stdout).budget?.daily_usd, 5, status.stdout);
  const names = await Array.fromAsync(Deno.readDir(home.clodputerHome), (e) => e.name);
  assert.deepEqual(names.filter((n) => n.includes(".corrupt-")), []);
  for (const name of retired) assert.ok(names.includes(name), `${name} was touched`);
  assert.deepEqual((await logEvents(home)).filter((e) => e.event === "state_file_damaged"), []);
});

Deno.test("a damaged run record: show, logs --run and resume <run> name the file and show what the store kept", async () => {
  await using home = await tempHome();
  await home.writeTask("a", TASK);
  const run = await runCli(home, ["run", "a", "--json"]);
  assert.equal(run.code, 0, run.stderr);
  const id = (JSON.parse(run.stdout) as { id: string }).id;
  const file = join(home.clodputerHome, "runs", id, "result.json");
  const text = await Deno.readTextFile(file);
  const damaged = (stderr: string) => {
    assert.ok(
      stderr.startsWith(`warning: ${file} is damaged (not JSON: Unterminated string`),
      stderr,
    );
    assert.ok(stderr.includes(`; it was moved to ${file}.corrupt-`), stderr);
  };

  // Cut inside a string (the run id), so the parser's complaint does not depend on the record.
  await Deno.writeTextFile(file, text.slice(0, text.indexOf(id) + 4));
  const show = await runCli(home, ["show", id]);
  assert.equal(show.code, 0, show.stderr);
  damaged(show.stderr);
  assert.match(show.stdout, /^✓ a succeeded$/m, "the store's summary is shown");
  assert.match(show.stdout, new RegExp(`^run:\\s+${id}$`, "m"));

  await Deno.writeTextFile(file, "null");
  const logs = await runCli(home, ["logs", "--run", id, "--json"]);
  assert.equal(logs.code, 0, logs.stderr);
  assert.match(logs.stderr, /result\.json is damaged \(it should be an object, got null\)/);
  const shown = JSON.parse(logs.stdout);
  assert.equal(shown.id, id);
  assert.equal(shown.damaged.file, file);
  assert.match(shown.damaged.moved_to, /result\.json\.corrupt-/);

  // resume <run> reopens the session the store kept.
  await Deno.writeTextFile(file, JSON.stringify({ ...JSON.parse(text), claude: "x" }));
  const resume = await runCli(home, ["resume", id, "--json"]);
  assert.equal(resume.code, 0, resume.stderr);
  assert.match(resume.stderr, /result\.json is damaged \("claude" should be an object, got "x"\)/);
  assert.ok(
    resume.stdout.includes(JSON.parse(text).claude.session_id),
    `resume --json names the session: ${resume.stdout}`,
  );
});

Deno.test("tasks that is not a folder: run, tick, list and validate exit 2 naming it; doctor says so first", async () => {
  await using home = await tempHome();
  const tasks = join(home.clodputerHome, "tasks");
  await Deno.remove(tasks, { recursive: true });
  await Deno.writeTextFile(tasks, "name: a\n");
  for (const args of [["run", "a"], ["tick"], ["list"], ["validate"]]) {
    const r = await runCli(home, args);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.equal(
      r.stderr.split("\n")[0],
      `error: Cannot read the tasks: ${tasks} is not a folder`,
      args.join(" "),
    );
    assert.match(r.stderr, /^hint: move it aside and make the folder: mv /m);
  }
  const status = await runCli(home, ["status"]);
  assert.equal(status.code, 0, status.stderr);
  const doctor = await runCli(home, ["doctor", "--json"]);
  const checks = JSON.parse(doctor.stdout).checks as {
    id: string;
    status: string;
    message: string;
  }[];
  assert.deepEqual(checks[0], {
    ...checks[0],
    id: "home:tasks-folder",
    status: "fail",
    message: `${tasks} is not a folder: no task can be listed, run or scheduled`,
  });
  assert.ok(!checks.some((c) => c.id === "tasks"), "no second finding about the same folder");
});
