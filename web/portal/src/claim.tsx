// Claiming a receipt the member shopped without the card: its store, till, date, number and
// total, read from the QR code the till printed under it or typed as printed; credited once.
import { useRef, useState } from "preact/hooks";

import { DateField, shiftDays, todayIso } from "@patron/common/date_field";
import { type Currency, digits, type Language, moneyText, parseMoney } from "@patron/common/i18n";

import * as api from "./api";
import { pointsText, word, type WordKey } from "./i18n";
import { explain } from "./problems";
import { readReceiptCode } from "./receipt_code";

interface Props {
  language: Language;
  currency: Currency;
}

const refusals: Record<string, WordKey> = {
  ALREADY_CLAIMED: "alreadyClaimed",
  CLAIM_WINDOW_CLOSED: "claimWindowClosed",
  RECEIPT_NOT_FOUND: "receiptNotFound",
  NOT_AVAILABLE: "claimNotAvailable",
  TOO_MANY_ATTEMPTS: "tooManyClaims",
};

// A claim window is at most a year; a little more lets a late claim hear why it is late.
const kOldestReceiptDays = 400;

export function Claim({ language, currency }: Props) {
  const [fields, setFields] = useState({ store: "", terminal: "", business_day: "", receipt: "", total: "" });
  const [message, setMessage] = useState<{ text: string; ok: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const picture = useRef<HTMLInputElement>(null);
  const t = (key: WordKey) => word(language, key);
  const set = (name: keyof typeof fields) => (event: { currentTarget: HTMLInputElement }) =>
    setFields({ ...fields, [name]: event.currentTarget.value });
  const today = todayIso();

  const scan = async (event: { currentTarget: HTMLInputElement }) => {
    const file = event.currentTarget.files?.[0];
    event.currentTarget.value = "";
    if (!file) return;
    setMessage(null);
    const code = await readReceiptCode(file).catch(() => null);
    if (!code) {
      setMessage({ text: t("scanNoCode"), ok: false });
      return;
    }
    const { total, ...receipt } = code;
    setFields({ ...receipt, total: digits(language, moneyText(total, currency.exponent)) });
    setMessage({ text: t("scanRead"), ok: true });
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    const total = parseMoney(fields.total, currency.exponent);
    if (total === null) {
      setMessage({ text: t("badAmount"), ok: false });
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      const answer = await api.claim({ ...fields, total });
      setMessage({ text: `${t("claimed")} ${pointsText(language, answer.points.earned)}`, ok: true });
    } catch (error) {
      const code = error instanceof api.ApiError ? error.problem.code : "";
      const labels = {
        store: t("store"),
        terminal: t("terminal"),
        business_day: t("businessDay"),
        receipt: t("receipt"),
        total: t("total"),
      };
      setMessage({ text: refusals[code] ? t(refusals[code]) : explain(language, error, labels), ok: false });
    } finally {
      setBusy(false);
    }
  };
  const field = (name: keyof typeof fields, label: WordKey, inputMode: "text" | "numeric" | "decimal" = "text") => (
    <label>
      {t(label)}
      <input value={fields[name]} onInput={set(name)} required dir="ltr" inputMode={inputMode} autocomplete="off" />
    </label>
  );
  return (
    <form class="card claim" onSubmit={submit} aria-busy={busy}>
      <h2>{t("claimTab")}</h2>
      <p>{t("claimIntro")}</p>
      <button type="button" onClick={() => picture.current?.click()}>
        {t("scanReceipt")}
      </button>
      <input ref={picture} type="file" accept="image/*" capture="environment" hidden onChange={scan} data-testid="receipt-picture" />
      <p class="muted">{t("orTypeIt")}</p>
      {field("store", "store")}
      {field("terminal", "terminal")}
      <DateField
        language={language}
        name="business-day"
        label={t("businessDay")}
        value={fields.business_day}
        onChange={(business_day) => setFields({ ...fields, business_day })}
        min={shiftDays(today, -kOldestReceiptDays)}
        max={today}
        required
      />
      {field("receipt", "receipt")}
      {field("total", "total", "decimal")}
      {message && (
        <p class={message.ok ? "notice" : "message"} role={message.ok ? "status" : "alert"} data-testid="claim-result">
          {message.text}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy}>
        {t("claim")}
      </button>
    </form>
  );
}
