/* How a post feels: AFINN-style word sums with customer-care words, negation scope and emphasis. */
import type { SentimentLabel } from '../../shared/domain'
import { lexicon, wordList } from './lexicon'
import { phraseAt, tokenize, type Token } from '../../shared/tokens'

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
/** A negation that found nothing to flip. */
const UNUSED_NEGATION = -1
/** A stated wait ("2 hours"). */
const WAITED = -1

const noIgnore: ReadonlySet<string> = new Set()
/** Negators that state no failure when they flip nothing ("without a fee", "neither here nor there"). */
const quietNegators: ReadonlySet<string> = new Set(['without', 'neither', 'nor'])

/** Scores `text` on its own. */
export function analyzeSentiment(text: string, options: SentimentOptions = {}): SentimentResult {
  return sentimentOfTokens(tokenize(text), options)
}

/** What the scorer carries from word to word. */
type Running = {
  values: number[]
  labels: string[]
  /** How many more words the last negator reaches. */
  negationLeft: number
  /** The last negator, to label what it flipped ("not bad"). */
  negator: string
  /** The last negator while it has flipped nothing yet. */
  unusedNegator: string | null
}

function add(run: Running, value: number, key: string): void {
  run.values.push(value)
  run.labels.push((value > 0 ? '+' : '-') + key)
}

// "I can't log in", "no reply", "never came": in care, a negation with nothing to flip is a failure.
function endNegation(run: Running): void {
  if (run.unusedNegator !== null && !quietNegators.has(run.unusedNegator)) {
    add(run, UNUSED_NEGATION, run.unusedNegator)
  }
  run.unusedNegator = null
  run.negationLeft = 0
}

/** "2", "45", "an", "several": what can count a wait. */
function isAmount(text: string): boolean {
  const first = text.charCodeAt(0)
  return (first >= 48 && first <= 57) || amountWords.has(text)
}

const amountWords: ReadonlySet<string> = new Set(wordList('a an few several couple many for'))

/** Words a courtesy closing is made of ("Thank you!", "Thanks again.", "Cheers.", "All best"). */
const closingWords: ReadonlySet<string> = new Set(
  wordList('thanks thank you thx ty cheers regards best all in advance again anyway so very much'),
)
/** A closing needs one of these; "so much" alone is not one. */
const closingCores: ReadonlySet<string> = new Set(
  wordList('thanks thank thx ty cheers regards best'),
)

/**
 * Where a courtesy closing starts: the last clause of the post when it is only courtesy words and
 * something was said before it; -1 when there is none. Scans back from the end, so it stops at
 * the first token on most posts.
 */
function closingStart(tokens: readonly Token[]): number {
  let end = tokens.length - 1
  while (end >= 0 && (tokens[end] as Token).kind === 'break') end--
  let start = end
  let core = false
  while (start >= 0) {
    const token = tokens[start] as Token
    if (token.kind !== 'word' || !closingWords.has(token.text)) break
    if (closingCores.has(token.text)) core = true
    start--
  }
  // The closing must follow a clause break, with words before it.
  if (!core || start < 1 || (tokens[start] as Token).kind !== 'break') return -1
  return start + 1
}

