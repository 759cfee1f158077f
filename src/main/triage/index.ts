/* Triage: sentiment, intent, directedness, urgency and the reasons behind it, for each heard mention. */
import {
  URGENT_AT,
  type BrandProfile,
  type HeardMention,
  type Intent,
  type Mention,
  type Platform,
  type Reason,
  type Triage,
} from '../../shared/domain'
import { brandAccountCheck, type BrandAccountCheck } from '../../shared/brand-account'
import { mentionText } from '../../shared/text'
import { findCues, type CueHits } from './cues'
import { intentOf } from './intent'
import type { Correction, Learner, LearnerSignals } from './learner'
import { sentimentOfTokens, type SentimentResult } from './sentiment'
import { compileTerms, type TermHits, type TermMatcher } from './terms'
import { tokenize, type Token } from '../../shared/tokens'
import { DEFAULT_WEIGHTS, scoreUrgency, type UrgencyWeights } from './urgency'

export type TriageOptions = {
  /** The author's follower count, when the platform tells. */
  followers?: number | undefined
  /** Age of the post when scored, in milliseconds. */
  ageMs?: number | undefined
  /** The platform says it was addressed to the brand (a notification, a reply to its post). */
  addressed?: boolean | undefined
  /** One of the brand's own accounts wrote it: nothing to answer, whatever it says. */
  own?: boolean | undefined
  weights?: UrgencyWeights
  /** Where the post was heard; the learner may learn that it matters. */
  platform?: Platform | undefined
  /** What the responder's corrections taught; without it (or before any) the rules decide alone. */
  learner?: Learner | undefined
}

export type TriageService = {
  /** The mention with its triage; `now` (epoch ms) dates it for the age rule. */
  score(heard: HeardMention, now?: number): Mention
}

const nothingFound: TermMatcher = {
  nameWords: new Set(),
  find: (): TermHits => ({
    matched: [],
    directed: false,
    brand: false,
    products: [],
    competitors: [],
    excluded: [],
  }),
}

/**
 * What is built from a profile (its regexes, its handle check), built once per profile. Profiles
 * are replaced, never mutated, so the object itself is the cache key and a saved profile simply
 * misses the cache once. Without a profile, `none`.
 */
function perProfile<T>(build: (profile: BrandProfile) => T, none: T) {
  const built = new WeakMap<BrandProfile, T>()
  return (profile: BrandProfile | null): T => {
    if (profile === null) return none
    let value = built.get(profile)
    if (value === undefined) {
      value = build(profile)
      built.set(profile, value)
    }
    return value
  }
}

const matcherFor = perProfile(compileTerms, nothingFound)
/** Whether one of the brand's own accounts wrote a post. */
const ownCheckFor = perProfile<BrandAccountCheck>(brandAccountCheck, () => false)

/** What the rules read in a post, before anything learned is applied. */
type Reading = {
  terms: TermHits
  tokens: Token[]
  ignore: ReadonlySet<string>
  sentiment: SentimentResult
  hits: CueHits
  intent: Intent
}

function readPost(text: string, profile: BrandProfile | null, options: TriageOptions): Reading {
  const matcher = matcherFor(profile)
  const found = matcher.find(text)
  const terms = options.addressed ? { ...found, directed: true } : found
  const tokens = tokenize(text)
  const sentiment = sentimentOfTokens(tokens, { ignore: matcher.nameWords })
  const hits = findCues(tokens)
  const intent = intentOf(tokens, sentiment, hits)
  return { terms, tokens, ignore: matcher.nameWords, sentiment, hits, intent }
}

function urgencyOf(
  reading: Reading,
  sentiment: SentimentResult,
  intent: Intent,
  options: TriageOptions,
): { urgency: number; reasons: Reason[] } {
  return scoreUrgency(
    {
      sentiment,
      directed: reading.terms.directed,
      cues: reading.hits.cues,
      question: reading.hits.question,
      intent,
      competitors: reading.terms.competitors,
      followers: options.followers,
      ageMs: options.ageMs,
    },
    options.weights ?? DEFAULT_WEIGHTS,
  )
}

function learnerSignals(reading: Reading, options: TriageOptions): LearnerSignals {
  return {
    tokens: reading.tokens,
    ignore: reading.ignore,
    sentiment: reading.sentiment,
    intent: reading.intent,
    cues: reading.hits.cues,
    question: reading.hits.question,
    directed: reading.terms.directed,
    platform: options.platform,
  }
}

/**
 * The brand's own post: read like any other (its feeling and the names in it show in history and
 * threads) but never directed and never urgent, with the reason saying why.
 */
