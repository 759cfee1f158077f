import { describe, expect, it, vi } from 'vitest'
import {
  checkSender,
  registerContract,
  sendEvent,
  type ContractIpc,
  type SenderEvent,
} from '../../../../src/main/electron/ipc'
import type { Logger } from '../../../../src/main/log'
import { callNames, calls, type CallHandlers, type CallName } from '../../../../src/shared/contract'
import { ok, type Result } from '../../../../src/shared/result'
import { seeded } from '../../../fixtures/seeded'

const APP = 'app://earshot'
const top = (origin: string) => ({ senderFrame: { origin, parent: null } })
const child = (origin: string) => ({ senderFrame: { origin, parent: { origin, parent: null } } })

function fakeIpc() {
  const listeners = new Map<string, (event: SenderEvent, ...args: unknown[]) => Promise<unknown>>()
  const ipc: ContractIpc = {
    handle(channel, listener) {
      // Electron throws on a second handler for a channel; so does the fake.
      if (listeners.has(channel)) throw new Error(`second handler for ${channel}`)
      listeners.set(channel, listener)
    },
    removeHandler(channel) {
      listeners.delete(channel)
    },
  }
  const invoke = (channel: string, event: SenderEvent, ...args: unknown[]) => {
    const listener = listeners.get(channel)
    if (!listener) throw new Error(`no handler for ${channel}`)
    return listener(event, ...args) as Promise<Result<unknown>>
  }
  return { ipc, listeners, invoke }
}

function spyHandlers() {
  const spies = Object.fromEntries(
    callNames.map((name) => [
      name,
      vi.fn((_input: unknown) => Promise.resolve(ok({ from: name }))),
    ]),
  ) as Record<CallName, ReturnType<typeof vi.fn<(input: unknown) => Promise<Result<unknown>>>>>
  return { spies, handlers: spies as unknown as CallHandlers }
}

const spyLogger = () =>
  ({ debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() }) satisfies Logger

describe('checkSender', () => {
  const throwing = (field: 'origin' | 'parent'): SenderEvent => ({
    senderFrame: {
      get origin(): string {
        if (field === 'origin') throw new Error('Render frame was disposed')
        return APP
      },
      get parent(): unknown {
        if (field === 'parent') throw new Error('Render frame was disposed')
        return null
      },
    },
  })

  it.each<[string, SenderEvent, string, ReturnType<typeof checkSender>]>([
    ['the app page', top(APP), APP, { ok: true }],
    ['the dev server page', top('http://localhost:5173'), 'http://localhost:5173', { ok: true }],
    [
      'no frame (navigated or destroyed)',
      { senderFrame: null },
      APP,
      { ok: false, reason: 'no-frame' },
    ],
    ['an undefined frame', { senderFrame: undefined }, APP, { ok: false, reason: 'no-frame' }],
    ['a sub-frame of the app', child(APP), APP, { ok: false, reason: 'sub-frame' }],
    ['a foreign sub-frame', child('https://evil.example'), APP, { ok: false, reason: 'sub-frame' }],
    ['an opaque origin', top('null'), APP, { ok: false, reason: 'foreign-origin' }],
    ['a web page', top('https://evil.example'), APP, { ok: false, reason: 'foreign-origin' }],
    ['another app host', top('app://evil'), APP, { ok: false, reason: 'foreign-origin' }],
    ['a look-alike host', top('app://earshot.evil'), APP, { ok: false, reason: 'foreign-origin' }],
    ['a port', top('app://earshot:1'), APP, { ok: false, reason: 'foreign-origin' }],
    ['a trailing slash', top('app://earshot/'), APP, { ok: false, reason: 'foreign-origin' }],
    ['file:', top('file://'), APP, { ok: false, reason: 'foreign-origin' }],
    ['an empty origin', top(''), APP, { ok: false, reason: 'foreign-origin' }],
    [
      'the app origin in dev',
      top(APP),
      'http://localhost:5173',
      { ok: false, reason: 'foreign-origin' },
    ],
    [
      'another dev port',
      top('http://localhost:5174'),
      'http://localhost:5173',
      { ok: false, reason: 'foreign-origin' },
    ],
    [
      'a non-string origin',
      { senderFrame: { origin: 42 as unknown as string, parent: null } },
      APP,
      { ok: false, reason: 'foreign-origin' },
    ],
    [
      'a disposed frame (origin throws)',
      throwing('origin'),
      APP,
      { ok: false, reason: 'disposed-frame' },
    ],
    [
      'a disposed frame (parent throws)',
      throwing('parent'),
      APP,
      { ok: false, reason: 'disposed-frame' },
    ],
    [
      'an event whose frame getter throws',
      Object.defineProperty({}, 'senderFrame', {
        get() {
          throw new Error('gone')
        },
      }) as SenderEvent,
      APP,
      { ok: false, reason: 'disposed-frame' },
    ],
  ])('%s', (_label, event, appOrigin, expected) => {
    expect(checkSender(event, appOrigin)).toEqual(expected)
  })
})

