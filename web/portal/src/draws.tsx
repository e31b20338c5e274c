// Prize draws: the programme's published draws, open ones first, each with its prizes, its window
// on the programme's clock, how entries are earned (while it is to come or open), her entries
// against the draw's cap and the commitment the club published with it (shortened, whole on
// request, with the public value the draw will be run with); a packaging code entered while a draw
// that takes codes is open; and, once a draw is run, whether she won (her places), her entrant
// reference and the proof anyone can recompute the draw from (docs/draws.md). Loaded, with its
// words, when first opened.
import { useId, useState } from "preact/hooks";

import { type Currency, currencyOf, digits, formatDate, formatMoney, formatNumber, type Language } from "@patron/common/i18n";
import { zonedParts } from "@patron/common/zone";

import * as api from "./api";
import { word, type WordKey } from "./draws_words";
import { useMemberData } from "./home";
import { explain } from "./problems";

interface Props {
  language: Language;
}

// What the page reads the draws with: the programme's clock, which the draws' document names
// (every time in it is an instant, shown on the day and hour it falls on there), and its currency
// with its decimals, which the draws' document does not name: from the balance, as the other
// views read it.
interface Setting {
  language: Language;
  timeZone: string;
  currency: Currency;
}

// A sentence with its {placeholders} filled in.
function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

// A name the club wrote, set into a sentence of the page's: isolated, so a Latin name keeps its
// place in a Persian sentence (what <bdi> does for an element).
const isolated = (name: string) => `\u2068${name}\u2069`;

// A count with its noun: "3 entries", "۳ شانس".
function counted(language: Language, n: number, one: WordKey, many: WordKey): string {
  return `${formatNumber(language, n)} ${word(language, n === 1 ? one : many)}`;
}

// An instant on the programme's clock: its day in her calendar and its time ("1 December 2026,
// 00:00"): a window closing at midnight ends before that day, which the day alone would not say.
function moment({ language, timeZone }: Setting, at: string): string {
  return fill(word(language, "dateAtTime"), {
    date: formatDate(language, at, timeZone),
    time: digits(language, zonedParts(at, timeZone).time),
  });
}

// The badge of each state, in the tones the referral page's badges use (style.css).
const stateBadges: Record<api.DrawState, { words: WordKey; tone: string }> = {
  open: { words: "stateOpen", tone: "rewarded" },
  scheduled: { words: "stateScheduled", tone: "pending" },
  closed: { words: "stateClosed", tone: "capped" },
  drawn: { words: "stateDrawn", tone: "capped" },
  cancelled: { words: "stateCancelled", tone: "closed" },
};

const stateOrder: Record<api.DrawState, number> = { open: 0, scheduled: 1, closed: 2, drawn: 3, cancelled: 4 };

// Open draws first (the soonest to close first), then those to come (the soonest to open first),
// then those past, the latest first.
function ordered(draws: api.MemberDraw[]): api.MemberDraw[] {
  const at = (draw: api.MemberDraw) => Date.parse(draw.state === "scheduled" ? draw.opens_at : draw.closes_at);
  return [...draws].sort((a, b) => {
    const rank = stateOrder[a.state] - stateOrder[b.state];
    if (rank !== 0) return rank;
    const coming = a.state === "open" || a.state === "scheduled";
    return coming ? at(a) - at(b) : at(b) - at(a);
  });
}

// The prize places a draw has: its reserves are numbered after them.
const prizePlaces = (draw: api.MemberDraw) => draw.prizes.reduce((sum, prize) => sum + prize.count, 0);

function Prizes({ setting, draw }: { setting: Setting; draw: api.MemberDraw }) {
  const { language } = setting;
  return (
    <>
      <h3>{word(language, "prizesTitle")}</h3>
      <ul class="draw-prizes" data-testid={`draw-prizes-${draw.id}`}>
        {draw.prizes.map((prize, index) => (
          <li key={index}>
            <bdi>{prize.name}</bdi>
            {prize.count > 1 && ` × ${formatNumber(language, prize.count)}`}
          </li>
        ))}
      </ul>
    </>
  );
}

