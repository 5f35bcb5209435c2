/**
 * @module
 * `install --systemd` and `uninstall` against the stand-in systemctl and loginctl (first on PATH,
 * never the real ones): the two unit files, what is run, lingering, idempotence, removal of those
 * two files only; the units checked by the real `systemd-analyze verify`; the service's command
 * run under an empty environment; and what status and doctor read back.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { UsageError } from "../../lib/errors.ts";
import { install, type InstallDeps, uninstall } from "../../lib/schedule/install.ts";
import { readInstall, readInstallRecorded } from "../../lib/schedule/install_state.ts";
import {
  readService,
  renderService,
  renderTimer,
  SYSTEMD_SERVICE,
  SYSTEMD_TIMER,
} from "../../lib/schedule/systemd.ts";
import { Store } from "../../lib/state/store.ts";
import { systemClock } from "../../lib/sys/clock.ts";
import { envFrom } from "../../lib/sys/env.ts";
import { pathsUnder } from "../../lib/sys/paths.ts";
import { type Proc, systemProc } from "../../lib/sys/proc.ts";
import type { SelfCommand } from "../../lib/sys/self.ts";
import { cliArgs, denoDir, FIXTURE_BIN } from "../e2e/cli.ts";
import { needProgram } from "../needs.ts";

const analyze = needProgram("systemd-analyze", "the unit files are checked by systemd itself");
const SECRET = "sk-ant-very-secret-value-1234";

interface Scene extends AsyncDisposable {
  root: string;
  home: string;
  units: string;
  /** The stand-ins' folder: calls, and the files that steer them. */
  state: string;
  deps(extra?: Partial<Omit<InstallDeps, "env">> & { env?: Record<string, string> }): InstallDeps;
  calls(): Promise<string[][]>;
  steer(name: string, value?: string): Promise<void>;
}

async function scene(homeName = ".clodputer"): Promise<Scene> {
  const root = await Deno.makeTempDir({ prefix: "clodputer-systemd-" });
  const home = join(root, homeName);
  await Deno.mkdir(join(home, "tasks"), { recursive: true });
  await Deno.writeTextFile(
    join(home, "tasks", "daily.yaml"),
    'schedule:\n  type: cron\n  expression: "0 8 * * *"\ntask:\n  prompt: "hi"\n',
  );
  const config = join(root, "xdg-config");
  const runtime = join(root, "run");
  await Deno.mkdir(runtime);
  const state = join(runtime, "fake-systemd");
  const exe = join(root, "bin", "clodputer");
  await Deno.mkdir(join(root, "bin"));
  await Deno.writeTextFile(exe, "#!/bin/sh\n", { mode: 0o755 });
  // The stand-ins systemctl, loginctl and claude, and no crontab: as on Fedora and Arch.
  const path = join(root, "path");
  await Deno.mkdir(path);
  for (const name of ["systemctl", "loginctl", "claude"]) {
    await Deno.symlink(join(FIXTURE_BIN, name), join(path, name));
  }
  for (const tool of ["mkdir", "ln", "rm", "cat"]) {
    const found = ["/usr/bin", "/bin"].map((d) => join(d, tool)).find((f) => {
      try {
        return Deno.statSync(f).isFile;
      } catch {
        return false;
      }
    });
    if (found) await Deno.symlink(found, join(path, tool));
  }
  return {
    root,
    home,
    units: join(config, "systemd", "user"),
    state,
    deps(extra = {}) {
      const { env, ...rest } = extra;
      return {
        proc: systemProc(),
        clock: systemClock,
        os: "linux",
        paths: pathsUnder(home),
        env: envFrom({
          HOME: root,
          USER: "ada",
          XDG_CONFIG_HOME: config,
          XDG_RUNTIME_DIR: runtime,
          PATH: path,
          ANTHROPIC_API_KEY: SECRET,
          ...env,
        }),
        self: { kind: "binary", argv: [exe] },
        uid: 1000,
        ...rest,
      };
    },
    async calls() {
      const text = await Deno.readTextFile(join(state, "calls")).catch(() => "");
      return text.trim() === "" ? [] : text.trim().split("\n").map((l) => l.split("\t"));
    },
    async steer(name, value = "") {
      await Deno.mkdir(state, { recursive: true });
      await Deno.writeTextFile(join(state, name), value);
    },
    async [Symbol.asyncDispose]() {
      await Deno.remove(root, { recursive: true });
    },
  };
}

