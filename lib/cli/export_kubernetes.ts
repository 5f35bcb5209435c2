/**
 * @module
 * `clodputer export kubernetes [task...] --image REF [--namespace NS] [--secret NAME]
 * [--claim NAME] [--out DIR] [--dry-run] [--force] [--json]`: one manifest per task (a ConfigMap
 * with the task file and a CronJob, lib/export/kubernetes.ts), written under `--out` (never over a
 * file an export did not write, unless forced), then the Secret to create and the apply command.
 */

import { UsageError } from "../errors.ts";
import { writeExport } from "../export/files.ts";
import {
  checkImage,
  checkNames,
  kubernetesFiles,
  type KubernetesOptions,
  secretKeysOf,
} from "../export/kubernetes.ts";
import { selectTasks } from "../export/select.ts";
import type { Deps } from "./deps.ts";

/** Options of `export kubernetes`. */
export interface ExportKubernetesOptions {
  image?: string | undefined;
  namespace: string;
  secret: string;
  claim?: string | undefined;
  out: string;
  dryRun: boolean;
  force: boolean;
  json: boolean;
}

/** Runs the command; returns the exit code. */
export async function exportKubernetesCommand(
  deps: Deps,
  names: readonly string[],
  options: ExportKubernetesOptions,
): Promise<number> {
  const { out } = deps;
  const k8s: KubernetesOptions = {
    image: options.image,
    namespace: options.namespace,
    secret: options.secret,
    claim: options.claim,
    nowMs: deps.clock.now(),
  };
  // The flags first: a usage error before any task is read.
  checkImage(k8s.image);
  checkNames(k8s);
  const { tasks, skipped } = await selectTasks(deps, names);
  if (tasks.length === 0) {
    throw new UsageError(
      "Nothing to export: no task has a schedule" +
        skipped.map((s) => `\n  skipped ${s.name}: ${s.reason}`).join(""),
      { hint: "give a task a cron schedule or an interval, or name the tasks to export" },
    );
  }
  const { files, manifests } = kubernetesFiles(tasks, k8s);
  const written = await writeExport(options.out, files, {
    force: options.force,
    dryRun: options.dryRun,
  });
  if (options.json) {
    out.json({ files: written, skipped });
    return 0;
  }
  for (const w of written) {
    const action = options.dryRun && w.action !== "unchanged"
      ? `would ${w.action === "created" ? "create" : "update"}`
      : w.action;
    out.line(`${action} ${w.path}`);
  }
  for (const s of skipped) out.line(`skipped ${s.name}: ${s.reason}`);
  if (options.dryRun) {
    for (const [i, file] of files.entries()) {
      out.line("");
      out.line(`--- ${written[i]?.path ?? file.path}`);
      out.line(file.text.replace(/\n$/, ""));
    }
  }
  const keys = secretKeysOf(manifests);
  out.line("");
  out.line(
    `Next: create the Secret ${k8s.secret} with the keys the tasks read (one of ` +
      "CLAUDE_CODE_OAUTH_TOKEN and ANTHROPIC_API_KEY is enough), values from your shell:",
  );
  out.line(
    `  kubectl create secret generic ${k8s.secret} --namespace ${k8s.namespace} ` +
      keys.map((k) => `--from-literal=${k}="$${k}"`).join(" "),
  );
  out.line(`then apply the manifests: kubectl apply -f ${options.out}`);
  return 0;
}
