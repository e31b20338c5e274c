// Referrals (GET /v1/program/referrals; PUT, admins and marketers): the programme's terms for a
// member inviting friends with her referral code. The screen says how referrals work and the terms
// in force in words (the rewards, the friend's qualifying purchase, the referrer's monthly limit
// counted in the programme's calendar month, the same-till check); admins and marketers change
// them in a form saved whole: each reward's kind chosen (points, or cashback typed in the
// programme's currency), the days to qualify, the least purchase, the limit and the minutes of
// the same-till check, with the API's problems beside their fields. Other roles only read them.
import { type Currency, currencyOf, formatMoney, formatNumber, type Language } from "@patron/common/i18n";
import { fieldProblems } from "@patron/common/problems";
import { useEffect, useState } from "preact/hooks";

import type { ProgramSettings, StaffRole } from "../api";
import { Outcome, useAction } from "../action";
import { explain } from "../problems";
import type { PageProps } from "../shell";
import * as api from "./api";
import { getAt, isObject, type Json, type JsonObject, setAt } from "./doc";
import { type Bound, Labelled, MoneyAt, NumberAt, SelectAt } from "./fields";
import { word, type WordKey } from "./words";

const rewardKinds = ["points", "cashback"] as const;
type RewardKind = (typeof rewardKinds)[number];
type RewardSide = "friend_reward" | "referrer_reward";

// The API's bounds (loyalty/core/referrals.h): a reward's points, and its cashback in minor units.
const pointsMax = 1_000_000;
const cashbackMax = 1_000_000_000_000;

// Those the API lets change the terms; every other staff role reads them.
const writes = (role: StaffRole) => role === "admin" || role === "marketer";

// Words with their blanks filled: "{n} points" with n.
function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (blank, key: string) => values[key] ?? blank);
}

const numberOf = (value: Json | undefined) => (typeof value === "number" ? value : null);

// The kind of a reward as the document gives it: the one of points and cashback it holds.
function kindOf(reward: Json | undefined): RewardKind | undefined {
  if (!isObject(reward)) return undefined;
  const held = rewardKinds.filter((kind) => kind in reward);
  return held.length === 1 ? held[0] : undefined;
}

// A reward in words: "500 points", "IRR 50,000 cashback".
function rewardText(language: Language, reward: Json | undefined, currency: Currency): string {
  const t = (key: WordKey) => word(language, key);
  const points = isObject(reward) ? numberOf(reward.points) : null;
  const cashback = isObject(reward) ? numberOf(reward.cashback) : null;
  if (points !== null) return fill(t(points === 1 ? "refPointsOne" : "refPointsMany"), { n: formatNumber(language, points) });
  if (cashback !== null) return fill(t("refCashback"), { amount: formatMoney(language, cashback, currency) });
  return "—";
}

// The month a referrer's limit counts in: the Jalali month in a Persian programme.
const jalali = (program: ProgramSettings) => program.language === "fa";

// What each side's reward is called in the form.
const sideWords: Record<RewardSide, { reward: WordKey; hint: WordKey; points: WordKey; cashback: WordKey }> = {
  friend_reward: { reward: "friendReward", hint: "friendRewardHint", points: "friendPoints", cashback: "friendCashback" },
  referrer_reward: {
    reward: "referrerReward",
    hint: "referrerRewardHint",
    points: "referrerPoints",
    cashback: "referrerCashback",
  },
};

// What the form calls each field, by the path the API names its problems with.
function fieldLabels(language: Language): Record<string, string> {
  const t = (key: WordKey) => word(language, key);
  const labels: Record<string, string> = {
    state: t("referralState"),
    within_days: t("withinDays"),
    min_spend: t("minSpend"),
    per_referrer_per_month: t("perReferrerPerMonth"),
    same_till_minutes: t("sameTillMinutes"),
  };
  for (const side of ["friend_reward", "referrer_reward"] as const) {
    labels[side] = t(sideWords[side].reward);
    for (const kind of rewardKinds) labels[`${side}.${kind}`] = t(sideWords[side][kind]);
  }
  return labels;
}

