/* The notification policy, pure: whether something interrupts now, waits for the digest, or neither. */
import type { NotificationPolicy, Severity } from '../../shared/alert-policy'
import type { Alert, Mention } from '../../shared/domain'
import { collapse, truncate, where, who } from './policy'
import type { Spike } from './spikes'

/**
 * What may interrupt. A routing rule can later force a mention to notify (`forceNotify`, even
 * below the threshold) or keep it quiet (`suppress`); both default to neither.
 */
export type AlertCandidate =
  | { kind: 'mention'; mention: Mention; forceNotify?: boolean; suppress?: boolean }
  | { kind: 'spike'; spike: Spike; sourceIds: readonly string[] }
  | { kind: 'silence'; sourceId: string }

/** Why something that would have interrupted did not. */
export type HeldBecause = 'disabled' | 'quiet-hours' | 'source-off' | 'severity-off' | 'suppressed'

export type Decision =
  /** Interrupt now. */
  | { action: 'notify'; severity: Severity }
  /** Would have interrupted: counted in the digest as held back. */
  | { action: 'hold'; severity: Severity; because: HeldBecause }
  /** Below the threshold: only the digest's count. */
  | { action: 'digest' }

/** The local minute of the day (0..1439) at epoch ms `at`: the machine's time zone by default. */
export type MinuteOfDay = (at: number) => number

export const localMinuteOfDay: MinuteOfDay = (at) => {
  const date = new Date(at)
  return date.getHours() * 60 + date.getMinutes()
}

const minutesOf = (clock: string) => {
  const [hours, minutes] = clock.split(':').map(Number)
  return (hours ?? 0) * 60 + (minutes ?? 0)
}

/** Whether `minute` falls in quiet hours; a start after the end crosses midnight. */
export function inQuietHours(policy: NotificationPolicy, minute: number): boolean {
  const { enabled, start, end } = policy.quietHours
  if (!enabled) return false
  const from = minutesOf(start)
  const to = minutesOf(end)
  if (from === to) return false
  return from < to ? minute >= from && minute < to : minute >= from || minute < to
}

/**
 * Why a reminder the responder set (a follow-up falling due) may not interrupt now, or null when
 * it may: it keeps to the switch and quiet hours like any alert, but no threshold applies.
 */
export function reminderHeld(policy: NotificationPolicy, minute: number): HeldBecause | null {
  if (!policy.enabled) return 'disabled'
  if (inQuietHours(policy, minute)) return 'quiet-hours'
  return null
}

/** A crisis word (legal, safety, health, security) among the mention's urgency reasons. */
export const hasCrisisWord = (mention: Mention) =>
  mention.triage.reasons.some((reason) => reason.code.startsWith('crisis:') && reason.points > 0)

/** The severity of an alert about `mention`, or null when it is not worth interrupting for. */
export function mentionSeverity(
  mention: Mention,
  policy: NotificationPolicy,
  forceNotify = false,
): Severity | null {
  if (mention.triage.urgency < policy.urgencyThreshold && !forceNotify) return null
  return hasCrisisWord(mention) ? 'crisis' : 'urgent'
}

/** Decides one candidate at epoch ms `at`. */
export function decide(
  candidate: AlertCandidate,
  policy: NotificationPolicy,
  at: number,
  minuteOfDay: MinuteOfDay = localMinuteOfDay,
): Decision {
  let severity: Severity
  let sources: readonly string[]
  if (candidate.kind === 'mention') {
    const found = mentionSeverity(candidate.mention, policy, candidate.forceNotify)
    if (found === null) return { action: 'digest' }
    severity = found
    sources = [candidate.mention.sourceId]
    if (candidate.suppress) return { action: 'hold', severity, because: 'suppressed' }
  } else if (candidate.kind === 'spike') {
    severity = 'spike'
    sources = candidate.sourceIds
  } else {
    severity = 'silence'
    sources = [candidate.sourceId]
  }
  if (!policy.enabled) return { action: 'hold', severity, because: 'disabled' }
  if (!policy.perSeverity[severity]) return { action: 'hold', severity, because: 'severity-off' }
  // A spike spread over several sources is silenced only when every one of them is.
  if (sources.length > 0 && sources.every((id) => policy.perSource[id] === false)) {
    return { action: 'hold', severity, because: 'source-off' }
  }
  const breaksThrough = severity === 'crisis' && policy.crisisBreaksThrough
  if (!breaksThrough && inQuietHours(policy, minuteOfDay(at))) {
    return { action: 'hold', severity, because: 'quiet-hours' }
  }
  return { action: 'notify', severity }
}

const QUOTE_MAX = 120
const WHY_SHOWN = 3

