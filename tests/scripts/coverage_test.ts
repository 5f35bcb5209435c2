/**
 * @module
 * scripts/coverage.ts: lcov is read per lib/ file, the total is the lines run over the lines
 * seen, and the gate passes at the threshold and fails below it (the script itself, on a fixture
 * lcov report, exits 0 or 1).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import {
  parseLcov,
  passes,
  report,
  runtimeLines,
  summarise,
  THRESHOLD,
} from "../../scripts/coverage.ts";
import { REPO_ROOT } from "../e2e/cli.ts";

const ROOT = "/repo";

/** An lcov record for `path`, with `hit` of `found` lines run (DA lines, then LF/LH). */
function record(path: string, found: number, hit: number, totals = true): string {
  const da = Array.from({ length: found }, (_, i) => `DA:${i + 1},${i < hit ? 3 : 0}`);
  return [
    `SF:${path}`,
    "FNF:0",
    "FNH:0",
    ...da,
    ...(totals ? [`LF:${found}`, `LH:${hit}`] : []),
    "end_of_record",
  ].join("\n");
}

Deno.test("parseLcov() keeps only lib/ files, named from the root, from file URLs or paths", () => {
  const lcov = [
    record("file:///repo/lib/cli/app.ts", 10, 7),
    record("/repo/lib/sys/clock.ts", 4, 4),
    record("file:///repo/tests/e2e/cli.ts", 50, 10),
    record("file:///repo/vendor/yaml.js", 100, 1),
    record("file:///elsewhere/lib/x.ts", 5, 0),
  ].join("\n");
  assert.deepEqual(parseLcov(lcov, ROOT), [
    { file: "lib/cli/app.ts", found: 10, hit: 7 },
    { file: "lib/sys/clock.ts", found: 4, hit: 4 },
  ]);
});

Deno.test("parseLcov() counts DA lines when a record has no LF/LH", () => {
  assert.deepEqual(parseLcov(record("/repo/lib/a.ts", 5, 2, false), ROOT), [
    { file: "lib/a.ts", found: 5, hit: 2 },
  ]);
});

Deno.test("summarise() weighs files by their lines, not as an average of percents", () => {
  const summary = summarise([
    { file: "lib/big.ts", found: 90, hit: 90 },
    { file: "lib/small.ts", found: 10, hit: 0 },
  ]);
  assert.equal(summary.found, 100);
  assert.equal(summary.hit, 90);
  assert.equal(summary.percent, 90);
  assert.equal(summarise([]).percent, 100);
});

Deno.test("passes() holds at the threshold and fails just below it", () => {
  const at = (hit: number) => summarise([{ file: "lib/a.ts", found: 10_000, hit }]);
  assert.equal(THRESHOLD, 85);
  assert.equal(passes(at(8_500)), true);
  assert.equal(passes(at(8_499)), false);
  assert.equal(passes(at(8_499), 80), true);
});

Deno.test("report() names the least covered files first and never rounds a failure up", () => {
  const summary = summarise([
    { file: "lib/good.ts", found: 10_000, hit: 9_999 },
    { file: "lib/poor.ts", found: 1_000, hit: 0 },
    { file: "lib/half.ts", found: 2, hit: 1 },
  ]);
  const text = report(summary);
  const lines = text.split("\n");
  assert.match(lines[1] ?? "", /lib\/poor\.ts +0\.0% +\(1000 of 1000 lines not run\)/);
  assert.match(lines[2] ?? "", /lib\/half\.ts +50\.0%/);
  assert.match(text, /lib\/ total: 90\.8% of lines \(10000 of 11002\)/);
  assert.match(text, /coverage ok: 90\.8% >= 85%/);

  const justBelow = summarise([{ file: "lib/a.ts", found: 100_000, hit: 84_999 }]);
  assert.match(
    report(justBelow),
    /coverage FAILED: 84\.9% is below the threshold of 85%; add tests for the files above/,
  );
});

