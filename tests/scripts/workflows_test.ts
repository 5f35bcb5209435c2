/**
 * @module
 * The GitHub workflows, checked as files (actionlint is neither on npm nor in Debian): GitHub's
 * workflow schema (@action-validator/core: YAML that parses, on and jobs, every job's runs-on,
 * every step one of uses/run, needs naming jobs that exist), then what the schema cannot know
 * (every job has steps, matrix names exist, contexts are known, actions pinned to a major, every
 * run script parses with bash -n), CI on both OSes for every push and pull request, and the
 * release's jobs and steps.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { parse } from "../../vendor/yaml.js";
import { REPO_ROOT } from "../e2e/cli.ts";
import { TARGETS } from "../../scripts/compile.ts";

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  if?: string;
}
interface Job {
  "runs-on": string;
  needs?: string | string[];
  strategy?: { matrix: Record<string, unknown> & { include?: Record<string, string>[] } };
  steps: Step[];
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
}

async function workflow(name: string): Promise<{ text: string; wf: Workflow }> {
  const text = await Deno.readTextFile(join(REPO_ROOT, ".github/workflows", name));
  return { text, wf: parse(text) as Workflow };
}

function runs(job: Job): string {
  return job.steps.map((s) => s.run ?? "").join("\n");
}

/** The checks the schema cannot make that matter here. */
async function lint(name: string): Promise<void> {
  const { wf } = await workflow(name);
  for (const [id, job] of Object.entries(wf.jobs)) {
    // The schema allows a job without steps (one that calls a reusable workflow); ours all have them.
    assert.ok(Array.isArray(job.steps) && job.steps.length > 0, `${name}: job ${id} has steps`);
    const matrix = job.strategy?.matrix ?? {};
    const keys = new Set([
      ...Object.keys(matrix).filter((k) => k !== "include"),
      ...(matrix.include ?? []).flatMap((row) => Object.keys(row)),
    ]);
    const body = JSON.stringify(job);
    for (const [, key] of body.matchAll(/matrix\.([a-z_-]+)/g)) {
      assert.ok(keys.has(key ?? ""), `${name}: job ${id} uses matrix.${key}, not in its matrix`);
    }
    for (const [, context] of body.matchAll(/\$\{\{\s*([a-z_]+)[.\s]/g)) {
      assert.ok(
        ["github", "env", "matrix", "secrets", "runner", "needs", "steps"].includes(context ?? ""),
        `${name}: job ${id} uses an unknown context ${context}`,
      );
    }
    for (const [i, step] of job.steps.entries()) {
      const where = `${name}: job ${id}, step ${i + 1}`;
      if (step.uses) assert.match(step.uses, /^[\w-]+\/[\w-]+@v\d+$/, `${where}: a pinned action`);
      if (step.run) {
        const script = step.run.replace(/\$\{\{[^}]*\}\}/g, "x");
        const check = await new Deno.Command("bash", {
          args: ["-n", "-c", script],
          stderr: "piped",
        }).output();
        assert.ok(check.success, `${where}: bash -n: ${new TextDecoder().decode(check.stderr)}`);
      }
    }
  }
}

Deno.test("both workflows match GitHub's workflow schema (action-validator)", async () => {
  for (const name of ["ci.yml", "release.yml"]) {
    const { text } = await workflow(name);
    const result = validateWorkflow(text) as { errors: unknown[] };
    assert.deepEqual(result.errors, [], `${name}: ${JSON.stringify(result.errors)}`);
  }
  // The check is real: a step with neither uses nor run, a job without runs-on, a needs that
  // names no job, and a tab in the indentation are each refused.
  const { text } = await workflow("release.yml");
  for (
    const [what, broken] of [
      ["a step with neither uses nor run", text.replace(/run: deno task compile/, "nam: x")],
      ["a job without runs-on", text.replace(/^ {4}runs-on: macos-latest\n/m, "")],
      ["needs naming no job", text.replace(/needs: build/, "needs: nosuch")],
      ["a tab", text.replace(/^ {6}- name: Compile/m, "\t  - name: Compile")],
    ]
  ) {
    assert.notEqual(broken, text, what);
    const result = validateWorkflow(broken ?? "") as { errors: unknown[] };
    assert.ok(result.errors.length > 0, `${what} has errors`);
  }
});

Deno.test("both workflows pass the checks the schema cannot make (steps, matrix, contexts, pins, bash -n)", async () => {
  await lint("ci.yml");
  await lint("release.yml");
});

Deno.test("CI runs .ci/run on Ubuntu and macOS for every push and pull request", async () => {
  const { wf } = await workflow("ci.yml");
  assert.deepEqual(Object.keys(wf.on).sort(), ["pull_request", "push"]);
  assert.equal(wf.on.push, null, "every branch and tag");
  assert.equal(wf.on.pull_request, null, "every pull request");
  const job = Object.values(wf.jobs)[0];
  assert.ok(job);
  assert.equal(job["runs-on"], "${{ matrix.os }}");
  assert.deepEqual(job.strategy?.matrix.os, ["ubuntu-latest", "macos-latest"]);
  assert.ok(job.steps.some((s) => s.uses?.startsWith("actions/checkout@")));
  assert.ok(job.steps.some((s) => s.run?.trim() === "bash .ci/run"));
});

Deno.test("the release builds on macOS, checks signatures, tries every binary on its OS, publishes", async () => {
  const { wf } = await workflow("release.yml");
  assert.deepEqual(wf.on, { push: { tags: ["v*"] } });
  const { build, smoke, publish } = wf.jobs;
  assert.ok(build && smoke && publish, "jobs build, smoke and publish");

  assert.match(build["runs-on"], /^macos-/, "deno ad-hoc signs Mach-O only on macOS");
  assert.match(runs(build), /deno task compile/);
  assert.match(runs(build), /codesign -v/);
  const pack = build.steps.find((s) => s.name === "Package")?.run?.match(/for target in ([^;]+);/);
  assert.ok(pack?.[1], "the Package step loops over the targets");
  assert.deepEqual(pack[1].trim().split(/\s+/).sort(), [...TARGETS].sort());
  assert.match(runs(build), /clodputer-\$VERSION-\$target\.tar\.gz/);
  assert.match(runs(build), /shasum -a 256 "\$archive" > "\$archive\.sha256"/);

  const rows = smoke.strategy?.matrix.include ?? [];
  assert.deepEqual(rows.map((r) => r.target).sort(), [...TARGETS].sort());
  for (const row of rows) {
    const os = row.target?.includes("apple-darwin") ? /^macos-/ : /^ubuntu-/;
    assert.match(row.runner ?? "", os, `${row.target} runs on its own OS`);
    const arm = row.target?.startsWith("aarch64");
    if (row.target?.includes("linux")) {
      assert.equal(row.runner?.endsWith("-arm"), arm, `${row.target} runs on its own CPU`);
    } else {
      assert.equal(row.runner?.endsWith("-intel"), !arm, `${row.target} runs on its own CPU`);
    }
  }
  assert.equal(smoke.needs, "build");
  assert.match(runs(smoke), /shasum -a 256 -c/);
  assert.match(runs(smoke), /codesign -v/);
  assert.match(runs(smoke), /bin\/clodputer --version/);
  assert.match(runs(smoke), /tests\/fixtures\/bin:\$PATH/, "the stand-in claude");
  assert.match(runs(smoke), /bin\/clodputer run smoke --now/);

  // On macOS, install --launchd twice with the real launchctl: bootstrap, bootout, bootstrap.
  const launchd = smoke.steps.find((s) => /install --launchd/.test(s.name ?? ""));
  assert.ok(launchd?.run, "the smoke job installs the LaunchAgent on macOS");
  assert.equal(launchd.if, "runner.os == 'macOS'");
  assert.match(launchd.run, /^export PATH="\/bin:\/usr\/bin:/m, "the real launchctl first");
  assert.equal(launchd.run.match(/^bin\/clodputer install --launchd$/gm)?.length, 2);
  assert.match(launchd.run, /plutil -lint "\$plist"/);
  assert.match(launchd.run, /launchctl print "\$service"/);
  assert.match(launchd.run, /bin\/clodputer uninstall\n/);

  // The Linux binary as Homebrew on Linux installs it (brew may patch ELF files).
  const brew = wf.jobs["homebrew-linux"];
  assert.ok(brew, "job homebrew-linux");
  assert.match(brew["runs-on"], /^ubuntu-/);
  assert.equal(brew.needs, "build");
  assert.match(runs(brew), /scripts\/release_formula\.ts --version "\$GITHUB_REF_NAME"/);
  assert.match(runs(brew), /file:\/\/\$GITHUB_WORKSPACE\/release\//, "this run's archives");
  assert.match(runs(brew), /brew install --formula local\/clodputer\/clodputer/);
  assert.match(runs(brew), /test "\$\("\$bin" --version\)" = "\$\{GITHUB_REF_NAME#v\}"/);
  assert.match(runs(brew), /"\$bin" run smoke --now/);
  assert.match(runs(brew), /brew test local\/clodputer\/clodputer/);

  assert.deepEqual(publish.needs, ["build", "smoke", "homebrew-linux"]);
  assert.match(runs(publish), /gh release create .*release\/\*\.tar\.gz release\/\*\.sha256/);
  assert.match(
    runs(publish),
    /scripts\/release_formula\.ts --version "\$GITHUB_REF_NAME"[\s\S]*--dir release --out tap\/Formula\/clodputer\.rb/,
  );
  assert.ok(
    publish.steps.some((s) =>
      s.with?.repository === "${{ github.repository_owner }}/homebrew-clodputer"
    ),
    "the tap is checked out to commit the formula",
  );
  assert.match(runs(publish), /git push/);
});
