/*
 * A canary secret goes everywhere a secret can go (adding a source, a failed check that echoes it,
 * replacing it, a scheduled poll that fails quoting it) and must surface nowhere: no contract
 * reply, no event, no log line, no file in the data dir but the credential file itself.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createCore } from '../../../src/main/core'
import type { Cipher } from '../../../src/main/credentials/cipher'
import { CREDENTIALS_FILE } from '../../../src/main/credentials/store'
import { createLogger } from '../../../src/main/log'
import type { Core } from '../../../src/main/ports'
import { SourceError } from '../../../src/main/sources/connector'
import { dispatchCall } from '../../../src/shared/contract'
import type { SourceView } from '../../../src/shared/domain'
import { fakeCipher } from '../../fixtures/fake-cipher'
import { fakeSignin, type FakeSignin } from '../../fixtures/fake-signin'

let dir: string
let core: Core
let sky: FakeSignin
let red: FakeSignin
const logLines: string[] = []
const emitted: string[] = []
const replies: string[] = []

const start = async (cipher: Cipher | undefined) => {
  core = createCore({
    host: cipher ? 'electron' : 'web',
    version: '0.1.0',
    dataDir: dir,
    logger: createLogger('debug', (line) => logLines.push(line)),
    emit: (name, payload) => void emitted.push(JSON.stringify({ name, payload })),
    notify: (alert) => void emitted.push(JSON.stringify(alert)),
    openExternal: () => Promise.resolve(),
    setUnhandled: () => undefined,
    random: () => 0,
    connectors: { bluesky: sky.connector, reddit: red.connector },
    ...(cipher ? { cipher } : {}),
  })
  await core.start()
}
const call = async (name: string, input: unknown) => {
  const result = await dispatchCall(core.handlers, name, input)
  replies.push(JSON.stringify(result))
  return result
}

/** Every file under the data dir, with its text. */
async function dataFiles(): Promise<{ name: string; text: string }[]> {
  const out: { name: string; text: string }[] = []
  for (const name of await readdir(dir, { recursive: true })) {
    const path = join(dir, name)
    if ((await stat(path)).isFile()) out.push({ name, text: await readFile(path, 'latin1') })
  }
  return out
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-canary-'))
  logLines.length = 0
  emitted.length = 0
  replies.length = 0
})
afterEach(async () => {
  await core.stop()
  await rm(dir, { recursive: true, force: true })
})

describe.each([
  ['the web host (plain 0600 file)', undefined],
  ['Electron (safeStorage)', fakeCipher(0x5a)],
])('a canary secret on %s', (_host, cipher) => {
  it('appears in no reply, event, log line or data file but the credential store', async () => {
    const canary = `CANARY${randomBytes(8).toString('hex')}`
    const second = `CANARY${randomBytes(8).toString('hex')}`
    sky = fakeSignin('bluesky', canary, 'appPassword')
    red = fakeSignin('reddit', `${canary}r`, 'password')
    await start(cipher)
    await call('profile:save', {
      profile: { brand: 'Acme', handles: [], products: [], competitors: [], excluded: [] },
    })
    const bluesky = (appPassword: string) => ({
      kind: 'bluesky',
      identifier: 'acme.bsky.social',
      credentials: { appPassword },
    })

    // A failed check whose server quotes the typed password back.
    const wrong = await call('sources:add', { source: bluesky(`${canary}x`) })
    expect(wrong).toMatchObject({ ok: false, error: { message: /\[redacted\]/ } })
    await call('sources:test', { source: bluesky(`${canary}x`) })
    // Inputs the contract refuses, with the canary inside.
    await call('sources:add', { source: { ...bluesky(canary), identifier: 'acme' } })
    await call('sources:add', { source: bluesky(canary), extra: canary })

    expect(await call('sources:test', { source: bluesky(canary) })).toMatchObject({ ok: true })
    const added = await call('sources:add', { source: bluesky(canary) })
    expect(added).toMatchObject({ ok: true, value: { credential: 'set' } })
    const id = added.ok ? (added.value as SourceView).config.id : ''
    await call('sources:add', {
      source: {
        kind: 'reddit',
        username: 'acme',
        credentials: { clientId: canary, clientSecret: canary, password: `${canary}r` },
      },
    })
    await vi.waitFor(() => expect(sky.polls).toBeGreaterThanOrEqual(4), { timeout: 10_000 })

    // A scheduled poll that fails quoting the secrets and the session derived from them.
    sky.failWith = new SourceError(
      'http',
      `The server answered 400 for /xrpc?password=${encodeURIComponent(canary)}&session=session-for-${canary}`,
    )
    await core.handlers['sources:setPaused']({ id, paused: true })
    await core.handlers['sources:setPaused']({ id, paused: false })
    await vi.waitFor(
      async () => {
        const listed = await call('sources:list', {})
        const view = ((listed.ok ? listed.value : []) as SourceView[]).find(
          (s) => s.config.id === id,
        )
        expect(view?.health.lastError).toMatch(/\[redacted\]/)
      },
      { timeout: 10_000 },
    )

    // Replacing the secret, then a rejected sign-in (401) quoting the replaced one.
    sky.failWith = null
    await call('sources:setCredentials', { id, credentials: { appPassword: second } })
    await vi.waitFor(
      async () => {
        const listed = await call('sources:list', {})
        const view = ((listed.ok ? listed.value : []) as SourceView[]).find(
          (s) => s.config.id === id,
        )
        expect(view?.health.state).toBe('credential-invalid')
      },
      { timeout: 10_000 },
    )
    await call('app:info', {})
    await core.stop()
    await start(cipher)
    await call('sources:list', {})
    await call('delivery:pending', { afterSeq: 0 })
    await core.stop()

    // The canary really went through: it reached the connector, and the check's errors.
    expect(sky.seen.some((s) => s?.['appPassword'] === canary)).toBe(true)
    expect(sky.seen.some((s) => s?.['appPassword'] === second)).toBe(true)

    for (const secret of [canary, second]) {
      for (const [what, texts] of [
        ['contract replies', replies],
        ['events', emitted],
        ['log lines', logLines],
      ] as const) {
        expect(
          texts.filter((text) => text.includes(secret)),
          what,
        ).toEqual([])
      }
    }
    const files = await dataFiles()
    expect(files.map((f) => f.name)).toEqual(
      expect.arrayContaining(['sources.json', 'health.json', 'journal.jsonl', CREDENTIALS_FILE]),
    )
    for (const file of files) {
      if (file.name === CREDENTIALS_FILE) continue
      expect(file.text.includes(canary) || file.text.includes(second), file.name).toBe(false)
    }
    const store = files.find((f) => f.name === CREDENTIALS_FILE)?.text ?? ''
    if (cipher) {
      expect(store).not.toContain(canary)
      expect(store).not.toContain(second)
    } else {
      expect(store).toContain(second)
      expect((await stat(join(dir, CREDENTIALS_FILE))).mode & 0o777).toBe(0o600)
    }
  })
})
