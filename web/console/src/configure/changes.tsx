// What changed between two rule documents (diff.ts), in words: each entry added, removed or
// changed, with every field that changed from its old value to its new one: money in the
// programme's currency, a moment on the programme's clock (in Persian, the Jalali calendar's).
import { currencyOf, digits, formatDate, formatMoney, formatNumber, type Language } from "@patron/common/i18n";
import { zonedParts } from "@patron/common/zone";

import type { ProgramSettings } from "../api";
import type { EntryChange } from "./diff";
import type { Json } from "./doc";
import { fieldLabel, word } from "./words";

// The fields in minor units of the currency, by list; and the fields that are instants.
const moneyFields: Record<EntryChange["list"], string[]> = {
  rules: ["per_amount", "conditions.min_amount"],
  cashback: ["conditions.min_basket", "caps.per_purchase", "caps.per_day", "caps.per_month", "budget"],
  stamp_cards: ["conditions.min_basket"],
  settings: [],
};
const instantFields = ["valid_from", "valid_until"];

function valueText(language: Language, value: Json | undefined, kind: "money" | "instant" | null, program: ProgramSettings): string {
  if (value === undefined || value === null) return "—";
  if (kind === "money" && Number.isSafeInteger(value)) return formatMoney(language, value as number, currencyOf(program));
  if (kind === "instant" && typeof value === "string" && !Number.isNaN(Date.parse(value))) {
    return `${formatDate(language, value, program.time_zone)} ${digits(language, zonedParts(value, program.time_zone).time)}`;
  }
  if (typeof value === "number") return formatNumber(language, value);
  if (typeof value === "boolean") return word(language, value ? "yes" : "no");
  if (Array.isArray(value)) return value.map((item) => valueText(language, item, null, program)).join(language === "fa" ? "، " : ", ");
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

const listWords = { rules: "earnRules", cashback: "cashbackRules", stamp_cards: "stampCards", settings: "documentSettings" } as const;

const changeWords = { added: "changeAdded", removed: "changeRemoved", changed: "changeChanged" } as const;

export function Changes({ language, program, changes }: { language: Language; program: ProgramSettings; changes: EntryChange[] }) {
  if (changes.length === 0) return <p class="muted">{word(language, "noChanges")}</p>;
  return (
    <ul class="changes" data-testid="changes">
      {changes.map((change) => (
        <li key={`${change.list}:${change.id}`} class={`change-${change.change}`}>
          <strong>
            {word(language, listWords[change.list])}
            {change.id && (
              <>
                {" "}
                <bdi>{change.name}</bdi>
              </>
            )}
          </strong>
          {": "}
          {word(language, changeWords[change.change])}
          {change.change === "changed" && (
            <ul>
              {change.fields.map((field) => {
                const kind = moneyFields[change.list].includes(field.path) ? "money" : instantFields.includes(field.path) ? "instant" : null;
                return (
                  <li key={field.path}>
                    {fieldLabel(language, field.path)}: <bdi>{valueText(language, field.before, kind, program)}</bdi>{" "}
                    {word(language, "towards")} <bdi>{valueText(language, field.after, kind, program)}</bdi>
                  </li>
                );
              })}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}
