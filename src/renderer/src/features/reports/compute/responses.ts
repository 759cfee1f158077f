/* Responses, hand-offs and the responder's pace, read from the audit log (or, on a database from
   before it existed, from the done time kept with each state). */
import { businessMinutes, type LocalZone } from './calendar'
import { trimmedMean } from './stats'
import type { BusinessHours, ReportAction, ReportState } from './types'

/** An answer: a reply sent, or the mention marked done. */
export const isResponse = (action: ReportAction) =>
  action.kind === 'reply' || (action.kind === 'status' && action.detail.to === 'done')

/** Actions per mention, oldest first. */
export function actionsByMention(actions: Iterable<ReportAction>): Map<string, ReportAction[]> {
  const byMention = new Map<string, ReportAction[]>()
  for (const action of actions) {
    const list = byMention.get(action.mentionId)
    if (list) list.push(action)
    else byMention.set(action.mentionId, [action])
  }
  for (const list of byMention.values()) list.sort((a, b) => a.at - b.at)
  return byMention
}

/**
 * When the mention was first answered, or null. The audit log decides where it has a response;
 * a state marked done without one (done before the log existed) answers at its done time.
 */
export function firstResponseAt(
  createdAt: number,
  actions: readonly ReportAction[] | undefined,
  state: ReportState | undefined,
): number | null {
  const response = actions?.find((action) => action.at >= createdAt && isResponse(action))
  if (response) return response.at
  if (state?.status === 'done' && state.doneAt !== undefined) return state.doneAt
  return null
}

/** Business minutes from the mention to its first response. */
export const responseMinutes = (
  createdAt: number,
  answeredAt: number,
  hours: BusinessHours,
  zone: LocalZone,
) => businessMinutes(createdAt, answeredAt, hours, zone)

export type HandOff = {
  department: string
  routedAt: number
  /** When the mention left the department's hands, or null while it still waits. */
  closedAt: number | null
}

/**
 * Every hand-off of one mention: a route action, closed by the next change that moves the mention
 * out of waiting. Without a log, a state waiting on a department is one open hand-off.
 */
export function handOffs(
  actions: readonly ReportAction[] | undefined,
  state: ReportState | undefined,
): HandOff[] {
  if (actions === undefined) {
    if (state?.status === 'waiting' && state.department) {
      return [{ department: state.department, routedAt: state.updatedAt, closedAt: null }]
    }
    return []
  }
  const found: HandOff[] = []
  actions.forEach((action, index) => {
    if (action.kind !== 'route' || !action.detail.department) return
    const close = actions.slice(index + 1).find((later) => later.detail.from === 'waiting')
    found.push({
      department: action.detail.department,
      routedAt: action.at,
      closedAt: close ? close.at : state?.status === 'waiting' ? null : (state?.updatedAt ?? null),
    })
  })
  return found
}

/** Gaps longer than this between two actions are a break, not work on one conversation. */
export const BREAK_MINUTES = 60
/** Fewer measured conversations than this and the default pace is used. */
export const MIN_PACE_SAMPLES = 5

/**
 * The responder's own minutes per conversation: for each answer given in [from, to), the time
 * since their previous action on any mention (they were on this one since), breaks over an hour
 * left out, then a mean with the fastest and slowest tenth dropped. Null with too few answers.
 */
export function measuredMinutes(
  actions: readonly ReportAction[],
  from: number,
  to: number,
): { minutes: number | null; samples: number } {
  const sorted = actions.filter((action) => action.at >= from && action.at < to)
  sorted.sort((a, b) => a.at - b.at)
  const samples: number[] = []
  for (let index = 1; index < sorted.length; index++) {
    const action = sorted[index]
    const previous = sorted[index - 1]
    if (!action || !previous || !isResponse(action)) continue
    const minutes = (action.at - previous.at) / 60_000
    if (minutes > 0 && minutes <= BREAK_MINUTES) samples.push(minutes)
  }
  if (samples.length < MIN_PACE_SAMPLES) return { minutes: null, samples: samples.length }
  return { minutes: trimmedMean(samples), samples: samples.length }
}
