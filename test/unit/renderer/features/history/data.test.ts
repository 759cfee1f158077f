import { exportDB } from 'dexie-export-import'
import { describe, expect, it, vi } from 'vitest'
import { applyChange } from '../../../../../src/renderer/src/db/actions'
import { openDatabase, type EarshotDb } from '../../../../../src/renderer/src/db/database'
import { searchHistory } from '../../../../../src/renderer/src/db/history-query'
import { ingestBatches } from '../../../../../src/renderer/src/db/ingest'
import { loadViewCounts } from '../../../../../src/renderer/src/db/queue-query'
import { stateFor } from '../../../../../src/renderer/src/db/state-keys'
import { startSync } from '../../../../../src/renderer/src/db/sync'
import { latestVersion, versions } from '../../../../../src/renderer/src/db/versions'
import { backlogIds, indexWholeBacklog } from '../../../../../src/renderer/src/db/word-backlog'
import {
  backupDatabase,
  describeBackup,
  restoreDatabase,
} from '../../../../../src/renderer/src/features/history/backup'
import {
  EXPORT_PAGE,
  exportMentions,
  type ExportFormat,
  type ExportSink,
} from '../../../../../src/renderer/src/features/history/export'
import {
  guessMapping,
  importRows,
  readImportFile,
  type ImportMapping,
} from '../../../../../src/renderer/src/features/history/import'
import type { Mention } from '../../../../../src/shared/domain'
import { ok } from '../../../../../src/shared/result'
import { batch, fakeClient, freshDb, mention } from '../../fixtures'

const T0 = 1_700_000_000_000

/** A history with awkward content: quotes, commas, line breaks, accents, no link, a title. */
function awkward(): Mention[] {
  return [
    mention(1, { text: 'Plain complaint: my Acme order is late', title: 'Late order' }),
    mention(2, { text: 'She said "refund", then left,\nnever to return', url: null }),
    mention(3, {
      text: 'Crème brûlée at Zürich café — 5/5',
      author: { id: 'x:zoé', name: 'Zoé, Ltd' },
    }),
    mention(4, { text: '=SUM(A1) is not a formula here' }),
  ].map((m, n) => ({ ...m, createdAt: T0 + n * 60_000 }))
}

const memorySink = () => {
  const chunks: string[] = []
  const sink: ExportSink = {
    write: async (chunk) => void chunks.push(chunk),
    close: async () => undefined,
  }
  return { sink, chunks, text: () => chunks.join('') }
}

/**
 * Stands in for main's `triage:batch` (its real scoring is tested in core.test.ts): negative when
 * the text says late, directed when it names Acme.
 */
const triageClient = () =>
  fakeClient({
    'triage:batch': ({ items }: { items: Omit<Mention, 'triage'>[] }) =>
      ok(
        items.map((heard): Mention => ({
          ...heard,
          triage: {
            sentiment: {
              score: /late/i.test(heard.text) ? -2 : 0,
              comparative: 0,
              label: /late/i.test(heard.text) ? 'negative' : 'neutral',
              words: [],
            },
            intent: 'other',
            directed: /acme/i.test(heard.text),
            urgency: 10,
            reasons: [],
            matched: /acme/i.test(heard.text) ? ['Acme'] : [],
          },
        })),
      ),
  })

async function roundTrip(format: ExportFormat) {
  const source = freshDb()
  await ingestBatches(source, [{ seq: 1, sourceId: 'demo', mentions: awkward() }])
  const out = memorySink()
  expect(await exportMentions(source, 'all', format, out.sink)).toBe(4)
  const table = readImportFile(`history.${format}`, out.text())
  const mapping = guessMapping(table.columns)
  expect(mapping).toMatchObject({
    text: 'text',
    title: 'title',
    author: 'author',
    authorId: 'author_id',
    date: 'created_at',
    link: 'url',
    id: 'id',
    sentiment: 'sentiment',
  })
  const target = freshDb()
  const fake = triageClient()
  const report = await importRows(target, fake.client, table, mapping as ImportMapping, {
    now: T0 + 3_600_000,
  })
  return { source, target, report, fake, table, mapping: mapping as ImportMapping }
}

