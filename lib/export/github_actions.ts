/**
 * @module
 * `clodputer export github-actions`: one GitHub Actions workflow per task
 * (`.github/workflows/clodputer-<task>.yml`) that runs the task file, byte for byte, with a pinned
 * clodputer release and the pinned Claude Code CLI, on the task's schedule.
 *
 * - Schedule: GitHub reads crons in UTC. The task's cron is converted for each offset its zone has
 *   over the year (cron_utc.ts); when the conversions differ (daylight saving time), the workflow
 *   lists one cron per offset and its first step (the guard, `guardScript`) lets a scheduled run go
 *   on only when the cron that fired is the one for the offset in force. A run by hand
 *   (workflow_dispatch) always runs. Crons firing less than 5 minutes apart are refused: GitHub
 *   runs schedules at most every 5 minutes.
 * - Retries (`runScript`): `clodputer run <task> --now --json` runs it and prints its record;
 *   a transient failure (as Clodputer classifies it) leaves a retry queued in the job's throwaway
 *   home with its time (`next_retry`); the script waits until then and runs the command again,
 *   which follows that queued retry (a task already queued is not queued again) and starts it. So
 *   the attempts, backoff, jitter and cap are Clodputer's own. A usage limit (`deferred`) and a
 *   failed login (`auth_hold`) end the job with an `::error::` saying what to do.
 * - Secrets: each `{{ secrets.NAME }}` and the credentials are `NAME: ${{ secrets.NAME }}` in the
 *   run step's env, never a value.
 * Pure but for the sha256 of the task file (WebCrypto is asynchronous).
 */

import { UsageError } from "../errors.ts";
import { retrySettingsOf } from "../state/retry.ts";
import { findTemplateVariables } from "../config/template.ts";
import type { TaskConfig } from "../config/types.ts";
import { CLAUDE_CODE_NODE, CLAUDE_CODE_PACKAGE, CLAUDE_CODE_VERSION } from "./claude_pin.ts";
import { cronSets, offsetText, shortestGapMinutes, utcSchedules } from "./cron_utc.ts";
import type { UtcSchedule } from "./cron_utc.ts";
import { type ExportFile, markerLine } from "./files.ts";
import { CREDENTIALS, secretNames } from "./plan.ts";
import type { ExportTask } from "./select.ts";

/** The command that writes these files (the marker line names it). */
export const GITHUB_COMMAND = "clodputer export github-actions";

/** The release archive the job installs (GitHub's hosted runners: x86-64 Linux). */
export const RUNNER_TARGET = "x86_64-unknown-linux-gnu";

/** GitHub runs a schedule at most this often (minutes). */
export const GITHUB_MIN_GAP_MINUTES = 5;

/** Minutes a job on a GitHub-hosted runner may take at most. */
export const GITHUB_MAX_JOB_MINUTES = 360;

/** Minutes added to the run's own time for installing Node, claude (npm) and clodputer. */
export const INSTALL_MARGIN_MINUTES = 10;

/** What GitHub accepts as a secret's name. */
const GITHUB_SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** How the workflows install clodputer. */
export interface GithubOptions {
  /** owner/name of the repository whose releases publish clodputer. */
  repo: string;
  /** The clodputer version to install (its release is `v<version>`). */
  version: string;
  /** The archive's sha256, pinned in the workflow; else checked against the release's .sha256. */
  sha256?: string | undefined;
  /** When the export is made: the zone offsets are read over the year from it. */
  nowMs: number;
}

/** What an export made: the files, and what a person sets before the workflows can run. */
export interface GithubExport {
  files: ExportFile[];
  /** Every repository secret the workflows read (the credentials first). */
  secrets: string[];
  /** Per task, the `{{ env.NAME }}` its file reads (to set in the workflow's env). */
  env: { task: string; names: string[] }[];
}

