import { describe, expect, it, vi } from 'vitest'
import { createBridge, type BridgeIpc } from '../../../../src/preload/bridge'
import type { CallName, EventName } from '../../../../src/shared/contract'

function fakeIpc(reply: unknown = { ok: true, value: { version: '1' } }) {
  const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>()
  const ipc = {
    invoke: vi.fn<BridgeIpc['invoke']>(() => Promise.resolve(reply)),
    on: vi.fn<BridgeIpc['on']>((channel, listener) => {
      const set = listeners.get(channel) ?? new Set()
      set.add(listener)
      listeners.set(channel, set)
    }),
    removeListener: vi.fn<BridgeIpc['removeListener']>((channel, listener) => {
      listeners.get(channel)?.delete(listener)
    }),
  }
  // What ipcRenderer does: the event object first, then the payload.
  const emit = (channel: string, payload: unknown) => {
    const event = { sender: { send: () => {} }, senderId: 0, ports: [] }
    for (const listener of listeners.get(channel) ?? []) listener(event, payload)
  }
  return { ipc, emit, listeners }
}

describe('createBridge', () => {
  it('has exactly the contract client keys, frozen', () => {
    const client = createBridge(fakeIpc().ipc)
    expect(Reflect.ownKeys(client).sort()).toEqual(['call', 'on'])
    expect(Object.isFrozen(client)).toBe(true)
    expect(client).not.toHaveProperty('invoke')
    expect(client).not.toHaveProperty('send')
    expect(client).not.toHaveProperty('require')
    expect(client).not.toHaveProperty('process')
  })

  it('invokes a known call with its name and input only', async () => {
    const { ipc } = fakeIpc()
    const client = createBridge(ipc)
    const reply = await client.call('app:info', {})
    expect(reply).toEqual({ ok: true, value: { version: '1' } })
    expect(ipc.invoke).toHaveBeenCalledExactlyOnceWith('app:info', {})
  })

  it.each(['app:nope', '', 'mentions:batch', '__proto__', 'constructor', 'toString'])(
    'refuses the unknown call %j locally',
    async (name) => {
      const { ipc } = fakeIpc()
      const reply = await createBridge(ipc).call(name as CallName, {})
      expect(reply).toMatchObject({ ok: false, error: { code: 'unknown-call' } })
      expect(ipc.invoke).not.toHaveBeenCalled()
    },
  )

  it('turns a failed invoke or a malformed reply into an error result', async () => {
    const failing = fakeIpc()
    failing.ipc.invoke.mockRejectedValueOnce(new Error('An object could not be cloned'))
    expect(await createBridge(failing.ipc).call('app:info', {})).toMatchObject({
      ok: false,
      error: { code: 'internal' },
    })
    const odd = fakeIpc('not a result')
    expect(await createBridge(odd.ipc).call('app:info', {})).toMatchObject({
      ok: false,
      error: { code: 'internal' },
    })
  })

  it('hands a listener the payload alone, never the IPC event', () => {
    const { ipc, emit } = fakeIpc()
    const listener = vi.fn()
    createBridge(ipc).on('ui:openMention', listener)
    emit('ui:openMention', { mentionId: 'hn:1' })
    expect(listener).toHaveBeenCalledExactlyOnceWith({ mentionId: 'hn:1' })
  })

  it('unsubscribes exactly its own listener, once', () => {
    const { ipc, emit, listeners } = fakeIpc()
    const client = createBridge(ipc)
    const first = vi.fn()
    const second = vi.fn()
    const stop = client.on('mentions:batch', first)
    client.on('mentions:batch', second)
    stop()
    stop()
    emit('mentions:batch', { seq: 1, sourceId: 's', mentions: [] })
    expect(first).not.toHaveBeenCalled()
    expect(second).toHaveBeenCalledOnce()
    expect(ipc.removeListener).toHaveBeenCalledOnce()
    expect(listeners.get('mentions:batch')?.size).toBe(1)
  })

  it.each(['app:info', 'ipc-message', '', '__proto__', 'ELECTRON_BROWSER_REQUIRE'])(
    'refuses to listen on the unknown event %j',
    (name) => {
      const { ipc } = fakeIpc()
      expect(() => createBridge(ipc).on(name as EventName, () => {})).toThrow(TypeError)
      expect(ipc.on).not.toHaveBeenCalled()
    },
  )

  it('refuses a listener that is not a function', () => {
    const { ipc } = fakeIpc()
    expect(() => createBridge(ipc).on('sources:changed', 'alert(1)' as never)).toThrow(TypeError)
    expect(ipc.on).not.toHaveBeenCalled()
  })
})
