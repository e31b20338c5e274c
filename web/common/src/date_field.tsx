// A date field in the person's calendar. English uses the browser's own date input; Persian
// offers day, month and year lists in the Jalali calendar (jalaali-js converts), so nobody has to
// work out a Gregorian date. Either way the value is the Gregorian "YYYY-MM-DD" the API speaks,
// or "" while the date is incomplete.
import { toGregorian, toJalaali, jalaaliMonthLength } from "jalaali-js";
import { useEffect, useState } from "preact/hooks";

import { digits, formatNumber, type Language, sharedWord as word } from "./i18n";

const jalaliMonths = [
  "فروردین",
  "اردیبهشت",
  "خرداد",
  "تیر",
  "مرداد",
  "شهریور",
  "مهر",
  "آبان",
  "آذر",
  "دی",
  "بهمن",
  "اسفند",
];

interface Props {
  language: Language;
  label: string;
  value: string;
  onChange: (value: string) => void;
  min: string; // Gregorian "YYYY-MM-DD", inclusive.
  max: string;
  required?: boolean;
  autocomplete?: string;
  name: string;
  // Ties the field's controls to a problem shown beside it (aria-describedby, aria-invalid).
  described?: { "aria-describedby"?: string; "aria-invalid"?: boolean };
}

interface JalaliParts {
  year: number;
  month: number;
  day: number;
}

export function pad(value: number, width: number): string {
  return String(value).padStart(width, "0");
}

function jalaliOf(gregorian: string): JalaliParts | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(gregorian);
  if (!match) return null;
  const { jy, jm, jd } = toJalaali(Number(match[1]), Number(match[2]), Number(match[3]));
  return { year: jy, month: jm, day: jd };
}

function gregorianOf({ year, month, day }: JalaliParts): string {
  const { gy, gm, gd } = toGregorian(year, month, day);
  return `${pad(gy, 4)}-${pad(gm, 2)}-${pad(gd, 2)}`;
}

// Today as the browser's calendar date "YYYY-MM-DD" (the person's own day, for the lists' ends).
export function todayIso(): string {
  const now = new Date();
  return `${pad(now.getFullYear(), 4)}-${pad(now.getMonth() + 1, 2)}-${pad(now.getDate(), 2)}`;
}

export function shiftDays(iso: string, days: number): string {
  const at = new Date(`${iso}T12:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

interface Choice {
  value: number;
  text: string;
}

// One part of a date or a time as a list (the day, the hour): its caption over it, "–" while none
// is chosen, then its choices.
export function PartList({ caption, name, value, onChange, required, described, options }: {
  caption: string;
  name: string;
  value: number | undefined;
  onChange: (event: { currentTarget: HTMLSelectElement }) => void;
  required?: boolean;
  described?: Props["described"];
  options: Choice[];
}) {
  return (
    <label>
      {caption}
      <select name={name} value={value ?? ""} onChange={onChange} required={required} {...described}>
        <option value="">–</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.text}
          </option>
        ))}
      </select>
    </label>
  );
}

export function DateField(props: Props) {
  if (props.language === "en") {
    return (
      <label>
        {props.label}
        <input
          type="date"
          name={props.name}
          value={props.value}
          min={props.min}
          max={props.max}
          required={props.required}
          autocomplete={props.autocomplete ?? "off"}
          onInput={(event) => props.onChange(event.currentTarget.value)}
          {...props.described}
        />
      </label>
    );
  }
  return <JalaliField {...props} />;
}

function JalaliField({ language, label, value, onChange, min, max, required, name, described }: Props) {
  const [parts, setParts] = useState<Partial<JalaliParts>>(() => jalaliOf(value) ?? {});
  // A date set from outside (a scanned receipt) shows in the lists; the lists' own half-chosen
  // date, which the value leaves empty, is kept.
  useEffect(() => {
    const shown = jalaliOf(value);
    if (shown && (!parts.year || !parts.month || !parts.day || gregorianOf(parts as JalaliParts) !== value)) {
      setParts(shown);
    }
  }, [value]);
  const first = jalaliOf(min)!;
  const last = jalaliOf(max)!;
  const years = Array.from({ length: last.year - first.year + 1 }, (_, index) => last.year - index);
  const days = parts.year && parts.month ? jalaaliMonthLength(parts.year, parts.month) : 31;
  const choose = (part: keyof JalaliParts) => (event: { currentTarget: HTMLSelectElement }) => {
    const next = { ...parts, [part]: event.currentTarget.value ? Number(event.currentTarget.value) : undefined };
    if (next.year && next.month && next.day) next.day = Math.min(next.day, jalaaliMonthLength(next.year, next.month));
    setParts(next);
    onChange(next.year && next.month && next.day ? gregorianOf(next as JalaliParts) : "");
  };
  const list = (part: keyof JalaliParts, caption: string, options: Choice[]) => (
    <PartList
      caption={caption}
      name={`${name}-${part}`}
      value={parts[part]}
      onChange={choose(part)}
      required={required}
      described={described}
      options={options}
    />
  );
  return (
    <fieldset class="date-field" data-testid={`${name}-jalali`}>
      <legend>{label}</legend>
      {list(
        "day",
        word(language, "day"),
        Array.from({ length: days }, (_, index) => ({ value: index + 1, text: formatNumber(language, index + 1) })),
      )}
      {list(
        "month",
        word(language, "month"),
        jalaliMonths.map((text, index) => ({ value: index + 1, text })),
      )}
      {list(
        "year",
        word(language, "year"),
        years.map((year) => ({ value: year, text: digits(language, String(year)) })),
      )}
    </fieldset>
  );
}
