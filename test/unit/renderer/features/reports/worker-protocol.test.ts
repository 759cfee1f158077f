import { describe, expect, it } from 'vitest'
import { openDatabase, type EarshotDb } from '../../../../../src/renderer/src/db/database'
import { rebuildReportHours } from '../../../../../src/renderer/src/db/report-hours'
import { versions } from '../../../../../src/renderer/src/db/versions'
import { buildReport } from '../../../../../src/renderer/src/features/reports/compute/build'
import { fixedZone } from '../../../../../src/renderer/src/features/reports/compute/calendar'
import {
  fromWorkerSchema,
  type FromWorker,
  type ToWorker,
} from '../../../../../src/renderer/src/features/reports/protocol'
import {
  ReportClient,
  type WorkerPort,
} from '../../../../../src/renderer/src/features/reports/report-client'
import { createReportRunner } from '../../../../../src/renderer/src/features/reports/report-runner'
import { openReportSource } from '../../../../../src/renderer/src/features/reports/report-source'
import { actions, FRI, mentions, settings, states, TUE } from './report-data'

const utc = fixedZone(0)
let counter = 0

/**
 * A database as the page leaves it: mentions, states with createdAt, the audit log (schema 2 on)
 * and the report's compact rows (schema 4 on). `schema` picks the version.
 */
async function seeded(withLog: boolean, schema = 4): Promise<{ name: string; db: EarshotDb }> {
  const name = `reports-${++counter}-${Math.random().toString(36).slice(2)}`
  // Schema 1 had no audit log; every later one has.
  const list = withLog
    ? versions.filter((entry) => entry.version <= schema)
    : versions.filter((entry) => entry.version === 1)
  const db = openDatabase(name, { versions: list })
  await db.mentions.bulkPut(mentions)
  const byId = new Map(mentions.map((m) => [m.id, m]))
  await db.states.bulkPut(
    states.map((state) => ({
      ...(state as never as object),
      createdAt: byId.get(state.id)!.createdAt,
      urgency: 0,
    })) as never,
  )
  if (withLog) await db.table('actions').bulkAdd(actions)
  if (withLog && schema >= 4) await rebuildReportHours(db)
  db.close()
  return { name, db }
}

function harness(name: string) {
  const posted: FromWorker[] = []
  const runner = createReportRunner({
    open: () => openReportSource(name),
    // Everything the worker says must pass the page's own check.
    post: (message) => posted.push(fromWorkerSchema.parse(message)),
    zone: utc,
    chunk: 3,
    hoursPerRead: 24,
  })
  const send = (message: ToWorker) => runner.receive(message)
  const of = (runId: number) => posted.filter((message) => message.runId === runId)
  return { send, of, posted }
}

