/* The one tally behind every figure of the report. Both builders feed it rows in columns
   (`RowColumns`, rows.ts): the compact rows straight from their hour records (build-rows.ts), the
   full scan from mentions it turns into rows itself (build.ts). It counts from the columns where
   they lie: a string is looked up once per record, not once per row, and no object is made per
   row, which at 200,000 rows cost more than the counting. */
import {
  byFeeling,
  chooseIssues,
  namesOf,
  QUOTES,
  quoteOf,
  type PhraseGroup,
} from '../../../../../shared/issues'
import type { Mention, Platform } from '../../../../../shared/domain'
import { mentionText } from '../../../../../shared/text'
import { dayIndex, daysIn, rememberingZone, type LocalZone } from './calendar'
import { termClassifier } from './community'
import {
  actionsByMention,
  firstResponseAt,
  handOffs,
  measuredMinutes,
  responseMinutes,
} from './responses'
import { code, CODES, COMPLAINT, DIRECTED, SENTIMENT, TIMES, type RowColumns } from './rows'
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
  type ReportState,
  type SentimentCounts,
  type TermKind,
} from './types'

/** Issues listed per day. */
export const ISSUES_PER_DAY = 5
/** Ids kept per list the report carries (unanswered, per department): enough to open them. */
export const LIST_CAP = 1000

/** A negative mention in an issue: what ranks it for quoting, and its id to read its text. */
export type IssueMember = { id: string; score: number; createdAt: number }

export type Tally = {
  /** Counts a batch of rows; rows outside [from, to), spam and the brand's own posts are left out. */
  add(columns: RowColumns): void
  /** The local days of the report, as `Report.days`. */
  days: readonly number[]
  /**
   * The issues chosen for one day (by its index), whose quotes `quoteIssues` then finds: final
   * once every row of that day is added, so a day's quotes can be read while later days count.
   */
  chosen(index: number): PhraseGroup<IssueMember>[]
  /** Every figure but the issues, which are left empty for their quotes to fill. */
  finish(): Report
}

type MatchedTerms = {
  entries: { kind: TermKind; term: string; count: number }[]
  brand: boolean
  product: boolean
  competitor: boolean
}
type SourceTally = { id: string; platform: Platform; perDay: Int32Array }
type CommunityTally = { figures: Community; threads: (Set<string> | undefined)[] }
type DepartmentTally = { routed: number; stillWaiting: number; waits: number[]; ids: string[] }

/**
 * Starts a report over [settings.from, settings.to). `actions` is the whole audit log, or null on
 * a database without one (responses then come from the done times kept with the states).
 */
