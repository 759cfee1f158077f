import { useLiveQuery } from 'dexie-react-hooks'
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react'
import { nextWake, wakeSnoozed } from '../../db/actions'
import {
  isPlain,
  loadMatches,
  loadQueueWindow,
  loadViewCounts,
  showsArrivals,
  matchesInMemory,
  type Matches,
  type QueueSpec,
  type QueueWindow,
  type ViewCounts,
} from '../../db/queue-query'
import { stateMirrorOf, type StateMirror } from '../../db/state-mirror'
import { useServices } from '../../services'
import { firstRows } from './first-rows'
import { mentionChanges } from './mention-changes'
import { useMirrorCounts } from './use-mirror-counts'
import { heldRows } from './stable-rows'
import type { SavedView } from '../workspace/prefs'

/**
 * Live size of every built-in view; undefined while the first read runs, which waits for the
 * queue's first rows (first-rows.ts).
 */
export function useViewCounts(): ViewCounts | undefined {
  const { db } = useServices()
  const shown = useSyncExternalStore(firstRows.subscribe, firstRows.shown)
  const fromDisk = useLiveQuery(() => (shown ? loadViewCounts(db) : undefined), [db, shown])
  // Mentions just delivered are in no index until spread: counted in the mirror meanwhile.
  return useMirrorCounts(fromDisk) ?? fromDisk
}

const specKey = (spec: QueueSpec) => JSON.stringify([spec.view, spec.sort, spec.filters])

/** The mirror's version, re-rendering on every change it applies. */
function useMirror(): { mirror: StateMirror; version: number } {
  const { db } = useServices()
  const mirror = stateMirrorOf(db)
  const version = useSyncExternalStore(mirror.subscribe, mirror.version)
  return { mirror, version }
}

/**
 * The ids a filtered view shows, live; null for a plain view (read straight off its index) and
 * undefined while the first read runs. Answered from the in-memory mirror once it has loaded;
 * from IndexedDB before that, and for word searches (the word index, with the mirror's states).
 */
export function useMatches(spec: QueueSpec): Matches | null | undefined {
  const { db } = useServices()
  const { mirror, version } = useMirror()
  const key = specKey(spec)
  // A plain view is read off its index, which holds no mention still in the inflow.
  const plain = isPlain(spec.filters, spec.sort) && !showsArrivals(db, mirror)
  const inMemory = useMemo(
    () => (plain ? null : matchesInMemory(mirror, spec)),
    // The spec is compared by value through its key; version moves with every change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [mirror, key, plain, version],
  )
  const fromDisk = inMemory === null && !plain
  const found = useLiveQuery(
    async () =>
      fromDisk ? { key, matches: await loadMatches(db, spec, mirror) } : { key, matches: null },
    // The spec is compared by value through its key. States read from the mirror are not seen by
    // the live query, so its version re-runs it.
    [db, key, fromDisk, mirror.ready ? version : -1],
  )
  if (plain) return null
  if (inMemory) return inMemory
  return found?.key === key ? (found.matches ?? undefined) : undefined
}

/**
 * Live counts of the responder's saved views (each is a filtered view). Read from IndexedDB (before
 * the mirror loads), each walks its view's whole range: at start they wait for the first rows.
 */
export function useSavedCounts(saved: readonly SavedView[]): Record<string, number> | undefined {
  const { db } = useServices()
  const { mirror, version } = useMirror()
  const settled = useSyncExternalStore(firstRows.subscribe, firstRows.settled)
  const key = JSON.stringify(saved)
  const inMemory = useMemo(() => {
    const counts: Record<string, number> = {}
    for (const view of saved) {
      const found = matchesInMemory(mirror, view)
      if (!found) return null
      counts[view.name] = found.ids.length
    }
    return counts
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [mirror, key, version])
  const fromDisk = useLiveQuery(async () => {
    if (inMemory || !settled) return null
    const counts: Record<string, number> = {}
    for (const view of saved) {
      counts[view.name] = (await loadMatches(db, view, mirror)).ids.length
    }
    return counts
  }, [db, key, inMemory === null, settled, mirror.ready ? version : -1])
  return inMemory ?? fromDisk ?? undefined
}

/**
 * The rows of one window of a view, live. While a new window loads the previous one is kept, so
 * rows both windows share never blink; rows it shares unchanged keep their objects, so they do not
 * render again (stable-rows.ts). A window reads only the mentions the previous one did not hold,
 * until a mention is written (mention-changes.ts).
 */
export function useQueueWindow(
  spec: QueueSpec,
  matched: readonly string[] | null,
  start: number,
  size: number,
): QueueWindow | undefined {
  const { db } = useServices()
  const { mirror, version } = useMirror()
  const changes = mentionChanges(db)
  const mentionsVersion = useSyncExternalStore(changes.subscribe, changes.version)
  const view = `${specKey(spec)}`
  // The rows this grid last received, and the mention version they were read at; read and
  // replaced by each window's read.
  const [held] = useState(heldRows)
  const loaded = useLiveQuery(async () => {
    const began = performance.now()
    const known = held.known(mentionsVersion)
    const window = await loadQueueWindow(db, spec, start, size, matched ?? undefined, mirror, known)
    markFirstWindow(began, window.rows.length)
    return { view, start: window.start, rows: held.keep(mentionsVersion, window.rows) }
    // States read from the mirror are not seen by the live query, so its version re-runs it; so
    // does a write to any mention, since the mentions this grid held were not read again.
  }, [db, view, matched, start, size, mirror.ready ? version : -1, mentionsVersion])
  // A window of the previous view must not show under the new one.
  return loaded?.view === view ? loaded : undefined
}

let firstWindowMarked = false

/**
 * Records the page's first window read (`earshot:first-window`, with its row count), so the queue
 * benchmark can tell the read apart from the rest of the start-up.
 */
function markFirstWindow(start: number, rows: number): void {
  if (firstWindowMarked || typeof performance.measure !== 'function') return
  firstWindowMarked = true
  performance.measure('earshot:first-window', { start, detail: { rows } })
}

/** Wakes due snoozes now, and again when the next one falls due. */
export function useSnoozeWake(): void {
  const { db } = useServices()
  const due = useLiveQuery(() => nextWake(db), [db])
  useEffect(() => {
    if (due === undefined || due === null) return
    // setTimeout overflows past about 24.8 days; a far snooze is checked again then.
    const wait = Math.min(Math.max(0, due - Date.now()), 2 ** 31 - 1)
    const timer = setTimeout(() => void wakeSnoozed(db), wait)
    return () => clearTimeout(timer)
  }, [db, due])
}
