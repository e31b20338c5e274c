// The member's home: what they hold at a glance.
import { useEffect, useState } from "preact/hooks";

import * as api from "./api";
import { formatMoney, formatNumber, type Language, word } from "./i18n";
import { explain } from "./problems";

interface Props {
  language: Language;
  onSignedOut: () => void;
}

export function Home({ language, onSignedOut }: Props) {
  const [balance, setBalance] = useState<api.Balance | null>(null);
  const [message, setMessage] = useState("");
  const t = (key: Parameters<typeof word>[1]) => word(language, key);

  useEffect(() => {
    api.balance().then(setBalance, (error) => {
      if (error instanceof api.ApiError && error.status === 401) {
        api.forgetToken();
        onSignedOut();
        return;
      }
      setMessage(explain(language, error));
    });
  }, []);

  if (message) return <p class="message" role="alert">{message}</p>;
  if (!balance) return <p class="loading">{t("loading")}</p>;
  return (
    <section class="home">
      <div class="card points">
        <h2>{t("available")}</h2>
        <p class="figure" data-testid="points-available">
          {formatNumber(language, balance.points.available)}
        </p>
        <p>
          {t("pending")}: <span data-testid="points-pending">{formatNumber(language, balance.points.pending)}</span>
        </p>
      </div>
      <div class="card">
        <h2>{t("tier")}</h2>
        <p class="figure" data-testid="tier">
          {balance.tier.name}
        </p>
      </div>
      <div class="card">
        <h2>{t("cashback")}</h2>
        <p class="figure" data-testid="cashback">
          {formatMoney(language, balance.cashback.amount, balance.cashback.currency)}
        </p>
      </div>
    </section>
  );
}
