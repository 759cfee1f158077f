import type { Triage } from '../../../../shared/domain'
import { IntentChip, SentimentBadge, UrgencyMeter } from '../../components/TriageBadges'
import { formatScore } from '../../components/format'
import { RouteDetails } from '../routing/RouteDetails'

/** Why Earshot scored the mention as it did: every number comes with its reasons. */
export function TriageDetails({ triage }: { triage: Triage }) {
  return (
    <>
      <section className="details__section" aria-label="Urgency">
        <h3 className="details__heading">Urgency</h3>
        <UrgencyMeter urgency={triage.urgency} />
        {triage.reasons.length > 0 ? (
          <ul className="chips" aria-label="Reasons">
            {triage.reasons.map((reason, index) => (
              <li
                key={`${reason.code}-${index}`}
                className="chip"
                title={`${formatScore(reason.points)} points`}
              >
                {reason.label}
                <span className="chip__points">{formatScore(reason.points)}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">Nothing raised its urgency.</p>
        )}
      </section>

      {triage.route ? <RouteDetails route={triage.route} /> : null}

      <section className="details__section" aria-label="Intent">
        <h3 className="details__heading">Intent</h3>
        <IntentChip intent={triage.intent} />
      </section>

      <section className="details__section" aria-label="Sentiment">
        <h3 className="details__heading">Sentiment</h3>
        <SentimentBadge sentiment={triage.sentiment} />
        {triage.sentiment.words.length > 0 ? (
          <ul className="chips" aria-label="Words that drove it">
            {triage.sentiment.words.map((word, index) => (
              <li
                key={`${word}-${index}`}
                className={word.startsWith('-') ? 'chip chip--negative' : 'chip chip--positive'}
              >
                {word.replace(/^[+-]/, '')}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No strongly worded terms.</p>
        )}
      </section>

      <section className="details__section" aria-label="Matched terms">
        <h3 className="details__heading">Matched</h3>
        {triage.matched.length > 0 ? (
          <ul className="chips">
            {triage.matched.map((term, index) => (
              <li key={`${term}-${index}`} className="chip chip--matched">
                {term}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No brand, product or competitor name in the text.</p>
        )}
      </section>
    </>
  )
}
