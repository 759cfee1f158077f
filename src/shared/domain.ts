import { z } from 'zod'

/** Where a mention was heard. `demo` is the bundled replay shown until a real source exists. */
export const platformSchema = z.enum(['demo', 'rss', 'hn', 'mastodon', 'bluesky', 'reddit'])
export type Platform = z.infer<typeof platformSchema>

const text = (max: number) => z.string().max(max)

/** http(s) URL with a host; anything else is refused at the boundary. */
export const httpUrlSchema = z
  .string()
  .trim()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value)
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== ''
    } catch {
      return false
    }
  }, 'Enter a full http:// or https:// address')

export const sentimentLabelSchema = z.enum(['negative', 'neutral', 'positive'])
export type SentimentLabel = z.infer<typeof sentimentLabelSchema>

export const authorSchema = z.object({
  /** Stable per platform, e.g. `mastodon:@ana@example.social` or `rss:<feed>#Ana`. */
  id: text(600),
  name: text(300),
  handle: text(300).optional(),
  url: text(2048).optional(),
  followers: z.number().int().nonnegative().optional(),
})
export type Author = z.infer<typeof authorSchema>

export const reasonSchema = z.object({
  /** Machine name of the reason, e.g. `negative`, `directed`, `crisis:refund`. */
  code: text(80),
  /** What the chip says to the responder. */
  label: text(120),
  /** Urgency points this reason contributed (may be negative). */
  points: z.number(),
})
export type Reason = z.infer<typeof reasonSchema>

/** What the author wants. Mentions stored before intent existed have none: read that as `other`. */
export const intentSchema = z.enum(['complaint', 'question', 'praise', 'idea', 'other'])
export type Intent = z.infer<typeof intentSchema>

export const triageSchema = z.object({
  sentiment: z.object({
    score: z.number(),
    comparative: z.number(),
    label: sentimentLabelSchema,
    /** Words that drove the score, signed, e.g. `+love`, `-refund`. */
    words: z.array(text(80)).max(40),
  }),
  /** Optional: mentions saved in IndexedDB before intent was scored lack it. */
  intent: intentSchema.optional(),
  directed: z.boolean(),
  urgency: z.number().int().min(0).max(100),
  reasons: z.array(reasonSchema).max(24),
  /** Brand, product or competitor names found in the text. */
  matched: z.array(text(200)).max(40),
})
export type Triage = z.infer<typeof triageSchema>

/** One thing someone said, as heard and scored. Content only: the responder's state lives apart. */
export const mentionSchema = z.object({
  /** Stable across polls: `rss:<feed>#<guid>`, `hn:<objectID>`, `demo:<n>`. */
  id: text(2600).min(1),
  sourceId: text(80),
  platform: platformSchema,
  /** Link out to the post, or null when the source gave none. */
  url: text(4096).nullable(),
  author: authorSchema,
  title: text(1000).optional(),
  text: text(20000),
  /** Epoch milliseconds, clamped to the fetch time when the source claims the future. */
  createdAt: z.number().int().nonnegative(),
  fetchedAt: z.number().int().nonnegative(),
  triage: triageSchema,
})
export type Mention = z.infer<typeof mentionSchema>

/** A mention before triage: what a connector produces. */
export type HeardMention = Omit<Mention, 'triage'>

export const handlePlatformSchema = z.enum(['mastodon', 'bluesky', 'reddit', 'hn', 'x', 'other'])
export type HandlePlatform = z.infer<typeof handlePlatformSchema>

const term = text(100).trim().min(1)

/** What to listen for. */
export const brandProfileSchema = z.object({
  brand: text(100).trim().min(1, 'The brand name is required'),
  handles: z
    .array(z.object({ platform: handlePlatformSchema, handle: text(200).trim().min(1) }))
    .max(50),
  products: z.array(term).max(100),
  competitors: z.array(term).max(100),
  excluded: z.array(term).max(100),
})
export type BrandProfile = z.infer<typeof brandProfileSchema>

const sourceId = text(80).regex(/^[a-z0-9-]+$/)

/** Poll interval bounds: no feed wants hammering, none should be forgotten for days. */
export const MIN_INTERVAL_SEC = 60
export const MAX_INTERVAL_SEC = 24 * 3600

const sourceCommon = {
  id: sourceId,
  name: text(120).trim().min(1),
  paused: z.boolean(),
  createdAt: z.number().int().nonnegative(),
}
const interval = z.number().int().min(MIN_INTERVAL_SEC).max(MAX_INTERVAL_SEC)

/** The demo replays bundled mentions every few seconds, so a new user sees the app work at once. */
export const demoSourceSchema = z.object({
  ...sourceCommon,
  kind: z.literal('demo'),
  intervalSec: z.number().int().min(2).max(MAX_INTERVAL_SEC),
})
export const rssSourceSchema = z.object({
  ...sourceCommon,
  kind: z.literal('rss'),
  url: httpUrlSchema,
  intervalSec: interval,
})

