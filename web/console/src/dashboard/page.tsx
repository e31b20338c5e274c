// The dashboard: whether the programme works, over a range of the programme's calendar. Every
// figure is a report's (./api.ts names which report answers which figure); the page only lays
// them out, orders the rewards by what the report says they cost, and writes them the page's way.
import { DateField, shiftDays } from "@patron/common/date_field";
import { currencyOf, formatDate, formatMoney, formatNumber, type Language } from "@patron/common/i18n";
import { fieldProblems } from "@patron/common/problems";
import { useEffect, useState } from "preact/hooks";

import { SectionIntro } from "../intro";
import { explain } from "../problems";
import { sections } from "../sections";
import type { PageProps } from "../shell";
import * as api from "./api";
import { ChartCard, type Series, type Shape } from "./chart";
import { monthPeriods, type Preset, presetRange, presets, todayIn } from "./range";
import { sentence, word, type WordKey } from "./words";
import "./style.css";

const section = sections.find((known) => known.path === "dashboard")!;

interface Reports {
  query: api.ReportQuery;
  points: api.PointsReport;
  members: api.MembersReport;
  rewards: api.RewardsReport;
  feedback: api.FeedbackReport;
}

// The calendars of the page's languages, as @patron/common/i18n writes dates.
const calendars: Record<Language, string> = { fa: "fa-IR-u-ca-persian-nu-arabext", en: "en-GB" };

// A period's name on an axis and in a table: "November 2026", "آذر ۱۴۰۵", "9 Nov", "۹ آذر".
function periodName(language: Language, by: api.Periods, from: string): string {
  const whole = by === "month" || by === "jalali_month";
  return new Intl.DateTimeFormat(calendars[language], {
    timeZone: "UTC",
    ...(whole ? { month: "long", year: "numeric" } : { month: "short", day: "numeric" }),
  }).format(new Date(`${from}T12:00:00Z`));
}

// How many of the costliest rewards the dashboard lists.
const costliest = 10;

