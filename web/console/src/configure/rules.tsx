// The draft of the programme's rules: its earn rules and bonuses with what each gives, each opened
// in its form; the cashback rules and stamp cards it holds; a JSON view for experts that saves the
// whole document back; what the draft changes against the version it was based on; publishing it
// (now or from a later moment) and discarding it.
import { type Currency, formatMoney, formatNumber, formatTime, type Language } from "@patron/common/i18n";
import { fieldProblems } from "@patron/common/problems";
import { useEffect, useState } from "preact/hooks";

import { Outcome, useAction } from "../action";
import { ListTable } from "../list_table";
import { explain } from "../problems";
import { Link, type PageProps } from "../shell";
import * as api from "./api";
import { Changes } from "./changes";
import { diffDocuments } from "./diff";
import { isObject, type JsonObject } from "./doc";
import { InstantAt, TextAt } from "./fields";
import { word, type WordKey } from "./words";

// What a rule gives, in a few words: "1 point per 10,000" or "500 points".
function gives(language: Language, rule: JsonObject, currency: Currency): string {
  const points = typeof rule.points === "number" ? formatNumber(language, rule.points) : "?";
  if (rule.kind === "bonus") return `${points} ${word(language, "pointsWord")}`;
  const per = formatMoney(language, typeof rule.per_amount === "number" ? rule.per_amount : 1, currency);
  return `${points} ${word(language, "pointsWord")} ${word(language, "perAmountWord")} ${per}`;
}

function listOf(document: JsonObject, key: string): JsonObject[] {
  const list = document[key];
  return Array.isArray(list) ? list.filter(isObject) : [];
}

