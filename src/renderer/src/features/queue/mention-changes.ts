import { Dexie, type ObservabilitySet } from 'dexie'

/*
 * A queue window reuses the mentions the grid already holds and reads only the rows it newly
 * needs (loadQueueWindow's `known`). A live query watches only what it read, so it would not see a
 * reused mention change (a triage correction rewrites the mention): this version moves on every
 * write to a database's mentions, in this page or another tab, and the window then reads all of
 * its mentions afresh.
 */

type MentionChanges = { subscribe: (listener: () => void) => () => void; version: () => number }

const byName = new Map<string, MentionChanges>()

/** Whether Dexie's mutated parts touch the named database's mentions table. */
export function touchesMentions(parts: ObservabilitySet, dbName: string): boolean {
  const prefix = `idb://${dbName}/mentions/`
  return Object.keys(parts).some((part) => part.startsWith(prefix))
}

/** The mention-write version of one database, as a store for useSyncExternalStore. */
export function mentionChanges(db: Pick<Dexie, 'name'>): MentionChanges {
  const found = byName.get(db.name)
  if (found) return found
  let version = 0
  const listeners = new Set<() => void>()
  const onMutated = (parts: ObservabilitySet) => {
    if (!touchesMentions(parts, db.name)) return
    version += 1
    for (const listener of listeners) listener()
  }
  const changes: MentionChanges = {
    subscribe: (listener) => {
      if (listeners.size === 0) Dexie.on.storagemutated.subscribe(onMutated)
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
        if (listeners.size === 0) Dexie.on.storagemutated.unsubscribe(onMutated)
      }
    },
    version: () => version,
  }
  byName.set(db.name, changes)
  return changes
}
