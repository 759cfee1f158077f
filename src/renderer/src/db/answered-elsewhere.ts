import type { BrandAccountCheck } from '../../../shared/brand-account'
import type { Mention } from '../../../shared/domain'
import type { ActionRow, EarshotDb, ElsewhereReply, ResponderState } from './database'
import { putReportRows, rowsOf } from './report-hours'
import { decisionOf, initialStatus, stateFor } from './state-keys'

/** What the check reads of a post: a stored mention or a post of a fetched thread. */
export type SeenPost = Pick<
  Mention,
  'id' | 'platform' | 'author' | 'url' | 'text' | 'createdAt' | 'replyTo'
>

/** The timeline's words for a mention the brand's own account answered on the platform. */
export const elsewhereText = (handle: string): string => `Answered elsewhere by ${handle}`

/** The earliest reply by the brand to each mention among `posts`, keyed by the mention's id. */
export function brandRepliesByTarget(
  posts: readonly SeenPost[],
  isBrand: BrandAccountCheck,
): Map<string, SeenPost> {
  const byTarget = new Map<string, SeenPost>()
  for (const post of posts) {
    if (post.replyTo === undefined || post.replyTo === post.id || !isBrand(post)) continue
    const known = byTarget.get(post.replyTo)
    if (!known || post.createdAt < known.createdAt) byTarget.set(post.replyTo, post)
  }
  return byTarget
}

const elsewhereOf = (post: SeenPost): ElsewhereReply => ({
  id: post.id,
  handle: post.author.handle ?? post.author.name,
  text: post.text,
  at: post.createdAt,
  url: post.url,
})

/**
 * The brand's own account answered stored mentions on the platform (the poller heard the reply, or
 * a fetched thread shows it): each such mention moves to Done with an audit row "Answered
 * elsewhere by @handle" carrying the reply, in one transaction, so nobody answers twice.
 *
 * Only the brand's replies cost anything: one primary-key read of their targets per page. A
 * mention the responder already closed (Done or Spam) is left alone: a reply sent from Earshot
 * comes back through the poller as the brand's post and is no news. A mention waiting on a
 * department is closed, since the brand has answered publicly, which is what closes that loop.
 * Seeing the same reply again writes nothing, even after the responder reopened the mention.
 * Returns the ids of the mentions marked.
 */
export async function markAnsweredElsewhere(
  db: EarshotDb,
  posts: readonly SeenPost[],
  isBrand: BrandAccountCheck,
  now: number = Date.now(),
): Promise<string[]> {
  const replies = brandRepliesByTarget(posts, isBrand)
  if (replies.size === 0) return []
  const targets = [...replies.keys()]
  return db.transaction('rw', [db.states, db.mentions, db.actions, db.reportHours], async () => {
    const [mentions, states] = await Promise.all([
      db.mentions.bulkGet(targets),
      db.states.bulkGet(targets),
    ])
    const written: ResponderState[] = []
    const answered: Mention[] = []
    const log: ActionRow[] = []
    for (const [index, id] of targets.entries()) {
      const mention = mentions[index]
      const reply = replies.get(id)
      if (!mention || !reply) continue
      const current = states[index]
      const from = current?.status ?? initialStatus(mention)
      // The brand answering its own post (a thread it continues) closes nothing.
      if (from === 'done' || from === 'spam' || from === 'own') continue
      const seen = await db.actions
        .where('[mentionId+at]')
        .between([id, -Infinity], [id, Infinity])
        .filter((row) => row.detail.elsewhere?.id === reply.id)
        .count()
      if (seen > 0) continue
      const kept = current ? decisionOf(current) : {}
      written.push(
        stateFor(mention, {
          ...kept,
          status: 'done',
          updatedAt: now,
          doneAt: now,
          snoozedUntil: undefined,
          followUpAt: undefined,
          remindedAt: undefined,
        }),
      )
      answered.push(mention)
      const elsewhere = elsewhereOf(reply)
      log.push({
        mentionId: id,
        authorId: mention.author.id,
        at: now,
        kind: 'reply',
        detail: { text: elsewhereText(elsewhere.handle), from, to: 'done', elsewhere },
      })
    }
    await db.states.bulkPut(written)
    await db.actions.bulkAdd(log)
    // The report counts the answer as the brand's response, like one sent from Earshot.
    await putReportRows(db.reportHours, rowsOf(answered, written))
    return written.map((state) => state.id)
  })
}

/** The brand's replies seen on the platform for one mention, oldest first (panel and composer). */
export async function elsewhereReplies(
  db: EarshotDb,
  mentionId: string,
): Promise<ElsewhereReply[]> {
  const rows = await db.actions
    .where('[mentionId+at]')
    .between([mentionId, -Infinity], [mentionId, Infinity])
    .toArray()
  return rows.flatMap((row) => (row.detail.elsewhere ? [row.detail.elsewhere] : []))
}