/** The workflows for `tasks`. @throws {UsageError} naming the task that cannot be exported. */
export async function exportGithubActions(
  tasks: readonly ExportTask[],
  options: GithubOptions,
): Promise<GithubExport> {
  checkOptions(options);
  const files: ExportFile[] = [];
  const secrets = new Set<string>(CREDENTIALS);
  const env: { task: string; names: string[] }[] = [];
  for (const task of tasks) {
    const made = await workflowFor(task, options);
    files.push(made.file);
    for (const s of made.secrets) secrets.add(s);
    if (made.env.length > 0) env.push({ task: task.loaded.name, names: made.env });
  }
  return { files, secrets: [...secrets], env };
}

/** The path of a task's workflow, relative to the repository root. */
export function workflowPath(task: string): string {
  return `.github/workflows/clodputer-${task}.yml`;
}

function checkOptions(options: GithubOptions): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+$/.test(options.repo)) {
    throw new UsageError(`--repo "${options.repo}" is not a GitHub repository (owner/name)`, {
      hint: "name the repository whose releases publish clodputer, e.g. --repo acme/clodputer",
    });
  }
  if (!/^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/.test(options.version)) {
    throw new UsageError(`--release "${options.version}" is not a release version`, {
      hint: "a version as its release tag has it without the v, e.g. --release 1.4.0",
    });
  }
  if (options.sha256 !== undefined && !/^[0-9a-fA-F]{64}$/.test(options.sha256)) {
    throw new UsageError(`--sha256 "${options.sha256}" is not a sha256 (64 hex digits)`, {
      hint: `the first word of the release's clodputer-${options.version}-${RUNNER_TARGET}` +
        ".tar.gz.sha256 file",
    });
  }
}

/**
 * The task's `{{ secrets.NAME }}` names, refused when GitHub cannot take one as a secret's name.
 * @throws {UsageError} naming the task and the secret.
 */
export function githubSecretNames(config: TaskConfig): string[] {
  const names = secretNames(config);
  for (const name of names) {
    if (!GITHUB_SECRET_NAME.test(name) || /^GITHUB_/i.test(name)) {
      throw new UsageError(
        `Cannot export ${config.name} to GitHub Actions: it uses the secret "${name}", and GitHub ` +
          "secret names are letters, digits and _ only, not starting with a digit or GITHUB_",
        {
          hint: `rename it in the task file (e.g. {{ secrets.${githubName(name)} }}) and keep ` +
            "its value under the new name",
        },
      );
    }
  }
  return names;
}

function githubName(name: string): string {
  const plain = name.replace(/[^A-Za-z0-9_]/g, "_").replace(/^GITHUB_/i, "");
  return /^[0-9]/.test(plain) ? `_${plain}` : plain || "SECRET";
}

/**
 * The `{{ env.NAME }}` names the task file's text reads (each must be set where the task loads:
 * they are filled in when the file is read, so the loaded config no longer shows them).
 */
export function envNames(source: string): string[] {
  const names: string[] = [];
  for (const variable of findTemplateVariables(source)) {
    const name = variable.startsWith("env.") ? variable.slice("env.".length) : undefined;
    if (name !== undefined && !names.includes(name)) names.push(name);
  }
  return names;
}

/**
 * The job's `timeout-minutes`: each attempt's timeout (rounded up to minutes), the longest wait
 * before each retry (backoff doubled per retry, +25 % jitter, capped), and the install margin;
 * at most GitHub's 360. `capped` says the retries may not all fit.
 * @throws {UsageError} when one attempt cannot fit in a GitHub job.
 */
export function jobMinutes(config: TaskConfig): { minutes: number; capped: boolean } {
  const settings = retrySettingsOf(config);
  const attempt = Math.ceil(config.task.timeout / 60);
  if (attempt + INSTALL_MARGIN_MINUTES > GITHUB_MAX_JOB_MINUTES) {
    throw new UsageError(
      `Cannot export ${config.name} to GitHub Actions: its timeout of ${config.task.timeout} s ` +
        `(${attempt} min) plus ${INSTALL_MARGIN_MINUTES} min to install is more than the ` +
        `${GITHUB_MAX_JOB_MINUTES} min a job on GitHub's runners may take`,
      {
        hint: `set task.timeout to at most ${
          (GITHUB_MAX_JOB_MINUTES - INSTALL_MARGIN_MINUTES) * 60
        } seconds`,
      },
    );
  }
  let total = attempt + INSTALL_MARGIN_MINUTES;
  for (let retry = 1; retry <= settings.max_retries; retry++) {
    const base = Math.min(
      settings.max_retry_delay,
      settings.retry_backoff_seconds * 2 ** (retry - 1),
    );
    const wait = Math.min(settings.max_retry_delay, base * 1.25);
    total += Math.ceil(wait / 60) + attempt;
  }
  return total > GITHUB_MAX_JOB_MINUTES
    ? { minutes: GITHUB_MAX_JOB_MINUTES, capped: true }
    : { minutes: total, capped: false };
}

