/**
 * @module
 * `clodputer export kubernetes`: one manifest per task (`clodputer-<task>.yaml`) holding a
 * ConfigMap with the task file byte for byte and a `batch/v1` CronJob that runs
 * `clodputer run <task> --now --json` in the Clodputer image (packaging/container/Containerfile)
 * on the task's cron, in the task's zone (`timeZone`, Kubernetes 1.27+). The run record goes to the
 * pod's log as JSON; the run folder lives on an emptyDir, or on a claim the user names.
 *
 * Kubernetes reads cron itself, so the schedule is written as the task wrote it (not moved to
 * UTC). What Kubernetes cannot read is refused with why. Pure: the text is made here, written by
 * files.ts.
 */

import type { TaskConfig } from "../config/types.ts";
import { UsageError } from "../errors.ts";
import { retrySettingsOf } from "../state/retry.ts";
import { cronSets, shortestGapMinutes } from "./cron_utc.ts";
import { type ExportFile, markerLine } from "./files.ts";
import { CREDENTIALS, secretNames } from "./plan.ts";
import type { ExportTask } from "./select.ts";

/** The user (and group) the image runs as: packaging/container/Containerfile creates it. */
export const IMAGE_UID = 10001;

/** Where the home volume (emptyDir or the claim) is mounted; each task's home is a folder in it. */
export const HOME_MOUNT = "/var/lib/clodputer";

/** Where the ConfigMap with the task file is mounted (read-only), for the init step to copy. */
export const TASK_MOUNT = "/etc/clodputer/task";

/** A task with `catch_up: skip` may still start this late (the controller's own delay). */
export const SKIP_DEADLINE_SECONDS = 300;

/** How late a missed run may start for `run_once`/`run_all` without `catch_up_max_age`: a day. */
export const CATCH_UP_DEFAULT_SECONDS = 86_400;

/** Added to the task's timeout for the pod's deadline: Clodputer's own timeout ends it first. */
export const DEADLINE_MARGIN_SECONDS = 120;

/** Kubernetes' longest pause between two attempts of a Job (its pod backoff cap), in seconds. */
export const POD_BACKOFF_CAP_SECONDS = 360;

/** A CronJob's name may be at most 52 characters (its Jobs add 11). */
export const CRONJOB_NAME_MAX = 52;

const PREFIX = "clodputer-";

/** `clodputer export kubernetes`'s options. */
export interface KubernetesOptions {
  /** The image reference: required. */
  image?: string | undefined;
  namespace: string;
  /** The Secret holding the credentials and `{{ secrets.NAME }}` values. */
  secret: string;
  /** A PersistentVolumeClaim for the homes (runs, the log, the cost ledger), else an emptyDir. */
  claim?: string | undefined;
  /** The time of the export (the same clock as the other exporters'; the output does not vary with it). */
  nowMs: number;
}

/** An image reference: `registry/path:tag` or `@sha256:...`, no spaces or shell characters. */
const IMAGE = /^[a-z0-9][a-z0-9._\-/]*(:[A-Za-z0-9._-]+)?(@sha256:[0-9a-f]{64})?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * The image reference, checked.
 * @throws {UsageError} when it is missing or not an image reference.
 */
export function checkImage(image: string | undefined): string {
  const hint = "name the Clodputer image, for example --image ghcr.io/you/clodputer:0.1.0 " +
    "(the release workflow pushes ghcr.io/<owner>/clodputer:<version>)";
  if (image === undefined || image.trim() === "") {
    throw new UsageError("Cannot export to Kubernetes without an image: --image is required", {
      hint,
    });
  }
  if (!IMAGE.test(image)) {
    throw new UsageError(`"${image}" is not an image reference --image can take`, { hint });
  }
  return image;
}

/**
 * Checks the namespace, Secret and claim names as Kubernetes does.
 * @throws {UsageError} naming the flag.
 */
export function checkNames(options: KubernetesOptions): void {
  const check = (flag: string, value: string, label: boolean) => {
    const max = label ? 63 : 253;
    if (value.length > max || !(label ? DNS_LABEL : DNS_SUBDOMAIN).test(value)) {
      throw new UsageError(`${flag} "${value}" is not a name Kubernetes accepts`, {
        hint: `use lower-case letters, digits and "-"${
          label ? "" : ' (and ".")'
        }, starting and ending with a letter or digit, at most ${max} characters`,
      });
    }
  };
  check("--namespace", options.namespace, true);
  check("--secret", options.secret, false);
  if (options.claim !== undefined) check("--claim", options.claim, false);
}

