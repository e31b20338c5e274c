// A member's page: who they are (as the API answers staff: decrypted for admin and support, the
// only roles that may read members), their cards, balances, tier, stamp cards, coupons, wallet,
// referrals and history, and what support does for them. Every change reloads what it may have
// changed.
import { currencyOf, digits, formatDate, formatMoney, formatNumber, type Language } from "@patron/common/i18n";
import type { CollectionItem } from "@patron/common/member_documents";
import { useState } from "preact/hooks";

import type { ProgramSettings, StaffSession } from "../api";
import { Link } from "../shell";
import * as api from "./api";
import { Cards } from "./cards";
import { AdjustPoints, ClaimReceipt } from "./changes";
import { MemberAudit } from "./audit";
import { History } from "./history";
import { Merge } from "./merge";
import { Erase, Export } from "./record";
import { Referrals } from "./referrals";
import { Refusal, useAnswer } from "./shared";
import { word, type MemberWordKey } from "./words";

export interface MemberProps {
  language: Language;
  program: ProgramSettings | null;
  id: number;
  // Says what an action did, and has everything it may have changed loaded again.
  changed: (said: string) => void;
}

const genders: Record<string, MemberWordKey> = { female: "female", male: "male", other: "otherGender" };
const statuses: Record<api.Member["status"], MemberWordKey> = {
  active: "statusActive",
  erased: "statusErased",
  merged: "statusMerged",
};

