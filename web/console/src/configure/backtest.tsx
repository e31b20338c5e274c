// The draft rated against the purchases of a past window (the backtest route), with nothing
// written: what it would have given against what the published rules gave, in total and rule by
// rule. A long window runs on: its progress is followed, and it can be cancelled.
import { DateField, shiftDays } from "@patron/common/date_field";
import { type Currency, formatMoney, formatNumber, type Language } from "@patron/common/i18n";
import { fieldProblems } from "@patron/common/problems";
import { zonedParts } from "@patron/common/zone";
import { useEffect, useState } from "preact/hooks";

import { Outcome, useAction } from "../action";
import { ListTable } from "../list_table";
import type { PageProps } from "../shell";
import * as api from "./api";
import { word, type WordKey } from "./words";

const figures = ["points", "points_value", "cashback", "stamps", "stamp_rewards", "purchases", "members"] as const;
type Figure = (typeof figures)[number];

function figureText(language: Language, figure: Figure, value: number, currency: Currency): string {
  return figure === "points_value" || figure === "cashback" ? formatMoney(language, value, currency) : formatNumber(language, value);
}

function Totals({ language, comparison, currency }: { language: Language; comparison: api.Comparison; currency: Currency }) {
  const t = (key: WordKey) => word(language, key);
  return (
    <ListTable testId="backtest-totals" headings={["", t("underDraft"), t("underPublished"), t("difference")]}>
      {figures.map((figure) => (
        <tr key={figure}>
          <th scope="row">{t(`figure_${figure}` as WordKey)}</th>
          {(["draft", "published", "difference"] as const).map((side) => (
            <td key={side}>{figureText(language, figure, comparison[side][figure], currency)}</td>
          ))}
        </tr>
      ))}
    </ListTable>
  );
}

export function Backtest({ language, program }: PageProps) {
  const t = (key: WordKey) => word(language, key);
  const zone = program.time_zone;
  const today = zonedParts(Date.now(), zone).date;
  const [from, setFrom] = useState(shiftDays(today, -30));
  const [to, setTo] = useState(shiftDays(today, -1));
  const [job, setJob] = useState<api.BacktestJob | null>(null);
  const { busy, refusal, setRefusal, status, act } = useAction();
  // A running job is followed every second until it ends.
  useEffect(() => {
    if (job?.state !== "running") return;
    const timer = setTimeout(() => api.backtest(job.id).then(setJob, setRefusal), 1000);
    return () => clearTimeout(timer);
  }, [job]);
  const run = (event: Event) => {
    event.preventDefault();
    act(async () => setJob(await api.startBacktest(from, to)), "");
  };
  const problems = fieldProblems(language, refusal);
  const result = job?.result;
  const currency: Currency = { code: result?.currency ?? program.currency, exponent: program.currency_exponent };
  return (
    <>
      <section class="card" aria-labelledby="backtest-title">
        <h2 id="backtest-title">{t("backtest")}</h2>
        <p class="muted">{t("backtestAbout")}</p>
        <form class="rule" onSubmit={run} noValidate>
          <div class="grid">
            <div>
              <DateField language={language} label={t("windowFrom")} name="from" value={from} onChange={setFrom} min="2000-01-01" max={today} />
              {problems.get("from") && <span class="field-problem">{problems.get("from")}</span>}
            </div>
            <div>
              <DateField language={language} label={t("windowTo")} name="to" value={to} onChange={setTo} min="2000-01-01" max={today} />
              {problems.get("to") && <span class="field-problem">{problems.get("to")}</span>}
            </div>
          </div>
          <Outcome language={language} status={status || null} refusal={refusal} />
          <div class="actions">
            <button type="submit" class="primary" disabled={busy || job?.state === "running"}>
              {t("runBacktest")}
            </button>
            {job?.state === "running" && (
              <button type="button" onClick={() => act(async () => setJob(await api.cancelBacktest(job.id)), "")}>
                {t("cancelBacktest")}
              </button>
            )}
          </div>
        </form>
        {job && job.state !== "done" && (
          <div class="progress">
            <label class="bound">
              <span>{t(`backtest_${job.state}` as WordKey)}</span>
              <progress max={Math.max(job.progress.total, 1)} value={job.progress.rated} />
            </label>
            <span role="status">
              {formatNumber(language, job.progress.rated)} / {formatNumber(language, job.progress.total)}
            </span>
            {job.error && (
              <p class="message" role="alert">
                {job.error.message}
              </p>
            )}
          </div>
        )}
      </section>
      {result && (
        <section class="card" aria-labelledby="backtest-result" aria-live="polite">
          <h2 id="backtest-result">{t("backtestResult")}</h2>
          <p>
            {t("purchasesRated")}: {formatNumber(language, result.purchases.rated)} / {formatNumber(language, result.purchases.in_window)} ·{" "}
            {t("skippedAnonymous")}: {formatNumber(language, result.purchases.skipped.anonymous)} · {t("skippedVoided")}:{" "}
            {formatNumber(language, result.purchases.skipped.voided)}
          </p>
          <Totals language={language} comparison={result.totals} currency={currency} />
          <h3>{t("byRule")}</h3>
          <ListTable testId="backtest-rules" headings={[t("rule"), t("underDraft"), t("underPublished"), t("difference")]}>
            {result.rules.map((rule) => {
              const figure: Figure = rule.kind === "cashback" ? "cashback" : rule.kind === "stamp_card" ? "stamps" : "points";
              return (
                <tr key={`${rule.kind}:${rule.id}`}>
                  <td>
                    <bdi>{rule.name ?? rule.id}</bdi> <code class="muted">{rule.id}</code>
                    {!rule.in_draft && ` (${t("notInDraft")})`}
                  </td>
                  {(["draft", "published", "difference"] as const).map((side) => (
                    <td key={side}>
                      {figureText(language, figure, rule[side][figure], currency)} {figure === "stamps" ? t("stampsWord") : ""}
                    </td>
                  ))}
                </tr>
              );
            })}
          </ListTable>
        </section>
      )}
    </>
  );
}
