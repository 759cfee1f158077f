import type { HostClient } from '../../host/connection'

/**
 * Tells main the responder has seen or handled a mention, so its notification is not repeated.
 * Best effort: if the host is away the worst outcome is one more reminder.
 */
export function acknowledgeMention(client: HostClient, mentionId: string): void {
  void client.call('alerts:acknowledge', { mentionId }).catch(() => undefined)
}
