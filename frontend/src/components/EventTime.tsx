import { useEvent } from '../hooks/queries';
import { formatInZone } from '../lib/zonedTime';

/**
 * An event time in the event's own zone with the zone named ("Fri, May 2, 2031, 20:30 CEST"),
 * and the viewer's time beside it when their zone's offset differs ("(11:30 PDT your time)").
 * `compact` (one-line table cells) puts the viewer's time in the tooltip instead.
 */
export function EventTime({ iso, zone, compact = false }: { iso: string; zone: string | undefined; compact?: boolean }) {
  const { text, local } = formatInZone(iso, zone ?? 'UTC');
  if (compact) {
    return (
      <time dateTime={iso} title={local ? `${local} your time` : undefined}>
        {text}
      </time>
    );
  }
  return (
    <span className="event-time">
      <time dateTime={iso}>{text}</time>
      {local && <span className="local-time"> ({local} your time)</span>}
    </span>
  );
}

/**
 * A time of an event known only by id (a booking's embedded event has no zone): the zone comes
 * from the event's own body (cached per event); UTC, named, until it arrives.
 */
export function EventTimeOf({ eventId, iso }: { eventId: number; iso: string }) {
  const event = useEvent(eventId);
  return <EventTime iso={iso} zone={event.data?.timezone} />;
}