/**
 * The task's schedules in UTC for GitHub, refused when they fire less than 5 minutes apart.
 * @throws {UsageError} naming the task.
 */
export function githubSchedules(task: ExportTask, nowMs: number): UtcSchedule[] {
  const { cron, timezone } = task.schedule;
  const name = task.loaded.name;
  const gap = shortestGapMinutes(cronSets(cron));
  if (gap < GITHUB_MIN_GAP_MINUTES) {
    throw new UsageError(
      `Cannot export ${name} to GitHub Actions: its schedule "${cron}" fires every ${gap} min ` +
        `at its closest, and GitHub runs a schedule at most every ${GITHUB_MIN_GAP_MINUTES} min`,
      { hint: `give ${name} a schedule whose firings are at least 5 minutes apart (*/5 or more)` },
    );
  }
  try {
    return utcSchedules(cron, timezone, nowMs);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    throw new UsageError(`Cannot export ${name} to GitHub Actions: ${error.message}`, {
      hint: error.hint,
    });
  }
}

/**
 * The guard's bash script: outputs `run=true` for a run by hand, or when the cron that fired
 * (`$EVENT_SCHEDULE`) is one for the offset `zone` is at now (`TZ=<zone> date +%:z`); else
 * `run=false`. Reads `$EVENT_NAME`, `$EVENT_SCHEDULE`; writes `$GITHUB_OUTPUT`.
 */
export function guardScript(zone: string, schedules: readonly UtcSchedule[]): string {
  const pairs = schedules.flatMap((s) => s.crons.map((c) => `'${offsetText(s.offset)}|${c}'`));
  return [
    "# A run by hand always runs; a scheduled one only from the cron for the offset in force.",
    'if [ "${EVENT_NAME:-}" != "schedule" ]; then',
    '  echo "run=true" >> "$GITHUB_OUTPUT"',
    "  exit 0",
    "fi",
    `offset="$(TZ='${zone}' date +%:z)"`,
    'case "$offset|${EVENT_SCHEDULE:-}" in',
    `  ${pairs.join(" | ")}) run=true ;;`,
    "  *) run=false ;;",
    "esac",
    'if [ "$run" = true ]; then',
    `  echo "the cron \\"$EVENT_SCHEDULE\\" is the one for $offset, the offset ${zone} is at: running"`,
    "else",
    `  echo "the cron \\"$EVENT_SCHEDULE\\" is not the one for $offset, the offset ${zone} is at: skipping this run"`,
    "fi",
    'echo "run=$run" >> "$GITHUB_OUTPUT"',
  ].join("\n");
}

/**
 * The run step's bash script: runs `clodputer run "$TASK" --now --json` and, while the record
 * says a retry is queued (`next_retry`), waits until its time and runs it again (which follows
 * the queued retry). Ends with `::error::` on a usage limit (`deferred`), a failed login
 * (`auth_hold`), or a failure with no retry left. Reads `$TASK`, `$RUNNER_TEMP`; needs jq.
 */
