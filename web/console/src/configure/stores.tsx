// Stores and their terminals (admins only): the stores with their currency and time zone, a new
// store; a store's terminals with each key's state, a new terminal, a key rotated (the older keys
// signing on for the grace chosen) or revoked at once. A new key's secret is shown this once, with
// a button that copies it, and is gone when the panel is closed or the page left: Patron keeps it
// only sealed and never shows it again.
import { formatTime } from "@patron/common/i18n";
import { fieldProblems } from "@patron/common/problems";
import { useEffect, useState } from "preact/hooks";

import { Outcome, useAction } from "../action";
import { ListTable } from "../list_table";
import { Link, type PageProps } from "../shell";
import * as api from "./api";
import { Confirm } from "./confirm";
import type { JsonObject } from "./doc";
import { TextAt } from "./fields";
import { word, type WordKey } from "./words";

export function Stores({ language, program }: PageProps) {
  const t = (key: WordKey) => word(language, key);
  const [list, setList] = useState<api.Store[] | null>(null);
  const [made, setMade] = useState<JsonObject>({});
  const { busy, refusal, setRefusal, status, act } = useAction();
  const load = () => api.stores().then((answer) => setList(answer.stores), setRefusal);
  useEffect(() => {
    load();
  }, []);
  const problems = fieldProblems(language, refusal);
  const create = (event: Event) => {
    event.preventDefault();
    act(async () => {
      await api.createStore({ time_zone: program.time_zone, ...made });
      setMade({});
      await load();
    }, t("storeCreated"));
  };
  return (
    <section class="card" aria-labelledby="stores-title">
      <h2 id="stores-title">{t("storesTitle")}</h2>
      {list && (
        <ListTable testId="stores" headings={[t("storeCode"), t("storeName"), t("currency"), t("timeZone")]}>
          {list.map((store) => (
            <tr key={store.code}>
              <td>
                <Link to={`/console/configure/stores/${encodeURIComponent(store.code)}`}>
                  <bdi>{store.code}</bdi>
                </Link>
              </td>
              <td>
                <bdi>{store.name}</bdi>
              </td>
              <td>{store.currency}</td>
              <td>{store.time_zone}</td>
            </tr>
          ))}
        </ListTable>
      )}
      <form class="rule" onSubmit={create} noValidate>
        <fieldset>
          <legend>{t("newStore")}</legend>
          <div class="grid">
            <TextAt entry={made} set={setMade} problems={problems} path="code" label={t("storeCode")} dir="ltr" />
            <TextAt entry={made} set={setMade} problems={problems} path="name" label={t("storeName")} />
            <TextAt
              entry={made}
              set={setMade}
              problems={problems}
              path="time_zone"
              label={t("timeZone")}
              hint={`${t("emptyMeans")} ${program.time_zone}`}
              dir="ltr"
            />
          </div>
        </fieldset>
        <Outcome language={language} status={status} refusal={refusal} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {t("createStore")}
          </button>
        </div>
      </form>
    </section>
  );
}

// The secret of a key just issued, shown once.
function SecretOnce({ language, issued, onClose }: { language: PageProps["language"]; issued: api.IssuedKey; onClose: () => void }) {
  const t = (key: WordKey) => word(language, key);
  // A browser may refuse the clipboard (no permission, no secure context): then it is copied by hand.
  const [copied, setCopied] = useState<"copied" | "failed" | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(issued.secret);
      setCopied("copied");
    } catch {
      setCopied("failed");
    }
  };
  return (
    <div class="secret" role="region" aria-labelledby="secret-title" data-testid="secret">
      <h3 id="secret-title">{t("secretTitle")}</h3>
      <p>{t("secretOnce")}</p>
      <dl>
        <dt>{t("terminal")}</dt>
        <dd>
          <code>{issued.terminal}</code>
        </dd>
        <dt>{t("keyId")}</dt>
        <dd>
          <code>{issued.key_id}</code>
        </dd>
        <dt>{t("secret")}</dt>
        <dd>
          <code data-testid="secret-value">{issued.secret}</code>
        </dd>
      </dl>
      <div class="actions">
        <button type="button" class="primary" onClick={copy}>
          {t("copySecret")}
        </button>
        <span role="status">{copied === "copied" ? t("copied") : copied === "failed" ? t("copyByHand") : ""}</span>
        <button type="button" onClick={onClose}>
          {t("secretKept")}
        </button>
      </div>
    </div>
  );
}

const graces: [number, WordKey][] = [
  [86_400, "graceDay"],
  [3_600, "graceHour"],
  [604_800, "graceWeek"],
  [0, "graceNone"],
];

