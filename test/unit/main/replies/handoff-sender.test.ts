import { createServer } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { createHandoffSender } from '../../../../src/main/replies/handoff-sender'
import { createHttpClient, userAgent } from '../../../../src/main/sources/http'
import type { Logger } from '../../../../src/main/log'
import type { RoutingSettings } from '../../../../src/shared/routing'
import { listenOnLoopback } from '../../../fixtures/loopback'

const packet = {
  summary: 'Complaint from Erin on mastodon, urgency 85/100: refund',
  words: 'my refund never came',
  history: ['No earlier mentions by this author.'],
  links: ['https://mastodon.example/@erin/9'],
  reasons: ['Refund'],
  note: 'Call today',
}

let close: (() => Promise<void>) | null = null
afterEach(async () => {
  await close?.()
  close = null
})

function recordingLogger() {
  const lines: string[] = []
  const log = (message: string, fields?: Record<string, unknown>) =>
    lines.push(`${message} ${JSON.stringify(fields ?? {})}`)
  const logger: Logger = { debug: log, info: log, warn: log, error: log }
  return { logger, lines }
}

async function webhook(status = 200) {
  const received: { path: string; type: string | undefined; body: unknown }[] = []
  const server = createServer((req, res) => {
    let raw = ''
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')))
    req.on('end', () => {
      received.push({
        path: req.url ?? '',
        type: req.headers['content-type'],
        body: JSON.parse(raw),
      })
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'no_team')
    })
  })
  const listening = await listenOnLoopback(server)
  close = listening.close
  return { origin: listening.origin, received }
}

const settings = (webhookUrl?: string): RoutingSettings => ({
  rules: [],
  departments: [{ id: 'pr', name: 'PR', followUpHours: 4, ...(webhookUrl ? { webhookUrl } : {}) }],
})

const http = createHttpClient({ userAgent: userAgent('t'), timeoutMs: 3_000 })

describe('handoff:send', () => {
  it('POSTs the packet as Slack JSON to the webhook, logging only its host', async () => {
    const hook = await webhook()
    const secretPath = '/services/T000/B000/XXXXSECRETXXXX'
    const { logger, lines } = recordingLogger()
    const sender = createHandoffSender({
      http,
      logger,
      routing: async () => settings(hook.origin + secretPath),
    })
    const result = await sender['handoff:send']({ departmentId: 'pr', packet })
    expect(result).toEqual({ ok: true, value: { delivered: true, status: 200 } })
    expect(hook.received).toHaveLength(1)
    expect(hook.received[0]?.path).toBe(secretPath)
    expect(hook.received[0]?.type).toBe('application/json')
    const body = hook.received[0]?.body as { text: string; blocks: unknown[] }
    expect(body.text).toContain('> my refund never came')
    expect(body.text).toContain('Call today')
    expect(body.blocks.length).toBeGreaterThan(2)
    expect(lines.join('\n')).not.toContain('SECRET')
    expect(lines.join('\n')).toContain(new URL(hook.origin).host)
  })

  it('says a refused delivery, and an unreachable webhook without its path', async () => {
    const hook = await webhook(404)
    const { logger, lines } = recordingLogger()
    const refused = createHandoffSender({
      http,
      logger,
      routing: async () => settings(`${hook.origin}/hooks/SECRET`),
    })
    expect(await refused['handoff:send']({ departmentId: 'pr', packet })).toEqual({
      ok: true,
      value: { delivered: false, status: 404 },
    })
    await close?.()
    close = null
    const gone = await refused['handoff:send']({ departmentId: 'pr', packet })
    expect(gone.ok).toBe(false)
    expect(!gone.ok && gone.error.message).toMatch(
      /PR's webhook at 127\.0\.0\.1:\d+ could not be reached/,
    )
    expect(!gone.ok && gone.error.message).not.toContain('SECRET')
    expect(lines.join('\n')).not.toContain('SECRET')
  })

  it('refuses a department without a webhook, or one that does not exist', async () => {
    const sender = createHandoffSender({
      http,
      logger: recordingLogger().logger,
      routing: async () => settings(),
    })
    const none = await sender['handoff:send']({ departmentId: 'pr', packet })
    expect(!none.ok && none.error.message).toBe('PR has no webhook: e-mail or copy the hand-off')
    const missing = await sender['handoff:send']({ departmentId: 'legal', packet })
    expect(!missing.ok && missing.error.code).toBe('not-found')
  })
})