/**
 * The name of a task's ConfigMap and CronJob: `clodputer-<task>`, each `_` as `-` (DNS-1123 allows
 * no `_`).
 * @throws {UsageError} when the name would be longer than a CronJob's 52 characters or end in
 *   `-`/`_`.
 */
export function kubernetesName(task: string): string {
  const name = PREFIX + task.replaceAll("_", "-");
  const hint = "rename the task file (tasks/<name>.yaml), or export the tasks with a short name";
  if (name.length > CRONJOB_NAME_MAX) {
    throw new UsageError(
      `Cannot export ${task} to Kubernetes: its CronJob name ${name} would be ${name.length} ` +
        `characters long, and Kubernetes allows ${CRONJOB_NAME_MAX} ` +
        `(task names of at most ${CRONJOB_NAME_MAX - PREFIX.length} characters)`,
      { hint },
    );
  }
  if (!DNS_LABEL.test(name)) {
    throw new UsageError(
      `Cannot export ${task} to Kubernetes: ${name} is not a name Kubernetes accepts (it must ` +
        "end with a letter or digit)",
      { hint },
    );
  }
  return name;
}

/**
 * The schedule as Kubernetes reads it (robfig/cron: five fields of numbers, names, ranges, lists
 * and steps, or @hourly and friends): the task's own, an alias in lower case.
 * @throws {UsageError} naming the task for what Kubernetes cannot read (`L`, `W`, `#`, Sunday as 7).
 */
export function kubernetesSchedule(task: string, cron: string): string {
  const trimmed = cron.trim();
  if (trimmed.startsWith("@")) {
    cronSets(trimmed);
    return trimmed.toLowerCase();
  }
  const refuse = (why: string) =>
    new UsageError(`Cannot export ${task} to Kubernetes: its cron "${cron}" ${why}`, {
      hint: "write minute hour day-of-month month day-of-week with numbers, names, ranges (a-b), " +
        "lists (a,b) and steps (*/n), e.g. 0 9 * * 1-5",
    });
  try {
    cronSets(trimmed);
  } catch {
    throw refuse("uses a form Kubernetes' cron does not read");
  }
  const weekday = trimmed.split(/\s+/)[4] ?? "";
  if (/(^|[,-])7($|[,/-])/.test(weekday)) {
    throw refuse("names Sunday as 7, which Kubernetes refuses (days of the week are 0-6): write 0");
  }
  return trimmed.replace(/\s+/g, " ");
}

/** How late a missed run may start, and why (a comment in the manifest). */
export function startingDeadline(
  config: TaskConfig,
  cron: string,
): { seconds: number; why: string } {
  const schedule = config.schedule;
  if (schedule === undefined && config.trigger?.type === "interval") {
    const seconds = config.trigger.seconds;
    return {
      seconds,
      why: `an interval task: a run missed by up to its interval (${seconds} s) still starts`,
    };
  }
  const policy = schedule?.catch_up ?? "skip";
  if (policy === "skip") {
    const gap = shortestGapMinutes(cronSets(cron)) * 60;
    const seconds = Math.min(SKIP_DEADLINE_SECONDS, gap);
    return {
      seconds,
      why: `catch_up: skip: a missed run is dropped; ${seconds} s (the shorter of ` +
        `${SKIP_DEADLINE_SECONDS} s and the gap between runs) only absorbs the controller's delay`,
    };
  }
  const maxAge = schedule?.catch_up_max_age;
  const seconds = Math.max(10, maxAge ?? CATCH_UP_DEFAULT_SECONDS);
  const many = policy === "run_all"
    ? "; run_all: Kubernetes starts at most one late run (the latest missed), as run_once"
    : "";
  return {
    seconds,
    why: `catch_up: ${policy}: a missed run starts late if it is at most ${
      maxAge === undefined
        ? `${seconds} s old (no catch_up_max_age: a day)`
        : `catch_up_max_age (${seconds} s) old`
    }${many}`,
  };
}

/** A YAML value as the emitter below writes it. */
type Yaml = string | number | boolean | null | Yaml[] | { [key: string]: Yaml };
type Mapping = { [key: string]: Yaml };

/** Comments written above a key of a mapping. */
type Notes = WeakMap<object, Map<string, string>>;

