/**
 * @module
 * Reading a task or config file's text: only a regular file up to 1 MiB, decoded as UTF-8 (a
 * byte that is not UTF-8 is a problem at its line and column), and the ConfigError that lists a
 * file's problems.
 */

import { ConfigError, type ConfigIssue } from "../errors.ts";
import { readFileBounded } from "../sys/fs.ts";

/** The largest task file read (1 MiB): a bigger one is refused before it is read. */
export const MAX_TASK_FILE_BYTES = 1024 * 1024;

/**
 * Reads a task (or config) file's text: refuses a folder, a dangling symlink, anything but a
 * regular file, a file over {@linkcode MAX_TASK_FILE_BYTES}, and text that is not UTF-8, each with
 * its own problem. Undefined when the file does not exist.
 * @throws {ConfigError} naming the file and what is wrong with it.
 * @throws {IoError} when it cannot be read.
 */
export async function readTaskSource(file: string, subject: string): Promise<string | undefined> {
  const read = await readFileBounded(file, MAX_TASK_FILE_BYTES);
  const refuse = (message: string, hint: string) =>
    configError(subject, file, [{ message, hint, where: { file } }]);
  switch (read.kind) {
    case "missing":
      return undefined;
    case "dangling-symlink":
      throw refuse(
        `The file is a symbolic link to "${read.target}", which does not exist`,
        `fix or remove the link: ls -l ${file}`,
      );
    case "directory":
      throw refuse(
        "This is a folder, not a task file",
        `a task is one YAML file; move or rename the folder ${file}`,
      );
    case "not-a-file":
      throw refuse(
        "This is not a regular file (a device, socket or pipe)",
        `a task is one YAML file; remove ${file}`,
      );
    case "too-big":
      throw refuse(
        `The file is ${read.size} bytes, over the limit of ${MAX_TASK_FILE_BYTES} bytes (1 MiB)`,
        "a task file holds settings and a prompt; keep long text in a file the prompt names",
      );
    case "file":
      return decodeUtf8(read.bytes, file, subject);
  }
}

/** Decodes UTF-8 text; a byte sequence that is not UTF-8 is a problem at its line and column. */
function decodeUtf8(bytes: Uint8Array, file: string, subject: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    const offset = firstInvalidUtf8(bytes);
    const lineStart = bytes.lastIndexOf(0x0a, offset - 1) + 1;
    let line = 1;
    for (let i = 0; i < lineStart; i++) if (bytes[i] === 0x0a) line++;
    const column = new TextDecoder().decode(bytes.subarray(lineStart, offset)).length + 1;
    const byte = (bytes[offset] ?? 0).toString(16).padStart(2, "0");
    throw configError(subject, file, [{
      message: `The file is not UTF-8 text: byte 0x${byte} at offset ${offset} is not valid UTF-8`,
      hint: `save it as UTF-8, for example: iconv -f latin1 -t utf-8 ${file}`,
      where: { file, line, column },
    }]);
  }
}

/** The offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    let need = 0;
    let min = 0;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let code = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      code = (code << 6) | (c & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
    i += need + 1;
  }
  return bytes.length;
}

/** The ConfigError for problems in one file, sorted by line and column. */
export function configError(subject: string, file: string, issues: ConfigIssue[]): ConfigError {
  const sorted = [...issues].sort((a, b) =>
    (a.where.line ?? 0) - (b.where.line ?? 0) || (a.where.column ?? 0) - (b.where.column ?? 0)
  );
  const count = sorted.length === 1 ? "1 problem" : `${sorted.length} problems`;
  return new ConfigError(`Cannot load ${subject}: ${count} in ${file}`, {
    issues: sorted,
    where: { file },
  });
}
