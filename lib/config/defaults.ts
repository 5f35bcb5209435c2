/**
 * @module
 * The defaults of config.yaml's settings, apart from the field table (fields.ts) so that the log,
 * which every command opens, reads its rotation limits without loading that table.
 */

import type { GlobalConfig } from "./types.ts";

/** Defaults of the global config. */
export const GLOBAL_DEFAULTS: Readonly<GlobalConfig> = Object.freeze({
  idle_timeout: 600,
  grace_period: 5,
  max_output_bytes: 10 * 1024 * 1024,
  log: Object.freeze({ max_bytes: 10 * 1024 * 1024, keep_months: 6 }),
  runs: Object.freeze({ keep: 1000, max_age_days: 90 }),
});
