import { NotificationButton } from '../features/alerts/NotificationButton'
import { OutboxButton } from '../features/compose/OutboxButton'
import { needsAttention } from '../features/sources/source-labels'
import { selectScreen, selectShowScreen } from '../store/selectors'
import { useAppStore } from '../store/use-app-store'
import type { EarshotState } from '../store/store'
import type { Screen } from '../store/view-slice'

const nav: { screen: Screen; label: string }[] = [
  { screen: 'queue', label: 'Queue' },
  { screen: 'history', label: 'History' },
  { screen: 'sources', label: 'Sources' },
  { screen: 'routing', label: 'Routing' },
  { screen: 'reports', label: 'Reports' },
  { screen: 'setup', label: 'Brand' },
  { screen: 'notifications', label: 'Notifications' },
]

type Props = { brand: string | null; urgent: number | undefined }

/** How many sources are failing or silent; 0 before main has listed them. */
const selectTroubled = (state: EarshotState) => state.sources?.filter(needsAttention).length ?? 0

/** App name, the places to go, and what needs the responder's attention. */
export function AppHeader({ brand, urgent }: Props) {
  const screen = useAppStore(selectScreen)
  const showScreen = useAppStore(selectShowScreen)
  const troubled = useAppStore(selectTroubled)
  return (
    <header className="header">
      <div className="header__brand">
        <span className="logo" aria-hidden="true" />
        <span className="header__name">Earshot</span>
      </div>
      {brand !== null ? (
        <nav className="nav" aria-label="Main">
          {nav.map((entry) => (
            <button
              key={entry.screen}
              type="button"
              className="nav__item"
              aria-current={screen === entry.screen ? 'page' : undefined}
              onClick={() => showScreen(entry.screen)}
            >
              {entry.label}
              {entry.screen === 'queue' && urgent ? (
                <span className="nav__badge" title={`${urgent} urgent, open or watched`}>
                  {urgent}
                </span>
              ) : null}
              {entry.screen === 'sources' && troubled > 0 ? (
                <span
                  className="nav__badge nav__badge--warning"
                  title={`${troubled} ${troubled === 1 ? 'source needs' : 'sources need'} attention: failing or silent`}
                >
                  {troubled}
                </span>
              ) : null}
            </button>
          ))}
        </nav>
      ) : null}
      <div className="header__end">
        <NotificationButton />
        {brand !== null ? <OutboxButton /> : null}
        {brand !== null ? (
          <span className="header__listening">
            Listening for <strong>{brand}</strong>
          </span>
        ) : null}
      </div>
    </header>
  )
}
