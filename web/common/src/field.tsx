// A labelled input that shows, beside it, what the API said about its field (by the field's JSON
// path in the refusal, in the page's language: @patron/common/problems), tied to the input for
// screen readers as its description.
import { useId } from "preact/hooks";

interface Props {
  label: string;
  value: string;
  set: (value: string) => void;
  problem?: string;
  type?: "text" | "email" | "password";
  autocomplete: string;
  required?: boolean;
  dir?: "ltr" | "rtl" | "auto";
}

export function Field({ label, value, set, problem, type = "text", ...input }: Props) {
  const problemId = useId();
  const shared = {
    ...input,
    value,
    onInput: (event: { currentTarget: HTMLInputElement }) => set(event.currentTarget.value),
    "aria-invalid": problem ? true : undefined,
    "aria-describedby": problem ? problemId : undefined,
  };
  // Preact types each kind of input apart: one element for each.
  const field = {
    text: () => <input type="text" {...shared} />,
    email: () => <input type="email" {...shared} />,
    password: () => <input type="password" {...shared} />,
  }[type];
  // The problem stays outside the label: it describes the input, it is no part of its name.
  return (
    <div class="field">
      <label>
        {label}
        {field()}
      </label>
      {problem && (
        <span class="field-problem" id={problemId}>
          {problem}
        </span>
      )}
    </div>
  );
}
