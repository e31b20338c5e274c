// What the page of one configured item (a trigger, a draw) shows before the item itself: that no
// item has this id, or that this reader may not make a new one; while it loads, that it loads, or
// why it could not be read. Null once the item is there (or a new one is being made): the page goes
// on to show it. A plain function (no hooks), so the page can return what it gives.
import type { Language } from "@patron/common/i18n";

import { explain } from "../problems";
import { Link } from "../shell";
import { word, type WordKey } from "./words";

interface ItemGateProps {
  language: Language;
  id: string; // The page's id: a number, or "new".
  may: boolean; // Whether the reader may make and change such items.
  loaded: boolean;
  refusal: unknown;
  title: WordKey; // The items' name ("triggers").
  missing: WordKey; // "No trigger has this id."
  all: WordKey; // The link back to the list ("All triggers").
  address: string; // The list's address.
}

export function itemGate({ language, id, may, loaded, refusal, title, missing, all, address }: ItemGateProps) {
  const t = (key: Parameters<typeof word>[1]) => word(language, key);
  const known = /^\d+$/.test(id);
  if ((!known && id !== "new") || (id === "new" && !may)) {
    return (
      <section class="card refusal" role="alert">
        <h2>{t(id === "new" ? "forbidden" : missing)}</h2>
        <Link to={address}>{t(all)}</Link>
      </section>
    );
  }
  if (known && !loaded) {
    return (
      <section class="card" aria-busy={!refusal}>
        <h2>{t(title)}</h2>
        {refusal ? <p role="alert">{explain(language, refusal)}</p> : <p>{t("loading")}</p>}
        {refusal !== null && <Link to={address}>{t(all)}</Link>}
      </section>
    );
  }
  return null;
}
