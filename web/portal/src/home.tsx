// The member's home: what they hold at a glance, with the codes to show at the till.
import { useEffect, useState } from "preact/hooks";

import { currencyOf, digits, formatDate, formatMoney, formatNumber, type Language } from "@patron/common/i18n";

import * as api from "./api";
import { AwaitingRatings } from "./feedback";
import { pointsText, word, type WordKey } from "./i18n";
import { explain } from "./problems";
import { Code128, QrCode } from "./scan";

interface Props {
  language: Language;
}

// Calls `load` once. A refused token is not this page's to explain: the portal signs out then
// (api.whenSessionEnds).
export function useMemberData<T>(load: () => Promise<T>, language: Language) {
  const [data, setData] = useState<T | null>(null);
  const [message, setMessage] = useState("");
  useEffect(() => {
    load().then(setData, (error) => setMessage(explain(language, error)));
  }, []);
  return { data, message, setData };
}

// Points by the local day something happens to them ("20 points — available from 7 Dec").
function DatedPoints({ language, lots, said, zone, testId }: {
  language: Language;
  lots: { points: number; on: string }[];
  said: string;
  zone?: string;
  testId: string;
}) {
  if (lots.length === 0) return null;
  return (
    <ul class="dated" data-testid={testId}>
      {lots.map((lot) => (
        <li key={lot.on}>
          {pointsText(language, lot.points)} — {said} {formatDate(language, lot.on, zone)}
        </li>
      ))}
    </ul>
  );
}

function Points({ language, balance }: { language: Language; balance: api.Balance }) {
  const t = (key: WordKey) => word(language, key);
  const points = balance.points;
  const zone = balance.time_zone;
  return (
    <section class="card points" aria-labelledby="points-title">
      <h2 id="points-title">{t("available")}</h2>
      <p class="figure" data-testid="points-available">
        {formatNumber(language, points.available)}
      </p>
      <p>
        {t("pending")}: <span data-testid="points-pending">{formatNumber(language, points.pending)}</span>
      </p>
      <DatedPoints language={language} testId="pending-lots" zone={zone} said={t("pendingUntil")}
        lots={(points.pending_lots ?? []).map((lot) => ({ points: lot.points, on: lot.available_on }))} />
      {/* Pending points a fraud signal holds have no date: they wait for staff to review it. The
          member reads of a check, never of fraud. */}
      {(points.held_for_review ?? 0) > 0 && (
        <p data-testid="points-held-for-review">
          {pointsText(language, points.held_for_review!)} {t("heldForReview")}
        </p>
      )}
      <h3>{t("expiringSoon")}</h3>
      {(points.expiring ?? []).length === 0 && <p class="muted">{t("nothingExpiring")}</p>}
      <DatedPoints language={language} testId="expiring" zone={zone} said={t("expiresOn")}
        lots={(points.expiring ?? []).map((lot) => ({ points: lot.points, on: lot.expires_on }))} />
    </section>
  );
}

function Tier({ language, balance }: { language: Language; balance: api.Balance }) {
  const t = (key: WordKey) => word(language, key);
  const tier = balance.tier;
  const next = tier.next;
  const qualifying = tier.qualifying ?? 0;
  const amount = (value: number) =>
    tier.measure === "amount"
      ? formatMoney(language, value, currencyOf(balance.cashback))
      : formatNumber(language, value);
  return (
    <section class="card" aria-labelledby="tier-title">
      <h2 id="tier-title">{t("tier")}</h2>
      <p class="figure" data-testid="tier">
        {tier.name}
      </p>
      {next ? (
        <>
          <progress
            data-testid="tier-progress"
            max={next.threshold}
            value={Math.min(qualifying, next.threshold)}
            aria-label={`${t("nextTier")} ${next.name}`}
          />
          <p data-testid="tier-needed">
            {/* The marketer's names may be Latin in a Persian page: isolated, they keep their place. */}
            {t("nextTier")} <bdi>{next.name}</bdi>: {amount(next.needed)} {t("toGo")}
          </p>
        </>
      ) : (
        next === null && <p>{t("topTier")}</p>
      )}
      {tier.secured_until && (
        <p class="muted">
          {t("securedUntil")} {formatDate(language, tier.secured_until, balance.time_zone)}
        </p>
      )}
    </section>
  );
}

// What a full card gives, in the marketer's words when they gave some.
function rewardText(language: Language, card: api.StampCard, currency: ReturnType<typeof currencyOf>): string {
  if (card.reward.label) return card.reward.label;
  if (card.reward.points !== null) return pointsText(language, card.reward.points);
  if (card.reward.cashback != null) return `${formatMoney(language, card.reward.cashback, currency)} ${word(language, "cashbackUnit")}`;
  return word(language, "aCoupon");
}

// What an item of a collection is on the card: collected, not yet, or owed (a return took it back
// after the reward it completed was used: it counts again once bought that many times more).
function itemState(language: Language, item: api.CollectionItem): string {
  if (item.held) return word(language, "itemHeld");
  if (item.owed <= 0) return word(language, "itemMissing");
  if (item.owed === 1) return word(language, "owedOnce");
  return word(language, "owedMany").replace("{n}", formatNumber(language, item.owed));
}

