/* Keeps the report's compact rows (`reportHours`, schema v4) current: every write of a mention's
   content or state calls `putReportRows` inside its own transaction, so the rows never disagree
   with what the queue and History show. The rows' shape lives with the report
   (features/reports/compute/rows.ts), which is their only reader. */
import type { Table } from 'dexie'
import type { Mention } from '../../../shared/domain'
import {
  decodeHour,
  encodeHour,
  hourOf,
  HOUR_MS,
  reportRowOf,
  type ReportHour,
  type ReportRow,
} from '../features/reports/compute/rows'
import type { ReportState } from '../features/reports/compute/types'

export type ReportHoursTable = Table<ReportHour, number>

/** Where a mention's row was before this write: its old hour loses the row if it moved. */
export type PreviousRow = { id: string; createdAt: number }

/**
 * Writes each row into its UTC hour, replacing that id's earlier row, and takes rows out of the
 * hours they left (a re-delivered mention whose time changed). One bulk read and one bulk write of
 * the touched hours, whatever the number of rows.
 */
export async function putReportRows(
  table: ReportHoursTable,
  rows: readonly ReportRow[],
  previous: readonly PreviousRow[] = [],
): Promise<void> {
  if (rows.length === 0) return
  const incoming = new Map<number, Map<string, ReportRow>>()
  const hourById = new Map<string, number>()
  for (const row of rows) {
    const hour = hourOf(row.createdAt)
    hourById.set(row.id, hour)
    let list = incoming.get(hour)
    if (!list) incoming.set(hour, (list = new Map<string, ReportRow>()))
    list.set(row.id, row)
  }
  const leaving = new Map<number, Set<string>>()
  for (const { id, createdAt } of previous) {
    const hour = hourOf(createdAt)
    if (hourById.get(id) === hour || !hourById.has(id)) continue
    let ids = leaving.get(hour)
    if (!ids) leaving.set(hour, (ids = new Set<string>()))
    ids.add(id)
  }
  const hours = [...new Set([...incoming.keys(), ...leaving.keys()])]
  const stored = await table.bulkGet(hours)
  const written = hours.map((hour, at) => {
    const fresh = incoming.get(hour) ?? new Map<string, ReportRow>()
    const gone = leaving.get(hour)
    const record = stored[at]
    const kept = record
      ? decodeHour(record).filter((row) => !fresh.has(row.id) && !gone?.has(row.id))
      : []
    return encodeHour(hour, [...kept, ...fresh.values()])
  })
  await table.bulkPut(written)
}

/** The rows of mentions with their states, for `putReportRows`. */
export const rowsOf = (
  mentions: readonly (Mention | undefined)[],
  states: readonly (ReportState | undefined)[],
): ReportRow[] =>
  mentions.flatMap((mention, at) => (mention ? [reportRowOf(mention, states[at])] : []))

/** States are read this many at a time, so a rebuild never holds the whole history. */
const REBUILD_PAGE = 2000

/**
 * Builds every row again from the stored mentions and states: the v4 upgrade, and a restore.
 * Walks the states' createdAt index a page at a time, each page cut at an hour's end, so every
 * hour is written once. A mention without a state (none is stored so) has no row.
 */
export async function rebuildReportHours(tables: {
  mentions: Table
  states: Table
  reportHours: Table
}): Promise<number> {
  // Untyped tables: the upgrade hands them over by name, the page from its typed database.
  const mentions = tables.mentions as Table<Mention, string>
  const states = tables.states as Table<ReportState & { createdAt: number }, string>
  const reportHours = tables.reportHours as ReportHoursTable
  await reportHours.clear()
  let from = -Infinity
  let count = 0
  for (;;) {
    let page = await states.where('createdAt').aboveOrEqual(from).limit(REBUILD_PAGE).toArray()
    if (page.length === 0) return count
    const last = page.at(-1)!
    if (page.length === REBUILD_PAGE) {
      // The last hour may go on past this page: it is read whole, with the next page.
      const lastHour = hourOf(last.createdAt)
      const before = page.filter((state) => hourOf(state.createdAt) < lastHour)
      page =
        before.length > 0
          ? before
          : await states
              .where('createdAt')
              .between(lastHour * HOUR_MS, (lastHour + 1) * HOUR_MS, true, false)
              .toArray()
    }
    const content = await mentions.bulkGet(page.map((state) => state.id))
    const rows = rowsOf(content, page)
    await putReportRows(reportHours, rows)
    count += rows.length
    from = (hourOf(page.at(-1)!.createdAt) + 1) * HOUR_MS
  }
}
