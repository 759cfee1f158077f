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

/* `npm run bench [-- <figure or benchmark name>]`: runs the benchmarks, prints every figure. */

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
  const wanted = process.argv[2]
  const chosen = wanted
    ? benchmarks.filter((b) => b.name === wanted || b.figures.includes(wanted))
    : benchmarks
  if (chosen.length === 0) {
    const known = benchmarks.flatMap((b) => [b.name, ...b.figures]).join(', ')
    throw new Error(`Unknown benchmark ${wanted}. Known: ${known}`)
  }
  const needsBuild = chosen.some((b) => !b.standalone)
  if (needsBuild && !existsSync(join(import.meta.dirname, '..', 'out', 'main', 'web.js'))) {
    throw new Error('The app is not built: run `npm run build` first (npm run bench does).')
  }
  const all: Record<string, number> = {}
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

main().catch((cause: unknown) => {
  console.error(cause instanceof Error ? cause.message : String(cause))
  process.exitCode = 1
})
