import { Dexie } from 'dexie'
import { CsvError, parseCsvWithLines } from '../../../../shared/csv'
import type { EarshotClient } from '../../../../shared/contract'
import {
  httpUrlSchema,
  sentimentLabelSchema,
  type HeardMention,
  type Mention,
  type SentimentLabel,
} from '../../../../shared/domain'
import { describeError } from '../../../../shared/result'
import type { EarshotDb, ResponderState } from '../../db/database'
import { settleInflow } from '../../db/inflow'
import { putReportRows, rowsOf } from '../../db/report-hours'
import { fold, searchDocFor } from '../../db/search-index'
import { stateFor } from '../../db/state-keys'

/** A file read into rows of named cells, whatever its format. */
export type ImportTable = {
  columns: string[]
  rows: { line: number; cells: Record<string, string> }[]
}

/** What the mapping screen lets the responder point at a column. Only the text is required. */
export const MAPPABLE_FIELDS = [
  'text',
  'title',
  'author',
  'authorId',
  'date',
  'link',
  'id',
  'sentiment',
] as const
export type MappableField = (typeof MAPPABLE_FIELDS)[number]
export type ImportMapping = Partial<Record<MappableField, string>> & { text: string }

export const fieldLabels: Record<MappableField, string> = {
  text: 'Text (required)',
  title: 'Title',
  author: 'Author name',
  authorId: 'Author id or handle',
  date: 'Date',
  link: 'Link',
  id: 'Id in the other tool',
  sentiment: 'Sentiment',
}

/** Rows beyond this are refused: a file this large should be split. */
export const MAX_IMPORT_ROWS = 250_000

const cellText = (value: unknown): string => {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return JSON.stringify(value) ?? ''
}

/** One level of nesting is flattened: `{author: {name}}` becomes the column `author.name`. */
function flatten(record: Record<string, unknown>): Record<string, string> {
  const cells: Record<string, string> = {}
  for (const [key, value] of Object.entries(record)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [inner, nested] of Object.entries(value as Record<string, unknown>)) {
        cells[`${key}.${inner}`] = cellText(nested)
      }
    } else cells[key] = cellText(value)
  }
  return cells
}

/**
 * Reads a CSV (header row first) or a JSON file (an array of objects, or an object holding one
 * under any key). Throws an Error worded for the responder.
 */
