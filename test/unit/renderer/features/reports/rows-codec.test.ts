import { describe, expect, it } from 'vitest'
import {
  decodeHour,
  encodeHour,
  hourOf,
  type ReportRow,
} from '../../../../../src/renderer/src/features/reports/compute/rows'

const HOUR = 3_600_000
const at = Date.parse('2026-11-20T10:00:00Z')

const row = (n: number, extra: Partial<ReportRow> = {}): ReportRow => ({
  id: `x:${n}`,
  createdAt: at + n,
  sourceId: 'mast',
  platform: 'mastodon',
  community: 'social.example',
  matched: ['Acme'],
  sentiment: 'negative',
  score: -2.5,
  directed: n % 2 === 0,
  complaint: true,
  threadId: undefined,
  phrases: ['refund', 'refund missing'],
  state: { id: `x:${n}`, status: 'waiting', updatedAt: at + HOUR, department: 'PR' },
  ...extra,
})

describe('one hour of compact rows', () => {
  it('reads back exactly what was written, in time order, with absent fields absent', () => {
    const rows = [
      row(3, { state: undefined, matched: [], phrases: [], sentiment: 'positive', score: 2 }),
      row(1, {
        threadId: 'x:thread',
        state: { id: 'x:1', status: 'done', updatedAt: 5, doneAt: 5 },
      }),
      row(2, { matched: ['Acme Pay', 'Acme Pay'], complaint: false }),
    ]
    const record = encodeHour(hourOf(at), rows)
    expect(record.codes).toBeInstanceOf(Uint16Array)
    expect(decodeHour(structuredClone(record))).toEqual([rows[1], rows[2], rows[0]])
  })

  it('widens to 32 bits when an hour holds more strings than 16 bits can point at', () => {
    const rows = Array.from({ length: 70_000 }, (_, n) => row(n, { threadId: `t:${n}` }))
    const record = encodeHour(hourOf(at), rows)
    expect(record.codes).toBeInstanceOf(Uint32Array)
    const back = decodeHour(structuredClone(record))
    expect(back).toHaveLength(70_000)
    expect(back[69_999]).toEqual(rows[69_999])
    expect(back[12_345]).toEqual(rows[12_345])
  })
})
