/* RFC 4180 CSV, read leniently (LF or CR line ends, a BOM, short rows) and written strictly. */

export type CsvRecord = Record<string, string>

/** One parsed row and the 1-based line it starts on, so callers can point at the bad one. */
export type CsvRow = { line: number; fields: string[] }

export class CsvError extends Error {
  override readonly name = 'CsvError'
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`)
  }
}

/** Every row as fields, blank lines skipped. Throws `CsvError` on an unterminated quote. */
export function parseCsvRows(text: string): CsvRow[] {
  const rows: CsvRow[] = []
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  const end = input.length
  let fields: string[] = []
  let line = 1
  let rowLine = 1
  let i = 0
  // Tells `""` (a row holding one empty field) from a blank line.
  let quotedEmpty = false

  const endRow = () => {
    const blank = fields.length === 1 && fields[0] === '' && !quotedEmpty
    if (!blank) rows.push({ line: rowLine, fields })
    fields = []
    quotedEmpty = false
  }

  while (i <= end) {
    if (i === end) {
      // A final line end leaves nothing behind; anything else is the last row.
      if (fields.length > 0) endRow()
      break
    }
    if (fields.length === 0) rowLine = line
    let value = ''
    if (input.charCodeAt(i) === 0x22) {
      const openedOn = line
      i++
      for (;;) {
        const quote = input.indexOf('"', i)
        if (quote === -1) throw new CsvError(openedOn, 'a quoted field is never closed')
        const chunk = input.slice(i, quote)
        line += countLineEnds(chunk)
        value += chunk
        if (input.charCodeAt(quote + 1) === 0x22) {
          value += '"'
          i = quote + 2
        } else {
          i = quote + 1
          break
        }
      }
      if (value === '') quotedEmpty = true
    }
    // Unquoted text, or stray text after a closing quote, runs to the next separator.
    let j = i
    while (j < end) {
      const c = input.charCodeAt(j)
      if (c === 0x2c || c === 0x0a || c === 0x0d) break
      j++
    }
    value += input.slice(i, j)
    fields.push(value)
    i = j
    if (i === end) continue
    const c = input.charCodeAt(i)
    i++
    if (c === 0x2c) {
      // A trailing comma means one more, empty, field.
      if (i === end) fields.push('')
      continue
    }
    if (c === 0x0d && input.charCodeAt(i) === 0x0a) i++
    line++
    endRow()
  }
  return rows
}

function countLineEnds(chunk: string): number {
  let n = 0
  for (let k = 0; k < chunk.length; k++) {
    const c = chunk.charCodeAt(k)
    if (c === 0x0a) n++
    else if (c === 0x0d && chunk.charCodeAt(k + 1) !== 0x0a) n++
  }
  return n
}

/** Records keyed by the header row, each with the line it starts on. */
export function parseCsvWithLines(text: string): { line: number; record: CsvRecord }[] {
  const [header, ...rows] = parseCsvRows(text)
  if (!header) return []
  const names = header.fields.map((name) => name.trim())
  return rows.map(({ line, fields }) => {
    const record: CsvRecord = {}
    // Short rows get empty strings; extra fields beyond the header have no name and are dropped.
    names.forEach((name, k) => {
      if (!(name in record)) record[name] = fields[k] ?? ''
    })
    return { line, record }
  })
}

/** Records keyed by the header row (the first of duplicate names wins). */
export function parseCsv(text: string): CsvRecord[] {
  return parseCsvWithLines(text).map((row) => row.record)
}

export type CsvValue = string | number | boolean | null | undefined

export type CsvWriteOptions = {
  /**
   * Prefix cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) with `'`.
   * Off by default because it changes the text; turn it on for files meant for Excel.
   */
  guardFormulas?: boolean
}

const needsQuotes = /[",\r\n]|^\uFEFF/
const formulaStart = /^[=+\-@\t\r]/

/** One CSV line (without its CRLF), quoting only the fields that need it. */
export function toCsvRow(values: readonly CsvValue[], options: CsvWriteOptions = {}): string {
  // A lone empty field would read back as a blank line, so it is quoted.
  if (values.length === 1 && (values[0] ?? '') === '') return '""'
  return values
    .map((value) => {
      let text = value === null || value === undefined ? '' : String(value)
      if (options.guardFormulas && formulaStart.test(text)) text = `'${text}`
      return needsQuotes.test(text) ? `"${text.replaceAll('"', '""')}"` : text
    })
    .join(',')
}

/** A whole CSV document: header first, CRLF line ends as RFC 4180 asks. */
export function toCsv(
  rows: readonly (readonly CsvValue[])[],
  options: CsvWriteOptions = {},
): string {
  return rows.map((row) => toCsvRow(row, options) + '\r\n').join('')
}
