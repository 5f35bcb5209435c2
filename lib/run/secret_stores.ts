/**
 * @module
 * Where `{{ secrets.NAME }}` values are kept, in the order runs look them up: the macOS Keychain
 * (`security`), the Secret Service (`secret-tool`, Linux), a 0600 file in the Clodputer home,
 * then the environment. Each store says when it cannot answer on this machine (no tool, no
 * keyring), so a lookup goes on to the next and `set` picks the first that works.
 */

import { EnvironmentError, UsageError } from "../errors.ts";
import type { Env } from "../sys/env.ts";
import { userId } from "../sys/env.ts";
import { ensureDir, exists, fileMode, readTextIfExists, writeFilePrivate } from "../sys/fs.ts";
import { join } from "../sys/posix_path.ts";
import type { Paths } from "../sys/paths.ts";
import {
  findExecutable,
  type Output,
  outputWithInput,
  type Proc,
  SpawnError,
  type SpawnOptions,
} from "../sys/proc.ts";

/** The service name secrets are kept under, in the Keychain and in the Secret Service. */
export const SECRET_SERVICE = "clodputer";

/** What `{{ secrets.NAME }}` accepts as NAME (a template identifier). */
export const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** The stores, in lookup order. */
export type StoreKind = "keychain" | "secret-service" | "file" | "env";

/** What the stores need: processes, the environment, the OS and the Clodputer home. */
export interface SecretDeps {
  proc: Proc;
  env: Env;
  os: string;
  paths: Pick<Paths, "home">;
}

/** A store's answer, or why it could not give one on this machine. */
export type Answer<T> = { ok: T } | { unavailable: string; absent?: true };

/** One place secrets are kept. */
export interface SecretStore {
  kind: StoreKind;
  /** In words, for messages: "the macOS Keychain". */
  label: string;
  /** The value, undefined when this store does not have it. @throws {EnvironmentError} */
  get(name: string): Promise<Answer<string | undefined>>;
  /** Names this store holds (the environment lists none: any variable may be one). */
  list(): Promise<Answer<string[]>>;
  /** Keeps a value; absent for a store that cannot be written (the environment). */
  set?(name: string, value: string): Promise<Answer<true>>;
  /** Removes a name: true when it was there. */
  remove?(name: string): Promise<Answer<boolean>>;
}

/** The file store's path: `$CLODPUTER_HOME/secrets.json`. */
export function secretsFile(paths: Pick<Paths, "home">): string {
  return join(paths.home, "secrets.json");
}

/**
 * The environment `security` runs with: a fixed PATH, and HOME, which it needs to find the
 * user's login keychain (it gets nothing else of ours).
 */
export function securityEnv(env: Env): Record<string, string> {
  const home = env.get("HOME");
  return { PATH: "/usr/bin:/bin", ...(home ? { HOME: home } : {}) };
}

/**
 * Where a helper tool is found: on the environment's PATH first (a stand-in there wins), then
 * in /usr/bin and /bin, where the system keeps `security` and `secret-tool`.
 */
async function locate(tool: string, env: Env): Promise<string> {
  const path = [env.get("PATH") ?? "", "/usr/bin:/bin"].filter((p) => p !== "").join(":");
  return (await findExecutable(tool, path)) ?? tool;
}

/** Runs a helper; a tool that cannot start is an answer ("not installed"), not an error. */
async function run(
  deps: SecretDeps,
  tool: string,
  options: SpawnOptions & { input?: string },
): Promise<Output | { missingTool: string }> {
  const command = await locate(tool, deps.env);
  try {
    return options.input === undefined
      ? await deps.proc.output(command, options)
      : await outputWithInput(deps.proc, command, { ...options, input: options.input });
  } catch (error) {
    const notFound = error instanceof SpawnError && error.reason === "not_found";
    return {
      missingTool: notFound
        ? `${tool} is not installed`
        : `${tool} cannot be started (${(error as Error).message})`,
    };
  }
}

