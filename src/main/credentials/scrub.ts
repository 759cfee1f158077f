/*
 * Secrets never leave main, not even inside an error message: a server that echoes the request
 * (a token in a URL, a password in a form body) must not put it into a log line, a source's last
 * error, health.json or a contract reply.
 */
import { describeError } from '../../shared/result'
import type { Connector, PollContext } from '../sources/connector'
import { SourceError } from '../sources/connector'
import type { Connectors } from '../sources/index'

type Secrets = Readonly<Record<string, string>> | null | undefined

/** Shorter values could be ordinary words; no real token, password or secret is this short. */
const MIN_SECRET_LENGTH = 4

/** `text` with every secret value (as typed, or URL-encoded) replaced by `[redacted]`. */
export function scrubSecrets(text: string, sources: readonly Secrets[]): string {
  const values = new Set<string>()
  for (const record of sources) {
    for (const value of Object.values(record ?? {})) {
      if (value.length < MIN_SECRET_LENGTH) continue
      values.add(value)
      values.add(encodeURIComponent(value))
    }
  }
  // Longest first, so a secret that contains another is replaced whole.
  let out = text
  for (const value of [...values].sort((a, b) => b.length - a.length)) {
    out = out.split(value).join('[redacted]')
  }
  return out
}

function scrubbed(cause: unknown, secrets: readonly Secrets[]): Error {
  if (cause instanceof SourceError) {
    return new SourceError(cause.kind, scrubSecrets(cause.message, secrets), cause.details)
  }
  return new Error(scrubSecrets(describeError(cause), secrets))
}

/** Runs a connector call; a failure is rethrown with the source's secrets scrubbed out. */
async function guarded<T>(ctx: PollContext, run: () => Promise<T>): Promise<T> {
  const before = ctx.secrets?.get()
  try {
    return await run()
  } catch (cause) {
    throw scrubbed(cause, [before, ctx.secrets?.get()])
  }
}

/** The same connectors, each call's errors scrubbed of the secrets it was given. */
export function guardConnectors(connectors: Connectors): Connectors {
  const out: Connectors = {}
  for (const [kind, connector] of Object.entries(connectors) as [
    keyof Connectors,
    Connector | undefined,
  ][]) {
    if (!connector) continue
    const guardedConnector: Connector = {
      ...connector,
      poll: (config, cursor, ctx) => guarded(ctx, () => connector.poll(config, cursor, ctx)),
    }
    if (connector.thread) {
      guardedConnector.thread = (config, target, ctx) =>
        guarded(ctx, () => connector.thread?.(config, target, ctx) ?? Promise.resolve([]))
    }
    if (connector.reply) {
      guardedConnector.reply = (config, request, ctx) =>
        guarded(ctx, () => {
          if (!connector.reply) throw new SourceError('config', 'This source cannot post replies')
          return connector.reply(config, request, ctx)
        })
    }
    out[kind] = guardedConnector
  }
  return out
}
