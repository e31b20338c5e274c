// One earn rule or bonus of the draft, in a form with every option the engine has: what it gives
// (points per amount with rounding, or fixed points), multipliers by category, SKU, tier and years
// of membership, the basket's conditions, when it applies (validity, weekdays and hours), to whom
// (stores, tiers, segments, birthday month, first purchase, years of membership), its limits and budget, its order and exclusivity
// group, and a hold-out. Saving puts the rule into the whole draft, which the API checks as a
// whole; each problem it finds is shown beside its field.
import { useEffect, useState } from "preact/hooks";

import type { PageProps } from "../shell";
import { getAt, isObject, type JsonObject } from "./doc";
import { EntryForm, useDraftEntry } from "./draft_entry";
import { IdentityFields, WhenFields, WhoFields } from "./fieldsets";
import {
  type Bound,
  CheckAt,
  ListAt,
  MoneyAt,
  MultipliersAt,
  NumberAt,
  SelectAt,
  TextAt,
} from "./fields";
import { fieldLabel, word, type WordKey } from "./words";

interface Props extends PageProps {
  id: string | null; // null: a new rule of `kind`.
  kind: "earn" | "bonus" | null;
}

export function RuleForm({ language, program, id, kind }: Props) {
  const t = (key: WordKey) => word(language, key);
  const state = useDraftEntry("rules", id, () => ({ kind: kind ?? "earn", ...(kind === "bonus" ? {} : { points: 1 }) }));
  const [groupMode, setGroupMode] = useState<JsonObject>({});
  const [modeChosen, setModeChosen] = useState(false);
  // The mode of the rule's exclusivity group, which the document keeps apart from the rules.
  useEffect(() => {
    const groups = state.draft && isObject(state.draft.document.groups) ? state.draft.document.groups : {};
    const group = state.entry && typeof state.entry.group === "string" ? groups[state.entry.group] : undefined;
    setGroupMode(typeof group === "string" ? { mode: group } : {});
  }, [state.draft]);
  const rule = state.entry ?? {};
  const earn = rule.kind !== "bonus";
  const title = id === null ? t(earn ? "newEarn" : "newBonus") : `${t("editRule")} ${String(rule.name ?? id)}`;
  // The group's mode is written when the group is new to the document or staff chose it here;
  // joining a group that exists keeps the mode its other rules have.
  const finish = (document: JsonObject) => {
    const group = getAt(rule, "group");
    if (typeof group !== "string" || group === "") return document;
    const groups = isObject(document.groups) ? document.groups : {};
    if (group in groups && !modeChosen) return document;
    return { ...document, groups: { ...groups, [group]: typeof groupMode.mode === "string" ? groupMode.mode : "best" } };
  };
  const labels = (path: string) => fieldLabel(language, path);
  const currency = { exponent: program.currency_exponent, code: program.currency };
  return (
    <EntryForm language={language} state={state} list="rules" title={title} finish={finish}>
      {(problems) => {
        const bound: Bound = { entry: rule, set: state.setEntry, problems };
        const money = { ...bound, language, ...currency };
        const number = { ...bound, language };
        return (
          <>
        <IdentityFields bound={bound} language={language} id={id}>
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
        </IdentityFields>
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
            {(["categories", "skus", "tiers", "tenure"] as const).map((by) => (
              <MultipliersAt
                key={by}
                {...number}
                path={`multipliers.${by}`}
                label={labels(`multipliers.${by}`)}
                nameLabel={t(
                  by === "categories" ? "category" : by === "skus" ? "sku" : by === "tiers" ? "tier" : "fromYear",
                )}
                valueLabel={t("times")}
                add={t("addMultiplier")}
                remove={t("remove")}
                numericNames={by === "tenure"}
              />
            ))}
            <p class="hint">{t("tenureHint")}</p>
          </fieldset>
        )}
        <fieldset>
          <legend>{t("conditions")}</legend>
          <div class="grid">
            <MoneyAt {...money} path="conditions.min_amount" label={labels("conditions.min_amount")} />
            <NumberAt {...number} path="conditions.min_quantity" label={labels("conditions.min_quantity")} />
            <ListAt {...bound} path="conditions.categories" label={labels("conditions.categories")} hint={t("listHint")} />
            <ListAt {...bound} path="conditions.skus" label={labels("conditions.skus")} hint={t("listHint")} />
            <ListAt {...bound} path="conditions.exclude_categories" label={labels("conditions.exclude_categories")} />
            <ListAt {...bound} path="conditions.exclude_skus" label={labels("conditions.exclude_skus")} />
          </div>
        </fieldset>
        <WhenFields bound={bound} language={language} timeZone={program.time_zone} />
        <WhoFields bound={bound} language={language}>
          <CheckAt {...bound} path="scope.birthday_month" label={labels("scope.birthday_month")} />
          <CheckAt {...bound} path="scope.first_purchase" label={labels("scope.first_purchase")} />
          <div class="grid">
            <NumberAt {...number} path="scope.tenure.min_years" label={labels("scope.tenure.min_years")} />
            <NumberAt
              {...number}
              path="scope.tenure.max_years"
              label={labels("scope.tenure.max_years")}
              hint={t("tenureHint")}
            />
          </div>
        </WhoFields>
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
              set={(chosen) => {
                setGroupMode(chosen);
                setModeChosen(true);
              }}
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
          </>
        );
      }}
    </EntryForm>
  );
}
