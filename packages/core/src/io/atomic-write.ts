import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file so that readers see either the old content or the complete new content: the
 * bytes go to a temporary file in the same folder, which is flushed to disk and then renamed
 * over `path`; the folder is flushed last so the rename survives a power loss. `data` may be a
 * list of chunks, written in order without joining them in memory.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string | readonly Uint8Array[]): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'w');
    try {
      if (Array.isArray(data)) {
        for (const chunk of data as readonly Uint8Array[]) {
          // write(2) may write fewer bytes than asked, so loop until the chunk is on disk.
          for (let done = 0; done < chunk.byteLength; ) done += (await handle.write(chunk, done)).bytesWritten;
        }
      } else {
        await handle.writeFile(data as Uint8Array | string);
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncFolder(dirname(path));
}

/** Flushes a folder's entries (renames, new and removed files) to disk, where the platform allows it. */
export async function syncFolder(folder: string): Promise<void> {
  let handle;
  try {
    handle = await open(folder, 'r');
  } catch {
    // NOTE: Windows cannot open a folder for fsync, so there a rename is durable only once the OS flushes.
    return;
  }
  try {
    await handle.sync();
  } catch {
    // Some file systems (and Windows) reject fsync on a folder handle; the same note applies.
  } finally {
    await handle.close();
  }
}