/** Algolia's public Hacker News search; a setting so tests and mirrors can point elsewhere. */
export const HN_API_BASE = 'https://hn.algolia.com'
/** HN allows 10,000 searches an hour per address; two minutes is polite and still timely. */
export const HN_INTERVAL_SEC = 120
const hnQuery = text(500).trim().min(1)

/** Hacker News stories and comments, searched through Algolia. */
export const hnSourceSchema = z.object({
  ...sourceCommon,
  kind: z.literal('hn'),
  apiBase: httpUrlSchema.default(HN_API_BASE),
  /** Algolia search text that replaces the one compiled from the brand profile. */
  query: hnQuery.optional(),
  intervalSec: interval.default(HN_INTERVAL_SEC),
})

/** Mastodon allows 300 paging requests per 15 minutes per address; a minute per instance is polite. */
export const MASTODON_INTERVAL_SEC = 60
export const MASTODON_MAX_HASHTAGS = 20
/** A tag as Mastodon names it in `/tags/:name`: no '#', letters (any script), digits, underscores. */
export const mastodonHashtagSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[\p{L}\p{N}_]+$/u, 'Use letters, digits and underscores only, without #')
const hashtags = z.array(mastodonHashtagSchema).min(1).max(MASTODON_MAX_HASHTAGS)

/** Public hashtag timelines of one Mastodon instance; no token in this slice. */
export const mastodonSourceSchema = z.object({
  ...sourceCommon,
  kind: z.literal('mastodon'),
  /** The instance's address, e.g. `https://mastodon.social`. */
  instance: httpUrlSchema,
  hashtags,
  intervalSec: interval.default(MASTODON_INTERVAL_SEC),
})

/** A configured source, as stored in `sources.json`. Holds no secrets. */
export const sourceConfigSchema = z.discriminatedUnion('kind', [
  demoSourceSchema,
  rssSourceSchema,
  hnSourceSchema,
  mastodonSourceSchema,
])
export type SourceConfig = z.infer<typeof sourceConfigSchema>
export type SourceKind = SourceConfig['kind']

/** What the responder types to add a source. */
export const sourceInputSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('rss'),
    url: httpUrlSchema,
    name: text(120).trim().min(1).optional(),
    intervalSec: interval.optional(),
  }),
  z.object({
    kind: z.literal('hn'),
    query: hnQuery.optional(),
    apiBase: httpUrlSchema.optional(),
    name: text(120).trim().min(1).optional(),
    intervalSec: interval.optional(),
  }),
  z.object({
    kind: z.literal('mastodon'),
    instance: httpUrlSchema,
    hashtags,
    name: text(120).trim().min(1).optional(),
    intervalSec: interval.optional(),
  }),
])
export type SourceInput = z.infer<typeof sourceInputSchema>

export const sourceStateSchema = z.enum([
  'waiting',
  'polling',
  'live',
  'backing-off',
  /** Waiting out a rate limit the server asked for; not a failure of the source. */
  'rate-limited',
  /** Too many failures in a row: one probe after a cool-down (`nextCheckAt`), never off forever. */
  'breaker-open',
  /** The server rejected the credentials (401): no retries until the source's settings change. */
  'credential-invalid',
  'paused',
])
export type SourceState = z.infer<typeof sourceStateSchema>

export const sourceHealthSchema = z.object({
  state: sourceStateSchema,
  lastSuccessAt: z.number().nullable(),
  lastErrorAt: z.number().nullable(),
  /** The last failure in plain words, e.g. "The feed answered 404 Not Found". */
  lastError: z.string().nullable(),
  itemsTotal: z.number().int().nonnegative(),
  nextCheckAt: z.number().nullable(),
  consecutiveFailures: z.number().int().nonnegative(),
  /** Items an hour over the last 24 hours (main's rate model; absent before the first poll). */
  itemsPerHour: z.number().nonnegative().optional(),
  /** What the source usually delivers an hour, averaged over about three days. */
  usualPerHour: z.number().nonnegative().optional(),
  /** When a source that usually speaks went quiet (its last item), once noticed; else null. */
  silentSince: z.number().nullable().optional(),
})
export type SourceHealth = z.infer<typeof sourceHealthSchema>

export const sourceViewSchema = z.object({ config: sourceConfigSchema, health: sourceHealthSchema })
export type SourceView = z.infer<typeof sourceViewSchema>

/** A journal batch as delivered to the renderer (the cursor stays in main). */
export const batchSchema = z.object({
  seq: z.number().int().positive(),
  sourceId: text(80),
  mentions: z.array(mentionSchema),
})
export type Batch = z.infer<typeof batchSchema>

export const alertSchema = z.object({
  mentionId: text(2600),
  title: text(200),
  body: text(400),
})
export type Alert = z.infer<typeof alertSchema>

/** Urgency at or above which a mention counts as urgent (notification, tray count). */
export const URGENT_AT = 70
