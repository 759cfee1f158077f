/* The report from mentions and their states, one pass over them: a database from before the
   compact rows (schema v4), and the tests, which pin every figure by hand. Each mention becomes
   the row the compact rows would hold (`reportRowOf`), and batches of rows go to the same tally
   the compact rows feed, so the two can never count differently; the equality test then holds the
   stored rows to what the mentions say. Memory holds the tallies and the negative mentions (their
   text gives the issues' quotes), never the whole range. */
import type { Mention } from '../../../../../shared/domain'
import type { LocalZone } from './calendar'
import { packRows, reportRowOf, type ReportRow } from './rows'
import { createTally, quoteIssues } from './tally'
import type { Report, ReportAction, ReportSettings, ReportState } from './types'

export { ISSUES_PER_DAY, LIST_CAP } from './tally'

/** Rows counted at once: packing them costs little, and memory holds no more than these. */
const BATCH = 500

export type ReportBuilder = {
  /** Adds one mention with its state; mentions outside the range, spam and the brand's own posts are left out. */
  add(mention: Mention, state: ReportState | undefined): void
  finish(): Report
}

/**
 * Mentions the responder threw out as spam are noise, and the brand's own posts are not mentions
 * of it: no figure counts either.
 */
export const leftOut = (state: ReportState | undefined) =>
  state?.status === 'spam' || state?.status === 'own'

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
  const tally = createTally(settings, zone, actions)
  let batch: ReportRow[] = []
  /** The negative mentions of the range, by id: only they can be quoted. */
  const negatives = new Map<string, Mention>()

  function add(mention: Mention, state: ReportState | undefined): void {
    if (mention.createdAt < settings.from || mention.createdAt >= settings.to) return
    const row = reportRowOf(mention, state)
    if (row.sentiment === 'negative') negatives.set(mention.id, mention)
    batch.push(row)
    if (batch.length >= BATCH) flush()
  }

  function flush(): void {
    if (batch.length > 0) tally.add(packRows(batch))
    batch = []
  }

  function finish(): Report {
    flush()
    const walk = quoteIssues(tally.days.map((_, index) => tally.chosen(index)))
    for (let ids = walk.next(); ids.length > 0; ids = walk.next()) {
      walk.give(
        ids,
        ids.map((id) => negatives.get(id)),
      )
    }
    const report = tally.finish()
    const issues = walk.issues()
    return { ...report, issues: report.days.map((day, index) => ({ day, issues: issues[index]! })) }
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
