import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { WebSocket } from 'ws'
import type { CallHandlers } from '../../../../src/shared/contract'
import { ok } from '../../../../src/shared/result'
import { silentLogger } from '../../../../src/main/log'
import { startWebHost, type WebHost } from '../../../../src/main/web/server'

let dir: string
let host: WebHost
const setUnhandled = vi.fn()

const handlers = {
  'alerts:setUnhandled': async ({ count }: { count: number }) => {
    setUnhandled(count)
    return ok({})
  },
} as unknown as CallHandlers

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-web-'))
  const root = join(dir, 'renderer')
  await mkdir(join(root, 'assets'), { recursive: true })
  await writeFile(
    join(root, 'index.html'),
    '<!doctype html><html><head><title>E</title></head><body></body></html>',
  )
  await writeFile(join(root, 'assets', 'app.js'), 'export {}')
  await writeFile(join(dir, 'secret.txt'), 'outside')
  await symlink(join(dir, 'secret.txt'), join(root, 'assets', 'link.txt'))
  host = await startWebHost({
    port: 0,
    rendererDir: root,
    handlers,
    logger: silentLogger,
    token: 'T0KEN',
  })
})
afterAll(async () => {
  await host.close()
  await rm(dir, { recursive: true, force: true })
})

type Reply = {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}
const get = (path: string, headers: Record<string, string> = {}): Promise<Reply> =>
  new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: host.port,
        path,
        headers: { host: `127.0.0.1:${host.port}`, ...headers },
      },
      (res) => {
        let body = ''
        res.on('data', (c: Buffer) => (body += c.toString()))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      },
    )
    req.on('error', reject)
    req.end()
  })

const connect = (opts: { token?: string; origin?: string; host?: string }) =>
  new Promise<{ ws: WebSocket } | { status: number }>((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${opts.token ?? 'T0KEN'}`, {
      origin: opts.origin ?? `http://127.0.0.1:${host.port}`,
      headers: opts.host ? { host: opts.host } : {},
    })
    ws.on('open', () => resolve({ ws }))
    ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }))
    ws.on('error', () => undefined)
  })

describe('web host', () => {
  it('listens on 127.0.0.1 only and prints that address', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/`)
  })

  it('serves the page with the session token and the strict CSP', async () => {
    const page = await get('/')
    expect(page.status).toBe(200)
    expect(page.body).toContain('<meta name="earshot-token" content="T0KEN" />')
    const csp = String(page.headers['content-security-policy'])
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain(`connect-src ws://127.0.0.1:${host.port}`)
    expect(csp).not.toMatch(/unsafe-(inline|eval)/)
  })

  it.each([
    ['/../secret.txt', 403],
    ['/%2e%2e/secret.txt', 403],
    ['/assets/..%2f..%2fsecret.txt', 403],
    ['/assets%5c..%5c..%5csecret.txt', 403],
    ['/assets/link.txt', 403],
    ['/index.html%00.js', 403],
    ['/nope.js', 404],
  ])('refuses %s with %i', async (path, status) => {
    expect((await get(path)).status).toBe(status)
  })

  it('refuses a request for another Host name (DNS rebinding)', async () => {
    expect((await get('/', { host: 'evil.example:80' })).status).toBe(421)
  })

  it('refuses a socket without the token, from a foreign origin, or for another host', async () => {
    expect(await connect({ token: 'wrong' })).toEqual({ status: 401 })
    expect(await connect({ origin: 'https://evil.example' })).toEqual({ status: 403 })
    expect(await connect({ host: 'evil.example' })).toEqual({ status: 421 })
  })

  it('answers contract calls and rejects hostile payloads without calling the handler', async () => {
    const opened = await connect({})
    if (!('ws' in opened)) throw new Error('socket refused')
    const { ws } = opened
    const replies: unknown[] = []
    ws.on('message', (data: Buffer) => replies.push(JSON.parse(data.toString()) as unknown))
    ws.send(
      JSON.stringify({ type: 'call', id: 1, name: 'alerts:setUnhandled', input: { count: 3 } }),
    )
    ws.send(
      JSON.stringify({ type: 'call', id: 2, name: 'alerts:setUnhandled', input: { count: -1 } }),
    )
    ws.send(JSON.stringify({ type: 'call', id: 3, name: '__proto__', input: {} }))
    await vi.waitFor(() => expect(replies).toHaveLength(3))
    expect(replies).toContainEqual({ type: 'reply', id: 1, result: { ok: true, value: {} } })
    const byId = (id: number) => replies.find((r) => (r as { id: number }).id === id)
    expect(byId(2)).toMatchObject({ result: { ok: false, error: { code: 'invalid-input' } } })
    expect(byId(3)).toMatchObject({ result: { ok: false, error: { code: 'unknown-call' } } })
    expect(setUnhandled).toHaveBeenCalledTimes(1)
    expect(setUnhandled).toHaveBeenCalledWith(3)
    ws.close()
  })

  it('broadcasts events to connected pages', async () => {
    const opened = await connect({})
    if (!('ws' in opened)) throw new Error('socket refused')
    const got = new Promise<unknown>((resolve) =>
      opened.ws.once('message', (d: Buffer) => resolve(JSON.parse(d.toString()) as unknown)),
    )
    host.broadcast('ui:openMention', { mentionId: 'demo:1' })
    expect(await got).toEqual({
      type: 'event',
      name: 'ui:openMention',
      payload: { mentionId: 'demo:1' },
    })
    opened.ws.close()
  })
})
