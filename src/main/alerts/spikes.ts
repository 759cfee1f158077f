/* Spike detection: more mentions, or more negative ones, than usual for this hour of the week. */
import { z } from 'zod'
import type { Mention } from '../../shared/domain'
import { namesOf, wordsOf } from '../../shared/issues'

export type SpikeOptions = {
  /** Fewer mentions in the hour than this never make a spike, whatever the baseline. */
  minCount: number
  /** Fires when the hour's count reaches `ratio` times its usual count... */
  ratio: number
  /** ...or stands `z` standard deviations above it. */
  z: number
  /** After a spike of one kind on one topic, the same alert stays quiet this long. */
  coolDownMs: number
  bucketMs?: number
  /** Rise in the negative share (0..1) over its usual level that counts as a jump. */
  shareJump?: number
  /** How many past weeks each hour-of-week slot remembers. */
  weeks?: number
  /** The injected clock: when each observed mention arrived. */
  now?: () => number
}

export type SpikeKind = 'volume' | 'negative'

export type Spike = {
  kind: SpikeKind
  /** The brand, product or competitor name, as triage matched it. */
  topic: string
  /** Start of the bucket (hour) that spiked, epoch ms. */
  at: number
  /** Mentions so far in the bucket (for `negative`: the negative ones). */
  count: number
  /** What this bucket usually holds: mentions, or for `negative` the negative share (0..1). */
  usual: number
  /** The words most over their usual rate in this bucket. */
  words: string[]
  /** The posts that drive it: all of the bucket's, or for `negative` the negative ones. */
  mentionIds: string[]
  /** One line for the notification, e.g. "Acme: 40 mentions this hour, usually 5 (outage, login)". */
  summary: string
}

export type SpikeDetector = {
  /** Counts `mention` under `topic`; returns the spikes it completes (usually none). */
  observe(mention: Mention, topic: string): Spike[]
  /** `observe` for every brand, product and competitor name the mention matched. */
  observeMatched(mention: Mention): Spike[]
  /** The baselines as plain JSON, bounded in size, for `createSpikeDetector(options, saved)`. */
  snapshot(keepTopics?: (topic: string) => boolean): SpikeSnapshot
}

const kindSchema = z.enum(['volume', 'negative'])
const countSchema = z.number().int().nonnegative()
const idsSchema = z.array(z.string().max(2600)).max(200)

const topicSnapshotSchema = z.object({
  current: z
    .object({
      start: z.number(),
      count: countSchema,
      ids: idsSchema,
      negativeIds: idsSchema,
      terms: z.array(z.tuple([z.string().max(200), countSchema])).max(2_000),
      fired: z.array(kindSchema).max(2),
    })
    .nullable(),
  slots: z
    .array(z.tuple([z.number().int().nonnegative(), z.array(countSchema).max(52)]))
    .max(2_000),
  recent: z.array(z.tuple([countSchema, countSchema])).max(2_000),
  buckets: countSchema,
  terms: z.array(z.tuple([z.string().max(200), z.number().nonnegative()])).max(2_000),
  lastFired: z.array(z.tuple([kindSchema, z.number()])).max(2),
})

/** What a detector remembers, per topic: enough to survive a restart with its baselines. */
export const spikeSnapshotSchema = z.object({
  version: z.literal(1),
  bucketMs: z.number().int().positive(),
  topics: z.record(z.string().max(200), topicSnapshotSchema),
})
export type SpikeSnapshot = z.infer<typeof spikeSnapshotSchema>

/** How many of a topic's usual words a snapshot keeps (the most frequent). */
const SAVED_TERMS = 300

const HOUR = 3600_000
const WEEK = 7 * 24 * HOUR
/** Without a day of history there is no "usual" to compare with: nothing fires. */
const MIN_HISTORY_BUCKETS = 24
/** A slot needs this many past weeks before its own mean replaces the overall one. */
const MIN_SLOT_WEEKS = 2
/** A negative share needs this many mentions in the baseline to mean anything. */
const MIN_SHARE_BASE = 20
const WORDS = 5
const IDS_MAX = 200

type Bucket = {
  start: number
  count: number
  ids: string[]
  negativeIds: string[]
  terms: Map<string, number>
  fired: Set<SpikeKind>
}

type Topic = {
  current: Bucket | null
  /** Past counts per hour-of-week slot, newest last, at most `weeks`. */
  slots: Map<number, number[]>
  /** The last week of buckets, for the fallback mean and the negative share. */
  recent: { count: number; negative: number }[]
  buckets: number
  /** Term counts over every closed bucket, for what is usual to say about the topic. */
  terms: Map<string, number>
  lastFired: Map<SpikeKind, number>
}

