import type { Mention } from '../src/shared/domain'

/* Synthetic mentions for benchmarks: realistic sizes and shapes, clearly not real posts. */

const phrases = [
  'still waiting for my refund from Acme, three weeks now',
  'the new Acme Cloud dashboard is really nice, well done',
  'does anyone know if Acme supports SSO on the small plan?',
  '@acme my order arrived broken and nobody answers the phone',
  'switched from Globex to Acme last month, no regrets so far',
  'Acme Cloud is down again? cannot log in since this morning',
  'it would be great if Acme added a dark mode to the app',
  'overheard at the meetup: Acme support is quick these days',
]

export function syntheticMention(n: number, start = Date.parse('2026-11-01T00:00:00Z')): Mention {
  const text = `${phrases[n % phrases.length]} (#${n})`
  const negative = n % 3 === 0
  return {
    id: `rss:https://forum.example/feed.xml#post-${n}`,
    sourceId: 'bench-forum',
    platform: 'rss',
    url: `https://forum.example/posts/${n}`,
    author: { id: `rss:forum#user-${n % 997}`, name: `User ${n % 997}` },
    title: `Thread ${Math.floor(n / 10)}`,
    text,
    createdAt: start + n * 60_000,
    fetchedAt: start + n * 60_000 + 5_000,
    triage: {
      sentiment: {
        score: negative ? -3 : 2,
        comparative: negative ? -0.3 : 0.2,
        label: negative ? 'negative' : 'positive',
        words: negative ? ['-waiting', '-broken'] : ['+nice'],
      },
      directed: n % 4 === 0,
      urgency: (n * 37) % 101,
      reasons: [{ code: 'negative', label: 'negative', points: 20 }],
      matched: ['Acme'],
    },
  }
}
