import { describe, expect, it } from 'vitest'
import {
  buildCredentials,
  buildSourceInput,
  credentialLabel,
  emptyDraft,
  parseSubreddits,
  secretFields,
} from '../../../../src/renderer/src/features/sources/source-form'

const draft = (fields: Partial<ReturnType<typeof emptyDraft>>) => ({ ...emptyDraft(), ...fields })

describe('the add-source form logic', () => {
  it('builds a Bluesky input with its app password, without the @ of the handle', () => {
    expect(
      buildSourceInput(
        'bluesky',
        draft({ identifier: ' @acme.bsky.social ', appPassword: ' abcd-efgh-ijkl-mnop ' }),
        120,
      ),
    ).toEqual({
      kind: 'bluesky',
      identifier: 'acme.bsky.social',
      credentials: { appPassword: 'abcd-efgh-ijkl-mnop' },
      intervalSec: 120,
    })
  })

  it('asks for what a Bluesky source lacks, in words', () => {
    expect(buildSourceInput('bluesky', draft({ appPassword: 'x-y' }), 120)).toMatch(/handle/)
    expect(buildSourceInput('bluesky', draft({ identifier: 'acme.bsky.social' }), 120)).toMatch(
      /app password/,
    )
    expect(
      buildSourceInput('bluesky', draft({ identifier: 'acme', appPassword: 'secret-1' }), 120),
    ).toBe('Enter the full handle, e.g. acme.bsky.social')
  })

  it('builds a Reddit input, and never quotes a secret in a complaint', () => {
    const full = draft({
      username: 'u/acme',
      clientId: 'cid',
      clientSecret: 'csecret',
      password: 'pw',
      subreddits: 'r/acme, selfhosted acme',
      query: 'acme cloud',
    })
    expect(buildSourceInput('reddit', full, 120)).toEqual({
      kind: 'reddit',
      username: 'acme',
      subreddits: ['acme', 'selfhosted'],
      credentials: { clientId: 'cid', clientSecret: 'csecret', password: 'pw' },
      query: 'acme cloud',
      intervalSec: 120,
    })
    expect(buildSourceInput('reddit', { ...full, clientSecret: '' }, 120)).toMatch(/secret/)
    expect(buildSourceInput('reddit', { ...full, subreddits: '', query: '' }, 120)).toMatch(
      /at least one subreddit/,
    )
    const tooLong = buildSourceInput('reddit', { ...full, password: 'p'.repeat(301) }, 120)
    expect(tooLong).toBe('Check the sign-in fields: one is empty or too long')
  })

  it('points Bluesky and Reddit at their own servers when the advanced addresses are set', () => {
    const bluesky = draft({ identifier: 'acme.example.org', appPassword: 'pw-1' })
    expect(
      buildSourceInput('bluesky', { ...bluesky, apiBase: 'https://pds.example.org' }, 120),
    ).toMatchObject({ kind: 'bluesky', service: 'https://pds.example.org' })
    expect(buildSourceInput('bluesky', bluesky, 120)).not.toHaveProperty('service')
    expect(buildSourceInput('bluesky', { ...bluesky, apiBase: 'ftp://pds' }, 120)).toMatch(/http/)
    const reddit = draft({
      username: 'acme',
      clientId: 'cid',
      clientSecret: 'cs',
      password: 'pw',
      subreddits: 'acme',
      apiBase: 'http://127.0.0.1:8080',
      authBase: 'http://127.0.0.1:8081',
    })
    expect(buildSourceInput('reddit', reddit, 120)).toMatchObject({
      apiBase: 'http://127.0.0.1:8080',
      authBase: 'http://127.0.0.1:8081',
    })
    expect(buildSourceInput('reddit', { ...reddit, authBase: 'not a url' }, 120)).toMatch(/http/)
  })

  it('lets a Mastodon source go without hashtags only when a token is given', () => {
    const base = draft({ instance: 'https://mastodon.social' })
    expect(buildSourceInput('mastodon', base, 60)).toMatch(/or an access token/)
    expect(buildSourceInput('mastodon', { ...base, accessToken: ' tok ' }, 60)).toEqual({
      kind: 'mastodon',
      instance: 'https://mastodon.social',
      hashtags: [],
      credentials: { accessToken: 'tok' },
      intervalSec: 60,
    })
  })

  it('reads subreddit lists and refuses names Reddit would not have', () => {
    expect(parseSubreddits('/r/Acme r/acme, help_desk')).toEqual(['Acme', 'help_desk'])
    expect(parseSubreddits('a')).toMatch(/not a subreddit name/)
  })

  it('builds re-entered credentials per kind', () => {
    expect(secretFields('rss')).toEqual([])
    expect(buildCredentials('bluesky', { appPassword: ' new-pass ' })).toEqual({
      appPassword: 'new-pass',
    })
    expect(buildCredentials('reddit', { clientId: 'a', clientSecret: 'b' })).toBe(
      'Enter the reddit password',
    )
    expect(credentialLabel('unreadable')).toMatch(/re-enter/)
    expect(credentialLabel('not-needed')).toBeNull()
    expect(credentialLabel(undefined)).toBeNull()
  })
})
