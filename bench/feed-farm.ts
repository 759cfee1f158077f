/* A loopback feed farm for the source benchmarks, run as its own process so its CPU and memory are
   not the measured main's: `/feed/<n>.xml` is an RSS feed of `items` posts about Acme, the same
   bytes on every request. Prints `listening <port>` once ready. Binds 127.0.0.1 only. */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

const items = Number(process.argv[2] ?? 20)
const cache = new Map<string, Buffer>()

function feed(n: string): Buffer {
  const known = cache.get(n)
  if (known) return known
  const base = Date.parse('2026-11-01T00:00:00Z')
  const body = Array.from({ length: items }, (_, j) => {
    const at = new Date(base + j * 60_000).toUTCString()
    return (
      `<item><title>Acme thread ${n}-${j}</title><guid>https://forum${n}.example/t/${j}</guid>` +
      `<link>https://forum${n}.example/t/${j}</link><pubDate>${at}</pubDate>` +
      `<description>&lt;p&gt;Still waiting for my refund from Acme, week ${j}. ` +
      `Does anyone know who to ask? Post ${n}-${j}.&lt;/p&gt;</description></item>`
    )
  }).join('')
  const xml = Buffer.from(
    `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Forum ${n}</title>` +
      `<link>https://forum${n}.example/</link>${body}</channel></rss>`,
  )
  cache.set(n, xml)
  return xml
}

const server = createServer((req, res) => {
  const match = /^\/feed\/(\d+)\.xml$/.exec(req.url ?? '')
  if (!match?.[1]) {
    res.writeHead(404).end()
    return
  }
  res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(feed(match[1]))
})
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`)
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
