/**
 * @module
 * `clodputer export kubernetes`'s manifests (lib/export/kubernetes.ts): every object passes the
 * Kubernetes schemas (kubernetes-models), and the fields this export relies on are checked here
 * (the schemas do not refuse unknown fields): the schedule as written in the task's zone, no
 * overlap, the catch-up window, the deadlines, the retries, the non-root pod, the command, the
 * secrets by reference only, the task file byte for byte, the names Kubernetes accepts.
 */

import assert from "node:assert/strict";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { CronJob } from "kubernetes-models/batch/v1/CronJob";
import { parse, parseAllDocuments } from "../../vendor/yaml.js";
import { EXAMPLES } from "../../lib/config/examples.ts";
import { parseTaskSource } from "../../lib/config/parse.ts";
import { UsageError } from "../../lib/errors.ts";
import { isOurs } from "../../lib/export/files.ts";
import { CREDENTIALS } from "../../lib/export/plan.ts";
import {
  CATCH_UP_DEFAULT_SECONDS,
  checkImage,
  DEADLINE_MARGIN_SECONDS,
  IMAGE_UID,
  kubernetesFiles,
  kubernetesName,
  type KubernetesOptions,
  kubernetesSchedule,
  literalKeeps,
  quoted,
  secretKeysOf,
  SKIP_DEADLINE_SECONDS,
} from "../../lib/export/kubernetes.ts";
import { exportSchedule } from "../../lib/export/plan.ts";
import type { ExportTask } from "../../lib/export/select.ts";
import type { Deps } from "../../lib/cli/deps.ts";
import { runProgram } from "../../lib/cli/program.ts";
import { envFrom } from "../../lib/sys/env.ts";
import { pathsUnder } from "../../lib/sys/paths.ts";
import { systemProc } from "../../lib/sys/proc.ts";
import { recordingOutput } from "../../lib/ui/output.ts";
import { FakeClock } from "../fakes/clock.ts";

const env = envFrom({ HOME: "/home/me" });
/** One clock for the whole file: a fixed instant, never today's date. */
const NOW = Date.UTC(2026, 10, 25, 12);
const ZONES = ["Europe/Paris", "Asia/Tokyo", "America/Sao_Paulo", "UTC"];
const OPTIONS: KubernetesOptions = {
  image: "ghcr.io/o/clodputer:0.1.0",
  namespace: "default",
  secret: "clodputer",
  nowMs: NOW,
};

function exportTask(name: string, source: string | Uint8Array, zone = "UTC"): ExportTask {
  const bytes = typeof source === "string" ? new TextEncoder().encode(source) : source;
  const text = new TextDecoder().decode(bytes);
  const loaded = parseTaskSource(text, { file: `/home/me/.clodputer/tasks/${name}.yaml`, env });
  return { loaded, bytes, schedule: exportSchedule(loaded.config, zone) };
}

// deno-lint-ignore no-explicit-any
type Obj = any;

interface YamlDoc {
  errors: unknown[];
  toJS(): Obj;
}

/** The file's documents, read as YAML 1.2 and as YAML 1.1 (kubectl's parser); both must agree. */
function documents(text: string): Obj[] {
  const read = (version: "1.1" | "1.2") =>
    (parseAllDocuments(text, { version }) as unknown as YamlDoc[]).map((d) => {
      assert.deepEqual(d.errors, [], `YAML ${version} errors`);
      return d.toJS();
    });
  const docs = read("1.2");
  assert.deepEqual(read("1.1"), docs, "YAML 1.1 reads the same objects");
  return docs;
}

function manifest(task: ExportTask, options: KubernetesOptions = OPTIONS) {
  const { files } = kubernetesFiles([task], options);
  assert.equal(files.length, 1);
  const file = files[0] as { path: string; text: string };
  const docs = documents(file.text);
  assert.equal(docs.length, 2);
  const [configMap, cronJob] = docs as [Obj, Obj];
  new ConfigMap(configMap).validate();
  new CronJob(cronJob).validate();
  return { file, configMap, cronJob, pod: cronJob.spec.jobTemplate.spec.template.spec };
}

