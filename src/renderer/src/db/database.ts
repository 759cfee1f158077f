import { Dexie, type DexieOptions, type EntityTable } from 'dexie'
import type { Mention } from '../../../shared/domain'
import { applyVersions, versions, type SchemaVersion } from './versions'

export type ResponderStatus = 'open' | 'done'

/**
 * What the responder did with a mention; kept apart from its content. `createdAt` and `urgency`
 * are copies of the mention's, refreshed on re-delivery, so the queue can sort by index.
 */
export type ResponderState = {
  id: string
  status: ResponderStatus
  updatedAt: number
  doneAt?: number
  createdAt: number
  urgency: number
}

/** `lastSeq`: the last journal batch stored; `journal`: which journal those numbers belong to. */
export type MetaRow = { key: 'lastSeq'; value: number } | { key: 'journal'; value: string }

export type EarshotDb = Dexie & {
  mentions: EntityTable<Mention, 'id'>
  states: EntityTable<ResponderState, 'id'>
  meta: EntityTable<MetaRow, 'key'>
}

export const DB_NAME = 'earshot'

/** The renderer's history. Dexie opens it on first use. */
export function openDatabase(
  name: string = DB_NAME,
  options: { dexie?: DexieOptions; versions?: readonly SchemaVersion[] } = {},
): EarshotDb {
  const db = new Dexie(name, options.dexie) as EarshotDb
  applyVersions(db, options.versions ?? versions)
  return db
}

export async function readLastSeq(db: EarshotDb): Promise<number> {
  const row = await db.meta.get('lastSeq')
  return row?.key === 'lastSeq' ? row.value : 0
}

/**
 * Adopts the journal main names. A different one (main now runs on another data folder) numbers
 * its batches from 1 again, so lastSeq restarts; stored mentions stay and ids keep them unique.
 */
export async function adoptJournal(db: EarshotDb, journal: string): Promise<number> {
  return db.transaction('rw', db.meta, async () => {
    const known = await db.meta.get('journal')
    if (known?.key === 'journal' && known.value === journal) return readLastSeq(db)
    await db.meta.bulkPut([
      { key: 'journal', value: journal },
      { key: 'lastSeq', value: known ? 0 : await readLastSeq(db) },
    ])
    return known ? 0 : readLastSeq(db)
  })
}
