import type { CallHandlers, EventName, EventPayload } from '../shared/contract'
import type { Alert } from '../shared/domain'
import type { Cipher } from './credentials/cipher'
import type { Logger } from './log'
import type { Connectors } from './sources/index'

/** What a host (Electron or the web host) gives the core. The core knows no host. */
export type CorePorts = {
  host: 'electron' | 'web'
  version: string
  /** Where config, state and the journal live. Created if missing. */
  dataDir: string
  logger: Logger
  /** Sends an event to every open renderer. */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void
  /** Raises a notification for an urgent mention (OS notification, or a browser one via an event). */
  notify(alert: Alert): void
  /** Opens an allow-listed URL in the system browser. */
  openExternal(url: string): Promise<void>
  /** Shows the count of unhandled urgent mentions (tray, dock badge). */
  setUnhandled(count: number): void
  /**
   * Encrypts stored source credentials (Electron's safeStorage). Without one (the web host) they
   * are kept in a file only the user's account can read, with a notice saying so.
   */
  cipher?: Cipher
  /** With a cipher unavailable on this machine: store plain text anyway (the responder opted in). */
  allowPlainCredentials?: boolean
  /** How to opt in to plain-text credentials here, said when storing is refused. */
  plainCredentialsHint?: string
  /**
   * The system's proxy for an address, as Chromium answers it ("PROXY host:port; DIRECT"): in
   * Electron, the session's resolver (system settings and PAC scripts). Proxies named in the
   * environment (`https_proxy` …) win; without either, requests go direct.
   */
  resolveProxy?: (url: string) => Promise<string>
  /** Injected for tests and benchmarks; defaults to the real ones. */
  now?: () => number
  random?: () => number
  /** Connectors that replace the built-in ones by kind (tests). */
  connectors?: Connectors
}

export type Core = {
  handlers: CallHandlers
  /** Loads config and the journal, then starts polling. */
  start(): Promise<void>
  /** Stops polling and flushes state. */
  stop(): Promise<void>
}
