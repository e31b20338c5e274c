// The fraud policy (GET /v1/fraud/policy; PUT, admins only): which patterns are watched, at what
// thresholds, and what is done on a signal. Every role of the section reads the policy in force in
// words; an admin changes it in a form: each pattern watched or not, its action (each said in a
// sentence; a till's pattern only flags) and its numbers (an amount of cashback typed in the
// programme's currency), saved whole, with the API's problems beside their fields. A pattern
// switched off and on again before saving comes back as it was; one this page does not describe
// yet is listed as the API names it and saved as it was.
import { type Currency, currencyOf, formatList, formatMoney, formatNumber, type Language } from "@patron/common/i18n";
import { fieldProblems } from "@patron/common/problems";
import { useEffect, useState } from "preact/hooks";

import { Outcome, useAction } from "../action";
import { isObject, type Json, type JsonObject, setAt } from "../configure/doc";
import { type Bound, MoneyAt, NumberAt } from "../configure/fields";
import { explain } from "../problems";
import type { PageProps } from "../shell";
import * as api from "./api";
import { Choice, kindWords } from "./shared";
import { counted, duration, fill, nth, word, type WordKey } from "./words";

// The action a pattern of the policy takes, as the API names it.
function actionOf(watch: Json | undefined): api.FraudAction | undefined {
  const action = isObject(watch) ? watch.action : undefined;
  return api.isOneOf(api.fraudActions, action) ? action : undefined;
}

const numberOf = (value: Json | undefined) => (typeof value === "number" ? value : null);

// What a watched pattern raises a signal on, in a sentence: "A signal on the 3rd purchase with one
// card within an hour, or purchases at two stores less than 20 minutes apart."
function watchedText(language: Language, currency: Currency, kind: api.PolicyPattern, watch: JsonObject): string {
  const t = (key: WordKey) => word(language, key);
  const points = (value: Json | undefined) => counted(language, numberOf(value) ?? 0, "pointsOne", "pointsMany");
  // A pattern watched on any of its numbers names each it is given: "a, or b"; "a, b, or c".
  const either = (each: string[]) =>
    each.length < 2
      ? each.join("")
      : fill(t("sumEither"), {
          a: each.slice(0, -1).reduce((a, b) => fill(t("sumList"), { a, b })),
          b: each[each.length - 1]!,
        });
  const what = () => {
    if (kind === "redemption_after_enrolment") {
      return fill(t("sumEnrolment"), { hours: counted(language, numberOf(watch.within_hours) ?? 0, "hoursOne", "hoursMany") });
    }
    if (kind === "return_cycling") {
      return fill(t("sumCycling"), {
        nth: nth(language, numberOf(watch.returns) ?? 0),
        days: counted(language, numberOf(watch.days) ?? 0, "daysOne", "daysMany"),
      });
    }
    if (kind === "spent_points_returned") return fill(t("sumSpentBack"), { points: points(watch.points_min) });
    if (kind === "claim_harvesting") {
      // Each number the policy gives above 0, counted within the API's 24 hours.
      const hours = counted(language, api.claimHours, "hoursOne", "hoursMany");
      const counts: [string, WordKey][] = [
        ["claims_per_member_per_day", "sumClaims"],
        ["failed_per_member_per_day", "sumFailedClaims"],
        ["claims_per_address_per_day", "sumAddressClaims"],
        ["claims_per_terminal_per_day", "sumTillClaims"],
      ];
      return either(
        counts.flatMap(([name, sum]) => {
          const most = numberOf(watch[name]) ?? 0;
          return most > 0 ? [fill(t(sum), { nth: nth(language, most), hours })] : [];
        }),
      );
    }
    if (kind === "terminal_outlier") {
      // Each measure the policy watches (given its least amount), against the till's usual hour.
      const times = formatNumber(language, numberOf(watch.times_usual) ?? 0);
      const pointsMin = numberOf(watch.points_min);
      const cashbackMin = numberOf(watch.cashback_min);
      const amount = (minor: number) => fill(t("cashbackGiven"), { amount: formatMoney(language, minor, currency) });
      return fill(t("sumOutlier"), {
        what: either([
          ...(pointsMin !== null ? [fill(t("sumOutlierPoints"), { times, points: points(pointsMin) })] : []),
          ...(cashbackMin !== null ? [fill(t("sumOutlierCashback"), { times, amount: amount(cashbackMin) })] : []),
        ]),
        days: counted(language, numberOf(watch.history_days) ?? api.outlierHistoryDays, "daysOne", "daysMany"),
      });
    }
    if (kind === "staff_adjustment") {
      const over = numberOf(watch.points_over);
      const most = numberOf(watch.per_user_per_day);
      return either([
        ...(over !== null ? [fill(t("sumGrant"), { points: points(over) })] : []),
        ...(most !== null ? [fill(t("sumAdjustments"), { nth: nth(language, most) })] : []),
      ]);
    }
    const busy = numberOf(watch.purchases_per_hour);
    const apart = numberOf(watch.other_store_minutes);
    return either([
      ...(busy !== null ? [fill(t("sumBusy"), { nth: nth(language, busy) })] : []),
      ...(apart !== null ? [fill(t("sumElsewhere"), { minutes: duration(language, apart) })] : []),
    ]);
  };
  return fill(t("watchedOn"), { what: what() });
}

