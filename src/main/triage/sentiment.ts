/* How a post feels: AFINN-style word sums with customer-care words, negation scope and emphasis. */
import type { SentimentLabel } from '../../shared/domain'
import { intensifiers, negators, phrases, tokenWeights } from './lexicon'
import { phraseAt, tokenize, type Token } from './tokens'

export type SentimentResult = {
  /** Sum of the weighted words (AFINN scale per word), two decimals. */
  score: number
  /** `score` per token, as the `sentiment` package reports it. */
  comparative: number
  label: SentimentLabel
  /** Words that drove the score, signed and in order: `-on hold`, `+love`. At most 40. */
  words: string[]
}

export type SentimentOptions = {
  /** Tokens not to score, e.g. the brand's own name ("United", "Best Buy"). */
  ignore?: ReadonlySet<string>
}

/**
 * Where the labels split. Calibrated with `bench/triage-quality.ts` (negative vs not-negative
 * macro-F1): one clearly negative word is enough for a complaint, while praise needs a little more.
 */
export const LABEL_THRESHOLDS = { negative: -1, positive: 1 } as const

/** How many words after "not" it still reaches ("not very good at all"). */
const NEGATION_REACH = 3
/** Negated praise is a complaint; negated complaint is only mild praise ("not bad"). */
const NEGATED_POSITIVE = -0.75
const NEGATED_NEGATIVE = -0.5
const SHOUTED = 1.5
/** What comes before "but" matters less than what follows ("nice crew, but 3 hours late"). */
const BEFORE_BUT = 0.5

const noIgnore: ReadonlySet<string> = new Set()

/** Scores `text` on its own. */
export function analyzeSentiment(text: string, options: SentimentOptions = {}): SentimentResult {
  return sentimentOfTokens(tokenize(text), options)
}

/** Scores tokens already split by `tokenize`, so triage reads a post once. */
export function sentimentOfTokens(
  tokens: readonly Token[],
  options: SentimentOptions = {},
): SentimentResult {
  const ignore = options.ignore ?? noIgnore
  const values: number[] = []
  const labels: string[] = []
  let negationLeft = 0
  let boost = 1
  let boostLeft = 0
  let sentenceStart = 0
  let wordCount = 0
  let shoutedCount = 0
  for (const token of tokens) if (token.shouted) shoutedCount++
  // When most words are in capitals the writer's caps key is on; that is not emphasis.
  const shoutCounts = shoutedCount * 2 < tokens.length

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token
    if (token.kind === 'break') {
      negationLeft = 0
      boostLeft = 0
      if (token.text !== ',') sentenceStart = values.length
      continue
    }
    wordCount++
    if (token.kind !== 'word') {
      // Emoji and emoticons are not negated or intensified by neighbouring words.
      const weight = tokenWeights.get(token.text)
      if (weight) push(weight, token.text)
      continue
    }
    if (ignore.has(token.text)) continue

    let weight: number | undefined
    let key = token.text
    let selfNegated = false
    const phrase = phraseAt(tokens, i, phrases)
    if (phrase) {
      i += phrase.tokens.length - 1
      wordCount += phrase.tokens.length - 1
      const soften = intensifiers.get(phrase.key)
      if (soften !== undefined) {
        boost = soften
        boostLeft = 2
        continue
      }
      weight = phrase.weight
      key = phrase.key
      selfNegated = phrase.negated
    } else if (token.text === 'but') {
      for (let k = sentenceStart; k < values.length; k++) values[k] = (values[k] ?? 0) * BEFORE_BUT
      sentenceStart = values.length
      continue
    } else if (negators.has(token.text)) {
      negationLeft = NEGATION_REACH
      continue
    } else {
      const strength = intensifiers.get(token.text)
      if (strength !== undefined) {
        boost = strength
        boostLeft = 2
        continue
      }
      weight = tokenWeights.get(token.text)
    }

    const negated = negationLeft > 0 && !selfNegated
    negationLeft = selfNegated ? 0 : negationLeft - 1
    if (!weight) {
      boostLeft--
      continue
    }
    let value = weight
    if (boostLeft > 0) value *= boost
    if (token.shouted && shoutCounts) value *= SHOUTED
    if (negated) value *= weight > 0 ? NEGATED_POSITIVE : NEGATED_NEGATIVE
    boostLeft = 0
    push(value, key)
  }

  function push(value: number, key: string): void {
    values.push(value)
    labels.push((value > 0 ? '+' : '-') + key)
  }

  let sum = 0
  for (const value of values) sum += value
  const score = Math.round(sum * 100) / 100
  return {
    score,
    comparative: wordCount > 0 ? Math.round((sum / wordCount) * 1000) / 1000 : 0,
    label: labelOf(score),
    words: [...new Set(labels)].slice(0, 40),
  }
}

/** The label for a score, by `LABEL_THRESHOLDS`. */
export function labelOf(score: number): SentimentLabel {
  if (score <= LABEL_THRESHOLDS.negative) return 'negative'
  if (score >= LABEL_THRESHOLDS.positive) return 'positive'
  return 'neutral'
}
