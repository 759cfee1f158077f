import { useLiveQuery } from 'dexie-react-hooks'
import { PostText } from '../../components/PostText'
import { RelativeTime } from '../../components/RelativeTime'
import { elsewhereReplies } from '../../db/answered-elsewhere'
import type { ElsewhereReply } from '../../db/database'
import { useServices } from '../../services'
import { useOpenExternal } from './use-open-external'

/** The brand's replies to this mention seen on the platform, oldest first; live from the log. */
export function useElsewhereReplies(mentionId: string): ElsewhereReply[] {
  const { db } = useServices()
  return useLiveQuery(() => elsewhereReplies(db, mentionId), [db, mentionId]) ?? []
}

/**
 * "Answered elsewhere": the brand's own account already replied on the platform. Shown near the
 * top of the panel, with the reply itself, so the responder sees it before thinking of answering.
 */
export function AnsweredElsewhere({ mentionId }: { mentionId: string }) {
  const replies = useElsewhereReplies(mentionId)
  const { open, error } = useOpenExternal()
  if (replies.length === 0) return null
  return (
    <section className="details__section elsewhere" aria-label="Answered elsewhere">
      <h3 className="details__heading">Answered elsewhere</h3>
      <ul className="elsewhere__list">
        {replies.map((reply) => (
          <li key={reply.id} className="elsewhere__reply">
            <p className="elsewhere__meta">
              <strong>{reply.handle}</strong> replied <RelativeTime at={reply.at} />
              {reply.url !== null ? (
                <>
                  {' · '}
                  <button
                    type="button"
                    className="button button--small"
                    onClick={() => void open(reply.url ?? '')}
                  >
                    Open reply
                  </button>
                </>
              ) : null}
            </p>
            <PostText
              className="elsewhere__text"
              text={reply.text}
              onOpen={(url) => void open(url)}
            />
            {reply.url !== null ? <p className="details__url">{reply.url}</p> : null}
          </li>
        ))}
      </ul>
      {error ? <p className="form-error">{error}</p> : null}
    </section>
  )
}
