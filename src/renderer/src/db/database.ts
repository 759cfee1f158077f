import { Dexie, type DexieOptions, type EntityTable, type Table } from 'dexie'
import type { Intent, Mention, Platform, SentimentLabel } from '../../../shared/domain'
import type { ReportHour } from '../features/reports/compute/rows'
import type { SearchDoc } from './search-index'
import { attachInflowOverlay } from './inflow-overlay'
import { attachStateMirror } from './state-mirror'
import { applyVersions, versions, type SchemaVersion } from './versions'
import { attachHeldMentions, type BacklogRow } from './word-backlog'

/**
 * `waiting`: handed to a department, waiting on it; `monitor`: overheard, kept for insight;
 * `snoozed`: back in the queue at `snoozedUntil`; `own`: the brand's own post (triage's `own`),
 * kept on the record but in no view but All and in no report figure.
 */
export const RESPONDER_STATUSES = [
  'open',
  'waiting',
  'snoozed',
  'monitor',
  'done',
  'spam',
  'own',
] as const
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
  /** While waiting on a department: when to follow up (not indexed; waiting states are few). */
  followUpAt?: number
  /** When the follow-up reminder was raised, so it is raised once. */
  remindedAt?: number
  directed: Flag
  intent: Intent
  sentiment: SentimentLabel
  sourceId: string
  platform: Platform
  authorId: string
  /**
   * Present (1) only when open or watched and at or above URGENT_AT: the Urgent view's index
   * prefix. Left out otherwise, so the other states cost that index nothing (schema v6). A state
   * stored before v6 and untouched since may still hold 0: read it as `urgent === 1`.
   */
  urgent?: 0 | 1
  /**
   * Present (1) only when open and directed: the Inbox's index prefix, sparse like `urgent`
   * (schema v6; it replaced `[status+directed+createdAt]`, an entry for every state).
   */
  inbox?: 1
}

export type ActionKind =
  | 'status'
  | 'note'
  | 'route'
  | 'reply'
  | 'correction'
  | 'snooze'
  /** A follow-up fell due and the responder was reminded. */
  | 'reminder'

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
    /** The brand's own reply seen on the platform ("answered elsewhere"), as the panel shows it. */
    elsewhere?: ElsewhereReply
  }
}

/** A reply the brand's own account posted outside Earshot, as the poller or the thread saw it. */
export type ElsewhereReply = {
  id: string
  handle: string
  text: string
  at: number
  url: string | null
}

/**
 * `lastSeq`: the last journal batch stored; `journal`: which journal those numbers belong to;
 * `words:pending:<seq>`: stored mentions whose word rows are not written yet (word-backlog.ts).
 */
export type MetaRow =
  { key: 'lastSeq'; value: number } | { key: 'journal'; value: string } | BacklogRow

export type EarshotDb = Dexie & {
  mentions: EntityTable<Mention, 'id'>
  states: EntityTable<ResponderState, 'id'>
  actions: EntityTable<ActionRow, 'id'>
  meta: EntityTable<MetaRow, 'key'>
  search: EntityTable<SearchDoc, 'id'>
  /** The report's compact rows per UTC hour (schema v4). */
  reportHours: Table<ReportHour, number>
  /** Delivered mentions waiting to be spread into `mentions` and `states` (schema v7, inflow.ts). */
  inflow: EntityTable<InflowRow, 'id'>
}

/**
 * A chunk of delivered mentions, stored as one record by the ingest and spread into `mentions`
 * and `states` after it (inflow.ts). `at` is when it arrived: a new state's `updatedAt`. `seq` is
 * the journal batch it came with, the key of its word-backlog row once spread.
 */
export type InflowRow = { id?: number; seq: number; at: number; mentions: Mention[] }

export const DB_NAME = 'earshot'

/**
 * The renderer's history, with its states mirrored in memory (state-mirror.ts). Dexie opens it
 * on first use.
 *
 * Transactions keep Chromium's default durability. `chromeTransactionDurability: 'relaxed'` was
 * measured and bought nothing: storing 2,000 mentions with their states and word rows in a profile
 * on disk, as one transaction or as 40, relaxed and default took the same time within the noise
 * (the indexes cost far more than the flush). And it would weaken "nothing lost": a relaxed commit
 * may still sit in the OS's cache when the page acks it, and main drops acked batches at its next
 * compaction, so a power cut in between would lose mentions the journal no longer holds. (A crash
 * of the app alone loses nothing either way: the OS still writes the cache out.)
 */
export function openDatabase(
  name: string = DB_NAME,
  options: { dexie?: DexieOptions; versions?: readonly SchemaVersion[] } = {},
): EarshotDb {
  const db = new Dexie(name, options.dexie) as EarshotDb
  applyVersions(db, options.versions ?? versions)
  // Installed before the database opens, so it sees every write, upgrades included.
  attachInflowOverlay(db)
  attachStateMirror(db)
  attachHeldMentions(db)
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
  // Every catch-up page asks, and the answer is almost always the same journal: a read settles
  // it without a readwrite transaction, whose commit Chromium flushes to disk.
  const seen = await db.meta.get('journal')
  if (seen?.key === 'journal' && seen.value === journal) return readLastSeq(db)
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
