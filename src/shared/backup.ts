import { z } from 'zod'

/*
 * Scheduled backups of the renderer's database, kept by main in `<data dir>/backups/`. The page
 * cannot write files, so it streams the gzipped export to main in chunks small enough for one
 * WebSocket message (the web host refuses messages over 1 MB), and reads a backup back the same way.
 */

/** How often the page backs the history up into the data dir. */
export const backupScheduleSchema = z.enum(['off', 'daily', 'weekly'])
export type BackupSchedule = z.infer<typeof backupScheduleSchema>
export const DEFAULT_BACKUP_SCHEDULE: BackupSchedule = 'daily'

/** Backups kept when the responder has not said otherwise; older ones are deleted after a new one. */
export const DEFAULT_BACKUPS_KEPT = 7
export const MAX_BACKUPS_KEPT = 100

/**
 * Raw bytes per chunk. As base64 that is 683 KB of ASCII, so a call with its JSON envelope stays
 * well under the web host's 1 MB message limit whatever the content.
 */
export const BACKUP_CHUNK_BYTES = 512 * 1024
/** The base64 length of a full chunk. */
export const BACKUP_CHUNK_CHARS = Math.ceil(BACKUP_CHUNK_BYTES / 3) * 4

/**
 * `earshot-2026-12-03T06-30-00Z.json.gz`, with `-2`, `-3`… when two land in one second. Only names
 * of this shape are ever read or deleted, so a call cannot reach outside the backups folder.
 */
export const BACKUP_NAME = /^earshot-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z(?:-\d{1,3})?\.json\.gz$/

export const backupNameSchema = z.string().max(64).regex(BACKUP_NAME, 'Not a backup name')

export const backupEntrySchema = z.object({
  name: backupNameSchema,
  bytes: z.number().int().nonnegative(),
  /** When it was written, epoch milliseconds (read from the name, so copying keeps it). */
  at: z.number().int().nonnegative(),
})
export type BackupEntry = z.infer<typeof backupEntrySchema>

export const backupUploadIdSchema = z.string().regex(/^[0-9a-f]{16}$/, 'Not an upload id')

const base64Schema = z
  .string()
  .max(BACKUP_CHUNK_CHARS)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'Not base64')

/** The name a backup written at `at` gets (before any same-second suffix). */
export function backupNameAt(at: number): string {
  const stamp = new Date(at)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/:/g, '-')
  return `earshot-${stamp}.json.gz`
}

/** When the backup named so was written; null for a name this module did not make. */
export function backupTimeOf(name: string): number | null {
  const match = BACKUP_NAME.exec(name)
  if (!match) return null
  const stamp = name.slice('earshot-'.length, 'earshot-'.length + 20)
  const iso = `${stamp.slice(0, 13)}:${stamp.slice(14, 16)}:${stamp.slice(17, 19)}Z`
  const at = Date.parse(iso)
  return Number.isNaN(at) ? null : at
}

const DAY = 86_400_000

/**
 * Whether a scheduled backup is due now. Daily means once the last is 24 hours old, weekly 7 days;
 * a clock set back (last backup "in the future") counts as due, so a wrong clock cannot stop
 * backups for good. The page asks at start and every hour, so a day's backup lands within an hour.
 */
export function isBackupDue(
  schedule: BackupSchedule,
  lastBackupAt: number | null,
  now: number,
): boolean {
  if (schedule === 'off') return false
  if (lastBackupAt === null || lastBackupAt > now) return true
  const every = schedule === 'daily' ? DAY : 7 * DAY
  // A few minutes' slack: the hourly check at 24 h minus a moment still counts as a day.
  return now - lastBackupAt >= every - 10 * 60_000
}

/** The contract calls of scheduled backups; spread into `calls` in contract.ts. */
export const backupCalls = {
  /** Starts writing a backup into the data dir; chunks follow with `backup:write`. */
  'backup:begin': {
    input: z.object({}).strict(),
    output: z.object({ id: backupUploadIdSchema }),
  },
  /** One chunk of the gzipped export, base64, in order from index 0. */
  'backup:write': {
    input: z
      .object({
        id: backupUploadIdSchema,
        index: z.number().int().nonnegative().max(1_000_000),
        data: base64Schema,
      })
      .strict(),
    output: z.object({ bytes: z.number().int().nonnegative() }),
  },
  /**
   * Makes the written backup durable and visible under its name (temp file, fsync, rename), then
   * deletes the oldest beyond `keep`. Refused when nothing arrived or the bytes are not gzip.
   */
  'backup:finish': {
    input: z
      .object({
        id: backupUploadIdSchema,
        keep: z.number().int().min(1).max(MAX_BACKUPS_KEPT).default(DEFAULT_BACKUPS_KEPT),
      })
      .strict(),
    output: backupEntrySchema,
  },
  /** Drops an unfinished backup (the page failed while exporting). */
  'backup:abort': {
    input: z.object({ id: backupUploadIdSchema }).strict(),
    output: z.object({}),
  },
  /** The scheduled backups in the data dir, newest first, and the folder they are in. */
  'backup:list': {
    input: z.object({}).strict(),
    output: z.object({ folder: z.string(), backups: z.array(backupEntrySchema) }),
  },
  /** One chunk of a stored backup, base64, from byte `offset`; `next` is null at the end. */
  'backup:read': {
    input: z
      .object({
        name: backupNameSchema,
        offset: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
      })
      .strict(),
    output: z.object({
      data: z.string(),
      next: z.number().int().nonnegative().nullable(),
      bytes: z.number().int().nonnegative(),
    }),
  },
} as const
