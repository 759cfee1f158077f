import { Dexie, type DexieOptions, type EntityTable, type Table } from 'dexie'
import type { Intent, Mention, Platform, SentimentLabel } from '../../../shared/domain'
import type { ReportHour } from '../features/reports/compute/rows'
import type { SearchDoc } from './search-index'
import { applyVersions, versions, type SchemaVersion } from './versions'

/**
 * `waiting`: handed to a department, waiting on it; `monitor`: overheard, kept for insight;
 * `snoozed`: back in the queue at `snoozedUntil`.
 */
export const RESPONDER_STATUSES = ['open', 'waiting', 'snoozed', 'monitor', 'done', 'spam'] as const
export type ResponderStatus = (typeof RESPONDER_STATUSES)[number]

/** IndexedDB cannot index booleans: flags are stored as 0 or 1. */
export type Flag = 0 | 1

/**
 * What the responder did with a mention; kept apart from its content. Everything after `doneAt`
 * is a copy of the mention's (refreshed on re-delivery) or derived from the status, so every view
 * and filter reads states alone, by index, without touching the mentions.
 */
export type ResponderState = {
  id: string
  status: ResponderStatus
  updatedAt: number
  doneAt?: number
  createdAt: number
  urgency: number
  /** Set only while snoozed. */
  snoozedUntil?: number
  /** Set while waiting on a department (kept after, as the last department routed to). */
  department?: string
  directed: Flag
  intent: Intent
  sentiment: SentimentLabel
  sourceId: string
  platform: Platform
  authorId: string
  /** 1 when open or watched and at or above URGENT_AT: the Urgent view's index prefix. */
  urgent: Flag
}

export type ActionKind = 'status' | 'note' | 'route' | 'reply' | 'correction' | 'snooze'

/** One line of the audit log: appended in the same transaction as the change it records. */
export type ActionRow = {
  id?: number
  mentionId: string
  authorId: string
  at: number
  kind: ActionKind
  /** Plain words for the timeline, plus the machine-readable fields of the change. */
  detail: {
    text: string
    from?: ResponderStatus
    to?: ResponderStatus
    department?: string
    until?: number
  }
}

/** `lastSeq`: the last journal batch stored; `journal`: which journal those numbers belong to. */
export type MetaRow = { key: 'lastSeq'; value: number } | { key: 'journal'; value: string }

export type EarshotDb = Dexie & {
  mentions: EntityTable<Mention, 'id'>
  states: EntityTable<ResponderState, 'id'>
  actions: EntityTable<ActionRow, 'id'>
  meta: EntityTable<MetaRow, 'key'>
  search: EntityTable<SearchDoc, 'id'>
  /** The report's compact rows per UTC hour (schema v4). */
  reportHours: Table<ReportHour, number>
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
