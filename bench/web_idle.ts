// deno-lint-ignore-file no-console
/**
 * @module
 * `deno task bench:web-idle`: the web dashboard idles at no measurable CPU (issue 26: "an idle
 * server with one open event stream uses under 1% CPU"). Starts `clodputer web --port 0` from
 * source (as bench/run.ts starts the CLI) in a home seeded by tests/web/fixture_home.ts, opens one
 * `GET /api/events` stream as a page would, lets it settle, then reads the server's utime+stime
 * (/proc/<pid>/stat) before and after `--seconds N` (default 16: one 15 s keep-alive ping falls
 * inside), beside a bare deno kept alive by a timer over the same time. Exits 1 when the server
 * uses 1% or more. Linux only (/proc); needs -A (Deno refuses /proc reads otherwise).
 */

import {
  benchHome,
  cpuTicks,
  procStatusKb,
  ratio,
  type Row,
  sleep,
  spawnCli,
  spawnIdleDeno,
  table,
  waitFor,
} from "./_helpers.ts";
import { seedHome } from "../tests/web/fixture_home.ts";

const TARGET_PERCENT = 1;
const HZ = 100;

function seconds(): number {
  const i = Deno.args.indexOf("--seconds");
  const n = i >= 0 ? Number(Deno.args[i + 1]) : 16;
  if (!(n > 0)) throw new Error("--seconds takes a number of seconds above 0");
  return n;
}

async function main(): Promise<number> {
  const idleS = seconds();
  await using home = await benchHome();
  await seedHome(home.clodputerHome, { nowMs: Date.now() });
  const server = await spawnCli(home, ["web", "--port", "0"]);
  const out: string[] = [];
  const reading = (async () => {
    for await (const text of server.stdout.pipeThrough(new TextDecoderStream())) out.push(text);
  })();
  const errors = new Response(server.stderr).text();
  const bare = await spawnIdleDeno(home);
  const abort = new AbortController();
  let events = 0;
  let streamNote = "";
  let streamDone: Promise<void> = Promise.resolve();
  try {
    const url = await waitFor(
      "the URL clodputer web prints",
      () => out.join("").match(/http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/)?.[0],
      60_000,
    );
    const { origin, searchParams } = new URL(url);
    const token = searchParams.get("token") ?? "";
    const response = await fetch(`${origin}/api/events`, {
      headers: { authorization: `Bearer ${token}`, accept: "text/event-stream" },
      signal: abort.signal,
    });
    const type = response.headers.get("content-type") ?? "";
    const body = response.body;
    if (!response.ok || !type.startsWith("text/event-stream") || body === null) {
      streamNote = `no event stream: /api/events answered ${response.status} ${type}`;
      await response.body?.cancel();
    } else {
      streamDone = (async () => {
        try {
          for await (const chunk of body.pipeThrough(new TextDecoderStream())) {
            events += chunk.split("\n\n").length - 1;
          }
        } catch { /* aborted at the end */ }
      })();
    }
    // Let the start-up's work (module loading, the first reads, the stream's set-up) settle.
    await sleep(2000);
    const t0 = await cpuTicks(server.pid);
    const b0 = await cpuTicks(bare.pid);
    await sleep(idleS * 1000);
    const t1 = await cpuTicks(server.pid);
    const b1 = await cpuTicks(bare.pid);
    const rss = await procStatusKb(server.pid, "VmRSS") ?? NaN;
    if (t0 === undefined || t1 === undefined) {
      throw new Error(`the server exited: ${await errors}`);
    }
    const cpu = (t1 - t0) / HZ / idleS * 100;
    const bareCpu = ((b1 ?? NaN) - (b0 ?? NaN)) / HZ / idleS * 100;
    const row: Row = {
      what: "web server idle, one open event stream",
      figure: `CPU ${cpu.toFixed(2)}% (${t1 - t0} ticks), RSS ${(rss / 1024).toFixed(1)} MB`,
      baseline: `bare deno CPU ${bareCpu.toFixed(2)}%`,
      ratio: ratio(cpu / TARGET_PERCENT),
      target: `CPU < ${TARGET_PERCENT}%`,
      pass: cpu < TARGET_PERCENT && streamNote === "",
      note: streamNote || `${idleS} s idle, ${events} event(s) and pings on the stream`,
    };
    console.log(
      `${row.pass ? "pass" : "FAIL"}  ${row.what}: ${row.figure} vs ${row.baseline} ` +
        `(target ${row.target}) · ${row.note}`,
    );
    console.log("\n" + table([row]));
    return row.pass ? 0 : 1;
  } finally {
    abort.abort();
    await streamDone;
    bare.kill("SIGKILL");
    await bare.status;
    try {
      server.kill("SIGINT");
    } catch { /* gone */ }
    const late = setTimeout(() => {
      try {
        server.kill("SIGKILL");
      } catch { /* gone */ }
    }, 10_000);
    await server.status;
    clearTimeout(late);
    await reading;
    await errors;
  }
}

if (import.meta.main) Deno.exit(await main());