export function DraftRules({ language, program }: PageProps) {
  const t = (key: WordKey) => word(language, key);
  const [draft, setDraft] = useState<api.Draft | null>(null);
  const [base, setBase] = useState<JsonObject | null>(null);
  const { busy, refusal, setRefusal, status, act: run } = useAction();
  const [json, setJson] = useState<string | null>(null);
  const [publishing, setPublishing] = useState<JsonObject>({});

  const load = async () => {
    const current = await api.draft();
    setDraft(current);
    setBase(current.based_on_version ? (await api.version(current.based_on_version)).document : { rules: [] });
  };
  useEffect(() => {
    load().catch(setRefusal);
  }, []);

  // Each change is followed by the draft as it is now.
  const act = (what: () => Promise<unknown>, done: WordKey) =>
    run(async () => {
      await what();
      await load();
    }, t(done));
  const remove = (id: string) =>
    act(
      () =>
        api.saveDraft({
          ...draft!.document,
          rules: listOf(draft!.document, "rules").filter((rule) => rule.id !== id),
        }),
      "removed",
    );
  const saveJson = () =>
    act(async () => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(json ?? "");
      } catch {
        throw new SyntaxError("json");
      }
      await api.saveDraft(parsed as JsonObject);
      setJson(null);
    }, "saved");
  const publish = () =>
    act(async () => {
      const effective = typeof publishing.effective_from === "string" ? publishing.effective_from : null;
      const note = typeof publishing.note === "string" ? publishing.note : "";
      await api.publish(effective, note);
      setPublishing({});
    }, "draftPublished");

  if (!draft || !base) {
    return (
      <section class="card" aria-busy={!refusal}>
        <h2>{t("draftRules")}</h2>
        {refusal ? <p role="alert">{explain(language, refusal)}</p> : <p>{t("loading")}</p>}
      </section>
    );
  }
  const rules = listOf(draft.document, "rules");
  const changes = diffDocuments(base, draft.document);
  const problems = fieldProblems(language, refusal);
  const zone = program?.time_zone ?? "UTC";
  const currency: Currency = { code: program?.currency ?? "XXX", exponent: program?.currency_exponent ?? 0 };
  const refused = refusal instanceof SyntaxError ? t("notJson") : refusal ? explain(language, refusal) : null;
  return (
    <>
      <section class="card" aria-labelledby="draft-title">
        <h2 id="draft-title">{t("draftRules")}</h2>
        <p class="muted">
          {draft.based_on_version
            ? `${t("basedOn")} ${formatNumber(language, draft.based_on_version)}`
            : t("noVersionYet")}
          {draft.updated_at && draft.updated_by && (
            <>
              {" · "}
              {t("savedBy")} <bdi>{draft.updated_by}</bdi> {formatTime(language, draft.updated_at)}
            </>
          )}
        </p>
        <Outcome language={language} status={status} refusal={refusal} refused={refused} />
        <h3>{t("earnRules")}</h3>
        {rules.length === 0 ? (
          <p>{t("noRules")}</p>
        ) : (
          <ListTable headings={[t("ruleName"), t("kind"), t("gives"), t("actionsColumn")]}>
                {rules.map((rule) => {
                  const id = String(rule.id ?? "");
                  return (
                    <tr key={id}>
                      <td>
                        <bdi>{String(rule.name ?? id)}</bdi>
                        <br />
                        <code class="muted">{id}</code>
                      </td>
                      <td>{t(rule.kind === "bonus" ? "bonus" : "earn")}</td>
                      <td>{gives(language, rule, currency)}</td>
                      <td>
                        <Link to={`/console/configure/rules/${encodeURIComponent(id)}`}>
                          {t("edit")} <span class="visually-hidden">{String(rule.name ?? id)}</span>
                        </Link>{" "}
                        <button type="button" class="link" disabled={busy} onClick={() => remove(id)}>
                          {t("remove")} <span class="visually-hidden">{String(rule.name ?? id)}</span>
                        </button>
                      </td>
                    </tr>
                  );
                })}
          </ListTable>
        )}
        <div class="actions">
          <Link to="/console/configure/new-rule/earn">{t("newEarn")}</Link>
          <Link to="/console/configure/new-rule/bonus">{t("newBonus")}</Link>
        </div>
        {(["cashback", "stamp_cards"] as const).map((key) => {
          const entries = listOf(draft.document, key);
          return (
            entries.length > 0 && (
              <div key={key}>
                <h3>{t(key === "cashback" ? "cashbackRules" : "stampCards")}</h3>
                <ul>
                  {entries.map((entry) => (
                    <li key={String(entry.id)}>
                      <bdi>{String(entry.name ?? entry.id)}</bdi> <code class="muted">{String(entry.id)}</code>
                    </li>
                  ))}
                </ul>
              </div>
            )
          );
        })}
        <details
          open={json !== null}
          onToggle={(event) => {
            const open = (event.currentTarget as HTMLDetailsElement).open;
            setJson(open ? JSON.stringify(draft.document, null, 2) : null);
          }}
        >
          <summary>{t("jsonView")}</summary>
          {json !== null && (
            <>
              <label class="bound">
                <span>{t("jsonDocument")}</span>
                <textarea dir="ltr" spellcheck={false} value={json} onInput={(event) => setJson(event.currentTarget.value)} />
              </label>
              {problems.size > 0 && (
                <ul class="field-problem">
                  {[...problems].map(([path, message]) => (
                    <li key={path}>
                      <code>{path}</code>: {message}
                    </li>
                  ))}
                </ul>
              )}
              <div class="actions">
                <button type="button" class="primary" disabled={busy} onClick={saveJson}>
                  {t("saveJson")}
                </button>
              </div>
            </>
          )}
        </details>
      </section>
      <section class="card" aria-labelledby="publish-title">
        <h2 id="publish-title">{t("publishTitle")}</h2>
        <p>
          {draft.based_on_version
            ? `${t("changesAgainst")} ${formatNumber(language, draft.based_on_version)}:`
            : `${t("changesAgainstNothing")}:`}
        </p>
        <Changes language={language} changes={changes} />
        <p>
          <Link to="/console/configure/preview">{t("previewFirst")}</Link>
        </p>
        <div class="grid">
          <InstantAt
            entry={publishing}
            set={setPublishing}
            problems={problems}
            path="effective_from"
            label={t("effectiveFrom")}
            language={language}
            timeZone={zone}
            timeLabel={t("time")}
              dateLabel={t("date")}
            hint={t("effectiveHint")}
          />
          <TextAt entry={publishing} set={setPublishing} problems={problems} path="note" label={t("note")} />
        </div>
        <div class="actions">
          <button type="button" class="primary" disabled={busy || changes.length === 0} onClick={publish}>
            {t("publish")}
          </button>
          <button
            type="button"
            disabled={busy || !draft.updated_at}
            onClick={() => act(api.discardDraft, "discarded")}
          >
            {t("discard")}
          </button>
        </div>
      </section>
    </>
  );
}
