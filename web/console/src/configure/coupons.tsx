// Coupon campaigns: the list with each campaign's state and use; a campaign's form (type and
// value, validity, weekdays and hours, stores, tiers and segments, the basket's conditions,
// limits and budget, stacking, what a partial return does, members only), editable while it is a
// draft, published or ended from here (ending asks first); and its codes: drawn in bulk with a
// progress bar (asked for in parts, so the bar shows what is done, the drawing can be cancelled,
// and a failure keeps what was drawn and leaves the rest to draw in the count), the codes' CSV
// downloaded, and a code assigned to a member.
import { formatMoney, formatNumber, type Language } from "@patron/common/i18n";
import { fieldProblems } from "@patron/common/problems";
import { useEffect, useRef, useState } from "preact/hooks";

import { Outcome, useAction } from "../action";
import { ListTable } from "../list_table";
import { explain } from "../problems";
import { go, Link, type PageProps } from "../shell";
import * as api from "./api";
import { Confirm } from "./confirm";
import { getAt, type JsonObject } from "./doc";
import {
  type Bound,
  CheckAt,
  latinDigits,
  ListAt,
  MoneyAt,
  NumberAt,
  SelectAt,
  TextAt,
} from "./fields";
import { WhenFields, WhoFields } from "./fieldsets";
import { word, type WordKey } from "./words";

const types = ["percent_off_basket", "amount_off_basket", "percent_off_items", "amount_off_items", "free_item", "bonus_points"];

export function CouponCampaigns({ language }: PageProps) {
  const t = (key: WordKey) => word(language, key);
  const [list, setList] = useState<api.Campaign[] | null>(null);
  const [refusal, setRefusal] = useState<unknown>(null);
  useEffect(() => {
    api.campaigns().then((answer) => setList(answer.campaigns), setRefusal);
  }, []);
  return (
    <section class="card" aria-labelledby="campaigns-title">
      <h2 id="campaigns-title">{t("coupons")}</h2>
      {refusal !== null && <p role="alert">{explain(language, refusal)}</p>}
      {list === null && refusal === null && <p>{t("loading")}</p>}
      {list && list.length === 0 && <p>{t("noCampaigns")}</p>}
      {list && list.length > 0 && (
        <ListTable
          testId="campaigns"
          headings={[t("campaign"), t("couponType"), t("state"), t("redemptions"), t("codes")]}
        >
          {list.map((campaign) => (
            <tr key={campaign.id}>
              <td>
                <Link to={`/console/configure/coupons/${campaign.id}`}>
                  <bdi>{campaign.name}</bdi>
                </Link>
              </td>
              <td>{t(String(campaign.campaign.type) as WordKey)}</td>
              <td>{t(campaign.status)}</td>
              <td>{formatNumber(language, campaign.redemptions)}</td>
              <td>{formatNumber(language, campaign.codes ?? 0)}</td>
            </tr>
          ))}
        </ListTable>
      )}
      <div class="actions">
        <Link to="/console/configure/coupons/new">{t("newCampaign")}</Link>
      </div>
    </section>
  );
}

// Draws `count` codes in parts of at most `part`, telling `progress` after each, until all are
// drawn, `stopped` says so, or a part adds none (the codes of this prefix and length run out).
async function drawCodes(id: number, count: number, request: JsonObject, progress: (done: number) => void, stopped: () => boolean) {
  const part = Math.min(10_000, Math.max(100, Math.ceil(count / 10)));
  let done = 0;
  while (done < count && !stopped()) {
    const added = (await api.addCodes(id, { ...request, count: Math.min(part, count - done) })).added;
    if (added === 0) break;
    done += added;
    progress(done);
  }
  return done;
}