function Profile({ language, program, member }: { language: Language; program: ProgramSettings | null; member: api.Member }) {
  const t = (key: MemberWordKey) => word(language, key);
  const consent = (given: api.Consent) =>
    given.granted ? `${t("yes")}${given.at ? ` (${formatDate(language, given.at, program?.time_zone)})` : ""}` : t("no");
  const rows: [MemberWordKey, string | null | undefined, boolean?][] = [
    ["phone", member.phone, true],
    ["email", member.email, true],
    ["birthDate", member.birth_date && formatDate(language, member.birth_date)],
    ["memberLanguage", member.language && t(member.language === "fa" ? "persian" : "english")],
    ["gender", member.gender && t(genders[member.gender] ?? "otherGender")],
    ["city", member.city],
    ["postalCode", member.postal_code, true],
    ["marketingSms", consent(member.consents.marketing_sms)],
    ["marketingEmail", consent(member.consents.marketing_email)],
  ];
  return (
    <section class="card" aria-labelledby="profile-title" data-testid="profile">
      <h3 id="profile-title">{t("profile")}</h3>
      {member.full_name === undefined ? (
        <p class="muted">{t("shredded")}</p>
      ) : (
        <dl class="facts">
          {rows.map(([label, value, latin]) => (
            <div key={label}>
              <dt>{t(label)}</dt>
              <dd dir={latin && value ? "ltr" : undefined}>{value || "—"}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

function Balances({ language, balance }: { language: Language; balance: api.Balance }) {
  const t = (key: MemberWordKey) => word(language, key);
  const points = balance.points;
  return (
    <section class="card" aria-labelledby="balances-title" data-testid="balances">
      <h3 id="balances-title">{t("balances")}</h3>
      <dl class="figures">
        <div>
          <dt>{t("pointsAvailable")}</dt>
          <dd data-testid="points-available">{formatNumber(language, points.available)}</dd>
        </div>
        <div>
          <dt>{t("pointsPending")}</dt>
          <dd data-testid="points-pending">{formatNumber(language, points.pending)}</dd>
        </div>
        {/* Of those pending, the points a fraud signal holds: said only when there are some. */}
        {(points.held_for_review ?? 0) > 0 && (
          <div>
            <dt>{t("pointsHeldForReview")}</dt>
            <dd data-testid="points-held-for-review">{formatNumber(language, points.held_for_review!)}</dd>
          </div>
        )}
        <div>
          <dt>{t("wallet")}</dt>
          <dd data-testid="wallet">{formatMoney(language, balance.cashback.amount, currencyOf(balance.cashback))}</dd>
        </div>
      </dl>
      {(points.expiring ?? []).length > 0 && (
        <>
          <h4>{t("expiring")}</h4>
          <ul class="plain">
            {points.expiring!.map((lot) => (
              <li key={lot.expires_on}>
                {formatNumber(language, lot.points)} {t("pointsUnit")} — {formatDate(language, lot.expires_on)}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

const tierReasons: Record<api.MemberTier["history"][number]["reason"], MemberWordKey> = {
  upgrade: "upgrade",
  downgrade: "downgrade",
  kept: "kept",
};

function Tier({ language, program, tier }: { language: Language; program: ProgramSettings | null; tier: api.MemberTier }) {
  const t = (key: MemberWordKey) => word(language, key);
  const zone = program?.time_zone;
  const next = tier.progress.next;
  const measure = (value: number) =>
    tier.progress.measure === "amount" && program
      ? formatMoney(language, value, currencyOf(program))
      : formatNumber(language, value);
  return (
    <section class="card" aria-labelledby="tier-title" data-testid="tier">
      <h3 id="tier-title">{t("tier")}</h3>
      <p class="figure">
        <bdi>{tier.tier.name || "—"}</bdi>
      </p>
      {tier.tier.secured_until && (
        <p>
          {t("securedUntil")} {formatDate(language, tier.tier.secured_until, zone)}
        </p>
      )}
      {next && (
        <p>
          {t("toNextTier")} <bdi>{next.name}</bdi>: {measure(next.missing)}
          {next.by && ` ${t("by")} ${formatDate(language, next.by, zone)}`}
        </p>
      )}
      {tier.history.length > 0 && (
        <ul class="plain">
          {tier.history.slice(0, 5).map((change) => (
            <li key={`${change.at}-${change.to}`}>
              {formatDate(language, change.at, zone)}: {t(tierReasons[change.reason])} <bdi>{change.from}</bdi> {t("towards")}{" "}
              <bdi>{change.to}</bdi>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

// A collection's items the member's card lacks, and those she owes (a return took them back after
// the reward they completed was used), by name.
function CollectionItems({ language, items }: { language: Language; items: CollectionItem[] }) {
  const t = (key: MemberWordKey) => word(language, key);
  const missing = items.filter((item) => !item.held);
  const owed = items.filter((item) => item.owed > 0);
  const names = (list: CollectionItem[], count: boolean) =>
    list.map((item) => (count && item.owed > 1 ? `${item.name} (${formatNumber(language, item.owed)})` : item.name)).join(language === "fa" ? "، " : ", ");
  return (
    <>
      {missing.length > 0 && (
        <div class="muted" data-testid="collection-missing">
          {t("itemsMissing")}: <bdi>{names(missing, false)}</bdi>
        </div>
      )}
      {owed.length > 0 && (
        <div class="muted">
          {t("itemsOwed")}: <bdi>{names(owed, true)}</bdi>
        </div>
      )}
    </>
  );
}

function StampCards({ language, balance }: { language: Language; balance: api.Balance }) {
  const t = (key: MemberWordKey) => word(language, key);
  return (
    <section class="card" aria-labelledby="stamps-title" data-testid="stamp-cards">
      <h3 id="stamps-title">{t("stampCards")}</h3>
      {(balance.stamps ?? []).length === 0 && <p class="muted">{t("none")}</p>}
      <ul class="plain">
        {(balance.stamps ?? []).map((card) => (
          <li key={card.card_id}>
            <bdi>{card.name}</bdi>: {formatNumber(language, card.count)} {t("of")} {formatNumber(language, card.goal)}
            {card.reward.label && (
              <>
                {" "}
                — <bdi>{card.reward.label}</bdi>
              </>
            )}
            {card.items && <CollectionItems language={language} items={card.items} />}
          </li>
        ))}
      </ul>
    </section>
  );
}

const couponStates: Record<api.Coupon["state"], MemberWordKey> = {
  assigned: "couponAssigned",
  redeemed: "couponRedeemed",
  expired: "couponExpired",
};

function Coupons({ language, balance }: { language: Language; balance: api.Balance }) {
  const t = (key: MemberWordKey) => word(language, key);
  const coupons = balance.coupons ?? [];
  return (
    <section class="card" aria-labelledby="coupons-title" data-testid="coupons">
      <h3 id="coupons-title">{t("coupons")}</h3>
      {coupons.length === 0 && <p class="muted">{t("none")}</p>}
      <ul class="plain">
        {coupons.map((coupon) => (
          <li key={coupon.code}>
            <span class="code" dir="ltr">
              {coupon.code}
            </span>{" "}
            <bdi>{coupon.name}</bdi> — {t(couponStates[coupon.state])}
            {coupon.valid_until && ` — ${t("validUntil")} ${formatDate(language, coupon.valid_until, balance.time_zone)}`}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function MemberPage({ language, session, program, id }: {
  language: Language;
  session: StaffSession;
  program: ProgramSettings | null;
  id: number;
}) {
  const [version, setVersion] = useState(0);
  const [said, setSaid] = useState("");
  const t = (key: MemberWordKey) => word(language, key);
  const member = useAnswer(() => api.member(id), [id, version]);
  const cards = useAnswer(() => api.cards(id), [id, version]);
  const balance = useAnswer(() => api.balance(id), [id, version]);
  const tier = useAnswer(() => api.tier(id), [id, version]);
  const changed = (sentence: string) => {
    setSaid(sentence);
    setVersion((last) => last + 1);
  };
  const shown = member.data;
  const active = shown?.status === "active";
  const props: MemberProps = { language, program, id, changed };

  return (
    <div class="member">
      <header class="card member-head">
        <p>
          <Link to="/console/members">{t("findAnother")}</Link>
        </p>
        <h2 data-testid="member-name">
          {shown || member.error !== null ? (
            <bdi>{shown?.full_name ?? `${t("member")} ${digits(language, String(id))}`}</bdi>
          ) : (
            t("loading")
          )}
        </h2>
        {shown && (
          <p class="muted" data-testid="member-summary">
            {t("memberNumber")} {digits(language, String(id))} · {t(statuses[shown.status])} · {t("memberSince")}{" "}
            {formatDate(language, shown.created_at, program?.time_zone)}
          </p>
        )}
        <Refusal language={language} error={member.error} />
        <p class="notice" role="status" data-testid="said">
          {said}
        </p>
      </header>
      {shown && (
        <div class="panels">
          <Profile language={language} program={program} member={shown} />
          {balance.data && <Balances language={language} balance={balance.data} />}
          {cards.data && <Cards {...props} cards={cards.data.cards} active={active} />}
          {tier.data && <Tier language={language} program={program} tier={tier.data} />}
          {balance.data && <StampCards language={language} balance={balance.data} />}
          {balance.data && <Coupons language={language} balance={balance.data} />}
          {/* A record erased or merged has no referrals of its own left to show. */}
          {active && <Referrals {...props} version={version} />}
          {active && <AdjustPoints {...props} />}
          {active && <ClaimReceipt {...props} />}
          {active && shown && <Merge {...props} survivor={shown} balance={balance.data} />}
          <Export {...props} />
          {session.role === "admin" && shown.status !== "erased" && <Erase {...props} />}
          <History {...props} version={version} />
          <MemberAudit {...props} version={version} />
        </div>
      )}
    </div>
  );
}
