/**
 * @module
 * The file-system watch seam: the only use of Deno.watchFs. Events are hints (macOS reports
 * only create/modify, repeats them and can drop them): callers look at the folder themselves.
 */

/** A running watch of some folders. */
export interface FolderWatch {
  close(): void;
}

/**
 * Calls `onChange` whenever something under `folders` changes, and once more (with `ended`)
 * when the watch stops by itself (a watched folder was deleted).
 */
export function watchFolders(
  folders: string[],
  options: { recursive: boolean; onChange(ended: boolean): void },
): FolderWatch {
  let watcher: Deno.FsWatcher;
  try {
    watcher = Deno.watchFs(folders, { recursive: options.recursive });
  } catch {
    queueMicrotask(() => options.onChange(true));
    return { close() {} };
  }
  let closed = false;
  (async () => {
    try {
      for await (const _event of watcher) options.onChange(false);
    } catch {
      // the folder went away, or the watch broke: say so, and let the caller look
    }
    if (!closed) options.onChange(true);
  })();
  return {
    close() {
      closed = true;
      try {
        watcher.close();
      } catch { /* closed already */ }
    },
  };
}
