import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createCore } from '../../../src/main/core'
import { CREDENTIALS_FILE } from '../../../src/main/credentials/store'
import { silentLogger } from '../../../src/main/log'
import type { Core } from '../../../src/main/ports'
import type { EventName, EventPayload } from '../../../src/shared/contract'
import { dispatchCall } from '../../../src/shared/contract'
import type { BrandProfile, SourceView } from '../../../src/shared/domain'
import { fakeCipher } from '../../fixtures/fake-cipher'
import { fakeSignin, type FakeSignin } from '../../fixtures/fake-signin'
import { startMastodonServer, status } from '../../fixtures/mastodon-server'

const profile: BrandProfile = {
  brand: 'Acme',
  handles: [],
  products: ['Acme Cloud'],
  competitors: [],
  excluded: [],
}
const APP_PASSWORD = 'abcd-efgh-ijkl-mnop'
const bluesky = (appPassword = APP_PASSWORD, identifier = 'acme.bsky.social') => ({
  kind: 'bluesky',
  identifier,
  credentials: { appPassword },
})
const reddit = {
  kind: 'reddit',
  username: 'acme',
  subreddits: ['acme', 'selfhosted'],
  credentials: { clientId: 'client-id-1', clientSecret: 'client-secret-1', password: 'hunter22' },
}

let dir: string
let core: Core
let sky: FakeSignin
let red: FakeSignin
const events: { name: EventName; payload: unknown }[] = []

const start = async () => {
  core = createCore({
    host: 'electron',
    version: '0.1.0',
    dataDir: dir,
    logger: silentLogger,
    emit: <E extends EventName>(name: E, payload: EventPayload<E>) =>
      void events.push({ name, payload }),
    notify: () => undefined,
    openExternal: () => Promise.resolve(),
    setUnhandled: () => undefined,
    cipher: fakeCipher(),
    // First polls at once: the tests wait on what a poll did, not on the start-up spread.
    random: () => 0,
    connectors: { bluesky: sky.connector, reddit: red.connector },
  })
  await core.start()
}
const call = (name: string, input: unknown) => dispatchCall(core.handlers, name, input)
const list = async () => {
  const result = await call('sources:list', {})
  return (result.ok ? result.value : []) as SourceView[]
}
const sourcesFile = () => readFile(join(dir, 'sources.json'), 'utf8')
const credentialFile = () => readFile(join(dir, CREDENTIALS_FILE), 'utf8').catch(() => '')
const addedId = (result: Awaited<ReturnType<typeof call>>) =>
  result.ok ? (result.value as SourceView).config.id : ''

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-creds-core-'))
  sky = fakeSignin('bluesky', APP_PASSWORD, 'appPassword')
  red = fakeSignin('reddit', 'hunter22', 'password')
  events.length = 0
  await start()
  await call('profile:save', { profile })
})
afterEach(async () => {
  await core.stop()
  await rm(dir, { recursive: true, force: true })
})

