/**
 * @module
 * The secret stores with the stand-in `security` and `secret-tool` (tests/fixtures/bin) first
 * on PATH, run for real: each store's set, get, list and remove; the lookup order; `set` falling
 * to the file when no keyring answers; the 0600 file (its mode, and a readable one refused).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import {
  fileStore,
  keychainNames,
  keychainStore,
  listSecrets,
  lookupSecret,
  removeSecret,
  type SecretDeps,
  secretServiceStore,
  secretsFile,
  secretStores,
  setSecret,
} from "../../lib/run/secret_stores.ts";
import { EnvironmentError, UsageError } from "../../lib/errors.ts";
import { envFrom } from "../../lib/sys/env.ts";
import { systemProc } from "../../lib/sys/proc.ts";
import { FIXTURE_BIN } from "../e2e/cli.ts";

/** A temp HOME and Clodputer home, and deps whose PATH finds the stand-ins first. */
async function scene(
  options: { os?: string; env?: Record<string, string> } = {},
): Promise<
  { root: string; deps: SecretDeps; toolDir: string } & AsyncDisposable
> {
  const root = await Deno.makeTempDir({ prefix: "clodputer-secrets-" });
  const toolDir = join(root, "secret-tool");
  const deps: SecretDeps = {
    proc: systemProc(),
    os: options.os ?? "linux",
    paths: { home: join(root, ".clodputer") },
    env: envFrom({
      HOME: root,
      PATH: `${FIXTURE_BIN}:/usr/bin:/bin`,
      FAKE_SECRET_TOOL_DIR: toolDir,
      ...options.env,
    }),
  };
  return {
    root,
    deps,
    toolDir,
    async [Symbol.asyncDispose]() {
      await Deno.remove(root, { recursive: true });
    },
  };
}

const VALUE = "tok en\twith 'quotes' \"and\" $dollars; é";

Deno.test("secretStores() are looked up Keychain-or-Secret-Service, then the file, then the environment", async () => {
  await using s = await scene();
  assert.deepEqual(secretStores({ ...s.deps, os: "darwin" }).map((x) => x.kind), [
    "keychain",
    "file",
    "env",
  ]);
  assert.deepEqual(secretStores(s.deps).map((x) => x.kind), ["secret-service", "file", "env"]);
});

Deno.test("secretServiceStore() keeps, reads, lists and clears through secret-tool, the value on stdin only", async () => {
  await using s = await scene();
  const store = secretServiceStore(s.deps);
  assert.deepEqual(await store.get("API"), { ok: undefined });
  assert.deepEqual(await store.set?.("API", VALUE), { ok: true });
  assert.deepEqual(await store.set?.("OTHER", "x1"), { ok: true });
  assert.deepEqual(await store.get("API"), { ok: VALUE });
  assert.deepEqual(await store.list(), { ok: ["API", "OTHER"] });
  assert.deepEqual(await store.remove?.("API"), { ok: true });
  assert.deepEqual(await store.remove?.("API"), { ok: false });
  assert.deepEqual(await store.get("API"), { ok: undefined });
  const log = await Deno.readTextFile(join(s.toolDir, "log"));
  assert.ok(!log.includes("quotes"), `the value is never in argv:\n${log}`);
  assert.match(log, /^store --label=Clodputer secret API service clodputer account API $/m);
});

Deno.test("secretServiceStore() with no keyring says so; not installed says that", async (t) => {
  await t.step("no keyring (no session bus)", async () => {
    await using s = await scene({ env: { FAKE_SECRET_TOOL_MODE: "no-keyring" } });
    const store = secretServiceStore(s.deps);
    const answer = await store.get("API");
    assert.ok("unavailable" in answer);
    assert.match(answer.unavailable, /^secret-tool: Cannot autolaunch D-Bus/);
    assert.ok(!("ok" in (await store.set?.("API", "v") ?? { ok: true })));
  });
  await t.step("not installed", async () => {
    await using s = await scene();
    const deps = { ...s.deps, env: envFrom({ HOME: s.root, PATH: s.root }) };
    // /usr/bin and /bin are searched too: only a machine without secret-tool can show this.
    const answer = await secretServiceStore(deps).get("API");
    if ("unavailable" in answer) {
      assert.deepEqual(answer, { unavailable: "secret-tool is not installed", absent: true });
    }
  });
});

Deno.test("keychainStore() keeps the value through security -i in hex, reads, lists and deletes", async () => {
  await using s = await scene({ os: "darwin" });
  const store = keychainStore(s.deps);
  assert.deepEqual(await store.get("API"), { ok: undefined });
  assert.deepEqual(await store.set?.("API", VALUE), { ok: true });
  assert.deepEqual(await store.get("API"), { ok: VALUE });
  assert.deepEqual(await store.list(), { ok: ["API"] });
  assert.deepEqual(await store.remove?.("API"), { ok: true });
  assert.deepEqual(await store.remove?.("API"), { ok: false });
  const log = await Deno.readTextFile(join(s.root, ".fake-keychain", "log"));
  assert.ok(!log.includes("quotes"), log);
  await Deno.writeTextFile(join(s.root, ".fake-keychain", "locked"), "");
  const locked = await store.get("API");
  assert.ok("unavailable" in locked && /User interaction is not allowed/.test(locked.unavailable));
});

