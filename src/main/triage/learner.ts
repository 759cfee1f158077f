/*
 * What the responder's corrections teach triage, on this device: three small logistic models
 * (sentiment, intent, "urgent") over what the rules read in a post (the lexicon score and
 * comparative, its negative and positive words, cues, directed, question, the rules' own verdicts)
 * plus the post's words and word pairs (a word after a negation, to the end of its clause, also as
 * `not word`), which count twice over: each has its own weights, and together they give a naive
 * Bayes "word evidence" per class (counted online, uniform class priors), the feature that carries
 * most of what one brand's words mean. Corrections are weighted by class balance. Each model starts
 * from the rules' verdict (a logit bonus), so with no corrections it agrees with them; the learned
 * part is trusted n / (n + 10) after n corrections, and a learned verdict replaces the rules' only
 * when it is the most likely at 50% or more.
 * Pure: no clock, no files; the caller passes the time and persists `toJSON()`.
 */
import { z } from 'zod'
import type { Intent, SentimentLabel } from '../../shared/domain'
import type { Cue } from './cues'
import { negators } from './lexicon'
import type { Token } from '../../shared/tokens'

export const SENTIMENT_LABELS = ['negative', 'neutral', 'positive'] as const
export const INTENTS = ['complaint', 'question', 'praise', 'idea', 'other'] as const

export type Kind = 'sentiment' | 'intent' | 'urgent'

/** What the responder said a post really is; any of the three may be left out. */
export type Correction = {
  sentiment?: SentimentLabel | undefined
  intent?: Intent | undefined
  urgent?: boolean | undefined
}

/** The rules' verdicts on a post, which each model starts from. */
export type RuleVerdicts = { sentiment: SentimentLabel; intent: Intent; urgent: boolean }

/** What triage read in a post, before any learning. */
export type LearnerSignals = {
  tokens: readonly Token[]
  /** Words not to learn from (the brand's own name). */
  ignore: ReadonlySet<string>
  sentiment: { score: number; comparative: number; label: SentimentLabel; words: readonly string[] }
  intent: Intent
  cues: readonly Cue[]
  question: boolean
  directed: boolean
  platform?: string | undefined
}

/** A post as the models see it: its words and word pairs, and dense features with values. */
export type Features = { text: string[]; dense: { names: string[]; values: number[] } }

export type ModelSummary = {
  /** Posts corrected (one post correcting two verdicts counts once). */
  corrections: number
  byKind: Record<Kind, number>
  /** When the last correction was learned, epoch ms; null for a fresh model. */
  updatedAt: number | null
}

/** A learned verdict that differs from the rules', with the model's probability for it. */
export type Override<T> = { label: T; confidence: number }

/* Tuned with bench/triage-quality.ts (k-fold on one brand's posts); see bench/RESULTS.md. */
export const LEARNER_SETTINGS = {
  /** How strongly each model starts from the rules' verdict (a logit bonus). */
  prior: 2,
  learningRate: 0.03,
  /** SGD steps on each correction. */
  steps: 3,
  /** L2 pull back towards the rules, per step, on the features a post has. */
  decay: 0.001,
  /** The learned part counts n / (n + trustAfter) after n corrections of that kind. */
  trustAfter: 10,
  /** The least probability at which a learned verdict replaces the rules'. */
  overrideAt: 0.5,
  /** Class weights (balance) are kept in these bounds. */
  minClassWeight: 0.2,
  maxClassWeight: 5,
  /** Laplace smoothing of the word counts. */
  smoothing: 0.5,
  /** The word evidence is (log-likelihood - mean) * evidenceScale / known words ^ evidencePower. */
  evidenceScale: 0.5,
  evidencePower: 0.5,
  /** How much the words' own weights count (0: words speak only through the evidence). */
  wordWeight: 0.5,
}

export type LearnerSettings = { [K in keyof typeof LEARNER_SETTINGS]: number }

/** The vocabulary cap; past it the rarest learned words are pruned to `PRUNE_TO`. */
export const MAX_WORDS = 20_000
const PRUNE_TO = 18_000
/** Dense features: the rules' readings and the evidence; a fixed, small set in practice. */
const MAX_WEIGHTS = 1_000
/** Longer tokens (a run of letters, a URL fragment) are not learned. */
const MAX_NAME = 60
export const LEARNER_VERSION = 1

