// The groups of fields that rules, cashback rules, stamp cards and coupon campaigns share: when
// they apply (validity on the programme's clock, weekdays and hours on the till's) and to whom
// (stores, segments, tiers: the programme's tiers as choices when it has them).
import type { Language } from "@patron/common/i18n";
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";

import * as api from "./api";
import { type Bound, ChoicesAt, DaysAt, InstantAt, ListAt, MoneyAt, TextAt, TimeAt } from "./fields";
import { fieldLabel, word } from "./words";

// The basket a cashback rule or a stamp card asks for: a minimum in the programme's money, and the
// categories and SKUs that count (`children`: more fields in the same grid).
export function BasketConditions({ money, language, children }: {
  money: Bound & { language: Language; exponent: number; code: string };
  language: Language;
  children?: ComponentChildren;
}) {
  const labels = (path: string) => fieldLabel(language, path);
  const bound: Bound = { entry: money.entry, set: money.set, problems: money.problems };
  return (
    <fieldset>
      <legend>{word(language, "conditions")}</legend>
      <div class="grid">
        <MoneyAt {...money} path="conditions.min_basket" label={labels("conditions.min_basket")} />
        <ListAt {...bound} path="conditions.categories" label={labels("conditions.categories")} hint={word(language, "listHint")} />
        <ListAt {...bound} path="conditions.skus" label={labels("conditions.skus")} hint={word(language, "listHint")} />
        {children}
      </div>
    </fieldset>
  );
}

// `schedule`: whether weekdays and hours apply (stamp cards have none).
export function WhenFields({ bound, language, timeZone, schedule = true }: {
  bound: Bound;
  language: Language;
  timeZone: string;
  schedule?: boolean;
}) {
  const t = (key: Parameters<typeof word>[1]) => word(language, key);
  const labels = (path: string) => fieldLabel(language, path);
  const instant = { ...bound, language, timeZone, timeLabel: t("time"), dateLabel: t("date") };
  return (
    <fieldset>
      <legend>{t("when")}</legend>
      <div class="grid">
        <InstantAt {...instant} path="valid_from" label={labels("valid_from")} />
        <InstantAt {...instant} path="valid_until" label={labels("valid_until")} />
      </div>
      {schedule && (
        <>
          <DaysAt {...bound} language={language} path="schedule.days" label={labels("schedule.days")} dayNames={t("dayNames").split(" ")} />
          <div class="grid">
            <TimeAt {...bound} language={language} path="schedule.from" label={labels("schedule.from")} />
            <TimeAt {...bound} language={language} path="schedule.until" label={labels("schedule.until")} hint={t("scheduleHint")} />
          </div>
        </>
      )}
    </fieldset>
  );
}

// The programme's tier names (none when it has no tiers).
export function useTierNames(): string[] {
  const [tiers, setTiers] = useState<string[]>([]);
  useEffect(() => {
    api.tiers().then((answer) => setTiers((answer.tiers ?? []).map((tier) => tier.name)), () => undefined);
  }, []);
  return tiers;
}

export function WhoFields({ bound, language, children }: { bound: Bound; language: Language; children?: ComponentChildren }) {
  const t = (key: Parameters<typeof word>[1]) => word(language, key);
  const labels = (path: string) => fieldLabel(language, path);
  const tiers = useTierNames();
  return (
    <fieldset>
      <legend>{t("who")}</legend>
      <div class="grid">
        <ListAt {...bound} path="scope.stores" label={labels("scope.stores")} hint={t("allWhenEmpty")} />
        <ListAt {...bound} path="scope.segments" label={labels("scope.segments")} hint={t("allWhenEmpty")} />
      </div>
      {tiers.length > 0 ? (
        <ChoicesAt {...bound} path="scope.tiers" label={labels("scope.tiers")} choices={tiers} />
      ) : (
        <ListAt {...bound} path="scope.tiers" label={labels("scope.tiers")} hint={t("allWhenEmpty")} />
      )}
      {children}
    </fieldset>
  );
}

// A draft entry's name and id: the id typed for a new entry, shown (and kept) for an existing one.
export function IdentityFields({ bound, language, id, children }: {
  bound: Bound;
  language: Language;
  id: string | null;
  children?: ComponentChildren;
}) {
  const labels = (path: string) => fieldLabel(language, path);
  return (
    <fieldset>
      <legend>{word(language, "basics")}</legend>
      <div class="grid">
        <TextAt {...bound} path="name" label={labels("name")} />
        {id === null ? (
          <TextAt {...bound} path="id" label={labels("id")} hint={word(language, "idHint")} dir="ltr" />
        ) : (
          <p>
            {labels("id")}: <code>{id}</code>
          </p>
        )}
        {children}
      </div>
    </fieldset>
  );
}
