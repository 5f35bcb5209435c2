/**
 * @module
 * The Homebrew formula filled from a release's .sha256 files: valid Ruby (`ruby -c`), one url and
 * sha256 per OS/CPU block (read back through a stand-in for Homebrew's DSL), an `install` that
 * puts the binary, completions and the man page (run by the stand-in), caveats, and a `test do`
 * whose embedded task really validates.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import denoJson from "../../deno.json" with { type: "json" };
import { denoDir, REPO_ROOT, runCli, tempHome } from "../e2e/cli.ts";
import { shimText } from "../../scripts/install.ts";
import { runFlags } from "../../lib/sys/self.ts";
import { archiveName, fillFormula, formulaFor, readSha256 } from "../../scripts/release_formula.ts";
import { needProgram } from "../needs.ts";
import { TARGETS } from "../../scripts/compile.ts";

const { ignore: NO_RUBY } = needProgram("ruby", "the Homebrew formula read back by ruby");

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A release folder as the workflow leaves it: an archive and its .sha256 per target. */
async function releaseFixture(
  version: string,
): Promise<{ dir: string; sums: Map<string, string> }> {
  const dir = await Deno.makeTempDir({ prefix: "clodputer-release-" });
  const sums = new Map<string, string>();
  for (const target of TARGETS) {
    const file = archiveName(version, target);
    const bytes = new TextEncoder().encode(`archive of ${target}`);
    await Deno.writeFile(join(dir, file), bytes);
    const hex = await sha256Hex(bytes);
    sums.set(target, hex);
    await Deno.writeTextFile(join(dir, `${file}.sha256`), `${hex}  ${file}\n`);
  }
  return { dir, sums };
}

async function run(cmd: string, args: string[]): Promise<{ code: number; out: string }> {
  const o = await new Deno.Command(cmd, { args, cwd: REPO_ROOT, stdout: "piped", stderr: "piped" })
    .output();
  const d = new TextDecoder();
  return { code: o.code, out: d.decode(o.stdout) + d.decode(o.stderr) };
}

function release(args: string[]): Promise<{ code: number; out: string }> {
  return run(Deno.execPath(), ["run", "-q", "-R", "-W", "scripts/release_formula.ts", ...args]);
}

