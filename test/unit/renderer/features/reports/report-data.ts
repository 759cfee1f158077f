/* A small fixed week for the report tests; every figure in report.test.ts is counted by hand from it. */
import type { Intent, Mention, Platform, SentimentLabel } from '../../../../../src/shared/domain'
import type {
  ReportAction,
  ReportSettings,
  ReportState,
} from '../../../../../src/renderer/src/features/reports/compute/types'
import { DEFAULT_BUSINESS_HOURS } from '../../../../../src/renderer/src/features/reports/compute/types'

export const HOUR = 3_600_000
/** Friday 20 November 2026, 00:00 UTC; the tests read days in UTC (fixedZone(0)). */
export const FRI = Date.parse('2026-11-20T00:00:00Z')
export const SAT = FRI + 24 * HOUR
export const SUN = SAT + 24 * HOUR
export const MON = SUN + 24 * HOUR
export const TUE = MON + 24 * HOUR

type Spec = {
  id: string
  at: number
  sourceId: string
  platform: Platform
  author: string
  text: string
  label: SentimentLabel
  score?: number
  directed?: boolean
  intent?: Intent
  matched?: string[]
  url?: string
  threadId?: string
}

export function mention(spec: Spec): Mention {
  return {
    id: spec.id,
    sourceId: spec.sourceId,
    platform: spec.platform,
    url: spec.url ?? null,
    author: { id: spec.author, name: spec.author },
    text: spec.text,
    createdAt: spec.at,
    fetchedAt: spec.at,
    ...(spec.threadId ? { threadId: spec.threadId } : {}),
    triage: {
      sentiment: { score: spec.score ?? 0, comparative: 0, label: spec.label, words: [] },
      intent: spec.intent ?? 'other',
      directed: spec.directed ?? false,
      urgency: 0,
      reasons: [],
      matched: spec.matched ?? [],
    },
  }
}

const masto = { sourceId: 'mast', platform: 'mastodon' } as const

export const mentions: Mention[] = [
  mention({
    ...masto,
    id: 'm1',
    at: FRI + 10 * HOUR,
    author: 'mastodon:@ana@social.example',
    text: 'Acme Pay refund missing. Still no refund',
    label: 'negative',
    score: -3,
    directed: true,
    intent: 'complaint',
    matched: ['@acme', 'Acme Pay'],
  }),
  mention({
    sourceId: 'blog',
    platform: 'rss',
    id: 'm3',
    at: FRI + 12 * HOUR,
    author: 'rss:blog#Eve',
    url: 'https://www.blog.example/post/1',
    text: 'Acme is lovely',
    label: 'positive',
    score: 3,
    intent: 'praise',
    matched: ['Acme'],
  }),
  mention({
    ...masto,
    id: 'm2',
    at: FRI + 16 * HOUR,
    author: 'mastodon:@bo@other.example',
    text: 'refund never came',
    label: 'negative',
    score: -2,
    directed: true,
    intent: 'complaint',
    matched: ['@acme'],
  }),
  mention({
    sourceId: 'red',
    platform: 'reddit',
    id: 'm4',
    at: SAT + 11 * HOUR,
    author: 'reddit:t2_x',
    url: 'https://www.reddit.com/r/acmeusers/comments/abc/thread/',
    text: 'Tellwell and Acme both slow',
    label: 'negative',
    score: -1,
    intent: 'complaint',
    matched: ['Tellwell', 'Acme'],
  }),
  mention({
    ...masto,
    id: 'm5',
    at: MON + 9.5 * HOUR,
    author: 'mastodon:@ana@social.example',
    text: 'any news on it?',
    label: 'neutral',
    directed: true,
    intent: 'question',
    matched: ['@acme'],
    threadId: 'm1',
  }),
  mention({
    ...masto,
    id: 'm6',
    at: MON + 10 * HOUR,
    author: 'mastodon:@cy@social.example',
    text: 'buy followers cheap buy followers',
    label: 'negative',
    score: -1,
    directed: true,
    intent: 'complaint',
    matched: ['@acme'],
  }),
  mention({
    sourceId: 'hn',
    platform: 'hn',
    id: 'm7',
    at: MON + 11 * HOUR,
    author: 'hn:dan',
    text: 'Acme Pay login error again',
    label: 'negative',
    score: -2,
    matched: ['Acme Pay'],
  }),
  mention({
    ...masto,
    id: 'm9',
    at: MON + 12 * HOUR,
    author: 'mastodon:@di@social.example',
    text: 'login error on checkout',
    label: 'negative',
    score: -2,
    directed: true,
    intent: 'complaint',
    matched: ['@acme'],
  }),
  // After the range: counted nowhere.
  mention({
    ...masto,
    id: 'm8',
    at: TUE + HOUR,
    author: 'mastodon:@ana@social.example',
    text: 'refund refund refund',
    label: 'negative',
    directed: true,
    intent: 'complaint',
    matched: ['@acme'],
  }),
]

const state = (
  id: string,
  status: string,
  updatedAt: number,
  extra: Partial<ReportState> = {},
) => ({ id, status, updatedAt, ...extra })

export const states: ReportState[] = [
  state('m1', 'done', FRI + 11 * HOUR + 5 * 60_000, { doneAt: FRI + 11 * HOUR + 5 * 60_000 }),
  state('m2', 'done', MON + 10 * HOUR, { doneAt: MON + 10 * HOUR }),
  state('m3', 'monitor', FRI + 12 * HOUR),
  state('m4', 'done', SAT + 14 * HOUR, { doneAt: SAT + 14 * HOUR, department: 'PR' }),
  state('m5', 'done', MON + 9.75 * HOUR, { doneAt: MON + 9.75 * HOUR }),
  state('m6', 'spam', MON + 10 * HOUR),
  state('m7', 'monitor', MON + 11 * HOUR),
  state('m9', 'waiting', MON + 13 * HOUR, { department: 'product' }),
]

export const actions: ReportAction[] = [
  { mentionId: 'm1', at: FRI + 11 * HOUR, kind: 'reply', detail: {} },
  {
    mentionId: 'm1',
    at: FRI + 11 * HOUR + 5 * 60_000,
    kind: 'status',
    detail: { from: 'open', to: 'done' },
  },
  {
    mentionId: 'm4',
    at: SAT + 12 * HOUR,
    kind: 'route',
    detail: { from: 'monitor', to: 'waiting', department: 'PR' },
  },
  { mentionId: 'm4', at: SAT + 14 * HOUR, kind: 'status', detail: { from: 'waiting', to: 'done' } },
  { mentionId: 'm2', at: MON + 10 * HOUR, kind: 'status', detail: { from: 'open', to: 'done' } },
  { mentionId: 'm5', at: MON + 9.75 * HOUR, kind: 'reply', detail: {} },
  { mentionId: 'm6', at: MON + 10 * HOUR, kind: 'status', detail: { from: 'open', to: 'spam' } },
  {
    mentionId: 'm9',
    at: MON + 13 * HOUR,
    kind: 'route',
    detail: { from: 'open', to: 'waiting', department: 'product' },
  },
]

export const settings: ReportSettings = {
  from: FRI,
  to: TUE,
  now: MON + 18 * HOUR,
  hours: DEFAULT_BUSINESS_HOURS,
  terms: { brand: 'Acme', handles: ['@acme'], products: ['Acme Pay'], competitors: ['Tellwell'] },
  minutes: 20,
}
