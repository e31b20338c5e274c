// A question asked before what cannot be undone (a rollback, a revoked key, an ended campaign), in
// the members screens' modal dialog: focus moves into it, on Cancel to be safe, and Escape or
// Cancel closes it with nothing done.
import type { ComponentChildren } from "preact";

import { Dialog } from "../members/shared";

export function Confirm({ title, children, confirm, cancel, onConfirm, onClose }: {
  title: string;
  children: ComponentChildren;
  confirm: string; // The button that does it.
  cancel: string;
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <Dialog title={title} onClose={onClose}>
      {children}
      <div class="buttons">
        <button
          type="button"
          class="primary danger"
          onClick={() => {
            onClose();
            onConfirm();
          }}
        >
          {confirm}
        </button>
        <button type="button" onClick={onClose} autofocus>
          {cancel}
        </button>
      </div>
    </Dialog>
  );
}
