// Inviting friends: the member's referral code to give (copied, or shared with the phone's own
// share sheet), the programme's terms in plain words for both sides, how her invitations went
// (friends are never named: each is the day they joined and where their invitation stands), what
// she earned and this month's rewards against the limit; and, when she joined with a friend's
// code herself, where her own welcome gift stands. Loaded, with its words, when first opened.
import { useRef, useState } from "preact/hooks";

import { type Currency, formatDate, formatMoney, formatNumber, type Language } from "@patron/common/i18n";

import * as api from "./api";
import { useMemberData } from "./home";
import { pointsText } from "./i18n";
import { word, type WordKey } from "./invite_words";

interface Props {
  language: Language;
}

// What the page reads the referral document with: the programme's clock (every date of the
// document is an instant, shown on the day it falls on there) and its currency's decimals (the
// document names the currency only), both from the balance, as the other views read them.
interface Setting {
  language: Language;
  timeZone?: string;
  currency: Currency;
}

// A sentence with its {placeholders} filled in.
function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

// A count with its noun: "30 days", "۳۰ روز", "1 friend".
function counted(language: Language, n: number, one: WordKey, many: WordKey): string {
  return `${formatNumber(language, n)} ${word(language, n === 1 ? one : many)}`;
}

// "500 points", "IRR 50,000 cashback".
function rewardText({ language, currency }: Setting, reward: api.ReferralReward): string {
  return "points" in reward
    ? pointsText(language, reward.points)
    : `${formatMoney(language, reward.cashback, currency)} ${word(language, "cashbackUnit")}`;
}

// The friend's side of the terms, in the words of `withSpend` (a least total) or `anySpend`.
function friendSide(setting: Setting, terms: api.ReferralTerms, withSpend: WordKey, anySpend: WordKey, code = "") {
  const { language, currency } = setting;
  return fill(word(language, terms.min_spend > 0 ? withSpend : anySpend), {
    reward: rewardText(setting, terms.friend_reward),
    spend: formatMoney(language, terms.min_spend, currency),
    days: counted(language, terms.within_days, "dayOne", "dayMany"),
    code,
  });
}

// The invitation a member sends: her code and what the friend gets for it.
function invitation(setting: Setting, referral: api.Referral, terms: api.ReferralTerms): string {
  return friendSide(setting, terms, "shareText", "shareTextAny", referral.shown_code);
}

// `text` on the clipboard: the Clipboard API where the page may use it (a secure context, the
// member's permission), else the older copy command on a selected, unseen field.
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const holder = document.createElement("textarea");
    holder.value = text;
    holder.readOnly = true;
    holder.className = "copy-holder";
    holder.setAttribute("aria-hidden", "true");
    document.body.append(holder);
    holder.select();
    let copied = false;
    try {
      copied = document.execCommand("copy");
    } catch {
      copied = false;
    }
    holder.remove();
    return copied;
  }
}

const canShare = () => typeof navigator.share === "function";

function CodeCard({ setting, referral }: { setting: Setting; referral: api.Referral }) {
  const { language } = setting;
  const t = (key: WordKey) => word(language, key);
  const code = useRef<HTMLParagraphElement>(null);
  const [said, setSaid] = useState<{ text: string; ok: boolean } | null>(null);
  const terms = referral.open ? referral.terms : null;
  const message = terms ? invitation(setting, referral, terms) : "";

  const copy = async (text: string, done: WordKey) => {
    if (await copyText(text)) {
      setSaid({ text: t(done), ok: true });
      return;
    }
    // Not copied: the code selected, for the member to copy herself.
    if (code.current) getSelection()?.selectAllChildren(code.current);
    setSaid({ text: t("copyFailed"), ok: false });
  };
  const share = async () => {
    try {
      await navigator.share({ title: t("club"), text: message });
    } catch (error) {
      // The member closed the share sheet: nothing to say. Anything else: the message copied instead.
      if (error instanceof DOMException && error.name === "AbortError") return;
      await copy(message, "inviteCopied");
    }
  };
  return (
    <section class="card referral wide" aria-labelledby="referral-title">
      <h2 id="referral-title">{t("yourCode")}</h2>
      {/* The code as the till takes it: Latin letters and digits in both languages. */}
      <p class="referral-code" dir="ltr" translate={false} ref={code} data-testid="referral-code">
        {referral.shown_code}
      </p>
      {referral.open ? (
        <p class="referral-intro">{t("inviteIntro")}</p>
      ) : (
        <p class="referral-closed" role="note" data-testid="referral-closed">
          {t("referralsClosed")}
        </p>
      )}
      <div class="referral-actions">
        <button type="button" class="primary" onClick={() => copy(referral.shown_code, "codeCopied")} data-testid="copy-code">
          {t("copyCode")}
        </button>
        {terms &&
          (canShare() ? (
            <button type="button" onClick={share} data-testid="share-invite">
              {t("shareInvite")}
            </button>
          ) : (
            <button type="button" onClick={() => copy(message, "inviteCopied")} data-testid="copy-invite">
              {t("copyInvite")}
            </button>
          ))}
      </div>
      <p class={said?.ok === false ? "message" : "notice"} role="status" data-testid="copy-result">
        {said?.text}
      </p>
    </section>
  );
}

