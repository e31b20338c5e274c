// The draft's cashback rules and stamp cards, each in a form like the earn rules'. Cashback: a
// percentage of what the member pays for the matching lines, with caps per purchase, day and month
// and a budget, all in money. A stamp card: units bought (or a visit) give stamps, the goal fills
// the card and pays its reward (points, or a coupon campaign's code), a card unfilled for its
// lifetime starts over, and a return that un-fills a used card carries the deficit or forgives it.
// A collection ("five different teas") is a card of another kind: a set of distinct items, each
// named by its SKUs or categories, one stamp per item it lacks, full with them all; it has no
// goal, stamps per unit or basket conditions (the API refuses them), its items say what counts.
import { useEffect, useState } from "preact/hooks";

import type { PageProps } from "../shell";
import * as api from "./api";
import type { JsonObject } from "./doc";
import { EntryForm, useDraftEntry } from "./draft_entry";
import { type Bound, ItemsAt, ListAt, MoneyAt, NumberAt, SelectAt, TextAt } from "./fields";
import { BasketConditions, IdentityFields, WhenFields, WhoFields } from "./fieldsets";
import { fieldLabel, word, type WordKey } from "./words";

export function CashbackForm({ language, program, id }: PageProps & { id: string | null }) {
  const t = (key: WordKey) => word(language, key);
  const state = useDraftEntry("cashback", id, () => ({}));
  const entry = state.entry ?? {};
  const labels = (path: string) => fieldLabel(language, path);
  const currency = { exponent: program.currency_exponent, code: program.currency };
  const title = id === null ? t("newCashback") : `${t("editCashback")} ${String(entry.name ?? id)}`;
  return (
    <EntryForm language={language} state={state} list="cashback" title={title}>
      {(problems) => {
        const bound: Bound = { entry, set: state.setEntry, problems };
        const money = { ...bound, language, ...currency };
        return (
          <>
            <IdentityFields bound={bound} language={language} id={id}>
                <NumberAt {...bound} language={language} decimals path="percent" label={labels("percent")} hint={t("percentHint")} />
            </IdentityFields>
            <BasketConditions money={money} language={language} />
            <WhenFields bound={bound} language={language} timeZone={program.time_zone} />
            <WhoFields bound={bound} language={language} />
            <fieldset>
              <legend>{t("limitsMoney")}</legend>
              <div class="grid">
                {(["caps.per_purchase", "caps.per_day", "caps.per_month", "budget"] as const).map((path) => (
                  <MoneyAt key={path} {...money} path={path} label={labels(path)} />
                ))}
                <NumberAt {...bound} language={language} path="holdout.percent" label={labels("holdout.percent")} hint={t("holdoutHint")} />
              </div>
            </fieldset>
          </>
        );
      }}
    </EntryForm>
  );
}

// A card's entry on a change of basis: a collection drops what it may not have (goal, stamps per
// unit, conditions) and starts with two blank items; a card that stops being one drops its items
// and takes the goal a new card starts with; a visit card drops stamps per unit.
export function rebased(before: JsonObject, after: JsonObject): JsonObject {
  const was = before.basis === "collection";
  const is = after.basis === "collection";
  if (is && !was) {
    const { goal: _goal, stamps_per_unit: _perUnit, conditions: _conditions, ...rest } = after;
    return { ...rest, items: [{}, {}] };
  }
  const { items: _items, ...rest } = after;
  const card = was && !is ? { ...rest, goal: 10 } : after;
  if (after.basis === "visit") {
    const { stamps_per_unit: _perUnit, ...visit } = card;
    return visit;
  }
  return card;
}

