import * as fs from 'node:fs/promises'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync, gunzipSync } from 'node:zlib'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createBackupStore, type BackupFs } from '../../../../src/main/journal/backup-store'
import { silentLogger } from '../../../../src/main/log'
import { BACKUP_CHUNK_BYTES } from '../../../../src/shared/backup'
import { parseCall } from '../../../../src/shared/contract'

let dir: string
let clock = Date.parse('2026-12-03T06:30:00Z')
const now = () => clock

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-backups-'))
  clock = Date.parse('2026-12-03T06:30:00Z')
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const value = <T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }) => {
  if (!result.ok) throw new Error(result.error.message)
  return result.value
}

/** Sends `bytes` as the page does: begin, chunks in order, finish. */
async function upload(store: ReturnType<typeof createBackupStore>, bytes: Buffer, keep = 7) {
  const { id } = value(await store.handlers['backup:begin']({}))
  for (let at = 0, index = 0; at < bytes.length; at += BACKUP_CHUNK_BYTES, index += 1) {
    const data = bytes.subarray(at, at + BACKUP_CHUNK_BYTES).toString('base64')
    value(await store.handlers['backup:write']({ id, index, data }))
  }
  return store.handlers['backup:finish']({ id, keep })
}

/** Reads a backup back through `backup:read`, chunk by chunk. */
async function download(store: ReturnType<typeof createBackupStore>, name: string) {
  const parts: Buffer[] = []
  let offset: number | null = 0
  while (offset !== null) {
    const chunk: { data: string; next: number | null } = value(
      await store.handlers['backup:read']({ name, offset }),
    )
    parts.push(Buffer.from(chunk.data, 'base64'))
    offset = chunk.next
  }
  return Buffer.concat(parts)
}