function Terms({ setting, terms }: { setting: Setting; terms: api.ReferralTerms }) {
  const { language } = setting;
  const t = (key: WordKey) => word(language, key);
  return (
    <section class="card" aria-labelledby="terms-title" data-testid="referral-terms">
      <h2 id="terms-title">{t("howItWorks")}</h2>
      <ul class="referral-terms">
        <li data-testid="referral-friend-terms">{friendSide(setting, terms, "friendGets", "friendGetsAny")}</li>
        <li data-testid="referral-referrer-terms">
          {fill(t("youGet"), {
            reward: rewardText(setting, terms.referrer_reward),
            friends: counted(language, terms.per_referrer_per_month, "friendOne", "friendMany"),
          })}
        </li>
      </ul>
    </section>
  );
}

function Counts({ setting, referral, wide }: { setting: Setting; referral: api.Referral; wide: boolean }) {
  const { language, currency } = setting;
  const t = (key: WordKey) => word(language, key);
  const { earned, this_month: month } = referral;
  const count = (label: WordKey, value: number, testId: string) => (
    <div>
      <dt>{t(label)}</dt>
      <dd data-testid={testId}>{formatNumber(language, value)}</dd>
    </div>
  );
  // Cashback earned is shown when there is some, or when that is what inviting gives.
  const cashbackReward = referral.terms !== null && "cashback" in referral.terms.referrer_reward;
  const earnings = [
    ...(earned.points > 0 || !cashbackReward ? [pointsText(language, earned.points)] : []),
    ...(earned.cashback > 0 || cashbackReward ? [`${formatMoney(language, earned.cashback, currency)} ${t("cashbackUnit")}`] : []),
  ];
  const limit = month.limit;
  return (
    <section class={wide ? "card wide" : "card"} aria-labelledby="invitations-title">
      <h2 id="invitations-title">{t("yourInvitations")}</h2>
      <dl class="referral-counts">
        {count("invitedCount", referral.invited, "referral-invited")}
        {count("rewardedCount", referral.rewarded, "referral-rewarded")}
        {count("waitingCount", referral.pending, "referral-waiting")}
      </dl>
      {(referral.lapsed > 0 || referral.refused > 0) && (
        <p class="muted" data-testid="referral-not-rewarded">
          {referral.lapsed > 0 && `${t("lapsedCount")}: ${formatNumber(language, referral.lapsed)}`}
          {referral.lapsed > 0 && referral.refused > 0 && " · "}
          {referral.refused > 0 && `${t("refusedCount")}: ${formatNumber(language, referral.refused)}`}
        </p>
      )}
      <h3>{t("earnedFromInvites")}</h3>
      <p class="referral-earned" data-testid="referral-earned">
        {earnings.map((earning) => (
          <span key={earning}>{earning}</span>
        ))}
      </p>
      {limit !== null && limit !== undefined && limit > 0 && (
        <>
          <p data-testid="referral-month">
            {fill(t("thisMonth"), { n: formatNumber(language, month.rewarded), limit: formatNumber(language, limit) })}
          </p>
          <progress max={limit} value={Math.min(month.rewarded, limit)}
            aria-label={fill(t("thisMonth"), { n: formatNumber(language, month.rewarded), limit: formatNumber(language, limit) })} />
          {month.rewarded >= limit && referral.open && <p class="muted">{t("monthFull")}</p>}
        </>
      )}
    </section>
  );
}

const refusalWords: Record<string, WordKey> = {
  same_till: "reasonSameTill",
  existing_member: "reasonExistingMember",
  same_member: "reasonSameMember",
  returned: "reasonReturned",
};