function firstLine(text: string): string {
  return text.trim().split("\n")[0] ?? "";
}

function hex(value: string): string {
  return [...new TextEncoder().encode(value)].map((b) => b.toString(16).padStart(2, "0")).join(
    "",
  );
}

/** The macOS Keychain: generic passwords under service "clodputer", account NAME. */
export function keychainStore(deps: SecretDeps): SecretStore {
  const env = securityEnv(deps.env);
  const store: SecretStore = {
    kind: "keychain",
    label: "the macOS Keychain",
    async get(name) {
      const out = await run(deps, "security", {
        args: ["find-generic-password", "-s", SECRET_SERVICE, "-a", name, "-w"],
        env,
      });
      if ("missingTool" in out) return { unavailable: out.missingTool, absent: true };
      if (out.code === 0) return { ok: out.stdout.replace(/\n$/, "") };
      if (out.code === 44) return { ok: undefined }; // errSecItemNotFound
      return { unavailable: `security: ${firstLine(out.stderr) || `exit code ${out.code}`}` };
    },
    async list() {
      const out = await run(deps, "security", { args: ["dump-keychain"], env });
      if ("missingTool" in out) return { unavailable: out.missingTool, absent: true };
      if (out.code !== 0) return { unavailable: `security: ${firstLine(out.stderr)}` };
      return { ok: keychainNames(out.stdout) };
    },
    async set(name, value) {
      // `security -i` reads its commands from stdin, and -X takes the value in hex: the value
      // is never in an argv (which `ps` shows to every user) and needs no quoting.
      const out = await run(deps, "security", {
        args: ["-i"],
        env,
        input: `add-generic-password -U -s ${SECRET_SERVICE} -a ${name} -X ${hex(value)}\n`,
      });
      if ("missingTool" in out) return { unavailable: out.missingTool, absent: true };
      // `security -i` exits 0 whatever its commands did: read the item back.
      const back = await store.get(name);
      if ("ok" in back && back.ok === value) return { ok: true };
      return {
        unavailable: `security did not keep it: ${
          firstLine(out.stderr) || firstLine(out.stdout) || "the item reads back different"
        }`,
      };
    },
    async remove(name) {
      const out = await run(deps, "security", {
        args: ["delete-generic-password", "-s", SECRET_SERVICE, "-a", name],
        env,
      });
      if ("missingTool" in out) return { unavailable: out.missingTool, absent: true };
      if (out.code === 0) return { ok: true };
      if (out.code === 44) return { ok: false };
      return { unavailable: `security: ${firstLine(out.stderr) || `exit code ${out.code}`}` };
    },
  };
  return store;
}

/** The accounts of generic passwords under our service in `security dump-keychain` output. */
export function keychainNames(dump: string): string[] {
  const names = new Set<string>();
  for (const block of dump.split(/^keychain: /m)) {
    if (!/^class: "genp"/m.test(block)) continue;
    if (!new RegExp(`^\\s*"svce"<blob>="${SECRET_SERVICE}"\\s*$`, "m").test(block)) continue;
    const account = block.match(/^\s*"acct"<blob>="(.*)"\s*$/m)?.[1];
    if (account !== undefined && SECRET_NAME.test(account)) names.add(account);
  }
  return [...names].sort();
}

/**
 * The environment `secret-tool` runs with: ours (it needs the session bus, and under cron none
 * is set), with the user's bus at /run/user/<uid>/bus named when no bus is, so a run from cron
 * reaches the keyring of a user who is logged in.
 */
async function secretToolEnv(env: Env): Promise<Record<string, string>> {
  const vars = env.toObject();
  vars.PATH = [vars.PATH ?? "", "/usr/bin:/bin"].filter((p) => p !== "").join(":");
  if (vars.DBUS_SESSION_BUS_ADDRESS === undefined) {
    const uid = userId();
    const bus = uid === undefined ? undefined : `/run/user/${uid}/bus`;
    if (bus !== undefined && await exists(bus).catch(() => false)) {
      vars.DBUS_SESSION_BUS_ADDRESS = `unix:path=${bus}`;
    }
  }
  return vars;
}

