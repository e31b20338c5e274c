// A signal's page (GET /v1/fraud/signals/:id): what it was raised on, in sentences ("3rd purchase
// with card ••••0019 within an hour (threshold 3)", "Bought at S002 13 minutes after a purchase at
// S001", "Test support granted 5,000 points (limit 1,000)", "6th receipt claimed for this member
// within 24 hours (threshold 5)", "Till S001 / T01 gave 50,000 points in 12 purchases between ...";
// a trigger's name links to its page for the roles that configure), what the policy did, the points it holds now, the cards it blocked
// and where its review stands. Admin and support staff decide an open one (POST /v1/fraud/signals/:id/review): release,
// dismiss or confirm, with a note; confirming, which forfeits the points, asks first. The page
// then shows the signal as decided. Analysts read it only.
import { ApiError } from "@patron/common/api";
import { currencyOf, digits, formatDate, formatList, formatMoney, formatNumber, type Language } from "@patron/common/i18n";
import { fieldProblems } from "@patron/common/problems";
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";

import { Outcome, useAction } from "../action";
import type { ProgramSettings, StaffRole } from "../api";
import { Confirm } from "../configure/confirm";
import { Labelled, refusedHere } from "../configure/fields";
import { explain } from "../problems";
import { sections } from "../sections";
import { Link, type PageProps } from "../shell";
import { When } from "../when";
import * as api from "./api";
import { address } from "./queue";
import { Choice, Filled, kindWords, MemberNumber, SignalState } from "./shared";
import { counted, duration, fill, nth, word, type WordKey } from "./words";

// Admin and support staff decide signals; analysts read them.
const reviews = (role: StaffRole) => role === "admin" || role === "support";

// The evidence of a pattern this page has no sentences for yet: its fields as the API names them.
function EvidenceFields({ language, evidence }: { language: Language; evidence: object }) {
  return (
    <dl class="signal-facts" data-testid="evidence">
      {Object.entries(evidence).map(([name, value]) => (
        <div key={name}>
          <dt>
            <bdi>{name}</bdi>
          </dt>
          <dd>
            <bdi>{typeof value === "number" ? digits(language, String(value)) : typeof value === "string" ? value : JSON.stringify(value)}</bdi>
          </dd>
        </div>
      ))}
    </dl>
  );
}

// What the evidence and the facts are drawn from.
type Shown<S> = { language: Language; signal: S; program: ProgramSettings; role: StaffRole };

