// The draft tried on a sample basket, with nothing written: the lines (SKU, category, quantity,
// unit price), the store, the moment on the programme's clock and, if wanted, a member (their
// tier and history count); the answer is each effect with the rule that caused it, the exact
// points before rounding and whether a limit cut them, and the receipt lines a till would print.
import { digits, formatNumber, moneyText, parseMoney } from "@patron/common/i18n";
import { fieldProblems } from "@patron/common/problems";
import { zonedInstant, zonedParts } from "@patron/common/zone";
import { useState } from "preact/hooks";

import { ListTable } from "../list_table";
import { explain } from "../problems";
import type { PageProps } from "../shell";
import * as api from "./api";
import type { JsonObject } from "./doc";
import { InstantAt, latinDigits } from "./fields";
import { word, type WordKey } from "./words";

interface Line {
  sku: string;
  category: string;
  quantity: string;
  price: string;
}

const keptStore = "patron.console.preview.store";

export function Preview({ language, program }: PageProps) {
  const t = (key: WordKey) => word(language, key);
  const zone = program?.time_zone ?? "UTC";
  const exponent = program?.currency_exponent ?? 0;
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

  const change = (index: number, part: keyof Line, value: string) =>
    setLines(lines.map((line, at) => (at === index ? { ...line, [part]: value } : line)));
  const problems = fieldProblems(language, refusal);
  const lineProblem = (index: number) =>
    [...problems].find(([path]) => path.startsWith(`purchase.lines[${index}]`))?.[1];

  const run = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setRefusal(null);
    setResult(null);
    localStorage.setItem(keptStore, store);
    const at = typeof moment.at === "string" ? moment.at : new Date().toISOString();
    const basket = lines.map((line, index) => {
      const quantity = Number.parseInt(latinDigits(line.quantity), 10) || 0;
      const price = parseMoney(line.price, exponent) ?? 0;
      return {
        line: index + 1,
        sku: line.sku.trim(),
        ...(line.category.trim() ? { category: line.category.trim() } : {}),
        quantity,
        unit_price: price,
        amount: quantity * price,
        discount: 0,
      };
    });
    const purchase: JsonObject = {
      store: store.trim(),
      terminal: "console-preview",
      receipt: "preview",
      business_day: zonedParts(at, zone).date,
      pos_time: at,
      currency: program?.currency ?? "",
      lines: basket,
      total: basket.reduce((sum, line) => sum + line.amount, 0),
    };
    const memberId = /^\d+$/.test(latinDigits(member.trim())) ? Number(latinDigits(member.trim())) : null;
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
                <label class="bound">
                  <span>{t("sku")}</span>
                  <input type="text" dir="ltr" value={line.sku} onInput={(event) => change(index, "sku", event.currentTarget.value)} />
                </label>
                <label class="bound">
                  <span>{t("category")}</span>
                  <input
                    type="text"
                    dir="auto"
                    value={line.category}
                    onInput={(event) => change(index, "category", event.currentTarget.value)}
                  />
                </label>
                <label class="bound">
                  <span>{t("quantity")}</span>
                  <input
                    type="text"
                    inputMode="numeric"
                    dir="ltr"
                    value={line.quantity}
                    onInput={(event) => change(index, "quantity", event.currentTarget.value)}
                  />
                </label>
                <label class="bound">
                  <span>
                    {t("unitPrice")} ({program?.currency})
                  </span>
                  <input
                    type="text"
                    inputMode="decimal"
                    dir="ltr"
                    value={line.price}
                    onInput={(event) => change(index, "price", event.currentTarget.value)}
                  />
                </label>
                {lines.length > 1 && (
                  <button type="button" class="link" onClick={() => setLines(lines.filter((_, at) => at !== index))}>
                    {t("removeLine")} {formatNumber(language, index + 1)}
                  </button>
                )}
              </div>
              {lineProblem(index) && <span class="field-problem">{lineProblem(index)}</span>}
            </fieldset>
          ))}
          <div class="actions">
            <button type="button" onClick={() => setLines([...lines, { sku: "", category: "", quantity: "1", price: "" }])}>
              {t("addLine")}
            </button>
          </div>
          <div class="grid">
            <label class="bound">
              <span>{t("storeCode")}</span>
              <input type="text" dir="ltr" value={store} onInput={(event) => setStore(event.currentTarget.value)} />
              {problems.get("purchase.store") && <span class="field-problem">{problems.get("purchase.store")}</span>}
            </label>
            <label class="bound">
              <span>{t("memberId")}</span>
              <input type="text" inputMode="numeric" dir="ltr" value={member} onInput={(event) => setMember(event.currentTarget.value)} />
              <small class="hint">{t("memberHint")}</small>
              {problems.get("member_id") && <span class="field-problem">{problems.get("member_id")}</span>}
            </label>
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
              {explain(language, refusal)}
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
                {t("cashbackEarned")}: <bdi>{digits(language, moneyText(result.cashback.earned, exponent))}</bdi> {program?.currency}
              </>
            )}
          </p>
          {result.effects.length === 0 ? (
            <p>{t("noEffects")}</p>
          ) : (
            <ListTable testId="effects" headings={[t("effect"), t("rule"), t("amount"), t("exact"), t("receiptLine")]}>
                  {result.effects.map((effect, index) => (
                    <tr key={index}>
                      <td>{effect.kind}</td>
                      <td>
                        <code>{effect.rule_id}</code>
                      </td>
                      <td>{formatNumber(language, effect.amount)}</td>
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
