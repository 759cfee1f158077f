import { describe, expect, it } from 'vitest'
import {
  formatAgeShort,
  formatRelative,
  formatScore,
} from '../../../../src/renderer/src/components/format'

const now = Date.UTC(2025, 5, 15, 12)
const MIN = 60_000

describe('time and score formats', () => {
  it('says how long ago in the narrow queue column', () => {
    expect(formatAgeShort(now - 10_000, now)).toBe('now')
    expect(formatAgeShort(now - 5 * MIN, now)).toBe('5m')
    expect(formatAgeShort(now - 3 * 60 * MIN, now)).toBe('3h')
    expect(formatAgeShort(now - 2 * 24 * 60 * MIN, now)).toBe('2d')
    expect(formatAgeShort(Date.UTC(2020, 0, 1), now)).toBe('2020')
  })

  it('uses plain words in detail views, past and future', () => {
    expect(formatRelative(now - 10_000, now)).toBe('just now')
    expect(formatRelative(now - MIN, now)).toBe('1 minute ago')
    expect(formatRelative(now + 3 * MIN, now)).toBe('in 3 minutes')
    expect(formatRelative(now - 2 * 60 * MIN, now)).toBe('2 hours ago')
    expect(formatRelative(Date.UTC(2020, 0, 1), now)).toMatch(/^on /)
  })

  it('signs scores with a real minus', () => {
    expect(formatScore(-3)).toBe('\u22123')
    expect(formatScore(2.25)).toBe('+2.3')
    expect(formatScore(0)).toBe('0')
  })
})

describe('source labels', () => {
  it('words the poll interval', async () => {
    const { intervalLabel } =
      await import('../../../../src/renderer/src/features/sources/source-labels')
    expect(intervalLabel(20)).toBe('every 20 s')
    expect(intervalLabel(900)).toBe('every 15 min')
    expect(intervalLabel(5400)).toBe('every 1.5 h')
  })
})
