import type { Route } from '../../../../shared/domain'
import { DEFAULT_DEPARTMENTS } from '../../../../shared/routing'
import { routeSummary } from './rule-form'
import { useRouting } from './use-routing'

/** Where the routing rules sent a mention, in the context panel's triage details. */
export function RouteDetails({ route }: { route: Route }) {
  const { routing } = useRouting()
  // Until the departments are loaded, the defaults name the usual ids; others show as they are.
  const departments = routing?.departments ?? DEFAULT_DEPARTMENTS
  const extras = [
    route.notify ? 'Notify' : null,
    route.monitorOnly ? 'Monitor only' : null,
    route.template ? `Suggested answer: “${route.template}”` : null,
  ].filter((extra): extra is string => extra !== null)
  return (
    <section className="details__section" aria-label="Route">
      <h3 className="details__heading">Route</h3>
      <p className="route-summary">{routeSummary(route, departments)}</p>
      {extras.length > 0 ? (
        <ul className="chips" aria-label="Route actions">
          {extras.map((extra) => (
            <li key={extra} className="chip">
              {extra}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  )
}
