/**
 * Atomic file and folder writes (temp + rename): a crash or a full disk mid-write leaves the
 * previous version intact, never a half-written checkpoint or run.json.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw naming(err, tmp, path);
  }
}

/**
 * Fills a folder through `fill(tmpDir)` and swaps it into place: the old folder survives until
 * the new one is complete.
 */
export async function writeFolderAtomic(path: string, fill: (tmpDir: string) => Promise<void>): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const old = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.old`);
  await mkdir(tmp, { recursive: true });
  try {
    await fill(tmp);
    let hadOld = false;
    try {
      await rename(path, old);
      hadOld = true;
    } catch {
      // no previous version
    }
    await rename(tmp, path);
    if (hadOld) await rm(old, { recursive: true, force: true });
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw naming(err, tmp, path);
  }
}

/** A file system error about the temp copy names the destination instead (what a message should show). */
function naming(err: unknown, tmp: string, path: string): unknown {
  const e = err as NodeJS.ErrnoException | null;
  if (typeof e?.path === 'string' && e.path.startsWith(tmp)) e.path = path + e.path.slice(tmp.length);
  return err;
}