/** The Secret Service (GNOME Keyring, KWallet) through `secret-tool`: service, account NAME. */
export function secretServiceStore(deps: SecretDeps): SecretStore {
  const attributes = (name: string) => ["service", SECRET_SERVICE, "account", name];
  const failed = (out: Output) => {
    const line = firstLine(out.stderr) || `exit code ${out.code}`;
    return line.startsWith("secret-tool:") ? line : `secret-tool: ${line}`;
  };
  const store: SecretStore = {
    kind: "secret-service",
    label: "the Secret Service (secret-tool)",
    async get(name) {
      const out = await run(deps, "secret-tool", {
        args: ["lookup", ...attributes(name)],
        env: await secretToolEnv(deps.env),
      });
      if ("missingTool" in out) return { unavailable: out.missingTool, absent: true };
      if (out.code === 0) return { ok: out.stdout.replace(/\n$/, "") };
      // Not found is a silent exit 1; a missing bus or keyring says why on stderr.
      if (out.stderr.trim() === "") return { ok: undefined };
      return { unavailable: failed(out) };
    },
    async list() {
      const out = await run(deps, "secret-tool", {
        args: ["search", "--all", "service", SECRET_SERVICE],
        env: await secretToolEnv(deps.env),
      });
      if ("missingTool" in out) return { unavailable: out.missingTool, absent: true };
      if (out.code !== 0 && out.stderr.trim() !== "" && !/attribute\./.test(out.stderr)) {
        return { unavailable: failed(out) };
      }
      // Only the attribute lines are read: search prints each item's secret too.
      const names = new Set<string>();
      for (const m of `${out.stdout}\n${out.stderr}`.matchAll(/^attribute\.account = (.*)$/gm)) {
        const name = m[1]?.trim() ?? "";
        if (SECRET_NAME.test(name)) names.add(name);
      }
      return { ok: [...names].sort() };
    },
    async set(name, value) {
      // `store` reads the value from stdin when it is not a terminal.
      const out = await run(deps, "secret-tool", {
        args: ["store", `--label=Clodputer secret ${name}`, ...attributes(name)],
        env: await secretToolEnv(deps.env),
        input: value,
      });
      if ("missingTool" in out) return { unavailable: out.missingTool, absent: true };
      return out.code === 0 ? { ok: true } : { unavailable: failed(out) };
    },
    async remove(name) {
      const had = await store.get(name);
      if (!("ok" in had)) return had;
      if (had.ok === undefined) return { ok: false };
      const out = await run(deps, "secret-tool", {
        args: ["clear", ...attributes(name)],
        env: await secretToolEnv(deps.env),
      });
      if ("missingTool" in out) return { unavailable: out.missingTool, absent: true };
      return out.code === 0 ? { ok: true } : { unavailable: failed(out) };
    },
  };
  return store;
}

/**
 * Reads the secrets file: `{ "NAME": "value" }`, or {} when there is none.
 * @throws {EnvironmentError} when other users may read it, or it is not such an object.
 */
async function readSecretsFile(file: string): Promise<Record<string, string>> {
  const mode = await fileMode(file);
  if (mode === undefined) return {};
  if ((mode & 0o077) !== 0) {
    throw new EnvironmentError(
      `Cannot read secrets from ${file}: other users may read it (mode 0${
        mode.toString(8)
      }, expected 0600)`,
      { hint: `make it yours alone: chmod 600 ${file}` },
    );
  }
  const text = (await readTextIfExists(file)) ?? "{}";
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new EnvironmentError(
      `Cannot read secrets from ${file}: it is not valid JSON (${(error as Error).message})`,
      { hint: `fix it to be { "NAME": "value", ... }, or remove it and store each again` },
    );
  }
  if (
    typeof data !== "object" || data === null || Array.isArray(data) ||
    Object.values(data).some((v) => typeof v !== "string")
  ) {
    throw new EnvironmentError(
      `Cannot read secrets from ${file}: expected an object of names to string values`,
      { hint: `fix it to be { "NAME": "value", ... }, or remove it and store each again` },
    );
  }
  return data as Record<string, string>;
}