export function createTally(
  settings: ReportSettings,
  zone: LocalZone,
  actions: readonly ReportAction[] | null,
): Tally {
  const { from, to, hours } = settings
  const days = daysIn(from, to, zone)
  const log = actions === null ? null : actionsByMention(actions)
  // With nothing logged no mention has a history: not looking 200,000 ids up saves hashing them.
  const logged = log !== null && log.size > 0 ? log : null
  const kindOf = termClassifier(settings.terms)
  // Business minutes ask the same few dozen days again for every answered mention.
  const calendar = rememberingZone(zone)

  const volume: DayVolume[] = days.map((day) => ({
    day,
    total: 0,
    bySource: {},
    byKind: { brand: 0, product: 0, competitor: 0 },
  }))
  /** Per day, the sources in the order they first appear that day (as `bySource` lists them). */
  const sourceOrder = days.map((): SourceTally[] => [])
  /** Per day, six counters: overheard then directed, each by `labels` (negative, neutral, positive). */
  const feelings = new Int32Array(days.length * 6)
  const phraseGroups = days.map(() => new Map<string, PhraseGroup<IssueMember>>())
  const terms = new Map<string, { kind: TermKind; term: string; count: number }>()
  const matchedLists = new Map<string, MatchedTerms>()
  const sources = new Map<string, SourceTally>()
  const communities = new Map<string, CommunityTally>()
  const departments = new Map<string, DepartmentTally>()
  let total = 0
  let directed = 0
  let answered = 0
  const responseTimes: number[] = []
  const unanswered: string[] = []
  let unansweredCount = 0

  /** A stored list of matched names (JSON) sorted into kinds once, with its terms' counters. */
  function matchedTerms(json: string): MatchedTerms {
    let found = matchedLists.get(json)
    if (found) return found
    found = { entries: [], brand: false, product: false, competitor: false }
    for (const name of JSON.parse(json) as string[]) {
      const kind = kindOf(name)
      if (kind === null) continue
      found[kind] = true
      const key = `${kind}\u0000${name}`
      let entry = terms.get(key)
      if (!entry) terms.set(key, (entry = { kind, term: name, count: 0 }))
      found.entries.push(entry)
    }
    matchedLists.set(json, found)
    return found
  }

  function sourceTally(id: string, platform: Platform): SourceTally {
    let found = sources.get(id)
    if (!found) sources.set(id, (found = { id, platform, perDay: new Int32Array(days.length) }))
    return found
  }

  function communityTally(name: string, platform: Platform): CommunityTally {
    let found = communities.get(name)
    if (!found) {
      const figures = { name, platform, volume: 0, negative: 0, shareNegative: 0, directed: 0 }
      communities.set(name, (found = { figures, threads: [] }))
    }
    return found
  }

  function phraseGroup(index: number, phrase: string): PhraseGroup<IssueMember> {
    const groups = phraseGroups[index]!
    let group = groups.get(phrase)
    if (!group)
      groups.set(phrase, (group = { phrase, words: phrase.split(' '), ids: [], members: [] }))
    return group
  }

  function countHandOffs(id: string, history: ReportAction[] | undefined, state?: ReportState) {
    for (const handOff of handOffs(log === null ? undefined : history, state)) {
      let entry = departments.get(handOff.department)
      if (!entry)
        departments.set(
          handOff.department,
          (entry = { routed: 0, stillWaiting: 0, waits: [], ids: [] }),
        )
      entry.routed++
      if (handOff.closedAt === null) entry.stillWaiting++
      entry.waits.push(((handOff.closedAt ?? settings.now) - handOff.routedAt) / 3_600_000)
      if (entry.ids.length < LIST_CAP && !entry.ids.includes(id)) entry.ids.push(id)
    }
  }

  // Rows mostly come in time order: the day of the previous one is tried first.
  let lastDay = 0
  function dayOf(at: number): number {
    const start = days[lastDay]
    const next = days[lastDay + 1] ?? to
    if (start !== undefined && at >= start && at < next) return lastDay
    const index = dayIndex(days, to, at)
    if (index >= 0) lastDay = index
    return index
  }

  function add(columns: RowColumns): void {
    const { strings, ids, times, codes, phrases, none } = columns
    // Strings are stored once per batch: a status is its string's position, found once here.
    const spam = strings.indexOf('spam')
    const own = strings.indexOf('own')
    const done = strings.indexOf('done')
    const waiting = strings.indexOf('waiting')
    // What each string of this batch stands for, looked up on its first row.
    const sourceAt: (SourceTally | undefined)[] = []
    const communityAt: (CommunityTally | undefined)[] = []
    const matchedAt: (MatchedTerms | undefined)[] = []
    let groupAt: (PhraseGroup<IssueMember> | undefined)[] = []
    let groupsDay = -1
    /** The row's state as the figures read it: only made for the few rows that need one. */
    const stateOf = (r: number, id: string): ReportState | undefined => {
      const status = codes[r * CODES + code.status]!
      if (status === none) return undefined
      const t = r * TIMES
      const state: ReportState = { id, status: strings[status]!, updatedAt: times[t + 2]! }
      const doneAt = times[t + 3]!
      if (!Number.isNaN(doneAt)) state.doneAt = doneAt
      const department = codes[r * CODES + code.department]!
      if (department !== none) state.department = strings[department]!
      return state
    }

    let phraseStart = 0
    for (let r = 0; r < ids.length; r++) {
      const c = r * CODES
      const t = r * TIMES
      const start = phraseStart
      const phraseEnd = codes[c + code.phrasesEnd]!
      phraseStart = phraseEnd
      const createdAt = times[t]!
      const status = codes[c + code.status]!
      if (createdAt < from || createdAt >= to || status === spam || status === own) continue
      const index = dayOf(createdAt)
      if (index < 0) continue
      total++
      const id = ids[r]!
      const flags = codes[c + code.flags]!
      const negative = (flags & SENTIMENT) === 0
      const isDirected = (flags & DIRECTED) !== 0
      const platform = strings[codes[c + code.platform]!] as Platform

      const day = volume[index]!
      day.total++
      const s = codes[c + code.source]!
      const source = (sourceAt[s] ??= sourceTally(strings[s]!, platform))
      // The platform a source was last seen on, as a map of sources would keep it.
      source.platform = platform
      if (source.perDay[index]!++ === 0) sourceOrder[index]!.push(source)
      const m = codes[c + code.matched]!
      const named = (matchedAt[m] ??= matchedTerms(strings[m]!))
      for (const entry of named.entries) entry.count++
      // A mention naming two products counts once for products.
      if (named.brand) day.byKind.brand++
      if (named.product) day.byKind.product++
      if (named.competitor) day.byKind.competitor++

      // Two bits hold a label's place in `labels`; the fourth value (none) reads as neutral.
      const label = flags & SENTIMENT
      feelings[index * 6 + (isDirected ? 3 : 0) + (label === SENTIMENT ? 1 : label)]!++
      if (negative && phraseEnd > start) {
        if (groupsDay !== index) {
          // A record can straddle two local days (a zone half an hour off UTC): groups are per day.
          groupsDay = index
          groupAt = []
        }
        const member: IssueMember = { id, score: times[t + 1]!, createdAt }
        for (let p = start; p < phraseEnd; p++) {
          const k = phrases[p]!
          const group = (groupAt[k] ??= phraseGroup(index, strings[k]!))
          group.ids.push(id)
          group.members.push(member)
        }
      }

      const k = codes[c + code.community]!
      const community = (communityAt[k] ??= communityTally(strings[k]!, platform))
      community.figures.volume++
      if (negative) community.figures.negative++
      if (isDirected) community.figures.directed++

      const history = logged?.get(id)
      if (isDirected) {
        const threads = (community.threads[index] ??= new Set())
        const thread = codes[c + code.thread]!
        // A conversation: the thread a mention belongs to, or the mention itself.
        threads.add(thread === none ? id : strings[thread]!)

        directed++
        const answeredAt =
          history === undefined && status !== done
            ? null
            : firstResponseAt(createdAt, history, stateOf(r, id))
        if (answeredAt !== null) {
          answered++
          responseTimes.push(responseMinutes(createdAt, answeredAt, hours, calendar))
        } else if ((flags & COMPLAINT) !== 0 && status !== done) {
          unansweredCount++
          if (unanswered.length < LIST_CAP) unanswered.push(id)
        }
      }
      // Most mentions were never routed: skip them without making their state.
      const routed = log === null ? status === waiting : history !== undefined
      if (routed) countHandOffs(id, history, stateOf(r, id))
    }
  }

  function chosen(index: number): PhraseGroup<IssueMember>[] {
    const groups = phraseGroups[index]
    return groups ? chooseIssues(groups.values(), ISSUES_PER_DAY, 2) : []
  }

  function finish(): Report {
    const tallies = [...communities.values()]
    const conversationsPerDay = days.map((day, index) => ({
      day,
      conversations: tallies.reduce((sum, entry) => sum + (entry.threads[index]?.size ?? 0), 0),
    }))
    const talking = tallies.filter((entry) => entry.threads.some((set) => set !== undefined))
    const counts = (at: number): SentimentCounts => ({
      negative: feelings[at]!,
      neutral: feelings[at + 1]!,
      positive: feelings[at + 2]!,
    })
    const sentiment = days.map((day, index) => ({
      day,
      directed: counts(index * 6 + 3),
      overheard: counts(index * 6),
    }))
    volume.forEach((day, index) => {
      for (const source of sourceOrder[index]!) day.bySource[source.id] = source.perDay[index]!
    })
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
      sources: [...sources.values()]
        .map(({ id, platform }) => ({ id, platform }))
        .sort((a, b) => a.id.localeCompare(b.id)),
      volume,
      terms: [...terms.values()]
        .filter((entry) => entry.count > 0)
        .sort(
          (a, b) =>
            b.count - a.count || a.kind.localeCompare(b.kind) || a.term.localeCompare(b.term),
        ),
      sentiment,
      issues: [],
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
      communities: tallies
        .map(({ figures }) => ({ ...figures, shareNegative: figures.negative / figures.volume }))
        .sort((a, b) => b.volume - a.volume || a.name.localeCompare(b.name)),
      staffing: staffing({
        conversationsPerDay,
        communities: talking.length,
        minutes,
        minutesBasis,
        measuredSamples: pace.samples,
      }),
    }
  }

  return { days, add, chosen, finish }
}

