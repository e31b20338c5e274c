// The programme's staff users (admins only): each with their role and whether they may sign in;
// a role changed, a user disabled (after a confirmation: their sessions end at once) or enabled
// again, and a new user made with a role and a first password. The signed-in admin's own row
// offers neither a role change nor disabling, which the API refuses; whatever else it refuses is
// said in words and beside the field it names.
import { ApiError } from "@patron/common/api";
import { Field } from "@patron/common/field";
import { fieldProblems } from "@patron/common/problems";
import { useEffect, useId, useRef, useState } from "preact/hooks";

import { Outcome, useAction } from "../action";
import { type StaffRole, staffRoles } from "../api";
import { word as consoleWord } from "../i18n";
import { ListTable } from "../list_table";
import { explain } from "../problems";
import type { PageProps } from "../shell";
import * as api from "./api";
import { word, type WordKey } from "./words";

type Language = PageProps["language"];

// A role chosen from a list, with the API's problem about it beside it.
function RoleSelect({ language, label, value, set, problem, hiddenLabel = false }: {
  language: Language;
  label: string;
  value: string;
  set: (role: string) => void;
  problem?: string;
  hiddenLabel?: boolean;
}) {
  const id = useId();
  return (
    <div class="bound">
      <label for={id} class={hiddenLabel ? "visually-hidden" : undefined}>
        {label}
      </label>
      <select
        id={id}
        name="role"
        value={value}
        onChange={(event) => set(event.currentTarget.value)}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${id}-problem` : undefined}
      >
        {value === "" && <option value="">–</option>}
        {staffRoles.map((role) => (
          <option key={role} value={role}>
            {consoleWord(language, role)}
          </option>
        ))}
      </select>
      {problem && (
        <span class="field-problem" id={`${id}-problem`}>
          {problem}
        </span>
      )}
    </div>
  );
}

// Disabling someone asks first, in a modal dialog that holds the focus until answered.
function ConfirmDisable({ language, user, onConfirm, onCancel }: {
  language: Language;
  user: api.StaffUser;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const t = (key: WordKey) => word(language, key);
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  return (
    <dialog
      ref={dialog}
      class="confirm"
      aria-labelledby="disable-title"
      aria-describedby="disable-warning"
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <h3 id="disable-title">
        {/* The e-mail with its brackets in one isolate: they stay around it in a Persian line. */}
        {t("confirmDisable")} <bdi>{user.name}</bdi> <bdi>({user.email})</bdi>
        {t("questionMark")}
      </h3>
      <p id="disable-warning">{t("disableWarning")}</p>
      <div class="actions">
        <button type="button" class="danger" onClick={onConfirm}>
          {t("disable")}
        </button>
        <button type="button" onClick={onCancel}>
          {t("keepActive")}
        </button>
      </div>
    </dialog>
  );
}

function NewUser({ language, onCreated }: { language: Language; onCreated: () => Promise<void> }) {
  const t = (key: WordKey) => word(language, key);
  const empty = { name: "", email: "", role: "", password: "" };
  const [made, setMade] = useState(empty);
  const { busy, refusal, status, act } = useAction();
  const problems = fieldProblems(language, refusal);
  if (refusal instanceof ApiError && refusal.problem.code === "STAFF_EXISTS") problems.set("email", t("staffExists"));
  const labels: Record<string, string> = { name: t("name"), email: consoleWord(language, "email"), role: t("role"), password: t("password") };
  const set = (key: keyof typeof empty) => (value: string) => setMade({ ...made, [key]: value });
  const create = (event: Event) => {
    event.preventDefault();
    act(async () => {
      const user = await api.createUser({ ...made, role: made.role as StaffRole });
      setMade(empty);
      await onCreated();
      return user;
    }, (user) => `${t("userCreated")} ${user.name} (${user.email}, ${consoleWord(language, user.role)})`);
  };
  const refused =
    refusal instanceof ApiError && refusal.problem.code === "STAFF_EXISTS" ? t("staffExists") : explain(language, refusal, labels);
  return (
    <form class="new-user" onSubmit={create} noValidate aria-labelledby="new-user-title">
      <h3 id="new-user-title">{t("newUser")}</h3>
      <div class="grid">
        <Field label={t("name")} value={made.name} set={set("name")} problem={problems.get("name")} autocomplete="off" dir="auto" />
        <Field
          label={consoleWord(language, "email")}
          type="email"
          value={made.email}
          set={set("email")}
          problem={problems.get("email")}
          autocomplete="off"
          dir="ltr"
        />
        <RoleSelect language={language} label={t("role")} value={made.role} set={set("role")} problem={problems.get("role")} />
        <div class="bound">
          <Field
            label={t("password")}
            type="password"
            value={made.password}
            set={set("password")}
            problem={problems.get("password")}
            autocomplete="new-password"
            dir="ltr"
          />
          <small class="hint">{t("passwordHint")}</small>
        </div>
      </div>
      <Outcome language={language} status={status} refusal={refusal} refused={refusal === null ? null : refused} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {t("createUser")}
        </button>
      </div>
    </form>
  );
}

export function StaffUsers({ language, session }: PageProps) {
  const t = (key: WordKey) => word(language, key);
  const [users, setUsers] = useState<api.StaffUser[] | null>(null);
  // The role chosen in a row's list, until it is changed.
  const [chosen, setChosen] = useState<Record<number, string>>({});
  const [confirming, setConfirming] = useState<api.StaffUser | null>(null);
  // The row the last change was about: the API's problem is shown there.
  const [acting, setActing] = useState<number | null>(null);
  const { busy, refusal, setRefusal, status, act } = useAction();
  const load = () => api.users().then((answer) => setUsers(answer.users), setRefusal);
  useEffect(() => {
    load();
  }, []);
  const problems = fieldProblems(language, refusal);
  const labels: Record<string, string> = { role: t("role"), status: t("status"), name: t("name") };
  // The admin's own row, when the sign-in told the console who they are.
  const isSelf = (user: api.StaffUser) => session.email !== undefined && user.email === session.email;
  const change = (user: api.StaffUser, what: api.StaffUserChange, done: WordKey) => {
    setActing(user.id);
    act(async () => {
      const changed = await api.changeUser(user.id, what);
      setChosen(({ [user.id]: _, ...others }) => others);
      await load();
      return changed;
    }, (changed) => `${t(done)} ${changed.name} (${consoleWord(language, changed.role)}, ${t(changed.status)})`);
  };
  return (
    <section class="card" aria-labelledby="users-title">
      <h2 id="users-title">{t("usersTitle")}</h2>
      <Outcome language={language} status={status} refusal={refusal} refused={refusal === null ? null : explain(language, refusal, labels)} />
      {users && users.length === 0 && <p>{t("noUsers")}</p>}
      {users && users.length > 0 && (
        <ListTable testId="staff-users" headings={[t("user"), t("role"), t("status"), t("actionsColumn")]}>
          {users.map((user) => {
            const self = isSelf(user);
            const role = chosen[user.id] ?? user.role;
            const here = acting === user.id;
            return (
              <tr key={user.id} data-email={user.email}>
                <td class="who">
                  <bdi>{user.name}</bdi> {self && <span class="muted">{t("you")}</span>}
                  <br />
                  <bdi class="email">{user.email}</bdi>
                </td>
                <td>
                  {self ? (
                    consoleWord(language, user.role)
                  ) : (
                    <div class="role-change">
                      <RoleSelect
                        language={language}
                        label={`${t("roleOf")} ${user.name}`}
                        hiddenLabel
                        value={role}
                        set={(next) => setChosen({ ...chosen, [user.id]: next })}
                        problem={here ? problems.get("role") : undefined}
                      />
                      {role !== user.role && (
                        <button type="button" disabled={busy} onClick={() => change(user, { role: role as StaffRole }, "roleChanged")}>
                          {t("changeRole")}
                          <span class="visually-hidden"> {user.name}</span>
                        </button>
                      )}
                    </div>
                  )}
                </td>
                <td class={user.status === "disabled" ? "disabled-user" : undefined}>
                  {t(user.status)}
                  {here && problems.get("status") && <span class="field-problem"> {problems.get("status")}</span>}
                </td>
                <td>
                  {!self && user.status === "active" && (
                    <button type="button" class="link danger" disabled={busy} onClick={() => setConfirming(user)}>
                      {t("disable")}
                      <span class="visually-hidden"> {user.name}</span>
                    </button>
                  )}
                  {!self && user.status === "disabled" && (
                    <button type="button" class="link" disabled={busy} onClick={() => change(user, { status: "active" }, "enabledNow")}>
                      {t("enable")}
                      <span class="visually-hidden"> {user.name}</span>
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </ListTable>
      )}
      {confirming && (
        <ConfirmDisable
          language={language}
          user={confirming}
          onCancel={() => setConfirming(null)}
          onConfirm={() => {
            const user = confirming;
            setConfirming(null);
            change(user, { status: "disabled" }, "disabledNow");
          }}
        />
      )}
      <NewUser language={language} onCreated={load} />
    </section>
  );
}
