/**
 * @module
 * `clodputer export github-actions` (lib/export/github_actions.ts): every workflow made from the
 * example tasks in zones with and without daylight saving time passes GitHub's workflow schema
 * (@action-validator/core) and says the right crons, timeout, concurrency, pinned installs, task
 * file and secrets; the refusals name the task; and the workflow's own scripts are run with bash:
 * the guard for both offsets (a stand-in `date`), the retry loop (a stand-in clodputer, `date` and
 * `sleep`), and the task file decoded and checked.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { parse } from "../../vendor/yaml.js";
import { EXAMPLES } from "../../lib/config/examples.ts";
import { parseTaskSource } from "../../lib/config/parse.ts";
import { UsageError } from "../../lib/errors.ts";
import { CLAUDE_CODE_VERSION } from "../../lib/export/claude_pin.ts";
import { utcSchedules } from "../../lib/export/cron_utc.ts";
import { isOurs } from "../../lib/export/files.ts";
import {
  envNames,
  exportGithubActions,
  type GithubOptions,
  guardScript,
  jobMinutes,
  repoFromEarlier,
  runScript,
} from "../../lib/export/github_actions.ts";
import { exportSchedule } from "../../lib/export/plan.ts";
import type { ExportTask } from "../../lib/export/select.ts";
import type { RunRecord } from "../../lib/run/record.ts";
import { envFrom } from "../../lib/sys/env.ts";
import { CLAUDE_VERSION } from "../fixtures/claude_cli.ts";

/** One clock for every test here: a fixed instant. */
const NOW = Date.UTC(2026, 10, 25, 12);
const OPTIONS: GithubOptions = { repo: "o/clodputer", version: "1.2.3", nowMs: NOW };
const env = envFrom({ HOME: "/home/me" });

function exportTask(name: string, yaml: string, zone = "UTC"): ExportTask {
  const loaded = parseTaskSource(yaml, { file: `/home/me/.clodputer/tasks/${name}.yaml`, env });
  return {
    loaded,
    bytes: new TextEncoder().encode(yaml),
    schedule: exportSchedule(loaded.config, zone),
  };
}

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface Workflow {
  on: { schedule: { cron: string }[]; workflow_dispatch: null };
  permissions: Record<string, string>;
  jobs: {
    run: {
      "runs-on": string;
      "timeout-minutes": number;
      concurrency: { group: string; "cancel-in-progress": boolean };
      env: Record<string, string>;
      steps: Step[];
    };
  };
}

async function workflowOf(task: ExportTask, options: Partial<GithubOptions> = {}) {
  const made = await exportGithubActions([task], { ...OPTIONS, ...options });
  const file = made.files[0];
  assert.ok(file);
  const result = validateWorkflow(file.text) as { errors: unknown[] };
  assert.deepEqual(result.errors, [], `${file.path}: ${JSON.stringify(result.errors)}`);
  return { made, file, wf: parse(file.text) as Workflow };
}

function stepNamed(wf: Workflow, pattern: RegExp): Step {
  const step = wf.jobs.run.steps.find((s) => pattern.test(s.name ?? s.uses ?? ""));
  assert.ok(step, `a step ${pattern}`);
  return step;
}

