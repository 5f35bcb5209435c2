/**
 * @module
 * The pages' routes: each page's full document and the fragments its live regions fetch.
 */

import type { Route } from "../context.ts";
import { overviewRoutes } from "./overview.ts";
import { taskRoutes } from "./task.ts";

/** Every page's routes. */
export function pageRoutes(): Route[] {
  return [...overviewRoutes(), ...taskRoutes()];
}
