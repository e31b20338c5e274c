// Rating a visit (NPS 0-10, CSAT 1-5, CES 1-7 and a comment): on the home page for the member's
// own recent purchases, and on its own page for the link a till prints under a receipt
// (#rate=TOKEN), which needs no sign-in and names the visit, never the member.
import { useEffect, useState } from "preact/hooks";

import { currencyOf, formatDate, formatMoney, formatNumber, type Language } from "@patron/common/i18n";

import * as api from "./api";
import { word, type WordKey } from "./i18n";
import { explain } from "./problems";

const kCommentMax = 1000;

const refusals: Record<string, WordKey> = {
  FEEDBACK_ALREADY_GIVEN: "alreadyRated",
  FEEDBACK_WINDOW_CLOSED: "ratingClosed",
  NOT_FOUND: "ratingUnknown",
};

function Scale({ language, name, legend, low, high, from, to, value, set }: {
  language: Language;
  name: string;
  legend: string;
  low: string;
  high: string;
  from: number;
  to: number;
  value: number | null;
  set: (value: number | null) => void;
}) {
  return (
    <fieldset class="scale">
      <legend>{legend}</legend>
      <div class="scale-points">
        {Array.from({ length: to - from + 1 }, (_, index) => from + index).map((point) => (
          <label key={point} class={value === point ? "point chosen" : "point"}>
            <input type="radio" name={name} value={point} checked={value === point} onChange={() => set(point)} />
            <span>{formatNumber(language, point)}</span>
          </label>
        ))}
      </div>
      <p class="scale-ends muted">
        <span>{low}</span>
        <span>{high}</span>
      </p>
    </fieldset>
  );
}

// The three questions and the comment; `send` posts them and says what came of it.
export function RatingForm({ language, name, send }: {
  language: Language;
  name: string;
  send: (answer: api.FeedbackAnswer) => Promise<void>;
}) {
  const [answer, setAnswer] = useState<api.FeedbackAnswer>({ nps: null, csat: null, ces: null, comment: null });
  const [message, setMessage] = useState<{ text: string; ok: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const t = (key: WordKey) => word(language, key);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (answer.nps === null && answer.csat === null && answer.ces === null) {
      setMessage({ text: t("rateSomething"), ok: false });
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      await send({ ...answer, comment: answer.comment?.trim() || null });
      setMessage({ text: t("thanksForRating"), ok: true });
    } catch (error) {
      const code = error instanceof api.ApiError ? error.problem.code : "";
      setMessage({ text: refusals[code] ? t(refusals[code]) : explain(language, error), ok: false });
    } finally {
      setBusy(false);
    }
  };
  if (message?.ok) {
    return (
      <p class="notice" role="status" data-testid="rating-result">
        {message.text}
      </p>
    );
  }
  return (
    <form class="rating" onSubmit={submit} aria-busy={busy}>
      <Scale language={language} name={`${name}-nps`} legend={t("npsQuestion")} low={t("npsLow")} high={t("npsHigh")}
        from={0} to={10} value={answer.nps} set={(nps) => setAnswer({ ...answer, nps })} />
      <Scale language={language} name={`${name}-csat`} legend={t("csatQuestion")} low={t("csatLow")}
        high={t("csatHigh")} from={1} to={5} value={answer.csat} set={(csat) => setAnswer({ ...answer, csat })} />
      <Scale language={language} name={`${name}-ces`} legend={t("cesQuestion")} low={t("cesLow")} high={t("cesHigh")}
        from={1} to={7} value={answer.ces} set={(ces) => setAnswer({ ...answer, ces })} />
      <label>
        {t("comment")}
        <textarea
          maxLength={kCommentMax}
          rows={3}
          value={answer.comment ?? ""}
          onInput={(event) => setAnswer({ ...answer, comment: event.currentTarget.value })}
        />
      </label>
      {message && (
        <p class="message" role="alert" data-testid="rating-result">
          {message.text}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy}>
        {t("sendRating")}
      </button>
    </form>
  );
}

// The store and the day of a visit. The name in an isolate of its own: a name in the other
// script (a Persian one on an English page) leaves the date beside it in its order.
function Visit({ language, store, day }: { language: Language; store: api.FeedbackStore; day: string }) {
  return (
    <>
      <bdi>{store.name}</bdi> — {formatDate(language, day)}
    </>
  );
}

// The home page's card: the member's purchases still waiting for a rating, each opened in place.
export function AwaitingRatings({ language }: { language: Language }) {
  const [purchases, setPurchases] = useState<api.AwaitingPurchase[]>([]);
  const [open, setOpen] = useState<number | null>(null);
  const t = (key: WordKey) => word(language, key);
  useEffect(() => {
    api.awaitingFeedback().then((awaiting) => setPurchases(awaiting.purchases), () => undefined);
  }, []);
  if (purchases.length === 0) return null;
  return (
    <section class="card" aria-labelledby="ratings-title" data-testid="awaiting-ratings">
      <h2 id="ratings-title">{t("rateVisits")}</h2>
      {purchases.slice(0, 3).map((purchase) => (
        <div class="visit" key={purchase.purchase_id}>
          <p>
            <Visit language={language} store={purchase.store} day={purchase.business_day} /> —{" "}
            {formatMoney(language, purchase.total, currencyOf(purchase))}
          </p>
          {open === purchase.purchase_id ? (
            <RatingForm language={language} name={`visit-${purchase.purchase_id}`}
              send={(answer) => api.rateOwnPurchase(purchase.purchase_id, answer)} />
          ) : (
            <button type="button" onClick={() => setOpen(purchase.purchase_id)}>
              {t("rateThisVisit")}
            </button>
          )}
        </div>
      ))}
    </section>
  );
}

// The page a receipt's feedback link opens: what is rated, then the questions.
export function RateByLink({ language, link }: { language: Language; link: string }) {
  const [topic, setTopic] = useState<api.FeedbackTopic | null>(null);
  const [message, setMessage] = useState("");
  const t = (key: WordKey) => word(language, key);
  useEffect(() => {
    api.feedbackTopic(link).then(setTopic, (error) => {
      const code = error instanceof api.ApiError ? error.problem.code : "";
      setMessage(refusals[code] ? t(refusals[code]) : explain(language, error));
    });
  }, [link]);
  if (message) return <p class="message" role="alert">{message}</p>;
  if (!topic) return <p class="loading">{t("loading")}</p>;
  return (
    <section class="card claim" aria-labelledby="rate-title">
      <h2 id="rate-title">{t("rateVisit")}</h2>
      <p>
        <Visit language={language} store={topic.store} day={topic.business_day} />
      </p>
      {topic.answered ? (
        <p class="notice" role="status">
          {t("alreadyRated")}
        </p>
      ) : (
        <RatingForm language={language} name="link" send={(answer) => api.rateByLink(link, answer)} />
      )}
    </section>
  );
}