// The ways a draw gives entries, each a line with its key (data-way): a purchase's own entries
// (from the least total, when there is one), those for every whole amount of its total and for
// each unit of a named SKU, and a code's; then what bounds a purchase: a total under the least
// earns nothing (said apart where a way besides the purchase's own entries could seem to give some
// below it), and the most one purchase gives. Her own cap is said with her entries.
function earningLines(setting: Setting, earning: api.MemberDraw["earning"]): [string, string][] {
  const { language, currency } = setting;
  const t = (key: WordKey) => word(language, key);
  const entries = (n: number) => counted(language, n, "entryOne", "entryMany");
  const spend = formatMoney(language, earning.min_spend, currency);
  const skus = Object.entries(earning.skus ?? {});
  const lines: [string, string][] = [];
  if (earning.per_purchase > 0) {
    lines.push([
      "per_purchase",
      fill(t(earning.min_spend > 0 ? "earnPerPurchaseFrom" : "earnPerPurchase"), { entries: entries(earning.per_purchase), spend }),
    ]);
  }
  if (earning.per_amount) {
    lines.push([
      "per_amount",
      fill(t("earnPerAmount"), {
        entries: entries(earning.per_amount.entries),
        amount: formatMoney(language, earning.per_amount.amount, currency),
      }),
    ]);
  }
  for (const [sku, n] of skus) lines.push([`sku:${sku}`, fill(t("earnPerSku"), { entries: entries(n), sku: isolated(sku) })]);
  if (earning.per_code > 0) lines.push(["per_code", fill(t("earnPerCode"), { entries: entries(earning.per_code) })]);
  const byPurchase = earning.per_purchase > 0 || earning.per_amount !== undefined || skus.length > 0;
  const belowLeast =
    earning.per_purchase === 0 || skus.length > 0 || (earning.per_amount !== undefined && earning.per_amount.amount < earning.min_spend);
  if (byPurchase && earning.min_spend > 0 && belowLeast) lines.push(["min_spend", fill(t("earnMinSpend"), { spend })]);
  if (byPurchase && earning.per_purchase_cap !== null) {
    lines.push(["per_purchase_cap", fill(t("earnPurchaseCap"), { entries: entries(earning.per_purchase_cap) })]);
  }
  return lines;
}

function Earning({ setting, draw }: { setting: Setting; draw: api.MemberDraw }) {
  const lines = earningLines(setting, draw.earning);
  if (lines.length === 0) return null;
  return (
    <>
      <h3>{word(setting.language, "earningTitle")}</h3>
      <ul class="draw-earning" data-testid={`draw-earning-${draw.id}`}>
        {lines.map(([way, line]) => (
          <li key={way} data-way={way}>
            {line}
          </li>
        ))}
      </ul>
    </>
  );
}

function Entries({ setting, draw }: { setting: Setting; draw: api.MemberDraw }) {
  const { language } = setting;
  const t = (key: WordKey) => word(language, key);
  const said = fill(t("yourEntries"), {
    n: counted(language, draw.entries, "entryOne", "entryMany"),
    cap: formatNumber(language, draw.per_member),
  });
  return (
    <>
      <h3>{t("entriesTitle")}</h3>
      <p class="draw-entries" data-testid={`draw-entries-${draw.id}`}>
        {said}
      </p>
      {/* A merge of two records may leave her above the cap: the bar is full then. */}
      <progress max={draw.per_member} value={Math.min(draw.entries, draw.per_member)} aria-label={`${t("entriesTitle")}: ${said}`} />
      {draw.entries >= draw.per_member && draw.state === "open" && <p class="muted">{t("capReached")}</p>}
    </>
  );
}

// The commitment shortened to its ends, the whole of it (and what it is) one click away: a
// native disclosure, which keyboards and screen readers know. With it, the public value the draw
// is (or was) run with, in the marketer's words: which one, and where it is published (none for a
// cancelled draw, which is never run).
function Commitment({ setting, draw, commitment }: { setting: Setting; draw: api.MemberDraw; commitment: string }) {
  const t = (key: WordKey) => word(setting.language, key);
  const source = draw.public_value_source;
  return (
    <details class="commitment" data-testid={`draw-commitment-${draw.id}`}>
      <summary>
        {t("commitment")}:{" "}
        <code class="hash" dir="ltr" translate={false}>
          {`${commitment.slice(0, 8)}…${commitment.slice(-8)}`}
        </code>
      </summary>
      <p class="muted">{t("commitmentAbout")}</p>
      <code class="hash whole" dir="ltr" translate={false} data-testid={`draw-commitment-whole-${draw.id}`}>
        {commitment}
      </code>
      {source && draw.state !== "cancelled" && (
        <p class="draw-public-value" data-testid={`draw-public-value-${draw.id}`}>
          {fill(t(draw.state === "drawn" ? "publicValueWas" : "publicValueWill"), { source: isolated(source) })}
        </p>
      )}
    </details>
  );
}

