/**
 * @module
 * The container image and its release step, checked as files (no Docker or hadolint here):
 * packaging/container/Containerfile (a pinned base, the release binary checked against its
 * sha256 for each target, the Claude Code CLI at the version the tests use, a non-root user with
 * the uid the Kubernetes manifests run as, set before the entrypoint), and the release workflow's
 * image job (after the release is published; GitHub's schema; both platforms; ghcr.io with the
 * version tag and latest).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { parse } from "../../vendor/yaml.js";
import { TARGETS } from "../../scripts/compile.ts";
import { IMAGE_UID } from "../../lib/export/kubernetes.ts";
import { REPO_ROOT } from "../e2e/cli.ts";
import { CLAUDE_VERSION } from "../fixtures/claude_cli.ts";

const CONTAINERFILE = "packaging/container/Containerfile";

/** The Containerfile's instructions: continuation lines joined, comments and blanks left out. */
async function instructions(): Promise<{ op: string; args: string }[]> {
  const text = await Deno.readTextFile(join(REPO_ROOT, CONTAINERFILE));
  return text.replace(/\\\n/g, " ").split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .map((l) => {
      const [op = "", ...rest] = l.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(" ") };
    });
}

Deno.test("Containerfile: a pinned base, the release binary checked by sha256 for both Linux targets", async () => {
  const ins = await instructions();
  const from = ins.filter((i) => i.op === "FROM");
  assert.equal(from.length, 1, "one stage");
  assert.match(from[0]?.args ?? "", /^node:22\.\d+\.\d+-[a-z]+-slim$|@sha256:[0-9a-f]{64}$/);
  const run = ins.filter((i) => i.op === "RUN").map((i) => i.args).join("\n");
  const args = ins.filter((i) => i.op === "ARG").map((i) => i.args.split("=")[0]);
  assert.ok(args.includes("VERSION") && args.includes("TARGETARCH"), "VERSION and TARGETARCH");
  const linux = TARGETS.filter((t) => t.includes("linux")).sort();
  assert.deepEqual(linux, ["aarch64-unknown-linux-gnu", "x86_64-unknown-linux-gnu"]);
  assert.match(run, /amd64\) target=x86_64-unknown-linux-gnu ;;/);
  assert.match(run, /arm64\) target=aarch64-unknown-linux-gnu ;;/);
  assert.match(run, /archive="clodputer-\$\{VERSION\}-\$\{target\}\.tar\.gz"/, "the release name");
  assert.match(run, /curl -fsSLO "\$\{base\}\/\$\{archive\}\.sha256"/);
  assert.match(
    run,
    /sha256sum -c "\$\{archive\}\.sha256"; tar -xzf "\$\{archive\}"/,
    "check, then unpack",
  );
  assert.match(run, /releases\/download\/v\$\{VERSION\}/);
  assert.match(run, /test "\$\(clodputer --version\)" = "\$\{VERSION\}"/);
  assert.match(run, /install -y --no-install-recommends [^;]*\bprocps\b/, "clodputer runs ps");
  assert.match(run, /install -y --no-install-recommends [^;]*\bca-certificates\b/);
});

Deno.test("Containerfile: the Claude Code CLI at the version the tests pin", async () => {
  const ins = await instructions();
  const pin = ins.find((i) => i.op === "ARG" && i.args.startsWith("CLAUDE_CODE_VERSION="));
  assert.equal(pin?.args, `CLAUDE_CODE_VERSION=${CLAUDE_VERSION}`, "tests/fixtures/claude_cli.ts");
  const run = ins.filter((i) => i.op === "RUN").map((i) => i.args).join("\n");
  assert.match(run, /npm install -g "@anthropic-ai\/claude-code@\$\{CLAUDE_CODE_VERSION\}"/);
  assert.match(run, /claude --version/);
});

Deno.test("Containerfile: a non-root user with the manifests' uid, set before the entrypoint", async () => {
  const ins = await instructions();
  const user = ins.findIndex((i) => i.op === "USER");
  const entry = ins.findIndex((i) => i.op === "ENTRYPOINT");
  assert.ok(user >= 0 && entry > user, "USER comes before ENTRYPOINT");
  assert.equal(ins.filter((i) => i.op === "USER").length, 1);
  assert.equal(ins[user]?.args, `${IMAGE_UID}:${IMAGE_UID}`, "numeric, so runAsNonRoot can check");
  assert.ok(
    ins.slice(user).every((i) => i.op !== "RUN"),
    "nothing runs as root after USER (or before it as someone else)",
  );
  const run = ins.filter((i) => i.op === "RUN").map((i) => i.args).join("\n");
  assert.match(run, new RegExp(`useradd --uid ${IMAGE_UID} --gid ${IMAGE_UID}`));
  assert.deepEqual(JSON.parse(ins[entry]?.args ?? ""), ["clodputer"]);
  const labels = ins.filter((i) => i.op === "LABEL").map((i) => i.args).join(" ");
  for (const key of ["title", "description", "version", "source", "licenses"]) {
    assert.match(labels, new RegExp(`org\\.opencontainers\\.image\\.${key}=`));
  }
});

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, string | boolean>;
}

Deno.test("release.yml: after publishing, the image is built for both platforms and pushed to ghcr.io", async () => {
  const text = await Deno.readTextFile(join(REPO_ROOT, ".github/workflows/release.yml"));
  const result = validateWorkflow(text) as { errors: unknown[] };
  assert.deepEqual(result.errors, [], JSON.stringify(result.errors));
  const wf = parse(text) as {
    jobs: Record<
      string,
      { needs?: string | string[]; permissions?: Record<string, string>; steps: Step[] }
    >;
  };
  const image = wf.jobs.image;
  assert.ok(image, "job image");
  assert.ok(wf.jobs.publish, "job publish");
  assert.deepEqual([image.needs].flat(), ["publish"], "the archives are published first");
  assert.equal(image.permissions?.packages, "write");
  const uses = image.steps.map((s) => s.uses?.replace(/@.*/, ""));
  for (
    const action of [
      "docker/setup-buildx-action",
      "docker/login-action",
      "docker/build-push-action",
    ]
  ) {
    assert.ok(uses.includes(action), action);
  }
  const login = image.steps.find((s) => s.uses?.startsWith("docker/login-action@"));
  assert.equal(login?.with?.registry, "ghcr.io");
  const build = image.steps.find((s) => s.uses?.startsWith("docker/build-push-action@"));
  assert.ok(build?.with, "build-push-action's inputs");
  assert.equal(build.with.file, CONTAINERFILE);
  assert.equal(build.with.push, true);
  assert.deepEqual(String(build.with.platforms).split(","), ["linux/amd64", "linux/arm64"]);
  assert.match(String(build.with["build-args"]), /^VERSION=\$\{\{ env\.VERSION \}\}$/m);
  const tags = String(build.with.tags).trim().split("\n");
  assert.deepEqual(tags, ["${{ env.IMAGE }}:${{ env.VERSION }}", "${{ env.IMAGE }}:latest"]);
  const names = image.steps.map((s) => s.run ?? "").join("\n");
  assert.match(names, /IMAGE=ghcr\.io\/\$owner\/clodputer/, "ghcr.io/<owner>/clodputer");
  assert.match(names, /tr '\[:upper:\]' '\[:lower:\]'/, "an image name is lower case");
  assert.match(names, /VERSION=\$\{GITHUB_REF_NAME#v\}/, "the tag without its v");
});