/** Scores tokens already split by `tokenize`, so triage reads a post once. */
export function sentimentOfTokens(
  tokens: readonly Token[],
  options: SentimentOptions = {},
): SentimentResult {
  const ignore = options.ignore ?? noIgnore
  const run: Running = { values: [], labels: [], negationLeft: 0, negator: '', unusedNegator: null }
  const { values } = run
  let boost = 1
  let boostLeft = 0
  let sentenceStart = 0
  let wordCount = 0
  let shouted = 0
  let sarcastic = false
  for (const token of tokens) if (token.shouted) shouted++
  // When most words are in capitals the writer's caps key is on; that is not emphasis.
  const shoutCounts = shouted * 2 < tokens.length
  const closing = closingStart(tokens)
  /** How many values came before the courtesy closing, if there is one. */
  let beforeClosing = -1

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token
    if (i === closing) beforeClosing = values.length
    if (token.kind === 'break') {
      endNegation(run)
      boostLeft = 0
      if (token.text !== ',') sentenceStart = values.length
      continue
    }
    wordCount++
    const entry = lexicon.get(token.text)
    // Read in the same lookup as the word's weight: a per-word set test cost triage 5%.
    if (entry?.sarcasm) sarcastic = true
    if (token.kind !== 'word') {
      // Emoji and emoticons are not negated or intensified by neighbouring words.
      if (entry?.weight) add(run, entry.weight, token.text)
      continue
    }
    if (ignore.has(token.text)) continue

    let weight = entry?.weight ?? 0
    let key = token.text
    let selfNegated = false
    const phrase = entry?.phrases ? phraseAt(tokens, i, entry.phrases) : undefined
    if (phrase) {
      i += phrase.tokens.length - 1
      wordCount += phrase.tokens.length - 1
      if (phrase.boost) {
        boost = phrase.boost
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
    } else if (entry?.negator) {
      endNegation(run)
      run.negationLeft = NEGATION_REACH
      run.negator = token.text
      run.unusedNegator = token.text
      continue
    } else if (entry?.boost) {
      boost = entry.boost
      boostLeft = 2
      continue
    } else if (entry?.timeUnit && i > 0 && isAmount((tokens[i - 1] as Token).text)) {
      // "2 hours", "an hour": how long they have waited. Units are rare, so look back from them.
      weight = WAITED
      key = `${(tokens[i - 1] as Token).text} ${token.text}`
    }

    const negated = run.negationLeft > 0 && !selfNegated
    if (selfNegated) {
      run.negationLeft = 0
      run.unusedNegator = null
    } else if (run.negationLeft > 0 && --run.negationLeft === 0 && !weight) {
      endNegation(run)
    }
    if (!weight) {
      boostLeft--
      continue
    }
    let value = weight
    if (boostLeft > 0) value *= boost
    if (token.shouted && shoutCounts) value *= SHOUTED
    if (negated) {
      value *= weight > 0 ? NEGATED_POSITIVE : NEGATED_NEGATIVE
      key = `${run.negator} ${key}`
      run.unusedNegator = null
      run.negationLeft = 0
    }
    boostLeft = 0
    add(run, value, key)
  }
  endNegation(run)
  if (beforeClosing >= 0) dropCourtesy(run, beforeClosing)
  if (sarcastic) invertPraise(run)

  let sum = 0
  for (const value of values) sum += value
  const score = Math.round(sum * 100) / 100
  const words: string[] = []
  for (const label of run.labels) if (words.length < 40 && !words.includes(label)) words.push(label)
  return {
    score,
    comparative: wordCount > 0 ? Math.round((sum / wordCount) * 1000) / 1000 : 0,
    label: labelOf(score),
    words,
  }
}

/**
 * "...the page never loads. thx!", "Still no reply. Thank you.": a closing thanks is manners, not
 * praise, so it does not outweigh (or turn positive) what the post said before it. It still counts
 * after a post that was positive already ("Great crew. Thanks!").
 */
function dropCourtesy(run: Running, from: number): void {
  let before = 0
  for (let k = 0; k < from; k++) before += run.values[k] ?? 0
  if (before > 0) return
  run.values.length = from
  run.labels.length = from
}

/** "This is awesome. #sarcasm": the writer says the praise means its opposite. */
function invertPraise(run: Running): void {
  run.values.forEach((value, k) => {
    if (value <= 0) return
    run.values[k] = -value
    run.labels[k] = `-${(run.labels[k] as string).slice(1)}`
  })
}

/** The label for a score, by `LABEL_THRESHOLDS`. */
export function labelOf(score: number): SentimentLabel {
  if (score <= LABEL_THRESHOLDS.negative) return 'negative'
  if (score >= LABEL_THRESHOLDS.positive) return 'positive'
  return 'neutral'
}