describe('registerContract', () => {
  it('registers exactly one handler per contract call, and unregisters them all', () => {
    const { ipc, listeners } = fakeIpc()
    const unregister = registerContract(ipc, spyHandlers().handlers, {
      appOrigin: APP,
      logger: spyLogger(),
    })
    expect([...listeners.keys()].sort()).toEqual([...callNames].sort())
    unregister()
    expect(listeners.size).toBe(0)
  })

  it('dispatches a valid call from the app page with the parsed input', async () => {
    const { ipc, invoke } = fakeIpc()
    const { spies, handlers } = spyHandlers()
    registerContract(ipc, handlers, { appOrigin: APP, logger: spyLogger() })

    const reply = await invoke('delivery:ack', top(APP), { seq: 7 }, 'ignored extra argument')

    expect(reply).toEqual({ ok: true, value: { from: 'delivery:ack' } })
    expect(spies['delivery:ack']).toHaveBeenCalledExactlyOnceWith({ seq: 7 })
  })

  it('refuses a foreign sender before parsing, without calling or logging the payload', async () => {
    const { ipc, invoke } = fakeIpc()
    const { spies, handlers } = spyHandlers()
    const logger = spyLogger()
    registerContract(ipc, handlers, { appOrigin: APP, logger })

    for (const event of [top('https://evil.example'), child(APP), { senderFrame: null }]) {
      const reply = await invoke('shell:openExternal', event, { url: 'https://example.com/canary' })
      expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    }
    expect(spies['shell:openExternal']).not.toHaveBeenCalled()
    expect(logger.warn).toHaveBeenCalledTimes(3)
    expect(JSON.stringify(logger.warn.mock.calls)).not.toContain('canary')
  })

  it('turns a throwing handler into an internal error', async () => {
    const { ipc, invoke } = fakeIpc()
    const { spies, handlers } = spyHandlers()
    spies['app:info'].mockRejectedValueOnce(new Error('disk on fire'))
    registerContract(ipc, handlers, { appOrigin: APP, logger: spyLogger() })

    expect(await invoke('app:info', top(APP), {})).toMatchObject({
      ok: false,
      error: { code: 'internal' },
    })
  })

  it('answers arbitrary payloads with a typed error and no side effect, never a throw', async () => {
    const { ipc, invoke } = fakeIpc()
    const { spies, handlers } = spyHandlers()
    registerContract(ipc, handlers, { appOrigin: APP, logger: spyLogger() })
    const random = seeded(0x1bc_0002)
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T

    const keys = [
      'seq',
      'afterSeq',
      'url',
      'id',
      'paused',
      'count',
      'profile',
      'source',
      '__proto__',
      'constructor',
      'x',
    ]
    const leaf = (): unknown =>
      pick<() => unknown>([
        () => undefined,
        () => null,
        () => random() < 0.5,
        () => Math.floor(random() * 2 ** 40) - 2 ** 39,
        () => pick([NaN, Infinity, -Infinity, -0, 0.5, -1, 1e21, Number.MAX_SAFE_INTEGER + 2]),
        () =>
          pick([
            '',
            'x'.repeat(5000),
            'javascript:alert(1)',
            'https://example.com',
            '\u0000',
            '{}',
          ]),
        () => BigInt(7),
        () => new Date(0),
        () => new Uint8Array(3),
      ])()
    const value = (depth: number): unknown => {
      if (depth > 2 || random() < 0.4) return leaf()
      if (random() < 0.3)
        return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1))
      const out: Record<string, unknown> = {}
      const size = Math.floor(random() * 4)
      for (let i = 0; i < size; i++) {
        Object.defineProperty(out, pick(keys), {
          value: value(depth + 1),
          enumerable: true,
          configurable: true,
          writable: true,
        })
      }
      return out
    }

    let rejected = 0
    for (let i = 0; i < 3000; i++) {
      const name = pick(callNames)
      const payload = value(0)
      const accepts = calls[name].input.safeParse(payload).success
      const before = spies[name].mock.calls.length

      const reply = await invoke(name, top(APP), payload)

      if (accepts) {
        expect(reply).toEqual({ ok: true, value: { from: name } })
        expect(spies[name].mock.calls.length).toBe(before + 1)
        continue
      }
      rejected++
      expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
      expect(typeof (reply as { error: { message: unknown } }).error.message).toBe('string')
      expect(spies[name].mock.calls.length).toBe(before)
    }
    expect(rejected).toBeGreaterThan(2500)
  })
})

describe('sendEvent', () => {
  it('sends the payload alone on the event channel', () => {
    const receiver = { isDestroyed: () => false, send: vi.fn() }
    expect(sendEvent(receiver, 'ui:openMention', { mentionId: 'hn:1' })).toBe(true)
    expect(receiver.send).toHaveBeenCalledExactlyOnceWith('ui:openMention', { mentionId: 'hn:1' })
  })

  it('skips a destroyed renderer and swallows a failed send', () => {
    const destroyed = { isDestroyed: () => true, send: vi.fn() }
    expect(sendEvent(destroyed, 'ui:openMention', { mentionId: 'hn:1' })).toBe(false)
    expect(destroyed.send).not.toHaveBeenCalled()

    const failing = {
      isDestroyed: () => false,
      send: () => {
        throw new Error('Render frame was disposed')
      },
    }
    expect(sendEvent(failing, 'ui:openMention', { mentionId: 'hn:1' })).toBe(false)
  })
})
