// Triggers (docs/triggers.md): what happens by itself when a member's recent activity meets a
// condition, at most once per member per window. The list says of each, in words, its condition
// ("At least 3 visits in the calendar month") and its action, its state and how often it fired;
// a trigger's form (its condition's kind, how many or how much, the window: a calendar week,
// month or Jalali month, or a number of days; its action: a message in English and Persian, a
// published coupon campaign's code, bonus points, a fraud signal that flags, holds the member's
// new points or blocks their cards too, or a place for some days in one of the segments with the
// condition "added by a trigger") makes a new one or changes it whole, with the
// API's problems beside their fields; it is paused, resumed and ended (ending asks first) from its
// page, which also shows its 20 latest firings. Analysts read triggers and change none.
import { type Currency, digits, formatDate, formatMoney, formatNumber, type Language } from "@patron/common/i18n";
import { fieldProblems } from "@patron/common/problems";
import { useEffect, useState } from "preact/hooks";

import type { StaffRole } from "../api";
import { Outcome, useAction } from "../action";
import { ListTable } from "../list_table";
import { explain } from "../problems";
import { sections } from "../sections";
import { go, Link, type PageProps } from "../shell";
import { When } from "../when";
import * as api from "./api";
import { Confirm } from "./confirm";
import { itemGate } from "./item_gate";
import { getAt, isObject, type Json, type JsonObject } from "./doc";
import { type Bound, Labelled, ListAt, MoneyAt, NumberAt, SelectAt, TextAreaAt, TextAt } from "./fields";
import { word, type WordKey } from "./words";

const conditionKinds = ["visits", "spend", "returns", "no_purchase", "anniversary"] as const;
const periods = ["week", "month", "jalali_month"] as const;
const actionKinds = ["message", "coupon", "bonus_points", "fraud_signal", "segment"] as const;
// What a fraud signal does (docs/fraud.md), the mildest first: the API's default.
const fraudPolicies = ["flag", "hold", "block"] as const;
const outcomes: readonly api.FiringOutcome[] = [
  "queued",
  "issued",
  "held_out",
  "campaign_over",
  "awarded",
  "awarded_held",
  "raised",
  "raised_before",
  "added",
  "added_unmet",
  "segment_gone",
];
const address = "/console/configure/triggers";

// Those the API lets change triggers; analysts only read them.
const writes = (role: StaffRole) => role === "admin" || role === "marketer";

// Words with their blanks filled: "At least {n} visits" with n.
function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (blank, key: string) => values[key] ?? blank);
}

const numberOf = (value: Json | undefined) => (typeof value === "number" ? value : null);
const objectAt = (document: JsonObject, key: string): JsonObject => {
  const value = document[key];
  return isObject(value) ? value : {};
};
// A segment a trigger may add members to: one whose conditions have "added_by_trigger": true.
const takesTriggers = (segment: api.Segment) => isObject(segment.conditions) && segment.conditions.added_by_trigger === true;

// A condition in one line: "At least 3 visits in the calendar month", "No purchase for 45 days".
export function conditionText(language: Language, condition: JsonObject, currency: Currency): string {
  const t = (key: WordKey) => word(language, key);
  const count = (value: number | null, one: WordKey, many: WordKey) =>
    fill(t(value === 1 ? one : many), { n: value === null ? "?" : formatNumber(language, value) });
  const days = numberOf(condition.days);
  if (condition.kind === "no_purchase") return count(days, "sumNoPurchaseOne", "sumNoPurchaseMany");
  if (condition.kind === "anniversary") {
    const years = Array.isArray(condition.years) ? condition.years.map((year) => formatNumber(language, Number(year))) : [];
    return years.length === 0 ? t("sumAnniversaryEvery") : fill(t("sumAnniversaryYears"), { years: years.join(language === "fa" ? "، " : ", ") });
  }
  const atLeast = numberOf(condition.at_least);
  const what =
    condition.kind === "spend"
      ? fill(t("sumSpend"), { amount: atLeast === null ? "?" : formatMoney(language, atLeast, currency) })
      : condition.kind === "returns"
        ? count(atLeast, "sumReturnsOne", "sumReturnsMany")
        : count(atLeast, "sumVisitsOne", "sumVisitsMany");
  const within: Record<string, WordKey> = { week: "sumInWeek", month: "sumInMonth", jalali_month: "sumInJalaliMonth" };
  const period = typeof condition.period === "string" ? within[condition.period] : undefined;
  return `${what} ${period ? t(period) : count(days, "sumInDaysOne", "sumInDaysMany")}`;
}

