import { createServer, type Server } from 'node:http'
import { listenOnLoopback } from '../fixtures/loopback'

/* A blog's RSS 2.0 feed on loopback, whose items the test changes between polls. */

export type FeedItem = {
  guid: string
  title: string
  description: string
  author: string
  pubDate: string
}

export type FeedFixture = {
  url: string
  items: FeedItem[]
  requests: number
  close(): Promise<void>
}

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

export async function startFeed(items: FeedItem[]): Promise<FeedFixture> {
  const fixture: FeedFixture = { url: '', items, requests: 0, close: () => Promise.resolve() }
  const server: Server = createServer((req, res) => {
    fixture.requests += 1
    if (req.url !== '/feed.xml') {
      res.writeHead(404).end('not found')
      return
    }
    const body = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>Hearth &amp; Home Forum</title>
    <link>http://127.0.0.1/</link>
    <description>Posts from the forum</description>
${fixture.items
  .map(
    (item) => `    <item>
      <title>${escape(item.title)}</title>
      <link>http://127.0.0.1/posts/${item.guid}</link>
      <guid isPermaLink="false">${item.guid}</guid>
      <dc:creator>${escape(item.author)}</dc:creator>
      <pubDate>${item.pubDate}</pubDate>
      <description>${escape(item.description)}</description>
    </item>`,
  )
  .join('\n')}
  </channel>
</rss>`
    res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8' })
    res.end(body)
  })
  const { origin, close } = await listenOnLoopback(server)
  fixture.url = `${origin}/feed.xml`
  fixture.close = close
  return fixture
}