// One weight row per feature: sentiment (3), intent (5), urgent (2).
const OFFSET: Record<Kind, number> = { sentiment: 0, intent: 3, urgent: 8 }
const SIZE: Record<Kind, number> = { sentiment: 3, intent: 5, urgent: 2 }
const ROW = 10

type Entry = { seen: number; counts: Float64Array; w: Float64Array }
const KINDS: readonly Kind[] = ['sentiment', 'intent', 'urgent']

const count = z.number().int().nonnegative().max(1e9)
const weight = z.number().finite().min(-1000).max(1000)

/** The saved model: versioned, bounded, checked on load. */
export const learnerFileSchema = z
  .object({
    version: z.literal(LEARNER_VERSION),
    updatedAt: z.number().int().nonnegative().max(8.64e15).nullable(),
    posts: count,
    corrections: z.object({ sentiment: count, intent: count, urgent: count }).strict(),
    /** Corrections per class, for class balance: in SENTIMENT_LABELS, INTENTS, [no, yes] order. */
    classes: z
      .object({
        sentiment: z.array(count).length(3),
        intent: z.array(count).length(5),
        urgent: z.array(count).length(2),
      })
      .strict(),
    /** Words counted per class (same order, kinds one after another). */
    mass: z.array(z.number().nonnegative().max(1e12)).length(ROW),
    /** [dense feature, weights by kind and class]. */
    weights: z
      .array(z.tuple([z.string().min(1).max(80), z.array(weight).length(ROW)]))
      .max(MAX_WEIGHTS),
    /** [word or pair, times seen, counts by kind and class, weights by kind and class]. */
    words: z
      .array(
        z.tuple([
          z.string().min(1).max(80),
          count,
          z.array(count).length(ROW),
          z.array(weight).length(ROW),
        ]),
      )
      .max(MAX_WORDS),
  })
  .strict()
export type LearnerFile = z.infer<typeof learnerFileSchema>

export type Learner = {
  summary(): ModelSummary
  /** True until the first correction: triage then skips the models entirely. */
  isEmpty(): boolean
  features(signals: LearnerSignals): Features
  sentiment(features: Features, rule: SentimentLabel): Override<SentimentLabel> | null
  intent(features: Features, rule: Intent): Override<Intent> | null
  urgent(features: Features, rule: boolean): Override<boolean> | null
  /** Learns one correction at `at` (epoch ms). Kinds the correction leaves out are not touched. */
  learn(features: Features, rules: RuleVerdicts, correction: Correction, at: number): void
  reset(): void
  /** Replaces everything learned with a saved model (checked with `parseLearnerFile`). */
  load(file: LearnerFile): void
  toJSON(): LearnerFile
}

const clamp = (n: number, low: number, high: number) => Math.min(high, Math.max(low, n))

/** Reads a saved model; anything malformed is an error the caller reports, never a throw. */
export function parseLearnerFile(
  value: unknown,
): { ok: true; file: LearnerFile } | { ok: false; problem: string } {
  const parsed = learnerFileSchema.safeParse(value)
  if (parsed.success) return { ok: true, file: parsed.data }
  const issue = parsed.error.issues[0]
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''
  return { ok: false, problem: `${where}${issue?.message ?? 'not a saved model'}` }
}

