import type { Mention } from '../../../shared/domain'
import { URGENT_AT } from '../../../shared/domain'
import type { QueueFilter, QueueSort } from '../store/view-slice'
import type { EarshotDb, ResponderState } from './database'

export type QueueRow = { mention: Mention; state: ResponderState | undefined }
export type QueueCounts = { open: number; done: number; all: number }

const URGENCY_LEVELS = Array.from({ length: 101 }, (_, level) => 100 - level)

/**
 * The queue's ids in display order. Only keys are read, through indexes (getAllKeys), so this stays
 * in the tens of milliseconds at 100,000 mentions; rows are loaded per visible window.
 */
export async function loadQueueIds(
  db: EarshotDb,
  filter: QueueFilter,
  sort: QueueSort,
): Promise<string[]> {
  return db.transaction('r', db.mentions, db.states, async () => {
    // Forward key reads use getAllKeys everywhere; reversing in memory is cheaper than a cursor.
    const byTime = (await db.mentions.orderBy('createdAt').primaryKeys()).reverse()
    const ordered = sort === 'time' ? byTime : await orderByUrgency(db, byTime)
    if (filter === 'all') return ordered
    const wanted = new Set(await db.states.where('status').equals(filter).primaryKeys())
    return ordered.filter((id) => wanted.has(id))
  })
}

/** Most urgent first; equal urgency newest first. One key read per urgency level. */
async function orderByUrgency(db: EarshotDb, newestFirst: string[]): Promise<string[]> {
  const rank = new Map<string, number>()
  newestFirst.forEach((id, index) => rank.set(id, index))
  const levels = await Promise.all(
    URGENCY_LEVELS.map((level) => db.mentions.where('triage.urgency').equals(level).primaryKeys()),
  )
  return levels.flatMap((ids) =>
    ids.length > 1 ? ids.sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0)) : ids,
  )
}

export async function loadQueueCounts(db: EarshotDb): Promise<QueueCounts> {
  return db.transaction('r', db.mentions, db.states, async () => {
    const [open, done, all] = await Promise.all([
      db.states.where('status').equals('open').count(),
      db.states.where('status').equals('done').count(),
      db.mentions.count(),
    ])
    return { open, done, all }
  })
}

/** Content and state for the ids on screen; ids not stored (yet) are left out. */
export async function loadQueueRows(db: EarshotDb, ids: string[]): Promise<QueueRow[]> {
  return db.transaction('r', db.mentions, db.states, async () => {
    const [mentions, states] = await Promise.all([db.mentions.bulkGet(ids), db.states.bulkGet(ids)])
    const rows: QueueRow[] = []
    mentions.forEach((mention, index) => {
      if (mention) rows.push({ mention, state: states[index] })
    })
    return rows
  })
}

/** Open mentions at or above URGENT_AT: the tray count. */
export async function countUnhandledUrgent(db: EarshotDb): Promise<number> {
  return db.transaction('r', db.mentions, db.states, async () => {
    const urgent = await db.mentions.where('triage.urgency').aboveOrEqual(URGENT_AT).primaryKeys()
    const states = await db.states.bulkGet(urgent)
    return states.filter((state) => state?.status !== 'done').length
  })
}
