import { beforeAll, describe, expect, it } from 'vitest'
import { applyChange, wakeSnoozed } from '../../../../../src/renderer/src/db/actions'
import { applyCorrection } from '../../../../../src/renderer/src/db/corrections'
import { openDatabase, type EarshotDb } from '../../../../../src/renderer/src/db/database'
import { ingestBatches } from '../../../../../src/renderer/src/db/ingest'
import { rebuildReportHours, rowsOf } from '../../../../../src/renderer/src/db/report-hours'
import {
  recordHandoff,
  recordReply,
} from '../../../../../src/renderer/src/features/compose/record-reply'
import { storeImported } from '../../../../../src/renderer/src/features/history/import'
import { buildReport } from '../../../../../src/renderer/src/features/reports/compute/build'
import {
  fixedZone,
  type LocalZone,
} from '../../../../../src/renderer/src/features/reports/compute/calendar'
import { drillMatcher } from '../../../../../src/renderer/src/features/reports/compute/drill'
import { byTime, decodeHour } from '../../../../../src/renderer/src/features/reports/compute/rows'
import type {
  DrillSpec,
  Report,
  ReportSettings,
} from '../../../../../src/renderer/src/features/reports/compute/types'
import {
  fromWorkerSchema,
  type FromWorker,
} from '../../../../../src/renderer/src/features/reports/protocol'
import { createReportRunner } from '../../../../../src/renderer/src/features/reports/report-runner'
import { openReportSource } from '../../../../../src/renderer/src/features/reports/report-source'
import type { Mention } from '../../../../../src/shared/domain'
import { compactSettings, COUNT, deliveredMentions, HOUR, START } from './compact-data'

/*
 * The report from the compact rows (schema v4) against the full scan of mentions and states
 * (`buildReport`, the reference the hand-counted tests pin), on a varied history written through
 * every path that changes a mention or its state. Every figure must agree, in several zones.
 */

const name = `compact-${Math.random().toString(36).slice(2)}`
let db: EarshotDb

/** Everything stored, as the full scan reads it: mentions by time then id, as the worker visits. */
async function everything() {
  const mentions = (await db.mentions.toArray()).sort(
    (a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1),
  )
  const states = await db.states.toArray()
  const actions = await db.actions.toArray()
  return { mentions, states, actions }
}

/** Runs one request through the worker's logic against the stored database. */
async function ask(
  message: Parameters<ReturnType<typeof createReportRunner>['receive']>[0],
  hoursPerRead?: number,
) {
  const posted: FromWorker[] = []
  const runner = createReportRunner({
    open: () => openReportSource(name),
    post: (answer) => posted.push(fromWorkerSchema.parse(structuredClone(answer))),
    zone: current.zone,
    ...(hoursPerRead === undefined ? {} : { hoursPerRead }),
  })
  await runner.receive(message)
  return posted.at(-1)
}
const current: { zone: LocalZone } = { zone: fixedZone(0) }

async function compactReport(
  settings: ReportSettings,
  zone: LocalZone,
  hoursPerRead?: number,
): Promise<Report> {
  current.zone = zone
  const answer = await ask({ type: 'run', runId: 1, settings }, hoursPerRead)
  if (answer?.type !== 'result') throw new Error(`no report: ${JSON.stringify(answer)}`)
  return answer.report
}

beforeAll(async () => {
  db = openDatabase(name)
  const delivered = deliveredMentions()
  const t = START + 11 * 24 * HOUR
  for (let at = 0; at < delivered.length; at += 50) {
    await ingestBatches(
      db,
      [{ seq: at / 50 + 1, sourceId: 'x', mentions: delivered.slice(at, at + 50) }],
      t,
    )
  }
  const id = (n: number) => delivered[n]!.id
  const some = (step: number, offset: number) =>
    delivered.filter((_, n) => n % step === offset).map((mention) => mention.id)
  // The responder at work: answers, hand-offs, spam, snoozes, replies and corrections.
  await applyChange(db, some(5, 1), { kind: 'status', status: 'done' }, t + HOUR)
  await applyChange(db, some(11, 2), { kind: 'route', department: 'product' }, t + 2 * HOUR)
  await applyChange(db, some(13, 3), { kind: 'route', department: 'PR' }, t + 3 * HOUR)
  await applyChange(db, some(26, 3), { kind: 'status', status: 'done' }, t + 5 * HOUR)
  await applyChange(db, some(19, 4), { kind: 'status', status: 'spam' }, t + 4 * HOUR)
  await applyChange(db, some(38, 4), { kind: 'status', status: 'open' }, t + 6 * HOUR)
  await applyChange(db, some(23, 6), { kind: 'snooze', until: t + 7 * HOUR }, t + 6 * HOUR)
  await wakeSnoozed(db, t + 8 * HOUR)
  for (let n = 7; n < COUNT; n += 29) await recordReply(db, id(n), `Thanks ${n}`, 'posted', t + n)
  for (let n = 8; n < COUNT; n += 31) {
    await recordHandoff(db, id(n), 'customer service', t + 48 * HOUR, 'email', t + 9 * HOUR)
  }
  for (let n = 9; n < COUNT; n += 37) {
    const mention = delivered[n]!
    const sentiment = { ...mention.triage.sentiment, label: 'negative' as const, score: -4 }
    await applyCorrection(
      db,
      mention.id,
      { sentiment: 'negative' },
      { ...mention.triage, sentiment },
      t + 10 * HOUR,
    )
  }
  // Re-delivered content: new text and sentiment, and some moved to another hour.
  const again: Mention[] = delivered
    .filter((_, n) => n % 41 === 0)
    .map((mention, k) => ({
      ...mention,
      text: 'Refund still missing, login error again',
      createdAt: k % 2 === 0 ? mention.createdAt + 3 * HOUR + 7 : mention.createdAt,
      triage: {
        ...mention.triage,
        sentiment: { ...mention.triage.sentiment, label: 'negative', score: -2 },
      },
    }))
  await ingestBatches(db, [{ seq: 100, sourceId: 'x', mentions: again }], t + 11 * HOUR)
  // Imported rows arrive done.
  await storeImported(
    db,
    [0, 1, 2].map((k) => ({
      ...delivered[k * 100]!,
      id: `import:${k}`,
      createdAt: START + k * 30 * HOUR + 1,
    })),
    t + 12 * HOUR,
  )
})

