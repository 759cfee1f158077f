import type { Batch, Mention } from '../../../shared/domain'
import type { EarshotDb, InflowRow } from './database'
import { moveLastSeq, storeMentions } from './ingest'
import { inflowOverlayOf } from './inflow-overlay'
import { holdWordIndexer } from './word-backlog'

/*
 * Delivered mentions are stored in two steps. The ingest (`receiveBatches`) writes each chunk of a
 * delivered page as one record of the `inflow` table, and moves lastSeq, in one transaction: the
 * page is on disk and acked once that commits. Then the spread (`spreadInflow`) moves one inflow
 * row at a time into `mentions`, `states`, the report rows and the word backlog, deleting the row
 * in the same transaction (ingest.ts storeMentions, the writes an ingest used to make itself).
 *
 * Why: Chromium's IndexedDB spends about 90 µs per record written, whatever its size, and a
 * mention costs two records (content and state) plus their index entries. A catch-up of 10,000
 * mentions took near three seconds to store that way; as inflow rows, a tenth of one. The page
 * shows the mentions meanwhile from memory (inflow-overlay.ts): reads by id, the states mirror and
 * search see them as soon as the inflow row commits; index ranges once spread.
 *
 * Nothing is lost: a page closed before spreading leaves its rows, spread at the next start. A
 * write to a mention's content other than the spread (a correction, an import, a restore) calls
 * `settleInflow` first, so the spread of an older delivery never lands on top of it; so do the
 * readers of the whole history (export, backup, reports).
 */

/**
 * Mentions per inflow row, and so per spread transaction: a catch-up page's worth. Rows of 1,000
 * stored a catch-up as quickly, but the history they were spread into read slower just after: in
 * the queue benchmark at 100,000, the states mirror loaded about a second later and scroll frames
 * took 17 ms against 12-14. A live batch arriving during a spread waits for it (a second or so
 * for a whole page, as it waited for a page's ingest before the inflow).
 */
export const INFLOW_CHUNK = 5000

export type ReceiveResult = { stored: number; lastSeq: number }

/**
 * Stores delivered batches as inflow rows and moves lastSeq, in one transaction; then the overlay
 * shows them. If anything fails nothing is written. The `earshot:ingest` measure, which the
 * benchmarks read, times this step.
 */
export async function receiveBatches(
  db: EarshotDb,
  batches: readonly Batch[],
  now: number = Date.now(),
): Promise<ReceiveResult> {
  const mentions = batches.flatMap((batch) => batch.mentions)
  const topSeq = batches.reduce((max, batch) => Math.max(max, batch.seq), 0)
  const start = `earshot:ingest:start:${topSeq}`
  performance.mark(start)
  // The word indexer's transaction shares `meta`: it would hold this one up.
  const release = holdWordIndexer(db)
  try {
    const rows: InflowRow[] = []
    for (let at = 0; at < mentions.length; at += INFLOW_CHUNK) {
      rows.push({ seq: topSeq, at: now, mentions: mentions.slice(at, at + INFLOW_CHUNK) })
    }
    const lastSeq = await db.transaction('rw', [db.inflow, db.meta], async () => {
      const [keys, last] = await Promise.all([
        rows.length > 0 ? db.inflow.bulkAdd(rows, { allKeys: true }) : Promise.resolve([]),
        moveLastSeq(db, topSeq),
      ])
      keys.forEach((key, at) => (rows[at]!.id = Number(key)))
      return last
    })
    inflowOverlayOf(db).add(rows)
    performance.measure('earshot:ingest', { start, detail: { count: mentions.length } })
    return { stored: mentions.length, lastSeq }
  } finally {
    release()
    performance.clearMarks(start)
  }
}

/** Runs after each spread with the row's mentions (the "answered elsewhere" check). */
export type SpreadHook = (mentions: readonly Mention[]) => Promise<unknown>

const hooks = new WeakMap<EarshotDb, Set<SpreadHook>>()

/** Adds a hook run after every spread of this database in this page; returns its removal. */
export function onSpread(db: EarshotDb, hook: SpreadHook): () => void {
  let set = hooks.get(db)
  if (!set) hooks.set(db, (set = new Set()))
  set.add(hook)
  return () => set.delete(hook)
}

/** One spread at a time per database in this page: the spreader and a settle share it. */
const locks = new WeakMap<EarshotDb, Promise<unknown>>()