describe('export then import', () => {
  it.each(['csv', 'json'] as const)(
    'brings every mention back through %s with its words, author, time and link',
    async (format) => {
      const { source, target, report } = await roundTrip(format)
      expect(report).toEqual({ added: 4, known: 0, skipped: [] })
      const byTime = (a: Mention, b: Mention) => a.createdAt - b.createdAt
      const original = (await source.mentions.toArray()).sort(byTime)
      const imported = (await target.mentions.toArray()).sort(byTime)
      expect(
        imported.map((m) => [
          m.text,
          m.title,
          m.author.name,
          m.createdAt,
          m.url,
          m.triage.sentiment.label,
        ]),
      ).toEqual(
        original.map((m) => [
          m.text,
          m.title,
          m.author.name,
          m.createdAt,
          m.url,
          m.triage.sentiment.label,
        ]),
      )
      for (const m of imported) {
        expect(m.id).toMatch(/^import:[0-9a-f]{32}$/)
        expect(m.platform).toBe('import')
      }
      // Imported rows are triaged, history (done), and searchable like any other.
      expect(imported[0]!.triage.matched).toContain('Acme')
      expect((await target.states.toArray()).map((s) => s.status)).toEqual([
        'done',
        'done',
        'done',
        'done',
      ])
      expect(
        (await searchHistory(target, { query: 'creme cafe', filters: {}, sort: 'time' })).ids,
      ).toHaveLength(1)
    },
  )

  it('is idempotent: importing the same file again adds nothing and triages nothing', async () => {
    const { target, table, mapping, fake } = await roundTrip('csv')
    const calls = fake.calls.length
    const again = await importRows(target, fake.client, table, mapping)
    expect(again).toEqual({ added: 0, known: 4, skipped: [] })
    expect(fake.calls.length).toBe(calls)
    expect(await target.mentions.count()).toBe(4)
  })

  it('skips rows with no text or an unreadable date, naming their lines', async () => {
    const csv =
      'body,when,who\r\nfine words,2026-01-02T03:04:05Z,Ana\r\n,2026-01-02,Bo\r\nmore,someday,Cy\r\n'
    const table = readImportFile('other-tool.csv', csv)
    const db = freshDb()
    const report = await importRows(db, triageClient().client, table, {
      text: 'body',
      date: 'when',
      author: 'who',
    })
    expect(report.added).toBe(1)
    expect(report.skipped).toEqual([
      { line: 3, reason: 'no text' },
      { line: 4, reason: 'the date “someday” cannot be read' },
    ])
    expect((await db.mentions.toArray())[0]).toMatchObject({
      text: 'fine words',
      createdAt: Date.parse('2026-01-02T03:04:05Z'),
      author: { name: 'Ana' },
    })
  })

  it('reads JSON from other tools: a list under a key, nested authors flattened', () => {
    const table = readImportFile(
      'tool.json',
      JSON.stringify({
        data: [{ message: 'hi', user: { name: 'Ana' }, posted_at: 1_700_000_000 }],
      }),
    )
    expect(table.columns).toEqual(['message', 'user.name', 'posted_at'])
    expect(guessMapping(table.columns)).toEqual({
      text: 'message',
      author: 'user.name',
      date: 'posted_at',
    })
  })

  it('streams: no chunk holds more than one page of mentions', async () => {
    const db = freshDb()
    const many = Array.from({ length: EXPORT_PAGE * 2 + 7 }, (_, n) => n + 1)
    await ingestBatches(db, [batch(1, many)])
    const out = memorySink()
    expect(await exportMentions(db, 'all', 'csv', out.sink)).toBe(many.length)
    // Header, then one chunk per page.
    expect(out.chunks).toHaveLength(4)
    expect(out.chunks.slice(1).map((chunk) => chunk.split('\r\n').length - 1)).toEqual([
      EXPORT_PAGE,
      EXPORT_PAGE,
      7,
    ])
    const json = memorySink()
    await exportMentions(db, ['demo:3', 'demo:1'], 'json', json.sink)
    expect((JSON.parse(json.text()) as { id: string }[]).map((row) => row.id)).toEqual([
      'demo:3',
      'demo:1',
    ])
  })
})

/** Every row of every table, keyed by table name. */
const dump = async (db: EarshotDb): Promise<Record<string, unknown[]>> =>
  Object.fromEntries(
    await Promise.all(
      db.tables.map(async (table): Promise<[string, unknown[]]> => [
        table.name,
        (await table.toArray()) as unknown[],
      ]),
    ),
  )

