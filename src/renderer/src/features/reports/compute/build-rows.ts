/* Every figure of the report from the compact rows (`rows.ts`), by the same rules as the full
   scan in `build.ts`, which stays as the reference the equality test compares against. Only the
   issues' quotes need text: the few mentions they come from are read at the end. */
import {
  byFeeling,
  chooseIssues,
  namesOf,
  quoteOf,
  QUOTES,
  type PhraseGroup,
} from '../../../../../shared/issues'
import type { Mention } from '../../../../../shared/domain'
import { mentionText } from '../../../../../shared/text'
import { ISSUES_PER_DAY, LIST_CAP } from './build'
import { dayIndex, daysIn, type LocalZone } from './calendar'
import { termClassifier } from './community'
import {
  actionsByMention,
  firstResponseAt,
  handOffs,
  measuredMinutes,
  responseMinutes,
} from './responses'
import type { ReportRow } from './rows'
import { staffing } from './staffing'
import { median, quantile } from './stats'
import {
  DEFAULT_MINUTES_PER_CONVERSATION,
  type Community,
  type DayVolume,
  type DepartmentFigures,
  type Report,
  type ReportAction,
  type ReportIssue,
  type ReportSettings,
  type SentimentCounts,
  type TermKind,
} from './types'

const sentimentCounts = (): SentimentCounts => ({ negative: 0, neutral: 0, positive: 0 })

/** Reads mentions by id (missing ones undefined): the quotes' text. */
export type MentionReader = (ids: string[]) => Promise<(Mention | undefined)[]>

export type RowReportBuilder = {
  /** Adds one row; rows outside the range, and spam, are left out. Rows come in time order. */
  add(row: ReportRow): void
  finish(read: MentionReader): Promise<Report>
}

