// One earn rule or bonus of the draft, in a form with every option the engine has: what it gives
// (points per amount with rounding, or fixed points), multipliers by category, SKU and tier, the
// basket's conditions, when it applies (validity, weekdays and hours), to whom (stores, tiers,
// segments, birthday month, first purchase), its limits and budget, its order and exclusivity
// group, and a hold-out. Saving puts the rule into the whole draft, which the API checks as a
// whole; each problem it finds is shown beside its field.
import { fieldProblems } from "@patron/common/problems";
import { useEffect, useState } from "preact/hooks";

import { explain } from "../problems";
import { go, Link, type PageProps } from "../shell";
import * as api from "./api";
import { getAt, isObject, type JsonObject, problemsUnder, setAt } from "./doc";
import {
  type Bound,
  CheckAt,
  ChoicesAt,
  DaysAt,
  InstantAt,
  ListAt,
  MoneyAt,
  MultipliersAt,
  NumberAt,
  SelectAt,
  TextAt,
  TimeAt,
} from "./fields";
import { fieldLabel, word, type WordKey } from "./words";

interface Props extends PageProps {
  id: string | null; // null: a new rule of `kind`.
  kind: "earn" | "bonus" | null;
}

function rulesOf(document: JsonObject): JsonObject[] {
  const list = document.rules;
  return Array.isArray(list) ? list.filter(isObject) : [];
}

