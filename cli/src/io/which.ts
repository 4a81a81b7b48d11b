import { access, constants } from 'node:fs/promises';
import path from 'node:path';

/** Full path of a program on PATH, or null. */
export async function findExecutable(
  name: string,
  envPath: string | undefined = process.env['PATH'],
): Promise<string | null> {
  for (const dir of (envPath ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}
