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
import { readInstallRecorded } from "../../lib/schedule/install_state.ts";
import { LAUNCHD_LABEL, plistPath, readPlist } from "../../lib/schedule/launchd.ts";
import { systemClock } from "../../lib/sys/clock.ts";
import { SteppingClock } from "../fakes/clock.ts";
import { envFrom } from "../../lib/sys/env.ts";
import { pathsUnder } from "../../lib/sys/paths.ts";
import type { SelfCommand } from "../../lib/sys/self.ts";
import { systemProc } from "../../lib/sys/proc.ts";
import { FIXTURE_BIN } from "../e2e/cli.ts";
import { needProgram } from "../needs.ts";

const FOREIGN =
  "# my jobs\nMAILTO=me@example.com\n\n0 5 * * * /usr/bin/backup --at 5\\%\n# no newline";
const SECRET = "sk-ant-very-secret-value-1234";
const PLIST_FIXTURES = new URL("../fixtures/plist/", import.meta.url).pathname;
const xmllint = needProgram("xmllint", "the LaunchAgent's plist is checked against the plist DTD");

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
  assert.doesNotMatch(table, /daily/, "no task is named: clodputer list says what is scheduled");
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
  // On Linux (Fedora and Arch ship no cron) the way out is the systemd timer; on macOS, PATH.
  await assert.rejects(
    install(s.deps({ env: { PATH: noCron } }), { backend: "crontab", dryRun: false }),
    (e: unknown) =>
      e instanceof UsageError && /there is no crontab command on PATH/.test(e.message) &&
      /clodputer install --systemd/.test(e.hint ?? "") && /apt install cron/.test(e.hint ?? ""),
  );
  await assert.rejects(
    install(s.deps({ os: "darwin", env: { PATH: noCron } }), { backend: "crontab", dryRun: false }),
    (e: unknown) =>
      e instanceof EnvironmentError && /Cannot run crontab/.test(e.message) &&
      /--launchd/.test(e.hint ?? ""),
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

Deno.test("install() names what needs Full Disk Access: cron for the crontab, the agent's program for --launchd", async () => {
  await using s = await scene();
  await Deno.writeTextFile(
    join(s.home, "tasks", "notes.yaml"),
    'schedule:\n  type: cron\n  expression: "0 9 * * *"\ntask:\n  prompt: hi\n' +
      "  working_directory: ~/Documents/notes\n",
  );
  const fda = (r: { warnings: string[] }) => r.warnings.filter((w) => /Full Disk/.test(w));
  const where = "System Settings > Privacy & Security > Full Disk Access";
  const cwd = join(s.root, "Documents", "notes");
  const cron = await install(s.deps({ os: "darwin" }), { backend: "crontab", dryRun: true });
  assert.deepEqual(fda(cron), [
    `notes works in ${cwd}, which macOS protects: cron needs Full Disk Access to read it ` +
    `(${where}: add /usr/sbin/cron)`,
  ]);
  const agent = await install(s.deps({ os: "darwin" }), { backend: "launchd", dryRun: true });
  assert.deepEqual(fda(agent), [
    `notes works in ${cwd}, which macOS protects: the LaunchAgent's program needs Full Disk ` +
    `Access to read it (${where}: add /opt/homebrew/bin/clodputer, clodputer); after an upgrade ` +
    "of clodputer macOS may need the grant again (remove it and add it back)",
  ]);
  const source = await install(
    s.deps({
      os: "darwin",
      self: { kind: "source", argv: [join(s.root, ".deno", "bin", "clodputer")] },
      runtime: "/opt/homebrew/Cellar/deno/2.9.6/bin/deno",
    }),
    { backend: "launchd", dryRun: true },
  );
  assert.deepEqual(fda(source), [
    `notes works in ${cwd}, which macOS protects: the LaunchAgent's program needs Full Disk ` +
    `Access to read it (${where}: add /opt/homebrew/Cellar/deno/2.9.6/bin/deno, deno, which ` +
    "runs the source install); after an upgrade of deno macOS may need the grant again (remove " +
    "it and add it back)",
  ]);
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
  assertPlistKeys(text);
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

/** A scene on "macOS" whose clock only moves by what install sleeps, and the stand-in's folder. */
async function launchdScene() {
  const s = await scene();
  const state = join(s.root, ".fake-launchd");
  await Deno.mkdir(state, { recursive: true });
  const clock = new SteppingClock();
  return {
    s,
    clock,
    deps: (self = "/opt/homebrew/bin/clodputer") =>
      s.deps({ os: "darwin", clock, self: { kind: "binary", argv: [self] } }),
    /** Steers the stand-in launchctl (see tests/fixtures/bin/launchctl). */
    steer: (name: string, value: string) => Deno.writeTextFile(join(state, name), value),
    calls: () => calls(join(state, "calls")),
    async [Symbol.asyncDispose]() {
      await s[Symbol.asyncDispose]();
    },
  };
}

Deno.test("install --launchd twice in a row waits until launchd has removed the old job, then loads the new one", async () => {
  await using l = await launchdScene();
  await install(l.deps(), { backend: "launchd", dryRun: false });
  // launchd removes a booted-out job in the background: print still finds it 3 more times, and
  // a bootstrap meanwhile fails with "5: Input/output error".
  await l.steer("linger", "3");
  const second = await install(l.deps("/usr/local/bin/clodputer"), {
    backend: "launchd",
    dryRun: false,
  });
  assert.equal(second.changed, true);
  const service = `gui/501/${LAUNCHD_LABEL}`;
  assert.deepEqual((await l.calls()).slice(2), [
    ["print", service],
    ["bootout", service],
    ["print", service],
    ["print", service],
    ["print", service],
    ["print", service],
    ["bootstrap", "gui/501", plistPath(l.s.root)],
  ]);
  assert.deepEqual(l.clock.slept, [100, 200, 400], "polled with backoff, on the clock");
  assert.deepEqual(readPlist(await Deno.readTextFile(plistPath(l.s.root)))?.argv, [
    "/usr/local/bin/clodputer",
    "tick",
  ]);
});

Deno.test("install --launchd tries bootstrap again while launchd answers error 5", async () => {
  await using l = await launchdScene();
  await l.steer("bootstrap-fail", "2");
  const result = await install(l.deps(), { backend: "launchd", dryRun: false });
  assert.equal(result.changed, true);
  assert.equal((await l.calls()).filter((c) => c[0] === "bootstrap").length, 3);
  assert.deepEqual(l.clock.slept, [500, 1000]);
});

Deno.test("install --launchd says what to run by hand when bootstrap keeps failing with error 5", async () => {
  await using l = await launchdScene();
  await l.steer("bootstrap-fail", "99");
  const file = plistPath(l.s.root);
  await assert.rejects(
    install(l.deps(), { backend: "launchd", dryRun: false }),
    (e: unknown) => {
      assert.ok(e instanceof EnvironmentError);
      assert.equal(
        e.message,
        `Cannot load the LaunchAgent: launchctl bootstrap gui/501 ${file} failed 4 times: ` +
          "Bootstrap failed: 5: Input/output error (launchd says this while it still removes a " +
          "job of the same label); the file is written but not loaded, so no tick runs",
      );
      assert.equal(
        e.hint,
        `check the file with: plutil -lint ${file}; then load it by hand: ` +
          `launchctl bootout gui/501/${LAUNCHD_LABEL}; launchctl bootstrap gui/501 ${file}`,
      );
      return true;
    },
  );
  assert.deepEqual(l.clock.slept, [500, 1000, 2000], "a few tries, then it stops");
});

Deno.test("install --launchd stops after 10 s on the clock when the old job does not go away", async () => {
  await using l = await launchdScene();
  await install(l.deps(), { backend: "launchd", dryRun: false });
  await l.steer("linger", "1000");
  await assert.rejects(
    install(l.deps("/usr/local/bin/clodputer"), { backend: "launchd", dryRun: false }),
    (e: unknown) =>
      e instanceof EnvironmentError &&
      /the old one \(gui\/501\/dev\.clodputer\.tick\) is still loaded 10 s after launchctl bootout/
        .test(e.message) &&
      /launchctl bootstrap gui\/501 /.test(e.hint ?? ""),
  );
  assert.equal(l.clock.slept.reduce((a, b) => a + b, 0), 10_000, "bounded on the clock");
  assert.ok(!(await l.calls()).slice(2).some((c) => c[0] === "bootstrap"));
});

Deno.test("install --launchd says there is no GUI session when the gui domain is missing (SSH)", async () => {
  await using l = await launchdScene();
  await l.steer("no-gui", "");
  await assert.rejects(
    install(l.deps(), { backend: "launchd", dryRun: false }),
    (e: unknown) =>
      e instanceof EnvironmentError &&
      e.message ===
        "Cannot load the LaunchAgent: there is no GUI session for user 501 (launchctl: Bad " +
          "request. Could not find domain for user gui: 501); a LaunchAgent runs in the gui/501 " +
          "domain, which exists only while you are logged in at the Mac (not over SSH alone)" &&
      /clodputer install$/.test(e.hint ?? ""),
  );
  await assert.rejects(Deno.stat(plistPath(l.s.root)), Deno.errors.NotFound, "nothing written");

  // When only bootstrap tells (print just finds no such job), the file is written by then.
  await l.steer("no-gui", "bootstrap-only");
  await assert.rejects(
    install(l.deps(), { backend: "launchd", dryRun: false }),
    (e: unknown) =>
      e instanceof EnvironmentError &&
      e.message.includes("(launchctl: Bootstrap failed: 125: Domain does not support specified") &&
      e.message.endsWith(
        `${plistPath(l.s.root)} is written, and launchd loads it at your next login at the Mac`,
      ),
  );
  assert.equal((await l.calls()).filter((c) => c[0] === "bootstrap").length, 1, "not retried");
});

Deno.test({
  name: "the LaunchAgent's plist is valid against the plist DTD, with characters XML escapes",
  ignore: xmllint.ignore,
  async fn() {
    await using s = await scene(`home & <co> "q" 'a' \u00e9`);
    const self = `${s.root}/R&D <tools>/"clodputer" 'x'`;
    const deps = s.deps({ os: "darwin", self: { kind: "binary", argv: [self] } });
    await install(deps, { backend: "launchd", dryRun: false });
    const file = plistPath(s.root);
    await assertValidPlist(file);
    const read = readPlist(await Deno.readTextFile(file));
    assert.deepEqual(read?.argv, [self, "tick"]);
    assert.equal(read?.env.CLODPUTER_HOME, s.home);

    // The check is real: a key without its value is refused.
    const broken = join(s.root, "broken.plist");
    await Deno.writeTextFile(
      broken,
      (await Deno.readTextFile(file)).replace(
        "\t<key>RunAtLoad</key>\n\t<true/>\n",
        "\t<key>RunAtLoad</key>\n",
      ),
    );
    await assert.rejects(assertValidPlist(broken), /xmllint --valid/);
  },
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

/** The top-level keys of a plist this module wrote, in order (what plutil -p would list). */
function assertPlistKeys(text: string): void {
  assert.match(text, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<!DOCTYPE plist /);
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

/**
 * Checks `file` with real tools: xmllint validates it against the plist DTD its DOCTYPE names
 * (resolved through tests/fixtures/plist/catalog.xml, no network), and on macOS `plutil -lint`.
 */
async function assertValidPlist(file: string): Promise<void> {
  const run = async (command: string, args: string[], env: Record<string, string> = {}) => {
    const { code, stdout, stderr } = await new Deno.Command(command, { args, env }).output();
    const text = (b: Uint8Array) => new TextDecoder().decode(b);
    return { code, stdout: text(stdout), stderr: text(stderr) };
  };
  const lint = await run(xmllint.path, ["--noout", "--nonet", "--valid", file], {
    XML_CATALOG_FILES: join(PLIST_FIXTURES, "catalog.xml"),
  });
  assert.deepEqual(lint, { code: 0, stdout: "", stderr: "" }, "xmllint --valid");
  if (Deno.build.os === "darwin") {
    const plutil = await run("/usr/bin/plutil", ["-lint", file]);
    assert.equal(plutil.code, 0, plutil.stdout + plutil.stderr);
    assert.equal(plutil.stdout.trim(), `${file}: OK`);
  }
}
