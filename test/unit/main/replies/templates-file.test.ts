import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../../src/main/log'
import { createTemplateStore } from '../../../../src/main/replies/templates-file'
import { DEFAULT_TEMPLATES } from '../../../../src/shared/templates'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-templates-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const store = () => createTemplateStore({ dataDir: dir, now: () => 0, logger: silentLogger })

describe('templates.json', () => {
  it('starts with the seeded templates and keeps what the responder saves', async () => {
    const first = store()
    await first.start()
    const listed = await first.handlers['templates:list']({})
    expect(listed.ok && listed.value).toEqual(DEFAULT_TEMPLATES)
    const edited = [{ ...DEFAULT_TEMPLATES[0]!, body: 'Thanks a lot, {{author}}!' }]
    await first.handlers['templates:save']({ templates: edited })
    const second = store()
    await second.start()
    const again = await second.handlers['templates:list']({})
    expect(again.ok && again.value).toEqual(edited)
    expect(second.problems()).toEqual([])
  })

  it('keeps a corrupt file aside, starts with the seeded ones and says so', async () => {
    await writeFile(join(dir, 'templates.json'), '{"version":1,"templates":[{"id":"Bad Id"}]')
    const loaded = store()
    await loaded.start()
    const listed = await loaded.handlers['templates:list']({})
    expect(listed.ok && listed.value).toEqual(DEFAULT_TEMPLATES)
    expect(loaded.problems()[0]).toMatch(/templates.json could not be read .* kept as/)
    const files = await readdir(dir)
    const backup = files.find((f) => f.startsWith('templates.json.corrupt-'))
    expect(backup).toBeDefined()
    expect(await readFile(join(dir, backup!), 'utf8')).toContain('Bad Id')
  })
})
