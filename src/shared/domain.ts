import { z } from 'zod'

/**
 * Where a mention was heard. `demo` is the bundled replay shown until a real source exists;
 * `import` came from a file another tool exported (History → Import).
 */
export const platformSchema = z.enum([
  'demo',
  'rss',
  'hn',
  'mastodon',
  'bluesky',
  'reddit',
  'import',
])
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

/**
 * Where the responder's routing rules sent a mention: department ids (`department` the first,
 * `departments` all of them when several), whether to only watch it, whether to notify, a template
 * to suggest, and the names of the rules that fired. Absent when no rule fired.
 */
export const routeSchema = z.object({
  department: text(40).optional(),
  departments: z.array(text(40)).max(20).optional(),
  monitorOnly: z.boolean().optional(),
  notify: z.boolean().optional(),
  template: text(120).optional(),
  rules: z.array(text(80)).max(100),
})
export type Route = z.infer<typeof routeSchema>

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
  /** Optional: mentions stored before routing rules existed have none. */
  route: routeSchema.optional(),
  /**
   * Written by one of the brand's own accounts (its handles in the profile): its replies and
   * announcements, heard back through the sources. Kept for threads, history and "answered
   * elsewhere", but never queued, routed, alerted on or counted as a mention in reports.
   */
  own: z.boolean().optional(),
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
  /**
   * The platform itself says this was addressed to the brand's account: a notification, a reply
   * to the brand's post, a mention of its handle. Triage then counts it as directed.
   */
  addressed: z.boolean().optional(),
  /** The id (as Earshot stores it) of the mention this one replies to, when the platform says. */
  replyTo: text(2600).optional(),
  /** The id of the thread's first post, when the platform says; equal to `id` for the root. */
  threadId: text(2600).optional(),
  /** What a connector needs later to fetch the thread or reply (Bluesky cid, Mastodon status id). */
  platformRef: z.record(text(40), text(2600)).optional(),
  /** Public counts the platform showed when the mention was fetched (thread heat). */
  stats: z
    .object({
      replies: z.number().int().nonnegative().optional(),
      likes: z.number().int().nonnegative().optional(),
      reposts: z.number().int().nonnegative().optional(),
    })
    .optional(),
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
  /** The address the source was added with, kept when the feed moves (mention ids derive from it). */
  firstUrl: httpUrlSchema.optional(),
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
const hashtags = z.array(mastodonHashtagSchema).max(MASTODON_MAX_HASHTAGS)

/**
 * One Mastodon instance: public hashtag timelines without a token; with the brand account's token
 * (kept by main's credential store, never here) also status search, mentions and streaming.
 */
export const mastodonSourceSchema = z.object({
  ...sourceCommon,
  kind: z.literal('mastodon'),
  /** The instance's address, e.g. `https://mastodon.social`. */
  instance: httpUrlSchema,
  hashtags: hashtags.default([]),
  intervalSec: interval.default(MASTODON_INTERVAL_SEC),
})

/** Bluesky's entryway: logins, writes and authenticated reads (proxied to the AppView). */
export const BLUESKY_SERVICE = 'https://bsky.social'
export const BLUESKY_INTERVAL_SEC = 120
/** A handle such as `acme.bsky.social` or a DID; a bare name without a domain is refused. */
const blueskyIdentifier = text(253)
  .trim()
  .regex(
    /^(did:[a-z]+:[\w.:%-]+|[\w-]+(\.[\w-]+)+)$/,
    'Enter the full handle, e.g. acme.bsky.social',
  )

/** Bluesky search and the brand account's notifications, through an app-password session. */
export const blueskySourceSchema = z.object({
  ...sourceCommon,
  kind: z.literal('bluesky'),
  service: httpUrlSchema.default(BLUESKY_SERVICE),
  /** The brand account that logs in (its app password is in the credential store). */
  identifier: blueskyIdentifier,
  /** Search text that replaces the one compiled from the brand profile. */
  query: text(500).trim().min(1).optional(),
  intervalSec: interval.default(BLUESKY_INTERVAL_SEC),
})

export const REDDIT_API_BASE = 'https://oauth.reddit.com'
export const REDDIT_AUTH_BASE = 'https://www.reddit.com'
/** Reddit's free tier allows 100 queries a minute per client; two minutes a source is polite. */
export const REDDIT_INTERVAL_SEC = 120
export const redditSubredditSchema = z
  .string()
  .regex(/^[A-Za-z0-9_]{2,21}$/, 'A subreddit name, without r/')

/** Reddit through the responder's own approved OAuth app ("script" type, password grant). */
export const redditSourceSchema = z.object({
  ...sourceCommon,
  kind: z.literal('reddit'),
  apiBase: httpUrlSchema.default(REDDIT_API_BASE),
  authBase: httpUrlSchema.default(REDDIT_AUTH_BASE),
  /** The Reddit account the app belongs to (its password and the app's secret are credentials). */
  username: text(40)
    .trim()
    .regex(/^[A-Za-z0-9_-]{3,20}$/, 'A Reddit username, without u/'),
  /** Subreddits whose newest comments are read and matched locally (Reddit cannot search comments). */
  subreddits: z.array(redditSubredditSchema).max(50).default([]),
  query: text(512).trim().min(1).optional(),
  intervalSec: interval.default(REDDIT_INTERVAL_SEC),
})