function locked<T>(db: EarshotDb, work: () => Promise<T>): Promise<T> {
  const before = locks.get(db) ?? Promise.resolve()
  const run = before.then(work, work)
  locks.set(
    db,
    run.catch(() => undefined),
  )
  return run
}

/**
 * Spreads the oldest inflow row into the tables, deleting it in the same transaction, then runs
 * the spread hooks. Resolves with the row, or null when the inflow is empty.
 */
export function spreadInflow(db: EarshotDb): Promise<InflowRow | null> {
  return locked(db, async () => {
    const overlay = inflowOverlayOf(db)
    for (;;) {
      // Rows held before the keys are read, committed before: gone from the table, another window
      // spread them, and their mentions are in the tables.
      const held = overlay.rowKeys()
      const keys = (await db.inflow.toCollection().primaryKeys()) as number[]
      for (const known of held) if (!keys.includes(known)) overlay.drop(known)
      if (keys.length === 0) return null
      const key = Math.min(...keys)
      const start = performance.now()
      const row = overlay.row(key) ?? (await db.inflow.get(key))
      // Another window spread it meanwhile.
      if (!row) continue
      await storeMentions(db, row.mentions, row.seq, row.at, {
        tables: [db.inflow],
        inside: async () => {
          await db.inflow.delete(key)
          return {}
        },
      })
      overlay.drop(key)
      // The ingest benchmark reads these entries.
      performance.measure('earshot:spread', { start, detail: { count: row.mentions.length } })
      for (const hook of hooks.get(db) ?? []) {
        // Best effort by design: the mentions are stored, and a hook is a refinement.
        await hook(row.mentions).catch(() => undefined)
      }
      return row
    }
  })
}

/**
 * Spreads every inflow row now. Call before writing a mention's content other than by ingest,
 * and before reading the whole history, so neither misses nor undoes a delivered mention.
 */
export async function settleInflow(db: EarshotDb): Promise<void> {
  while ((await spreadInflow(db)) !== null);
}

/** Takes in the rows a page closed before spreading left behind. */
export async function loadInflow(db: EarshotDb): Promise<void> {
  inflowOverlayOf(db).add(await db.inflow.toArray())
}

export type Spreader = {
  /** Spreads what waits, unless held. */
  wake: () => void
  /** Holds spreading (a catch-up is under way) until the returned release, which wakes it. */
  hold: () => () => void
  /** Resolves once nothing waits or is held (or the spreader stopped); for tests and shutdown. */
  idle: () => Promise<void>
  stop: () => void
}

/**
 * Spreads the inflow in the page's time between deliveries: a delivery in progress holds it, so
 * a catch-up's pages are received back to back, and their rows are spread after. Starts with the
 * rows an earlier page left. `onError` hears a failed spread (the rows wait for the next wake),
 * `onSpread` each one that succeeded.
 */
export function startSpreader(
  db: EarshotDb,
  options: { onError?: (cause: unknown) => void; onSpread?: () => void } = {},
): Spreader {
  let holds = 0
  let stopped = false
  let running: Promise<void> | null = null
  let again = false
  let waiters: (() => void)[] = []

  const settle = () => {
    if (running || (holds > 0 && !stopped)) return
    const done = waiters
    waiters = []
    for (const resolve of done) resolve()
  }

  const run = async () => {
    do {
      again = false
      for (;;) {
        if (stopped || holds > 0) return
        let row: InflowRow | null
        try {
          row = await spreadInflow(db)
        } catch (cause) {
          options.onError?.(cause)
          return
        }
        if (row === null) break
        options.onSpread?.()
      }
    } while (again && !stopped)
  }

  const spreader: Spreader = {
    wake() {
      if (stopped || holds > 0) return
      if (running) {
        again = true
        return
      }
      running = run().finally(() => {
        running = null
        settle()
      })
    },
    hold() {
      holds += 1
      let released = false
      return () => {
        if (released) return
        released = true
        holds -= 1
        if (holds === 0) spreader.wake()
        settle()
      }
    },
    idle() {
      if (stopped || (running === null && holds === 0)) return Promise.resolve()
      return new Promise((resolve) => waiters.push(resolve))
    },
    stop() {
      stopped = true
      settle()
    },
  }
  const release = spreader.hold()
  void loadInflow(db)
    .catch(() => undefined)
    .finally(release)
  return spreader
}