const SCHEDULED = EXAMPLES.filter((e) => e.startedBy === "schedule");

Deno.test("the example tasks with a schedule: valid objects, the cron as written, in each zone", () => {
  assert.ok(SCHEDULED.length >= 2, "examples with a schedule");
  for (const example of SCHEDULED) {
    for (const zone of ZONES) {
      const task = exportTask(example.name, example.yaml, zone);
      const expression = task.loaded.config.schedule?.expression;
      const { file, configMap, cronJob, pod } = manifest(task);
      const where = `${example.name} in ${zone}`;
      assert.equal(file.path, `clodputer-${example.name}.yaml`);
      assert.ok(isOurs(file.text), `${where}: the marker is the first line`);
      assert.match(file.text.split("\n")[0] ?? "", /^# Written by clodputer export/);
      assert.equal(cronJob.apiVersion, "batch/v1");
      assert.equal(cronJob.kind, "CronJob");
      assert.equal(cronJob.spec.schedule, expression, `${where}: the schedule is not converted`);
      assert.equal(cronJob.spec.timeZone, zone, where);
      assert.equal(cronJob.spec.concurrencyPolicy, "Forbid");
      assert.equal(cronJob.spec.suspend, false);
      assert.equal(pod.restartPolicy, "Never");
      assert.equal(configMap.metadata.name, `clodputer-${example.name}`);
      assert.equal(cronJob.metadata.name, `clodputer-${example.name}`);
      for (const o of [configMap, cronJob, cronJob.spec.jobTemplate.spec.template]) {
        assert.deepEqual(o.metadata.labels, {
          "app.kubernetes.io/name": "clodputer",
          "app.kubernetes.io/managed-by": "clodputer-export",
          "clodputer/task": example.name,
        });
      }
      assert.equal(configMap.data[`${example.name}.yaml`], example.yaml, `${where}: the file`);
    }
  }
});

Deno.test("the job: deadlines from the timeout, retries, non-root pod, the command, the volumes", () => {
  const yaml = 'schedule:\n  type: cron\n  expression: "*/30 9-17 * * 1-5"\n' +
    "task:\n  prompt: hi\n  timeout: 600\n  max_retries: 2\n";
  const { cronJob, pod } = manifest(exportTask("work-hours", yaml, "Europe/Paris"));
  const job = cronJob.spec.jobTemplate.spec;
  assert.equal(job.backoffLimit, 2, "max_retries");
  assert.equal(pod.activeDeadlineSeconds, 600 + DEADLINE_MARGIN_SECONDS, "one attempt");
  assert.ok(job.activeDeadlineSeconds >= 3 * (600 + DEADLINE_MARGIN_SECONDS), "every attempt");
  assert.deepEqual(
    { ...pod.securityContext, seccompProfile: undefined },
    {
      runAsNonRoot: true,
      runAsUser: IMAGE_UID,
      runAsGroup: IMAGE_UID,
      fsGroup: IMAGE_UID,
      seccompProfile: undefined,
    },
  );
  const [container] = pod.containers;
  assert.equal(pod.containers.length, 1);
  assert.equal(container.image, "ghcr.io/o/clodputer:0.1.0");
  assert.deepEqual(container.command, ["clodputer", "run", "work-hours", "--now", "--json"]);
  assert.equal(container.securityContext.allowPrivilegeEscalation, false);
  const home = container.env.find((e: Obj) => e.name === "CLODPUTER_HOME")?.value;
  assert.equal(home, "/var/lib/clodputer/work-hours");
  assert.ok(
    container.volumeMounts.some((m: Obj) => m.name === "home" && home.startsWith(m.mountPath)),
  );
  assert.deepEqual(pod.volumes.find((v: Obj) => v.name === "home"), {
    name: "home",
    emptyDir: {},
  });
  // The init step copies the task file from the ConfigMap into $CLODPUTER_HOME/tasks.
  const [init] = pod.initContainers;
  assert.equal(init.image, container.image);
  assert.deepEqual(init.env, [{ name: "CLODPUTER_HOME", value: home }]);
  const taskMount = init.volumeMounts.find((m: Obj) => m.name === "task");
  assert.equal(taskMount.readOnly, true);
  assert.deepEqual(init.command, [
    "install",
    "-D",
    "-m",
    "0644",
    `${taskMount.mountPath}/work-hours.yaml`,
    "$(CLODPUTER_HOME)/tasks/work-hours.yaml",
  ]);
  assert.deepEqual(pod.volumes.find((v: Obj) => v.name === "task").configMap, {
    name: "clodputer-work-hours",
    items: [{ key: "work-hours.yaml", path: "work-hours.yaml" }],
  });

  // --claim: the homes on the claim, and another namespace and Secret.
  const claimed = manifest(exportTask("work-hours", yaml), {
    ...OPTIONS,
    claim: "clodputer-runs",
    namespace: "jobs",
    secret: "claude",
  });
  assert.deepEqual(claimed.pod.volumes.find((v: Obj) => v.name === "home"), {
    name: "home",
    persistentVolumeClaim: { claimName: "clodputer-runs" },
  });
  assert.equal(claimed.cronJob.metadata.namespace, "jobs");
  assert.equal(claimed.configMap.metadata.namespace, "jobs");
  assert.ok(
    claimed.pod.containers[0].env.filter((e: Obj) => e.valueFrom).every((e: Obj) =>
      e.valueFrom.secretKeyRef.name === "claude"
    ),
  );
});

Deno.test("startingDeadlineSeconds from the catch-up policy; an interval task becomes a cron", () => {
  const cron = (extra: string, expression = "0 8 * * *") =>
    `schedule:\n  type: cron\n  expression: "${expression}"\n${extra}task:\n  prompt: hi\n`;
  const deadline = (yaml: string) =>
    manifest(exportTask("t", yaml)).cronJob.spec.startingDeadlineSeconds;
  assert.equal(deadline(cron("")), SKIP_DEADLINE_SECONDS, "skip (the default)");
  assert.equal(deadline(cron("", "*/2 * * * *")), 120, "skip: never more than the gap");
  assert.equal(deadline(cron("  catch_up: run_once\n")), CATCH_UP_DEFAULT_SECONDS);
  assert.equal(deadline(cron("  catch_up: run_all\n  catch_up_max_age: 6h\n")), 6 * 3600);
  const text = manifest(exportTask("t", cron("  catch_up: run_all\n"))).file.text;
  assert.match(text, /# catch_up: run_all: .*at most one late run/, "the reasoning is written");

  const interval = manifest(
    exportTask("poll", "trigger:\n  type: interval\n  seconds: 900\ntask:\n  prompt: hi\n"),
  );
  assert.equal(interval.cronJob.spec.schedule, "*/15 * * * *");
  assert.equal(interval.cronJob.spec.timeZone, "UTC");
  assert.equal(interval.cronJob.spec.startingDeadlineSeconds, 900);
});

Deno.test("refused: a folder watch, an uneven interval, a missing or bad --image, cron Kubernetes cannot read", () => {
  const watch = EXAMPLES.find((e) => e.startedBy === "file_watch");
  assert.ok(watch);
  assert.throws(() => exportTask(watch.name, watch.yaml), (e: unknown) => {
    assert.ok(e instanceof UsageError);
    assert.match(e.message, new RegExp(`Cannot export ${watch.name}: it watches a folder`));
    return true;
  });
  assert.throws(
    () => exportTask("odd", "trigger:\n  type: interval\n  seconds: 420\ntask:\n  prompt: hi\n"),
    /Cannot export odd: its interval of 420 s does not divide an hour/,
  );
  const task = exportTask(SCHEDULED[0]?.name ?? "", SCHEDULED[0]?.yaml ?? "");
  for (const image of [undefined, "", "  "]) {
    assert.throws(() => kubernetesFiles([task], { ...OPTIONS, image }), (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.match(e.message, /--image is required/);
      assert.match(e.hint ?? "", /--image ghcr\.io\/you\/clodputer:0\.1\.0/);
      return true;
    });
  }
  assert.throws(() => checkImage("ghcr.io/o/x:1 ; rm -rf /"), /not an image reference/);
  assert.equal(
    checkImage("ghcr.io/o/clodputer@sha256:" + "a".repeat(64)),
    "ghcr.io/o/clodputer@sha256:" + "a".repeat(64),
  );
  assert.throws(
    () => kubernetesFiles([task], { ...OPTIONS, namespace: "My_NS" }),
    /--namespace "My_NS" is not a name Kubernetes accepts/,
  );
  assert.throws(() => kubernetesSchedule("t", "0 8 * * 7"), /Sunday as 7.*write 0/);
  assert.throws(() => kubernetesSchedule("t", "0 8 L * *"), /Cannot export t to Kubernetes/);
  assert.equal(kubernetesSchedule("t", "0 8 * * 1-5,0"), "0 8 * * 1-5,0");
  assert.equal(kubernetesSchedule("t", "@Daily"), "@daily");
  assert.equal(kubernetesSchedule("t", "0 8 * JAN-MAR MON-FRI"), "0 8 * JAN-MAR MON-FRI");
});

Deno.test("names: _ becomes -, at most 52 characters for a CronJob, two tasks with one name refused", () => {
  assert.equal(kubernetesName("daily_email"), "clodputer-daily-email");
  assert.equal(kubernetesName("a".repeat(42)), `clodputer-${"a".repeat(42)}`);
  assert.throws(
    () => kubernetesName("a".repeat(43)),
    /53 characters long, and Kubernetes allows 52/,
  );
  assert.throws(() => kubernetesName("trailing_"), /must end with a letter or digit/);
  const yaml = 'schedule:\n  type: cron\n  expression: "0 8 * * *"\ntask:\n  prompt: hi\n';
  const underscored = manifest(exportTask("daily_email", yaml));
  assert.equal(underscored.cronJob.metadata.name, "clodputer-daily-email");
  assert.equal(underscored.cronJob.metadata.labels["clodputer/task"], "daily_email");
  assert.equal(underscored.file.path, "clodputer-daily_email.yaml");
  assert.deepEqual(underscored.pod.containers[0].command.slice(0, 3), [
    "clodputer",
    "run",
    "daily_email",
  ]);
  assert.throws(
    () => kubernetesFiles([exportTask("a_b", yaml), exportTask("a-b", yaml)], OPTIONS),
    /Cannot export both a_b and a-b to Kubernetes: both become clodputer-a-b/,
  );
});

Deno.test("the ConfigMap holds the task file byte for byte (tabs, trailing spaces, endings, unicode)", () => {
  const head = 'schedule:\n  type: cron\n  expression: "0 8 * * *"\ntask:\n';
  const cases: [string, string][] = [
    ["tabs in strings", head + '  prompt: "a\tb\\tc"\n  env:\n    X: "tab\there"\n'],
    ["trailing spaces", head + "  prompt: hi   \n# a comment   \n"],
    ["no final newline", head + "  prompt: hi"],
    ["blank lines at the end", head + "  prompt: hi\n\n\n"],
    ["unicode", head + "  prompt: résumé — 日本語 🚀 ñ\n"],
    ["a BOM", "\uFEFF" + head + "  prompt: hi\n"],
    ["CRLF endings", head.replaceAll("\n", "\r\n") + "  prompt: hi\r\n"],
    ["a first line indented", "  # indented comment\n" + head + "  prompt: hi\n"],
    ["a line of spaces", head + "  prompt: |\n    a\n      \n    b\n"],
    ["quotes and backslashes", head + '  prompt: "say \\"hi\\" \\\\ #x: y"\n'],
  ];
  for (const [why, source] of cases) {
    const bytes = new TextEncoder().encode(source);
    const { configMap } = manifest(exportTask("t", bytes));
    const value = configMap.data?.["t.yaml"];
    assert.equal(typeof value, "string", why);
    assert.deepEqual(new TextEncoder().encode(value), bytes, `${why}: byte for byte`);
  }
  // Bytes that are not UTF-8 go as binaryData (base64), exactly.
  const latin1 = new Uint8Array([
    ...new TextEncoder().encode(head + "  prompt: caf"),
    0xe9,
    0x0a,
  ]);
  const task = exportTask("t", new TextEncoder().encode(head + "  prompt: cafe\n"));
  const { configMap } = manifest({ ...task, bytes: latin1 });
  assert.equal(configMap.data, undefined);
  const decoded = Uint8Array.from(atob(configMap.binaryData["t.yaml"]), (c) => c.charCodeAt(0));
  assert.deepEqual(decoded, latin1);
});

Deno.test("the scalar writer: literal only when it keeps the text, else quoted with escapes", () => {
  assert.equal(literalKeeps("a\nb\n"), true);
  assert.equal(literalKeeps("one line"), false);
  assert.equal(literalKeeps("a\r\nb\n"), false, "CR");
  assert.equal(literalKeeps("a\u0085b\n"), false, "NEL");
  assert.equal(literalKeeps("\n\n"), false, "only blank lines");
  for (
    const text of ["a\u0000b", "\u2028", "\uFEFFx", "x\u007f", "é\u{1F680}", 'q"\\', "\t\n\r"]
  ) {
    for (const version of ["1.1", "1.2"] as const) {
      assert.equal(parse(`v: ${quoted(text)}\n`, { version }).v, text, JSON.stringify(text));
    }
  }
});

Deno.test("secrets go by reference to the Secret, never by value; credentials optional", () => {
  const yaml = 'schedule:\n  type: cron\n  expression: "0 8 * * *"\n' +
    'task:\n  prompt: "use {{ secrets.GITHUB_TOKEN }} and {{ secrets.SLACK_HOOK }}"\n' +
    '  env:\n    TOKEN: "{{ secrets.GITHUB_TOKEN }}"\n';
  const task = exportTask("s", yaml);
  const { cronJob, pod } = manifest(task);
  const env = pod.containers[0].env as Obj[];
  const refs = env.filter((e) => e.valueFrom).map((e) => ({
    variable: e.name,
    ...e.valueFrom.secretKeyRef,
  }));
  const ref = (key: string, optional: boolean) => ({
    variable: key,
    name: "clodputer",
    key,
    optional,
  });
  assert.deepEqual(refs, [
    ref("GITHUB_TOKEN", false),
    ref("SLACK_HOOK", false),
    ...CREDENTIALS.map((key) => ref(key, true)),
  ]);
  assert.ok(env.every((e) => e.value === undefined || e.name === "CLODPUTER_HOME"), "no values");
  assert.deepEqual(
    secretKeysOf(kubernetesFiles([task], OPTIONS).manifests),
    ["GITHUB_TOKEN", "SLACK_HOOK", ...CREDENTIALS],
  );
  assert.equal(cronJob.spec.jobTemplate.spec.template.spec.containers[0].envFrom, undefined);
});

Deno.test("no secret value reaches a manifest, even when the environment holds it", () => {
  const value = "sk-ant-very-secret-value-123";
  const yaml = 'schedule:\n  type: cron\n  expression: "0 8 * * *"\n' +
    'task:\n  prompt: "use {{ secrets.API_TOKEN }}"\n';
  const secretEnv = envFrom({ HOME: "/home/me", API_TOKEN: value, ANTHROPIC_API_KEY: value });
  const loaded = parseTaskSource(yaml, {
    file: "/home/me/.clodputer/tasks/s.yaml",
    env: secretEnv,
  });
  const task: ExportTask = {
    loaded,
    bytes: new TextEncoder().encode(yaml),
    schedule: exportSchedule(loaded.config, "UTC"),
  };
  const { files } = kubernetesFiles([task], OPTIONS);
  for (const f of files) assert.ok(!f.text.includes(value), `${f.path} holds no secret value`);
  assert.match(files[0]?.text ?? "", /key: API_TOKEN/);
});

Deno.test("a disabled task is exported suspended", () => {
  const yaml = 'enabled: false\nschedule:\n  type: cron\n  expression: "0 8 * * *"\n' +
    "task:\n  prompt: hi\n";
  const { cronJob, file } = manifest(exportTask("off", yaml));
  assert.equal(cronJob.spec.suspend, true);
  assert.match(file.text, /# the task is disabled \(enabled: false\)\n\s+suspend: true/);
});

Deno.test("the command in process: files, skipped tasks, the Secret to create, dry run, JSON", async () => {
  const root = await Deno.makeTempDir({ prefix: "clodputer-k8s-" });
  try {
    const paths = pathsUnder(`${root}/.clodputer`);
    await Deno.mkdir(paths.tasks, { recursive: true });
    for (const e of EXAMPLES) await Deno.writeTextFile(`${paths.tasks}/${e.name}.yaml`, e.yaml);
    await Deno.writeTextFile(
      `${paths.tasks}/gh.yaml`,
      'schedule:\n  type: cron\n  expression: "0 6 * * *"\n  timezone: America/Sao_Paulo\n' +
        'task:\n  prompt: "{{ secrets.GH_TOKEN }}"\n',
    );
    const run = async (args: string[]) => {
      const out = recordingOutput();
      const makeDeps = (): Deps => ({
        clock: new FakeClock(NOW),
        proc: systemProc(),
        env: envFrom({ HOME: root, PATH: "/usr/bin:/bin" }),
        paths,
        out,
        selfPid: Deno.pid,
        os: Deno.build.os,
        debug: false,
        confirm: () => Promise.resolve(undefined),
        onSignal: () => () => {},
      });
      const code = await runProgram(args, { out, makeDeps });
      return { code, stdout: out.stdout.join("\n"), stderr: out.stderr.join("\n") };
    };
    const dir = `${root}/k8s`;
    const base = ["export", "kubernetes", "--image", "ghcr.io/o/clodputer:0.1.0", "--out", dir];
    const dry = await run([...base, "--dry-run", "--namespace", "jobs", "--secret", "claude"]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, new RegExp(`would create ${dir}/clodputer-gh\\.yaml`));
    assert.match(dry.stdout, /timeZone: America\/Sao_Paulo/);
    assert.match(dry.stdout, /skipped summarise-repo: Cannot export summarise-repo/);
    assert.match(
      dry.stdout,
      /kubectl create secret generic claude --namespace jobs --from-literal=GH_TOKEN="\$GH_TOKEN" --from-literal=CLAUDE_CODE_OAUTH_TOKEN=/,
    );
    assert.match(dry.stdout, new RegExp(`kubectl apply -f ${dir}$`, "m"));
    await assert.rejects(Deno.stat(dir), Deno.errors.NotFound, "a dry run writes nothing");

    const json = await run([...base, "--json", "gh", "todo-triage"]);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), {
      files: [
        { path: `${dir}/clodputer-gh.yaml`, action: "created" },
        { path: `${dir}/clodputer-todo-triage.yaml`, action: "created" },
      ],
      skipped: [],
    });
    const written = await run([...base, "--claim", "runs"]);
    assert.equal(written.code, 0, written.stderr);
    assert.match(written.stdout, new RegExp(`^updated ${dir}/clodputer-gh\\.yaml$`, "m"));
    assert.match(written.stdout, new RegExp(`^created ${dir}/clodputer-daily-email\\.yaml$`, "m"));
    assert.match(await Deno.readTextFile(`${dir}/clodputer-gh.yaml`), /claimName: runs/);

    await assert.rejects(run(["export", "kubernetes", "--out", dir]), /--image is required/);
    await assert.rejects(
      run(["export", "kubernetes", "summarise-repo", "--image", "x/y:1", "--out", dir]),
      /Cannot export summarise-repo: it has no schedule/,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
