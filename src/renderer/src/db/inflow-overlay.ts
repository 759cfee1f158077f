import type { DBCore, DBCoreGetManyRequest, DBCoreGetRequest, Middleware } from 'dexie'
import type { Mention } from '../../../shared/domain'
import type { EarshotDb, InflowRow, ResponderState } from './database'
import { initialStatus, stateFor } from './state-keys'
import { watchWrites } from './write-watch'

/*
 * What this page knows of the inflow (inflow.ts): the delivered mentions stored as inflow rows and
 * not yet spread into `mentions` and `states`. A read by id of either table that finds nothing
 * there is answered from here (a Dexie middleware), so a mention is shown, opened and acted on as
 * soon as its inflow row commits: its content as delivered, its state the one a spread would
 * create. The states mirror takes the same states as they arrive (state-mirror.ts), and a search
 * reads the mentions (word-backlog.ts backlogDocs). Index ranges over the two tables do not see
 * them until the spread, a moment later.
 */

/** One delivered mention waiting in the inflow: the newest copy of its id, and its row. */
export type InflowEntry = { mention: Mention; at: number; row: number }

export type InflowOverlay = {
  /** How many mentions wait. */
  readonly size: number
  get(id: string): InflowEntry | undefined
  /** Every waiting mention, newest copy per id, oldest row first. */
  entries(): IterableIterator<InflowEntry>
  /** Rows this page stored or read, by key, until spread. */
  row(key: number): InflowRow | undefined
  /** The keys of those rows. */
  rowKeys(): number[]
  /** Takes in committed rows (with their keys), in key order. */
  add(rows: readonly InflowRow[]): void
  /** Forgets a spread row: its mentions are in the tables now, unless a later row has them. */
  drop(key: number): void
  /** Called with the entries each `add` took in, and with none after each `drop`. */
  subscribe(listener: (added: readonly InflowEntry[]) => void): () => void
}

const overlays = new WeakMap<EarshotDb, InflowOverlay>()

/** The overlay of a database opened by openDatabase. */
export function inflowOverlayOf(db: EarshotDb): InflowOverlay {
  const overlay = overlays.get(db)
  if (!overlay) throw new Error('This database was not opened with an inflow overlay')
  return overlay
}

/** The state a spread creates for a waiting mention that has none. */
export const arrivedState = (entry: InflowEntry): ResponderState =>
  stateFor(entry.mention, { status: initialStatus(entry.mention), updatedAt: entry.at })

function createOverlay(): InflowOverlay {
  const byId = new Map<string, InflowEntry>()
  const rows = new Map<number, InflowRow>()
  const listeners = new Set<(added: readonly InflowEntry[]) => void>()
  return {
    get size() {
      return byId.size
    },
    get: (id) => byId.get(id),
    entries: () => byId.values(),
    row: (key) => rows.get(key),
    rowKeys: () => [...rows.keys()],
    add(added) {
      const entries: InflowEntry[] = []
      for (const row of added) {
        if (row.id === undefined || rows.has(row.id)) continue
        rows.set(row.id, row)
        for (const mention of row.mentions) {
          const entry = { mention, at: row.at, row: row.id }
          // Re-inserted, so iteration keeps arrival order.
          byId.delete(mention.id)
          byId.set(mention.id, entry)
          entries.push(entry)
        }
      }
      if (entries.length === 0) return
      for (const listener of listeners) listener(entries)
    },
    drop(key) {
      const row = rows.get(key)
      rows.delete(key)
      if (!row) {
        for (const [id, entry] of byId) if (entry.row === key) byId.delete(id)
        return
      }
      for (const mention of row.mentions) {
        if (byId.get(mention.id)?.row === key) byId.delete(mention.id)
      }
      for (const listener of listeners) listener([])
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

/** The waiting copy a read by id falls back to; a new object, since callers may change it. */
function fallback(overlay: InflowOverlay, table: string, key: unknown): unknown {
  const entry = typeof key === 'string' ? overlay.get(key) : undefined
  if (!entry) return undefined
  return table === 'mentions' ? structuredClone(entry.mention) : arrivedState(entry)
}

function readMiddleware(overlay: InflowOverlay): Middleware<DBCore> {
  return {
    stack: 'dbcore',
    name: 'earshot-inflow-reads',
    create: (core) => ({
      ...core,
      table(name) {
        const inner = core.table(name)
        if (name !== 'mentions' && name !== 'states') return inner
        return {
          ...inner,
          get: async (request: DBCoreGetRequest) => {
            const found: unknown = await inner.get(request)
            if (found !== undefined || overlay.size === 0) return found
            return fallback(overlay, name, request.key)
          },
          getMany: async (request: DBCoreGetManyRequest) => {
            const found: unknown[] = await inner.getMany(request)
            if (overlay.size === 0 || !found.includes(undefined)) return found
            return found.map((value, at) => value ?? fallback(overlay, name, request.keys[at]))
          },
        }
      },
    }),
  }
}

/**
 * Installs the overlay on a database before it opens: the fallback reads, and a clear of the
 * inflow table (a restore) forgets every waiting mention with it.
 */
export function attachInflowOverlay(db: EarshotDb): InflowOverlay {
  const overlay = createOverlay()
  overlays.set(db, overlay)
  db.use(readMiddleware(overlay))
  db.use(
    watchWrites('earshot-inflow-clear', 'inflow', async (request, down) => {
      const response = await down(request)
      if (request.type === 'deleteRange') {
        for (const entry of [...overlay.entries()]) overlay.drop(entry.row)
      }
      return response
    }),
  )
  return overlay
}