export function StampCardForm({ language, program, id }: PageProps & { id: string | null }) {
  const t = (key: WordKey) => word(language, key);
  const state = useDraftEntry("stamp_cards", id, () => ({ goal: 10, reward: {} }));
  const entry = state.entry ?? {};
  const labels = (path: string) => fieldLabel(language, path);
  const currency = { exponent: program.currency_exponent, code: program.currency };
  const [campaigns, setCampaigns] = useState<api.Campaign[]>([]);
  useEffect(() => {
    api.campaigns().then((answer) => setCampaigns(answer.campaigns.filter((campaign) => campaign.status !== "ended")), () => undefined);
  }, []);
  const title = id === null ? t("newStampCard") : `${t("editStampCard")} ${String(entry.name ?? id)}`;
  const reward = typeof entry.reward === "object" && entry.reward && !Array.isArray(entry.reward) ? entry.reward : {};
  const kind = "coupon_campaign" in reward ? "coupon" : "cashback" in reward ? "cashback" : "points";
  return (
    <EntryForm language={language} state={state} list="stamp_cards" title={title}>
      {(problems) => {
        const bound: Bound = { entry, set: state.setEntry, problems };
        const money = { ...bound, language, ...currency };
        const collection = entry.basis === "collection";
        // One kind of reward at a time: the others' fields go.
        const choose = (chosen: string) => {
          const { points: _points, coupon_campaign: _campaign, cashback: _cashback, ...rest } = reward;
          const given: JsonObject =
            chosen === "coupon" ? { coupon_campaign: campaigns[0]?.id ?? 0 } : chosen === "cashback" ? { cashback: 10 ** program.currency_exponent } : { points: 100 };
          state.setEntry({ ...entry, reward: { ...rest, ...given } });
        };
        const holdout = (
          <NumberAt {...bound} language={language} path="holdout.percent" label={labels("holdout.percent")} hint={t("holdoutHint")} />
        );
        return (
          <>
            <IdentityFields bound={bound} language={language} id={id}>
                {!collection && <NumberAt {...bound} language={language} path="goal" label={labels("goal")} />}
                <SelectAt
                  {...bound}
                  set={(next) => state.setEntry(rebased(entry, next))}
                  path="basis"
                  label={labels("basis")}
                  absent="units"
                  options={[
                    ["units", t("basisUnits")],
                    ["visit", t("basisVisit")],
                    ["collection", t("basisCollection")],
                  ]}
                />
                {entry.basis !== "visit" && !collection && (
                  <NumberAt {...bound} language={language} path="stamps_per_unit" label={labels("stamps_per_unit")} />
                )}
                <NumberAt {...bound} language={language} path="card_days" label={labels("card_days")} hint={t("cardDaysHint")} />
            </IdentityFields>
            {collection && (
              <ItemsAt
                {...bound}
                language={language}
                path="items"
                label={labels("items")}
                hint={t("itemsHint")}
                rowLabel={t("collectionItem")}
                add={t("addItem")}
                remove={t("removeItem")}
                min={2}
                max={50}
              >
                {(row) => (
                  <>
                    <TextAt {...row} path="id" label={labels("items.id")} hint={t("itemIdHint")} dir="ltr" />
                    <TextAt {...row} path="name" label={labels("items.name")} />
                    <ListAt {...row} path="skus" label={labels("items.skus")} hint={t("itemListHint")} />
                    <ListAt {...row} path="categories" label={labels("items.categories")} hint={t("itemListHint")} />
                  </>
                )}
              </ItemsAt>
            )}
            <fieldset>
              <legend>{t("reward")}</legend>
              <div class="grid">
                <div class="bound wide">
                  <label for="reward-kind">{t("rewardKind")}</label>
                  <select id="reward-kind" value={kind} onChange={(event) => choose(event.currentTarget.value)}>
                    <option value="points">{t("rewardPoints")}</option>
                    <option value="coupon">{t("rewardCoupon")}</option>
                    <option value="cashback">{t("rewardCashback")}</option>
                  </select>
                </div>
                {kind === "cashback" && <MoneyAt {...money} path="reward.cashback" label={labels("reward.cashback")} />}
                {kind === "coupon" && (
                  <SelectAt
                    {...bound}
                    path="reward.coupon_campaign"
                    label={labels("reward.coupon_campaign")}
                    numbers
                    options={campaigns.map((campaign): [string, string] => [String(campaign.id), campaign.name])}
                  />
                )}
                {kind === "points" && <NumberAt {...bound} language={language} path="reward.points" label={labels("reward.points")} />}
                <TextAt {...bound} path="reward.label" label={labels("reward.label")} hint={t("rewardLabelHint")} />
                <SelectAt
                  {...bound}
                  path="deficit"
                  label={labels("deficit")}
                  absent="carry"
                  options={[
                    ["carry", t("deficitCarry")],
                    ["forgive", t("deficitForgive")],
                  ]}
                />
              </div>
            </fieldset>
            {!collection && (
              <BasketConditions money={money} language={language}>
                {holdout}
              </BasketConditions>
            )}
            <WhenFields bound={bound} language={language} timeZone={program.time_zone} schedule={false} />
            <WhoFields bound={bound} language={language}>
              {/* A collection has no basket conditions: its hold-out (a share of members) goes with whom it is for. */}
              {collection && <div class="grid">{holdout}</div>}
            </WhoFields>
          </>
        );
      }}
    </EntryForm>
  );
}
