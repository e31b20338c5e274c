// The programme's tiers and settings. Tiers: what is measured (points, amount spent or visits),
// over which window, how a tier falls and after how many days of grace, and the tiers with their
// thresholds, kept as one document that the API checks whole. Settings: the name, language, time
// zone and currency (the currency only until the first purchase), and the points policy: holds,
// expiry, a point's value, the least redemption, negative balances, the void, claim and quote
// windows, returns, lateness, and how long a purchase can be rated. A change is sent as the
// fields that changed; the API checks it whole and every problem shows beside its field.
import { formatNumber, type Language } from "@patron/common/i18n";
import { fieldProblems } from "@patron/common/problems";
import { useEffect, useState } from "preact/hooks";

import { Outcome, useAction } from "../action";
import { ApiError, type ProgramSettings } from "../api";
import type { PageProps } from "../shell";
import * as api from "./api";
import { flatten, getAt, isObject, type Json, type JsonObject } from "./doc";
import { type Bound, CheckAt, MoneyAt, NumberAt, refusedHere, SelectAt, TextAt } from "./fields";
import { word, type WordKey } from "./words";

// Thresholds of amount spent are money, typed in the currency's units (`money`); of points or
// visits, whole numbers.
function TierRows({ language, policy, set, problems, money }: {
  language: Language;
  policy: JsonObject;
  set: (policy: JsonObject) => void;
  problems: Map<string, string>;
  money: { exponent: number; code: string } | null;
}) {
  const t = (key: WordKey) => word(language, key);
  const tiers = Array.isArray(policy.tiers) ? policy.tiers.filter(isObject) : [];
  const write = (next: JsonObject[]) => set({ ...policy, tiers: next });
  return (
    <fieldset>
      <legend>{t("tierList")}</legend>
      {tiers.map((tier, index) => {
        const bound: Bound = {
          entry: tier,
          set: (changed) => write(tiers.map((old, at) => (at === index ? changed : old))),
          problems: new Map([...problems].flatMap(([path, message]): [string, string][] =>
            path.startsWith(`tiers[${index}].`) ? [[path.slice(`tiers[${index}].`.length), message]] : [])),
        };
        const level = formatNumber(language, index + 1); // "۲" on a Persian page.
        return (
          <div class="row tier" key={index}>
            <TextAt {...bound} path="name" label={`${t("tierName")} ${level}`} />
            {money ? (
              <MoneyAt {...bound} {...money} language={language} path="threshold" label={`${t("threshold")} ${level}`} />
            ) : (
              <NumberAt {...bound} language={language} path="threshold" label={`${t("threshold")} ${level}`} />
            )}
            <button type="button" class="link" onClick={() => write(tiers.filter((_, at) => at !== index))}>
              {t("remove")} <bdi>{String(tier.name ?? "")}</bdi>
            </button>
          </div>
        );
      })}
      {problems.get("tiers") && <span class="field-problem">{problems.get("tiers")}</span>}
      <button type="button" onClick={() => write([...tiers, { name: "", threshold: 0 }])}>
        {t("addTier")}
      </button>
    </fieldset>
  );
}

