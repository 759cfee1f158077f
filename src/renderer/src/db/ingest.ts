import { Dexie, type Table } from 'dexie'
import type { Batch, Mention } from '../../../shared/domain'
import { readLastSeq, type EarshotDb, type ResponderState } from './database'
import { putReportRows, rowsOf } from './report-hours'
import { decisionOf, initialStatus, stateFor } from './state-keys'
import { addToBacklog, holdIngested, holdWordIndexer, writesSoFar } from './word-backlog'

const isDefined = <T>(value: T | undefined): value is T => value !== undefined

export type IngestResult = { stored: number; created: number; lastSeq: number }

/**
 * Stores delivered batches in one transaction: content is replaced, a responder state is created
 * only where none exists (an existing one keeps its status and takes the new copied keys), and
 * lastSeq only moves forward. If anything fails nothing is written. A catch-up passes a page of
 * batches at once: one transaction instead of one per batch. The word index is written after, in
 * the page's quiet time: the transaction adds the ids to its backlog (word-backlog.ts), which
 * searches read meanwhile.
 */
export async function ingestBatches(
  db: EarshotDb,
  batches: readonly Batch[],
  now: number = Date.now(),
): Promise<IngestResult> {
  const mentions = batches.flatMap((batch) => batch.mentions)
  const topSeq = batches.reduce((max, batch) => Math.max(max, batch.seq), 0)
  const start = `earshot:ingest:start:${topSeq}`
  performance.mark(start)
  try {
    const result = await storeMentions(db, mentions, topSeq, now, {
      tables: [db.meta],
      inside: async () => ({ lastSeq: await moveLastSeq(db, topSeq) }),
    })
    // The ingest benchmark reads these entries.
    performance.measure('earshot:ingest', { start, detail: { count: mentions.length } })
    return { stored: mentions.length, created: result.created, lastSeq: result.lastSeq }
  } finally {
    performance.clearMarks(start)
  }
}

/**
 * Stores mentions with their responder states, report rows and word backlog, in one transaction
 * that also runs `extra.inside` over `extra.tables` (the ingest moves lastSeq; a spread of the
 * inflow, inflow.ts, deletes its row). The last copy of a mention repeated in `mentions` wins.
 * `backlogSeq` keys the word backlog's row. Resolves with how many states were created and what
 * `inside` resolved with.
 */
export async function storeMentions<T extends object>(
  db: EarshotDb,
  mentions: readonly Mention[],
  backlogSeq: number,
  now: number,
  extra: { tables: Table[]; inside: () => Promise<T> },
): Promise<T & { created: number }> {
  // The last copy of a mention repeated within the page wins, as it does for the content.
  const fresh = [
    ...new Map<string, Mention>(mentions.map((mention) => [mention.id, mention])).values(),
  ]
  // The word indexer waits: its transaction would queue behind this one, and the next behind it.
  const release = holdWordIndexer(db)
  const writesBefore = writesSoFar(db)
  try {
    const result = await db.transaction(
      'rw',
      [db.mentions, db.states, db.meta, db.reportHours, ...extra.tables],
      async () => {
        // Directed mentions land in Inbox, overheard ones in Watching.
        const states = fresh.map((mention): ResponderState =>
          stateFor(mention, { status: initialStatus(mention), updatedAt: now }),
        )
        // All the writes are issued at once rather than one store after another, so the page's
        // work on the next rows (cloning them, reading their index keys) overlaps the browser's
        // work on the last ones. They still commit or fail together.
        const [, , added, own] = await Promise.all([
          db.mentions.bulkPut(fresh),
          // The word index follows, in quiet time: a re-delivered mention's row is made again
          // from its new content.
          addToBacklog(
            db,
            backlogSeq,
            fresh.map((mention) => mention.id),
          ),
          addStates(db, states, fresh),
          extra.inside(),
        ])
        // The report's rows follow content and final state; a known mention's old row is replaced.
        await putReportRows(db.reportHours, rowsOf(fresh, states), added.known)
        return { ...own, created: added.created }
      },
    )
    // Stored: the word indexer makes their rows from these rather than reading them back.
    holdIngested(db, fresh, writesBefore)
    return result
  } finally {
    // Wakes the indexer, also after a failure: earlier ingests' backlog still waits.
    release()
  }
}

/**
 * Most of a page is new: adds states blind, then looks up only the ones that already existed,
 * which keep the responder's decision and take the new copied keys. `states[i]` belongs to
 * `fresh[i]` and is replaced in place by what was finally written. Resolves with how many were
 * created and the states that existed before. Runs inside the ingest transaction.
 */
async function addStates(
  db: EarshotDb,
  states: ResponderState[],
  fresh: readonly Mention[],
): Promise<{ created: number; known: ResponderState[] }> {
  try {
    await db.states.bulkAdd(states)
    return { created: states.length, known: [] }
  } catch (cause) {
    if (!(cause instanceof Dexie.BulkError)) throw cause
    const clashes = Object.keys(cause.failuresByPos).map(Number)
    const known = await db.states.bulkGet(clashes.map((pos) => states[pos]!.id))
    clashes.forEach((pos, index) => {
      const existing = known[index]
      // The responder's decision stays; the copied keys follow the new content.
      if (existing) states[pos] = stateFor(fresh[pos]!, decisionOf(existing))
    })
    await db.states.bulkPut(clashes.map((pos) => states[pos]!))
    return { created: states.length - clashes.length, known: known.filter(isDefined) }
  }
}

/** lastSeq only moves forward; resolves with the stored value. Runs inside the transaction. */
export async function moveLastSeq(db: EarshotDb, topSeq: number): Promise<number> {
  const lastSeq = Math.max(await readLastSeq(db), topSeq)
  await db.meta.put({ key: 'lastSeq', value: lastSeq })
  return lastSeq
}

/** Stores one pushed batch. */
export const ingestBatch = (db: EarshotDb, batch: Batch, now: number = Date.now()) =>
  ingestBatches(db, [batch], now)
