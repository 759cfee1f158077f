import { z } from 'zod'
import {
  BACKUP_CHUNK_BYTES,
  DEFAULT_BACKUP_SCHEDULE,
  DEFAULT_BACKUPS_KEPT,
  MAX_BACKUPS_KEPT,
  backupScheduleSchema,
  isBackupDue,
  type BackupEntry,
  type BackupSchedule,
} from '../../../../shared/backup'
import type { CallName, CallOutput, EarshotClient } from '../../../../shared/contract'
import { describeError } from '../../../../shared/result'
import type { EarshotDb } from '../../db/database'
import { backupDatabase } from './backup'

/*
 * Scheduled backups: the page exports the database (dexie-export-import), gzips it as a stream and
 * sends it to main a chunk at a time; main writes it into `<data dir>/backups/` atomically and keeps
 * the newest few. The page decides when: at start and every hour, by `isBackupDue`.
 */

const SCHEDULE_KEY = 'earshot.backup.schedule'
const KEEP_KEY = 'earshot.backup.keep'
const STATUS_KEY = 'earshot.backup.status'

/** How often the page checks whether a backup is due. */
export const BACKUP_CHECK_MS = 60 * 60_000

/** The responder's choice; daily until they say otherwise (or when storage is unreadable). */
export function readSchedule(
  storage: Storage | undefined = globalThis.localStorage,
): BackupSchedule {
  const parsed = backupScheduleSchema.safeParse(storage?.getItem(SCHEDULE_KEY))
  return parsed.success ? parsed.data : DEFAULT_BACKUP_SCHEDULE
}

export function saveSchedule(
  schedule: BackupSchedule,
  storage: Storage | undefined = globalThis.localStorage,
): void {
  storage?.setItem(SCHEDULE_KEY, schedule)
}

const keepSchema = z.coerce.number().int().min(1).max(MAX_BACKUPS_KEPT)

/** How many backups main keeps in the data dir, the newest; DEFAULT_BACKUPS_KEPT until chosen. */
export function readKeep(storage: Storage | undefined = globalThis.localStorage): number {
  const parsed = keepSchema.safeParse(storage?.getItem(KEEP_KEY) ?? undefined)
  return parsed.success ? parsed.data : DEFAULT_BACKUPS_KEPT
}

export function saveKeep(
  keep: number,
  storage: Storage | undefined = globalThis.localStorage,
): void {
  storage?.setItem(KEEP_KEY, String(keepSchema.parse(keep)))
}

const statusSchema = z.object({
  /** When the last scheduled or manual run into the data dir ended, and how. */
  at: z.number(),
  error: z.string().nullable(),
})
/** The last attempt's outcome, kept so a failure shows until the next success. */
export type BackupStatus = z.infer<typeof statusSchema>

export function readStatus(
  storage: Storage | undefined = globalThis.localStorage,
): BackupStatus | null {
  try {
    const parsed = statusSchema.safeParse(JSON.parse(storage?.getItem(STATUS_KEY) ?? 'null'))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

const listeners = new Set<() => void>()
/** Tells open dialogs that a backup started, ended or failed. */
export function onBackupChange(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

function recordStatus(status: BackupStatus, storage: Storage | undefined): void {
  storage?.setItem(STATUS_KEY, JSON.stringify(status))
  for (const listener of listeners) listener()
}

async function unwrap<N extends CallName>(
  reply: Promise<{ ok: true; value: CallOutput<N> } | { ok: false; error: { message: string } }>,
): Promise<CallOutput<N>> {
  const result = await reply
  if (!result.ok) throw new Error(result.error.message)
  return result.value
}

/** Base64 of bytes, in slices (String.fromCharCode with a whole chunk would overflow the stack). */
export function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let at = 0; at < bytes.length; at += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000))
  }
  return btoa(binary)
}

export function fromBase64(data: string): Uint8Array {
  const binary = atob(data)
  const bytes = new Uint8Array(binary.length)
  for (let at = 0; at < binary.length; at += 1) bytes[at] = binary.charCodeAt(at)
  return bytes
}

/**
 * Regroups a byte stream into chunks of exactly `size` bytes (the last one shorter), so each call
 * carries as much as one message may and no more.
 */
