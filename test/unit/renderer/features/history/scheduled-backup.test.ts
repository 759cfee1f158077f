import { describe, expect, it } from 'vitest'
import { applyChange } from '../../../../../src/renderer/src/db/actions'
import { searchHistory } from '../../../../../src/renderer/src/db/history-query'
import { ingestBatches } from '../../../../../src/renderer/src/db/ingest'
import { restoreDatabase } from '../../../../../src/renderer/src/features/history/backup'
import {
  backupIfDue,
  downloadBackup,
  readKeep,
  readSchedule,
  readStatus,
  rechunk,
  saveKeep,
  saveSchedule,
} from '../../../../../src/renderer/src/features/history/scheduled-backup'
import { backupNameAt, isBackupDue, type BackupEntry } from '../../../../../src/shared/backup'
import {
  dispatchCall,
  type CallHandlers,
  type EarshotClient,
} from '../../../../../src/shared/contract'
import { err, ok, type Result } from '../../../../../src/shared/result'
import { batch, freshDb } from '../../fixtures'

const HOUR = 3_600_000
const DAY = 24 * HOUR

describe('when a scheduled backup is due', () => {
  const now = Date.parse('2026-12-03T09:00:00Z')
  it('never when off, at once when there is none yet', () => {
    expect(isBackupDue('off', null, now)).toBe(false)
    expect(isBackupDue('daily', null, now)).toBe(true)
    expect(isBackupDue('weekly', null, now)).toBe(true)
  })
  it('daily once the last is a day old (the hourly check may come a little early)', () => {
    expect(isBackupDue('daily', now - 23 * HOUR, now)).toBe(false)
    expect(isBackupDue('daily', now - DAY + 5 * 60_000, now)).toBe(true)
    expect(isBackupDue('daily', now - 2 * DAY, now)).toBe(true)
  })
  it('weekly once the last is seven days old', () => {
    expect(isBackupDue('weekly', now - 6 * DAY, now)).toBe(false)
    expect(isBackupDue('weekly', now - 7 * DAY, now)).toBe(true)
  })
  it('at once when the last backup looks newer than now (a clock set back)', () => {
    expect(isBackupDue('daily', now + DAY, now)).toBe(true)
  })
})

describe('rechunking the gzip stream', () => {
  it('sends full chunks of exactly the size asked, then the rest, losing no byte', async () => {
    const parts = [new Uint8Array([1, 2, 3]), new Uint8Array([4, 5, 6, 7, 8]), new Uint8Array([9])]
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const part of parts) controller.enqueue(part)
        controller.close()
      },
    })
    const chunks: number[][] = []
    for await (const chunk of rechunk(stream, 4)) chunks.push([...chunk])
    expect(chunks).toEqual([[1, 2, 3, 4], [5, 6, 7, 8], [9]])
  })
})

/** A client whose calls go through the contract's validation to main's real backup store. */
function clientFor(handlers: Partial<CallHandlers>): EarshotClient {
  return {
    call: (name, input) =>
      dispatchCall(handlers as CallHandlers, name, input) as Promise<Result<never>>,
    on: () => () => undefined,
  }
}

/**
 * Main's side of the backup calls, in memory (the renderer's tests run without Node's file
 * system; main's real writer has its own tests): keeps each upload's bytes in order.
 */
function memoryMain(now: () => number) {
  const uploads = new Map<string, Uint8Array[]>()
  const saved = new Map<string, { bytes: Uint8Array; at: number }>()
  let next = 0
  const handlers: Partial<CallHandlers> = {
    'backup:begin': async () => {
      next += 1
      const id = next.toString(16).padStart(16, '0')
      uploads.set(id, [])
      return ok({ id })
    },
    'backup:write': async ({ id, index, data }) => {
      const parts = uploads.get(id)
      if (!parts || parts.length !== index) return err('conflict', 'out of order')
      parts.push(Uint8Array.from(atob(data), (c) => c.charCodeAt(0)))
      return ok({ bytes: parts.reduce((n, part) => n + part.length, 0) })
    },
    'backup:finish': async ({ id }) => {
      const parts = uploads.get(id) ?? []
      uploads.delete(id)
      const bytes = new Uint8Array(await new Blob(parts as BlobPart[]).arrayBuffer())
      const name = backupNameAt(now())
      saved.set(name, { bytes, at: now() })
      return ok({ name, bytes: bytes.length, at: now() })
    },
    'backup:abort': async ({ id }) => {
      uploads.delete(id)
      return ok({})
    },
    'backup:list': async () => {
      const backups: BackupEntry[] = [...saved].map(([name, file]) => ({
        name,
        bytes: file.bytes.length,
        at: file.at,
      }))
      return ok({ folder: '/data/backups', backups: backups.sort((a, b) => b.at - a.at) })
    },
    'backup:read': async ({ name, offset }) => {
      const file = saved.get(name)
      if (!file) return err('not-found', 'gone')
      // Small reads, so a restore also crosses several chunks.
      const end = Math.min(file.bytes.length, offset + 1000)
      let binary = ''
      for (const byte of file.bytes.subarray(offset, end)) binary += String.fromCharCode(byte)
      return ok({
        data: btoa(binary),
        next: end < file.bytes.length ? end : null,
        bytes: file.bytes.length,
      })
    },
  }
  return { handlers, saved, uploads }
}