// The evidence in sentences, in the page's language, digits and calendar: store and terminal
// codes, card digits, a network address's digest and the names staff gave (a staff user's, a
// trigger's) keep their own direction inside a right-to-left sentence.
function Evidence({ language, signal, program, role }: Shown<api.Signal>) {
  const t = (key: WordKey) => word(language, key);
  const time = (at: string) => <When language={language} at={at} timeZone={program.time_zone} />;
  const purchase = (id: number) => digits(language, String(id));
  const store = (code: string) => <bdi>{code}</bdi>;
  const sentences: ComponentChildren[] = [];
  if (signal.kind === "card_velocity") {
    const evidence = signal.evidence;
    // Drawn anew in each sentence that names it: an element is not shown in two places.
    const card = () => (
      <span class="last-four" dir="ltr">
        ••••{evidence.card_last4}
      </span>
    );
    const at = { purchase: purchase(evidence.purchase_id), store: store(evidence.store), card: card(), time: time(evidence.pos_time) };
    sentences.push(<Filled text={t("evPurchase")} values={at} />);
    if (evidence.purchases_last_hour !== undefined && evidence.purchases_per_hour !== undefined) {
      const limit = formatNumber(language, evidence.purchases_per_hour);
      sentences.push(<Filled text={t("evBusy")} values={{ nth: nth(language, evidence.purchases_last_hour), card: card(), limit }} />);
    }
    const other = evidence.other_store;
    if (other) {
      // The tills' clocks say which came first; the API gives how far apart either way.
      const earlier = Date.parse(evidence.pos_time) < Date.parse(other.pos_time);
      const order = other.minutes_apart === 0 ? "evSameMinute" : earlier ? "evBefore" : "evAfter";
      sentences.push(
        <Filled
          text={t(order)}
          values={{
            store: store(evidence.store),
            minutes: duration(language, other.minutes_apart),
            other: store(other.store),
            limit: duration(language, other.other_store_minutes),
          }}
        />,
      );
    }
  } else if (signal.kind === "redemption_after_enrolment") {
    const evidence = signal.evidence;
    const spent = [
      ...(evidence.points_redeemed > 0 ? [counted(language, evidence.points_redeemed, "pointsOne", "pointsMany")] : []),
      ...(evidence.cashback_spent > 0
        ? [fill(t("cashback"), { amount: formatMoney(language, evidence.cashback_spent, currencyOf(program)) })]
        : []),
    ];
    sentences.push(
      <Filled text={t("evEnrolment")} values={{ purchase: purchase(evidence.purchase_id), time: time(evidence.enrolled_at) }} />,
    );
    sentences.push(
      fill(t("evSpent"), {
        spent: formatList(language, spent),
        after: duration(language, evidence.minutes_after_enrolment),
        within: counted(language, evidence.within_hours, "hoursOne", "hoursMany"),
      }),
    );
  } else if (signal.kind === "return_cycling" || signal.kind === "spent_points_returned") {
    const evidence = signal.evidence;
    const points = (n: number) => counted(language, n, "pointsOne", "pointsMany");
    sentences.push(
      fill(t(evidence.void ? "evVoided" : "evReturned"), {
        return: digits(language, String(evidence.return_id)),
        purchase: purchase(evidence.purchase_id),
        points: points(evidence.points_taken_back),
      }),
    );
    if (signal.kind === "return_cycling") {
      const cycling = signal.evidence;
      sentences.push(
        fill(t("evCycling"), {
          nth: nth(language, cycling.returns_in_window),
          days: counted(language, cycling.days, "daysOne", "daysMany"),
          limit: formatNumber(language, cycling.returns),
        }),
      );
    } else {
      const spent = signal.evidence;
      sentences.push(
        fill(t("evSpentBack"), { spent: points(spent.points_already_spent), limit: formatNumber(language, spent.points_min) }),
      );
    }
  } else if (signal.kind === "staff_adjustment") {
    const evidence = signal.evidence;
    const points = (n: number) => counted(language, Math.abs(n), "pointsOne", "pointsMany");
    // Drawn anew in each sentence that names them, as a card is: a name in Latin letters keeps its
    // place in a Persian sentence.
    const staff = () => <bdi>{evidence.staff}</bdi>;
    if (evidence.points_over !== undefined) {
      sentences.push(
        <Filled
          text={t("evGrant")}
          values={{ staff: staff(), points: points(evidence.points), limit: formatNumber(language, evidence.points_over) }}
        />,
      );
    }
    if (evidence.adjustments_today !== undefined && evidence.per_user_per_day !== undefined) {
      // Counted on the adjustments of a UTC day: a deduction is one too.
      const change = fill(t(evidence.points < 0 ? "adjTaken" : "adjGranted"), { points: points(evidence.points) });
      sentences.push(
        <Filled
          text={t("evAdjustments")}
          values={{
            nth: nth(language, evidence.adjustments_today),
            staff: staff(),
            limit: formatNumber(language, evidence.per_user_per_day),
            change,
          }}
        />,
      );
    }
  } else if (signal.kind === "claim_harvesting") {
    const evidence = signal.evidence;
    // The claimed receipt's till, unless the claim failed: drawn anew in each sentence that names it.
    const { store: storeCode, terminal, address_digest: digest } = evidence;
    const till =
      storeCode !== undefined && terminal !== undefined ? () => ({ store: store(storeCode), terminal: store(terminal) }) : null;
    const counts = {
      nth: nth(language, evidence.claims),
      hours: counted(language, api.claimHours, "hoursOne", "hoursMany"),
      limit: formatNumber(language, evidence.threshold),
    };
    // What the claims were counted on, in a sentence: none for a subject this page has no sentence
    // for yet, or evidence without what its sentence names.
    let counting: ComponentChildren = null;
    if (evidence.subject === "member") counting = fill(t("evClaimsMember"), counts);
    else if (evidence.subject === "failed") counting = fill(t("evClaimsFailed"), counts);
    else if (evidence.subject === "address" && digest !== undefined) {
      // Hex digits, matched from signal to signal as they are: never in Persian digits.
      const hex = (
        <bdi class="digest" dir="ltr">
          {digest}
        </bdi>
      );
      counting = <Filled text={t("evClaimsAddress")} values={{ ...counts, digest: hex }} />;
    } else if (evidence.subject === "terminal" && till) {
      counting = <Filled text={t("evClaimsTill")} values={{ ...counts, ...till() }} />;
    }
    if (counting === null) return <EvidenceFields language={language} evidence={evidence} />;
    if (evidence.purchase_id !== undefined) {
      const claimed = purchase(evidence.purchase_id);
      sentences.push(
        till ? (
          <Filled text={t("evClaimed")} values={{ purchase: claimed, ...till() }} />
        ) : (
          fill(t("evClaimedPurchase"), { purchase: claimed })
        ),
      );
    }
    sentences.push(counting);
  } else if (signal.kind === "terminal_outlier") {
    const evidence = signal.evidence;
    const currency = currencyOf(program);
    // Each measure in its words, what the till gave of it within the hour, its usual hour and the
    // policy's least amount (none when the policy does not watch it).
    const measures = {
      points: {
        words: (n: number) => counted(language, n, "pointsOne", "pointsMany"),
        given: evidence.points,
        usual: evidence.usual_points_per_hour,
        least: evidence.points_min,
      },
      cashback: {
        words: (minor: number) => fill(t("cashbackGiven"), { amount: formatMoney(language, minor, currency) }),
        given: evidence.cashback,
        usual: evidence.usual_cashback_per_hour,
        least: evidence.cashback_min,
      },
    };
    // What the till gave: each measure it gave any of (its points, if none).
    const given = api.outlierMeasures.flatMap((measure) => {
      const { words, given: amount } = measures[measure];
      return amount > 0 ? [words(amount)] : [];
    });
    sentences.push(
      <Filled
        text={t("evOutlierHour")}
        values={{
          store: store(evidence.store),
          terminal: store(evidence.terminal),
          given: formatList(language, given.length > 0 ? given : [measures.points.words(0)]),
          purchases: counted(language, evidence.purchases, "purchasesOne", "purchasesMany"),
          from: time(evidence.from),
          until: time(evidence.until),
        }}
      />,
    );
    // The measures that raised it, each with the least amount the policy gave it.
    const over = api.outlierMeasures.flatMap((measure) => {
      const { words, usual, least } = measures[measure];
      return evidence.over.includes(measure) && least !== undefined ? [{ words, usual, least }] : [];
    });
    const days = counted(language, evidence.history_days, "daysOne", "daysMany");
    if (evidence.history_hours > 0) {
      for (const { words, usual, least } of over) {
        sentences.push(
          fill(t("evOutlierUsual"), {
            usual: words(usual),
            hours: counted(language, evidence.history_hours, "hoursOne", "hoursMany"),
            days,
            times: formatNumber(language, evidence.times_usual),
            min: words(least),
          }),
        );
      }
    } else if (over.length > 0) {
      // A till without history is measured by the least amounts alone: either is enough.
      const least = over.map(({ words, least }) => fill(t("orMore"), { amount: words(least) }));
      const either = least.length < 2 ? least.join("") : fill(t("sumEither"), { a: least[0]!, b: least[1]! });
      sentences.push(fill(t("evOutlierNew"), { days, min: either }));
    }
  } else if (signal.kind === "trigger") {
    const evidence = signal.evidence;
    // Its page, for the roles that may open the configure section's screens.
    const name = <bdi>{evidence.trigger}</bdi>;
    const opens = sections.find((section) => section.path === "configure")!.roles.includes(role);
    const trigger = opens ? <Link to={`/console/configure/triggers/${evidence.trigger_id}`}>{name}</Link> : name;
    // The window as its firings keep it: a period's first day or a rolling window's day, or the
    // lapse after a last purchase ("after 2026-10-19 10:22:33.123456", in UTC).
    const lapse = /^after (\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})/.exec(evidence.window);
    const day = /^\d{4}-\d{2}-\d{2}$/.test(evidence.window);
    const fired = lapse ? time(`${lapse[1]}T${lapse[2]}Z`) : day ? formatDate(language, evidence.window) : <bdi>{evidence.window}</bdi>;
    sentences.push(<Filled text={t(lapse ? "evTriggerLapse" : "evTrigger")} values={{ trigger, window: fired }} />);
  } else {
    return <EvidenceFields language={language} evidence={(signal as api.Signal).evidence} />;
  }
  return (
    <ul class="evidence" data-testid="evidence">
      {sentences.map((sentence, index) => (
        <li key={index}>{sentence}</li>
      ))}
    </ul>
  );
}

