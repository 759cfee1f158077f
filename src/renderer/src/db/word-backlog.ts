import type { DBCoreMutateRequest } from 'dexie'
import type { Mention } from '../../../shared/domain'
import type { EarshotDb } from './database'
import { inflowOverlayOf } from './inflow-overlay'
import { searchDocFor, type ParsedQuery, type SearchDoc } from './search-index'
import { watchWrites } from './write-watch'

/*
 * The word index is written after the ingest, not inside it. Its multiEntry keys (about 16 per
 * mention) were half of what an ingest cost on disk, and a mention is in the queue and answerable
 * before anyone searches for it. So each ingest records, in its own transaction, the ids it stored
 * as one backlog row in `meta` (nothing is lost if the page closes before they are indexed); the
 * indexer writes their word rows in idle time, one backlog row (a catch-up page, or a pushed
 * batch) per transaction, deleting the row in the same transaction. Until then a search reads the
 * backlog's mentions and tests their words in memory, so it never misses a stored mention, and a
 * re-delivered mention is judged by its new words, not the old row's.
 */

/** Backlog rows' keys in `meta`: the prefix, then the ingest's top journal sequence, padded. */
export const BACKLOG_PREFIX = 'words:pending:'

export type BacklogRow = { key: `words:pending:${string}`; value: string[] }

const backlogKey = (topSeq: number): BacklogRow['key'] =>
  `${BACKLOG_PREFIX}${String(topSeq).padStart(15, '0')}`

const backlog = (db: EarshotDb) =>
  db.meta.where('key').between(BACKLOG_PREFIX, `${BACKLOG_PREFIX}\uffff`, true, true)

/**
 * Adds the ids one ingest stored to the backlog. Runs inside the ingest's transaction, so the
 * backlog holds exactly the stored mentions. A row already under that key (the journal restarted
 * its numbers) keeps its ids too.
 */
export async function addToBacklog(
  db: EarshotDb,
  topSeq: number,
  ids: readonly string[],
): Promise<void> {
  if (ids.length === 0) return
  const key = backlogKey(topSeq)
  const known = (await db.meta.get(key)) as BacklogRow | undefined
  const value = known ? [...new Set([...known.value, ...ids])] : [...ids]
  await db.meta.put({ key, value })
}

/** Every id waiting for its word row, oldest backlog row first. */
export async function backlogIds(db: EarshotDb): Promise<string[]> {
  const rows = (await backlog(db).toArray()) as BacklogRow[]
  return [...new Set(rows.flatMap((row) => row.value))]
}

/** Mentions read per request while a search reads the backlog. */
const READ_PAGE = 1000

/**
 * The word rows the backlog's mentions will get, made now from their stored content, and those of
 * the delivered mentions still in the inflow (inflow.ts), from their content as delivered.
 */
export async function backlogDocs(db: EarshotDb): Promise<SearchDoc[]> {
  const ids = await backlogIds(db)
  const docs = new Map<string, SearchDoc>()
  for (let at = 0; at < ids.length; at += READ_PAGE) {
    const mentions = await db.mentions.bulkGet(ids.slice(at, at + READ_PAGE))
    for (const mention of mentions) if (mention) docs.set(mention.id, searchDocFor(mention))
  }
  // The inflow's copy is the newer one.
  for (const { mention } of inflowOverlayOf(db).entries()) {
    docs.set(mention.id, searchDocFor(mention))
  }
  return [...docs.values()]
}

/** Whether a word row holds every word of the query and, when there is one, the prefix. */
export function docMatches(doc: SearchDoc, query: ParsedQuery): boolean {
  if (!query.words.every((word) => doc.words.includes(word))) return false
  const { prefix } = query
  return prefix === null || doc.words.some((word) => word.startsWith(prefix))
}

/**
 * Mentions indexed per transaction. The indexer's transaction shares `meta` with the ingest's, so
 * an ingest arriving meanwhile waits for it: a catch-up page's 5,000 mentions in one go held the
 * next page back for seconds, 1,000 for a fraction of one.
 */
export const INDEX_CHUNK = 1000