Deno.test("install --systemd writes the service and the timer, reloads, enables and starts it, and is idempotent", async () => {
  await using s = await scene();
  const first = await install(s.deps(), { backend: "systemd", dryRun: false });
  assert.equal(first.changed, true);
  assert.equal(first.file, join(s.units, SYSTEMD_TIMER));
  const service = await Deno.readTextFile(join(s.units, SYSTEMD_SERVICE));
  const timer = await Deno.readTextFile(join(s.units, SYSTEMD_TIMER));
  assert.match(service, /^Type=oneshot$/m);
  assert.match(service, new RegExp(`^ExecStart="${s.root}/bin/clodputer" "tick"$`, "m"));
  assert.match(service, /^Environment="SHELL=\/bin\/sh"$/m);
  assert.match(service, /^KillMode=process$/m, "the runner and the watcher outlive the tick");
  assert.ok(!service.includes(SECRET), "no secret is written into the unit");
  assert.match(timer, /^OnCalendar=\*-\*-\* \*:\*:00$/m);
  assert.match(timer, /^AccuracySec=1s$/m);
  assert.match(timer, /^Persistent=false$/m);
  assert.match(timer, /^WantedBy=timers\.target$/m);
  assert.deepEqual(await s.calls(), [
    ["--user", "is-active", SYSTEMD_TIMER],
    ["loginctl", "show-user", "ada", "-p", "Linger"],
    ["--user", "daemon-reload"],
    ["--user", "enable", "--now", SYSTEMD_TIMER],
  ]);
  assert.deepEqual(first.warnings, [], "lingering is on: nothing to say");

  const second = await install(s.deps(), { backend: "systemd", dryRun: false });
  assert.equal(second.changed, false);
  assert.equal(await Deno.readTextFile(join(s.units, SYSTEMD_SERVICE)), service);
  assert.deepEqual((await s.calls()).slice(4), [
    ["--user", "is-active", SYSTEMD_TIMER],
    ["loginctl", "show-user", "ada", "-p", "Linger"],
  ], "unchanged and active: not reloaded, not enabled again");

  const installed = await readInstall(s.deps());
  assert.equal(installed.backend, "systemd");
  assert.deepEqual(installed.entry?.argv, [`${s.root}/bin/clodputer`, "tick"]);
  assert.deepEqual([installed.stale, installed.inactive, installed.unavailable], [[], null, null]);
});

Deno.test("install --systemd says that lingering is off, and what turns it on", async () => {
  await using s = await scene();
  await s.steer("linger-off");
  const result = await install(s.deps(), { backend: "systemd", dryRun: false });
  assert.deepEqual(result.warnings, [
    "lingering is off for ada: systemd stops your user timers when you log out, and with them " +
    "the tick; to keep it running: loginctl enable-linger ada",
  ]);
});

