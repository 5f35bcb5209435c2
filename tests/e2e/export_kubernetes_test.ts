/**
 * @module
 * `clodputer export kubernetes` end to end, in a temp home with the example tasks: the files for
 * the tasks with a schedule (the others skipped with why), the Secret and apply commands, the same
 * export again unchanged, a hand-written file refused without --force, --dry-run writing nothing,
 * --json, and a missing --image refused (exit 2) before anything is read or written.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { CronJob } from "kubernetes-models/batch/v1/CronJob";
import { parseAllDocuments } from "../../vendor/yaml.js";
import { EXAMPLES } from "../../lib/config/examples.ts";
import { runCli, tempHome } from "./cli.ts";

const IMAGE = "ghcr.io/o/clodputer:0.1.0";
const ZONE = { TZ: "Asia/Tokyo" };

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test("export kubernetes: files for the scheduled tasks, again unchanged, hand-written refused, dry run", async () => {
  await using home = await tempHome();
  for (const example of EXAMPLES) await home.writeTask(example.name, example.yaml);
  const scheduled = EXAMPLES.filter((e) => e.startedBy === "schedule").map((e) => e.name).sort();
  const others = EXAMPLES.filter((e) => e.startedBy !== "schedule").map((e) => e.name).sort();
  const out = join(home.root, "k8s");
  const args = ["export", "kubernetes", "--image", IMAGE, "--out", out];

  const first = await runCli(home, args, { env: ZONE });
  assert.equal(first.code, 0, first.stderr);
  for (const name of scheduled) {
    assert.match(first.stdout, new RegExp(`^created ${out}/clodputer-${name}\\.yaml$`, "m"));
    const text = await Deno.readTextFile(join(out, `clodputer-${name}.yaml`));
    const [configMap, cronJob] = parseAllDocuments(text).map((d) =>
      (d as unknown as { toJS(): Record<string, unknown> }).toJS()
    );
    new CronJob(cronJob as never).validate();
    const spec = (cronJob as { spec: { timeZone: string } }).spec;
    assert.equal(spec.timeZone, "Asia/Tokyo", "a cron without a zone is read in the machine's");
    const data = (configMap as { data: Record<string, string> }).data;
    assert.equal(data[`${name}.yaml`], EXAMPLES.find((e) => e.name === name)?.yaml);
  }
  for (const name of others) {
    assert.match(first.stdout, new RegExp(`^skipped ${name}: Cannot export ${name}`, "m"));
    assert.ok(!(await exists(join(out, `clodputer-${name}.yaml`))));
  }
  assert.match(
    first.stdout,
    /kubectl create secret generic clodputer --namespace default --from-literal=CLAUDE_CODE_OAUTH_TOKEN="\$CLAUDE_CODE_OAUTH_TOKEN" --from-literal=ANTHROPIC_API_KEY="\$ANTHROPIC_API_KEY"/,
  );
  assert.match(first.stdout, new RegExp(`kubectl apply -f ${out}$`, "m"));

  const again = await runCli(home, args, { env: ZONE });
  assert.equal(again.code, 0, again.stderr);
  for (const name of scheduled) {
    assert.match(again.stdout, new RegExp(`^unchanged ${out}/clodputer-${name}\\.yaml$`, "m"));
  }

  // A file in the way that an export did not write: refused, nothing written; --force replaces it.
  const other = join(home.root, "other");
  await Deno.mkdir(other);
  const mine = join(other, `clodputer-${scheduled[1]}.yaml`);
  await Deno.writeTextFile(mine, "apiVersion: v1\nkind: ConfigMap\n");
  const refused = await runCli(home, [...args.slice(0, -1), other], { env: ZONE });
  assert.equal(refused.code, 2, refused.stdout);
  assert.match(refused.stderr, /Not overwriting .*not written by clodputer export/);
  assert.equal(await Deno.readTextFile(mine), "apiVersion: v1\nkind: ConfigMap\n");
  assert.ok(!(await exists(join(other, `clodputer-${scheduled[0]}.yaml`))), "nothing written");
  const forced = await runCli(home, [...args.slice(0, -1), other, "--force"], { env: ZONE });
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(forced.stdout, new RegExp(`^updated ${mine}$`, "m"));

  // --dry-run: what would be written, and the text; nothing on disk.
  const dry = join(home.root, "dry");
  const dryRun = await runCli(home, [...args.slice(0, -1), dry, "--dry-run"], { env: ZONE });
  assert.equal(dryRun.code, 0, dryRun.stderr);
  assert.match(
    dryRun.stdout,
    new RegExp(`^would create ${dry}/clodputer-${scheduled[0]}\\.yaml$`, "m"),
  );
  assert.match(dryRun.stdout, /^kind: CronJob$/m);
  assert.ok(!(await exists(dry)), "a dry run writes nothing");

  // --json: the files and the skipped tasks.
  const json = await runCli(home, [...args, "--json", scheduled[0] ?? ""], { env: ZONE });
  assert.equal(json.code, 0, json.stderr);
  assert.deepEqual(JSON.parse(json.stdout), {
    files: [{ path: `${out}/clodputer-${scheduled[0]}.yaml`, action: "unchanged" }],
    skipped: [],
  });
});

Deno.test("export kubernetes: no --image, or a folder-watch task named, is refused with exit 2", async () => {
  await using home = await tempHome();
  for (const example of EXAMPLES) await home.writeTask(example.name, example.yaml);
  const out = join(home.root, "k8s");
  const noImage = await runCli(home, ["export", "kubernetes", "--out", out]);
  assert.equal(noImage.code, 2);
  assert.match(noImage.stderr, /--image is required/);
  assert.match(noImage.stderr, /--image ghcr\.io\/you\/clodputer:0\.1\.0/);
  const watch = EXAMPLES.find((e) => e.startedBy === "file_watch")?.name ?? "";
  const named = await runCli(home, ["export", "kubernetes", watch, "--image", IMAGE, "--out", out]);
  assert.equal(named.code, 2);
  assert.match(named.stderr, new RegExp(`Cannot export ${watch}: it watches a folder`));
  assert.ok(!(await exists(out)), "nothing written");
});
