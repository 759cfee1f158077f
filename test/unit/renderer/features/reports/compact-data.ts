/* A fixed, varied history for comparing the report's compact rows with the full scan: ten days of
   mentions from every kind of source, stored and changed through the app's own write paths. */
import type { Intent, Mention, Platform, SentimentLabel } from '../../../../../src/shared/domain'
import type { ReportSettings } from '../../../../../src/renderer/src/features/reports/compute/types'
import { DEFAULT_BUSINESS_HOURS } from '../../../../../src/renderer/src/features/reports/compute/types'

export const HOUR = 3_600_000
/** Monday 16 November 2026, 00:00 UTC. */
export const START = Date.parse('2026-11-16T00:00:00Z')
export const DAYS = 10
export const COUNT = 900

/** A small deterministic generator (mulberry32), so the data set is the same on every run. */
function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

const negativeTexts = [
  'Refund still missing. The app crash happens at login!',
  'Login error again on checkout. Support never answers.',
  'App crash after the update, refund please',
  'Billing page broken. Login error too.',
  'Delivery late again; the courier lost my parcel',
  'Acme Pay refund missing',
  'The refund never came and the billing page is broken',
]
const otherTexts = [
  'Acme is lovely these days',
  'Does Acme Pay work abroad?',
  'Switched from Tellwell to Acme, no regrets',
  'Neutral post about Acme Cloud pricing',
]
const matchedLists = [
  ['Acme'],
  ['@acme'],
  ['Acme', 'Acme Pay'],
  ['Tellwell', 'Acme'],
  ['Acme Pay', 'Acme Pay'],
  ['Unknown Co'],
  [],
]
const platforms: Platform[] = ['mastodon', 'reddit', 'rss', 'hn', 'demo', 'bluesky']
const intents: Intent[] = ['complaint', 'question', 'praise', 'idea', 'other']

function shape(n: number, pick: () => number): Mention {
  const platform = platforms[Math.floor(pick() * platforms.length)]!
  const label: SentimentLabel = pick() < 0.45 ? 'negative' : pick() < 0.5 ? 'neutral' : 'positive'
  // Some mentions share a time exactly: the order between them must still agree.
  const createdAt =
    n % 17 === 5
      ? START + (n % 5) * 31 * HOUR + 17 * 60_000
      : START + Math.floor(pick() * DAYS * 24 * HOUR)
  const negative = label === 'negative'
  const texts = negative ? negativeTexts : otherTexts
  const text = texts[Math.floor(pick() * texts.length)]! + (pick() < 0.5 ? ` (#${n})` : '')
  const url =
    platform === 'reddit'
      ? `https://www.reddit.com/r/${pick() < 0.5 ? 'acmeusers' : 'tech'}/comments/${n}/`
      : platform === 'rss'
        ? `https://${pick() < 0.5 ? 'www.blog.example' : 'news.example'}/post/${n}`
        : pick() < 0.3
          ? null
          : `https://example.social/@u/${n}`
  return {
    id: `${platform}:m${String(n).padStart(4, '0')}`,
    sourceId: `${platform}-${n % 2}`,
    platform,
    url,
    author: {
      id:
        platform === 'mastodon'
          ? `mastodon:@u${n % 13}@${n % 3 ? 'social.example' : 'other.example'}`
          : `${platform}:u${n % 13}`,
      name: `User ${n % 13}`,
    },
    ...(platform === 'demo'
      ? { title: `Thread ${n % 5} · ${n % 2 ? 'The Forum' : 'Help Desk'}` }
      : {}),
    text,
    createdAt,
    fetchedAt: createdAt,
    ...(pick() < 0.3 ? { threadId: `${platform}:thread-${n % 23}` } : {}),
    triage: {
      sentiment: {
        score: negative ? -[1, 2, 2.5, 3][Math.floor(pick() * 4)]! : label === 'positive' ? 2 : 0,
        comparative: 0,
        label,
        words: [],
      },
      ...(pick() < 0.9
        ? {
            intent:
              negative && pick() < 0.7
                ? 'complaint'
                : intents[Math.floor(pick() * intents.length)]!,
          }
        : {}),
      directed: pick() < 0.45,
      urgency: Math.floor(pick() * 100),
      reasons: [],
      matched: matchedLists[Math.floor(pick() * matchedLists.length)]!,
    },
  }
}

/** The mentions as first delivered, in batches of 50 by time. */
export function deliveredMentions(): Mention[] {
  const pick = random(42)
  // Every 41st is the brand's own post, which lands apart and no figure counts.
  return Array.from({ length: COUNT }, (_, n) => {
    const mention = shape(n, pick)
    return n % 41 === 40
      ? { ...mention, triage: { ...mention.triage, directed: false, own: true } }
      : mention
  })
}

export const compactSettings: ReportSettings = {
  from: START,
  to: START + DAYS * 24 * HOUR,
  now: START + DAYS * 24 * HOUR + 6 * HOUR,
  hours: DEFAULT_BUSINESS_HOURS,
  terms: {
    brand: 'Acme',
    handles: ['@acme'],
    products: ['Acme Pay', 'Acme Cloud'],
    competitors: ['Tellwell'],
  },
  minutes: 'measured',
}
