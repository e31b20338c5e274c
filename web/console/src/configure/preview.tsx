// The draft tried on a sample basket, with nothing written: the lines (SKU, category, quantity,
// unit price), the store, the moment on the programme's clock and, if wanted, a member (their
// tier and history count); the answer is each effect with the rule that caused it, the exact
// points before rounding and whether a limit cut them, and the receipt lines a till would print.
// What is typed is sent as typed where it is not a number the API takes, so the API's own problem
// shows beside the field; nothing is guessed (a bad member id does not run the basket anonymous).
import { currencyOf, digits, formatMoney, formatNumber, type Language, moneyText, parseMoney } from "@patron/common/i18n";
import { fieldProblems, type FieldLabels } from "@patron/common/problems";
import { zonedInstant, zonedParts } from "@patron/common/zone";
import { useId, useState } from "preact/hooks";

import { ListTable } from "../list_table";
import { explain } from "../problems";
import type { PageProps } from "../shell";
import * as api from "./api";
import type { JsonObject } from "./doc";
import { InstantAt, Labelled, latinDigits } from "./fields";
import { word, type WordKey } from "./words";

// The effects' kinds the engine has (loyalty/core/effect.cpp), in words; a kind the page does
// not know yet, as the API names it.
const effectKinds = [
  "earn_points", "redeem_points", "reverse_points", "refund_points", "tier_change", "coupon_discount",
  "coupon_given_back", "earn_cashback", "spend_cashback", "reverse_cashback", "refund_cashback", "stamps",
  "stamps_expired", "stamp_reward", "stamps_removed", "stamp_reward_revoked",
];
function effectKind(language: Language, kind: string): string {
  return effectKinds.includes(kind) ? word(language, `effect_${kind}` as WordKey) : kind;
}

interface Line {
  sku: string;
  category: string;
  quantity: string;
  price: string;
}

const keptStore = "patron.console.preview.store";

// A quantity as the API takes it: a number above zero with at most 3 decimals (weighed goods),
// in thousandths; null for anything else, which is sent as typed.
function quantityMilli(text: string): number | null {
  const match = /^(\d+)(?:\.(\d{1,3}))?$/.exec(text);
  if (!match) return null;
  const milli = Number(match[1]) * 1000 + Number((match[2] ?? "").padEnd(3, "0"));
  return Number.isSafeInteger(milli) ? milli : null;
}

// The line's amount as the API works it out: quantity x unit price, rounded half up to a minor unit.
function lineAmount(milli: number, price: number): number {
  return Number((BigInt(milli) * BigInt(price) + 500n) / 1000n);
}

// The effects whose amount is money (minor units); the others count points or stamps.
const moneyEffects = ["earn_cashback", "spend_cashback", "reverse_cashback", "refund_cashback"];

// Each line's field the API may name, by the part of the line it is typed in.
const lineFields: Record<keyof Line, string[]> = {
  sku: ["sku"],
  category: ["category"],
  quantity: ["quantity"],
  price: ["unit_price", "amount"],
};