// The numbers each pattern is set with, by the path the API names their problems with, and what
// the form calls them; an amount of money is typed in the programme's currency and kept in minor
// units. A pattern given none of its numbers is refused as a whole: that is said beside each of
// them but those it is not about (`own`: a number always given, or one with a default).
interface PolicyNumber {
  path: string;
  label: WordKey;
  hint: WordKey;
  money?: true;
  own?: true;
}

const numbersOf: Record<api.PolicyPattern, PolicyNumber[]> = {
  card_velocity: [
    { path: "card_velocity.purchases_per_hour", label: "purchasesPerHour", hint: "purchasesPerHourHint" },
    { path: "card_velocity.other_store_minutes", label: "otherStoreMinutes", hint: "otherStoreMinutesHint" },
  ],
  redemption_after_enrolment: [{ path: "redemption_after_enrolment.within_hours", label: "withinHours", hint: "withinHoursHint" }],
  return_cycling: [
    { path: "return_cycling.returns", label: "returns", hint: "returnsHint" },
    { path: "return_cycling.days", label: "returnDays", hint: "returnDaysHint" },
  ],
  spent_points_returned: [{ path: "spent_points_returned.points_min", label: "pointsMin", hint: "pointsMinHint" }],
  staff_adjustment: [
    { path: "staff_adjustment.points_over", label: "pointsOver", hint: "pointsOverHint" },
    { path: "staff_adjustment.per_user_per_day", label: "perUserPerDay", hint: "perUserPerDayHint" },
  ],
  claim_harvesting: [
    { path: "claim_harvesting.claims_per_member_per_day", label: "claimsPerMember", hint: "claimsPerMemberHint" },
    { path: "claim_harvesting.failed_per_member_per_day", label: "failedPerMember", hint: "failedPerMemberHint" },
    { path: "claim_harvesting.claims_per_address_per_day", label: "claimsPerAddress", hint: "claimsPerAddressHint" },
    { path: "claim_harvesting.claims_per_terminal_per_day", label: "claimsPerTerminal", hint: "claimsPerTerminalHint" },
  ],
  terminal_outlier: [
    { path: "terminal_outlier.times_usual", label: "timesUsual", hint: "timesUsualHint", own: true },
    { path: "terminal_outlier.points_min", label: "outlierPointsMin", hint: "outlierPointsMinHint" },
    { path: "terminal_outlier.cashback_min", label: "outlierCashbackMin", hint: "outlierCashbackMinHint", money: true },
    { path: "terminal_outlier.history_days", label: "historyDays", hint: "historyDaysHint", own: true },
  ],
};

