import assert from "node:assert/strict";
import { join } from "node:path";
import {
  desktopCommand,
  OSASCRIPT_LINES,
  scriptItems,
  sendCommand,
  sendDesktop,
  sendWebhook,
} from "../../lib/notify/channels.ts";
import { buildEvent, desktopText } from "../../lib/notify/payload.ts";
import { systemClock } from "../../lib/sys/clock.ts";
import { HOSTILE, loopback, notifyHome, record } from "./_helpers.ts";

const hostileEvent = buildEvent(
  record({
    kind: "claude_error",
    message: HOSTILE,
    subtype: null,
    api_error_status: null,
    terminal_reason: null,
  }),
  { error: HOSTILE, host: "mac-mini", secrets: [] },
);

Deno.test("desktopCommand() keeps the AppleScript constant: data only after --", () => {
  const { command, args } = desktopCommand(hostileEvent, "darwin");
  assert.equal(command, "osascript");
  const dash = args.indexOf("--");
  assert.deepEqual(args.slice(0, dash), OSASCRIPT_LINES.flatMap((l) => ["-e", l]));
  assert.deepEqual(args.slice(dash + 1), [
    HOSTILE,
    "Clodputer: daily-email failed",
    "12 s on mac-mini, run 20261125-120000-abcdef",
  ]);
  for (const line of OSASCRIPT_LINES) assert.ok(!line.includes("daily-email"));
});

Deno.test("sendDesktop() on macOS: hostile error text reaches osascript as one argv element, verbatim", async () => {
  await using h = await notifyHome();
  const result = await sendDesktop(h.deps("darwin"), hostileEvent, { timeoutMs: 30_000 });
  assert.deepEqual(result, { ok: true, attempts: 1 });
  const calls = await h.calls();
  assert.equal(calls.length, 1);
  assert.equal(calls[0]?.program, "osascript");
  const argv = calls[0]?.argv ?? [];
  assert.deepEqual(argv, [
    "-e",
    "on run argv",
    "-e",
    "set args to argv",
    "-e",
    'if (count of args) is 4 and (item 1 of args) is "--" then set args to rest of args',
    "-e",
    "display notification (item 1 of args) with title (item 2 of args) subtitle (item 3 of args)",
    "-e",
    "end run",
    "--",
    HOSTILE,
    "Clodputer: daily-email failed",
    "12 s on mac-mini, run 20261125-120000-abcdef",
  ]);
  // Nothing the hostile text asked for happened.
  assert.ok(argv.slice(0, 10).every((a) => !a.includes("do shell script")));
  // Whether osascript ends its options at "--" or hands it on, the script shows the same.
  const after = argv.slice(argv.lastIndexOf("end run") + 1);
  const want = {
    message: HOSTILE,
    title: "Clodputer: daily-email failed",
    subtitle: "12 s on mac-mini, run 20261125-120000-abcdef",
  };
  assert.deepEqual(scriptItems(after), want, "-- handed on to the script");
  assert.deepEqual(scriptItems(after.slice(1)), want, "-- taken by osascript");
});