// A collection's set, item by item in its order: a check mark and words for each item held, an
// empty mark and words for each still missing; never colour alone.
function CollectionItems({ language, card, count }: { language: Language; card: api.StampCard; count: string }) {
  return (
    <ul class="collection" aria-label={count}>
      {(card.items ?? []).map((item) => {
        const state = item.held ? "held" : item.owed > 0 ? "owed" : "missing";
        return (
          <li
            key={item.id}
            class={`collection-item ${state}`}
            data-testid={`collection-item-${card.card_id}-${item.id}`}
            data-held={item.held ? "true" : "false"}
          >
            <span class="mark" aria-hidden="true">
              {item.held ? "\u2713" : ""}
            </span>
            <span class="item-text">
              <bdi class="item-name">{item.name}</bdi>{" "}
              <span class="item-state">{itemState(language, item)}</span>
            </span>
          </li>
        );
      })}
    </ul>
  );
}

function StampCards({ language, cards, timeZone, currency }: {
  language: Language;
  cards: api.StampCard[];
  timeZone?: string;
  currency: ReturnType<typeof currencyOf>;
}) {
  const t = (key: WordKey) => word(language, key);
  if (cards.length === 0) return null;
  return (
    <section class="card" aria-labelledby="stamps-title">
      <h2 id="stamps-title">{t("stampCards")}</h2>
      {cards.map((card) => {
        // A collection counts the items held of its set ("2 of 5 items"; a set has 2 or more), a
        // card its stamps of its goal.
        const collection = card.basis === "collection" && card.items !== undefined;
        const count = collection
          ? `${formatNumber(language, card.count)} ${t("countOf")} ${formatNumber(language, card.goal)} ${t("itemsUnit")}`
          : `${formatNumber(language, card.count)} ${t(card.count === 1 ? "stampOf" : "stampsOf")} ${formatNumber(language, card.goal)}`;
        return (
          <div class={collection ? "stamp-card collection-card" : "stamp-card"} key={card.card_id} data-testid={`stamp-card-${card.card_id}`}>
            <h3>
              <bdi>{card.name}</bdi>
            </h3>
            {collection ? (
              <CollectionItems language={language} card={card} count={count} />
            ) : (
              <ol class="stamps" aria-label={count}>
                {Array.from({ length: card.goal }, (_, index) => (
                  <li key={index} class={index < card.count ? "stamp filled" : "stamp"} />
                ))}
              </ol>
            )}
            <p data-testid={`stamp-count-${card.card_id}`}>{count}</p>
            <p data-testid={`stamp-reward-${card.card_id}`}>
              {t("reward")}: <bdi>{rewardText(language, card, currency)}</bdi>
            </p>
            {card.valid_until && (
              <p class="muted">
                {t("validUntil")} {formatDate(language, card.valid_until, timeZone)}
              </p>
            )}
          </div>
        );
      })}
    </section>
  );
}

const couponStates: Record<api.Coupon["state"], WordKey> = {
  assigned: "couponAssigned",
  redeemed: "couponRedeemed",
  expired: "couponExpired",
};

function Coupons({ language, balance }: { language: Language; balance: api.Balance }) {
  const t = (key: WordKey) => word(language, key);
  const coupons = balance.coupons ?? [];
  return (
    <section class="card" aria-labelledby="coupons-title">
      <h2 id="coupons-title">{t("coupons")}</h2>
      {coupons.length === 0 && <p class="muted">{t("noCoupons")}</p>}
      {coupons.map((coupon) => (
        <article class={`coupon ${coupon.state}`} key={coupon.code} data-testid={`coupon-${coupon.code}`}>
          <h3>{coupon.name}</h3>
          <p class="code" dir="ltr">
            {coupon.code}
          </p>
          <p>
            {t(couponStates[coupon.state])}
            {coupon.valid_until && ` — ${t("validUntil")} ${formatDate(language, coupon.valid_until, balance.time_zone)}`}
            {coupon.min_basket
              ? ` — ${t("minimumBasket")} ${formatMoney(language, coupon.min_basket, currencyOf(balance.cashback))}`
              : ""}
          </p>
          {coupon.state === "assigned" && <QrCode value={coupon.scan.qr} label={`QR ${coupon.code}`} />}
        </article>
      ))}
    </section>
  );
}

function MemberCard({ language, card }: { language: Language; card: { number: string; scan: api.Scan } }) {
  const t = (key: WordKey) => word(language, key);
  return (
    <section class="card member-card" aria-labelledby="card-title">
      <h2 id="card-title">{t("myCard")}</h2>
      <p class="code" dir="ltr" data-testid="card-number">
        {digits("en", card.number)}
      </p>
      <Code128 value={card.scan.code128 ?? card.number} label={`Code 128 ${card.number}`} />
      <QrCode value={card.scan.qr} label={`QR ${card.number}`} />
      <p class="muted">{t("showAtTill")}</p>
    </section>
  );
}

export function Home({ language }: Props) {
  const { data: balance, message } = useMemberData(api.balance, language);
  const t = (key: WordKey) => word(language, key);
  if (message) return <p class="message" role="alert">{message}</p>;
  if (!balance) return <p class="loading">{t("loading")}</p>;
  return (
    <div class="home">
      <Points language={language} balance={balance} />
      <Tier language={language} balance={balance} />
      <section class="card" aria-labelledby="cashback-title">
        <h2 id="cashback-title">{t("cashback")}</h2>
        <p class="figure" data-testid="cashback">
          {formatMoney(language, balance.cashback.amount, currencyOf(balance.cashback))}
        </p>
      </section>
      <StampCards language={language} cards={balance.stamps ?? []} timeZone={balance.time_zone} currency={currencyOf(balance.cashback)} />
      <Coupons language={language} balance={balance} />
      {balance.card && <MemberCard language={language} card={balance.card} />}
      <AwaitingRatings language={language} />
    </div>
  );
}