// What the signal is now: its state, whose, when raised, what the policy did and does still,
// and its review once decided.
function Facts({ language, signal, program, role }: Shown<api.SignalWithEffects>) {
  const t = (key: WordKey) => word(language, key);
  const when = (at: string) => <When language={language} at={at} timeZone={program.time_zone} />;
  return (
    <dl class="signal-facts" data-testid="signal-facts">
      <div>
        <dt>{t("state")}</dt>
        <dd data-testid="signal-state">
          <SignalState language={language} state={signal.state} />
        </dd>
      </div>
      <div>
        <dt>{t("member")}</dt>
        <dd>
          <MemberNumber language={language} id={signal.member_id} role={role} />
        </dd>
      </div>
      <div>
        <dt>{t("raised")}</dt>
        <dd>{when(signal.raised_at)}</dd>
      </div>
      <div>
        <dt>{t("actionTaken")}</dt>
        <dd>{t(`taken_${signal.action}`)}</dd>
      </div>
      <div>
        <dt>{t("pointsHeld")}</dt>
        <dd data-testid="points-held">{formatNumber(language, signal.points_held)}</dd>
      </div>
      <div>
        <dt>{t("blockedCards")}</dt>
        <dd data-testid="blocked-cards">
          {signal.blocked_cards_last4.length === 0 ? (
            t("none")
          ) : (
            <span class="card-numbers" dir="ltr">
              {signal.blocked_cards_last4.map((last4) => `••••${last4}`).join(", ")}
            </span>
          )}
        </dd>
      </div>
      {signal.state === "confirmed" && (
        <div>
          <dt>{t("pointsForfeited")}</dt>
          <dd data-testid="points-forfeited">{formatNumber(language, signal.points_forfeited)}</dd>
        </div>
      )}
      {signal.reviewed_at && (
        <div>
          <dt>{t("decision")}</dt>
          <dd data-testid="decided">
            <Filled
              text={t("decidedBy")}
              values={{ state: t(`state_${signal.state}`), who: <bdi>{signal.reviewed_by}</bdi>, when: when(signal.reviewed_at) }}
            />
          </dd>
        </div>
      )}
      {signal.review_note && (
        <div>
          <dt>{t("note")}</dt>
          {/* In whatever language the reviewer wrote it: it takes its own direction. */}
          <dd dir="auto" data-testid="review-note">
            {signal.review_note}
          </dd>
        </div>
      )}
    </dl>
  );
}

