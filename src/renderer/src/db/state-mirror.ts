import type { DBCore, DBCoreMutateRequest, DBCoreMutateResponse, Middleware } from 'dexie'
import type { EarshotDb, ResponderState } from './database'
import { arrivedState, inflowOverlayOf, type InflowEntry } from './inflow-overlay'
import { forEachPage } from './pages'
import { decisionOf, stateFor } from './state-keys'
import { watchWrites } from './write-watch'

/*
 * The responder states, mirrored in memory. Every filter of the queue is a test over a view's
 * states; read from IndexedDB, a view of 25,000 mentions costs a few hundred milliseconds per
 * filter change, in memory a few. The mirror is loaded once in the background, a page at a time,
 * and then kept exact by watching every write to the `states` table at the storage layer (a
 * Dexie middleware), applied when its transaction commits, whoever wrote it: ingest, the
 * responder's actions, imports, restores. Other tabs' writes arrive over a BroadcastChannel.
 * Delivered mentions still in the inflow (inflow.ts) are in it too, from the moment they arrive,
 * with the state their spread will write.
 */

/** Rows read per page while loading: small enough to keep the page responsive between pages. */
const LOAD_PAGE = 5000

type Pending = { put: Map<string, ResponderState>; deleted: Set<string>; cleared: boolean }

export type StateMirror = {
  /** True once every stored state is in memory; until then readers use IndexedDB. */
  readonly ready: boolean
  /** Bumped by every applied change: the snapshot for useSyncExternalStore. */
  version: () => number
  subscribe: (listener: () => void) => () => void
  /** Loads every state once (idempotent); resolves when ready. */
  start(): Promise<void>
  /**
   * Starts the load once the page is idle. Called when the queue's first rows are on screen:
   * loading 100,000 states beside the first window's read would hold that read up for seconds.
   */
  startSoon(): void
  /** Every state, in no order. */
  all(): Iterable<ResponderState>
  get(id: string): ResponderState | undefined
  close(): void
}

type MirrorInternals = StateMirror & {
  /** Applies the writes of one committed transaction. */
  commit(change: Pending): void
}

const mirrors = new WeakMap<EarshotDb, MirrorInternals>()

/** The mirror of a database opened by openDatabase. */
export function stateMirrorOf(db: EarshotDb): StateMirror {
  const mirror = mirrors.get(db)
  if (!mirror) throw new Error('This database was not opened with a state mirror')
  return mirror
}

/** The mirror of a database when it has loaded, else undefined (readers then use IndexedDB). */
export function readyMirrorOf(db: EarshotDb): StateMirror | undefined {
  const mirror = mirrors.get(db)
  return mirror?.ready ? mirror : undefined
}

const channelName = (db: EarshotDb) => `earshot-states:${db.name}`