/** Starts a report over [settings.from, settings.to) from rows; `actions` as in `build.ts`. */
export function createRowReportBuilder(
  settings: ReportSettings,
  zone: LocalZone,
  actions: readonly ReportAction[] | null,
): RowReportBuilder {
  const { from, to, hours } = settings
  const days = daysIn(from, to, zone)
  const log = actions === null ? null : actionsByMention(actions)
  const kindOf = termClassifier(settings.terms)
  // Rows share their matched lists per hour: each list's terms and kinds are looked up once.
  const listTerms = new Map<readonly string[], MatchedTerms>()
  type MatchedTerms = {
    entries: { kind: TermKind; term: string; count: number }[]
    brand: boolean
    product: boolean
    competitor: boolean
  }
  function termsOf(matched: readonly string[]): MatchedTerms {
    const found: MatchedTerms = { entries: [], brand: false, product: false, competitor: false }
    for (const name of matched) {
      const kind = kindOf(name)
      if (kind === null) continue
      found[kind] = true
      const key = `${kind}\u0000${name}`
      let entry = terms.get(key)
      if (!entry) terms.set(key, (entry = { kind, term: name, count: 0 }))
      found.entries.push(entry)
    }
    return found
  }
  // Rows come in time order: the day of the previous one is tried first.
  let lastDay = 0
  function dayOf(at: number): number {
    const start = days[lastDay]
    const next = days[lastDay + 1] ?? to
    if (start !== undefined && at >= start && at < next) return lastDay
    const index = dayIndex(days, to, at)
    if (index >= 0) lastDay = index
    return index
  }

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
  const phrases = days.map(() => new Map<string, PhraseGroup<ReportRow>>())
  const terms = new Map<string, { kind: TermKind; term: string; count: number }>()
  const sources = new Map<string, ReportRow['platform']>()
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

  function add(row: ReportRow): void {
    const { state } = row
    const index = dayOf(row.createdAt)
    if (index < 0 || row.createdAt < from || state?.status === 'spam') return
    total++

    const day = volume[index]!
    day.total++
    day.bySource[row.sourceId] = (day.bySource[row.sourceId] ?? 0) + 1
    sources.set(row.sourceId, row.platform)
    let named = listTerms.get(row.matched)
    if (!named) listTerms.set(row.matched, (named = termsOf(row.matched)))
    for (const entry of named.entries) entry.count++
    // A mention naming two products counts once for products.
    if (named.brand) day.byKind.brand++
    if (named.product) day.byKind.product++
    if (named.competitor) day.byKind.competitor++

    sentiment[index]![row.directed ? 'directed' : 'overheard'][row.sentiment]++
    if (row.sentiment === 'negative') {
      const groups = phrases[index]!
      for (const phrase of row.phrases) {
        let group = groups.get(phrase)
        if (!group) {
          group = { phrase, words: phrase.split(' '), ids: [], members: [] }
          groups.set(phrase, group)
        }
        group.ids.push(row.id)
        group.members.push(row)
      }
    }

    let community = communities.get(row.community)
    if (!community) {
      community = {
        name: row.community,
        platform: row.platform,
        volume: 0,
        negative: 0,
        shareNegative: 0,
        directed: 0,
      }
      communities.set(row.community, community)
    }
    community.volume++
    if (row.sentiment === 'negative') community.negative++
    if (row.directed) community.directed++

    const history = log?.get(row.id)
    if (row.directed) {
      const threads = conversations[index]!
      let set = threads.get(row.community)
      if (!set) threads.set(row.community, (set = new Set()))
      set.add(row.threadId ?? row.id)

      directed++
      const answeredAt = firstResponseAt(row.createdAt, history, state)
      if (answeredAt !== null) {
        answered++
        responseTimes.push(responseMinutes(row.createdAt, answeredAt, hours, zone))
      } else if (row.complaint && state?.status !== 'done') {
        unansweredCount++
        if (unanswered.length < LIST_CAP) unanswered.push(row.id)
      }
    }

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
      if (entry.ids.length < LIST_CAP && !entry.ids.includes(row.id)) entry.ids.push(row.id)
    }
  }

  async function finish(read: MentionReader): Promise<Report> {
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
    const issues = await issuesOf(
      phrases.map((groups) => chooseIssues(groups.values(), ISSUES_PER_DAY, 2)),
      read,
    )

    return {
      from,
      to,
      days,
      mentions: total,
      sources: [...sources]
        .map(([id, platform]) => ({ id, platform }))
        .sort((a, b) => a.id.localeCompare(b.id)),
      volume,
      terms: [...terms.values()]
        .filter((entry) => entry.count > 0)
        .sort(
          (a, b) =>
            b.count - a.count || a.kind.localeCompare(b.kind) || a.term.localeCompare(b.term),
        ),
      sentiment,
      issues: issues.map((list, index) => ({ day: days[index]!, issues: list })),
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

/**
 * Quotes for the chosen issues, as `topIssues` picks them: each issue walks its mentions angriest
 * first until it holds three different quotes. Every issue's next few mentions are read in one
 * request per round, just as many as it still lacks, so no mention is read that the walk would not
 * reach. A round or two covers a 90-day report.
 */
async function issuesOf(
  chosen: PhraseGroup<ReportRow>[][],
  read: MentionReader,
): Promise<ReportIssue[][]> {
  type Walk = {
    group: PhraseGroup<ReportRow>
    angriest: ReportRow[]
    next: number
    quotes: string[]
  }
  const walks: Walk[][] = chosen.map((groups) =>
    groups.map((group) => ({
      group,
      angriest: [...group.members].sort(byFeeling),
      next: 0,
      quotes: [],
    })),
  )
  const texts = new Map<string, Mention | undefined>()
  for (;;) {
    const wanted = new Map<Walk, ReportRow[]>()
    for (const walk of walks.flat()) {
      const lacking = QUOTES - walk.quotes.length
      if (lacking <= 0 || walk.next >= walk.angriest.length) continue
      wanted.set(walk, walk.angriest.slice(walk.next, walk.next + lacking))
    }
    if (wanted.size === 0) break
    const unread = [...new Set([...wanted.values()].flat().map((row) => row.id))].filter(
      (id) => !texts.has(id),
    )
    const found = unread.length > 0 ? await read(unread) : []
    unread.forEach((id, at) => texts.set(id, found[at]))
    for (const [walk, rows] of wanted) {
      walk.next += rows.length
      for (const row of rows) {
        const mention = texts.get(row.id)
        if (!mention) continue
        const quote = quoteOf(mentionText(mention), walk.group.phrase, namesOf(mention))
        if (quote !== null && !walk.quotes.includes(quote)) walk.quotes.push(quote)
      }
    }
  }
  return walks.map((day) =>
    day.map(({ group, quotes }) => ({
      phrase: group.phrase,
      count: group.ids.length,
      mentionIds: group.ids,
      quotes,
    })),
  )
}
