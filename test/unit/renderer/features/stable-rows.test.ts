import { describe, expect, it } from 'vitest'
import type { QueueRow } from '../../../../src/renderer/src/db/queue-query'
import {
  heldRows,
  keepUnchanged,
  sameData,
} from '../../../../src/renderer/src/features/queue/stable-rows'
import { syntheticMention } from '../../../../bench/synthetic'
import type { ResponderState } from '../../../../src/renderer/src/db/database'

const stateOf = (id: string, patch: Partial<ResponderState> = {}): ResponderState => ({
  id,
  status: 'open',
  updatedAt: 1,
  createdAt: 1,
  urgency: 10,
  directed: 1,
  intent: 'question',
  sentiment: 'negative',
  sourceId: 'bench-forum',
  platform: 'rss',
  authorId: 'a',
  inbox: 1,
  ...patch,
})

/** A row as IndexedDB hands it back: fresh objects every read. */
const read = (n: number, patch: Partial<ResponderState> = {}): QueueRow => {
  const mention = syntheticMention(n)
  return { mention, state: stateOf(mention.id, patch) }
}

describe('keepUnchanged', () => {
  it('hands back the row already shown when a new window reads it unchanged', () => {
    const shown = new Map<string, QueueRow>()
    const first = keepUnchanged(shown, [read(1), read(2)])
    const second = keepUnchanged(shown, [read(2), read(3)])
    expect(second[0]).toBe(first[1])
    expect(second[1]).not.toBe(first[1])
    expect(second.map((row) => row.mention.id)).toEqual([read(2).mention.id, read(3).mention.id])
  })

  it('gives the new row when its state changed, so the grid shows the change', () => {
    const shown = new Map<string, QueueRow>()
    const [before] = keepUnchanged(shown, [read(1)])
    const [after] = keepUnchanged(shown, [read(1, { status: 'done', doneAt: 5 })])
    expect(after).not.toBe(before)
    expect(after?.state.status).toBe('done')
  })

  it('gives the new row when the mention itself changed (a re-delivered, edited post)', () => {
    const shown = new Map<string, QueueRow>()
    const [before] = keepUnchanged(shown, [read(1)])
    const edited = read(1)
    edited.mention = { ...edited.mention, text: 'edited' }
    const [after] = keepUnchanged(shown, [edited])
    expect(after).not.toBe(before)
    expect(after?.mention.text).toBe('edited')
  })

  it('forgets rows that left the window', () => {
    const shown = new Map<string, QueueRow>()
    keepUnchanged(shown, [read(1), read(2)])
    keepUnchanged(shown, [read(3)])
    expect([...shown.keys()]).toEqual([read(3).mention.id])
  })
})

describe('sameData', () => {
  it('compares nested data by value, and tells arrays, missing keys and nulls apart', () => {
    expect(sameData({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true)
    expect(sameData({ a: [1, 2] }, { a: [1, 2, 3] })).toBe(false)
    expect(sameData({ a: undefined }, { b: undefined })).toBe(false)
    expect(sameData({ a: null }, { a: {} })).toBe(false)
    expect(sameData([], {})).toBe(false)
  })
})

describe('held rows', () => {
  it('offer their mentions to the next window only while no mention was written', () => {
    const held = heldRows()
    expect(held.known(0)).toBeUndefined()
    const rows = held.keep(0, [read(1), read(2)])
    const known = held.known(0)
    expect(known?.(rows[0]!.mention.id)).toBe(rows[0]!.mention)
    expect(known?.(read(3).mention.id)).toBeUndefined()
    // A mention was written since: the next window reads every mention again.
    expect(held.known(1)).toBeUndefined()
  })

  it('hold exactly the last window', () => {
    const held = heldRows()
    held.keep(0, [read(1), read(2)])
    const [, third] = held.keep(0, [read(2), read(3)])
    const known = held.known(0)!
    expect(known(read(1).mention.id)).toBeUndefined()
    expect(known(third!.mention.id)).toBe(third!.mention)
  })
})