Deno.test(
  "release_formula fills a formula that is valid Ruby with one url and sha256 per target (needs ruby; .ci/run installs it)",
  {
    ignore: NO_RUBY,
  },
  async () => {
    const { dir, sums } = await releaseFixture("1.2.3");
    try {
      const formula = join(dir, "clodputer.rb");
      const made = await release([
        "--version",
        "v1.2.3",
        "--repo",
        "acme/clodputer",
        "--dir",
        dir,
        "--out",
        formula,
      ]);
      assert.equal(made.code, 0, made.out);
      const text = await Deno.readTextFile(formula);
      assert.doesNotMatch(text, /\{\{/, "every placeholder is filled");
      assert.match(text, /^class Clodputer < Formula$/m, "a formula, not a cask");

      const syntax = await run("ruby", ["-c", formula]);
      assert.equal(syntax.code, 0, syntax.out);
      assert.match(syntax.out, /Syntax OK/);

      const stub = await run("ruby", [
        join(REPO_ROOT, "tests/fixtures/homebrew/formula_stub.rb"),
        formula,
      ]);
      assert.equal(stub.code, 0, stub.out);
      const found = JSON.parse(stub.out);
      const where: Record<string, string> = {
        "macos/arm": "aarch64-apple-darwin",
        "macos/intel": "x86_64-apple-darwin",
        "linux/arm": "aarch64-unknown-linux-gnu",
        "linux/intel": "x86_64-unknown-linux-gnu",
      };
      assert.deepEqual(Object.keys(found.targets).sort(), Object.keys(where).sort());
      for (const [block, target] of Object.entries(where)) {
        assert.deepEqual(found.targets[block], {
          url:
            `https://github.com/acme/clodputer/releases/download/v1.2.3/clodputer-1.2.3-${target}.tar.gz`,
          sha256: sums.get(target),
        }, block);
      }
      assert.equal(found.fields.version, "1.2.3");
      assert.equal(found.fields.homepage, "https://github.com/acme/clodputer");
      assert.equal(found.fields.test, true, "the formula has a test do block");
      assert.deepEqual(found.methods, ["caveats", "install"]);
      assert.match(found.caveats, /^\s+clodputer init\b/m);
      assert.match(found.caveats, /^\s+clodputer install\b/m);
      assert.match(text, /generate_completions_from_executable\(bin\/"clodputer", "completions"\)/);
      assert.match(text, /bin\.install "clodputer"/);
      assert.match(
        text,
        /\(man1\/"clodputer\.1"\)\.write Utils\.safe_popen_read\(bin\/"clodputer", "man"\)/,
      );
      assert.match(text, /shell_output\("#\{bin\}\/clodputer --version"\)/);
      assert.match(text, /shell_output\("#\{bin\}\/clodputer validate hello"\)/);
      // ENV takes strings only: a Pathname there is a TypeError when brew test runs.
      assert.match(text, /ENV\["CLODPUTER_HOME"\] = \(testpath\/"home"\)\.to_s/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

Deno.test("the task embedded in the formula's test do block validates", async () => {
  const template = await Deno.readTextFile(join(REPO_ROOT, "packaging/homebrew/clodputer.rb.tmpl"));
  const m = template.match(
    /\(testpath\/"home\/tasks\/hello\.yaml"\)\.write <<~YAML\n([\s\S]*?)\n\s*YAML\n/,
  );
  assert.ok(m?.[1], "the test block writes home/tasks/hello.yaml");
  await using home = await tempHome();
  const body = m[1].split("\n").map((l) => l.replace(/^ {6}/, "")).join("\n")
    .replace("#{testpath}", home.root);
  await home.writeTask("hello", body + "\n");
  const r = await runCli(home, ["validate", "hello"]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /1 task valid/, "the formula's assert_match looks for this");
});

Deno.test("the formula's install and test do pass against a working clodputer (needs ruby)", {
  ignore: NO_RUBY,
}, async () => {
  const { dir } = await releaseFixture(denoJson.version);
  try {
    const formula = join(dir, "clodputer.rb");
    const made = await release([
      "--version",
      denoJson.version,
      "--repo",
      "acme/clodputer",
      "--dir",
      dir,
      "--out",
      formula,
    ]);
    assert.equal(made.code, 0, made.out);
    // The source install's shim stands in for the binary: same flags, same output.
    const bin = join(dir, "bin");
    await Deno.mkdir(bin);
    const flags = runFlags(denoJson.tasks.clodputer.command);
    await Deno.writeTextFile(
      join(bin, "clodputer"),
      shimText({ deno: Deno.execPath(), flags, checkout: REPO_ROOT }),
      { mode: 0o755 },
    );
    const o = await new Deno.Command("ruby", {
      args: [join(REPO_ROOT, "tests/fixtures/homebrew/formula_stub.rb"), formula],
      env: { STUB_BIN: bin, DENO_DIR: await denoDir(), NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const d = new TextDecoder();
    assert.equal(o.code, 0, d.decode(o.stdout) + d.decode(o.stderr));
    const found = JSON.parse(d.decode(o.stdout));
    // install: the binary, its completions, and the man page it prints, in share/man/man1.
    assert.deepEqual(found.installed, ["clodputer"]);
    assert.deepEqual(found.completions_from, [join(bin, "clodputer"), "completions"]);
    assert.deepEqual(Object.keys(found.prefix_files), ["share/man/man1/clodputer.1"]);
    const page = found.prefix_files["share/man/man1/clodputer.1"] as string;
    assert.match(page, /^\.TH CLODPUTER 1 "\d{4}-\d\d-\d\d" "clodputer (\S+)" "User Commands"\n/);
    assert.ok(page.includes(`"clodputer ${denoJson.version}"`), "the version in the header");
    assert.match(page, /^\.SS "queue remove"$/m, "the commands, from the binary's own tree");
    assert.equal(found.test_ran, true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("fillFormula() and readSha256() refuse bad input with what to do", async () => {
  const template = await Deno.readTextFile(join(REPO_ROOT, "packaging/homebrew/clodputer.rb.tmpl"));
  const sha256 = Object.fromEntries(TARGETS.map((t) => [t, "a".repeat(64)]));
  assert.throws(
    () => fillFormula(template, { version: "latest", repo: "a/b", sha256 }),
    /not a release version: give it as 1\.2\.0/,
  );
  assert.throws(
    () => fillFormula(template, { version: "1.0.0", repo: "nobody", sha256 }),
    /give it as owner\/name/,
  );
  assert.throws(
    () => fillFormula(template, { version: "1.0.0", repo: "a/b", sha256: {} }),
    /No sha256 for aarch64-apple-darwin/,
  );
  assert.throws(
    () => fillFormula("{{nope}}", { version: "1.0.0", repo: "a/b", sha256 }),
    /\{\{nope\}\}/,
  );
  const file = "clodputer-1.0.0-x86_64-apple-darwin.tar.gz";
  assert.equal(readSha256(`${"b".repeat(64)} *${file}\n`, file), "b".repeat(64));
  assert.equal(readSha256(`${"c".repeat(64)}\n`, file), "c".repeat(64));
  assert.throws(() => readSha256("not a sum", file), /shasum -a 256/);
  assert.throws(
    () => readSha256(`${"d".repeat(64)}  other.tar.gz`, file),
    /checksum of other\.tar\.gz/,
  );
  await assert.rejects(
    formulaFor({ version: "1.0.0", repo: "a/b", dir: "/nonexistent" }),
    /Cannot read \/nonexistent\/clodputer-1\.0\.0-aarch64-apple-darwin\.tar\.gz\.sha256/,
  );
});

Deno.test("release_formula exits 2 with the reason when a .sha256 file is missing", async () => {
  const { dir } = await releaseFixture("1.2.3");
  try {
    await Deno.remove(join(dir, `${archiveName("1.2.3", "aarch64-unknown-linux-gnu")}.sha256`));
    const r = await release(["--version", "1.2.3", "--repo", "acme/clodputer", "--dir", dir]);
    assert.equal(r.code, 2);
    assert.match(
      r.out,
      /release_formula: Cannot read .*aarch64-unknown-linux-gnu\.tar\.gz\.sha256/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
