// What changed between two rule documents (diff.ts), in words: each entry added, removed or
// changed, with every field that changed from its old value to its new one.
import { formatNumber, type Language } from "@patron/common/i18n";

import type { EntryChange } from "./diff";
import type { Json } from "./doc";
import { fieldLabel, word } from "./words";

function valueText(language: Language, value: Json | undefined): string {
  if (value === undefined || value === null) return "—";
  if (typeof value === "number") return formatNumber(language, value);
  if (typeof value === "boolean") return word(language, value ? "yes" : "no");
  if (Array.isArray(value)) return value.map((item) => valueText(language, item)).join(language === "fa" ? "، " : ", ");
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

const listWords = { rules: "earnRules", cashback: "cashbackRules", stamp_cards: "stampCards", settings: "documentSettings" } as const;

const changeWords = { added: "changeAdded", removed: "changeRemoved", changed: "changeChanged" } as const;

export function Changes({ language, changes }: { language: Language; changes: EntryChange[] }) {
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
              {change.fields.map((field) => (
                <li key={field.path}>
                  {fieldLabel(language, field.path)}: <bdi>{valueText(language, field.before)}</bdi> {language === "fa" ? "←" : "→"}{" "}
                  <bdi>{valueText(language, field.after)}</bdi>
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}