export function StoreTerminals({ language, store }: PageProps & { store: string }) {
  const t = (key: WordKey) => word(language, key);
  const [terminals, setTerminals] = useState<api.Terminal[] | null>(null);
  const [made, setMade] = useState<JsonObject>({});
  const [grace, setGrace] = useState(86_400);
  const [issued, setIssued] = useState<api.IssuedKey | null>(null);
  const [revoking, setRevoking] = useState<string | null>(null); // The key whose revocation waits for a yes.
  const { busy, refusal, setRefusal, status, act } = useAction();
  // While a secret is shown, nothing may issue another in its place before it was kept.
  const keeping = issued !== null;
  const load = () => api.terminals(store).then((answer) => setTerminals(answer.terminals), setRefusal);
  useEffect(() => {
    load();
  }, [store]);
  const problems = fieldProblems(language, refusal);
  const create = (event: Event) => {
    event.preventDefault();
    act(async () => {
      setIssued(await api.createTerminal(store, String(made.code ?? "")));
      setMade({});
      await load();
    }, t("terminalCreated"));
  };
  const rotate = (terminal: string) =>
    act(async () => {
      setIssued(await api.rotateKey(store, terminal, grace));
      await load();
    }, t("keyIssued"));
  const revoke = (keyId: string) =>
    act(async () => {
      await api.revokeKey(keyId);
      await load();
    }, t("keyRevoked"));
  return (
    <section class="card" aria-labelledby="terminals-title">
      <h2 id="terminals-title">
        {t("terminalsOf")} <bdi>{store}</bdi>
      </h2>
      <p>
        <Link to="/console/configure/stores">{t("allStores")}</Link>
      </p>
      {issued && <SecretOnce language={language} issued={issued} onClose={() => setIssued(null)} />}
      <Outcome language={language} status={status} refusal={refusal} />
      {revoking !== null && (
        <Confirm
          title={t("revokeTitle")}
          confirm={t("revoke")}
          cancel={t("cancel")}
          onConfirm={() => revoke(revoking)}
          onClose={() => setRevoking(null)}
        >
          <p>
            {t("keyId")} <code>{revoking}</code>
          </p>
          <p>{t("revokeQuestion")}</p>
        </Confirm>
      )}
      {terminals && terminals.length === 0 && <p>{t("noTerminals")}</p>}
      {terminals && terminals.length > 0 && (
        <>
          <div class="bound grace">
            <label for="grace">{t("graceLabel")}</label>
            <select id="grace" value={String(grace)} onChange={(event) => setGrace(Number(event.currentTarget.value))}>
              {graces.map(([seconds, words]) => (
                <option key={seconds} value={seconds}>
                  {t(words)}
                </option>
              ))}
            </select>
          </div>
          <ListTable testId="terminals" headings={[t("terminal"), t("keyId"), t("keyState"), t("keyDates"), t("actionsColumn")]}>
            {terminals.flatMap((terminal) =>
              terminal.keys.map((key, index) => (
                <tr key={key.key_id}>
                  <td>{index === 0 && <code>{terminal.code}</code>}</td>
                  <td>
                    <code>{key.key_id}</code>
                  </td>
                  <td>{t(`key_${key.state}` as WordKey)}</td>
                  <td>
                    {formatTime(language, key.created_at)}
                    {key.expires_at && ` ${t("towards")} ${formatTime(language, key.expires_at)}`}
                  </td>
                  <td>
                    {index === 0 && (
                      <button type="button" class="link" disabled={busy || keeping} onClick={() => rotate(terminal.code)}>
                        {t("rotate")} <span class="visually-hidden">{terminal.code}</span>
                      </button>
                    )}{" "}
                    {(key.state === "active" || key.state === "expiring") && (
                      <button type="button" class="link" disabled={busy} onClick={() => setRevoking(key.key_id)}>
                        {t("revoke")} <span class="visually-hidden">{key.key_id}</span>
                      </button>
                    )}
                  </td>
                </tr>
              )),
            )}
          </ListTable>
        </>
      )}
      <form class="rule" onSubmit={create} noValidate>
        <fieldset>
          <legend>{t("newTerminal")}</legend>
          <div class="grid">
            <TextAt entry={made} set={setMade} problems={problems} path="code" label={t("terminalCode")} dir="ltr" />
          </div>
        </fieldset>
        <div class="actions">
          <button type="submit" class="primary" disabled={busy || keeping}>
            {t("createTerminal")}
          </button>
        </div>
      </form>
    </section>
  );
}