// An action in one line: the message in the page's language (its start), the campaign by name,
// the points, what the fraud signal does, or the segment by its name (its code while that is not
// known) and for how many days.
export function actionText(
  language: Language,
  action: JsonObject,
  campaigns: Map<number, string>,
  segments: Map<string, string>,
): string {
  const t = (key: WordKey) => word(language, key);
  if (action.kind === "segment") {
    const code = typeof action.segment === "string" ? action.segment : "?";
    const days = numberOf(action.days);
    return fill(t(days === 1 ? "sumSegmentOne" : "sumSegmentMany"), {
      name: segments.get(code) ?? code,
      n: days === null ? "?" : formatNumber(language, days),
    });
  }
  if (action.kind === "fraud_signal") {
    // Without a policy, the API's default: flagged only.
    const policy = fraudPolicies.find((known) => known === action.policy) ?? "flag";
    return t(`sumFraudSignal_${policy}`);
  }
  if (action.kind === "message") {
    const text = objectAt(action, "text");
    const words = String(text[language] ?? text[language === "fa" ? "en" : "fa"] ?? "");
    return fill(t("sumMessage"), { text: words.length > 60 ? `${words.slice(0, 59)}…` : words });
  }
  if (action.kind === "coupon") {
    const id = numberOf(action.campaign_id);
    return fill(t("sumCoupon"), { name: (id !== null && campaigns.get(id)) || `#${digits(language, String(id ?? "?"))}` });
  }
  return fill(t("sumBonus"), { n: formatNumber(language, numberOf(action.points) ?? 0) });
}


// The window a firing is kept under: a period from its first day, the day a rolling window fired,
// or the lapse after a last purchase (kept as "after 2026-10-19 10:22:33.123456", in UTC). Which of
// the first two a day is, the trigger's condition says (a change of the window itself aside).
function windowText(language: Language, firing: api.Firing, trigger: api.Trigger, timeZone: string): string {
  const t = (key: WordKey) => word(language, key);
  const lapse = /^after (\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})/.exec(firing.window);
  if (lapse) return `${t("windowAfter")} ${formatDate(language, `${lapse[1]}T${lapse[2]}Z`, timeZone)}`;
  const year = /^year (\d+)$/.exec(firing.window);
  if (year) return fill(t("windowAnniversary"), { n: formatNumber(language, Number(year[1])) });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(firing.window)) return firing.window;
  const day = formatDate(language, firing.window);
  return typeof trigger.condition.period === "string" ? `${t("windowStarting")} ${day}` : day;
}

// What the form calls each field, by the path the API names its problems with.
function fieldLabels(language: Language, document: JsonObject): Record<string, string> {
  const t = (key: WordKey) => word(language, key);
  const condition = objectAt(document, "condition");
  return {
    name: t("triggerName"),
    state: t("triggerState"),
    condition: t("condition"),
    "condition.kind": t("conditionKind"),
    "condition.at_least": t(condition.kind === "spend" ? "atLeastSpend" : "atLeast"),
    "condition.period": t("triggerWindow"),
    "condition.days": t(condition.kind === "no_purchase" ? "lapseDays" : "windowDays"),
    "condition.years": t("anniversaryYears"),
    action: t("action"),
    "action.kind": t("actionKind"),
    "action.text": `${t("messageEn")}, ${t("messageFa")}`,
    "action.text.en": t("messageEn"),
    "action.text.fa": t("messageFa"),
    "action.campaign_id": t("couponCampaign"),
    "action.points": t("bonusPoints"),
    "action.policy": t("fraudSignalPolicy"),
    "action.segment": t("triggerSegment"),
    "action.days": t("segmentDays"),
  };
}

// A condition of another kind keeps what still means the same: the window between the counting
// kinds, how many between visits and returns (an amount of money is no count), the days of a lapse.
function conditionOfKind(kind: string, old: JsonObject): JsonObject {
  if (kind === "no_purchase") return old.days === undefined ? { kind } : { kind, days: old.days };
  if (kind === "anniversary") return old.kind === "anniversary" ? old : { kind };
  const next: JsonObject = { kind };
  const counting = old.kind !== "no_purchase" && old.kind !== "anniversary" && old.kind !== undefined;
  if (counting && (old.kind === "spend") === (kind === "spend") && old.at_least !== undefined) next.at_least = old.at_least;
  if (!counting) next.period = "month";
  else if (old.period !== undefined) next.period = old.period;
  else if (old.days !== undefined) next.days = old.days;
  return next;
}

