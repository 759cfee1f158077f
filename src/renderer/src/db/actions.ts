import type { Mention } from '../../../shared/domain'
import type { ActionRow, EarshotDb, ResponderState, ResponderStatus } from './database'
import { putReportRows, rowsOf } from './report-hours'
import { decisionOf, initialStatus, stateFor, type Decision } from './state-keys'

/** The five default departments until the routing settings supply the configured list. */
export const DEFAULT_DEPARTMENTS = [
  'customer service',
  'product',
  'PR',
  'marketing',
  'executives',
] as const

/** What a responder can do to mentions, one or many at a time. */
export type Change =
  | { kind: 'status'; status: 'open' | 'done' | 'monitor' | 'spam' }
  | { kind: 'snooze'; until: number }
  /** `followUpAt`: when to be reminded, from the department's follow-up hours. */
  | { kind: 'route'; department: string; followUpAt?: number }

export const statusWords: Record<ResponderStatus, string> = {
  open: 'Open',
  waiting: 'Waiting on department',
  snoozed: 'Snoozed',
  monitor: 'Watching',
  done: 'Done',
  spam: 'Spam',
  own: "Brand's own post",
}

const timeWords = (at: number) =>
  new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })

function decide(change: Change, now: number): Decision {
  switch (change.kind) {
    case 'status':
      return change.status === 'done'
        ? { status: 'done', updatedAt: now, doneAt: now }
        : { status: change.status, updatedAt: now }
    case 'snooze':
      return { status: 'snoozed', updatedAt: now, snoozedUntil: change.until }
    case 'route':
      return {
        status: 'waiting',
        updatedAt: now,
        department: change.department,
        followUpAt: change.followUpAt,
      }
  }
}

function describe(change: Change, from: ResponderStatus): ActionRow['detail'] {
  switch (change.kind) {
    case 'status':
      return {
        text: `${statusWords[from]} → ${statusWords[change.status]}`,
        from,
        to: change.status,
      }
    case 'snooze':
      return {
        text: `Snoozed until ${timeWords(change.until)}`,
        from,
        to: 'snoozed',
        until: change.until,
      }
    case 'route':
      return {
        text:
          change.followUpAt === undefined
            ? `Routed to ${change.department}`
            : `Routed to ${change.department}; follow up by ${timeWords(change.followUpAt)}`,
        from,
        to: 'waiting',
        department: change.department,
        ...(change.followUpAt === undefined ? {} : { until: change.followUpAt }),
      }
  }
}

/**
 * Applies one change to every given mention, with one audit row each, in one transaction: either
 * all states and all their actions are written, or nothing is. A mention already in the asked
 * status is left alone and gets no action. Ids Earshot never stored are skipped. Returns the
 * states written.
 */
export async function applyChange(
  db: EarshotDb,
  ids: readonly string[],
  change: Change,
  now: number = Date.now(),
): Promise<ResponderState[]> {
  const unique = [...new Set(ids)]
  return db.transaction('rw', [db.states, db.mentions, db.actions, db.reportHours], async () => {
    const [states, mentions] = await Promise.all([
      db.states.bulkGet(unique),
      db.mentions.bulkGet(unique),
    ])
    const written: ResponderState[] = []
    const changed: Mention[] = []
    const log: ActionRow[] = []
    unique.forEach((id, index) => {
      const mention = mentions[index]
      if (!mention) return
      const current = states[index]
      const from = current?.status ?? initialStatus(mention)
      const decision = decide(change, now)
      const same =
        current !== undefined &&
        decision.status === from &&
        decision.snoozedUntil === current.snoozedUntil &&
        (decision.department === undefined || decision.department === current.department)
      if (same) return
      // Routing remembers the department after the loop is closed; other changes keep it too.
      const department = decision.department ?? current?.department
      written.push(stateFor(mention, { ...decision, department }))
      changed.push(mention)
      log.push({
        mentionId: id,
        authorId: mention.author.id,
        at: now,
        kind: change.kind,
        detail: describe(change, from),
      })
    })
    await db.states.bulkPut(written)
    await db.actions.bulkAdd(log)
    await putReportRows(db.reportHours, rowsOf(changed, written))
    return written
  })
}

/**
 * Marks one mention done or reopens it ('toggle' flips between the two). Returns null for an id
 * Earshot has never stored, since a state without its mention could not be shown anywhere.
 */
export async function setStatus(
  db: EarshotDb,
  id: string,
  status: 'open' | 'done' | 'monitor' | 'spam' | 'toggle',
  now: number = Date.now(),
): Promise<ResponderState | null> {
  return db.transaction('rw', [db.states, db.mentions, db.actions, db.reportHours], async () => {
    const current = await db.states.get(id)
    if (!current && !(await db.mentions.get(id))) return null
    const next = status === 'toggle' ? (current?.status === 'done' ? 'open' : 'done') : status
    const [written] = await applyChange(db, [id], { kind: 'status', status: next }, now)
    return written ?? (await db.states.get(id)) ?? null
  })
}

/**
 * Snoozes that are due come back: a directed mention to Inbox, an overheard one to Watching, each
 * with its action. One transaction; returns how many woke.
 */
export async function wakeSnoozed(db: EarshotDb, now: number = Date.now()): Promise<number> {
  return db.transaction('rw', [db.states, db.mentions, db.actions, db.reportHours], async () => {
    const due = await db.states.where('snoozedUntil').belowOrEqual(now).toArray()
    const snoozed = due.filter((state) => state.status === 'snoozed')
    const mentions = await db.mentions.bulkGet(snoozed.map((state) => state.id))
    const written: ResponderState[] = []
    const changed: Mention[] = []
    const log: ActionRow[] = []
    snoozed.forEach((state, index) => {
      const mention = mentions[index]
      if (!mention) return
      const status = initialStatus(mention)
      const { department } = decisionOf(state)
      written.push(stateFor(mention, { status, updatedAt: now, department }))
      changed.push(mention)
      log.push({
        mentionId: state.id,
        authorId: state.authorId,
        at: now,
        kind: 'status',
        detail: { text: `Snooze ended → ${statusWords[status]}`, from: 'snoozed', to: status },
      })
    })
    await db.states.bulkPut(written)
    await db.actions.bulkAdd(log)
    await putReportRows(db.reportHours, rowsOf(changed, written))
    return written.length
  })
}

/** When the next snooze falls due, or null when nothing is snoozed. */
export async function nextWake(db: EarshotDb): Promise<number | null> {
  const first = await db.states.orderBy('snoozedUntil').first()
  return first?.snoozedUntil ?? null
}

/** A mention's timeline, oldest first. */
export const loadTimeline = (db: EarshotDb, mentionId: string): Promise<ActionRow[]> =>
  db.actions
    .where('[mentionId+at]')
    .between([mentionId, -Infinity], [mentionId, Infinity])
    .toArray()