// The terms in force, in words, a row each.
function InForce({ language, program, terms }: { language: Language; program: ProgramSettings; terms: JsonObject }) {
  const t = (key: WordKey) => word(language, key);
  const currency = currencyOf(program);
  const days = numberOf(terms.within_days) ?? 0;
  const least = numberOf(terms.min_spend) ?? 0;
  const minutes = numberOf(terms.same_till_minutes) ?? 0;
  const limit = numberOf(terms.per_referrer_per_month) ?? 0;
  const rows: [string, string, string][] = [
    ["state", t("referralState"), t(terms.state === "paused" ? "refPaused" : "refActive")],
    ["friend_reward", t("friendReward"), rewardText(language, terms.friend_reward, currency)],
    ["referrer_reward", t("referrerReward"), rewardText(language, terms.referrer_reward, currency)],
    [
      "qualifying",
      t("qualifyingPurchase"),
      fill(t(least > 0 ? "qualifyingAtLeast" : "qualifyingAny"), {
        amount: formatMoney(language, least, currency),
        days: fill(t(days === 1 ? "refDaysOne" : "refDaysMany"), { n: formatNumber(language, days) }),
      }),
    ],
    [
      "per_referrer_per_month",
      t("perReferrerPerMonth"),
      fill(t(jalali(program) ? "limitJalaliMonth" : "limitMonth"), { n: formatNumber(language, limit) }),
    ],
    [
      "same_till_minutes",
      t("sameTill"),
      minutes > 0
        ? fill(t("sameTillOn"), {
            minutes: fill(t(minutes === 1 ? "refMinutesOne" : "refMinutesMany"), { n: formatNumber(language, minutes) }),
          })
        : t("sameTillOff"),
    ],
  ];
  return (
    <dl class="terms-in-force" data-testid="referral-terms">
      {rows.map(([name, label, text]) => (
        <div key={name} data-term={name}>
          <dt>{label}</dt>
          <dd>{text}</dd>
        </div>
      ))}
    </dl>
  );
}

// One side's reward: its kind chosen, its amount typed as points or as money in the programme's
// currency. The kind chosen stays while the amount is empty (an empty reward leaves the
// document); another kind starts empty, points being no amount of money. A problem with the
// reward as a whole (none given) is said at its amount.
function RewardAt({ bound, side, language, currency }: {
  bound: Bound;
  side: RewardSide;
  language: Language;
  currency: Currency;
}) {
  const t = (key: WordKey) => word(language, key);
  const words = sideWords[side];
  const value = getAt(bound.entry, side);
  const [chosen, setChosen] = useState<RewardKind>(kindOf(value) ?? "points");
  const kind = kindOf(value) ?? chosen;
  const choose = (next: RewardKind) => {
    setChosen(next);
    if (next !== kind) bound.set(setAt(bound.entry, side, undefined));
  };
  const amountPath = `${side}.${kind}`;
  const problems = new Map(bound.problems);
  const whole = problems.get(side);
  if (whole && !problems.has(amountPath)) problems.set(amountPath, whole);
  const amount = { ...bound, problems, language, path: amountPath };
  return (
    <fieldset data-reward={side}>
      <legend>{t(words.reward)}</legend>
      <p class="hint">{t(words.hint)}</p>
      <div class="grid">
        <Labelled label={t("referralRewardKind")}>
          {(control) => (
            <select
              name={`${side}.kind`}
              value={kind}
              onChange={(event) => choose(event.currentTarget.value as RewardKind)}
              {...control}
            >
              {rewardKinds.map((known) => (
                <option key={known} value={known}>
                  {t(`reward_${known}`)}
                </option>
              ))}
            </select>
          )}
        </Labelled>
        {kind === "points" ? (
          <NumberAt
            key={amountPath}
            {...amount}
            label={t(words.points)}
            hint={fill(t("pointsRangeHint"), { least: formatNumber(language, 1), most: formatNumber(language, pointsMax) })}
          />
        ) : (
          <MoneyAt
            key={amountPath}
            {...amount}
            exponent={currency.exponent}
            code={currency.code}
            label={t(words.cashback)}
            hint={fill(t("cashbackRangeHint"), {
              least: formatMoney(language, 1, currency),
              most: formatMoney(language, cashbackMax, currency),
            })}
          />
        )}
      </div>
    </fieldset>
  );
}

// A programme that never had terms starts from the API's own defaults: active, 30 days to
// qualify, any purchase, 10 referrer rewards a month, no same-till check; the rewards to choose.
const freshTerms = (): JsonObject => ({
  state: "active",
  within_days: 30,
  min_spend: 0,
  per_referrer_per_month: 10,
  same_till_minutes: 0,
});