type Baseline = { mean: number; sd: number }

function stats(values: readonly number[]): Baseline {
  let sum = 0
  for (const value of values) sum += value
  const mean = sum / values.length
  let squares = 0
  for (const value of values) squares += (value - mean) ** 2
  const variance = values.length > 1 ? squares / (values.length - 1) : 0
  // Counts are Poisson-like: a steady series must not make every small wobble a huge z-score.
  return { mean, sd: Math.max(Math.sqrt(variance), Math.sqrt(mean), 1) }
}

/**
 * A detector for a stream of mentions, per topic. Pure but for `now`; `saved` (from `snapshot`)
 * restores its baselines, unless it was taken with another bucket size.
 */
export function createSpikeDetector(options: SpikeOptions, saved?: SpikeSnapshot): SpikeDetector {
  const bucketMs = options.bucketMs ?? HOUR
  const shareJump = options.shareJump ?? 0.25
  const weeks = options.weeks ?? 6
  const now = options.now ?? Date.now
  const slotsPerWeek = Math.max(1, Math.round(WEEK / bucketMs))
  const topics = new Map<string, Topic>()
  if (saved && saved.bucketMs === bucketMs) {
    for (const [name, topic] of Object.entries(saved.topics)) topics.set(name, restore(topic))
  }

  function restore(topic: SpikeSnapshot['topics'][string]): Topic {
    const current = topic.current
    return {
      current: current && {
        ...current,
        terms: new Map(current.terms),
        fired: new Set(current.fired),
      },
      slots: new Map(topic.slots.map(([slot, counts]) => [slot, counts.slice(-weeks)])),
      recent: topic.recent.slice(-slotsPerWeek).map(([count, negative]) => ({ count, negative })),
      buckets: topic.buckets,
      terms: new Map(topic.terms),
      lastFired: new Map(topic.lastFired),
    }
  }

  function snapshot(keep: (topic: string) => boolean = () => true): SpikeSnapshot {
    const topTerms = (terms: Map<string, number>) =>
      [...terms].sort((a, b) => b[1] - a[1]).slice(0, SAVED_TERMS)
    const out: SpikeSnapshot['topics'] = {}
    for (const [name, topic] of topics) {
      if (!keep(name)) continue
      const current = topic.current
      out[name] = {
        current: current && {
          start: current.start,
          count: current.count,
          ids: current.ids.slice(0, IDS_MAX),
          negativeIds: current.negativeIds.slice(0, IDS_MAX),
          terms: topTerms(current.terms),
          fired: [...current.fired],
        },
        slots: [...topic.slots],
        recent: topic.recent.map((bucket) => [bucket.count, bucket.negative]),
        buckets: topic.buckets,
        terms: topTerms(topic.terms),
        lastFired: [...topic.lastFired],
      }
    }
    return { version: 1, bucketMs, topics: out }
  }

  const slotOf = (start: number) => Math.floor(start / bucketMs) % slotsPerWeek

  function close(topic: Topic, start: number, count: number, negative: number): void {
    const slot = slotOf(start)
    const history = topic.slots.get(slot) ?? []
    history.push(count)
    if (history.length > weeks) history.shift()
    topic.slots.set(slot, history)
    topic.recent.push({ count, negative })
    if (topic.recent.length > slotsPerWeek) topic.recent.shift()
    topic.buckets++
  }

  /** Moves `topic` to the bucket starting at `start`, closing the old one and any empty between. */
  function advance(topic: Topic, start: number): Bucket {
    const old = topic.current
    if (old && start <= old.start) return old
    if (old) {
      close(topic, old.start, old.count, old.negativeIds.length)
      for (const [term, n] of old.terms) topic.terms.set(term, (topic.terms.get(term) ?? 0) + n)
      // Silent hours are history too; past `weeks` of them the older ones would be forgotten.
      const gap = Math.min((start - old.start) / bucketMs - 1, weeks * slotsPerWeek)
      for (let k = gap; k >= 1; k--) close(topic, start - k * bucketMs, 0, 0)
    }
    const bucket: Bucket = {
      start,
      count: 0,
      ids: [],
      negativeIds: [],
      terms: new Map(),
      fired: new Set(),
    }
    topic.current = bucket
    return bucket
  }

  function baseline(topic: Topic, start: number): Baseline | null {
    if (topic.buckets < MIN_HISTORY_BUCKETS) return null
    const slot = topic.slots.get(slotOf(start))
    if (slot && slot.length >= MIN_SLOT_WEEKS) return stats(slot)
    return stats(topic.recent.map((bucket) => bucket.count))
  }

  /** Words of this bucket furthest above their usual count per bucket. */
  function drivingWords(topic: Topic, bucket: Bucket): string[] {
    const scored: { term: string; excess: number }[] = []
    for (const [term, n] of bucket.terms) {
      if (n < 2) continue
      const usual = topic.buckets > 0 ? (topic.terms.get(term) ?? 0) / topic.buckets : 0
      if (n > usual) scored.push({ term, excess: n - usual })
    }
    scored.sort((a, b) => b.excess - a.excess || a.term.localeCompare(b.term))
    return scored.slice(0, WORDS).map((entry) => entry.term)
  }

  function coolingDown(topic: Topic, kind: SpikeKind, at: number): boolean {
    const last = topic.lastFired.get(kind)
    return last !== undefined && at - last < options.coolDownMs
  }

  function volumeSpike(topic: Topic, bucket: Bucket, name: string, at: number): Spike | null {
    if (bucket.count < options.minCount || bucket.fired.has('volume')) return null
    const usual = baseline(topic, bucket.start)
    if (!usual) return null
    // An hour that is usually empty still needs `ratio` mentions, not `ratio` times zero.
    const byRatio = bucket.count >= options.ratio * Math.max(usual.mean, 1)
    const byZ = (bucket.count - usual.mean) / usual.sd >= options.z
    if (!(byRatio || byZ) || coolingDown(topic, 'volume', at)) return null
    const words = drivingWords(topic, bucket)
    const mean = Math.round(usual.mean * 10) / 10
    return {
      kind: 'volume',
      topic: name,
      at: bucket.start,
      count: bucket.count,
      usual: mean,
      words,
      mentionIds: bucket.ids.slice(),
      summary: `${name}: ${bucket.count} mentions this hour, usually ${mean}${wordsNote(words)}`,
    }
  }

  function negativeSpike(topic: Topic, bucket: Bucket, name: string, at: number): Spike | null {
    const negative = bucket.negativeIds.length
    if (negative < options.minCount || bucket.fired.has('negative')) return null
    if (topic.buckets < MIN_HISTORY_BUCKETS) return null
    let total = 0
    let negatives = 0
    for (const past of topic.recent) {
      total += past.count
      negatives += past.negative
    }
    if (total < MIN_SHARE_BASE) return null
    const usual = negatives / total
    const share = negative / bucket.count
    // A binomial z-score keeps five angry posts out of six from counting like one out of one.
    const sd = Math.sqrt(Math.max(usual * (1 - usual), 0.01) / bucket.count)
    if (share - usual < shareJump || (share - usual) / sd < options.z) return null
    if (coolingDown(topic, 'negative', at)) return null
    const words = drivingWords(topic, bucket)
    const percent = (value: number) => `${Math.round(value * 100)}%`
    return {
      kind: 'negative',
      topic: name,
      at: bucket.start,
      count: negative,
      usual: Math.round(usual * 1000) / 1000,
      words,
      mentionIds: bucket.negativeIds.slice(),
      summary: `${name}: ${percent(share)} negative this hour, usually ${percent(usual)}${wordsNote(words)}`,
    }
  }

  function observe(mention: Mention, name: string): Spike[] {
    const at = now()
    let topic = topics.get(name)
    if (!topic) {
      topic = {
        current: null,
        slots: new Map(),
        recent: [],
        buckets: 0,
        terms: new Map(),
        lastFired: new Map(),
      }
      topics.set(name, topic)
    }
    const bucket = advance(topic, Math.floor(at / bucketMs) * bucketMs)
    bucket.count++
    if (bucket.ids.length < IDS_MAX) bucket.ids.push(mention.id)
    if (mention.triage.sentiment.label === 'negative' && bucket.negativeIds.length < IDS_MAX) {
      bucket.negativeIds.push(mention.id)
    }
    const text = mention.title ? `${mention.title}\n${mention.text}` : mention.text
    for (const word of wordsOf(text, namesOf(mention))) {
      bucket.terms.set(word, (bucket.terms.get(word) ?? 0) + 1)
    }
    const spikes: Spike[] = []
    for (const spike of [
      volumeSpike(topic, bucket, name, at),
      negativeSpike(topic, bucket, name, at),
    ]) {
      if (!spike) continue
      bucket.fired.add(spike.kind)
      topic.lastFired.set(spike.kind, at)
      spikes.push(spike)
    }
    return spikes
  }

  return {
    observe,
    observeMatched: (mention) => mention.triage.matched.flatMap((name) => observe(mention, name)),
    snapshot,
  }
}

const wordsNote = (words: readonly string[]) => (words.length > 0 ? ` (${words.join(', ')})` : '')
