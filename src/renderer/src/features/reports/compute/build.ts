/* One pass over the mentions of a range builds every figure of the report. Mentions arrive one at
   a time (from a cursor in the worker, from an array in tests), so memory holds the tallies and
   the day's negative mentions, never the whole range. */
import { topIssues } from '../../../../../shared/issues'
import type { Mention, SentimentLabel } from '../../../../../shared/domain'
import { dayIndex, daysIn, type LocalZone } from './calendar'
import { communityOf, termClassifier } from './community'
import {
  actionsByMention,
  firstResponseAt,
  handOffs,
  measuredMinutes,
  responseMinutes,
} from './responses'
import { staffing } from './staffing'
import { median, quantile } from './stats'
import {
  DEFAULT_MINUTES_PER_CONVERSATION,
  type Community,
  type DayVolume,
  type DepartmentFigures,
  type Report,
  type ReportAction,
  type ReportSettings,
  type ReportState,
  type SentimentCounts,
  type TermKind,
} from './types'

/** Issues listed per day. */
export const ISSUES_PER_DAY = 5
/** Ids kept per list the report carries (unanswered, per department): enough to open them. */
export const LIST_CAP = 1000

const sentimentCounts = (): SentimentCounts => ({ negative: 0, neutral: 0, positive: 0 })

export type ReportBuilder = {
  /** Adds one mention with its state; mentions outside the range, and spam, are left out. */
  add(mention: Mention, state: ReportState | undefined): void
  finish(): Report
}

/** A conversation: the thread a mention belongs to, or the mention itself. */
export const conversationKey = (mention: Mention) => mention.threadId ?? mention.id

/** Mentions the responder threw out as spam are noise, not conversation: no figure counts them. */
export const isSpam = (state: ReportState | undefined) => state?.status === 'spam'

/** Whether staffing and response figures count a mention: directed at the brand. */
export const isConversation = (mention: Mention) => mention.triage.directed

/**
 * Starts a report over [settings.from, settings.to). `actions` is the whole audit log, or null on
 * a database without one.
 */