function TermsForm({ language, program, answer, saved }: {
  language: Language;
  program: ProgramSettings;
  answer: api.ReferralTermsAnswer;
  saved: (answer: api.ReferralTermsAnswer) => void;
}) {
  const t = (key: WordKey) => word(language, key);
  const [document, setDocument] = useState<JsonObject>(answer.terms ?? freshTerms);
  const { busy, refusal, status, submitting } = useAction();
  const problems = fieldProblems(language, refusal);
  const currency = currencyOf(program);
  const bound: Bound = { entry: document, set: setDocument, problems };
  const number = { ...bound, language };
  const money = { ...number, exponent: currency.exponent, code: currency.code };
  const save = submitting(
    async () => {
      const stored = await api.setReferralTerms(document);
      if (stored.terms) setDocument(stored.terms);
      saved(stored);
      return stored;
    },
    (stored) => fill(t("referralsSaved"), { n: formatNumber(language, stored.version) }),
  );
  return (
    <section class="card" aria-labelledby="referrals-form-title">
      <h2 id="referrals-form-title">{t("changeReferrals")}</h2>
      <form class="rule referrals" onSubmit={save} aria-busy={busy} noValidate>
        <div class="grid">
          <SelectAt
            {...bound}
            path="state"
            label={t("referralState")}
            hint={t("referralStateHint")}
            options={[
              ["active", t("referral_active")],
              ["paused", t("referral_paused")],
            ]}
          />
        </div>
        <RewardAt bound={bound} side="friend_reward" language={language} currency={currency} />
        <RewardAt bound={bound} side="referrer_reward" language={language} currency={currency} />
        <fieldset>
          <legend>{t("qualifyingPurchase")}</legend>
          <div class="grid">
            <NumberAt {...number} path="within_days" label={t("withinDays")} hint={t("withinDaysHint")} />
            <MoneyAt {...money} path="min_spend" label={t("minSpend")} hint={t("minSpendHint")} />
          </div>
        </fieldset>
        <fieldset>
          <legend>{t("referralLimits")}</legend>
          <div class="grid">
            <NumberAt
              {...number}
              path="per_referrer_per_month"
              label={t("perReferrerPerMonth")}
              hint={t(jalali(program) ? "perReferrerJalaliHint" : "perReferrerMonthHint")}
            />
            <NumberAt {...number} path="same_till_minutes" label={t("sameTillMinutes")} hint={t("sameTillMinutesHint")} />
          </div>
        </fieldset>
        <Outcome
          language={language}
          status={status}
          refusal={refusal}
          refused={refusal ? explain(language, refusal, fieldLabels(language)) : null}
        />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {t("saveReferrals")}
          </button>
        </div>
      </form>
    </section>
  );
}

export function Referrals({ language, session, program }: PageProps) {
  const t = (key: WordKey) => word(language, key);
  const [answer, setAnswer] = useState<api.ReferralTermsAnswer | null>(null);
  const [refusal, setRefusal] = useState<unknown>(null);
  useEffect(() => {
    api.referralTerms().then(setAnswer, setRefusal);
  }, []);
  const about = (
    <>
      <h2 id="referrals-title">{t("referrals")}</h2>
      <p>{t("referralsAbout")}</p>
      <p>{t("referralsKept")}</p>
    </>
  );
  if (!answer) {
    return (
      <section class="card" aria-labelledby="referrals-title" aria-busy={refusal === null}>
        {about}
        {refusal === null ? <p>{t("loading")}</p> : <p role="alert">{explain(language, refusal)}</p>}
      </section>
    );
  }
  const may = writes(session.role);
  return (
    <>
      <section class="card" aria-labelledby="referrals-title">
        {about}
        <h3>{t("referralsInForce")}</h3>
        <p class="muted" data-testid="referrals-version">
          {answer.version === 0 || !answer.terms
            ? t("referralsNeverSet")
            : fill(t("referralsVersion"), { n: formatNumber(language, answer.version) })}
        </p>
        {answer.terms && <InForce language={language} program={program} terms={answer.terms} />}
        {!may && <p class="muted">{t("referralsReadOnly")}</p>}
      </section>
      {may && <TermsForm language={language} program={program} answer={answer} saved={setAnswer} />}
    </>
  );
}
