import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createCore } from '../../../../src/main/core'
import { silentLogger } from '../../../../src/main/log'
import type { Core } from '../../../../src/main/ports'
import { parseLearnerFile } from '../../../../src/main/triage/learner'
import { dispatchCall } from '../../../../src/shared/contract'
import type { BrandProfile, Triage } from '../../../../src/shared/domain'
import type { Result } from '../../../../src/shared/result'

const profile: BrandProfile = {
  brand: 'Acme',
  handles: [{ platform: 'x', handle: '@acme' }],
  products: [],
  competitors: [],
  excluded: [],
}
const places = ['Denver', 'Boston', 'Austin', 'Chicago', 'Dallas', 'Miami', 'Seattle', 'Newark']

let dir: string
let core: Core
let clock = 1_700_000_000_000

async function start(): Promise<void> {
  core = createCore({
    host: 'web',
    version: '0.1.0',
    dataDir: dir,
    logger: silentLogger,
    emit: () => undefined,
    notify: () => undefined,
    openExternal: () => Promise.resolve(),
    setUnhandled: () => undefined,
    now: () => clock,
  })
  await core.start()
}

function call<T>(name: string, input: unknown): Promise<T> {
  return dispatchCall(core.handlers, name, input).then((result) => {
    if (!result.ok) throw new Error(`${name}: ${result.error.message}`)
    return result.value as T
  })
}
const attempt = (name: string, input: unknown): Promise<Result<unknown>> =>
  dispatchCall(core.handlers, name, input)

type Corrected = { triage: Triage; corrections: number }
type Model = {
  corrections: number
  byKind: { intent: number; sentiment: number; urgent: number }
  updatedAt: number | null
}

/** The responder marks "my bag is still in ..." negative 24 times, and a few questions neutral. */
async function correctBags(): Promise<Corrected> {
  let last: Corrected | undefined
  for (let i = 0; i < 24; i++) {
    clock += 1_000
    last = await call<Corrected>('triage:correct', {
      text: `@acme my bag is still in ${places[i % 8]}, day ${i}`,
      platform: 'mastodon',
      sentiment: 'negative',
    })
    if (i % 4 === 0) {
      await call('triage:correct', {
        text: `@acme what time does the lounge in ${places[i % 8]} open?`,
        sentiment: 'neutral',
      })
    }
  }
  return last as Corrected
}

const probe = { text: '@acme my bag is still in Phoenix', platform: 'mastodon' }

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-learner-'))
  await start()
  await call('profile:save', { profile })
})
afterEach(async () => {
  await core.stop()
  await rm(dir, { recursive: true, force: true })
})

