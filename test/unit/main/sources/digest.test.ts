import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { seenKey } from '../../../../src/main/sources/rss'
import { shortDigest } from '../../../../src/main/sources/digest'

describe('shortDigest', () => {
  it('keeps the keys that cursors saved by earlier versions hold, so an upgrade redelivers nothing', () => {
    const id = 'https://example.com/posts/1#comment-7'
    const earlier = createHash('sha256').update(id).digest('hex').slice(0, 16)
    expect(shortDigest(id)).toBe(earlier)
    expect(seenKey(id)).toBe(earlier)
    expect(shortDigest('été ✓', 6)).toBe(
      createHash('sha256').update('été ✓').digest('hex').slice(0, 12),
    )
  })
})
