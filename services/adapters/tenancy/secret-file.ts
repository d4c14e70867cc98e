// Writes a file that holds API keys so that only its owner can read it (mode 0600), whether or
// not the file already exists. fs.writeFileSync(file, data, { mode }) applies the mode only when
// it creates the file: rewriting an existing 0644 file would leave fresh keys world-readable.
// The content goes to a new file created 0600 next to the target and is renamed over it, so the
// target is never readable with another mode and a reader never sees half a file.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function writeSecretFile(file: string, content: string): void {
  const target = path.resolve(file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    // 'wx': never follows or reuses an existing path; the mode is set at creation (umask can only narrow it).
    fs.writeFileSync(tmp, content, { mode: 0o600, flag: 'wx' });
    fs.chmodSync(tmp, 0o600);
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
