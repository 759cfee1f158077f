import { readdir, readFile } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import { describe, expect, it } from 'vitest'

/* Checks over the source text for rules a unit test of one function cannot see. */

const root = join(import.meta.dirname, '../../../..')

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(join(root, dir), { withFileTypes: true, recursive: true })
  return entries
    .filter((entry) => entry.isFile() && /\.(ts|tsx)$/.test(entry.name))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'))
}

async function filesMatching(pattern: RegExp): Promise<string[]> {
  const found: string[] = []
  for (const file of await sources('src')) {
    if (pattern.test(await readFile(join(root, file), 'utf8'))) found.push(file)
  }
  return found.sort()
}

describe('the Electron shell', () => {
  it('creates windows in exactly one place', async () => {
    expect(await filesMatching(/new BrowserWindow\(/)).toEqual(['src/main/electron/window.ts'])
  })

  it('never loads the page from file://', async () => {
    expect(await filesMatching(/loadFile\(|['"`]file:\/\//)).toEqual([])
  })

  it('never turns a security switch off by hand', async () => {
    expect(
      await filesMatching(
        /(contextIsolation|sandbox|webSecurity)\s*:\s*false|(nodeIntegration\w*|webviewTag|allowRunningInsecureContent|experimentalFeatures)\s*:\s*true/,
      ),
    ).toEqual([])
  })

  it('exposes one thing to the page, the contract client', async () => {
    const preload = await readFile(join(root, 'src/preload/index.ts'), 'utf8')
    expect(preload.match(/exposeInMainWorld\(/g)).toHaveLength(1)
    expect(preload).toContain("exposeInMainWorld('earshot', createBridge(ipcRenderer))")
  })
})