/** The objects of one task: what is validated in tests, and what the file holds. */
export interface TaskManifest {
  task: string;
  name: string;
  configMap: Mapping;
  cronJob: Mapping;
  /** The Secret's keys this task reads: its `{{ secrets.NAME }}` and the credentials. */
  secretKeys: string[];
  notes: Notes;
}

function note(notes: Notes, on: object, key: string, text: string): void {
  const map = notes.get(on) ?? new Map<string, string>();
  map.set(key, text);
  notes.set(on, map);
}

/** The text as a ConfigMap holds it: `data` for UTF-8 (a BOM kept), else base64 `binaryData`. */
function fileData(key: string, bytes: Uint8Array): Mapping {
  try {
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
    return { data: { [key]: text } };
  } catch {
    let binary = "";
    for (const b of bytes) binary += String.fromCharCode(b);
    return { binaryData: { [key]: btoa(binary) } };
  }
}

/** The ConfigMap and CronJob for one task. */
export function taskManifest(task: ExportTask, options: KubernetesOptions): TaskManifest {
  const image = checkImage(options.image);
  const config = task.loaded.config;
  const taskName = task.loaded.name;
  const name = kubernetesName(taskName);
  const schedule = kubernetesSchedule(taskName, task.schedule.cron);
  const notes: Notes = new WeakMap();
  const labels = (): Mapping => ({
    "app.kubernetes.io/name": "clodputer",
    "app.kubernetes.io/managed-by": "clodputer-export",
    "clodputer/task": taskName,
  });
  const fileKey = `${taskName}.yaml`;
  const configMap: Mapping = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name, namespace: options.namespace, labels: labels() },
    ...fileData(fileKey, task.bytes),
  };
  note(notes, configMap, "data", `tasks/${fileKey}, byte for byte`);
  note(notes, configMap, "binaryData", `tasks/${fileKey}, byte for byte (not UTF-8: base64)`);

  const home = `${HOME_MOUNT}/${taskName}`;
  const taskSecrets = secretNames(config);
  const secretEnv = [
    ...taskSecrets.map((key) => ({ key, optional: false })),
    ...CREDENTIALS.filter((key) => !taskSecrets.includes(key)).map((key) => ({
      key,
      optional: true,
    })),
  ];
  const env: Yaml[] = [
    { name: "CLODPUTER_HOME", value: home },
    ...secretEnv.map(({ key, optional }) => ({
      name: key,
      valueFrom: { secretKeyRef: { name: options.secret, key, optional } },
    })),
  ];
  const containerSecurity: Mapping = {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
  };
  const homeMount: Mapping = { name: "home", mountPath: HOME_MOUNT };
  const retries = retrySettingsOf(config).max_retries;
  const podDeadline = config.task.timeout + DEADLINE_MARGIN_SECONDS;
  const jobDeadline = (retries + 1) * podDeadline + retries * POD_BACKOFF_CAP_SECONDS;
  const deadline = startingDeadline(config, task.schedule.cron);

  const podSpec: Mapping = {
    restartPolicy: "Never",
    activeDeadlineSeconds: podDeadline,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: IMAGE_UID,
      runAsGroup: IMAGE_UID,
      fsGroup: IMAGE_UID,
      seccompProfile: { type: "RuntimeDefault" },
    },
    initContainers: [{
      name: "task-file",
      image,
      command: [
        "install",
        "-D",
        "-m",
        "0644",
        `${TASK_MOUNT}/${fileKey}`,
        `$(CLODPUTER_HOME)/tasks/${fileKey}`,
      ],
      env: [{ name: "CLODPUTER_HOME", value: home }],
      securityContext: containerSecurity,
      volumeMounts: [{ name: "task", mountPath: TASK_MOUNT, readOnly: true }, homeMount],
    }],
    containers: [{
      name: "clodputer",
      image,
      command: ["clodputer", "run", taskName, "--now", "--json"],
      env,
      securityContext: containerSecurity,
      volumeMounts: [homeMount],
    }],
    volumes: [
      { name: "task", configMap: { name, items: [{ key: fileKey, path: fileKey }] } },
      options.claim === undefined
        ? { name: "home", emptyDir: {} }
        : { name: "home", persistentVolumeClaim: { claimName: options.claim } },
    ],
  };
  note(
    notes,
    podSpec,
    "activeDeadlineSeconds",
    `one attempt: the task's timeout (${config.task.timeout} s) + ${DEADLINE_MARGIN_SECONDS} s; ` +
      "Clodputer's own timeout stops claude and writes the run record first",
  );
  note(
    notes,
    podSpec,
    "initContainers",
    `copies the task file from the ConfigMap into $CLODPUTER_HOME/tasks (a folder the user ${IMAGE_UID} owns)`,
  );
  note(
    notes,
    podSpec,
    "volumes",
    options.claim === undefined
      ? "the home (runs, the execution log, the state) on an emptyDir: gone with the pod; the run record is in the pod's log"
      : `the homes on the claim ${options.claim}: ${HOME_MOUNT}/<task> keeps each task's runs, log and costs`,
  );
  const container = (podSpec.containers as Mapping[])[0] as Mapping;
  note(
    notes,
    container,
    "command",
    "prints the run record as JSON to the pod's log; exits 0 when the run succeeded",
  );
  note(
    notes,
    container,
    "env",
    `values from the Secret ${options.secret}, never written here; the credentials are optional (either one)`,
  );

  const jobSpec: Mapping = {
    backoffLimit: retries,
    activeDeadlineSeconds: jobDeadline,
    template: { metadata: { labels: labels() }, spec: podSpec },
  };
  note(
    notes,
    jobSpec,
    "backoffLimit",
    `max_retries (${retries}): Kubernetes starts a new pod after any failure, not only the transient ones Clodputer retries`,
  );
  note(
    notes,
    jobSpec,
    "activeDeadlineSeconds",
    `every attempt: ${
      retries + 1
    } x ${podDeadline} s + ${retries} x ${POD_BACKOFF_CAP_SECONDS} s between them`,
  );

  const spec: Mapping = {
    schedule,
    timeZone: task.schedule.timezone,
    concurrencyPolicy: "Forbid",
    startingDeadlineSeconds: deadline.seconds,
    suspend: !config.enabled,
    successfulJobsHistoryLimit: 3,
    failedJobsHistoryLimit: 3,
    jobTemplate: { metadata: { labels: labels() }, spec: jobSpec },
  };
  note(
    notes,
    spec,
    "schedule",
    task.schedule.from === "interval"
      ? `the task's interval as cron, in UTC`
      : `the task's cron as written, read in timeZone (Kubernetes 1.27 or later)`,
  );
  note(notes, spec, "concurrencyPolicy", "never two runs at once, as on one machine");
  note(notes, spec, "startingDeadlineSeconds", deadline.why);
  if (!config.enabled) note(notes, spec, "suspend", "the task is disabled (enabled: false)");

  const cronJob: Mapping = {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name, namespace: options.namespace, labels: labels() },
    spec,
  };
  return {
    task: taskName,
    name,
    configMap,
    cronJob,
    secretKeys: secretEnv.map((s) => s.key),
    notes,
  };
}

