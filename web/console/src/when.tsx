// An instant as the console shows it: its day in the page's calendar (Jalali in Persian) and its
// time, both on the programme's clock.
import { digits, formatDate, type Language } from "@patron/common/i18n";
import { zonedParts } from "@patron/common/zone";

export function When({ language, at, timeZone }: { language: Language; at: string; timeZone: string }) {
  return (
    <time dateTime={at}>
      <span class="day">{formatDate(language, at, timeZone)}</span>{" "}
      <span class="clock">{digits(language, zonedParts(at, timeZone).time)}</span>
    </time>
  );
}
