/**
 * @module
 * Doctor's notify check: no channel, the desktop notifier on PATH or not (notify-send on Linux
 * even with `macos: true`), a webhook URL with and without a host, a command found or not.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { checkNotify, webhookProblem } from "../../lib/doctor/checks/notify.ts";
import { envFrom } from "../../lib/sys/env.ts";
import { doctorScene } from "./context.ts";

async function program(dir: string, name: string): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  const file = join(dir, name);
  await Deno.writeTextFile(file, "#!/bin/sh\nexit 0\n");
  await Deno.chmod(file, 0o755);
  return file;
}

Deno.test("checkNotify() says notifications are off when no channel is on", async () => {
  await using s = await doctorScene();
  for (const yaml of ["idle_timeout: 600\n", "notifications: false\nnotify:\n  macos: true\n"]) {
    assert.deepEqual(await checkNotify(s.ctx({ global: s.global(yaml) })), [{
      id: "notify",
      status: "ok",
      message: "Notifications are off (config.yaml has no notify: channel)",
    }], yaml);
  }
  assert.deepEqual(await checkNotify(s.ctx()), [], "a config that does not load: not here");
});

Deno.test("checkNotify() on Linux looks for notify-send when macos: true", async () => {
  await using s = await doctorScene();
  const global = s.global("notify:\n  macos: true\n");
  const bin = join(s.root, "bin");
  const env = envFrom({ HOME: s.root, PATH: bin });
  const [missing] = await checkNotify(s.ctx({ global, env }));
  assert.equal(missing?.id, "notify:desktop");
  assert.equal(missing?.status, "fail");
  assert.equal(
    missing?.message,
    "Desktop notifications are on, but notify-send is not on PATH: none can be shown",
  );
  assert.match(missing?.fix ?? "", /apt install libnotify-bin/);
  assert.doesNotMatch(missing?.fix ?? "", /osascript/);
  const found = await program(bin, "notify-send");
  assert.deepEqual(await checkNotify(s.ctx({ global, env })), [{
    id: "notify:desktop",
    status: "ok",
    message: `Desktop notifications through ${found}`,
  }]);
  const [mac] = await checkNotify(s.ctx({ global, env, os: "darwin" }));
  assert.equal(mac?.status, "fail", "osascript is not in this PATH");
  assert.match(mac?.message ?? "", /osascript is not on PATH/);
});

Deno.test("webhookProblem() wants http or https and a host", () => {
  const cases: [string, string | undefined][] = [
    ["https://hooks.example.com/clodputer", undefined],
    ["http://localhost:8080/x", undefined],
    ["ftp://example.com/", "uses ftp, not http or https"],
    ["hooks.example.com", "is not a URL"],
    ["file:///tmp/x", "uses file, not http or https"],
  ];
  for (const [url, expected] of cases) assert.equal(webhookProblem(url), expected, url);
});

Deno.test("checkNotify() reports the webhook it will post to", async () => {
  await using s = await doctorScene();
  const global = s.global("notify:\n  webhook: https://hooks.example.com/c\n");
  assert.deepEqual(await checkNotify(s.ctx({ global })), [{
    id: "notify:webhook",
    status: "ok",
    message: "Webhook https://hooks.example.com/c",
  }]);
});

Deno.test("checkNotify() finds the command on PATH, or says it is missing", async () => {
  await using s = await doctorScene();
  const bin = join(s.root, "bin");
  const env = envFrom({ HOME: s.root, PATH: bin });
  const global = s.global('notify:\n  command: ["my-notifier", "--quiet"]\n');
  const [missing] = await checkNotify(s.ctx({ global, env }));
  assert.equal(missing?.id, "notify:command");
  assert.equal(missing?.status, "fail");
  assert.equal(
    missing?.message,
    'The notification command "my-notifier" is not found or not executable',
  );
  const found = await program(bin, "my-notifier");
  assert.deepEqual(await checkNotify(s.ctx({ global, env })), [{
    id: "notify:command",
    status: "ok",
    message: `Notification command ${found}`,
  }]);
});
