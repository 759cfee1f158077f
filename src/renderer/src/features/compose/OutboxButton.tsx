import { useState } from 'react'
import { replyStateWords } from '../../../../shared/replies'
import { useServices } from '../../services'
import { Dialog } from '../workspace/Dialog'
import { isUnsettled, useOutbox } from './use-outbox'

/** The header's outbox: how many replies are not sent yet, and the list with their states. */
export function OutboxButton() {
  const { client, store } = useServices()
  const { replies, error } = useOutbox()
  const [open, setOpen] = useState(false)
  const waiting = replies.filter(isUnsettled).length
  const resolve = (clientId: string, outcome: 'sent' | 'retry' | 'discard') =>
    void client.call('replies:resolve', { clientId, outcome })
  return (
    <>
      <button type="button" className="button button--small" onClick={() => setOpen(true)}>
        Outbox
        {waiting > 0 ? (
          <span className="nav__badge" title={`${waiting} replies not sent yet`}>
            {waiting}
          </span>
        ) : null}
      </button>
      {open ? (
        <Dialog title="Outbox" onClose={() => setOpen(false)}>
          {error ? <p className="form-error">{error}</p> : null}
          {replies.length === 0 ? <p>No replies yet.</p> : null}
          <ul className="outbox" aria-label="Replies">
            {replies.map((reply) => (
              <li key={reply.clientId} className="outbox__item">
                <p>
                  <strong>{replyStateWords[reply.state]}</strong> · to {reply.mention.author.name}{' '}
                  on {reply.platform}
                </p>
                <p>{reply.text}</p>
                {reply.error && reply.state !== 'sent' ? <p>{reply.error}</p> : null}
                <div className="composer__resolve">
                  <button
                    type="button"
                    className="button button--small"
                    onClick={() => {
                      store.getState().select(reply.mentionId)
                      setOpen(false)
                    }}
                  >
                    Show the mention
                  </button>
                  {reply.state === 'unknown' ? (
                    <button
                      type="button"
                      className="button button--small"
                      onClick={() => resolve(reply.clientId, 'sent')}
                    >
                      It was posted
                    </button>
                  ) : null}
                  {reply.state === 'unknown' || reply.state === 'failed' ? (
                    <>
                      <button
                        type="button"
                        className="button button--small"
                        onClick={() => resolve(reply.clientId, 'retry')}
                      >
                        Send again
                      </button>
                      <button
                        type="button"
                        className="button button--small"
                        onClick={() => resolve(reply.clientId, 'discard')}
                      >
                        Discard
                      </button>
                    </>
                  ) : null}
                </div>
              </li>
            ))}
          </ul>
        </Dialog>
      ) : null}
    </>
  )
}
