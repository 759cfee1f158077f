/* A report as one CSV file: one section per figure, each a small table a spreadsheet can chart. */
import { toCsv, type CsvValue } from '../../../../../shared/csv'
import type { Report } from './types'

const round = (value: number | null, places = 1) =>
  value === null ? '' : Number(value.toFixed(places))

/** Local calendar date of a day start, as YYYY-MM-DD. */
export function isoDay(day: number): string {
  const date = new Date(day)
  const pad = (value: number) => String(value).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}

export type CsvNames = {
  dayName?: (day: number) => string
  /** The responder's name for a source; its id otherwise. */
  sourceName?: (id: string) => string
}

/** Every figure of the report; quotes are the customers' words, guarded against formulas. */
export function reportCsv(report: Report, names: CsvNames = {}): string {
  const { dayName = isoDay, sourceName = (id: string) => id } = names
  const rows: CsvValue[][] = []
  const section = (title: string, header: CsvValue[]) => {
    if (rows.length > 0) rows.push([''])
    rows.push([title])
    rows.push(header)
  }
  const sourceIds = report.sources.map((source) => source.id)

  section('Volume per day', [
    'day',
    'total',
    ...sourceIds.map(sourceName),
    'brand',
    'product',
    'competitor',
  ])
  for (const day of report.volume) {
    rows.push([
      dayName(day.day),
      day.total,
      ...sourceIds.map((id) => day.bySource[id] ?? 0),
      day.byKind.brand,
      day.byKind.product,
      day.byKind.competitor,
    ])
  }

  section('Names mentioned', ['kind', 'name', 'mentions'])
  for (const term of report.terms) rows.push([term.kind, term.term, term.count])

  section('Sentiment per day', [
    'day',
    'directed negative',
    'directed neutral',
    'directed positive',
    'overheard negative',
    'overheard neutral',
    'overheard positive',
  ])
  for (const day of report.sentiment) {
    const { directed, overheard } = day
    rows.push([
      dayName(day.day),
      directed.negative,
      directed.neutral,
      directed.positive,
      overheard.negative,
      overheard.neutral,
      overheard.positive,
    ])
  }

  section('Top issues per day', ['day', 'issue', 'mentions', 'quote'])
  for (const day of report.issues) {
    for (const issue of day.issues) {
      rows.push([dayName(day.day), issue.phrase, issue.count, issue.quotes[0] ?? ''])
    }
  }

  const { responses, staffing } = report
  section('Responses', ['figure', 'value'])
  rows.push(['directed mentions', responses.directed])
  rows.push(['answered', responses.answered])
  rows.push(['response rate %', responses.rate === null ? '' : round(responses.rate * 100)])
  rows.push(['first response median (business minutes)', round(responses.medianMinutes)])
  rows.push(['first response 90th percentile (business minutes)', round(responses.p90Minutes)])
  rows.push(['unanswered directed complaints', report.unanswered.count])

  section('Departments', [
    'department',
    'routed',
    'still waiting',
    'median wait h',
    'longest wait h',
  ])
  for (const entry of report.departments) {
    rows.push([
      entry.department,
      entry.routed,
      entry.stillWaiting,
      round(entry.medianWaitHours),
      round(entry.longestWaitHours),
    ])
  }

  section('Communities', [
    'community',
    'platform',
    'mentions',
    'negative',
    'negative %',
    'directed',
  ])
  for (const community of report.communities) {
    rows.push([
      community.name,
      community.platform,
      community.volume,
      community.negative,
      round(community.shareNegative * 100),
      community.directed,
    ])
  }

  section('Staffing', ['figure', 'quiet day', 'busy day'])
  rows.push([
    'conversations per community',
    round(staffing.quietPerCommunity, 2),
    round(staffing.busyPerCommunity, 2),
  ])
  rows.push(['communities', staffing.communities, staffing.communities])
  rows.push([
    'minutes per conversation',
    round(staffing.minutesPerConversation),
    round(staffing.minutesPerConversation),
  ])
  rows.push(['hours per day', round(staffing.quietHours, 2), round(staffing.busyHours, 2)])
  rows.push([
    'share of one full-time person %',
    round(staffing.quietShare * 100),
    round(staffing.busyShare * 100),
  ])

  return toCsv(rows, { guardFormulas: true })
}
