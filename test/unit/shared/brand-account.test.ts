import { describe, expect, it } from 'vitest'
import { brandAccountCheck, type PostAuthorship } from '../../../src/shared/brand-account'

const post = (
  platform: PostAuthorship['platform'],
  handle: string,
  extra: Partial<PostAuthorship> = {},
): PostAuthorship => ({
  platform,
  author: { id: `${platform}:${handle}`, name: handle, handle },
  url: null,
  ...extra,
})

describe('brandAccountCheck', () => {
  const isBrand = brandAccountCheck({
    handles: [
      { platform: 'mastodon', handle: '@Acme@example.social' },
      { platform: 'bluesky', handle: 'acme.bsky.social' },
      { platform: 'reddit', handle: '/u/AcmeSupport' },
      { platform: 'hn', handle: 'acme_hq' },
    ],
  })

  it('knows the brand on Mastodon with or without the domain its own server leaves out', () => {
    expect(isBrand(post('mastodon', '@acme@example.social'))).toBe(true)
    // Read from its own server, the account is written `@acme`; its profile link says where.
    expect(
      isBrand(
        post('mastodon', '@acme', {
          author: { id: 'x', name: 'Acme', handle: '@acme', url: 'https://example.social/@acme' },
        }),
      ),
    ).toBe(true)
    // Someone else called acme on another server is not the brand.
    expect(isBrand(post('mastodon', '@acme@other.example'))).toBe(false)
    expect(isBrand(post('mastodon', '@acme', { url: 'https://other.example/@acme/1' }))).toBe(false)
  })

  it('matches Bluesky, Reddit and HN handles case-insensitively, each on its own platform', () => {
    expect(isBrand(post('bluesky', '@ACME.bsky.social'))).toBe(true)
    expect(isBrand(post('reddit', 'u/acmesupport'))).toBe(true)
    expect(isBrand(post('hn', 'acme_hq'))).toBe(true)
    // The same name on a platform the profile does not list it for is a stranger.
    expect(isBrand(post('reddit', 'u/acme.bsky.social'))).toBe(false)
    expect(isBrand(post('rss', 'acme_hq'))).toBe(false)
  })

  it('matches a Bluesky DID entered as the handle', () => {
    const byDid = brandAccountCheck({
      handles: [{ platform: 'bluesky', handle: 'did:plc:abc123' }],
    })
    expect(
      byDid({
        platform: 'bluesky',
        url: null,
        author: { id: 'bluesky:did:plc:abc123', name: 'Acme', handle: '@acme.example' },
      }),
    ).toBe(true)
  })

  it('matches nothing without a profile or handles', () => {
    expect(brandAccountCheck(null)(post('mastodon', '@acme'))).toBe(false)
    expect(brandAccountCheck({ handles: [] })(post('bluesky', '@acme.bsky.social'))).toBe(false)
  })

  it('leaves a Mastodon handle typed without a domain matching that name on any server', () => {
    const loose = brandAccountCheck({ handles: [{ platform: 'mastodon', handle: '@acme' }] })
    expect(loose(post('mastodon', '@acme@anywhere.example'))).toBe(true)
    expect(loose(post('mastodon', '@acmeco@anywhere.example'))).toBe(false)
  })
})
