import type { Mention } from '../../../shared/domain'
import type { ActionRow, EarshotDb, ResponderState } from './database'
import { decisionOf, stateFor } from './state-keys'

const HOUR = 3_600_000

/** A department the configured list does not name (or the list not loaded yet) waits a day. */
export const DEFAULT_FOLLOW_UP_HOURS = 24

/** When to follow up on a mention routed to `department` now, from its configured hours. */
export function followUpAtFor(
  departments: readonly { name: string; followUpHours: number }[] | undefined,
  department: string,
  now: number,
): number {
  const hours = departments?.find((entry) => entry.name === department)?.followUpHours
  return now + (hours ?? DEFAULT_FOLLOW_UP_HOURS) * HOUR
}

/** Whether the row should wear "Follow-up due": waiting on a department past its follow-up time. */
export const isFollowUpDue = (state: ResponderState | undefined, now: number): boolean =>
  state?.status === 'waiting' && state.followUpAt !== undefined && state.followUpAt <= now

/** The states waiting on a department: one index range, and few (they are handed off by hand). */
const waitingStates = (db: EarshotDb): Promise<ResponderState[]> =>
  db.states
    .where('[status+createdAt]')
    .between(['waiting', -Infinity], ['waiting', Infinity])
    .toArray()

/** When the next reminder falls due, or null when none is pending. For the page's timer. */
export async function nextFollowUp(db: EarshotDb): Promise<number | null> {
  let next: number | null = null
  for (const state of await waitingStates(db)) {
    if (state.followUpAt === undefined || state.remindedAt !== undefined) continue
    if (next === null || state.followUpAt < next) next = state.followUpAt
  }
  return next
}

/** A follow-up that fell due, as the reminder names it. */
export type DueFollowUp = { mention: Mention; department: string; followUpAt: number }

/**
 * Claims the follow-ups that are due: each is marked reminded, with a "Follow-up due" row in its
 * timeline, in one transaction, so a reminder is raised once even with two windows open (the
 * second finds it claimed). Hand-offs recorded before follow-ups lived on the state get theirs
 * from the hand-off's audit row first. Returns what the caller should notify about.
 */
export async function claimDueFollowUps(
  db: EarshotDb,
  now: number = Date.now(),
): Promise<DueFollowUp[]> {
  return db.transaction('rw', db.states, db.mentions, db.actions, async () => {
    const waiting = await waitingStates(db)
    const times = await Promise.all(
      waiting.map(async (state) => state.followUpAt ?? (await handoffFollowUp(db, state.id))),
    )
    const due = waiting.flatMap((state, index) => {
      const followUpAt = times[index]
      return followUpAt !== undefined && followUpAt <= now && state.remindedAt === undefined
        ? [{ state, followUpAt }]
        : []
    })
    if (due.length === 0) return []
    const mentions = await db.mentions.bulkGet(due.map(({ state }) => state.id))
    const claimed: DueFollowUp[] = []
    const written: ResponderState[] = []
    const log: ActionRow[] = []
    due.forEach(({ state, followUpAt }, index) => {
      const mention = mentions[index]
      if (!mention) return
      const department = state.department ?? 'the department'
      written.push(stateFor(mention, { ...decisionOf(state), followUpAt, remindedAt: now }))
      log.push({
        mentionId: state.id,
        authorId: state.authorId,
        at: now,
        kind: 'reminder',
        detail: {
          text: `Follow-up due: still waiting on ${department}`,
          department,
          until: followUpAt,
        },
      })
      claimed.push({ mention, department, followUpAt })
    })
    await db.states.bulkPut(written)
    await db.actions.bulkAdd(log)
    return claimed
  })
}

/** The follow-up time of the mention's last hand-off in the audit log, if any. */
async function handoffFollowUp(db: EarshotDb, mentionId: string): Promise<number | undefined> {
  const rows = await db.actions
    .where('[mentionId+at]')
    .between([mentionId, -Infinity], [mentionId, Infinity])
    .toArray()
  return rows.filter((row) => row.kind === 'route' && row.detail.until !== undefined).at(-1)?.detail
    .until
}

/** The notification's words for a due follow-up. */
export function followUpAlert(due: DueFollowUp): {
  mentionId: string
  title: string
  body: string
} {
  const who = due.mention.author.name || due.mention.author.handle || 'someone'
  const text = due.mention.text.replace(/\s+/g, ' ').trim()
  return {
    mentionId: due.mention.id,
    title: `Follow up with ${due.department}`.slice(0, 200),
    body: `${who}: ${text.length > 300 ? `${text.slice(0, 299)}…` : text}`.slice(0, 400),
  }
}