export function Tiers({ language, program }: PageProps) {
  const t = (key: WordKey) => word(language, key);
  const [policy, setPolicy] = useState<JsonObject | null>(null);
  const { busy, refusal, setRefusal, status, act } = useAction();
  useEffect(() => {
    api.tierPolicy().then(
      ({ version: _version, ...document }) => setPolicy(document),
      // A programme without tiers starts from a rolling year of points.
      (error) => {
        if (error instanceof ApiError && error.status === 404) {
          setPolicy({ measure: "points", window: { kind: "rolling", months: 12 }, downgrade: "one_step", grace_days: 30, tiers: [] });
        } else setRefusal(error);
      },
    );
  }, []);
  if (!policy) {
    return (
      <section class="card" aria-busy={!refusal}>
        <h2>{t("tiers")}</h2>
        <Outcome language={language} status={null} refusal={refusal} />
      </section>
    );
  }
  const problems = fieldProblems(language, refusal);
  const bound: Bound = { entry: policy, set: setPolicy, problems };
  const rolling = getAt(policy, "window.kind") !== "calendar_year";
  const save = (event: Event) => {
    event.preventDefault();
    act(async () => {
      const { version: _version, ...saved } = await api.setTierPolicy(policy);
      setPolicy(saved);
    }, t("tiersSaved"));
  };
  return (
    <section class="card" aria-labelledby="tiers-title">
      <h2 id="tiers-title">{t("tiers")}</h2>
      <form class="rule" onSubmit={save} noValidate>
        <fieldset>
          <legend>{t("tierRules")}</legend>
          <div class="grid">
            <SelectAt
              {...bound}
              path="measure"
              label={t("measure")}
              options={[
                ["points", t("measurePoints")],
                ["amount", t("measureAmount")],
                ["visits", t("measureVisits")],
              ]}
            />
            <SelectAt
              {...bound}
              path="window.kind"
              label={t("window")}
              options={[
                ["rolling", t("windowRolling")],
                ["calendar_year", t("windowYear")],
              ]}
            />
            {rolling && <NumberAt {...bound} language={language} path="window.months" label={t("windowMonths")} />}
            <SelectAt
              {...bound}
              path="downgrade"
              label={t("downgrade")}
              options={[
                ["one_step", t("downgradeOneStep")],
                ["to_qualified", t("downgradeQualified")],
              ]}
            />
            <NumberAt {...bound} language={language} path="grace_days" label={t("graceDays")} />
          </div>
        </fieldset>
        <TierRows
          language={language}
          policy={policy}
          set={setPolicy}
          problems={problems}
          money={policy.measure === "amount" ? { exponent: program.currency_exponent, code: program.currency } : null}
        />
        <Outcome language={language} status={status} refusal={refusal} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {t("saveTiers")}
          </button>
        </div>
      </form>
    </section>
  );
}

// What changed between the settings as read and as edited, as the PATCH the API takes.
function changed(before: JsonObject, after: JsonObject): JsonObject {
  const change: JsonObject = {};
  for (const [key, value] of Object.entries(after)) {
    const was = before[key];
    if (isObject(value) && isObject(was)) {
      const inner = changed(was, value);
      if (Object.keys(inner).length > 0) change[key] = inner;
    } else if (JSON.stringify(value) !== JSON.stringify(was)) {
      change[key] = value as Json;
    }
  }
  return change;
}

// The settings that were read but are left empty now: the API keeps a setting it is not sent,
// and has no way to clear one, so these are refused here rather than left out unsaid.
function emptied(before: JsonObject, after: JsonObject): string[] {
  const now = flatten(after);
  return [...flatten(before).keys()].filter((path) => !now.has(path));
}

// The programme's settings the console follows (its header, money and clocks), from the answer.
function programmeOf(saved: JsonObject): ProgramSettings {
  const { name, currency, currency_exponent, language, time_zone } = saved;
  return { name, currency, currency_exponent, language, time_zone } as ProgramSettings;
}