/** The command the marker names: how to write the file again. */
export function exportCommand(tasks: readonly string[], options: KubernetesOptions): string {
  return [
    "clodputer export kubernetes",
    ...tasks,
    `--image ${options.image ?? ""}`,
    `--namespace ${options.namespace}`,
    `--secret ${options.secret}`,
    ...(options.claim === undefined ? [] : [`--claim ${options.claim}`]),
  ].join(" ");
}

/**
 * One file per task: `clodputer-<task>.yaml`, the marker first, then its ConfigMap and CronJob.
 * @throws {UsageError} for a missing image, bad names, two tasks with the same Kubernetes name, or a
 *   schedule Kubernetes cannot read.
 */
export function kubernetesFiles(
  tasks: readonly ExportTask[],
  options: KubernetesOptions,
): { files: ExportFile[]; manifests: TaskManifest[] } {
  checkImage(options.image);
  checkNames(options);
  const manifests = tasks.map((t) => taskManifest(t, options));
  const seen = new Map<string, string>();
  for (const m of manifests) {
    const other = seen.get(m.name);
    if (other !== undefined) {
      throw new UsageError(
        `Cannot export both ${other} and ${m.task} to Kubernetes: both become ${m.name} ` +
          '("_" is written "-")',
        { hint: `rename one of the task files, or export them into different namespaces` },
      );
    }
    seen.set(m.name, m.task);
  }
  const files = manifests.map((m) => ({
    path: `clodputer-${m.task}.yaml`,
    text: [
      markerLine(exportCommand([m.task], options)),
      ...mappingLines(m.configMap, 0, m.notes),
      "---",
      ...mappingLines(m.cronJob, 0, m.notes),
    ].join("\n") + "\n",
  }));
  return { files, manifests };
}

