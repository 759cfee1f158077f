/* The report worker's logic, apart from the worker global so it runs in tests: reads the range in
   chunks, posts progress between them, and stops when a newer run or a cancel arrives. A database
   with the report's compact rows (schema v4) is read through them; an older one by its mentions. */
import { describeError } from '../../../../shared/result'
import { createReportBuilder } from './compute/build'
import type { LocalZone } from './compute/calendar'
import { createRowReportBuilder } from './compute/build-rows'
import { drillMatcher, rowMatcher } from './compute/drill'
import { columnsOf, decodeHour, hourOf, HOUR_MS, type ReportHour } from './compute/rows'
import type { Mention } from '../../../../shared/domain'
import type { ReportSettings, ReportState } from './compute/types'
import { toWorkerSchema, type FromWorker } from './protocol'
import type { ReportSource } from './report-source'

/** Mentions read per chunk: small enough to answer a cancel quickly, large enough to be quick. */
export const CHUNK = 2000
/** Hours of compact rows read at once: a week, about 15,000 rows at 200,000 mentions a quarter. */
export const HOURS_PER_READ = 24 * 7
/**
 * Reads of hour records in flight at once, the one being counted next among them. The database
 * serves the worker's reads in turn, and the quotes' reads queue between the weeks': with one read
 * ahead, counting waited on the next week behind them (a third of a 90-day report). A month of
 * records in flight is a few MB.
 */
export const READS_IN_FLIGHT = 4

export type ReportRunner = { receive(message: unknown): Promise<void> }

/** Milliseconds spent per named step of one run, summed over its chunks (and `quoteMentions`, a count). */
export type Steps = Record<string, number>

/** Adds the time since `since` to a step and returns now, for the next step to start from. */
function lap(steps: Steps, step: string, since: number): number {
  const now = performance.now()
  steps[step] = (steps[step] ?? 0) + (now - since)
  return now
}