Deno.test("scripts/coverage.ts exits 1 below the threshold and 0 at it, on a fixture report", async () => {
  await using dir = await tempDir();
  // `deno test --coverage=<dir>` leaves <dir>/lcov.info, which the script reads; a fixture stands
  // in for it here.
  // Every lib/ file at 84 of 100 lines, and a test file (not counted) at 100%.
  const lcov = [
    ...(await libFiles()).map((file) => record(`file://${join(REPO_ROOT, file)}`, 100, 84)),
    record(`file://${join(REPO_ROOT, "tests", "a_test.ts")}`, 100, 100),
  ].join("\n");
  await Deno.writeTextFile(join(dir.path, "lcov.info"), lcov);
  const run = async (...args: string[]) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-q", "-A", join(REPO_ROOT, "scripts", "coverage.ts"), ...args],
      stdout: "piped",
      stderr: "piped",
    }).output();
    return { code: out.code, stdout: new TextDecoder().decode(out.stdout) };
  };
  const below = await run(dir.path);
  assert.equal(below.code, 1, below.stdout);
  assert.match(below.stdout, /lib\/ total: 84\.0% of lines \(\d+ of \d+\)/);
  assert.match(below.stdout, /coverage FAILED/);
  const at = await run(dir.path, "--threshold", "84");
  assert.equal(at.code, 0, at.stdout);
  assert.match(at.stdout, /coverage ok: 84\.0% >= 84%/);
});

Deno.test("runtimeLines() counts code lines, and none in a file of types only", () => {
  assert.equal(
    runtimeLines("/** Doc. */\nexport interface A {\n  a: number;\n}\nexport type B = A;\n"),
    0,
  );
  const code = [
    "/**",
    " * @module",
    " */",
    'import { x } from "./x.ts";',
    "",
    "// a comment",
    "export function f(): number {",
    "  return x; /* inline */",
    "}",
  ].join("\n");
  assert.equal(runtimeLines(code), 4);
});

Deno.test("scripts/coverage.ts reads real profiles, and counts lib/ files no test loaded as not run", async () => {
  await using dir = await tempDir();
  // One real profile: a script that loads lib/ui/duration.ts, and so no other lib/ file.
  const script = join(dir.path, "load_one.ts");
  await Deno.writeTextFile(
    script,
    `import { formatDuration } from "${join(REPO_ROOT, "lib", "ui", "duration.ts")}";\n` +
      "formatDuration(1500);\n",
  );
  const profiles = join(dir.path, "cov");
  const ran = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-q", "-A", `--coverage=${profiles}`, script],
    cwd: REPO_ROOT,
  }).output();
  assert.equal(ran.code, 0, new TextDecoder().decode(ran.stderr));
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-q", "-A", join(REPO_ROOT, "scripts", "coverage.ts"), profiles, "--all"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 1, stdout);
  assert.match(stdout, /^ {2}lib\/ui\/duration\.ts +\d+\.\d% /m);
  // Never loaded, so absent from the profiles: counted as 0%, all its lines not run.
  assert.match(stdout, /^ {2}lib\/state\/store\.ts +0\.0% +\((\d+) of \1 lines not run\)$/m);
  // Types only: nothing to run, not listed.
  assert.doesNotMatch(stdout, /lib\/cli\/deps\.ts/);
  assert.match(stdout, /coverage FAILED: \d+\.\d% is below the threshold of 85%/);
});

/** Every .ts file under lib/, from the repository root. */
async function libFiles(dir = "lib"): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(join(REPO_ROOT, dir))) {
    if (entry.isDirectory) files.push(...await libFiles(`${dir}/${entry.name}`));
    else if (entry.name.endsWith(".ts")) files.push(`${dir}/${entry.name}`);
  }
  return files;
}

async function tempDir(): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.makeTempDir({ prefix: "clodputer-coverage-" });
  return {
    path,
    [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }),
  };
}