/*
 * The mentions this page's ingests stored, held until their word rows are written, so the indexer
 * makes the rows from them rather than reading them back: those reads were a tenth or more of a
 * catch-up's word-index time, which writing the same rows raw does not pay. A held mention is
 * always the stored content: every write to `mentions` (an ingest's own, a correction, an import,
 * a restore's clear) drops the ids it touches first (a Dexie middleware, `attachHeldMentions`),
 * and an ingest holds its mentions only once its transaction has committed, and only if no other
 * write to `mentions` was asked for meanwhile (one queued behind it would commit after it). The indexer reads the
 * others (a page that closed before indexing, beyond HOLD_LIMIT, or dropped). Another window's
 * writes are not seen here: a mention it stored again with new content is in its own, later
 * backlog row, indexed after this one, so the word row still ends with the newest words.
 */

/** Mentions held per page at most; beyond that the indexer reads them back. */
export const HOLD_LIMIT = 20_000

/** Per database: the mentions held, and how many writes to `mentions` were asked for (a bulk one counts once). */
const heldMentions = new WeakMap<EarshotDb, { mentions: Map<string, Mention>; writes: number }>()

/** A mark to take before an ingest's transaction, for `holdIngested`. */
export const writesSoFar = (db: EarshotDb): number => heldMentions.get(db)?.writes ?? 0

/**
 * Holds what an ingest stored, once it has committed, for the indexer. `before` is `writesSoFar`
 * from before its transaction: a write asked for meanwhile, other than the ingest's own, may have
 * committed after it with other content (it dropped its ids before the ingest could hold them),
 * so then nothing is held and the indexer reads what is stored.
 */
export function holdIngested(db: EarshotDb, mentions: readonly Mention[], before: number): void {
  const held = heldMentions.get(db)
  if (!held || held.mentions.size + mentions.length > HOLD_LIMIT) return
  if (held.writes !== before + 1) return
  for (const mention of mentions) held.mentions.set(mention.id, mention)
}

/** Drops the held mentions a write to `mentions` is about to replace or remove. */
function dropWritten(held: Map<string, Mention>, request: DBCoreMutateRequest): void {
  switch (request.type) {
    case 'add':
    case 'put':
      for (const value of request.values as Mention[]) held.delete(value.id)
      return
    case 'delete':
      for (const key of request.keys as string[]) held.delete(key)
      return
    case 'deleteRange':
      held.clear()
  }
}

/** Installs the held mentions and their invalidation on a database before it opens. */
export function attachHeldMentions(db: EarshotDb): void {
  const held = { mentions: new Map<string, Mention>(), writes: 0 }
  heldMentions.set(db, held)
  db.use(
    watchWrites('earshot-held-mentions', 'mentions', (request, down) => {
      held.writes += 1
      dropWritten(held.mentions, request)
      return down(request)
    }),
  )
}

/**
 * Writes the word rows of the oldest backlog row's first INDEX_CHUNK ids and takes them off the
 * row (deleting it once empty), in one transaction, from the held mentions where it can. Resolves
 * with how many mentions were indexed, or null when the backlog is empty.
 */
export async function indexBacklog(db: EarshotDb): Promise<number | null> {
  const start = performance.now()
  const held = heldMentions.get(db)?.mentions
  const done = await db.transaction('rw', [db.meta, db.mentions, db.search], async () => {
    const [row] = (await backlog(db).limit(1).toArray()) as BacklogRow[]
    if (!row) return null
    const ids = row.value.slice(0, INDEX_CHUNK)
    const mentions: Mention[] = []
    const missing: string[] = []
    for (const id of ids) {
      const mention = held?.get(id)
      if (mention) mentions.push(mention)
      else missing.push(id)
    }
    if (missing.length > 0) {
      for (const mention of await db.mentions.bulkGet(missing)) if (mention) mentions.push(mention)
    }
    await db.search.bulkPut(mentions.map(searchDocFor))
    const rest = row.value.slice(INDEX_CHUNK)
    if (rest.length > 0) await db.meta.put({ key: row.key, value: rest })
    else await db.meta.delete(row.key)
    return ids
  })
  if (done === null) return null
  // Indexed: no longer needed (a later backlog row holding one of them reads it back).
  for (const id of done) held?.delete(id)
  // The ingest benchmark reads these entries: the word index has caught up at the last one.
  performance.measure('earshot:word-index', { start, detail: { count: done.length } })
  return done.length
}

