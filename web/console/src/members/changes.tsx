// What support changes on a member's account: an adjustment of points with the reason the ledger
// keeps (POST /v1/members/:id/points/adjustments), and a receipt bought without the card credited
// to them (POST /v1/members/:id/claims). The API checks every field and names the wrong one; what
// was typed goes to it as typed when it is no number, so its own message says what is wrong.
import { DateField, shiftDays, todayIso } from "@patron/common/date_field";
import { zonedParts } from "@patron/common/zone";
import { Field } from "@patron/common/field";
import { formatNumber, parseMoney } from "@patron/common/i18n";
import { fieldProblems } from "@patron/common/problems";
import { useState } from "preact/hooks";

import { useAction } from "../action";
import * as api from "./api";
import type { MemberProps } from "./member";
import { Refusal } from "./shared";
import { word, type MemberWordKey } from "./words";

// "50", "-20", "−۲۰" as a whole number; anything else as typed (empty: left out).
function wholeNumber(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  const negative = /^[-−]/.test(trimmed);
  const size = parseMoney(trimmed.replace(/^[-−]\s*/, ""), 0);
  if (size === null) return trimmed;
  return negative ? -size : size;
}

export function AdjustPoints({ language, id, changed }: MemberProps) {
  const [points, setPoints] = useState("");
  const [reason, setReason] = useState("");
  const { refusal, busy, submitting } = useAction();
  const t = (key: MemberWordKey) => word(language, key);
  const problems = fieldProblems(language, refusal);
  const submit = submitting(async () => {
    const sent = wholeNumber(points);
    const adjusted = await api.adjustPoints(id, sent as number, reason);
    setPoints("");
    setReason("");
    changed(
      `${t("adjusted")} ${formatNumber(language, sent as number)} ${t("pointsUnit")}; ${t("pointsAvailable")}: ${formatNumber(language, adjusted.balance.points.available)}`,
    );
  });
  return (
    <form class="card stacked" aria-labelledby="adjust-title" onSubmit={submit} aria-busy={busy} noValidate
      data-testid="adjust">
      <h3 id="adjust-title">{t("adjustPoints")}</h3>
      <Field label={t("pointsChange")} value={points} set={setPoints} autocomplete="off" dir="ltr" required
        problem={problems.get("points")} />
      <Field label={t("reason")} value={reason} set={setReason} autocomplete="off" required
        problem={problems.get("reason")} />
      <Refusal language={language} error={refusal} labels={{ points: t("pointsChange"), reason: t("reason") }} />
      <button type="submit" class="primary" disabled={busy}>
        {t("adjust")}
      </button>
    </form>
  );
}

export function ClaimReceipt({ language, program, id, changed }: MemberProps) {
  const [store, setStore] = useState("");
  const [terminal, setTerminal] = useState("");
  // The business day as the programme's clock reads it now (the browser's own may differ).
  const today = program ? zonedParts(Date.now(), program.time_zone).date : todayIso();
  const [day, setDay] = useState(today);
  const [receipt, setReceipt] = useState("");
  const [total, setTotal] = useState("");
  const { refusal, busy, submitting } = useAction();
  const t = (key: MemberWordKey) => word(language, key);
  const problems = fieldProblems(language, refusal);
  const exponent = program?.currency_exponent ?? 0;
  const labels = {
    store: t("store"),
    terminal: t("terminal"),
    business_day: t("businessDay"),
    receipt: t("receipt"),
    total: t("total"),
  };
  const submit = submitting(async () => {
    const minor = total.trim() === "" ? undefined : (parseMoney(total, exponent) ?? total.trim());
    const sent = { store: store.trim(), terminal: terminal.trim(), business_day: day, receipt: receipt.trim() };
    const claimed = await api.claim(id, { ...sent, ...(minor === undefined ? {} : { total: minor as number }) });
    setReceipt("");
    setTotal("");
    changed(`${t("claimed")} ${sent.receipt}: ${formatNumber(language, claimed.points.earned)} ${t("pointsUnit")}`);
  });
  return (
    <form class="card stacked" aria-labelledby="claim-title" onSubmit={submit} aria-busy={busy} noValidate
      data-testid="claim">
      <h3 id="claim-title">{t("claimReceipt")}</h3>
      <p class="muted">{t("claimAbout")}</p>
      <div class="pair">
        <Field label={t("store")} value={store} set={setStore} autocomplete="off" dir="ltr" required
          problem={problems.get("store")} />
        <Field label={t("terminal")} value={terminal} set={setTerminal} autocomplete="off" dir="ltr" required
          problem={problems.get("terminal")} />
      </div>
      <DateField language={language} label={t("businessDay")} value={day} onChange={setDay} name="claim-day"
        min={shiftDays(today, -400)} max={shiftDays(today, 1)} required />
      {problems.get("business_day") && <p class="field-problem">{problems.get("business_day")}</p>}
      <Field label={t("receipt")} value={receipt} set={setReceipt} autocomplete="off" dir="ltr" required
        problem={problems.get("receipt")} />
      <Field label={`${t("total")} (${t("optional")}${program ? `, ${program.currency}` : ""})`}
        value={total} set={setTotal} autocomplete="off" dir="ltr" problem={problems.get("total")} />
      <Refusal language={language} error={refusal} labels={labels} />
      <button type="submit" class="primary" disabled={busy}>
        {t("claim")}
      </button>
    </form>
  );
}
