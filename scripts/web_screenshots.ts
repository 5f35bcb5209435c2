// deno-lint-ignore-file no-console
/**
 * @module
 * `deno task web:screenshots`: the pictures of the web dashboard in docs/web.md. Seeds a temp home
 * with tests/web/fixture_home.ts (three tasks, 120 days of runs, transcripts, log lines; from the
 * real clock), starts `clodputer web --port 0` from source in it, and captures each page at
 * 1280x900 with chromium (playwright-core) into docs/web/<page>.png; then stops everything and
 * removes the home. A page the server does not have yet (404) is left out and said.
 *
 * `--out DIR` writes elsewhere (default docs/web).
 */

import { join } from "node:path";
import { REPO_ROOT, tempHome } from "../tests/e2e/cli.ts";
import {
  CHROMIUM,
  launchBrowser,
  openPage,
  signIn,
  WebServerProcess,
} from "../tests/web/browser.ts";
import { seedHome, TASKS } from "../tests/web/fixture_home.ts";

/** Each picture: its file name, the page, and what shows once the page has drawn its data. */
function shots(run: string): { name: string; path: string; ready: string }[] {
  return [
    { name: "overview", path: "/", ready: "[data-testid=recent]" },
    { name: "task", path: `/tasks/${TASKS.daily}`, ready: "svg[data-testid=calendar]" },
    { name: "run", path: `/runs/${run}`, ready: "[data-testid=transcript] [data-kind]" },
    { name: "cost", path: "/cost", ready: "svg[data-testid=cost-by-day] [data-bar]" },
    { name: "logs", path: "/logs", ready: "tr[data-event]" },
  ];
}

async function main(): Promise<number> {
  const i = Deno.args.indexOf("--out");
  const out = i >= 0 ? Deno.args[i + 1] ?? "docs/web" : join(REPO_ROOT, "docs", "web");
  if (CHROMIUM.ignore) return 1;
  await Deno.mkdir(out, { recursive: true });
  await using home = await tempHome();
  const seeded = await seedHome(home.clodputerHome, { nowMs: Date.now() });
  const run = seeded.newest[TASKS.daily];
  if (!run) throw new Error("the fixture has no run of daily-review");
  await using server = await WebServerProcess.start(home);
  const browser = await launchBrowser();
  const made: string[] = [];
  const missing: string[] = [];
  try {
    await using open = await openPage(browser);
    const { page } = open;
    await signIn(page, server);
    for (const shot of shots(run.id)) {
      const response = await page.goto(server.at(shot.path), { waitUntil: "load" });
      if (!response?.ok()) {
        missing.push(`${shot.name} (${shot.path} answered ${response?.status()})`);
        continue;
      }
      try {
        await page.waitForSelector(shot.ready, { state: "attached", timeout: 15_000 });
      } catch {
        console.error(`warning: ${shot.path}: ${shot.ready} did not show; captured as it is`);
      }
      const file = join(out, `${shot.name}.png`);
      await page.screenshot({ path: file, fullPage: false });
      made.push(file);
    }
  } finally {
    await browser.close();
  }
  for (const file of made) console.log(`wrote ${file}`);
  for (const m of missing) console.error(`not captured: ${m}`);
  return missing.length === 0 ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main());
