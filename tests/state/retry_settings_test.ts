/**
 * @module
 * retrySettingsOf(): `on_failure: - retry:` adjusts a task's retry settings.
 */

import assert from "node:assert/strict";
import { retrySettingsOf } from "../../lib/state/retry.ts";

const task = { max_retries: 3, retry_backoff_seconds: 60, max_retry_delay: 3600 };

Deno.test("retrySettingsOf(): retry: false turns retries off; retry: true asks for at least one", () => {
  assert.deepEqual(retrySettingsOf({ task, on_failure: [] }), task);
  assert.deepEqual(retrySettingsOf({ task, on_failure: [{ log: "x" }] }), task);
  assert.equal(retrySettingsOf({ task, on_failure: [{ retry: false }] }).max_retries, 0);
  assert.equal(retrySettingsOf({ task, on_failure: [{ retry: true }] }).max_retries, 3);
  const none = { ...task, max_retries: 0 };
  assert.equal(retrySettingsOf({ task: none, on_failure: [] }).max_retries, 0);
  assert.equal(retrySettingsOf({ task: none, on_failure: [{ retry: true }] }).max_retries, 1);
  assert.equal(
    retrySettingsOf({ task: none, on_failure: [{ retry: true }, { retry: false }] }).max_retries,
    0,
    "off wins",
  );
});
