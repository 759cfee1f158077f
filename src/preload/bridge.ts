import {
  isCallName,
  isEventName,
  type CallInput,
  type CallName,
  type CallOutput,
  type EarshotClient,
  type EventName,
  type EventPayload,
} from '../shared/contract'
import { describeError, err, type Result } from '../shared/result'

/** The part of ipcRenderer the bridge uses; the real one fits, tests pass a fake. */
export type BridgeIpc = {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown
}

const isResult = (value: unknown): value is Result<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean'

/**
 * The contract client for the page: exactly `call` and `on`, nothing of ipcRenderer leaking
 * through. Unknown names are refused here; main still checks everything again.
 */
export function createBridge(ipc: BridgeIpc): EarshotClient {
  async function call<N extends CallName>(
    name: N,
    input: CallInput<N>,
  ): Promise<Result<CallOutput<N>>> {
    if (!isCallName(name)) return err('unknown-call', 'Unknown call')
    try {
      const reply = await ipc.invoke(name, input)
      // Main always answers with a Result; anything else means the bridge and main disagree.
      return isResult(reply)
        ? (reply as Result<CallOutput<N>>)
        : err('internal', `${name}: bad reply`)
    } catch (cause) {
      // Input that cannot be cloned, or main gone mid-call: still a Result, never a throw.
      return err('internal', `${name} failed: ${describeError(cause)}`)
    }
  }

  function on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
    if (!isEventName(event)) throw new TypeError('Unknown event')
    if (typeof listener !== 'function') throw new TypeError('The listener must be a function')
    // The IPC event object (sender, ports, reply) stays here; the page gets the payload only.
    const forward = (_event: unknown, payload: unknown) => listener(payload as EventPayload<E>)
    ipc.on(event, forward)
    let subscribed = true
    return () => {
      if (!subscribed) return
      subscribed = false
      ipc.removeListener(event, forward)
    }
  }

  return Object.freeze({ call, on })
}
