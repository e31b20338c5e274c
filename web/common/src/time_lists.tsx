// A time of day on a Persian page: hour and minute lists in Persian digits, as the date beside it
// is three lists in the Jalali calendar (Chromium's own time input writes Latin digits and AM/PM
// whatever the page's language). The value is "HH:MM" on the 24-hour clock, or "" while incomplete;
// `untilMidnight` adds the hour 24, for "24:00", the end of the day.
import { useEffect, useState } from "preact/hooks";

import { pad, PartList } from "./date_field";
import { digits, type Language, sharedWord as word } from "./i18n";

interface Props {
  language: Language;
  label: string;
  value: string;
  onChange: (value: string) => void;
  name: string;
  // Ties the lists to a problem shown beside them (aria-describedby, aria-invalid).
  described?: { "aria-describedby"?: string; "aria-invalid"?: boolean };
  untilMidnight?: boolean;
}

interface Clock {
  hour?: number;
  minute?: number;
}

function clockOf(value: string): Clock {
  const match = /^(\d{2}):(\d{2})$/.exec(value);
  return match ? { hour: Number(match[1]), minute: Number(match[2]) } : {};
}

const two = (value: number) => pad(value, 2);

export function TimeLists({ language, label, value, onChange, name, described, untilMidnight = false }: Props) {
  const [clock, setClock] = useState<Clock>(() => clockOf(value));
  // A time set from outside shows in the lists; the lists' own half-chosen time, which the value
  // leaves empty, is kept.
  useEffect(() => {
    const shown = clockOf(value);
    if (shown.hour !== undefined && (clock.hour !== shown.hour || clock.minute !== shown.minute)) setClock(shown);
  }, [value]);
  const choose = (part: keyof Clock) => (event: { currentTarget: HTMLSelectElement }) => {
    const next = { ...clock, [part]: event.currentTarget.value === "" ? undefined : Number(event.currentTarget.value) };
    setClock(next);
    onChange(next.hour !== undefined && next.minute !== undefined ? `${two(next.hour)}:${two(next.minute)}` : "");
  };
  const list = (part: keyof Clock, count: number) => (
    <PartList
      caption={word(language, part)}
      name={`${name}-${part}`}
      value={clock[part]}
      onChange={choose(part)}
      described={described}
      options={Array.from({ length: count }, (_, at) => ({ value: at, text: digits(language, two(at)) }))}
    />
  );
  return (
    <fieldset class="time-lists" data-testid={`${name}-clock`}>
      <legend>{label}</legend>
      {list("hour", untilMidnight ? 25 : 24)}
      {list("minute", 60)}
    </fieldset>
  );
}
