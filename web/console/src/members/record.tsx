// The member's record as a whole: everything Patron holds about them as a JSON file (right of
// access, GET /v1/members/:id/export), and erasure (DELETE /v1/members/:id), an admin's alone,
// confirmed by typing the member's number.
import { Field } from "@patron/common/field";
import { digits, parseMoney } from "@patron/common/i18n";
import { useState } from "preact/hooks";

import { useAction } from "../action";
import * as api from "./api";
import type { MemberProps } from "./member";
import { Dialog, Refusal } from "./shared";
import { word, type MemberWordKey } from "./words";

export function Export({ language, id, changed }: MemberProps) {
  const { refusal, busy, act } = useAction();
  const t = (key: MemberWordKey) => word(language, key);
  const download = () =>
    act(async () => {
      const file = await api.exportMember(id);
      const address = URL.createObjectURL(file);
      const link = document.createElement("a");
      link.href = address;
      link.download = `member-${id}.json`;
      link.click();
      // The download has its own copy once it started.
      setTimeout(() => URL.revokeObjectURL(address), 60_000);
      changed(t("exported"));
    });
  return (
    <section class="card" aria-labelledby="export-title" data-testid="export">
      <h3 id="export-title">{t("exportTitle")}</h3>
      <p class="muted">{t("exportAbout")}</p>
      <Refusal language={language} error={refusal} />
      <button type="button" onClick={download} disabled={busy}>
        {t("download")}
      </button>
    </section>
  );
}

export function Erase({ language, id, changed }: MemberProps) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const { refusal, busy, submitting } = useAction();
  const t = (key: MemberWordKey) => word(language, key);
  // The number typed in either language's digits.
  const confirmed = parseMoney(typed, 0) === id;
  const close = () => {
    setOpen(false);
    setTyped("");
  };
  const erase = submitting(async () => {
    if (!confirmed) return;
    await api.erase(id);
    close();
    changed(t("erased"));
  });
  return (
    <section class="card danger-zone" aria-labelledby="erase-title" data-testid="erase">
      <h3 id="erase-title">{t("eraseTitle")}</h3>
      <p class="muted">{t("eraseAbout")}</p>
      <button type="button" class="danger" onClick={() => setOpen(true)}>
        {t("erase")}
      </button>
      {open && (
        <Dialog title={t("eraseTitle")} onClose={close}>
          <form class="stacked" onSubmit={erase} aria-busy={busy} noValidate>
            <p>{t("eraseWarning")}</p>
            <Field label={`${t("typeToConfirm")} ${digits(language, String(id))}`} value={typed} set={setTyped}
              autocomplete="off" dir="ltr" required />
            <Refusal language={language} error={refusal} />
            <div class="buttons">
              <button type="submit" class="primary danger" disabled={busy || !confirmed}>
                {t("erase")}
              </button>
              <button type="button" onClick={close}>
                {t("cancel")}
              </button>
            </div>
          </form>
        </Dialog>
      )}
    </section>
  );
}
