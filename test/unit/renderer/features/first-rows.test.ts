import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

// The module holds one page's start-up: each test imports a fresh copy.
const load = async () =>
  (await import('../../../../src/renderer/src/features/queue/first-rows')).firstRows

describe('the start-up gate for reads over the whole history', () => {
  beforeEach(() => {
    vi.resetModules()
    vi.useFakeTimers({ toFake: ['setTimeout'] })
  })
  afterEach(() => vi.useRealTimers())

  it('lets them run at once when no start-up waits for the queue (one part of the page alone)', async () => {
    const firstRows = await load()
    expect(firstRows.settled()).toBe(true)
  })

  it('holds them while the queue paints, and lets them go with its first rows', async () => {
    const firstRows = await load()
    const heard = vi.fn()
    firstRows.subscribe(heard)
    firstRows.expect(5000)
    expect(firstRows.settled()).toBe(false)
    firstRows.mark()
    expect(firstRows.settled()).toBe(true)
    expect(heard).toHaveBeenCalledTimes(1)
    expect(performance.getEntriesByName('earshot:first-rows')).toHaveLength(1)
  })

  it('lets them go anyway when the page starts on a screen without the queue', async () => {
    const firstRows = await load()
    firstRows.expect(5000)
    vi.advanceTimersByTime(4999)
    expect(firstRows.settled()).toBe(false)
    vi.advanceTimersByTime(1)
    expect(firstRows.settled()).toBe(true)
  })
})
