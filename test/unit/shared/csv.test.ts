import { describe, expect, it } from 'vitest'
import {
  CsvError,
  parseCsv,
  parseCsvRows,
  parseCsvWithLines,
  toCsv,
  toCsvRow,
  type CsvValue,
} from '../../../src/shared/csv'
import { seeded as random } from '../../fixtures/seeded'

describe('parseCsv', () => {
  it('keys records by the header', () => {
    expect(parseCsv('id,text\n1,hello\n2,world\n')).toEqual([
      { id: '1', text: 'hello' },
      { id: '2', text: 'world' },
    ])
  })

  it('reads quoted commas, doubled quotes and line breaks inside quotes', () => {
    const csv =
      'id,text\n1,"Acme, please fix it"\n2,"she said ""refund"""\n3,"line one\nline two"\n'
    expect(parseCsv(csv).map((r) => r['text'])).toEqual([
      'Acme, please fix it',
      'she said "refund"',
      'line one\nline two',
    ])
  })

  it('accepts CRLF, a BOM and a missing final line end', () => {
    expect(parseCsv('\uFEFFid,text\r\n1,a\r\n2,"b\r\nc"')).toEqual([
      { id: '1', text: 'a' },
      { id: '2', text: 'b\r\nc' },
    ])
  })

  it('skips blank lines but keeps a row that is one quoted empty field', () => {
    expect(parseCsvRows('a\n\n""\n\nb\n').map((r) => r.fields)).toEqual([['a'], [''], ['b']])
  })

  it('fills short rows with empty strings and drops fields past the header', () => {
    expect(parseCsv('a,b,c\n1\n1,2,3,4\n')).toEqual([
      { a: '1', b: '', c: '' },
      { a: '1', b: '2', c: '3' },
    ])
  })

  it('keeps empty fields, including a trailing one', () => {
    expect(parseCsvRows('a,,c,\n').map((r) => r.fields)).toEqual([['a', '', 'c', '']])
  })

  it('tells the line each record starts on, counting line breaks inside quotes', () => {
    const rows = parseCsvWithLines('id,text\n1,"two\nlines"\n\n2,after\n')
    expect(rows.map((r) => [r.line, r.record['id']])).toEqual([
      [2, '1'],
      [5, '2'],
    ])
  })

  it('names the line of a quote that is never closed', () => {
    expect(() => parseCsv('id,text\n1,ok\n2,"never closed\n')).toThrow(CsvError)
    expect(() => parseCsv('id,text\n1,ok\n2,"never closed\n')).toThrow(/^line 3:/)
  })

  it('reads stray quotes leniently', () => {
    expect(parseCsvRows('ab"c,"d"e\n').map((r) => r.fields)).toEqual([['ab"c', 'de']])
  })

  it('returns nothing for an empty document', () => {
    expect(parseCsv('')).toEqual([])
    expect(parseCsv('id,text\n')).toEqual([])
  })
})

describe('toCsvRow', () => {
  it('quotes only fields that need it', () => {
    expect(toCsvRow(['plain', 'a,b', 'say "hi"', 'two\nlines', 42, true, null, undefined])).toBe(
      'plain,"a,b","say ""hi""","two\nlines",42,true,,',
    )
  })

  it('quotes a lone empty field so the row is not read back as a blank line', () => {
    expect(toCsvRow([''])).toBe('""')
    expect(parseCsvRows(toCsv([['x'], [''], ['y']])).map((r) => r.fields)).toEqual([
      ['x'],
      [''],
      ['y'],
    ])
  })

  it('guards cells a spreadsheet would run as formulas, when asked', () => {
    expect(toCsvRow(['=SUM(A1)', '@acme hi', 'fine'], { guardFormulas: true })).toBe(
      "'=SUM(A1),'@acme hi,fine",
    )
    expect(toCsvRow(['=SUM(A1)'])).toBe('=SUM(A1)')
  })

  it('writes CRLF line ends', () => {
    expect(
      toCsv([
        ['a', 'b'],
        ['1', '2'],
      ]),
    ).toBe('a,b\r\n1,2\r\n')
  })
})

const alphabet = ['a', 'Z', ' ', ',', '"', '\n', '\r', '\r\n', "'", 'é', '😀', '\uFEFF', '=', '\t']

describe('round trip (seeded fuzz)', () => {
  it('parse(serialize(rows)) gives the rows back', () => {
    const next = random(20261123)
    const pick = (n: number) => Math.floor(next() * n)
    for (let round = 0; round < 300; round++) {
      const width = 1 + pick(5)
      const header = Array.from({ length: width }, (_, k) => `col${k}`)
      const rows: string[][] = Array.from({ length: pick(6) }, () =>
        Array.from({ length: width }, () =>
          Array.from({ length: pick(8) }, () => alphabet[pick(alphabet.length)]).join(''),
        ),
      )
      const csv = toCsv([header, ...rows] as CsvValue[][])
      const back = parseCsv(csv)
      const expected = rows.map((row) => Object.fromEntries(header.map((h, k) => [h, row[k]])))
      expect(back, JSON.stringify(csv)).toEqual(expected)
      expect(parseCsvRows(csv).map((r) => r.fields)).toEqual([header, ...rows])
    }
  })
})
