import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  CREDENTIALS_FILE,
  CredentialStoreError,
  openCredentialStore,
} from '../../../../src/main/credentials/store'
import { createLogger, silentLogger } from '../../../../src/main/log'
import { fakeCipher } from '../../../fixtures/fake-cipher'

const TOKEN = 'tok-3f9a1c77e2'
let dir: string
const path = () => join(dir, CREDENTIALS_FILE)
const modeOf = async (file: string) => (await stat(file)).mode & 0o777

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-creds-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('credential store without a cipher (web host)', () => {
  it('keeps secrets across a reopen in a file only the user can read', async () => {
    const store = await openCredentialStore({ dataDir: dir, logger: silentLogger })
    expect(store.state('a')).toBe('missing')
    await store.set('a', { accessToken: TOKEN })
    expect(await modeOf(path())).toBe(0o600)
    const again = await openCredentialStore({ dataDir: dir, logger: silentLogger })
    expect(again.get('a')).toEqual({ accessToken: TOKEN })
    expect(again.state('a')).toBe('set')
    expect(again.notices().join(' ')).toMatch(/readable only by your user account/)
  })

  it('tightens a file that others could read, and warns once in the log', async () => {
    const store = await openCredentialStore({ dataDir: dir, logger: silentLogger })
    await store.set('a', { accessToken: TOKEN })
    await chmod(path(), 0o644)
    const lines: string[] = []
    const again = await openCredentialStore({
      dataDir: dir,
      logger: createLogger('debug', (line) => lines.push(line)),
    })
    expect(await modeOf(path())).toBe(0o600)
    expect(again.get('a')).toEqual({ accessToken: TOKEN })
    expect(lines.some((l) => l.includes('readable by others'))).toBe(true)
    expect(lines.filter((l) => l.includes('stored unencrypted'))).toHaveLength(1)
    expect(lines.join('\n')).not.toContain(TOKEN)
  })

  it('says nothing about plain storage while it holds no secrets', async () => {
    const store = await openCredentialStore({ dataDir: dir, logger: silentLogger })
    expect(store.notices()).toEqual([])
  })

  it('merges patches (null removes a key), and deletes', async () => {
    const store = await openCredentialStore({ dataDir: dir, logger: silentLogger })
    await store.set('a', { appPassword: 'pw-1234', session: 'old' })
    await store.access('a').update({ session: 'new', refresh: 'r-5678' })
    expect(store.get('a')).toEqual({ appPassword: 'pw-1234', session: 'new', refresh: 'r-5678' })
    await store.merge('a', { session: null, refresh: null })
    expect(store.get('a')).toEqual({ appPassword: 'pw-1234' })
    await store.merge('a', { appPassword: null })
    expect(store.state('a')).toBe('missing')
    await store.set('b', { accessToken: TOKEN })
    await store.delete('b')
    const again = await openCredentialStore({ dataDir: dir, logger: silentLogger })
    expect(again.state('a')).toBe('missing')
    expect(again.state('b')).toBe('missing')
    expect(await readFile(path(), 'utf8')).not.toContain(TOKEN)
  })

  it('keeps a corrupt file aside and reports every source as unreadable, without quoting it', async () => {
    await writeFile(path(), `{"version":1,"entries":{"a":{"accessToken":"${TOKEN}"`, {
      mode: 0o600,
    })
    const store = await openCredentialStore({ dataDir: dir, logger: silentLogger })
    expect(store.state('a')).toBe('unreadable')
    expect(store.get('a')).toBeNull()
    const notice = store.notices().join(' ')
    expect(notice).toMatch(/could not be read.*kept as credentials\.json\.corrupt-/)
    expect(notice).not.toContain(TOKEN)
    const kept = (await readdir(dir)).filter((f) => f.startsWith(`${CREDENTIALS_FILE}.corrupt-`))
    expect(kept).toHaveLength(1)
    // Entering the secret again makes it readable.
    await store.set('a', { accessToken: 'fresh-token' })
    expect(store.state('a')).toBe('set')
  })
})

describe('credential store with a cipher (Electron safeStorage)', () => {
  it('writes no secret in plain text and reads it back', async () => {
    const cipher = fakeCipher()
    const store = await openCredentialStore({ dataDir: dir, cipher, logger: silentLogger })
    await store.set('a', { accessToken: TOKEN })
    expect(await readFile(path(), 'utf8')).not.toContain(TOKEN)
    expect(store.notices()).toEqual([])
    const again = await openCredentialStore({ dataDir: dir, cipher, logger: silentLogger })
    expect(again.get('a')).toEqual({ accessToken: TOKEN })
  })

  it('an entry another key encrypted is unreadable, not a crash, and is kept until replaced', async () => {
    const store = await openCredentialStore({
      dataDir: dir,
      cipher: fakeCipher(7),
      logger: silentLogger,
    })
    await store.set('a', { accessToken: TOKEN })
    const other = await openCredentialStore({
      dataDir: dir,
      cipher: fakeCipher(9),
      logger: silentLogger,
    })
    expect(other.state('a')).toBe('unreadable')
    expect(other.get('a')).toBeNull()
    await other.set('b', { accessToken: 'another-one' })
    // The unreadable entry survived the rewrite: the right key still opens it.
    const back = await openCredentialStore({
      dataDir: dir,
      cipher: fakeCipher(7),
      logger: silentLogger,
    })
    expect(back.get('a')).toEqual({ accessToken: TOKEN })
  })

  it('refuses to store plain text when encryption is unavailable, unless opted in', async () => {
    const cipher = fakeCipher(7, false)
    const store = await openCredentialStore({
      dataDir: dir,
      cipher,
      logger: silentLogger,
      optInHint: 'Start with EARSHOT_PLAIN_CREDENTIALS=1.',
    })
    expect(store.notices().join(' ')).toMatch(/no encrypted storage/)
    const refused = store.set('a', { accessToken: TOKEN })
    await expect(refused).rejects.toBeInstanceOf(CredentialStoreError)
    await expect(refused).rejects.toThrow(/EARSHOT_PLAIN_CREDENTIALS=1/)
    expect(store.state('a')).toBe('missing')
    await expect(stat(path())).rejects.toThrow()

    const optedIn = await openCredentialStore({
      dataDir: dir,
      cipher,
      allowPlainText: true,
      logger: silentLogger,
    })
    await optedIn.set('a', { accessToken: TOKEN })
    expect(await modeOf(path())).toBe(0o600)
    expect(optedIn.notices().join(' ')).toMatch(/readable only by your user account/)
    // Once the keyring is back, the next write encrypts what was plain.
    cipher.setAvailable(true)
    const later = await openCredentialStore({ dataDir: dir, cipher, logger: silentLogger })
    expect(later.get('a')).toEqual({ accessToken: TOKEN })
    await later.set('b', { accessToken: 'another-one' })
    expect(await readFile(path(), 'utf8')).not.toContain(TOKEN)
  })

  it('encrypted entries are unreadable while the keyring is away', async () => {
    const cipher = fakeCipher()
    const store = await openCredentialStore({ dataDir: dir, cipher, logger: silentLogger })
    await store.set('a', { accessToken: TOKEN })
    cipher.setAvailable(false)
    const away = await openCredentialStore({ dataDir: dir, cipher, logger: silentLogger })
    expect(away.state('a')).toBe('unreadable')
  })
})