/** Indexes the whole backlog now; resolves with how many mentions got their word rows. */
export async function indexWholeBacklog(db: EarshotDb): Promise<number> {
  let total = 0
  for (;;) {
    const indexed = await indexBacklog(db)
    if (indexed === null) return total
    total += indexed
  }
}

export type WordIndexer = {
  /** Asks for the backlog to be indexed once the page is quiet. */
  wake: () => void
  /** Resolves once the backlog is empty (or the indexer stopped); for tests and benchmarks. */
  idle: () => Promise<void>
  stop: () => void
}

const indexers = new WeakMap<EarshotDb, WordIndexer>()

/** Ingests under way per database: the indexer starts no transaction while there are any. */
const ingests = new WeakMap<EarshotDb, number>()

const ingesting = (db: EarshotDb): boolean => (ingests.get(db) ?? 0) > 0

/**
 * Wakes the page's indexer, if it runs one (tests that store without it search through the
 * backlog). Called after each ingest commits.
 */
export const wakeWordIndexer = (db: EarshotDb): void => indexers.get(db)?.wake()

/**
 * Keeps the indexer's transactions out of the way of an ingest, from its start until the returned
 * release, which wakes the indexer. An indexer transaction begun meanwhile (its quiet time ran out
 * between two catch-up pages) shares `meta` and `mentions` with the ingest, so it queued behind it,
 * and the next page's ingest queued behind the indexer: a catch-up's pages no longer go back to
 * back. Its measured time also counted the wait for the ingest (1.3 s of 2 s, in the ingest bench).
 */
export function holdWordIndexer(db: EarshotDb): () => void {
  ingests.set(db, (ingests.get(db) ?? 0) + 1)
  let released = false
  return () => {
    if (released) return
    released = true
    ingests.set(db, (ingests.get(db) ?? 1) - 1)
    wakeWordIndexer(db)
  }
}

/**
 * Indexes the backlog in the page's quiet time, a backlog row per transaction. Each ingest wakes
 * it; it waits `quietMs` after the last wake, so a catch-up's pages are stored back to back (the
 * queue shows them) before their words are written. It also runs once at start, for a backlog a
 * closed page left.
 */
export function startWordIndexer(db: EarshotDb, options: { quietMs?: number } = {}): WordIndexer {
  const quietMs = options.quietMs ?? 500
  let timer: ReturnType<typeof setTimeout> | undefined
  let running: Promise<void> | null = null
  let stopped = false
  let again = false
  let waiters: (() => void)[] = []

  const settle = () => {
    const done = waiters
    waiters = []
    for (const resolve of done) resolve()
  }

  const nextTick = () =>
    new Promise<void>((resolve) => {
      if (typeof requestIdleCallback === 'function')
        requestIdleCallback(() => resolve(), { timeout: 1000 })
      else setTimeout(resolve, 0)
    })

  const run = async () => {
    do {
      again = false
      for (;;) {
        // An ingest's release wakes the indexer again.
        if (stopped || ingesting(db)) return
        // A failure (a full disk, a closed database) leaves the backlog for the next wake.
        const indexed = await indexBacklog(db).catch(() => null)
        if (indexed === null) break
        await nextTick()
      }
    } while (again && !stopped)
  }

  const launch = () => {
    timer = undefined
    // The ingest's release wakes it again.
    if (ingesting(db)) return
    if (running) {
      again = true
      return
    }
    running = run().finally(() => {
      running = null
      if (timer === undefined && !ingesting(db)) settle()
    })
  }

  const indexer: WordIndexer = {
    wake() {
      if (stopped) return
      clearTimeout(timer)
      timer = setTimeout(launch, quietMs)
    },
    idle() {
      if (stopped || (timer === undefined && running === null && !ingesting(db)))
        return Promise.resolve()
      return new Promise((resolve) => waiters.push(resolve))
    },
    stop() {
      stopped = true
      clearTimeout(timer)
      timer = undefined
      indexers.delete(db)
      settle()
    },
  }
  indexers.set(db, indexer)
  indexer.wake()
  return indexer
}
