/* Urgency 0-100 as a sum of explainable parts; each part is a chip the responder sees. */
import type { Intent, Reason } from '../../shared/domain'
import type { Cue } from './cues'
import type { SentimentResult } from './sentiment'

/** Everything urgency is decided from. Later signals (intent, thread heat) join here. */
export type UrgencySignals = {
  sentiment: Pick<SentimentResult, 'score' | 'label'>
  directed: boolean
  cues: readonly Cue[]
  question: boolean
  /** Left out by callers that do not score intent; then no intent reason is given. */
  intent?: Intent | undefined
  competitors: readonly string[]
  followers?: number | undefined
  /** How old the post was when it was scored, in milliseconds. */
  ageMs?: number | undefined
}

/**
 * Points per part. A plain object so that weights learned from the responder's corrections can
 * replace these defaults later. Tuned so that, with `URGENT_AT` = 70: a directed, angry complaint
 * about money or with a crisis word is urgent; a neutral overheard mention or praise is not; a
 * crisis word alone (60) is urgent once the post is negative or directed (see `crisis`).
 */
export type UrgencyWeights = {
  directed: number
  /** Negative posts get `negativeBase` plus `negativePerPoint` for each point below -1, capped. */
  negativeBase: number
  negativePerPoint: number
  negativeMax: number
  /** The first complaint cue by group; unknown groups get `complaintOther`. */
  complaint: Readonly<Record<string, number>>
  complaintOther: number
  /** Each further complaint group. */
  complaintExtra: number
  /** The first crisis word: legal, safety, health, security, fraud, conduct. */
  /** A post whose intent is a complaint, on top of its cues: trouble said as trouble. */
  complaintIntent: number
  crisis: number
  crisisExtra: number
  directedQuestion: number
  competitor: number
  /** Reach: `reachPerDecade` points per tenfold above `reachFrom` followers, capped. */
  reachFrom: number
  reachPerDecade: number
  reachMax: number
  /** Praise lowers urgency by `praiseBase` plus `praisePerPoint` above +1, capped (as negatives). */
  praiseBase: number
  praisePerPoint: number
  praiseMax: number
  /** Posts older than `staleAfterMs` when first heard (a feed's back catalogue) lose points. */
  staleAfterMs: number
  stale: number
}

export const DEFAULT_WEIGHTS: UrgencyWeights = {
  directed: 20,
  negativeBase: 10,
  negativePerPoint: 4,
  negativeMax: 35,
  complaint: { refund: 25, billing: 25, escalation: 15, delayed: 15, urgent: 15 },
  complaintOther: 20,
  complaintExtra: 5,
  complaintIntent: 10,
  crisis: 60,
  crisisExtra: 10,
  directedQuestion: 10,
  competitor: 10,
  reachFrom: 1000,
  reachPerDecade: 5,
  reachMax: 15,
  praiseBase: 8,
  praisePerPoint: 4,
  praiseMax: 30,
  staleAfterMs: 3 * 24 * 3600_000,
  stale: -20,
}

/** One explainable part of urgency; returns no reasons when it does not apply. */
export type UrgencyRule = (signals: UrgencySignals, weights: UrgencyWeights) => readonly Reason[]

const none: readonly Reason[] = []

const negative: UrgencyRule = ({ sentiment }, w) => {
  if (sentiment.label !== 'negative') return none
  const points = Math.min(
    w.negativeMax,
    w.negativeBase + w.negativePerPoint * Math.max(0, -sentiment.score - 1),
  )
  return [
    { code: 'negative', label: points >= w.negativeMax ? 'very negative' : 'negative', points },
  ]
}

const directed: UrgencyRule = (s, w) =>
  s.directed ? [{ code: 'directed', label: 'directed', points: w.directed }] : none

// The strongest complaint cue counts fully, each further kind of trouble a little.
const complaints: UrgencyRule = ({ cues }, w) => {
  let strongest: Cue | undefined
  let strongestPoints = 0
  for (const cue of cues) {
    const points = cue.kind === 'complaint' ? (w.complaint[cue.group] ?? w.complaintOther) : 0
    if (points > strongestPoints) {
      strongest = cue
      strongestPoints = points
    }
  }
  if (!strongest) return none
  const reasons: Reason[] = []
  for (const cue of cues) {
    if (cue.kind !== 'complaint') continue
    const points = cue === strongest ? strongestPoints : w.complaintExtra
    reasons.push({ code: `complaint:${cue.group}`, label: cue.label, points })
  }
  return reasons
}

