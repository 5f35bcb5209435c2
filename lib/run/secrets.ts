/**
 * @module
 * Reads `{{ secrets.NAME }}` values when a run starts, from the stores in lookup order
 * (lib/run/secret_stores.ts), and the command the hints tell a person to run to store one.
 */

import { lookupSecret, type SecretDeps } from "./secret_stores.ts";

export { securityEnv } from "./secret_stores.ts";

/** The command that stores secret `name` (it asks for the value, or reads it from a pipe). */
export function secretSetCommand(name: string): string {
  return `clodputer secret set ${name}`;
}

/**
 * Looks up one secret; undefined when no store has it.
 * @throws {EnvironmentError} when the secrets file may be read by others or is damaged.
 */
export async function readSecret(deps: SecretDeps, name: string): Promise<string | undefined> {
  const found = await lookupSecret(deps, name);
  return found.found ? found.value : undefined;
}
