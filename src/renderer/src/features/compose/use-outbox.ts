import { useEffect, useState } from 'react'
import type { ReplyRecord } from '../../../../shared/replies'
import { useServices } from '../../services'
import { recordReply } from './record-reply'

/** The outbox as main keeps it, live: `replies:list` once, then every `replies:changed`. */
export function useOutbox(): { replies: ReplyRecord[]; error: string | null } {
  const { client } = useServices()
  const [replies, setReplies] = useState<ReplyRecord[]>([])
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    let heard = false
    const off = client.on('replies:changed', (next) => {
      heard = true
      setReplies(next)
    })
    void client.call('replies:list', {}).then((result) => {
      if (!live || heard) return
      if (result.ok) setReplies(result.value)
      else setError(`Could not read the outbox: ${result.error.message}`)
    })
    return () => {
      live = false
      off()
    }
  }, [client])
  return { replies, error }
}

/** Unsettled: still to go out, or waiting on the responder. */
export const isUnsettled = (reply: ReplyRecord) => reply.state !== 'sent'

/**
 * Mounted once for the whole app: every reply main reports as sent moves its mention to Done with a
 * `reply` row in the audit log, whichever mention is on screen.
 */
export function useRecordSentReplies(): void {
  const { client, db } = useServices()
  useEffect(() => {
    const recorded = new Set<string>()
    const record = (replies: readonly ReplyRecord[]) => {
      for (const reply of replies) {
        if (reply.state !== 'sent' || recorded.has(reply.clientId)) continue
        recorded.add(reply.clientId)
        void recordReply(db, reply.mentionId, reply.text, 'posted', reply.updatedAt).catch(() => {
          // Stored on the next change or start: the outbox still says it was sent.
          recorded.delete(reply.clientId)
        })
      }
    }
    const off = client.on('replies:changed', record)
    void client.call('replies:list', {}).then((result) => {
      if (result.ok) record(result.value)
    })
    return off
  }, [client, db])
}
