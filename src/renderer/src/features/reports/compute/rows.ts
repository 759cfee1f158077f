/* The report's own copy of each mention: the few facts a figure reads, kept per UTC hour in compact
   columns (the `reportHours` table, schema v4) so a 90-day report reads a couple of thousand small
   records instead of 200,000 full mentions. Rows carry their exact time, so any local day, in any
   zone (half-hour offsets too), is cut from them exactly. */
import { keysOf, namesOf } from '../../../../../shared/issues'
import type { Mention, Platform, SentimentLabel } from '../../../../../shared/domain'
import { mentionText } from '../../../../../shared/text'
import { communityOf } from './community'
import type { ReportState } from './types'

export const HOUR_MS = 3_600_000

/** The UTC hour (since the epoch) an instant falls in: the key of its record. */
export const hourOf = (at: number) => Math.floor(at / HOUR_MS)

/** One mention as every figure and drill-down reads it: its content's facts and the decision. */
export type ReportRow = {
  id: string
  createdAt: number
  sourceId: string
  platform: Platform
  /** `communityOf(mention)`, worked out once when stored. */
  community: string
  /** `triage.matched` as stored: terms are sorted into kinds at report time, as the profile says then. */
  matched: readonly string[]
  sentiment: SentimentLabel
  /** The sentiment score: the angriest negative post gives an issue's first quote. */
  score: number
  directed: boolean
  complaint: boolean
  /** `threadId`, when the mention has one. */
  threadId: string | undefined
  /** The issue key phrases of a negative mention (`keysOf` its text); empty for the rest. */
  phrases: readonly string[]
  /** The responder's state, or undefined for a mention without one. */
  state: ReportState | undefined
}

/** What the report needs of one mention and its state. */
export function reportRowOf(mention: Mention, state: ReportState | undefined): ReportRow {
  const { triage } = mention
  const negative = triage.sentiment.label === 'negative'
  return {
    id: mention.id,
    createdAt: mention.createdAt,
    sourceId: mention.sourceId,
    platform: mention.platform,
    community: communityOf(mention),
    matched: triage.matched,
    sentiment: triage.sentiment.label,
    score: triage.sentiment.score,
    directed: triage.directed,
    complaint: triage.intent === 'complaint',
    threadId: mention.threadId,
    phrases: negative ? [...keysOf(mentionText(mention), namesOf(mention))] : [],
    state: state && decisionOnly(state),
  }
}

/** Only the fields a report reads: a full responder state carries a dozen more. */
function decisionOnly(state: ReportState): ReportState {
  const kept: ReportState = { id: state.id, status: state.status, updatedAt: state.updatedAt }
  if (state.doneAt !== undefined) kept.doneAt = state.doneAt
  if (state.department !== undefined) kept.department = state.department
  return kept
}

/**
 * One UTC hour's rows as columns. Strings repeat a lot within an hour (sources, communities,
 * statuses, phrases), so each is stored once in `strings` and the rows point at it; numbers sit in
 * typed arrays, which IndexedDB copies as plain bytes. The string lists are kept as one JSON text
 * each: reading back a hundred separate strings per record cost more than the rest together.
 */
export type ReportHour = {
  hour: number
  /** JSON of the record's distinct strings. */
  strings: string
  /** JSON of the rows' mention ids, in row order. */
  ids: string
  /** Per row: createdAt, score, updatedAt, doneAt (NaN for none; updatedAt NaN without a state). */
  times: Float64Array
  /**
   * Per row, CODES entries: see the `code` offsets below. 16 bits wide unless the record holds
   * 65,535 strings or phrases or more: reading the records costs about as much as their bytes.
   */
  codes: Uint16Array | Uint32Array
  /** The key phrases of every row (string indexes), one row after another; as wide as `codes`. */
  phrases: Uint16Array | Uint32Array
}

/** Entries per row in `times`: createdAt, score, updatedAt, doneAt. */
export const TIMES = 4
/** Entries per row in `codes`, at the offsets of `code`. */
export const CODES = 9
export const code = {
  source: 0,
  platform: 1,
  community: 2,
  /** JSON of `matched`. */
  matched: 3,
  status: 4,
  department: 5,
  thread: 6,
  flags: 7,
  /** Where this row's phrases end in `phrases` (they start where the previous row's end). */
  phrasesEnd: 8,
} as const
/** An absent string (no state, no department, no thread), in 32 and in 16 bits. */
const NONE = 0xffffffff
const NONE16 = 0xffff
/** `flags & SENTIMENT` indexes `labels`; the other bits are DIRECTED and COMPLAINT. */
export const labels: readonly SentimentLabel[] = ['negative', 'neutral', 'positive']
export const SENTIMENT = 3
export const DIRECTED = 4
export const COMPLAINT = 8

/**
 * Rows as columns with their strings at hand: what the report's tally reads, one batch at a time,
 * with no object per row (making 200,000 row objects cost more than counting them). Codes point
 * into `strings`, `none` where a string is absent; layout as in `ReportHour`.
 */
export type RowColumns = {
  strings: readonly string[]
  ids: readonly string[]
  times: Float64Array
  codes: ArrayLike<number>
  phrases: ArrayLike<number>
  none: number
}

/** Rows in the order reports visit them: by time, then id (as the states' createdAt index). */
export const byTime = (a: ReportRow, b: ReportRow) =>
  a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/** Rows as columns, in the order given: the full scan's batches, and each record's contents. */
