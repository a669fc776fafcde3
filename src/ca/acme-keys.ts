import { createHash, randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The ACME private keys on disk, in `CERTOPS_ACME_KEY_DIR` (folder 0700, files 0600): the
 * account key, made once, and one key per certificate, named by the certificate's id. Keys are
 * written here and nowhere else: not to Redis, job data, Slack or logs. A key file appears under
 * its final name only complete (written to a temporary name, then linked or renamed).
 */
export class AcmeKeyDir {
  constructor(readonly dir: string) {}

  /** Creates the folder if needed and makes sure only this user can enter it. */
  async prepare(): Promise<{ tightened: boolean }> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const mode = (await stat(this.dir)).mode & 0o777;
    if (mode !== 0o700) await chmod(this.dir, 0o700);
    return { tightened: (mode & 0o077) !== 0 };
  }

  get accountKeyPath(): string {
    return join(this.dir, 'account.key.pem');
  }

  /** The file of a certificate's private key. */
  certificateKeyPath(certificateId: string): string {
    return join(this.dir, `${safeName(certificateId)}.key.pem`);
  }

  /**
   * The account key: read, or made by `create` and stored when there is none. Two processes
   * starting at once agree on one key (the first link wins; the other reads it).
   */
  async accountKey(create: () => Promise<Buffer>): Promise<Buffer> {
    const path = this.accountKeyPath;
    const existing = await readKey(path);
    if (existing) return existing;
    const temp = await this.writeTemp('account', await create());
    try {
      await link(temp, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      await unlink(temp).catch(() => undefined);
    }
    const stored = await readKey(path);
    if (!stored) throw new Error(`the ACME account key ${path} could not be stored`);
    return stored;
  }

  /** Writes a new key under a temporary name (0600); `keep` or `discard` it afterwards. */
  async writeTemp(label: string, pem: Buffer): Promise<string> {
    const temp = join(
      this.dir,
      `.${safeName(label)}.${randomBytes(6).toString('hex')}.key.pem.tmp`,
    );
    await writeFile(temp, pem, { mode: 0o600, flag: 'wx' });
    return temp;
  }

  /** The temporary key becomes the certificate's key (replacing one the CA never certified). */
  async keep(temp: string, certificateId: string): Promise<string> {
    const path = this.certificateKeyPath(certificateId);
    await rename(temp, path);
    return path;
  }

  async discard(temp: string): Promise<void> {
    await unlink(temp).catch(() => undefined);
  }
}

/** Reads a key file, tightening its mode to 0600 if it was looser; undefined when absent. */
async function readKey(path: string): Promise<Buffer | undefined> {
  try {
    const mode = (await stat(path)).mode & 0o777;
    if (mode !== 0o600) await chmod(path, 0o600);
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Certificate ids are ours (`cert_…`), but a file name is made safe whatever they hold. */
function safeName(id: string): string {
  if (/^[A-Za-z0-9][A-Za-z0-9_-]{0,100}$/.test(id)) return id;
  return `id-${createHash('sha256').update(id).digest('hex').slice(0, 32)}`;
}