Deno.test("uninstall disables the timer and removes the two unit files, and nothing else", async () => {
  await using s = await scene();
  await install(s.deps(), { backend: "systemd", dryRun: false });
  const mine = join(s.units, "backup.timer");
  await Deno.writeTextFile(mine, "[Timer]\nOnCalendar=daily\n");
  const wants = join(s.units, "timers.target.wants", SYSTEMD_TIMER);
  assert.ok((await Deno.lstat(wants)).isSymlink, "enabled");
  const before = (await s.calls()).length;

  const dry = await uninstall(s.deps(), { dryRun: true });
  assert.deepEqual(dry.removed, ["systemd"]);
  assert.ok((await Deno.stat(join(s.units, SYSTEMD_SERVICE))).isFile, "dry run: nothing removed");

  const removed = await uninstall(s.deps(), { dryRun: false });
  assert.deepEqual(removed.removed, ["systemd"]);
  assert.deepEqual((await s.calls()).slice(before), [
    ["--user", "disable", "--now", SYSTEMD_TIMER],
    ["--user", "daemon-reload"],
  ]);
  const left = await Array.fromAsync(Deno.readDir(s.units), (e) => e.name);
  assert.deepEqual(left.sort(), ["backup.timer", "timers.target.wants"]);
  assert.equal(await Deno.readTextFile(mine), "[Timer]\nOnCalendar=daily\n", "untouched");
  await assert.rejects(Deno.lstat(wants), Deno.errors.NotFound);
  assert.equal(removed.backups.length, 2);
  assert.equal((await readInstall(s.deps())).backend, null);
  assert.deepEqual((await uninstall(s.deps(), { dryRun: false })).removed, [], "nothing left");
});

Deno.test("install --systemd is refused on macOS; install without crontab on Linux points to --systemd", async () => {
  await using s = await scene();
  await assert.rejects(
    install(s.deps({ os: "darwin" }), { backend: "systemd", dryRun: false }),
    (e: unknown) =>
      e instanceof UsageError && e.exitCode === 2 && /no systemd on macOS/.test(e.message),
  );
  await assert.rejects(
    install(s.deps(), { backend: "crontab", dryRun: false }),
    (e: unknown) =>
      e instanceof UsageError && e.exitCode === 2 &&
      /there is no crontab command on PATH/.test(e.message) &&
      /clodputer install --systemd/.test(e.hint ?? ""),
  );
});

Deno.test("status reads a systemd install with no process; doctor asks systemctl: current, stale, inactive", async () => {
  await using s = await scene();
  await install(s.deps(), { backend: "systemd", dryRun: false });
  const spawned: string[] = [];
  const real = systemProc();
  const counting: Proc = {
    ...real,
    output: (command, options) => {
      spawned.push(command);
      return real.output(command, options);
    },
  };
  const deps = s.deps({ proc: counting });
  const live = await readInstall(deps);
  assert.deepEqual([live.backend, live.stale, live.inactive], ["systemd", [], null]);
  spawned.length = 0;
  const polled = await readInstallRecorded(deps, 0);
  assert.deepEqual([polled.backend, polled.stale, polled.inactive], ["systemd", [], null]);
  assert.deepEqual(spawned, [], "status's poll starts no process");

  // Stale: the service differs from what install writes (edited by hand).
  const file = join(s.units, SYSTEMD_SERVICE);
  const text = await Deno.readTextFile(file);
  await Deno.writeTextFile(file, text.replace("KillMode=process\n", ""));
  const expected = [`${SYSTEMD_SERVICE} differs from what clodputer install writes`];
  assert.deepEqual((await readInstallRecorded(deps, 0)).stale, expected);
  assert.deepEqual((await readInstall(deps)).stale, expected);
  await Deno.writeTextFile(file, text);

  // Inactive: doctor asks systemctl; status sees the enable link.
  await s.steer("inactive");
  assert.equal(
    (await readInstall(deps)).inactive,
    `the timer is not active (systemctl --user is-active ${SYSTEMD_TIMER}: inactive)`,
  );
  await Deno.remove(join(s.units, "timers.target.wants", SYSTEMD_TIMER));
  spawned.length = 0;
  assert.equal(
    (await readInstallRecorded(deps, 0)).inactive,
    `the timer is not enabled (systemctl --user enable --now ${SYSTEMD_TIMER})`,
  );
  assert.deepEqual(spawned, []);
});

