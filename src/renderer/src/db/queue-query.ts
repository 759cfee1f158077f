import { Dexie, type IndexableType } from 'dexie'
import type { Mention } from '../../../shared/domain'
import { URGENT_AT } from '../../../shared/domain'
import type { QueueFilter, QueueSort } from '../store/view-slice'
import type { EarshotDb, ResponderState } from './database'

export type QueueRow = { mention: Mention; state: ResponderState }
export type QueueCounts = { open: number; done: number; all: number }
/** A slice of the queue as displayed: rows[i] sits at position start + i. */
export type QueueWindow = { start: number; rows: QueueRow[] }

const { minKey, maxKey } = Dexie

type StateCollection = ReturnType<EarshotDb['states']['toCollection']>

/** The index behind each view; a status prefix for the filtered ones. */
function viewIndex(filter: QueueFilter, sort: QueueSort): string {
  if (filter === 'all') return sort === 'time' ? 'createdAt' : '[urgency+createdAt]'
  return sort === 'time' ? '[status+createdAt]' : '[status+urgency+createdAt]'
}

function viewKey(state: ResponderState, filter: QueueFilter, sort: QueueSort): IndexableType {
  const parts: (string | number)[] = filter === 'all' ? [] : [state.status]
  if (sort === 'urgency') parts.push(state.urgency)
  parts.push(state.createdAt)
  return parts.length === 1 ? state.createdAt : parts
}

/** Above every key of the view: maxKey sorts after any number, so it closes the prefix. */
const viewTop = (filter: QueueFilter): IndexableType =>
  filter === 'all' ? maxKey : [filter, maxKey]

/**
 * One queue view (filter x sort) as one index range, in display order: newest or most urgent
 * first, ties newest first. Reading a window of it costs the same at 100 rows or 100,000.
 */
export function queueCollection(
  db: EarshotDb,
  filter: QueueFilter,
  sort: QueueSort,
): StateCollection {
  const index = viewIndex(filter, sort)
  if (filter === 'all') return db.states.orderBy(index).reverse()
  return db.states.where(index).between([filter, minKey], viewTop(filter), true, true).reverse()
}

/** The rows at positions [start, start + size) of a view, with their content. */
export async function loadQueueWindow(
  db: EarshotDb,
  filter: QueueFilter,
  sort: QueueSort,
  start: number,
  size: number,
): Promise<QueueWindow> {
  return db.transaction('r', db.mentions, db.states, async () => {
    // A key cursor skips to the offset about twice as fast as one that reads values.
    const ids = await queueCollection(db, filter, sort).offset(start).limit(size).primaryKeys()
    const [states, mentions] = await Promise.all([db.states.bulkGet(ids), db.mentions.bulkGet(ids)])
    const rows: QueueRow[] = []
    ids.forEach((_, index) => {
      const [state, mention] = [states[index], mentions[index]]
      if (state && mention) rows.push({ mention, state })
    })
    return { start, rows }
  })
}

export async function loadQueueCounts(db: EarshotDb): Promise<QueueCounts> {
  return db.transaction('r', db.states, async () => {
    const [open, done, all] = await Promise.all([
      queueCollection(db, 'open', 'time').count(),
      queueCollection(db, 'done', 'time').count(),
      queueCollection(db, 'all', 'time').count(),
    ])
    return { open, done, all }
  })
}

/**
 * Where a mention sits in a view, or -1 if the view does not hold it: a count of the index
 * entries before it, so a notification click can scroll there without loading the queue.
 */
export async function queuePosition(
  db: EarshotDb,
  filter: QueueFilter,
  sort: QueueSort,
  id: string,
): Promise<number> {
  return db.transaction('r', db.states, async () => {
    const state = await db.states.get(id)
    if (!state || (filter !== 'all' && state.status !== filter)) return -1
    const index = viewIndex(filter, sort)
    const key = viewKey(state, filter, sort)
    const above = await db.states.where(index).between(key, viewTop(filter), false, true).count()
    // Equal keys are ordered by id, so descending in a reversed view.
    const ties = await db.states.where(index).equals(key).primaryKeys()
    return above + ties.filter((other) => other > id).length
  })
}

/** Open mentions at or above URGENT_AT: the tray count. One index count. */
export function countUnhandledUrgent(db: EarshotDb): Promise<number> {
  return (
    db.states
      .where('[status+urgency+createdAt]')
      // A key prefix sorts before its extensions; one maxKey closes the range (repeating the same
      // maxKey object inside one key is refused as a cycle).
      .between(['open', URGENT_AT], ['open', maxKey])
      .count()
  )
}
