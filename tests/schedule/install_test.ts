/**
 * @module
 * install and uninstall against the stand-in crontab and launchctl (first on PATH, never the
 * real ones): foreign lines kept, idempotence, backups, removal, failures with their fix, the
 * LaunchAgent's plist, and what status reads back.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { EnvironmentError, UsageError } from "../../lib/errors.ts";
import { install, type InstallDeps, readInstall, uninstall } from "../../lib/schedule/install.ts";
import { readInstallRecorded } from "../../lib/schedule/installed.ts";
import { LAUNCHD_LABEL, plistPath, readPlist } from "../../lib/schedule/launchd.ts";
import { systemClock } from "../../lib/sys/clock.ts";
import { envFrom } from "../../lib/sys/env.ts";
import { pathsUnder } from "../../lib/sys/paths.ts";
import type { SelfCommand } from "../../lib/sys/self.ts";
import { systemProc } from "../../lib/sys/proc.ts";
import { FIXTURE_BIN } from "../e2e/cli.ts";

const FOREIGN =
  "# my jobs\nMAILTO=me@example.com\n\n0 5 * * * /usr/bin/backup --at 5\\%\n# no newline";
const SECRET = "sk-ant-very-secret-value-1234";

interface Scene extends AsyncDisposable {
  root: string;
  home: string;
  crontab: string;
  deps(extra?: Partial<Omit<InstallDeps, "env">> & { env?: Record<string, string> }): InstallDeps;
  backups(): Promise<string[]>;
}

async function scene(homeName = ".clodputer"): Promise<Scene> {
  const root = await Deno.makeTempDir({ prefix: "clodputer-install-" });
  const home = join(root, homeName);
  await Deno.mkdir(join(home, "tasks"), { recursive: true });
  await Deno.writeTextFile(
    join(home, "tasks", "daily.yaml"),
    'name: daily\nschedule:\n  type: cron\n  expression: "0 8 * * 1-5"\n  timezone: Europe/Paris\n' +
      'task:\n  prompt: "hi"\n  env:\n    ANTHROPIC_API_KEY: "{{ env.ANTHROPIC_API_KEY }}"\n',
  );
  const crontab = join(root, ".fake-crontab");
  return {
    root,
    home,
    crontab,
    deps(extra = {}) {
      const { env, ...rest } = extra;
      return {
        proc: systemProc(),
        clock: systemClock,
        os: "linux",
        paths: pathsUnder(home),
        env: envFrom({
          HOME: root,
          PATH: `${FIXTURE_BIN}:/usr/bin:/bin`,
          ANTHROPIC_API_KEY: SECRET,
          ...env,
        }),
        self: { kind: "binary", argv: ["/opt/homebrew/bin/clodputer"] },
        uid: 501,
        ...rest,
      };
    },
    async backups() {
      const dir = join(home, "backups");
      const names = await Array.fromAsync(Deno.readDir(dir)).catch(() => []);
      return names.map((e) => join(dir, e.name)).sort();
    },
    async [Symbol.asyncDispose]() {
      await Deno.remove(root, { recursive: true });
    },
  };
}

Deno.test("install() writes one tick entry, keeps every foreign byte, backs up, and is idempotent", async () => {
  await using s = await scene();
  await Deno.writeTextFile(s.crontab, FOREIGN);
  const first = await install(s.deps(), { backend: "crontab", dryRun: false });
  assert.equal(first.changed, true);
  const table = await Deno.readTextFile(s.crontab);
  assert.ok(table.endsWith(FOREIGN), "the user's lines follow, byte for byte");
  assert.match(table, /^# BEGIN clodputer/);
  assert.match(table, /^# {3}daily {2}0 8 \* \* 1-5 {2}Europe\/Paris$/m);
  const entries = table.split("\n").filter((l) => l.startsWith("* * * * *"));
  assert.equal(entries.length, 1);
  assert.match(
    entries[0] ?? "",
    /^\* \* \* \* \* PATH=\S+ SHELL=\/bin\/sh \/opt\/homebrew\/bin\/clodputer tick$/,
  );
  assert.ok(!table.includes(SECRET), "no secret is ever written into the crontab");
  assert.equal(first.backup, (await s.backups())[0]);
  assert.equal(await Deno.readTextFile(first.backup ?? ""), FOREIGN, "the backup is the old table");

  const second = await install(s.deps(), { backend: "crontab", dryRun: false });
  assert.equal(second.changed, false);
  assert.equal(second.backup, null);
  assert.equal(await Deno.readTextFile(s.crontab), table);
  assert.equal((await s.backups()).length, 1, "no change, no new backup");

  const removed = await uninstall(s.deps(), { dryRun: false });
  assert.deepEqual(removed.removed, ["crontab"]);
  assert.equal(await Deno.readTextFile(s.crontab), FOREIGN, "exactly the table it found");
  assert.equal((await s.backups()).length, 2);
  const again = await uninstall(s.deps(), { dryRun: false });
  assert.deepEqual(again.removed, [], "no section: nothing to do");
});

Deno.test("install() on a user with no crontab, and --dry-run changing nothing", async () => {
  await using s = await scene();
  const dry = await install(s.deps(), { backend: "crontab", dryRun: true });
  assert.equal(dry.changed, true);
  assert.match(dry.text, /tick\n# END clodputer\n$/);
  await assert.rejects(Deno.stat(s.crontab), Deno.errors.NotFound);
  await install(s.deps(), { backend: "crontab", dryRun: false });
  assert.equal(await Deno.readTextFile(s.crontab), dry.text);
});

Deno.test("install() names CLODPUTER_HOME only when it is not the default, quoted for cron", async () => {
  await using s = await scene(`odd home 'q' 100%`);
  await install(s.deps(), { backend: "crontab", dryRun: false });
  const table = await Deno.readTextFile(s.crontab);
  assert.ok(table.includes(`CLODPUTER_HOME='${s.root}/odd home '\\''q'\\'' 100\\%'`), table);
  const status = await readInstall(s.deps());
  assert.equal(status.backend, "crontab");
  assert.equal(status.entry?.env.CLODPUTER_HOME, s.home);
  assert.ok(!status.stale.some((r) => /uses the home/.test(r)), "the home matches");
});

Deno.test("readInstall() says stale when the entry calls a missing clodputer or another home", async () => {
  await using s = await scene();
  await install(s.deps(), { backend: "crontab", dryRun: false });
  const missing = await readInstall(s.deps());
  assert.deepEqual(missing.stale, [
    "it calls /opt/homebrew/bin/clodputer, which is not an executable file any more",
  ]);
  const real = join(s.root, "clodputer");
  await Deno.writeTextFile(real, "#!/bin/sh\n", { mode: 0o755 });
  await install(s.deps({ self: { kind: "binary", argv: [real] } }), {
    backend: "crontab",
    dryRun: false,
  });
  assert.deepEqual((await readInstall(s.deps())).stale, []);
  const other = await readInstall(s.deps({ paths: pathsUnder(join(s.root, "elsewhere")) }));
  assert.deepEqual(other.stale, [`it uses the home ${s.home}, not ${join(s.root, "elsewhere")}`]);
});

Deno.test("readInstallRecorded() reads the crontab once and then its record; install and uninstall drop the record; file checks stay live", async () => {
  await using s = await scene();
  const real = join(s.root, "clodputer");
  await Deno.writeTextFile(real, "#!/bin/sh\n", { mode: 0o755 });
  const self: SelfCommand = { kind: "binary", argv: [real] };
  await install(s.deps({ self }), { backend: "crontab", dryRun: false });
  const record = join(s.home, "scheduler.json");
  await assert.rejects(Deno.stat(record), Deno.errors.NotFound, "install leaves no record");

  const first = await readInstallRecorded(s.deps(), 0);
  assert.equal(first.backend, "crontab");
  assert.deepEqual(first.stale, []);
  assert.ok((await Deno.stat(record)).isFile, "the first read keeps a record");

  // crontab -l is not run again: a table it cannot read changes nothing status shows...
  await Deno.writeTextFile(join(s.root, ".fake-crontab-fail"), "must not be called");
  const recorded = await readInstallRecorded(s.deps(), 0);
  assert.deepEqual(recorded, first);
  // ...but the files the entry names are checked each time.
  await Deno.remove(real);
  assert.deepEqual((await readInstallRecorded(s.deps(), 0)).stale, [
    `it calls ${real}, which is not an executable file any more`,
  ]);
  // doctor's full read sees the crontab as it is (here: unreadable) and keeps no record of that.
  assert.match((await readInstall(s.deps())).unavailable ?? "", /must not be called/);
  assert.equal((await readInstallRecorded(s.deps(), 0)).backend, "crontab");
  await Deno.remove(join(s.root, ".fake-crontab-fail"));

  await uninstall(s.deps(), { dryRun: false });
  await assert.rejects(Deno.stat(record), Deno.errors.NotFound, "uninstall drops the record");
  const after = await readInstallRecorded(s.deps(), 0);
  assert.equal(after.backend, null, "the next read finds the section gone");
  assert.equal((await readInstallRecorded(s.deps(), 0)).backend, null);
  await install(s.deps({ self }), { backend: "crontab", dryRun: false });
  assert.equal((await readInstallRecorded(s.deps(), 0)).backend, "crontab");
});

Deno.test("install() says what failed and how to fix it when crontab refuses or is missing", async () => {
  await using s = await scene();
  const fail = join(s.root, ".fake-crontab-fail");
  await Deno.writeTextFile(fail, "you (me) are not allowed to use this program");
  await assert.rejects(
    install(s.deps(), { backend: "crontab", dryRun: false }),
    (e: unknown) =>
      e instanceof EnvironmentError && /not allowed/.test(e.message) &&
      /cron\.allow/.test(e.hint ?? ""),
  );
  await Deno.writeTextFile(fail, "Operation not permitted");
  await assert.rejects(
    install(s.deps({ os: "darwin" }), { backend: "crontab", dryRun: false }),
    (e: unknown) => e instanceof EnvironmentError && /Full Disk Access/.test(e.hint ?? ""),
  );
  await Deno.remove(fail);
  const noCron = await Deno.makeTempDir({ dir: s.root });
  await Deno.symlink(join(FIXTURE_BIN, "claude"), join(noCron, "claude"));
  await assert.rejects(
    install(s.deps({ env: { PATH: noCron } }), { backend: "crontab", dryRun: false }),
    (e: unknown) =>
      e instanceof EnvironmentError && /Cannot run crontab/.test(e.message) &&
      /apt install cron/.test(e.hint ?? ""),
  );
});

Deno.test("install() refuses a home path that cannot be written into a crontab", async () => {
  await using s = await scene();
  await assert.rejects(
    install(s.deps({ paths: pathsUnder(join(s.root, "line\nbreak")) }), {
      backend: "crontab",
      dryRun: false,
    }),
    (e: unknown) => e instanceof UsageError && /line breaks/.test(e.hint ?? ""),
  );
});

Deno.test("install() warns on macOS about working folders cron needs Full Disk Access for", async () => {
  await using s = await scene();
  await Deno.writeTextFile(
    join(s.home, "tasks", "notes.yaml"),
    'schedule:\n  type: cron\n  expression: "0 9 * * *"\ntask:\n  prompt: hi\n' +
      "  working_directory: ~/Documents/notes\n",
  );
  const result = await install(s.deps({ os: "darwin" }), { backend: "crontab", dryRun: true });
  assert.ok(
    result.warnings.some((w) => /notes works in .*\/Documents\/notes.*Full Disk Access/.test(w)),
    result.warnings.join("\n"),
  );
  const linux = await install(s.deps(), { backend: "crontab", dryRun: true });
  assert.ok(!linux.warnings.some((w) => /Full Disk Access/.test(w)));
});

Deno.test("install --launchd writes a LaunchAgent, loads it, and uninstall boots it out", async () => {
  await using s = await scene();
  const log = join(s.root, ".fake-launchd", "calls");
  const deps = s.deps({ os: "darwin" });
  const first = await install(deps, { backend: "launchd", dryRun: false });
  assert.equal(first.changed, true);
  const file = plistPath(s.root);
  assert.equal(first.file, file);
  const text = await Deno.readTextFile(file);
  assertWellFormedPlist(text);
  const read = readPlist(text);
  assert.deepEqual(read?.argv, ["/opt/homebrew/bin/clodputer", "tick"]);
  assert.equal(read?.env.SHELL, "/bin/sh");
  assert.ok(!text.includes(SECRET));
  assert.match(text, /<key>StartInterval<\/key>\s*<integer>60<\/integer>/);
  assert.ok(text.includes(`<key>WorkingDirectory</key>\n\t<string>${s.root}</string>`), text);
  assert.match(text, new RegExp(`<key>Label</key>\\s*<string>${LAUNCHD_LABEL}</string>`));
  // Background would put the tick, claude and all it starts under background CPU and I/O limits.
  assert.match(text, /<key>ProcessType<\/key>\s*<string>Standard<\/string>/);
  assert.doesNotMatch(text, /Background/);
  assert.deepEqual(await calls(log), [
    ["print", `gui/501/${LAUNCHD_LABEL}`],
    ["bootstrap", "gui/501", file],
  ]);
  const second = await install(deps, { backend: "launchd", dryRun: false });
  assert.equal(second.changed, false, "loaded and unchanged");
  assert.equal((await readInstall(deps)).backend, "launchd");

  const removed = await uninstall(deps, { dryRun: false });
  assert.deepEqual(removed.removed, ["launchd"]);
  await assert.rejects(Deno.stat(file), Deno.errors.NotFound);
  assert.deepEqual((await calls(log)).at(-1), ["bootout", `gui/501/${LAUNCHD_LABEL}`]);
  assert.ok(removed.backups[0]?.endsWith(".plist"));
});

Deno.test("install --launchd is refused off macOS", async () => {
  await using s = await scene();
  await assert.rejects(
    install(s.deps(), { backend: "launchd", dryRun: false }),
    (e: unknown) => e instanceof UsageError && /macOS only/.test(e.message),
  );
});

async function calls(log: string): Promise<string[][]> {
  return (await Deno.readTextFile(log)).trim().split("\n").map((l) => l.split("\t"));
}

/** What plutil -lint checks that matters here: the XML is well formed, the dict balanced. */
function assertWellFormedPlist(text: string): void {
  assert.match(text, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<!DOCTYPE plist /);
  const stack: string[] = [];
  for (
    const m of text.matchAll(/<(\/?)([a-zA-Z]+)(\/?)>|<\?[^>]*\?>|<!DOCTYPE[^>]*>|<plist[^>]*>/g)
  ) {
    if (m[0].startsWith("<?") || m[0].startsWith("<!")) continue;
    if (m[0].startsWith("<plist")) {
      stack.push("plist");
      continue;
    }
    const [, close, name, selfClose] = m;
    if (selfClose) continue;
    if (close) assert.equal(stack.pop(), name, `</${name}> closes what was opened`);
    else stack.push(name as string);
  }
  assert.deepEqual(stack, []);
  assert.doesNotMatch(text.replace(/&(amp|lt|gt|quot|apos);/g, ""), /&/, "every & is escaped");
  const dict = text.match(/<plist version="1\.0">\n<dict>([\s\S]*)<\/dict>\n<\/plist>/)?.[1] ?? "";
  const keys = [...dict.matchAll(/^\t<key>(\w+)<\/key>/gm)].map((k) => k[1]);
  assert.deepEqual(keys, [
    "Label",
    "ProgramArguments",
    "EnvironmentVariables",
    "WorkingDirectory",
    "StartInterval",
    "RunAtLoad",
    "ProcessType",
    "StandardOutPath",
    "StandardErrorPath",
  ]);
}
