import {
  callNames,
  dispatchCall,
  type CallHandlers,
  type EventName,
  type EventPayload,
} from '../../shared/contract'
import { err, type Result } from '../../shared/result'
import type { Logger } from '../log'

/** The part of a WebFrameMain the sender check reads. Getters may throw once a frame is gone. */
export type SenderFrame = { readonly origin: string; readonly parent: unknown }

/** The part of an IpcMainInvokeEvent the sender check reads. */
export type SenderEvent = { readonly senderFrame: SenderFrame | null | undefined }

export type SenderRejection = 'no-frame' | 'sub-frame' | 'foreign-origin' | 'disposed-frame'

export type SenderCheck = { ok: true } | { ok: false; reason: SenderRejection }

/**
 * Accepts a call only from the top frame of a page served from `appOrigin`. Sub-frames and any
 * other origin (a page navigated away, an injected frame) are refused. Never throws.
 */
export function checkSender(event: SenderEvent, appOrigin: string): SenderCheck {
  try {
    const frame = event.senderFrame
    if (frame === null || frame === undefined) return { ok: false, reason: 'no-frame' }
    if (frame.parent !== null) return { ok: false, reason: 'sub-frame' }
    // Exact match of the serialized origin: `null` (opaque), other schemes, hosts and ports fail.
    if (typeof frame.origin !== 'string' || frame.origin !== appOrigin) {
      return { ok: false, reason: 'foreign-origin' }
    }
    return { ok: true }
  } catch {
    // Electron throws when a frame was disposed between the message and our look at it.
    return { ok: false, reason: 'disposed-frame' }
  }
}

/** What registerContract needs from ipcMain; the real one fits, tests pass a fake. */
export type ContractIpc = {
  handle(
    channel: string,
    listener: (event: SenderEvent, ...args: unknown[]) => Promise<unknown>,
  ): void
  removeHandler(channel: string): void
}

export type ContractOptions = { appOrigin: string; logger: Logger }

/**
 * Registers every contract call on `ipc`, each behind the sender check and the input schema, in
 * this one place. Replies are always a Result. Returns a function that unregisters them all.
 */
export function registerContract(
  ipc: ContractIpc,
  handlers: CallHandlers,
  { appOrigin, logger }: ContractOptions,
): () => void {
  for (const name of callNames) {
    ipc.handle(name, async (event, input): Promise<Result<unknown>> => {
      const sender = checkSender(event, appOrigin)
      if (!sender.ok) {
        // The payload is not logged: it is untrusted and may be large or hold secrets.
        logger.warn('IPC call refused', { call: name, reason: sender.reason })
        return err('forbidden', 'This window may not call Earshot')
      }
      return dispatchCall(handlers, name, input)
    })
  }
  return () => {
    for (const name of callNames) ipc.removeHandler(name)
  }
}

/** The part of a WebContents sendEvent needs. */
export type EventReceiver = {
  isDestroyed(): boolean
  send(channel: string, ...args: unknown[]): void
}

/**
 * Sends one contract event to one renderer. A closed or crashed renderer is skipped, and a failed
 * send is reported, not thrown, so one dead window never stops the poller that emitted the event.
 */
export function sendEvent<E extends EventName>(
  receiver: EventReceiver,
  name: E,
  payload: EventPayload<E>,
): boolean {
  try {
    if (receiver.isDestroyed()) return false
    receiver.send(name, payload)
    return true
  } catch {
    return false
  }
}
