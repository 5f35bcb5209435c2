/**
 * @module
 * `sh scripts/bootstrap.sh`, the README's one command from source, on a machine without Deno: a
 * temp HOME and a PATH of /usr/bin:/bin (no deno there) behind a stand-in npm
 * (tests/fixtures/npm/npm) that "installs" Deno by linking the deno running this test, so the test
 * needs no network (the real `npm install deno@VERSION` from a clean HOME was run by hand: 14 s,
 * most of it the download). Then
 * the clodputer command it installed runs from a bare PATH. And the pinned version is set once.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import denoJson from "../../deno.json" with { type: "json" };
import { denoDir, REPO_ROOT } from "../e2e/cli.ts";

const SCRIPT = join(REPO_ROOT, "scripts", "bootstrap.sh");
const STAND_IN = join(REPO_ROOT, "tests", "fixtures", "npm");

/** The version bootstrap.sh pins. */
async function pinned(): Promise<string> {
  const text = await Deno.readTextFile(SCRIPT);
  const version = text.match(/^DENO_VERSION=(\S+)$/m)?.[1];
  assert.ok(version, "bootstrap.sh sets DENO_VERSION=");
  return version;
}

async function sh(
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command("/bin/sh", {
    args,
    cwd,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const d = new TextDecoder();
  return { code: out.code, stdout: d.decode(out.stdout), stderr: d.decode(out.stderr) };
}

Deno.test("bootstrap.sh: the pinned Deno from npm, then the clodputer command, on a machine without Deno", async () => {
  const version = await pinned();
  assert.equal(Deno.version.deno, version, "the tests run on the pinned Deno");
  const home = await Deno.makeTempDir({ prefix: "clodputer-bootstrap-" });
  try {
    const log = join(home, "npm.log");
    const env = {
      HOME: home,
      PATH: `${STAND_IN}:/usr/bin:/bin`,
      DENO_DIR: await denoDir(), // the dependencies are cached; the real deno install has them
      FAKE_NPM_LOG: log,
      FAKE_NPM_DENO: Deno.execPath(),
    };
    const tools = join(home, ".cache", "clodputer-tools", `deno-${version}`);
    const first = await sh([SCRIPT], env, home);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.match(
      first.stderr,
      new RegExp(
        `^bootstrap: installing Deno ${version} from the npm registry into ${tools} ` +
          `\\(npm install deno@${version}\\)$`,
        "m",
      ),
    );
    assert.equal(
      await Deno.readTextFile(log),
      `npm install --no-audit --no-fund --no-save --prefix ${tools} deno@${version}\n`,
    );
    assert.match(first.stderr, /^bootstrap: fetching the dependencies .*deno install --frozen/m);
    assert.match(first.stderr, /^bootstrap: writing the clodputer command and its man page/m);
    const shim = join(home, ".deno", "bin", "clodputer");
    assert.match(first.stdout, new RegExp(`^Installed ${shim}: it runs ${REPO_ROOT}/main.ts`, "m"));
    const page = join(home, ".deno", "share", "man", "man1", "clodputer.1");
    assert.match(await Deno.readTextFile(page), /^\.TH CLODPUTER 1/);

    // The clodputer command runs from a bare PATH (no deno, as cron has it).
    const ran = await new Deno.Command(shim, {
      args: ["--version"],
      cwd: "/",
      env: { HOME: home, PATH: "/usr/bin:/bin", DENO_DIR: env.DENO_DIR },
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const d = new TextDecoder();
    assert.equal(ran.code, 0, d.decode(ran.stderr));
    assert.equal(d.decode(ran.stdout).trim(), denoJson.version);

    // Again, --deno only (what .ci/run calls): the Deno installed earlier, npm not asked again.
    const again = await sh([SCRIPT, "--deno"], env, home);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, `${join(tools, "bin")}\n`);
    assert.match(again.stderr, /^bootstrap: using Deno \S+ installed earlier: /m);
    assert.equal((await Deno.readTextFile(log)).split("\n").length, 2, "npm ran once");
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("bootstrap.sh: with neither Deno nor npm it says what to install (exit 1)", async () => {
  const home = await Deno.makeTempDir({ prefix: "clodputer-bootstrap-" });
  try {
    const bin = join(home, "bin");
    await Deno.mkdir(bin);
    await Deno.symlink("/usr/bin/dirname", join(bin, "dirname"));
    const r = await sh([SCRIPT], { HOME: home, PATH: bin }, home);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /npm \(Node\.js\) to fetch it from the npm registry/);
    assert.match(r.stderr, /Deno: https:\/\/deno\.com/);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("the pinned Deno version is set once: .ci/run and the release workflow follow bootstrap.sh", async () => {
  const version = await pinned();
  const ci = await Deno.readTextFile(join(REPO_ROOT, ".ci", "run"));
  assert.match(ci, /^deno_bin_="\$\(sh scripts\/bootstrap\.sh --deno\)"$/m);
  assert.doesNotMatch(ci, /DENO_VERSION=|npm install/);
  const release = await Deno.readTextFile(join(REPO_ROOT, ".github", "workflows", "release.yml"));
  assert.match(release, new RegExp(`^ {2}DENO_VERSION: ${version.replace(/\./g, "\\.")}$`, "m"));
  const readme = await Deno.readTextFile(join(REPO_ROOT, "README.md"));
  for (const said of [`npm install deno@${version}`, `clodputer-tools/deno-${version}`]) {
    assert.ok(readme.includes(said), `the README says ${said}`);
  }
});