/**
 * The quotes of the chosen issues, as `topIssues` picks them: each issue walks its mentions
 * angriest first until it holds three different quotes. `next()` names the mentions to read for
 * the next round (every issue's next few, just as many as it still lacks, so no mention is read
 * that the walk would not reach), `give` hands their text back; the issues are ready when `next()`
 * names none. A round or two covers a 90-day report. Reading is the caller's: the compact rows
 * read the database, the full scan its own mentions.
 */
export function quoteIssues(chosen: PhraseGroup<IssueMember>[][]): {
  next(): string[]
  give(ids: readonly string[], found: readonly (Mention | undefined)[]): void
  issues(): ReportIssue[][]
} {
  type Walk = {
    group: PhraseGroup<IssueMember>
    angriest: IssueMember[]
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
  let wanted = new Map<Walk, IssueMember[]>()

  function round(): string[] {
    // The previous round's mentions, read by now, give their quotes first.
    for (const [walk, members] of wanted) {
      walk.next += members.length
      for (const member of members) {
        const mention = texts.get(member.id)
        if (!mention) continue
        const quote = quoteOf(mentionText(mention), walk.group.phrase, namesOf(mention))
        if (quote !== null && !walk.quotes.includes(quote)) walk.quotes.push(quote)
      }
    }
    wanted = new Map()
    for (const walk of walks.flat()) {
      const lacking = QUOTES - walk.quotes.length
      if (lacking <= 0 || walk.next >= walk.angriest.length) continue
      wanted.set(walk, walk.angriest.slice(walk.next, walk.next + lacking))
    }
    const ids = new Set([...wanted.values()].flat().map((member) => member.id))
    return [...ids].filter((id) => !texts.has(id))
  }

  return {
    next() {
      let ids = round()
      // Every wanted mention already read: that round's quotes need no reading.
      while (ids.length === 0 && wanted.size > 0) ids = round()
      return ids
    },
    give(ids, found) {
      ids.forEach((id, at) => texts.set(id, found[at]))
    },
    issues: () =>
      walks.map((day) =>
        day.map(({ group, quotes }) => ({
          phrase: group.phrase,
          count: group.ids.length,
          mentionIds: group.ids,
          quotes,
        })),
      ),
  }
}