/** A model from a saved file (checked with `parseLearnerFile`), or a fresh one. */
export function createLearner(saved?: LearnerFile, tuning: Partial<LearnerSettings> = {}): Learner {
  const SETTINGS: LearnerSettings = { ...LEARNER_SETTINGS, ...tuning }
  /** Words and word pairs: how often each came with each class, and their own weights. */
  let words = new Map<string, Entry>()
  /** The weights of the dense features: the rules' readings and the word evidence. */
  let weights = new Map<string, Float64Array>()
  /** Words counted per class, for the word evidence. */
  let mass = new Float64Array(ROW)
  let byKind: Record<Kind, number> = { sentiment: 0, intent: 0, urgent: 0 }
  let classes: Record<Kind, number[]> = {
    sentiment: [0, 0, 0],
    intent: [0, 0, 0, 0, 0],
    urgent: [0, 0],
  }
  let posts = 0
  let updatedAt: number | null = null

  /** Takes a saved model's state, in place of the current one. */
  const restore = (file: LearnerFile): void => {
    words = new Map()
    weights = new Map()
    for (const [name, seen, counts, w] of file.words) {
      words.set(name, { seen, counts: Float64Array.from(counts), w: Float64Array.from(w) })
    }
    for (const [name, w] of file.weights) weights.set(name, Float64Array.from(w))
    mass = Float64Array.from(file.mass)
    byKind = { ...file.corrections }
    classes = {
      sentiment: [...file.classes.sentiment],
      intent: [...file.classes.intent],
      urgent: [...file.classes.urgent],
    }
    posts = file.posts
    updatedAt = file.updatedAt
  }

  if (saved) restore(saved)

  /**
   * The word evidence for each kind with corrections: a naive Bayes log-likelihood per class over
   * the post's known words (uniform class priors, so a class corrected often does not win by
   * count), centred across the classes and scaled by the square root of the words it used.
   */
  function evidence(text: readonly string[], dense: Features['dense']): void {
    const vocabulary = words.size
    if (vocabulary === 0) return
    for (const kind of KINDS) {
      if (byKind[kind] === 0) continue
      const size = SIZE[kind]
      const offset = OFFSET[kind]
      const sums = new Array<number>(size).fill(0)
      let known = 0
      for (const name of text) {
        const entry = words.get(name)
        if (!entry) continue
        known++
        for (let c = 0; c < size; c++) {
          const k = offset + c
          sums[c] =
            (sums[c] as number) +
            Math.log(
              ((entry.counts[k] as number) + SETTINGS.smoothing) /
                ((mass[k] as number) + SETTINGS.smoothing * vocabulary),
            )
        }
      }
      if (known === 0) continue
      let mean = 0
      for (const v of sums) mean += v / size
      const scale = SETTINGS.evidenceScale / Math.pow(known, SETTINGS.evidencePower)
      for (let c = 0; c < size; c++) {
        dense.names.push(`n:${kind}:${c}`)
        dense.values.push(clamp(((sums[c] as number) - mean) * scale, -4, 4))
      }
    }
  }

  function features(signals: LearnerSignals): Features {
    const text = textFeatures(signals)
    const dense = ruleFeatures(signals)
    evidence(text, dense)
    return { text, dense }
  }

  /** Logits of one kind: the rules' class gets `prior`, plus the learned part times `trust`. */
  function logits(kind: Kind, features: Features, ruleClass: number, trust: number): number[] {
    const size = SIZE[kind]
    const offset = OFFSET[kind]
    const out = new Array<number>(size).fill(0)
    const { names, values } = features.dense
    for (let f = 0; f < names.length; f++) {
      const w = weights.get(names[f] as string)
      if (!w) continue
      const x = values[f] as number
      for (let c = 0; c < size; c++) out[c] = (out[c] as number) + x * (w[offset + c] as number)
    }
    if (SETTINGS.wordWeight > 0 && features.text.length > 0) {
      const x = SETTINGS.wordWeight / Math.sqrt(features.text.length)
      for (const name of features.text) {
        const entry = words.get(name)
        if (!entry) continue
        for (let c = 0; c < size; c++) {
          out[c] = (out[c] as number) + x * (entry.w[offset + c] as number)
        }
      }
    }
    for (let c = 0; c < size; c++) {
      out[c] = (out[c] as number) * trust + (c === ruleClass ? SETTINGS.prior : 0)
    }
    return out
  }

  function predict(kind: Kind, features: Features, ruleClass: number): Override<number> | null {
    const n = byKind[kind]
    if (n === 0) return null
    const p = softmax(logits(kind, features, ruleClass, n / (n + SETTINGS.trustAfter)))
    let best = 0
    for (let c = 1; c < p.length; c++) if ((p[c] as number) > (p[best] as number)) best = c
    const confidence = p[best] as number
    if (best === ruleClass || confidence < SETTINGS.overrideAt) return null
    return { label: best, confidence }
  }

  function classWeight(kind: Kind, label: number): number {
    const counts = classes[kind]
    let total = 0
    for (const n of counts) total += n
    const balanced = total / (counts.length * Math.max(1, counts[label] as number))
    return clamp(balanced, SETTINGS.minClassWeight, SETTINGS.maxClassWeight)
  }

  function train(kind: Kind, features: Features, ruleClass: number, label: number): void {
    const size = SIZE[kind]
    const offset = OFFSET[kind]
    const rows: [Float64Array, number][] = []
    features.dense.names.forEach((name, f) => {
      let w = weights.get(name)
      if (!w) {
        w = new Float64Array(ROW)
        weights.set(name, w)
      }
      rows.push([w, features.dense.values[f] as number])
    })
    if (SETTINGS.wordWeight > 0 && features.text.length > 0) {
      const x = SETTINGS.wordWeight / Math.sqrt(features.text.length)
      for (const name of features.text) {
        const entry = words.get(name)
        if (entry) rows.push([entry.w, x])
      }
    }
    const weightOf = classWeight(kind, label)
    const rate = SETTINGS.learningRate
    for (let step = 0; step < SETTINGS.steps; step++) {
      // Training sees the learned part in full; only predictions are shrunk while data is thin.
      const p = softmax(logits(kind, features, ruleClass, 1))
      for (const [w, x] of rows) {
        for (let c = 0; c < size; c++) {
          const error = (p[c] as number) - (c === label ? 1 : 0)
          const k = offset + c
          w[k] =
            (w[k] as number) - rate * (weightOf * error * x + SETTINGS.decay * (w[k] as number))
        }
      }
    }
  }

  function count(text: readonly string[], kind: Kind, label: number): void {
    const k = OFFSET[kind] + label
    for (const name of text) {
      const entry = words.get(name) as Entry
      entry.counts[k] = (entry.counts[k] as number) + 1
    }
    mass[k] = (mass[k] as number) + text.length
  }

  function prune(): void {
    if (words.size <= MAX_WORDS) return
    // The rarest words go first, and among them those that learned least.
    const ranked = [...words.entries()]
      .map(([name, entry]) => ({ name, entry, size: magnitude(entry.w) }))
      .sort((a, b) => a.entry.seen - b.entry.seen || a.size - b.size)
    for (const { name, entry } of ranked) {
      if (words.size <= PRUNE_TO) break
      words.delete(name)
      for (let k = 0; k < ROW; k++)
        mass[k] = Math.max(0, (mass[k] as number) - (entry.counts[k] as number))
    }
  }

  return {
    summary: () => ({ corrections: posts, byKind: { ...byKind }, updatedAt }),
    isEmpty: () => posts === 0,
    features,
    sentiment(features, rule) {
      const found = predict('sentiment', features, SENTIMENT_LABELS.indexOf(rule))
      return (
        found && {
          label: SENTIMENT_LABELS[found.label] as SentimentLabel,
          confidence: found.confidence,
        }
      )
    },
    intent(features, rule) {
      const found = predict('intent', features, INTENTS.indexOf(rule))
      return found && { label: INTENTS[found.label] as Intent, confidence: found.confidence }
    },
    urgent(features, rule) {
      const found = predict('urgent', features, rule ? 1 : 0)
      return found && { label: found.label === 1, confidence: found.confidence }
    },
    learn(features, rules, correction, at) {
      const given: [Kind, number, number][] = []
      if (correction.sentiment !== undefined) {
        given.push([
          'sentiment',
          SENTIMENT_LABELS.indexOf(rules.sentiment),
          SENTIMENT_LABELS.indexOf(correction.sentiment),
        ])
      }
      if (correction.intent !== undefined) {
        given.push(['intent', INTENTS.indexOf(rules.intent), INTENTS.indexOf(correction.intent)])
      }
      if (correction.urgent !== undefined) {
        given.push(['urgent', rules.urgent ? 1 : 0, correction.urgent ? 1 : 0])
      }
      if (given.length === 0) return
      for (const name of features.text) {
        const entry = words.get(name)
        if (entry) entry.seen++
        else words.set(name, { seen: 1, counts: new Float64Array(ROW), w: new Float64Array(ROW) })
      }
      // The weights learn from evidence computed before this post was counted, as it will be
      // for posts never seen; then the post joins the counts.
      for (const [kind, ruleClass, label] of given) {
        byKind[kind]++
        const counts = classes[kind]
        counts[label] = (counts[label] as number) + 1
        train(kind, features, ruleClass, label)
        count(features.text, kind, label)
      }
      posts++
      updatedAt = at
      prune()
    },
    reset() {
      words = new Map()
      weights = new Map()
      mass = new Float64Array(ROW)
      byKind = { sentiment: 0, intent: 0, urgent: 0 }
      classes = { sentiment: [0, 0, 0], intent: [0, 0, 0, 0, 0], urgent: [0, 0] }
      posts = 0
      updatedAt = null
    },
    load: restore,
    toJSON() {
      // Four decimals are plenty for weights and keep the file small.
      const round = (w: Float64Array) =>
        Array.from(w, (v) => Math.round(clamp(v, -1000, 1000) * 1e4) / 1e4)
      return {
        version: LEARNER_VERSION,
        updatedAt,
        posts,
        corrections: { ...byKind },
        classes: {
          sentiment: [...classes.sentiment],
          intent: [...classes.intent],
          urgent: [...classes.urgent],
        },
        mass: Array.from(mass),
        weights: [...weights].map(([name, w]): [string, number[]] => [name, round(w)]),
        words: [...words].map(([name, entry]): [string, number, number[], number[]] => [
          name,
          entry.seen,
          Array.from(entry.counts),
          round(entry.w),
        ]),
      }
    },
  }
}

