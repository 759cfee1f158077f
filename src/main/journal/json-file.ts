import { randomBytes } from 'node:crypto'
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises'
import { basename, dirname } from 'node:path'
import type { z } from 'zod'
import { describeError } from '../../shared/result'

export type LoadedJson<T> = {
  value: T
  /** Set when the file existed but could not be used; says what happened and where the backup is. */
  problem: string | null
}

/**
 * Reads a JSON file checked against `schema`. A missing file gives `fallback`; a corrupt or
 * hand-broken one is kept aside as `<name>.corrupt-<time>` and also gives `fallback`, with a
 * message for the responder. Never throws for bad content.
 */
export async function loadJsonFile<S extends z.ZodType>(
  path: string,
  schema: S,
  fallback: z.output<S>,
  now: () => number = Date.now,
): Promise<LoadedJson<z.output<S>>> {
  let raw: string
  try {
    raw = await readFile(path, 'utf8')
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT')
      return { value: fallback, problem: null }
    throw cause
  }
  let why: string
  try {
    const parsed = schema.safeParse(JSON.parse(raw.replace(/^\uFEFF/, '')))
    if (parsed.success) return { value: parsed.data, problem: null }
    const issue = parsed.error.issues[0]
    why = `${issue?.path.join('.') || 'the file'}: ${issue?.message ?? 'not valid'}`
  } catch (cause) {
    why = describeError(cause)
  }
  const stamp = new Date(now()).toISOString().replace(/[:.]/g, '-')
  const backup = `${path}.corrupt-${stamp}`
  await rename(path, backup)
  return {
    value: fallback,
    problem: `${basename(path)} could not be read (${why}). It was kept as ${basename(backup)} and Earshot started with defaults.`,
  }
}

/** Writes `value` as JSON atomically: temp file, fsync, rename, fsync the folder. */
export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n')
}

export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const dir = dirname(path)
  await mkdir(dir, { recursive: true })
  const temp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`
  const handle = await open(temp, 'w', 0o600)
  try {
    await handle.writeFile(text, 'utf8')
    await handle.sync()
  } catch (cause) {
    await handle.close()
    await unlink(temp).catch(() => undefined)
    throw cause
  }
  await handle.close()
  await rename(temp, path)
  await syncDir(dir)
}

export async function syncDir(dir: string): Promise<void> {
  // Makes the rename itself durable; some platforms (Windows) cannot open folders, which is fine.
  try {
    const handle = await open(dir, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch {
    /* not supported here */
  }
}
