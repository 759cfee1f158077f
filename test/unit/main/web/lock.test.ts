import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defaultDataDir } from '../../../../src/main/web/data-dir'
import { lockDataDir, sessionToken } from '../../../../src/main/web/lock'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-lock-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('one web host per data folder', () => {
  it('refuses a second host while the first runs, and allows one after it stops', async () => {
    await writeFile(join(dir, 'web-host.lock'), String(process.ppid)) // a live process
    await expect(lockDataDir(dir)).rejects.toThrow(/already running .*process/)
    await rm(join(dir, 'web-host.lock'))
    const unlock = await lockDataDir(dir)
    expect(await readFile(join(dir, 'web-host.lock'), 'utf8')).toBe(String(process.pid))
    await unlock()
    await expect(stat(join(dir, 'web-host.lock'))).rejects.toThrow()
  })

  it('takes over a stale lock left by a crash', async () => {
    await writeFile(join(dir, 'web-host.lock'), '999999999')
    const unlock = await lockDataDir(dir)
    await unlock()
  })

  it('keeps one session token per folder, readable by its owner only', async () => {
    const path = join(dir, 'web-token')
    const token = await sessionToken(path)
    expect(token).toMatch(/^[\w-]{43}$/)
    expect(await sessionToken(path)).toBe(token)
    expect((await stat(path)).mode & 0o077).toBe(0)
    await writeFile(path, 'short')
    expect(await sessionToken(path)).not.toBe('short')
  })

  it('uses the platform per-user data folder by default', () => {
    expect(defaultDataDir('linux', {}, '/home/ana')).toBe('/home/ana/.local/share/earshot-web')
    expect(defaultDataDir('linux', { XDG_DATA_HOME: '/data' }, '/home/ana')).toBe(
      '/data/earshot-web',
    )
    expect(defaultDataDir('darwin', {}, '/Users/ana')).toBe(
      '/Users/ana/Library/Application Support/Earshot Web',
    )
    expect(
      defaultDataDir('win32', { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, 'C:\\Users\\ana'),
    ).toMatch(/Earshot Web$/)
  })
})
