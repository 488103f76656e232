// Where the API key is typed. It is kept for this tab only and sent with every request.
import { useId, useState } from "react";
import { useAccess } from "../access";

export function KeyForm({ prominent }: { prominent?: boolean }) {
  const { apiKey, setApiKey, mode } = useAccess();
  const [draft, setDraft] = useState("");
  const inputId = useId();
  if (mode === "none") return null;
  if (apiKey) {
    return (
      <div className="key-form">
        <span>API key set</span>
        <button type="button" onClick={() => setApiKey(undefined)}>
          Forget key
        </button>
      </div>
    );
  }
  return (
    <form
      className={prominent ? "key-form key-form-prominent" : "key-form"}
      onSubmit={(event) => {
        event.preventDefault();
        if (draft.trim()) setApiKey(draft.trim());
      }}
    >
      <label htmlFor={inputId}>API key</label>
      <input
        id={inputId}
        type="password"
        autoComplete="off"
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
      />
      <button type="submit">Use key</button>
    </form>
  );
}
