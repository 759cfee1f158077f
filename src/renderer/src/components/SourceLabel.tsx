import type { Mention } from '../../../shared/domain'
import { selectSources } from '../store/selectors'
import { useAppStore } from '../store/use-app-store'
import { platformLabel } from './format'

/** The source's own name when main told us, else the platform; the demo is always "Demo". */
export function SourceLabel({ mention }: { mention: Pick<Mention, 'platform' | 'sourceId'> }) {
  const sources = useAppStore(selectSources)
  if (mention.platform === 'demo') {
    return (
      <span className="source-label">
        <span className="pill pill--demo">Demo</span>
      </span>
    )
  }
  const name = sources?.find((source) => source.config.id === mention.sourceId)?.config.name
  return (
    <span className="source-label" title={platformLabel(mention.platform)}>
      {name ?? platformLabel(mention.platform)}
    </span>
  )
}