// The review of an open signal: a decision, each said in a sentence, and a note. Confirming
// forfeits the points the signal holds and keeps the cards blocked, which cannot be undone: it
// asks first. Another reviewer's decision made meanwhile is shown instead of a refusal.
function Decision({ language, signal, decided }: {
  language: Language;
  signal: api.SignalWithEffects;
  decided: (reviewed: api.SignalWithEffects, said: string) => void;
}) {
  const t = (key: WordKey) => word(language, key);
  const [decision, setDecision] = useState<api.Decision>();
  const [note, setNote] = useState("");
  const [asking, setAsking] = useState(false);
  const { busy, refusal, setRefusal, act } = useAction();
  const problems = fieldProblems(language, refusal);
  const labels = { decision: t("decision"), note: t("reviewNote") };
  // Choosing a decision answers a refusal for having none: it is not said any more.
  const choose = (chosen: api.Decision) => {
    setDecision(chosen);
    if (problems.has("decision")) setRefusal(null);
  };

  const send = () =>
    act(async () => {
      if (decision === undefined) throw refusedHere(["decision"], t("chooseDecision"));
      try {
        decided(await api.review(signal.id, decision, note), t(`said_${decision}`));
      } catch (error) {
        if (!(error instanceof ApiError && error.problem.code === "NOT_AVAILABLE")) throw error;
        decided(await api.signal(String(signal.id)), t("decidedAlready"));
      }
    });
  const submit = (event: Event) => {
    event.preventDefault();
    if (decision === "confirm") setAsking(true);
    else void send();
  };
  return (
    <section class="card" aria-labelledby="review-title">
      <h2 id="review-title">{t("reviewTitle")}</h2>
      <form class="review" onSubmit={submit} aria-busy={busy} noValidate>
        <Choice
          legend={t("decision")}
          name="decision"
          options={api.decisions.map((value) => ({
            value,
            name: t(`decisionName_${value}`),
            // A till's signal is about nobody: it holds no points and blocked no cards.
            why: t(signal.member_id === null ? `decisionWhyNone_${value}` : `decisionWhy_${value}`),
          }))}
          chosen={decision}
          choose={choose}
          problem={problems.get("decision")}
        />
        <Labelled label={t("reviewNote")} hint={t("noteHint")} problem={problems.get("note")}>
          {(control) => (
            <textarea
              class="note"
              name="note"
              dir="auto"
              rows={3}
              maxLength={500}
              value={note}
              onInput={(event) => setNote(event.currentTarget.value)}
              {...control}
            />
          )}
        </Labelled>
        <Outcome language={language} status={null} refusal={refusal} refused={explain(language, refusal, labels)} />
        <div class="actions">
          <button type="submit" class={decision === "confirm" ? "primary danger" : "primary"} disabled={busy}>
            {t("recordDecision")}
          </button>
        </div>
      </form>
      {asking && (
        <Confirm
          title={t("confirmTitle")}
          confirm={t("decisionName_confirm")}
          cancel={t("cancel")}
          onConfirm={() => void send()}
          onClose={() => setAsking(false)}
        >
          <p>
            {signal.member_id === null
              ? t("confirmQuestionNone")
              : fill(t("confirmQuestion"), { points: formatNumber(language, signal.points_held) })}
          </p>
        </Confirm>
      )}
    </section>
  );
}