/** Writes the units into a temp folder and runs `systemd-analyze verify` on them. */
async function verify(dir: string, service: string): Promise<{ code: number; said: string }> {
  await Deno.writeTextFile(join(dir, SYSTEMD_SERVICE), service);
  await Deno.writeTextFile(join(dir, SYSTEMD_TIMER), renderTimer());
  const out = await new Deno.Command(analyze.path, {
    args: ["verify", join(dir, SYSTEMD_SERVICE), join(dir, SYSTEMD_TIMER)],
    env: { PATH: "/usr/bin:/bin", SYSTEMD_LOG_LEVEL: "notice" },
    clearEnv: true,
    cwd: dir,
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, said: text(out.stdout) + text(out.stderr) };
}

Deno.test({
  name:
    "the units pass systemd-analyze verify, with spaces, quotes, % and $ in paths, and read back",
  ignore: analyze.ignore,
  async fn() {
    await using s = await scene(`odd home "q" 'a' 100% $HOME`);
    // systemd takes spaces, % and $ in the executable's path (not quotes: see below).
    const dir = join(s.root, "R&D tools 50% $x");
    await Deno.mkdir(dir);
    const exe = join(dir, "clodputer");
    await Deno.writeTextFile(exe, "#!/bin/sh\n", { mode: 0o755 });
    const main = join(s.root, `src "q" 'a' 100% $HOME`, "main.ts");
    const self: SelfCommand = { kind: "source", argv: [exe, "run", "-A", main] };
    const result = await install(s.deps({ self }), { backend: "systemd", dryRun: true });
    const service = renderService(result.entry);
    const read = readService(service);
    assert.deepEqual(read?.argv, [exe, "run", "-A", main, "tick"]);
    assert.equal(read?.env.CLODPUTER_HOME, s.home);
    const ok = await verify(dir, service);
    assert.deepEqual(ok, { code: 0, said: "" }, "systemd-analyze verify");

    // The check is real: a quote left open is refused.
    const broken = await verify(dir, service.replace(/^ExecStart="/m, "ExecStart="));
    assert.notEqual(broken.code, 0, broken.said);
    // ...and so is an executable with a quote in its path, which install refuses first.
    const quoted = join(s.root, `it's`, "clodputer");
    const refused = await verify(dir, renderService({ argv: [quoted, "tick"], env: {} }));
    assert.match(refused.said, /Executable name contains special characters/);
    await assert.rejects(
      install(s.deps({ self: { kind: "binary", argv: [quoted] } }), {
        backend: "systemd",
        dryRun: true,
      }),
      (e: unknown) => e instanceof UsageError && /quote/.test(e.message),
    );
  },
});

Deno.test("the service's command runs a tick under an empty environment (env -i), as systemd starts it", async () => {
  await using s = await scene("state");
  await Deno.remove(join(s.home, "tasks", "daily.yaml")); // nothing due, whatever the time
  // A source install: deno with the clodputer task's flags, DENO_DIR kept for its cache.
  const self: SelfCommand = { kind: "source", argv: [Deno.execPath(), ...await cliArgs()] };
  const deps = s.deps({ self, env: { DENO_DIR: await denoDir() } });
  await install(deps, { backend: "systemd", dryRun: false });
  const read = readService(await Deno.readTextFile(join(s.units, SYSTEMD_SERVICE)));
  assert.ok(read);
  assert.equal(read.env.CLODPUTER_HOME, s.home, "a home that is not the default is named");
  const vars = Object.entries(read.env).map(([k, v]) => `${k}=${v}`);
  // Only the clock hook of the tests besides what the unit sets: one clock per test.
  const out = await new Deno.Command("/usr/bin/env", {
    args: ["-i", "CLODPUTER_FAKE_TIME=2026-11-26T08:00:00Z", ...vars, ...read.argv, "--verbose"],
    clearEnv: true,
    cwd: s.root,
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  assert.equal(out.code, 0, text(out.stderr));
  assert.equal(text(out.stdout), "tick: nothing due\n");
  using store = await Store.open(pathsUnder(s.home).state, systemClock);
  assert.match((await store.tickBeat())?.at ?? "", /^2026-11-26T08:00:0/, "it beat in this home");
});
