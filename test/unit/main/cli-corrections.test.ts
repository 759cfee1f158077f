import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cli, slow, type Run } from './cli-run'

const brand = JSON.stringify({ brand: 'Acme', handles: ['@acme'] })

let dir: string
let posts: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-cli-learn-'))
  posts = await temp(
    'posts.jsonl',
    [
      { id: 'bag', text: '@acme my bag is still in Phoenix' },
      { id: 'thanks', text: '@acme thanks, lovely crew today' },
    ]
      .map((row) => JSON.stringify(row))
      .join('\n'),
  )
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function temp(name: string, content: string): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, content)
  return path
}

const places = ['Denver', 'Boston', 'Austin', 'Chicago', 'Dallas', 'Miami', 'Seattle', 'Newark']
/** The same history a responder would build in the app: bags still missing are negative. */
function history(): string[] {
  const lines: string[] = []
  for (let i = 0; i < 24; i++) {
    lines.push(
      JSON.stringify({
        text: `@acme my bag is still in ${places[i % 8]}, day ${i}`,
        sentiment: 'negative',
      }),
    )
    if (i % 4 === 0) {
      lines.push(
        JSON.stringify({
          text: `@acme what time does the lounge in ${places[i % 8]} open?`,
          sentiment: 'neutral',
        }),
      )
    }
  }
  return lines
}

const byId = (run: Run, id: string) => run.lines.find((line) => line['id'] === id)

describe('cli triage --corrections', slow, () => {
  it('learns the corrections first and keeps the output fields', async () => {
    const corrections = await temp('history.jsonl', history().join('\n') + '\n')
    const [plain, taught] = await Promise.all([
      cli('triage', posts, '--brand', brand),
      cli('triage', posts, '--brand', brand, '--corrections', corrections),
    ])
    expect(taught.stderr).toBe('')
    expect(taught.code).toBe(0)
    expect(byId(plain, 'bag')?.['sentiment']).toMatchObject({ label: 'neutral' })
    expect(byId(taught, 'bag')?.['sentiment']).toMatchObject({ label: 'negative' })
    expect(byId(taught, 'bag')?.['reasons']).toContainEqual({
      code: 'learned:sentiment',
      label: 'Learned from your corrections: negative',
      points: 0,
    })
    // A dissimilar post is scored as before, field for field.
    expect(byId(taught, 'thanks')).toEqual(byId(plain, 'thanks'))
    expect(Object.keys(byId(taught, 'bag') ?? {})).toEqual(Object.keys(byId(plain, 'bag') ?? {}))
  })

  it('reports bad lines by number and still uses the good ones', async () => {
    const lines = history()
    lines.splice(2, 0, 'not json')
    lines.splice(5, 0, JSON.stringify({ text: '@acme hi', sentiment: 'furious' }))
    lines.splice(7, 0, JSON.stringify({ text: '@acme no label here' }))
    lines.splice(9, 0, JSON.stringify({ sentiment: 'negative' }))
    const corrections = await temp('mixed.jsonl', lines.join('\n'))
    const run = await cli('triage', posts, '--brand', brand, '--corrections', corrections)
    expect(run.code).toBe(0)
    const problems = run.stderr.trim().split('\n')
    expect(problems).toHaveLength(5)
    expect(problems[0]).toBe(`${corrections} line 3: not valid JSON, skipped`)
    expect(problems[1]).toMatch(new RegExp(`line 6: sentiment: .*skipped$`))
    expect(problems[2]).toBe(
      `${corrections} line 8: needs "intent", "sentiment" or "urgent", skipped`,
    )
    expect(problems[3]).toMatch(/line 10: text: .*skipped$/)
    expect(problems[4]).toBe(
      `Learned ${history().length} corrections from ${corrections}; skipped 4.`,
    )
    expect(byId(run, 'bag')?.['sentiment']).toMatchObject({ label: 'negative' })
  })

  it('says plainly when the corrections file is missing, and prints nothing', async () => {
    const run = await cli('triage', posts, '--corrections', join(dir, 'nope.jsonl'))
    expect(run.code).toBe(1)
    expect(run.stderr.trim()).toBe(`No such file: ${join(dir, 'nope.jsonl')}`)
    expect(run.lines).toEqual([])
  })

  it('refuses a --brand that is not a brand profile before learning anything', async () => {
    const corrections = await temp('few.jsonl', history().join('\n'))
    const run = await cli(
      'triage',
      posts,
      '--brand',
      '{"handles":[]}',
      '--corrections',
      corrections,
    )
    expect(run.code).toBe(2)
    expect(run.stderr.trim()).toMatch(/^--brand is not a valid brand profile \(brand: /)
    expect(run.lines).toEqual([])
  })
})
