import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cli, root, slow } from './cli-run'
import { readFeed, startFeedServer, type FeedServer } from '../../fixtures/feed-server'
import { startMastodonServer, status } from '../../fixtures/mastodon-server'

const fixtures = join(root, 'test/fixtures/triage')
const brand = JSON.stringify({ brand: 'Acme', handles: ['@acme'], competitors: ['Globex'] })

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-cli-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function temp(name: string, content: string): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, content)
  return path
}

describe('cli triage', slow, () => {
  it('scores a JSONL file, one line per post, ids defaulting to the line number', async () => {
    const run = await cli('triage', join(fixtures, 'mentions.jsonl'), '--brand', brand)
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.lines.map((l) => l['id'])).toEqual(['m1', 2, 3])
    const [angry, praise, churn] = run.lines
    expect(angry).toMatchObject({
      directed: true,
      sentiment: { label: 'negative' },
      intent: 'complaint',
      matched: ['@acme'],
    })
    expect(Object.keys(angry ?? {})).toEqual([
      'id',
      'sentiment',
      'intent',
      'directed',
      'urgency',
      'reasons',
      'matched',
      'route',
    ])
    expect(Object.keys(angry?.['sentiment'] ?? {})).toEqual(['score', 'comparative', 'label'])
    expect(angry?.['urgency']).toBeGreaterThanOrEqual(70)
    expect(angry?.['reasons']).toContainEqual({ code: 'reach', label: '2.4k followers', points: 7 })
    expect(praise).toMatchObject({
      directed: false,
      urgency: 0,
      sentiment: { label: 'positive' },
      intent: 'praise',
    })
    expect(churn?.['matched']).toEqual(['Acme', 'Globex'])
  })

  it('scores a CSV file with quoted commas, quotes and line breaks', async () => {
    const run = await cli('triage', join(fixtures, 'mentions.csv'))
    expect(run.code).toBe(0)
    expect(run.lines.map((l) => l['id'])).toEqual(['c1', 'c2'])
    expect(run.lines[0]).toMatchObject({ sentiment: { label: 'negative' }, matched: [] })
    expect(run.lines[1]).toMatchObject({ sentiment: { label: 'positive' }, intent: 'praise' })
  })

  it('tells JSONL from CSV by the first character when the extension says nothing', async () => {
    const jsonl = await temp('posts.txt', '\n  {"text":"@acme refund please"}\n')
    const csv = await temp('rows.txt', 'text\n"fine, thanks"\n')
    const runs = await Promise.all([cli('triage', jsonl), cli('triage', csv)])
    expect(runs.map((run) => run.lines.length)).toEqual([1, 1])
  })

  it('names the line of a malformed JSON line and prints nothing else', async () => {
    const path = await temp('bad.jsonl', '{"text":"ok"}\n{"text": nope}\n')
    const run = await cli('triage', path)
    expect(run).toMatchObject({ code: 1, stdout: '', stderr: 'line 2: not valid JSON\n' })
  })

  it('names the line of a row without text', async () => {
    const [csv, jsonl, header] = await Promise.all([
      cli('triage', await temp('gap.csv', 'id,text\n1,"fine"\n2,\n')),
      cli('triage', await temp('gap.jsonl', '{"text":"fine"}\n{"id":"x"}\n')),
      cli('triage', await temp('nohead.csv', 'id,body\n1,hello\n')),
    ])
    expect(csv).toMatchObject({ code: 1, stdout: '', stderr: 'line 3: no text\n' })
    expect(jsonl).toMatchObject({ code: 1, stderr: 'line 2: no text\n' })
    expect(header).toMatchObject({
      code: 1,
      stderr: 'line 1: the CSV header has no "text" column\n',
    })
  })

  it('says plainly when the file is missing', async () => {
    const run = await cli('triage', join(dir, 'nowhere.csv'))
    expect(run.code).toBe(1)
    expect(run.stderr).toBe(`No such file: ${join(dir, 'nowhere.csv')}\n`)
  })

  it('refuses a bad --brand or a missing file argument as usage errors', async () => {
    const file = join(fixtures, 'mentions.csv')
    const [notJson, empty, noFile, unknown] = await Promise.all([
      cli('triage', file, '--brand', '{oops'),
      cli('triage', file, '--brand', '{"brand":""}'),
      cli('triage'),
      cli('triage', file, '--colour', 'red'),
    ])
    expect(notJson).toMatchObject({ code: 2, stderr: '--brand is not valid JSON\n' })
    expect(empty.code).toBe(2)
    expect(empty.stderr).toMatch(/^--brand is not a valid brand profile \(brand: /)
    expect(noFile).toMatchObject({ code: 2, stdout: '' })
    expect(unknown).toMatchObject({ code: 2, stderr: 'Unknown option --colour\n' })
  })

  it('never prints a stack trace', async () => {
    const runs = await Promise.all([
      cli('triage', join(dir, 'nowhere.csv')),
      cli('triage', await temp('unclosed.csv', 'text\n"never closed\n')),
    ])
    for (const run of runs) {
      expect(run.stderr.trim().split('\n')).toHaveLength(1)
      expect(run.stderr).not.toMatch(/\n\s+at /)
    }
    expect(runs[1]?.stderr).toBe('line 2: a quoted field is never closed\n')
  })
})

