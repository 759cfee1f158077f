import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadRoutingFile } from '../../../../src/main/journal/routing-file'
import { defaultRules } from '../../../../src/main/triage/routing'
import { DEFAULT_DEPARTMENTS, type RoutingSettings } from '../../../../src/shared/routing'

let dir: string
const now = () => Date.parse('2026-11-23T10:00:00Z')

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-routing-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const edited: RoutingSettings = {
  departments: [
    { id: 'support', name: 'Support', email: 'help@acme.example', followUpHours: 8 },
    {
      id: 'pr',
      name: 'PR',
      webhookUrl: 'https://hooks.slack.example/services/T0/B0/secret',
      followUpHours: 2,
    },
  ],
  rules: [
    {
      id: 'outage',
      name: 'Outage',
      enabled: true,
      conditions: { words: ['down', 'outage'], directed: true },
      actions: { department: 'support', alsoTo: ['pr'], setUrgency: 90 },
      stopAfter: true,
    },
  ],
}

describe('routing files', () => {
  it('starts a new install with the default rules and departments, writing nothing', async () => {
    const file = await loadRoutingFile(dir, now)
    expect(file.settings.rules.map((r) => r.name)).toEqual([
      'Crisis words',
      'Complaints',
      'Ideas',
      'Praise',
    ])
    expect(file.settings.departments.map((d) => d.name)).toEqual([
      'Customer service',
      'Product',
      'PR',
      'Marketing',
      'Executives',
    ])
    expect(file.problems).toEqual([])
    expect(await readdir(dir)).toEqual([])
  })

  it('saves both files atomically and reads back what was saved', async () => {
    const file = await loadRoutingFile(dir, now)
    await file.save(edited)
    expect(file.settings).toBe(edited)
    expect((await readdir(dir)).sort()).toEqual(['departments.json', 'rules.json'])
    const again = await loadRoutingFile(dir, now)
    expect(again.settings).toEqual(edited)
    expect(again.problems).toEqual([])
    expect(JSON.parse(await readFile(join(dir, 'rules.json'), 'utf8'))).toMatchObject({
      version: 1,
    })
  })

  it('keeps a corrupt rules file aside and starts with the default rules, saying so', async () => {
    await writeFile(join(dir, 'rules.json'), '{"version":1,"rules":[{"id":"x",')
    const file = await loadRoutingFile(dir, now)
    expect(file.settings.rules).toEqual(defaultRules())
    expect(file.problems).toHaveLength(1)
    expect(file.problems[0]).toMatch(
      /^rules\.json could not be read \(.+\)\. It was kept as rules\.json\.corrupt-2026-11-23T10-00-00-000Z and Earshot started with defaults\.$/,
    )
    expect(await readdir(dir)).toContain('rules.json.corrupt-2026-11-23T10-00-00-000Z')
  })

  it('refuses a departments file with a webhook that is not http(s), naming the field', async () => {
    await writeFile(
      join(dir, 'departments.json'),
      JSON.stringify({
        version: 1,
        departments: [{ id: 'pr', name: 'PR', webhookUrl: 'file:///etc/passwd', followUpHours: 4 }],
      }),
    )
    const file = await loadRoutingFile(dir, now)
    expect(file.settings.departments).toEqual(DEFAULT_DEPARTMENTS)
    expect(file.problems[0]).toMatch(/departments\.0\.webhookUrl: Enter a full http/)
  })

  it('says when the rules name a department the departments file lacks, and keeps both', async () => {
    await writeFile(
      join(dir, 'departments.json'),
      JSON.stringify({ version: 1, departments: [edited.departments[0]] }),
    )
    await writeFile(join(dir, 'rules.json'), JSON.stringify({ version: 1, rules: edited.rules }))
    const file = await loadRoutingFile(dir, now)
    expect(file.settings.rules).toEqual(edited.rules)
    expect(file.problems).toEqual([
      'Routing settings: The rule “Outage” routes to a department that does not exist (pr). Check the Routing screen.',
    ])
  })
})
