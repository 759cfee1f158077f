/* The report worker's read-only view of the history in Dexie, whatever schema version the page
   opened it at: the worker declares no schema (Dexie's dynamic mode), so it can never upgrade,
   block or change the database, and it reads `actions` only where that table exists. */
import { Dexie } from 'dexie'
import type { Mention } from '../../../../shared/domain'
import type { ReportAction, ReportState } from './compute/types'

/** What a report run reads. */
export type ReportSource = {
  /** The audit log, or null on a database from before it existed. */
  readActions(): Promise<ReportAction[] | null>
  /** Ids of the mentions created in [from, to), oldest first. */
  idsIn(from: number, to: number): Promise<string[]>
  /** Mentions and states for the given ids, in that order (missing ones undefined). */
  read(
    ids: string[],
  ): Promise<{ mentions: (Mention | undefined)[]; states: (ReportState | undefined)[] }>
  close(): void
}

/** Opens the page's database by name; null when the page has not created it yet. */
export async function openReportSource(name: string): Promise<ReportSource | null> {
  if (!(await Dexie.exists(name))) return null
  const db = new Dexie(name)
  await db.open()
  const has = (table: string) => db.tables.some((entry) => entry.name === table)
  if (!has('mentions') || !has('states')) {
    db.close()
    return null
  }
  const mentions = db.table<Mention, string>('mentions')
  const states = db.table<ReportState, string>('states')
  return {
    async readActions() {
      if (!has('actions')) return null
      return db.table<ReportAction>('actions').toArray()
    },
    async idsIn(from, to) {
      if (!(to > from)) return []
      // The states carry the mention's createdAt in an index (schema v1 on); the mentions do not.
      return states.where('createdAt').between(from, to, true, false).primaryKeys()
    },
    async read(ids) {
      return db.transaction('r', mentions, states, async () => {
        const [content, state] = await Promise.all([mentions.bulkGet(ids), states.bulkGet(ids)])
        return { mentions: content, states: state }
      })
    },
    close: () => db.close(),
  }
}