describe('backup and restore', () => {
  it('restores the whole database deep-equal, replacing what was there', async () => {
    const db = freshDb()
    await ingestBatches(db, [batch(1, [1, 2, 3]), batch(2, [4, 5])])
    await applyChange(db, ['demo:2'], { kind: 'status', status: 'done' })
    await applyChange(db, ['demo:3'], { kind: 'route', department: 'Billing' })
    // The word rows written (a restore writes any a backup lacks).
    await indexWholeBacklog(db)
    const before = await dump(db)
    const file = await backupDatabase(db)
    expect(await describeBackup(file)).toMatchObject({ ok: true, version: latestVersion() })

    const other = freshDb()
    await ingestBatches(other, [batch(1, [9])])
    await restoreDatabase(other, file)
    expect(await dump(other)).toEqual(before)
  })

  it('restores a backup made before the word index, and indexes it', async () => {
    const name = `earshot-v2-backup-${Math.random().toString(36).slice(2)}`
    const v2 = openDatabase(name, { versions: versions.slice(0, 2) })
    await v2.open()
    const old = mention(1, { text: 'Café closed early' })
    await v2.table('mentions').bulkPut([old])
    await v2.table('states').bulkPut([stateFor(old, { status: 'open', updatedAt: 1 })])
    const file = await exportDB(v2)
    v2.close()
    const db = freshDb()
    await restoreDatabase(db, file)
    expect((await searchHistory(db, { query: 'cafe', filters: {}, sort: 'time' })).ids).toEqual([
      'demo:1',
    ])
  })

  it('restores a backup whose word rows predate ranking from them, and completes the rows', async () => {
    const db = freshDb()
    await ingestBatches(db, [batch(1, [1, 2, 3])])
    await indexWholeBacklog(db)
    // As an earlier Earshot wrote them: the words alone.
    const rows = await db.search.toArray()
    expect(rows).toHaveLength(3)
    await db.search.bulkPut(rows.map(({ id, words }) => ({ id, words })))
    const file = await backupDatabase(db)
    const other = freshDb()
    await restoreDatabase(other, file)
    const restored = await other.search.get('demo:2')
    expect(restored?.seq).toBe('mention number 2 author 2 a2')
    expect(
      (await searchHistory(other, { query: 'number 2', filters: {}, sort: 'relevance' })).ids,
    ).toEqual(['demo:2'])
  })

  it('restores a backup made before the sparse view keys into Inbox and Urgent', async () => {
    const name = `earshot-v5-backup-${Math.random().toString(36).slice(2)}`
    const v5 = openDatabase(name, { versions: versions.slice(0, 5) })
    await v5.open()
    const asked = mention(1, { triage: { ...mention(1).triage, directed: true, urgency: 100 } })
    const overheard = mention(2, { triage: { ...mention(2).triage, directed: false, urgency: 5 } })
    await v5.table('mentions').bulkPut([asked, overheard])
    // As v5 wrote them: `urgent` 0 or 1 on every state, no `inbox`.
    await v5.table('states').bulkPut([
      { ...stateFor(asked, { status: 'open', updatedAt: 1 }), inbox: undefined, urgent: 1 },
      { ...stateFor(overheard, { status: 'monitor', updatedAt: 1 }), urgent: 0 },
    ])
    const file = await exportDB(v5)
    v5.close()
    const db = freshDb()
    await restoreDatabase(db, file)
    expect(await loadViewCounts(db)).toMatchObject({ inbox: 1, urgent: 1, watching: 1, all: 2 })
    expect(await db.states.get('demo:1')).toMatchObject({ inbox: 1, urgent: 1 })
    // The overheard one needed no rewrite: its `urgent: 0` reads as not urgent.
    expect(await db.states.get('demo:2')).not.toHaveProperty('inbox')
  })

  it('refuses a file that is not a backup and changes nothing', async () => {
    const db = freshDb()
    await ingestBatches(db, [batch(1, [1])])
    await expect(restoreDatabase(db, new Blob(['{"rows": []}']))).rejects.toThrow(
      'not an Earshot backup',
    )
    expect(await db.mentions.count()).toBe(1)
  })
})

describe('a full disk during ingest', () => {
  it('writes nothing (not even the word index backlog), acks nothing, and resumes with the index complete', async () => {
    const db = freshDb()
    const journal = [batch(1, [1, 2])]
    const fake = fakeClient({
      'delivery:pending': ({ afterSeq }: { afterSeq: number }) =>
        ok({ journal: 'j', batches: journal.filter((b) => b.seq > afterSeq), more: false }),
    })
    const full = new DOMException('The quota has been exceeded.', 'QuotaExceededError')
    // A write of the ingest's transaction (its word backlog, then lastSeq) meets the full disk.
    const spy = vi
      .spyOn(db.meta, 'put')
      .mockRejectedValueOnce(
        Object.assign(new Error('aborted'), { name: 'AbortError', inner: full }),
      )
    const statuses: unknown[] = []
    const sync = startSync(db, fake.client, { onStatus: (status) => statuses.push(status) })
    await sync.idle()
    expect(statuses).toEqual([{ kind: 'storage-full' }])
    expect(await db.mentions.count()).toBe(0)
    expect(await backlogIds(db)).toEqual([])
    expect(fake.calls.filter((call) => call.name === 'delivery:ack')).toEqual([])
    spy.mockRestore()
    await sync.retry()
    await sync.idle()
    sync.stop()
    expect(statuses.at(-1)).toEqual({ kind: 'ok' })
    expect(await indexWholeBacklog(db)).toBe(2)
    expect(await db.search.count()).toBe(2)
    expect((await searchHistory(db, { query: 'number 2', filters: {}, sort: 'time' })).ids).toEqual(
      ['demo:2'],
    )
  })
})
