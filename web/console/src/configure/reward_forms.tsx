// The draft's cashback rules and stamp cards, each in a form like the earn rules'. Cashback: a
// percentage of what the member pays for the matching lines, with caps per purchase, day and month
// and a budget, all in money. A stamp card: units bought (or a visit) give stamps, the goal fills
// the card and pays its reward (points, or a coupon campaign's code), a card unfilled for its
// lifetime starts over, and a return that un-fills a used card carries the deficit or forgives it.
import { useEffect, useState } from "preact/hooks";

import type { PageProps } from "../shell";
import * as api from "./api";
import { EntryForm, useDraftEntry } from "./draft_entry";
import { type Bound, ListAt, MoneyAt, NumberAt, SelectAt, TextAt } from "./fields";
import { IdentityFields, WhenFields, WhoFields } from "./fieldsets";
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
            <fieldset>
              <legend>{t("conditions")}</legend>
              <div class="grid">
                <MoneyAt {...money} path="conditions.min_basket" label={labels("conditions.min_basket")} />
                <ListAt {...bound} path="conditions.categories" label={labels("conditions.categories")} hint={t("listHint")} />
                <ListAt {...bound} path="conditions.skus" label={labels("conditions.skus")} hint={t("listHint")} />
              </div>
            </fieldset>
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
  const byCoupon = "coupon_campaign" in reward;
  return (
    <EntryForm language={language} state={state} list="stamp_cards" title={title}>
      {(problems) => {
        const bound: Bound = { entry, set: state.setEntry, problems };
        const money = { ...bound, language, ...currency };
        const choose = (kind: string) => {
          const { points: _points, coupon_campaign: _campaign, ...rest } = reward;
          state.setEntry({ ...entry, reward: kind === "coupon" ? { ...rest, coupon_campaign: campaigns[0]?.id ?? 0 } : { ...rest, points: 100 } });
        };
        return (
          <>
            <IdentityFields bound={bound} language={language} id={id}>
                <NumberAt {...bound} language={language} path="goal" label={labels("goal")} />
                <SelectAt
                  {...bound}
                  path="basis"
                  label={labels("basis")}
                  absent="units"
                  options={[
                    ["units", t("basisUnits")],
                    ["visit", t("basisVisit")],
                  ]}
                />
                {entry.basis !== "visit" && <NumberAt {...bound} language={language} path="stamps_per_unit" label={labels("stamps_per_unit")} />}
                <NumberAt {...bound} language={language} path="card_days" label={labels("card_days")} hint={t("cardDaysHint")} />
            </IdentityFields>
            <fieldset>
              <legend>{t("reward")}</legend>
              <div class="grid">
                <div class="bound">
                  <label for="reward-kind">{t("rewardKind")}</label>
                  <select id="reward-kind" value={byCoupon ? "coupon" : "points"} onChange={(event) => choose(event.currentTarget.value)}>
                    <option value="points">{t("rewardPoints")}</option>
                    <option value="coupon">{t("rewardCoupon")}</option>
                  </select>
                </div>
                {byCoupon ? (
                  <SelectAt
                    {...bound}
                    path="reward.coupon_campaign"
                    label={labels("reward.coupon_campaign")}
                    numbers
                    options={campaigns.map((campaign): [string, string] => [String(campaign.id), campaign.name])}
                  />
                ) : (
                  <NumberAt {...bound} language={language} path="reward.points" label={labels("reward.points")} />
                )}
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
            <fieldset>
              <legend>{t("conditions")}</legend>
              <div class="grid">
                <MoneyAt {...money} path="conditions.min_basket" label={labels("conditions.min_basket")} />
                <ListAt {...bound} path="conditions.categories" label={labels("conditions.categories")} hint={t("listHint")} />
                <ListAt {...bound} path="conditions.skus" label={labels("conditions.skus")} hint={t("listHint")} />
                <NumberAt {...bound} language={language} path="holdout.percent" label={labels("holdout.percent")} hint={t("holdoutHint")} />
              </div>
            </fieldset>
            <WhenFields bound={bound} language={language} timeZone={program.time_zone} schedule={false} />
            <WhoFields bound={bound} language={language} />
          </>
        );
      }}
    </EntryForm>
  );
}
