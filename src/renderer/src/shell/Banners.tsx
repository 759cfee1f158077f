import { useConnection } from '../host/use-connection'
import { useServices } from '../services'
import { selectSync } from '../store/selectors'
import { useAppStore } from '../store/use-app-store'
import { useConfigProblems } from './use-config-problems'
import { useNetworkStatus } from './use-network-status'
import { useOnline } from './use-online'

/** Problems that affect everything on screen, worded as what is happening and what to do. */
export function Banners() {
  const connection = useConnection()
  const status = useAppStore(selectSync)
  const config = useConfigProblems()
  const network = useNetworkStatus()
  const online = useOnline()
  // Always rendered, even empty, so the app's grid rows stay in place.
  return (
    <div className="banners">
      {config.problems.map((problem) => (
        <div key={problem} className="banner banner--warn" role="alert">
          {problem}
          <button
            type="button"
            className="button button--small"
            onClick={() => config.dismiss(problem)}
          >
            Dismiss
          </button>
        </div>
      ))}
      {connection === 'reconnecting' ? (
        <div className="banner banner--warn" role="status">
          <span className="spinner" aria-hidden="true" />
          Disconnected from Earshot — reconnecting…
          <span className="banner__detail">
            New mentions are paused. Searching, History, reading and marking mentions still work and
            are saved on this computer.
          </span>
        </div>
      ) : null}
      {!online && connection !== 'reconnecting' ? (
        <div className="banner banner--warn" role="status">
          <strong>Offline.</strong> Sources are not checked and replies cannot be posted until the
          network returns.
          <span className="banner__detail">
            Search, History and your queue work as usual; what you decide is saved here.
          </span>
        </div>
      ) : null}
      {network.offline && online && connection !== 'reconnecting' ? (
        <div className="banner banner--warn" role="status">
          Offline — polling paused, will resume by itself
          <span className="banner__detail">
            No source could be reached, so Earshot checks the network now and then.
          </span>
        </div>
      ) : null}
      {status.kind === 'storage-full' ? (
        <div className="banner banner--danger" role="alert">
          <strong>Storage full.</strong> New mentions are waiting safely until there is room on this
          disk. Free some space, then retry.
          <RetryButton />
        </div>
      ) : null}
      {status.kind === 'error' ? (
        <div className="banner banner--danger" role="alert">
          {status.message}
          <RetryButton />
        </div>
      ) : null}
    </div>
  )
}

/** Clears a storage pause or a failed store and catches up again. */
function RetryButton() {
  const { sync } = useServices()
  if (!sync) return null
  return (
    <button type="button" className="button button--small" onClick={() => void sync.retry()}>
      Retry
    </button>
  )
}
