/* Hand-offs to a department's webhook: the packet as Slack-compatible JSON, POSTed once. The
   webhook's address is a secret (Slack puts the key in its path): only its host is ever logged. */
import type { CallHandlers } from '../../shared/contract'
import { handoffSlack } from '../../shared/handoff'
import { err, ok } from '../../shared/result'
import type { RoutingSettings } from '../../shared/routing'
import type { Logger } from '../log'
import { SourceError } from '../sources/connector'
import type { HttpClient } from '../sources/http'
import { webhookHost } from '../triage/routing-service'

export function createHandoffSender(deps: {
  http: HttpClient
  logger: Logger
  routing: () => Promise<RoutingSettings | null>
}): Pick<CallHandlers, 'handoff:send'> {
  return {
    'handoff:send': async ({ departmentId, packet }) => {
      const settings = await deps.routing()
      const department = settings?.departments.find((d) => d.id === departmentId)
      if (!department) return err('not-found', 'No such department')
      if (!department.webhookUrl) {
        return err(
          'invalid-input',
          `${department.name} has no webhook: e-mail or copy the hand-off`,
        )
      }
      const host = webhookHost(department.webhookUrl)
      try {
        const response = await deps.http.send(department.webhookUrl, {
          method: 'POST',
          body: JSON.stringify(handoffSlack(packet)),
          headers: { 'content-type': 'application/json' },
          subject: `${department.name}'s webhook (${host})`,
          allowErrors: true,
        })
        const delivered = response.status >= 200 && response.status <= 299
        deps.logger.info('hand-off sent', {
          department: department.id,
          host,
          status: response.status,
        })
        return ok({ delivered, status: response.status })
      } catch (cause) {
        if (!(cause instanceof SourceError)) throw cause
        deps.logger.warn('hand-off not delivered', {
          department: department.id,
          host,
          kind: cause.kind,
        })
        // The error names the host only; the webhook's path never leaves main.
        return err(
          'network',
          `${department.name}'s webhook at ${host} could not be reached: ${cause.kind === 'timeout' ? 'no answer in time' : 'the connection failed'}`,
        )
      }
    },
  }
}