export function SignalPage({ language, session, program, id }: PageProps & { id: string }) {
  const t = (key: WordKey) => word(language, key);
  const [signal, setSignal] = useState<api.SignalWithEffects | null>(null);
  const [refusal, setRefusal] = useState<unknown>(null);
  const [said, setSaid] = useState("");
  // The section draws a page of its own for each signal: nothing of another one's is shown here.
  useEffect(() => {
    api.signal(id).then(setSignal, setRefusal);
  }, []);

  if (!signal) {
    const missing = refusal instanceof ApiError && refusal.status === 404;
    return (
      <section class="card" aria-busy={refusal === null}>
        <h2>{t("signal")}</h2>
        {refusal === null ? <p>{t("loading")}</p> : <p role="alert">{missing ? t("noSuchSignal") : explain(language, refusal)}</p>}
        <Link to={address}>{t("backToQueue")}</Link>
      </section>
    );
  }
  return (
    <>
      <section class="card" aria-labelledby="signal-title" data-testid="signal">
        <h2 id="signal-title">
          {fill(t("signalTitle"), { id: digits(language, String(signal.id)), kind: kindWords(language, signal.kind) })}
        </h2>
        <p class="notice" role="status" data-testid="said">
          {said}
        </p>
        <Facts language={language} signal={signal} program={program} role={session.role} />
        <h3>{t("evidence")}</h3>
        <Evidence language={language} signal={signal} program={program} role={session.role} />
        {signal.state === "open" && !reviews(session.role) && <p class="muted">{t("readsOnly")}</p>}
        <div class="actions">
          <Link to={address}>{t("backToQueue")}</Link>
        </div>
      </section>
      {signal.state === "open" && reviews(session.role) && (
        <Decision
          language={language}
          signal={signal}
          decided={(reviewed, words) => {
            setSignal(reviewed);
            setSaid(words);
          }}
        />
      )}
    </>
  );
}