export function Preview({ language, program }: PageProps) {
  const t = (key: WordKey) => word(language, key);
  const zone = program.time_zone;
  const exponent = program.currency_exponent;
  const [lines, setLines] = useState<Line[]>([{ sku: "", category: "", quantity: "1", price: "" }]);
  const [store, setStore] = useState(() => localStorage.getItem(keptStore) ?? "");
  const [member, setMember] = useState("");
  const [moment, setMoment] = useState<JsonObject>(() => {
    const now = zonedParts(Date.now(), zone);
    return { at: zonedInstant(now.date, now.time, zone) ?? "" };
  });
  const [result, setResult] = useState<api.Preview | null>(null);
  const [refusal, setRefusal] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const ids = useId();

  const change = (index: number, part: keyof Line, value: string) =>
    setLines(lines.map((line, at) => (at === index ? { ...line, [part]: value } : line)));
  const problems = fieldProblems(language, refusal);
  // A line's problem, and whether it is about `part` (or the line as a whole).
  const lineProblem = (index: number) =>
    [...problems].find(([path]) => path === `purchase.lines[${index}]` || path.startsWith(`purchase.lines[${index}].`));
  const about = (index: number, part: keyof Line) => {
    const found = lineProblem(index)?.[0].slice(`purchase.lines[${index}]`.length + 1);
    return found !== undefined && (found === "" || lineFields[part].includes(found));
  };
  // The fields the API names, in the form's words, for the sentence under it: "Quantity (Line 1)";
  // the business day is the moment's date, and the total the lines' sum, both worked out here.
  const labels: FieldLabels = {
    "purchase.store": t("storeCode"),
    "purchase.pos_time": t("when"),
    "purchase.business_day": t("when"),
    "purchase.total": t("basketTotal"),
    member_id: t("memberId"),
  };
  lines.forEach((_, index) => {
    const line = `${t("basketLine")} ${formatNumber(language, index + 1)}`;
    labels[`purchase.lines[${index}]`] = line;
    for (const part of Object.keys(lineFields) as (keyof Line)[]) {
      for (const field of lineFields[part]) {
        labels[`purchase.lines[${index}].${field}`] = `${part === "price" ? t("unitPrice") : t(part)} (${line})`;
      }
    }
  });

  const run = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setRefusal(null);
    setResult(null);
    localStorage.setItem(keptStore, store);
    const at = typeof moment.at === "string" ? moment.at : new Date().toISOString();
    const basket = lines.map((line, index) => {
      const quantity = latinDigits(line.quantity.trim());
      const milli = quantityMilli(quantity);
      const price = parseMoney(line.price, exponent);
      // A quantity with more decimals than 3 goes as the number typed, which the API refuses.
      const typedQuantity = /^\d+(\.\d+)?$/.test(quantity) ? Number(quantity) : line.quantity;
      return {
        line: index + 1,
        sku: line.sku.trim(),
        ...(line.category.trim() ? { category: line.category.trim() } : {}),
        quantity: milli !== null ? milli / 1000 : typedQuantity,
        unit_price: price ?? line.price,
        amount: milli !== null && price !== null ? lineAmount(milli, price) : 0,
        discount: 0,
      };
    });
    const purchase: JsonObject = {
      store: store.trim(),
      terminal: "console-preview",
      receipt: "preview",
      business_day: zonedParts(at, zone).date,
      pos_time: at,
      currency: program.currency,
      lines: basket,
      total: basket.reduce((sum, line) => sum + line.amount, 0),
    };
    // No member is an anonymous basket; anything else typed goes as typed, for the API to name.
    const memberText = latinDigits(member.trim());
    const memberId = memberText === "" ? null : /^\d+$/.test(memberText) && Number.isSafeInteger(Number(memberText)) ? Number(memberText) : member;
    try {
      setResult(await api.preview(purchase, memberId));
    } catch (error) {
      setRefusal(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <section class="card" aria-labelledby="preview-title">
        <h2 id="preview-title">{t("preview")}</h2>
        <p class="muted">{t("previewAbout")}</p>
        <form class="basket" onSubmit={run} noValidate>
          {lines.map((line, index) => (
            <fieldset key={index}>
              <legend>
                {t("basketLine")} {formatNumber(language, index + 1)}
              </legend>
              <div class="row">
                {(["sku", "category", "quantity", "price"] as const).map((part) => (
                  <label class="bound" key={part}>
                    <span>{part === "price" ? `${t("unitPrice")} (${program.currency})` : t(part)}</span>
                    <input
                      type="text"
                      inputMode={part === "quantity" ? "decimal" : part === "price" ? "decimal" : undefined}
                      dir={part === "category" ? "auto" : "ltr"}
                      value={line[part]}
                      onInput={(event) => change(index, part, event.currentTarget.value)}
                      aria-describedby={about(index, part) ? `${ids}-line-${index}` : undefined}
                      aria-invalid={about(index, part) ? true : undefined}
                    />
                  </label>
                ))}
                {lines.length > 1 && (
                  <button type="button" class="link" onClick={() => setLines(lines.filter((_, at) => at !== index))}>
                    {t("removeLine")} {formatNumber(language, index + 1)}
                  </button>
                )}
              </div>
              {lineProblem(index) && (
                <span class="field-problem" id={`${ids}-line-${index}`}>
                  {lineProblem(index)![1]}
                </span>
              )}
            </fieldset>
          ))}
          <div class="actions">
            <button type="button" onClick={() => setLines([...lines, { sku: "", category: "", quantity: "1", price: "" }])}>
              {t("addLine")}
            </button>
          </div>
          <div class="grid">
            <Labelled label={t("storeCode")} problem={problems.get("purchase.store")}>
              {(control) => <input {...control} type="text" dir="ltr" value={store} onInput={(event) => setStore(event.currentTarget.value)} />}
            </Labelled>
            <Labelled label={t("memberId")} hint={t("memberHint")} problem={problems.get("member_id")}>
              {(control) => (
                <input
                  {...control}
                  type="text"
                  inputMode="numeric"
                  dir="ltr"
                  value={member}
                  onInput={(event) => setMember(event.currentTarget.value)}
                />
              )}
            </Labelled>
            <InstantAt
              entry={moment}
              set={setMoment}
              problems={new Map()}
              path="at"
              label={t("when")}
              language={language}
              timeZone={zone}
              timeLabel={t("time")}
              dateLabel={t("date")}
            />
          </div>
          {refusal !== null && (
            <p class="message" role="alert">
              {explain(language, refusal, labels)}
            </p>
          )}
          <div class="actions">
            <button type="submit" class="primary" disabled={busy}>
              {t("runPreview")}
            </button>
          </div>
        </form>
      </section>
      {result && (
        <section class="card" aria-labelledby="preview-result" aria-live="polite">
          <h2 id="preview-result">{t("previewResult")}</h2>
          <p>
            {t("pointsEarned")}: <strong>{formatNumber(language, result.points.earned)}</strong>
            {result.cashback.earned > 0 && (
              <>
                {" · "}
                {t("cashbackEarned")}: <bdi>{formatMoney(language, result.cashback.earned, currencyOf(program))}</bdi>
              </>
            )}
          </p>
          {result.effects.length === 0 ? (
            <p>{t("noEffects")}</p>
          ) : (
            <ListTable testId="effects" headings={[t("effect"), t("rule"), t("amount"), t("exact"), t("receiptLine")]}>
                  {result.effects.map((effect, index) => (
                    <tr key={index}>
                      <td>{effectKind(language, effect.kind)}</td>
                      <td>
                        <code>{effect.rule_id}</code>
                      </td>
                      <td>
                        {moneyEffects.includes(effect.kind)
                          ? formatMoney(language, effect.amount, currencyOf(program))
                          : formatNumber(language, effect.amount)}
                      </td>
                      <td>
                        {effect.raw_milli !== undefined && digits(language, moneyText(effect.raw_milli, 3))}
                        {effect.capped && ` (${t("capped")})`}
                      </td>
                      <td>
                        <bdi>{effect.receipt_line}</bdi>
                      </td>
                    </tr>
                  ))}
            </ListTable>
          )}
          <h3>{t("receipt")}</h3>
          <pre class="receipt" dir="auto" data-testid="receipt">
            {result.receipt_lines.join("\n")}
          </pre>
        </section>
      )}
    </>
  );
}
