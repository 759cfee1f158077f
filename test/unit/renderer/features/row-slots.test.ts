import { describe, expect, it } from 'vitest'
import { slotOf, slotPool } from '../../../../src/renderer/src/features/queue/row-slots'

const range = (from: number, length: number) => Array.from({ length }, (_, i) => from + i)
const keys = (positions: number[], pool: number) => positions.map((p) => slotOf(p, pool))

describe('row slots', () => {
  const pool = slotPool(700, 40, 6, 30)

  it('never gives two rows of a rendered range the same key', () => {
    for (const length of [pool - 1, pool]) {
      for (const from of [0, 7, 123, 99_990]) {
        expect(new Set(keys(range(from, length), pool)).size).toBe(length)
      }
    }
  })

  it('hands the rows that scroll in the keys of the rows that scrolled out', () => {
    const before = keys(range(100, pool), pool)
    const after = keys(range(103, pool), pool)
    // Three rows left and three came in: the same keys, so React reuses their elements.
    expect(new Set(after)).toEqual(new Set(before))
    expect(keys([100, 101, 102], pool)).toEqual(keys([100 + pool, 101 + pool, 102 + pool], pool))
  })

  it('covers every row the virtualizer renders, even beyond what the viewport height says', () => {
    expect(slotPool(0, 40, 6, 20)).toBe(20)
    expect(slotPool(700, 40, 6, 10)).toBe(Math.ceil(700 / 40) + 1 + 12)
  })
})
