// Prize draws (docs/draws.md; GET /v1/draws, any staff; every change, admins and marketers), the
// screens of the Prize draws section (../draws/page.tsx, at /console/draws): the list with each
// draw's state, entry window, entries and entrants, and packaging codes made and used; a draw's
// page with its terms in a form, editable while it is a draft (its name and description, the prizes
// in the order they are drawn, the window on the programme's clock, who may enter, how entries are
// earned, the caps, reserves and days to claim, and which public value it will be run with), with
// the API's problems beside their fields; publishing (which fixes the terms and shows the
// commitment) and cancelling, each asked first; packaging codes made in batches and downloaded as
// CSV for the printer; after the close, the draw run once with the public value as it came out
// (asked first: it cannot be undone); then its places, each with its member and where it stands, a
// winner's claim recorded when her prize is handed over (asked first; support staff may record it
// too), and the proof to download. Other roles only read: the terms, a draft's too, in a form that
// takes no typing, and no button the API would refuse them.
import { digits, formatNumber, type Language } from "@patron/common/i18n";
import { fieldProblems } from "@patron/common/problems";
import { useEffect, useState } from "preact/hooks";

import { ApiError, type StaffRole } from "../api";
import { Outcome, useAction } from "../action";
import { Filled } from "../filled";
import { ListTable } from "../list_table";
import { explain } from "../problems";
import { sections } from "../sections";
import { go, Link, type PageProps } from "../shell";
import { When } from "../when";
import * as api from "./api";
import { Confirm } from "./confirm";
import { itemGate } from "./item_gate";
import { getAt, isObject, type Json, type JsonObject } from "./doc";
import {
  type Bound,
  ChoicesAt,
  InstantAt,
  ItemsAt,
  ListAt,
  MoneyAt,
  MultipliersAt,
  NumberAt,
  refusedHere,
  TextAreaAt,
  TextAt,
} from "./fields";
import { useTierNames } from "./fieldsets";
import { word, type WordKey } from "./words";

const address = "/console/draws";

// Those the API lets make, change and run draws; every other staff role reads them.
const writes = (role: StaffRole) => role === "admin" || role === "marketer";
// Those the API lets record a prize handed over: support staff too, at the service desk.
const claims = (role: StaffRole) => writes(role) || role === "support";
// What a role that may not change draws reads of what it may do with them.
const readOnly = (role: StaffRole): WordKey => (claims(role) ? "drawsReadOnlyClaims" : "drawsReadOnly");

// Words with their blanks filled: "{n} entries" with n.
function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (blank, key: string) => values[key] ?? blank);
}

const numberOf = (value: Json | undefined) => (typeof value === "number" ? value : null);
const textOf = (value: Json | undefined) => (typeof value === "string" ? value : "");

// A count with its noun, in the page's digits: "3 entries", "۳ شانس".
function counted(language: Language, n: number, one: WordKey, many: WordKey): string {
  return fill(word(language, n === 1 ? one : many), { n: formatNumber(language, n) });
}

// The states a draw takes no more packaging codes in (the API refuses them: DRAW_CLOSED,
// DRAW_ALREADY_RUN).
const takesNoCodes: readonly api.DrawState[] = ["closed", "drawn", "cancelled"];
// The states a draw may be cancelled in: a draft, or published and not yet run.
const cancellable: readonly api.DrawState[] = ["draft", "scheduled", "open", "closed"];

