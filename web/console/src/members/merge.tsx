// Merging a duplicate record into this one (POST /v1/members/:id/merge): support finds the
// other record as any member is found, sees both side by side — what this record keeps and what
// the other brings before it is emptied — and confirms. This record keeps its profile and tier.
import { currencyOf, digits, formatDate, formatMoney, formatNumber, type Language } from "@patron/common/i18n";
import { useRef, useState } from "preact/hooks";

import { useAction } from "../action";
import type { ProgramSettings } from "../api";
import * as api from "./api";
import { LookUpForm } from "./look_up";
import type { MemberProps } from "./member";
import { Dialog, Refusal } from "./shared";
import { word, type MemberWordKey } from "./words";

function Side({ language, program, title, member, balance, testId }: {
  language: Language;
  program: ProgramSettings | null;
  title: string;
  member: api.Member;
  balance: api.Balance | null;
  testId: string;
}) {
  const t = (key: MemberWordKey) => word(language, key);
  const rows: [MemberWordKey, string, boolean?][] = [
    ["memberNumber", digits(language, String(member.id))],
    ["name", member.full_name ?? "—"],
    ["phone", member.phone ?? "—", true],
    ["email", member.email ?? "—", true],
    ["memberSince", formatDate(language, member.created_at, program?.time_zone)],
    ["cards", member.cards.map((card) => card.number).join(", ") || "—", true],
  ];
  if (balance) {
    rows.push(["pointsAvailable", formatNumber(language, balance.points.available)]);
    rows.push(["pointsPending", formatNumber(language, balance.points.pending)]);
    rows.push(["wallet", formatMoney(language, balance.cashback.amount, currencyOf(balance.cashback))]);
  }
  return (
    <section class="side" aria-label={title} data-testid={testId}>
      <h4>{title}</h4>
      <dl class="facts">
        {rows.map(([label, value, latin]) => (
          <div key={label}>
            <dt>{t(label)}</dt>
            <dd dir={latin ? "ltr" : undefined}>{latin ? value : <bdi>{value}</bdi>}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

export function Merge({ language, program, id, changed, survivor, balance }: MemberProps & {
  survivor: api.Member;
  balance: api.Balance | null;
}) {
  const [other, setOther] = useState<{ member: api.Member; balance: api.Balance | null } | null>(null);
  const [same, setSame] = useState(false);
  const { refusal, busy, act } = useAction();
  const t = (key: MemberWordKey) => word(language, key);
  // Each record found is the one to confirm: a balance that comes after another look-up started
  // belongs to a record no longer asked about, and would put the wrong one up for merging.
  const lookUps = useRef(0);
  const found = async (member: api.Member) => {
    const lookUp = ++lookUps.current;
    setSame(member.id === id);
    if (member.id === id) return;
    const itsBalance = await api.balance(member.id).catch(() => null);
    if (lookUp === lookUps.current) setOther({ member, balance: itsBalance });
  };
  const confirm = () =>
    act(async () => {
      const merged = await api.merge(id, other!.member.id);
      setOther(null);
      changed(
        `${t("mergedDone")} ${digits(language, String(merged.absorbed))} ${t("towards")} ${digits(language, String(merged.survivor))}: ${formatNumber(language, merged.points_moved.available + merged.points_moved.pending)} ${t("pointsUnit")}`,
      );
    });
  return (
    <section class="card" aria-labelledby="merge-title" data-testid="merge">
      <h3 id="merge-title">{t("mergeTitle")}</h3>
      <p class="muted">{t("mergeAbout")}</p>
      <LookUpForm language={language} title={t("findDuplicate")} onFound={found} testId="find-duplicate"
        nested />
      {same && (
        <p class="message" role="alert">
          {t("sameRecord")}
        </p>
      )}
      {other && (
        <Dialog title={t("mergeConfirm")} onClose={() => setOther(null)} wide>
          <div class="sides">
            <Side language={language} program={program} title={t("keeps")} member={survivor} balance={balance}
              testId="merge-survivor" />
            <Side language={language} program={program} title={t("mergedIn")} member={other.member}
              balance={other.balance} testId="merge-absorbed" />
          </div>
          <p>{t("mergeWarning")}</p>
          <Refusal language={language} error={refusal} />
          <div class="buttons">
            <button type="button" class="primary danger" onClick={confirm} disabled={busy}>
              {t("merge")}
            </button>
            <button type="button" onClick={() => setOther(null)}>
              {t("cancel")}
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
