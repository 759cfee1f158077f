import type { SourceConfig, SourceState } from '../../../../shared/domain'

const stateNames: Record<SourceState, string> = {
  waiting: 'Waiting',
  polling: 'Polling',
  live: 'Live',
  'backing-off': 'Backing off',
  paused: 'Paused',
}

export const stateLabel = (state: SourceState): string => stateNames[state]

export function kindLabel(config: SourceConfig): string {
  switch (config.kind) {
    case 'demo':
      return 'Demo — sample mentions until you add a real source'
    case 'hn':
      return 'Hacker News'
    case 'rss':
      return 'RSS / Atom feed'
    case 'mastodon':
      return 'Mastodon'
  }
}

export function intervalLabel(seconds: number): string {
  // The demo replays faster than any real source may be polled.
  if (seconds < 60) return `every ${seconds} s`
  const minutes = Math.round(seconds / 60)
  if (minutes < 60) return `every ${minutes} min`
  const hours = Math.round((minutes / 60) * 10) / 10
  return `every ${hours} h`
}
