import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createCore } from '../../../../src/main/core'
import { silentLogger } from '../../../../src/main/log'
import type { Core } from '../../../../src/main/ports'
import { defaultNotificationPolicy } from '../../../../src/shared/alert-policy'
import { dispatchCall } from '../../../../src/shared/contract'
import type { Alert, BrandProfile } from '../../../../src/shared/domain'
import { startFeedServer, type FeedServer } from '../../../fixtures/feed-server'

const profile: BrandProfile = {
  brand: 'Acme',
  handles: [],
  products: [],
  competitors: [],
  excluded: [],
}

const feed = `<?xml version="1.0"?><rss version="2.0"><channel><title>Forum</title>
<item><guid>a1</guid><title>Double charge</title><link>https://forum.example/a1</link>
<description>@acme I was charged twice and still no refund. This is the worst service, I am calling my lawyer.</description></item>
<item><guid>a2</guid><title>Nice</title><link>https://forum.example/a2</link>
<description>Tried Acme at the weekend, it was fine.</description></item>
</channel></rss>`

let dir: string
let server: FeedServer
let core: Core
let alerts: Alert[]

const start = async () => {
  core = createCore({
    host: 'web',
    version: '0.1.0',
    dataDir: dir,
    logger: silentLogger,
    emit: () => undefined,
    notify: (alert) => void alerts.push(alert),
    openExternal: () => Promise.resolve(),
    setUnhandled: () => undefined,
  })
  await core.start()
}
const call = (name: string, input: unknown) => dispatchCall(core.handlers, name, input)
const feedAlerts = () => alerts.filter((alert) => !alert.mentionId.startsWith('demo:'))

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-core-alerts-'))
  server = await startFeedServer({
    '/forum.xml': { headers: { 'content-type': 'application/rss+xml' }, body: feed },
  })
  alerts = []
})
afterEach(async () => {
  await core.stop()
  await server.close()
  await rm(dir, { recursive: true, force: true })
})

describe('core alerts', () => {
  it('routes a polled batch through the saved policy: one line, who, where, why', async () => {
    await start()
    await call('profile:save', { profile })
    const added = await call('sources:add', {
      source: { kind: 'rss', url: server.url('/forum.xml'), name: 'Forum' },
    })
    expect(added.ok).toBe(true)
    await vi.waitFor(() => expect(feedAlerts()).toHaveLength(1), { timeout: 10_000 })
    const [alert] = feedAlerts()
    expect(alert?.kind).toBe('mention')
    expect(alert?.mentionId).toMatch(/#a1$/)
    expect(alert?.title).toMatch(/^Forum on forum\.example: legal threat, /)
    expect(alert?.body).toMatch(/^‘@acme I was charged twice/)
    expect(await call('alerts:acknowledge', { mentionId: alert?.mentionId })).toEqual({
      ok: true,
      value: {},
    })
  })

  it('sends a reminder from the page through the same notifier, and says when it is held', async () => {
    await start()
    const reminder = { mentionId: 'rss:x#1', title: 'Follow up with PR', body: 'Ana: refund?' }
    expect(await call('alerts:remind', reminder)).toEqual({ ok: true, value: { notified: true } })
    expect(alerts).toEqual([reminder])
    await call('alerts:savePolicy', { policy: { ...defaultNotificationPolicy(), enabled: false } })
    expect(await call('alerts:remind', reminder)).toEqual({ ok: true, value: { notified: false } })
    expect(alerts).toHaveLength(1)
    // Anything else from the page is refused at the boundary.
    expect((await call('alerts:remind', { ...reminder, kind: 'spike' })).ok).toBe(false)
  })

  it('notifies nothing once the responder switched notifications off', async () => {
    await start()
    await call('profile:save', { profile })
    const policy = { ...defaultNotificationPolicy(), enabled: false }
    expect(await call('alerts:savePolicy', { policy })).toEqual({ ok: true, value: policy })
    expect(await call('alerts:getPolicy', {})).toEqual({ ok: true, value: policy })
    await call('sources:add', {
      source: { kind: 'rss', url: server.url('/forum.xml'), name: 'Forum' },
    })
    // One fetch checks the feed when it is added, the next is the poll that journals it.
    await vi.waitFor(() => expect(server.count('/forum.xml')).toBeGreaterThanOrEqual(2), {
      timeout: 10_000,
    })
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(feedAlerts()).toEqual([])
  })

  it('reports a broken alerts.json among the config problems and starts with defaults', async () => {
    await writeFile(join(dir, 'alerts.json'), 'not json')
    await start()
    const info = await call('app:info', {})
    expect(info.ok && (info.value as { configProblems: string[] }).configProblems).toEqual([
      expect.stringMatching(/^alerts\.json could not be read/),
    ])
    expect(await call('alerts:getPolicy', {})).toEqual({
      ok: true,
      value: defaultNotificationPolicy(),
    })
  })
})