// The patterns of the policy this page does not describe yet, as the API names them.
const othersIn = (policy: JsonObject) => Object.keys(policy).filter((key) => !api.isOneOf(api.policyPatterns, key));

// A pattern this page does not describe yet, by its settings as the API names them.
function settingsText(watch: JsonObject): string {
  return Object.entries(watch)
    .filter(([name]) => name !== "action")
    .map(([name, value]) => `${name}: ${JSON.stringify(value)}`)
    .join(", ");
}

// The policy in force, pattern by pattern: not watched, or what raises a signal and what is done.
function InForce({ language, currency, policy }: { language: Language; currency: Currency; policy: JsonObject }) {
  const t = (key: WordKey) => word(language, key);
  return (
    <dl class="policy-in-force" data-testid="policy-in-force">
      {[...api.policyPatterns, ...othersIn(policy)].map((kind) => {
        const watch = policy[kind];
        const action = actionOf(watch);
        return (
          <div key={kind} data-kind={kind}>
            <dt>{kindWords(language, kind)}</dt>
            {isObject(watch) ? (
              <dd>
                {api.isOneOf(api.policyPatterns, kind) ? (
                  watchedText(language, currency, kind, watch)
                ) : (
                  <bdi dir="ltr">{settingsText(watch)}.</bdi>
                )}
                {action && (
                  <>
                    {" "}
                    <strong>{t(`actionName_${action}`)}</strong>: {t(`actionWhy_${action}`)}
                  </>
                )}
              </dd>
            ) : (
              <dd>{t("notWatched")}</dd>
            )}
          </div>
        );
      })}
    </dl>
  );
}

// A pattern that may take one action only (a till's: it flags), which is not chosen: what it does,
// and why it does nothing more.
function OnlyAction({ language, action, problem }: { language: Language; action: api.FraudAction; problem?: string }) {
  const t = (key: WordKey) => word(language, key);
  return (
    <div class="only-action">
      <p>
        <strong>{t(`actionName_${action}`)}</strong>: {t(`actionWhy_${action}`)}
      </p>
      <p class="hint">{t("flagOnly")}</p>
      {problem && <span class="field-problem">{problem}</span>}
    </div>
  );
}

