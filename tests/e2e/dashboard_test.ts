/**
 * @module
 * `clodputer dashboard` end to end, in a real terminal: a private tmux server runs it in a pane,
 * the test types keys (send-keys), reads the screen (capture-pane) and checks that the terminal
 * is given back as it was (normal screen, cursor shown, the same stty settings) on every way out.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import {
  cliArgs,
  cliEnv,
  REPO_ROOT,
  runCli,
  spawnCli,
  type TempHome,
  tempHome,
  waitFor,
} from "./cli.ts";
import { needProgram } from "../needs.ts";

const { path: TMUX, ignore } = needProgram("tmux", "the dashboard in a real terminal");

const TASK = "task:\n  prompt: say hi\n";

function quote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** A private tmux server with one pane running the dashboard; disposing kills the server. */
class Pane implements AsyncDisposable {
  readonly #socket: string;
  readonly #root: string;

  private constructor(root: string) {
    this.#root = root;
    this.#socket = join(root, "tmux.sock");
  }

  /** Starts `clodputer dashboard` in a `columns` x `rows` pane, under a shell that says when it ended. */
  static async start(
    home: TempHome,
    options: { columns: number; rows: number; env?: Record<string, string> },
  ): Promise<Pane> {
    const pane = new Pane(home.root);
    const env = { ...await cliEnv(home, options.env), TERM: "screen" };
    const argv = [
      "env",
      "-i",
      ...Object.entries(env).map(([k, v]) => `${k}=${v}`),
      Deno.execPath(),
      ...await cliArgs(),
      "dashboard",
    ];
    const r = home.root;
    const script = [
      `cd ${quote(REPO_ROOT)}`,
      `stty -g > ${quote(join(r, "stty.before"))}`,
      // The dashboard's own pid: this sh execs env, which execs deno.
      `sh -c 'echo $$ > "$0"; exec "$@"' ${quote(join(r, "dashboard.pid"))} ${
        argv.map(quote).join(" ")
      }`,
      `echo "EXITED $?"`,
      `stty -g > ${quote(join(r, "stty.after"))}`,
      "exec cat",
    ].join("\n");
    await Deno.writeTextFile(join(r, "dashboard.sh"), script + "\n");
    await pane.tmux(
      "new-session",
      "-d",
      "-x",
      String(options.columns),
      "-y",
      String(options.rows),
      `sh ${quote(join(r, "dashboard.sh"))}`,
    );
    return pane;
  }

