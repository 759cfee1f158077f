import { z } from 'zod'
import {
  calls,
  events,
  isEventName,
  type CallName,
  type EventName,
  type EventPayload,
} from '../../../shared/contract'
import type { AppError, ErrorCode, Result } from '../../../shared/result'
import { createConnectionWatch, safely, type HostClient } from './connection'

/** The part of the browser's WebSocket the client uses; tests pass a fake class. */
export type SocketLike = {
  readonly readyState: number
  send(data: string): void
  close(): void
  onopen: ((event: unknown) => void) | null
  onclose: ((event: unknown) => void) | null
  onmessage: ((event: { data: unknown }) => void) | null
  onerror: ((event: unknown) => void) | null
}
export type SocketClass = new (url: string) => SocketLike

export type WebClientOptions = {
  url: string
  WebSocket?: SocketClass
  /** Reconnect backoff: doubles from `initialDelayMs` up to `maxDelayMs`, with jitter. */
  initialDelayMs?: number
  maxDelayMs?: number
  random?: () => number
}

export type WebClient = HostClient & { dispose(): void }

const OPEN = 1
const errorCodes = new Set<string>([
  'invalid-input',
  'unknown-call',
  'forbidden',
  'not-found',
  'conflict',
  'network',
  'parse',
  'internal',
])

const serverMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('reply'),
    id: z.number().int(),
    result: z.union([
      z.object({ ok: z.literal(true), value: z.unknown() }),
      z.object({
        ok: z.literal(false),
        error: z.object({ code: z.string(), message: z.string() }),
      }),
    ]),
  }),
  z.object({ type: z.literal('event'), name: z.string(), payload: z.unknown() }),
])

type Pending = {
  name: CallName
  frame: string
  sent: boolean
  resolve: (result: Result<unknown>) => void
}

const failure = (code: ErrorCode, message: string): { ok: false; error: AppError } => ({
  ok: false,
  error: { code, message },
})

/** The contract over the web host's WebSocket: replies matched by id, events fanned out. */
export function createWebClient(options: WebClientOptions): WebClient {
  const Socket = options.WebSocket ?? (globalThis.WebSocket as unknown as SocketClass)
  const initialDelay = options.initialDelayMs ?? 500
  const maxDelay = options.maxDelayMs ?? 15_000
  const random = options.random ?? Math.random
  const connection = createConnectionWatch('connecting')
  const pending = new Map<number, Pending>()
  const listeners = new Map<EventName, Set<(payload: never) => void>>()
  let nextId = 1
  let attempt = 0
  let socket: SocketLike | null = null
  let timer: ReturnType<typeof setTimeout> | undefined
  let disposed = false

  function open(): void {
    let current: SocketLike
    try {
      current = new Socket(options.url)
    } catch {
      return retryLater()
    }
    socket = current
    current.onopen = () => {
      attempt = 0
      connection.set('connected')
      for (const call of pending.values()) send(current, call)
    }
    current.onmessage = (event) => receive(event.data)
    current.onclose = () => {
      if (socket !== current) return
      socket = null
      // A call in flight may or may not have run; the caller decides whether to retry it.
      for (const call of pending.values())
        call.resolve(failure('network', 'Lost the connection to Earshot'))
      pending.clear()
      retryLater()
    }
  }

  function retryLater(): void {
    if (disposed) return
    connection.set('reconnecting')
    const ceiling = Math.min(maxDelay, initialDelay * 2 ** attempt)
    attempt += 1
    timer = setTimeout(open, ceiling / 2 + (random() * ceiling) / 2)
  }

  function send(target: SocketLike, call: Pending): void {
    if (call.sent || target.readyState !== OPEN) return
    target.send(call.frame)
    call.sent = true
  }

  function receive(data: unknown): void {
    if (typeof data !== 'string') return
    let raw: unknown
    try {
      raw = JSON.parse(data)
    } catch {
      return
    }
    const parsed = serverMessage.safeParse(raw)
    if (!parsed.success) return
    const message = parsed.data
    if (message.type === 'event') return emit(message.name, message.payload)
    const call = pending.get(message.id)
    if (!call) return
    pending.delete(message.id)
    if (!message.result.ok) {
      const { code, message: text } = message.result.error
      return call.resolve(failure(errorCodes.has(code) ? (code as ErrorCode) : 'internal', text))
    }
    const value = (calls[call.name].output as z.ZodType).safeParse(message.result.value)
    call.resolve(
      value.success
        ? { ok: true, value: value.data }
        : failure('parse', `Earshot sent an unexpected reply to ${call.name}`),
    )
  }

  function emit(name: string, payload: unknown): void {
    if (!isEventName(name)) return
    const parsed = (events[name] as z.ZodType).safeParse(payload)
    if (!parsed.success) return
    for (const listener of [...(listeners.get(name) ?? [])]) {
      safely(() => (listener as (payload: unknown) => void)(parsed.data))
    }
  }

  open()

  return {
    kind: 'web',
    connection,
    call(name, input) {
      if (disposed) return Promise.resolve(failure('network', 'The client was closed'))
      const id = nextId++
      const frame = JSON.stringify({ type: 'call', id, name, input })
      return new Promise((resolve) => {
        const call: Pending = { name, frame, sent: false, resolve: resolve as Pending['resolve'] }
        pending.set(id, call)
        if (socket) send(socket, call)
      })
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
      const set = listeners.get(event) ?? new Set()
      set.add(listener)
      listeners.set(event, set)
      return () => void set.delete(listener)
    },
    dispose() {
      disposed = true
      clearTimeout(timer)
      socket?.close()
    },
  }
}
