/**
 * @module
 * Notifications end to end: the real CLI, config.yaml's notify:, the stand-in claude and
 * osascript/notify-send first on PATH.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli, tempHome } from "../e2e/cli.ts";
import { loopback } from "./_helpers.ts";

Deno.test("clodputer run: notify: always sends to the command and the desktop, and logs it", async () => {
  await using home = await tempHome();
  const out = join(home.root, "event.json");
  await Deno.writeTextFile(
    join(home.clodputerHome, "config.yaml"),
    ["notify:", "  macos: true", `  command: ["sh", "-c", "cat > \\"$0\\"", "${out}"]`, ""].join(
      "\n",
    ),
  );
  await home.writeTask("hello", "task:\n  prompt: hi\nnotify: always\n");
  const env = { FAKE_NOTIFY_DIR: join(home.root, "fake-notify") };
  const result = await runCli(home, ["run", "hello"], { env });
  assert.equal(result.code, 0, result.stderr);

  const event = JSON.parse(await Deno.readTextFile(out));
  assert.equal(event.task, "hello");
  assert.equal(event.status, "succeeded");
  assert.equal(event.trigger, "manual");
  assert.equal(event.error, null);

  // On Linux the desktop channel is notify-send; on macOS, osascript. Both are stand-ins here.
  const calls = (await Array.fromAsync(Deno.readDir(join(home.root, "fake-notify")))).map((e) =>
    e.name
  );
  assert.equal(calls.length, 1);
  assert.match(calls[0] ?? "", Deno.build.os === "darwin" ? /^osascript\./ : /^notify-send\./);

  const log = (await Deno.readTextFile(join(home.clodputerHome, "execution.log")))
    .trim().split("\n").map((l) => JSON.parse(l));
  const sent = log.filter((e) => e.event === "notify_sent").map((e) => e.channel).sort();
  assert.deepEqual(sent, ["command", "desktop"]);
});

Deno.test("clodputer run: a manual failure is not notified by default", async () => {
  await using home = await tempHome();
  const out = join(home.root, "event.json");
  await Deno.writeTextFile(
    join(home.clodputerHome, "config.yaml"),
    `notify:\n  command: ["sh", "-c", "cat > \\"$0\\"", "${out}"]\n`,
  );
  await home.writeTask("hello", "task:\n  prompt: hi\n");
  const result = await runCli(home, ["run", "hello", "--wait"], {
    env: { FAKE_CLAUDE_SCENARIO: "error-500" },
  });
  assert.equal(result.code, 1);
  await assert.rejects(Deno.stat(out), Deno.errors.NotFound);
  const log = await Deno.readTextFile(join(home.clodputerHome, "execution.log"));
  assert.ok(!log.includes("notify_"));
});

Deno.test("clodputer run: the webhook is POSTed by the real CLI (it has network permission)", async () => {
  await using home = await tempHome();
  await using server = loopback(() => 200);
  await Deno.writeTextFile(
    join(home.clodputerHome, "config.yaml"),
    `notify:\n  webhook: "${server.url}"\n`,
  );
  await home.writeTask("hello", "task:\n  prompt: hi\nnotify: failures\n");
  const result = await runCli(home, ["run", "hello", "--wait"], {
    env: { FAKE_CLAUDE_SCENARIO: "error-500" },
  });
  assert.equal(result.code, 1);
  assert.equal(server.received.length, 1);
  const event = JSON.parse(server.received[0]?.body ?? "");
  assert.equal(event.task, "hello");
  assert.equal(event.status, "failed");
  assert.match(event.error, /^API Error: 500 fake internal error\./);
  const log = await Deno.readTextFile(join(home.clodputerHome, "execution.log"));
  assert.match(log, /"event":"notify_sent","run_id":"[^"]+","task":"hello","channel":"webhook"/);
  assert.ok(!log.includes("hook-secret-123"));
});