function TriggerForm({ language, program, document, set, problems, editable, ended, campaigns, segments }: {
  language: Language;
  program: PageProps["program"];
  document: JsonObject;
  set: (document: JsonObject) => void;
  problems: Map<string, string>;
  editable: boolean;
  ended: boolean;
  campaigns: api.Campaign[];
  segments: api.Segment[] | null; // null until the API answers
}) {
  const t = (key: WordKey) => word(language, key);
  const labels = fieldLabels(language, document);
  const bound: Bound = { entry: document, set, problems };
  const number = { ...bound, language };
  const money = { ...bound, language, exponent: program.currency_exponent, code: program.currency };
  const condition = objectAt(document, "condition");
  const action = objectAt(document, "action");
  const kind = String(condition.kind ?? "");
  const windowChoice = typeof condition.period === "string" ? condition.period : "days";
  const chooseWindow = (choice: string) => {
    const { period: _period, days: _days, ...rest } = condition;
    set({ ...document, condition: choice === "days" ? (condition.days === undefined ? rest : { ...rest, days: condition.days }) : { ...rest, period: choice } });
  };
  // Published campaigns, and the trigger's own if it is no longer one of them.
  const chosen = numberOf(action.campaign_id);
  const published = campaigns.filter((campaign) => campaign.status === "published");
  const offered = [
    ...published,
    ...campaigns.filter((campaign) => campaign.id === chosen && campaign.status !== "published"),
  ];
  // Segments with the condition "added by a trigger", and the trigger's own if it no longer is one
  // of them (by its code, if the segment is gone or not read yet).
  const chosenSegment = typeof action.segment === "string" ? action.segment : null;
  const takers = (segments ?? []).filter(takesTriggers);
  const segmentChoices = takers.map((segment): [string, string] => [segment.code, segment.name]);
  if (chosenSegment !== null && !takers.some((segment) => segment.code === chosenSegment)) {
    segmentChoices.push([chosenSegment, segments?.find((segment) => segment.code === chosenSegment)?.name ?? chosenSegment]);
  }
  // None to choose: a sentence says what a segment needs first, instead of an empty choice.
  const noSegment = segments !== null && segmentChoices.length === 0;
  return (
    <fieldset disabled={!editable} class="trigger">
      <legend>{t("trigger")}</legend>
      <div class="grid">
        <TextAt {...bound} path="name" label={labels.name!} />
        {!ended && (
          <SelectAt
            {...bound}
            path="state"
            label={labels.state!}
            absent="active"
            options={[
              ["active", t("trigger_active")],
              ["paused", t("trigger_paused")],
            ]}
          />
        )}
      </div>
      <fieldset>
        <legend>{t("condition")}</legend>
        <div class="grid">
          <SelectAt
            {...bound}
            set={(next) => set({ ...next, condition: conditionOfKind(String(getAt(next, "condition.kind")), condition) })}
            path="condition.kind"
            label={labels["condition.kind"]!}
            options={conditionKinds.map((known): [string, string] => [known, t(`cond_${known}`)])}
          />
          {kind === "spend" && <MoneyAt {...money} path="condition.at_least" label={labels["condition.at_least"]!} hint={t("spendHint")} />}
          {(kind === "visits" || kind === "returns") && (
            <NumberAt
              {...number}
              path="condition.at_least"
              label={labels["condition.at_least"]!}
              hint={kind === "returns" ? t("atLeastReturnsHint") : undefined}
            />
          )}
          {kind === "anniversary" && (
            <ListAt {...bound} numbers path="condition.years" label={labels["condition.years"]!} hint={t("anniversaryYearsHint")} />
          )}
          {kind !== "no_purchase" && kind !== "anniversary" && (
            <Labelled label={labels["condition.period"]!} problem={problems.get("condition.period")}>
              {(control) => (
                <select name="condition.window" value={windowChoice} onChange={(event) => chooseWindow(event.currentTarget.value)} {...control}>
                  {[...periods, "days" as const].map((choice) => (
                    <option key={choice} value={choice}>
                      {t(`window_${choice}`)}
                    </option>
                  ))}
                </select>
              )}
            </Labelled>
          )}
          {(kind === "no_purchase" || (windowChoice === "days" && kind !== "anniversary")) && (
            <NumberAt
              {...number}
              path="condition.days"
              label={labels["condition.days"]!}
              hint={t(kind === "no_purchase" ? "lapseDaysHint" : "windowDaysHint")}
            />
          )}
        </div>
      </fieldset>
      <fieldset>
        <legend>{t("action")}</legend>
        <div class="grid">
          <SelectAt
            {...bound}
            // Another kind takes its own fields: words, a campaign or points are not carried over.
            set={(next) => {
              const chosenKind = String(getAt(next, "action.kind"));
              set({ ...next, action: chosenKind === action.kind ? objectAt(next, "action") : { kind: chosenKind } });
            }}
            path="action.kind"
            label={labels["action.kind"]!}
            options={actionKinds.map((known): [string, string] => [known, t(`act_${known}`)])}
          />
          {action.kind === "coupon" && (
            <SelectAt
              {...bound}
              path="action.campaign_id"
              label={labels["action.campaign_id"]!}
              hint={t(published.length > 0 ? "couponCampaignHint" : "noPublishedCampaigns")}
              numbers
              options={[
                ["", "–"],
                ...offered.map((campaign): [string, string] => [
                  String(campaign.id),
                  campaign.status === "published" ? campaign.name : `${campaign.name} (${t(campaign.status)})`,
                ]),
              ]}
            />
          )}
          {action.kind === "bonus_points" && (
            <NumberAt {...number} path="action.points" label={labels["action.points"]!} hint={t("triggerPointsHint")} />
          )}
          {action.kind === "fraud_signal" && (
            <SelectAt
              {...bound}
              path="action.policy"
              label={labels["action.policy"]!}
              hint={t("fraudSignalHint")}
              absent="flag"
              options={fraudPolicies.map((known): [string, string] => [known, t(`fraudPolicy_${known}`)])}
            />
          )}
          {action.kind === "segment" && !noSegment && (
            <SelectAt
              {...bound}
              path="action.segment"
              label={labels["action.segment"]!}
              hint={t(segments === null || takers.length > 0 ? "triggerSegmentHint" : "noTriggerSegments")}
              options={[["", "–"], ...segmentChoices]}
            />
          )}
          {action.kind === "segment" && (
            <NumberAt {...number} path="action.days" label={labels["action.days"]!} hint={t("segmentDaysHint")} />
          )}
        </div>
        {action.kind === "segment" && noSegment && <p class="hint">{t("noTriggerSegments")}</p>}
        {action.kind === "message" && (
          <div class="grid">
            <TextAreaAt {...bound} path="action.text.en" label={labels["action.text.en"]!} hint={t("messageEnHint")} lang="en" />
            <TextAreaAt {...bound} path="action.text.fa" label={labels["action.text.fa"]!} hint={t("messageFaHint")} lang="fa" />
          </div>
        )}
      </fieldset>
    </fieldset>
  );
}

