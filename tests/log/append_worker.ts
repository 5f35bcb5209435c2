/**
 * @module
 * A writer process for the rotation test: appends `count` events through EventLog.
 * deno run ... append_worker.ts <clodputer home> <writer id> <count> <max bytes>
 */

import { EventLog } from "../../lib/log/writer.ts";
import { systemClock } from "../../lib/sys/clock.ts";
import { pathsUnder } from "../../lib/sys/paths.ts";

const [home, writer, count, maxBytes] = Deno.args;
const log = new EventLog(pathsUnder(home as string), systemClock, {
  maxBytes: Number(maxBytes),
  keepMonths: 6,
});
for (let seq = 0; seq < Number(count); seq++) {
  await log.append({ event: "test", writer: Number(writer), seq, padding: "x".repeat(40) });
}