/** The Secret's keys every exported task reads, task secrets first (required), then credentials. */
export function secretKeysOf(manifests: readonly TaskManifest[]): string[] {
  const keys: string[] = [];
  for (const m of manifests) {
    for (const k of m.secretKeys) {
      if (!keys.includes(k) && !(CREDENTIALS as readonly string[]).includes(k)) keys.push(k);
    }
  }
  return [...keys, ...CREDENTIALS];
}

// --- A small YAML writer: block mappings and sequences, scalars quoted where YAML 1.1 (kubectl)
// or 1.2 could read them otherwise, the task file as a literal block when that keeps it exactly.

const PLAIN = /^[A-Za-z][A-Za-z0-9_./-]*$/;
const RESERVED = /^(y|yes|n|no|true|false|on|off|null)$/i;

/** A character that may stand as itself in a quoted or literal scalar (what every parser reads back). */
function printable(code: number): boolean {
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xd7ff &&
    code !== 0x2028 && code !== 0x2029) ||
    (code >= 0xe000 && code <= 0xfffd && code !== 0xfeff) || (code >= 0x10000 && code <= 0x10ffff);
}

/** A double-quoted YAML scalar: every character outside the printable ones escaped. */
export function quoted(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (printable(code)) out += ch;
    else if (code <= 0xff) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else if (code <= 0xffff) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += `\\U${code.toString(16).padStart(8, "0")}`;
  }
  return out + '"';
}

function scalar(value: string | number | boolean | null): string {
  if (value === null) return "null";
  if (typeof value !== "string") return String(value);
  return PLAIN.test(value) && !RESERVED.test(value) ? value : quoted(value);
}

/** Whether a literal block keeps `text` exactly: several lines, only tabs and printable characters. */
export function literalKeeps(text: string): boolean {
  if (!text.includes("\n") || text.trim() === "") return false;
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (ch !== "\n" && ch !== "\t" && !printable(code)) return false;
  }
  return true;
}

/** `key: |2-` and the lines: the chomping keeps the ending exactly; the indent is given. */
function literalLines(head: string, text: string, indent: number): string[] {
  const body = text.replace(/\n+$/, "");
  const ending = text.length - body.length;
  const chomp = ending === 0 ? "-" : ending === 1 ? "" : "+";
  const pad = " ".repeat(indent + 2);
  const lines = body.split("\n").map((l) => (l === "" ? "" : pad + l));
  for (let i = 1; i < ending; i++) lines.push("");
  return [`${head} |2${chomp}`, ...lines];
}

function isScalar(value: Yaml): value is string | number | boolean | null {
  return value === null || typeof value !== "object";
}

function entryLines(head: string, value: Yaml, indent: number, notes: Notes): string[] {
  if (typeof value === "string" && literalKeeps(value)) return literalLines(head, value, indent);
  if (isScalar(value)) return [`${head} ${scalar(value)}`];
  if (Array.isArray(value)) {
    return value.length === 0 ? [`${head} []`] : [head, ...sequenceLines(value, indent + 2, notes)];
  }
  return Object.keys(value).length === 0
    ? [`${head} {}`]
    : [head, ...mappingLines(value, indent + 2, notes)];
}

function mappingLines(value: Mapping, indent: number, notes: Notes): string[] {
  const pad = " ".repeat(indent);
  const lines: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    const comment = notes.get(value)?.get(key);
    if (comment !== undefined) lines.push(`${pad}# ${comment}`);
    lines.push(...entryLines(`${pad}${scalar(key)}:`, item, indent, notes));
  }
  return lines;
}

function sequenceLines(values: Yaml[], indent: number, notes: Notes): string[] {
  const pad = " ".repeat(indent);
  const lines: string[] = [];
  for (const item of values) {
    if (isScalar(item)) lines.push(`${pad}- ${scalar(item)}`);
    else if (Array.isArray(item)) lines.push(`${pad}-`, ...sequenceLines(item, indent + 2, notes));
    else {
      const inner = mappingLines(item, indent + 2, notes);
      lines.push(...inner.map((l, i) => (i === 0 ? `${pad}- ${l.slice(indent + 2)}` : l)));
    }
  }
  return lines;
}
