import type { Dexie, Transaction } from 'dexie'
import type { Mention } from '../../../shared/domain'
import { forEachPage } from './pages'
import { rebuildReportHours } from './report-hours'
import { searchDocFor } from './search-index'
import { refreshViewKeys, stateFor } from './state-keys'

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
  {
    version: 2,
    stores: {
      // Every saved view is one index range, in both sorts: Inbox is open and directed, Urgent is
      // open or watched at or above URGENT_AT (the `urgent` flag), the rest are one status each.
      // [authorId+createdAt] serves the author's history and the author filter; snoozedUntil the
      // wake-up. Other filters (intent, source, sentiment...) test the state rows of the view's
      // range, which carry copies of those fields, so the mentions are never read to filter.
      states:
        'id, createdAt, [urgency+createdAt], [status+createdAt], [status+urgency+createdAt], ' +
        '[status+directed+createdAt], [status+directed+urgency+createdAt], ' +
        '[urgent+createdAt], [urgent+urgency+createdAt], [authorId+createdAt], snoozedUntil',
      // The audit log: every change of state, appended in the change's own transaction.
      actions: '++id, [mentionId+at], [authorId+at]',
    },
    upgrade: upgradeToV2,
  },
  {
    version: 3,
    stores: {
      // threadId and replyTo serve the thread page; both are sparse (most posts have neither).
      mentions: 'id, threadId, replyTo',
      // The word index: each mention's distinct folded words, multiEntry, filled at ingest.
      search: 'id, *words',
    },
    upgrade: upgradeToV3,
  },
  {
    version: 4,
    stores: {
      // The report's compact rows, one record per UTC hour (report-hours.ts): a 90-day report
      // reads about 2,000 of them instead of every mention. Written with every content or state
      // change, in its transaction.
      reportHours: 'hour',
    },
    upgrade: (tx) =>
      rebuildReportHours({
        mentions: tx.table('mentions'),
        states: tx.table('states'),
        reportHours: tx.table('reportHours'),
      }),
  },
  {
    version: 5,
    stores: {
      // Every index on states costs each stored mention an entry at ingest, and the in-memory
      // mirror (state-mirror.ts) serves every view, filter and count once it has loaded. Kept:
      // what is read before that, or outside the page's mirror. Inbox by time (the first paint);
      // each status and Urgent by time (the other views and their counts, the tray count,
      // follow-ups); createdAt (All, History's list, the reports' worker and their rebuild);
      // the author's range (the context panel, the author page and filter); snoozedUntil (the
      // wake-up; sparse, so free at ingest). Dropped: the urgency-ordered copies, since that
      // order is the mirror's, or a view's time range sorted in memory before it loads.
      states:
        'id, createdAt, [status+createdAt], [status+directed+createdAt], [urgent+createdAt], ' +
        '[authorId+createdAt], snoozedUntil',
    },
  },
  {
    version: 6,
    stores: {
      // The view indexes are sparse: `inbox` and `urgent` are set only on the states in those
      // views (state-keys.ts withViewKeys), and IndexedDB skips a record whose key path is
      // missing, so a stored mention pays an entry only in the views it is in. Inbox moves from
      // `[status+directed+createdAt]` (an entry for every state) to `[inbox+createdAt]`; the
      // `[urgent+createdAt]` index stays, now without the entries of urgent: 0.
      states:
        'id, createdAt, [status+createdAt], [inbox+createdAt], [urgent+createdAt], ' +
        '[authorId+createdAt], snoozedUntil',
    },
    // States stored before carry `urgent: 0` and no `inbox`.
    upgrade: (tx) => refreshViewKeys(tx.table('states')),
  },
  {
    version: 7,
    stores: {
      // Delivered mentions not yet spread into `mentions` and `states` (inflow.ts): one row per
      // chunk of a delivered page, in arrival order. A row is one IndexedDB record for up to a
      // thousand mentions, where spreading them writes two records each plus their index entries.
      inflow: '++id',
    },
  },
]

/** Pages of this many states are moved at a time, so the upgrade never holds 100,000 mentions. */
const UPGRADE_PAGE = 1000

/**
 * v1 states knew only open or done. They gain copies of their mention's filter keys; an open
 * overheard mention (untouched by the responder) moves to Watching, as new ones now land there.
 * A state whose mention is gone cannot be shown anywhere and is dropped.
 */
async function upgradeToV2(tx: Transaction): Promise<void> {
  const states = tx.table('states')
  const mentions = tx.table<Mention, string>('mentions')
  const ids = (await states.toCollection().primaryKeys()) as string[]
  for (let at = 0; at < ids.length; at += UPGRADE_PAGE) {
    const page = ids.slice(at, at + UPGRADE_PAGE)
    const [old, content] = await Promise.all([
      states.bulkGet(page) as Promise<
        ({ status: 'open' | 'done'; updatedAt: number; doneAt?: number } | undefined)[]
      >,
      mentions.bulkGet(page),
    ])
    const next = []
    const orphans: string[] = []
    for (const [index, id] of page.entries()) {
      const state = old[index]
      const mention = content[index]
      if (!state) continue
      if (!mention) {
        orphans.push(id)
        continue
      }
      const status =
        state.status === 'open' && !mention.triage.directed ? ('monitor' as const) : state.status
      next.push(stateFor(mention, { status, updatedAt: state.updatedAt, doneAt: state.doneAt }))
    }
    await states.bulkPut(next)
    if (orphans.length > 0) await states.bulkDelete(orphans)
  }
}

/** Mentions stored before v3 get their word index, a page at a time. */
async function upgradeToV3(tx: Transaction): Promise<void> {
  const search = tx.table('search')
  await forEachPage(tx.table<Mention, string>('mentions'), UPGRADE_PAGE, (page) =>
    search.bulkPut(page.map(searchDocFor)),
  )
}

export const latestVersion = (list: readonly SchemaVersion[] = versions): number =>
  list.reduce((max, entry) => Math.max(max, entry.version), 0)

export function applyVersions(db: Dexie, list: readonly SchemaVersion[] = versions): void {
  for (const entry of list) {
    const version = db.version(entry.version).stores(entry.stores)
    if (entry.upgrade) version.upgrade(entry.upgrade)
  }
}