export function RuleForm({ language, program, id, kind }: Props) {
  const t = (key: WordKey) => word(language, key);
  const [draft, setDraft] = useState<api.Draft | null>(null);
  const [rule, setRule] = useState<JsonObject | null>(null);
  const [groupMode, setGroupMode] = useState<JsonObject>({});
  const [tiers, setTiers] = useState<string[]>([]);
  const [refusal, setRefusal] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.tiers().then((answer) => setTiers((answer.tiers ?? []).map((tier) => tier.name)), () => undefined);
    api.draft().then((current) => {
      setDraft(current);
      const found = id === null ? undefined : rulesOf(current.document).find((known) => known.id === id);
      setRule(found ?? (id === null ? { kind: kind ?? "earn", ...(kind === "bonus" ? {} : { points: 1 }) } : null));
      const groups = isObject(current.document.groups) ? current.document.groups : {};
      const group = found && typeof found.group === "string" ? groups[found.group] : undefined;
      setGroupMode(typeof group === "string" ? { mode: group } : {});
    }, setRefusal);
  }, [id, kind]);

  if (!draft || (!rule && !refusal)) {
    return (
      <section class="card" aria-busy="true">
        <h2>{t("loading")}</h2>
      </section>
    );
  }
  if (!rule) {
    return (
      <section class="card refusal" role="alert">
        <h2>{t("noSuchRule")}</h2>
        <Link to="/console/configure/rules">{t("backToDraft")}</Link>
      </section>
    );
  }
  const rules = rulesOf(draft.document);
  const index = id === null ? rules.length : rules.findIndex((known) => known.id === id);
  const problems = problemsUnder(fieldProblems(language, refusal), `rules[${index}]`);
  const bound: Bound = { entry: rule, set: setRule, problems };
  const earn = rule.kind !== "bonus";
  const currency = { exponent: program?.currency_exponent ?? 0, code: program?.currency ?? "" };
  const money = { ...bound, language, ...currency };
  const number = { ...bound, language };
  const labels = (path: string) => fieldLabel(language, path);

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setRefusal(null);
    const next = [...rules];
    next[index] = rule;
    let document: JsonObject = { ...draft.document, rules: next };
    const group = getAt(rule, "group");
    if (typeof group === "string" && group !== "") {
      document = setAt(document, `groups.${group}`, typeof groupMode.mode === "string" ? groupMode.mode : "best");
    }
    try {
      await api.saveDraft(document);
      go("/console/configure/rules");
    } catch (error) {
      setRefusal(error);
    } finally {
      setBusy(false);
    }
  };
  // A refusal about the rule names its fields by the form's labels; one about the rest of the
  // draft by its JSON path.
  const refused = refusal
    ? explain(language, refusal, Object.fromEntries([...problems.keys()].map((path) => [`rules[${index}].${path}`, labels(path)])))
    : null;
  const title = id === null ? t(earn ? "newEarn" : "newBonus") : `${t("editRule")} ${String(rule.name ?? id)}`;
  return (
    <section class="card" aria-labelledby="rule-title">
      <h2 id="rule-title">
        <bdi>{title}</bdi>
      </h2>
      <form class="rule" onSubmit={save} noValidate>
        <fieldset>
          <legend>{t("basics")}</legend>
          <div class="grid">
            <TextAt {...bound} path="name" label={labels("name")} />
            {id === null ? (
              <TextAt {...bound} path="id" label={labels("id")} hint={t("idHint")} dir="ltr" />
            ) : (
              <p>
                {labels("id")}: <code>{id}</code>
              </p>
            )}
            <SelectAt
              {...bound}
              path="kind"
              label={labels("kind")}
              absent="earn"
              options={[
                ["earn", t("earn")],
                ["bonus", t("bonus")],
              ]}
            />
          </div>
        </fieldset>
        <fieldset>
          <legend>{t("reward")}</legend>
          <div class="grid">
            <NumberAt {...number} path="points" label={labels("points")} hint={earn ? t("pointsHint") : t("bonusHint")} />
            {earn && (
              <>
                <MoneyAt {...money} path="per_amount" label={labels("per_amount")} hint={t("perAmountHint")} />
                <SelectAt
                  {...bound}
                  path="rounding"
                  label={labels("rounding")}
                  options={[
                    ["", t("programmeDefault")],
                    ["floor", t("floor")],
                    ["nearest", t("nearest")],
                    ["ceil", t("ceil")],
                  ]}
                />
                <SelectAt
                  {...bound}
                  path="rounding_scope"
                  label={labels("rounding_scope")}
                  options={[
                    ["", t("programmeDefault")],
                    ["purchase", t("perPurchase")],
                    ["line", t("perLine")],
                  ]}
                />
              </>
            )}
          </div>
        </fieldset>
        {earn && (
          <fieldset>
            <legend>{t("multipliers")}</legend>
            <p class="hint">{t("multipliersHint")}</p>
            {(["categories", "skus", "tiers"] as const).map((by) => (
              <MultipliersAt
                key={by}
                {...number}
                path={`multipliers.${by}`}
                label={labels(`multipliers.${by}`)}
                nameLabel={t(by === "categories" ? "category" : by === "skus" ? "sku" : "tier")}
                valueLabel={t("times")}
                add={t("addMultiplier")}
                remove={t("remove")}
              />
            ))}
          </fieldset>
        )}
        <fieldset>
          <legend>{t("conditions")}</legend>
          <div class="grid">
            <MoneyAt {...money} path="conditions.min_amount" label={labels("conditions.min_amount")} />
            <NumberAt {...number} decimals path="conditions.min_quantity" label={labels("conditions.min_quantity")} />
            <ListAt {...bound} path="conditions.categories" label={labels("conditions.categories")} hint={t("listHint")} />
            <ListAt {...bound} path="conditions.skus" label={labels("conditions.skus")} hint={t("listHint")} />
            <ListAt {...bound} path="conditions.exclude_categories" label={labels("conditions.exclude_categories")} />
            <ListAt {...bound} path="conditions.exclude_skus" label={labels("conditions.exclude_skus")} />
          </div>
        </fieldset>
        <fieldset>
          <legend>{t("when")}</legend>
          <div class="grid">
            <InstantAt
              {...bound}
              path="valid_from"
              label={labels("valid_from")}
              language={language}
              timeZone={program?.time_zone ?? "UTC"}
              timeLabel={t("time")}
              dateLabel={t("date")}
            />
            <InstantAt
              {...bound}
              path="valid_until"
              label={labels("valid_until")}
              language={language}
              timeZone={program?.time_zone ?? "UTC"}
              timeLabel={t("time")}
              dateLabel={t("date")}
            />
          </div>
          <DaysAt {...bound} path="schedule.days" label={labels("schedule.days")} dayNames={t("dayNames").split(" ")} />
          <div class="grid">
            <TimeAt {...bound} path="schedule.from" label={labels("schedule.from")} />
            <TimeAt {...bound} path="schedule.until" label={labels("schedule.until")} hint={t("scheduleHint")} />
          </div>
        </fieldset>
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
          <CheckAt {...bound} path="scope.birthday_month" label={labels("scope.birthday_month")} />
          <CheckAt {...bound} path="scope.first_purchase" label={labels("scope.first_purchase")} />
        </fieldset>
        <fieldset>
          <legend>{t("limits")}</legend>
          <div class="grid">
            {(["per_purchase", "per_day", "per_month", "budget"] as const).map((limit) => (
              <NumberAt key={limit} {...number} path={`limits.${limit}`} label={labels(`limits.${limit}`)} />
            ))}
          </div>
        </fieldset>
        <fieldset>
          <legend>{t("order")}</legend>
          <div class="grid">
            <NumberAt {...number} path="priority" label={labels("priority")} hint={t("priorityHint")} />
            <TextAt {...bound} path="group" label={labels("group")} hint={t("groupHint")} />
            <SelectAt
              entry={groupMode}
              set={setGroupMode}
              problems={new Map()}
              path="mode"
              label={t("groupMode")}
              options={[
                ["", t("groupBest")],
                ["first", t("groupFirst")],
              ]}
            />
            <NumberAt {...number} path="holdout.percent" label={labels("holdout.percent")} hint={t("holdoutHint")} />
          </div>
        </fieldset>
        {refused && (
          <p class="message" role="alert">
            {refused}
          </p>
        )}
        {problems.get("") && <p class="field-problem">{problems.get("")}</p>}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {t("saveToDraft")}
          </button>
          <Link to="/console/configure/rules">{t("cancel")}</Link>
        </div>
      </form>
    </section>
  );
}
