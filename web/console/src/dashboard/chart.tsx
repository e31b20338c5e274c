// One chart of the dashboard: drawn by Chart.js (./draw.ts), with its figures in a real table
// beside it for whoever cannot see the canvas, and its report's CSV to download. Every number on
// the axes, in the tooltips and in the table is written the page's way (Persian digits in
// Persian); in Persian the chart reads right to left.
import type { Language } from "@patron/common/i18n";
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";

import { explain } from "../problems";
import { reportCsv, type Report, type ReportQuery } from "./api";
import { sentence, word, type WordKey } from "./words";

// Bars up from a time axis, bars across from names (ranked), or a doughnut of shares.
export type Shape = "bars" | "across" | "doughnut";

export interface Series {
  label: string;
  values: (number | null)[];
  format: (value: number) => string;
  // Drawn in the chart; a series that is not (a money figure beside points) is in the table only.
  drawn?: boolean;
  // The value axis reaches at least this far (100 for a share in percent).
  max?: number;
}

interface Props {
  language: Language;
  id: string;
  title: string;
  shape: Shape;
  categoryHeader: string;
  categories: string[];
  series: Series[];
  report: Report;
  query: ReportQuery;
  children?: ComponentChildren;
}

export function ChartCard({ language, id, title, shape, categoryHeader, categories, series, report, query, children }: Props) {
  const t = (key: WordKey) => word(language, key);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [problem, setProblem] = useState("");
  const empty = categories.length === 0;
  useEffect(() => {
    if (empty || !canvas.current) return;
    const drawn = canvas.current;
    let chart: { destroy(): void } | null = null;
    let current = true;
    import("./draw").then(({ draw }) => {
      if (current) chart = draw(drawn, language, shape, categories, series);
    });
    return () => {
      current = false;
      chart?.destroy();
    };
  }, [language, shape, JSON.stringify(categories), JSON.stringify(series.map((one) => one.values))]);

  const download = async () => {
    setProblem("");
    try {
      const file = await reportCsv(report, query);
      const link = document.createElement("a");
      link.href = URL.createObjectURL(file);
      link.download = `patron-${report}-${query.from}-${query.to}.csv`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    } catch (error) {
      setProblem(explain(language, error));
    }
  };
  // The figures the chart draws, for whoever checks the table against them.
  const figures = JSON.stringify({ categories, series: series.map((one) => ({ label: one.label, values: one.values })) });
  return (
    <section class="card chart" aria-labelledby={`${id}-title`} data-testid={id}>
      <h3 id={`${id}-title`}>{title}</h3>
      {children}
      {empty ? (
        <p class="muted">{t("nothingYet")}</p>
      ) : (
        <figure data-figures={figures}>
          <div class={`chart-canvas ${shape} rows-${Math.min(categories.length, 4)}`}>
            <canvas ref={canvas} role="img" aria-label={sentence(t("chartLabel"), { title })}>
              {t("table")}
            </canvas>
          </div>
          <details>
            <summary>{t("table")}</summary>
            {/* Focusable, so that a keyboard scrolls a table wider than the screen. */}
            <div class="table-wrap" tabIndex={0} role="region" aria-label={title}>
              <table>
                <caption>{title}</caption>
                <thead>
                  <tr>
                    <th scope="col">{categoryHeader}</th>
                    {series.map((one) => (
                      <th scope="col" key={one.label}>
                        {one.label}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {categories.map((category, row) => (
                    <tr key={row}>
                      <th scope="row">{category}</th>
                      {series.map((one) => {
                        const value = one.values[row];
                        return (
                          <td key={one.label}>
                            {value === null || value === undefined ? "—" : one.format(value)}
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </figure>
      )}
      <p class="chart-actions">
        <button type="button" onClick={download} aria-describedby={`${id}-title`}>
          {t("downloadCsv")}
        </button>
      </p>
      {problem && (
        <p class="message" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}