export function readImportFile(name: string, text: string): ImportTable {
  const isJson = /\.json$/i.test(name) || /^\s*[[{]/.test(text)
  if (isJson) {
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      throw new Error(`${name} is not valid JSON.`)
    }
    const list = Array.isArray(parsed)
      ? parsed
      : parsed !== null && typeof parsed === 'object'
        ? Object.values(parsed).find(Array.isArray)
        : undefined
    if (!list) throw new Error(`${name} holds no list of rows.`)
    if (list.length > MAX_IMPORT_ROWS) {
      throw new Error(`${name} has more than ${MAX_IMPORT_ROWS.toLocaleString()} rows; split it.`)
    }
    const rows = list
      .filter((item): item is Record<string, unknown> => item !== null && typeof item === 'object')
      .map((item, index) => ({ line: index + 1, cells: flatten(item) }))
    const columns = [...new Set(rows.slice(0, 200).flatMap((row) => Object.keys(row.cells)))]
    return { columns, rows }
  }
  let records
  try {
    records = parseCsvWithLines(text)
  } catch (cause) {
    if (cause instanceof CsvError) throw new Error(`${name}, ${cause.message}.`, { cause })
    throw cause
  }
  if (records.length > MAX_IMPORT_ROWS) {
    throw new Error(`${name} has more than ${MAX_IMPORT_ROWS.toLocaleString()} rows; split it.`)
  }
  const columns = records[0] ? Object.keys(records[0].record) : []
  return { columns, rows: records.map(({ line, record }) => ({ line, cells: record })) }
}

const guesses: Record<MappableField, RegExp> = {
  text: /^(text|content|body|message|post|comment|mention|full_?text|snippet)$/i,
  title: /^(title|subject|headline)$/i,
  author: /^(author|author\.name|user|user\.name|username|name|from|screen_?name)$/i,
  authorId: /^(author_?id|author\.id|user_?id|handle|author_handle|author\.handle)$/i,
  date: /^(date|created_?at|time|timestamp|published(_?at)?|posted(_?at)?)$/i,
  link: /^(url|link|permalink|href)$/i,
  id: /^(id|post_?id|mention_?id|guid|uuid)$/i,
  sentiment: /^(sentiment|tone|polarity)$/i,
}

/** A first mapping from the column names; the responder corrects it on the mapping screen. */
export function guessMapping(columns: readonly string[]): Partial<ImportMapping> {
  const mapping: Partial<ImportMapping> = {}
  for (const field of MAPPABLE_FIELDS) {
    const found = columns.find((column) => guesses[field].test(column.trim()))
    if (found !== undefined) mapping[field] = found
  }
  return mapping
}

/** Epoch ms from ISO text, a date a browser reads, or seconds or milliseconds since 1970. */
export function parseDate(value: string): number | null {
  const trimmed = value.trim()
  if (trimmed === '') return null
  if (/^\d{9,13}(\.\d+)?$/.test(trimmed)) {
    const number = Number(trimmed)
    return Math.round(number < 1e11 ? number * 1000 : number)
  }
  const parsed = Date.parse(trimmed)
  return Number.isNaN(parsed) ? null : parsed
}

function parseSentiment(value: string): SentimentLabel | null {
  const folded = fold(value.trim())
  const label = sentimentLabelSchema.safeParse(folded)
  if (label.success) return label.data
  if (/^(neg|bad)/.test(folded)) return 'negative'
  if (/^(pos|good)/.test(folded)) return 'positive'
  const number = Number(folded)
  if (folded !== '' && Number.isFinite(number)) {
    return number < 0 ? 'negative' : number > 0 ? 'positive' : 'neutral'
  }
  return null
}

/** SHA-256 of the text, first 32 hex digits: the stable part of an imported mention's id. */
async function hashOf(value: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value))
  return [...new Uint8Array(digest).slice(0, 16)]
    .map((byte) => byte.toString(16).padStart(2, '0'))
    .join('')
}

export type PreparedRow = { heard: HeardMention; sentiment: SentimentLabel | null }
export type SkippedRow = { line: number; reason: string }

/**
 * One row as a mention before triage, or why it cannot be one. The id is `import:` and a hash of
 * the row's own id when mapped, else of its text, author and date, so a re-import finds it again.
 */
export async function prepareRow(
  cells: Record<string, string>,
  mapping: ImportMapping,
  now: number,
): Promise<PreparedRow | string> {
  const cell = (field: MappableField) => {
    const column = mapping[field]
    return column === undefined ? '' : (cells[column] ?? '').trim()
  }
  const text = cell('text')
  if (text === '') return 'no text'
  const dateText = cell('date')
  const date = parseDate(dateText)
  if (dateText !== '' && date === null) return `the date “${dateText.slice(0, 40)}” cannot be read`
  const author = cell('author')
  const authorKey = cell('authorId') || author
  const ownId = cell('id')
  const key =
    ownId !== '' ? `id\u0000${ownId}` : `row\u0000${text}\u0000${authorKey}\u0000${dateText}`
  const link = httpUrlSchema.safeParse(cell('link'))
  const title = cell('title')
  const createdAt = Math.min(date ?? now, now)
  const heard: HeardMention = {
    id: `import:${await hashOf(key)}`,
    sourceId: 'import',
    platform: 'import',
    url: link.success ? link.data : null,
    author: {
      id: `import:${authorKey === '' ? 'unknown' : fold(authorKey).slice(0, 500)}`,
      name: (author || authorKey || 'Unknown author').slice(0, 300),
      ...(cell('authorId') !== '' ? { handle: cell('authorId').slice(0, 300) } : {}),
    },
    ...(title !== '' ? { title: title.slice(0, 1000) } : {}),
    text: text.slice(0, 20_000),
    createdAt,
    fetchedAt: now,
  }
  return { heard, sentiment: cell('sentiment') === '' ? null : parseSentiment(cell('sentiment')) }
}

