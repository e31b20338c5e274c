// The member's referrals (GET /v1/members/:id/referrals): her own referral code and whether a
// friend may enrol with it now, how many friends she invited and where each stands, what inviting
// them earned her (and how many of this month's referrer rewards she had, against the limit), the
// friends themselves, each a link to their page, and, when a friend referred her, by whom and
// where that stands. Loaded again after every change made on the page.
import { type Currency, digits, formatDate, formatList, formatMoney, formatNumber, type Language } from "@patron/common/i18n";

import { ListTable } from "../list_table";
import { Link } from "../shell";
import * as api from "./api";
import type { MemberProps } from "./member";
import { Refusal, useAnswer } from "./shared";
import { word, type MemberWordKey } from "./words";

const states: Record<api.ReferralState, MemberWordKey> = {
  pending: "refStatePending",
  rewarded: "refStateRewarded",
  lapsed: "refStateLapsed",
  refused: "refStateRefused",
};
const reasons: Record<string, MemberWordKey> = {
  same_till: "refReasonSameTill",
  existing_member: "refReasonExistingMember",
  same_member: "refReasonSameMember",
  returned: "refReasonReturned",
};

// Words with their blanks filled: "{n} points" with n.
function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (blank, key: string) => values[key] ?? blank);
}

const pointsText = (language: Language, points: number) =>
  fill(word(language, points === 1 ? "refPointsOne" : "refPointsMany"), { n: formatNumber(language, points) });

// A reward in words: "200 points", "IRR 50,000".
function rewardText(language: Language, reward: api.ReferralReward | null, currency: Currency): string {
  if (reward && "points" in reward) return pointsText(language, reward.points);
  if (reward && "cashback" in reward) return formatMoney(language, reward.cashback, currency);
  return "—";
}

// Where a referral stands: "rewarded · purchase 99", "refused: a member already".
function stateText(language: Language, state: api.ReferralState, reason: string | null, purchase: number | null): string {
  const t = (key: MemberWordKey) => word(language, key);
  const words = states[state] ? t(states[state]) : state;
  if (state === "refused" && reason) return `${words}: ${reasons[reason] ? t(reasons[reason]) : reason}`;
  if (state === "rewarded" && purchase !== null) {
    return `${words} · ${fill(t("refPurchase"), { n: digits(language, String(purchase)) })}`;
  }
  return words;
}

// A member by number, a link to their page.
const MemberLink = ({ language, id }: { language: Language; id: number }) => (
  <Link to={`/console/members/${id}`}>{digits(language, String(id))}</Link>
);

// What she had for inviting this friend: her reward, none past the monthly limit, or nothing yet;
// and how often a return of the friend's qualifying purchase took the rewards back.
function referrerRewardText(language: Language, friend: api.InvitedFriend, currency: Currency): string {
  const t = (key: MemberWordKey) => word(language, key);
  const had =
    friend.referrer_outcome === "capped"
      ? t("refCapped")
      : friend.referrer_outcome === "rewarded"
        ? rewardText(language, friend.reward, currency)
        : friend.state === "pending"
          ? t("refWhenQualified")
          : "—";
  if (friend.revocations === 0) return had;
  const back = fill(t(friend.revocations === 1 ? "refTakenBackOne" : "refTakenBackMany"), {
    n: formatNumber(language, friend.revocations),
  });
  return `${had} · ${back}`;
}