/**
 * A plain-text JSON file only its owner may read (0600), like ~/.netrc: for a machine with no
 * keyring. A file other users may read is refused, with the fix.
 */
export function fileStore(deps: SecretDeps): SecretStore {
  const file = secretsFile(deps.paths);
  const write = async (data: Record<string, string>) => {
    await ensureDir(deps.paths.home);
    await writeFilePrivate(file, JSON.stringify(data, null, 2) + "\n");
  };
  return {
    kind: "file",
    label: `the file ${file} (plain text, readable only by you)`,
    async get(name) {
      const data = await readSecretsFile(file);
      return { ok: Object.hasOwn(data, name) ? data[name] : undefined };
    },
    async list() {
      return { ok: Object.keys(await readSecretsFile(file)).sort() };
    },
    async set(name, value) {
      const data = await readSecretsFile(file);
      data[name] = value;
      await write(data);
      return { ok: true };
    },
    async remove(name) {
      const data = await readSecretsFile(file);
      if (!Object.hasOwn(data, name)) return { ok: false };
      delete data[name];
      await write(data);
      return { ok: true };
    },
  };
}

/** The environment variable NAME: read last, never written. */
export function envStore(deps: SecretDeps): SecretStore {
  return {
    kind: "env",
    label: "the environment",
    get(name) {
      const value = deps.env.get(name);
      return Promise.resolve({ ok: value === "" ? undefined : value });
    },
    list() {
      return Promise.resolve({ ok: [] });
    },
  };
}

/** The stores on this machine, in lookup order: the Keychain on macOS, else the Secret Service. */
export function secretStores(deps: SecretDeps): SecretStore[] {
  return [
    deps.os === "darwin" ? keychainStore(deps) : secretServiceStore(deps),
    fileStore(deps),
    envStore(deps),
  ];
}

/** What a lookup found: the value and its store, or nothing and why each store did not answer. */
export type Lookup =
  | { found: true; value: string; store: StoreKind }
  | { found: false; unavailable: { store: StoreKind; reason: string; absent: boolean }[] };

/**
 * Looks one secret up in every store, in order; the first that has it wins.
 * @throws {EnvironmentError} when the secrets file may be read by others or is damaged.
 */
export async function lookupSecret(deps: SecretDeps, name: string): Promise<Lookup> {
  const unavailable: { store: StoreKind; reason: string; absent: boolean }[] = [];
  for (const store of secretStores(deps)) {
    const answer = await store.get(name);
    if (!("ok" in answer)) {
      unavailable.push({
        store: store.kind,
        reason: answer.unavailable,
        absent: answer.absent ?? false,
      });
    } else if (answer.ok !== undefined && answer.ok !== "") {
      return { found: true, value: answer.ok, store: store.kind };
    }
  }
  return { found: false, unavailable };
}

/** @throws {UsageError} when `name` is not what `{{ secrets.NAME }}` accepts. */
export function checkSecretName(name: string): void {
  if (!SECRET_NAME.test(name)) {
    throw new UsageError(
      `Cannot use "${name}" as a secret name: a name is a letter or "_", then letters, digits, "_" or "-"`,
      { hint: "use the NAME of {{ secrets.NAME }}, for example CLAUDE_CODE_OAUTH_TOKEN" },
    );
  }
}

