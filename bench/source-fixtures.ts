import { spawn, type ChildProcess } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/* Shared by the source benchmarks: the feed farm in its own process, and a data dir whose sources
   all come due a second after start (saved next checks), so one cycle polls every one of them. */

export type Farm = { origin: string; stop: () => Promise<void> }

/** The farm's script; a bundled caller (out/bench) passes its path in. */
export const FARM_SCRIPT = join(import.meta.dirname, 'feed-farm.ts')

export async function startFarm(items: number, script = FARM_SCRIPT): Promise<Farm> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script, String(items)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const port = await new Promise<number>((resolve, reject) => {
    let out = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const match = /listening (\d+)/.exec(out)
      if (match?.[1]) resolve(Number(match[1]))
    })
    child.once('exit', (code) => reject(new Error(`the feed farm exited with ${code}`)))
  })
  return {
    origin: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}

export const feedUrl = (origin: string, n: number) => `${origin}/feed/${n}.xml`

/** profile.json, sources.json and health.json for `count` feeds, all due `dueInMs` after now. */
export async function writeFarmData(
  dir: string,
  origin: string,
  count: number,
  dueInMs: number,
): Promise<void> {
  const profile = { brand: 'Acme', handles: [], products: [], competitors: [], excluded: [] }
  const sources = Array.from({ length: count }, (_, n) => ({
    id: `rss-farm-${n}`,
    kind: 'rss',
    name: `Forum ${n}`,
    url: feedUrl(origin, n),
    paused: false,
    intervalSec: 3600,
    createdAt: 0,
  }))
  const due = Date.now() + dueInMs
  const health = Object.fromEntries(
    sources.map((s) => [
      s.id,
      {
        state: 'waiting',
        lastSuccessAt: null,
        lastErrorAt: null,
        lastError: null,
        itemsTotal: 0,
        nextCheckAt: due,
        consecutiveFailures: 0,
      },
    ]),
  )
  await writeFile(join(dir, 'profile.json'), JSON.stringify({ version: 1, profile }))
  await writeFile(join(dir, 'sources.json'), JSON.stringify({ version: 1, sources }))
  await writeFile(join(dir, 'health.json'), JSON.stringify({ version: 1, health }))
}
