/**
 * @module
 * `clodputer secret set NAME`, `secret list` and `secret rm NAME`: keep the values of
 * `{{ secrets.NAME }}` where runs read them (lib/run/secret_stores.ts). Values are read from
 * stdin and never printed.
 */

import { UsageError } from "../errors.ts";
import {
  checkSecretName,
  listSecrets,
  removeSecret,
  setSecret,
  type StoreKind,
} from "../run/secret_stores.ts";
import { readSecretInput, SECRET_INPUT_LIMIT } from "../sys/tty.ts";
import type { Deps } from "./deps.ts";

/** `secret set NAME`: reads the value from stdin (asked for without echo on a terminal). */
export async function secretSetCommand(
  deps: Deps,
  name: string,
  options: {
    store?: StoreKind | undefined;
    json: boolean;
    /** Where the value comes from; the real stdin unless a test says otherwise. */
    readValue?: (prompt: string) => Promise<string | null>;
  },
): Promise<number> {
  checkSecretName(name);
  const value = await (options.readValue ?? readSecretInput)(`Value for ${name} (not shown): `);
  if (value === null) {
    deps.out.error("Cancelled: nothing was stored");
    return 130;
  }
  if (new TextEncoder().encode(value).length > SECRET_INPUT_LIMIT) {
    throw new UsageError(
      `Cannot store secret "${name}": the value is longer than ${SECRET_INPUT_LIMIT} bytes`,
      { hint: "a secret is a token or a password; keep a larger file elsewhere" },
    );
  }
  const result = await setSecret(deps, name, { value, only: options.store });
  if (options.json) {
    deps.out.json({
      name,
      store: result.store.kind,
      skipped: result.skipped,
      removedFrom: result.removedFrom,
    });
    return 0;
  }
  for (const skipped of result.skipped) {
    deps.out.line(`Skipped ${skipped.store}: ${skipped.reason}`);
  }
  deps.out.line(`Stored ${name} in ${result.store.label}.`);
  if (result.removedFrom.length > 0) {
    deps.out.line(
      `Removed it from ${result.removedFrom.join(", ")}, which runs read first.`,
    );
  }
  deps.out.line(`Tasks read it as {{ secrets.${name} }}.`);
  return 0;
}

/** `secret list`: the names each store holds, never a value. */
export async function secretListCommand(deps: Deps, options: { json: boolean }): Promise<number> {
  const listing = await listSecrets(deps);
  if (options.json) {
    deps.out.json({ stores: listing });
    return 0;
  }
  deps.out.line("Runs look secrets up in this order:");
  for (const store of listing) {
    if (store.kind === "env") {
      deps.out.line(`  ${store.kind}: ${store.label}, a variable NAME (not listed)`);
    } else if (store.unavailable !== undefined) {
      deps.out.line(`  ${store.kind}: ${store.label}: not available here (${store.unavailable})`);
    } else {
      const names = store.names ?? [];
      deps.out.line(
        `  ${store.kind}: ${store.label}: ${names.length === 0 ? "(none)" : names.join(", ")}`,
      );
    }
  }
  return 0;
}

/** `secret rm NAME`: removes it from every store that has it. */
export async function secretRmCommand(
  deps: Deps,
  name: string,
  options: { json: boolean },
): Promise<number> {
  const result = await removeSecret(deps, name);
  if (options.json) {
    deps.out.json({ name, ...result });
    return result.removedFrom.length > 0 ? 0 : 1;
  }
  for (const u of result.unavailable.filter((u) => !u.absent)) {
    deps.out.line(`Could not ask ${u.store}: ${u.reason}`);
  }
  if (result.removedFrom.length > 0) {
    deps.out.line(`Removed ${name} from ${result.removedFrom.join(", ")}.`);
  } else {
    deps.out.line(`No store held ${name}: nothing was removed.`);
  }
  if (result.inEnvironment) {
    deps.out.line(
      `${name} is still set in the environment, which runs read last: unset it there.`,
    );
  }
  return result.removedFrom.length > 0 ? 0 : 1;
}
