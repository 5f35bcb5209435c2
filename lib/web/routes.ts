/**
 * @module
 * Every path the web dashboard answers: the pages, their live fragments, the JSON API, the event
 * stream and the assets. Each route names its handler; the handlers live beside it in lib/web/.
 * (The `Route` type is in context.ts, so handlers do not import this table.)
 */

import { assetRoutes } from "./assets.ts";
import type { Route } from "./context.ts";
import { apiRoutes } from "./api.ts";
import { pageRoutes } from "./pages/index.ts";

/** The routes, in the order they are tried. */
export function routes(): Route[] {
  return [...assetRoutes(), ...apiRoutes(), ...pageRoutes()];
}

/** The `:name` parts of `path` if it matches `pattern`, decoded; undefined if it does not. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split("/");
  const got = path.split("/");
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    const g = got[i] as string;
    if (w.startsWith(":")) {
      if (g === "") return undefined;
      try {
        params[w.slice(1)] = decodeURIComponent(g);
      } catch {
        return undefined;
      }
    } else if (w !== g) {
      return undefined;
    }
  }
  return params;
}
