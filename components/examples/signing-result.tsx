"use client";

import type { ApiResult } from "../api-client";
import type { SigningAnswer } from "./types";
import styles from "./examples.module.css";
import { FailedResult, FullAnswer, ShortFact } from "./result-parts";

/** A signing answer in short: the verified badge, the address, the signatures (shortened) and what happened to the transaction. */
export function SigningResultView({ result, testId }: { result?: ApiResult; testId: string }) {
  if (!result) return null;
  if (!result.ok) return <FailedResult result={result} testId={testId} />;
  const answer = result.body as SigningAnswer;
  return (
    <output className={styles.result} data-testid={testId} data-status={result.status} data-verified={answer.verified}>
      <span className="badge ok">{answer.verified ? "✓ verified" : "not verified"}</span>
      <dl className={styles.facts}>
        <dt>Address</dt>
        <dd>
          <code data-testid={`${testId}-address`}>{answer.address}</code>
        </dd>
        <ShortFact label="Signature" value={answer.signature} />
        <ShortFact label="Transaction" value={answer.signedTransaction} />
        <dt>Broadcast · {answer.network.name}</dt>
        <dd data-testid={`${testId}-broadcast`} data-broadcast={answer.broadcast.status}>
          <BroadcastLine broadcast={answer.broadcast} />
        </dd>
      </dl>
      <FullAnswer answer={answer} />
    </output>
  );
}

function BroadcastLine({ broadcast }: { broadcast: SigningAnswer["broadcast"] }) {
  switch (broadcast.status) {
    case "sent":
      return <code>sent: {broadcast.transactionId}</code>;
    case "included":
      return (
        <code>
          included in block {broadcast.blockNumber}: {broadcast.transactionId}
        </code>
      );
    default:
      return broadcast.message;
  }
}