function softmax(logits: readonly number[]): number[] {
  let max = -Infinity
  for (const v of logits) if (v > max) max = v
  let sum = 0
  const out = logits.map((v) => {
    const e = Math.exp(v - max)
    sum += e
    return e
  })
  return out.map((e) => e / sum)
}

function magnitude(w: Float64Array): number {
  let sum = 0
  for (const v of w) sum += Math.abs(v)
  return sum
}

/**
 * Words, emoji and adjacent pairs of them, each once; the brand's own name is left out. A word in a
 * negation's clause (after "not", "no", "never" up to the next break) also counts as `not word`, so
 * "not helpful" can learn the opposite of "helpful" while "no refund" still says "refund".
 */
function textFeatures(signals: LearnerSignals): string[] {
  const seen = new Set<string>()
  const text: string[] = []
  const add = (name: string) => {
    if (name.length > MAX_NAME || seen.has(name)) return
    seen.add(name)
    text.push(name)
  }
  let previous: string | null = null
  let negated = false
  for (const token of signals.tokens) {
    if (token.kind === 'break' || signals.ignore.has(token.text)) {
      previous = null
      if (token.kind === 'break') negated = false
      continue
    }
    add(`t:${token.text}`)
    if (negated) add(`t:not ${token.text}`)
    else if (negators.has(token.text)) negated = true
    if (previous !== null) add(`b:${previous} ${token.text}`)
    previous = token.text
  }
  return text
}

