// What the audit log holds about this member (GET /v1/audit-log?member=ID, which support may
// read too): who changed what and when, newest first, older entries on request. Shown again after
// every change made on the page.
import { useEffect, useState } from "preact/hooks";

import { Outcome, useAction } from "../action";
import { AuditEntries } from "../staff/audit";
import * as audit from "../staff/api";
import type { MemberProps } from "./member";
import { word } from "./words";

export function MemberAudit({ language, program, id, version }: MemberProps & { version: number }) {
  const [entries, setEntries] = useState<audit.AuditEntry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const { busy, refusal, act } = useAction();
  // Older entries that arrive after the list was loaded again (a change made meanwhile) belong
  // to the list no longer shown, and are dropped.
  const load = (cursor?: string) =>
    act(async (isLatest) => {
      const page = await audit.auditLog({ member: String(id), limit: "20" }, cursor);
      if (!isLatest()) return;
      setEntries((shown) => (cursor ? [...shown, ...page.entries] : page.entries));
      setNext(page.next_cursor);
    });
  useEffect(() => {
    load();
  }, [id, version]);
  return (
    <section class="card wide" aria-labelledby="member-audit-title" data-testid="member-audit">
      <h3 id="member-audit-title">{word(language, "auditTitle")}</h3>
      <Outcome language={language} status={null} refusal={refusal} />
      {entries.length === 0 ? (
        !busy && <p>{word(language, "auditNone")}</p>
      ) : (
        <AuditEntries language={language} entries={entries} timeZone={program?.time_zone ?? "UTC"} staff={new Map()} />
      )}
      {next && (
        <div class="actions">
          <button type="button" disabled={busy} onClick={() => load(next)}>
            {word(language, "auditOlder")}
          </button>
        </div>
      )}
    </section>
  );
}