// Refusals of a code, each said in words of its own beside the field (the API names the field
// "code" for every one of them).
const codeRefusals: Record<string, WordKey> = {
  VALIDATION_FAILED: "codeNotACode",
  DRAW_CODE_UNKNOWN: "codeUnknown",
  DRAW_CODE_USED: "codeUsed",
  DRAW_CLOSED: "codeDrawClosed",
  DRAW_NOT_ELIGIBLE: "codeNotEligible",
  DRAW_CAP_REACHED: "codeCapReached",
};

// Something said in the page's language, whichever it is when shown.
type Worded = (language: Language) => string;

// A code from a pack, as printed (the API reads it forgiving case, spaces and dashes). The code
// itself names its draw, which may be another open one than this: the answer says which.
function CodeForm({ setting, draw, entered }: {
  setting: Setting;
  draw: api.MemberDraw;
  entered: (answer: api.DrawCodeEntered) => void;
}) {
  const { language } = setting;
  const t = (key: WordKey) => word(language, key);
  const [code, setCode] = useState("");
  // What was said about the last code, worded at each render: a member who then switches the page's
  // language reads it in the new one.
  const [problem, setProblem] = useState<Worded | null>(null);
  const [said, setSaid] = useState<Worded | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    setSaid(null);
    try {
      const answer = await api.enterDrawCode(code.trim());
      setCode("");
      setSaid(() => (now: Language) =>
        fill(word(now, "codeEntered"), {
          entries: counted(now, answer.entries, "entryOne", "entryMany"),
          name: isolated(answer.name),
          held: counted(now, answer.held, "entryOne", "entryMany"),
        }),
      );
      entered(answer);
    } catch (error) {
      const own = error instanceof api.ApiError ? codeRefusals[error.problem.code] : undefined;
      setProblem(() => (now: Language) => (own ? word(now, own) : explain(now, error)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="draw-code" onSubmit={submit} aria-busy={busy} aria-labelledby={`${id}-title`} data-testid={`draw-code-form-${draw.id}`}>
      <h3 id={`${id}-title`}>{t("codeTitle")}</h3>
      <div class="field">
        <label for={`${id}-code`}>{t("codeLabel")}</label>
        {/* The code as printed: Latin letters and digits in both languages. */}
        <input
          id={`${id}-code`}
          name="code"
          value={code}
          onInput={(event) => setCode(event.currentTarget.value)}
          dir="ltr"
          autocomplete="off"
          autocapitalize="characters"
          spellcheck={false}
          required
          aria-invalid={problem ? true : undefined}
          aria-describedby={`${id}-hint ${id}-problem`}
          data-testid={`draw-code-${draw.id}`}
        />
        <small class="hint" id={`${id}-hint`}>
          {t("codeHint")}
        </small>
        {/* Said where it appears, beside the field; no room taken before there is something to say. */}
        <span class="field-problem" id={`${id}-problem`} role="alert" data-testid={`draw-code-problem-${draw.id}`}>
          {problem?.(language)}
        </span>
      </div>
      <button type="submit" class="primary" disabled={busy}>
        {t("enterCode")}
      </button>
      <p class="notice" role="status" data-testid={`draw-code-result-${draw.id}`}>
        {said?.(language)}
      </p>
    </form>
  );
}

// One of her places in words: what she won and by when to claim it, or where she waits in line.
function placeText(setting: Setting, draw: api.MemberDraw, place: api.DrawPlace): string {
  const { language } = setting;
  const t = (key: WordKey) => word(language, key);
  const prize = place.prize === null ? t("aPrize") : isolated(place.prize);
  const date = place.claim_by ? moment(setting, place.claim_by) : null;
  switch (place.state) {
    case "won":
      return fill(t(date ? "placeWon" : "placeWonAny"), { prize, date: date ?? "" });
    case "claimed":
      return fill(t("placeClaimed"), { prize });
    case "forfeited":
      return fill(t(date ? "placeForfeited" : "placeForfeitedAny"), { prize, date: date ?? "" });
    case "reserve":
      return fill(t("placeReserve"), { n: formatNumber(language, place.place - prizePlaces(draw)) });
  }
}

// The draw's outcome for her: when it was made, her reference (how the proof names her) and her
// places; or that she held no entries, or was not drawn.
function Outcome({ setting, draw }: { setting: Setting; draw: api.MemberDraw }) {
  const { language } = setting;
  const t = (key: WordKey) => word(language, key);
  return (
    <div class="draw-outcome" data-testid={`draw-outcome-${draw.id}`}>
      {draw.drawn_at && <p>{fill(t("drawnOn"), { date: moment(setting, draw.drawn_at) })}</p>}
      {draw.reference === null ? (
        <p class="muted">{t("noEntriesHeld")}</p>
      ) : (
        <>
          <p data-testid={`draw-held-${draw.id}`}>
            {fill(t("youHeld"), { entries: counted(language, draw.entries, "entryOne", "entryMany") })}
          </p>
          {draw.places.length === 0 ? (
            <p>{t("notDrawn")}</p>
          ) : (
            <ul class="draw-places" data-testid={`draw-places-${draw.id}`}>
              {draw.places.map((place) => (
                <li key={place.place} class={place.state} data-state={place.state}>
                  {placeText(setting, draw, place)}
                </li>
              ))}
            </ul>
          )}
          <p class="draw-reference">
            {t("yourReference")}:{" "}
            <code class="hash" dir="ltr" translate={false} data-testid={`draw-reference-${draw.id}`}>
              {draw.reference}
            </code>
          </p>
          <p class="muted">{t("referenceHint")}</p>
        </>
      )}
    </div>
  );
}

// The proof as a file to keep or feed to a script of her own: the API's document as it came.
function saveProof(proof: api.DrawProof) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([JSON.stringify(proof, null, 2)], { type: "application/json" }));
  link.download = `draw-${proof.draw_id}-proof.json`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

// The values the draw was made from, each whole, and the places as the proof gives them (her own
// marked); the entrants' list itself is in the file, being as long as the draw is large.
function ProofValues({ setting, proof, reference }: { setting: Setting; proof: api.DrawProof; reference: string | null }) {
  const { language } = setting;
  const t = (key: WordKey) => word(language, key);
  const value = (label: WordKey, text: string | null, testId: string) =>
    text !== null && (
      <div>
        <dt>{t(label)}</dt>
        <dd>
          <code class="hash whole" dir="ltr" translate={false} data-testid={testId}>
            {text}
          </code>
        </dd>
      </div>
    );
  return (
    <>
      <dl class="proof-values">
        {value("algorithm", proof.algorithm, "proof-algorithm")}
        {value("commitment", proof.commitment, "proof-commitment")}
        {value("seed", proof.seed, "proof-seed")}
        <div>
          <dt>{t("publicValueSource")}</dt>
          <dd dir="auto">{proof.public_value_source}</dd>
        </div>
        {value("publicValue", proof.public_value, "proof-public-value")}
        {value("entriesDigest", proof.entries_digest, "proof-digest")}
        <div>
          <dt>{t("ticketsTitle")}</dt>
          <dd data-testid="proof-tickets">
            {fill(t("ticketsHeld"), {
              tickets: counted(language, proof.tickets, "entryOne", "entryMany"),
              entrants: counted(language, proof.entrants.length, "entrantOne", "entrantMany"),
            })}
          </dd>
        </div>
      </dl>
      <h3>{t("placesTitle")}</h3>
      {proof.places.length === 0 ? (
        <p class="muted">{t("noPlaces")}</p>
      ) : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label={t("placesTitle")}>
          <table class="proof-places" data-testid="proof-places">
            <thead>
              <tr>
                {(["placeColumn", "prizeColumn", "referenceColumn", "ticketColumn", "attemptColumn"] as const).map((column) => (
                  <th scope="col" key={column}>
                    {t(column)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {proof.places.map((place) => (
                <tr key={place.place} class={place.reference === reference ? "hers" : undefined}>
                  <td>{formatNumber(language, place.place)}</td>
                  <td>{place.prize === null ? t("reserve") : <bdi>{place.prize}</bdi>}</td>
                  <td>
                    <code dir="ltr" translate={false}>
                      {place.reference}
                    </code>
                    {place.reference === reference && ` ${t("you")}`}
                  </td>
                  <td>{formatNumber(language, place.ticket)}</td>
                  <td>{formatNumber(language, place.attempt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <button type="button" onClick={() => saveProof(proof)} data-testid="proof-download">
        {t("downloadProof")}
      </button>
    </>
  );
}

// The check of a drawn draw, asked for when she opens it.
function Proof({ setting, draw }: { setting: Setting; draw: api.MemberDraw }) {
  const { language } = setting;
  const t = (key: WordKey) => word(language, key);
  const [open, setOpen] = useState(false);
  const [proof, setProof] = useState<api.DrawProof | null>(null);
  const [message, setMessage] = useState("");
  const id = useId();
  const toggle = () => {
    setOpen(!open);
    if (!open && !proof) {
      setMessage("");
      api.drawProof(draw.id).then(setProof, (error) => setMessage(explain(language, error)));
    }
  };
  return (
    <div class="draw-proof">
      <button type="button" aria-expanded={open} aria-controls={id} onClick={toggle} data-testid={`draw-proof-button-${draw.id}`}>
        {t(open ? "hideProof" : "showProof")}
      </button>
      {open && (
        <div id={id} class="proof" data-testid={`draw-proof-${draw.id}`}>
          <p>{t("proofAbout")}</p>
          {message && (
            <p class="message" role="alert">
              {message}
            </p>
          )}
          {!proof && !message && <p class="loading">{t("loading")}</p>}
          {proof && <ProofValues setting={setting} proof={proof} reference={draw.reference} />}
        </div>
      )}
    </div>
  );
}

function DrawCard({ setting, draw, entered }: {
  setting: Setting;
  draw: api.MemberDraw;
  entered: (answer: api.DrawCodeEntered) => void;
}) {
  const { language } = setting;
  const t = (key: WordKey) => word(language, key);
  const badge = stateBadges[draw.state];
  const titleId = `draw-title-${draw.id}`;
  return (
    <article class={`card draw ${draw.state}`} aria-labelledby={titleId} data-testid={`draw-${draw.id}`} data-state={draw.state}>
      <header class="draw-heading">
        <h2 id={titleId}>
          <bdi>{draw.name}</bdi>
        </h2>
        <span class={`badge ${badge.tone}`}>{t(badge.words)}</span>
      </header>
      {draw.description && (
        <p class="draw-description" dir="auto">
          {draw.description}
        </p>
      )}
      <p class="draw-window" data-testid={`draw-window-${draw.id}`}>
        {fill(t("window"), { opens: moment(setting, draw.opens_at), closes: moment(setting, draw.closes_at) })}
      </p>
      {draw.state === "closed" && <p class="muted">{t("closedNote")}</p>}
      {draw.state === "cancelled" && <p class="muted">{t("cancelledNote")}</p>}
      <Prizes setting={setting} draw={draw} />
      {(draw.state === "open" || draw.state === "scheduled") && <Earning setting={setting} draw={draw} />}
      {draw.state !== "drawn" && draw.state !== "cancelled" && <Entries setting={setting} draw={draw} />}
      {draw.takes_codes && draw.state === "open" && <CodeForm setting={setting} draw={draw} entered={entered} />}
      {draw.takes_codes && draw.state === "scheduled" && <p class="muted">{t("codesWhenOpen")}</p>}
      {draw.state === "drawn" && <Outcome setting={setting} draw={draw} />}
      {draw.commitment && <Commitment setting={setting} draw={draw} commitment={draw.commitment} />}
      {draw.state === "drawn" && <Proof setting={setting} draw={draw} />}
    </article>
  );
}

export function Draws({ language }: Props) {
  const { data, message, setData } = useMemberData(() => Promise.all([api.draws(), api.balance()]), language);
  const t = (key: WordKey) => word(language, key);
  if (message) return <p class="message" role="alert">{message}</p>;
  if (!data) return <p class="loading">{t("loading")}</p>;
  const [page, balance] = data;
  // Amounts are in the programme's currency; the balance names it and its decimals (the server's
  // own table, which the browser's locale data contradict for some currencies).
  const setting: Setting = { language, timeZone: page.time_zone, currency: currencyOf(balance.cashback) };
  // A code entered changes what she holds in its draw (whichever draw's form it was typed in).
  const entered = (answer: api.DrawCodeEntered) =>
    setData((shown): [api.Draws, api.Balance] | null =>
      shown && [
        {
          ...shown[0],
          draws: shown[0].draws.map((draw) => (draw.id === answer.draw_id ? { ...draw, entries: answer.held } : draw)),
        },
        shown[1],
      ],
    );
  return (
    <div class="draws" data-testid="draws">
      <section class="card wide" aria-labelledby="draws-title">
        <h2 id="draws-title">{t("drawsTab")}</h2>
        <p class="draws-intro">{t("drawsIntro")}</p>
        {page.draws.length === 0 && (
          <p class="muted" data-testid="draws-empty">
            {t("noDraws")}
          </p>
        )}
      </section>
      {ordered(page.draws).map((draw) => (
        <DrawCard key={draw.id} setting={setting} draw={draw} entered={entered} />
      ))}
    </div>
  );
}