function PolicyForm({ language, currency, answer, saved }: {
  language: Language;
  currency: Currency;
  answer: api.PolicyAnswer;
  saved: (answer: api.PolicyAnswer) => void;
}) {
  const t = (key: WordKey) => word(language, key);
  const [document, setDocument] = useState<JsonObject>(answer.policy);
  // What each pattern held when it was switched off.
  const [kept, setKept] = useState<JsonObject>({});
  const { busy, refusal, status, submitting } = useAction();
  const problems = fieldProblems(language, refusal);
  // A pattern given none of its numbers (card velocity, staff adjustments, claim harvesting, a
  // till's least points and cashback) is refused as a whole: said at each of them.
  for (const kind of api.policyPatterns) {
    const whole = problems.get(kind);
    if (!whole) continue;
    for (const { path, own } of numbersOf[kind]) if (!own && !problems.has(path)) problems.set(path, whole);
  }
  // What the form calls each field, by the path the API names its problems with.
  const labels: Record<string, string> = {};
  for (const kind of api.policyPatterns) {
    labels[kind] = t(`kind_${kind}`);
    labels[`${kind}.action`] = `${t(`kind_${kind}`)}: ${t("onSignal")}`;
    for (const { path, label } of numbersOf[kind]) labels[path] = t(label);
  }
  // A pattern switched on is flagged only until another action is chosen: the mildest.
  const watch = (kind: api.PolicyPattern, on: boolean) => {
    if (on) {
      setDocument(setAt(document, kind, isObject(kept[kind]) ? kept[kind] : { action: "flag" }));
    } else {
      setKept({ ...kept, [kind]: document[kind]! });
      setDocument(setAt(document, kind, undefined));
    }
  };
  const save = submitting(
    async () => {
      const stored = await api.setPolicy(document);
      setDocument(stored.policy);
      saved(stored);
      return stored;
    },
    (stored) => fill(t("policySaved"), { n: formatNumber(language, stored.version) }),
  );
  // Saved as they are: the form edits only the patterns it knows, in the policy as it was read.
  const others = othersIn(document);
  const bound: Bound = { entry: document, set: setDocument, problems };
  const number = { ...bound, language };
  const money = { ...number, exponent: currency.exponent, code: currency.code };
  // A hint's range of money, in the programme's currency.
  const amounts = { least: formatMoney(language, 1, currency), most: formatMoney(language, api.outlierCashbackMax, currency) };
  return (
    <section class="card" aria-labelledby="policy-form-title">
      <h2 id="policy-form-title">{t("changePolicy")}</h2>
      <form class="policy" onSubmit={save} aria-busy={busy} noValidate>
        {api.policyPatterns.map((kind) => {
          const on = isObject(document[kind]);
          const actions = api.actionsOf(kind);
          return (
            <fieldset key={kind} data-kind={kind}>
              <legend>{t(`kind_${kind}`)}</legend>
              <p class="hint">{t(`about_${kind}`)}</p>
              <label class="check">
                <input type="checkbox" name={kind} checked={on} onChange={(event) => watch(kind, event.currentTarget.checked)} />
                {t("watch")}
              </label>
              {on && (
                <>
                  {actions.length > 1 ? (
                    <Choice
                      legend={t("onSignal")}
                      name={`${kind}.action`}
                      options={actions.map((value) => ({
                        value,
                        name: t(`actionName_${value}`),
                        why: t(`actionWhy_${value}`),
                      }))}
                      chosen={actionOf(document[kind])}
                      choose={(action) => setDocument(setAt(document, `${kind}.action`, action))}
                      problem={problems.get(`${kind}.action`)}
                    />
                  ) : (
                    // The one action it may take, said as the choice would say it, and why no other.
                    <OnlyAction language={language} action={actions[0]!} problem={problems.get(`${kind}.action`)} />
                  )}
                  <div class="grid">
                    {numbersOf[kind].map(({ path, label, hint, money: inMoney }) =>
                      inMoney ? (
                        <MoneyAt key={path} {...money} path={path} label={t(label)} hint={fill(t(hint), amounts)} />
                      ) : (
                        <NumberAt key={path} {...number} path={path} label={t(label)} hint={t(hint)} />
                      ),
                    )}
                  </div>
                </>
              )}
            </fieldset>
          );
        })}
        {others.length > 0 && (
          <p class="hint">{fill(t("othersKept"), { names: formatList(language, others) })}</p>
        )}
        <Outcome language={language} status={status} refusal={refusal} refused={explain(language, refusal, labels)} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {t("savePolicy")}
          </button>
        </div>
      </form>
    </section>
  );
}

export function Policy({ language, session, program }: PageProps) {
  const t = (key: WordKey) => word(language, key);
  const [answer, setAnswer] = useState<api.PolicyAnswer | null>(null);
  const [refusal, setRefusal] = useState<unknown>(null);
  useEffect(() => {
    api.policy().then(setAnswer, setRefusal);
  }, []);

  if (!answer) {
    return (
      <section class="card" aria-busy={refusal === null}>
        <h2>{t("policyInForce")}</h2>
        {refusal === null ? <p>{t("loading")}</p> : <p role="alert">{explain(language, refusal)}</p>}
      </section>
    );
  }
  const admin = session.role === "admin";
  return (
    <>
      <section class="card" aria-labelledby="policy-title">
        <h2 id="policy-title">{t("policyInForce")}</h2>
        <p class="muted" data-testid="policy-version">
          {answer.version === 0 ? t("policyNeverSet") : fill(t("policyVersion"), { n: formatNumber(language, answer.version) })}
        </p>
        <InForce language={language} currency={currencyOf(program)} policy={answer.policy} />
        {!admin && <p class="muted">{t("policyReadOnly")}</p>}
      </section>
      {admin && <PolicyForm language={language} currency={currencyOf(program)} answer={answer} saved={setAnswer} />}
    </>
  );
}
