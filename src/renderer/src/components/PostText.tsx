import { useMemo } from 'react'
import { linkSegments } from './link-segments'

type Props = {
  text: string
  className: string
  /** Opens a link through the host's gate (`shell:openExternal`), never by navigating the page. */
  onOpen: (url: string) => void
}

/**
 * A post's text as the author wrote it, with its http(s) links clickable. Everything stays React
 * text: no HTML from a post is ever parsed. The anchor's href lets the responder hover, copy or
 * middle-click the address; a plain click goes through the host, which checks it again.
 */
export function PostText({ text, className, onOpen }: Props) {
  const segments = useMemo(() => linkSegments(text), [text])
  return (
    <p className={className}>
      {segments.map((segment, index) =>
        segment.url === undefined ? (
          segment.text
        ) : (
          <a
            key={index}
            className="post-link"
            href={segment.url}
            target="_blank"
            rel="noopener noreferrer"
            onClick={(event) => {
              event.preventDefault()
              onOpen(segment.url as string)
            }}
          >
            {segment.text}
          </a>
        ),
      )}
    </p>
  )
}
