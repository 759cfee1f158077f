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

export type MetaRow = { key: 'lastSeq'; value: number }

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
  return (await db.meta.get('lastSeq'))?.value ?? 0
}
