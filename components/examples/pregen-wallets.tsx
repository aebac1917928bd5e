"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { type ApiResult, callApi } from "../api-client";
import type { PregenWalletSet } from "./types";
import styles from "./examples.module.css";

const IDENTIFIER_TYPES = [
  { type: "email", label: "Email", placeholder: "someone@example.com" },
  { type: "phone", label: "Phone", placeholder: "+1 555 555 0123" },
  { type: "customId", label: "Custom id", placeholder: "customer-42" },
] as const;

/**
 * The user's pregenerated sets (`GET /api/wallets/pregen`). `sessionVersion` changes when the
 * server's session may have: the list is asked for again. One request serves every caller; none
 * is made while `enabled` is false (no server session: it would only answer 401).
 */
export function usePregenWalletSets(sessionVersion: number, enabled: boolean) {
  const list = useQuery({
    queryKey: ["pregen-wallets", sessionVersion],
    queryFn: () => callApi("GET", "/api/wallets/pregen"),
    enabled,
  });
  const sets = list.data?.ok ? (list.data.body as { pregenWallets: PregenWalletSet[] }).pregenWallets : [];
  return { sets, answer: list.data };
}

interface PregenWalletsProps {
  /** The set the pregen column signs with. */
  selected: string | null;
  onSelect: (id: string) => void;
  sessionVersion: number;
  /** False while the server holds no session for this browser. */
  enabled: boolean;
}

/** The form that pregenerates wallets for an identifier, and the list of the user's sets (pick one to sign with). */
export function PregenWallets({ selected, onSelect, sessionVersion, enabled }: PregenWalletsProps) {
  const queryClient = useQueryClient();
  const [type, setType] = useState<PregenWalletSet["identifier"]["type"]>("email");
  const [value, setValue] = useState("");
  const [created, setCreated] = useState<ApiResult | null>(null);
  const [creating, setCreating] = useState(false);

  const { sets, answer } = usePregenWalletSets(sessionVersion, enabled);

  async function create(event: FormEvent) {
    event.preventDefault();
    setCreating(true);
    const result = await callApi("POST", "/api/wallets/pregen", { identifier: { type, value } });
    setCreated(result);
    setCreating(false);
    if (result.ok) {
      onSelect((result.body as PregenWalletSet).id);
      setValue("");
      await queryClient.invalidateQueries({ queryKey: ["pregen-wallets"] });
    }
  }

  const placeholder = IDENTIFIER_TYPES.find((option) => option.type === type)?.placeholder;
  return (
    <section className="step" aria-labelledby="pregen-title" data-testid="pregen-wallets">
      <h2 id="pregen-title">2. Pregenerated wallets</h2>
      <p className="muted">
        <code>POST /api/wallets/pregen</code>: the server asks Para for EVM, Solana and Cosmos wallets for an identifier and keeps their key
        share, sealed. Only you can sign with the wallets you create here.
      </p>
      <form className={styles.form} onSubmit={(event) => void create(event)} data-testid="pregen-form">
        <label>
          Identifier type{" "}
          <select value={type} onChange={(event) => setType(event.target.value as typeof type)} data-testid="pregen-type">
            {IDENTIFIER_TYPES.map((option) => (
              <option key={option.type} value={option.type}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Identifier{" "}
          <input
            value={value}
            onChange={(event) => setValue(event.target.value)}
            placeholder={placeholder}
            required
            data-testid="pregen-value"
          />
        </label>
        <button type="submit" className="button" disabled={creating} aria-busy={creating}>
          {creating ? "Creating…" : "Create pregenerated wallets"}
        </button>
      </form>
      {created && !created.ok ? (
        <p className="badge error" role="alert" data-testid="pregen-error" data-code={created.errorCode}>
          {created.errorMessage}
        </p>
      ) : null}

      {answer && !answer.ok ? (
        <p className="muted" data-testid="pregen-list-error">
          {answer.status === 401 || answer.status === 409
            ? "Send your session to the server (step 1) to see your wallets."
            : answer.errorMessage}
        </p>
      ) : null}
      {sets.length ? (
        <fieldset className={styles.sets} data-testid="pregen-list">
          <legend>Sign the pregen column with</legend>
          {sets.map((set) => (
            <label key={set.id} className={styles.set} data-testid="pregen-set" data-id={set.id}>
              <input type="radio" name="pregen-set" value={set.id} checked={selected === set.id} onChange={() => onSelect(set.id)} />
              <span>
                <strong>{set.identifier.value}</strong> <span className="muted">({set.identifier.type})</span>
                <ul className="wallets">
                  {set.wallets.map((wallet) => (
                    <li key={wallet.type}>
                      <span className="badge">{wallet.type}</span> <code>{wallet.address}</code>
                    </li>
                  ))}
                </ul>
              </span>
            </label>
          ))}
        </fieldset>
      ) : answer?.ok ? (
        <p className="muted">No pregenerated wallets yet.</p>
      ) : null}
    </section>
  );
}
