import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { build } from 'vite'
import { repoRoot } from '../test/e2e/harness'
import type { MemoryWhere } from './main-memory-child'
import type { Figure } from './results'
import { FARM_SCRIPT } from './source-fixtures'

/**
 * Bundles the measured children into out/bench like out/main (the child, the parse worker beside
 * it, packages left external), so they run the app's code as the app's main does: without tsx,
 * whose transform adds a helper call to every named function and closure the core creates.
 */
async function bundleChildren(): Promise<string> {
  const outDir = join(repoRoot, 'out', 'bench')
  await build({
    configFile: false,
    logLevel: 'warn',
    root: repoRoot,
    build: {
      ssr: true,
      outDir,
      emptyOutDir: true,
      minify: false,
      rolldownOptions: {
        input: {
          'main-memory-child': join(repoRoot, 'bench', 'main-memory-child.ts'),
          'poll-cycle-child': join(repoRoot, 'bench', 'poll-cycle-child.ts'),
          'parse-worker': join(repoRoot, 'src', 'main', 'sources', 'parse-worker.ts'),
        },
        output: { format: 'esm', entryFileNames: '[name].js' },
      },
    },
  })
  return outDir
}

/** Runs a bundled child with the feed farm's script; resolves with its last line of output. */
async function runChild(script: string, nodeArgs: string[] = []): Promise<string> {
  const child = spawn(process.execPath, [...nodeArgs, script, FARM_SCRIPT], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let out = ''
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()))
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  if (code !== 0) throw new Error(`${script} failed (${code}): ${out}`)
  return out.trim().split('\n').pop() ?? ''
}

/*
 * poll_cycle_vs_bare: measured in a child process running the bundled core (see
 * poll-cycle-child.ts for what is measured and how).
 */
export async function pollCycleBenchmark(): Promise<{ figures: Figure[] }> {
  const outDir = await bundleChildren()
  const figures = JSON.parse(await runChild(join(outDir, 'poll-cycle-child.js'))) as Figure[]
  return { figures }
}

/*
 * main_rss_mb_100k: a child process runs the core against loopback feeds until it has seen
 * 100,000 mentions (acking each batch as the page would), then reports its resident memory.
 */
export async function mainMemoryBenchmark(): Promise<{ figures: Figure[] }> {
  const outDir = await bundleChildren()
  const line = await runChild(join(outDir, 'main-memory-child.js'), ['--expose-gc'])
  const result = JSON.parse(line) as {
    rssMb: number
    mentions: number
    heapMb: number
    heapTotalMb: number
    settledRssMb: number
    settledHeapTotalMb: number
    workers: number
    externalMb: number
    baselineMb: number
    withoutWorkersMb: number
    rest: { rssMb: number; afterS: number }
    where: { before: MemoryWhere; settled: MemoryWhere; withoutWorkers: MemoryWhere }
  }
  const { settled, withoutWorkers } = result.where
  const committed = (w: MemoryWhere) => w.newCommittedMb + w.oldCommittedMb + w.otherCommittedMb
  const n = (value: number | null) => (value === null ? '?' : String(Math.round(value)))
  // Where the settled RSS is: file-backed code, main's V8 heap as committed (new space grows to
  // its maximum under load and stays), and the rest of the anonymous memory (the parse worker's
  // isolate, malloc arenas, Buffers); ending the worker shows its share.
  const split = `; settled, by kind: ${n(settled.fileMb)} MB file-backed (node and its libraries), ${n(settled.anonMb)} MB anonymous, of which main's V8 heap holds ${Math.round(committed(settled))} MB (new space ${Math.round(settled.newCommittedMb)}, old space ${Math.round(settled.oldCommittedMb)}, ${Math.round(settled.usedMb)} MB in use) and the rest, ${n(settled.anonMb === null ? null : settled.anonMb - committed(settled))} MB, is the parse worker's isolate, malloc's arenas and Buffers; with the worker ended, anonymous ${n(withoutWorkers.anonMb)} MB`
  return {
    figures: [
      {
        name: 'main_rss_mb_100k',
        value: result.rssMb,
        unit: 'MB',
        target: '< 150',
        met: result.rssMb < 150,
        note: `core bundled like out/main, in a child process, 200 RSS sources × 500 items on loopback, ${result.mentions} mentions seen, triaged and journaled, batches acked as the page does; heap ${Math.round(result.heapMb)} MB used of ${Math.round(result.heapTotalMb)} MB, external ${Math.round(result.externalMb)} MB; the process held ${Math.round(result.baselineMb)} MB before the core started and ${Math.round(result.withoutWorkersMb)} MB once its ${result.workers} parse worker(s) were ended; 2 s later (after a second gc) ${Math.round(result.settledRssMb)} MB RSS, heap total ${Math.round(result.settledHeapTotalMb)} MB${split}; at rest (the idle parse worker exited, ${Math.round(result.rest.afterS)} s later) ${Math.round(result.rest.rssMb)} MB`,
      },
    ],
  }
}
