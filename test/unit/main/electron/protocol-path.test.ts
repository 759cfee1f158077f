import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resolveAppPath } from '../../../../src/main/electron/protocol-path'

let base: string
let root: string

beforeAll(async () => {
  // Real paths, so comparisons hold where the temp dir itself is behind a symlink (macOS /var).
  base = await realpath(await mkdtemp(join(tmpdir(), 'earshot-protocol-')))
  root = join(base, 'renderer')
  await mkdir(join(root, 'assets'), { recursive: true })
  await writeFile(join(root, 'index.html'), '<!doctype html>')
  await writeFile(join(root, 'assets', 'index-abc.js'), 'export {}')
  await writeFile(join(root, 'assets', 'index-abc.css'), 'body{}')
  await writeFile(join(root, 'assets', 'a b.svg'), '<svg/>')
  await writeFile(join(root, '.env'), 'SECRET=1')
  await writeFile(join(base, 'secret.txt'), 'outside the bundle')
  await writeFile(join(base, 'secret.js'), 'outside the bundle')
  await symlink(join(base, 'secret.js'), join(root, 'assets', 'escape.js'))
  await symlink(base, join(root, 'up'))
  await symlink(join(root, 'assets', 'index-abc.js'), join(root, 'assets', 'alias.js'))
})

afterAll(async () => {
  await rm(base, { recursive: true, force: true })
})

describe('resolveAppPath', () => {
  it.each([
    ['app://earshot/', 'index.html', 'text/html; charset=utf-8'],
    ['app://earshot', 'index.html', 'text/html; charset=utf-8'],
    ['app://earshot/index.html', 'index.html', 'text/html; charset=utf-8'],
    ['app://earshot/index.html?x=1#top', 'index.html', 'text/html; charset=utf-8'],
    ['app://earshot/assets/index-abc.js', 'assets/index-abc.js', 'text/javascript; charset=utf-8'],
    ['app://earshot/assets/index-abc.css', 'assets/index-abc.css', 'text/css; charset=utf-8'],
    ['app://earshot/assets/a%20b.svg', 'assets/a b.svg', 'image/svg+xml'],
    [
      'app://earshot//assets//index-abc.js',
      'assets/index-abc.js',
      'text/javascript; charset=utf-8',
    ],
    ['app://EARSHOT/index.html', 'index.html', 'text/html; charset=utf-8'],
  ])('serves %s', async (url, file, mime) => {
    expect(await resolveAppPath(root, url)).toEqual({ ok: true, path: join(root, file), mime })
  })

  it('serves a symlink that stays inside the bundle as its target', async () => {
    expect(await resolveAppPath(root, 'app://earshot/assets/alias.js')).toEqual({
      ok: true,
      path: join(root, 'assets', 'index-abc.js'),
      mime: 'text/javascript; charset=utf-8',
    })
  })

  it.each([
    ['app://earshot/assets/escape.js', 'symlink to a file outside'],
    ['app://earshot/up/secret.txt', 'symlinked directory outside'],
    ['app://earshot/../secret.txt', 'dot-dot past the root'],
    ['app://earshot/assets/../../../secret.js', 'many dot-dots'],
    ['app://earshot/assets/../index.html', 'dot-dot that stays inside'],
    ['app://earshot/./index.html', 'single dot'],
    ['app://earshot/%2e%2e/secret.txt', 'encoded dot-dot at the root'],
    ['app://earshot/.%2E/secret.txt', 'half-encoded dot-dot'],
    ['app://earshot/%2e/index.html', 'encoded single dot'],
    ['app://earshot/assets/%2E%2E/%2E%2E/secret.txt', 'upper-case encoded dot-dot'],
    ['app://earshot/..%2fsecret.txt', 'dot-dot with an encoded slash'],
    ['app://earshot/assets%2f..%2f..%2fsecret.txt', 'encoded slashes'],
    ['app://earshot/..%5csecret.txt', 'encoded backslash'],
    ['app://earshot/assets\\..\\..\\secret.txt', 'raw backslashes'],
    ['app://earshot/%2fetc%2fpasswd', 'encoded absolute path'],
    ['app://earshot/C:%5cWindows%5cwin.ini', 'drive letter'],
    ['app://earshot/index.html%00.png', 'encoded NUL'],
    ['app://earshot/index.html\u0000.png', 'raw NUL'],
    ['app://earshot/index\n.html', 'raw newline'],
    ['app://earshot/.env', 'dotfile'],
    ['app://earshot/%2eenv', 'encoded dotfile'],
    ['app://earshot/%E0%A4%A.js', 'malformed percent-encoding'],
    ['app://evil/index.html', 'another host'],
    ['app://earshot.evil.example/index.html', 'a host that starts like ours'],
    ['app://earshot:8080/index.html', 'a port'],
    ['app://user:pw@earshot/index.html', 'credentials'],
    ['https://earshot/index.html', 'another scheme'],
    ['file:///etc/passwd', 'file'],
    ['not a url', 'garbage'],
    [`app://earshot/${'a/'.repeat(3000)}x.js`, 'absurdly long'],
  ])('refuses %s (%s) with 403', async (url) => {
    expect(await resolveAppPath(root, url)).toEqual({ ok: false, status: 403 })
  })

  it.each([
    ['app://earshot/missing.js', 'a missing file'],
    ['app://earshot/assets', 'a directory'],
    ['app://earshot/assets/', 'a directory with a slash'],
    ['app://earshot/secret', 'no extension'],
    ['app://earshot/index.exe', 'an unknown type'],
  ])('answers %s (%s) with 404', async (url) => {
    expect(await resolveAppPath(root, url)).toEqual({ ok: false, status: 404 })
  })

  it('never resolves outside the root, whatever realpath claims', async () => {
    const lying = (path: string) => Promise.resolve(path === root ? root : join(base, 'secret.js'))
    expect(await resolveAppPath(root, 'app://earshot/index.js', lying)).toEqual({
      ok: false,
      status: 403,
    })
  })

  it('answers 404 when the bundle root itself is missing', async () => {
    expect(await resolveAppPath(join(base, 'nope'), 'app://earshot/index.html')).toEqual({
      ok: false,
      status: 404,
    })
  })

  it('never throws on odd input', async () => {
    for (const value of [undefined, null, 42, {}, '', 'app:', 'app://', 'app:///index.html']) {
      const result = await resolveAppPath(root, value as string)
      expect(result.ok).toBe(false)
    }
  })
})
