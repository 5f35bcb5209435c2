/**
 * @module
 * A DoctorContext for the unit tests of doctor's checks: a temp `$CLODPUTER_HOME` (removed
 * afterwards), a FakeClock, a FakeProc whose `output` is scripted per command, and tasks parsed
 * from YAML text.
 */

import { join } from "node:path";
import { parseGlobalSource, parseTaskSource } from "../../lib/config/parse.ts";
import type { DoctorContext, TaskEntry } from "../../lib/doctor/types.ts";
import { type Env, envFrom } from "../../lib/sys/env.ts";
import { pathsUnder } from "../../lib/sys/paths.ts";
import type { Output, SpawnOptions } from "../../lib/sys/proc.ts";
import { FakeClock } from "../fakes/clock.ts";
import { FakeProc, type FakeProcess } from "../fakes/proc.ts";

/** What a scripted command answers: an output, or an error it throws (not found, ...). */
export type Answer = Output | Error;

/** A FakeProc whose `output(command)` answers from a table; a command not in it is not found. */
export class ScriptedProc extends FakeProc {
  /** Every `output` call: the command and its options. */
  outputs: { command: string; options: SpawnOptions }[] = [];

  constructor(
    table: FakeProcess[],
    readonly answers: Record<string, Answer> = {},
  ) {
    super(table);
  }

  override output(command: string, options: SpawnOptions): Promise<Output> {
    this.outputs.push({ command, options });
    const answer = this.answers[command];
    if (answer === undefined) return Promise.reject(new Error(`${command}: not found`));
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  }
}

/** A temp root holding `home` (the Clodputer home) and the user's HOME, and a context over it. */
export interface DoctorScene extends AsyncDisposable {
  /** The temp folder: the user's HOME. */
  root: string;
  clock: FakeClock;
  /** The context, with `extra` in place of the defaults. */
  ctx(extra?: Partial<DoctorContext>): DoctorContext;
  /** `tasks/<name>.yaml` parsed (not written) against this scene's env. */
  task(name: string, yaml: string, env?: Env): TaskEntry;
  /** The global config parsed from `yaml`. */
  global(yaml: string): DoctorContext["global"];
}

/** Makes the scene; `home: false` leaves the Clodputer home uncreated. */
export async function doctorScene(
  options: { home?: boolean; tasksFolder?: boolean } = {},
): Promise<DoctorScene> {
  const root = await Deno.makeTempDir({ prefix: "clodputer-doctor-" });
  const paths = pathsUnder(join(root, ".clodputer"));
  if (options.home ?? true) {
    await Deno.mkdir(paths.home, { mode: 0o700 });
    await Deno.chmod(paths.home, 0o700);
    if (options.tasksFolder ?? true) await Deno.mkdir(paths.tasks);
  }
  const clock = new FakeClock();
  const env = envFrom({ HOME: root, PATH: join(root, "no-bin"), CLODPUTER_HOME: paths.home });
  return {
    root,
    clock,
    ctx(extra = {}) {
      return {
        paths,
        env,
        proc: new ScriptedProc([]),
        clock,
        os: "linux",
        selfPid: 4000,
        executable: "/opt/homebrew/bin/clodputer",
        shim: null,
        global: new Error("no config"),
        tasks: [],
        misnamed: [],
        ...extra,
      };
    },
    task(name, yaml, taskEnv = env) {
      return {
        name,
        task: parseTaskSource(yaml, { file: join(paths.tasks, `${name}.yaml`), env: taskEnv }),
      };
    },
    global(yaml) {
      return parseGlobalSource(yaml, { file: paths.config, env });
    },
    async [Symbol.asyncDispose]() {
      await Deno.chmod(paths.home, 0o700).catch(() => {});
      await Deno.remove(root, { recursive: true });
    },
  };
}