function Shown({ language, program, referrals }: Pick<MemberProps, "language" | "program"> & { referrals: api.MemberReferrals }) {
  const t = (key: MemberWordKey) => word(language, key);
  const zone = program?.time_zone;
  const currency: Currency = {
    code: referrals.currency,
    exponent: referrals.currency_exponent ?? program?.currency_exponent ?? 0,
  };
  const counts: [string, MemberWordKey, number][] = [
    ["invited", "refInvited", referrals.invited],
    ["pending", "refPending", referrals.pending],
    ["rewarded", "refRewarded", referrals.rewarded],
    ["lapsed", "refLapsed", referrals.lapsed],
    ["refused", "refRefused", referrals.refused],
  ];
  const earned = [
    ...(referrals.earned.points > 0 ? [pointsText(language, referrals.earned.points)] : []),
    ...(referrals.earned.cashback > 0 ? [formatMoney(language, referrals.earned.cashback, currency)] : []),
  ];
  const month = referrals.this_month;
  const by = referrals.referred_by;
  const waiting = (state: api.ReferralState) => state === "pending" || state === "lapsed";
  return (
    <>
      <p>
        {t("refCode")}:{" "}
        <span class="code" dir="ltr" data-testid="referral-code">
          {referrals.shown_code || referrals.code || "—"}
        </span>
      </p>
      <p class="muted" data-testid="referral-open">
        {t(referrals.open ? "refOpen" : "refClosed")}
      </p>
      <dl class="figures" data-testid="referral-counts">
        {counts.map(([name, label, value]) => (
          <div key={name} data-count={name}>
            <dt>{t(label)}</dt>
            <dd>{formatNumber(language, value)}</dd>
          </div>
        ))}
      </dl>
      <dl class="facts">
        <div>
          <dt>{t("refEarned")}</dt>
          <dd data-testid="referral-earned">{earned.length > 0 ? formatList(language, earned) : t("refNothingYet")}</dd>
        </div>
        <div>
          <dt>{t(program?.language === "fa" ? "refThisJalaliMonth" : "refThisMonth")}</dt>
          <dd data-testid="referral-this-month">
            {month.limit === null || month.limit === undefined
              ? formatNumber(language, month.rewarded)
              : fill(t("refOfLimit"), { n: formatNumber(language, month.rewarded), limit: formatNumber(language, month.limit) })}
          </dd>
        </div>
      </dl>
      <h4>{t("refFriends")}</h4>
      {referrals.friends.length === 0 ? (
        <p class="muted">{t("refNoFriends")}</p>
      ) : (
        <ListTable
          testId="referral-friends"
          label={t("refFriends")}
          headings={[t("refFriend"), t("refEnrolled"), t("refState"), t("refQualifyBy"), t("refHerReward")]}
        >
          {referrals.friends.map((friend) => (
            <tr key={friend.id} data-friend={friend.friend_id}>
              <td>
                <MemberLink language={language} id={friend.friend_id} />
              </td>
              <td>{formatDate(language, friend.enrolled_at, zone)}</td>
              <td>{stateText(language, friend.state, friend.reason, friend.purchase_id)}</td>
              <td>{waiting(friend.state) ? formatDate(language, friend.qualify_by, zone) : "—"}</td>
              <td>{referrerRewardText(language, friend, currency)}</td>
            </tr>
          ))}
        </ListTable>
      )}
      <h4>{t("refJoined")}</h4>
      {by === null ? (
        <p class="muted" data-testid="referred-by">
          {t("refNotReferred")}
        </p>
      ) : (
        <dl class="facts" data-testid="referred-by">
          <div>
            <dt>{t("refReferrer")}</dt>
            <dd>
              <MemberLink language={language} id={by.referrer_id} />
            </dd>
          </div>
          <div>
            <dt>{t("refState")}</dt>
            <dd data-testid="referred-state">{stateText(language, by.state, by.reason, by.purchase_id)}</dd>
          </div>
          <div>
            <dt>{t("refWelcome")}</dt>
            <dd>{rewardText(language, by.reward, currency)}</dd>
          </div>
          <div>
            <dt>{t("refLeastPurchase")}</dt>
            <dd>{by.min_spend > 0 ? formatMoney(language, by.min_spend, currency) : t("refAnyPurchase")}</dd>
          </div>
          {waiting(by.state) && (
            <div>
              <dt>{t("refQualifyBy")}</dt>
              <dd>{formatDate(language, by.qualify_by, zone)}</dd>
            </div>
          )}
        </dl>
      )}
    </>
  );
}

export function Referrals({ language, program, id, version }: MemberProps & { version: number }) {
  const t = (key: MemberWordKey) => word(language, key);
  const answer = useAnswer(() => api.referrals(id), [id, version]);
  return (
    <section class="card wide" aria-labelledby="referrals-title" data-testid="referrals">
      <h3 id="referrals-title">{t("refTitle")}</h3>
      <Refusal language={language} error={answer.error} />
      {answer.data ? (
        <Shown language={language} program={program} referrals={answer.data} />
      ) : (
        answer.error === null && <p class="muted">{t("loading")}</p>
      )}
    </section>
  );
}