async function bash(
  script: string,
  options: { env: Record<string, string>; bin: string },
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command("bash", {
    args: ["-c", script],
    env: { ...options.env, PATH: `${options.bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}` },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const d = new TextDecoder();
  return { code: out.code, stdout: d.decode(out.stdout), stderr: d.decode(out.stderr) };
}

async function standIn(bin: string, name: string, body: string): Promise<void> {
  await Deno.writeTextFile(join(bin, name), `#!/usr/bin/env bash\n${body}\n`, { mode: 0o755 });
}

Deno.test("the pinned Claude Code CLI is the one the test suite runs", () => {
  assert.equal(CLAUDE_CODE_VERSION, CLAUDE_VERSION);
});

const SCHEDULED = EXAMPLES.filter((e) => e.startedBy === "schedule");
const ZONES = ["Europe/Paris", "Asia/Tokyo", "America/Sao_Paulo", "UTC"];

/** The UTC crons expected per example and zone (Paris: one per offset, winter first). */
const EXPECTED: Record<string, Record<string, string[]>> = {
  "daily-email": {
    "Europe/Paris": ["0 7 * * 1-5", "0 6 * * 1-5"],
    // 08:00 in Tokyo is 23:00 UTC the day before: Monday-Friday becomes Sunday-Thursday.
    "Asia/Tokyo": ["0 23 * * 0-4"],
    "America/Sao_Paulo": ["0 11 * * 1-5"],
    UTC: ["0 8 * * 1-5"],
  },
  "todo-triage": {
    "Europe/Paris": ["30 6 * * *", "30 5 * * *"],
    "Asia/Tokyo": ["30 22 * * *"],
    "America/Sao_Paulo": ["30 10 * * *"],
    UTC: ["30 7 * * *"],
  },
};

Deno.test("every example with a schedule, in zones with and without DST: a valid workflow with the right crons", async () => {
  assert.deepEqual(SCHEDULED.map((e) => e.name).sort(), Object.keys(EXPECTED).sort());
  for (const example of SCHEDULED) {
    for (const zone of ZONES) {
      const where = `${example.name} in ${zone}`;
      const task = exportTask(example.name, example.yaml, zone);
      const { file, wf } = await workflowOf(task);
      assert.equal(file.path, `.github/workflows/clodputer-${example.name}.yml`);
      assert.ok(isOurs(file.text), `${where}: the marker first`);
      const crons = wf.on.schedule.map((s) => s.cron);
      assert.deepEqual(crons, EXPECTED[example.name]?.[zone], where);
      assert.deepEqual(
        crons,
        utcSchedules(task.schedule.cron, zone, NOW).flatMap((s) => s.crons),
        where,
      );
      assert.ok("workflow_dispatch" in wf.on, `${where}: runs by hand`);
      const guard = wf.jobs.run.steps.find((s) => s.id === "guard");
      assert.equal(guard !== undefined, zone === "Europe/Paris", `${where}: a guard iff two crons`);
      if (guard) {
        assert.equal(wf.jobs.run.steps[0], guard, "the guard comes first");
        assert.match(file.text, /# GitHub reads schedules in UTC, and Europe\/Paris changes/);
        for (const step of wf.jobs.run.steps.slice(1)) {
          assert.match(
            step.if ?? "",
            /steps\.guard\.outputs\.run == 'true'/,
            `${where}: ${step.name}`,
          );
        }
      }
      const job = wf.jobs.run;
      assert.equal(job["runs-on"], "ubuntu-latest");
      assert.deepEqual(job.concurrency, {
        group: `clodputer-${example.name}`,
        "cancel-in-progress": false,
      });
      assert.deepEqual(wf.permissions, { contents: "read" });
      assert.equal(
        job["timeout-minutes"],
        Math.ceil(task.loaded.config.task.timeout / 60) + 10,
        `${where}: the timeout in minutes, plus 10 to install`,
      );
      assert.deepEqual(job.env, {
        TASK: example.name,
        CLODPUTER_REPO: "o/clodputer",
        CLODPUTER_VERSION: "1.2.3",
        CLAUDE_CODE_VERSION,
      });
      const upload = stepNamed(wf, /Keep the run folder/);
      assert.equal(upload.uses, "actions/upload-artifact@v4");
      assert.match(upload.if ?? "", /^always\(\)/);
      assert.equal(upload.with?.name, `clodputer-${example.name}-\${{ github.run_id }}`);
      assert.equal(upload.with?.path, "${{ runner.temp }}/clodputer/runs");
      assert.equal(stepNamed(wf, /setup-node/).uses, "actions/setup-node@v4");
      assert.match(
        stepNamed(wf, /Claude Code/).run ?? "",
        /^npm install -g @anthropic-ai\/claude-code@\$CLAUDE_CODE_VERSION$/m,
      );
      assert.match(
        stepNamed(wf, /^Run /).run ?? "",
        /clodputer run "\$TASK" --now --json/,
      );
    }
  }
});

Deno.test("the release is downloaded and checked: against its .sha256 file, or a pinned --sha256", async () => {
  const task = exportTask("todo-triage", SCHEDULED[1]?.yaml ?? "");
  const { wf } = await workflowOf(task);
  const install = stepNamed(wf, /Install clodputer/).run ?? "";
  const url = 'https://github.com/$CLODPUTER_REPO/releases/download/v$CLODPUTER_VERSION/$archive"';
  assert.ok(install.includes(url));
  assert.match(
    install,
    /archive="clodputer-\$CLODPUTER_VERSION-x86_64-unknown-linux-gnu\.tar\.gz"/,
  );
  assert.match(install, /sha256sum -c "\$archive\.sha256"/);
  assert.match(install, /--sha256 to pin/);
  const hex = "ab".repeat(32);
  const pinned = stepNamed(
    (await workflowOf(task, { sha256: hex.toUpperCase() })).wf,
    /Install clodputer/,
  );
  assert.match(pinned.run ?? "", new RegExp(`echo "${hex}  \\$archive" \\| sha256sum -c -`));
  assert.doesNotMatch(pinned.run ?? "", /\.sha256"/);
  for (
    const bad of [{ repo: "clodputer" }, { version: "v1" }, { sha256: "abc" }] as Partial<
      GithubOptions
    >[]
  ) {
    await assert.rejects(() => exportGithubActions([task], { ...OPTIONS, ...bad }), UsageError);
  }
});

const WITH_SECRETS = 'schedule:\n  type: cron\n  expression: "0 9 * * 1"\n  timezone: UTC\n' +
  "task:\n  prompt: |\n    Post to {{ env.CHANNEL }} with {{ secrets.SLACK_TOKEN }}\n" +
  '  env:\n    GH_TOKEN: "{{ secrets.GH_PAT }}"\n  max_retries: 2\n  timeout: 600\n' +
  "  retry_backoff_seconds: 60\n  max_retry_delay: 600\n";

Deno.test("secrets appear only as ${{ secrets.NAME }} in the run step's env; the env the file reads is named", async () => {
  const task = exportTask("poster", WITH_SECRETS.replace("{{ env.CHANNEL }}", "#general"));
  const { made, file, wf } = await workflowOf(task);
  const run = stepNamed(wf, /^Run poster/);
  assert.deepEqual(run.env, {
    CLAUDE_CODE_OAUTH_TOKEN: "${{ secrets.CLAUDE_CODE_OAUTH_TOKEN }}",
    ANTHROPIC_API_KEY: "${{ secrets.ANTHROPIC_API_KEY }}",
    SLACK_TOKEN: "${{ secrets.SLACK_TOKEN }}",
    GH_PAT: "${{ secrets.GH_PAT }}",
  });
  // Nowhere else does a step read a secret.
  const others = wf.jobs.run.steps.filter((s) => s !== run);
  assert.doesNotMatch(JSON.stringify(others), /secrets\./);
  assert.deepEqual(made.secrets, [
    "CLAUDE_CODE_OAUTH_TOKEN",
    "ANTHROPIC_API_KEY",
    "SLACK_TOKEN",
    "GH_PAT",
  ]);
  assert.match(file.text, /# Secrets to set .*\n# .*, and SLACK_TOKEN, GH_PAT/);
  // Retries: 10 min a run x 3, waits of at most 75 s and 150 s (2 and 3 min), 10 to install.
  assert.equal(wf.jobs.run["timeout-minutes"], 10 * 3 + 2 + 3 + 10);
  assert.deepEqual(jobMinutes(task.loaded.config), { minutes: 45, capped: false });
  // {{ env.NAME }} is filled when the file is read: it is found in the file's text.
  assert.deepEqual(envNames(WITH_SECRETS), ["CHANNEL"]);
});

Deno.test("a long task with many retries is capped at GitHub's 360 minutes; one too long is refused", () => {
  const long = exportTask(
    "long",
    'schedule:\n  type: cron\n  expression: "@daily"\ntask:\n  prompt: hi\n  timeout: 7200\n' +
      "  max_retries: 3\n",
  );
  assert.deepEqual(jobMinutes(long.loaded.config), { minutes: 360, capped: true });
  const tooLong = exportTask(
    "huge",
    'schedule:\n  type: cron\n  expression: "@daily"\ntask:\n  prompt: hi\n  timeout: 36000\n',
  );
  assert.throws(
    () => jobMinutes(tooLong.loaded.config),
    (e: unknown) => e instanceof UsageError && /Cannot export huge/.test(e.message),
  );
});

Deno.test("refused, naming the task: every 3 minutes, a secret name GitHub cannot take", async () => {
  const often = exportTask(
    "often",
    'schedule:\n  type: cron\n  expression: "*/3 * * * *"\ntask:\n  prompt: hi\n',
  );
  await assert.rejects(
    () => exportGithubActions([often], OPTIONS),
    (e: unknown) =>
      e instanceof UsageError && /^Cannot export often to GitHub Actions/.test(e.message) &&
      /every 3 min/.test(e.message),
  );
  const every5 = exportTask(
    "every5",
    'schedule:\n  type: cron\n  expression: "*/5 * * * *"\ntask:\n  prompt: hi\n',
  );
  await workflowOf(every5);
  for (const bad of ["my-token", "GITHUB_TOKEN"]) {
    const task = exportTask(
      "leaky",
      `schedule:\n  type: cron\n  expression: "@daily"\ntask:\n  prompt: "{{ secrets.${bad} }}"\n`,
    );
    await assert.rejects(
      () => exportGithubActions([task], OPTIONS),
      (e: unknown) =>
        e instanceof UsageError && e.message.includes(`Cannot export leaky`) &&
        e.message.includes(`"${bad}"`) && /letters, digits and _/.test(e.message),
      bad,
    );
  }
});

Deno.test("the task file step puts the file in place byte for byte and checks its sha256 (bash)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "clodputer-gh-file-" });
  try {
    const yaml = WITH_SECRETS.replace("{{ env.CHANNEL }}", "#général ✓") + "# no newline at end";
    const { wf } = await workflowOf(exportTask("poster", yaml));
    const step = stepNamed(wf, /Put the task file in place/);
    const home = join(dir, "home");
    const ok = await bash(step.run ?? "", { env: { CLODPUTER_HOME: home }, bin: dir });
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual(
      await Deno.readFile(join(home, "tasks", "poster.yaml")),
      new TextEncoder().encode(yaml),
    );
    // A file that is not the one exported fails the step.
    const broken = (step.run ?? "").replace(/^([A-Za-z0-9+/]{8})/m, "AAAAAAAA");
    const bad = await bash(broken, { env: { CLODPUTER_HOME: home }, bin: dir });
    assert.notEqual(bad.code, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the guard (bash, a stand-in date): runs the cron for the offset in force, by hand always", async () => {
  const dir = await Deno.makeTempDir({ prefix: "clodputer-gh-guard-" });
  try {
    const task = exportTask("daily-email", SCHEDULED[0]?.yaml ?? "", "Europe/Paris");
    const { wf } = await workflowOf(task);
    const script = wf.jobs.run.steps[0]?.run ?? "";
    assert.equal(
      script.trim(),
      guardScript("Europe/Paris", utcSchedules("0 8 * * 1-5", "Europe/Paris", NOW)),
    );
    // The stand-in answers `date +%:z` with the offset the test says, for the zone asked only.
    await standIn(
      dir,
      "date",
      'if [ "$TZ" = Europe/Paris ] && [ "$1" = "+%:z" ]; then echo "$FAKE_OFFSET"; else echo "bad call: TZ=$TZ $*" >&2; exit 9; fi',
    );
    const cases: [string, string, string, boolean][] = [
      ["schedule", "0 7 * * 1-5", "+01:00", true],
      ["schedule", "0 6 * * 1-5", "+01:00", false],
      ["schedule", "0 6 * * 1-5", "+02:00", true],
      ["schedule", "0 7 * * 1-5", "+02:00", false],
      ["workflow_dispatch", "", "+01:00", true],
      ["workflow_dispatch", "", "+02:00", true],
    ];
    for (const [event, cron, offset, runs] of cases) {
      const output = join(dir, "output");
      await Deno.writeTextFile(output, "");
      const r = await bash(script, {
        env: {
          EVENT_NAME: event,
          EVENT_SCHEDULE: cron,
          FAKE_OFFSET: offset,
          GITHUB_OUTPUT: output,
        },
        bin: dir,
      });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(
        await Deno.readTextFile(output),
        `run=${runs}\n`,
        `${event} ${cron} at ${offset}`,
      );
      if (event === "schedule") assert.match(r.stdout, runs ? /: running/ : /skipping this run/);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** What the stand-in clodputer answers, one call after another: a record (or nothing) and a code. */
type Answer = { record?: Partial<RunRecord>; code: number };

async function retryLoop(answers: Answer[], env: Record<string, string> = {}) {
  const dir = await Deno.makeTempDir({ prefix: "clodputer-gh-retry-" });
  try {
    for (const [i, a] of answers.entries()) {
      await Deno.writeTextFile(
        join(dir, `answer-${i + 1}.json`),
        a.record ? JSON.stringify(a.record) : "",
      );
      await Deno.writeTextFile(join(dir, `code-${i + 1}`), String(a.code));
    }
    await standIn(
      dir,
      "clodputer",
      `n=$(( $(cat "${dir}/calls" 2>/dev/null || echo 0) + 1 )); echo "$n" > "${dir}/calls"
echo "$* key=\${ANTHROPIC_API_KEY-unset} token=\${CLAUDE_CODE_OAUTH_TOKEN-unset}" >> "${dir}/argv"
cat "${dir}/answer-$n.json"; exit "$(cat "${dir}/code-$n")"`,
    );
    // Time: now is 1000000 s; a retry's time is 90 s later.
    await standIn(dir, "date", 'if [ "$1" = -d ]; then echo 1000090; else echo 1000000; fi');
    await standIn(dir, "sleep", `echo "$*" >> "${dir}/slept"`);
    const r = await bash(runScript(), {
      env: { TASK: "poster", RUNNER_TEMP: dir, ANTHROPIC_API_KEY: "", ...env },
      bin: dir,
    });
    const read = (f: string) => Deno.readTextFile(join(dir, f)).catch(() => "");
    return {
      ...r,
      argv: (await read("argv")).trim().split("\n"),
      slept: (await read("slept")).trim(),
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const RETRY = {
  run_id: "r2",
  at: "2026-11-25T12:01:30.000Z",
  attempt: 2,
  max_attempts: 3,
  reason: "API Error: 529 overloaded",
};

Deno.test("the retry loop (bash, a stand-in clodputer): a transient failure waits for the queued retry, then runs it", async () => {
  const r = await retryLoop(
    [
      { record: { id: "r1", status: "failed", next_retry: RETRY }, code: 1 },
      { record: { id: "r2", status: "succeeded" }, code: 0 },
    ],
    { CLAUDE_CODE_OAUTH_TOKEN: "tok" },
  );
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.deepEqual(r.argv, [
    "run poster --now --json key=unset token=tok",
    "run poster --now --json key=unset token=tok",
  ], "the same command runs the queued retry; an empty key is unset");
  assert.equal(r.slept, "90", "waited until the retry's time");
  assert.match(r.stdout, /a transient failure \(API Error: 529 overloaded\): retry 1 of 2/);
  assert.doesNotMatch(r.stdout, /::warning::/);
});

Deno.test("the retry loop: no retry left, a usage limit, a failed login, no record: the job fails with ::error::", async () => {
  const exhausted = await retryLoop([
    { record: { id: "r1", status: "failed", next_retry: RETRY }, code: 1 },
    { record: { id: "r2", status: "failed" }, code: 1 },
  ]);
  assert.equal(exhausted.code, 1);
  assert.equal(exhausted.argv.length, 2);
  assert.match(
    exhausted.stdout,
    /::error title=poster failed::run r2 of poster ended failed with no retry left/,
  );
  assert.match(
    exhausted.stdout,
    /::warning::neither CLAUDE_CODE_OAUTH_TOKEN nor ANTHROPIC_API_KEY/,
  );

  const limited = await retryLoop([{
    record: {
      id: "r1",
      status: "deferred",
      deferred: { until: "2026-11-25T13:00:00.000Z", run_id: "r9", reason: "usage limit\nreached" },
    },
    code: 1,
  }]);
  assert.equal(limited.code, 1);
  assert.equal(limited.argv.length, 1, "a usage limit is not retried in the job");
  assert.equal(limited.slept, "");
  assert.match(
    limited.stdout,
    /::error title=Claude usage limit::poster hit the Claude usage limit \(usage limit reached\); it resets at 2026-11-25T13:00:00\.000Z/,
  );

  const login = await retryLoop([{
    record: {
      id: "r1",
      status: "auth_failed",
      auth_hold: { run_id: "r9", reason: "Not logged in", fix: "..." },
    },
    code: 1,
  }]);
  assert.equal(login.code, 1);
  assert.match(
    login.stdout,
    /::error title=Claude login failed::poster: claude could not log in \(Not logged in\)\. Set the repository secret CLAUDE_CODE_OAUTH_TOKEN/,
  );

  const none = await retryLoop([{ code: 2 }]);
  // (jq -e on empty input succeeds: an empty answer must not read as a usage limit.)
  assert.equal(none.code, 2);
  assert.match(
    none.stdout,
    /::error title=clodputer run failed::clodputer run poster exited 2 without a run record/,
  );
});

Deno.test("repoFromEarlier(): the releases repository from workflows an export wrote, never another file", async () => {
  const { file } = await workflowOf(exportTask("t", SCHEDULED[1]?.yaml ?? ""));
  assert.equal(repoFromEarlier([file.text]), "o/clodputer");
  assert.equal(repoFromEarlier([file.text.replace(/^# Written by/, "# Mine")]), undefined);
  assert.equal(repoFromEarlier([]), undefined);
});
