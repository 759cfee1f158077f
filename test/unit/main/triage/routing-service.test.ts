import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createLogger } from '../../../../src/main/log'
import {
  createRoutingService,
  type RoutingService,
} from '../../../../src/main/triage/routing-service'
import { calls, dispatchCall, type CallHandlers } from '../../../../src/shared/contract'
import type { RoutingSettings } from '../../../../src/shared/routing'

let dir: string
let routing: RoutingService
const lines: string[] = []

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-routing-service-'))
  lines.length = 0
  routing = createRoutingService({
    dataDir: dir,
    now: () => Date.parse('2026-11-23T10:00:00Z'),
    logger: createLogger('debug', (line) => void lines.push(line)),
  })
  await routing.start()
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** The routing calls through the contract, as a host dispatches them. */
const call = (name: string, input: unknown) =>
  dispatchCall(routing.handlers as unknown as CallHandlers, name, input)

const settings: RoutingSettings = {
  departments: [
    {
      id: 'pr',
      name: 'PR',
      webhookUrl: 'https://hooks.slack.example/services/T000/B000/XXXXSECRETXXXX',
      followUpHours: 4,
    },
  ],
  rules: [
    {
      id: 'press',
      name: 'Press',
      enabled: true,
      conditions: { words: ['journalist', 'reporter'] },
      actions: { department: 'pr' },
    },
  ],
}

describe('routing calls', () => {
  it('answers the defaults, then what was saved, also after a restart', async () => {
    const first = await call('routing:get', {})
    expect(first.ok && (first.value as RoutingSettings).rules).toHaveLength(4)
    expect(await call('routing:save', settings)).toEqual({ ok: true, value: settings })
    expect(await call('routing:get', {})).toEqual({ ok: true, value: settings })
    const again = createRoutingService({
      dataDir: dir,
      now: Date.now,
      logger: createLogger('error', () => {}),
    })
    await again.start()
    expect(await again.handlers['routing:get']({})).toEqual({ ok: true, value: settings })
  })

  it('refuses a rule that routes to an unknown department, in words, and keeps the old rules', async () => {
    const bad = {
      ...settings,
      rules: [{ ...settings.rules[0]!, actions: { department: 'legal' } }],
    }
    expect(await call('routing:save', bad)).toEqual({
      ok: false,
      error: {
        code: 'invalid-input',
        message: 'The rule “Press” routes to a department that does not exist (legal)',
      },
    })
    const kept = await call('routing:get', {})
    expect(kept.ok && (kept.value as RoutingSettings).rules[0]?.name).toBe('Crisis words')
  })

  it('refuses repeated ids and names', async () => {
    const twice = { ...settings, rules: [settings.rules[0]!, settings.rules[0]!] }
    const result = await call('routing:save', twice)
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    expect(!result.ok && result.error.message).toBe(
      'Two rules share the id “press”. Two rules are called “Press”',
    )
    const departments = [settings.departments[0]!, { ...settings.departments[0]!, id: 'pr-2' }]
    expect(await call('routing:save', { ...settings, departments })).toMatchObject({
      ok: false,
      error: { message: 'Two departments are called “PR”' },
    })
  })

  it('refuses a webhook that is not http(s), and unknown fields, before any handler runs', async () => {
    for (const webhookUrl of ['javascript:alert(1)', 'file:///etc/passwd', 'ftp://x.example/']) {
      const input = { ...settings, departments: [{ ...settings.departments[0]!, webhookUrl }] }
      const result = await call('routing:save', input)
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
      expect(!result.ok && result.error.message).toMatch(/at departments\.0\.webhookUrl/)
    }
    expect(await call('routing:save', { ...settings, extra: 1 })).toMatchObject({ ok: false })
    expect(calls['routing:save'].input.safeParse({ ...settings, rules: [{}] }).success).toBe(false)
  })

  it('logs a save without the webhook address in full', async () => {
    await call('routing:save', settings)
    const log = lines.join('\n')
    expect(log).toContain('routing saved')
    expect(log).toContain('hooks.slack.example')
    expect(log).not.toContain('XXXXSECRETXXXX')
  })
})
