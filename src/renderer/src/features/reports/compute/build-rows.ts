/* The report from the compact rows (`rows.ts`): each hour record goes to the tally as it lies, no
   row decoded. Only the issues' quotes need text: the few mentions each issue's walk reaches are
   read by id, a day's as soon as its rows are all counted, while later days are still being read.
   The full scan (`build.ts`) feeds the same tally, and the equality test holds the two equal. */
import type { Mention } from '../../../../../shared/domain'
import type { PhraseGroup } from '../../../../../shared/issues'
import type { LocalZone } from './calendar'
import type { RowColumns } from './rows'
import { createTally, quoteIssues, type IssueMember } from './tally'
import type { Report, ReportAction, ReportIssue, ReportSettings } from './types'

/** Reads mentions by id (missing ones undefined): the quotes' text. */
export type MentionReader = (ids: string[]) => Promise<(Mention | undefined)[]>

export type RowReportBuilder = {
  /** Adds a batch of rows (an hour record's columns); rows outside the range, spam and the brand's own posts are left out. */
  add(columns: RowColumns): void
  /** Every row created before `at` is added: the days over by then have their quotes read now. */
  settle(at: number): void
  finish(): Promise<Report>
}

/** Starts a report over [settings.from, settings.to) from rows; `actions` as in `build.ts`. */
export function createRowReportBuilder(
  settings: ReportSettings,
  zone: LocalZone,
  actions: readonly ReportAction[] | null,
  read: MentionReader,
): RowReportBuilder {
  const tally = createTally(settings, zone, actions)
  const { days } = tally
  /** Quotes being read, per run of settled days, in day order. */
  const quoting: Promise<ReportIssue[][]>[] = []
  let settled = 0

  function settle(at: number): void {
    let end = settled
    while (end < days.length && (days[end + 1] ?? settings.to) <= at) end++
    if (end === settled) return
    const chosen: PhraseGroup<IssueMember>[][] = []
    for (let index = settled; index < end; index++) chosen.push(tally.chosen(index))
    settled = end
    const quotes = quotesOf(chosen, read)
    // A run cancelled meanwhile never awaits them: a failed read must not go unheard either way.
    quotes.catch(() => undefined)
    quoting.push(quotes)
  }

  return {
    add: (columns) => tally.add(columns),
    settle,
    async finish() {
      settle(Infinity)
      const report = tally.finish()
      const issues = (await Promise.all(quoting)).flat()
      return { ...report, issues: days.map((day, index) => ({ day, issues: issues[index]! })) }
    },
  }
}

/** Walks the chosen issues' mentions angriest first, one read per round (a round or two). */
async function quotesOf(
  chosen: PhraseGroup<IssueMember>[][],
  read: MentionReader,
): Promise<ReportIssue[][]> {
  const walk = quoteIssues(chosen)
  for (let ids = walk.next(); ids.length > 0; ids = walk.next()) walk.give(ids, await read(ids))
  return walk.issues()
}
