/**
 * @module
 * A full disk, for real: `$CLODPUTER_HOME` on a 2 MB tmpfs (Linux; as root, or with `sudo -n`).
 * A claude that writes 10 MB fills it: the run stops keeping output, is finished as failed with
 * "disk full" after the usual cleanup, is notified, and later commands say "the disk is full" with
 * the path, as a user error.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { skipUnless } from "../needs.ts";
import { runCli, runTick, tempHome } from "./cli.ts";

async function sh(command: string): Promise<boolean> {
  const out = await new Deno.Command("/bin/sh", {
    args: ["-c", command],
    stdout: "null",
    stderr: "null",
  }).output().catch(() => undefined);
  return out?.success ?? false;
}

/** How this machine mounts a tmpfs: directly as root, else through `sudo -n`; or why it cannot. */
async function mounter(): Promise<{ sudo: string } | { missing: string }> {
  if (Deno.build.os !== "linux") return { missing: "a tmpfs mount needs Linux" };
  if (Deno.uid() === 0) return { sudo: "" };
  if (await sh("sudo -n true")) return { sudo: "sudo -n " };
  return { missing: "mounting a tmpfs needs root or sudo without a password" };
}

const how = await mounter();
const ignore = Deno.build.os !== "linux" ||
  skipUnless("a 2 MB tmpfs", "missing" in how ? how.missing : undefined);

/** A 2 MB tmpfs at `dir`, owned by this user; unmounted on dispose. */
async function smallDisk(dir: string): Promise<AsyncDisposable> {
  const sudo = "sudo" in how ? how.sudo : "";
  await Deno.mkdir(dir, { recursive: true });
  const uid = Deno.uid() ?? 0;
  assert.ok(
    await sh(`${sudo}mount -t tmpfs -o size=2m,mode=0700,uid=${uid} tmpfs '${dir}'`),
    `mount a tmpfs at ${dir}`,
  );
  return { [Symbol.asyncDispose]: async () => void await sh(`${sudo}umount -l '${dir}'`) };
}

Deno.test({
  name:
    "a claude that fills the disk: the run fails with disk full, is notified, and commands say so",
  ignore,
}, async () => {
  await using home = await tempHome();
  const small = join(home.root, "small");
  await using _disk = await smallDisk(small);
  const clodputerHome = join(small, ".clodputer");
  await Deno.mkdir(join(clodputerHome, "tasks"), { recursive: true });
  const notified = join(home.root, "notified.jsonl");
  const program = join(home.root, "notify.sh");
  await Deno.writeTextFile(program, `#!/bin/sh\ncat >> "${notified}"\necho >> "${notified}"\n`, {
    mode: 0o755,
  });
  await Deno.writeTextFile(
    join(clodputerHome, "config.yaml"),
    `notify:\n  command: ["${program}"]\n`,
  );
  await Deno.writeTextFile(
    join(clodputerHome, "tasks", "flood.yaml"),
    "name: flood\nnotify: failures\ntask:\n  prompt: write a lot\n  timeout: 120\n",
  );
  const env = { CLODPUTER_HOME: clodputerHome, FAKE_CLAUDE_FLOOD_BYTES: String(10_000_000) };

  const run = await runCli(home, ["run", "flood", "--wait"], { env });
  assert.equal(run.code, 1, run.stdout + run.stderr);
  assert.doesNotMatch(run.stdout + run.stderr, /internal error/);
  assert.match(run.stdout, /flood failed: disk full: could not write ".*\/runs\/.*\/stdout"/);

  const shown = await runCli(home, ["show", "flood", "--json"], { env });
  assert.equal(shown.code, 0, shown.stderr);
  const record = JSON.parse(shown.stdout);
  assert.equal(record.status, "failed");
  assert.equal(record.outcome.kind, "disk_full");
  assert.deepEqual(record.output.stdout.kept, 0, "no output kept");
  assert.equal(record.output.stdout.disk_full, true);
  assert.ok(record.cleanup, "the usual cleanup ran");
  const status = await runCli(home, ["status", "--json"], { env });
  assert.equal(status.code, 0, status.stderr);
  assert.equal(JSON.parse(status.stdout).runner.state ?? "idle", "idle", status.stdout);
  const sent = (await Deno.readTextFile(notified)).split("\n").filter((l) => l.trim());
  assert.equal(sent.length, 1);
  assert.equal(JSON.parse(sent[0] as string).status, "failed");

  // Now fill the disk to the last byte: every command says so, with the path, as a user error.
  await sh(`dd if=/dev/zero of='${join(small, "filler")}' bs=64k 2>/dev/null`);
  for (const args of [["run", "flood"], ["tick"]]) {
    const r = await (args[0] === "tick" ? runTick : runCli)(home, args, { env });
    assert.notEqual(r.code, 0, `${args.join(" ")} cannot work on a full disk`);
    assert.doesNotMatch(r.stderr, /internal error/, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, /the disk is full/, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`"${small}/[^"]*"`), `${args.join(" ")} names the path`);
    assert.match(r.stderr, /^hint: free some space on the disk that holds/m);
  }
});
