import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createCore } from '../../../src/main/core'
import { silentLogger } from '../../../src/main/log'
import type { Core } from '../../../src/main/ports'
import type { EventName, EventPayload } from '../../../src/shared/contract'
import { dispatchCall } from '../../../src/shared/contract'
import type { Alert, Batch, BrandProfile, Mention } from '../../../src/shared/domain'
import type { RoutingSettings } from '../../../src/shared/routing'
import { startFeedServer, type FeedServer } from '../../fixtures/feed-server'

/* Core with routing: every polled mention is routed by the saved rules before it is journaled. */

const profile: BrandProfile = {
  brand: 'Acme',
  handles: [],
  products: [],
  competitors: [],
  excluded: [],
}

const feed = `<?xml version="1.0"?><rss version="2.0"><channel><title>Forum</title>
<item><guid>legal</guid><title>Acme</title><link>https://forum.example/legal</link>
<description>Acme lost my order again. My lawyer will be in touch on Monday.</description></item>
<item><guid>idea</guid><title>Suggestion</title><link>https://forum.example/idea</link>
<description>Acme, you should add dark mode to the app.</description></item>
<item><guid>plain</guid><title>Meetup</title><link>https://forum.example/plain</link>
<description>Anyone going to the Acme meetup on Thursday</description></item>
</channel></rss>`

let dir: string
let server: FeedServer
let core: Core
const events: { name: EventName; payload: unknown }[] = []
const alerts: Alert[] = []

const start = async () => {
  core = createCore({
    host: 'web',
    version: '0.1.0',
    dataDir: dir,
    logger: silentLogger,
    emit: <E extends EventName>(name: E, payload: EventPayload<E>) =>
      void events.push({ name, payload }),
    notify: (alert) => void alerts.push(alert),
    openExternal: () => Promise.resolve(),
    setUnhandled: () => {},
  })
  await core.start()
}
const call = (name: string, input: unknown) => dispatchCall(core.handlers, name, input)
const forumMentions = (): Mention[] =>
  events
    .filter((e) => e.name === 'mentions:batch')
    .flatMap((e) => (e.payload as Batch).mentions)
    .filter((m) => m.id.startsWith('rss:'))
const byGuid = (guid: string) => forumMentions().find((m) => m.id.endsWith(`#${guid}`))

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-core-routing-'))
  server = await startFeedServer({
    '/forum.xml': { headers: { 'content-type': 'application/rss+xml' }, body: feed },
  })
  events.length = 0
  alerts.length = 0
})
afterEach(async () => {
  await core.stop()
  await server.close()
  await rm(dir, { recursive: true, force: true })
})

async function pollForum() {
  await call('profile:save', { profile })
  const added = await call('sources:add', {
    source: { kind: 'rss', url: server.url('/forum.xml') },
  })
  expect(added.ok).toBe(true)
  await vi.waitFor(() => expect(forumMentions()).toHaveLength(3), { timeout: 10_000 })
}

describe('core routing', () => {
  it('routes every polled mention with the default rules before it is journaled', async () => {
    await start()
    await pollForum()
    expect(byGuid('legal')?.triage.route).toEqual({
      department: 'pr',
      departments: ['pr', 'executives'],
      notify: true,
      rules: ['Crisis words'],
    })
    expect(byGuid('idea')?.triage.route).toEqual({ department: 'product', rules: ['Ideas'] })
    expect(byGuid('plain')?.triage.route).toBeUndefined()
    // what the renderer catches up on after a restart carries the same routes
    await core.stop()
    await start()
    const pending = await call('delivery:pending', { afterSeq: 0 })
    const replayed = pending.ok
      ? (pending.value as { batches: Batch[] }).batches.flatMap((b) => b.mentions)
      : []
    expect(replayed.find((m) => m.id.endsWith('#legal'))?.triage.route?.department).toBe('pr')
  })

  it('routes by the rules the responder saved, and a rule can make a mention urgent', async () => {
    await start()
    const saved: RoutingSettings = {
      departments: [{ id: 'events', name: 'Events team', followUpHours: 24 }],
      rules: [
        {
          id: 'meetups',
          name: 'Meetups',
          enabled: true,
          conditions: { words: ['meetup'], sources: ['rss'] },
          actions: { department: 'events', setUrgency: 85 },
        },
      ],
    }
    expect(await call('routing:save', saved)).toEqual({ ok: true, value: saved })
    await pollForum()
    const plain = byGuid('plain')
    expect(plain?.triage.route).toEqual({ department: 'events', rules: ['Meetups'] })
    expect(plain?.triage.urgency).toBe(85)
    expect(plain?.triage.reasons[0]).toMatchObject({ code: 'rule:Meetups', label: 'Rule: Meetups' })
    // the urgency a rule set is what the notification policy saw
    expect(alerts.map((a) => a.mentionId)).toContain(plain?.id)
    expect(byGuid('legal')?.triage.route).toBeUndefined()
  })

  it('starts with the default rules when rules.json is corrupt, and says so in app:info', async () => {
    await writeFile(join(dir, 'rules.json'), 'not json')
    await start()
    const info = await call('app:info', {})
    expect(info.ok && (info.value as { configProblems: string[] }).configProblems).toEqual([
      expect.stringMatching(/^rules\.json could not be read/),
    ])
    const routing = await call('routing:get', {})
    expect(routing.ok && (routing.value as RoutingSettings).rules[0]?.name).toBe('Crisis words')
  })
})
