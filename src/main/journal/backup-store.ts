/* Scheduled backups in `<data dir>/backups/`: received in chunks, made durable atomically, rotated. */
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs/promises'
import { join } from 'node:path'
import {
  BACKUP_CHUNK_BYTES,
  BACKUP_NAME,
  backupNameAt,
  backupTimeOf,
  type BackupEntry,
} from '../../shared/backup'
import type { CallHandlers } from '../../shared/contract'
import { describeError, err, ok, type Result } from '../../shared/result'
import type { Logger } from '../log'
import { syncDir } from './json-file'

type BackupCalls =
  'backup:begin' | 'backup:write' | 'backup:finish' | 'backup:abort' | 'backup:list' | 'backup:read'

/** The file operations the store uses; tests replace `open` to fill the disk. */
export type BackupFs = Pick<typeof fs, 'open' | 'rename' | 'unlink' | 'readdir' | 'stat' | 'mkdir'>

export type BackupStoreDeps = {
  dataDir: string
  now: () => number
  logger: Logger
  fs?: BackupFs
}

/** An upload that stops sending for this long is dropped (the page was closed mid-backup). */
const STALE_MS = 10 * 60_000
/** Refuses a single backup beyond this size: far above any real history, it bounds the disk used. */
const MAX_BACKUP_BYTES = 8 * 1024 ** 3
const GZIP_MAGIC = [0x1f, 0x8b]

type Upload = {
  handle: fs.FileHandle
  temp: string
  next: number
  bytes: number
  head: number[]
  touched: number
}

const TEMP_PREFIX = '.upload-'

/** 1 for `…Z.json.gz`, n for `…Z-n.json.gz`: the order of backups made in the same second. */
const sameSecondOrder = (name: string): number => Number(/-(\d+)\.json\.gz$/.exec(name)?.[1] ?? 1)

/** Disk full or over quota, said so that nobody fears for the history itself. */
function describeWriteError(cause: unknown): string {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return 'The disk is full, so this backup was not saved. The history and the earlier backups are untouched; free some space and back up again.'
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return `Earshot may not write into the backups folder (${code}). The history and the earlier backups are untouched.`
  }
  return `The backup could not be written: ${describeError(cause)}. The history and the earlier backups are untouched.`
}

