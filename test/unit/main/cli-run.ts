/* Runs the triage CLI the way `npm run cli` does, in a child process, for the CLI tests. */
import { spawn } from 'node:child_process'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')

/** Each run starts Node with tsx (most of a second, more on a busy machine). */
export const slow = { timeout: 60_000 }

export type Run = {
  code: number | null
  stdout: string
  stderr: string
  /** Standard output as JSON lines, or none when it is not JSON. */
  lines: Record<string, unknown>[]
}

export function cli(...args: string[]): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/cli.ts', ...args], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1' },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', fail)
    child.on('close', (code) => {
      const lines = stdout.startsWith('{')
        ? stdout
            .trim()
            .split('\n')
            .map((line) => JSON.parse(line) as Record<string, unknown>)
        : []
      done({ code, stdout, stderr, lines })
    })
  })
}