  async tmux(...args: string[]): Promise<string> {
    const out = await new Deno.Command(TMUX, {
      args: ["-S", this.#socket, "-f", "/dev/null", ...args],
      env: { TMUX: "" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    if (!out.success) {
      throw new Error(`tmux ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`);
    }
    return text;
  }

  /** The screen's text, one string per row. */
  async screen(): Promise<string[]> {
    return (await this.tmux("capture-pane", "-p")).replace(/\n$/, "").split("\n");
  }

  /** Waits until the screen holds `text`; fails with the last screen seen. */
  async waitForText(text: string | RegExp, what = String(text)): Promise<string[]> {
    let last: string[] = [];
    try {
      return await waitFor(`the screen to show ${what}`, async () => {
        last = await this.screen();
        const joined = last.join("\n");
        return (typeof text === "string" ? joined.includes(text) : text.test(joined))
          ? last
          : undefined;
      });
    } catch (error) {
      throw new Error(`${(error as Error).message}\nscreen:\n${last.join("\n")}`);
    }
  }

  async keys(...keys: string[]): Promise<void> {
    await this.tmux("send-keys", ...keys);
  }

  /** The dashboard process's pid. */
  async pid(): Promise<number> {
    const text = await waitFor(
      "the dashboard's pid file",
      () => Deno.readTextFile(join(this.#root, "dashboard.pid")).catch(() => undefined),
    );
    return Number(text.trim());
  }

  /** Waits for the dashboard to end, then checks the terminal is as it was before. */
  async assertRestored(): Promise<void> {
    await this.waitForText("EXITED 0");
    const flags = (await this.tmux("display-message", "-p", "#{alternate_on} #{cursor_flag}"))
      .trim();
    assert.equal(flags, "0 1", "the normal screen is back and the cursor is shown");
    const after = await waitFor(
      "stty -g after the dashboard",
      // The shell makes the file before stty writes its line: wait for the whole line.
      () =>
        Deno.readTextFile(join(this.#root, "stty.after")).then(
          (text) => text.endsWith("\n") ? text : undefined,
          () => undefined,
        ),
    );
    const before = await Deno.readTextFile(join(this.#root, "stty.before"));
    assert.equal(after, before, "the terminal's settings (raw mode off) are as before");
    const screen = (await this.screen()).join("\n");
    assert.ok(!screen.includes("q quit"), `the dashboard is gone from the screen:\n${screen}`);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.tmux("kill-server").catch(() => {});
  }
}

Deno.test({
  name: "dashboard shows a running task live, pauses, redraws on resize, cancels, q restores",
  ignore,
  async fn() {
    await using home = await tempHome();
    await home.writeTask("hello", TASK);
    const gated = { FAKE_CLAUDE_GATE: home.gate, FAKE_CLAUDE_SCENARIO: "bash-tool" };
    await using pane = await Pane.start(home, { columns: 100, rows: 30, env: gated });
    await pane.waitForText("runner    idle");

    await using runner = await spawnCli(home, ["run", "hello"], { env: gated });
    const running = await pane.waitForText(/running hello for .*\n.*claude started/);
    assert.match(running.join("\n"), /cost so far/);

    await pane.keys("p");
    await waitFor("paused.json", () => Deno.stat(join(home.clodputerHome, "paused.json")));
    await pane.waitForText("clodputer dashboard · PAUSED");

    await pane.tmux("resize-window", "-x", "60", "-y", "20");
    const resized = await waitFor("a frame at 60x20", async () => {
      const screen = await pane.screen();
      return screen[1] === "─".repeat(60) ? screen : undefined;
    });
    assert.equal(resized.length, 20);
    assert.match(resized.at(-1) ?? "", /^q quit/, "the keys line is on the last row");

    await pane.keys("c");
    await pane.waitForText("Cancel hello");
    await pane.keys("y");
    await pane.waitForText(/✗ +hello .* cancelled/, "a cancelled run of hello");
    // The runner records the run as cancelled by the dashboard, and ends.
    const ran = await runner.output();
    assert.match(ran.stderr, /running hello/);
    const runs = [...Deno.readDirSync(join(home.clodputerHome, "runs"))];
    assert.equal(runs.length, 1);
    const record = JSON.parse(
      await Deno.readTextFile(join(home.clodputerHome, "runs", runs[0]?.name ?? "", "result.json")),
    );
    assert.deepEqual(record.outcome, { kind: "cancelled", by: "clodputer dashboard" });

    await pane.keys("q");
    await pane.assertRestored();
  },
});

Deno.test({
  name: "dashboard runs a task from the picker, shows the log, and Ctrl-C restores",
  ignore,
  async fn() {
    await using home = await tempHome();
    await home.writeTask("hello", TASK);
    await using pane = await Pane.start(home, { columns: 100, rows: 30 });
    await pane.waitForText("runner    idle");
    await pane.keys("r");
    await pane.waitForText("> hello");
    await pane.keys("Enter");
    await pane.waitForText(/✓ +hello/, "a succeeded run of hello");
    await pane.keys("l");
    await pane.waitForText(/hello succeeded/, "the log view");
    await pane.keys("x");
    await pane.waitForText("q quit");
    await pane.keys("C-c");
    await pane.assertRestored();
  },
});

Deno.test({
  name: "dashboard gives the terminal back on SIGTERM",
  ignore,
  async fn() {
    await using home = await tempHome();
    await using pane = await Pane.start(home, { columns: 80, rows: 24 });
    await pane.waitForText("runner    idle");
    Deno.kill(await pane.pid(), "SIGTERM");
    await pane.assertRestored();
  },
});

Deno.test("dashboard refuses to start without a terminal and points at status", async () => {
  await using home = await tempHome();
  const r = await runCli(home, ["dashboard"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /Cannot start the dashboard: standard output is not a terminal/);
  assert.match(r.stderr, /clodputer status/);
  assert.equal(r.stdout, "");
});