export function runScript(): string {
  return String
    .raw`# A secret not set on GitHub comes as an empty string: leave it unset for claude.
for name in CLAUDE_CODE_OAUTH_TOKEN ANTHROPIC_API_KEY; do
  if [ -z "@{!name:-}" ]; then unset "$name"; fi
done
if [ -z "@{CLAUDE_CODE_OAUTH_TOKEN:-}@{ANTHROPIC_API_KEY:-}" ]; then
  echo "::warning::neither CLAUDE_CODE_OAUTH_TOKEN nor ANTHROPIC_API_KEY is a secret of this repository: claude cannot log in unless the task's env gives it a key"
fi
record="$RUNNER_TEMP/clodputer-record.json"
# A field of the record on one line ("" when absent).
field() { jq -r "($1) // \"\" | tostring | gsub(\"[\\r\\n]+\"; \" \")" "$record"; }
while true; do
  clodputer run "$TASK" --now --json > "$record"
  code=$?
  cat "$record"
  if [ "$code" -eq 0 ]; then exit 0; fi
  if ! jq -es 'length == 1 and (.[0] | type == "object" and has("status"))' "$record" > /dev/null 2>&1; then
    echo "::error title=clodputer run failed::clodputer run $TASK exited $code without a run record (see the messages above)"
    exit "$code"
  fi
  if jq -e '.deferred' "$record" > /dev/null; then
    echo "::error title=Claude usage limit::$TASK hit the Claude usage limit ($(field .deferred.reason)); it resets at $(field .deferred.until). Not retried in this job: the next scheduled run tries again, or run the workflow by hand after the reset."
    exit 1
  fi
  if jq -e '.auth_hold' "$record" > /dev/null; then
    echo "::error title=Claude login failed::$TASK: claude could not log in ($(field .auth_hold.reason)). Set the repository secret CLAUDE_CODE_OAUTH_TOKEN (made by claude setup-token) or ANTHROPIC_API_KEY."
    exit 1
  fi
  at="$(field .next_retry.at)"
  if [ -z "$at" ]; then
    echo "::error title=$TASK $(field .status)::run $(field .id) of $TASK ended $(field .status) with no retry left (the record is above, and the run folder in the artifact)"
    exit "$code"
  fi
  # Clodputer queued the retry, with its time (backoff, jitter, cap): wait for it, then run the
  # command again, which follows that queued retry (a task already queued is not queued again).
  echo "a transient failure ($(field .next_retry.reason)): retry $(( $(field .next_retry.attempt) - 1 )) of $(( $(field .next_retry.max_attempts) - 1 )) at $at"
  wait=$(( $(date -d "$at" +%s) - $(date +%s) ))
  if [ "$wait" -gt 0 ]; then sleep "$wait"; fi
done`.replaceAll("@{", "${");
}

/** The install step's script: the release archive, its sha256 checked, clodputer on PATH. */
export function installScript(sha256: string | undefined): string {
  const check = sha256 === undefined
    ? [
      "# Checked against the release's own .sha256 file: that catches a damaged download, not a",
      "# replaced release. Export with --sha256 to pin the archive's hash in this workflow instead.",
      'curl -fsSL --retry 3 -o "$archive.sha256" "$url.sha256"',
      'sha256sum -c "$archive.sha256"',
    ]
    : [
      "# The archive's sha256, pinned when the workflow was exported (--sha256).",
      `echo "${sha256.toLowerCase()}  $archive" | sha256sum -c -`,
    ];
  return [
    'archive="clodputer-$CLODPUTER_VERSION-' + RUNNER_TARGET + '.tar.gz"',
    'url="https://github.com/$CLODPUTER_REPO/releases/download/v$CLODPUTER_VERSION/$archive"',
    'cd "$RUNNER_TEMP"',
    'curl -fsSL --retry 3 -o "$archive" "$url"',
    ...check,
    'mkdir -p "$RUNNER_TEMP/clodputer-bin"',
    'tar -xzf "$archive" -C "$RUNNER_TEMP/clodputer-bin" clodputer',
    'echo "$RUNNER_TEMP/clodputer-bin" >> "$GITHUB_PATH"',
    'echo "CLODPUTER_HOME=$RUNNER_TEMP/clodputer" >> "$GITHUB_ENV"',
    'test "$("$RUNNER_TEMP/clodputer-bin/clodputer" --version)" = "$CLODPUTER_VERSION"',
  ].join("\n");
}