/** Where `setSecret` kept a value, and the stores it tried first that did not work here. */
export interface SetResult {
  store: SecretStore;
  skipped: { store: StoreKind; reason: string }[];
  /** Earlier stores in the lookup order it was removed from, so runs read the new value. */
  removedFrom: StoreKind[];
}

/**
 * Keeps a secret in the first store that works on this machine (or in `only`).
 * @throws {UsageError} for a bad name, an empty value or a store not on this machine.
 * @throws {EnvironmentError} when no store took it.
 */
export async function setSecret(
  deps: SecretDeps,
  name: string,
  options: { value: string; only?: StoreKind | undefined },
): Promise<SetResult> {
  checkSecretName(name);
  if (options.value === "") {
    throw new UsageError(`Cannot store secret "${name}": the value is empty`, {
      hint: `give the value on stdin: clodputer secret set ${name} (it asks), or pipe it in`,
    });
  }
  const stores = secretStores(deps);
  const writable = stores.filter((s) => s.set !== undefined);
  if (options.only !== undefined && !writable.some((s) => s.kind === options.only)) {
    throw new UsageError(`Cannot store secret "${name}" in "${options.only}" on this machine`, {
      hint: `use one of: ${writable.map((s) => s.kind).join(", ")}`,
    });
  }
  const skipped: { store: StoreKind; reason: string }[] = [];
  for (const store of writable) {
    if (options.only !== undefined && store.kind !== options.only) continue;
    const answer = await store.set?.(name, options.value);
    if (answer === undefined) continue;
    if ("ok" in answer) {
      // A store read before this one would shadow the new value: take the name out of it.
      const removedFrom: StoreKind[] = [];
      for (const earlier of stores.slice(0, stores.indexOf(store))) {
        const removed = await earlier.remove?.(name);
        if (removed !== undefined && "ok" in removed && removed.ok) removedFrom.push(earlier.kind);
      }
      return { store, skipped, removedFrom };
    }
    skipped.push({ store: store.kind, reason: answer.unavailable });
  }
  throw new EnvironmentError(`Cannot store secret "${name}": no store took it`, {
    hint: skipped.map((s) => `${s.store}: ${s.reason}`).join("; "),
  });
}

/** What one store holds, or why it could not say. */
export interface StoreListing {
  kind: StoreKind;
  label: string;
  names?: string[];
  unavailable?: string;
}

/** The names each store holds (never a value). @throws {EnvironmentError} for a bad file. */
export async function listSecrets(deps: SecretDeps): Promise<StoreListing[]> {
  const out: StoreListing[] = [];
  for (const store of secretStores(deps)) {
    const answer = await store.list();
    out.push(
      "ok" in answer
        ? { kind: store.kind, label: store.label, names: answer.ok }
        : { kind: store.kind, label: store.label, unavailable: answer.unavailable },
    );
  }
  return out;
}

/** What `removeSecret` did: the stores it removed the name from, and the ones it could not ask. */
export interface RemoveResult {
  removedFrom: StoreKind[];
  unavailable: { store: StoreKind; reason: string; absent: boolean }[];
  /** True when the environment still has it (which Clodputer cannot change). */
  inEnvironment: boolean;
}

/** Removes a secret from every store that has it. @throws {UsageError} for a bad name. */
export async function removeSecret(deps: SecretDeps, name: string): Promise<RemoveResult> {
  checkSecretName(name);
  const result: RemoveResult = { removedFrom: [], unavailable: [], inEnvironment: false };
  for (const store of secretStores(deps)) {
    if (store.remove === undefined) {
      const answer = await store.get(name);
      if ("ok" in answer && answer.ok !== undefined) result.inEnvironment = true;
      continue;
    }
    const answer = await store.remove(name);
    if (!("ok" in answer)) {
      result.unavailable.push({
        store: store.kind,
        reason: answer.unavailable,
        absent: answer.absent ?? false,
      });
    } else if (answer.ok) result.removedFrom.push(store.kind);
  }
  return result;
}
