import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../../src/main/journal/config'

let dir: string
const now = () => Date.parse('2026-11-23T10:00:00Z')

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-config-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const profile = {
  brand: 'Acme',
  handles: [{ platform: 'mastodon' as const, handle: '@acme@mastodon.social' }],
  products: ['Acme Cloud'],
  competitors: ['Globex'],
  excluded: ['acme anvils'],
}

describe('config files', () => {
  it('starts a new install with no profile and the Demo source', async () => {
    const config = await loadConfig(dir, now)
    expect(config.profile).toBeNull()
    expect(config.sources.map((s) => s.kind)).toEqual(['demo'])
    expect(config.problems).toEqual([])
  })

  it('saves atomically and reads back what was saved', async () => {
    const config = await loadConfig(dir, now)
    await config.saveProfile(profile)
    await config.saveSources([])
    const again = await loadConfig(dir, now)
    expect(again.profile).toEqual(profile)
    expect(again.sources).toEqual([])
    // no temp files left behind, and only the owner can read the settings
    expect((await readdir(dir)).sort()).toEqual(['profile.json', 'sources.json'])
    expect((await stat(join(dir, 'profile.json'))).mode & 0o077).toBe(0)
  })

  it('keeps a hand-broken file as a backup and explains, instead of crashing', async () => {
    await writeFile(join(dir, 'sources.json'), '{"version":1,"sources":[{"id":"x",}]}')
    const config = await loadConfig(dir, now)
    expect(config.sources.map((s) => s.kind)).toEqual(['demo'])
    expect(config.problems).toHaveLength(1)
    expect(config.problems[0]).toMatch(
      /^sources\.json could not be read \(.+\)\. It was kept as sources\.json\.corrupt-2026-11-23T10-00-00-000Z/,
    )
    const backup = await readFile(
      join(dir, 'sources.json.corrupt-2026-11-23T10-00-00-000Z'),
      'utf8',
    )
    expect(backup).toContain('"id":"x"')
  })

  it('refuses a file that parses but breaks the schema, naming the field', async () => {
    await writeFile(
      join(dir, 'profile.json'),
      JSON.stringify({ version: 1, profile: { ...profile, brand: '' } }),
    )
    const config = await loadConfig(dir, now)
    expect(config.profile).toBeNull()
    expect(config.problems[0]).toMatch(/profile\.brand: The brand name is required/)
  })
})
