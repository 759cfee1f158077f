import { randomBytes } from 'node:crypto'
import { open, readFile, unlink } from 'node:fs/promises'
import { join } from 'node:path'

/** One host per data folder: two would append to one journal and ack each other's batches. */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const path = join(dataDir, 'web-host.lock')
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(path, 'wx', 0o600)
      await handle.writeFile(String(process.pid))
      await handle.close()
      return () => unlink(path).catch(() => undefined)
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== 'EEXIST') throw cause
      const pid = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10)
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new Error(`Earshot is already running on ${dataDir} (process ${pid}).`, { cause })
      }
      await unlink(path).catch(() => undefined) // a stale lock from a crash
    }
  }
  throw new Error(`Could not lock ${dataDir}.`)
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (cause) {
    return (cause as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * The web host's session token, made once per data folder and kept in a 0600 file. Only a page of
 * this origin can read it (from the served index.html); a foreign page cannot.
 */
export async function sessionToken(path: string): Promise<string> {
  const saved = (await readFile(path, 'utf8').catch(() => '')).trim()
  if (/^[\w-]{32,}$/.test(saved)) return saved
  const token = randomBytes(32).toString('base64url')
  const handle = await open(path, 'w', 0o600)
  try {
    await handle.writeFile(token)
  } finally {
    await handle.close()
  }
  return token
}