export function Dashboard({ language, session, program }: PageProps) {
  const t = (key: WordKey) => word(language, key);
  const today = program ? todayIn(program.time_zone) : null;
  const [preset, setPreset] = useState<Preset | null>("last30");
  const [query, setQuery] = useState<api.ReportQuery | null>(null);
  const [fields, setFields] = useState<api.ReportQuery | null>(null);
  const [reports, setReports] = useState<Reports | null>(null);
  const [problem, setProblem] = useState<unknown>(null);

  // The range starts as the last 30 days of the programme's own today.
  useEffect(() => {
    if (today && !query) choosePreset("last30");
  }, [today]);
  // Months follow the page's calendar when the language changes: a ready-made range is taken
  // again in it ("this month" is the Jalali month in Persian), and so are periods by month.
  useEffect(() => {
    if (!query) return;
    if (preset) return choosePreset(preset);
    if (query.by !== "month" && query.by !== "jalali_month") return;
    const by = monthPeriods(language);
    setFields((shown) => shown && { ...shown, by });
    if (query.by !== by) setQuery({ ...query, by });
  }, [language]);
  useEffect(() => {
    if (!query) return;
    let current = true;
    setProblem(null);
    Promise.all([api.pointsReport(query), api.membersReport(query), api.rewardsReport(query), api.feedbackReport(query)])
      .then(([points, members, rewards, feedback]) => current && setReports({ query, points, members, rewards, feedback }))
      .catch((error) => current && setProblem(error));
    return () => {
      current = false;
    };
  }, [query && JSON.stringify(query)]);

  function choosePreset(chosen: Preset) {
    const range = presetRange(chosen, language, today!);
    setPreset(chosen);
    setFields(range);
    setQuery(range);
  }
  const submit = (event: Event) => {
    event.preventDefault();
    if (!fields || !fields.from || !fields.to) return;
    setPreset(null);
    setQuery({ ...fields });
  };

  if (!program || !fields || !today) {
    return (
      <>
        <SectionIntro language={language} section={section} role={session.role} />
        <p class="loading" role="status">
          {t("loading")}
        </p>
      </>
    );
  }
  const onField = fieldProblems(language, problem);
  const number = (value: number) => formatNumber(language, value);
  const money = (minor: number) => formatMoney(language, minor, currencyOf(program));
  const percent = (value: number) => sentence(t("percent"), { value: formatNumber(language, value) });
  // A day of the range, in the page's calendar, with what the reports said of it.
  const rangeField = (name: "from" | "to") => (
    <div>
      <DateField
        language={language}
        name={name}
        label={t(name)}
        value={fields[name]}
        min={shiftDays(today, -3660)}
        max={today}
        required
        onChange={(day) => setFields({ ...fields, [name]: day })}
      />
      {onField.get(name) && <span class="field-problem">{onField.get(name)}</span>}
    </div>
  );
  const periodOptions: [api.Periods, WordKey][] = [
    ["day", "byDay"],
    ["week", "byWeek"],
    [monthPeriods(language), "byMonth"],
  ];

  return (
    <>
      <SectionIntro language={language} section={section} role={session.role} />
      <section class="card range" aria-labelledby="range-title">
        <h3 id="range-title">{t("range")}</h3>
        <div class="presets" role="group" aria-label={t("presets")}>
          {presets.map((one) => (
            <button type="button" key={one} aria-pressed={preset === one} onClick={() => choosePreset(one)}>
              {t(one)}
            </button>
          ))}
        </div>
        <form class="range-fields" onSubmit={submit}>
          {rangeField("from")}
          {rangeField("to")}
          <label>
            {t("periods")}
            <select
              name="by"
              value={fields.by}
              onChange={(event) => setFields({ ...fields, by: event.currentTarget.value as api.Periods })}
            >
              {periodOptions.map(([value, key]) => (
                <option key={value} value={value}>
                  {t(key)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" class="primary">
            {t("show")}
          </button>
        </form>
        {problem !== null && (
          <p class="message" role="alert">
            {onField.size > 0 ? t("rangeTooLong") : explain(language, problem)}
          </p>
        )}
      </section>
      {reports === null ? (
        problem === null && (
          <p class="loading" role="status">
            {t("loading")}
          </p>
        )
      ) : (
        <Figures language={language} reports={reports} number={number} money={money} percent={percent} />
      )}
    </>
  );
}

function Figures({ language, reports, number, money, percent }: {
  language: Language;
  reports: Reports;
  number: (value: number) => string;
  money: (minor: number) => string;
  percent: (value: number) => string;
}) {
  const t = (key: WordKey) => word(language, key);
  const { query, points, members, rewards, feedback } = reports;
  const named = (periods: { from: string }[]) => periods.map((period) => periodName(language, query.by, period.from));
  const series = (label: WordKey, values: (number | null)[], format: (value: number) => string, drawn = true): Series => ({
    label: t(label),
    values,
    format,
    drawn,
    ...(format === percent ? { max: 100 } : {}),
  });
  // The programme's rows (a store's rows are the store's share of them).
  const programmes = rewards.rows.filter((row) => row.store === null);
  const coupons = programmes.filter((row) => row.kind === "coupon_campaign");
  const cards = programmes.filter((row) => row.kind === "stamp_card");
  const costly = programmes
    .filter((row) => row.kind !== "blind_return" && row.reward_value_minor > 0)
    .sort((one, other) => other.reward_value_minor - one.reward_value_minor)
    .slice(0, costliest);
  const answers = feedback.rows.filter((row) => row.store === null && !row.segment);
  const tiers = members.snapshot.by_tier;
  const tenths = (value: number | null | undefined) => (value === null || value === undefined ? null : value / 10);
  // Each figure at a glance: its words, its test id, and whether it is an amount of money.
  const tiles: [WordKey, string, string, boolean][] = [
    ["members", "members", number(members.snapshot.members), false],
    ["active30", "active-30", number(members.snapshot.active.days_30), false],
    ["active90", "active-90", number(members.snapshot.active.days_90), false],
    ["newMembers", "new-members", number(members.total.enrolled), false],
    ["pointsOutstanding", "points-outstanding", number(points.total.points.outstanding), false],
    ["liability", "liability", money(points.total.liability.total), true],
    ["netLiability", "net-liability", money(points.total.liability.net), true],
    ["cashbackPaid", "cashback-paid", money(points.total.cashback.issued), true],
  ];
  const periods = named(points.periods);
  // Each chart: which report it draws, what it is broken down by, and its series.
  const charts: {
    id: string;
    title: WordKey;
    shape: Shape;
    report: api.Report;
    header: WordKey;
    categories: string[];
    series: Series[];
    note?: string;
  }[] = [
    {
      id: "points",
      title: "pointsChart",
      shape: "bars",
      report: "points",
      header: "period",
      categories: periods,
      series: [
        series("issued", points.periods.map((period) => period.points.issued), number),
        series("redeemed", points.periods.map((period) => period.points.redeemed), number),
        series("expired", points.periods.map((period) => period.points.expired), number),
      ],
    },
    {
      id: "outstanding",
      title: "outstandingChart",
      shape: "bars",
      report: "points",
      header: "period",
      categories: periods,
      series: [
        series("outstanding", points.periods.map((period) => period.points.outstanding), number),
        series("liabilityMoney", points.periods.map((period) => period.liability.total), money, false),
        series("netMoney", points.periods.map((period) => period.liability.net), money, false),
      ],
    },
    {
      id: "cashback",
      title: "cashbackChart",
      shape: "bars",
      report: "points",
      header: "period",
      categories: periods,
      series: [series("cashback", points.periods.map((period) => period.cashback.issued), money)],
    },
    {
      id: "enrolled",
      title: "enrolledChart",
      shape: "bars",
      report: "members",
      header: "period",
      categories: named(members.periods),
      series: [series("enrolled", members.periods.map((period) => period.enrolled), number)],
    },
    {
      id: "tiers",
      title: "tiersChart",
      shape: "doughnut",
      report: "members",
      header: "tier",
      categories: tiers.map((tier) => tier.tier || t("noTier")),
      series: [series("members", tiers.map((tier) => tier.members), number)],
      note: `${t("snapshotAt")} ${formatDate(language, members.snapshot.at)}`,
    },
    {
      id: "coupons",
      title: "couponsChart",
      shape: "across",
      report: "rewards",
      header: "campaign",
      categories: coupons.map((row) => row.name),
      series: [
        series("redemptionRate", coupons.map((row) => tenths(row.coupons?.redemption_rate_x10)), percent),
        series("singleUseIssued", coupons.map((row) => row.coupons?.single_use_issued ?? 0), number, false),
        series("singleUseRedeemed", coupons.map((row) => row.coupons?.single_use_redeemed ?? 0), number, false),
      ],
    },
    {
      id: "stamps",
      title: "stampsChart",
      shape: "across",
      report: "rewards",
      header: "stampCard",
      categories: cards.map((row) => row.name),
      series: [series("cardsCompleted", cards.map((row) => row.stamps?.cards_completed ?? 0), number)],
    },
    {
      id: "cost",
      title: "costChart",
      shape: "across",
      report: "rewards",
      header: "reward",
      categories: costly.map((row) => sentence(t("kindAndName"), { name: row.name, kind: t(row.kind) })),
      series: [series("cost", costly.map((row) => row.reward_value_minor), money)],
    },
    {
      id: "feedback",
      title: "feedbackChart",
      shape: "bars",
      report: "feedback",
      header: "period",
      categories: named(answers),
      series: [
        series("nps", answers.map((row) => tenths(row.nps.score_x10)), number),
        series("csat", answers.map((row) => tenths(row.csat.satisfied_share_x10)), percent),
        series("npsAnswers", answers.map((row) => row.nps.answers), number, false),
      ],
    },
  ];
  return (
    <>
      <section class="card glance" aria-labelledby="glance-title">
        <h3 id="glance-title">{t("atAGlance")}</h3>
        <dl class="tiles">
          {tiles.map(([label, id, value, amount]) => (
            <div key={id} class={amount ? "money" : undefined}>
              <dt>{t(label)}</dt>
              <dd data-testid={`tile-${id}`}>{value}</dd>
            </div>
          ))}
        </dl>
      </section>
      <div class="charts">
        {charts.map(({ id, title, shape, report, header, categories, series: drawn, note }) => (
          <ChartCard
            key={id}
            language={language}
            query={query}
            id={`chart-${id}`}
            title={t(title)}
            shape={shape}
            report={report}
            categoryHeader={t(header)}
            categories={categories}
            series={drawn}
          >
            {note && <p class="muted">{note}</p>}
          </ChartCard>
        ))}
      </div>
    </>
  );
}
