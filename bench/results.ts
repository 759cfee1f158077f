import { readFile, writeFile } from 'node:fs/promises'
import { cpus, platform, release, totalmem } from 'node:os'
import { join } from 'node:path'

/* Keeps every figure's latest value, with its date and machine, and renders bench/RESULTS.md. */

export type Figure = {
  name: string
  value: number
  unit: string
  /** e.g. ">= 5000" or "< 150" */
  target: string
  met: boolean
  note?: string
}

type Stored = Figure & { date: string; machine: string }

const here = import.meta.dirname
const storePath = join(here, 'results.json')
const markdownPath = join(here, 'RESULTS.md')

export function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU'
  const gib = Math.round(totalmem() / 2 ** 30)
  return `${cpu}, ${cpus().length} cores, ${gib} GiB, ${platform()} ${release()}, Node ${process.versions.node}`
}

export async function record(figures: Figure[], extra: { chromium?: string } = {}): Promise<void> {
  const text = await readFile(storePath, 'utf8').catch(() => '{}')
  const stored = JSON.parse(text) as Record<string, Stored>
  const date = new Date().toISOString().slice(0, 10)
  const where = machine() + (extra.chromium ? `, Chromium ${extra.chromium}` : '')
  for (const figure of figures) stored[figure.name] = { ...figure, date, machine: where }
  await writeFile(storePath, JSON.stringify(stored, null, 2) + '\n')
  const rows = Object.values(stored)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map(
      (f) =>
        `| \`${f.name}\` | ${round(f.value)} ${f.unit} | ${f.target} | ${f.met ? 'yes' : '**no**'} | ${f.date} | ${f.note ?? ''} |`,
    )
  const machines = [...new Set(Object.values(stored).map((f) => `${f.date}: ${f.machine}`))]
  const markdown = `# Benchmark results

Written by \`npm run bench\` (\`npm run bench -- <name>\` runs one). Each figure is measured
against a baseline taken in the same run, so the ratios hold across machines; absolute figures
are this machine's.

| figure | value | target | met | date | how |
| --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

Machines:
${machines.map((m) => `- ${m}`).join('\n')}
`
  await writeFile(markdownPath, markdown)
}

export const round = (value: number) =>
  Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 100) / 100