export function Triggers({ language, program, session }: PageProps) {
  const t = (key: WordKey) => word(language, key);
  const [list, setList] = useState<api.Trigger[] | null>(null);
  const [campaigns, setCampaigns] = useState<Map<number, string>>(new Map());
  const [segments, setSegments] = useState<Map<string, string>>(new Map());
  const [refusal, setRefusal] = useState<unknown>(null);
  useEffect(() => {
    // The campaigns only name a coupon action's campaign: without them it is named by its id; so
    // do the segments a segment action's, named by its code without them.
    const named = api.campaigns().then(
      (answer) => new Map(answer.campaigns.map((campaign) => [campaign.id, campaign.name])),
      () => new Map<number, string>(),
    );
    const segmentNames = api.segments().then(
      (answer) => new Map(answer.segments.map((segment) => [segment.code, segment.name])),
      () => new Map<string, string>(),
    );
    Promise.all([api.triggers(), named, segmentNames]).then(([answer, names, segmentsNamed]) => {
      setCampaigns(names);
      setSegments(segmentsNamed);
      setList(answer.triggers);
    }, setRefusal);
  }, []);
  const currency = { code: program.currency, exponent: program.currency_exponent };
  return (
    <section class="card" aria-labelledby="triggers-title">
      <h2 id="triggers-title">{t("triggers")}</h2>
      <p class="muted">{t("triggersAbout")}</p>
      {refusal !== null && <p role="alert">{explain(language, refusal)}</p>}
      {list === null && refusal === null && <p>{t("loading")}</p>}
      {list && list.length === 0 && <p>{t("noTriggers")}</p>}
      {list && list.length > 0 && (
        <ListTable
          testId="triggers"
          headings={[t("trigger"), t("triggerState"), t("condition"), t("action"), t("firedTimes"), t("firedLast30"), t("lastFired")]}
        >
          {list.map((trigger) => (
            <tr key={trigger.id}>
              <td>
                <Link to={`${address}/${trigger.id}`}>
                  <bdi>{trigger.name}</bdi>
                </Link>
              </td>
              <td>{t(`trigger_${trigger.state}`)}</td>
              <td>{conditionText(language, trigger.condition, currency)}</td>
              <td>{actionText(language, trigger.action, campaigns, segments)}</td>
              <td>{formatNumber(language, trigger.firings.total)}</td>
              <td>{formatNumber(language, trigger.firings.last_30_days)}</td>
              <td class="when">
                {trigger.firings.last_at ? <When language={language} at={trigger.firings.last_at} timeZone={program.time_zone} /> : t("notFiredYet")}
              </td>
            </tr>
          ))}
        </ListTable>
      )}
      {writes(session.role) && (
        <div class="actions">
          <Link to={`${address}/new`}>{t("newTrigger")}</Link>
        </div>
      )}
    </section>
  );
}

