import { exportDB, importInto, peakImportFile } from 'dexie-export-import'
import type { EarshotDb } from '../../db/database'
import { settleInflow } from '../../db/inflow'
import { forEachPage } from '../../db/pages'
import { rebuildReportHours } from '../../db/report-hours'
import { searchDocFor } from '../../db/search-index'
import { refreshViewKeys } from '../../db/state-keys'

export type BackupProgress = { done: number; total: number | undefined }

/** The whole history (content, states, audit log, word index, meta) as one JSON Blob. */
export async function backupDatabase(
  db: EarshotDb,
  onProgress?: (progress: BackupProgress) => void,
): Promise<Blob> {
  // Delivered mentions still in the inflow go in as mentions, with their word rows to come.
  await settleInflow(db)
  return exportDB(db, {
    numRowsPerChunk: 1000,
    // The report's rows are derived from mentions and states: rebuilt on restore, never backed up.
    skipTables: ['reportHours'],
    progressCallback: (progress) => {
      onProgress?.({ done: progress.completedRows, total: progress.totalRows })
      return true
    },
  })
}

/** What a file claims to be, read before anything is replaced. */
export async function describeBackup(
  file: Blob,
): Promise<{ ok: true; rows: number; version: number } | { ok: false; message: string }> {
  let meta
  try {
    meta = await peakImportFile(file)
  } catch {
    return { ok: false, message: 'This file is not an Earshot backup.' }
  }
  const tables = new Set((meta.data?.tables ?? []).map((table) => table.name))
  if (meta.formatName !== 'dexie' || !tables.has('mentions') || !tables.has('states')) {
    return { ok: false, message: 'This file is not an Earshot backup.' }
  }
  const rows = meta.data.tables.reduce((sum, table) => sum + table.rowCount, 0)
  return { ok: true, rows, version: meta.data.databaseVersion }
}

/**
 * Replaces the whole history with a backup's, in one transaction (a failure leaves the history as
 * it was). A backup from an older Earshot is accepted; its mentions get their word index here.
 */
export async function restoreDatabase(
  db: EarshotDb,
  file: Blob,
  onProgress?: (progress: BackupProgress) => void,
): Promise<void> {
  const check = await describeBackup(file)
  if (!check.ok) throw new Error(check.message)
  await settleInflow(db)
  if (check.version > db.verno) {
    throw new Error('This backup was made by a newer Earshot. Update Earshot to restore it.')
  }
  await importInto(db, file, {
    clearTablesBeforeImport: true,
    acceptVersionDiff: true,
    // A backup made in a browser profile or test under another name is still the history.
    acceptNameDiff: true,
    acceptMissingTables: true,
    skipTables: ['reportHours'],
    progressCallback: (progress) => {
      onProgress?.({ done: progress.completedRows, total: progress.totalRows })
      return true
    },
  })
  // A backup made while mentions were arriving may hold some in its inflow.
  await settleInflow(db)
  await reindexMissing(db)
  // A backup from before schema v6 holds states without the sparse view keys (Inbox, Urgent).
  if (check.version < 6) await db.transaction('rw', db.states, () => refreshViewKeys(db.states))
  await db.transaction('rw', [db.mentions, db.states, db.reportHours], () => rebuildReportHours(db))
}

/**
 * Gives every mention without a current word-index row its row, a page at a time: a backup from
 * before the word index has none, one from before the rows carried their words in order (which
 * ranking reads instead of the mentions) has rows without `seq`, which would rank correctly but
 * slowly, reading every match's mention, for as long as the history is kept.
 */
export async function reindexMissing(db: EarshotDb): Promise<number> {
  let added = 0
  await forEachPage(db.mentions, 1000, async (page) => {
    const known = await db.search.bulkGet(page.map((mention) => mention.id))
    const stale = page.filter((_, index) => known[index]?.seq === undefined)
    await db.search.bulkPut(stale.map(searchDocFor))
    added += stale.length
  })
  return added
}