function CampaignForm({ language, program, document, set, problems, editable }: {
  language: Language;
  program: PageProps["program"];
  document: JsonObject;
  set: (document: JsonObject) => void;
  problems: Map<string, string>;
  editable: boolean;
}) {
  const t = (key: WordKey) => word(language, key);
  const bound: Bound = { entry: document, set, problems };
  const number = { ...bound, language };
  const money = { ...bound, language, exponent: program.currency_exponent, code: program.currency };
  const type = String(getAt(document, "type") ?? "");
  const zone = program.time_zone;
  return (
    <fieldset disabled={!editable} class="campaign">
      <legend>{t("campaign")}</legend>
      <div class="grid">
        <TextAt {...bound} path="name" label={t("campaignName")} />
        <SelectAt
          {...bound}
          // Another type takes its own value: a percent, money or points are not carried over.
          set={(next) => {
            const { percent: _percent, amount: _amount, ...rest } = next;
            set(next.type === document.type ? next : rest);
          }}
          path="type"
          label={t("couponType")}
          options={[["", "–"], ...types.map((known): [string, string] => [known, t(known as WordKey)])]}
        />
        {type.startsWith("percent") && <NumberAt {...number} path="percent" label={t("percentOff")} />}
        {type.startsWith("amount") && <MoneyAt {...money} path="amount" label={t("amountOff")} />}
        {type === "bonus_points" && <NumberAt {...number} path="amount" label={t("bonusPoints")} />}
        <SelectAt
          {...bound}
          path="stacking"
          label={t("stacking")}
          absent="combinable"
          options={[
            ["combinable", t("combinable")],
            ["exclusive", t("exclusive")],
          ]}
        />
        <SelectAt
          {...bound}
          path="partial_return"
          label={t("partialReturn")}
          absent="revoke_below_minimum"
          options={[
            ["revoke_below_minimum", t("revokeBelowMinimum")],
            ["keep", t("keep")],
          ]}
        />
      </div>
      <div class="grid">
        <MoneyAt {...money} path="conditions.min_basket" label={t("minBasket")} />
        <ListAt {...bound} path="conditions.categories" label={t("onlyCategories")} hint={t("listHint")} />
        <ListAt {...bound} path="conditions.skus" label={t("onlySkus")} hint={t("listHint")} />
        <NumberAt {...number} path="limits.redemptions" label={t("limitRedemptions")} />
        <NumberAt {...number} path="limits.per_member" label={t("limitPerMember")} />
        {type === "bonus_points" ? (
          <NumberAt {...number} path="limits.budget" label={t("budgetPoints")} />
        ) : (
          <MoneyAt {...money} path="limits.budget" label={t("budgetMoney")} />
        )}
      </div>
      <WhenFields bound={bound} language={language} timeZone={zone} />
      <WhoFields bound={bound} language={language} />
      <div class="grid">
        <NumberAt {...number} path="holdout.percent" label={t("holdoutPercent")} hint={t("holdoutHint")} />
      </div>
      <CheckAt {...bound} path="members_only" label={t("membersOnly")} />
    </fieldset>
  );
}