/** "@ana on Mastodon: refund, lawyer" and the quote, opening the mention when clicked. */
export function mentionAlert(mention: Mention, reminder?: { time: number; of: number }): Alert {
  const why = mention.triage.reasons
    .filter((reason) => reason.points > 0)
    .slice(0, WHY_SHOWN)
    .map((reason) => reason.label)
    .join(', ')
  const line = `${who(mention)} on ${where(mention)}${why ? `: ${why}` : ''}`
  const said = truncate(collapse(mention.text) || collapse(mention.title ?? ''), QUOTE_MAX)
  const prefix = reminder ? `Still open (${reminder.time} of ${reminder.of}): ` : ''
  return {
    kind: 'mention',
    mentionId: mention.id,
    title: truncate(prefix + line, 200),
    body: said ? truncate(`‘${said}’`, 400) : 'Open Earshot to read it.',
  }
}

/** A spike alert: the summary, the words and the posts, opening the queue filtered to them. */
export function spikeAlert(spike: Spike, leadId: string): Alert {
  const posts = spike.mentionIds.length
  const title = spike.kind === 'volume' ? `Spike: ${spike.topic}` : `Negative spike: ${spike.topic}`
  return {
    kind: 'spike',
    mentionId: leadId,
    mentionIds: spike.mentionIds.slice(0, 200),
    ...(spike.words.length > 0 ? { query: truncate(spike.words.join(' '), 200) } : {}),
    title: truncate(title, 200),
    body: truncate(`${spike.summary}. ${posts} post${posts === 1 ? '' : 's'} to read.`, 400),
  }
}

/** One mention that did not interrupt, as the digest remembers it. */
export type DigestEntry = { mentionId: string; line: string; urgency: number }

/** What did not interrupt since the last digest. Bounded: a count, the top few, some ids. */
export type DigestState = {
  since: number
  count: number
  /** Of `count`, those that would have interrupted (quiet hours, a switch, a rule). */
  held: number
  /** Spikes and silent sources held back. */
  heldOther: number
  top: DigestEntry[]
  ids: string[]
}

const DIGEST_TOP = 3
const DIGEST_IDS = 200

export const emptyDigest = (since: number): DigestState => ({
  since,
  count: 0,
  held: 0,
  heldOther: 0,
  top: [],
  ids: [],
})

/** Adds a mention that did not interrupt; `held` when it would have. */
export function addToDigest(digest: DigestState, mention: Mention, held: boolean): DigestState {
  return {
    ...digest,
    count: digest.count + 1,
    held: digest.held + (held ? 1 : 0),
    top: withTop(digest.top, mention),
    ids: digest.ids.length < DIGEST_IDS ? [...digest.ids, mention.id] : digest.ids,
  }
}

/**
 * The most urgent entries with `mention` among them, if it ranks (ties keep the earlier one). Its
 * line is written only then: naming a feed's site parses the mention's URL, and most mentions of a
 * busy cycle never make the top three.
 */
function withTop(top: DigestEntry[], mention: Mention): DigestEntry[] {
  const urgency = mention.triage.urgency
  if (top.filter((entry) => entry.urgency >= urgency).length >= DIGEST_TOP) return top
  const entry: DigestEntry = {
    mentionId: mention.id,
    line: `${who(mention)} on ${where(mention)}`,
    urgency,
  }
  return [...top, entry].sort((a, b) => b.urgency - a.urgency).slice(0, DIGEST_TOP)
}

export const isEmptyDigest = (digest: DigestState) => digest.count === 0 && digest.heldOther === 0

/** "14 mentions did not interrupt (2 held back). Most urgent: @ana on Mastodon (64), …". */
export function digestAlert(digest: DigestState): Alert {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
  const held = digest.held + digest.heldOther
  const title =
    digest.count > 0
      ? `${plural(digest.count, 'mention')} did not interrupt`
      : `${plural(digest.heldOther, 'alert')} held back`
  const parts = [
    held > 0 ? `${held} held back by quiet hours or your switches.` : '',
    digest.heldOther > 0 ? `${plural(digest.heldOther, 'spike or source alarm')} among them.` : '',
    digest.top.length > 0
      ? `Most urgent: ${digest.top.map((entry) => `${entry.line} (${entry.urgency})`).join(', ')}.`
      : '',
  ]
  const lead = digest.top[0]?.mentionId ?? digest.ids[0] ?? 'digest:'
  return {
    kind: 'digest',
    mentionId: lead,
    mentionIds: digest.ids.slice(0, 200),
    title: truncate(title, 200),
    body: truncate(parts.filter(Boolean).join(' ') || 'Nothing urgent.', 400),
  }
}