export function createBackupStore(deps: BackupStoreDeps) {
  const files = deps.fs ?? fs
  const folder = join(deps.dataDir, 'backups')
  const uploads = new Map<string, Upload>()

  async function drop(id: string): Promise<void> {
    const upload = uploads.get(id)
    if (!upload) return
    uploads.delete(id)
    await upload.handle.close().catch(() => undefined)
    await files.unlink(upload.temp).catch(() => undefined)
  }

  async function dropStale(): Promise<void> {
    const cutoff = deps.now() - STALE_MS
    for (const [id, upload] of uploads) if (upload.touched < cutoff) await drop(id)
  }

  /** The backups in the folder, newest first; anything not named like one is left alone. */
  async function list(): Promise<BackupEntry[]> {
    let names: string[]
    try {
      names = await files.readdir(folder)
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw cause
    }
    const entries: BackupEntry[] = []
    for (const name of names) {
      const at = backupTimeOf(name)
      if (at === null) continue
      const info = await files.stat(join(folder, name)).catch(() => null)
      if (info?.isFile()) entries.push({ name, bytes: info.size, at })
    }
    // Same second: the higher suffix is the later one.
    return entries.sort((a, b) => b.at - a.at || sameSecondOrder(b.name) - sameSecondOrder(a.name))
  }

  /** A name not taken yet: two backups in one second get `-2`, `-3`. */
  async function freeName(at: number): Promise<string> {
    const base = backupNameAt(at)
    const taken = new Set((await list()).map((entry) => entry.name))
    if (!taken.has(base)) return base
    for (let n = 2; n < 1000; n += 1) {
      const name = base.replace(/\.json\.gz$/, `-${n}.json.gz`)
      if (!taken.has(name)) return name
    }
    throw new Error('Too many backups in one second')
  }

  /** Deletes the oldest backups beyond `keep`; a failure to delete one is logged, not fatal. */
  async function rotate(keep: number): Promise<void> {
    const entries = await list()
    for (const old of entries.slice(keep)) {
      await files.unlink(join(folder, old.name)).catch((cause: unknown) =>
        deps.logger.warn('backup: could not delete an old backup', {
          name: old.name,
          error: describeError(cause),
        }),
      )
    }
  }

  const handlers: Pick<CallHandlers, BackupCalls> = {
    'backup:begin': async () => {
      await dropStale()
      // One backup at a time: a new one replaces an unfinished one from a page reloaded mid-way.
      for (const id of [...uploads.keys()]) await drop(id)
      const id = randomBytes(8).toString('hex')
      const temp = join(folder, `${TEMP_PREFIX}${id}`)
      try {
        await files.mkdir(folder, { recursive: true })
        const handle = await files.open(temp, 'w', 0o600)
        uploads.set(id, { handle, temp, next: 0, bytes: 0, head: [], touched: deps.now() })
      } catch (cause) {
        return err('internal', describeWriteError(cause))
      }
      return ok({ id })
    },
    'backup:write': async ({ id, index, data }) => {
      const upload = uploads.get(id)
      if (!upload) return err('not-found', 'This backup was cancelled or has already finished.')
      if (index !== upload.next) {
        return err('conflict', `Expected chunk ${upload.next} of this backup, got ${index}.`)
      }
      const bytes = Buffer.from(data, 'base64')
      if (bytes.length > BACKUP_CHUNK_BYTES) return err('invalid-input', 'Chunk too large')
      if (upload.bytes + bytes.length > MAX_BACKUP_BYTES) {
        await drop(id)
        return err('invalid-input', 'This backup is larger than Earshot accepts.')
      }
      try {
        await upload.handle.write(bytes)
      } catch (cause) {
        await drop(id)
        deps.logger.warn('backup: write failed', { error: describeError(cause) })
        return err('internal', describeWriteError(cause))
      }
      for (const byte of bytes.subarray(0, Math.max(0, 2 - upload.head.length))) {
        upload.head.push(byte)
      }
      upload.next += 1
      upload.bytes += bytes.length
      upload.touched = deps.now()
      return ok({ bytes: upload.bytes })
    },
    'backup:finish': async ({ id, keep }): Promise<Result<BackupEntry>> => {
      const upload = uploads.get(id)
      if (!upload) return err('not-found', 'This backup was cancelled or has already finished.')
      if (upload.bytes === 0 || upload.head.some((byte, at) => byte !== GZIP_MAGIC[at])) {
        await drop(id)
        return err('invalid-input', 'The backup arrived empty or is not gzip; nothing was saved.')
      }
      uploads.delete(id)
      const at = deps.now()
      let name: string
      try {
        await upload.handle.sync()
        await upload.handle.close()
        name = await freeName(at)
        await files.rename(upload.temp, join(folder, name))
        await syncDir(folder)
      } catch (cause) {
        await upload.handle.close().catch(() => undefined)
        await files.unlink(upload.temp).catch(() => undefined)
        deps.logger.warn('backup: could not save', { error: describeError(cause) })
        return err('internal', describeWriteError(cause))
      }
      // Only now, with the new backup durable, may the oldest go.
      await rotate(keep)
      deps.logger.info('backup: saved', { name, bytes: upload.bytes })
      return ok({ name, bytes: upload.bytes, at: backupTimeOf(name) ?? at })
    },
    'backup:abort': async ({ id }) => {
      await drop(id)
      return ok({})
    },
    'backup:list': async () => ok({ folder, backups: await list() }),
    'backup:read': async ({ name, offset }) => {
      // The schema already holds the name to BACKUP_NAME; checked again where the path is made.
      if (!BACKUP_NAME.test(name)) return err('invalid-input', 'Not a backup name')
      let handle: fs.FileHandle
      try {
        handle = await files.open(join(folder, name), 'r')
      } catch (cause) {
        if ((cause as NodeJS.ErrnoException).code === 'ENOENT') {
          return err('not-found', `${name} is no longer in the backups folder.`)
        }
        throw cause
      }
      try {
        const { size } = await handle.stat()
        const buffer = Buffer.alloc(Math.max(0, Math.min(BACKUP_CHUNK_BYTES, size - offset)))
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset)
        const end = offset + bytesRead
        return ok({
          data: buffer.subarray(0, bytesRead).toString('base64'),
          next: end < size ? end : null,
          bytes: size,
        })
      } finally {
        await handle.close()
      }
    },
  }

  return {
    handlers,
    folder,
    /** Closes and deletes unfinished uploads, and temp files a crash left behind. */
    async stop(): Promise<void> {
      for (const id of [...uploads.keys()]) await drop(id)
    },
    async start(): Promise<void> {
      const names = await files.readdir(folder).catch(() => [] as string[])
      for (const name of names) {
        if (name.startsWith(TEMP_PREFIX)) await files.unlink(join(folder, name)).catch(() => {})
      }
    },
  }
}

export type BackupStore = ReturnType<typeof createBackupStore>