export function createReportBuilder(
  settings: ReportSettings,
  zone: LocalZone,
  actions: readonly ReportAction[] | null,
): ReportBuilder {
  const { from, to, hours } = settings
  const days = daysIn(from, to, zone)
  const log = actions === null ? null : actionsByMention(actions)
  const kindOf = termClassifier(settings.terms)

  const volume: DayVolume[] = days.map((day) => ({
    day,
    total: 0,
    bySource: {},
    byKind: { brand: 0, product: 0, competitor: 0 },
  }))
  const sentiment = days.map((day) => ({
    day,
    directed: sentimentCounts(),
    overheard: sentimentCounts(),
  }))
  const negatives: Mention[][] = days.map(() => [])
  const terms = new Map<string, { kind: TermKind; term: string; count: number }>()
  const sources = new Map<string, Mention['platform']>()
  const communities = new Map<string, Community>()
  const conversations = days.map(() => new Map<string, Set<string>>())
  let total = 0
  let directed = 0
  let answered = 0
  const responseTimes: number[] = []
  const unanswered: string[] = []
  let unansweredCount = 0
  const departments = new Map<
    string,
    { routed: number; stillWaiting: number; waits: number[]; ids: string[] }
  >()

  function add(mention: Mention, state: ReportState | undefined): void {
    const index = dayIndex(days, to, mention.createdAt)
    if (index < 0 || mention.createdAt < from || isSpam(state)) return
    total++
    const { triage } = mention
    const label: SentimentLabel = triage.sentiment.label

    const day = volume[index]!
    day.total++
    day.bySource[mention.sourceId] = (day.bySource[mention.sourceId] ?? 0) + 1
    sources.set(mention.sourceId, mention.platform)
    let brand = false
    let product = false
    let competitor = false
    for (const name of triage.matched) {
      const kind = kindOf(name)
      if (kind === null) continue
      if (kind === 'brand') brand = true
      else if (kind === 'product') product = true
      else competitor = true
      const key = `${kind}\u0000${name}`
      const entry = terms.get(key)
      if (entry) entry.count++
      else terms.set(key, { kind, term: name, count: 1 })
    }
    // A mention naming two products counts once for products.
    if (brand) day.byKind.brand++
    if (product) day.byKind.product++
    if (competitor) day.byKind.competitor++

    const feeling = sentiment[index]!
    feeling[triage.directed ? 'directed' : 'overheard'][label]++
    if (label === 'negative') negatives[index]!.push(mention)

    const name = communityOf(mention)
    let community = communities.get(name)
    if (!community) {
      community = {
        name,
        platform: mention.platform,
        volume: 0,
        negative: 0,
        shareNegative: 0,
        directed: 0,
      }
      communities.set(name, community)
    }
    community.volume++
    if (label === 'negative') community.negative++
    if (triage.directed) community.directed++

    const history = log?.get(mention.id)
    if (isConversation(mention)) {
      const threads = conversations[index]!
      let set = threads.get(name)
      if (!set) threads.set(name, (set = new Set()))
      set.add(conversationKey(mention))

      directed++
      const answeredAt = firstResponseAt(mention.createdAt, history, state)
      if (answeredAt !== null) {
        answered++
        responseTimes.push(responseMinutes(mention.createdAt, answeredAt, hours, zone))
      } else if (triage.intent === 'complaint' && state?.status !== 'done') {
        unansweredCount++
        if (unanswered.length < LIST_CAP) unanswered.push(mention.id)
      }
    }

    // Most mentions were never routed: skip them without building an empty list.
    const routed = log === null ? state?.status === 'waiting' : history !== undefined
    for (const handOff of routed ? handOffs(log === null ? undefined : history, state) : []) {
      let entry = departments.get(handOff.department)
      if (!entry) {
        entry = { routed: 0, stillWaiting: 0, waits: [], ids: [] }
        departments.set(handOff.department, entry)
      }
      entry.routed++
      if (handOff.closedAt === null) entry.stillWaiting++
      entry.waits.push(((handOff.closedAt ?? settings.now) - handOff.routedAt) / 3_600_000)
      if (entry.ids.length < LIST_CAP && !entry.ids.includes(mention.id)) entry.ids.push(mention.id)
    }
  }

  function finish(): Report {
    const conversationsPerDay = conversations.map((threads, index) => ({
      day: days[index]!,
      conversations: [...threads.values()].reduce((sum, set) => sum + set.size, 0),
    }))
    const talking = new Set<string>()
    for (const threads of conversations) for (const name of threads.keys()) talking.add(name)
    const pace =
      actions === null ? { minutes: null, samples: 0 } : measuredMinutes(actions, from, to)
    const minutes =
      settings.minutes === 'measured'
        ? (pace.minutes ?? DEFAULT_MINUTES_PER_CONVERSATION)
        : settings.minutes
    const minutesBasis =
      settings.minutes !== 'measured' ? 'set' : pace.minutes === null ? 'default' : 'measured'

    return {
      from,
      to,
      days,
      mentions: total,
      sources: [...sources]
        .map(([id, platform]) => ({ id, platform }))
        .sort((a, b) => a.id.localeCompare(b.id)),
      volume,
      terms: [...terms.values()].sort(
        (a, b) => b.count - a.count || a.kind.localeCompare(b.kind) || a.term.localeCompare(b.term),
      ),
      sentiment,
      issues: negatives.map((list, index) => {
        const day = days[index]!
        const next = days[index + 1] ?? to
        const issues = topIssues(list, { from: day, to: next, limit: ISSUES_PER_DAY })
        return { day, issues }
      }),
      responses: {
        directed,
        answered,
        rate: directed > 0 ? answered / directed : null,
        medianMinutes: median(responseTimes),
        p90Minutes: quantile(responseTimes, 0.9),
        basis: actions === null ? 'states' : 'actions',
      },
      unanswered: { count: unansweredCount, mentionIds: unanswered },
      departments: [...departments]
        .map(([department, entry]): DepartmentFigures => ({
          department,
          routed: entry.routed,
          stillWaiting: entry.stillWaiting,
          medianWaitHours: median(entry.waits),
          longestWaitHours: entry.waits.length > 0 ? Math.max(...entry.waits) : null,
          mentionIds: entry.ids,
        }))
        .sort((a, b) => b.routed - a.routed || a.department.localeCompare(b.department)),
      communities: [...communities.values()]
        .map((community) => ({
          ...community,
          shareNegative: community.negative / community.volume,
        }))
        .sort((a, b) => b.volume - a.volume || a.name.localeCompare(b.name)),
      staffing: staffing({
        conversationsPerDay,
        communities: talking.size,
        minutes,
        minutesBasis,
        measuredSamples: pace.samples,
      }),
    }
  }

  return { add, finish }
}

/** The whole report from arrays: what the tests and small callers use. */
export function buildReport(
  settings: ReportSettings,
  zone: LocalZone,
  input: {
    mentions: Iterable<Mention>
    states: Iterable<ReportState>
    actions: readonly ReportAction[] | null
  },
): Report {
  const states = new Map<string, ReportState>()
  for (const state of input.states) states.set(state.id, state)
  const builder = createReportBuilder(settings, zone, input.actions)
  for (const mention of input.mentions) builder.add(mention, states.get(mention.id))
  return builder.finish()
}
