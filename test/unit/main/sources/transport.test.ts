import type { Socket } from 'node:net'
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { join } from 'node:path'
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createHttpClient, userAgent } from '../../../../src/main/sources/http'
import { nodeTransport } from '../../../../src/main/sources/transport'
import { listenOnLoopback } from '../../../fixtures/loopback'
import { failure } from '../../../fixtures/source-failure'

/* The transport under the HTTP client: Node's http module, decoding bodies as browsers and fetch
   do. A loopback server of its own, so each test can see sockets and cut connections. */

type Handler = (request: IncomingMessage, response: ServerResponse) => void

let handler: Handler = (_request, response) => response.end()
let sockets: Socket[] = []
let loopback: { origin: string; close: () => Promise<void> }

beforeEach(async () => {
  sockets = []
  const server = createServer((request, response) => handler(request, response))
  server.on('connection', (socket) => sockets.push(socket))
  loopback = await listenOnLoopback(server)
})
afterEach(async () => {
  await loopback.close()
})

const client = () => createHttpClient({ userAgent: userAgent('0.1.0-test') })
const FEED = '<rss><channel><title>Acme — café news</title></channel></rss>'

function answer(encoding: string, body: Buffer): void {
  handler = (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': encoding })
    response.end(body)
  }
}

describe('nodeTransport', () => {
  it('asks for compressed bodies, as browsers do', async () => {
    let asked: string | undefined
    handler = (request, response) => {
      asked = request.headers['accept-encoding']
      response.end(FEED)
    }
    await client().get(`${loopback.origin}/feed`)
    expect(asked).toBe('gzip, deflate, br')
  })

  it.each([
    ['gzip', gzipSync(FEED)],
    ['x-gzip', gzipSync(FEED)],
    ['br', brotliCompressSync(FEED)],
    ['deflate', deflateSync(FEED)],
    // Some servers send "deflate" without its zlib wrapper; the first byte tells them apart.
    ['deflate', deflateRawSync(FEED)],
    // Codings listed in the order applied: undone last first.
    ['deflate, gzip', gzipSync(deflateSync(FEED))],
    ['GZIP', gzipSync(FEED)],
  ])('decodes a body sent as %s', async (encoding, body) => {
    answer(encoding, body)
    expect((await client().get(`${loopback.origin}/feed`)).body).toBe(FEED)
  })

  it('reads a gzip body whose trailer never came, as fetch does', async () => {
    const whole = gzipSync(FEED)
    answer('gzip', whole.subarray(0, whole.length - 8))
    expect((await client().get(`${loopback.origin}/feed`)).body).toBe(FEED)
  })

  it('passes a body in an encoding it does not know through unchanged', async () => {
    answer('zstd-someday', Buffer.from(FEED))
    expect((await client().get(`${loopback.origin}/feed`)).body).toBe(FEED)
  })

  it.each([
    ['gzip', Buffer.from('this is not gzip at all, just text pretending')],
    ['br', Buffer.from('nor is this brotli, whatever the header says')],
  ])('fails in plain words on a body that is not the %s it claims', async (encoding, body) => {
    answer(encoding, body)
    const error = await failure(client().get(`${loopback.origin}/feed`))
    expect(error.message).toBe('The server sent an answer that could not be decompressed')
    // It was answered, so it was sent: a reply failing this way must not be sent again.
    expect(error.details.neverSent).toBe(false)
  })

  it('never calls a write whose answer broke off "never sent"', async () => {
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
      response.write(gzipSync(JSON.stringify({ id: '1' })).subarray(0, 12))
      setTimeout(() => response.socket?.destroy(), 20)
    }
    const error = await failure(
      client().send(`${loopback.origin}/api/v1/statuses`, { method: 'POST', body: '{}' }),
    )
    expect(error.details.neverSent).not.toBe(true)
    expect(error.message).toMatch(/cut off|broke off/)
  })

  it('reuses one connection for requests one after another to the same server', async () => {
    handler = (_request, response) => response.end(FEED)
    const http = client()
    for (let n = 0; n < 3; n++) await http.get(`${loopback.origin}/feed/${n}`)
    expect(sockets).toHaveLength(1)
  })

  it('keeps the connection after an unread error body, and drops one it stopped reading', async () => {
    handler = (request, response) => {
      if (request.url === '/gone') {
        response.writeHead(410)
        response.end('gone for good')
      } else if (request.url === '/huge') {
        response.writeHead(404, { 'content-length': String(4 * 1024 * 1024) })
        response.write(Buffer.alloc(64 * 1024))
        // The rest never comes: a reader waiting for it would hang; the transport must let go.
      } else response.end(FEED)
    }
    const http = client()
    await expect(http.get(`${loopback.origin}/gone`)).rejects.toThrow(/410/)
    // The error comes as soon as the status is in; the short body drains a moment later.
    await new Promise((resolve) => setTimeout(resolve, 50))
    await http.get(`${loopback.origin}/feed`)
    expect(sockets).toHaveLength(1)
    await expect(http.get(`${loopback.origin}/huge`)).rejects.toThrow(/404/)
    await http.get(`${loopback.origin}/feed`)
    expect(sockets).toHaveLength(2)
  })

  it('cuts the connection of a short unwanted body that never ends, a moment later', async () => {
    handler = (_request, response) => {
      // Chunked, no length: short so far, but the rest never comes.
      response.writeHead(404)
      response.write('not found, and then nothing')
    }
    await expect(client().get(`${loopback.origin}/stalled`)).rejects.toThrow(/404/)
    const socket = sockets[0]
    expect(socket?.destroyed).toBe(false)
    // Drained for up to a second, then let go rather than held open for ever.
    await new Promise<void>((resolve) => socket?.once('close', () => resolve()))
    expect(socket?.destroyed).toBe(true)
  })

  it('ends the body with an error when the connection is cut mid-body', async () => {
    handler = (_request, response) => {
      response.writeHead(200, { 'content-length': '100000' })
      response.write('<rss><channel>')
      setTimeout(() => response.socket?.destroy(), 20)
    }
    await expect(client().get(`${loopback.origin}/feed`)).rejects.toThrow(/cut off/)
  })

  it('sends a write with its length and body', async () => {
    let received = ''
    let length: string | undefined
    handler = (request, response) => {
      length = request.headers['content-length']
      request.setEncoding('utf8')
      request.on('data', (chunk: string) => (received += chunk))
      request.on('end', () => response.end('{}'))
    }
    const body = JSON.stringify({ status: 'Désolé — on regarde ça' })
    await client().send(`${loopback.origin}/api/v1/statuses`, { method: 'POST', body })
    expect(received).toBe(body)
    expect(length).toBe(String(Buffer.byteLength(body)))
  })

  it('refuses a self-signed certificate, and says so in words', async () => {
    const tls = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'tls')
    const secure = createHttpsServer(
      {
        key: readFileSync(join(tls, 'self-signed-127.0.0.1.key.pem')),
        cert: readFileSync(join(tls, 'self-signed-127.0.0.1.cert.pem')),
      },
      (_request, response) => response.end(FEED),
    )
    const { origin, close } = await listenOnLoopback(secure)
    try {
      const url = origin.replace('http:', 'https:')
      const error = await failure(client().get(`${url}/feed`))
      const host = new URL(url).host
      expect(error.message).toBe(
        `The security certificate of ${host} is self-signed, so it cannot be trusted`,
      )
      expect(error.details.neverSent).toBe(true)
    } finally {
      await close()
    }
  })

  it('refuses an address that is not a web address', async () => {
    const signal = new AbortController().signal
    await expect(
      nodeTransport('file:///etc/passwd', { method: 'GET', headers: {}, signal }),
    ).rejects.toThrow(/Only web addresses/)
  })
})