// What the form calls each field, by the path the API names its problems with: a prize's fields
// by its row ("Prize's name (Prize 2)"), a SKU's entries by the SKU.
function fieldLabels(language: Language, document: JsonObject): Record<string, string> {
  const t = (key: WordKey) => word(language, key);
  const labels: Record<string, string> = {
    name: t("drawName"),
    description: t("drawDescription"),
    prizes: t("drawPrizes"),
    opens_at: t("drawOpensAt"),
    closes_at: t("drawClosesAt"),
    eligibility: t("drawWho"),
    "eligibility.stores": t("drawStores"),
    "eligibility.tiers": t("drawTiers"),
    "eligibility.segments": t("drawSegments"),
    entries: t("drawEntries"),
    "entries.per_purchase": t("drawPerPurchase"),
    "entries.min_spend": t("drawMinSpend"),
    "entries.per_amount": t("drawPerAmount"),
    "entries.per_amount.amount": t("drawPerAmount"),
    "entries.per_amount.entries": t("drawPerAmountEntries"),
    "entries.skus": t("drawSkus"),
    "entries.per_code": t("drawPerCode"),
    caps: t("drawCaps"),
    "caps.per_member": t("drawPerMember"),
    "caps.per_purchase": t("drawPerPurchaseCap"),
    reserves: t("drawReserves"),
    claim_days: t("drawClaimDays"),
    public_value: t("drawPublicValue"),
    count: t("drawCodeCount"),
  };
  const prizes = Array.isArray(document.prizes) ? document.prizes : [];
  prizes.forEach((_, index) => {
    const row = `${t("drawPrize")} ${formatNumber(language, index + 1)}`;
    labels[`prizes[${index}]`] = row;
    labels[`prizes[${index}].name`] = `${t("drawPrizeName")} (${row})`;
    labels[`prizes[${index}].count`] = `${t("drawPrizeCount")} (${row})`;
  });
  const skus = getAt(document, "entries.skus");
  for (const sku of isObject(skus) ? Object.keys(skus) : []) labels[`entries.skus.${sku}`] = `${t("drawSkuEntries")} (${sku})`;
  return labels;
}

// A refusal in the words of the draw screens, by its code (DRAW_CLOSED is a draft's close passed
// when it names closes_at, else a draw closed or cancelled; DRAW_PRIZE_NOT_CLAIMABLE, a claim of a
// place that holds no prize waiting); any other as the console explains it.
function refusalText(language: Language, refusal: unknown, labels: Record<string, string> = {}): string | null {
  if (refusal === null) return null;
  if (refusal instanceof ApiError) {
    const { code, field } = refusal.problem;
    const own: Record<string, WordKey> = {
      DRAW_PUBLISHED: "drawTermsFixed",
      DRAW_CLOSED: field === "closes_at" ? "drawWindowPassed" : "drawNoMoreEntries",
      DRAW_ALREADY_RUN: "drawRunAlready",
      DRAW_NOT_CLOSED: "drawNotClosedYet",
      DRAW_PRIZE_NOT_CLAIMABLE: "drawPrizeNotClaimable",
    };
    if (own[code]) return word(language, own[code]);
  }
  return explain(language, refusal, labels);
}