describe('cli help', slow, () => {
  it('prints usage for help and for no command, and fails on an unknown one', async () => {
    const [help, none, unknown] = await Promise.all([cli('help'), cli(), cli('frobnicate')])
    for (const run of [help, none]) {
      expect(run.code).toBe(0)
      expect(run.stdout).toContain('triage <file>')
      expect(run.stdout).toContain('poll --source')
    }
    expect(unknown).toMatchObject({ code: 2, stdout: '' })
    expect(unknown.stderr).toMatch(/^Unknown command "frobnicate"/)
  })
})

describe('cli poll', slow, () => {
  let server: FeedServer
  beforeAll(async () => {
    server = await startFeedServer({
      '/feed.xml': {
        headers: { 'content-type': 'application/rss+xml; charset=utf-8' },
        body: readFeed('blog.rss.xml'),
      },
    })
  })
  afterAll(async () => {
    await server.close()
  })

  it('fetches a feed once and prints each mention with its triage', async () => {
    const source = JSON.stringify({ kind: 'rss', url: server.url('/feed.xml') })
    const run = await cli('poll', '--source', source, '--brand', brand)
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.lines.length).toBeGreaterThan(0)
    for (const line of run.lines) {
      expect(Object.keys(line)).toEqual(
        expect.arrayContaining(['id', 'source', 'platform', 'url', 'author', 'text', 'createdAt']),
      )
      expect(line).toMatchObject({ platform: 'rss', source: 'cli' })
      expect(typeof line['urgency']).toBe('number')
      expect(Array.isArray(line['reasons'])).toBe(true)
      expect(new Date(line['createdAt'] as string).toISOString()).toBe(line['createdAt'])
    }
    expect(server.count('/feed.xml')).toBe(1)
  })

  it('reports a failed fetch in plain words', async () => {
    const source = JSON.stringify({ kind: 'rss', url: server.url('/gone.xml') })
    const run = await cli('poll', '--source', source)
    expect(run.code).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr.trim().split('\n')).toHaveLength(1)
    expect(run.stderr).toMatch(/404/)
  })

  it('checks the source before fetching', async () => {
    const before = server.requests.length
    const [bad, missing] = await Promise.all([
      cli('poll', '--source', '{"kind":"rss","url":"ftp://example.com/feed"}'),
      cli('poll'),
    ])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/^--source is not a valid source \(url: /)
    expect(missing).toMatchObject({ code: 2, stdout: '' })
    expect(server.requests).toHaveLength(before)
  })

  it('takes credentials inside the source and never prints them', async () => {
    const secret = 'cli-secret-7d41f0aa'
    const mastodon = await startMastodonServer([
      status('113200000000000001', new Date().toISOString(), 'Acme Cloud is down', ['acme']),
    ])
    mastodon.token = secret
    try {
      const source = (extra: Record<string, unknown>) =>
        JSON.stringify({
          kind: 'mastodon',
          instance: mastodon.origin,
          hashtags: ['acme'],
          ...extra,
        })
      const [good, empty, wrongKind, unreachable] = await Promise.all([
        cli('poll', '--source', source({ credentials: { accessToken: secret } })),
        cli('poll', '--source', source({ credentials: { accessToken: ' ', extra: secret } })),
        cli(
          'poll',
          '--source',
          JSON.stringify({
            kind: 'rss',
            url: server.url('/feed.xml'),
            credentials: { token: secret },
          }),
        ),
        // A sign-in source whose server is not there (a closed loopback port).
        cli(
          'poll',
          '--source',
          JSON.stringify({
            kind: 'bluesky',
            service: 'http://127.0.0.1:9',
            identifier: 'acme.bsky.social',
            credentials: { appPassword: secret },
          }),
        ),
      ])
      expect(good).toMatchObject({ code: 0, stderr: '' })
      expect(good.lines.map((line) => line['platform'])).toEqual(['mastodon'])
      expect(empty.code).toBe(2)
      expect(empty.stderr).toMatch(/invalid credentials \(credentials\./)
      expect(wrongKind.code).toBe(2)
      expect(wrongKind.stderr).toMatch(/rss sources take no credentials/)
      expect(unreachable.code).toBe(1)
      for (const run of [good, empty, wrongKind, unreachable]) {
        expect(run.stdout + run.stderr).not.toContain(secret)
      }
    } finally {
      await mastodon.close()
    }
  })
})

