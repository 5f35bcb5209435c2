/**
 * @module
 * The pages' routes: each page's full document and the fragments its live regions fetch.
 */

import type { Route } from "../context.ts";
import { costRoutes } from "./cost.ts";
import { logsRoutes } from "./logs.ts";
import { overviewRoutes } from "./overview.ts";
import { runRoutes } from "./run.ts";
import { taskRoutes } from "./task.ts";

/** Every page's routes. */
export function pageRoutes(): Route[] {
  return [
    ...overviewRoutes(),
    ...taskRoutes(),
    ...runRoutes(),
    ...costRoutes(),
    ...logsRoutes(),
  ];
}
