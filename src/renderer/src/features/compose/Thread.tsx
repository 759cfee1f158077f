import { useLiveQuery } from 'dexie-react-hooks'
import { useEffect, useState } from 'react'
import type { HeardMention, Mention } from '../../../../shared/domain'
import { PostText } from '../../components/PostText'
import { RelativeTime } from '../../components/RelativeTime'
import { useServices } from '../../services'
import { brandCheckFor, noteBrandReplies } from '../context/brand-replies'
import { useOpenExternal } from '../context/use-open-external'
import { authorExchanges } from './record-reply'

/**
 * Threads fetched this session, by thread id: kept in memory only (never in Dexie), so reopening a
 * mention is instant and a restart reads the conversation fresh from the platform.
 */
const threads = new Map<string, HeardMention[]>()
const MAX_CACHED = 200

type Loaded =
  | { kind: 'loading' }
  | { kind: 'ready'; posts: HeardMention[] }
  | { kind: 'error'; message: string }

/** The conversation as the platform has it, oldest first, with this mention highlighted. */
export function Thread({ mention }: { mention: Mention }) {
  const { client, db } = useServices()
  const key = mention.threadId ?? mention.id
  const [loaded, setLoaded] = useState<Loaded>(() => {
    const cached = threads.get(key)
    return cached ? { kind: 'ready', posts: cached } : { kind: 'loading' }
  })
  useEffect(() => {
    if (threads.has(key)) return
    let live = true
    void client.call('mentions:thread', { mention }).then((result) => {
      if (!live) return
      if (!result.ok) {
        setLoaded({
          kind: 'error',
          message: `Could not read the conversation: ${result.error.message}`,
        })
        return
      }
      if (threads.size >= MAX_CACHED) threads.delete(threads.keys().next().value ?? '')
      threads.set(key, result.value)
      setLoaded({ kind: 'ready', posts: result.value })
      // The thread may hold the brand's own reply the poller never heard: "answered elsewhere".
      void noteBrandReplies({ client, db }, result.value).catch(() => undefined)
    })
    return () => {
      live = false
    }
  }, [client, db, key, mention])
  const brandIds = useBrandPosts(loaded.kind === 'ready' ? loaded.posts : null)
  const { open, error: openError } = useOpenExternal()

  if (loaded.kind === 'loading') return null
  if (loaded.kind === 'error') {
    return (
      <section className="details__section" aria-label="Conversation">
        <h3 className="details__heading">Conversation</h3>
        <p className="form-error">{loaded.message}</p>
      </section>
    )
  }
  // A mention alone is already shown above.
  if (loaded.posts.length <= 1) return null
  return (
    <section className="details__section" aria-label="Conversation">
      <h3 className="details__heading">Conversation ({loaded.posts.length} posts)</h3>
      <ol className="thread">
        {loaded.posts.map((post) => (
          <li
            key={post.id}
            className={`thread__post${post.id === mention.id ? ' thread__post--this' : ''}`}
            aria-current={post.id === mention.id ? 'true' : undefined}
          >
            <p className="thread__meta">
              <strong>{post.author.name}</strong>
              {post.author.handle ? <span> {post.author.handle}</span> : null}
              {brandIds.has(post.id) ? (
                <span className="thread__brand"> (your account)</span>
              ) : null}{' '}
              · <RelativeTime at={post.createdAt} />
            </p>
            <PostText className="thread__text" text={post.text} onOpen={(url) => void open(url)} />
          </li>
        ))}
      </ol>
      {openError ? (
        <p className="form-error" role="alert">
          {openError}
        </p>
      ) : null}
    </section>
  )
}

/** The ids of the posts written by the brand's own accounts, once the profile is known. */
function useBrandPosts(posts: readonly HeardMention[] | null): ReadonlySet<string> {
  const { client } = useServices()
  const [ids, setIds] = useState<ReadonlySet<string>>(() => new Set())
  useEffect(() => {
    if (!posts) return
    let live = true
    void brandCheckFor(client).then((isBrand) => {
      if (live) setIds(new Set(posts.filter((post) => isBrand(post)).map((post) => post.id)))
    })
    return () => {
      live = false
    }
  }, [client, posts])
  return ids
}

/** Earlier exchanges with this author (replies, hand-offs) from the audit log, newest first. */
export function AuthorExchanges({ mention }: { mention: Mention }) {
  const { db } = useServices()
  const rows = useLiveQuery(
    () => authorExchanges(db, mention.author.id, mention.id),
    [db, mention.author.id, mention.id],
  )
  if (!rows || rows.length === 0) return null
  return (
    <div className="author__exchanges">
      <p>Earlier exchanges with {mention.author.name}:</p>
      <ul aria-label="Earlier exchanges">
        {rows.slice(0, 20).map((row) => (
          <li key={row.id}>
            <RelativeTime at={row.at} /> · {row.detail.text}
          </li>
        ))}
      </ul>
    </div>
  )
}