Deno.test("the AppleScript shows the right message and title whether or not -- reaches its argv", async (t) => {
  const cases: [string, string][] = [
    ["plain", "x failed"],
    ["a message of --", "--"],
    ["a message that looks like an option", "-e do shell script"],
    ["a message of -- and more", "-- and more"],
  ];
  for (const [name, message] of cases) {
    await t.step(name, () => {
      const event = { ...hostileEvent, error: message };
      const { args } = desktopCommand(event, "darwin");
      const data = args.slice(2 * OSASCRIPT_LINES.length);
      assert.equal(data[0], "--", "osascript's options end before the data");
      const shown = scriptItems(data.slice(1));
      assert.deepEqual(scriptItems(data), shown, "the same with -- handed on");
      assert.equal(shown.title, "Clodputer: daily-email failed");
      assert.equal(shown.message, message);
      assert.deepEqual(shown, desktopText(event));
    });
  }
  await t.step("the script the model describes", () => {
    // scriptItems() models these lines: change both together.
    assert.deepEqual(OSASCRIPT_LINES, [
      "on run argv",
      "set args to argv",
      'if (count of args) is 4 and (item 1 of args) is "--" then set args to rest of args',
      "display notification (item 1 of args) with title (item 2 of args) subtitle (item 3 of args)",
      "end run",
    ]);
    assert.throws(() => scriptItems(["only", "two"]), /Can't get item 3/);
  });
});

Deno.test("sendDesktop() on Linux: notify-send gets title and body as argv elements", async () => {
  await using h = await notifyHome();
  const result = await sendDesktop(h.deps("linux"), hostileEvent, { timeoutMs: 30_000 });
  assert.deepEqual(result, { ok: true, attempts: 1 });
  const calls = await h.calls();
  assert.equal(calls.length, 1);
  assert.equal(calls[0]?.program, "notify-send");
  assert.deepEqual(calls[0]?.argv, [
    "--app-name=Clodputer",
    "--urgency=critical",
    "--",
    "Clodputer: daily-email failed",
    `${HOSTILE}\n12 s on mac-mini, run 20261125-120000-abcdef`,
  ]);
});

Deno.test("sendDesktop() fails, naming the program, when it is not on PATH", async () => {
  await using h = await notifyHome({ PATH: "/nonexistent" });
  const result = await sendDesktop(h.deps("linux"), hostileEvent, { timeoutMs: 30_000 });
  assert.deepEqual(result, { ok: false, attempts: 0, error: "notify-send was not found on PATH" });
});

Deno.test("sendDesktop() reports the stand-in's exit code and stderr", async () => {
  await using h = await notifyHome({ FAKE_NOTIFY_EXIT: "3" });
  const result = await sendDesktop(h.deps("darwin"), hostileEvent, { timeoutMs: 30_000 });
  assert.deepEqual(result, {
    ok: false,
    attempts: 1,
    error: "osascript ended with exit code 3: stand-in failure",
  });
});

Deno.test("sendDesktop() gives up on a program that hangs, and kills it", async () => {
  await using h = await notifyHome({ FAKE_NOTIFY_HANG: "1" });
  const result = await sendDesktop(h.deps("darwin"), hostileEvent, { timeoutMs: 200 });
  assert.deepEqual(result, {
    ok: false,
    attempts: 1,
    error: "osascript did not finish within 200 ms",
  });
});

Deno.test("sendCommand() gives the program the event as JSON on stdin", async () => {
  await using h = await notifyHome();
  const out = join(h.root, "event.json");
  const result = await sendCommand(h.deps("linux"), hostileEvent, {
    argv: ["sh", "-c", 'cat > "$1"', "sh", out],
    timeoutMs: 30_000,
  });
  assert.deepEqual(result, { ok: true, attempts: 1 });
  const got = JSON.parse(await Deno.readTextFile(out));
  assert.deepEqual(got, hostileEvent);
  assert.equal(got.error, HOSTILE);
});

Deno.test("sendCommand() reports a program that fails or is missing", async () => {
  await using h = await notifyHome();
  assert.deepEqual(
    await sendCommand(h.deps("linux"), hostileEvent, {
      argv: ["sh", "-c", "echo bad >&2; exit 4"],
      timeoutMs: 30_000,
    }),
    { ok: false, attempts: 1, error: "sh ended with exit code 4: bad" },
  );
  assert.deepEqual(
    await sendCommand(h.deps("linux"), hostileEvent, {
      argv: ["no-such-notifier"],
      timeoutMs: 30_000,
    }),
    { ok: false, attempts: 0, error: '"no-such-notifier" was not found or is not executable' },
  );
});

const fast = { timeoutMs: 30_000, tries: 3, backoffMs: 1, format: "json" as const, fetch };

Deno.test("sendWebhook() POSTs the event as JSON", async () => {
  await using server = loopback(() => 204);
  const result = await sendWebhook({ clock: systemClock }, hostileEvent, {
    ...fast,
    url: server.url,
  });
  assert.deepEqual(result, { ok: true, attempts: 1 });
  assert.equal(server.received.length, 1);
  assert.equal(server.received[0]?.method, "POST");
  assert.equal(server.received[0]?.contentType, "application/json");
  assert.deepEqual(JSON.parse(server.received[0]?.body ?? ""), hostileEvent);
});

Deno.test("sendWebhook() tries again after 5xx and 429, three tries in all", async (t) => {
  await t.step("succeeds on the third try", async () => {
    await using server = loopback((n) => (n === 1 ? 500 : n === 2 ? 429 : 200));
    const result = await sendWebhook({ clock: systemClock }, hostileEvent, {
      ...fast,
      url: server.url,
    });
    assert.deepEqual(result, { ok: true, attempts: 3 });
    assert.equal(server.received.length, 3);
  });
  await t.step("gives up after three", async () => {
    await using server = loopback(() => 503);
    const result = await sendWebhook({ clock: systemClock }, hostileEvent, {
      ...fast,
      url: server.url,
    });
    assert.deepEqual(result, {
      ok: false,
      attempts: 3,
      error: "the server answered 503 Service Unavailable",
    });
    assert.equal(server.received.length, 3);
  });
  await t.step("a 404 is final", async () => {
    await using server = loopback(() => 404);
    const result = await sendWebhook({ clock: systemClock }, hostileEvent, {
      ...fast,
      url: server.url,
    });
    assert.deepEqual(result, {
      ok: false,
      attempts: 1,
      error: "the server answered 404 Not Found",
    });
    assert.equal(server.received.length, 1);
  });
});

Deno.test("sendWebhook() gives up on a server that never answers, after its timeout per try", async () => {
  await using server = loopback(() => "hang");
  const result = await sendWebhook({ clock: systemClock }, hostileEvent, {
    ...fast,
    timeoutMs: 100,
    url: server.url,
  });
  assert.deepEqual(result, { ok: false, attempts: 3, error: "no answer within 100 ms" });
  assert.equal(server.received.length, 3);
});

Deno.test("sendWebhook() with format slack sends one text field", async () => {
  await using server = loopback(() => 200);
  await sendWebhook({ clock: systemClock }, hostileEvent, {
    ...fast,
    format: "slack",
    url: server.url,
  });
  const body = JSON.parse(server.received[0]?.body ?? "");
  assert.deepEqual(Object.keys(body), ["text"]);
  assert.match(
    body.text,
    /^\*daily-email failed after 12 s\* on mac-mini \(run 20261125-120000-abcdef, schedule\)\n```/,
  );
  assert.ok(body.text.includes('do shell script "touch /tmp/pwned"'));
});

Deno.test({
  name:
    "on macOS the real osacompile compiles the notification script; osascript shows the same whatever it does with --",
  ignore: Deno.build.os !== "darwin",
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "clodputer-osa-" });
    try {
      const run = async (program: string, args: string[]) => {
        const r = await new Deno.Command(program, { args, stdout: "piped", stderr: "piped" })
          .output();
        const d = new TextDecoder();
        return { code: r.code, out: d.decode(r.stdout), err: d.decode(r.stderr) };
      };
      // The exact script the channel runs, compiled only: nothing is shown.
      const { args } = desktopCommand(hostileEvent, "darwin");
      const script = args.slice(0, 2 * OSASCRIPT_LINES.length);
      assert.deepEqual(script, OSASCRIPT_LINES.flatMap((l) => ["-e", l]));
      const compiled = await run("osacompile", ["-o", join(dir, "notify.scpt"), ...script]);
      assert.equal(compiled.code, 0, compiled.err);
      // The same script with its display line made a return: what would it show, from the same
      // argv the channel passes?
      const shown = OSASCRIPT_LINES.map((l) =>
        l.startsWith("display notification")
          ? 'return (item 1 of args) & "|" & (item 2 of args) & "|" & (item 3 of args)'
          : l
      );
      for (const message of ["-- not an option", "--", "x failed"]) {
        const r = await run("osascript", [
          ...shown.flatMap((l) => ["-e", l]),
          "--",
          message,
          "Clodputer: t failed",
          "sub",
        ]);
        assert.equal(r.code, 0, r.err);
        assert.equal(r.out.trimEnd(), `${message}|Clodputer: t failed|sub`);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