export async function* rechunk(
  stream: ReadableStream<Uint8Array>,
  size: number,
): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader()
  let buffer = new Uint8Array(size)
  let filled = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    let at = 0
    while (at < value.length) {
      const take = Math.min(size - filled, value.length - at)
      buffer.set(value.subarray(at, at + take), filled)
      filled += take
      at += take
      if (filled === size) {
        yield buffer
        buffer = new Uint8Array(size)
        filled = 0
      }
    }
  }
  if (filled > 0) yield buffer.subarray(0, filled)
}

/**
 * Exports the whole database and writes it into the data dir's backups folder through main.
 * Streams: the export is a Blob, gzipped as it is read, sent 512 KB at a time. A failure part-way
 * drops the half-written file in main; nothing already saved is touched.
 */
export async function uploadBackup(
  db: EarshotDb,
  client: EarshotClient,
  keep = DEFAULT_BACKUPS_KEPT,
): Promise<BackupEntry> {
  const blob = await backupDatabase(db)
  const { id } = await unwrap<'backup:begin'>(client.call('backup:begin', {}))
  try {
    const gzipped = blob.stream().pipeThrough(new CompressionStream('gzip'))
    let index = 0
    for await (const chunk of rechunk(gzipped, BACKUP_CHUNK_BYTES)) {
      await unwrap<'backup:write'>(
        client.call('backup:write', { id, index, data: toBase64(chunk) }),
      )
      index += 1
    }
    return await unwrap<'backup:finish'>(client.call('backup:finish', { id, keep }))
  } catch (cause) {
    await client.call('backup:abort', { id }).catch(() => undefined)
    throw cause
  }
}

/** A scheduled backup read back from main and un-gzipped, ready for `restoreDatabase`. */
export async function downloadBackup(client: EarshotClient, name: string): Promise<Blob> {
  const parts: Uint8Array[] = []
  let offset: number | null = 0
  while (offset !== null) {
    const chunk: CallOutput<'backup:read'> = await unwrap<'backup:read'>(
      client.call('backup:read', { name, offset }),
    )
    parts.push(fromBase64(chunk.data))
    offset = chunk.next
  }
  const gzipped = new Blob(parts as BlobPart[])
  return new Response(gzipped.stream().pipeThrough(new DecompressionStream('gzip'))).blob()
}

export type BackupRun =
  | { kind: 'off' }
  | { kind: 'not-due'; lastAt: number | null }
  | { kind: 'done'; entry: BackupEntry }
  | { kind: 'failed'; message: string }

/** Runs `task` unless another tab of this page is already backing up. */
async function alone<T>(task: () => Promise<T>): Promise<T | null> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks
  if (!locks) return task()
  return locks.request('earshot-backup', { ifAvailable: true }, (lock) =>
    lock ? task() : Promise.resolve(null),
  )
}

/**
 * Backs up into the data dir now, recording the outcome for the dialog (and a failure's message
 * until the next success). Never throws.
 */
export async function backupNow(
  db: EarshotDb,
  client: EarshotClient,
  now: () => number = Date.now,
  storage: Storage | undefined = globalThis.localStorage,
): Promise<BackupRun> {
  try {
    // Main deletes the oldest beyond the number kept once this one is safely written.
    const entry = await alone(() => uploadBackup(db, client, readKeep(storage)))
    if (entry === null) return { kind: 'not-due', lastAt: null }
    recordStatus({ at: now(), error: null }, storage)
    return { kind: 'done', entry }
  } catch (cause) {
    const message = describeError(cause)
    recordStatus({ at: now(), error: message }, storage)
    return { kind: 'failed', message }
  }
}

/** The check made at start and every hour: backs up when the schedule says one is due. */
export async function backupIfDue(
  db: EarshotDb,
  client: EarshotClient,
  now: () => number = Date.now,
  storage: Storage | undefined = globalThis.localStorage,
): Promise<BackupRun> {
  const schedule = readSchedule(storage)
  if (schedule === 'off') return { kind: 'off' }
  const listed = await client.call('backup:list', {})
  if (!listed.ok) return { kind: 'failed', message: listed.error.message }
  const lastAt = listed.value.backups[0]?.at ?? null
  if (!isBackupDue(schedule, lastAt, now())) return { kind: 'not-due', lastAt }
  return backupNow(db, client, now, storage)
}