describe('the compact rows stay equal to their mentions and states', () => {
  it('holds, after every kind of write, exactly the rows a fresh look at mentions and states gives', async () => {
    const { mentions, states } = await everything()
    const byId = new Map(states.map((state) => [state.id, state]))
    const expected = rowsOf(
      mentions,
      mentions.map((mention) => byId.get(mention.id)),
    ).sort(byTime)
    const stored = (await db.reportHours.toArray()).flatMap(decodeHour)
    expect(stored).toHaveLength(COUNT + 3)
    expect(stored).toEqual(expected)
    // A rebuild (the v4 upgrade, a restore) writes the same records.
    const before = await db.reportHours.toArray()
    await db.transaction('rw', [db.mentions, db.states, db.reportHours], () =>
      rebuildReportHours(db),
    )
    expect(await db.reportHours.toArray()).toEqual(
      before.filter((record) => decodeHour(record).length > 0),
    )
  })
})

describe('a report from the compact rows equals the full scan, figure by figure', () => {
  const zones: [string, LocalZone][] = [
    ['UTC', fixedZone(0)],
    ['UTC+5:30', fixedZone(330)],
    ['UTC+5:45', fixedZone(345)],
    ['UTC-7', fixedZone(-420)],
  ]
  for (const [label, zone] of zones) {
    it(`over the ten days, read in ${label}`, async () => {
      const settings = {
        ...compactSettings,
        from: zone.startOfDay(compactSettings.from),
        to: zone.startOfDay(compactSettings.to),
      }
      const reference = buildReport(settings, zone, await everything())
      const compact = await compactReport(settings, zone)
      // Each figure on its own, so a failure names it; then the whole report.
      for (const key of Object.keys(reference) as (keyof Report)[]) {
        expect({ [key]: compact[key] }).toEqual({ [key]: reference[key] })
      }
      expect(compact).toEqual(reference)
      // The data set is rich enough to mean something.
      expect(reference.mentions).toBeGreaterThan(800)
      expect(reference.issues.filter((day) => day.issues.length >= 3).length).toBeGreaterThan(5)
      expect(reference.departments.length).toBe(3)
      expect(reference.responses.answered).toBeGreaterThan(50)
    })
  }

  it('when days end in the middle of a read, so their quotes are read while later days count', async () => {
    // Five hours a read: every day of UTC+5:45 ends inside one, and each settles on its own.
    const zone = fixedZone(345)
    const settings = {
      ...compactSettings,
      from: zone.startOfDay(compactSettings.from),
      to: zone.startOfDay(compactSettings.to),
    }
    const reference = buildReport(settings, zone, await everything())
    expect(await compactReport(settings, zone, 5)).toEqual(reference)
    expect(reference.issues.filter((day) => day.issues.length >= 3).length).toBeGreaterThan(5)
  })

  it('over one day cut at an odd minute, with a set pace', async () => {
    const zone = fixedZone(330)
    const settings = {
      ...compactSettings,
      from: START + 2 * 24 * HOUR + 17 * 60_000,
      to: START + 3 * 24 * HOUR + 41 * 60_000,
      minutes: 25,
    }
    expect(await compactReport(settings, zone)).toEqual(
      buildReport(settings, zone, await everything()),
    )
  })
})

describe('drill-downs from the compact rows', () => {
  it('list the same mentions, newest first, as the full scan matches', async () => {
    current.zone = fixedZone(0)
    const { mentions, states } = await everything()
    const byId = new Map(states.map((state) => [state.id, state]))
    const day = START + 3 * 24 * HOUR
    const specs: DrillSpec[] = [
      { title: 'source', from: day, to: day + 24 * HOUR, sourceId: 'mastodon-1' },
      { title: 'community', from: START, to: compactSettings.to, community: 'r/acmeusers' },
      { title: 'products', from: START, to: compactSettings.to, termKind: 'product' },
      { title: 'term', from: day, to: day + 48 * HOUR, term: 'Tellwell' },
      {
        title: 'angry',
        from: START,
        to: compactSettings.to,
        directed: true,
        sentiment: 'negative',
      },
      { title: 'talk', from: START, to: compactSettings.to, conversation: true },
      {
        title: 'ids',
        from: START,
        to: compactSettings.to,
        ids: mentions.slice(0, 40).map((m) => m.id),
      },
    ]
    for (const spec of specs) {
      const match = drillMatcher(spec, compactSettings.terms)
      const expected = mentions
        .filter((mention) => match(mention, byId.get(mention.id)))
        .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1))
        .map((mention) => mention.id)
      const answer = await ask({
        type: 'drill',
        runId: 2,
        settings: compactSettings,
        spec,
        limit: 10_000,
      })
      expect(answer).toEqual({ type: 'drilled', runId: 2, ids: expected, total: expected.length })
      expect(expected.length).toBeGreaterThan(0)
    }
  })
})