// A file the API gave, saved as the browser saves a download.
function save(blob: Blob, name: string) {
  const link = window.document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

// The entry window: from its opening until its close, on the programme's clock.
function Window({ language, terms, timeZone }: { language: Language; terms: JsonObject; timeZone: string }) {
  const opens = textOf(terms.opens_at);
  const closes = textOf(terms.closes_at);
  if (!opens || !closes) return <>—</>;
  return (
    <>
      <When language={language} at={opens} timeZone={timeZone} /> {word(language, "drawWindowUntil")}{" "}
      <When language={language} at={closes} timeZone={timeZone} />
    </>
  );
}

const entriesText = (language: Language, draw: api.Draw) =>
  fill(word(language, "drawEntriesOf"), {
    entries: counted(language, draw.entries, "drawEntryOne", "drawEntryMany"),
    members: counted(language, draw.entrants, "drawMemberOne", "drawMemberMany"),
  });

const codesText = (language: Language, draw: api.Draw) =>
  fill(word(language, "drawCodesMadeUsed"), {
    made: formatNumber(language, draw.codes.made),
    used: formatNumber(language, draw.codes.used),
  });

export function Draws({ language, program, session }: PageProps) {
  const t = (key: WordKey) => word(language, key);
  const [list, setList] = useState<api.Draw[] | null>(null);
  const [refusal, setRefusal] = useState<unknown>(null);
  useEffect(() => {
    api.draws().then((answer) => setList(answer.draws), setRefusal);
  }, []);
  const may = writes(session.role);
  return (
    <section class="card" aria-labelledby="draws-title">
      <h2 id="draws-title">{t("allDraws")}</h2>
      <p class="muted">{t("drawsAbout")}</p>
      <p class="muted">{t("drawsLife")}</p>
      {!may && <p class="muted">{t(readOnly(session.role))}</p>}
      {refusal !== null && <p role="alert">{explain(language, refusal)}</p>}
      {list === null && refusal === null && <p>{t("loading")}</p>}
      {list && list.length === 0 && <p>{t("noDraws")}</p>}
      {list && list.length > 0 && (
        <ListTable
          testId="draws"
          headings={[t("draw"), t("drawState"), t("drawWindow"), t("drawEntriesColumn"), t("drawCodesColumn")]}
        >
          {list.map((draw) => (
            <tr key={draw.id} data-state={draw.state}>
              <td>
                <Link to={`${address}/${draw.id}`}>
                  <bdi>{textOf(draw.terms.name) || `#${formatNumber(language, draw.id)}`}</bdi>
                </Link>
              </td>
              <td>{t(`draw_${draw.state}`)}</td>
              <td class="when">
                <Window language={language} terms={draw.terms} timeZone={program.time_zone} />
              </td>
              <td>{entriesText(language, draw)}</td>
              <td>{codesText(language, draw)}</td>
            </tr>
          ))}
        </ListTable>
      )}
      {may && (
        <div class="actions">
          <Link to={`${address}/new`}>{t("newDraw")}</Link>
        </div>
      )}
    </section>
  );
}

// A new draw starts from the API's defaults (no reserves, 30 days to claim, any purchase), one
// prize to name, and one entry a purchase: the API takes no draw that gives entries in no way.
const freshTerms = (): JsonObject => ({
  prizes: [{ count: 1 }],
  entries: { per_purchase: 1, min_spend: 0, per_code: 0 },
  reserves: 0,
  claim_days: 30,
});

function TermsForm({ language, program, document, set, problems, editable }: {
  language: Language;
  program: PageProps["program"];
  document: JsonObject;
  set: (document: JsonObject) => void;
  problems: Map<string, string>;
  editable: boolean;
}) {
  const t = (key: WordKey) => word(language, key);
  const tiers = useTierNames();
  const bound: Bound = { entry: document, set, problems };
  const number = { ...bound, language };
  const money = { ...number, exponent: program.currency_exponent, code: program.currency };
  const instant = { ...bound, language, timeZone: program.time_zone, timeLabel: t("time"), dateLabel: t("date") };
  return (
    <fieldset disabled={!editable} class="draw-terms">
      <legend>{t("drawTerms")}</legend>
      <div class="grid">
        <TextAt {...bound} path="name" label={t("drawName")} hint={t("drawNameHint")} />
      </div>
      {/* Members read it in the programme's language. */}
      <TextAreaAt {...bound} path="description" label={t("drawDescription")} hint={t("drawDescriptionHint")} lang={program.language} />
      <ItemsAt
        {...bound}
        path="prizes"
        label={t("drawPrizes")}
        hint={t("drawPrizesHint")}
        language={language}
        rowLabel={t("drawPrize")}
        add={t("drawAddPrize")}
        remove={t("drawRemovePrize")}
        min={1}
        max={20}
      >
        {(row) => (
          <>
            <TextAt {...row} path="name" label={t("drawPrizeName")} />
            <NumberAt {...row} language={language} path="count" label={t("drawPrizeCount")} hint={t("drawPrizeCountHint")} />
          </>
        )}
      </ItemsAt>
      <fieldset>
        <legend>{t("drawWindow")}</legend>
        <p class="hint">{t("drawWindowHint")}</p>
        <div class="grid">
          <InstantAt {...instant} path="opens_at" label={t("drawOpensAt")} />
          <InstantAt {...instant} path="closes_at" label={t("drawClosesAt")} />
        </div>
      </fieldset>
      <fieldset>
        <legend>{t("drawWho")}</legend>
        <div class="grid">
          <ListAt {...bound} path="eligibility.stores" label={t("drawStores")} hint={t("drawStoresHint")} />
          <ListAt {...bound} path="eligibility.segments" label={t("drawSegments")} hint={t("allWhenEmpty")} />
        </div>
        {tiers.length > 0 ? (
          <ChoicesAt {...bound} path="eligibility.tiers" label={t("drawTiers")} choices={tiers} />
        ) : (
          <div class="grid">
            <ListAt {...bound} path="eligibility.tiers" label={t("drawTiers")} hint={t("allWhenEmpty")} />
          </div>
        )}
      </fieldset>
      <fieldset>
        <legend>{t("drawEntries")}</legend>
        <p class="hint">{t("drawEntriesHint")}</p>
        <div class="grid">
          <NumberAt {...number} path="entries.per_purchase" label={t("drawPerPurchase")} hint={t("drawPerPurchaseHint")} />
          <MoneyAt {...money} path="entries.min_spend" label={t("drawMinSpend")} hint={t("drawMinSpendHint")} />
          <MoneyAt {...money} path="entries.per_amount.amount" label={t("drawPerAmount")} hint={t("drawPerAmountHint")} />
          <NumberAt
            {...number}
            path="entries.per_amount.entries"
            label={t("drawPerAmountEntries")}
            hint={t("drawPerAmountEntriesHint")}
          />
          <NumberAt {...number} path="entries.per_code" label={t("drawPerCode")} hint={t("drawPerCodeHint")} />
        </div>
        <MultipliersAt
          {...bound}
          path="entries.skus"
          label={t("drawSkus")}
          language={language}
          nameLabel={t("drawSkuName")}
          valueLabel={t("drawSkuEntries")}
          add={t("drawAddSku")}
          remove={t("drawRemoveSku")}
        />
      </fieldset>
      <fieldset>
        <legend>{t("drawCaps")}</legend>
        <div class="grid">
          <NumberAt {...number} path="caps.per_member" label={t("drawPerMember")} hint={t("drawPerMemberHint")} />
          <NumberAt {...number} path="caps.per_purchase" label={t("drawPerPurchaseCap")} hint={t("drawPerPurchaseCapHint")} />
          <NumberAt {...number} path="reserves" label={t("drawReserves")} hint={t("drawReservesHint")} />
          <NumberAt {...number} path="claim_days" label={t("drawClaimDays")} hint={t("drawClaimDaysHint")} />
        </div>
      </fieldset>
      <div class="grid draw-public-value">
        <TextAt {...bound} path="public_value" label={t("drawPublicValue")} hint={t("drawPublicValueHint")} />
      </div>
    </fieldset>
  );
}

// What the draw is now: its state, window, entries and codes; from publishing on its commitment;
// once run, the public value it was run with and the entries' digest, each whole.
function Summary({ language, program, draw }: { language: Language; program: PageProps["program"]; draw: api.Draw }) {
  const t = (key: WordKey) => word(language, key);
  const zone = program.time_zone;
  const hash = (text: string, testId: string) => (
    <code class="hash" data-testid={testId}>
      {text}
    </code>
  );
  return (
    <dl class="draw-summary" data-testid="draw-summary">
      <div>
        <dt>{t("drawState")}</dt>
        <dd data-testid="draw-state">{t(`draw_${draw.state}`)}</dd>
      </div>
      <div>
        <dt>{t("drawWindow")}</dt>
        <dd>
          <Window language={language} terms={draw.terms} timeZone={zone} />
        </dd>
      </div>
      <div>
        <dt>{t("drawEntriesColumn")}</dt>
        <dd data-testid="draw-entries">{entriesText(language, draw)}</dd>
      </div>
      <div>
        <dt>{t("drawCodesColumn")}</dt>
        <dd data-testid="draw-codes">{codesText(language, draw)}</dd>
      </div>
      {draw.commitment && (
        <div>
          <dt>{t("drawCommitment")}</dt>
          <dd>
            {hash(draw.commitment, "draw-commitment")}
            <small class="hint">{t("drawCommitmentHint")}</small>
          </dd>
        </div>
      )}
      {draw.published_at && (
        <div>
          <dt>{t("drawPublishedAt")}</dt>
          <dd>
            <When language={language} at={draw.published_at} timeZone={zone} />
          </dd>
        </div>
      )}
      {draw.drawn_at && (
        <div>
          <dt>{t("drawnAt")}</dt>
          <dd>
            <When language={language} at={draw.drawn_at} timeZone={zone} />
          </dd>
        </div>
      )}
      {draw.public_value !== null && (
        <div>
          <dt>{t("drawPublicValueUsed")}</dt>
          <dd>{hash(draw.public_value, "draw-public-value")}</dd>
        </div>
      )}
      {draw.entries_digest && (
        <div>
          <dt>{t("drawEntriesDigest")}</dt>
          <dd>{hash(draw.entries_digest, "draw-digest")}</dd>
        </div>
      )}
    </dl>
  );
}

// Packaging codes: a batch made, then downloaded for the printer (the batches made on this visit
// each by its own button, every code of the draw by one). Only while the draw still takes codes
// are more made; its codes' CSV stays to download.
function Codes({ language, draw, reload }: { language: Language; draw: api.Draw; reload: () => Promise<void> }) {
  const t = (key: WordKey) => word(language, key);
  const { busy, refusal, status, act } = useAction();
  const [request, setRequest] = useState<JsonObject>({ count: 1000 });
  const [batches, setBatches] = useState<api.DrawCodesMade[]>([]);
  const perCode = numberOf(getAt(draw.terms, "entries.per_code")) ?? 0;
  const open = !takesNoCodes.includes(draw.state);
  const make = () =>
    act(
      async () => {
        const made = await api.makeDrawCodes(draw.id, request.count ?? null);
        setBatches((earlier) => [...earlier, made]);
        await reload().catch(() => undefined);
        return made;
      },
      (made) =>
        fill(t("drawCodesMade"), {
          codes: counted(language, made.made, "drawCodeOne", "drawCodeMany"),
          batch: formatNumber(language, made.batch),
        }),
    );
  const download = (path: string, name: string) =>
    act(async () => save(await api.drawCodesCsv(path), name), t("downloaded"));
  return (
    <section class="card" aria-labelledby="draw-codes-title">
      <h2 id="draw-codes-title">{t("drawCodesTitle")}</h2>
      <p class="muted">
        {fill(t("drawCodesAbout"), { entries: counted(language, perCode, "drawEntryOne", "drawEntryMany") })}
      </p>
      <p data-testid="draw-codes-count">{codesText(language, draw)}</p>
      {open ? (
        <div class="grid">
          <NumberAt
            entry={request}
            set={setRequest}
            problems={fieldProblems(language, refusal)}
            path="count"
            label={t("drawCodeCount")}
            hint={t("drawCodeCountHint")}
            language={language}
          />
        </div>
      ) : (
        <p>{t("drawCodesClosedNote")}</p>
      )}
      <Outcome
        language={language}
        status={status}
        refusal={refusal}
        refused={refusalText(language, refusal, fieldLabels(language, draw.terms))}
      />
      <div class="actions">
        {open && (
          <button type="button" class="primary" disabled={busy} onClick={make} data-testid="make-draw-codes">
            {t("makeDrawCodes")}
          </button>
        )}
        {batches.map((made) => (
          <button
            type="button"
            key={made.batch}
            disabled={busy}
            onClick={() => download(made.export, `draw-codes-${draw.id}-${made.batch}.csv`)}
            data-testid={`download-draw-batch-${made.batch}`}
          >
            {fill(t("downloadDrawBatch"), { batch: formatNumber(language, made.batch) })}
          </button>
        ))}
        {draw.codes.made > 0 && (
          <button
            type="button"
            disabled={busy}
            onClick={() => download(api.allDrawCodes(draw.id), `draw-codes-${draw.id}.csv`)}
            data-testid="download-draw-codes"
          >
            {t("downloadAllDrawCodes")}
          </button>
        )}
      </div>
    </section>
  );
}

// Running the draw, after its close: the public value the terms announced, and the one that came
// out typed exactly; asked first, for it runs once and its result stands. Once run, this card
// gives way to the places (which say so).
function Run({ language, draw, ran }: { language: Language; draw: api.Draw; ran: (draw: api.Draw) => void }) {
  const t = (key: WordKey) => word(language, key);
  const { busy, refusal, setRefusal, status, act } = useAction();
  const [request, setRequest] = useState<JsonObject>({});
  const [asking, setAsking] = useState(false);
  const value = textOf(request.public_value);
  // A value typed since a refusal was said clears it: the question is asked of the value as it is.
  const ask = () => {
    if (value.trim() === "") {
      setRefusal(refusedHere(["public_value"], t("drawPublicValueMissing")));
    } else {
      setRefusal(null);
      setAsking(true);
    }
  };
  const run = () =>
    act(async () => {
      ran(await api.runDraw(draw.id, value));
    });
  return (
    <section class="card" aria-labelledby="draw-run-title">
      <h2 id="draw-run-title">{t("runDrawTitle")}</h2>
      <p>{t("runDrawAbout")}</p>
      <dl class="draw-summary">
        <div>
          <dt>{t("drawPublicValueAnnounced")}</dt>
          <dd dir="auto" data-testid="draw-public-value-source">
            {textOf(draw.terms.public_value)}
          </dd>
        </div>
      </dl>
      <div class="grid draw-public-value">
        <TextAt
          entry={request}
          set={setRequest}
          problems={fieldProblems(language, refusal)}
          path="public_value"
          label={t("drawPublicValueAsPublished")}
          hint={t("drawPublicValueAsPublishedHint")}
          dir="ltr"
        />
      </div>
      <Outcome language={language} status={status} refusal={refusal} refused={refusalText(language, refusal, fieldLabels(language, {}))} />
      <div class="actions">
        <button type="button" class="primary" disabled={busy} onClick={ask} data-testid="run-draw">
          {t("runDraw")}
        </button>
      </div>
      {asking && (
        <Confirm title={t("runDrawTitle")} confirm={t("runDrawConfirm")} cancel={t("cancel")} onConfirm={run} onClose={() => setAsking(false)}>
          <p>
            <bdi>{textOf(draw.terms.name)}</bdi>
          </p>
          <p>{t("runDrawQuestion")}</p>
          <p>
            <code class="hash">{value}</code>
          </p>
        </Confirm>
      )}
    </section>
  );
}

// The places drawn, in order: the prize (or a reserve place), the entrant's reference, her member
// (a link to her page for the roles that may open it), where the place stands (a claim with its
// day) and by when its prize is to be claimed; for the roles that may, a won place's claim
// recorded, asked first, then the draw as it is after it (after a refusal too: the place may have
// been forfeited meanwhile); and the proof, to download.
function Places({ language, program, session, draw, justRun, changed }: Pick<PageProps, "language" | "program" | "session"> & {
  draw: api.Draw;
  justRun: boolean; // Run from this page a moment ago: said here, the run's own card being gone.
  changed: (draw: api.Draw) => void;
}) {
  const t = (key: WordKey) => word(language, key);
  const { busy, refusal, status, act } = useAction();
  const claiming = useAction();
  const [asking, setAsking] = useState<api.StaffDrawPlace | null>(null);
  const membersShown = sections.find((section) => section.path === "members")!.roles.includes(session.role);
  const mayClaim = claims(session.role);
  const zone = program.time_zone;
  // "Place 2": which place a button of the table is for, to whoever hears it.
  const placeWord = (place: number) => `${t("drawPlaceColumn")} ${formatNumber(language, place)}`;
  const claim = (place: number) =>
    claiming.act(
      async () => {
        try {
          changed(await api.claimDrawPlace(draw.id, place));
        } catch (error) {
          if (error instanceof ApiError && error.problem.code === "DRAW_PRIZE_NOT_CLAIMABLE") {
            await api.draw(draw.id).then(changed, () => undefined);
          }
          throw error;
        }
      },
      fill(t("drawClaimRecorded"), { place: formatNumber(language, place) }),
    );
  const proof = () =>
    act(async () => {
      const document = await api.drawProof(draw.id);
      save(new Blob([JSON.stringify(document, null, 2)], { type: "application/json" }), `draw-${draw.id}-proof.json`);
    }, t("downloaded"));
  return (
    <section class="card" aria-labelledby="draw-places-title">
      <h2 id="draw-places-title">{t("drawPlaces")}</h2>
      {justRun && (
        <p class="status" role="status">
          {t("drawRun")}
        </p>
      )}
      <p class="muted">{t(mayClaim ? "drawPlacesAbout" : "drawPlacesAboutRead")}</p>
      {draw.places.length === 0 ? (
        <p>{t("drawNoPlaces")}</p>
      ) : (
        <ListTable
          testId="draw-places"
          label={t("drawPlaces")}
          headings={[
            t("drawPlaceColumn"),
            t("drawPrizeColumn"),
            t("drawReferenceColumn"),
            t("drawMemberColumn"),
            t("drawPlaceStateColumn"),
            t("drawClaimByColumn"),
            ...(mayClaim ? [t("actionsColumn")] : []),
          ]}
        >
          {draw.places.map((place) => (
            <tr key={place.place} data-state={place.state}>
              <td>{formatNumber(language, place.place)}</td>
              <td>{place.prize === null ? t("drawReservePlace") : <bdi>{place.prize}</bdi>}</td>
              <td>
                <code>{place.reference}</code>
              </td>
              <td>
                {membersShown ? (
                  <Link to={`/console/members/${place.member_id}`}>{digits(language, String(place.member_id))}</Link>
                ) : (
                  digits(language, String(place.member_id))
                )}
              </td>
              <td>
                {place.state === "claimed" && place.claimed_at ? (
                  <Filled
                    text={t("placeClaimedOn")}
                    values={{ date: <When language={language} at={place.claimed_at} timeZone={zone} /> }}
                  />
                ) : (
                  t(`place_${place.state}`)
                )}
              </td>
              <td class="when">{place.claim_by ? <When language={language} at={place.claim_by} timeZone={zone} /> : "—"}</td>
              {mayClaim && (
                <td>
                  {place.state === "won" && (
                    <button
                      type="button"
                      class="link"
                      disabled={claiming.busy}
                      onClick={() => setAsking(place)}
                      data-testid={`claim-draw-place-${place.place}`}
                    >
                      {t("recordClaim")} <span class="visually-hidden">{placeWord(place.place)}</span>
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </ListTable>
      )}
      <Outcome
        language={language}
        status={claiming.status}
        refusal={claiming.refusal}
        refused={refusalText(language, claiming.refusal, { place: t("drawPlaceColumn") })}
      />
      {asking && (
        <Confirm
          title={t("recordClaimTitle")}
          confirm={t("recordClaim")}
          cancel={t("cancel")}
          onConfirm={() => claim(asking.place)}
          onClose={() => setAsking(null)}
        >
          <p>
            <bdi>{asking.prize}</bdi>
          </p>
          <p>
            {fill(t("recordClaimQuestion"), {
              place: formatNumber(language, asking.place),
              member: digits(language, String(asking.member_id)),
            })}
          </p>
        </Confirm>
      )}
      <p class="muted">{t("drawProofAbout")}</p>
      <Outcome language={language} status={status} refusal={refusal} />
      <div class="actions">
        <button type="button" disabled={busy} onClick={proof} data-testid="download-draw-proof">
          {t("downloadDrawProof")}
        </button>
      </div>
    </section>
  );
}

export function DrawPage({ language, program, session, id }: PageProps & { id: string }) {
  const t = (key: WordKey) => word(language, key);
  const known = /^\d+$/.test(id) ? Number(id) : null;
  const may = writes(session.role);
  const [draw, setDraw] = useState<api.Draw | null>(null);
  const [document, setDocument] = useState<JsonObject>(freshTerms);
  const { busy, refusal, setRefusal, status, act } = useAction();
  const [asking, setAsking] = useState<"publish" | "cancel" | null>(null);
  const [justRun, setJustRun] = useState(false);

  // The draw as it is now; the form follows it.
  const shown = (found: api.Draw) => {
    setDraw(found);
    setDocument(found.terms);
  };
  const load = async (drawId: number) => shown(await api.draw(drawId));
  useEffect(() => {
    // Another draw's page (back and forth in the history) starts from nothing of this one's.
    setDraw((old) => (old !== null && old.id === known ? old : null));
    setJustRun(false);
    if (known !== null) load(known).catch(setRefusal);
    else setDocument(freshTerms());
  }, [id]);

  const saveDraft = () =>
    act(async () => {
      if (draw) {
        shown(await api.replaceDraw(draw.id, document));
      } else {
        const made = await api.createDraw(document);
        shown(made);
        go(`${address}/${made.id}`, true);
      }
    }, t("drawSaved"));
  const publish = () => act(async () => shown(await api.publishDraw(draw!.id)), t("drawPublished"));
  const cancel = () => act(async () => shown(await api.cancelDraw(draw!.id)), t("drawCancelled"));

  const gate = itemGate({
    language,
    id,
    may,
    loaded: draw !== null,
    refusal,
    title: "draws",
    missing: "noSuchDraw",
    all: "allDraws",
    address,
  });
  if (gate) return gate;
  const editable = may && (!draw || draw.state === "draft");
  // Publishing takes the draft as saved: what the form holds beyond it is said before, not published.
  const unsaved = draw !== null && JSON.stringify(document) !== JSON.stringify(draw.terms);
  const name = textOf(draw?.terms.name);
  const perCode = numberOf(getAt(draw?.terms ?? {}, "entries.per_code")) ?? 0;
  return (
    <>
      <section class="card" aria-labelledby="draw-title">
        <h2 id="draw-title">
          {draw ? <bdi>{name || `#${formatNumber(language, draw.id)}`}</bdi> : t("newDraw")}
          {draw && ` (${t(`draw_${draw.state}`)})`}
        </h2>
        {draw && <Summary language={language} program={program} draw={draw} />}
        {!may && <p class="muted">{t(readOnly(session.role))}</p>}
        {draw && draw.state !== "draft" && <p class="muted">{t("drawTermsFixedNote")}</p>}
        <Outcome
          language={language}
          status={status}
          refusal={refusal}
          refused={refusalText(language, refusal, fieldLabels(language, document))}
        />
        <form
          class="rule draw"
          noValidate
          aria-busy={busy}
          onSubmit={(event) => {
            event.preventDefault();
            if (editable) void saveDraft();
          }}
        >
          {/* A published draw's form shows its terms as they are; the draft's, what was typed. */}
          <TermsForm
            key={draw?.id ?? "new"}
            language={language}
            program={program}
            document={document}
            set={setDocument}
            problems={fieldProblems(language, refusal)}
            editable={editable}
          />
          <div class="actions">
            {editable && (
              <button type="submit" class="primary" disabled={busy} data-testid="save-draw">
                {t("saveDraw")}
              </button>
            )}
            {may && draw?.state === "draft" && (
              <button type="button" disabled={busy} onClick={() => setAsking("publish")} data-testid="publish-draw">
                {t("publishDraw")}
              </button>
            )}
            {may && draw && cancellable.includes(draw.state) && (
              <button type="button" class="danger" disabled={busy} onClick={() => setAsking("cancel")} data-testid="cancel-draw">
                {t("cancelDraw")}
              </button>
            )}
            <Link to={address}>{t("allDraws")}</Link>
          </div>
        </form>
        {asking === "publish" && draw && (
          <Confirm
            title={t("publishDrawTitle")}
            confirm={t("publishDraw")}
            cancel={t("cancel")}
            onConfirm={publish}
            onClose={() => setAsking(null)}
          >
            <p>
              <bdi>{name}</bdi>
            </p>
            <p>{t("publishDrawQuestion")}</p>
            {unsaved && <p class="message">{t("drawUnsavedNotPublished")}</p>}
          </Confirm>
        )}
        {asking === "cancel" && draw && (
          <Confirm
            title={t("cancelDrawTitle")}
            confirm={t("cancelDraw")}
            cancel={t("keepDraw")}
            onConfirm={cancel}
            onClose={() => setAsking(null)}
          >
            <p>
              <bdi>{name}</bdi>
            </p>
            <p>{t("cancelDrawQuestion")}</p>
          </Confirm>
        )}
      </section>
      {/* Its counts follow the codes made; the draft's form keeps what was typed in it. */}
      {draw && may && perCode > 0 && draw.state !== "cancelled" && (
        <Codes language={language} draw={draw} reload={async () => setDraw(await api.draw(draw.id))} />
      )}
      {draw && may && draw.state === "closed" && (
        <Run
          language={language}
          draw={draw}
          ran={(found) => {
            shown(found);
            setJustRun(true);
          }}
        />
      )}
      {draw?.state === "drawn" && (
        <Places language={language} program={program} session={session} draw={draw} justRun={justRun} changed={shown} />
      )}
    </>
  );
}
