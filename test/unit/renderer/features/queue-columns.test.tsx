import { describe, expect, it } from 'vitest'
import { queueColumns } from '../../../../src/renderer/src/features/queue/columns'
import { mention } from '../fixtures'

const intentColumn = queueColumns.find((column) => column.id === 'intent')

describe('the queue columns', () => {
  it('have an Intent column after Sentiment that reads a missing intent as "other"', () => {
    expect(queueColumns.map((column) => column.id)).toEqual([
      'time',
      'source',
      'author',
      'text',
      'sentiment',
      'intent',
      'urgency',
      'directed',
      'status',
    ])
    expect(intentColumn?.header).toBe('Intent')
    const read = (intentColumn as { accessorFn: (row: unknown, index: number) => unknown })
      .accessorFn
    const stored = mention(1)
    expect(read({ mention: stored }, 0)).toBe('other')
    const idea = mention(2, { triage: { ...stored.triage, intent: 'idea' } })
    expect(read({ mention: idea }, 0)).toBe('idea')
  })
})
