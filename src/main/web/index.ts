import { mkdir } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createCore } from '../core'
import { createLogger, type LogLevel } from '../log'
import { defaultDataDir } from './data-dir'
import { lockDataDir, sessionToken } from './lock'
import { startWebHost, type WebHost } from './server'
import pkg from '../../../package.json'

/* `npm run web`: Earshot in the browser, for machines where Electron cannot start. */

const usage = `Usage: npm run web -- [--port 4477] [--data-dir <folder>]

  --port      port on 127.0.0.1 (default 4477; IndexedDB belongs to the port, so keep it fixed)
  --data-dir  where config and the delivery journal live (default: ${defaultDataDir()})`

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4477' },
      'data-dir': { type: 'string' },
      'log-level': { type: 'string', default: 'info' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  })
  if (values.help) {
    console.log(usage)
    return
  }
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`Not a port: ${values.port}`)
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir())
  const logger = createLogger(values['log-level'] as LogLevel)
  await mkdir(dataDir, { recursive: true })
  const unlock = await lockDataDir(dataDir)

  let host: WebHost | null = null
  const core = createCore({
    host: 'web',
    version: pkg.version,
    dataDir,
    logger,
    // No cipher here: source credentials go to a file only this user account can read (0600).
    emit: (event, payload) => host?.broadcast(event, payload),
    notify: (alert) => host?.broadcast('alerts:notify', alert),
    openExternal: () => Promise.resolve(),
    setUnhandled: () => undefined,
  })
  await core.start()
  const here = dirname(fileURLToPath(import.meta.url))
  try {
    host = await startWebHost({
      port,
      rendererDir: join(here, '../renderer'),
      handlers: core.handlers,
      logger,
      // Kept across restarts, so an open page reconnects by itself when the host comes back.
      token: await sessionToken(join(dataDir, 'web-token')),
    })
  } catch (cause) {
    await core.stop()
    await unlock()
    if ((cause as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(
        `Port ${port} is in use. Is Earshot already running? Choose another with --port.`,
        { cause },
      )
    }
    throw cause
  }
  console.log(`Earshot is running at ${host.url}`)
  console.log(`Data: ${dataDir}`)

  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    await host?.close()
    await core.stop()
    await unlock()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop())
  process.on('SIGTERM', () => void stop())
}

main().catch((cause: unknown) => {
  console.error(
    `Earshot could not start: ${cause instanceof Error ? cause.message : String(cause)}`,
  )
  process.exitCode = 1
})
