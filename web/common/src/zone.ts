// Instants on a time zone's clock (the programme's, an IANA name): what staff type as a local date
// and time becomes an RFC 3339 instant with that zone's offset then, and back. The offsets come
// from the browser's own zone data (Intl), never from a table kept here.

// The zone's offset from UTC at `instant`, in minutes east ("GMT+03:30" -> 210).
export function zoneOffsetMinutes(timeZone: string, instant: number): number {
    const name = new Intl.DateTimeFormat('en-US', {timeZone, timeZoneName: 'longOffset'})
                     .formatToParts(instant)
                     .find((part) => part.type === 'timeZoneName')
                     ?.value ??
        'GMT';
    const match = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
    if (!match) return 0;
    const minutes = Number(match[2]) * 60 + Number(match[3] ?? '0');
    return match[1] === '-' ? -minutes : minutes;
}

function offsetText(minutes: number): string {
    const sign = minutes < 0 ? '-' : '+';
    const size = Math.abs(minutes);
    return `${sign}${String(Math.floor(size / 60)).padStart(2, '0')}:${String(size % 60).padStart(2, '0')}`;
}

// "2026-12-01" at "17:30" on the zone's clock, as "2026-12-01T17:30:00+03:30"; null when either is
// not a date or a time. The offset is the zone's at the instant the wall time names when read with
// the offset of that wall time read as UTC (two passes); a wall time in a clock change's gap or
// overlap gets one of the two offsets around it, which staff may check in the answer.
export function zonedInstant(date: string, time: string, timeZone: string): string|null {
    const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
    const clock = /^(\d{2}):(\d{2})$/.exec(time);
    if (!day || !clock) return null;
    const wall = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]), Number(clock[1]), Number(clock[2]));
    let offset = zoneOffsetMinutes(timeZone, wall);
    offset = zoneOffsetMinutes(timeZone, wall - offset * 60_000);
    return `${date}T${time}:00${offsetText(offset)}`;
}

// An instant as the zone's local date and time: {date: "2026-12-01", time: "17:30"}.
export function zonedParts(instant: string|number, timeZone: string): {date: string; time: string} {
    const parts = new Intl
                      .DateTimeFormat('en-CA', {
                          timeZone,
                          year: 'numeric',
                          month: '2-digit',
                          day: '2-digit',
                          hour: '2-digit',
                          minute: '2-digit',
                          hourCycle: 'h23',
                      })
                      .formatToParts(new Date(instant));
    const part = (type: string) => parts.find((found) => found.type === type)?.value ?? '00';
    return {date: `${part('year')}-${part('month')}-${part('day')}`, time: `${part('hour')}:${part('minute')}`};
}
