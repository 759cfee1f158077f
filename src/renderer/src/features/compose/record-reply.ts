import type { ActionRow, EarshotDb, ResponderState } from '../../db/database'
import { decisionOf, initialStatus, stateFor } from '../../db/state-keys'

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
  return db.transaction('rw', db.states, db.mentions, db.actions, async () => {
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
    return state
  })
}
