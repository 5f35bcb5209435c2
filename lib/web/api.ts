/**
 * @module
 * The JSON API: the same shapes as the CLI's `--json` (docs/web.md).
 */

import type { Route } from "./context.ts";

/** The API's routes. */
export function apiRoutes(): Route[] {
  return [];
}