describe('sources with credentials', () => {
  it('checks a Bluesky account with its app password, then keeps the password out of sources.json', async () => {
    const added = await call('sources:add', { source: bluesky() })
    expect(added).toMatchObject({
      ok: true,
      value: {
        config: { kind: 'bluesky', name: 'Bluesky @acme.bsky.social', intervalSec: 120 },
        credential: 'set',
        canReply: true,
      },
    })
    // The check polled once with the typed password.
    expect(sky.seen[0]).toEqual({ appPassword: APP_PASSWORD })
    expect(await sourcesFile()).not.toContain(APP_PASSWORD)
    expect(await sourcesFile()).not.toContain('session-for')
    // The scheduled poll gets the stored secrets, the check's derived session included.
    await vi.waitFor(() => expect(sky.polls).toBeGreaterThanOrEqual(2), { timeout: 10_000 })
    expect(sky.seen[1]).toEqual({
      appPassword: APP_PASSWORD,
      session: `session-for-${APP_PASSWORD}`,
    })
    const [listed] = await list()
    expect(listed).toMatchObject({ credential: 'set', canReply: true })
    // ...and they survive a restart, decrypted again.
    await core.stop()
    await start()
    expect((await list())[0]?.credential).toBe('set')
  })

  it('names Reddit sources after the account and refuses the same account and subreddits twice', async () => {
    const added = await call('sources:add', { source: reddit })
    expect(added).toMatchObject({
      ok: true,
      value: { config: { name: 'Reddit u/acme', subreddits: ['acme', 'selfhosted'] } },
    })
    expect(
      await call('sources:add', {
        source: { ...reddit, username: 'ACME', subreddits: ['selfhosted', 'acme'] },
      }),
    ).toMatchObject({ ok: false, error: { code: 'conflict' } })
    // Another subreddit list is another source.
    expect(
      await call('sources:add', { source: { ...reddit, subreddits: ['acmecloud'] } }),
    ).toMatchObject({ ok: true })
    await call('sources:add', { source: bluesky() })
    expect(
      await call('sources:add', { source: bluesky(APP_PASSWORD, 'Acme.bsky.social') }),
    ).toMatchObject({ ok: false, error: { code: 'conflict' } })
  })

  it('refuses a wrong password while the form is open and saves nothing', async () => {
    const refused = await call('sources:add', { source: bluesky('wrong-password-1') })
    expect(refused).toMatchObject({ ok: false, error: { code: 'network' } })
    expect(JSON.stringify(refused)).not.toContain('wrong-password-1')
    expect((await list()).map((s) => s.config.kind)).toEqual(['demo'])
    expect(await credentialFile()).toBe('')
  })

  it('tests a connection with the typed credentials and saves nothing', async () => {
    const tested = await call('sources:test', { source: bluesky() })
    expect(tested).toEqual({
      ok: true,
      value: { found: 1, message: 'Connected: this check found 1 item.' },
    })
    expect((await list()).map((s) => s.config.kind)).toEqual(['demo'])
    expect(await credentialFile()).toBe('')
    const failed = await call('sources:test', { source: bluesky('nope-nope-nope') })
    expect(failed).toMatchObject({ ok: false, error: { message: /rejected the sign-in/ } })
    expect(JSON.stringify(failed)).not.toContain('nope-nope-nope')
  })

  it('keeps a rejected sign-in waiting, across pauses and restarts, until new credentials are set', async () => {
    const id = addedId(await call('sources:add', { source: bluesky() }))
    await vi.waitFor(() => expect(sky.polls).toBeGreaterThanOrEqual(2), { timeout: 10_000 })
    // The account's password changes: the session and the stored password are refused.
    sky.password = 'the-new-app-password'
    await call('sources:setPaused', { id, paused: true })
    await call('sources:setPaused', { id, paused: false })
    await vi.waitFor(
      async () => expect((await list())[0]?.health.state).toBe('credential-invalid'),
      { timeout: 10_000 },
    )
    const rejectedAt = sky.polls
    await call('sources:setPaused', { id, paused: true })
    await call('sources:setPaused', { id, paused: false })
    await core.stop()
    await start()
    const [after] = await list()
    expect(after?.health.state).toBe('credential-invalid')
    // "Check now" cannot send the refused password again either; it says what would.
    expect(await call('sources:checkNow', { id })).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        message: 'The platform refused this sign-in: enter the credentials again to check it',
      },
    })
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(sky.polls).toBe(rejectedAt)

    const set = await call('sources:setCredentials', {
      id,
      credentials: { appPassword: 'the-new-app-password' },
    })
    expect(set).toMatchObject({ ok: true, value: { credential: 'set' } })
    expect(JSON.stringify(set)).not.toContain('the-new-app-password')
    await vi.waitFor(async () => expect((await list())[0]?.health.state).toBe('live'), {
      timeout: 10_000,
    })
    // The old session went with the old password.
    expect(sky.seen.at(-1)).toMatchObject({ appPassword: 'the-new-app-password' })
    expect(sky.seen.at(-1)?.['session']).not.toBe(`session-for-${APP_PASSWORD}`)
  })

  it('checks credentials against the source kind', async () => {
    const id = addedId(await call('sources:add', { source: bluesky() }))
    expect(
      await call('sources:setCredentials', { id, credentials: { accessToken: 'abc-123456' } }),
    ).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    expect(
      await call('sources:setCredentials', { id, credentials: { appPassword: '   ' } }),
    ).toMatchObject({ ok: false, error: { code: 'invalid-input', message: /appPassword/ } })
    expect(
      await call('sources:setCredentials', { id: 'nope', credentials: { appPassword: 'x' } }),
    ).toMatchObject({ ok: false, error: { code: 'not-found' } })
    expect(
      await call('sources:setCredentials', { id: 'demo', credentials: { appPassword: 'x' } }),
    ).toMatchObject({ ok: false, error: { code: 'not-found' } })
  })

  it('forgets the secrets of a removed source', async () => {
    const id = addedId(await call('sources:add', { source: bluesky() }))
    expect(await credentialFile()).toContain(id)
    expect(await call('sources:remove', { id })).toEqual({ ok: true, value: {} })
    expect(await credentialFile()).not.toContain(id)
  })

  it('shows credentials that cannot be read as unreadable and does not poll them', async () => {
    const id = addedId(await call('sources:add', { source: reddit }))
    await core.stop()
    await writeFile(join(dir, CREDENTIALS_FILE), '{"version":1,"entr')
    const before = red.polls
    await start()
    const [listed] = await list()
    expect(listed).toMatchObject({ config: { id }, credential: 'unreadable', canReply: false })
    const info = await core.handlers['app:info']({})
    expect(info.ok && info.value.configProblems.join(' ')).toMatch(
      /credentials\.json could not be read/,
    )
    expect(await call('sources:checkNow', { id })).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        message: 'This source signs in: enter its credentials to check it',
      },
    })
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(red.polls).toBe(before)
    await call('sources:setCredentials', { id, credentials: reddit.credentials })
    await vi.waitFor(() => expect(red.polls).toBeGreaterThan(before), { timeout: 10_000 })
  })

  it('reads Mastodon hashtags without a token and keeps a token when one is given', async () => {
    const mastodon = await startMastodonServer([
      status('113200000000000001', new Date().toISOString(), 'Acme Cloud is down', ['acme']),
    ])
    mastodon.token = 'mastodon-token-123'
    try {
      const open = await call('sources:add', {
        source: { kind: 'mastodon', instance: mastodon.origin, hashtags: ['acme'] },
      })
      expect(open).toMatchObject({ ok: true, value: { credential: 'not-needed' } })
      const signed = await call('sources:add', {
        source: {
          kind: 'mastodon',
          instance: mastodon.origin,
          hashtags: [],
          credentials: { accessToken: 'mastodon-token-123' },
        },
      })
      expect(signed).toMatchObject({
        ok: true,
        value: {
          config: { name: 'Mastodon 127.0.0.1:' + new URL(mastodon.origin).port },
          credential: 'set',
        },
      })
      expect(await sourcesFile()).not.toContain('mastodon-token-123')
    } finally {
      await mastodon.close()
    }
  })

  it('on the web host keeps secrets in a 0600 file and says so once it holds any', async () => {
    await core.stop()
    core = createCore({
      host: 'web',
      version: '0.1.0',
      dataDir: dir,
      logger: silentLogger,
      emit: () => undefined,
      notify: () => undefined,
      openExternal: () => Promise.resolve(),
      setUnhandled: () => undefined,
      connectors: { bluesky: sky.connector },
    })
    await core.start()
    const problems = async () => {
      const info = await core.handlers['app:info']({})
      return info.ok ? info.value.configProblems.join(' ') : ''
    }
    expect(await problems()).not.toMatch(/Credentials are kept/)
    expect(await call('sources:add', { source: bluesky() })).toMatchObject({ ok: true })
    expect(await problems()).toMatch(
      /Credentials are kept in .*credentials\.json, readable only by your user account/,
    )
    expect((await stat(join(dir, CREDENTIALS_FILE))).mode & 0o777).toBe(0o600)
  })

  it('refuses to store a sign-in where encryption is unavailable, unless opted in', async () => {
    await core.stop()
    core = createCore({
      host: 'electron',
      version: '0.1.0',
      dataDir: dir,
      logger: silentLogger,
      emit: () => undefined,
      notify: () => undefined,
      openExternal: () => Promise.resolve(),
      setUnhandled: () => undefined,
      cipher: fakeCipher(7, false),
      plainCredentialsHint: 'Start Earshot with EARSHOT_PLAIN_CREDENTIALS=1.',
      connectors: { bluesky: sky.connector },
    })
    await core.start()
    const refused = await call('sources:add', { source: bluesky() })
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: /no encrypted storage.*EARSHOT_PLAIN_CREDENTIALS=1/ },
    })
    expect((await list()).map((s) => s.config.kind)).toEqual(['demo'])
  })
})
