// The audit log, read-only: searched by actor, member, action and the programme's days, newest
// first, a page at a time ("Older entries" follows the API's cursor with the same filters). Each
// entry says when on the programme's clock, who, what in words, what it was about (a member's
// entries link to their page) and the names of the fields changed. The search is kept in the
// page's address, so a reload or a link shows the same entries.
import { DateField, shiftDays, todayIso } from "@patron/common/date_field";
import { digits, formatList, formatNumber } from "@patron/common/i18n";
import { fieldProblems } from "@patron/common/problems";
import { useEffect, useState } from "preact/hooks";

import { Outcome, useAction } from "../action";
import { NumberAt, SelectAt, TextAt } from "../configure/fields";
import { type JsonObject, setAt } from "../configure/doc";
import { ListTable } from "../list_table";
import { explain } from "../problems";
import { Link, type PageProps } from "../shell";
import { When } from "../when";
import * as api from "./api";
import { actionWords, entityWords, fieldWords, word, type WordKey } from "./words";

type Language = PageProps["language"];

const address = "/console/staff/audit";
const pageSizes = ["10", "25", "", "100", "200"]; // "" is the API's own, 50.

function searchOfAddress(): JsonObject {
  const query = new URLSearchParams(location.search);
  const search: JsonObject = {};
  for (const name of api.auditFilters) {
    const value = query.get(name);
    if (value) search[name] = value;
  }
  return search;
}

function asSearch(filters: JsonObject): api.AuditSearch {
  return Object.fromEntries(Object.entries(filters).map(([name, value]) => [name, String(value)]));
}


// What an entry was about: its entity (a staff user by name, when known) and the member, linked.
function About({ language, entry, staff }: { language: Language; entry: api.AuditEntry; staff: Map<number, string> }) {
  const t = (key: WordKey) => word(language, key);
  const memberOnly = entry.entity === "member" && entry.entity_id === entry.member_id;
  const named = entry.entity === "staff_user" ? staff.get(entry.entity_id) : undefined;
  // The programme is the only one there is: its id says nothing.
  const id = entry.entity === "program" ? null : named ? <bdi>{named}</bdi> : digits(language, String(entry.entity_id));
  return (
    <>
      {!memberOnly && (
        <span class="entity">
          {entityWords(language, entry.entity)} {id}
        </span>
      )}
      {!memberOnly && entry.member_id !== null && " · "}
      {entry.member_id !== null && (
        <Link to={`/console/members/${entry.member_id}`}>
          {t("memberLink")} {digits(language, String(entry.member_id))}
        </Link>
      )}
    </>
  );
}

// Entries of the log as a table: when, who, what in words, what about, which fields.
export function AuditEntries({ language, entries, timeZone, staff }: {
  language: Language;
  entries: api.AuditEntry[];
  timeZone: string;
  staff: Map<number, string>;
}) {
  const t = (key: WordKey) => word(language, key);
  return (
    <ListTable testId="audit-entries" headings={[t("when"), t("actor"), t("action"), t("about"), t("fields")]}>
      {entries.map((entry) => (
        <tr key={entry.id} data-action={entry.action}>
          <td class="when">
            <When language={language} at={entry.at} timeZone={timeZone} />
          </td>
          <td>
            <bdi>{entry.actor === "member" ? t("memberActor") : entry.actor}</bdi>
          </td>
          <td>{actionWords(language, entry.action)}</td>
          <td>
            <About language={language} entry={entry} staff={staff} />
          </td>
          <td class="fields">
            {formatList(
              language,
              entry.fields.map((field) => (field === "*" ? t("allData") : fieldWords(language, field))),
            )}
          </td>
        </tr>
      ))}
    </ListTable>
  );
}