/** Installs the mirror on a database before it opens. */
export function attachStateMirror(db: EarshotDb): StateMirror {
  const byId = new Map<string, ResponderState>()
  const listeners = new Set<() => void>()
  let version = 0
  let ready = false
  let loading: Promise<void> | null = null
  /** Writes committed while a load runs: newer than whatever the load reads. */
  let during: Pending | null = null
  let reloadWanted = false
  let scheduled = false
  const channel =
    typeof BroadcastChannel === 'function' ? new BroadcastChannel(channelName(db)) : null
  // Node's channel would keep a test process alive.
  ;(channel as { unref?: () => void } | null)?.unref?.()

  const notify = () => {
    version += 1
    for (const listener of listeners) listener()
  }

  const applyLocally = (change: Pending) => {
    if (change.cleared) {
      byId.clear()
      if (loading) reloadWanted = true
      else if (ready) {
        ready = false
        void mirror.start()
      }
    }
    for (const id of change.deleted) byId.delete(id)
    for (const [id, state] of change.put) byId.set(id, state)
    if (during) {
      for (const id of change.deleted) {
        during.put.delete(id)
        during.deleted.add(id)
      }
      for (const [id, state] of change.put) {
        during.deleted.delete(id)
        during.put.set(id, state)
      }
      if (change.cleared) during.cleared = true
    }
    notify()
  }

  const overlay = inflowOverlayOf(db)

  /**
   * Delivered mentions waiting in the inflow: the states their spread will write (a known state
   * keeps the responder's decision and takes the new copied keys, as the spread does).
   */
  const takeArrived = (entries: Iterable<InflowEntry>) => {
    for (const entry of entries) {
      const known = byId.get(entry.mention.id)
      byId.set(
        entry.mention.id,
        known ? stateFor(entry.mention, decisionOf(known)) : arrivedState(entry),
      )
    }
  }
  // Until loaded, the load takes them in at its end. Not told to other tabs: their reads of
  // `states` would not find them yet; they hear of the spread's writes.
  overlay.subscribe((entries) => {
    if (!ready) return
    takeArrived(entries)
    notify()
  })

  const load = async () => {
    const writes: Pending = { put: new Map(), deleted: new Set(), cleared: false }
    during = writes
    const started = performance.now()
    await forEachPage(db.states, LOAD_PAGE, async (page) => {
      for (const state of page) {
        if (!writes.put.has(state.id) && !writes.deleted.has(state.id)) byId.set(state.id, state)
      }
      // Lets input and rendering run between pages.
      await new Promise((resolve) => setTimeout(resolve, 0))
    })
    during = null
    takeArrived(overlay.entries())
    ready = true
    performance.mark('earshot:mirror-ready', {
      detail: { count: byId.size, ms: performance.now() - started },
    })
    notify()
  }

  const mirror: MirrorInternals = {
    get ready() {
      return ready
    },
    version: () => version,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    start() {
      if (ready) return Promise.resolve()
      loading ??= (async () => {
        try {
          do {
            reloadWanted = false
            await load()
          } while (reloadWanted)
        } finally {
          loading = null
        }
      })()
      return loading
    },
    startSoon() {
      if (ready || loading || scheduled) return
      scheduled = true
      // A failed load leaves the readers on IndexedDB, as before it started.
      const go = () => void mirror.start().catch(() => undefined)
      if (typeof requestIdleCallback === 'function') requestIdleCallback(go, { timeout: 2000 })
      else setTimeout(go, 200)
    },
    all: () => byId.values(),
    get: (id) => byId.get(id),
    close() {
      channel?.close()
      listeners.clear()
    },
    commit(change) {
      applyLocally(change)
      channel?.postMessage({
        ids: [...change.put.keys(), ...change.deleted],
        cleared: change.cleared,
      })
    },
  }

  // Another tab wrote: read what it touched, from the database both tabs share.
  if (channel) {
    channel.onmessage = (event: MessageEvent<{ ids: string[]; cleared: boolean }>) => {
      const { ids, cleared } = event.data
      void db.states.bulkGet(ids).then((rows) => {
        const change: Pending = { put: new Map(), deleted: new Set(), cleared }
        rows.forEach((row, index) => {
          if (row) change.put.set(row.id, row)
          else change.deleted.add(ids[index]!)
        })
        applyLocally(change)
      })
    }
  }

  db.use(mirrorMiddleware(mirror))
  mirrors.set(db, mirror)
  return mirror
}

/** What one write request changed, once it succeeded. */
function recordWrite(
  pending: Pending,
  request: DBCoreMutateRequest,
  response: DBCoreMutateResponse,
): void {
  switch (request.type) {
    case 'add':
    case 'put':
      request.values.forEach((value: ResponderState, index) => {
        // A bulkAdd that met existing keys wrote the others only.
        if (response.failures[index]) return
        pending.deleted.delete(value.id)
        pending.put.set(value.id, { ...value })
      })
      return
    case 'delete':
      for (const key of request.keys as string[]) {
        pending.put.delete(key)
        pending.deleted.add(key)
      }
      return
    case 'deleteRange':
      // A clear (restore) or a range delete: reload rather than guess which rows went.
      pending.put.clear()
      pending.deleted.clear()
      pending.cleared = true
  }
}

type Committable = { addEventListener?: (type: string, listener: () => void) => void }

/** Watches writes to `states` and hands each transaction's changes to the mirror on commit. */
function mirrorMiddleware(mirror: MirrorInternals): Middleware<DBCore> {
  const byTransaction = new WeakMap<object, Pending>()
  return watchWrites('earshot-state-mirror', 'states', (request, down) =>
    down(request).then((response) => {
      const trans = request.trans as object & Committable
      let pending = byTransaction.get(trans)
      if (!pending) {
        const fresh: Pending = { put: new Map(), deleted: new Set(), cleared: false }
        pending = fresh
        byTransaction.set(trans, fresh)
        // An aborted transaction wrote nothing: only 'complete' applies.
        if (typeof trans.addEventListener === 'function')
          trans.addEventListener('complete', () => mirror.commit(fresh))
        else queueMicrotask(() => mirror.commit(fresh))
      }
      recordWrite(pending, request, response)
      return response
    }),
  )
}
