// Whether a SQLite database can live at a path, checked when the configuration is read so that a
// path that can never work stops start-up at once with one line, instead of a stack trace from
// the driver or, below /proc, no answer at all.
import fs from "node:fs";
import path from "node:path";

/** What is wrong with keeping a SQLite database at `file` (an absolute path), or undefined. */
export function sqliteLocationProblem(file: string): string | undefined {
  const folder = path.dirname(file);
  const folderProblem = createFolder(folder);
  if (folderProblem) return folderProblem;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    const code = errorCode(error);
    // A file that does not exist yet is created by SQLite in the writable folder.
    return code === "ENOENT" ? undefined : `database file ${file} cannot be read (${code})`;
  }
  if (stat.isDirectory()) return `${file} is a folder, not a database file`;
  if (!stat.isFile()) return `${file} is not a regular file`;
  try {
    fs.accessSync(file, fs.constants.R_OK | fs.constants.W_OK);
  } catch (error) {
    return `database file ${file} cannot be read and written (${errorCode(error)})`;
  }
  return undefined;
}

/**
 * Creates the folder and the missing ones above it, one level at a time. Node's recursive
 * mkdirSync never returns for a folder below /proc (mkdir answers ENOENT for a parent that
 * exists, and Node tries again forever), so the nearest folder that exists is found first.
 */
function createFolder(folder: string): string | undefined {
  const missing: string[] = [];
  let current = folder;
  for (;;) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(current);
    } catch (error) {
      const code = errorCode(error);
      if (code !== "ENOENT" && code !== "ENOTDIR") return `database folder ${folder} cannot be created (${code})`;
    }
    if (stat) {
      if (!stat.isDirectory()) return `database folder ${folder} cannot be created: ${current} is not a folder`;
      break;
    }
    missing.unshift(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  try {
    for (const level of missing) fs.mkdirSync(level);
    fs.accessSync(folder, fs.constants.W_OK);
  } catch (error) {
    const code = errorCode(error);
    return missing.length > 0
      ? `database folder ${folder} cannot be created (${code})`
      : `database folder ${folder} is not writable (${code})`;
  }
  return undefined;
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}