export function Settings({ language, program, programChanged }: PageProps) {
  const t = (key: WordKey) => word(language, key);
  const [read, setRead] = useState<JsonObject | null>(null);
  const [settings, setSettings] = useState<JsonObject | null>(null);
  const { busy, refusal, setRefusal, status, act } = useAction();
  useEffect(() => {
    api.programSettings().then((found) => {
      setRead(found);
      setSettings(found);
    }, setRefusal);
  }, []);
  if (!settings || !read) {
    return (
      <section class="card" aria-busy={!refusal}>
        <h2>{t("settings")}</h2>
        <Outcome language={language} status={null} refusal={refusal} />
      </section>
    );
  }
  const problems = fieldProblems(language, refusal);
  const bound: Bound = { entry: settings, set: setSettings, problems };
  const number = { ...bound, language };
  const exponent = program.currency_exponent;
  const months = getAt(settings, "points.expiry.mode") !== "quarter_end";
  const save = (event: Event) => {
    event.preventDefault();
    act(async () => {
      const empty = emptied(read, settings);
      if (empty.length > 0) throw refusedHere(empty, t("required"));
      const { currency_exponent: _exponent, ...change } = changed(read, settings);
      const saved = await api.changeSettings(change);
      setRead(saved);
      setSettings(saved);
      programChanged(programmeOf(saved));
    }, t("settingsSaved"));
  };
  return (
    <section class="card" aria-labelledby="settings-title">
      <h2 id="settings-title">{t("settings")}</h2>
      <form class="rule" onSubmit={save} noValidate>
        <fieldset>
          <legend>{t("programme")}</legend>
          <div class="grid">
            <TextAt {...bound} path="name" label={t("programmeName")} />
            <SelectAt
              {...bound}
              path="language"
              label={t("receiptLanguage")}
              options={[
                ["fa", "فارسی"],
                ["en", "English"],
              ]}
            />
            <TextAt {...bound} path="time_zone" label={t("timeZone")} hint={t("timeZoneHint")} dir="ltr" />
            <TextAt {...bound} path="currency" label={t("currency")} hint={t("currencyHint")} dir="ltr" />
          </div>
        </fieldset>
        <fieldset>
          <legend>{t("pointsPolicy")}</legend>
          <div class="grid">
            <MoneyAt {...number} exponent={exponent} code={String(settings.currency ?? "")} path="points.point_value_minor" label={t("pointValue")} />
            <NumberAt {...number} path="points.redeem_points_min" label={t("redeemMin")} />
            <NumberAt {...number} path="points.hold_days" label={t("holdDays")} />
            <SelectAt
              {...bound}
              path="points.expiry.mode"
              label={t("expiry")}
              options={[
                ["months", t("expiryMonths")],
                ["quarter_end", t("expiryQuarter")],
              ]}
            />
            {months && <NumberAt {...number} path="points.expiry.months" label={t("expiryMonthsCount")} />}
            <NumberAt {...number} path="points.expiry_notice_days" label={t("expiryNotice")} hint={t("expiryNoticeHint")} />
            <SelectAt
              {...bound}
              path="points.negative_balance"
              label={t("negativeBalance")}
              options={[
                ["allow", t("negativeAllow")],
                ["clamp", t("negativeClamp")],
              ]}
            />
          </div>
        </fieldset>
        <fieldset>
          <legend>{t("tillPolicy")}</legend>
          <div class="grid">
            <NumberAt {...number} path="points.claim_window_days" label={t("claimWindow")} />
            <NumberAt {...number} path="points.quote_hold_minutes" label={t("quoteHold")} />
            <NumberAt {...number} path="points.void_window_hours" label={t("voidWindow")} />
            <NumberAt {...number} path="points.late_after_days" label={t("lateAfter")} />
            <NumberAt {...number} path="feedback.answer_days" label={t("feedbackDays")} hint={t("feedbackDaysHint")} />
          </div>
          <CheckAt {...bound} path="points.blind_returns" label={t("blindReturns")} keepFalse />
          <CheckAt {...bound} path="points.returns_any_store" label={t("returnsAnyStore")} keepFalse />
        </fieldset>
        <fieldset>
          <legend>{t("messagesPolicy")}</legend>
          <div class="grid">
            <NumberAt {...number} path="messages.weekly_cap" label={t("weeklyCap")} hint={t("weeklyCapHint")} />
          </div>
          {/* The two quiet hours side by side, with the hint that explains both under them. */}
          <div class="grid quiet-hours">
            <NumberAt {...number} path="messages.quiet_from_hour" label={t("quietFrom")} />
            <NumberAt {...number} path="messages.quiet_until_hour" label={t("quietUntil")} />
          </div>
          <p class="hint">{t("quietHint")}</p>
          <CheckAt {...bound} path="messages.warnings_past_cap" label={t("warningsPastCap")} keepFalse />
          <p class="hint">{t("warningsPastCapHint")}</p>
        </fieldset>
        <Outcome language={language} status={status} refusal={refusal} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {t("saveSettings")}
          </button>
        </div>
      </form>
    </section>
  );
}