// Where one friend's invitation stands: a word for the badge, and a sentence saying more.
function friendStatus(setting: Setting, friend: api.ReferralFriend): { badge: WordKey; tone: string; detail: string } {
  const { language, timeZone } = setting;
  const t = (key: WordKey) => word(language, key);
  const by = formatDate(language, friend.qualify_by, timeZone);
  switch (friend.state) {
    case "pending":
      return { badge: "statePending", tone: "pending", detail: fill(t("pendingBy"), { date: by }) };
    case "lapsed":
      return { badge: "stateLapsed", tone: "closed", detail: fill(t("lapsedOn"), { date: by }) };
    case "refused":
      return { badge: "stateRefused", tone: "closed", detail: t(refusalWords[friend.reason ?? ""] ?? "reasonOther") };
    case "rewarded":
      if (friend.referrer_outcome === "capped") return { badge: "stateCapped", tone: "capped", detail: t("cappedYou") };
      if (friend.referrer_outcome === "rewarded" && friend.reward) {
        return { badge: "stateRewarded", tone: "rewarded", detail: fill(t("rewardedYou"), { reward: rewardText(setting, friend.reward) }) };
      }
      return { badge: "stateRewarded", tone: "rewarded", detail: t("friendShopped") };
  }
}

// The friends she invited, newest first (the API lists the newest 50; more are counted above).
function Friends({ setting, friends, invited }: { setting: Setting; friends: api.ReferralFriend[]; invited: number }) {
  const { language, timeZone } = setting;
  const t = (key: WordKey) => word(language, key);
  return (
    <section class="card wide" aria-labelledby="friends-title">
      <h2 id="friends-title">{t("friendsTitle")}</h2>
      {friends.length === 0 && <p class="muted">{t("noFriends")}</p>}
      {friends.length > 0 && invited > friends.length && (
        <p class="muted" data-testid="referral-newest">
          {fill(t("newestFriends"), { shown: formatNumber(language, friends.length), all: formatNumber(language, invited) })}
        </p>
      )}
      <ol class="friends" data-testid="referral-friends">
        {friends.map((friend) => {
          const status = friendStatus(setting, friend);
          return (
            <li key={friend.id} data-testid={`referral-friend-${friend.id}`} data-state={friend.state}>
              <p class="friend-when">
                {fill(t("friendInvitedOn"), { date: formatDate(language, friend.enrolled_at, timeZone) })}
              </p>
              <span class={`badge ${status.tone}`}>{t(status.badge)}</span>
              <p class="friend-detail muted">{status.detail}</p>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

// Her own welcome gift, when she joined with a friend's code.
function Welcome({ setting, welcome }: { setting: Setting; welcome: NonNullable<api.Referral["referred_by"]> }) {
  const { language, timeZone, currency } = setting;
  const t = (key: WordKey) => word(language, key);
  const gift = welcome.reward ? fill(t("welcomeGiftOf"), { reward: rewardText(setting, welcome.reward) }) : t("welcomeGift");
  const date = formatDate(language, welcome.qualify_by, timeZone);
  const text = {
    pending: fill(t(welcome.min_spend > 0 ? "welcomePending" : "welcomePendingAny"), {
      spend: formatMoney(language, welcome.min_spend, currency),
      date,
      gift,
    }),
    rewarded: fill(t("welcomeRewarded"), { gift }),
    lapsed: fill(t("welcomeLapsed"), { date }),
    refused: t("welcomeRefused"),
  }[welcome.state];
  return (
    <section class={`card wide welcome ${welcome.state}`} aria-labelledby="welcome-title" data-testid="referral-welcome">
      <h2 id="welcome-title">{t("welcomeTitle")}</h2>
      <p>{text}</p>
    </section>
  );
}

export function Invite({ language }: Props) {
  const { data, message } = useMemberData(() => Promise.all([api.referral(), api.balance()]), language);
  const t = (key: WordKey) => word(language, key);
  if (message) return <p class="message" role="alert">{message}</p>;
  if (!data) return <p class="loading">{t("loading")}</p>;
  const [referral, balance] = data;
  // Both documents are in the programme's currency; the balance says its decimals (the server's
  // own table, which the browser's locale data contradict for some currencies).
  const currency: Currency = { code: referral.currency, exponent: balance.cashback.currency_exponent };
  const setting: Setting = { language, timeZone: balance.time_zone, currency };
  const terms = referral.open ? referral.terms : null;
  return (
    <div class="invite">
      <CodeCard setting={setting} referral={referral} />
      {referral.referred_by && <Welcome setting={setting} welcome={referral.referred_by} />}
      {terms && <Terms setting={setting} terms={terms} />}
      <Counts setting={setting} referral={referral} wide={!terms} />
      <Friends setting={setting} friends={referral.friends} invited={referral.invited} />
    </div>
  );
}