// The form's document of a trigger as the API has it (an ended one has no state to choose).
function documentOf(trigger: api.Trigger): JsonObject {
  const document: JsonObject = { name: trigger.name, condition: trigger.condition, action: trigger.action };
  if (trigger.state !== "ended") document.state = trigger.state;
  return document;
}

const freshDocument = (): JsonObject => ({ condition: { kind: "visits", period: "month" }, action: { kind: "message" } });

export function TriggerPage({ language, program, session, id }: PageProps & { id: string }) {
  const t = (key: WordKey) => word(language, key);
  const known = /^\d+$/.test(id) ? Number(id) : null;
  const may = writes(session.role);
  const [trigger, setTrigger] = useState<api.Trigger | null>(null);
  const [document, setDocument] = useState<JsonObject>(freshDocument);
  const [campaigns, setCampaigns] = useState<api.Campaign[]>([]);
  const [segments, setSegments] = useState<api.Segment[] | null>(null);
  const { busy, refusal, setRefusal, status, act } = useAction();
  const [ending, setEnding] = useState(false);

  // The trigger as it is now; the form follows it, or (after a change of state only) keeps what
  // was typed in it and takes the new state.
  const load = async (triggerId: number, form = true) => {
    const found = await api.trigger(triggerId);
    setTrigger(found);
    if (form || found.state === "ended") setDocument(documentOf(found));
    else setDocument((typed) => ({ ...typed, state: found.state }));
  };
  useEffect(() => {
    // Another trigger's page (back and forth in the history) starts from nothing of this one's.
    setTrigger((shown) => (shown !== null && shown.id === known ? shown : null));
    if (known !== null) load(known).catch(setRefusal);
    else setDocument(freshDocument());
    api.campaigns().then((answer) => setCampaigns(answer.campaigns), () => undefined);
    api.segments().then((answer) => setSegments(answer.segments), () => undefined);
  }, [id]);

  const save = () =>
    act(async () => {
      if (trigger) {
        // The state only when chosen here: saving words must not resume what someone paused meanwhile.
        const { state, ...rest } = document;
        await api.replaceTrigger(trigger.id, state !== undefined && state !== trigger.state ? document : rest);
        await load(trigger.id);
      } else {
        const made = await api.createTrigger(document);
        go(`${address}/${made.id}`, true);
      }
    }, t("triggerSaved"));
  const changeState = (state: api.TriggerState, done: WordKey) =>
    act(async () => {
      await api.setTriggerState(trigger!.id, state);
      await load(trigger!.id, false);
    }, t(done));

  const gate = itemGate({
    language,
    id,
    may,
    loaded: trigger !== null,
    refusal,
    title: "triggers",
    missing: "noSuchTrigger",
    all: "allTriggers",
    address,
  });
  if (gate) return gate;
  const problems = fieldProblems(language, refusal);
  // A message without words at all is refused as a whole: said at both of its fields.
  const whole = problems.get("action.text");
  if (whole) for (const path of ["action.text.en", "action.text.fa"]) if (!problems.has(path)) problems.set(path, whole);
  const ended = trigger?.state === "ended";
  const editable = may && !ended;
  const currency = { code: program.currency, exponent: program.currency_exponent };
  const names = new Map(campaigns.map((campaign) => [campaign.id, campaign.name]));
  const segmentNames = new Map((segments ?? []).map((segment) => [segment.code, segment.name]));
  const membersShown = sections.find((section) => section.path === "members")!.roles.includes(session.role);
  const firings = trigger?.firings.recent ?? [];
  return (
    <>
      <section class="card" aria-labelledby="trigger-title">
        <h2 id="trigger-title">
          {trigger ? <bdi>{trigger.name}</bdi> : t("newTrigger")}
          {trigger && ` (${t(`trigger_${trigger.state}`)})`}
        </h2>
        {trigger && (
          <dl class="trigger-summary" data-testid="trigger-summary">
            <dt>{t("condition")}</dt>
            <dd>{conditionText(language, trigger.condition, currency)}</dd>
            <dt>{t("action")}</dt>
            <dd>{actionText(language, trigger.action, names, segmentNames)}</dd>
            <dt>{t("firedTimes")}</dt>
            <dd>
              {fill(t("firedSummary"), {
                n: formatNumber(language, trigger.firings.total),
                m: formatNumber(language, trigger.firings.last_30_days),
              })}
              {trigger.firings.last_at && (
                <>
                  {" · "}
                  {t("lastFired")}: <When language={language} at={trigger.firings.last_at} timeZone={program.time_zone} />
                </>
              )}
            </dd>
          </dl>
        )}
        {trigger && (
          <p class="muted">
            {fill(t("versionChanged"), { n: formatNumber(language, trigger.version) })} <bdi>{trigger.changed_by}</bdi>
            {trigger.changed_at && (
              <>
                {" · "}
                <When language={language} at={trigger.changed_at} timeZone={program.time_zone} />
              </>
            )}
          </p>
        )}
        <Outcome
          language={language}
          status={status}
          refusal={refusal}
          refused={refusal ? explain(language, refusal, fieldLabels(language, document)) : null}
        />
        {ended && <p>{t("endedNote")}</p>}
        <TriggerForm
          language={language}
          program={program}
          document={document}
          set={setDocument}
          problems={problems}
          editable={editable}
          ended={ended}
          campaigns={campaigns}
          segments={segments}
        />
        <div class="actions">
          {editable && (
            <button type="button" class="primary" disabled={busy} onClick={save}>
              {t("saveTrigger")}
            </button>
          )}
          {may && trigger?.state === "active" && (
            <button type="button" disabled={busy} onClick={() => changeState("paused", "triggerPaused")}>
              {t("pauseTrigger")}
            </button>
          )}
          {may && trigger?.state === "paused" && (
            <button type="button" disabled={busy} onClick={() => changeState("active", "triggerResumed")}>
              {t("resumeTrigger")}
            </button>
          )}
          {may && trigger && !ended && (
            <button type="button" disabled={busy} onClick={() => setEnding(true)}>
              {t("endTrigger")}
            </button>
          )}
          <Link to={address}>{t("allTriggers")}</Link>
        </div>
        {ending && trigger && (
          <Confirm
            title={t("endTriggerTitle")}
            confirm={t("endTrigger")}
            cancel={t("cancel")}
            onConfirm={() => changeState("ended", "triggerEnded")}
            onClose={() => setEnding(false)}
          >
            <p>
              <bdi>{trigger.name}</bdi>
            </p>
            <p>{t("endTriggerQuestion")}</p>
          </Confirm>
        )}
      </section>
      {trigger && (
        <section class="card" aria-labelledby="firings-title">
          <h2 id="firings-title">{t("latestFirings")}</h2>
          {firings.length === 0 ? (
            <p>{t("noFirings")}</p>
          ) : (
            <>
              <p class="muted">{t("latestFiringsHint")}</p>
              <ListTable
                testId="firings"
                label={t("latestFirings")}
                headings={[t("firingMember"), t("firingWindow"), t("firingVersion"), t("firingOutcome"), t("firingAt")]}
              >
                {firings.map((firing, index) => (
                  <tr key={index}>
                    <td>
                      {membersShown ? (
                        <Link to={`/console/members/${firing.member_id}`}>{digits(language, String(firing.member_id))}</Link>
                      ) : (
                        digits(language, String(firing.member_id))
                      )}
                    </td>
                    <td>{windowText(language, firing, trigger, program.time_zone)}</td>
                    <td>{formatNumber(language, firing.version)}</td>
                    <td>{outcomes.includes(firing.outcome) ? t(`outcome_${firing.outcome}`) : firing.outcome}</td>
                    <td class="when">
                      <When language={language} at={firing.at} timeZone={program.time_zone} />
                    </td>
                  </tr>
                ))}
              </ListTable>
            </>
          )}
        </section>
      )}
    </>
  );
}