describe('report worker protocol', () => {
  it('reads the compact rows a day at a time with progress, and posts the report the arrays give', async () => {
    const { name } = await seeded(true)
    const { send, of } = harness(name)
    await send({ type: 'run', runId: 1, settings })
    const messages = of(1)
    // Four days of hours, one read a day.
    expect(messages.filter((m) => m.type === 'progress')).toEqual([
      { type: 'progress', runId: 1, done: 24, total: 96 },
      { type: 'progress', runId: 1, done: 48, total: 96 },
      { type: 'progress', runId: 1, done: 72, total: 96 },
      { type: 'progress', runId: 1, done: 96, total: 96 },
    ])
    const result = messages.at(-1)
    const expected = buildReport(settings, utc, { mentions, states, actions })
    expect(result?.type === 'result' && result.report).toEqual(expected)
  })

  it('reads later hours while it counts, but never holds more than four reads at once', async () => {
    const { name } = await seeded(true)
    const posted: FromWorker[] = []
    const asked: number[] = []
    let inFlight = 0
    let most = 0
    const runner = createReportRunner({
      open: async () => {
        const source = await openReportSource(name)
        const hours = source?.hours
        if (!source || !hours) throw new Error('the seeded history has no compact rows')
        return {
          ...source,
          // Each read answers a tick later, so reads asked ahead are seen in flight together.
          hours: async (from, to) => {
            asked.push(from)
            most = Math.max(most, ++inFlight)
            const records = await hours(from, to)
            await new Promise((resolve) => setTimeout(resolve, 5))
            inFlight--
            return records
          },
        }
      },
      post: (message) => posted.push(fromWorkerSchema.parse(message)),
      zone: utc,
      hoursPerRead: 6,
    })
    await runner.receive({ type: 'run', runId: 1, settings })
    // Sixteen reads of six hours over the four days, asked in time order, four at a time.
    expect(asked).toHaveLength(16)
    expect(asked).toEqual([...asked].sort((a, b) => a - b))
    expect(most).toBe(4)
    const result = posted.at(-1)
    expect(result?.type === 'result' && result.report).toEqual(
      buildReport(settings, utc, { mentions, states, actions }),
    )
  })

  it('without compact rows (before schema 4), streams the range in chunks with the same report', async () => {
    const { name } = await seeded(true, 3)
    const { send, of } = harness(name)
    await send({ type: 'run', runId: 1, settings })
    const messages = of(1)
    // Eight of the nine stored mentions are in range: the whole table is scanned, three a page.
    expect(messages.filter((m) => m.type === 'progress')).toEqual([
      { type: 'progress', runId: 1, done: 3, total: 9 },
      { type: 'progress', runId: 1, done: 6, total: 9 },
      { type: 'progress', runId: 1, done: 9, total: 9 },
    ])
    const result = messages.at(-1)
    expect(result?.type).toBe('result')
    const expected = buildReport(settings, utc, { mentions, states, actions })
    expect(result?.type === 'result' && result.report).toEqual(expected)
  })

  it('without compact rows, fetches a narrow range by id, with the same figures as the arrays give', async () => {
    const { name } = await seeded(true, 3)
    const { send, of } = harness(name)
    // Friday alone holds three of the nine mentions: fetched by id, three a chunk.
    const friday = { ...settings, to: FRI + 24 * 3_600_000 }
    await send({ type: 'run', runId: 1, settings: friday })
    const messages = of(1)
    expect(messages.filter((m) => m.type === 'progress')).toEqual([
      { type: 'progress', runId: 1, done: 3, total: 3 },
    ])
    const result = messages.at(-1)
    const expected = buildReport(friday, utc, { mentions, states, actions })
    expect(result?.type === 'result' && result.report).toEqual(expected)
    expect(expected.mentions).toBe(3)
  })

  it('reads responses from the states where the database has no audit log', async () => {
    const { name } = await seeded(false)
    const { send, of } = harness(name)
    await send({ type: 'run', runId: 1, settings })
    const result = of(1).at(-1)
    expect(result?.type === 'result' && result.report.responses.basis).toBe('states')
    expect(result?.type === 'result' && result.report.responses.answered).toBe(3)
  })

  it('stops a run when it is cancelled, and a newer run replaces an older one', async () => {
    const { name } = await seeded(true)
    const { send, of } = harness(name)
    const cancelled = send({ type: 'run', runId: 2, settings })
    await send({ type: 'cancel', runId: 2 })
    await cancelled
    expect(of(2)).toEqual([{ type: 'cancelled', runId: 2 }])

    const older = send({ type: 'run', runId: 3, settings })
    const newer = send({ type: 'run', runId: 4, settings: { ...settings, minutes: 30 } })
    await Promise.all([older, newer])
    expect(of(3).map((m) => m.type)).toEqual(['cancelled'])
    const result = of(4).at(-1)
    expect(result?.type === 'result' && result.report.staffing.minutesPerConversation).toBe(30)
  })

  it('lists the mentions behind a figure, newest first, without stopping the report', async () => {
    const { name } = await seeded(true)
    const { send, of } = harness(name)
    await Promise.all([
      send({ type: 'run', runId: 5, settings }),
      send({
        type: 'drill',
        runId: 6,
        settings,
        spec: { title: 'social.example', from: FRI, to: TUE, community: 'social.example' },
        limit: 2,
      }),
    ])
    expect(of(5).at(-1)?.type).toBe('result')
    expect(of(6).at(-1)).toEqual({ type: 'drilled', runId: 6, ids: ['m9', 'm5'], total: 3 })
  })

  it('answers a message it cannot read with plain words, and an empty history with an empty report', async () => {
    const { send, of } = harness('never-created')
    await send({ type: 'run', runId: 7, settings: { ...settings, hours: { days: [9] } } } as never)
    expect(of(7)).toEqual([
      {
        type: 'error',
        runId: 7,
        message: 'The report could not start: its settings were not understood.',
      },
    ])
    await send({ type: 'run', runId: 8, settings })
    const result = of(8).at(-1)
    expect(result?.type === 'result' && result.report.mentions).toBe(0)
    expect(result?.type === 'result' && result.report.days).toHaveLength(4)
  })
})

describe('the page side of the protocol', () => {
  /** A client wired to a runner through a channel shaped like a Worker. */
  function connected(name: string) {
    const sent: ToWorker[] = []
    let deliver: ((event: { data: unknown }) => void) | null = null
    const runner = createReportRunner({
      open: () => openReportSource(name),
      post: (message) => deliver?.({ data: structuredClone(message) }),
      zone: utc,
      chunk: 3,
      hoursPerRead: 24,
    })
    const port: WorkerPort = {
      postMessage: (message) => {
        sent.push(message)
        void runner.receive(structuredClone(message))
      },
      set onmessage(handler) {
        deliver = handler
      },
      get onmessage() {
        return deliver
      },
      terminate: () => (deliver = null),
    }
    return { client: new ReportClient(port), sent }
  }

  it('resolves a run with its report and passes progress on', async () => {
    const { name } = await seeded(true)
    const { client } = connected(name)
    const progress: [number, number][] = []
    const outcome = await client.run(settings, (done, total) => progress.push([done, total]))
    expect(outcome.kind === 'done' && outcome.report.mentions).toBe(7)
    expect(progress).toEqual([
      [24, 96],
      [48, 96],
      [72, 96],
      [96, 96],
    ])
  })

  it('cancels the older run when the range changes, and only the newer one resolves with a report', async () => {
    const { name } = await seeded(true)
    const { client, sent } = connected(name)
    const older = client.run(settings)
    const newer = client.run({ ...settings, to: FRI + 24 * 3_600_000 })
    expect(await older).toEqual({ kind: 'cancelled' })
    const outcome = await newer
    expect(outcome.kind === 'done' && outcome.report.mentions).toBe(3)
    expect(sent.map((message) => message.type)).toEqual(['run', 'cancel', 'run'])
  })

  it('lists a drill-down through the client, newest first', async () => {
    const { name } = await seeded(true)
    const { client } = connected(name)
    const spec = { title: 'Directed', from: FRI, to: TUE, conversation: true }
    expect(await client.drill(settings, spec, 10)).toEqual({
      kind: 'done',
      ids: ['m9', 'm5', 'm2', 'm1'],
      total: 4,
    })
  })

  it('turns a worker error into a rejection with its plain words', async () => {
    const { client } = connected('never-created')
    await expect(
      client.run({ ...settings, hours: { days: [1], startHour: 17, endHour: 9 } }),
    ).rejects.toThrow('The report could not start: its settings were not understood.')
  })
})