/**
 * What the rules read, as `r:` features: the lexicon score split by sign, its comparative, the
 * count of negative and positive words, the rules' label and intent, each cue group, directed,
 * question, and the platform.
 */
function ruleFeatures(signals: LearnerSignals): { names: string[]; values: number[] } {
  const names: string[] = []
  const values: number[] = []
  const rule = (name: string, value: number) => {
    if (value === 0 || names.includes(`r:${name}`)) return
    names.push(`r:${name}`)
    values.push(value)
  }
  const { score, comparative, label, words } = signals.sentiment
  rule('score-', clamp(Math.min(0, score) / 4, -2, 0))
  rule('score+', clamp(Math.max(0, score) / 4, 0, 2))
  rule('comparative', clamp(comparative * 2, -2, 2))
  let negative = 0
  let positive = 0
  for (const word of words) {
    if (word.startsWith('-')) negative++
    else positive++
  }
  rule('words-', Math.min(negative, 6) / 3)
  rule('words+', Math.min(positive, 6) / 3)
  rule(`label:${label}`, 1)
  rule(`intent:${signals.intent}`, 1)
  for (const cue of signals.cues) {
    rule(`cue:${cue.kind}`, 1)
    rule(`cue:${cue.kind}:${cue.group}`, 1)
  }
  rule('directed', signals.directed ? 1 : 0)
  rule('question', signals.question ? 1 : 0)
  if (signals.platform) rule(`platform:${signals.platform}`, 1)
  // No bias feature: a constant would learn "most corrections say negative" and apply it to every
  // post; the rules' label and intent carry that per kind of post instead.
  return { names, values }
}