export function packRows(rows: readonly ReportRow[]): RowColumns & { codes: Uint32Array } {
  const strings: string[] = []
  const index = new Map<string, number>()
  const intern = (value: string | undefined) => {
    if (value === undefined) return NONE
    let at = index.get(value)
    if (at === undefined) {
      at = strings.push(value) - 1
      index.set(value, at)
    }
    return at
  }
  const times = new Float64Array(rows.length * TIMES)
  const codes = new Uint32Array(rows.length * CODES)
  const phrases: number[] = []
  rows.forEach((row, n) => {
    const t = n * TIMES
    times[t] = row.createdAt
    times[t + 1] = row.score
    times[t + 2] = row.state?.updatedAt ?? NaN
    times[t + 3] = row.state?.doneAt ?? NaN
    const c = n * CODES
    codes[c + code.source] = intern(row.sourceId)
    codes[c + code.platform] = intern(row.platform)
    codes[c + code.community] = intern(row.community)
    codes[c + code.matched] = intern(JSON.stringify(row.matched))
    codes[c + code.status] = intern(row.state?.status)
    codes[c + code.department] = intern(row.state?.department)
    codes[c + code.thread] = intern(row.threadId)
    codes[c + code.flags] =
      labels.indexOf(row.sentiment) |
      (row.directed ? DIRECTED : 0) |
      (row.complaint ? COMPLAINT : 0)
    for (const phrase of row.phrases) phrases.push(intern(phrase))
    codes[c + code.phrasesEnd] = phrases.length
  })
  return {
    strings,
    ids: rows.map((row) => row.id),
    times,
    codes,
    phrases: Uint32Array.from(phrases),
    none: NONE,
  }
}

/** Packs one hour's rows (sorted by time here) into its record. */
export function encodeHour(hour: number, rows: readonly ReportRow[]): ReportHour {
  const packed = packRows([...rows].sort(byTime))
  const { codes, phrases } = packed
  return {
    hour,
    strings: JSON.stringify(packed.strings),
    ids: JSON.stringify(packed.ids),
    times: packed.times,
    ...(packed.strings.length < NONE16 && phrases.length < NONE16
      ? {
          codes: Uint16Array.from(codes, (value) => (value === NONE ? NONE16 : value)),
          phrases: Uint16Array.from(phrases),
        }
      : { codes, phrases: Uint32Array.from(phrases) }),
  }
}

/** A record's columns, read where they lie: only its two string lists are parsed. */
export function columnsOf(record: ReportHour): RowColumns {
  return {
    strings: JSON.parse(record.strings) as string[],
    ids: JSON.parse(record.ids) as string[],
    times: record.times,
    codes: record.codes,
    phrases: record.phrases,
    none: record.codes instanceof Uint16Array ? NONE16 : NONE,
  }
}

const noPhrases: readonly string[] = []

/** Unpacks a record into its rows, in time order: for drill-downs and rewriting an hour. */
export const decodeHour = (record: ReportHour): ReportRow[] => rowsFrom(columnsOf(record))

/** Row objects from columns. */
export function rowsFrom(columns: RowColumns): ReportRow[] {
  const { strings, ids, times, codes, phrases, none } = columns
  const text = (at: number | undefined) =>
    at === undefined || at === none ? undefined : strings[at]
  const matchedLists = new Map<number, readonly string[]>()
  const matchedOf = (at: number) => {
    let list = matchedLists.get(at)
    if (!list) matchedLists.set(at, (list = JSON.parse(strings[at] ?? '[]') as string[]))
    return list
  }
  const rows: ReportRow[] = []
  let phraseStart = 0
  for (let n = 0; n < ids.length; n++) {
    const id = ids[n]!
    const c = n * CODES
    const t = n * TIMES
    const flags = codes[c + code.flags] ?? 0
    const phraseEnd = codes[c + code.phrasesEnd] ?? phraseStart
    const status = text(codes[c + code.status])
    let state: ReportState | undefined
    if (status !== undefined) {
      state = { id, status, updatedAt: times[t + 2] ?? 0 }
      const doneAt = times[t + 3] ?? NaN
      if (!Number.isNaN(doneAt)) state.doneAt = doneAt
      const department = text(codes[c + code.department])
      if (department !== undefined) state.department = department
    }
    let rowPhrases: readonly string[] = noPhrases
    if (phraseEnd > phraseStart) {
      const list: string[] = []
      for (let p = phraseStart; p < phraseEnd; p++) list.push(strings[phrases[p]!]!)
      rowPhrases = list
    }
    phraseStart = phraseEnd
    rows.push({
      id,
      createdAt: times[t] ?? 0,
      sourceId: text(codes[c + code.source]) ?? '',
      platform: (text(codes[c + code.platform]) ?? 'rss') as Platform,
      community: text(codes[c + code.community]) ?? '',
      matched: matchedOf(codes[c + code.matched] ?? none),
      sentiment: labels[flags & SENTIMENT] ?? 'neutral',
      score: times[t + 1] ?? 0,
      directed: (flags & DIRECTED) !== 0,
      complaint: (flags & COMPLAINT) !== 0,
      threadId: text(codes[c + code.thread]),
      phrases: rowPhrases,
      state,
    })
  }
  return rows
}