export function createReportRunner(options: {
  open: () => Promise<ReportSource | null>
  post: (message: FromWorker) => void
  zone: LocalZone
  chunk?: number
  hoursPerRead?: number
  readsInFlight?: number
}): ReportRunner {
  const { post, zone } = options
  const chunk = options.chunk ?? CHUNK
  const hoursPerRead = options.hoursPerRead ?? HOURS_PER_READ
  const readsInFlight = options.readsInFlight ?? READS_IN_FLIGHT
  /** The report and the drill-down allowed to go on; any other stops at its next chunk. */
  const current = { run: -1, drill: -1 }

  /**
   * Visits every mention created in [from, to) with its state. A range holding most of the history
   * is read by scanning the mentions in pages (one bulk read each); a narrow one fetches its
   * mentions by id. Returns false when a newer request or a cancel stopped it.
   */
  async function stream(
    db: ReportSource | null,
    track: keyof typeof current,
    runId: number,
    settings: ReportSettings,
    visit: (mention: Mention, state: ReportState | undefined) => void,
  ): Promise<boolean> {
    if (db === null) return true
    const { from, to } = settings
    const states = await db.statesIn(from, to)
    const total = await db.countMentions()
    if (current[track] !== runId) return false
    if (states.size < total / 2) {
      const ids = [...states.keys()]
      for (let at = 0; at < ids.length; at += chunk) {
        if (current[track] !== runId) return false
        const page = ids.slice(at, at + chunk)
        const found = await db.mentions(page)
        found.forEach((mention, index) => {
          if (mention) visit(mention, states.get(page[index] ?? ''))
        })
        post({ type: 'progress', runId, done: Math.min(at + chunk, ids.length), total: ids.length })
      }
    } else {
      let after: string | null = null
      let done = 0
      for (;;) {
        if (current[track] !== runId) return false
        const page = await db.scan(after, chunk)
        if (page.length === 0) break
        for (const mention of page) {
          if (mention.createdAt >= from && mention.createdAt < to) {
            visit(mention, states.get(mention.id))
          }
        }
        done += page.length
        post({ type: 'progress', runId, done: Math.min(done, total), total })
        const last = page.at(-1)
        if (page.length < chunk || last === undefined) break
        after = last.id
      }
    }
    return current[track] === runId
  }

  /**
   * Visits the hour records of [from, to) in time order, a week of hours per read, the next
   * weeks already being read while this one is counted (`READS_IN_FLIGHT`). Returns false when a newer
   * request or a cancel stopped it. After each week, `settle` hears the time every row before
   * which was visited. `steps` gets the time waited on reading and the time spent visiting.
   */
  async function hourRecords(
    read: NonNullable<ReportSource['hours']>,
    track: keyof typeof current,
    runId: number,
    range: { from: number; to: number },
    visitor: Promise<{ visit: (record: ReportHour) => void; settle?: (at: number) => void }>,
    steps: Steps = {},
  ): Promise<boolean> {
    const first = hourOf(range.from)
    const end = range.to > range.from ? hourOf(range.to - 1) + 1 : first
    /** Reads asked for, oldest first; `next` is where the next one starts. */
    const reading: Promise<ReportHour[]>[] = []
    let next = first
    const readAhead = () => {
      while (next < end && reading.length < readsInFlight) {
        const request = read(next, Math.min(end, next + hoursPerRead))
        // A read left behind by a cancel or a failure must not fail unheard; awaited, it still throws.
        request.catch(() => undefined)
        reading.push(request)
        next += hoursPerRead
      }
    }
    readAhead()
    const waited = performance.now()
    const { visit, settle } = await visitor
    lap(steps, 'prepare', waited)
    for (let at = first; at < end; at += hoursPerRead) {
      let t = performance.now()
      const records = (await reading.shift()) ?? []
      if (current[track] !== runId) return false
      // The following weeks are read while this one is counted.
      readAhead()
      t = lap(steps, 'read', t)
      for (const record of records) visit(record)
      settle?.(Math.min(end, at + hoursPerRead) * HOUR_MS)
      lap(steps, 'count', t)
      const done = Math.min(end, at + hoursPerRead) - first
      post({ type: 'progress', runId, done, total: end - first })
    }
    return current[track] === runId
  }

  async function run(
    db: ReportSource | null,
    runId: number,
    settings: ReportSettings,
  ): Promise<void> {
    const steps: Steps = {}
    if (db?.hours) {
      // The audit log is read while the first week of rows is: counting needs it from the start.
      // Only the issues' quotes read mentions: a few per day, by id, while later days count.
      const quotes = async (ids: string[]) => {
        const start = performance.now()
        const found = await db.mentions(ids)
        steps.quotesRead = (steps.quotesRead ?? 0) + (performance.now() - start)
        // A count, not a time: how many mentions the quotes cost (the bench reads as many raw).
        steps.quoteMentions = (steps.quoteMentions ?? 0) + ids.length
        return found
      }
      const building = db
        .readActions()
        .then((actions) => createRowReportBuilder(settings, zone, actions, quotes))
      const visitor = building.then((compact) => ({
        visit(record: ReportHour) {
          const start = performance.now()
          const columns = columnsOf(record)
          steps.parse = (steps.parse ?? 0) + (performance.now() - start)
          compact.add(columns)
        },
        settle: (at: number) => compact.settle(at),
      }))
      const finished = await hourRecords(db.hours, 'run', runId, settings, visitor, steps)
      if (!finished) return post({ type: 'cancelled', runId })
      const t = performance.now()
      const report = await (await building).finish()
      lap(steps, 'finish', t)
      if (current.run !== runId) return post({ type: 'cancelled', runId })
      return post({ type: 'result', runId, report, steps: rounded(steps) })
    }
    const actions = db === null ? null : await db.readActions()
    if (current.run !== runId) return post({ type: 'cancelled', runId })
    const builder = createReportBuilder(settings, zone, actions)
    const finished = await stream(db, 'run', runId, settings, (mention, state) =>
      builder.add(mention, state),
    )
    if (!finished) return post({ type: 'cancelled', runId })
    post({ type: 'result', runId, report: builder.finish() })
  }

  /** Steps to a tenth of a millisecond: the bench prints them. */
  const rounded = (steps: Steps): Steps =>
    Object.fromEntries(Object.entries(steps).map(([step, ms]) => [step, Math.round(ms * 10) / 10]))

  async function drill(
    db: ReportSource | null,
    runId: number,
    settings: ReportSettings,
    spec: Parameters<typeof drillMatcher>[0],
    limit: number,
  ): Promise<void> {
    const found: { id: string; createdAt: number }[] = []
    let finished: boolean
    if (db?.hours) {
      // The rows say everything a figure counted by: no mention is read.
      const matches = rowMatcher(spec, settings.terms)
      const visit = (record: ReportHour) => {
        for (const row of decodeHour(record)) {
          if (row.createdAt >= settings.from && row.createdAt < settings.to && matches(row)) {
            found.push(row)
          }
        }
      }
      finished = await hourRecords(db.hours, 'drill', runId, settings, Promise.resolve({ visit }))
    } else {
      const matches = drillMatcher(spec, settings.terms)
      finished = await stream(db, 'drill', runId, settings, (mention, state) => {
        if (matches(mention, state)) found.push(mention)
      })
    }
    if (!finished) return post({ type: 'cancelled', runId })
    // Newest first: a scan visits mentions in id order, not by time.
    found.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1))
    const ids = found.slice(0, limit).map((mention) => mention.id)
    post({ type: 'drilled', runId, ids, total: found.length })
  }

  return {
    async receive(message) {
      const parsed = toWorkerSchema.safeParse(message)
      if (!parsed.success) {
        const runId = (message as { runId?: unknown } | null)?.runId
        post({
          type: 'error',
          runId: typeof runId === 'number' && runId >= 0 ? runId : 0,
          message: 'The report could not start: its settings were not understood.',
        })
        return
      }
      const request = parsed.data
      if (request.type === 'cancel') {
        if (current.run === request.runId) current.run = -1
        if (current.drill === request.runId) current.drill = -1
        return
      }
      current[request.type] = request.runId
      // Opened per request and closed after: a connection held open between reports would stand
      // in the way of the page upgrading its schema.
      let db: ReportSource | null = null
      try {
        db = await options.open()
        if (request.type === 'run') await run(db, request.runId, request.settings)
        else {
          const range = { ...request.settings, from: request.spec.from, to: request.spec.to }
          await drill(db, request.runId, range, request.spec, request.limit)
        }
      } catch (cause) {
        post({
          type: 'error',
          runId: request.runId,
          message: `The report could not read your history: ${describeError(cause)}`,
        })
      } finally {
        db?.close()
      }
    },
  }
}
