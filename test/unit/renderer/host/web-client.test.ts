import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { readToken, webSocketUrl } from '../../../../src/renderer/src/host/client'
import type { ConnectionState } from '../../../../src/renderer/src/host/connection'
import { createWebClient, type WebClient } from '../../../../src/renderer/src/host/web-client'
import { batch } from '../fixtures'

/** Stands in for the browser's WebSocket; the test plays the server. */
class FakeSocket {
  static all: FakeSocket[] = []
  readyState = 0
  sent: unknown[] = []
  onopen: ((event: unknown) => void) | null = null
  onclose: ((event: unknown) => void) | null = null
  onmessage: ((event: { data: unknown }) => void) | null = null
  onerror: ((event: unknown) => void) | null = null
  constructor(readonly url: string) {
    FakeSocket.all.push(this)
  }
  static get last(): FakeSocket {
    const socket = FakeSocket.all.at(-1)
    if (!socket) throw new Error('no socket opened')
    return socket
  }
  send(data: string) {
    if (this.readyState !== 1) throw new Error('not open')
    this.sent.push(JSON.parse(data))
  }
  close() {
    this.drop()
  }
  open() {
    this.readyState = 1
    this.onopen?.({})
  }
  drop() {
    if (this.readyState === 3) return
    this.readyState = 3
    this.onclose?.({})
  }
  serve(message: unknown) {
    this.onmessage?.({ data: typeof message === 'string' ? message : JSON.stringify(message) })
  }
}

let client: WebClient
const states: ConnectionState[] = []

beforeEach(() => {
  vi.useFakeTimers()
  FakeSocket.all = []
  states.length = 0
  client = createWebClient({
    url: 'ws://127.0.0.1:4499/ws?token=t',
    WebSocket: FakeSocket,
    initialDelayMs: 100,
    maxDelayMs: 1000,
    random: () => 1,
  })
  client.connection.subscribe((state) => states.push(state))
})
afterEach(() => {
  client.dispose()
  vi.useRealTimers()
})

describe('web client', () => {
  it('holds calls made while connecting and sends them once the socket opens', async () => {
    const reply = client.call('profile:get', {})
    expect(FakeSocket.last.url).toBe('ws://127.0.0.1:4499/ws?token=t')
    expect(FakeSocket.last.sent).toEqual([])
    FakeSocket.last.open()
    expect(FakeSocket.last.sent).toEqual([{ type: 'call', id: 1, name: 'profile:get', input: {} }])
    FakeSocket.last.serve({ type: 'reply', id: 1, result: { ok: true, value: null } })
    expect(await reply).toEqual({ ok: true, value: null })
  })

  it('matches replies by id and passes typed errors through', async () => {
    FakeSocket.last.open()
    const first = client.call('sources:list', {})
    const second = client.call('sources:remove', { id: 'x' })
    FakeSocket.last.serve({
      type: 'reply',
      id: 2,
      result: { ok: false, error: { code: 'not-found', message: 'No such source' } },
    })
    FakeSocket.last.serve({ type: 'reply', id: 1, result: { ok: true, value: [] } })
    expect(await second).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'No such source' },
    })
    expect(await first).toEqual({ ok: true, value: [] })
  })

  it('turns a reply that breaks the contract into a parse error', async () => {
    FakeSocket.last.open()
    const reply = client.call('sources:list', {})
    FakeSocket.last.serve({ type: 'reply', id: 1, result: { ok: true, value: 'not a list' } })
    expect(await reply).toMatchObject({ ok: false, error: { code: 'parse' } })
  })

  it('delivers valid events to listeners and drops malformed frames', () => {
    FakeSocket.last.open()
    const seen: unknown[] = []
    const off = client.on('mentions:batch', (payload) => seen.push(payload.seq))
    FakeSocket.last.serve('not json')
    FakeSocket.last.serve({ type: 'event', name: 'mentions:batch', payload: { seq: 'one' } })
    FakeSocket.last.serve({ type: 'event', name: 'no:such', payload: {} })
    FakeSocket.last.serve({ type: 'event', name: 'mentions:batch', payload: batch(7, [1]) })
    off()
    FakeSocket.last.serve({ type: 'event', name: 'mentions:batch', payload: batch(8, [2]) })
    expect(seen).toEqual([7])
  })

  it('fails pending calls on close, then reconnects with capped backoff', async () => {
    FakeSocket.last.open()
    const inFlight = client.call('profile:get', {})
    FakeSocket.last.drop()
    expect(await inFlight).toEqual({
      ok: false,
      error: { code: 'network', message: 'Lost the connection to Earshot' },
    })
    expect(states).toEqual(['connected', 'reconnecting'])

    const delays: number[] = []
    for (let attempt = 0; attempt < 6; attempt++) {
      const before = FakeSocket.all.length
      const started = Date.now()
      while (FakeSocket.all.length === before) vi.advanceTimersByTime(10)
      delays.push(Date.now() - started)
      FakeSocket.last.drop()
    }
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000])

    vi.advanceTimersByTime(1000)
    FakeSocket.last.open()
    expect(states.at(-1)).toBe('connected')
  })

  it('sends calls made while reconnecting over the next socket', async () => {
    FakeSocket.last.open()
    FakeSocket.last.drop()
    const reply = client.call('sources:list', {})
    vi.advanceTimersByTime(100)
    FakeSocket.last.open()
    expect(FakeSocket.last.sent).toEqual([{ type: 'call', id: 1, name: 'sources:list', input: {} }])
    FakeSocket.last.serve({ type: 'reply', id: 1, result: { ok: true, value: [] } })
    expect(await reply).toEqual({ ok: true, value: [] })
  })

  it('resets the backoff after a successful open', () => {
    FakeSocket.last.drop()
    vi.advanceTimersByTime(100)
    FakeSocket.last.drop()
    vi.advanceTimersByTime(200)
    FakeSocket.last.open()
    const count = FakeSocket.all.length
    FakeSocket.last.drop()
    vi.advanceTimersByTime(100)
    expect(FakeSocket.all.length).toBe(count + 1)
  })
})

describe('web host address', () => {
  it('reads the token the web host injected and builds the socket URL', () => {
    document.head.insertAdjacentHTML('beforeend', '<meta name="earshot-token" content="a b&c">')
    const token = readToken(document)
    expect(token).toBe('a b&c')
    expect(webSocketUrl({ protocol: 'http:', host: '127.0.0.1:4499' }, token)).toBe(
      'ws://127.0.0.1:4499/ws?token=a%20b%26c',
    )
    expect(webSocketUrl({ protocol: 'https:', host: 'x' }, 't')).toBe('wss://x/ws?token=t')
  })
})