/** A configured source, as stored in `sources.json`. Holds no secrets. */
export const sourceConfigSchema = z.discriminatedUnion('kind', [
  demoSourceSchema,
  rssSourceSchema,
  hnSourceSchema,
  mastodonSourceSchema,
  blueskySourceSchema,
  redditSourceSchema,
])
export type SourceConfig = z.infer<typeof sourceConfigSchema>
export type SourceKind = SourceConfig['kind']

/**
 * What the responder may change on a source once added: its name and how often it is checked.
 * Where it listens (address, query, account) names the source and its cursor, so a new one of
 * those is a new source.
 */
export const sourceEditSchema = z
  .object({
    name: text(120).trim().min(1).optional(),
    intervalSec: interval.optional(),
  })
  .strict()
export type SourceEdit = z.infer<typeof sourceEditSchema>

const secret = (max: number) => z.string().trim().min(1).max(max)

/**
 * Secrets per kind, as typed by the responder. They travel renderer → main only, once, and are
 * kept by main's credential store; no reply or event ever carries them back.
 */
export const mastodonCredentialsSchema = z.object({ accessToken: secret(500) }).strict()
export const blueskyCredentialsSchema = z.object({ appPassword: secret(200) }).strict()
export const redditCredentialsSchema = z
  .object({ clientId: secret(200), clientSecret: secret(200), password: secret(300) })
  .strict()
export type MastodonCredentials = z.infer<typeof mastodonCredentialsSchema>
export type BlueskyCredentials = z.infer<typeof blueskyCredentialsSchema>
export type RedditCredentials = z.infer<typeof redditCredentialsSchema>

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
  z
    .object({
      kind: z.literal('mastodon'),
      instance: httpUrlSchema,
      hashtags: hashtags.default([]),
      name: text(120).trim().min(1).optional(),
      intervalSec: interval.optional(),
      credentials: mastodonCredentialsSchema.optional(),
    })
    .refine((input) => input.hashtags.length > 0 || input.credentials !== undefined, {
      message: 'Give at least one hashtag, or an access token to search and read mentions',
      path: ['hashtags'],
    }),
  z.object({
    kind: z.literal('bluesky'),
    service: httpUrlSchema.optional(),
    identifier: blueskyIdentifier,
    query: text(500).trim().min(1).optional(),
    name: text(120).trim().min(1).optional(),
    intervalSec: interval.optional(),
    credentials: blueskyCredentialsSchema,
  }),
  z.object({
    kind: z.literal('reddit'),
    apiBase: httpUrlSchema.optional(),
    authBase: httpUrlSchema.optional(),
    username: text(40)
      .trim()
      .regex(/^[A-Za-z0-9_-]{3,20}$/, 'A Reddit username, without u/'),
    subreddits: z.array(redditSubredditSchema).max(50).optional(),
    query: text(512).trim().min(1).optional(),
    name: text(120).trim().min(1).optional(),
    intervalSec: interval.optional(),
    credentials: redditCredentialsSchema,
  }),
])
export type SourceInput = z.infer<typeof sourceInputSchema>

/**
 * Whether a source's secrets are in main's store; the only thing the renderer learns of them.
 * `unreadable`: stored but they cannot be decrypted here (re-enter them).
 */
export const credentialStateSchema = z.enum(['not-needed', 'set', 'missing', 'unreadable'])
export type CredentialState = z.infer<typeof credentialStateSchema>

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
  /** A live connection pushes new posts as they happen (Mastodon streaming); polling stands by. */
  'streaming',
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
  /** Something the responder should know that is no failure, e.g. "The feed moved to …". */
  note: z.string().max(5000).nullable().optional(),
})
export type SourceHealth = z.infer<typeof sourceHealthSchema>

export const sourceViewSchema = z.object({
  config: sourceConfigSchema,
  health: sourceHealthSchema,
  /** Absent in views from before credentials existed: read that as `not-needed`. */
  credential: credentialStateSchema.optional(),
  /** Whether Earshot can post replies through this source (else: copy the text and open the post). */
  canReply: z.boolean().optional(),
})
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
  /** What the alert is about; absent means `mention`. */
  kind: z.enum(['mention', 'spike', 'digest', 'silence']).optional(),
  /** The posts behind a spike or a digest: a click opens the queue filtered to them. */
  mentionIds: z.array(text(2600)).max(200).optional(),
  /** The words that drive a spike, space-separated (the body names them too). */
  query: text(200).optional(),
})
export type Alert = z.infer<typeof alertSchema>

/** Urgency at or above which a mention counts as urgent (notification, tray count). */
export const URGENT_AT = 70
