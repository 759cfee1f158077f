import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../../src/renderer/src/db/database'
import { stateFor } from '../../../../src/renderer/src/db/state-keys'
import { latestVersion, versions } from '../../../../src/renderer/src/db/versions'
import { buildReport } from '../../../../src/renderer/src/features/reports/compute/build'
import { fixedZone } from '../../../../src/renderer/src/features/reports/compute/calendar'
import { decodeHour, hourOf } from '../../../../src/renderer/src/features/reports/compute/rows'
import {
  fromWorkerSchema,
  type FromWorker,
} from '../../../../src/renderer/src/features/reports/protocol'
import { createReportRunner } from '../../../../src/renderer/src/features/reports/report-runner'
import { openReportSource } from '../../../../src/renderer/src/features/reports/report-source'
import { mention } from '../fixtures'

const uniqueName = () => `earshot-v4-${Math.random().toString(36).slice(2)}`
const HOUR = 3_600_000
const BASE = Date.parse('2026-11-16T00:00:00Z')

/** 2,600 mentions: 2,100 in one hour (more than a rebuild page), the rest spread over two days. */
const stored = Array.from({ length: 2600 }, (_, n) =>
  mention(n + 1, {
    createdAt: n < 2100 ? BASE + 5 * HOUR + n * 1000 : BASE + (n - 2100) * 337_000,
    text: n % 3 === 0 ? `Refund missing again. Login error ${n}` : `Ordinary post ${n}`,
    triage: {
      ...mention(n + 1).triage,
      sentiment: {
        score: n % 3 === 0 ? -2 : 1,
        comparative: 0,
        label: n % 3 === 0 ? 'negative' : 'positive',
        words: [],
      },
    },
  }),
)
const decided = stored.map((m, n) =>
  stateFor(
    m,
    n % 4 === 0
      ? { status: 'done', updatedAt: m.createdAt + HOUR, doneAt: m.createdAt + HOUR }
      : { status: n % 10 === 1 ? 'spam' : 'open', updatedAt: m.createdAt },
  ),
)

describe('the v4 upgrade: the report’s compact rows for mentions stored before it', () => {
  it('builds a row for every mention a v3 database holds, and the report reads the same figures', async () => {
    const name = uniqueName()
    const v3 = openDatabase(name, { versions: versions.slice(0, 3) })
    await v3.open()
    expect(v3.tables.map((table) => table.name)).not.toContain('reportHours')
    await v3.table('mentions').bulkPut(stored)
    await v3.table('states').bulkPut(decided)
    v3.close()

    const db = openDatabase(name)
    await db.open()
    expect(db.verno).toBe(latestVersion())
    const records = await db.reportHours.toArray()
    const rows = records.flatMap(decodeHour)
    expect(rows).toHaveLength(2600)
    expect(new Set(rows.map((row) => row.id)).size).toBe(2600)
    // Each row sits in its own hour; the crowded hour is one record with all 2,100.
    for (const record of records) {
      for (const row of decodeHour(record)) expect(hourOf(row.createdAt)).toBe(record.hour)
    }
    const crowded = hourOf(BASE + 5 * HOUR)
    expect(records.filter((record) => record.hour === crowded)).toHaveLength(1)
    expect(decodeHour(records.find((record) => record.hour === crowded)!)).toHaveLength(
      rows.filter((row) => hourOf(row.createdAt) === crowded).length,
    )
    expect(rows.filter((row) => hourOf(row.createdAt) === crowded).length).toBeGreaterThan(2000)
    db.close()

    const posted: FromWorker[] = []
    const runner = createReportRunner({
      open: () => openReportSource(name),
      post: (message) => posted.push(fromWorkerSchema.parse(message)),
      zone: fixedZone(0),
    })
    const settings = {
      from: BASE,
      to: BASE + 2 * 24 * HOUR,
      now: BASE + 3 * 24 * HOUR,
      hours: { days: [1, 2, 3, 4, 5], startHour: 9, endHour: 17 },
      terms: { brand: 'Acme', handles: [], products: [], competitors: [] },
      minutes: 20,
    }
    await runner.receive({ type: 'run', runId: 1, settings })
    const result = posted.at(-1)
    const expected = buildReport(settings, fixedZone(0), {
      mentions: [...stored].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1)),
      states: decided,
      actions: [],
    })
    expect(result?.type === 'result' && result.report).toEqual(expected)
    // Spam is left out: 2,600 less every tenth from the second.
    expect(expected.mentions).toBe(2600 - 260)
    expect(expected.issues[0]?.issues[0]?.count).toBeGreaterThan(100)
  })

  it('takes a v1 database through every upgrade in one open, its rows built from the v2 states', async () => {
    const name = uniqueName()
    const v1 = openDatabase(name, { versions: versions.slice(0, 1) })
    await v1.table('mentions').bulkPut(stored.slice(0, 3))
    await v1.table('states').bulkPut([
      {
        id: 'demo:1',
        status: 'done',
        updatedAt: 5,
        doneAt: 5,
        createdAt: stored[0]!.createdAt,
        urgency: 1,
      },
      { id: 'demo:2', status: 'open', updatedAt: 6, createdAt: stored[1]!.createdAt, urgency: 1 },
      { id: 'demo:3', status: 'open', updatedAt: 7, createdAt: stored[2]!.createdAt, urgency: 1 },
    ])
    v1.close()

    const db = openDatabase(name)
    await db.open()
    const rows = (await db.reportHours.toArray()).flatMap(decodeHour)
    expect(rows.map((row) => [row.id, row.state?.status, row.state?.doneAt])).toEqual([
      ['demo:1', 'done', 5],
      // v2 moved the untouched overheard mention to Watching; the row says so.
      ['demo:2', 'open', undefined],
      ['demo:3', 'monitor', undefined],
    ])
    db.close()
  })
})
