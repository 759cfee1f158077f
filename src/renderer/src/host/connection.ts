import type { EarshotClient } from '../../../shared/contract'

/** `connecting` only before the first open; after a drop the client is `reconnecting`. */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting'

/** Lets the UI and the sync loop follow the link to the host. */
export type ConnectionWatch = {
  get: () => ConnectionState
  subscribe: (listener: (state: ConnectionState) => void) => () => void
}

export type HostKind = 'electron' | 'web'

/** The contract client plus what the renderer needs to know about the link itself. */
export type HostClient = EarshotClient & { kind: HostKind; connection: ConnectionWatch }

/** A watch whose state changes only when `set` is called; shared by both hosts. */
export function createConnectionWatch(initial: ConnectionState): ConnectionWatch & {
  set: (state: ConnectionState) => void
} {
  let state = initial
  const listeners = new Set<(state: ConnectionState) => void>()
  return {
    get: () => state,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    set(next) {
      if (next === state) return
      state = next
      for (const listener of [...listeners]) safely(() => listener(next))
    },
  }
}

/** One faulty listener must not stop the others; the error still reaches the console. */
export function safely(run: () => void): void {
  try {
    run()
  } catch (cause) {
    globalThis.reportError(cause)
  }
}
