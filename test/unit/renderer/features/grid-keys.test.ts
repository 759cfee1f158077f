import { describe, expect, it } from 'vitest'
import { nextPosition } from '../../../../src/renderer/src/features/queue/grid-keys'

describe('queue keys', () => {
  it('moves down and up with j/k and the arrows, clamped to the list', () => {
    expect(nextPosition('j', 3, 3, 10)).toBe(4)
    expect(nextPosition('ArrowDown', 9, 9, 10)).toBe(9)
    expect(nextPosition('k', 3, 3, 10)).toBe(2)
    expect(nextPosition('ArrowUp', 0, 0, 10)).toBe(0)
    expect(nextPosition('Home', 5, 5, 10)).toBe(0)
    expect(nextPosition('End', 5, 5, 10)).toBe(9)
  })

  it('starts at the top when nothing is selected', () => {
    expect(nextPosition('j', -1, 0, 10)).toBe(0)
  })

  it('continues from where a mention that left the view was', () => {
    // Marked done under Open: the next mention now sits at its old position.
    expect(nextPosition('j', -1, 4, 10)).toBe(4)
    expect(nextPosition('k', -1, 4, 10)).toBe(3)
  })

  it('ignores other keys and empty lists', () => {
    expect(nextPosition('x', 1, 1, 10)).toBeNull()
    expect(nextPosition('j', -1, 0, 0)).toBeNull()
  })
})

describe('typing guard', () => {
  it('treats fields as typing and everything else as shortcuts', async () => {
    const { isTyping } = await import('../../../../src/renderer/src/features/queue/grid-keys')
    expect(isTyping(document.createElement('input'))).toBe(true)
    expect(isTyping(document.createElement('textarea'))).toBe(true)
    expect(isTyping(document.createElement('select'))).toBe(true)
    expect(isTyping(document.createElement('button'))).toBe(false)
    expect(isTyping(null)).toBe(false)
  })
})
