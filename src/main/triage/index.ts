/* Triage: sentiment, intent, directedness, urgency and the reasons behind it, for each heard mention. */
import type { BrandProfile, HeardMention, Mention, Triage } from '../../shared/domain'
import { mentionText } from '../../shared/text'
import { findCues } from './cues'
import { intentOf } from './intent'
import { sentimentOfTokens } from './sentiment'
import { compileTerms, type TermHits, type TermMatcher } from './terms'
import { tokenize } from '../../shared/tokens'
import { DEFAULT_WEIGHTS, scoreUrgency, type UrgencyWeights } from './urgency'

export type TriageOptions = {
  /** The author's follower count, when the platform tells. */
  followers?: number | undefined
  /** Age of the post when scored, in milliseconds. */
  ageMs?: number | undefined
  /** The platform says it was addressed to the brand (a notification, a reply to its post). */
  addressed?: boolean | undefined
  weights?: UrgencyWeights
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

// Compiling a profile builds its regexes; profiles are replaced, never mutated, so the object itself
// is the cache key and a saved profile simply misses the cache once.
const matchers = new WeakMap<BrandProfile, TermMatcher>()

function matcherFor(profile: BrandProfile | null): TermMatcher {
  if (profile === null) return nothingFound
  let matcher = matchers.get(profile)
  if (!matcher) {
    matcher = compileTerms(profile)
    matchers.set(profile, matcher)
  }
  return matcher
}

/** Scores one text against a profile (null: no brand known yet, so nothing is directed). Pure. */
export function triageText(
  text: string,
  profile: BrandProfile | null,
  options: TriageOptions = {},
): Triage {
  const matcher = matcherFor(profile)
  const found = matcher.find(text)
  const terms = options.addressed ? { ...found, directed: true } : found
  const tokens = tokenize(text)
  const sentiment = sentimentOfTokens(tokens, { ignore: matcher.nameWords })
  const hits = findCues(tokens)
  const { cues, question } = hits
  const intent = intentOf(tokens, sentiment, hits)
  const { urgency, reasons } = scoreUrgency(
    {
      sentiment,
      directed: terms.directed,
      cues,
      question,
      intent,
      competitors: terms.competitors,
      followers: options.followers,
      ageMs: options.ageMs,
    },
    options.weights ?? DEFAULT_WEIGHTS,
  )
  return {
    sentiment,
    intent,
    directed: terms.directed,
    urgency,
    reasons,
    matched: terms.matched,
  }
}

/** A triage stage reading the current brand profile on every call (compiled once per profile). */
export function createTriage(getProfile: () => BrandProfile | null): TriageService {
  return {
    score(heard, now = Date.now()) {
      const triage = triageText(mentionText(heard), getProfile(), {
        followers: heard.author.followers,
        ageMs: Math.max(0, now - heard.createdAt),
        addressed: heard.addressed,
      })
      return { ...heard, triage }
    },
  }
}

export type { SentimentResult } from './sentiment'
export type { UrgencySignals, UrgencyWeights, UrgencyRule } from './urgency'
export { DEFAULT_WEIGHTS } from './urgency'
export { mentionText }