/** localStorage stand-in, one per test. */
function memoryStorage(): Storage {
  const map = new Map<string, string>()
  return {
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
    clear: () => map.clear(),
    key: (n) => [...map.keys()][n] ?? null,
    get length() {
      return map.size
    },
  }
}

describe('scheduled backup into the data dir, and restore from it', () => {
  it('backs up when due, not again the same day, and restores the history from it', async () => {
    let clock = Date.parse('2026-12-03T09:00:00Z')
    const now = () => clock
    const main = memoryMain(now)
    const client = clientFor(main.handlers)
    const storage = memoryStorage()
    expect(readSchedule(storage)).toBe('daily')

    const db = freshDb()
    await ingestBatches(db, [batch(1, [1, 2, 3])])
    await applyChange(db, ['demo:2'], { kind: 'status', status: 'done' })

    const first = await backupIfDue(db, client, now, storage)
    expect(first.kind).toBe('done')
    expect(readStatus(storage)).toEqual({ at: clock, error: null })
    expect([...main.saved.keys()]).toEqual(['earshot-2026-12-03T09-00-00Z.json.gz'])
    // What main received is gzip (its writer refuses anything else).
    expect([...main.saved.values()][0]!.bytes.subarray(0, 2)).toEqual(new Uint8Array([0x1f, 0x8b]))

    clock += HOUR
    expect((await backupIfDue(db, client, now, storage)).kind).toBe('not-due')

    const name = [...main.saved.keys()][0]!
    const other = freshDb()
    await ingestBatches(other, [batch(1, [9])])
    await restoreDatabase(other, await downloadBackup(client, name))
    expect((await other.mentions.toCollection().primaryKeys()).sort()).toEqual([
      'demo:1',
      'demo:2',
      'demo:3',
    ])
    expect((await other.states.get('demo:2'))?.status).toBe('done')
    // The word index came back too: a search finds the restored mentions.
    expect(
      (await searchHistory(other, { query: 'number', filters: {}, sort: 'time' })).ids,
    ).toHaveLength(3)
  })

  it('asks main to keep as many backups as the responder chose, seven until then', async () => {
    const main = memoryMain(Date.now)
    const kept: number[] = []
    const client = clientFor({
      ...main.handlers,
      'backup:finish': async (input) => {
        kept.push(input.keep)
        return main.handlers['backup:finish']!(input)
      },
    })
    const storage = memoryStorage()
    expect(readKeep(storage)).toBe(7)
    await backupIfDue(freshDb(), client, Date.now, storage)
    saveKeep(30, storage)
    await backupIfDue(freshDb(), client, () => Date.now() + 2 * 86_400_000, storage)
    expect(kept).toEqual([7, 30])
    // A number outside what main accepts is never saved, and a garbled one reads as the default.
    expect(() => saveKeep(0, storage)).toThrow()
    storage.setItem('earshot.backup.keep', 'lots')
    expect(readKeep(storage)).toBe(7)
  })

  it('does nothing when the schedule is off', async () => {
    const main = memoryMain(Date.now)
    const storage = memoryStorage()
    saveSchedule('off', storage)
    const run = await backupIfDue(freshDb(), clientFor(main.handlers), Date.now, storage)
    expect(run.kind).toBe('off')
    expect(main.saved.size).toBe(0)
  })

  it('records a failure in words for the dialog, and keeps nothing half-written', async () => {
    const main = memoryMain(Date.now)
    const storage = memoryStorage()
    const failing = clientFor({
      ...main.handlers,
      'backup:write': async () => ({
        ok: false,
        error: { code: 'internal', message: 'The disk is full, so this backup was not saved.' },
      }),
    })
    const db = freshDb()
    await ingestBatches(db, [batch(1, [1])])
    const run = await backupIfDue(db, failing, () => 5, storage)
    expect(run).toEqual({
      kind: 'failed',
      message: 'The disk is full, so this backup was not saved.',
    })
    expect(readStatus(storage)).toEqual({
      at: 5,
      error: 'The disk is full, so this backup was not saved.',
    })
    // The page told main to drop the half-sent backup.
    expect(main.uploads.size).toBe(0)
    expect(main.saved.size).toBe(0)
  })
})