export type ImportProgress = { done: number; total: number }
export type ImportReport = {
  added: number
  /** Rows already imported before (same id): left as they are. */
  known: number
  skipped: SkippedRow[]
}

/** Rows are triaged and stored this many at a time (the contract's bound). */
export const IMPORT_PAGE = 500

/**
 * Triages and stores every row: imported mentions are history, so they arrive done, and their
 * words are indexed like any other. A row already imported (same id) is left alone.
 */
export async function importRows(
  db: EarshotDb,
  client: Pick<EarshotClient, 'call'>,
  table: ImportTable,
  mapping: ImportMapping,
  options: { now?: number; onProgress?: (progress: ImportProgress) => void } = {},
): Promise<ImportReport> {
  const now = options.now ?? Date.now()
  const report: ImportReport = { added: 0, known: 0, skipped: [] }
  const seen = new Set<string>()
  for (let at = 0; at < table.rows.length; at += IMPORT_PAGE) {
    const page = table.rows.slice(at, at + IMPORT_PAGE)
    const prepared: PreparedRow[] = []
    for (const row of page) {
      const result = await prepareRow(row.cells, mapping, now)
      if (typeof result === 'string') {
        report.skipped.push({ line: row.line, reason: result })
      } else if (seen.has(result.heard.id)) {
        report.known += 1
      } else {
        seen.add(result.heard.id)
        prepared.push(result)
      }
    }
    const existing = await db.mentions.bulkGet(prepared.map((row) => row.heard.id))
    const fresh = prepared.filter((_, index) => existing[index] === undefined)
    report.known += prepared.length - fresh.length
    if (fresh.length > 0) {
      const scored = await client.call('triage:batch', { items: fresh.map((row) => row.heard) })
      if (!scored.ok) {
        throw new Error(`Triage refused the rows: ${scored.error.message}`)
      }
      const mentions: Mention[] = scored.value.map((mention, index) => {
        const sentiment = fresh[index]?.sentiment
        return sentiment
          ? {
              ...mention,
              triage: {
                ...mention.triage,
                sentiment: { ...mention.triage.sentiment, label: sentiment },
              },
            }
          : mention
      })
      await storeImported(db, mentions, now)
      report.added += mentions.length
    }
    options.onProgress?.({
      done: Math.min(at + IMPORT_PAGE, table.rows.length),
      total: table.rows.length,
    })
  }
  return report
}

/** Content, word index and a done state in one transaction; an existing mention is untouched. */
export async function storeImported(
  db: EarshotDb,
  mentions: readonly Mention[],
  now: number,
): Promise<void> {
  // An existing mention is untouched: one still in the inflow is spread first, so it counts.
  await settleInflow(db)
  try {
    await db.transaction('rw', [db.mentions, db.states, db.search, db.reportHours], async () => {
      await db.mentions.bulkAdd([...mentions])
      await db.search.bulkPut(mentions.map(searchDocFor))
      const states = mentions.map((mention): ResponderState =>
        stateFor(mention, { status: 'done', updatedAt: now, doneAt: now }),
      )
      await db.states.bulkPut(states)
      await putReportRows(db.reportHours, rowsOf(mentions, states))
    })
  } catch (cause) {
    if (cause instanceof Dexie.BulkError) {
      throw new Error(`Some rows were stored meanwhile; import again. (${describeError(cause)})`, {
        cause,
      })
    }
    throw cause
  }
}