Deno.test("keychainNames() takes our service's generic passwords only", () => {
  const dump = [
    'keychain: "/k"\nclass: "genp"\nattributes:\n    "acct"<blob>="A_TOKEN"\n    "svce"<blob>="clodputer"\n',
    'keychain: "/k"\nclass: "genp"\nattributes:\n    "acct"<blob>="me"\n    "svce"<blob>="Claude Code-credentials"\n',
    'keychain: "/k"\nclass: "inet"\nattributes:\n    "acct"<blob>="B"\n    "svce"<blob>="clodputer"\n',
  ].join("");
  assert.deepEqual(keychainNames(dump), ["A_TOKEN"]);
});

Deno.test("fileStore() writes a 0600 file, and refuses to read one others may read", async () => {
  await using s = await scene();
  const store = fileStore(s.deps);
  assert.deepEqual(await store.list(), { ok: [] });
  assert.deepEqual(await store.set?.("API", VALUE), { ok: true });
  const file = secretsFile(s.deps.paths);
  assert.equal(((await Deno.stat(file)).mode ?? 0) & 0o777, 0o600);
  assert.deepEqual(await store.get("API"), { ok: VALUE });
  assert.deepEqual(JSON.parse(await Deno.readTextFile(file)), { API: VALUE });
  await Deno.chmod(file, 0o644);
  await assert.rejects(() => store.get("API"), (error: unknown) => {
    assert.ok(error instanceof EnvironmentError);
    assert.match(error.message, /other users may read it \(mode 0644, expected 0600\)/);
    assert.equal(error.hint, `make it yours alone: chmod 600 ${file}`);
    return true;
  });
  await assert.rejects(() => store.set?.("API", "new") ?? Promise.resolve(), EnvironmentError);
  await Deno.chmod(file, 0o600);
  await Deno.writeTextFile(file, "[1]");
  await assert.rejects(() => store.list(), /expected an object of names to string values/);
});

Deno.test("setSecret() uses the keyring when it answers, else the file, and says what it skipped", async (t) => {
  await t.step("keyring answers", async () => {
    await using s = await scene();
    const result = await setSecret(s.deps, "API", { value: "v1" });
    assert.equal(result.store.kind, "secret-service");
    assert.deepEqual(await lookupSecret(s.deps, "API"), {
      found: true,
      value: "v1",
      store: "secret-service",
    });
  });
  await t.step("no keyring: the file", async () => {
    await using s = await scene({ env: { FAKE_SECRET_TOOL_MODE: "no-keyring" } });
    const result = await setSecret(s.deps, "API", { value: "v2" });
    assert.equal(result.store.kind, "file");
    assert.equal(result.skipped[0]?.store, "secret-service");
    assert.deepEqual(await lookupSecret(s.deps, "API"), {
      found: true,
      value: "v2",
      store: "file",
    });
  });
  await t.step("--store file takes the name out of the keyring read before it", async () => {
    await using s = await scene();
    await setSecret(s.deps, "API", { value: "old" });
    const result = await setSecret(s.deps, "API", { value: "new", only: "file" });
    assert.deepEqual([result.store.kind, result.removedFrom], ["file", ["secret-service"]]);
    assert.deepEqual(await lookupSecret(s.deps, "API"), {
      found: true,
      value: "new",
      store: "file",
    });
  });
  await t.step("bad name, empty value, a store not on this machine: usage errors", async () => {
    await using s = await scene();
    await assert.rejects(() => setSecret(s.deps, "1BAD", { value: "v" }), UsageError);
    await assert.rejects(() => setSecret(s.deps, "a.b", { value: "v" }), UsageError);
    await assert.rejects(() => setSecret(s.deps, "API", { value: "" }), /the value is empty/);
    await assert.rejects(
      () => setSecret(s.deps, "API", { value: "v", only: "keychain" }),
      /Cannot store secret "API" in "keychain" on this machine/,
    );
  });
});

Deno.test("lookupSecret() takes the first store that has it; the environment last", async () => {
  await using s = await scene({ env: { API: "from-env", ONLY_ENV: "env-value" } });
  await setSecret(s.deps, "API", { value: "from-file", only: "file" });
  assert.deepEqual(await lookupSecret(s.deps, "API"), {
    found: true,
    value: "from-file",
    store: "file",
  });
  await setSecret(s.deps, "API", { value: "from-keyring" });
  assert.equal((await lookupSecret(s.deps, "API")).found && "keyring first", "keyring first");
  assert.deepEqual(await lookupSecret(s.deps, "API"), {
    found: true,
    value: "from-keyring",
    store: "secret-service",
  });
  assert.deepEqual(await lookupSecret(s.deps, "ONLY_ENV"), {
    found: true,
    value: "env-value",
    store: "env",
  });
  assert.deepEqual(await lookupSecret(s.deps, "NONE"), { found: false, unavailable: [] });
});

Deno.test("removeSecret() removes from every store that has it; listSecrets() shows names only", async () => {
  await using s = await scene({ env: { API: "from-env" } });
  await setSecret(s.deps, "API", { value: "in-file", only: "file" });
  await setSecret(s.deps, "API", { value: "in-keyring" });
  await setSecret(s.deps, "KEEP", { value: "keep-value", only: "file" });
  const listing = await listSecrets(s.deps);
  assert.deepEqual(listing.map((l) => [l.kind, l.names]), [
    ["secret-service", ["API"]],
    ["file", ["API", "KEEP"]],
    ["env", []],
  ]);
  assert.ok(!JSON.stringify(listing).includes("in-keyring"));
  assert.deepEqual(await removeSecret(s.deps, "API"), {
    removedFrom: ["secret-service", "file"],
    unavailable: [],
    inEnvironment: true,
  });
  assert.deepEqual((await listSecrets(s.deps)).map((l) => l.names), [[], ["KEEP"], []]);
});
