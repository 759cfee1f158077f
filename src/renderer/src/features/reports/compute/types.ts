/* What a report reads and what it says: plain data, so the same code runs on arrays in tests and on
   Dexie cursors in the report worker, whatever the schema version. */
import type { Mention, Platform, SentimentLabel } from '../../../../../shared/domain'

/** The responder's state of a mention, as much of it as reports read (schema v1 or v2). */
export type ReportState = {
  id: string
  status: string
  updatedAt: number
  doneAt?: number
  department?: string
}

/**
 * One line of the audit log (schema v2 `actions`). `status` to `done` and `reply` are responses;
 * `route` hands a mention to a department; any later status change closes that hand-off.
 */
export type ReportAction = {
  mentionId: string
  at: number
  kind: string
  detail: { from?: string; to?: string; department?: string }
}

/** When the responder works: days of the week (0 Sunday … 6 Saturday) and local hours [start, end). */
export type BusinessHours = { days: number[]; startHour: number; endHour: number }

export const DEFAULT_BUSINESS_HOURS: BusinessHours = {
  days: [1, 2, 3, 4, 5],
  startHour: 9,
  endHour: 17,
}

/** Minutes a conversation takes when the responder's own actions do not tell. */
export const DEFAULT_MINUTES_PER_CONVERSATION = 20
/** One full-time person's working hours in a day. */
export const FULL_TIME_HOURS = 8

/** The brand profile's names, to sort `triage.matched` into brand, product and competitor. */
export type ReportTerms = {
  brand: string
  handles: string[]
  products: string[]
  competitors: string[]
}

export type ReportSettings = {
  /** Epoch ms of the first day's local midnight, inclusive. */
  from: number
  /** Epoch ms of the local midnight after the last day, exclusive. */
  to: number
  /** When the report is made: how long a still-waiting hand-off has waited. */
  now: number
  hours: BusinessHours
  terms: ReportTerms
  /** 'measured' uses the responder's own pace when there is enough of it, else the default. */
  minutes: 'measured' | number
}

export type TermKind = 'brand' | 'product' | 'competitor'

/** Which mentions stand behind a figure. Every given key must match; ids are listed outright. */
export type DrillSpec = {
  title: string
  from: number
  to: number
  sourceId?: string | undefined
  community?: string | undefined
  termKind?: TermKind | undefined
  term?: string | undefined
  sentiment?: SentimentLabel | undefined
  directed?: boolean | undefined
  /** Only the directed threads that staffing counts as conversations. */
  conversation?: boolean | undefined
  ids?: string[] | undefined
}

export type DayVolume = {
  day: number
  total: number
  bySource: Record<string, number>
  byKind: Record<TermKind, number>
}

export type SentimentCounts = Record<SentimentLabel, number>
export type DaySentiment = { day: number; directed: SentimentCounts; overheard: SentimentCounts }

export type ReportIssue = { phrase: string; count: number; quotes: string[]; mentionIds: string[] }
export type DayIssues = { day: number; issues: ReportIssue[] }

export type ResponseFigures = {
  /** Directed mentions of the range, spam left out: the ones the default policy answers. */
  directed: number
  answered: number
  /** answered / directed, or null with nothing directed. */
  rate: number | null
  /** First response after the mention, in business minutes. */
  medianMinutes: number | null
  p90Minutes: number | null
  /** Where the responses were read from: the audit log, or (schema v1) the done time. */
  basis: 'actions' | 'states'
}

export type Unanswered = { count: number; mentionIds: string[] }

export type DepartmentFigures = {
  department: string
  routed: number
  stillWaiting: number
  /** Wall-clock hours from hand-off to the next change, or to now while still waiting. */
  medianWaitHours: number | null
  longestWaitHours: number | null
  mentionIds: string[]
}

export type Community = {
  name: string
  platform: Platform
  volume: number
  negative: number
  shareNegative: number
  directed: number
}

export type Staffing = {
  minutesPerConversation: number
  minutesBasis: 'default' | 'measured' | 'set'
  /** How many handled conversations the measured figure rests on. */
  measuredSamples: number
  communities: number
  /** Conversations a day per community: median (quiet) and 90th percentile (busy) day. */
  quietPerCommunity: number
  busyPerCommunity: number
  quietHours: number
  busyHours: number
  quietShare: number
  busyShare: number
  conversationsPerDay: { day: number; conversations: number }[]
}

export type Report = {
  from: number
  to: number
  days: number[]
  mentions: number
  sources: { id: string; platform: Platform }[]
  volume: DayVolume[]
  terms: { kind: TermKind; term: string; count: number }[]
  sentiment: DaySentiment[]
  issues: DayIssues[]
  responses: ResponseFigures
  unanswered: Unanswered
  departments: DepartmentFigures[]
  communities: Community[]
  staffing: Staffing
}

/** A mention as stored: reports read its content, its triage and its thread. */
export type ReportMention = Mention
