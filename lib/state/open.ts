/**
 * @module
 * Opens the state store under `$CLODPUTER_HOME`. A KV file that cannot be opened (not a
 * database, damaged, a folder) is moved aside, never deleted, and a fresh one is started.
 */

import { basename, dirname, join } from "../sys/posix_path.ts";
import { IoError } from "../errors.ts";
import { CORRUPT_MARK, logDamage } from "../log/state_file.ts";
import type { Clock } from "../sys/clock.ts";
import { diskFullAt, ensureDir, exists, isDirectory } from "../sys/fs.ts";
import type { Paths } from "../sys/paths.ts";
import { isCorruptError, Store } from "./store.ts";

/** The store, and where a damaged file was moved if one was. */
export interface Opened {
  store: Store;
  movedAside: string | undefined;
}

/** The marker in the names of moved-aside state files. */
export { CORRUPT_MARK };

/** Opens the store for one piece of work and closes it after. */
export async function withStore<T>(
  deps: { paths: Paths; clock: Clock },
  work: (store: Store) => Promise<T>,
): Promise<T> {
  const { store } = await openStore(deps.paths, deps.clock);
  try {
    return await work(store);
  } finally {
    store.close();
  }
}

/** Opens (or creates) `state.kv`; moves a damaged one to `state.kv.corrupt-<time>` first. */
export async function openStore(paths: Paths, clock: Clock): Promise<Opened> {
  await ensureDir(paths.home);
  try {
    const store = await Store.open(paths.state, clock);
    await makePrivate(paths.state);
    return { store, movedAside: undefined };
  } catch (error) {
    // A folder where the store should be is as damaged as a file that is not a database.
    if (!isCorruptError(error) && !(await isDirectory(paths.state))) {
      // SQLite says "disk I/O error" when it cannot grow its files: say when that is a full disk.
      const full = await diskFullAt(paths.home);
      throw new IoError("open the state store", paths.state, { cause: full ?? error });
    }
  }
  const stamp = new Date(clock.now()).toISOString().replace(/[:.]/g, "-");
  const aside = `${paths.state}${CORRUPT_MARK}${stamp}`;
  for (const suffix of ["", "-wal", "-shm"]) {
    const from = `${paths.state}${suffix}`;
    if (await exists(from)) {
      try {
        await Deno.rename(from, `${aside}${suffix}`);
      } catch (error) {
        throw new IoError("move aside the damaged state store", from, { cause: error });
      }
    }
  }
  await logDamage(paths, clock.now(), {
    file: paths.state,
    problem: "not a database Clodputer can open",
    movedTo: aside,
  });
  const store = await Store.open(paths.state, clock);
  await makePrivate(paths.state);
  return { store, movedAside: aside };
}

/** State files are readable by their owner only. */
async function makePrivate(path: string): Promise<void> {
  try {
    await Deno.chmod(path, 0o600);
  } catch {
    // an in-memory store, or a file system without modes
  }
}

/** The moved-aside state files, for doctor. */
export async function movedAsideStores(paths: Paths): Promise<string[]> {
  const prefix = `${basename(paths.state)}${CORRUPT_MARK}`;
  const out: string[] = [];
  try {
    for await (const e of Deno.readDir(dirname(paths.state))) {
      if (e.name.startsWith(prefix) && !/-(wal|shm)$/.test(e.name)) {
        out.push(join(dirname(paths.state), e.name));
      }
    }
  } catch {
    return [];
  }
  return out.sort();
}