describe('the scheduled backup writer', () => {
  it('writes a multi-chunk backup under a dated name and reads the same bytes back', async () => {
    const store = createBackupStore({ dataDir: dir, now, logger: silentLogger })
    // Incompressible enough to span three chunks.
    const json = JSON.stringify({
      rows: Array.from({ length: 60_000 }, (_, n) => `${n}-${n * 7919}`),
    })
    const gz = gzipSync(json, { level: 0 })
    expect(gz.length).toBeGreaterThan(2 * BACKUP_CHUNK_BYTES)
    const entry = value(await upload(store, gz))
    expect(entry.name).toBe('earshot-2026-12-03T06-30-00Z.json.gz')
    expect(entry.at).toBe(clock)
    expect(entry.bytes).toBe(gz.length)
    // Only the finished file is in the folder: no temp file left behind.
    expect(await readdir(join(dir, 'backups'))).toEqual([entry.name])
    expect(gunzipSync(await download(store, entry.name)).toString()).toBe(json)
  })

  it('keeps the newest N and deletes older ones only after the new one is saved', async () => {
    const store = createBackupStore({ dataDir: dir, now, logger: silentLogger })
    const names: string[] = []
    for (let day = 0; day < 5; day += 1) {
      clock = Date.parse('2026-12-01T03:00:00Z') + day * 86_400_000
      names.push(value(await upload(store, gzipSync(`day ${day}`), 3)).name)
    }
    const listed = value(await store.handlers['backup:list']({}))
    expect(listed.backups.map((entry) => entry.name)).toEqual(names.slice(2).reverse())
    expect(listed.folder).toBe(join(dir, 'backups'))
  })

  it('gives two backups in one second distinct names, the later one listed first', async () => {
    const store = createBackupStore({ dataDir: dir, now, logger: silentLogger })
    const first = value(await upload(store, gzipSync('a')))
    const second = value(await upload(store, gzipSync('b')))
    expect(second.name).toBe('earshot-2026-12-03T06-30-00Z-2.json.gz')
    const listed = value(await store.handlers['backup:list']({}))
    expect(listed.backups.map((entry) => entry.name)).toEqual([second.name, first.name])
  })

  it('on a full disk says so, saves nothing and keeps every earlier backup', async () => {
    let full = false
    const fullFs: BackupFs = {
      ...fs,
      open: async (...args: Parameters<typeof fs.open>) => {
        const handle = await fs.open(...args)
        const write = handle.write.bind(handle) as (...rest: unknown[]) => Promise<unknown>
        ;(handle as { write: unknown }).write = async (...rest: unknown[]) => {
          if (full) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' })
          return write(...rest)
        }
        return handle
      },
    }
    const store = createBackupStore({ dataDir: dir, now, logger: silentLogger, fs: fullFs })
    const kept = value(await upload(store, gzipSync('yesterday'), 1))
    clock += 86_400_000
    full = true
    const { id } = value(await store.handlers['backup:begin']({}))
    const data = gzipSync('today').toString('base64')
    const failed = await store.handlers['backup:write']({ id, index: 0, data })
    expect(failed.ok).toBe(false)
    expect(!failed.ok && failed.error.message).toMatch(/disk is full.*untouched/)
    // The upload is gone, the old backup is still there, no temp file lingers.
    expect((await store.handlers['backup:finish']({ id, keep: 1 })).ok).toBe(false)
    expect(await readdir(join(dir, 'backups'))).toEqual([kept.name])
  })

  it('refuses chunks out of order and a backup that is not gzip', async () => {
    const store = createBackupStore({ dataDir: dir, now, logger: silentLogger })
    const { id } = value(await store.handlers['backup:begin']({}))
    const skipped = await store.handlers['backup:write']({ id, index: 1, data: 'AAAA' })
    expect(!skipped.ok && skipped.error.code).toBe('conflict')
    value(await store.handlers['backup:write']({ id, index: 0, data: 'e30=' })) // "{}"
    const finished = await store.handlers['backup:finish']({ id, keep: 7 })
    expect(!finished.ok && finished.error.message).toMatch(/not gzip/)
    expect(await readdir(join(dir, 'backups'))).toEqual([])
  })

  it('removes temp files a crash left behind when it starts, and ignores foreign files', async () => {
    const folder = join(dir, 'backups')
    await fs.mkdir(folder)
    await writeFile(join(folder, '.upload-0123456789abcdef'), 'half')
    await writeFile(join(folder, 'notes.txt'), 'mine')
    const store = createBackupStore({ dataDir: dir, now, logger: silentLogger })
    await store.start()
    expect(await readdir(folder)).toEqual(['notes.txt'])
    expect(value(await store.handlers['backup:list']({})).backups).toEqual([])
    value(await upload(store, gzipSync('x'), 1))
    value(await upload(store, gzipSync('y'), 1))
    // Rotation never touches a file it did not name.
    expect(await readFile(join(folder, 'notes.txt'), 'utf8')).toBe('mine')
  })
})

describe('the backup calls in the contract', () => {
  it('accepts only backup names, so a read cannot leave the backups folder', () => {
    expect(
      parseCall('backup:read', { name: 'earshot-2026-12-03T06-30-00Z.json.gz', offset: 0 }).ok,
    ).toBe(true)
    for (const name of [
      '../profile.json',
      'earshot-2026-12-03T06-30-00Z.json.gz/../../x',
      'credentials.json',
    ]) {
      expect(parseCall('backup:read', { name, offset: 0 }).ok).toBe(false)
    }
  })

  it('refuses a chunk larger than one message may carry, or not base64', () => {
    const id = '0123456789abcdef'
    const big = 'A'.repeat(Math.ceil(BACKUP_CHUNK_BYTES / 3) * 4 + 4)
    expect(parseCall('backup:write', { id, index: 0, data: big }).ok).toBe(false)
    expect(parseCall('backup:write', { id, index: 0, data: '{"x":1}' }).ok).toBe(false)
    expect(parseCall('backup:write', { id: '../x', index: 0, data: 'AAAA' }).ok).toBe(false)
    expect(parseCall('backup:write', { id, index: 0, data: 'AAAA' }).ok).toBe(true)
  })

  it('keeps 7 backups unless told otherwise, and between 1 and 100', () => {
    const id = '0123456789abcdef'
    const parsed = parseCall('backup:finish', { id })
    expect(parsed.ok && parsed.value.input).toEqual({ id, keep: 7 })
    expect(parseCall('backup:finish', { id, keep: 0 }).ok).toBe(false)
    expect(parseCall('backup:finish', { id, keep: 101 }).ok).toBe(false)
  })
})