describe('cli triage routes', slow, () => {
  const posts = [
    { id: 'lawyer', text: '@acme you charged me twice. My lawyer will be in touch.' },
    { id: 'idea', text: 'you should add dark mode' },
    { id: 'complaint', text: '@acme still waiting for my refund, three weeks now' },
    { id: 'hello', text: 'Anyone at the Acme meetup tonight' },
    { id: 'toot', text: 'Anyone at the Acme meetup tonight', source: 'mastodon' },
  ]
  const jsonl = posts.map((post) => JSON.stringify(post)).join('\n')

  it('names the department the default rules choose, or null', async () => {
    const run = await cli('triage', await temp('routes.jsonl', jsonl), '--brand', brand)
    expect(run.code).toBe(0)
    expect(Object.fromEntries(run.lines.map((l) => [l['id'], l['route']]))).toEqual({
      lawyer: 'PR',
      idea: 'Product',
      complaint: 'Customer service',
      hello: null,
      toot: null,
    })
  })

  it('routes with --rules, by source too, and its rules may set urgency', async () => {
    const rules = {
      departments: [{ id: 'events', name: 'Events team', followUpHours: 24 }],
      rules: [
        {
          id: 'fediverse-meetups',
          name: 'Fediverse meetups',
          enabled: true,
          conditions: { words: ['meetup'], sources: ['mastodon'] },
          actions: { department: 'events', setUrgency: 80 },
        },
      ],
    }
    const [file, bare] = await Promise.all([
      temp('rules.json', JSON.stringify(rules)),
      temp('bare.json', JSON.stringify(rules.rules)),
    ])
    const input = await temp('routes2.jsonl', jsonl)
    const [run, bareRun] = await Promise.all([
      cli('triage', input, '--rules', file),
      cli('triage', input, '--rules', bare),
    ])
    expect(run.code).toBe(0)
    expect(run.lines.map((l) => l['route'])).toEqual([null, null, null, null, 'Events team'])
    expect(run.lines[4]).toMatchObject({ urgency: 80 })
    expect((run.lines[4]?.['reasons'] as { code: string }[])[0]?.code).toBe(
      'rule:Fediverse meetups',
    )
    // a bare list routes to the default departments, where "events" does not exist
    expect(bareRun).toMatchObject({ code: 1, stdout: '' })
    expect(bareRun.stderr).toMatch(/routes to a department that does not exist \(events\)/)
  })

  it('says plainly when the rules file is missing or wrong', async () => {
    const input = await temp('one.jsonl', '{"text":"hi"}')
    const [missing, notJson, wrong] = await Promise.all([
      cli('triage', input, '--rules', join(dir, 'none.json')),
      cli('triage', input, '--rules', await temp('broken.json', '{')),
      cli('triage', input, '--rules', await temp('wrong.json', '{"rules":[{"id":"x"}]}')),
    ])
    expect(missing).toMatchObject({ code: 1, stdout: '' })
    expect(missing.stderr).toBe(`No such rules file: ${join(dir, 'none.json')}\n`)
    expect(notJson.stderr).toMatch(/broken\.json is not valid JSON\n$/)
    expect(wrong.stderr).toMatch(/wrong\.json does not hold routing rules/)
  })
})
