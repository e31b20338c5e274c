// The Configure section: the rules' draft with a form per rule (rules.tsx, rule_form.tsx), its
// preview on a basket (preview.tsx), and the published versions with their differences and
// rollback (versions.tsx), coupon campaigns (coupons.tsx), triggers (triggers.tsx) and the referral
// terms (referrals.tsx). Each screen has an address of its own under /console/configure/. Prize
// draws (draws.tsx) are a section of their own, ../draws/page.tsx, which more roles may use.
import "./style.css";

import { word as consoleWord } from "../i18n";
import { SectionIntro } from "../intro";
import { sections } from "../sections";
import { ScreensNav } from "../screens";
import { go, type PageProps } from "../shell";
import { useEffect } from "preact/hooks";

import { Backtest } from "./backtest";
import { CouponCampaign, CouponCampaigns } from "./coupons";
import { Preview } from "./preview";
import { Settings, Tiers } from "./programme";
import { Referrals } from "./referrals";
import { StoreTerminals, Stores } from "./stores";
import { CashbackForm, StampCardForm } from "./reward_forms";
import { TriggerPage, Triggers } from "./triggers";
import { RuleForm } from "./rule_form";
import { DraftRules } from "./rules";
import { Versions } from "./versions";
import { word } from "./words";

const section = sections.find((known) => known.path === "configure")!;

const screens = [
  { path: "rules", title: "draftRules" },
  { path: "preview", title: "preview" },
  { path: "backtest", title: "backtest" },
  { path: "versions", title: "versions" },
  { path: "coupons", title: "coupons" },
  { path: "triggers", title: "triggers" },
  { path: "referrals", title: "referrals" },
  { path: "tiers", title: "tiers" },
  { path: "settings", title: "settings" },
  // POST /v1/stores and the terminals' routes: the admin's alone.
  { path: "stores", title: "storesTitle", admin: true },
] as const;

// The screens of the draft's entries, under "Draft rules".
const draftScreens = ["new-rule", "cashback", "new-cashback", "stamp-cards", "new-stamp-card"];

export function Configure(props: PageProps) {
  const { language, session, rest } = props;
  const [screen, ...below] = rest;
  useEffect(() => {
    if (screen === undefined) go("/console/configure/rules", true);
  }, [screen]);
  const shown = () => {
    if (screen === "rules" && below.length === 0) return <DraftRules {...props} />;
    if (screen === "rules" && below.length === 1) return <RuleForm {...props} id={below[0]!} kind={null} />;
    if (screen === "new-rule" && (below[0] === "earn" || below[0] === "bonus") && below.length === 1) {
      return <RuleForm {...props} id={null} kind={below[0]} />;
    }
    if (screen === "cashback" && below.length === 1) return <CashbackForm {...props} id={below[0]!} />;
    if (screen === "new-cashback" && below.length === 0) return <CashbackForm {...props} id={null} />;
    if (screen === "stamp-cards" && below.length === 1) return <StampCardForm {...props} id={below[0]!} />;
    if (screen === "new-stamp-card" && below.length === 0) return <StampCardForm {...props} id={null} />;
    if (screen === "preview" && below.length === 0) return <Preview {...props} />;
    if (screen === "versions" && below.length <= 1) return <Versions {...props} shown={below[0]} />;
    if (screen === "stores" && session.role === "admin" && below.length <= 1) {
      return below.length === 0 ? <Stores {...props} /> : <StoreTerminals {...props} store={below[0]!} />;
    }
    if (screen === "backtest" && below.length === 0) return <Backtest {...props} />;
    if (screen === "tiers" && below.length === 0) return <Tiers {...props} />;
    if (screen === "settings" && below.length === 0) return <Settings {...props} />;
    if (screen === "coupons" && below.length === 0) return <CouponCampaigns {...props} />;
    if (screen === "coupons" && below.length === 1) return <CouponCampaign {...props} id={below[0]!} />;
    if (screen === "triggers" && below.length === 0) return <Triggers {...props} />;
    if (screen === "triggers" && below.length === 1) return <TriggerPage {...props} id={below[0]!} />;
    if (screen === "referrals" && below.length === 0) return <Referrals {...props} />;
    if (screen === undefined) return null;
    return (
      <section class="card refusal" role="alert">
        <h2>{consoleWord(language, "notFound")}</h2>
      </section>
    );
  };
  return (
    <>
      <SectionIntro language={language} section={section} role={session.role} />
      <ScreensNav
        label={word(language, "configureScreens")}
        screens={screens
          .filter((known) => !("admin" in known) || session.role === "admin")
          .map((known) => ({
            to: `/console/configure/${known.path}`,
            title: word(language, known.title),
            current: screen === known.path || (known.path === "rules" && draftScreens.includes(screen ?? "")),
          }))}
      />
      {shown()}
    </>
  );
}