export function AuditLog({ language, program }: PageProps) {
  const t = (key: WordKey) => word(language, key);
  const [actions, setActions] = useState<string[]>([]);
  const [staff, setStaff] = useState(new Map<number, string>());
  const [filters, setFilters] = useState<JsonObject>(searchOfAddress);
  // The Jalali date lists keep what was chosen in them: a new key clears them with the filters.
  const [cleared, setCleared] = useState(0);
  const [entries, setEntries] = useState<api.AuditEntry[] | null>(null);
  // The search the entries shown answer, and where its next page starts.
  const [shown, setShown] = useState<{ search: api.AuditSearch; next: string | null } | null>(null);
  const { busy, refusal, setRefusal, status, act } = useAction();
  const problems = fieldProblems(language, refusal);
  const labels: Record<string, string> = {
    actor: t("actor"),
    member: t("memberId"),
    action: t("action"),
    from: t("from"),
    to: t("to"),
    limit: t("pageSize"),
  };

  const run = (search: api.AuditSearch, cursor?: string) =>
    act(async () => {
      const page = await api.auditLog(search, cursor);
      const all = cursor ? [...(entries ?? []), ...page.entries] : page.entries;
      setEntries(all);
      setShown({ search, next: page.next_cursor });
      if (!cursor) {
        const query = api.auditQuery(search);
        history.replaceState(null, "", query ? `${address}?${query}` : address);
      }
      return { count: all.length, last: page.next_cursor === null };
    }, ({ count, last }) => `${formatNumber(language, count)} ${t("shown")}${last ? ` ${t("noOlder")}` : ""}`);

  useEffect(() => {
    api.auditActions().then((answer) => setActions(answer.actions), setRefusal);
    // Staff users' entries name them; the list is the admin's, who alone sees this section.
    api.users().then((answer) => setStaff(new Map(answer.users.map((user) => [user.id, user.name]))), () => undefined);
    run(asSearch(filters));
  }, []);

  const search = (event: Event) => {
    event.preventDefault();
    run(asSearch(filters));
  };
  const clear = () => {
    setFilters({});
    setCleared(cleared + 1);
    run({});
  };
  const bound = { entry: filters, set: setFilters, problems };
  const dates = { min: "2000-01-01", max: shiftDays(todayIso(), 1) };
  return (
    <section class="card" aria-labelledby="audit-title">
      <h2 id="audit-title">{t("auditTitle")}</h2>
      <p class="muted">{t("readOnly")}</p>
      <form class="audit-search" onSubmit={search} noValidate role="search" aria-label={t("filters")}>
        <div class="grid">
          <TextAt {...bound} path="actor" label={t("actor")} hint={t("actorHint")} dir="auto" />
          <NumberAt {...bound} path="member" label={t("memberId")} language={language} />
          {/* Drawn again once the actions arrive: a select keeps no value it has no option for. */}
          <SelectAt
            key={actions.length}
            {...bound}
            path="action"
            label={t("action")}
            options={[["", t("anyAction")], ...actions.map((action): [string, string] => [action, actionWords(language, action)])]}
          />
          <SelectAt
            {...bound}
            path="limit"
            label={t("pageSize")}
            options={pageSizes.map((size): [string, string] => [size, digits(language, size || "50")])}
          />
        </div>
        <div class="grid dates" key={cleared}>
          {(["from", "to"] as const).map((end) => (
            <div class="bound" key={end}>
              <DateField
                language={language}
                label={t(end)}
                name={end}
                value={typeof filters[end] === "string" ? (filters[end] as string) : ""}
                onChange={(value) => setFilters(setAt(filters, end, value))}
                {...dates}
              />
              {problems.get(end) && <span class="field-problem">{problems.get(end)}</span>}
            </div>
          ))}
        </div>
        <p class="hint">{t("datesHint")}</p>
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {t("search")}
          </button>
          <button type="button" disabled={busy} onClick={clear}>
            {t("clear")}
          </button>
        </div>
      </form>
      <Outcome language={language} status={status} refusal={refusal} refused={explain(language, refusal, labels)} />
      {entries && entries.length === 0 && <p>{t("noEntries")}</p>}
      {entries && entries.length > 0 && program && (
        <>
          <p class="hint">
            {t("timesIn")} <bdi>{program.time_zone}</bdi>
          </p>
          <AuditEntries language={language} entries={entries} timeZone={program.time_zone} staff={staff} />
        </>
      )}
      {shown?.next && (
        <div class="actions">
          <button type="button" disabled={busy} onClick={() => run(shown.search, shown.next!)}>
            {t("more")}
          </button>
        </div>
      )}
    </section>
  );
}