function ownPost(reading: Reading): Triage {
  return {
    sentiment: reading.sentiment,
    intent: 'other',
    directed: false,
    urgency: 0,
    reasons: [{ code: 'own', label: "the brand's own post", points: 0 }],
    matched: reading.terms.matched,
    own: true,
  }
}

const learnedLabel = (what: string) => `Learned from your corrections: ${what}`

/**
 * Scores one text against a profile (null: no brand known yet, so nothing is directed). Pure. With
 * a learner that has corrections, its confident verdicts replace the rules' sentiment label,
 * intent or urgency, each with a `learned:` reason saying so; urgency follows a learned sentiment
 * or intent through the same rules.
 */
export function triageText(
  text: string,
  profile: BrandProfile | null,
  options: TriageOptions = {},
): Triage {
  const reading = readPost(text, profile, options)
  if (options.own) return ownPost(reading)
  const { learner } = options
  if (learner === undefined || learner.isEmpty()) {
    const { urgency, reasons } = urgencyOf(reading, reading.sentiment, reading.intent, options)
    return {
      sentiment: reading.sentiment,
      intent: reading.intent,
      directed: reading.terms.directed,
      urgency,
      reasons,
      matched: reading.terms.matched,
    }
  }
  const features = learner.features(learnerSignals(reading, options))
  const learned: Reason[] = []
  let sentiment = reading.sentiment
  const newLabel = learner.sentiment(features, sentiment.label)
  if (newLabel) {
    sentiment = { ...sentiment, label: newLabel.label }
    learned.push({ code: 'learned:sentiment', label: learnedLabel(newLabel.label), points: 0 })
  }
  let intent = reading.intent
  const newIntent = learner.intent(features, intent)
  if (newIntent) {
    intent = newIntent.label
    learned.push({ code: 'learned:intent', label: learnedLabel(newIntent.label), points: 0 })
  }
  let { urgency, reasons } = urgencyOf(reading, sentiment, intent, options)
  const urgent = learner.urgent(features, urgency >= URGENT_AT)
  if (urgent) {
    // Just over or just under the line: the other reasons keep their say in the ordering.
    const points = (urgent.label ? URGENT_AT : URGENT_AT - 1) - urgency
    urgency += points
    learned.push({
      code: 'learned:urgent',
      label: learnedLabel(urgent.label ? 'urgent' : 'not urgent'),
      points,
    })
  }
  if (learned.length > 0) reasons = [...learned, ...reasons].slice(0, 24)
  return {
    sentiment,
    intent,
    directed: reading.terms.directed,
    urgency,
    reasons,
    matched: reading.terms.matched,
  }
}

/**
 * Teaches `learner` one correction of a post, reading the post exactly as `triageText` does. The
 * "urgent" model learns against the urgency the corrected sentiment and intent give. Pure but for
 * the learner it updates; `at` dates the correction.
 */
export function learnCorrection(
  learner: Learner,
  text: string,
  profile: BrandProfile | null,
  correction: Correction,
  options: Omit<TriageOptions, 'learner'> = {},
  at = 0,
): void {
  const reading = readPost(text, profile, options)
  const features = learner.features(learnerSignals(reading, options))
  let urgent = false
  if (correction.urgent !== undefined) {
    const now = learner.isEmpty() ? null : triageText(text, profile, { ...options, learner })
    const label = correction.sentiment ?? now?.sentiment.label ?? reading.sentiment.label
    const intent = correction.intent ?? now?.intent ?? reading.intent
    const sentiment = { ...reading.sentiment, label }
    urgent = urgencyOf(reading, sentiment, intent, options).urgency >= URGENT_AT
  }
  learner.learn(
    features,
    { sentiment: reading.sentiment.label, intent: reading.intent, urgent },
    correction,
    at,
  )
}

/**
 * A triage stage reading the current brand profile on every call (compiled once per profile) and,
 * when given, the learner the responder's corrections train.
 */
export function createTriage(
  getProfile: () => BrandProfile | null,
  getLearner: () => Learner | undefined = () => undefined,
): TriageService {
  return {
    score(heard, now = Date.now()) {
      const profile = getProfile()
      const triage = triageText(mentionText(heard), profile, {
        followers: heard.author.followers,
        ageMs: Math.max(0, now - heard.createdAt),
        addressed: heard.addressed,
        own: ownCheckFor(profile)(heard),
        platform: heard.platform,
        learner: getLearner(),
      })
      return { ...heard, triage }
    },
  }
}

export type { SentimentResult } from './sentiment'
export type { UrgencySignals, UrgencyWeights, UrgencyRule } from './urgency'
export { DEFAULT_WEIGHTS } from './urgency'
export { mentionText }