describe('triage:correct and the model calls', () => {
  it('learns each correction at once and answers with the re-scored mention', async () => {
    const first = await call<Corrected>('triage:correct', { ...probe, sentiment: 'negative' })
    expect(first.corrections).toBe(1)
    // One correction is not enough to overrule the rules.
    expect(first.triage.sentiment.label).toBe('neutral')
    const last = await correctBags()
    expect(last.corrections).toBe(31)
    expect(last.triage.sentiment.label).toBe('negative')
    expect(last.triage.reasons.map((r) => r.code)).toContain('learned:sentiment')
    expect(await call<Model>('triage:model', {})).toEqual({
      corrections: 31,
      byKind: { intent: 0, sentiment: 31, urgent: 0 },
      updatedAt: clock,
    })
  })

  it('keeps what it learned across a restart', async () => {
    await correctBags()
    const before = await call<Model>('triage:model', {})
    await core.stop()
    await start()
    expect(await call<Model>('triage:model', {})).toEqual(before)
    // A learned verdict still holds for a new post after the restart.
    const again = await call<Corrected>('triage:correct', { ...probe, urgent: false })
    expect(again.triage.sentiment.label).toBe('negative')
  })

  it('resets to the rules and says so in the counts', async () => {
    await correctBags()
    expect(await call<Model>('triage:resetModel', {})).toEqual({
      corrections: 0,
      byKind: { intent: 0, sentiment: 0, urgent: 0 },
      updatedAt: null,
    })
    const after = await call<Corrected>('triage:correct', { ...probe, intent: 'complaint' })
    expect(after.triage.sentiment.label).toBe('neutral')
    expect(after.triage.reasons.map((r) => r.code)).not.toContain('learned:sentiment')
    // The reset is saved too: a restart does not bring the old corrections back.
    await core.stop()
    await start()
    expect((await call<Model>('triage:model', {})).corrections).toBe(1)
  })

  it('imports an exported model in parts: the learned verdicts come back, saved', async () => {
    await correctBags()
    const before = await call<Model>('triage:model', {})
    const { json } = await call<{ json: string }>('triage:exportModel', {})
    await call('triage:resetModel', {})
    const size = Math.ceil(json.length / 3)
    const parts = [json.slice(0, size), json.slice(size, 2 * size), json.slice(2 * size)]
    const answers = []
    for (const [index, chunk] of parts.entries()) {
      answers.push(
        await call('triage:importModel', { uploadId: 'import-1', index, count: 3, chunk }),
      )
    }
    expect(answers.slice(0, 2)).toEqual([null, null])
    expect(answers[2]).toEqual(before)
    const scored = await call<Corrected>('triage:correct', { ...probe, urgent: false })
    expect(scored.triage.sentiment.label).toBe('negative')
    await core.stop()
    await start()
    expect((await call<Model>('triage:model', {})).byKind.sentiment).toBe(before.byKind.sentiment)
  })

  it('refuses a file that is not a model, and a part out of order, keeping the model', async () => {
    await correctBags()
    const before = await call<Model>('triage:model', {})
    const notJson = await attempt('triage:importModel', {
      uploadId: 'import-2',
      index: 0,
      count: 1,
      chunk: 'tweet_id,text',
    })
    expect(notJson.ok).toBe(false)
    if (!notJson.ok) expect(notJson.error.message).toMatch(/not a model exported by Earshot/)
    const wrongShape = await attempt('triage:importModel', {
      uploadId: 'import-3',
      index: 0,
      count: 1,
      chunk: JSON.stringify({ version: 1, words: 'all of them' }),
    })
    expect(wrongShape.ok).toBe(false)
    const stray = await attempt('triage:importModel', {
      uploadId: 'import-4',
      index: 1,
      count: 2,
      chunk: '}',
    })
    expect(stray.ok).toBe(false)
    if (!stray.ok) expect(stray.error.message).toMatch(/out of order/)
    expect(await call<Model>('triage:model', {})).toEqual(before)
  })

  it('exports the model as JSON a new learner can load', async () => {
    await correctBags()
    const { json } = await call<{ json: string }>('triage:exportModel', {})
    const parsed = parseLearnerFile(JSON.parse(json))
    expect(parsed.ok).toBe(true)
    if (parsed.ok) expect(parsed.file.posts).toBe(30)
  })

  it('refuses corrections that say nothing or are out of bounds', async () => {
    for (const input of [
      { text: '@acme hello' },
      { text: '', sentiment: 'negative' },
      { text: 'x'.repeat(20_001), sentiment: 'negative' },
      { text: 'hello', sentiment: 'angry' },
      { text: 'hello', intent: 'complaint', followers: -1 },
      { text: 'hello', intent: 'complaint', extra: true },
    ]) {
      const result = await attempt('triage:correct', input)
      expect(result.ok).toBe(false)
      if (!result.ok) expect(result.error.code).toBe('invalid-input')
    }
    expect((await call<Model>('triage:model', {})).corrections).toBe(0)
  })

  it('starts fresh from a corrupt learner.json, keeps it aside and says so', async () => {
    await core.stop()
    await writeFile(join(dir, 'learner.json'), '{"version":1,"posts":')
    await start()
    expect((await call<Model>('triage:model', {})).corrections).toBe(0)
    const info = await call<{ configProblems: string[] }>('app:info', {})
    expect(info.configProblems.some((p) => p.startsWith('learner.json could not be read'))).toBe(
      true,
    )
    expect((await readdir(dir)).some((name) => name.startsWith('learner.json.corrupt-'))).toBe(true)
    // And it learns and saves again as usual.
    await call('triage:correct', { ...probe, sentiment: 'negative' })
    await core.stop()
    const saved = parseLearnerFile(JSON.parse(await readFile(join(dir, 'learner.json'), 'utf8')))
    expect(saved.ok && saved.file.posts).toBe(1)
    await start()
  })
})
