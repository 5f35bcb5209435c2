/**
 * @module
 * tests/needs.ts: a missing program is skipped and said on a developer's machine, and fails the
 * run under CI=true; programs are found on PATH.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { onPath } from "./needs.ts";

const NEEDS = new URL("./needs.ts", import.meta.url).href;

async function check(ci: boolean): Promise<{ code: number; stdout: string; stderr: string }> {
  const code = `import { skipUnless } from "${NEEDS}";\n` +
    `console.log(JSON.stringify([skipUnless("x", undefined), skipUnless("tmux (the dashboard)", "not found on PATH")]));`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-config", code],
    env: { CI: ci ? "true" : "" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const d = new TextDecoder();
  return { code: out.code, stdout: d.decode(out.stdout), stderr: d.decode(out.stderr) };
}

Deno.test("skipUnless() skips and says so on a developer's machine; fails under CI=true", async () => {
  const dev = await check(false);
  assert.equal(dev.code, 0, dev.stderr);
  assert.equal(dev.stdout.trim(), "[false,true]");
  assert.match(
    dev.stderr,
    /^SKIPPED: the tests that need tmux \(the dashboard\) is missing: not found on PATH$/m,
  );

  const ci = await check(true);
  assert.notEqual(ci.code, 0);
  assert.equal(ci.stdout, "");
  assert.match(
    ci.stderr,
    /tmux \(the dashboard\) is missing: not found on PATH\. CI must run every test/,
  );
});

Deno.test("onPath() finds an executable file in PATH's folders, in order, and nothing else", async () => {
  const dir = await Deno.makeTempDir({ prefix: "clodputer-needs-" });
  try {
    const [a, b] = [join(dir, "a"), join(dir, "b")];
    await Deno.mkdir(a);
    await Deno.mkdir(b);
    await Deno.writeTextFile(join(a, "tool"), "#!/bin/sh\n", { mode: 0o644 }); // not executable
    await Deno.writeTextFile(join(b, "tool"), "#!/bin/sh\n", { mode: 0o755 });
    await Deno.mkdir(join(a, "dir-tool"));
    assert.equal(onPath("tool", `${a}:${b}`), join(b, "tool"));
    assert.equal(onPath("dir-tool", `${a}:${b}`), undefined);
    assert.equal(onPath("tool", ""), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