export function CouponCampaign({ language, program, id }: PageProps & { id: string }) {
  const t = (key: WordKey) => word(language, key);
  const known = /^\d+$/.test(id) ? Number(id) : null;
  const [campaign, setCampaign] = useState<api.Campaign | null>(null);
  const [document, setDocument] = useState<JsonObject>({ type: "percent_off_basket" });
  const { busy, refusal, setRefusal, status, act } = useAction();
  const [draw, setDraw] = useState<JsonObject>({ count: 1000 });
  const [drawn, setDrawn] = useState<{ done: number; of: number } | null>(null);
  // The count holds what a stopped drawing left to draw.
  const [rest, setRest] = useState(false);
  // The drawing under way: cancelled by its button, or by leaving the page.
  const drawing = useRef<{ stopped: boolean; left: boolean } | null>(null);
  useEffect(
    () => () => {
      if (drawing.current) Object.assign(drawing.current, { stopped: true, left: true });
    },
    [],
  );
  const [ending, setEnding] = useState(false);
  const [assign, setAssign] = useState<JsonObject>({});

  // The campaign, and from the list (which alone counts them) its codes.
  const load = async (campaignId: number) => {
    const [found, all] = await Promise.all([api.campaign(campaignId), api.campaigns()]);
    setCampaign({ ...found, codes: all.campaigns.find((listed) => listed.id === campaignId)?.codes ?? 0 });
    setDocument(found.campaign);
  };
  useEffect(() => {
    if (known !== null) load(known).catch(setRefusal);
  }, [id]);

  const save = () =>
    act(async () => {
      if (campaign) {
        await api.replaceCampaign(campaign.id, document);
        await load(campaign.id);
      } else {
        const made = await api.createCampaign(document);
        go(`/console/configure/coupons/${made.id}`, true);
      }
    }, t("campaignSaved"));
  const generate = () =>
    act(async () => {
      const count = draw.count;
      const request: JsonObject = {};
      if (typeof draw.prefix === "string") request.prefix = draw.prefix;
      // A length as typed: the API says what one may be.
      if (draw.length !== undefined) request.length = draw.length;
      if (typeof count !== "number" || !Number.isSafeInteger(count) || count < 1 || count > 1_000_000) {
        // The API says what a count may be (1 to 1,000,000), at the field, in one request.
        await api.addCodes(campaign!.id, { ...request, count: count ?? null });
        return true;
      }
      const run = { stopped: false, left: false };
      drawing.current = run;
      setRest(false);
      setDrawn({ done: 0, of: count });
      let done = 0;
      try {
        done = await drawCodes(campaign!.id, count, request, (sofar) => {
          done = sofar;
          if (!run.left) setDrawn({ done: sofar, of: count });
        }, () => run.stopped);
      } finally {
        drawing.current = null;
        if (!run.left) {
          // What was drawn is kept; what was not is left in the count, to draw the rest (when
          // none was drawn, the count is the rest as it stands).
          if (done > 0 && done < count) {
            setDraw((old) => ({ ...old, count: count - done }));
            setRest(true);
          }
          await load(campaign!.id).catch(() => undefined);
        }
      }
      return done === count;
    }, (all) => t(all ? "codesDrawn" : "drawStopped"));
  const cancelDrawing = () => {
    if (drawing.current) drawing.current.stopped = true;
  };
  const download = () =>
    act(async () => {
      const blob = await api.codesCsv(campaign!.id);
      const link = window.document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = `coupon-codes-${campaign!.id}.csv`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    }, t("downloaded"));
  const assignToMember = () =>
    act(async () => {
      const member = Number(latinDigits(String(assign.member_id ?? "")));
      await api.assignCode(String(assign.code ?? ""), member);
      setAssign({});
    }, t("codeAssigned"));

  if (known === null && id !== "new") {
    return (
      <section class="card refusal" role="alert">
        <h2>{t("noSuchCampaign")}</h2>
      </section>
    );
  }
  if (known !== null && !campaign) {
    return (
      <section class="card" aria-busy={!refusal}>
        <h2>{t("coupons")}</h2>
        {refusal ? <p role="alert">{explain(language, refusal)}</p> : <p>{t("loading")}</p>}
      </section>
    );
  }
  const problems = fieldProblems(language, refusal);
  const editable = !campaign || campaign.status === "draft";
  const currency = { code: program.currency, exponent: program.currency_exponent };
  return (
    <>
      <section class="card" aria-labelledby="campaign-title">
        <h2 id="campaign-title">
          {campaign ? <bdi>{campaign.name}</bdi> : t("newCampaign")}
          {campaign && ` (${t(campaign.status)})`}
        </h2>
        {campaign && (
          <p class="muted">
            {t("redemptions")}: {formatNumber(language, campaign.redemptions)} · {t("codes")}:{" "}
            {formatNumber(language, campaign.codes ?? 0)} · {t("budgetUsed")}:{" "}
            {document.type === "bonus_points"
              ? formatNumber(language, campaign.budget_used)
              : formatMoney(language, campaign.budget_used, currency)}
          </p>
        )}
        <Outcome language={language} status={status} refusal={refusal} />
        <CampaignForm
          language={language}
          program={program}
          document={document}
          set={setDocument}
          problems={problems}
          editable={editable}
        />
        <div class="actions">
          {editable && (
            <button type="button" class="primary" disabled={busy} onClick={save}>
              {t("saveCampaign")}
            </button>
          )}
          {campaign?.status === "draft" && (
            <button type="button" disabled={busy} onClick={() => act(async () => load((await api.publishCampaign(campaign.id)).id), t("campaignPublished"))}>
              {t("publishCampaign")}
            </button>
          )}
          {campaign?.status === "published" && (
            <button type="button" disabled={busy} onClick={() => setEnding(true)}>
              {t("endCampaign")}
            </button>
          )}
          <Link to="/console/configure/coupons">{t("allCampaigns")}</Link>
        </div>
        {ending && campaign && (
          <Confirm
            title={t("endTitle")}
            confirm={t("endCampaign")}
            cancel={t("cancel")}
            onConfirm={() => act(async () => load((await api.endCampaign(campaign.id)).id), t("campaignEnded"))}
            onClose={() => setEnding(false)}
          >
            <p>
              <bdi>{campaign.name}</bdi>
            </p>
            <p>{t("endQuestion")}</p>
          </Confirm>
        )}
      </section>
      {campaign && campaign.status !== "ended" && (
        <section class="card" aria-labelledby="codes-title">
          <h2 id="codes-title">{t("codes")}</h2>
          <div class="grid">
            <NumberAt
              entry={draw}
              set={(next) => {
                setDraw(next);
                setRest(false);
              }}
              problems={problems}
              path="count"
              label={t(rest ? "codeCountRest" : "codeCount")}
              hint={rest ? t("codeCountRestHint") : undefined}
              language={language}
            />
            <TextAt entry={draw} set={setDraw} problems={problems} path="prefix" label={t("codePrefix")} dir="ltr" />
            <NumberAt entry={draw} set={setDraw} problems={problems} path="length" label={t("codeLength")} language={language} hint={t("codeLengthHint")} />
          </div>
          <div class="actions">
            <button type="button" class="primary" disabled={busy} onClick={generate}>
              {t(rest ? "drawRest" : "drawCodes")}
            </button>
            {drawing.current && (
              <button type="button" onClick={cancelDrawing}>
                {t("cancelDrawing")}
              </button>
            )}
            <button type="button" disabled={busy} onClick={download}>
              {t("downloadCodes")}
            </button>
          </div>
          {drawn && (
            <div class="progress">
              <label class="bound">
                <span>{t(drawing.current ? "drawing" : "drawnThisTime")}</span>
                <progress max={drawn.of} value={drawn.done} />
              </label>
              <span role="status">
                {formatNumber(language, drawn.done)} / {formatNumber(language, drawn.of)}
              </span>
            </div>
          )}
          <h3>{t("assignCode")}</h3>
          <div class="grid">
            <TextAt entry={assign} set={setAssign} problems={new Map()} path="code" label={t("code")} dir="ltr" />
            <NumberAt entry={assign} set={setAssign} problems={problems} path="member_id" label={t("assignTo")} language={language} />
          </div>
          <div class="actions">
            <button type="button" disabled={busy} onClick={assignToMember}>
              {t("assign")}
            </button>
          </div>
        </section>
      )}
    </>
  );
}