// Crisis words are pushed high on their own: legal, safety, health and security trouble must reach
// someone today even when the post only talks about the brand, and the chip row says "directed" or
// not, so nobody answers an overheard post blindly.
const crises: UrgencyRule = ({ cues }, w) => {
  let reasons: Reason[] | undefined
  for (const cue of cues) {
    if (cue.kind !== 'crisis') continue
    reasons ??= []
    const points = reasons.length === 0 ? w.crisis : w.crisisExtra
    reasons.push({ code: `crisis:${cue.group}`, label: cue.label, points })
  }
  return reasons ?? none
}

// Only a complaint moves urgency: a question to the brand is the `question` rule's, praise has its
// own rule, and ideas and the rest can wait for the queue.
const complaintIntent: UrgencyRule = ({ intent }, w) =>
  intent === 'complaint'
    ? [{ code: 'intent:complaint', label: 'complaint', points: w.complaintIntent }]
    : none

const question: UrgencyRule = (s, w) =>
  s.directed && s.question
    ? [{ code: 'question', label: 'question', points: w.directedQuestion }]
    : none

const competitor: UrgencyRule = ({ competitors }, w) =>
  competitors.length > 0
    ? [
        {
          code: 'competitor',
          label: `mentions ${competitors.slice(0, 2).join(', ')}`,
          points: w.competitor,
        },
      ]
    : none

const reach: UrgencyRule = ({ followers }, w) => {
  if (followers === undefined || followers < w.reachFrom) return none
  const decades = 1 + Math.log10(followers / w.reachFrom)
  const points = Math.min(w.reachMax, Math.round(w.reachPerDecade * decades))
  return [{ code: 'reach', label: `${formatCount(followers)} followers`, points }]
}

const praise: UrgencyRule = ({ sentiment, cues }, w) => {
  if (sentiment.label !== 'positive') return none
  // Sarcasm wraps crises in nice words ("great, you leaked my data"); praise never hides one.
  for (const cue of cues) if (cue.kind === 'crisis') return none
  const points = Math.min(
    w.praiseMax,
    w.praiseBase + w.praisePerPoint * Math.max(0, sentiment.score - 1),
  )
  return [{ code: 'praise', label: 'praise', points: -points }]
}

const stale: UrgencyRule = ({ ageMs }, w) => {
  if (ageMs === undefined || ageMs < w.staleAfterMs) return none
  const days = Math.floor(ageMs / (24 * 3600_000))
  return [{ code: 'stale', label: `${days} days old`, points: w.stale }]
}

/** The parts, in the order their chips read when points tie. */
export const URGENCY_RULES: readonly UrgencyRule[] = [
  directed,
  negative,
  crises,
  complaints,
  complaintIntent,
  question,
  competitor,
  reach,
  praise,
  stale,
]

/**
 * Strongest first, keeping the rule order among equal points. A post has a handful of reasons, and
 * an insertion sort of so few costs a fraction of Array.prototype.sort's set-up.
 */
function sortByPoints(reasons: Reason[]): void {
  for (let i = 1; i < reasons.length; i++) {
    const reason = reasons[i] as Reason
    let j = i - 1
    while (j >= 0 && (reasons[j] as Reason).points < reason.points) {
      reasons[j + 1] = reasons[j] as Reason
      j--
    }
    reasons[j + 1] = reason
  }
}

/** Urgency and its reasons, strongest first. */
export function scoreUrgency(
  signals: UrgencySignals,
  weights: UrgencyWeights = DEFAULT_WEIGHTS,
  rules: readonly UrgencyRule[] = URGENCY_RULES,
): { urgency: number; reasons: Reason[] } {
  const reasons: Reason[] = []
  let total = 0
  for (const rule of rules) {
    for (const reason of rule(signals, weights)) {
      const points = Math.round(reason.points)
      reasons.push(points === reason.points ? reason : { ...reason, points })
      total += points
    }
  }
  sortByPoints(reasons)
  if (reasons.length > 24) reasons.length = 24
  return { urgency: Math.max(0, Math.min(100, total)), reasons }
}

/** 950 → "950", 2400 → "2.4k", 24000 → "24k", 1200000 → "1.2M". */
export function formatCount(n: number): string {
  const short = (value: number, unit: string) =>
    `${value < 10 ? Math.round(value * 10) / 10 : Math.round(value)}${unit}`
  if (n >= 999_500) return short(n / 1_000_000, 'M')
  if (n >= 1000) return short(n / 1000, 'k')
  return String(Math.round(n))
}
