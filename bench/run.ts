import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { batchToNotifyBenchmark } from './batch-to-notify'
import { historyBenchmark } from './history'
import { ingestBenchmark } from './ingest'
import { queueBenchmark } from './queue'
import { reportsBenchmark } from './reports'
import { mainMemoryBenchmark, pollCycleBenchmark } from './poll-cycle'
import { record, round, type Figure } from './results'
import { streamToNotifyBenchmark } from './stream-to-notify'
import { triageSpeedBenchmark } from './triage-speed'

/*
 * `npm run bench [-- <figure or benchmark name>[,<another>...]]`: runs the benchmarks, prints every
 * figure.
 */

type Benchmark = {
  name: string
  figures: string[]
  run: () => Promise<{ figures: Figure[]; chromium?: string }>
  /** Runs from source alone: no `npm run build` needed. */
  standalone?: boolean
}

const benchmarks: Benchmark[] = [
  { name: 'ingest', figures: ['ingest_mentions_per_s', 'ingest_vs_raw_idb'], run: ingestBenchmark },
  { name: 'triage', figures: ['triage_vs_raw_sentiment'], run: triageSpeedBenchmark },
  {
    name: 'stream',
    figures: ['stream_to_notify_ms', 'stream_to_notify_p95_ms', 'stream_to_notify_vs_ws'],
    run: streamToNotifyBenchmark,
    standalone: true,
  },
  {
    name: 'alerts',
    figures: ['batch_to_notify_ms'],
    run: batchToNotifyBenchmark,
    standalone: true,
  },
  {
    name: 'queue',
    figures: ['queue_first_paint_ms_100k', 'filter_ms_100k', 'scroll_p95_frame_ms', 'page_mb_100k'],
    run: queueBenchmark,
  },
  { name: 'reports', figures: ['report_90d_ms_200k'], run: reportsBenchmark },
  {
    name: 'history',
    figures: ['search_p95_ms_200k', 'export_peak_mb_200k'],
    run: historyBenchmark,
  },
  { name: 'poll-cycle', figures: ['poll_cycle_vs_bare'], run: pollCycleBenchmark },
  { name: 'main-memory', figures: ['main_rss_mb_100k'], run: mainMemoryBenchmark },
]

async function main(): Promise<void> {
  // One name, several separated by commas, or none for all of them.
  const wanted = process.argv[2]?.split(',')
  const chosen = wanted
    ? benchmarks.filter((b) => wanted.some((w) => b.name === w || b.figures.includes(w)))
    : benchmarks
  if (chosen.length === 0) {
    const known = benchmarks.flatMap((b) => [b.name, ...b.figures]).join(', ')
    throw new Error(`Unknown benchmark ${process.argv[2]}. Known: ${known}`)
  }
  const needsBuild = chosen.some((b) => !b.standalone)
  if (needsBuild && !existsSync(join(import.meta.dirname, '..', 'out', 'main', 'web.js'))) {
    throw new Error('The app is not built: run `npm run build` first (npm run bench does).')
  }
  const all: Record<string, number> = {}
  if (chosen.length > 1) {
    // Each benchmark runs in a process of its own, so none is measured in a heap another left
    // behind: after the ingest benchmark, triage ran a third slower in the same process than
    // alone (183,000 texts/s against 273,000), while the bare `sentiment` lost only an eighth.
    for (const benchmark of chosen) Object.assign(all, await runAlone(benchmark.name))
    console.log(JSON.stringify(all))
    return
  }
  for (const benchmark of chosen) {
    console.log(`\n# ${benchmark.name}`)
    const { figures, chromium } = await benchmark.run()
    for (const f of figures) {
      console.log(
        `${f.name}: ${round(f.value)} ${f.unit} (target ${f.target}: ${f.met ? 'met' : 'NOT met'})${f.note ? ` — ${f.note}` : ''}`,
      )
      all[f.name] = round(f.value)
    }
    await record(figures, chromium ? { chromium } : {})
  }
  console.log(JSON.stringify(all))
}

/** Runs one benchmark in a child process, its output passed through; resolves with its figures. */
function runAlone(name: string): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, import.meta.filename, name], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let last = ''
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => {
      process.stdout.write(chunk)
      last = (last + chunk).split('\n').slice(-2).join('\n')
    })
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`The ${name} benchmark failed (exit code ${code})`))
      const line = last.trim().split('\n').at(-1) ?? ''
      try {
        resolve(JSON.parse(line) as Record<string, number>)
      } catch {
        reject(new Error(`The ${name} benchmark printed no figures as its last line`))
      }
    })
  })
}

main().catch((cause: unknown) => {
  console.error(cause instanceof Error ? cause.message : String(cause))
  process.exitCode = 1
})
