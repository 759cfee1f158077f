import type { ActionRow, EarshotDb, ResponderState } from '../../db/database'
import { putReportRows } from '../../db/report-hours'
import { decisionOf, initialStatus, stateFor } from '../../db/state-keys'
import { reportRowOf } from '../reports/compute/rows'

/** The timeline's words for a reply: how it went out, then the text as sent. */
export const replyActionText = (how: 'posted' | 'by-hand', text: string): string =>
  how === 'posted' ? `Replied: ${text}` : `Answered on the platform by hand: ${text}`

/**
 * A reply went out (or the responder answered on the platform): the mention moves to Done and the
 * reply is appended to the audit log with its text, in one transaction, so it shows in the
 * mention's timeline and the author's history. Recording the same reply twice writes nothing more.
 * Returns the state written, or null when nothing changed or the mention is not stored.
 */
export async function recordReply(
  db: EarshotDb,
  mentionId: string,
  text: string,
  how: 'posted' | 'by-hand',
  now: number = Date.now(),
): Promise<ResponderState | null> {
  return db.transaction('rw', [db.states, db.mentions, db.actions, db.reportHours], async () => {
    const mention = await db.mentions.get(mentionId)
    if (!mention) return null
    const words = replyActionText(how, text)
    const already = await db.actions
      .where('[mentionId+at]')
      .between([mentionId, -Infinity], [mentionId, Infinity])
      .filter((row) => row.kind === 'reply' && row.detail.text === words)
      .count()
    if (already > 0) return null
    const current = await db.states.get(mentionId)
    const from = current?.status ?? initialStatus(mention)
    const kept = current ? decisionOf(current) : {}
    const state = stateFor(mention, {
      ...kept,
      status: 'done',
      updatedAt: now,
      doneAt: now,
      snoozedUntil: undefined,
    })
    const row: ActionRow = {
      mentionId,
      authorId: mention.author.id,
      at: now,
      kind: 'reply',
      detail: { text: words, from, to: 'done' },
    }
    await db.states.put(state)
    await db.actions.add(row)
    await putReportRows(db.reportHours, [reportRowOf(mention, state)])
    return state
  })
}

/** How the hand-off reached the department, in the timeline's words. */
const handoffWords = {
  webhook: 'sent to its webhook',
  email: 'e-mailed',
  copy: 'copied to hand over',
} as const

/**
 * The mention was handed to a department: it waits in "Waiting on department" with a follow-up
 * time, and the hand-off is appended to the audit log, in one transaction.
 */
export async function recordHandoff(
  db: EarshotDb,
  mentionId: string,
  department: string,
  followUpAt: number,
  how: keyof typeof handoffWords,
  now: number = Date.now(),
): Promise<ResponderState | null> {
  return db.transaction('rw', [db.states, db.mentions, db.actions, db.reportHours], async () => {
    const mention = await db.mentions.get(mentionId)
    if (!mention) return null
    const current = await db.states.get(mentionId)
    const from = current?.status ?? initialStatus(mention)
    // A new hand-off sets a new follow-up time, to be reminded of once.
    const state = stateFor(mention, {
      status: 'waiting',
      updatedAt: now,
      department,
      followUpAt,
    })
    const row: ActionRow = {
      mentionId,
      authorId: mention.author.id,
      at: now,
      kind: 'route',
      detail: {
        text: `Handed off to ${department} (${handoffWords[how]}); follow up by ${new Date(followUpAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}`,
        from,
        to: 'waiting',
        department,
        until: followUpAt,
      },
    }
    await db.states.put(state)
    await db.actions.add(row)
    await putReportRows(db.reportHours, [reportRowOf(mention, state)])
    return state
  })
}

/** The author's earlier exchanges with the brand (replies and hand-offs), newest first. */
export async function authorExchanges(
  db: EarshotDb,
  authorId: string,
  exceptMentionId: string,
): Promise<ActionRow[]> {
  const rows = await db.actions
    .where('[authorId+at]')
    .between([authorId, -Infinity], [authorId, Infinity])
    .toArray()
  return rows
    .filter((r) => (r.kind === 'reply' || r.kind === 'route') && r.mentionId !== exceptMentionId)
    .reverse()
}
