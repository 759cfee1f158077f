/* The report worker's read-only view of the history in Dexie, whatever schema version the page
   opened it at: the worker declares no schema (Dexie's dynamic mode), so it can never upgrade,
   block or change the database, and it reads `actions` and `reportHours` only where they exist. */
import { Dexie } from 'dexie'
import type { Mention } from '../../../../shared/domain'
import type { ReportHour } from './compute/rows'
import type { ReportAction, ReportState } from './compute/types'

/** What a report run reads. */
export type ReportSource = {
  /** The audit log, or null on a database from before it existed. */
  readActions(): Promise<ReportAction[] | null>
  /** The states of the mentions created in [from, to), by id: one index range read. */
  statesIn(from: number, to: number): Promise<Map<string, ReportState>>
  countMentions(): Promise<number>
  /** Mentions by id, in that order (missing ones undefined). */
  mentions(ids: string[]): Promise<(Mention | undefined)[]>
  /** The next `limit` mentions in id order after `after` (from the first when null). */
  scan(after: string | null, limit: number): Promise<Mention[]>
  /**
   * The report's compact rows of the UTC hours [from, to) (schema v4 on), or null on a database
   * from before them: the report then reads the mentions themselves.
   */
  hours: ((from: number, to: number) => Promise<ReportHour[]>) | null
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
    async statesIn(from, to) {
      const found = new Map<string, ReportState>()
      if (!(to > from)) return found
      // The states carry the mention's createdAt in an index (schema v1 on); the mentions do not.
      const rows = await states.where('createdAt').between(from, to, true, false).toArray()
      for (const row of rows) found.set(row.id, row)
      return found
    },
    countMentions: () => mentions.count(),
    mentions: (ids) => mentions.bulkGet(ids),
    scan(after, limit) {
      // One getAll per page: far quicker than a get per mention when most of them are wanted.
      const range = after === null ? mentions.orderBy(':id') : mentions.where(':id').above(after)
      return range.limit(limit).toArray()
    },
    hours: has('reportHours')
      ? (from, to) =>
          to > from
            ? db.table<ReportHour, number>('reportHours').where(':id').between(from, to).toArray()
            : Promise.resolve([])
      : null,
    close: () => db.close(),
  }
}
