import type { Dexie, Transaction } from 'dexie'

/** One shipped schema: every table's full index list, plus the data move into it if any. */
export type SchemaVersion = {
  version: number
  stores: Record<string, string | null>
  upgrade?: (tx: Transaction) => PromiseLike<unknown> | undefined
}

/**
 * Every schema Earshot has shipped, oldest first. Append only: a user's database may be at any of
 * these, and Dexie needs the whole chain to migrate it. Bump for every index change.
 */
export const versions: readonly SchemaVersion[] = [
  {
    version: 1,
    stores: {
      // Content exactly as main sent it; re-delivery overwrites it.
      mentions: 'id',
      // What the responder did, apart from the content so re-delivery never resets it. The
      // mention's sort keys are copied next to its status, so every queue view (filter x sort) is
      // one index range read a window at a time: a join over 100,000 keys took near a second.
      states: 'id, createdAt, [urgency+createdAt], [status+createdAt], [status+urgency+createdAt]',
      meta: 'key',
    },
  },
]

export const latestVersion = (list: readonly SchemaVersion[] = versions): number =>
  list.reduce((max, entry) => Math.max(max, entry.version), 0)

export function applyVersions(db: Dexie, list: readonly SchemaVersion[] = versions): void {
  for (const entry of list) {
    const version = db.version(entry.version).stores(entry.stores)
    if (entry.upgrade) version.upgrade(entry.upgrade)
  }
}
