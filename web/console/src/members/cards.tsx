// A member's cards (GET /v1/members/:id/cards) with what support does to them: block, unblock,
// report lost (POST /v1/cards/:number/state) and replace (POST /v1/cards/:number/replacement),
// each with the reason the API requires and the audit keeps. Closed and replaced cards are final.
import { Field } from "@patron/common/field";
import { formatDate, type Language } from "@patron/common/i18n";
import { fieldProblems } from "@patron/common/problems";
import { useState } from "preact/hooks";

import { useAction } from "../action";
import * as api from "./api";
import type { MemberProps } from "./member";
import { Dialog, Refusal } from "./shared";
import { word, type MemberWordKey } from "./words";

type CardAction = "block" | "unblock" | "lose" | "replace";

const states: Record<api.CardState, MemberWordKey> = {
  active: "cardActive",
  blocked: "cardBlocked",
  lost: "cardLost",
  replaced: "cardReplaced",
  closed: "cardClosed",
};

// What may be done to a card in each state.
const actionsFor: Record<api.CardState, CardAction[]> = {
  active: ["block", "lose", "replace"],
  blocked: ["unblock", "lose", "replace"],
  lost: ["unblock", "replace"],
  replaced: [],
  closed: [],
};

const actionWords: Record<CardAction, { button: MemberWordKey; title: MemberWordKey; done: MemberWordKey }> = {
  block: { button: "block", title: "blockTitle", done: "blocked" },
  unblock: { button: "unblock", title: "unblockTitle", done: "unblocked" },
  lose: { button: "lose", title: "loseTitle", done: "reportedLost" },
  replace: { button: "replace", title: "replaceTitle", done: "replaced" },
};

const nextState: Record<Exclude<CardAction, "replace">, api.CardState> = {
  block: "blocked",
  unblock: "active",
  lose: "lost",
};

function CardChange({ language, card, action, onDone, onClose }: {
  language: Language;
  card: api.Card;
  action: CardAction;
  onDone: (said: string) => void;
  onClose: () => void;
}) {
  const [reason, setReason] = useState("");
  const { refusal, busy, submitting } = useAction();
  const t = (key: MemberWordKey) => word(language, key);
  const problems = fieldProblems(language, refusal);
  const submit = submitting(async () => {
    if (action === "replace") {
      const replacement = await api.replaceCard(card.number, reason);
      onDone(`${t("replaced")} ${card.number} ${t("towards")} ${replacement.number}`);
    } else {
      await api.setCardState(card.number, nextState[action], reason);
      onDone(`${t(actionWords[action].done)} ${card.number}`);
    }
  });
  return (
    <Dialog title={t(actionWords[action].title)} onClose={onClose}>
      <form class="stacked" onSubmit={submit} aria-busy={busy} noValidate>
        <p>
          {t("card")}{" "}
          <span class="code" dir="ltr">
            {card.number}
          </span>
        </p>
        <Field label={t("reason")} value={reason} set={setReason} autocomplete="off" required
          problem={problems.get("reason")} />
        <Refusal language={language} error={problems.size ? null : refusal} />
        <div class="buttons">
          <button type="submit" class={action === "unblock" ? "primary" : "primary danger"} disabled={busy}>
            {t(actionWords[action].button)}
          </button>
          <button type="button" onClick={onClose}>
            {t("cancel")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function Cards({ language, program, changed, cards, active }: MemberProps & { cards: api.Card[]; active: boolean }) {
  const [open, setOpen] = useState<{ card: api.Card; action: CardAction } | null>(null);
  const t = (key: MemberWordKey) => word(language, key);
  const zone = program?.time_zone;
  return (
    <section class="card wide" aria-labelledby="cards-title" data-testid="cards">
      <h3 id="cards-title">{t("cards")}</h3>
      {cards.length === 0 && <p class="muted">{t("none")}</p>}
      <ul class="cards">
        {cards.map((card) => (
          <li key={card.number} data-testid={`card-${card.number}`}>
            <p>
              <span class="code" dir="ltr">
                {card.number}
              </span>{" "}
              <span class={`state ${card.state}`} data-testid="card-state">
                {t(states[card.state])}
              </span>
              {card.primary && <span class="state primary-card">{t("primary")}</span>}
            </p>
            <p class="muted">
              {t(card.kind === "physical" ? "physical" : "virtual")}
              {card.issued_at && ` · ${t("issued")} ${formatDate(language, card.issued_at, zone)}`}
              {card.state_reason && (
                <>
                  {` · ${t("lastReason")} `}
                  <bdi>{card.state_reason}</bdi>
                </>
              )}
            </p>
            {active && actionsFor[card.state].length > 0 && (
              <div class="buttons">
                {actionsFor[card.state].map((action) => (
                  <button type="button" key={action} class={action === "unblock" ? undefined : "danger"}
                    aria-label={`${t(actionWords[action].button)} ${card.number}`} onClick={() => setOpen({ card, action })}>
                    {t(actionWords[action].button)}
                  </button>
                ))}
              </div>
            )}
          </li>
        ))}
      </ul>
      {open && (
        <CardChange language={language} card={open.card} action={open.action} onClose={() => setOpen(null)}
          onDone={(said) => {
            setOpen(null);
            changed(said);
          }} />
      )}
    </section>
  );
}
