/**
 * @module
 * The machine's zone as people read it beside a local time (`zoneLabel`, `localTimeWithZone`),
 * worked out in a deno process run with each TZ (the zone is read once per process).
 */

import assert from "node:assert/strict";

const MODULE = new URL("../../lib/ui/duration.ts", import.meta.url).href;

async function inZone(tz: string, code: string): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "-q", `import * as d from "${MODULE}"; console.log(${code});`],
    env: { TZ: tz, NO_COLOR: "1" },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout).trim();
}

// Mid-January and mid-July, so each zone's summer and winter offsets are both seen.
const WINTER = Date.parse("2026-01-15T12:00:00Z");
const SUMMER = Date.parse("2026-07-15T12:00:00Z");

Deno.test("zoneLabel() is UTC, or the offset in hours and minutes, east or west", async () => {
  assert.equal(await inZone("UTC", `d.zoneLabel(${WINTER})`), "UTC");
  assert.equal(await inZone("Europe/Paris", `d.zoneLabel(${WINTER})`), "UTC+1");
  assert.equal(await inZone("Europe/Paris", `d.zoneLabel(${SUMMER})`), "UTC+2");
  assert.equal(await inZone("Asia/Kolkata", `d.zoneLabel(${WINTER})`), "UTC+5:30");
  assert.equal(await inZone("America/St_Johns", `d.zoneLabel(${WINTER})`), "UTC-3:30");
  assert.equal(await inZone("Pacific/Chatham", `d.zoneLabel(${WINTER})`), "UTC+13:45");
});

Deno.test("localTimeWithZone() is the local date and time with its zone; a non-time is kept", async () => {
  assert.equal(
    await inZone("Europe/Paris", `d.localTimeWithZone("2026-07-15T05:30:12.000Z")`),
    "2026-07-15 07:30:12 UTC+2",
  );
  assert.equal(await inZone("UTC", `d.localTimeWithZone("not a time")`), "not a time");
});
