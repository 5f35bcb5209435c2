/**
 * @module
 * A new user's first commands: init and new.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { configTemplate } from "../../lib/config/config_template.ts";
import { FIXTURE_BIN, runCli, tempHome } from "./cli.ts";

async function mode(path: string): Promise<number> {
  return ((await Deno.stat(path)).mode ?? 0) & 0o777;
}

Deno.test("init creates the home (0700), its folders and a config that names claude", async () => {
  await using home = await tempHome();
  await Deno.remove(home.clodputerHome, { recursive: true });
  const r = await runCli(home, ["init"]);
  assert.equal(r.code, 0, r.stderr);
  for (const dir of ["", "tasks", "runs", "archive", "backups"]) {
    const path = join(home.clodputerHome, dir);
    assert.equal(await mode(path), 0o700, path);
    assert.match(r.stdout, new RegExp(`^created  ${path.replace(/\/$/, "")}$`, "m"));
  }
  const claude = await Deno.realPath(join(FIXTURE_BIN, "claude"));
  assert.match(
    r.stdout,
    new RegExp(`^claude   ${claude} \\(2\\.1\\.330 \\(Claude Code\\); found via PATH\\)$`, "m"),
  );
  assert.match(r.stdout, /^ {2}clodputer run my-task --now/m);
  const config = await Deno.readTextFile(join(home.clodputerHome, "config.yaml"));
  assert.match(config, new RegExp(`^claude: ${claude}$`, "m"));
  assert.equal(config, configTemplate(claude), "the one template (the README shows it too)");
  assert.equal(await mode(join(home.clodputerHome, "config.yaml")), 0o600);
  // The config it wrote is valid: a run reads it.
  const status = await runCli(home, ["status"]);
  assert.equal(status.code, 0, status.stderr);
});

Deno.test("init run again changes nothing", async () => {
  await using home = await tempHome();
  await runCli(home, ["init"]);
  const config = join(home.clodputerHome, "config.yaml");
  await Deno.writeTextFile(config, "grace_period: 2\n");
  const r = await runCli(home, ["init"]);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /^created/m);
  assert.match(r.stdout, /^exists {3}.*config\.yaml \(left as it is\)$/m);
  assert.equal(await Deno.readTextFile(config), "grace_period: 2\n");
});

Deno.test("init finds claude through a shell alias and resolves the link", async () => {
  await using home = await tempHome();
  await Deno.mkdir(join(home.home, "tools"));
  await Deno.symlink(join(FIXTURE_BIN, "claude"), join(home.home, "tools", "claude"));
  await Deno.writeTextFile(
    join(home.home, ".zshrc"),
    "export X=1\nalias claude='~/tools/claude'\n",
  );
  const r = await runCli(home, ["init", "--json"], { env: { PATH: "/usr/bin:/bin" } });
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.claude.path, await Deno.realPath(join(FIXTURE_BIN, "claude")));
  assert.equal(report.claude.source, "alias");
});

Deno.test("init without claude anywhere says so and how to fix it", async () => {
  await using home = await tempHome();
  const r = await runCli(home, ["init"], { env: { PATH: "/usr/bin:/bin" } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    /^claude {3}not found: Cannot find "claude" on PATH \(\/usr\/bin:\/bin\) or in the usual places$/m,
  );
  assert.match(r.stdout, /hint: install Claude Code, or set CLODPUTER_CLAUDE/);
  assert.match(
    await Deno.readTextFile(join(home.clodputerHome, "config.yaml")),
    /^# claude: \/opt\/homebrew\/bin\/claude$/m,
  );
});

Deno.test("new --list shows the examples; new writes a task from one; never overwrites", async () => {
  await using home = await tempHome();
  const list = await runCli(home, ["new", "--list"]);
  assert.equal(list.code, 0);
  for (
    const name of ["daily-email", "inbox-processor", "todo-triage", "summarise-repo", "code-review"]
  ) {
    assert.match(list.stdout, new RegExp(`^  ${name}\\s+\\S`, "m"));
  }
  const r = await runCli(home, ["new", "morning-mail", "--from", "daily-email"]);
  assert.equal(r.code, 0, r.stderr);
  const file = join(home.clodputerHome, "tasks", "morning-mail.yaml");
  assert.match(r.stdout, new RegExp(`^created ${file} from the example "daily-email"$`, "m"));
  const text = await Deno.readTextFile(file);
  assert.match(text, /^name: morning-mail$/m);
  assert.match(text, /expression: "0 8 \* \* 1-5"/);
  await Deno.writeTextFile(file, text + "# my edit\n");
  const again = await runCli(home, ["new", "morning-mail"]);
  assert.equal(again.code, 2);
  assert.match(
    again.stderr,
    new RegExp(`Cannot create task "morning-mail": ${file} exists already`),
  );
  assert.ok((await Deno.readTextFile(file)).endsWith("# my edit\n"), "the file was not touched");
  // The default example is a manual task that runs as it is.
  assert.equal((await runCli(home, ["new", "tour"])).code, 0);
  await Deno.mkdir(join(home.home, "code", "project"), { recursive: true });
  const run = await runCli(home, ["run", "tour", "--wait"]);
  assert.equal(run.code, 0, run.stderr);
});

Deno.test("new refuses bad names and unknown examples with a hint", async () => {
  await using home = await tempHome();
  const bad = await runCli(home, ["new", "../escape"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /escape/);
  const unknown = await runCli(home, ["new", "x", "--from", "daily-emial"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /Cannot find the example "daily-emial"/);
  assert.match(unknown.stderr, /did you mean "daily-email"\?/);
  const none = await runCli(home, ["new"]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /Cannot create a task without a name/);
});