/** The task file step's script: the file decoded from base64 and its sha256 checked. */
export function taskFileScript(task: string, base64: string, sha256: string): string {
  const lines = base64.match(/.{1,76}/g) ?? [];
  return [
    'mkdir -p "$CLODPUTER_HOME/tasks"',
    `file="$CLODPUTER_HOME/tasks/${task}.yaml"`,
    `base64 -d > "$file" <<'TASK_FILE'`,
    ...lines,
    "TASK_FILE",
    `echo "${sha256}  $file" | sha256sum -c -`,
  ].join("\n");
}

function base64Of(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

async function sha256Of(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new Uint8Array(bytes));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A YAML double-quoted scalar (JSON's escapes are YAML's). */
function q(text: string): string {
  return JSON.stringify(text);
}

/** `text` as a YAML literal block under a key, indented by `indent` spaces. */
function block(text: string, indent: number): string {
  const pad = " ".repeat(indent);
  return text.split("\n").map((l) => (l === "" ? "" : pad + l)).join("\n");
}

async function workflowFor(
  task: ExportTask,
  options: GithubOptions,
): Promise<{ file: ExportFile; secrets: string[]; env: string[] }> {
  const config = task.loaded.config;
  const name = task.loaded.name;
  const schedules = githubSchedules(task, options.nowMs);
  const secrets = githubSecretNames(config);
  const env = envNames(new TextDecoder().decode(task.bytes));
  const { minutes, capped } = jobMinutes(config);
  const settings = retrySettingsOf(config);
  const guarded = schedules.length > 1;
  const { cron, timezone } = task.schedule;
  const ifRun = guarded ? "steps.guard.outputs.run == 'true'" : undefined;
  const stepIf = (extra?: string) => {
    const parts = [extra, ifRun].filter((p): p is string => p !== undefined);
    return parts.length === 0 ? [] : [`        if: ${parts.join(" && ")}`];
  };

  const head: string[] = [
    markerLine(GITHUB_COMMAND),
    `# Runs the Clodputer task ${name} (its file is embedded below, byte for byte) on GitHub`,
    `# Actions: "${cron}" read in ${timezone}${
      task.schedule.from === "interval" ? " (its interval as a cron)" : ""
    }, and by hand (Run workflow).`,
  ];
  if (guarded) {
    head.push(
      `# GitHub reads schedules in UTC, and ${timezone} changes its offset from UTC over the year`,
      `# (${
        schedules.map((s) => offsetText(s.offset)).join(" and ")
      }), which moves the task's times in UTC. So on.schedule lists`,
      "# the crons for each offset, and the first step lets a scheduled run go on only when the",
      `# cron that fired is the one for the offset in force (TZ=${timezone} date +%:z); the`,
      "# other cron's run ends at once, skipped. A run by hand always runs.",
    );
  }
  head.push(
    "# GitHub may start a scheduled run late when it is busy, and runs a schedule at most every",
    "# 5 minutes. The concurrency group keeps one run at a time and never cancels one in progress",
    "# (a run that comes meanwhile waits; GitHub keeps only the latest one waiting).",
    `# timeout-minutes: ${
      Math.ceil(config.task.timeout / 60)
    } min a run (task.timeout ${config.task.timeout} s) x ${
      settings.max_retries + 1
    } (max_retries ${settings.max_retries} + 1),`,
    `# the longest waits before retries, and ${INSTALL_MARGIN_MINUTES} min to install${
      capped ? `; capped at GitHub's ${GITHUB_MAX_JOB_MINUTES}, so late retries may not fit` : ""
    }.`,
    `# Secrets to set (Settings > Secrets and variables > Actions): CLAUDE_CODE_OAUTH_TOKEN (from`,
    `# claude setup-token) or ANTHROPIC_API_KEY${
      secrets.length > 0 ? `, and ${secrets.join(", ")} (the task's {{ secrets.* }})` : ""
    }.`,
  );
  if (env.length > 0) {
    head.push(
      `# The task file reads ${env.map((n) => `{{ env.${n} }}`).join(", ")}: set ${
        env.join(", ")
      } in this job's env`,
      "# (e.g. NAME: ${{ vars.NAME }}), or the task fails to load, unless the runner sets it.",
    );
  }
  const places = [
    config.task.working_directory === undefined ? undefined : "working_directory",
    config.task.mcp_config === undefined ? undefined : "mcp_config",
  ].filter((p): p is string => p !== undefined);
  if (places.length > 0) {
    head.push(
      `# The task's ${places.join(" and ")} must exist on the runner (~ is /home/runner there):`,
      "# add steps before the run that put them in place (e.g. actions/checkout).",
    );
  }

  const crons = [...new Set(schedules.flatMap((s) => s.crons))];
  const cronLines = crons.map((c) => {
    const offsets = schedules.filter((s) => s.crons.includes(c)).map((s) => offsetText(s.offset));
    return `    - cron: ${q(c)}${guarded ? `  # at ${offsets.join(", ")} in ${timezone}` : ""}`;
  });

  // The step's env: only secrets, each by reference (TASK is in the job's env).
  const runEnv = [...new Set([...CREDENTIALS, ...secrets])].map((s) =>
    `          ${s}: \${{ secrets.${s} }}`
  );

  const bytes = task.bytes;
  const steps: string[] = [];
  if (guarded) {
    steps.push(
      "      - name: Skip unless the cron that fired is the one for the offset in force",
      "        id: guard",
      "        env:",
      "          EVENT_NAME: ${{ github.event_name }}",
      "          EVENT_SCHEDULE: ${{ github.event.schedule }}",
      "        run: |",
      block(guardScript(timezone, schedules), 10),
    );
  }
  steps.push(
    "      - uses: actions/setup-node@v4",
    ...stepIf(),
    "        with:",
    `          node-version: ${q(CLAUDE_CODE_NODE)}`,
    "      - name: Install the Claude Code CLI (pinned)",
    ...stepIf(),
    "        run: |",
    block(
      `npm install -g ${CLAUDE_CODE_PACKAGE}@$CLAUDE_CODE_VERSION\nclaude --version`,
      10,
    ),
    "      - name: Install clodputer (pinned release, sha256 checked)",
    ...stepIf(),
    "        run: |",
    block(installScript(options.sha256), 10),
    "      - name: Put the task file in place (byte for byte)",
    ...stepIf(),
    "        run: |",
    block(taskFileScript(name, base64Of(bytes), await sha256Of(bytes)), 10),
    `      - name: Run ${name}`,
    ...stepIf(),
    "        env:",
    ...runEnv,
    "        run: |",
    block(runScript(), 10),
    "      - name: Keep the run folder",
    ...stepIf("always()"),
    "        uses: actions/upload-artifact@v4",
    "        with:",
    `          name: clodputer-${name}-\${{ github.run_id }}`,
    "          path: ${{ runner.temp }}/clodputer/runs",
    "          if-no-files-found: warn",
  );

  const text = [
    ...head,
    `name: ${q(`clodputer ${name}`)}`,
    "",
    "on:",
    "  schedule:",
    ...cronLines,
    "  workflow_dispatch:",
    "",
    "permissions:",
    "  contents: read",
    "",
    "jobs:",
    "  run:",
    "    runs-on: ubuntu-latest",
    `    timeout-minutes: ${minutes}`,
    "    concurrency:",
    `      group: ${q(`clodputer-${name}`)}`,
    "      cancel-in-progress: false",
    "    env:",
    `      TASK: ${q(name)}`,
    `      CLODPUTER_REPO: ${q(options.repo)}`,
    `      CLODPUTER_VERSION: ${q(options.version)}`,
    `      CLAUDE_CODE_VERSION: ${q(CLAUDE_CODE_VERSION)}`,
    "    steps:",
    ...steps,
    "",
  ].join("\n");
  return { file: { path: workflowPath(name), text }, secrets, env };
}

/**
 * The releases repository earlier exports wrote into their workflows (`CLODPUTER_REPO`), from
 * the texts of the files found: so `--repo` is needed only the first time. Files an export did
 * not write are not read. Undefined when none names one.
 */
export function repoFromEarlier(texts: readonly string[]): string | undefined {
  for (const text of texts) {
    if (!text.startsWith(markerLine(GITHUB_COMMAND))) continue;
    const repo = /^ {6}CLODPUTER_REPO: "([^"]+)"$/m.exec(text)?.[1];
    if (repo !== undefined) return repo;
  }
  return undefined;
}
